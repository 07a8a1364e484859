"""GA4GH Phenopacket v2 in and out (issues 17 and 26), with the ``phenopackets`` protobuf classes.

Writing keeps two views of one examination apart:

- ``phenotypicFeatures`` is the HPO view, for tools that know only HPO: one feature per HPO term
  and state (observed / excluded), the sides merged into one laterality modifier (Bilateral when
  both), the severity of a weakness in ``severity``, and no term beside its own ancestor (a
  general term is dropped when a more specific one is present; an exclusion is dropped when a
  present term says the same or more). A normal finding is written as an excluded term only
  when the term means that finding alone.
- ``measurements`` is the examination itself, one per finding: the ``assay`` is what was examined
  (``neuroloc:muscle.tibialis-anterior``), the value its grade (``neuroloc:grade.2``), the
  procedure's ``bodySite`` its side (the HPO laterality term). Read back, these give exactly the
  findings written; nothing depends on the free-text ``description``.

Every CURIE has two parts, ``PREFIX:local``, and every prefix is declared in
``metaData.resources``. The first candidate of a localization becomes an interpretation whose
progress status is ``IN_PROGRESS``: a localization is a hypothesis, never a solved case.

Reading: measurements written by neuroloc are read first; then each phenotypic feature not
already said by them is read through its HPO term: a term of ``ontology.yaml`` directly, a
broader term curators use through the HPO hierarchy (hpo3) with a warning naming what was
assumed, an obsolete term through its replacement. ``severity`` grades a weakness (Severe -> MRC
2, Moderate -> 3, Mild -> 4); a feature with a ``resolution`` is no longer present and is skipped.
Features neuroloc cannot read are returned by name, never dropped silently.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format
from phenopackets.schema.v2 import (
    Diagnosis,
    Interpretation,
    Measurement,
    MetaData,
    OntologyClass,
    Phenopacket,
    PhenotypicFeature,
    Procedure,
    Resource,
)
from phenopackets.schema.v2.core.measurement_pb2 import Value

from neuroloc.anatomy import Atlas, NeurolocError
from neuroloc.ontology import (
    DEFAULT_ABNORMAL_GRADE,
    NORMAL_GRADE,
    UNILATERAL,
    Ontology,
    Term,
    family,
    hpo_ancestors,
    hpo_lineage,
    hpo_replacement,
    hpo_term,
    load_ontology,
)

SCHEMA_VERSION = "2.0"
NEUROLOC_PREFIX = "neuroloc"
NEUROLOC_IRI = "urn:neuroloc:"


def _kinds() -> Mapping[str, Any]:
    """The finding kinds (localizer/data/kinds.yaml)."""
    from neuroloc.kinds import finding_kinds

    return finding_kinds()


# HPO severity, mildest first: the worst of several findings merged into one feature is kept.
_SEVERITY_ORDER = ("borderline", "mild", "moderate", "severe", "profound")


# ------------------------------------------------------------------------------------ CURIEs
def curie(ident: str) -> str:
    """A neuroloc id as a two-part CURIE: ``muscle:tibialis-anterior`` ->
    ``neuroloc:muscle.tibialis-anterior`` (every ``:`` of the id becomes ``.``)."""
    return f"{NEUROLOC_PREFIX}:{ident.replace(':', '.')}"


def ident_of(value: str) -> str | None:
    """The neuroloc id of one of its CURIEs (the inverse of :func:`curie`); None for others."""
    prefix, sep, local = value.partition(":")
    if not sep or prefix != NEUROLOC_PREFIX or not local:
        return None
    return local.replace(".", ":")


def _grade_curie(grade: str) -> str:
    return f"{NEUROLOC_PREFIX}:grade.{grade.replace(' ', '_')}"


def _grade_of(value: str) -> str | None:
    prefix, _, local = value.partition(":")
    if prefix != NEUROLOC_PREFIX or not local.startswith("grade."):
        return None
    return local.removeprefix("grade.").replace("_", " ") or None


# ------------------------------------------------------------------------------------ reading
@dataclass
class PacketReading:
    """What a Phenopacket says in neuroloc's terms."""

    case: dict[str, Any]  # the case-file structure (CONTRACT §2)
    unmapped: list[str] = field(default_factory=list)  # features read as nothing, by name
    warnings: list[str] = field(default_factory=list)  # every lossy or doubtful reading


def is_phenopacket(data: Any) -> bool:
    """True for a mapping shaped like a Phenopacket, Family or Cohort (not a case file)."""
    if not isinstance(data, Mapping) or "findings" in data:
        return False
    keys = {"phenotypicFeatures", "phenotypic_features", "metaData", "meta_data"}
    return bool((keys | {"proband", "members"}) & set(data))


def read_phenopacket(
    atlas: Atlas, data: Mapping[str, Any], *, side: str | None = None
) -> PacketReading:
    """A Phenopacket v2 (its JSON as a mapping) -> the case it describes, in ``atlas``'s names.

    ``side`` is the default side of the caller (``--side``): a feature marked Unilateral without
    saying which side is bad input without it. Features without laterality get no side, so the
    case's default side applies.
    """
    packet = _parse(data)
    onto = load_ontology()
    reading = PacketReading(case={"title": packet.id or "phenopacket", "findings": []})
    findings: list[dict[str, Any]] = reading.case["findings"]

    def add(finding: dict[str, Any]) -> None:
        if finding not in findings:
            findings.append(finding)

    written: list[tuple[str, str, str]] = []  # (finding id, grade, side) from measurements
    for measurement in packet.measurements:
        finding_id = ident_of(measurement.assay.id)
        grade = measurement.value.ontology_class.label or _grade_of(
            measurement.value.ontology_class.id
        )
        if finding_id is None or finding_id.split(":", 1)[0] not in _kinds() or not grade:
            assay = measurement.assay
            reading.unmapped.append(f"{assay.label or assay.id} ({assay.id}, measurement)")
            continue
        body = measurement.procedure.body_site.id
        msr_side = onto.side_for_laterality(body) if body else None
        written.append((finding_id, grade, msr_side or "both"))
        add(_finding(atlas, finding_id, grade, msr_side))
    said = _said_by(atlas, onto, written) if written else (set(), set())
    history: list[str] = []
    broad: list[dict[str, Any]] = []  # read from broader terms: kept where nothing specific is
    for feature in packet.phenotypic_features:
        _read_feature(atlas, onto, feature, side, said, reading, add, history, broad.append)
    for finding in broad:
        clash = next((f for f in findings if _same_target(f, finding)), None)
        if clash is None:
            findings.append(finding)
        elif clash != finding:
            reading.warnings.append(
                f"{finding_text(finding)} (from a broader term) not used: the packet says "
                f"{finding_text(clash)}"
            )
    if history:
        reading.case["clinical"] = {"history": history}
    return reading


def _parse(data: Mapping[str, Any]) -> Phenopacket:
    if not isinstance(data, Mapping):
        raise NeurolocError("phenopacket: not a JSON object")
    if "proband" in data or "members" in data:
        what = "Family" if "proband" in data else "Cohort"
        name = data.get("id") or "without an id"
        raise NeurolocError(
            f"phenopacket: {name!s} is a GA4GH {what}, not one person's Phenopacket: give one "
            "member (neuroloc localizes one examination at a time)"
        )
    meta = data.get("metaData") or data.get("meta_data") or {}
    meta = meta if isinstance(meta, Mapping) else {}  # a malformed one is reported by the parser
    version = str(
        meta.get("phenopacketSchemaVersion") or meta.get("phenopacket_schema_version") or ""
    )
    v1_keys = {"genes", "variants", "htsFiles", "hts_files"} & set(data)
    features = data.get("phenotypicFeatures") or data.get("phenotypic_features") or []
    v1_feature = isinstance(features, list) and any(
        isinstance(f, Mapping) and ({"negated", "classOfOnset"} & set(f)) for f in features
    )
    if version.startswith("1") or v1_keys or v1_feature:
        raise NeurolocError(
            "phenopacket: this is a Phenopacket v1 (schema version 1, or its fields "
            f"{', '.join(sorted(v1_keys)) or 'negated / classOfOnset'}); neuroloc reads v2: "
            "convert it first (phenopacket-tools convert)"
        )
    try:
        return json_format.ParseDict(dict(data), Phenopacket())
    except (json_format.ParseError, TypeError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise NeurolocError(f"phenopacket: not a valid GA4GH Phenopacket v2 ({first})") from None


def _said_by(
    atlas: Atlas, onto: Ontology, written: Sequence[tuple[str, str, str]]
) -> tuple[set, set]:
    """The (term, excluded) pairs neuroloc writes for these findings, before dropping
    redundant ones, and the ancestors of their present terms: a feature among them only
    repeats the measurements."""
    from neuroloc.findings import parse_case

    entries = [_finding(atlas, fid, grade, side) for fid, grade, side in written]
    try:  # the grades' status (normal, abnormal, upper motor neuron) as a case file reads them
        parsed = parse_case(atlas, {"findings": entries}, label="measurements").findings
    except NeurolocError:
        return set(), set()  # not a case neuroloc wrote: every feature is read on its own
    pairs: set[tuple[str, bool]] = set()
    for f in parsed:
        for term, excluded in _terms_of(onto, f.id, f.kind, f.status, f.grade):
            pairs.add((term.id, excluded))
    ancestors = {a for tid, excluded in pairs if not excluded for a in hpo_ancestors(tid)}
    return pairs, ancestors


def _read_feature(
    atlas: Atlas,
    onto: Ontology,
    feature: PhenotypicFeature,
    default_side: str | None,
    said: tuple[set, set],
    reading: PacketReading,
    add: Any,
    history: list[str],
    add_broad: Any,
) -> None:
    hpo = feature.type.id
    name = f"{feature.type.label or hpo} ({hpo}{', excluded' if feature.excluded else ''})"
    pairs, ancestors = said
    if (hpo, feature.excluded) in pairs or (not feature.excluded and hpo in ancestors):
        return  # the measurements already say it, exactly
    if feature.HasField("resolution"):
        reading.warnings.append(
            f"phenopacket feature {name} skipped: it has a resolution, so it is not current"
        )
        return
    replacement = hpo_replacement(hpo)
    if replacement is not None:
        reading.warnings.append(
            f"phenopacket feature {name}: obsolete HPO id, read as its replacement "
            f"{replacement[1]} ({replacement[0]})"
        )
        hpo = replacement[0]
    side = _side(onto, feature, name, default_side)
    if side is None and UNILATERAL in {m.id for m in feature.modifiers}:
        reading.warnings.append(
            f"phenopacket feature {name} is Unilateral without a side: read on the --side "
            f"given ({default_side})"
        )
    grade = _severity_grade(onto, feature, name, reading)
    direct = onto.reading(hpo)
    if direct is not None:
        finding = _direct(atlas, direct, feature.excluded, side, grade)
        if finding is None:
            reading.unmapped.append(name)
        else:
            add(finding)
        return
    if feature.excluded:  # a broader term excluded denies more than one finding: not read
        reading.unmapped.append(name)
        return
    for ancestor in hpo_lineage(hpo):
        general = onto.general.get(ancestor)
        nearer = onto.reading(ancestor) if ancestor != hpo else None
        if general is None and nearer is None:
            continue
        parent = hpo_term(ancestor) if ancestor != hpo else None
        via = f" through its ancestor {parent.name} ({ancestor})" if parent is not None else ""
        if nearer is not None:
            finding = _direct(atlas, nearer, False, side, grade)
            if finding is not None:
                add_broad(finding)
                reading.warnings.append(
                    f"phenopacket feature {name} read{via} as {finding_text(finding)}"
                )
                return
            continue
        assert general is not None
        if general.region:
            zone = _named_zone(atlas, feature)
            if zone is None:
                break
            add_broad(_finding(atlas, zone, "reduced", side))
            reading.warnings.append(f"phenopacket feature {name} read{via}: {general.note} "
                                    f"({zone})")  # fmt: skip
            return
        for finding_id, base in general.findings:
            motor = family(finding_id.split(":", 1)[0]) == "motor"
            add_broad(
                _finding(atlas, finding_id, grade if motor and grade else base, side or "both")
            )
        history.extend(h for h in general.history if h not in history)
        reading.warnings.append(f"phenopacket feature {name} read{via}: {general.note}")
        return
    reading.unmapped.append(name)


def _direct(
    atlas: Atlas, direct: Any, excluded: bool, side: str | None, grade: str | None
) -> dict | None:
    kind = direct.finding.split(":", 1)[0]
    fam = family(kind)
    if excluded:
        if not direct.normal_when_excluded:
            return None
        return _finding(atlas, direct.finding, NORMAL_GRADE[fam], side)
    named = direct.grade
    if fam == "motor":
        named = grade or ("2" if named == "severe" else None)
    return _finding(atlas, direct.finding, named or DEFAULT_ABNORMAL_GRADE[fam], side)


def _side(
    onto: Ontology, feature: PhenotypicFeature, name: str, default_side: str | None
) -> str | None:
    ids = [m.id for m in feature.modifiers]
    sides = {s for i in ids if (s := onto.side_for_laterality(i)) is not None}
    if len(sides) > 1:
        return "both"
    if sides:
        return sides.pop()
    if UNILATERAL in ids and default_side is None:
        raise NeurolocError(
            f"phenopacket feature {name} is Unilateral but says not which side: "
            "give the side with --side left|right (or a Left / Right modifier)"
        )
    return None


def _severity_grade(
    onto: Ontology, feature: PhenotypicFeature, name: str, reading: PacketReading
) -> str | None:
    from_field = (
        onto.mrc_for_severity(feature.severity.id) if feature.HasField("severity") else None
    )
    from_mods = [g for m in feature.modifiers if (g := onto.mrc_for_severity(m.id)) is not None]
    if from_field is not None:
        if any(g != from_field for g in from_mods):
            reading.warnings.append(
                f"phenopacket feature {name}: its severity modifier contradicts its severity "
                f"{feature.severity.label or feature.severity.id}; the severity field is used "
                f"(MRC {from_field})"
            )
        return from_field
    if len(set(from_mods)) > 1:
        reading.warnings.append(
            f"phenopacket feature {name}: contradicting severity modifiers; the first is used"
        )
    return from_mods[0] if from_mods else None


def _named_zone(atlas: Atlas, feature: PhenotypicFeature) -> str | None:
    """The sensory zone a Hypoesthesia feature names (a modifier's label, else the words of its
    description after "of" / "in" / "over"), resolved as a case file's zone name is."""
    texts = [m.label for m in feature.modifiers if m.label]
    description = feature.description or ""
    texts.extend(description[m.end() :] for m in re.finditer(r"\b(?:of|in|over|on)\b", description))
    for text in texts:
        candidate = re.sub(r"^(?:the|both)\s+", "", text.strip(" .;,"))
        if not candidate:
            continue
        try:
            return str(atlas.resolve(candidate, ("sensory",)))
        except (KeyError, NeurolocError, TypeError, ValueError):
            continue
    return None


def _finding(atlas: Atlas, finding_id: str, grade: str, side: str | None) -> dict[str, Any]:
    from neuroloc.labels import finding_target

    kind = finding_id.split(":", 1)[0]
    out: dict[str, Any] = {kind: finding_target(atlas, finding_id), "grade": grade}
    if side:
        out["side"] = side
    return out


def _same_target(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Two findings about the same target on an overlapping side (no side or both overlaps all)."""
    kind_a = next(k for k in a if k in _kinds())
    kind_b = next(k for k in b if k in _kinds())
    if (kind_a, a[kind_a]) != (kind_b, b[kind_b]):
        return False
    sides = {a.get("side") or "both", b.get("side") or "both"}
    return len(sides) == 1 or "both" in sides


def finding_text(finding: Mapping[str, Any]) -> str:
    kind = next(k for k in finding if k in _kinds())
    side = f" ({finding['side']})" if finding.get("side") else ""
    return f"{finding[kind]} = {finding['grade']}{side}"


# ------------------------------------------------------------------------------------ writing
def write_phenopacket(
    atlas: Atlas,
    case: Any,
    *,
    packet_id: str | None = None,
    subject: str | None = None,
    created: str | _dt.datetime | None = None,
    result: Any = None,
) -> dict[str, Any]:
    """A case (parsed :class:`neuroloc.Case`, or a case mapping in ``atlas``'s names) -> a
    Phenopacket v2 JSON dict.

    ``created`` (ISO 8601 or a datetime) is ``metaData.created``; by default ``SOURCE_DATE_EPOCH``
    when set (reproducible builds), else now (UTC). ``subject`` is the subject's id (default: the
    packet's). ``result``, a :class:`neuroloc.Localization` of the case, adds its first candidate
    as an interpretation.
    """
    from neuroloc.findings import Case, parse_case

    if not isinstance(case, Case):
        case = parse_case(atlas, case)
    onto = load_ontology()
    packet = Phenopacket(id=packet_id or case_packet_id(case.title))
    packet.subject.id = subject or packet.id
    for feature in _features(atlas, onto, case.findings):
        packet.phenotypic_features.append(feature)
    for f in case.findings:
        packet.measurements.append(_measurement(onto, atlas, f))
    if result is not None and result.candidates:
        packet.interpretations.append(_interpretation(packet.subject.id, result))
    packet.meta_data.CopyFrom(_meta_data(onto, created))
    return json_format.MessageToDict(packet)


def _terms_of(
    onto: Ontology, finding_id: str, kind: str, status: str, grade: str
) -> list[tuple[Term, bool]]:
    """The (term, excluded) a finding is written as in the HPO view, before redundancy."""
    if status == "normal":
        return [(term, True) for term in onto.excluded_for(finding_id)]
    term = onto.term_for(finding_id, kind, status, grade)
    return [(term, False)] if term is not None else []


@dataclass
class _Entry:
    term: Term
    excluded: bool
    sides: set[str] = field(default_factory=set)
    severity: Term | None = None
    labels: list[str] = field(default_factory=list)


def _midline(atlas: Any, target: str) -> bool:
    """A target supplied from both sides at once (saddle, anal sphincter): it has no side."""
    flags = [atlas.targets[m].midline for m in atlas.members(target) if m in atlas.targets]
    return bool(flags) and all(flags)


def _features(atlas: Atlas, onto: Ontology, findings: Iterable[Any]) -> list[PhenotypicFeature]:
    from neuroloc.labels import finding_label

    entries: dict[tuple[str, bool], _Entry] = {}
    for f in findings:
        for term, excluded in _terms_of(onto, f.id, f.kind, f.status, f.grade):
            entry = entries.setdefault((term.id, excluded), _Entry(term, excluded))
            if not _midline(atlas, f.target):
                entry.sides.add(f.side)
            entry.labels.append(f"{finding_label(atlas, f.id)} {f.grade} ({f.side})")
            severity = None if excluded else onto.severity_for(f.kind, f.grade)
            if severity is not None and _worse(onto, severity, entry.severity):
                entry.severity = severity
    present = {tid for tid, excluded in entries if not excluded}
    below = {tid: hpo_ancestors(tid) for tid in present}
    covered = {a for ancestors in below.values() for a in ancestors}
    kept: list[_Entry] = []
    for (tid, excluded), entry in entries.items():
        if not excluded and tid in covered:
            continue  # a more specific present term says it
        if excluded and (tid in present or tid in covered):
            continue  # a present term says the same or more: its exclusion would contradict
        if excluded and any((a, True) in entries for a in hpo_ancestors(tid)):
            continue  # an excluded ancestor already denies it
        kept.append(entry)
    features = []
    for entry in kept:
        feature = PhenotypicFeature(
            type=OntologyClass(id=entry.term.id, label=entry.term.label),
            excluded=entry.excluded,
            description="; ".join(entry.labels),
        )
        laterality = _laterality(onto, entry.sides)
        if laterality is not None:
            feature.modifiers.append(OntologyClass(id=laterality.id, label=laterality.label))
        if entry.severity is not None:
            feature.severity.CopyFrom(
                OntologyClass(id=entry.severity.id, label=entry.severity.label)
            )
        features.append(feature)
    return features


def _worse(onto: Ontology, new: Term, old: Term | None) -> bool:
    if old is None:
        return True
    rank = {onto.severity[name][0].id: i for i, name in enumerate(_SEVERITY_ORDER)}
    return rank.get(new.id, 0) > rank.get(old.id, 0)


def _laterality(onto: Ontology, sides: set[str]) -> Term | None:
    if "both" in sides or {"left", "right"} <= sides:
        return onto.laterality_for("both")
    return onto.laterality_for(next(iter(sides))) if sides else None


def _measurement(onto: Ontology, atlas: Any, f: Any) -> Measurement:
    label = _label(atlas, f.id)
    procedure = Procedure(
        code=OntologyClass(id=f"{NEUROLOC_PREFIX}:exam.{f.kind}", label=_kinds()[f.kind].exam)
    )
    laterality = None if _midline(atlas, f.target) else onto.laterality_for(f.side)
    if laterality is not None:
        procedure.body_site.CopyFrom(OntologyClass(id=laterality.id, label=laterality.label))
    return Measurement(
        description=f"{label}: {f.grade} ({f.side})",
        assay=OntologyClass(id=curie(f.id), label=label),
        value=Value(ontology_class=OntologyClass(id=_grade_curie(f.grade), label=f.grade)),
        procedure=procedure,
    )


def _interpretation(subject: str, result: Any) -> Interpretation:
    best = result.candidates[0]
    parts = [f"{lesion.label} ({lesion.side})" for lesion in best.lesions]
    ids = [lesion.public_id or lesion.id for lesion in best.lesions]
    code = curie(ids[0]) if len(ids) == 1 else curie("+".join(i.replace(":", ".") for i in ids))
    summary = (
        f"neuroloc's leading localization (rank 1 of {len(result.candidates)} shown, "
        f"probability {best.probability:.2f}): {' + '.join(parts)}. A hypothesis from the "
        "examination, not a diagnosis."
    )
    return Interpretation(
        id=f"{subject}-localization-1",
        progress_status=Interpretation.ProgressStatus.IN_PROGRESS,
        diagnosis=Diagnosis(disease=OntologyClass(id=code, label=" + ".join(parts))),
        summary=summary,
    )


def created_timestamp() -> _dt.datetime:
    """Now (UTC, whole seconds), or ``SOURCE_DATE_EPOCH`` when set, for reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return _dt.datetime.fromtimestamp(int(epoch), _dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise NeurolocError(
                f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not {epoch!r}"
            ) from None
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0)


def _meta_data(onto: Ontology, created: str | _dt.datetime | None) -> MetaData:
    from neuroloc.versions import neuroloc_version

    own = neuroloc_version()
    meta = MetaData(created_by=f"neuroloc {own}", phenopacket_schema_version=SCHEMA_VERSION)
    if created is None:
        created = created_timestamp()
    if isinstance(created, str):
        meta.created.FromJsonString(created)
    else:
        meta.created.FromDatetime(created)
    meta.resources.append(
        Resource(
            id="hp",
            name="human phenotype ontology",
            url="http://purl.obolibrary.org/obo/hp.owl",
            version=onto.hpo_release,
            namespace_prefix="HP",
            iri_prefix="http://purl.obolibrary.org/obo/HP_",
        )
    )
    meta.resources.append(
        Resource(
            id=NEUROLOC_PREFIX,
            name="neuroloc findings, grades and lesion sites (neuroloc vocabulary)",
            url="urn:neuroloc:vocabulary",
            version=own,
            namespace_prefix=NEUROLOC_PREFIX,
            iri_prefix=NEUROLOC_IRI,
        )
    )
    return meta


def case_packet_id(title: str) -> str:
    """The id a case's title gives its packet (and its subject, when none is given)."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return f"neuroloc-{slug[:60].rstrip('-')}" if slug else "neuroloc-case"


def _label(atlas: Any, finding_id: str) -> str:
    from neuroloc.labels import finding_target

    kind, slug = finding_id.split(":", 1)
    try:
        if kind == "emg":
            return f"needle EMG of {atlas.label(f'muscle:{slug}')}"
        spec = _kinds().get(kind)
        prefix = spec.label if spec and kind != "sensory" else ""
        return prefix + str(atlas.label(finding_target(atlas, finding_id)))
    except KeyError:
        return finding_id


__all__ = [
    "PacketReading",
    "case_packet_id",
    "created_timestamp",
    "curie",
    "ident_of",
    "is_phenopacket",
    "read_phenopacket",
    "write_phenopacket",
]
