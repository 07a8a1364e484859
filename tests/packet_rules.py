"""The community's Phenopacket checks, offline, for the tests (issue 26).

Two validators run on a Phenopacket's JSON:

- :func:`core_faults`, the phenopacket-tools core rules re-implemented: the required fields of
  the v2 schema, every ontology class id a two-part CURIE (``PREFIX:local``), every prefix
  declared in ``metaData.resources`` by a complete resource (id, name, url, version,
  namespacePrefix, iriPrefix), and an interpretation's progress status one of the schema's;
- :func:`phenosentry_faults`, the auditors of the ``phenosentry`` package (the GA4GH
  phenopacket-store's quality control) run against the HPO release that hpo3 ships (turned into
  the hpo-toolkit ontology those auditors take, so nothing is downloaded): every HPO term exists
  and is current, descends from Phenotypic abnormality, and no term stands beside its own
  present ancestor, excluded descendant, or excluded ancestor.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

CURIE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*:[^:\s]+$")
RESOURCE_FIELDS = ("id", "name", "url", "version", "namespacePrefix", "iriPrefix")
PROGRESS = {"UNKNOWN_PROGRESS", "IN_PROGRESS", "COMPLETED", "SOLVED", "UNSOLVED"}


# The fields of a v2 Phenopacket (and its parts) whose value is an OntologyClass.
CLASS_FIELDS = {
    "type", "modifiers", "severity", "onset", "assay", "ontologyClass", "code", "bodySite",
    "disease", "term", "sex", "taxonomy", "evidenceCode", "diseaseStage", "clinicalTnmFinding",
    "primarySite", "laterality", "unit", "interpretationStatus", "status", "route", "agent",
}  # fmt: skip


def _classes(node: Any, path: str = "") -> Iterator[tuple[str, dict]]:
    """Every OntologyClass of a packet (by the field that holds it)."""
    if isinstance(node, dict):
        last = re.sub(r"\[\d+\]$", "", path.rsplit(".", 1)[-1])
        if last in CLASS_FIELDS and "id" in node and set(node) <= {"id", "label"}:
            yield path, node
            return
        for key, value in node.items():
            yield from _classes(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _classes(value, f"{path}[{i}]")


def core_faults(packet: dict) -> list[str]:
    faults: list[str] = []
    if not packet.get("id"):
        faults.append("id: required")
    meta = packet.get("metaData")
    if not isinstance(meta, dict):
        return [*faults, "metaData: required"]
    for key in ("created", "createdBy", "phenopacketSchemaVersion", "resources"):
        if not meta.get(key):
            faults.append(f"metaData.{key}: required")
    if meta.get("phenopacketSchemaVersion") != "2.0":
        faults.append("metaData.phenopacketSchemaVersion: must be 2.0")
    if "subject" in packet and not packet["subject"].get("id"):
        faults.append("subject.id: required")
    declared: set[str] = set()
    for i, resource in enumerate(meta.get("resources") or []):
        for key in RESOURCE_FIELDS:
            if not resource.get(key):
                faults.append(f"metaData.resources[{i}].{key}: required")
        declared.add(resource.get("namespacePrefix", ""))
    for path, cls in _classes({k: v for k, v in packet.items() if k != "metaData"}):
        ident = cls.get("id", "")
        if not CURIE.match(ident):
            faults.append(f"{path}.id: {ident!r} is not a two-part CURIE (PREFIX:local)")
            continue
        if ident.split(":", 1)[0] not in declared:
            faults.append(f"{path}.id: prefix of {ident!r} not declared in metaData.resources")
        if not cls.get("label"):
            faults.append(f"{path}.label: required")
    for i, feature in enumerate(packet.get("phenotypicFeatures") or []):
        if "type" not in feature:
            faults.append(f"phenotypicFeatures[{i}].type: required")
    for i, m in enumerate(packet.get("measurements") or []):
        if "assay" not in m or not ({"value", "complexValue"} & set(m)):
            faults.append(f"measurements[{i}]: assay and value required")
        if "procedure" in m and "code" not in m["procedure"]:
            faults.append(f"measurements[{i}].procedure.code: required")
    for i, itp in enumerate(packet.get("interpretations") or []):
        if not itp.get("id") or itp.get("progressStatus") not in PROGRESS:
            faults.append(f"interpretations[{i}]: id and a known progressStatus required")
        if "diagnosis" in itp and "disease" not in itp["diagnosis"]:
            faults.append(f"interpretations[{i}].diagnosis.disease: required")
    return faults


@functools.cache
def hpo_toolkit_ontology() -> Any:
    """hpo3's HPO release as the hpo-toolkit MinimalOntology that phenosentry audits with."""
    import hpotk
    from hpotk.graph import IncrementalCsrGraphFactory
    from hpotk.ontology import create_minimal_ontology

    from neuroloc.ontology import _hpo

    Ontology = _hpo()  # the release neuroloc itself reads, built once per process
    terms, edges = [], []
    for term in Ontology:
        terms.append(
            hpotk.MinimalTerm.create_minimal_term(
                term_id=term.id, name=term.name, alt_term_ids=(), is_obsolete=term.is_obsolete
            )
        )
        if not term.is_obsolete:
            for parent in term.parents:
                edges.append((hpotk.TermId.from_curie(term.id), hpotk.TermId.from_curie(parent.id)))
    graph = IncrementalCsrGraphFactory().create_graph(edges)
    return create_minimal_ontology(graph, terms, version=Ontology.version())


def phenosentry_faults(packet: dict) -> list[str]:
    from google.protobuf import json_format
    from phenopackets.schema.v2 import Phenopacket
    from phenosentry.auditor.phenopacket import (
        AnnotationInconsistencyAuditor,
        DeprecatedTermIdAuditor,
        ExcludedAnnotationPropagationAuditor,
        HpoTermIsDefinedAuditor,
        NoUnwantedCharactersAuditor,
        PhenopacketMetaAuditor,
        PhenotypicAbnormalityAuditor,
        PresentAnnotationPropagationAuditor,
    )
    from stairval.notepad import create_notepad

    hpo = hpo_toolkit_ontology()
    auditor = PhenopacketMetaAuditor(
        [
            NoUnwantedCharactersAuditor.no_whitespace(),
            HpoTermIsDefinedAuditor(hpo),
            DeprecatedTermIdAuditor(hpo),
            PhenotypicAbnormalityAuditor(hpo),
            PresentAnnotationPropagationAuditor(hpo),
            ExcludedAnnotationPropagationAuditor(hpo),
            AnnotationInconsistencyAuditor(hpo),
        ]
    )
    notepad = create_notepad("phenopacket")
    auditor.audit(json_format.ParseDict(packet, Phenopacket()), notepad)
    return [
        f"{section.label}: {issue.message}"
        for section in notepad.iter_sections()
        for issue in section.issues
    ]


def faults(packet: dict) -> list[str]:
    """Both validators' faults."""
    return core_faults(packet) + phenosentry_faults(packet)
