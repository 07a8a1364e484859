"""Localization, end to end: case -> problem -> minimal lesion sets -> ranked candidates.

The one public entry point is :func:`localize`. Its steps are small functions so that tests,
the CSP backend and the benchmarks can reuse them: :func:`enumerate_candidates` returns the
exact top-K minimal lesion sets for a problem with any backend.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from neuroloc import clinical as clinical_context
from neuroloc.anatomy import Atlas, NeurolocError, Strength, load_atlas
from neuroloc.findings import Case, Finding, load_case_file, parse_case, parse_expression
from neuroloc.nexttests import next_tests
from neuroloc.ranking import Weights, load_weights, score
from neuroloc.result import (
    Candidate,
    FindingResult,
    LesionResult,
    Link,
    Localization,
    Unexplained,
)
from neuroloc.solve.problem import Lesion, reach
from neuroloc.solve.search import get_backend, relaxed, solve

DEFAULT_TOP = 5
DEFAULT_MAX_LESIONS = 3
DEFAULT_TIMEOUT = 5.0


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
        found = solve(atlas, weights, findings, backend, top, max_lesions, deadline)
        timed_out = not found.complete
        sets = list(found.sets)
        if not sets and not timed_out:
            mode = "relaxed"
            sets, relaxed_complete, note = relaxed(
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
