"""neuroloc's knowledge base of the lower limb: tables, model, pathway graph, name resolution.

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
