"""Z3 backend: enumerate the irredundant lesion sets of one component, smallest first.

Encoding (a hitting-set enumeration in the style of MARCO / PySAT's hitman, Liffiton et al.
2016, with a strength-aware notion of redundancy): one Boolean per candidate lesion; a clause
per abnormal finding listing the lesions that cover it; and *necessity*: each chosen lesion
``l`` must cover some finding ``f`` that no other chosen lesion covers in a class at least as
strong (strong = likely or certain, weak = possible or atypical; see
:func:`neuroloc.solve.problem.irredundant`). For each ``(l, f)`` the competitors are the other
lesions covering ``f`` in a class >= that of ``(l, f)``; an auxiliary literal ``n_C`` per
distinct competitor set ``C`` means "no lesion of ``C`` is chosen" (``n_C -> ¬x`` for each
``x`` in ``C``), and ``l -> OR n_C`` over the competitor sets of ``l``'s findings (only the
inclusion-minimal ones are needed; a lesion with a finding nobody else covers needs no clause).

For each size k an assumption literal ``g_k`` guards "exactly k lesions" (``AtMost(k)`` and
``AtLeast(k)``). Solving under ``g_2``, ``g_3``, … in turn, every model found at size k has
exactly k lesions, so a found set is blocked exactly by the short clause ``¬g_k ∨ ¬x_1 ∨ … ∨
¬x_k`` (under ``g_k`` no other set contains it), which leaves its supersets free for the next
sizes, since a superset can be irredundant too (a double crush). Size 1 needs no search: a lesion
covering every finding of the component is read off the covers (a single covering lesion is
always irredundant). The solver is built once per component and reused incrementally. With a
:class:`~neuroloc.solve.problem.Pruning`, a pseudo-Boolean constraint per size, guarded by
``g_k`` (asserted when the size starts and tightened, every few sets found, when the
``top``-th best partial score has improved), keeps Z3 from producing sets whose exact lower
bound already puts them outside the top: they could never be shown. The threshold may be known
before Z3 starts (:func:`neuroloc.solve.search._seed` records the covering singles and the best
pairs).

What keeps it fast (issue 16): one Z3 context per thread, reused by every query (``_context``);
the whole component encoded as one SMT-LIB script parsed in a single call (:func:`encode`) and
blocking clauses built through the C API; a ``QF_FD`` solver, Z3's SAT core, with its
cardinality and pseudo-Boolean constraints kept native (:func:`new_solver`), on the thread's own
context, so Z3's global context is never built; the model read literal by literal through
the C API; the deadline kept by a watchdog thread that interrupts the context when it passes
(:class:`_Watchdog`), not by a Z3 timeout, whose timer costs as much as a check; literal handles
made once per thread (:func:`_literals`); a pruning bound with steps for weakly explained
findings (:func:`neuroloc.solve.search.pruning`).
"""

from __future__ import annotations

import ctypes
import itertools
import math
import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

from neuroloc.solve.base import SolverTimeout
from neuroloc.solve.problem import Component, Problem, Pruning, cover_class

__all__ = ["SolverTimeout", "Z3Backend", "competitor_sets", "encode", "fewest_set_aside"]

_LOCAL = threading.local()


def _context():  # -> z3.Context
    """One Z3 context per thread, created on first use and reused by every query of that
    thread: creating a context costs more than solving a typical component, and a context must
    not be shared between threads (each solver lives and dies inside one query)."""
    ctx = getattr(_LOCAL, "ctx", None)
    if ctx is None:
        import z3

        ctx = _LOCAL.ctx = z3.Context()
    return ctx


RECYCLE_AFTER = 200  # component searches per context before the thread starts a fresh one


def _fresh_context_if_due() -> None:
    """Z3 keeps memory in a context for every check of a QF_FD solver, even after the solver
    is freed (measured: ~2.3 KB a check, ~7 KB a query, without end). So each thread's context,
    with the literal handles made in it, is dropped after :data:`RECYCLE_AFTER` searches, at a
    moment when no search of the thread is under way (an unfinished one still holds its
    context and literals); the next search makes a new one, and Z3 frees the old context with
    all it kept."""
    if getattr(_LOCAL, "live", 0) == 0 and getattr(_LOCAL, "uses", 0) >= RECYCLE_AFTER:
        _LOCAL.ctx = None
        _LOCAL.literals = None
        _LOCAL.uses = 0
    _LOCAL.uses = getattr(_LOCAL, "uses", 0) + 1


class _Watchdog:
    """The query's deadline without a timer per check: one daemon thread per process
    interrupts a context (``Z3_interrupt``, made to be called from another thread) when the
    deadline it was armed with passes. A Z3 timeout would start and stop a timer inside every
    ``check``, which costs as much as the check itself on these small problems (measured: 0.23
    against 0.12 ms per check). An interrupt that lands after its query has finished can only
    make a later check of the same thread answer ``unknown`` early; the caller then sees time
    left and asks again (:func:`_check`)."""

    def __init__(self) -> None:
        self._cv = threading.Condition()
        self._armed: dict[int, tuple[float, Any]] = {}
        self._tokens = itertools.count()
        self._thread: threading.Thread | None = None

    def arm(self, ctx: Any, deadline: float) -> int:
        with self._cv:
            if self._thread is None or not self._thread.is_alive():  # none yet, or forked
                self._thread = threading.Thread(
                    target=self._run, name="neuroloc-deadline", daemon=True
                )
                self._thread.start()
            token = next(self._tokens)
            self._armed[token] = (deadline, ctx)
            self._cv.notify()
            return token

    def disarm(self, token: int) -> None:
        with self._cv:
            self._armed.pop(token, None)

    def _run(self) -> None:
        with self._cv:
            while True:
                now = time.monotonic()
                for token in [t for t, (d, _) in self._armed.items() if d <= now]:
                    self._armed.pop(token)[1].interrupt()
                soonest = min((d for d, _ in self._armed.values()), default=None)
                # Wake at least hourly: a far deadline (a caller's "no limit") must not
                # overflow the platform's timeout.
                self._cv.wait(None if soonest is None else min(soonest - now, 3600.0))


_WATCHDOG = _Watchdog()


def _reset_after_fork() -> None:  # a forked child has no watchdog thread and a fresh lock
    global _WATCHDOG
    _WATCHDOG = _Watchdog()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


def _check(z3: Any, solver: Any, guard: Any, deadline: float) -> bool:
    """``solver.check(guard)`` under the query's deadline: True for sat, False for unsat;
    :class:`SolverTimeout` once the deadline has passed."""
    # The C call itself, with the guard's pointer: ``solver.check`` casts and wraps every
    # assumption and its answer on each call (a tenth of a typical check).
    ref, raw, assumptions = solver.ctx.ref(), solver.solver, (z3.Ast * 1)(guard.as_ast())
    while True:
        if time.monotonic() >= deadline:
            raise SolverTimeout()
        answer = z3.Z3_solver_check_assumptions(ref, raw, 1, assumptions)
        if answer == z3.Z3_L_TRUE:
            return True
        if answer == z3.Z3_L_FALSE:
            return False
        reason = solver.reason_unknown()
        _raise_if_keyboard(reason)
        if reason not in ("interrupted", "canceled") and "keyboard" not in reason:
            raise SolverTimeout()  # not ours to retry: treat as out of time
        # interrupted: by this query's deadline (raised above), or by a stale interrupt


def _raise_if_keyboard(reason: str) -> None:
    """Z3 takes SIGINT over while it searches (its ``ctrl_c`` parameter, on by default) and
    answers ``unknown``, "interrupted from keyboard": that is the user's Ctrl-C, never a time
    limit, so it becomes the :class:`KeyboardInterrupt` Python would have raised (unless the
    process ignores SIGINT: then the check is simply asked again)."""
    if "keyboard" in reason and signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        raise KeyboardInterrupt


class _Literal:
    """A Boolean constant of the thread's context with its negation and the raw pointers the
    C calls borrow (``ast``, ``neg``, ``decl``); the Python objects keep them alive."""

    __slots__ = ("ast", "decl", "function", "lit", "neg", "negated")

    def __init__(self, z3: Any, ctx: Any, name: str):
        self.lit = z3.Bool(name, ctx)
        self.negated = z3.Not(self.lit)
        self.ast = self.lit.as_ast()
        self.neg = self.negated.as_ast()
        self.function = self.lit.decl()  # owns the reference ``decl`` borrows
        self.decl = self.function.ast


def _literals(z3: Any, names: list[str]) -> list[_Literal]:
    """The literals of these names in the thread's context, made once per thread and reused:
    the same name in the same context is the same constant, which ``encode`` declares in
    every script (creating the handles again cost a tenth of a typical query)."""
    ctx = _context()
    cache: dict[str, _Literal] | None = getattr(_LOCAL, "literals", None)
    if cache is None:
        cache = _LOCAL.literals = {}
    out = []
    for name in names:
        literal = cache.get(name)
        if literal is None:
            literal = cache[name] = _Literal(z3, ctx, name)
        out.append(literal)
    return out


def competitor_sets(problem: Problem, component: Component) -> dict[int, list[frozenset[int]]]:
    """Per lesion of the component, the inclusion-minimal competitor sets of its findings;
    lesions that cover a finding with no competitor (always necessary) are left out."""
    lesions = component.lesions
    # Per finding and class, the lesions covering it at least that strongly (class 1: any).
    at_least: dict[tuple[int, int], frozenset[int]] = {}
    for f in component.findings:
        hitters = [
            (m, cover_class(problem.covers[m][f])) for m in lesions if f in problem.covers[m]
        ]
        at_least[f, 1] = frozenset(m for m, _ in hitters)
        at_least[f, 2] = frozenset(m for m, c in hitters if c >= 2)
    out: dict[int, list[frozenset[int]]] = {}
    for lesion in lesions:
        own = {lesion}
        sets = {
            at_least[f, cover_class(strength)] - own
            for f, strength in problem.covers[lesion].items()
        }
        if frozenset() in sets:
            continue
        out[lesion] = sorted(
            (c for c in sets if not any(o < c for o in sets)), key=lambda c: sorted(c)
        )
    return out


def encode(
    problem: Problem,
    component: Component,
    max_size: int,
    steps: Sequence[tuple[tuple[float, ...], frozenset[int]]] = (),
) -> str:
    """The component's constraints as one SMT-LIB script, parsed by Z3 in a single call:
    ``l{i}`` per lesion, ``n{j}`` per competitor set, ``g{k}`` guarding ``AtMost(k)``, and
    ``y{s}`` per step of the pruning bound (``y{s}`` only if one of the step's lesions is
    chosen: the bound counts the step's weight on ``not y{s}``)."""
    lesions = component.lesions
    lines = [f"(declare-const l{i} Bool)" for i in lesions]
    for k, (_, members) in enumerate(steps):
        lines.append(f"(declare-const y{k} Bool)")
        lines.append(f"(assert (or (not y{k}) {' '.join(f'l{i}' for i in sorted(members))}))")
    for f in component.findings:
        hitters = " ".join(f"l{i}" for i in lesions if f in problem.covers[i])
        lines.append(f"(assert (or {hitters}))")
    aux: dict[frozenset[int], str] = {}
    for lesion, sets in competitor_sets(problem, component).items():
        options = []
        for c in sets:
            name = aux.get(c)
            if name is None:
                name = aux[c] = f"n{len(aux)}"
                lines.append(f"(declare-const {name} Bool)")
                lines.extend(f"(assert (or (not {name}) (not l{m})))" for m in sorted(c))
            options.append(name)
        lines.append(f"(assert (or (not l{lesion}) {' '.join(options)}))")
    every = " ".join(f"l{i}" for i in lesions)
    for size in range(2, max_size + 1):
        lines.append(f"(declare-const g{size} Bool)")
        lines.append(f"(assert (=> g{size} ((_ at-most {size}) {every})))")
        lines.append(f"(assert (=> g{size} ((_ at-least {size}) {every})))")
    return "\n".join(lines)


# Keep at-most / at-least and the pseudo-Boolean bound as native constraints of the SAT core
# (its cardinality and PB propagators). A solver made for a logic reads its own parameters, not
# the global defaults, and without these it expands every such constraint into clauses.
NATIVE = (("sat.cardinality.solver", True), ("sat.pb.solver", "solver"))


def new_solver(z3: Any, ctx: Any) -> Any:
    """A ``QF_FD`` solver (Z3's SAT core, the right engine for a pure Boolean problem with
    cardinality constraints) on ``ctx`` with :data:`NATIVE` set. Made through the C call:
    ``z3.SolverFor`` builds the logic's name in Z3's global context, which would create that
    context (~10 ms of a cold start) although nothing else uses it."""
    logic = z3.Z3_mk_string_symbol(ctx.ref(), "QF_FD")
    solver = z3.Solver(solver=z3.Z3_mk_solver_for_logic(ctx.ref(), logic), ctx=ctx)
    for key, value in NATIVE:
        solver.set(key, value)
    return solver


class Z3Backend:
    name = "z3"

    def minimal_sets(
        self,
        problem: Problem,
        component: Component,
        max_size: int,
        deadline: float,
        pruning: Pruning | None = None,
    ) -> Iterator[tuple[int, list[tuple[int, ...]]]]:
        """Yield ``(size, sets)`` for size 1, 2, … up to ``max_size``; each set is a sorted
        tuple of lesion indexes. Raises :class:`SolverTimeout` when the deadline passes.

        With ``pruning`` (:class:`~neuroloc.solve.problem.Pruning`), every set found is
        recorded there, and the sets whose lower bound exceeds the ``top``-th best partial score
        found so far are excluded by a pseudo-Boolean constraint (tightened as better sets are
        found): the sets yielded are then a superset of those that can enter the top, not
        every irredundant set."""
        import z3  # imported here so that commands that never solve never load it

        wanted = set(component.findings)
        singles = [i for i in component.lesions if wanted <= set(problem.covers[i])]
        if deadline - time.monotonic() <= 0:
            raise SolverTimeout()
        yield 1, [(i,) for i in singles]
        if max_size < 2 or len(component.lesions) < 2:
            for size in range(2, max_size + 1):
                yield size, []
            return
        _fresh_context_if_due()
        ctx = _context()
        solver = new_solver(z3, ctx)
        steps = pruning.steps if pruning is not None else ()
        solver.from_string(encode(problem, component, max_size, steps))
        lesions = list(component.lesions)
        lits = _literals(z3, [f"l{i}" for i in lesions])
        decls = [v.decl for v in lits]
        neg = [v.neg for v in lits]
        bound = None
        if pruning is not None:
            absent = [v.neg for v in _literals(z3, [f"y{k}" for k in range(len(steps))])]
            literals = [(i, v.ast, v.neg) for i, v in zip(lesions, lits, strict=True)]
            sizes = range(2, max_size + 1)
            guard_literals = _literals(z3, [f"g{k}" for k in sizes])
            guards = {k: v.ast for k, v in zip(sizes, guard_literals, strict=True)}
            bound = _Bound(z3, solver, literals, pruning, absent, guards)
            for i in singles:
                bound.found((i,))
            off = {k: v.neg for k, v in zip(sizes, guard_literals, strict=True)}
            _block_known(z3, solver, pruning.known, off, dict(zip(lesions, neg, strict=True)))
        _LOCAL.live = getattr(_LOCAL, "live", 0) + 1  # this context stays while it runs
        token = _WATCHDOG.arm(ctx, deadline)
        try:
            yield from _enumerate(z3, solver, ctx, lesions, decls, neg, bound, max_size, deadline)
        finally:
            _WATCHDOG.disarm(token)
            _LOCAL.live -= 1


def _block_known(
    z3: Any,
    solver: Any,
    known: frozenset[tuple[int, ...]],
    off: dict[int, Any],
    negated: dict[int, Any],
) -> None:
    """Block the sets an earlier search found (:attr:`Pruning.known`) as each size blocks the
    sets it finds (``not g_k or not x_1 or ... or not x_k``; ``off``: ``not g_k`` per size,
    ``negated``: ``not x`` per lesion): they are recorded already."""
    ref = solver.ctx.ref()
    for chosen in sorted(known):
        if len(chosen) >= 2:
            n = len(chosen) + 1
            args = (z3.Ast * n)(off[len(chosen)], *(negated[i] for i in chosen))
            z3.Z3_solver_assert(ref, solver.solver, z3.Z3_mk_or(ref, n, args))


def _enumerate(
    z3: Any,
    solver: Any,
    ctx: Any,
    lesions: list[int],
    decls: list[Any],
    neg: list[Any],
    bound: _Bound | None,
    max_size: int,
    deadline: float,
) -> Iterator[tuple[int, list[tuple[int, ...]]]]:
    """The search itself: each size under its guard, a set blocked as soon as it is found."""
    ref = ctx.ref()
    slot = {lesion: k for k, lesion in enumerate(lesions)}
    n = len(lesions)
    interp, bool_value = _unchecked(z3, "Z3_model_get_const_interp", "Z3_get_bool_value")
    true = z3.Z3_L_TRUE
    for size in range(2, max_size + 1):
        (guard,) = _literals(z3, [f"g{size}"])
        off_ast = guard.neg
        found: list[tuple[int, ...]] = []
        if bound is not None:
            bound.start(size)
        while _check(z3, solver, guard.lit, deadline):
            # Read the lesion literals one by one through the C library (cheaper than
            # printing the model and parsing it, and than the checked wrappers: these calls
            # on a live model cannot fail); an unassigned literal is false. Exactly ``size``
            # are true under the guard, so reading stops at the last of them.
            model = solver.model()  # the Python object owns the model's reference
            raw = model.model
            picked: list[int] = []
            for k in range(n):
                value = interp(ref, raw, decls[k])
                if value is not None and bool_value(ref, value) == true:
                    picked.append(lesions[k])
                    if len(picked) == size:
                        break
            chosen = tuple(picked)
            found.append(chosen)
            # Under g_size the set has exactly ``size`` lesions, so "not all of these"
            # blocks exactly this set (a short clause, far stronger for the SAT core
            # than a clause over every literal); guarded by g_size, it leaves the
            # supersets free for the next sizes (a superset can be irredundant too).
            args = (z3.Ast * (size + 1))(off_ast, *(neg[slot[i]] for i in chosen))
            z3.Z3_solver_assert(ref, solver.solver, z3.Z3_mk_or(ref, size + 1, args))
            if bound is not None:
                bound.found(chosen)
        yield size, sorted(found)


def _unchecked(z3: Any, *names: str) -> list[Any]:
    """The C functions behind z3core's wrappers, which check the error state after every call
    (a third of the cost of reading a model); the wrapper itself where a z3 release keeps the
    function elsewhere."""
    out = []
    for name in names:
        wrapper = getattr(z3.z3core, name)
        out.append(getattr((wrapper.__defaults__ or (None,))[-1], "f", wrapper))
    return out


# Re-assert the bound after this many sets found, not after each: every new PB constraint costs
# its construction and slows the next checks, while a threshold applied a few sets late only
# lets a few more sets through (a threshold is always valid, only looser). Measured on the
# examples and 120 generated cases: 1 -> 8 cut the CPU time of the slowest 10 % by ~15-20 % for
# ~20 % more sets at p90; the threshold known when a size starts is always applied at once.
TIGHTEN_EVERY = 8


class _Bound:
    """The pruning constraint of one component's solver, one per set size ``k`` and guarded
    by ``g_k``: ``sum(a_i * l_i) + sum(w_k * not y) <= b`` in integers, with ``a_i`` and the
    steps' weights for size ``k`` scaled and rounded down and ``b`` the threshold rounded up,
    so that it never excludes a set whose bound is at or below the threshold. Asserted for a
    size when its search starts, and again for it whenever the threshold improves."""

    SCALE = 1000

    def __init__(
        self,
        z3: Any,
        solver: Any,
        literals: list[tuple[int, Any, Any]],
        pruning: Pruning,
        absent: list[Any],
        guards: dict[int, Any],
    ):
        """``literals``: (lesion, literal, its negation) per lesion; ``absent``: ``not y`` per
        step of ``pruning`` (the encoding's ``y{s}``); ``guards``: ``g_k`` per size; raw
        pointers that the thread's literal cache keeps alive."""
        self.z3, self.solver, self.pruning, self.guards = z3, solver, pruning, guards
        args, weights = [], []
        shift = 0
        for lesion, lit, neg in literals:
            weight = math.floor(pruning.coefficients[lesion] * self.SCALE)
            if weight > 0:
                args.append(lit)
                weights.append(weight)
            elif weight < 0:  # a*l = a + |a|*(not l): the constraint keeps positive weights
                args.append(neg)
                weights.append(-weight)
                shift -= weight
        self._base = (args, weights)
        self._absent = absent
        self.shift = shift
        self.size = 0
        self._terms: tuple[Any, Any, int, int] | None = None
        self.limit: int | None = None
        self._pending = 0

    def start(self, size: int) -> None:
        """The search of sets of ``size`` lesions begins: its constraint, if a threshold is
        already known."""
        args, weights = list(self._base[0]), list(self._base[1])
        for (step, _), literal in zip(self.pruning.steps, self._absent, strict=True):
            weight = math.floor(step[size - 1] * self.SCALE)  # never negative
            if weight > 0:
                args.append(literal)
                weights.append(weight)
        big = sum(weights)
        args.append(self.guards[size])  # g_k with weight M: the constraint binds only under g_k
        weights.append(0)  # set per limit (M depends on it)
        n = len(args)
        self._terms = ((self.z3.Ast * n)(*args), weights, big, n)
        self.size, self.limit = size, None
        if self.pruning.threshold is not None:
            self._tighten(self.pruning.threshold)

    def _limit(self, value: float) -> int:
        """The integer right-hand side that keeps every set whose bound is <= ``value``."""
        slack = (value - self.pruning.constant) * self.SCALE
        return math.floor(slack + 1e-6 * (1 + abs(slack))) + 1 + self.shift

    def _tighten(self, threshold: float) -> None:
        limit = self._limit(threshold)
        if self._terms is None or (self.limit is not None and limit >= self.limit):
            return
        self.limit = limit
        array, weights, big, n = self._terms
        guard_weight = big + max(0, -limit)  # g_k false: the sum can never exceed the limit
        weights[-1] = guard_weight
        z3, ref = self.z3, self.solver.ctx.ref()
        coefficients = (ctypes.c_int * n)(*weights)
        constraint = z3.Z3_mk_pble(ref, n, array, coefficients, limit + guard_weight)
        z3.Z3_inc_ref(ref, constraint)
        z3.Z3_solver_assert(ref, self.solver.solver, constraint)
        z3.Z3_dec_ref(ref, constraint)

    def found(self, chosen: tuple[int, ...]) -> None:
        """Record a set; every :data:`TIGHTEN_EVERY` sets, assert the improved threshold."""
        threshold = self.pruning.add(chosen)
        self._pending += 1
        if threshold is not None and self._pending >= TIGHTEN_EVERY:
            self._pending = 0
            self._tighten(threshold)


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

    ctx = _context()
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
        answer = opt.check()
        if answer == z3.unknown:
            _raise_if_keyboard(opt.reason_unknown())
        if answer != z3.sat:
            break
        model = opt.model()
        aside = tuple(f for f, c in covered.items() if not z3.is_true(model.eval(c, True)))
        overridden = tuple(j for j, k in kept.items() if not z3.is_true(model.eval(k, True)))
        cost = len(aside) + len(overridden)
        if best is not None and cost > best:
            break
        best = cost
        results.append((aside, overridden))
        if not cost:  # nothing needed setting aside: there is no other choice to ask for
            break
        # Ask for a different optimal choice: honour at least one of the findings set aside.
        opt.add(z3.Or([covered[f] for f in aside] + [kept[j] for j in overridden]))
    return results
