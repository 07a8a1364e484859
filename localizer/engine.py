"""Localization, end to end: case -> problem -> minimal lesion sets -> ranked candidates.

Every step takes the atlas and the weights it works with; none loads a table. The public entry
point is :class:`neuroloc.Localizer` (and ``neuroloc.localize``, its default instance's
method), which calls :func:`localize_case` and, for a teaching explanation,
:func:`explain_result`.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from neuroloc import clinical as clinical_context
from neuroloc import teaching
from neuroloc.anatomy import Atlas, NeurolocError, Strength
from neuroloc.anatomy.model import CERVICAL_ROOTS, ROOT_NAMES
from neuroloc.edx import edx_reasoning
from neuroloc.findings import (
    Case,
    Finding,
    load_case_file,
    observations,
    parse_case,
    parse_expression,
)
from neuroloc.fit import assess_fit
from neuroloc.kinds import finding_kind
from neuroloc.labels import finding_label
from neuroloc.nexttests import POOL, next_tests, that_matter
from neuroloc.options import LIMITS
from neuroloc.ranking import Weights, score
from neuroloc.result import (
    Candidate,
    FindingResult,
    LesionResult,
    Link,
    Localization,
    Options,
    Unexplained,
    WhatIf,
)
from neuroloc.solve.problem import Lesion, reach
from neuroloc.solve.search import Query, relaxed, solve
from neuroloc.teaching import Teaching


def as_case(
    atlas: Atlas,
    case: Case | Mapping[str, Any] | str | Path | None,
    *,
    side: str | None = None,
    expressions: Sequence[str] = (),
    stdin_text: str | None = None,
    strict: bool = False,
) -> Case:
    """Anything a caller may pass as a case -> a checked :class:`Case`.

    A GA4GH Phenopacket (JSON) is read through its HPO terms; features that map to nothing
    are named in a warning, or are bad input when ``strict``.
    """
    if isinstance(case, Case) and not expressions:
        return case
    extra = [parse_expression(atlas, text, i) for i, text in enumerate(expressions)]
    if case is None:
        return parse_case(atlas, {}, label="-f", default_side=side, extra_findings=extra)  # type: ignore[arg-type]
    label = "case"
    if isinstance(case, str | Path):
        data, label = load_case_file(case, stdin_text)
    elif isinstance(case, Mapping):
        data = case
    else:
        raise NeurolocError(
            f"a case must be a path, a mapping or a Case, not {type(case).__name__}"
        )
    data, notes = _from_phenopacket(atlas, data, label, strict, side)
    parsed = parse_case(atlas, data, label=label, default_side=side, extra_findings=extra)  # type: ignore[arg-type]
    return replace(parsed, warnings=(*parsed.warnings, *notes)) if notes else parsed


def _from_phenopacket(
    atlas: Atlas, data: Any, label: str, strict: bool, side: str | None = None
) -> tuple[Any, list[str]]:
    packet_keys = {"phenotypicFeatures", "metaData", "measurements", "proband", "members"}
    if not isinstance(data, Mapping) or "findings" in data or not packet_keys & set(data):
        return data, []
    from neuroloc.phenopacket import is_phenopacket, read_phenopacket

    if not is_phenopacket(data):
        return data, []
    reading = read_phenopacket(atlas, data, side=side)
    if reading.unmapped and strict:
        raise NeurolocError(
            f"{label}: phenopacket features neuroloc cannot map: {', '.join(reading.unmapped)}"
        )
    notes = [
        f"phenopacket feature not used (no neuroloc finding): {name}" for name in reading.unmapped
    ]
    return reading.case, [*reading.warnings, *notes]


def check_options(top: Any, max_lesions: Any, timeout: Any, solver: Any, expressions: Any) -> None:
    """The library's limits, the command line's too (:data:`neuroloc.options.LIMITS`), with
    one-line reasons."""
    LIMITS["top"].check(top)
    LIMITS["max_lesions"].check(max_lesions)
    LIMITS["timeout"].check(timeout)
    if not isinstance(solver, str):
        raise NeurolocError(f"solver must be a name (z3 or csp), not {solver!r}")
    if isinstance(expressions, str) or not all(isinstance(e, str) for e in expressions):
        raise NeurolocError(
            "expressions must be a list of finding expressions like ['TA=2'], not a bare string"
        )


def localize_case(
    atlas: Atlas,
    weights: Weights,
    backend: Any,
    parsed: Case,
    options: Options,
    deadline: float | None = None,
) -> Localization:
    """The localization of a parsed case with ``atlas`` and ``weights``; the search ends by
    ``deadline`` (a :func:`time.monotonic` time; ``options.timeout`` from now by default)."""
    clinical_input = clinical_context.parse_clinical(parsed.clinical)
    if deadline is None:
        deadline = time.monotonic() + options.timeout
    top, max_lesions = options.top, options.max_lesions
    findings = observations(atlas, parsed.findings)
    warnings = list(parsed.warnings)
    mode = "strict"
    candidates: list[Candidate] = []
    best_lesions: tuple[Lesion, ...] = ()
    timed_out = False
    if any(f.status == "abnormal" for f in findings):
        # Mirror images and needless both-sided variants are dropped below, so look a little
        # further than the top; if dropping them left the list short, look further again.
        fetch = max(top, POOL) + 3  # the next tests weigh at least POOL + 3, whatever --top
        found = None
        while True:
            query = Query(atlas, weights, tuple(findings), backend, fetch, max_lesions, deadline)
            found = solve(query, after=found)  # a wider search starts from what was found
            timed_out = not found.complete
            sets = list(found.sets)
            known = dict(zip(found.sets, found.scores, strict=False))
            if not sets and not timed_out:
                mode = "relaxed"
                sets, relaxed_complete, note = relaxed(query)
                timed_out = not relaxed_complete
                warnings.append(note)
            kept, mirrored = _shown(atlas, weights, sets, findings, known)
            if len(kept) >= top or len(sets) < fetch or timed_out:
                break
            fetch *= 2
        posterior = posteriors(
            {s: known[s] if s in known else score(atlas, weights, s, findings) for s in sets}
        )
        ranked = [  # the shown candidates and the few after them, for the next tests
            replace(
                _candidate(atlas, weights, rank, lesions, findings, known.get(lesions)),
                mirror_image=lesions in mirrored,
                probability=posterior[lesions],
            )
            for rank, lesions in enumerate(kept[: max(top, POOL) + 3], start=1)
        ]
        best_lesions = kept[0] if kept else ()
        candidates = ranked[:top]
        warnings.extend(
            clinical_context.site_warnings([(c.rank, c.score, c.site_ids) for c in candidates])
        )
        warnings.extend(_site_notes(atlas, candidates[0]) if candidates else [])
        if timed_out:
            found_words = (
                "the candidates are the best found so far, not necessarily the best overall"
                if candidates
                else "no candidate was found: this is NOT a normal examination"
            )
            warnings.append(
                f"the search was cut short by the {options.timeout:g} s time limit; {found_words}"
            )
    fit = (
        assess_fit(atlas, weights, best_lesions, findings, dict(weights.fit))
        if candidates and best_lesions
        else None
    )
    tests = next_tests(atlas, weights, that_matter(ranked if candidates else []), parsed.findings)
    searched = not (timed_out and not candidates)

    def label(finding_id: str) -> str:
        return finding_label(atlas, finding_id)

    context = clinical_context.assess(
        clinical_input,
        abnormal_targets={f.target for f in parsed.findings if f.status == "abnormal"},
        top_lesion_levels=(
            {lesion.level for lesion in candidates[0].lesions} if candidates else set()
        )
        if searched
        else None,
        candidate_sites=set(candidates[0].site_ids) if candidates else set(),
    )
    return Localization(
        title=parsed.title,
        findings=tuple(
            FindingResult(f.id, f.side, f.status, f.grade, f.input, f.target, label(f.id))
            for f in parsed.findings
        ),
        candidates=tuple(candidates),
        case=parsed,
        options=options,
        next_tests=tuple(tests),
        edx=tuple(
            edx_reasoning(
                atlas,
                [f for f in parsed.findings if f.status != "umn"],
                days=clinical_input.pain.duration_days if clinical_input.pain else None,
                competitors={site for c in candidates for site in c.site_ids},
            )
        ),
        red_flags=context.red_flags,
        pain_timing=context.pain_timing,
        causes=context.causes,
        warnings=tuple(warnings),
        mode=mode,
        timed_out=timed_out,
        solver=backend.name,
        fit=fit,
        atlas=atlas,
    )


def explain_result(
    atlas: Atlas,
    weights: Weights,
    backend: Any,
    result: Localization,
    *,
    tests: int,
    deadline: float,
) -> Localization:
    """A localization, explained for teaching: the reasoning of the page (what each abnormal
    finding implicates, the narrowing, the discriminators), what each of the first ``tests``
    next tests would change (each possible result added to the case and the localization run
    again), and the page itself. Every re-run shares the query's ``deadline``: what the time
    left could not try is said in a warning, never guessed."""
    findings = result.case.findings
    warnings: list[str] = []
    what_if: list[WhatIf] = []
    focal = None
    if result.best is not None:
        best = _words(result.best)
        tries = [
            (test, status, grade)
            for test in result.next_tests[:tests]
            for status, grade in (
                ("abnormal", _abnormal_grade(_kind_of(test.test))),
                ("normal", _normal_grade(_kind_of(test.test))),
            )
        ]
        for done, (test, status, grade) in enumerate(tries):
            kind = _kind_of(test.test)
            extra = Finding(
                test.test,
                kind,
                _target_of(atlas, test.test),
                test.side,  # type: ignore[arg-type]
                status,  # type: ignore[arg-type]
                grade,
                test.label,
                len(findings),
            )
            case_plus = replace(result.case, findings=(*findings, extra))
            rerun = localize_case(atlas, weights, backend, case_plus, result.options, deadline)
            if rerun.timed_out:
                warnings.append(
                    f"explain: the {result.options.timeout:g} s time limit ended the what-if "
                    f"re-runs after {done} of {len(tries)} possible test results"
                )
                break
            if rerun.best is None:
                continue
            now = _words(rerun.best)
            what_if.append(WhatIf(test.test, test.side, test.label, grade, now, now == best))
        focal = _focal_alternative(atlas, weights, backend, result, deadline, warnings)
    explained = replace(
        result,
        what_if=tuple(what_if),
        warnings=(*result.warnings, *warnings),
        teaching=Teaching(
            teaching.implicated(atlas, findings),
            teaching.narrowing(atlas, findings),
            teaching.comparisons(atlas, result.candidates, findings),
            focal,
        ),
    )
    return replace(explained, page=teaching.page(atlas, explained))


FOCAL_SEARCH = 30  # candidates looked through for the best answer by focal lesions alone


def _focal_alternative(
    atlas: Atlas,
    weights: Weights,
    backend: Any,
    result: Localization,
    deadline: float,
    warnings: list[str],
) -> teaching.Comparison | None:
    """When a pattern beyond one focal lesion leads: the best set of focal lesions, and why it
    lost (two sciatic lesions cost two lesions and still predict weak hamstrings...)."""
    if result.best is None or teaching.is_focal(result.best):
        return None
    wider = replace(result.options, top=FOCAL_SEARCH)
    found = localize_case(atlas, weights, backend, result.case, wider, deadline)
    if found.timed_out:
        warnings.append(
            f"explain: the {result.options.timeout:g} s time limit ended the search for the "
            "best answer by focal lesions alone"
        )
        return None
    focal = next((c for c in found.candidates if teaching.is_focal(c)), None)
    if focal is None:
        return None
    return teaching.compare(atlas, result.best, focal, result.case.findings, rank=0, untested=True)


_words = teaching.words


def _kind_of(test: str) -> str:
    return test.partition(":")[0]


def _normal_grade(kind: str) -> str:
    """The grade a what-if adds for a normal result (kinds.yaml ``normal``)."""
    return "normal" if kind == "muscle" else finding_kind(kind).normal


def _abnormal_grade(kind: str) -> str:
    """The grade a what-if adds for an abnormal result: MRC 3 for a muscle, else the kind's
    word (kinds.yaml ``abnormal``: denervation, block, reduced, positive, retention ...)."""
    return "3" if kind == "muscle" else finding_kind(kind).abnormal


def _target_of(atlas: Atlas, finding_id: str) -> str:
    from neuroloc.labels import finding_target

    return finding_target(atlas, finding_id)


def _candidate(
    atlas: Atlas,
    weights: Weights,
    rank: int,
    lesions: Sequence[Lesion],
    findings: Sequence[Finding],
    known_score: float | None = None,
) -> Candidate:
    explains: list[Link] = []
    unexplained: list[Unexplained] = []
    conflicts: list[Link] = []
    for f in findings:
        reached = [(reach(atlas, lesion, f), lesion) for lesion in lesions]
        reached = [(s, lesion) for s, lesion in reached if s > Strength.NONE]
        if f.status == "abnormal":
            if not reached:
                unexplained.append(Unexplained(f.id, f.side, finding_label(atlas, f.id)))
                continue
            strength, lesion = max(reached, key=lambda sl: (sl[0], -lesions.index(sl[1])))
            label = finding_label(atlas, f.id)
            explains.append(Link(f.id, f.side, lesion.site, strength.label, lesion.side, label))
        else:
            for strength, lesion in reached:
                label = finding_label(atlas, f.id)
                conflicts.append(
                    Link(f.id, f.side, lesion.site, strength.label, lesion.side, label)
                )
    return Candidate(
        rank=rank,
        lesions=tuple(_lesion_result(atlas, lesion) for lesion in lesions),
        score=score(atlas, weights, lesions, findings) if known_score is None else known_score,
        explains=tuple(explains),
        unexplained=tuple(unexplained),
        conflicts=tuple(conflicts),
        pattern=lesion_pattern(atlas, lesions),
        pattern_note=_pattern_note(atlas, lesions),
    )


def posteriors(scores: Mapping[tuple[Lesion, ...], float]) -> dict[tuple[Lesion, ...], float]:
    """Scores are -ln(prior x likelihood): the posterior of each set, normalised over the sets
    given (every set the search enumerated), rounded to four places.

    >>> a, b = (Lesion("root:L5", "left"),), (Lesion("root:S1", "left"),)
    >>> posteriors({a: 1.0, b: 1.0 + math.log(3)})[a]
    0.75
    """
    if not scores:
        return {}
    low = min(scores.values())
    odds = {s: math.exp(low - value) for s, value in scores.items()}
    total = sum(odds.values())
    return {s: round(o / total, 4) for s, o in odds.items()}


def _pattern_note(atlas: Atlas, lesions: Sequence[Lesion]) -> str:
    """Multiple mononeuropathies that are asymmetric and in different limbs read as the
    mononeuritis multiplex pattern (vasculitis, diabetes): worth naming to a clinician."""
    if lesion_pattern(atlas, lesions) != "multiple mononeuropathies":
        return ""
    limbs = {(_site_limb(atlas, x.site), x.side) for x in lesions}
    symmetric = tuple(sorted(lesions)) == _mirror(lesions)
    return "mononeuritis multiplex pattern" if len(limbs) > 1 and not symmetric else ""


def _site_limb(atlas: Atlas, site: str) -> str:
    nerve = atlas.nerves.get(atlas.sites[site].structure)
    roots = set(nerve.roots) if nerve else set()
    return "upper" if roots and roots <= set(CERVICAL_ROOTS) else "lower"


def _shown(
    atlas: Atlas,
    weights: Weights,
    sets: Sequence[tuple[Lesion, ...]],
    findings: Sequence[Finding],
    known: Mapping[tuple[Lesion, ...], float],
) -> tuple[list[tuple[Lesion, ...]], set[tuple[Lesion, ...]]]:
    """The sets worth showing, best first, and those whose mirror image was dropped
    (``known``: the scores the enumeration already worked out)."""
    sets = [s for s in sets if not _split_where_one_would_do(atlas, s)]
    scored = [
        (known[lesions] if lesions in known else score(atlas, weights, lesions, findings), lesions)
        for lesions in sets
    ]
    return _without_mirror_images(_without_needless_both(atlas, scored))


def _split_where_one_would_do(atlas: Atlas, lesions: Sequence[Lesion]) -> bool:
    """A site held on the left and on the right although one lesion of both sides exists for it
    (the central hypothesis): the pair says nothing the single lesion does not."""
    held = {(x.site, x.side) for x in lesions}
    return any(
        "both" in atlas.sites[site].sides and (site, "right") in held
        for site, side in held
        if side == "left"
    )


def _site_notes(atlas: Atlas, best: Candidate) -> list[str]:
    """The notes the data attaches to a leading site (patterns.yaml ``note``), and the one it
    attaches to the site leading together with a root, plexus or nerve lesion."""
    levels = {x.level for x in best.lesions}
    peripheral = bool(levels & {"root", "plexus", "nerve", "cauda-equina"})
    out: list[str] = []
    for lesion in best.lesions:
        alone, with_peripheral = atlas.sites[lesion.id].notes
        for text in (alone, with_peripheral if peripheral else ""):
            if text and text not in out:
                out.append(text)
    return out


def _without_needless_both(
    atlas: Atlas, scored: Sequence[tuple[float, tuple[Lesion, ...]]]
) -> list[tuple[float, tuple[Lesion, ...]]]:
    """Drop a set holding a lesion of both sides where the same set with that lesion on one
    side scores the same: nothing on the other side asks for it (the one-sided set is kept)."""
    scores = {tuple(sorted(lesions)): value for value, lesions in scored}
    out = []
    for value, lesions in scored:
        needless = False
        for i, x in enumerate(lesions):
            if x.side != "both" or len(atlas.sites[x.site].sides) == 1:
                continue
            for side in ("left", "right"):
                one = tuple(sorted((*lesions[:i], Lesion(x.site, side), *lesions[i + 1 :])))
                if scores.get(one) == value:
                    needless = True
        if not needless:
            out.append((value, lesions))
    return out


def _mirror(lesions: Sequence[Lesion]) -> tuple[Lesion, ...]:
    swap = {"left": "right", "right": "left", "both": "both"}
    return tuple(sorted(Lesion(x.site, swap[x.side]) for x in lesions))


def _without_mirror_images(
    scored: Sequence[tuple[float, tuple[Lesion, ...]]],
) -> tuple[list[tuple[Lesion, ...]], set[tuple[Lesion, ...]]]:
    """Drop a set whose mirror image (left and right swapped) is already listed with the same
    score: in a symmetric examination the two are one answer, not two. Returns the sets kept
    and those of them whose mirror image was dropped."""
    kept: list[tuple[Lesion, ...]] = []
    scores: dict[tuple[Lesion, ...], float] = {}
    mirrored: set[tuple[Lesion, ...]] = set()
    for value, lesions in scored:
        twin = _mirror(lesions)
        if twin != tuple(sorted(lesions)) and twin in scores and scores[twin] == value:
            mirrored.add(next(k for k in kept if tuple(sorted(k)) == twin))
            continue
        kept.append(lesions)
        scores[tuple(sorted(lesions))] = value
    return kept, mirrored


def lesion_pattern(atlas: Atlas, lesions: Sequence[Lesion]) -> str | None:
    """What kind of set a candidate is (CONTRACT §4c), read off the sites' levels and roots.

    >>> from neuroloc import Localizer
    >>> atlas = Localizer().atlas
    >>> lesion_pattern(atlas, [Lesion("root:L4", "left"), Lesion("root:L5", "left")])
    'multilevel radiculopathy'
    """
    if len(lesions) < 2:
        return None
    sites = [atlas.sites[x.site] for x in lesions]
    if len({s.id for s in sites}) == 1:
        return "bilateral"
    levels = {s.level for s in sites}
    if levels == {"root"}:
        order = sorted(
            ROOT_NAMES.index(atlas.roots[s.id].name) for s in {s.id: s for s in sites}.values()
        )
        contiguous = all(b - a == 1 for a, b in itertools.pairwise(order))
        one_side = len({x.side for x in lesions}) == 1
        return "multilevel radiculopathy" if contiguous and one_side else "polyradiculopathy"
    if levels == {"nerve"} and len({s.structure for s in sites}) > 1:
        return "multiple mononeuropathies"
    return "mixed"


def _lesion_result(atlas: Atlas, lesion: Lesion) -> LesionResult:
    site = atlas.sites[lesion.site]
    return LesionResult(
        public_id=site.public_id,
        stage=site.stage,
        id=site.id,
        side=lesion.side,
        level=site.level,
        label=site.label,
        syndrome=site.syndrome,
        eponyms=site.eponyms,
        category=site.category,
        causes=tuple(cause.label for cause in site.causes),
    )
