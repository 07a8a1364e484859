"""The interactive exam (``neuroloc exam``): ask for the best next test, read its result, re-rank.

The loop lives here, free of any terminal: :class:`Session` holds the case built so far and
answers one line at a time (:meth:`Session.answer`), so the command line only reads lines and
prints what it is given, and tests drive it with plain strings.
"""

from __future__ import annotations

import functools

from neuroloc.anatomy import load_atlas
from neuroloc.anatomy.names import normalize

_NAME_KINDS = ("muscle", "movement", "reflex", "sensory", "snap", "cmap", "ncs")


@functools.cache
def finding_names() -> tuple[str, ...]:
    """Every name a finding may use (labels, synonyms, bedside phrases), for completion."""
    from neuroloc.findings import grade_table

    atlas = load_atlas()
    names: set[str] = set()
    for kind in _NAME_KINDS:
        for ident, given in atlas.index(kind).names().items():
            names.update(n for n in given if n != ident)
            names.add(atlas.label(ident))
    names.update(grade_table().phrases)
    return tuple(sorted(names, key=str.casefold))


def complete_names(incomplete: str, limit: int = 60) -> list[str]:
    """The names that begin as ``incomplete`` does (case and spelling folded like lookups);
    nothing once the name is finished (after ``=``)."""
    if "=" in incomplete:
        return []
    head = normalize(incomplete)
    matches = [n for n in finding_names() if normalize(n).startswith(head)]
    return matches[:limit]
