"""GA4GH Phenopacket v2 in and out (issue 17), with the ``phenopackets`` protobuf classes.

Reading: each ``phenotypicFeatures`` entry whose HPO ``type`` is a *specific* term of
``ontology.yaml`` becomes a finding (``excluded: true`` = the finding is normal; laterality from
the Left / Right / Bilateral modifier; an MRC grade from the severity modifier of a weakness).
Entries neuroloc cannot read as one finding are returned by name, never dropped silently.

Writing: each finding becomes a phenotypic feature with its specific HPO term, or the nearest
general term when HPO has none (abnormal findings only: excluding a general term would deny more
than was examined). A normal finding with no specific term cannot be said in HPO; it is written
as a ``measurements`` entry in neuroloc's own namespace (declared in ``metaData.resources``).
Every entry neuroloc writes carries a ``description`` tag, ``neuroloc: KIND:slug = GRADE @SIDE;
label``, so a Phenopacket written by neuroloc reads back to exactly the same findings; a
hand-written one is read from its HPO terms alone.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from typing import Any

from google.protobuf import json_format
from phenopackets.schema.v2 import (
    Measurement,
    MetaData,
    OntologyClass,
    Phenopacket,
    PhenotypicFeature,
    Resource,
)
from phenopackets.schema.v2.core.measurement_pb2 import Value

from neuroloc.anatomy import NeurolocError
from neuroloc.ontology import (
    DEFAULT_ABNORMAL_GRADE,
    NORMAL_GRADE,
    Ontology,
    family,
    load_ontology,
)

SCHEMA_VERSION = "2.0"
NEUROLOC_PREFIX = "neuroloc"
_TAG = re.compile(
    r"^neuroloc: (?P<id>[a-z]+:[a-z0-9-]+) = (?P<grade>[^@;]+?)"
    r"(?: @(?P<side>left|right|both))?(?:;.*)?$",
    re.DOTALL,
)
_KINDS = ("muscle", "movement", "reflex", "sensory", "snap", "cmap", "ncs", "emg")


# ------------------------------------------------------------------------------------ reading
def is_phenopacket(data: Any) -> bool:
    """True for a mapping shaped like a Phenopacket (not a neuroloc case file)."""
    if not isinstance(data, Mapping) or "findings" in data:
        return False
    keys = {"phenotypicFeatures", "phenotypic_features", "metaData", "meta_data"}
    return bool(keys & set(data))


def read_phenopacket(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A Phenopacket v2 (its JSON as a mapping) -> (case mapping, names of what did not map).

    The case mapping has the case-file structure (CONTRACT §2) for ``neuroloc.localize`` /
    ``parse_case``; a feature without laterality gets no side (the case's default side applies).
    """
    packet = _parse(data)
    onto = load_ontology()
    findings: list[dict[str, Any]] = []
    unmapped: list[str] = []
    for feature in packet.phenotypic_features:
        finding = _feature_finding(onto, feature)
        if finding is None:
            state = ", excluded" if feature.excluded else ""
            unmapped.append(f"{feature.type.label or feature.type.id} ({feature.type.id}{state})")
        elif finding not in findings:
            findings.append(finding)
    for measurement in packet.measurements:
        tag = _tag(measurement.description)
        if tag is not None and measurement.assay.id == f"{NEUROLOC_PREFIX}:{tag['id']}":
            finding = _finding(tag["id"], tag["grade"], tag["side"])
            if finding not in findings:
                findings.append(finding)
        else:
            assay = measurement.assay
            unmapped.append(f"{assay.label or assay.id} ({assay.id}, measurement)")
    case: dict[str, Any] = {"title": packet.id, "findings": findings}
    return case, unmapped


def _parse(data: Mapping[str, Any]) -> Phenopacket:
    if not isinstance(data, Mapping):
        raise NeurolocError("phenopacket: not a JSON object")
    try:
        return json_format.ParseDict(dict(data), Phenopacket())
    except (json_format.ParseError, TypeError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise NeurolocError(f"phenopacket: not a valid GA4GH Phenopacket v2 ({first})") from None


def _tag(description: str) -> dict[str, Any] | None:
    match = _TAG.match(description.strip()) if description else None
    if match is None or match.group("id").split(":", 1)[0] not in _KINDS:
        return None
    return {"id": match.group("id"), "grade": match.group("grade").strip(), "side": match["side"]}


def _feature_finding(onto: Ontology, feature: PhenotypicFeature) -> dict[str, Any] | None:
    hpo = feature.type.id
    side = _side(onto, feature)
    tag = _tag(feature.description)
    if tag is not None and hpo in onto.terms_of(str(tag["id"])):
        fid = str(tag["id"])
        excluded_ok = hpo in {t.hpo for t in onto.excluded_for(fid)}
        if feature.excluded and not excluded_ok:
            return None  # a general term excluded: not neuroloc's writing, not readable
        return _finding(fid, str(tag["grade"]), side or tag["side"])
    reading = onto.reading(hpo)
    if reading is None:
        return None
    kind = reading.finding.split(":", 1)[0]
    fam = family(kind)
    if feature.excluded:
        if not reading.normal_when_excluded:
            return None
        return _finding(reading.finding, NORMAL_GRADE[fam], side)
    grade = reading.grade
    if grade is None and fam == "motor":
        grade = next(
            (g for m in feature.modifiers if (g := onto.mrc_for_severity(m.id)) is not None), None
        )
    return _finding(reading.finding, grade or DEFAULT_ABNORMAL_GRADE[fam], side)


def _side(onto: Ontology, feature: PhenotypicFeature) -> str | None:
    sides = {s for m in feature.modifiers if (s := onto.side_for_laterality(m.id)) is not None}
    if len(sides) > 1:
        return "both"
    return sides.pop() if sides else None


def _finding(finding_id: str, grade: str, side: str | None) -> dict[str, Any]:
    kind, slug = finding_id.split(":", 1)
    name = f"muscle:{slug}" if kind == "emg" else finding_id
    out: dict[str, Any] = {kind: name, "grade": grade}
    if side:
        out["side"] = side
    return out


# ------------------------------------------------------------------------------------ writing
def write_phenopacket(
    case: Any,
    *,
    packet_id: str | None = None,
    created: str | _dt.datetime | None = None,
) -> dict[str, Any]:
    """A case (parsed :class:`neuroloc.Case`, or a case mapping) -> a Phenopacket v2 JSON dict.

    ``created`` (ISO 8601 or a datetime; default now, UTC) is ``metaData.created``.
    """
    from neuroloc.anatomy import load_atlas
    from neuroloc.findings import Case, parse_case

    atlas = load_atlas()
    if not isinstance(case, Case):
        case = parse_case(atlas, case)
    onto = load_ontology()
    packet = Phenopacket(id=packet_id or _packet_id(case.title))
    uses_neuroloc = False
    for f in case.findings:
        label = _label(atlas, f.id)
        side = "" if f.side == "both" else f" @{f.side}"
        tag = f"neuroloc: {f.id} = {f.grade}{side}; {label} {f.grade}"
        laterality = onto.laterality_for(f.side) if f.side != "both" else None
        if f.status == "normal":
            excluded = onto.excluded_for(f.id)
            for denied in excluded:
                feature = PhenotypicFeature(
                    type=OntologyClass(id=denied.id, label=denied.label),
                    excluded=True,
                    description=tag,
                )
                if laterality is not None:
                    feature.modifiers.append(
                        OntologyClass(id=laterality.id, label=laterality.label)
                    )
                packet.phenotypic_features.append(feature)
            if not excluded:
                uses_neuroloc = True
                packet.measurements.append(
                    Measurement(
                        description=f"{tag} (normal; HPO has no term for this finding)",
                        assay=OntologyClass(id=f"{NEUROLOC_PREFIX}:{f.id}", label=label),
                        value=Value(
                            ontology_class=OntologyClass(
                                id=f"{NEUROLOC_PREFIX}:grade:{f.grade}", label=f.grade
                            )
                        ),
                    )
                )
            continue
        term = onto.term_for(f.id, f.kind, f.status, f.grade)
        if term is None:  # every kind has a general term; kept for a table without one
            raise NeurolocError(f"{f.id}: no HPO term to write for grade {f.grade!r}")
        feature = PhenotypicFeature(
            type=OntologyClass(id=term.id, label=term.label), description=tag
        )
        if laterality is not None:
            feature.modifiers.append(OntologyClass(id=laterality.id, label=laterality.label))
        severity = onto.severity_for(f.kind, f.grade)
        if severity is not None:
            feature.modifiers.append(OntologyClass(id=severity.id, label=severity.label))
        packet.phenotypic_features.append(feature)
    packet.meta_data.CopyFrom(_meta_data(onto, created, uses_neuroloc))
    return json_format.MessageToDict(packet)


def _meta_data(onto: Ontology, created: str | _dt.datetime | None, neuroloc: bool) -> MetaData:
    meta = MetaData(created_by="neuroloc", phenopacket_schema_version=SCHEMA_VERSION)
    if created is None:
        created = _dt.datetime.now(_dt.UTC).replace(microsecond=0)
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
    if neuroloc:
        from importlib.metadata import PackageNotFoundError, version

        try:
            own = version("neuroloc")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            own = "unknown"
        meta.resources.append(
            Resource(
                id=NEUROLOC_PREFIX,
                name="neuroloc finding vocabulary (neuroloc vocabulary)",
                url="urn:neuroloc:vocabulary",
                version=own,
                namespace_prefix=NEUROLOC_PREFIX,
                iri_prefix="urn:neuroloc:",
            )
        )
    return meta


def _packet_id(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return f"neuroloc-{slug[:60].rstrip('-')}" if slug else "neuroloc-case"


def _label(atlas: Any, finding_id: str) -> str:
    kind, slug = finding_id.split(":", 1)
    try:
        if kind == "emg":
            return f"needle EMG of {atlas.label(f'muscle:{slug}')}"
        return str(atlas.label(finding_id))
    except KeyError:
        return finding_id


__all__ = ["is_phenopacket", "read_phenopacket", "write_phenopacket"]
