"""Name normalisation and lookup with closest-name suggestions.

Users type names the way clinicians say them: any case, hyphens or spaces, "peroneal" or
"fibular", abbreviations (TA, EHL), possessives ("Morton's"). :func:`normalize` folds all of
these onto one key, and :class:`NameIndex` maps keys to ids and proposes the closest known
names when a key is unknown. Both the anatomy resolver and the clinical vocabulary use it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from neuroloc.anatomy.errors import AmbiguousName, UnknownName

# Word-level equivalences applied after lower-casing: the two nomenclatures of the leg nerves.
_WORD_EQUIVALENTS: Mapping[str, str] = {
    "peroneal": "fibular",
    "peroneus": "fibularis",
    "peronei": "fibulares",
}
_SEPARATORS = re.compile(r"[\s\-_/,.;:()\[\]]+")
_APOSTROPHES = re.compile(r"['’`´]")


def normalize(text: str) -> str:
    """Fold a user-typed name onto its lookup key.

    >>> normalize("Peroneus  Longus")
    'fibularis longus'
    >>> normalize("Morton's neuroma")
    'mortons neuroma'
    >>> normalize("abductor digiti minimi (foot)")
    'abductor digiti minimi foot'
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _APOSTROPHES.sub("", folded)
    words = [w for w in _SEPARATORS.split(folded) if w]
    return " ".join(_WORD_EQUIVALENTS.get(w, w) for w in words)


MAX_NAME = 100  # characters of an unknown name compared with the known ones
MAX_ECHO = 80  # characters of a user's text repeated in an error message


def clip_text(text: str, limit: int = MAX_ECHO) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis and the full length when cut:
    an error message repeats what was typed, never a megabyte of it.

    >>> clip_text("tibialis", 5)
    'tibia… (8 characters)'
    """
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text)} characters)"


def shown(value: object, limit: int = MAX_ECHO) -> str:
    """A bounded ``repr`` of any value for an error message (a 5,000-digit integer, whose
    ``repr`` Python refuses, is described by its size).

    >>> shown(10**5000)
    'a number of 16610 bits'
    """
    if isinstance(value, str):
        return repr(clip_text(value, limit))
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"a number of {value.bit_length()} bits"
    try:
        text = repr(value)
    except Exception:  # a value whose repr fails
        text = f"<{type(value).__name__}>"
    return clip_text(text, limit)


def odd_characters(text: str) -> str:
    """Name the characters that look Latin but are not (a Cyrillic 'е' in 'left')."""
    import unicodedata

    odd = [c for c in text if ord(c) > 127 and (c.isalpha() or not c.isprintable())]
    if not odd:
        return ""
    shown = ", ".join(f"{c!r} ({unicodedata.name(c, f'U+{ord(c):04X}')})" for c in odd[:3])
    return f" (it contains {shown}: retype it in plain letters)"


@dataclass
class NameIndex:
    """Normalised name -> ids, with the display names kept for suggestions.

    A name may point at several ids (e.g. "sural" is a nerve and a study); :meth:`resolve`
    then asks the caller to disambiguate rather than guessing.
    """

    kind: str
    _ids: dict[str, set[str]] = field(default_factory=dict)
    _display: dict[str, str] = field(default_factory=dict)

    def add(self, ident: str, names: Iterable[str]) -> None:
        for name in names:
            key = normalize(name)
            if not key:
                continue
            self._ids.setdefault(key, set()).add(ident)
            self._display.setdefault(key, name)

    def lookup(self, name: str) -> tuple[str, ...]:
        """Every id the name could mean (empty when unknown), sorted."""
        return tuple(sorted(self._ids.get(normalize(name), ())))

    def resolve(self, name: str, where: str = "") -> str:
        ids = self.lookup(name)
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            raise AmbiguousName(name, ids, where=where)
        raise UnknownName(name, self.kind, self.suggest(name), where=where)

    def suggest(self, name: str, limit: int = 3) -> tuple[str, ...]:
        """The closest known display names: fuzzy matches first, then word-prefix matches."""
        key = normalize(name[: MAX_NAME * 4])[:MAX_NAME].strip()  # a fixed budget per name
        if not key:
            return ()
        keys = sorted(self._display)
        import difflib  # only for a name that is not found

        close = difflib.get_close_matches(key, keys, n=limit, cutoff=0.6)
        if len(close) < limit:
            words = key.split()
            for candidate in keys:
                if candidate in close:
                    continue
                if any(
                    c.startswith(w) or w.startswith(c) for w in words for c in candidate.split()
                ):
                    close.append(candidate)
                if len(close) >= limit:
                    break
        seen: list[str] = []
        for k in close:
            display = self._display[k]
            if display not in seen:
                seen.append(display)
        return tuple(seen[:limit])

    def names(self) -> dict[str, tuple[str, ...]]:
        """id -> every display name registered for it, for vocabulary listings."""
        by_id: dict[str, list[str]] = {}
        for key in sorted(self._ids):
            for ident in sorted(self._ids[key]):
                by_id.setdefault(ident, []).append(self._display[key])
        return {ident: tuple(names) for ident, names in sorted(by_id.items())}

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and normalize(name) in self._ids
