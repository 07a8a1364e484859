"""Enumerating the best lesion sets of a problem, with any backend, strict or relaxed.

:func:`enumerate_candidates` returns the exact top-K irredundant lesion sets of a
:class:`~neuroloc.solve.problem.Problem`; :func:`solve` builds the problem for a case's findings
first; :func:`relaxed` sets aside the fewest findings (MaxSAT) when nothing explains them all.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from neuroloc.anatomy import Atlas, Strength
from neuroloc.findings import Finding
from neuroloc.ranking import (
    Weights,
    abnormal_term,
    lesion_cost,
    load_weights,
    normal_penalty,
    one_sided_exam,
    presentation_cost,
    prior_cost,
    score,
)
from neuroloc.solve.base import SOLVERS, Backend, SolverTimeout, get_backend
from neuroloc.solve.problem import (
    Component,
    Lesion,
    Problem,
    Pruning,
    build_problem,
    evidence_class,
    irredundant,
)

# The backend names, the protocol, the timeout and the factory live in ``base``; re-exported here
# for the callers that import them from the search.
__all__ = [
    "SOLVERS",
    "Backend",
    "Enumeration",
    "SolverTimeout",
    "enumerate_candidates",
    "get_backend",
    "relaxed",
    "solve",
]


@dataclass(frozen=True)
class Carry:
    """A complete search's problem and what it found, for a search of the same findings with a
    larger ``top`` (the engine widens its search when dropping mirror images leaves too few
    candidates): the sets found are genuine candidates, so they seed the new search's threshold
    and the backend need not find them again."""

    findings: tuple[Finding, ...]
    max_lesions: int
    problem: Problem
    found: tuple[tuple[tuple[float, tuple[int, ...]], ...], ...]  # per component


@dataclass(frozen=True)
class Enumeration:
    sets: tuple[tuple[Lesion, ...], ...]  # best first
    complete: bool  # False when the deadline cut the search short
    scores: tuple[float, ...] = ()  # each set's full score (ranking.score), when known
    # What a wider search of the same findings can start from (``solve(..., after=...)``).
    carry: Carry | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Query:
    """One search, as the engine asks it: the knowledge base and ranking weights it runs on, the
    case's findings, the backend, how many sets to return (``top``), the largest set
    (``max_lesions``) and the ``time.monotonic()`` instant it must end by (``deadline``). Every
    function of the search takes this one object instead of passing the seven along."""

    atlas: Atlas
    weights: Weights
    findings: tuple[Finding, ...]
    backend: Backend
    top: int
    max_lesions: int
    deadline: float

    @classmethod
    def of(
        cls,
        atlas: Atlas,
        findings: Sequence[Finding],
        *,
        backend: Backend | str = "z3",
        top: int = 10,
        max_lesions: int = 3,
        deadline: float,
        weights: Weights | None = None,
    ) -> Query:
        """A query with the ranking's own weights and a backend given by name unless given."""
        chosen = get_backend(backend) if isinstance(backend, str) else backend
        return cls(
            atlas, weights or load_weights(), tuple(findings), chosen, top, max_lesions, deadline
        )


def enumerate_candidates(
    query: Query,
    problem: Problem,
    found_before: Sequence[Sequence[tuple[float, tuple[int, ...]]]] = (),
) -> Enumeration:
    """The exact ``top`` best irredundant lesion sets of at most ``max_lesions`` lesions.

    Each component is enumerated smallest sets first; it stops as soon as no larger set can
    beat the ``top``-th best found. The bound stays exact whatever the candidate definition
    (minimal or strength-aware irredundant, :func:`~neuroloc.solve.problem.irredundant`): a
    set's partial score is the sum of its lesions' weights (cost and normal-finding penalties,
    :func:`~neuroloc.ranking.lesion_weight`) plus abnormal-finding terms that are never
    negative, so any set of more than ``size`` lesions scores at least the sum of the
    ``size + 1`` smallest lesion weights of the component; the bound uses no property of the
    sets, only their size. Components are then combined; scores add across components.

    ``found_before``: per component, the sets (with partial scores) that an earlier, complete
    search of the same problem found; they count from the start and the backend may skip them.
    """
    atlas, weights, top, max_lesions = query.atlas, query.weights, query.top, query.max_lesions
    if problem.uncovered or not problem.components:
        return Enumeration((), True)
    n_comp = len(problem.components)
    budget = max_lesions - (n_comp - 1)
    if budget < 1:
        return Enumeration((), True)
    complete = True
    per_component: list[list[tuple[float, tuple[int, ...]]]] = []
    lesion_w = lesion_weights(atlas, weights, problem, one_sided=one_sided_exam(query.findings))
    found: list[tuple[tuple[float, tuple[int, ...]], ...]] = []
    for number, component in enumerate(problem.components):
        ranked: list[tuple[float, tuple[int, ...]]] = []
        floor = sorted(lesion_w[i] for i in component.lesions)
        bound = pruning(query, problem, component, lesion_w, budget)
        if found_before:
            ranked.extend(found_before[number])
            bound.reuse(found_before[number])
        if budget >= 2:
            _seed(query, problem, component, bound, lesion_w)
        sets_by_size = query.backend.minimal_sets(problem, component, budget, query.deadline, bound)
        try:
            for size, sets in sets_by_size:
                for chosen in sets:
                    if chosen not in bound.known:  # a backend may return a known set again
                        ranked.append((bound.partial(chosen), chosen))
                ranked.sort()
                bounded = len(ranked) >= top and size < min(budget, len(floor))
                if bounded and sum(floor[: size + 1]) > ranked[top - 1][0]:
                    break
        except SolverTimeout:
            complete = False
        finally:
            close = getattr(sets_by_size, "close", None)
            if close is not None:  # a generator stopped early releases its solver now
                close()
        if not ranked:
            return Enumeration((), complete)
        found.append(tuple(ranked))
        per_component.append(ranked[:top])
    combos: list[tuple[float, tuple[Lesion, ...]]] = []
    for parts in itertools.product(*per_component):
        picked = [i for _, s in parts for i in s]
        if len(picked) > max_lesions:
            continue
        lesions = tuple(sorted(problem.lesions[i] for i in picked))
        combos.append((score(atlas, weights, lesions, query.findings), lesions))
    combos.sort(key=lambda c: rank_key(atlas, c[0], c[1]))
    shown = combos[:top]
    carry = Carry(query.findings, max_lesions, problem, tuple(found)) if complete else None
    return Enumeration(
        tuple(lesions for _, lesions in shown), complete, tuple(value for value, _ in shown), carry
    )


def rank_key(atlas: Atlas, score: float, lesions: Sequence[Lesion]) -> tuple:
    """Best first: lower score; on a tie, fewer lesions, then the set that reaches fewer targets
    (the more specific explanation: an isolated absent sural SNAP is the sural nerve before a
    sciatic lesion that would predict much more), then the ids, so the order is stable."""
    return (round(score, 4), len(lesions), reach_size(atlas, lesions), [x.key for x in lesions])


def reach_size(atlas: Atlas, lesions: Sequence[Lesion]) -> int:
    """How many (target, side) pairs a lesion set reaches: its footprint on the examination."""
    return sum(atlas.reach_count(x.site) * (2 if x.side == "both" else 1) for x in lesions)


def lesion_weights(
    atlas: Atlas, weights: Weights, problem: Problem, *, one_sided: bool = False
) -> list[float]:
    """:func:`~neuroloc.ranking.lesion_weight` of every lesion of the problem, read off its
    ``spared`` row (the normal findings it reaches) instead of every normal finding: the same
    terms, added in the same order, so the same floats. ``one_sided``: every finding of the
    case lies on one side (:func:`~neuroloc.ranking.one_sided_exam`)."""
    evidence = [evidence_class(atlas, f) for f in problem.normal]
    out = []
    for lesion, spared in zip(problem.lesions, problem.spared, strict=True):
        total = lesion_cost(atlas, weights, lesion) + presentation_cost(atlas, lesion, one_sided)
        for j, strength in spared.items():
            total += normal_penalty(weights, evidence[j], strength)
        out.append(total)
    return out


def pruning(
    query: Query,
    problem: Problem,
    component: Component,
    lesion_w: Sequence[float],
    max_size: int,
) -> Pruning:
    """The exact lower bound of a set's partial score that lets the backend skip sets.

    A finding's term is ``g(u) = -ln(1 - (1 - leak) e^-u)`` with ``u`` the sum, over the chosen
    lesions that reach it, of ``s_i = -ln(1 - p_i)`` (the noisy-OR of
    :func:`~neuroloc.ranking.abnormal_term`). ``g`` is convex and decreasing, so it lies above
    its tangent ``t`` at any point ``u0``: ``g(u) >= t(u)``, which is linear in the lesion
    literals. The tangent is taken where the strongest single lesion puts ``u``, where it is
    exact. Adding the lesions' own weights gives a bound that holds for every covering set.

    The tangent is loose for a set that explains the finding only through weaker lesions
    (far left of ``u0``, where ``g`` climbs steeply), so each weaker strength adds a *step*:
    when the strongest chosen lesion reaching the finding has ``s = v``, at most ``k`` chosen
    lesions reach it in a set of ``k``, so ``u`` lies in ``[v, k * v]`` and ``g(u) - t(u)``
    (convex, zero at ``u0``) is at least its value at ``min(k * v, u0)``. Written as
    increments (a weight per set size, and the lesions reaching the finding at least as
    strongly as the next stronger value): a weight counts when none of them is chosen.
    """
    atlas, weights = query.atlas, query.weights
    spare = 1.0 - weights.leak
    coefficients = {i: lesion_w[i] for i in component.lesions}
    constant = 0.0
    steps: list[tuple[tuple[float, ...], frozenset[int]]] = []
    for f in component.findings:
        evidence = evidence_class(atlas, problem.abnormal[f])
        reach_u = {
            i: -math.log1p(-weights.p(evidence, problem.covers[i][f]))
            for i in component.lesions
            if f in problem.covers[i]
        }
        u0 = max(reach_u.values())
        e = spare * math.exp(-u0)
        g0 = -math.log1p(-e)
        slope = -e / (1.0 - e)
        constant += g0 - slope * u0
        for i, u in reach_u.items():
            coefficients[i] += slope * u
        previous = [0.0] * max_size  # per set size, the steps already counted above
        values = sorted(set(reach_u.values()), reverse=True)
        for stronger, v in itertools.pairwise(values):
            gaps = []
            for k in range(1, max_size + 1):
                u = min(k * v, u0)
                gaps.append(max(0.0, -math.log1p(-spare * math.exp(-u)) - (g0 + slope * (u - u0))))
            increments = tuple(max(0.0, a - b) for a, b in zip(gaps, previous, strict=True))
            if any(increments):
                members = frozenset(i for i, w in reach_u.items() if w >= stronger)
                steps.append((increments, members))
            previous = [max(a, b) for a, b in zip(gaps, previous, strict=True)]
    return Pruning(
        constant,
        coefficients,
        query.top,
        lambda chosen: _partial(atlas, weights, problem, component, chosen, lesion_w),
        steps,
    )


def _seed(
    query: Query,
    problem: Problem,
    component: Component,
    bound: Pruning,
    lesion_w: Sequence[float],
) -> None:
    """Give the pruning a threshold before the backend starts: the best single lesions and the
    ``top`` best pairs by score that are candidates (covering and irredundant). Only the
    threshold changes: the backend still finds every set that can enter the top, these
    included, and the threshold is the ``top``-th best of genuine candidates, so it excludes
    nothing that could be shown.

    Every covering pair is scored, cheaply: a pair's partial score is its two lesions' weights,
    plus each lesion's own finding terms, corrected on the findings both reach (the noisy-OR of
    the two against the sum of the two alone). Covering is a test on bit masks. The estimate
    only orders the pairs; what is recorded is :meth:`Pruning.add`'s exact score."""
    atlas, weights = query.atlas, query.weights
    spare = 1.0 - weights.leak
    bit = {f: 1 << k for k, f in enumerate(component.findings)}
    full = (1 << len(bit)) - 1
    lesions = component.lesions
    covers = problem.covers
    masks = [sum(bit[f] for f in covers[i] if f in bit) for i in lesions]
    for i, mask in zip(lesions, masks, strict=True):
        if mask == full:
            bound.add((i,))
    evidence = {f: evidence_class(atlas, problem.abnormal[f]) for f in component.findings}
    # Per lesion: the probability each reached finding stays normal under it alone, and the
    # sum of its own finding terms (-ln P(abnormal)) with its weight.
    kept = [
        {f: 1.0 - weights.p(evidence[f], s) for f, s in covers[i].items() if f in bit}
        for i in lesions
    ]
    alone = [
        lesion_w[i] + sum(-math.log1p(-spare * q) for q in k.values())
        for i, k in zip(lesions, kept, strict=True)
    ]
    pairs = []
    for a in range(len(lesions)):
        if masks[a] == full:
            continue
        ka, ma = kept[a], masks[a]
        for b in range(a + 1, len(lesions)):
            mb = masks[b]
            if ma | mb != full or mb == full:
                continue
            value = alone[a] + alone[b]
            if ma & mb:
                kb = kept[b]
                for f in ka.keys() & kb.keys():
                    qa, qb = ka[f], kb[f]
                    value += (
                        -math.log1p(-spare * qa * qb)
                        + math.log1p(-spare * qa)
                        + math.log1p(-spare * qb)
                    )
            pairs.append((value, lesions[a], lesions[b]))
    pairs.sort()
    added = 0
    for _, first, second in pairs:
        if added >= bound.top:
            break
        if irredundant(covers, (first, second)):
            bound.add((first, second))
            added += 1


def _partial(
    atlas: Atlas,
    weights: Weights,
    problem: Problem,
    component: Component,
    chosen: tuple[int, ...],
    lesion_w: Sequence[float],
) -> float:
    """A set's score within its component: its lesions' weights plus its findings' fit, plus
    what its prior costs beyond the lesions' least shares (a one-sided lesion of a site whose
    pair on both sides is cheap pays its full single cost)."""
    lesions = [problem.lesions[i] for i in chosen]
    total = sum(lesion_w[i] for i in chosen) + (
        prior_cost(atlas, lesions) - sum(lesion_cost(atlas, weights, x) for x in lesions)
    )
    for f in component.findings:
        finding = problem.abnormal[f]
        strengths = [problem.covers[i][f] for i in chosen if f in problem.covers[i]]
        total += abnormal_term(weights, evidence_class(atlas, finding), strengths)
    return total


def solve(
    query: Query,
    *,
    set_aside: Sequence[tuple[str, str]] = (),
    allow_certain_conflicts: Sequence[tuple[str, str]] = (),
    after: Enumeration | None = None,
) -> Enumeration:
    """Build the pruned problem (optionally relaxed) and enumerate its best irredundant sets.

    ``after``: an earlier, complete search of the same findings and lesion limit (with a
    smaller ``top``): its problem is reused and the sets it found are not searched for again;
    the answer is the same as without it."""
    carry = after.carry if after is not None else None
    if (
        carry is not None
        and not set_aside
        and not allow_certain_conflicts
        and carry.findings == query.findings
        and carry.max_lesions == query.max_lesions
    ):
        return enumerate_candidates(query, carry.problem, carry.found)
    problem = build_problem(
        query.atlas,
        query.findings,
        set_aside=set_aside,
        allow_certain_conflicts=allow_certain_conflicts,
    )
    return enumerate_candidates(query, problem)


def relaxed(query: Query) -> tuple[list[tuple[Lesion, ...]], bool, str]:
    """No candidate explains everything: set aside the fewest findings (MaxSAT), then solve."""
    atlas, weights, findings = query.atlas, query.weights, query.findings
    max_lesions = query.max_lesions
    normals = [f for f in findings if f.status == "normal"]
    loose = build_problem(atlas, findings, allow_certain_conflicts=[f.key for f in normals])
    certain_normals = {
        j: [
            i
            for i, sp in enumerate(loose.spared)
            if atlas.caps.excludes(f.kind, sp.get(j, Strength.NONE))
        ]
        for j, f in enumerate(loose.normal)
    }
    certain_normals = {j: ls for j, ls in certain_normals.items() if ls}
    from neuroloc.solve.z3_backend import fewest_set_aside  # MaxSAT: Z3 whatever the backend

    try:
        choices = fewest_set_aside(loose, certain_normals, max_lesions, query.deadline)
    except SolverTimeout:
        return [], False, "relaxed mode: the time limit passed before a relaxation was found"
    pool: dict[tuple[Lesion, ...], float] = {}
    complete = True
    described: list[str] = []
    for aside, overridden in choices:
        set_aside = [loose.abnormal[f].key for f in aside]
        waived = [loose.normal[j].key for j in overridden]
        found = solve(query, set_aside=set_aside, allow_certain_conflicts=waived)
        complete = complete and found.complete
        for lesions in found.sets:
            pool[lesions] = score(atlas, weights, lesions, findings)
        names = [f"{k[0]} ({k[1]})" for k in set_aside + waived]
        described.append(", ".join(names) if names else "nothing")
    ranked = sorted(pool.items(), key=lambda kv: rank_key(atlas, kv[1], kv[0]))
    n = len(choices[0][0]) + len(choices[0][1]) if choices else 0
    note = (
        f"relaxed mode: no set of at most {max_lesions} lesion(s) explains every abnormal finding "
        f"without contradicting a normal one; {n} finding(s) had to be set aside "
        f"(alternatives: {'; '.join(described) or 'none found'}). Recheck those findings."
    )
    return [lesions for lesions, _ in ranked[: query.top]], complete, note
