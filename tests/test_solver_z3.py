"""The Z3 enumerator against a brute-force oracle on random covering problems (no anatomy).

Covers carry strengths, so the oracle checks the strength-aware definition of a candidate: a
covering set in which every lesion is necessary, i.e. covers some finding that no other lesion
of the set covers in a class at least as strong (strong: likely, certain; weak: possible,
atypical).
"""

from __future__ import annotations

import itertools
import time

from hypothesis import given
from hypothesis import strategies as st

from neuroloc.anatomy import Strength
from neuroloc.solve.csp_backend import CSPBackend
from neuroloc.solve.problem import Component, Lesion, Problem, _components
from neuroloc.solve.z3_backend import SolverTimeout, Z3Backend

STRENGTHS = (Strength.ATYPICAL, Strength.POSSIBLE, Strength.LIKELY, Strength.CERTAIN)


def make_problem(covers: list[dict[int, Strength]] | list[set[int]], n_findings: int) -> Problem:
    cover_maps = tuple(
        dict(c) if isinstance(c, dict) else {f: Strength.LIKELY for f in c} for c in covers
    )
    uncovered = tuple(f for f in range(n_findings) if not any(f in c for c in cover_maps))
    return Problem(
        abnormal=tuple(range(n_findings)),  # type: ignore[arg-type]
        normal=(),
        lesions=tuple(Lesion(f"site:{i}", "left") for i in range(len(covers))),
        covers=cover_maps,
        spared=tuple({} for _ in covers),
        components=_components(n_findings, cover_maps, uncovered),
        uncovered=uncovered,
    )


def strong(s: Strength) -> int:
    return 2 if s >= Strength.LIKELY else 1 if s > Strength.NONE else 0


def brute_force(
    covers: list[dict[int, Strength]], findings: set[int], lesions: set[int], max_size: int
) -> set[tuple[int, ...]]:
    """Every covering set of at most ``max_size`` of ``lesions`` whose lesions are all needed,
    straight from the definition (no shared code with the backends)."""
    out = set()
    for k in range(1, max_size + 1):
        for combo in itertools.combinations(sorted(lesions), k):
            if not findings <= {f for i in combo for f in covers[i]}:
                continue
            needed = all(
                any(
                    all(
                        strong(covers[m].get(f, Strength.NONE)) < strong(s) for m in combo if m != i
                    )
                    for f, s in covers[i].items()
                )
                for i in combo
            )
            if needed:
                out.add(combo)
    return out


problems = st.integers(min_value=1, max_value=6).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(
            st.dictionaries(st.integers(0, n - 1), st.sampled_from(STRENGTHS), min_size=1),
            min_size=1,
            max_size=9,
        ),
    )
)


@given(problems, st.integers(min_value=1, max_value=3))
def test_z3_enumerates_exactly_the_irredundant_sets(data, max_size):
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
            assert sets == sorted(sets)
            found.update(sets)
        expected = brute_force(covers, set(component.findings), set(component.lesions), max_size)
        assert found == expected
        assert sizes == list(range(1, max_size + 1))
        by_csp = CSPBackend().minimal_sets(problem, component, max_size, time.monotonic() + 10)
        assert {s for _, sets in by_csp for s in sets} == expected


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


def test_a_strong_second_explanation_makes_a_superset_a_candidate():
    # lesion 0 covers both findings, finding 1 only weakly (an atypical link); lesion 1 covers
    # finding 1 strongly: {0} and {0, 1} are both candidates, {1} does not cover finding 0.
    problem = make_problem([{0: Strength.LIKELY, 1: Strength.ATYPICAL}, {1: Strength.LIKELY}], 2)
    (component,) = problem.components
    found = {
        s
        for _, sets in Z3Backend().minimal_sets(problem, component, 2, time.monotonic() + 10)
        for s in sets
    }
    assert found == {(0,), (0, 1)}
    # equal strengths: the second lesion adds nothing, the superset is redundant
    problem = make_problem([{0: Strength.LIKELY, 1: Strength.LIKELY}, {1: Strength.LIKELY}], 2)
    (component,) = problem.components
    found = {
        s
        for _, sets in Z3Backend().minimal_sets(problem, component, 2, time.monotonic() + 10)
        for s in sets
    }
    assert found == {(0,)}
