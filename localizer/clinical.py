"""Clinical context from the back-and-leg-pain source text (CONTRACT.md §6), as data.

* Red flags: phrases in ``clinical.history`` / ``clinical.exam`` are matched through the
  vocabulary in ``data/red_flags.yaml``, by exact name or else by content words and key-word
  sets (:class:`PhraseMatcher`); a negated or ambiguous phrase is bad input. The cauda equina
  flag is derived from abnormal saddle, anal reflex or sphincter findings, from the best
  candidate, or from phrases such as urinary retention. Urgent flags come first; a flag is
  never dropped.
* Pain timing: acute = sudden onset and at most 3 months; subacute = gradual onset and at most
  3 months; chronic = more than 3 months whatever the onset. 3 months is taken as 90 days. A
  duration of 90 days or less without an onset cannot be classed and is reported as bad input.
* The five common causes of back and sciatic pain are ranked by adding the weights of the
  features given for and against each (``data/common_causes.yaml``) and the data's hint for the
  level of the best candidate (a root lesion supports a herniated disc, no lesion supports
  myogenic or facet pain). No cause is special-cased in code.
"""

from __future__ import annotations

import difflib
import functools
import importlib.resources
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from neuroloc.anatomy.errors import AmbiguousName, NeurolocError, UnknownName
from neuroloc.anatomy.names import MAX_NAME, NameIndex, normalize

ACUTE_LIMIT_DAYS = 90
CLINICAL_KEYS = ("history", "exam", "features", "pain")
PAIN_KEYS = ("onset", "duration_days", "recurrent")
ONSETS = ("sudden", "gradual")


@dataclass(frozen=True, slots=True)
class PainInput:
    onset: str | None
    duration_days: int | None
    recurrent: bool


@dataclass(frozen=True, slots=True)
class ClinicalInput:
    history: tuple[str, ...] = ()
    exam: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    pain: PainInput | None = None


@dataclass(frozen=True, slots=True)
class RedFlag:
    id: str
    label: str
    why: str
    urgent: bool
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PainTiming:
    klass: str
    recurrent: bool


@dataclass(frozen=True, slots=True)
class CauseRanking:
    id: str
    label: str
    score: float
    for_: tuple[str, ...]
    against: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClinicalContext:
    red_flags: tuple[RedFlag, ...] = ()
    pain_timing: PainTiming | None = None
    causes: tuple[CauseRanking, ...] = ()


def _read(name: str) -> Any:
    """A clinical table, through the content-keyed JSON cache (YAML parsed only after an
    edit)."""
    from neuroloc.anatomy.loader import cached_data

    source = importlib.resources.files("neuroloc") / "data" / name
    return cached_data(name.removesuffix(".yaml"), source, _safe_load)


def _safe_load(text: str) -> Any:
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


class _Tables:
    """The clinical tables; the phrase matchers are built on first use (a case without a
    ``clinical`` block never needs them, and building them is most of the tables' cost)."""

    def __init__(
        self, flags: tuple[dict, ...], features: tuple[dict, ...], causes: tuple[dict, ...]
    ):
        self.flags = flags
        self.features = features
        self.causes = causes

    @functools.cached_property
    def flag_matcher(self) -> PhraseMatcher:
        return PhraseMatcher.build("red flag", self.flags, "red_flags.yaml")

    @functools.cached_property
    def feature_matcher(self) -> PhraseMatcher:
        return PhraseMatcher.build("clinical feature", self.features, "features.yaml")

    @property
    def flag_index(self) -> NameIndex:
        return self.flag_matcher.index

    @property
    def feature_index(self) -> NameIndex:
        return self.feature_matcher.index


@functools.cache
def _tables() -> _Tables:
    return _Tables(
        tuple(_read("red_flags.yaml")),
        tuple(_read("features.yaml")),
        tuple(_read("common_causes.yaml")),
    )


# ----------------------------------------------------------------------------- phrase matching
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


def _phrases(raw: Any, where: str, matcher: PhraseMatcher) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        raise NeurolocError(f"{where}: must be a list of phrases")
    found: list[str] = []
    for i, phrase in enumerate(raw):
        if not isinstance(phrase, str) or not phrase.strip():
            raise NeurolocError(f"{where}[{i}]: must be a phrase (text)")
        ident = matcher.resolve(phrase, where=f"{where}[{i}]")
        if ident not in found:
            found.append(ident)
    return tuple(found)


def parse_clinical(raw: object, where: str = "clinical") -> ClinicalInput:
    """Check the case's ``clinical`` block; any problem is a one-line NeurolocError."""
    if raw is None:
        return ClinicalInput()
    if not isinstance(raw, Mapping):
        raise NeurolocError(f"{where}: must be a mapping with history, exam, features, pain")
    for key in raw:
        if key not in CLINICAL_KEYS:
            raise NeurolocError(
                f"{where}: unknown key {key!r}; expected one of {', '.join(CLINICAL_KEYS)}"
            )
    tables = _tables()
    history = _phrases(raw.get("history"), f"{where}.history", tables.flag_matcher)
    exam = _phrases(raw.get("exam"), f"{where}.exam", tables.flag_matcher)
    features = _phrases(raw.get("features"), f"{where}.features", tables.feature_matcher)
    return ClinicalInput(history, exam, features, _pain(raw.get("pain"), f"{where}.pain"))


def _pain(raw: Any, where: str) -> PainInput | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise NeurolocError(f"{where}: must be a mapping with onset, duration_days, recurrent")
    for key in raw:
        if key not in PAIN_KEYS:
            raise NeurolocError(f"{where}: unknown key {key!r}; expected {', '.join(PAIN_KEYS)}")
    onset = raw.get("onset")
    if onset is not None and (not isinstance(onset, str) or onset.strip().lower() not in ONSETS):
        raise NeurolocError(f"{where}.onset: must be sudden or gradual (got {onset!r})")
    days = raw.get("duration_days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 0):
        raise NeurolocError(f"{where}.duration_days: must be a whole number of days >= 0")
    recurrent = raw.get("recurrent", False)
    if not isinstance(recurrent, bool):
        raise NeurolocError(f"{where}.recurrent: must be true or false")
    if days is not None and days <= ACUTE_LIMIT_DAYS and onset is None:
        raise NeurolocError(
            f"{where}: give the onset (sudden or gradual) to class pain of {days} days"
        )
    return PainInput(onset.strip().lower() if onset else None, days, recurrent)


def pain_timing(pain: PainInput | None) -> PainTiming | None:
    if pain is None or (pain.duration_days is None and pain.onset is None):
        return None
    if pain.duration_days is not None and pain.duration_days > ACUTE_LIMIT_DAYS:
        return PainTiming("chronic", pain.recurrent)
    return PainTiming("acute" if pain.onset == "sudden" else "subacute", pain.recurrent)


def assess(
    clinical: ClinicalInput,
    *,
    abnormal_targets: Collection[str],
    top_lesion_levels: Collection[str] | None,
    candidate_sites: Collection[str],
) -> ClinicalContext:
    """Raise the red flags, time the pain and rank the causes.

    ``candidate_sites`` are the sites of the leading candidate (they raise site-triggered
    flags); ``top_lesion_levels`` is None when the search ended without an answer, so the
    ranking of causes does not read "no lesion found" into a search that was cut short.
    """
    tables = _tables()
    raised: list[tuple[int, RedFlag]] = []
    for flag in tables.flags:
        evidence: list[str] = []
        if flag["id"] in clinical.history:
            evidence.append("history")
        if flag["id"] in clinical.exam:
            evidence.append("examination")
        triggers = flag.get("triggers", {})
        evidence += [f"finding {t}" for t in triggers.get("findings", []) if t in abnormal_targets]
        evidence += [f"candidate {s}" for s in triggers.get("sites", []) if s in candidate_sites]
        limit = flag.get("derive_from_duration_days")
        pain = clinical.pain
        if limit is not None and pain and pain.duration_days and pain.duration_days > limit:
            evidence.append(f"pain for {pain.duration_days} days")
        if evidence:
            flagged = RedFlag(
                flag["id"], flag["label"], flag["why"], flag["urgent"], tuple(evidence)
            )
            raised.append((flag.get("priority", 100), flagged))
    raised.sort(key=lambda pf: (not pf[1].urgent, pf[0]))
    causes = () if top_lesion_levels is None else _causes(clinical, top_lesion_levels)
    return ClinicalContext(tuple(f for _, f in raised), pain_timing(clinical.pain), causes)


def site_warnings(ranked: Sequence[tuple[int, float, Collection[str]]]) -> list[str]:
    """Warnings for flag-triggering sites that lie in a plausible runner-up candidate.

    ``ranked`` holds (rank, score, site ids) best first. A flag's ``not_excluded`` text is
    given when one of its trigger sites is in a candidate other than the first whose score is
    within the flag's ``plausible_within`` of the best (a likelihood ratio, in nats): the cauda
    equina deserves a word when it is a real alternative, not in every one-sided case.
    """
    if len(ranked) < 2:
        return []
    best = ranked[0][1]
    out: list[str] = []
    for flag in _tables().flags:
        text = flag.get("not_excluded")
        sites = set(flag.get("triggers", {}).get("sites", []))
        if not text or not sites or sites & set(ranked[0][2]):
            continue
        window = float(flag.get("plausible_within", 0.0))
        for rank, score, site_ids in ranked[1:]:
            if sites & set(site_ids) and score - best <= window:
                out.append(" ".join(text.split()).format(rank=rank))
                break
    return out


def _causes(clinical: ClinicalInput, levels: Collection[str]) -> tuple[CauseRanking, ...]:
    if not clinical.features:
        return ()
    tables = _tables()
    labels = {f["id"]: f["label"] for f in tables.features}
    ranked: list[CauseRanking] = []
    for cause in tables.causes:
        score = 0.0
        pros: list[str] = []
        cons: list[str] = []
        for feature in clinical.features:
            if feature in cause["for"]:
                score += cause["for"][feature]
                pros.append(labels[feature])
            if feature in cause["against"]:
                score -= cause["against"][feature]
                cons.append(labels[feature])
        hints = cause.get("localization", {})
        for level in sorted(set(levels)) or ["none"]:
            weight = hints.get(level, 0)
            where = "no lesion found" if level == "none" else f"a {level}-level lesion"
            if weight > 0:
                pros.append(f"localization: {where}")
            elif weight < 0:
                cons.append(f"localization: {where}")
            score += weight
        ranked.append(CauseRanking(cause["id"], cause["label"], score, tuple(pros), tuple(cons)))
    ranked.sort(key=lambda c: (-c.score, c.id))
    return tuple(ranked)


def vocabulary() -> dict[str, list[tuple[str, str, tuple[str, ...]]]]:
    tables = _tables()
    return {
        "red-flags": [(f["id"], f["label"], tuple(f.get("synonyms", []))) for f in tables.flags],
        "features": [(f["id"], f["label"], tuple(f["synonyms"])) for f in tables.features],
        "causes": [(c["id"], c["label"], ()) for c in tables.causes],
    }


def clinical_json(
    red_flags: tuple[RedFlag, ...], pain: PainTiming | None, causes: tuple[CauseRanking, ...]
) -> dict[str, Any]:
    return {
        "red_flags": [
            {"id": f.id, "label": f.label, "urgent": f.urgent, "why": f.why,
             "evidence": list(f.evidence)}
            for f in red_flags
        ],
        "pain_timing": {"class": pain.klass, "recurrent": pain.recurrent} if pain else None,
        "causes": [
            {"id": c.id, "label": c.label, "for": list(c.for_), "against": list(c.against)}
            for c in causes
        ],
    }  # fmt: skip


def validate_clinical_data(data: Mapping[str, Any] | None = None) -> list[str]:
    """Faults in the clinical tables (or in ``data``: {flags, features, causes, sources})."""
    from neuroloc.anatomy.loader import default_data_dir

    if data is None:
        tables = _tables()
        sources = {
            s["key"]
            for s in yaml.safe_load((default_data_dir() / "sources.yaml").read_text("utf-8"))
        }
        data = {"flags": tables.flags, "features": tables.features, "causes": tables.causes,
                "sources": sources}  # fmt: skip
    faults: list[str] = []
    features = {f["id"] for f in data["features"]}
    for table in ("flags", "features", "causes"):
        for record in data[table]:
            if not record.get("sources"):
                faults.append(f"{table} {record.get('id')}: no sources")
            for key in record.get("sources", []):
                if key not in data["sources"]:
                    faults.append(f"{table} {record.get('id')}: unknown source {key!r}")
    for cause in data["causes"]:
        for side in ("for", "against"):
            for feature in cause.get(side, {}):
                if feature not in features:
                    faults.append(f"causes {cause['id']}: unknown feature {feature!r} in {side}")
    return faults
