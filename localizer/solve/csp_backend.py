"""python-constraint backend: the same irredundant lesion sets as Z3, found independently.

Encoding, for each size k: k slot variables ``s_1 < s_2 < ... < s_k`` over the component's
lesion indexes (the ordering makes each set appear once), and one constraint per abnormal
finding saying that some slot holds a lesion covering it. Every solution is a covering set of
exactly k lesions; the backend keeps those in which every lesion is necessary, checked in
Python (:func:`~neuroloc.solve.problem.irredundant`), exactly the sets the Z3 backend yields.
Nothing is shared with the Z3 encoding but the :class:`~neuroloc.solve.problem.Problem` and
the definition, so the two can check each other.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

from neuroloc.solve.base import SolverTimeout
from neuroloc.solve.problem import Component, Problem, Pruning, irredundant


class CSPBackend:
    name = "csp"

    def minimal_sets(
        self,
        problem: Problem,
        component: Component,
        max_size: int,
        deadline: float,
        pruning: Pruning | None = None,
    ) -> Iterator[tuple[int, list[tuple[int, ...]]]]:
        """Every irredundant set, by size; ``pruning`` is ignored (this backend stays the plain
        independent check of the Z3 backend)."""
        import constraint  # imported only when this backend is selected

        lesions = sorted(component.lesions)
        covers = {i: frozenset(problem.covers[i]) for i in lesions}
        findings = frozenset(component.findings)

        def ordered(a: int, b: int) -> bool:
            # The search runs inside python-constraint between solutions, so the deadline is
            # checked here, in a constraint it evaluates all the time: the bound holds.
            if time.monotonic() > deadline:
                raise SolverTimeout()
            return a < b

        for size in range(1, min(max_size, len(lesions)) + 1):
            if time.monotonic() > deadline:
                raise SolverTimeout()
            csp = constraint.Problem(constraint.BacktrackingSolver())
            slots = [f"slot{k}" for k in range(size)]
            csp.addVariables(slots, lesions)
            for left, right in itertools.pairwise(slots):
                csp.addConstraint(ordered, (left, right))
            for finding in sorted(findings):
                hitters = frozenset(i for i in lesions if finding in covers[i])
                csp.addConstraint(lambda *chosen, h=hitters: any(c in h for c in chosen), slots)
            layer: list[tuple[int, ...]] = []
            for solution in csp.getSolutionIter():
                if time.monotonic() > deadline:
                    raise SolverTimeout()
                chosen = tuple(sorted(solution[s] for s in slots))
                if irredundant(problem.covers, chosen):
                    layer.append(chosen)
            yield size, sorted(layer)
        for size in range(len(lesions) + 1, max_size + 1):
            yield size, []
