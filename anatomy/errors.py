"""Domain exceptions shared by every layer.

Every error a user can cause is a :class:`NeurolocError`. The command line catches that one base
class, prints its one-line message and exits 2; anything else is an internal fault (exit 1).
"""

from __future__ import annotations

from collections.abc import Sequence


class NeurolocError(ValueError):
    """Bad input: an unknown name, a malformed case, conflicting findings, a broken table."""


class UnknownName(NeurolocError):
    """A name that resolves to nothing; carries the closest known names."""

    def __init__(self, name: str, kind: str, suggestions: Sequence[str] = (), where: str = ""):
        from neuroloc.anatomy.names import clip_text, odd_characters

        name = clip_text(name) if isinstance(name, str) else name
        self.name = name
        self.kind = kind
        self.suggestions = tuple(suggestions)
        self.where = where

        prefix = f"{where}: " if where else ""
        hint = f"; closest: {', '.join(self.suggestions)}" if self.suggestions else ""
        super().__init__(f"{prefix}unknown {kind} {name!r}{hint}{odd_characters(name)}")


class AmbiguousName(NeurolocError):
    """A name that matches structures of several kinds; the caller must say which kind."""

    def __init__(self, name: str, candidates: Sequence[str], where: str = "", hint: str = ""):
        from neuroloc.anatomy.names import clip_text

        self.name = name = clip_text(name) if isinstance(name, str) else name
        self.candidates = tuple(candidates)
        prefix = f"{where}: " if where else ""
        advice = hint or "prefix it with its kind (e.g. 'muscle:NAME')"
        super().__init__(
            f"{prefix}{name!r} is ambiguous: it could be {', '.join(self.candidates)}; {advice}"
        )


class AtlasError(NeurolocError):
    """The knowledge base is inconsistent; raised by the loader with every fault listed."""

    def __init__(self, faults: Sequence[str]):
        self.faults = tuple(faults)
        head = self.faults[0] if self.faults else "invalid knowledge base"
        more = f" (and {len(self.faults) - 1} more)" if len(self.faults) > 1 else ""
        super().__init__(f"knowledge base: {head}{more}")
