"""neuroloc: where is the lesion? From a limb examination to ranked minimal lesion sets.

This folder, ``localizer/``, installs as the package :mod:`neuroloc` itself; the repository's
other folders become its subpackages (``anatomy/`` -> :mod:`neuroloc.anatomy`, ``cli/`` ->
:mod:`neuroloc.cli`, ``examples/`` -> :mod:`neuroloc.examples`).

The public surface is the names in ``neuroloc.__all__``, importable from here with one import;
everything else (the modules behind them, their other functions) may change between versions::

    >>> from neuroloc import localize, to_json
    >>> result = localize({"side": "left", "findings": [{"muscle": "TA", "grade": 2}]})
    >>> result.best.lesions[0].level in {"root", "plexus", "nerve", "cauda-equina"}
    True

:class:`Localizer` holds a knowledge base (an :class:`Atlas`) and its ranking weights;
``localize``, ``explain`` and ``simulate`` are the methods of a default one built on the
shipped atlas when first used. Names are loaded on first use, so ``import neuroloc.anatomy``
does not pay for the solver.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - for type checkers and readers
    from neuroloc.anatomy import (
        AmbiguousName,
        Atlas,
        AtlasError,
        NeurolocError,
        UnknownName,
        load_atlas,
    )
    from neuroloc.batch import Summary, run_batch
    from neuroloc.findings import Case, Finding, parse_case
    from neuroloc.forward import SimulatedFinding, Simulation
    from neuroloc.localizer import Localizer, explain, localize, simulate
    from neuroloc.options import LIMITS, Limit
    from neuroloc.ranking import Weights, load_weights
    from neuroloc.report import FORMATS, render
    from neuroloc.result import (
        DISCLAIMER,
        SCHEMA,
        Candidate,
        FindingResult,
        Fit,
        LesionResult,
        Link,
        Localization,
        NextTest,
        Options,
        Unexplained,
        WhatIf,
        to_json,
    )

    __version__: str

# public name -> the module that defines it
_EXPORTS: dict[str, str] = {
    # asking
    "Localizer": "neuroloc.localizer",
    "localize": "neuroloc.localizer",
    "explain": "neuroloc.localizer",
    "simulate": "neuroloc.localizer",
    "run_batch": "neuroloc.batch",
    "Summary": "neuroloc.batch",
    "LIMITS": "neuroloc.options",
    "Limit": "neuroloc.options",
    # the knowledge base and the weights a Localizer is built on
    "Atlas": "neuroloc.anatomy",
    "load_atlas": "neuroloc.anatomy",
    "Weights": "neuroloc.ranking",
    "load_weights": "neuroloc.ranking",
    # cases
    "Case": "neuroloc.findings",
    "Finding": "neuroloc.findings",
    "parse_case": "neuroloc.findings",
    # answers
    "Localization": "neuroloc.result",
    "Candidate": "neuroloc.result",
    "LesionResult": "neuroloc.result",
    "FindingResult": "neuroloc.result",
    "Link": "neuroloc.result",
    "Unexplained": "neuroloc.result",
    "NextTest": "neuroloc.result",
    "Fit": "neuroloc.result",
    "Options": "neuroloc.result",
    "WhatIf": "neuroloc.result",
    "Simulation": "neuroloc.forward",
    "SimulatedFinding": "neuroloc.forward",
    "DISCLAIMER": "neuroloc.result",
    "SCHEMA": "neuroloc.result",
    # output
    "to_json": "neuroloc.result",
    "render": "neuroloc.report",
    "FORMATS": "neuroloc.report",
    # errors (bad input is a NeurolocError; the others are its kinds)
    "NeurolocError": "neuroloc.anatomy",
    "UnknownName": "neuroloc.anatomy",
    "AmbiguousName": "neuroloc.anatomy",
    "AtlasError": "neuroloc.anatomy",
}

__all__ = [
    "DISCLAIMER",
    "FORMATS",
    "LIMITS",
    "SCHEMA",
    "AmbiguousName",
    "Atlas",
    "AtlasError",
    "Candidate",
    "Case",
    "Finding",
    "FindingResult",
    "Fit",
    "LesionResult",
    "Limit",
    "Link",
    "Localization",
    "Localizer",
    "NeurolocError",
    "NextTest",
    "Options",
    "SimulatedFinding",
    "Simulation",
    "Summary",
    "Unexplained",
    "UnknownName",
    "Weights",
    "WhatIf",
    "explain",
    "load_atlas",
    "load_weights",
    "localize",
    "parse_case",
    "render",
    "run_batch",
    "simulate",
    "to_json",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":  # the installed distribution's version (a fallback from source)
        from neuroloc.versions import neuroloc_version

        return neuroloc_version()
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'neuroloc' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
