"""neuroloc: where is the lesion? From a limb examination to ranked minimal lesion sets.

This folder, ``localizer/``, installs as the package :mod:`neuroloc` itself; the repository's
other folders become its subpackages (``anatomy/`` -> :mod:`neuroloc.anatomy`, ``cli/`` ->
:mod:`neuroloc.cli`, ``examples/`` -> :mod:`neuroloc.examples`).

The public surface, importable from here with one import::

    >>> from neuroloc import localize, to_json
    >>> result = localize({"side": "left", "findings": [{"muscle": "TA", "grade": 2}]})
    >>> result.best.lesions[0].level in {"root", "plexus", "nerve", "cauda-equina"}
    True

The knowledge base is :mod:`neuroloc.anatomy` (``neuroloc.anatomy.load_atlas()``), the command
line :mod:`neuroloc.cli` and the worked examples :mod:`neuroloc.examples`. Names are loaded on
first use, so ``import neuroloc.anatomy`` does not pay for the solver.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - for type checkers and readers
    # ruff: noqa: F401 - re-exports for type checkers, resolved lazily at run time
    from neuroloc.anatomy import NeurolocError, load_atlas
    from neuroloc.engine import localize
    from neuroloc.findings import Case, Finding, parse_case
    from neuroloc.result import DISCLAIMER, SCHEMA, Candidate, Localization, to_json

    __version__: str

# public name -> the module that defines it
_EXPORTS: dict[str, str] = {
    "localize": "neuroloc.engine",
    "Case": "neuroloc.findings",
    "Finding": "neuroloc.findings",
    "parse_case": "neuroloc.findings",
    "DISCLAIMER": "neuroloc.result",
    "SCHEMA": "neuroloc.result",
    "Candidate": "neuroloc.result",
    "Localization": "neuroloc.result",
    "to_json": "neuroloc.result",
    "NeurolocError": "neuroloc.anatomy",
    "load_atlas": "neuroloc.anatomy",
}

__all__ = sorted(_EXPORTS)


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
