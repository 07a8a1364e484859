"""The reasoning a teaching page shows, computed by the engine (renderers only format it).

* :func:`implicated` — for each abnormal finding, the places whose lesion could produce it;
* :func:`narrowing` — single-lesion reasoning replayed finding by finding;
* :func:`comparisons` — the findings on which the leading candidate and a runner-up differ;
* the engine's :func:`neuroloc.engine.explain` adds what each next test would change and, when
  a pattern beyond one focal lesion leads, the best answer by focal lesions alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from neuroloc.anatomy import Atlas, Strength
from neuroloc.findings import Finding
from neuroloc.labels import finding_label
from neuroloc.result import Candidate
from neuroloc.solve.problem import Lesion, candidate_lesions, reach

FOCAL_LEVELS = ("root", "plexus", "nerve", "cauda-equina")


@dataclass(frozen=True, slots=True)
class Implicated:
    finding: str
    side: str
    grade: str
    places: tuple[tuple[str, tuple[str, ...]], ...]  # (level group, names; "?" = possible only)


@dataclass(frozen=True, slots=True)
class NarrowingStep:
    finding: str  # the finding in words
    effect: str
    alive: int


@dataclass(frozen=True, slots=True)
class Narrowing:
    steps: tuple[NarrowingStep, ...]
    survivors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    """Why the leading candidate beat another one, finding by finding."""

    rank: int  # the other candidate's rank (0: not in the list, e.g. the focal alternative)
    words: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Teaching:
    implicated: tuple[Implicated, ...]
    narrowing: Narrowing
    comparisons: tuple[Comparison, ...]
    focal_alternative: Comparison | None = None


def _peripheral(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.status != "umn"]


def implicated(atlas: Atlas, findings: Sequence[Finding]) -> tuple[Implicated, ...]:
    out = []
    for f in _peripheral(findings):
        if f.status != "abnormal":
            continue
        groups: dict[str, list[str]] = {level: [] for level in (*FOCAL_LEVELS, "other")}
        for site, strength in atlas.coverage(f.target).items():
            if site in atlas.sites and strength >= Strength.POSSIBLE:
                level = atlas.sites[site].level
                name = site.removeprefix("root:").removeprefix("plexus:").removeprefix("nerve:")
                mark = "?" if strength == Strength.POSSIBLE else ""
                groups[level if level in FOCAL_LEVELS else "other"].append(name + mark)
        places = tuple((level, tuple(names)) for level, names in groups.items())
        out.append(Implicated(f.id, f.side, f.grade, places))
    return tuple(out)


def _short(lesion: Lesion) -> str:
    site = lesion.site.removeprefix("nerve:")
    return site if lesion.side == "both" else f"{site} ({lesion.side[0].upper()})"


def narrowing(atlas: Atlas, findings: Sequence[Finding]) -> Narrowing:
    """Which single sites survive each abnormal finding in turn, then each normal one."""
    peripheral = _peripheral(findings)
    abnormal = [f for f in peripheral if f.status == "abnormal"]
    if not abnormal:
        return Narrowing((), ())
    steps: list[NarrowingStep] = []
    alive: set[Lesion] = set()
    for step, f in enumerate(abnormal, start=1):
        mine = set(candidate_lesions(atlas, f))
        alive = mine if step == 1 else alive & mine
        effect = "start: sites that reach it" if step == 1 else "keep sites that also reach it"
        steps.append(
            NarrowingStep(f"{finding_label(f.id)} {f.grade} ({f.side})", effect, len(alive))
        )
    for f in (f for f in peripheral if f.status == "normal"):
        dropped = {x for x in alive if atlas.caps.excludes(f.kind, reach(atlas, x, f))}
        penalised = {x for x in alive if Strength.NONE < reach(atlas, x, f) < Strength.CERTAIN}
        if not dropped and not penalised:
            continue
        alive -= dropped
        parts = []
        if dropped:
            parts.append(f"rules out {', '.join(sorted(_short(x) for x in dropped))}")
        if penalised:
            parts.append(f"counts against {', '.join(sorted(_short(x) for x in penalised))}")
        steps.append(
            NarrowingStep(f"{finding_label(f.id)} normal ({f.side})", "; ".join(parts), len(alive))
        )
    return Narrowing(tuple(steps), tuple(sorted(_short(x) for x in alive)))


def words(candidate: Candidate) -> str:
    return " + ".join(f"{x.syndrome} ({x.side})" for x in candidate.lesions)


UNTESTED_SHOWN = 3


def _predicted(atlas: Atlas, lesions: Sequence[Lesion]) -> set[tuple[str, str]]:
    """(target, side) pairs a lesion set predicts abnormal at the bedside (likely or certain)."""
    from neuroloc.simulate import simulate

    return {
        (f.target, f.side)
        for f in simulate(atlas, lesions)
        if f.abnormal and f.kind in ("muscle", "reflex", "sensory")
    }


def compare(
    atlas: Atlas,
    best: Candidate,
    other: Candidate,
    findings: Sequence[Finding],
    rank: int,
    *,
    untested: bool = False,
) -> Comparison:
    """The findings on which ``best`` and ``other`` predict differently, in words."""
    best_lesions = [Lesion(x.id, x.side) for x in best.lesions]
    other_lesions = [Lesion(x.id, x.side) for x in other.lesions]
    label = f"#{rank}" if rank else "it"
    reasons = []
    for f in _peripheral(findings):
        a = max((reach(atlas, x, f) for x in best_lesions), default=Strength.NONE)
        b = max((reach(atlas, x, f) for x in other_lesions), default=Strength.NONE)
        if a == b:
            continue
        name = f"{finding_label(f.id)} ({f.side})"
        if f.status == "normal" and b > a:
            reasons.append(f"{name} is normal, but {label} predicts it affected ({b.label})")
        elif f.status == "abnormal" and a > b:
            how = "does not reach it" if b == Strength.NONE else f"reaches it only {b.label}"
            reasons.append(f"{name} is abnormal; {label} {how}")
    if untested:
        seen = {(f.target, f.side) for f in findings}
        predicted = _predicted(atlas, other_lesions) - _predicted(atlas, best_lesions)
        fresh = sorted(
            (s, t) for t, s in predicted if (t, s) not in seen and (t, "both") not in seen
        )
        if fresh:
            names = ", ".join(f"{finding_label(t)} ({s})" for s, t in fresh[:UNTESTED_SHOWN])
            more = f" and {len(fresh) - UNTESTED_SHOWN} more" if len(fresh) > UNTESTED_SHOWN else ""
            reasons.append(f"it would also make abnormal {names}{more}, not examined yet")
    extra = len(other.lesions) - len(best.lesions)
    if extra > 0:
        reasons.append(
            f"it needs {extra} more lesion(s): a coincidence of independent lesions, each "
            "priced by its own prior"
        )
    elif not reasons and best.score < other.score:
        reasons.append("it needs a rarer site (prior)")
    return Comparison(rank, words(other), other.score, tuple(reasons))


def comparisons(
    atlas: Atlas, candidates: Sequence[Candidate], findings: Sequence[Finding], limit: int = 3
) -> tuple[Comparison, ...]:
    if len(candidates) < 2:
        return ()
    best = candidates[0]
    return tuple(compare(atlas, best, c, findings, c.rank) for c in candidates[1 : limit + 1])


def is_focal(candidate: Candidate) -> bool:
    return all(x.level in FOCAL_LEVELS for x in candidate.lesions)
