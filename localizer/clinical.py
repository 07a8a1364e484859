"""Clinical context from the back-and-leg-pain source text (CONTRACT.md §6), as data.

* Red flags: phrases in ``clinical.history`` / ``clinical.exam`` are matched through the
  vocabulary in ``data/red_flags.yaml``, by exact name or else by content words and key-word
  sets (:class:`neuroloc.phrases.PhraseMatcher`, the general phrase matching: stemming,
  negation, opposites); a negated or ambiguous phrase is bad input. ``clinical.features``
  resolve the same way through ``data/features.yaml``. The cauda equina flag is derived from
  abnormal saddle, anal reflex or sphincter findings, from the best candidate, or from phrases
  such as urinary retention. Urgent flags come first; a flag is never dropped.
* Pain timing: acute = sudden onset and at most 3 months; subacute = gradual onset and at most
  3 months; chronic = more than 3 months whatever the onset. 3 months is taken as 90 days. A
  duration of 90 days or less without an onset cannot be classed and is reported as bad input.
* The five common causes of back and sciatic pain are ranked by adding the weights of the
  features given for and against each (``data/common_causes.yaml``) and the data's hint for the
  level of the best candidate (a root lesion supports a herniated disc, no lesion supports
  myogenic or facet pain). No cause is special-cased in code.
"""

from __future__ import annotations

import functools
import importlib.resources
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from neuroloc.anatomy.errors import NeurolocError
from neuroloc.anatomy.names import NameIndex
from neuroloc.phrases import PhraseMatcher

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


TABLE_FILES = {
    "flags": "red_flags.yaml",
    "features": "features.yaml",
    "causes": "common_causes.yaml",
}


def _read(name: str) -> Any:
    """A clinical table, through the content-keyed JSON cache (YAML parsed only after an
    edit, by the loader that refuses duplicate keys)."""
    from neuroloc.anatomy.loader import cached_data

    source = importlib.resources.files("neuroloc") / "data" / name
    return cached_data(name.removesuffix(".yaml"), source, _parse_yaml)


def _parse_yaml(text: str) -> Any:
    from neuroloc.anatomy.yamlsafe import load_yaml  # PyYAML only when the cache cannot serve

    return load_yaml(text)


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
        tuple(_read(TABLE_FILES["flags"])),
        tuple(_read(TABLE_FILES["features"])),
        tuple(_read(TABLE_FILES["causes"])),
    )


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


def _read_fresh() -> tuple[dict[str, Any], list[str]]:
    """The clinical tables and the source keys read from their YAML, never from the cache
    (``neuroloc validate``), with the faults that stopped any of them."""
    from neuroloc.anatomy.loader import default_data_dir
    from neuroloc.anatomy.yamlsafe import read_table

    data: dict[str, Any] = {}
    faults: list[str] = []
    for table, name in TABLE_FILES.items():
        records, fault = read_table(importlib.resources.files("neuroloc") / "data" / name)
        data[table] = records or []
        faults += [fault] if fault else []
    sources, fault = read_table(default_data_dir() / "sources.yaml")
    data["sources"] = {s["key"] for s in sources or ()}
    faults += [fault] if fault else []
    return data, faults


def validate_clinical_data(data: Mapping[str, Any] | None = None) -> list[str]:
    """Faults in the clinical tables as the YAML holds them (or in ``data``: {flags, features,
    causes, sources})."""
    if data is None:
        data, faults = _read_fresh()
        if faults:
            return faults
    faults = []
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
