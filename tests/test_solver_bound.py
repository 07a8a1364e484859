"""The threshold the Z3 search starts from and how often it is re-asserted.

* The seed records the covering single lesions and the ``top`` best covering irredundant pairs
  by exact partial score (its cheap estimate orders them as the exact score does).
* The bound is re-asserted every :data:`~neuroloc.solve.z3_backend.TIGHTEN_EVERY` sets, not
  after each, and the top sets stay the same whatever the interval.
"""

from __future__ import annotations

import time

import pytest
from cases import Recording

from neuroloc.anatomy import load_atlas
from neuroloc.engine import as_case
from neuroloc.examples import list_examples
from neuroloc.findings import observations
from neuroloc.ranking import load_weights
from neuroloc.solve import z3_backend
from neuroloc.solve.problem import Pruning, build_problem, irredundant
from neuroloc.solve.search import Query, _seed, enumerate_candidates, lesion_weights, pruning

ATLAS = load_atlas()
WEIGHTS = load_weights()
EXAMPLES = {e.path.stem: e.path for e in list_examples()}
# Non-focal vignettes whose one component has 30-40 candidate lesions and hundreds of pairs.
WIDE = ["bilateral-l5-not-cauda-equina", "beyond-polyneuropathy-feet", "l5-radiculopathy"]


def _problem(name):
    findings = observations(ATLAS, as_case(ATLAS, EXAMPLES[name]).findings)
    return findings, build_problem(ATLAS, findings)


@pytest.mark.parametrize("name", WIDE)
def test_the_seed_records_the_best_singles_and_pairs_by_exact_score(name):
    findings, problem = _problem(name)
    top = 6
    query = Query.of(ATLAS, findings, top=top, deadline=time.monotonic() + 60, weights=WEIGHTS)
    lesion_w = lesion_weights(ATLAS, WEIGHTS, problem)
    for component in problem.components:
        bound = Recording(pruning(query, problem, component, lesion_w, 3))
        _seed(query, problem, component, bound, lesion_w)
        wanted = set(component.findings)
        covers = problem.covers
        singles = [(i,) for i in component.lesions if wanted <= set(covers[i])]
        lesions = component.lesions
        pairs = [
            (a, b)
            for n, a in enumerate(lesions)
            for b in lesions[n + 1 :]
            if (a,) not in singles
            and (b,) not in singles
            and wanted <= set(covers[a]) | set(covers[b])
            and irredundant(covers, (a, b))
        ]
        best = sorted(bound.partial(p) for p in pairs)[:top]
        recorded_pairs = [c for c in bound.recorded if len(c) == 2]
        assert [c for c in bound.recorded if len(c) == 1] == singles
        assert len(recorded_pairs) == min(top, len(pairs))
        assert sorted(bound.partial(p) for p in recorded_pairs) == pytest.approx(best)


def _top_sets(name, every, monkeypatch):
    findings, problem = _problem(name)
    monkeypatch.setattr(z3_backend, "TIGHTEN_EVERY", every)
    query = Query.of(ATLAS, findings, top=13, deadline=time.monotonic() + 60, weights=WEIGHTS)
    return enumerate_candidates(query, problem)


@pytest.mark.parametrize("name", WIDE[:2])
def test_reasserting_the_bound_less_often_gives_the_same_top_sets(name, monkeypatch):
    each = _top_sets(name, 1, monkeypatch)
    batched = _top_sets(name, 8, monkeypatch)
    assert each.sets and batched.sets == each.sets and batched.scores == each.scores


class Falling(Pruning):
    """A threshold that improves with every set recorded."""

    def add(self, chosen):
        self.recorded = getattr(self, "recorded", 0) + 1
        return 100.0 - self.recorded


def test_the_bound_is_reasserted_once_every_few_sets():
    import z3

    ctx = z3_backend._context()
    solver = z3_backend.new_solver(z3, ctx)
    lits = z3_backend._literals(z3, ["bound_test0", "bound_test1", "bound_test2"])
    (guard,) = z3_backend._literals(z3, ["bound_test_guard"])
    pruning_ = Falling(0.0, {0: 1.0, 1: 2.0, 2: 3.0}, 1, lambda chosen: 0.0)
    literals = [(i, v.ast, v.neg) for i, v in enumerate(lits)]
    bound = z3_backend._Bound(z3, solver, literals, pruning_, [], {2: guard.ast})
    bound.start(2)
    limits = []
    for n in range(4 * z3_backend.TIGHTEN_EVERY):
        bound.found((n % 3,))
        if bound.limit is not None and (not limits or limits[-1] != bound.limit):
            limits.append(bound.limit)
    assert z3_backend.TIGHTEN_EVERY > 1
    assert len(limits) == 4  # once per TIGHTEN_EVERY sets, not once per set
    assert limits == sorted(limits, reverse=True)  # each one tighter
