"""Z3 backend: enumerate the minimal lesion sets of one component, smallest first.

Encoding (a minimal-hitting-set enumeration in the style of MARCO / PySAT's hitman, Liffiton
et al. 2016): one Boolean per candidate lesion; a clause per abnormal finding listing the
lesions that cover it; for each size k an assumption literal ``g_k`` guarding ``AtMost(k)``.
Solving under ``g_2``, ``g_3``, … in turn, every model found at size k is a minimal set (all
smaller sets were found and their supersets blocked); each found set is blocked by a clause
forbidding it and all its supersets. Size 1 needs no search: a lesion covering every finding of
the component is read off the covers, and blocked as a unit clause. The solver is built once per
component and reused incrementally; every ``check`` carries the remaining time of the query's
deadline.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

from neuroloc.solve.problem import Component, Problem

_TRUE_LESION = re.compile(r"\(define-fun lesion_(\d+) \(\) Bool\s+true\)")


def _true_lesions(model_text: str) -> tuple[int, ...]:
    """The lesions a model sets true, read from its text in one call.

    Reading literal by literal through the Python API costs more than solving; a literal the
    model leaves unassigned is a don't-care, so it is false in the set reported.
    """
    return tuple(sorted(int(i) for i in _TRUE_LESION.findall(model_text)))


class SolverTimeout(Exception):
    """The deadline passed; ``found`` holds the sets completed so far."""


class Z3Backend:
    name = "z3"

    def minimal_sets(
        self, problem: Problem, component: Component, max_size: int, deadline: float
    ) -> Iterator[tuple[int, list[tuple[int, ...]]]]:
        """Yield ``(size, sets)`` for size 1, 2, … up to ``max_size``; each set is a sorted
        tuple of lesion indexes. Raises :class:`SolverTimeout` when the deadline passes."""
        import z3  # imported here so that commands that never solve never load it

        ctx = z3.Context()
        lits = {i: z3.Bool(f"lesion_{i}", ctx) for i in component.lesions}
        solver = z3.Solver(ctx=ctx)
        for f in component.findings:
            solver.add(z3.Or([lits[i] for i in component.lesions if f in problem.covers[i]]))
        literals = list(lits.values())
        # Single lesions covering the whole component are found directly; every superset of one
        # is non-minimal, so each becomes a unit clause before Z3 searches larger sets.
        wanted = set(component.findings)
        singles = [i for i in component.lesions if wanted <= set(problem.covers[i])]
        for i in singles:
            solver.add(z3.Not(lits[i]))
        if deadline - time.monotonic() <= 0:
            raise SolverTimeout()
        yield 1, [(i,) for i in singles]
        for size in range(2, max_size + 1):
            guard = z3.Bool(f"at_most_{size}", ctx)
            solver.add(z3.Implies(guard, z3.AtMost(*literals, size)))
            found: list[tuple[int, ...]] = []
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise SolverTimeout()
                solver.set("timeout", max(1, int(remaining * 1000)))
                answer = solver.check(guard)
                if answer == z3.unsat:
                    break
                if answer != z3.sat:
                    raise SolverTimeout()
                model = solver.model()
                chosen = _true_lesions(model.sexpr())
                found.append(chosen)
                solver.add(z3.Or([z3.Not(lits[i]) for i in chosen]))
            yield size, sorted(found)


def fewest_set_aside(
    problem: Problem,
    certain_normals: dict[int, list[int]],
    max_lesions: int,
    deadline: float,
    alternatives: int = 3,
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Relaxed mode as weighted MaxSAT: the fewest findings to set aside.

    ``problem`` must be built without certain exclusions (every lesion that covers an abnormal
    finding is present); ``certain_normals`` maps a normal finding to the lesions that would
    certainly affect it. Soft constraints: each abnormal finding covered; each such normal
    finding spared. Hard: at most ``max_lesions`` lesions. Returns up to ``alternatives``
    optimal choices as ``(abnormal indexes set aside, normal indexes overridden)``.
    """
    import z3

    ctx = z3.Context()
    lits = [z3.Bool(f"lesion_{i}", ctx) for i in range(len(problem.lesions))]
    opt = z3.Optimize(ctx=ctx)
    if lits:
        opt.add(z3.AtMost(*lits, max_lesions))
    covered = {}
    for f in range(len(problem.abnormal)):
        who = [lits[i] for i in problem.coverers(f)]
        covered[f] = z3.Or(who) if who else z3.BoolVal(False, ctx)
        opt.add_soft(covered[f], 1)
    kept = {}
    for j, lesions in certain_normals.items():
        kept[j] = z3.And([z3.Not(lits[i]) for i in lesions])
        opt.add_soft(kept[j], 1)
    results: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    best: int | None = None
    while len(results) < alternatives:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            if results:
                break
            raise SolverTimeout()
        opt.set("timeout", max(1, int(remaining * 1000)))
        if opt.check() != z3.sat:
            break
        model = opt.model()
        aside = tuple(f for f, c in covered.items() if not z3.is_true(model.eval(c, True)))
        overridden = tuple(j for j, k in kept.items() if not z3.is_true(model.eval(k, True)))
        cost = len(aside) + len(overridden)
        if best is not None and cost > best:
            break
        best = cost
        results.append((aside, overridden))
        # Ask for a different optimal choice: honour at least one of the findings set aside.
        opt.add(z3.Or([covered[f] for f in aside] + [kept[j] for j in overridden]))
    return results
