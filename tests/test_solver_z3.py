"""The Z3 enumerator against a brute-force oracle on random covering problems (no anatomy)."""

from __future__ import annotations

import itertools
import time

from hypothesis import given
from hypothesis import strategies as st

from neuroloc.anatomy import Strength
from neuroloc.solve.problem import Component, Lesion, Problem, _components
from neuroloc.solve.z3_backend import SolverTimeout, Z3Backend


def make_problem(covers: list[set[int]], n_findings: int) -> Problem:
    cover_maps = tuple({f: Strength.LIKELY for f in c} for c in covers)
    uncovered = tuple(f for f in range(n_findings) if not any(f in c for c in covers))
    return Problem(
        abnormal=tuple(range(n_findings)),  # type: ignore[arg-type]
        normal=(),
        lesions=tuple(Lesion(f"site:{i}", "left") for i in range(len(covers))),
        covers=cover_maps,
        spared=tuple({} for _ in covers),
        components=_components(n_findings, cover_maps, uncovered),
        uncovered=uncovered,
    )


def brute_force(covers: list[set[int]], findings: set[int], max_size: int) -> set[tuple[int, ...]]:
    hitting = [
        combo
        for k in range(1, max_size + 1)
        for combo in itertools.combinations(range(len(covers)), k)
        if findings <= set().union(*(covers[i] for i in combo))
    ]
    return {c for c in hitting if not any(set(o) < set(c) for o in hitting)}


problems = st.integers(min_value=1, max_value=6).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.sets(st.integers(0, n - 1), min_size=1, max_size=n), min_size=1, max_size=9),
    )
)


@given(problems, st.integers(min_value=1, max_value=3))
def test_z3_enumerates_exactly_the_minimal_hitting_sets(data, max_size):
    n, covers = data
    problem = make_problem(covers, n)
    if problem.uncovered:
        return
    for component in problem.components:
        found: set[tuple[int, ...]] = set()
        sizes = []
        for size, sets in Z3Backend().minimal_sets(
            problem, component, max_size, time.monotonic() + 10
        ):
            sizes.append(size)
            assert all(len(s) == size for s in sets)
            found.update(sets)
        local = [covers[i] & set(component.findings) for i in range(len(covers))]
        expected = {
            s
            for s in brute_force(local, set(component.findings), max_size)
            if set(s) <= set(component.lesions)
        }
        assert found == expected
        assert sizes == list(range(1, max_size + 1))


def test_deadline_in_the_past_raises_timeout():
    problem = make_problem([{0}, {1}, {0, 1}], 2)
    component = problem.components[0]
    gen = Z3Backend().minimal_sets(problem, component, 2, time.monotonic() - 1)
    try:
        next(iter(gen))
    except SolverTimeout:
        return
    raise AssertionError("an expired deadline must raise SolverTimeout")


def test_components_split_independent_findings():
    problem = make_problem([{0}, {1}, {2, 3}, {3}], 4)
    groups = sorted(c.findings for c in problem.components)
    assert groups == [(0,), (1,), (2, 3)]
    assert isinstance(problem.components[0], Component)
