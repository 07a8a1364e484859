"""What the speed-ups of issue 16 rely on, tested on its own.

* The pruning bound (tangent plus steps, :func:`neuroloc.solve.search.pruning`) never exceeds
  a candidate's partial score, on cases drawn from the real knowledge base: a bound above the
  score could hide a set that belongs in the top.
* Seeding the threshold with good pairs (:func:`neuroloc.solve.search._seed`) records only
  genuine candidates.
* The deadline kept by the watchdog: a long check is interrupted when the deadline passes
  (SolverTimeout, not a wrong answer), and an interrupt that lands when nothing is running
  makes no later query report a timeout.
"""

from __future__ import annotations

import os
import time

import pytest
from cases import Recording
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from neuroloc.anatomy import load_atlas
from neuroloc.engine import as_case
from neuroloc.findings import observations
from neuroloc.forward import finding_entry, simulate
from neuroloc.ranking import load_weights
from neuroloc.solve import z3_backend
from neuroloc.solve.csp_backend import CSPBackend
from neuroloc.solve.problem import Lesion, Pruning, build_problem, irredundant
from neuroloc.solve.search import Query, _seed, lesion_weights, pruning
from neuroloc.solve.z3_backend import SolverTimeout, Z3Backend

LONG = os.environ.get("NEUROLOC_HYPOTHESIS_PROFILE") == "long"  # the long property run
ATLAS = load_atlas()
WEIGHTS = load_weights()
SITES = sorted(ATLAS.sites)


@st.composite
def problems(draw):
    lesions = []
    for _ in range(draw(st.integers(1, 3))):
        site = draw(st.sampled_from(SITES))
        side = "both" if ATLAS.sites[site].bilateral else draw(st.sampled_from(["left", "right"]))
        lesions.append(Lesion(site, side))
    predicted = simulate(ATLAS, lesions)
    chosen = [f for f in predicted if f.abnormal or draw(st.integers(0, 7)) == 0]
    if not any(f.abnormal or f.sign for f in chosen):  # (a normal wasting grade is "absent")
        chosen = [f for f in predicted if f.abnormal]
    entries = [finding_entry(f) for f in chosen]
    assume(entries)  # a silent site (S4, S5: midline targets only) predicts no finding
    case = as_case(ATLAS, {"title": "drawn", "findings": entries[:14]})
    return build_problem(ATLAS, observations(ATLAS, case.findings))


def _query(problem, top):
    findings = problem.abnormal + problem.normal
    return Query.of(ATLAS, findings, top=top, deadline=time.monotonic() + 60, weights=WEIGHTS)


def _every_candidate(problem, component, max_size):
    sets = CSPBackend().minimal_sets(problem, component, max_size, time.monotonic() + 60)
    return [s for _, layer in sets for s in layer]


@settings(max_examples=1000 if LONG else 60, deadline=None)
@given(problems(), st.integers(2, 3))
def test_the_pruning_bound_never_exceeds_a_candidates_partial_score(problem, max_size):
    weights = lesion_weights(ATLAS, WEIGHTS, problem)
    for component in problem.components:
        if len(component.lesions) > 24:
            continue  # the plain enumeration of a large component is slow; others cover it
        bound = pruning(_query(problem, 5), problem, component, weights, max_size)
        for chosen in _every_candidate(problem, component, max_size):
            assert bound.bound(chosen) <= bound.partial(chosen) + 1e-9, chosen


@settings(max_examples=1000 if LONG else 40, deadline=None)
@given(problems())
def test_seeds_are_genuine_candidates(problem):
    weights = lesion_weights(ATLAS, WEIGHTS, problem)
    for component in problem.components:
        query = _query(problem, 3)
        bound = Recording(pruning(query, problem, component, weights, 3))
        _seed(query, problem, component, bound, weights)
        wanted = set(component.findings)
        for chosen in bound.recorded:
            assert wanted <= set().union(*(problem.covers[i] for i in chosen))
            assert irredundant(problem.covers, chosen)


def test_a_step_counts_its_weight_for_the_set_size_when_none_of_its_lesions_is_chosen():
    steps = [((3.0, 2.0), frozenset({2}))]  # weight 3.0 for one lesion, 2.0 for two
    bound = Pruning(1.0, {0: 0.5, 1: 0.25, 2: 2.0}, 1, lambda chosen: 0.0, steps)
    assert bound.bound((0,)) == pytest.approx(4.5)
    assert bound.bound((0, 1)) == pytest.approx(3.75)
    assert bound.bound((0, 2)) == pytest.approx(3.5)


def _pigeonhole(n):
    """A check no solver finishes quickly: n+1 pigeons in n holes, in the thread's context
    (the one the watchdog interrupts)."""
    import z3

    ctx = z3_backend._context()
    solver = z3.SolverFor("QF_FD", ctx=ctx)
    x = [[z3.Bool(f"p{i}_{j}", ctx) for j in range(n)] for i in range(n + 1)]
    for i in range(n + 1):
        solver.add(z3.Or(x[i]))
    for j in range(n):
        for i in range(n + 1):
            for k in range(i + 1, n + 1):
                solver.add(z3.Or(z3.Not(x[i][j]), z3.Not(x[k][j])))
    return z3, solver


def test_the_watchdog_interrupts_a_long_check_at_the_deadline():
    z3, solver = _pigeonhole(12)
    deadline = time.monotonic() + 0.3
    token = z3_backend._WATCHDOG.arm(z3_backend._context(), deadline)
    start = time.monotonic()
    try:
        with pytest.raises(SolverTimeout):
            z3_backend._check(z3, solver, z3.BoolVal(True, z3_backend._context()), deadline)
    finally:
        z3_backend._WATCHDOG.disarm(token)
    assert time.monotonic() - start < 5  # interrupted, not run to the end


def test_a_far_deadline_does_not_stop_the_watchdog():
    far = z3_backend._WATCHDOG.arm(z3_backend._context(), time.monotonic() + 1e12)
    try:
        thread = z3_backend._WATCHDOG._thread
        time.sleep(0.2)  # the thread has seen the far deadline and gone back to waiting
        assert thread is not None and thread.is_alive()
        test_the_watchdog_interrupts_a_long_check_at_the_deadline()
        assert z3_backend._WATCHDOG._thread is thread  # the same thread did it
    finally:
        z3_backend._WATCHDOG.disarm(far)


FOOT_DROP = {
    "findings": [
        {"muscle": "tibialis anterior", "grade": "3", "side": "left"},
        {"sensory": "dorsum of foot", "grade": "reduced", "side": "left"},
    ]
}


def test_a_stale_interrupt_is_not_a_timeout():
    findings = observations(ATLAS, as_case(ATLAS, FOOT_DROP).findings)
    problem = build_problem(ATLAS, findings)
    (component,) = problem.components
    expected = list(Z3Backend().minimal_sets(problem, component, 3, time.monotonic() + 60))
    assert len(expected) == 3 and expected[1][1]  # pairs exist: Z3 searched
    z3_backend._context().interrupt()  # lands while nothing runs
    again = list(Z3Backend().minimal_sets(problem, component, 3, time.monotonic() + 60))
    assert again == expected
