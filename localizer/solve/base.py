"""What every solving backend shares, with no solver behind it: the :class:`Backend` protocol,
the :class:`SolverTimeout` a backend raises when the query's deadline passes, and
:func:`get_backend`, which imports a backend only when it is asked for (the CSP backend never
loads Z3, and a command that never solves loads neither)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from neuroloc.anatomy.errors import NeurolocError

if TYPE_CHECKING:
    from neuroloc.solve.problem import Component, Problem, Pruning

SOLVERS = ("z3", "csp")


class SolverTimeout(Exception):
    """The query's deadline passed before the backend finished."""


class Backend(Protocol):
    """Enumerates the irredundant lesion sets of one component, smallest first."""

    name: str

    def minimal_sets(
        self,
        problem: Problem,
        component: Component,
        max_size: int,
        deadline: float,
        pruning: Pruning | None = None,
    ) -> Iterable[tuple[int, list[tuple[int, ...]]]]: ...


def get_backend(name: str) -> Backend:
    """The backend called ``name`` (one of :data:`SOLVERS`); any other name is a
    :class:`~neuroloc.anatomy.errors.NeurolocError` that lists the valid ones."""
    if name == "z3":
        from neuroloc.solve.z3_backend import Z3Backend

        return Z3Backend()
    if name == "csp":
        from neuroloc.solve.csp_backend import CSPBackend

        return CSPBackend()
    raise NeurolocError(f"unknown solver {name!r}; choose one of {', '.join(SOLVERS)}")
