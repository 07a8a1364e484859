"""neuroloc's knowledge base of the legs and arms: tables, model, pathway graph, name resolution.

This folder, ``anatomy/``, installs as :mod:`neuroloc.anatomy`; it imports nothing from the rest
of the package, and loading it does not load the solver.

>>> from neuroloc.anatomy import load_atlas
>>> atlas = load_atlas()
>>> atlas.resolve("TA")
'muscle:tibialis-anterior'
"""

from neuroloc.anatomy.atlas import KINDS, LIST_KINDS, Atlas, build_atlas, load_atlas, validate
from neuroloc.anatomy.errors import AmbiguousName, AtlasError, NeurolocError, UnknownName
from neuroloc.anatomy.model import Site, Strength, Target
from neuroloc.anatomy.names import normalize

__all__ = [
    "KINDS",
    "LIST_KINDS",
    "AmbiguousName",
    "Atlas",
    "AtlasError",
    "NeurolocError",
    "Site",
    "Strength",
    "Target",
    "UnknownName",
    "build_atlas",
    "load_atlas",
    "normalize",
    "validate",
]
