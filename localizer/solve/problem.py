"""From findings to a constraint problem: candidate lesions, what they cover, and pruning.

The encoding (DESIGN.md "The reasoning"):

* one Boolean per candidate lesion, i.e. per (site, side) — the cauda equina has side ``both``;
* every abnormal finding must be covered by at least one chosen lesion;
* no chosen lesion may *certainly* affect a finding observed normal.

The second rule is applied here, in Python, by removing such lesions before any solver runs;
lesions that cover no abnormal finding are dropped too, and the findings are split into
independent components (no lesion covers findings of two components), each solved on its own.
What is left is a hitting-set problem that :mod:`neuroloc.solve.z3_backend` (or the CSP backend)
enumerates, keeping the *irredundant* sets in a strength-aware sense (:func:`irredundant`):
every lesion of a set must be needed, either to explain a finding no other lesion of the set
explains, or to explain strongly (``likely`` or ``certain``) a finding the others explain only
weakly (``possible`` or atypically). A double crush (an L5 root lesion that covers an absent
superficial fibular SNAP only through its rare atypical link, plus a fibular neuropathy that
covers it ``likely``) is therefore a candidate, whereas plain minimal hitting sets would never
list it.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from neuroloc.anatomy import Atlas, Strength
from neuroloc.findings import Finding


@dataclass(frozen=True, slots=True, order=True)
class Lesion:
    site: str
    side: str  # left | right | both (the cauda equina)

    @property
    def key(self) -> str:
        return f"{self.site}/{self.side}"


SEVERE_MRC = frozenset({"0", "1", "2"})  # bands of ranking.yaml: sensitivity.mrc-severe


def evidence_class(atlas: Atlas, finding: Finding) -> str:
    """The sensitivity row of ranking.yaml that a finding uses: its kind's ``evidence`` in
    kinds.yaml, MRC 0-2 as ``mrc-severe``, a paraspinal needle EMG as ``emg-paraspinal``, an
    upper-motor-neuron sign (an observation of kind ``umn``) as ``umn``."""
    from neuroloc.kinds import finding_kind

    if finding.kind == "umn":
        return "umn"
    evidence = finding_kind(finding.kind).evidence
    if evidence == "mrc" and finding.grade in SEVERE_MRC:
        return "mrc-severe"
    if finding.kind == "emg":
        members = atlas.members(finding.target)
        if all(atlas.muscles[m].emg_only for m in members):
            return "emg-paraspinal"
    return evidence


def reach(atlas: Atlas, lesion: Lesion, finding: Finding) -> Strength:
    """How strongly a lesion reaches the target a finding observes (0 on the other side)."""
    if lesion.side != "both" and finding.side != "both" and lesion.side != finding.side:
        return Strength.NONE
    return atlas.strength(lesion.site, finding.target)


def _same_side(lesion: Lesion, finding: Finding) -> bool:
    return lesion.side == "both" or finding.side == "both" or lesion.side == finding.side


def candidate_lesions(atlas: Atlas, finding: Finding) -> list[Lesion]:
    """Every lesion that reaches a finding's target, on the finding's side."""
    out: list[Lesion] = []
    lateral = ["left", "right"] if finding.side == "both" else [finding.side]
    for site, strength in atlas.coverage(finding.target).items():
        if strength == Strength.NONE or site not in atlas.sites:
            continue
        sides = atlas.sites[site].sides  # (left, right), (both,) or (left, right, both)
        out.extend(Lesion(site, side) for side in sides if side == "both" or side in lateral)
    return out


STRONG = Strength.PARTIAL  # a cover at least this strong (likely, certain) explains strongly


def cover_class(strength: Strength) -> int:
    """0 no cover, 1 weak (possible, atypical), 2 strong (likely, certain)."""
    if strength >= STRONG:
        return 2
    return 1 if strength > Strength.NONE else 0


def necessary(covers: Sequence[dict[int, Strength]], chosen: Sequence[int], lesion: int) -> bool:
    """Whether ``lesion`` is needed in ``chosen``: it covers a finding that no other lesion of
    the set covers in a class at least as strong (without it, that finding would be left
    unexplained, or explained only weakly where it was explained strongly)."""
    for f, strength in covers[lesion].items():
        own = cover_class(strength)
        if all(cover_class(covers[m].get(f, Strength.NONE)) < own for m in chosen if m != lesion):
            return True
    return False


def irredundant(covers: Sequence[dict[int, Strength]], chosen: Sequence[int]) -> bool:
    """The candidate condition beyond covering: every lesion of the set is :func:`necessary`."""
    return all(necessary(covers, chosen, lesion) for lesion in chosen)


@dataclass(frozen=True)
class Component:
    """Findings that share candidate lesions, solved together."""

    findings: tuple[int, ...]  # indexes into Problem.abnormal
    lesions: tuple[int, ...]  # indexes into Problem.lesions


@dataclass(frozen=True)
class Problem:
    """The pruned problem handed to a backend. Everything is sorted, so results are stable."""

    abnormal: tuple[Finding, ...]
    normal: tuple[Finding, ...]
    lesions: tuple[Lesion, ...]
    covers: tuple[dict[int, Strength], ...]  # per lesion: abnormal finding index -> strength
    spared: tuple[dict[int, Strength], ...]  # per lesion: normal finding index -> strength
    components: tuple[Component, ...]
    uncovered: tuple[int, ...]  # abnormal findings no remaining lesion covers
    excluded: dict[Lesion, int] = field(default_factory=dict)  # lesion -> normal it certainly hits

    def coverers(self, finding: int) -> list[int]:
        return [i for i, cov in enumerate(self.covers) if finding in cov]


class Pruning:
    """What lets a backend skip the sets that cannot enter the top ``top`` of a component.

    :meth:`bound`, ``constant + sum(coefficients[i] for i in chosen)`` plus, for every step
    ``(weights, lesions)`` none of whose lesions is chosen, its weight for the set's size
    (``weights[len(chosen) - 1]``), is a lower bound of the partial score :func:`partial` of
    every covering set ``chosen`` (built by :func:`neuroloc.solve.search.pruning`);
    :meth:`add` records a set found and returns the
    ``top``-th best partial score found so far (or ``None`` before ``top`` sets are known). A
    set whose bound exceeds that threshold scores strictly worse than ``top`` sets already
    found, so leaving it out never changes the ``top`` best (ties are kept: only a bound
    strictly above the threshold may be excluded). A backend may ignore it.
    """

    def __init__(
        self,
        constant: float,
        coefficients: Mapping[int, float],
        top: int,
        partial: Callable[[tuple[int, ...]], float],
        steps: Sequence[tuple[tuple[float, ...], frozenset[int]]] = (),
    ):
        self.constant = constant
        self.coefficients = coefficients
        self.steps = tuple(steps)
        self.top = top
        self._partial = partial
        self._partials: dict[tuple[int, ...], float] = {}
        self._worst: list[float] = []  # a max-heap (negated) of the best ``top`` partials
        # Sets an earlier search of the same component already found (:meth:`reuse`): a
        # backend may leave them out (the Z3 backend blocks them); they are recorded here.
        self.known: frozenset[tuple[int, ...]] = frozenset()

    def bound(self, chosen: Iterable[int]) -> float:
        """The lower bound of ``chosen``'s partial score (what the backend may prune on)."""
        chosen = set(chosen)
        total = self.constant + sum(self.coefficients[i] for i in chosen)
        size = len(chosen) - 1
        return total + sum(w[size] for w, lesions in self.steps if not chosen & lesions)

    def partial(self, chosen: tuple[int, ...]) -> float:
        value = self._partials.get(chosen)
        if value is None:
            value = self._partials[chosen] = self._partial(chosen)
        return value

    def reuse(self, found: Iterable[tuple[float, tuple[int, ...]]]) -> None:
        """Record the sets (with their partial scores) that an earlier search of this component
        found: they count towards the threshold, and :attr:`known` lists them so that a backend
        need not find them again. Every one must be a candidate (covering and irredundant)."""
        for value, chosen in found:
            if chosen not in self._partials:
                self._partials[chosen] = value
                self._record(value)
        self.known = self.known | {chosen for _, chosen in found}

    def add(self, chosen: tuple[int, ...]) -> float | None:
        if chosen not in self._partials:
            self._record(self.partial(chosen))
        return self.threshold

    def _record(self, value: float) -> None:
        if len(self._worst) < self.top:
            heapq.heappush(self._worst, -value)
        elif value < -self._worst[0]:
            heapq.heapreplace(self._worst, -value)

    @property
    def threshold(self) -> float | None:
        return -self._worst[0] if len(self._worst) >= self.top else None


def build_problem(
    atlas: Atlas,
    findings: Iterable[Finding],
    *,
    set_aside: Sequence[tuple[str, str]] = (),
    allow_certain_conflicts: Sequence[tuple[str, str]] = (),
) -> Problem:
    """Build and prune the problem for a set of findings.

    ``set_aside`` lists abnormal findings (by key) that relaxed mode leaves unexplained;
    ``allow_certain_conflicts`` lists normal findings whose certain exclusions relaxed mode
    waives (they are then reported as conflicts).
    """
    aside = set(set_aside)
    waived = set(allow_certain_conflicts)
    ordered = sorted(findings, key=lambda f: (f.id, f.side))
    abnormal = tuple(f for f in ordered if f.status == "abnormal" and f.key not in aside)
    normal = tuple(f for f in ordered if f.status == "normal")
    # Everything below reads each finding's coverage row once (cost in proportion to the
    # findings and the lesions that reach them, not to findings x lesions x atlas look-ups);
    # the result is the same as calling ``reach`` for every (lesion, finding) pair.
    pool = sorted({lesion for f in abnormal for lesion in candidate_lesions(atlas, f)})
    by_site: dict[str, list[Lesion]] = {}
    for lesion in pool:
        by_site.setdefault(lesion.site, []).append(lesion)
    excluded: dict[Lesion, int] = {}
    for j, f in enumerate(normal):
        if f.key in waived:
            continue
        for site, strength in atlas.coverage(f.target).items():
            if atlas.caps.excludes(f.kind, strength):
                for lesion in by_site.get(site, ()):
                    if lesion not in excluded and _same_side(lesion, f):
                        excluded[lesion] = j
    kept = [lesion for lesion in pool if lesion not in excluded]
    kept_by_site: dict[str, list[tuple[int, Lesion]]] = {}
    for i, lesion in enumerate(kept):
        kept_by_site.setdefault(lesion.site, []).append((i, lesion))
    covers: list[dict[int, Strength]] = [{} for _ in kept]
    spared: list[dict[int, Strength]] = [{} for _ in kept]
    for rows, group in ((covers, abnormal), (spared, normal)):
        for j, f in enumerate(group):
            for site, strength in atlas.coverage(f.target).items():
                if strength > Strength.NONE:
                    for i, lesion in kept_by_site.get(site, ()):
                        if _same_side(lesion, f):
                            rows[i][j] = strength
    uncovered = tuple(i for i in range(len(abnormal)) if not any(i in c for c in covers))
    return Problem(
        abnormal=abnormal,
        normal=normal,
        lesions=tuple(kept),
        covers=tuple(covers),
        spared=tuple(spared),
        components=_components(len(abnormal), covers, uncovered, _paired(atlas, kept)),
        uncovered=uncovered,
        excluded=excluded,
    )


def _paired(atlas: Atlas, lesions: Sequence[Lesion]) -> list[tuple[int, int]]:
    """Lesions of one site on the two sides whose pair is priced as one (a bilateral rate):
    their findings are scored together, so they stay in one component."""
    index = {(x.site, x.side): i for i, x in enumerate(lesions)}
    return [
        (i, index[(x.site, "right")])
        for i, x in enumerate(lesions)
        if x.side == "left"
        and (x.site, "right") in index
        and atlas.sites[x.site].bilateral_rate is not None
    ]


def _components(
    n_findings: int,
    covers: Sequence[dict[int, Strength]],
    uncovered: Sequence[int],
    paired: Sequence[tuple[int, int]] = (),
) -> tuple[Component, ...]:
    """Connected components of the finding-lesion incidence graph (union-find on findings);
    the two lesions of a ``paired`` site join their findings' components."""
    parent = list(range(n_findings))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for cov in covers:
        items = sorted(cov)
        for other in items[1:]:
            a, b = find(items[0]), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    for left, right in paired:
        if covers[left] and covers[right]:
            a, b = find(min(covers[left])), find(min(covers[right]))
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for i in range(n_findings):
        if i not in uncovered:
            groups.setdefault(find(i), []).append(i)
    components = []
    for members in groups.values():
        member_set = set(members)
        lesions = tuple(j for j, cov in enumerate(covers) if member_set.intersection(cov))
        components.append(Component(tuple(members), lesions))
    return tuple(sorted(components, key=lambda c: c.findings))
