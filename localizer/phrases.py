"""Free-text phrase matching: a phrase typed in the clinic resolves to one record of a table.

General machinery, with no clinical table in it: words are folded (case, accents,
punctuation), stop words dropped and simple English inflections reduced (:func:`_stem`);
words of absence fold onto ``no`` and words calling a thing normal onto ``normal``, so a
negated phrase is recognised (:class:`NegatedPhrase`) rather than read as the sign it denies;
a phrase naming two records equally is :class:`AmbiguousPhrase`; a suggestion never says the
opposite of what was typed (:func:`opposite`). :class:`PhraseMatcher` is built from any table
of ``{id, label, synonyms, keywords}`` records; :mod:`neuroloc.clinical` builds one for the red
flags and one for the clinical features.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from neuroloc.anatomy.errors import AmbiguousName, NeurolocError, UnknownName
from neuroloc.anatomy.names import MAX_NAME, NameIndex, normalize

# Clinical phrases are free text (issue 13). A phrase resolves in this order:
#
# 1. exactly, through the record's label, id and ``synonyms`` (NameIndex: case, hyphens and
#    spacing folded);
# 2. otherwise by content words: the phrase is lower-cased, accents and punctuation dropped,
#    stop words removed, simple inflections reduced (:func:`_stem`: treatment/treated -> treat,
#    steroids -> steroid, tenderness -> tender, percussion/percussing -> percuss), absence
#    words folded onto ``no`` and words calling the thing normal onto ``normal``. A record is
#    a candidate when, for one of its key-word sets (the content words of its label and of
#    each synonym, plus its ``keywords`` entries, whose words may list alternatives as
#    ``a|b|c``), every word is in the phrase.
#    Extra words in the phrase are allowed. The candidate whose matched words include those of
#    every other candidate wins; two candidates that each match words the other does not (e.g.
#    "fever and weight loss") are an ambiguous phrase naming both, so that no sign is lost.
# 3. A phrase with a negation ("no night pain", "denies fever", "weight loss: negative") or
#    calling the thing normal ("normal anal tone") is never read as the sign it denies: unless
#    one of the winning record's key-word sets holds the negation itself and covers every
#    other key-word set the phrase fills (the feature "no root compression on imaging", the
#    sign "absent anal reflex"), it is bad input asking to leave the phrase out.
# 4. A phrase that matches nothing is an UnknownName with the closest names.

NEGATION = "no"
NORMAL = "normal"
DENIALS = frozenset({NEGATION, NORMAL})
# Words that deny a sign. Absence words fold onto NEGATION ("no anal reflex" and "absent anal
# reflex" are one phrase); words that call the thing normal fold onto NORMAL, which no sign
# carries, so "normal anal tone" is never read as "absent anal tone".
_NEGATION_WORDS = frozenset(
    """no not non nil none nothing never neither nor without absent absence denies denied deny
    denying excluded ruled doesnt dont didnt isnt wasnt arent werent hasnt hadnt cannot
    cant""".split()  # noqa: SIM905
)
_NORMAL_WORDS = frozenset(
    """normal normally unremarkable negative neg nad wnl intact preserved free afebrile
    apyrexial""".split()  # noqa: SIM905
)
_STOP_WORDS = frozenset(
    """a an the of on in at to for with by from and or as is are was were be been being has
    have had having he she his her him they them their its it this that these those some any
    very also which who when while during since due patient patients pt reports reported
    report complains complaining history hx previous past known prior do does did""".split()  # noqa: SIM905
)
_SUFFIXES = ("ness", "ments", "ment", "ings", "ing", "ions", "ion", "ed", "ly", "es", "s")
_WORD = re.compile(r"[a-z0-9]+")
_WITHOUT = re.compile(r"\bw/o\b", re.IGNORECASE)


def _stem(word: str) -> str:
    """Reduce simple English inflections, the same way for phrases and for the tables.

    >>> [_stem(w) for w in ("treatment", "treated", "steroids", "tenderness", "percussion")]
    ['treat', 'treat', 'steroid', 'tender', 'percuss']
    >>> [_stem(w) for w in ("percussing", "processes", "tapping", "spinous", "loss")]
    ['percuss', 'process', 'tap', 'spinous', 'loss']
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    stem = word
    for suffix in _SUFFIXES:
        if not word.endswith(suffix) or len(word) - len(suffix) < 3:
            continue
        if suffix == "es" and not word[:-2].endswith(("s", "x", "z", "ch", "sh")):
            continue
        if suffix == "s" and word.endswith(("ss", "us", "is")):
            continue
        stem = word[: -len(suffix)]
        if suffix in ("ing", "ings", "ed") and stem[-1] == stem[-2] and stem[-1] not in "lsz":
            stem = stem[:-1]
        break
    if stem.endswith("e") and len(stem) > 4:
        stem = stem[:-1]
    return stem


def _words(text: str) -> list[str]:
    """Lower-case words without accents or punctuation ("Lasègue's" -> "lasegues")."""
    folded = unicodedata.normalize("NFKD", normalize(_WITHOUT.sub(" without ", text)))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _WORD.findall(folded)


def _token(word: str) -> str | None:
    if word in _NEGATION_WORDS:
        return NEGATION
    if word in _NORMAL_WORDS:
        return NORMAL
    if word in _STOP_WORDS or (len(word) == 1 and word.isalpha()):
        return None
    return _stem(word)


def content_words(text: str) -> tuple[str, ...]:
    """The phrase's content words as the matcher sees them, in order, each once.

    >>> content_words("Long-term steroid treatment")
    ('long', 'term', 'steroid', 'treat')
    >>> content_words("Denies night sweats")
    ('no', 'night', 'sweat')
    """
    out: list[str] = []
    for word in _words(text):
        token = _token(word)
        if token and token not in out:
            out.append(token)
    return tuple(out)


class NegatedPhrase(NeurolocError):
    """A clinical phrase that denies a sign; it is refused rather than read as the sign."""

    def __init__(self, phrase: str, word: str, kind: str, where: str = ""):
        self.phrase = phrase
        self.word = word
        self.suggestions: tuple[str, ...] = ()
        prefix = f"{where}: " if where else ""
        super().__init__(
            f"{prefix}{phrase!r} denies the sign ({word!r}): list only the {kind}s that are"
            " present and leave this phrase out (a negated phrase is never read as the sign)"
        )


class AmbiguousPhrase(AmbiguousName):
    """A clinical phrase that names several records equally; each must be its own phrase."""

    def __init__(
        self, phrase: str, candidates: Sequence[tuple[str, str]], kind: str, where: str = ""
    ):
        self.name = phrase
        self.candidates = tuple(ident for ident, _ in candidates)
        prefix = f"{where}: " if where else ""
        named = "; ".join(f"{label} ({ident})" for ident, label in candidates)
        NeurolocError.__init__(
            self,
            f"{prefix}{phrase!r} matches more than one {kind}: {named}; give each as its own"
            " phrase, or use the exact names from `neuroloc vocabulary`",
        )


@dataclass(frozen=True, slots=True)
class _Record:
    ident: str
    label: str
    names: tuple[str, ...]
    # Key-word sets; each set is a tuple of slots, a slot the stems that may fill it.
    keysets: tuple[tuple[frozenset[str], ...], ...]

    @property
    def vocabulary(self) -> frozenset[str]:
        return frozenset(stem for keyset in self.keysets for slot in keyset for stem in slot)

    def matches(self, words: frozenset[str]) -> list[frozenset[str]]:
        """For each key-word set whose every slot is filled, the phrase words filling it."""
        out: list[frozenset[str]] = []
        for keyset in self.keysets:
            hits = [slot & words for slot in keyset]
            if all(hits):
                out.append(frozenset().union(*hits))
        return out


def _keyset(entry: object, where: str) -> tuple[frozenset[str], ...]:
    if not isinstance(entry, str) or not entry.strip():
        raise NeurolocError(f"{where}: a keywords entry must be words (text), got {entry!r}")
    slots: list[frozenset[str]] = []
    for word in entry.split():
        stems: set[str] = set()
        for alternative in word.split("|"):
            tokens = [t for t in (_token(w) for w in _words(alternative)) if t]
            if len(tokens) != 1:
                raise NeurolocError(
                    f"{where}: {alternative!r} in keywords {entry!r} must be one content word"
                )
            stems.add(tokens[0])
        slots.append(frozenset(stems))
    return tuple(slots)


@dataclass(frozen=True)
class PhraseMatcher:
    """Resolves free-text clinical phrases to record ids (exact names first, then key words)."""

    kind: str
    index: NameIndex
    records: tuple[_Record, ...]

    @classmethod
    def build(cls, kind: str, records: Sequence[Mapping[str, Any]], source: str) -> PhraseMatcher:
        index = NameIndex(kind)
        built: list[_Record] = []
        for record in records:
            names = [record["label"], *record.get("synonyms", [])]
            index.add(record["id"], [record["label"], record["id"], *record.get("synonyms", [])])
            keysets: list[tuple[frozenset[str], ...]] = []
            for name in names:
                words = content_words(name)
                if words:
                    keysets.append(tuple(frozenset([w]) for w in words))
            for entry in record.get("keywords", []):
                keysets.append(_keyset(entry, f"{source} {record['id']}"))
            built.append(_Record(record["id"], record["label"], tuple(names), tuple(keysets)))
        return cls(kind, index, tuple(built))

    def resolve(self, phrase: str, where: str = "") -> str:
        ids = self.index.lookup(phrase)
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            raise AmbiguousName(phrase, ids, where=where)
        words = frozenset(content_words(phrase))
        by_record = {r.ident: hits for r in self.records if (hits := r.matches(words))}
        matched = {ident: frozenset().union(*hits) for ident, hits in by_record.items()}
        best = [i for i, m in matched.items() if not any(m < other for other in matched.values())]
        denials = words & DENIALS
        if denials and not self._negation_is_the_sign(denials, best, by_record):
            word = next(w for w in _words(phrase) if _token(w) in DENIALS)
            raise NegatedPhrase(phrase, word, self.kind, where=where)
        if len(best) == 1:
            return best[0]
        if best:
            labels = {r.ident: r.label for r in self.records}
            raise AmbiguousPhrase(phrase, [(i, labels[i]) for i in best], self.kind, where)
        raise UnknownName(phrase, self.kind, self.suggest(phrase), where=where)

    @staticmethod
    def _negation_is_the_sign(
        denials: frozenset[str], best: list[str], by_record: Mapping[str, list[frozenset[str]]]
    ) -> bool:
        """Whether a negated phrase names a record that is itself a negation.

        True only when one record wins and one of its key-word sets holds the negation and
        covers every other key-word set the phrase fills: "absent anal reflex" is the cauda
        equina sign, "no root compression" the feature, but "no loss of perianal sensation"
        fills "loss perianal sensation" outside the negated set and is refused.
        """
        if len(best) != 1:
            return False
        every = [hit for hits in by_record.values() for hit in hits]
        return any(
            denials <= hit and all(other <= hit for other in every) for hit in by_record[best[0]]
        )

    def suggest(self, phrase: str, limit: int = 3) -> tuple[str, ...]:
        """The closest names: records sharing content words, then spelling likeness."""
        phrase = phrase[: 4 * MAX_NAME]  # a fixed budget, whatever the length typed
        key = normalize(phrase)
        words = frozenset(content_words(phrase)) - DENIALS
        scored: list[tuple[float, int, str]] = []
        for order, record in enumerate(self.records):
            overlap = len(words & record.vocabulary)
            ratio, name = max(
                (difflib.SequenceMatcher(None, key, normalize(n)).ratio(), n) for n in record.names
            )
            if (overlap or ratio >= 0.6) and not opposite(phrase, name):
                scored.append((-(overlap + ratio), order, name))
        return tuple(name for _, _, name in sorted(scored)[:limit])


# Words of opposite meaning: a suggestion that says the opposite of what was typed ("weight
# gain" -> "weight loss") would turn a typo into the wrong finding, so it is never offered.
ANTONYMS: tuple[tuple[str, str], ...] = (
    ("gain", "loss"),
    ("increase", "decrease"),
    ("increased", "decreased"),
    ("brisk", "reduced"),
    ("hyper", "hypo"),
    ("more", "less"),
    ("better", "worse"),
    ("improving", "worsening"),
    ("present", "absent"),
)


def opposite(typed: str, suggestion: str) -> bool:
    """Whether ``suggestion`` holds a word opposite to one of ``typed`` that ``typed`` lacks."""
    said = set(normalize(typed).split())
    offered = set(normalize(suggestion).split())
    for a, b in ANTONYMS:
        for mine, theirs in ((a, b), (b, a)):
            if mine in said and theirs in offered and theirs not in said:
                return True
    return False
