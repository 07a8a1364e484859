"""A plain-Python exact reference: the same top-K irredundant lesion sets, by bitmask search.

Kept in benchmarks/, not in the product: it measures how far the Z3 path is from what a
direct enumeration over bitmasks achieves on the same pruned problem. Findings are bits; each
candidate lesion has the mask of the abnormal findings it covers and the mask of those it
covers strongly (likely or certain). A covering set is kept when every lesion is necessary: it
covers a finding no other lesion of the set covers, or covers strongly one the others cover
only weakly. Sets are tried by size; a size is skipped once the sum of its smallest lesion
weights (the same exact lower bound the engine uses) exceeds the K-th best score found.
``findings`` are observations (:func:`neuroloc.findings.observations`), as the engine solves
them; sets are ordered as the engine orders them (:func:`neuroloc.solve.search.rank_key`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from neuroloc.anatomy import Atlas
from neuroloc.findings import Finding
from neuroloc.ranking import Weights, lesion_weight, one_sided_exam, score
from neuroloc.solve.problem import STRONG, Lesion, build_problem
from neuroloc.solve.search import rank_key


def reference_top(
    atlas: Atlas,
    weights: Weights,
    findings: Sequence[Finding],
    top: int,
    max_lesions: int,
) -> list[tuple[float, tuple[Lesion, ...]]]:
    problem = build_problem(atlas, findings)
    if problem.uncovered or not problem.abnormal:
        return []
    full = (1 << len(problem.abnormal)) - 1
    masks = [sum(1 << f for f in cover) for cover in problem.covers]
    strong = [sum(1 << f for f, s in cover.items() if s >= STRONG) for cover in problem.covers]
    one_sided = one_sided_exam(findings)
    lesion_w = [
        lesion_weight(atlas, weights, x, problem.normal, one_sided=one_sided)
        for x in problem.lesions
    ]
    floor = sorted(lesion_w)
    found: list[tuple[float, tuple[Lesion, ...]]] = []
    for size in range(1, max_lesions + 1):
        if len(found) >= top and sum(floor[:size]) > found[top - 1][0]:
            break
        for combo in itertools.combinations(range(len(masks)), size):
            union = 0
            for i in combo:
                union |= masks[i]
            if union != full:
                continue
            minimal = True
            for drop in combo:
                rest = rest_strong = 0
                for i in combo:
                    if i != drop:
                        rest |= masks[i]
                        rest_strong |= strong[i]
                if not (masks[drop] & ~rest) and not (strong[drop] & ~rest_strong):
                    minimal = False
                    break
            if minimal:
                lesions = tuple(sorted(problem.lesions[i] for i in combo))
                found.append((score(atlas, weights, lesions, findings), lesions))
        found.sort(key=lambda c: rank_key(atlas, c[0], c[1]))
    return found[:top]
