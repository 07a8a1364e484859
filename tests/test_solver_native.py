"""The Z3 backend's solver keeps cardinality and pseudo-Boolean constraints native, lives on the
project's own context, and the CSP backend and the search's base never load Z3's backend.

A constraint kept native shows in the solver's statistics as propagations of the SAT core's
cardinality/PB extension and adds almost no clauses; an expanded one adds a clause network (a
few hundred clauses for one at-most-3 over 30 literals).
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from neuroloc.anatomy import load_atlas
from neuroloc.engine import as_case
from neuroloc.findings import observations
from neuroloc.ranking import load_weights
from neuroloc.solve import z3_backend
from neuroloc.solve.base import SOLVERS, get_backend
from neuroloc.solve.problem import build_problem
from neuroloc.solve.search import Query, lesion_weights, pruning

ATLAS = load_atlas()


def _stats(solver) -> dict[str, float]:
    st = solver.statistics()
    names = st.keys()  # a z3 Statistics object is not iterable by key
    return {key: st.get_key_value(key) for key in names}


def _cardinality_problem(solver, z3, ctx):
    xs = [z3.Bool(f"native{i}", ctx) for i in range(30)]
    guard = z3.Bool("native_guard", ctx)
    solver.add(z3.Implies(guard, z3.AtMost(*xs, 3)))
    solver.add(z3.Implies(guard, z3.AtLeast(*xs, 3)))
    solver.add(z3.Implies(guard, z3.PbLe([(x, i + 1) for i, x in enumerate(xs)], 20)))
    return guard


def test_cardinality_and_pb_constraints_stay_native():
    import z3

    ctx = z3_backend._context()
    solver = z3_backend.new_solver(z3, ctx)
    guard = _cardinality_problem(solver, z3, ctx)
    assert solver.check(guard) == z3.sat
    stats = _stats(solver)
    clauses = stats.get("sat mk clause 2ary", 0) + stats.get("sat mk clause nary", 0)
    assert stats.get("pb propagations", 0) > 0, stats
    # The same problem on a bare QF_FD solver expands them (what the parameters prevent); if a
    # z3 release changes that default, this test says so rather than passing by accident.
    bare = z3.SolverFor("QF_FD", ctx=ctx)
    guard = _cardinality_problem(bare, z3, ctx)
    assert bare.check(guard) == z3.sat
    bare_stats = _stats(bare)
    # the native solver adds a small fraction of the clauses the expansion needs (a fresh
    # context counts a few dozen; a context reused by earlier tests a few more)
    assert 3 * clauses < bare_stats.get("sat mk clause nary", 0), (stats, bare_stats)


def test_the_backends_solver_on_a_real_component_uses_the_native_propagators():
    """A foot drop with a normal finding: the component's sizes and its score bound are
    cardinality and PB constraints; the enumeration's solver propagates them natively."""
    case = {
        "findings": [
            {"muscle": "tibialis anterior", "grade": "3", "side": "left"},
            {"muscle": "extensor hallucis longus", "grade": "3", "side": "left"},
            {"sensory": "dorsum of foot", "grade": "reduced", "side": "left"},
            {"muscle": "gastrocnemius", "grade": "5", "side": "left"},
        ]
    }
    findings = observations(ATLAS, as_case(ATLAS, case).findings)
    problem = build_problem(ATLAS, findings)
    weights = load_weights()
    lesion_w = lesion_weights(ATLAS, weights, problem)
    made = []
    original = z3_backend.new_solver

    def spy(z3, ctx):
        made.append(original(z3, ctx))
        return made[-1]

    z3_backend.new_solver = spy
    try:
        for component in problem.components:
            query = Query.of(ATLAS, findings, top=2, deadline=time.monotonic() + 60)
            bound = pruning(query, problem, component, lesion_w, 3)
            sets = z3_backend.Z3Backend().minimal_sets(
                problem, component, 3, time.monotonic() + 60, bound
            )
            assert list(sets)
    finally:
        z3_backend.new_solver = original
    assert made, "the component needed a search"
    assert any(_stats(s).get("pb propagations", 0) > 0 for s in made)


def test_solving_never_builds_z3s_global_context():
    """Every query, and relaxed mode's MaxSAT, runs on the thread's context."""
    code = (
        "import z3.z3 as zz\n"
        "from neuroloc import localize\n"
        "from neuroloc.examples import list_examples\n"
        "for e in list_examples()[:12]:\n"
        "    localize(e.path)\n"
        "import time\n"
        "from neuroloc.anatomy import load_atlas\n"
        "from neuroloc.findings import observations, parse_case\n"
        "from neuroloc.solve.search import Query, relaxed\n"
        "atlas = load_atlas()\n"
        "case = parse_case(atlas, {'side': 'left', 'findings': ["
        "{'movement': 'ankle plantarflexion', 'grade': 4}, {'reflex': 'ankle', 'grade': 'absent'},"
        " {'snap': 'sural', 'grade': 'absent'},"
        " {'emg': 'S1 paraspinals', 'grade': 'denervation'}]})\n"
        "query = Query.of(atlas, observations(atlas, case.findings), max_lesions=1,"
        " deadline=time.monotonic() + 30)\n"
        "sets, complete, note = relaxed(query)\n"
        "assert complete and note.startswith('relaxed mode'), note\n"
        "print(zz._main_ctx is None)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True", out.stderr


def test_relaxed_mode_with_nothing_to_set_aside_answers_once():
    """A problem that needs no relaxation has one optimal choice, setting nothing aside (asking
    for another used to build an empty disjunction on the wrong context)."""
    case = as_case(ATLAS, {"side": "left", "findings": [{"muscle": "TA", "grade": "3"}]})
    problem = build_problem(ATLAS, observations(ATLAS, case.findings))
    choices = z3_backend.fewest_set_aside(problem, {}, 1, time.monotonic() + 60)
    assert choices == [((), ())]


@pytest.mark.parametrize("name", SOLVERS)
def test_get_backend_names_each_solver(name):
    assert get_backend(name).name == name


def test_the_csp_backend_does_not_load_the_z3_backend():
    code = (
        "import sys\n"
        "from neuroloc.solve.base import get_backend\n"
        "get_backend('csp')\n"
        "print('neuroloc.solve.z3_backend' in sys.modules, 'z3' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"], out.stderr
