"""Localization, end to end: case -> problem -> minimal lesion sets -> ranked candidates.

The one public entry point is :func:`localize`. Its steps are small functions so that tests,
the CSP backend and the benchmarks can reuse them: :func:`enumerate_candidates` returns the
exact top-K minimal lesion sets for a problem with any backend.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from neuroloc import clinical as clinical_context
from neuroloc.anatomy import Atlas, NeurolocError, Strength, load_atlas
from neuroloc.findings import Case, Finding, load_case_file, parse_case, parse_expression
from neuroloc.nexttests import next_tests
from neuroloc.problem import Component, Lesion, Problem, build_problem, evidence_class, reach
from neuroloc.ranking import Weights, abnormal_term, lesion_weight, load_weights, score
from neuroloc.result import (
    Candidate,
    FindingResult,
    LesionResult,
    Link,
    Localization,
    Unexplained,
)
from neuroloc.solver_z3 import SolverTimeout, fewest_set_aside

DEFAULT_TOP = 5
DEFAULT_MAX_LESIONS = 3
DEFAULT_TIMEOUT = 5.0
SOLVERS = ("z3", "csp")


class Backend(Protocol):
    name: str

    def minimal_sets(
        self, problem: Problem, component: Component, max_size: int, deadline: float
    ) -> Iterable[tuple[int, list[tuple[int, ...]]]]: ...


def get_backend(name: str) -> Backend:
    if name == "z3":
        from neuroloc.solver_z3 import Z3Backend

        return Z3Backend()
    if name == "csp":
        from neuroloc.solver_csp import CSPBackend

        return CSPBackend()
    raise NeurolocError(f"unknown solver {name!r}; choose one of {', '.join(SOLVERS)}")


@dataclass(frozen=True)
class Enumeration:
    sets: tuple[tuple[Lesion, ...], ...]  # best first
    complete: bool  # False when the deadline cut the search short


def enumerate_candidates(
    atlas: Atlas,
    problem: Problem,
    findings: Sequence[Finding],
    *,
    backend: Backend,
    top: int,
    max_lesions: int,
    deadline: float,
    weights: Weights | None = None,
) -> Enumeration:
    """The exact ``top`` best minimal lesion sets of at most ``max_lesions`` lesions.

    Each component is enumerated smallest sets first; it stops as soon as no larger set can
    beat the ``top``-th best found (the sum of the smallest lesion weights is a lower bound of
    any set's score). Components are then combined; scores add across components.
    """
    weights = weights or load_weights()
    if problem.uncovered or not problem.components:
        return Enumeration((), True)
    n_comp = len(problem.components)
    budget = max_lesions - (n_comp - 1)
    if budget < 1:
        return Enumeration((), True)
    complete = True
    per_component: list[list[tuple[float, tuple[int, ...]]]] = []
    lesion_w = [lesion_weight(atlas, weights, les, problem.normal) for les in problem.lesions]
    for component in problem.components:
        ranked: list[tuple[float, tuple[int, ...]]] = []
        floor = sorted(lesion_w[i] for i in component.lesions)
        try:
            for size, sets in backend.minimal_sets(problem, component, budget, deadline):
                for chosen in sets:
                    partial = _partial(atlas, weights, problem, component, chosen, lesion_w)
                    ranked.append((partial, chosen))
                ranked.sort()
                bounded = len(ranked) >= top and size < min(budget, len(floor))
                if bounded and sum(floor[: size + 1]) > ranked[top - 1][0]:
                    break
        except SolverTimeout:
            complete = False
        if not ranked:
            return Enumeration((), complete)
        per_component.append(ranked[:top])
    combos: list[tuple[float, tuple[Lesion, ...]]] = []
    for parts in itertools.product(*per_component):
        chosen = [i for _, s in parts for i in s]
        if len(chosen) > max_lesions:
            continue
        lesions = tuple(sorted(problem.lesions[i] for i in chosen))
        combos.append((score(atlas, weights, lesions, findings), lesions))
    combos.sort(key=lambda c: (c[0], len(c[1]), [lesion.key for lesion in c[1]]))
    return Enumeration(tuple(lesions for _, lesions in combos[:top]), complete)


def _partial(
    atlas: Atlas,
    weights: Weights,
    problem: Problem,
    component: Component,
    chosen: tuple[int, ...],
    lesion_w: Sequence[float],
) -> float:
    """A set's score within its component: its lesions' weights plus its findings' fit."""
    total = sum(lesion_w[i] for i in chosen)
    for f in component.findings:
        finding = problem.abnormal[f]
        strengths = [problem.covers[i][f] for i in chosen if f in problem.covers[i]]
        total += abnormal_term(weights, evidence_class(atlas, finding), strengths)
    return total


def as_case(
    atlas: Atlas,
    case: Case | Mapping[str, Any] | str | Path | None,
    *,
    side: str | None = None,
    expressions: Sequence[str] = (),
    stdin_text: str | None = None,
) -> Case:
    """Anything a caller may pass as a case -> a checked :class:`Case`."""
    if isinstance(case, Case) and not expressions:
        return case
    extra = [parse_expression(atlas, text, i) for i, text in enumerate(expressions)]
    if case is None:
        return parse_case(atlas, {}, label="-f", default_side=side, extra_findings=extra)  # type: ignore[arg-type]
    if isinstance(case, str | Path):
        data, label = load_case_file(case, stdin_text)
        return parse_case(atlas, data, label=label, default_side=side, extra_findings=extra)  # type: ignore[arg-type]
    if isinstance(case, Mapping):
        return parse_case(atlas, case, default_side=side, extra_findings=extra)  # type: ignore[arg-type]
    raise NeurolocError(f"a case must be a path, a mapping or a Case, not {type(case).__name__}")


def localize(
    case: Case | Mapping[str, Any] | str | Path | None,
    *,
    top: int = DEFAULT_TOP,
    max_lesions: int = DEFAULT_MAX_LESIONS,
    side: str | None = None,
    solver: str = "z3",
    timeout: float = DEFAULT_TIMEOUT,
    expressions: Sequence[str] = (),
    stdin_text: str | None = None,
) -> Localization:
    """Localize a case: the ranked minimal lesion sets, next tests and clinical context.

    ``case`` is a path to a YAML/JSON case file, a mapping in the case-file structure, or a
    parsed :class:`Case`; ``expressions`` adds inline ``[KIND:]NAME=GRADE[@SIDE]`` findings.
    """
    if top < 1 or max_lesions < 1:
        raise NeurolocError("--top and --max-lesions must be at least 1")
    if not timeout > 0:
        raise NeurolocError("--timeout must be a positive number of seconds")
    atlas = load_atlas()
    weights = load_weights()
    backend = get_backend(solver)
    parsed = as_case(atlas, case, side=side, expressions=expressions, stdin_text=stdin_text)
    clinical_input = clinical_context.parse_clinical(parsed.clinical)
    deadline = time.monotonic() + timeout
    findings = [f for f in parsed.findings if f.status != "umn"]
    warnings = list(parsed.warnings)
    mode = "strict"
    candidates: list[Candidate] = []
    timed_out = False
    if any(f.status == "abnormal" for f in findings):
        found = _solve(atlas, weights, findings, backend, top, max_lesions, deadline)
        timed_out = not found.complete
        sets = list(found.sets)
        if not sets and not timed_out:
            mode = "relaxed"
            sets, relaxed_complete, note = _relaxed(
                atlas, weights, findings, backend, top, max_lesions, deadline
            )
            timed_out = not relaxed_complete
            warnings.append(note)
        candidates = [
            _candidate(atlas, weights, rank, lesions, findings)
            for rank, lesions in enumerate(sets, start=1)
        ]
        warnings.extend(_cauda_equina_warning(candidates))
        if timed_out:
            warnings.append(
                f"the search was cut short by the {timeout:g} s time limit; the candidates are "
                "the best found so far, not necessarily the best overall"
            )
    tests = next_tests(atlas, weights, candidates, parsed.findings)
    context = clinical_context.assess(
        clinical_input,
        abnormal_targets={f.target for f in findings if f.status == "abnormal"},
        top_lesion_levels={lesion.level for lesion in candidates[0].lesions}
        if candidates
        else set(),
        candidate_sites=_flag_sites(candidates),
    )
    return Localization(
        title=parsed.title,
        findings=tuple(
            FindingResult(f.id, f.side, f.status, f.grade, f.input, f.target)
            for f in parsed.findings
        ),
        candidates=tuple(candidates),
        next_tests=tuple(tests),
        red_flags=context.red_flags,
        pain_timing=context.pain_timing,
        causes=context.causes,
        warnings=tuple(warnings),
        mode=mode,
        timed_out=timed_out,
        solver=backend.name,
        extras={"case": parsed, "options": {"top": top, "max_lesions": max_lesions}},
    )


def _flag_sites(candidates: Sequence[Candidate]) -> set[str]:
    """The sites whose presence raises site-triggered red flags: those of the best candidate.

    A cauda equina lower in the list is not ignored: :func:`_cauda_equina_warning` says so.
    """
    return set(candidates[0].site_ids) if candidates else set()


def _cauda_equina_warning(candidates: Sequence[Candidate]) -> list[str]:
    ranks = [c.rank for c in candidates[1:] if "cauda-equina" in c.site_ids]
    if not ranks:
        return []
    return [
        f"the cauda equina is not excluded (candidate #{ranks[0]}): examine saddle sensation, "
        "the anal reflex and sphincter, and ask about bladder and bowel function"
    ]


def _solve(
    atlas: Atlas,
    weights: Weights,
    findings: Sequence[Finding],
    backend: Backend,
    top: int,
    max_lesions: int,
    deadline: float,
    *,
    set_aside: Sequence[tuple[str, str]] = (),
    allow_certain_conflicts: Sequence[tuple[str, str]] = (),
) -> Enumeration:
    """Build the pruned problem (optionally relaxed) and enumerate its best minimal sets."""
    problem = build_problem(
        atlas, findings, set_aside=set_aside, allow_certain_conflicts=allow_certain_conflicts
    )
    return enumerate_candidates(
        atlas,
        problem,
        findings,
        backend=backend,
        top=top,
        max_lesions=max_lesions,
        deadline=deadline,
        weights=weights,
    )


def _relaxed(
    atlas: Atlas,
    weights: Weights,
    findings: Sequence[Finding],
    backend: Backend,
    top: int,
    max_lesions: int,
    deadline: float,
) -> tuple[list[tuple[Lesion, ...]], bool, str]:
    """No candidate explains everything: set aside the fewest findings (MaxSAT), then solve."""
    normals = [f for f in findings if f.status == "normal"]
    loose = build_problem(atlas, findings, allow_certain_conflicts=[f.key for f in normals])
    certain_normals = {
        j: [i for i, sp in enumerate(loose.spared) if sp.get(j) == Strength.CERTAIN]
        for j in range(len(loose.normal))
    }
    certain_normals = {j: ls for j, ls in certain_normals.items() if ls}
    try:
        choices = fewest_set_aside(loose, certain_normals, max_lesions, deadline)
    except SolverTimeout:
        return [], False, "relaxed mode: the time limit passed before a relaxation was found"
    pool: dict[tuple[Lesion, ...], float] = {}
    complete = True
    described: list[str] = []
    for aside, overridden in choices:
        set_aside = [loose.abnormal[f].key for f in aside]
        waived = [loose.normal[j].key for j in overridden]
        found = _solve(
            atlas,
            weights,
            findings,
            backend,
            top,
            max_lesions,
            deadline,
            set_aside=set_aside,
            allow_certain_conflicts=waived,
        )
        complete = complete and found.complete
        for lesions in found.sets:
            pool[lesions] = score(atlas, weights, lesions, findings)
        names = [f"{k[0]} ({k[1]})" for k in set_aside + waived]
        described.append(", ".join(names) if names else "nothing")
    ranked = sorted(pool.items(), key=lambda kv: (kv[1], len(kv[0]), [x.key for x in kv[0]]))
    n = len(choices[0][0]) + len(choices[0][1]) if choices else 0
    note = (
        f"relaxed mode: no set of at most {max_lesions} lesion(s) explains every abnormal finding "
        f"without contradicting a normal one; {n} finding(s) had to be set aside "
        f"(alternatives: {'; '.join(described) or 'none found'}). Recheck those findings."
    )
    return [lesions for lesions, _ in ranked[:top]], complete, note


def _candidate(
    atlas: Atlas,
    weights: Weights,
    rank: int,
    lesions: Sequence[Lesion],
    findings: Sequence[Finding],
) -> Candidate:
    explains: list[Link] = []
    unexplained: list[Unexplained] = []
    conflicts: list[Link] = []
    for f in findings:
        reached = [(reach(atlas, lesion, f), lesion) for lesion in lesions]
        reached = [(s, lesion) for s, lesion in reached if s > Strength.NONE]
        if f.status == "abnormal":
            if not reached:
                unexplained.append(Unexplained(f.id, f.side))
                continue
            strength, lesion = max(reached, key=lambda sl: (sl[0], -lesions.index(sl[1])))
            explains.append(Link(f.id, f.side, lesion.site, strength.label, lesion.side))
        else:
            for strength, lesion in reached:
                conflicts.append(Link(f.id, f.side, lesion.site, strength.label, lesion.side))
    return Candidate(
        rank=rank,
        lesions=tuple(_lesion_result(atlas, lesion) for lesion in lesions),
        score=score(atlas, weights, lesions, findings),
        explains=tuple(explains),
        unexplained=tuple(unexplained),
        conflicts=tuple(conflicts),
    )


def _lesion_result(atlas: Atlas, lesion: Lesion) -> LesionResult:
    site = atlas.sites[lesion.site]
    return LesionResult(
        id=site.id,
        side=lesion.side,
        level=site.level,
        label=site.label,
        syndrome=site.syndrome,
        eponyms=site.eponyms,
        category=site.category,
        causes=tuple(cause.label for cause in site.causes),
    )
