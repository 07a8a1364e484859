"""One object that localizes: a knowledge base (atlas) and its ranking weights, handed in.

As ``sqlite_utils.Database`` hands its tables a database and pgmpy an inference object its
model, a :class:`Localizer` is built on an atlas and asked questions: :meth:`~Localizer.localize`,
:meth:`~Localizer.explain`, :meth:`~Localizer.simulate`. Every stage below it receives that atlas;
none loads one. Two localizers with different atlases work side by side in one process.

``neuroloc.localize``, ``neuroloc.explain`` and ``neuroloc.simulate`` are the methods of a
default instance built on the shipped atlas when first used (:func:`default_localizer`): the
only place, with the command line that goes through it, where the shipped atlas is loaded.

>>> from neuroloc import Localizer
>>> localizer = Localizer()
>>> result = localizer.localize({"side": "left", "findings": [{"muscle": "TA", "grade": 2}]})
>>> result.atlas is localizer.atlas
True
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from neuroloc.anatomy import Atlas, NeurolocError, Strength, load_atlas
from neuroloc.findings import Case
from neuroloc.forward import Simulation
from neuroloc.options import DEFAULT_MAX_LESIONS, DEFAULT_TIMEOUT, DEFAULT_TOP, LIMITS
from neuroloc.ranking import Weights, load_weights
from neuroloc.result import Localization, Options

CaseInput = Case | Mapping[str, Any] | str | Path | None
SIMULATION_THRESHOLDS = ("likely", "certain")


class Localizer:
    """Localizes cases against one atlas with one set of ranking weights.

    ``atlas`` defaults to the shipped knowledge base, ``weights`` to the shipped
    ``ranking.yaml``; ``solver`` (``z3`` or ``csp``) is the backend used unless a call names
    another.
    """

    def __init__(
        self, atlas: Atlas | None = None, weights: Weights | None = None, solver: str = "z3"
    ) -> None:
        from neuroloc.solve.search import get_backend

        if atlas is not None and not isinstance(atlas, Atlas):
            raise NeurolocError(f"atlas must be a neuroloc Atlas, not {type(atlas).__name__}")
        if not isinstance(solver, str):
            raise NeurolocError(f"solver must be a name (z3 or csp), not {solver!r}")
        self.solver = get_backend(solver).name
        self.atlas = load_atlas() if atlas is None else atlas
        self.weights = load_weights() if weights is None else weights

    def __repr__(self) -> str:
        return f"Localizer({len(self.atlas.sites)} sites, solver={self.solver!r})"

    # ------------------------------------------------------------------ cases
    def case(
        self,
        case: CaseInput,
        *,
        side: str | None = None,
        expressions: Sequence[str] = (),
        stdin_text: str | None = None,
        strict: bool = False,
        history: Sequence[str] = (),
    ) -> Case:
        """Anything a caller may pass as a case (a path, a case mapping, a GA4GH Phenopacket,
        a parsed :class:`Case`, ``-f`` expressions, ``--history`` texts) -> a checked case, in
        this localizer's names."""
        from neuroloc.engine import as_case
        from neuroloc.findings import with_history

        parsed = as_case(
            self.atlas,
            case,
            side=side,
            expressions=expressions,
            stdin_text=stdin_text,
            strict=strict,
        )
        return with_history(parsed, history)

    # ------------------------------------------------------------------ questions
    def localize(
        self,
        case: CaseInput,
        *,
        top: int = DEFAULT_TOP,
        max_lesions: int = DEFAULT_MAX_LESIONS,
        side: str | None = None,
        solver: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        expressions: Sequence[str] = (),
        stdin_text: str | None = None,
        strict: bool = False,
        history: Sequence[str] = (),
    ) -> Localization:
        """Localize a case: the ranked minimal lesion sets, next tests and clinical context.

        ``case`` is a path to a YAML/JSON case file (or a Phenopacket), a mapping in the
        case-file structure, or a parsed :class:`Case`; ``expressions`` adds inline
        ``[KIND:]NAME=GRADE[@SIDE]`` findings and ``history`` texts to its ``clinical.history``.
        The search ends within ``timeout`` seconds (the best candidates found by then are
        returned, with a warning).
        """
        result, _ = self._run(
            case, top, max_lesions, side, solver, timeout, expressions, stdin_text, strict, history
        )
        return result

    def explain(
        self,
        case: CaseInput,
        *,
        tests: int = 3,
        top: int = DEFAULT_TOP,
        max_lesions: int = DEFAULT_MAX_LESIONS,
        side: str | None = None,
        solver: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        expressions: Sequence[str] = (),
        stdin_text: str | None = None,
        strict: bool = False,
        history: Sequence[str] = (),
    ) -> Localization:
        """:meth:`localize`, explained for teaching: the reasoning and the page every format of
        ``neuroloc explain`` lays out (``result.teaching``, ``result.page``), with what each of
        the first ``tests`` next tests would change. ``timeout`` bounds the whole explanation:
        the re-runs share the query's one deadline."""
        from neuroloc.engine import explain_result
        from neuroloc.solve.search import get_backend

        LIMITS["tests"].check(tests)
        result, deadline = self._run(
            case, top, max_lesions, side, solver, timeout, expressions, stdin_text, strict, history
        )
        backend = get_backend(result.options.solver)
        return explain_result(
            self.atlas, self.weights, backend, result, tests=tests, deadline=deadline
        )

    def simulate(
        self,
        sites: Iterable[str] | str,
        *,
        side: str | None = None,
        threshold: str = "likely",
    ) -> Simulation:
        """The examination a set of lesions predicts (the forward model): ``sites`` are
        ``SITE[@SIDE]`` texts (``root:L5@right``, ``nerve:common-fibular@fibular-head``);
        ``side`` is the side of a site given without one (left by default); a target is
        predicted abnormal when a lesion reaches it at least ``threshold`` (``likely`` or
        ``certain``)."""
        from neuroloc.forward import parse_lesion, simulation

        if isinstance(sites, str):
            sites = [sites]
        specs = list(sites)
        if not specs or not all(isinstance(spec, str) for spec in specs):
            raise NeurolocError("simulate needs one or more sites as text, e.g. ['root:L5@right']")
        if threshold not in SIMULATION_THRESHOLDS:
            raise NeurolocError(
                f"threshold must be one of {', '.join(SIMULATION_THRESHOLDS)}, not {threshold!r}"
            )
        if side is not None and side not in ("left", "right", "both"):
            raise NeurolocError(f"side must be left, right or both, not {side!r}")
        lesions = [parse_lesion(self.atlas, spec, side) for spec in specs]
        return simulation(self.atlas, lesions, threshold=Strength.weakest(threshold))

    def label(self, finding_id: str) -> str:
        """A finding id in words, in this localizer's atlas (``emg:tibialis-anterior`` ->
        "EMG Tibialis anterior")."""
        from neuroloc.labels import finding_label

        return finding_label(self.atlas, finding_id)

    # ------------------------------------------------------------------ the one pipeline
    def _run(
        self,
        case: CaseInput,
        top: int,
        max_lesions: int,
        side: str | None,
        solver: str | None,
        timeout: float,
        expressions: Sequence[str],
        stdin_text: str | None,
        strict: bool,
        history: Sequence[str],
    ) -> tuple[Localization, float]:
        """The localization and the deadline it was given (explain's re-runs share it)."""
        from neuroloc.engine import check_options, localize_case
        from neuroloc.solve.search import get_backend

        if isinstance(expressions, Iterator):  # a generator: read it once, here, not lose it
            expressions = tuple(expressions)
        solver = self.solver if solver is None else solver
        check_options(top, max_lesions, timeout, solver, expressions)
        backend = get_backend(solver)
        parsed = self.case(
            case,
            side=side,
            expressions=expressions,
            stdin_text=stdin_text,
            strict=strict,
            history=history,
        )
        options = Options(top, max_lesions, side, backend.name, float(timeout))
        deadline = time.monotonic() + options.timeout
        result = localize_case(self.atlas, self.weights, backend, parsed, options, deadline)
        return result, deadline


@functools.cache
def default_localizer() -> Localizer:
    """The localizer on the shipped atlas and weights, built once, on first use."""
    return Localizer()


def localize(case: CaseInput, **options: Any) -> Localization:
    """:meth:`Localizer.localize` of the default localizer (the shipped atlas)."""
    return default_localizer().localize(case, **options)


def explain(case: CaseInput, **options: Any) -> Localization:
    """:meth:`Localizer.explain` of the default localizer (the shipped atlas)."""
    return default_localizer().explain(case, **options)


def simulate(sites: Iterable[str] | str, **options: Any) -> Simulation:
    """:meth:`Localizer.simulate` of the default localizer (the shipped atlas)."""
    return default_localizer().simulate(sites, **options)
