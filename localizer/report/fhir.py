"""A localization as a FHIR R4 ``Bundle`` (CONTRACT §7), after the HL7 Phenomics Exchange pattern.

The bundle (type ``collection``) holds, in order:

- one ``Patient`` (the ``--subject`` id, else the case's id);
- one ``Observation`` per finding: its ``code`` is the finding's HPO term where HPO has one (the
  broader term when HPO has nothing narrower), with the neuroloc finding id under the system
  ``urn:neuroloc:finding`` always beside it; ``valueCodeableConcept`` says whether that phenotype
  is Present or Absent (SNOMED CT 52101004 / 2667000): an abnormal finding is present, a normal
  one absent; ``bodySite`` is the structure's UBERON term where checked, qualified by the side
  (an extension holding SNOMED CT Left / Right / Right and left); the severity of a weakness (HPO
  Mild ... Profound) and the grade as given are components;
- one ``Condition`` per lesion of the first candidate, ``verificationStatus`` provisional (a
  hypothesis, not a diagnosis), its site under ``urn:neuroloc:site``, the UBERON term of its
  structure and the side in ``bodySite``, and the candidate's probability as an extension.

Every ``fullUrl`` is a name-based UUID (the same case gives the same bundle); the timestamp honours
``SOURCE_DATE_EPOCH``. Nothing here reasons: it formats what the result holds.
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from neuroloc.result import Localization

HPO_SYSTEM = "http://purl.obolibrary.org/obo/hp.owl"
UBERON_SYSTEM = "http://purl.obolibrary.org/obo/uberon.owl"
SNOMED = "http://snomed.info/sct"
FINDING_SYSTEM = "urn:neuroloc:finding"
SITE_SYSTEM = "urn:neuroloc:site"
GRADE_SYSTEM = "urn:neuroloc:grade"
PROBABILITY_URL = "urn:neuroloc:fhir:candidate-probability"
RANK_URL = "urn:neuroloc:fhir:candidate-rank"
LATERALITY_URL = "urn:neuroloc:fhir:laterality-qualifier"
PRESENT = {"system": SNOMED, "code": "52101004", "display": "Present"}
ABSENT = {"system": SNOMED, "code": "2667000", "display": "Absent"}
LATERALITY = {
    "left": {"system": SNOMED, "code": "7771000", "display": "Left"},
    "right": {"system": SNOMED, "code": "24028007", "display": "Right"},
    "both": {"system": SNOMED, "code": "51440002", "display": "Right and left"},
}
SEVERITY_CODE = {"system": SNOMED, "code": "246112005", "display": "Severity"}
VER_STATUS = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
NAMESPACE = uuid.UUID("8f0c8a5e-6a57-5b1e-9c1e-6e6575726f6c")  # neuroloc's own UUID namespace


def fhir_bundle(result: Localization, *, subject: str | None = None) -> dict[str, Any]:
    """The result as a FHIR R4 Bundle (a JSON-ready dict)."""
    from neuroloc.labels import finding_target
    from neuroloc.ontology import finding_hpo, lesion_uberon, load_ontology, uberon_of
    from neuroloc.phenopacket import case_packet_id, created_timestamp

    onto = load_ontology()
    subject_id = subject or case_packet_id(result.title)
    seed = f"{subject_id}\n{result.title}"
    patient_url = _urn(seed, "patient")
    entries: list[dict[str, Any]] = [
        {
            "fullUrl": patient_url,
            "resource": {
                "resourceType": "Patient",
                "identifier": [{"system": "urn:neuroloc:subject", "value": subject_id}],
            },
        }
    ]
    for index, f in enumerate(result.findings):
        hpo = finding_hpo(f.id, f.status, f.grade)
        codings = []
        if hpo is not None:
            codings.append({"system": HPO_SYSTEM, "code": hpo["id"], "display": hpo["label"]})
        label = f.label
        codings.append({"system": FINDING_SYSTEM, "code": f.id, "display": label})
        structure = uberon_of(finding_target(result.atlas, f.id) if result.atlas else f.id)
        body_site = _body_site(structure, f.side, f"{label}, {f.side} side")
        observation: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "category": [{"coding": [{"system": OBS_CATEGORY, "code": "exam"}]}],
            "code": {"coding": codings, "text": label},
            "subject": {"reference": patient_url},
            "valueCodeableConcept": {
                "coding": [ABSENT if f.status == "normal" else PRESENT],
                "text": f"{label}: {f.grade}",
            },
            "component": [
                {
                    "code": {"coding": [{"system": GRADE_SYSTEM, "code": "grade"}]},
                    "valueString": f.grade,
                }
            ],
        }
        if body_site is not None:
            observation["bodySite"] = body_site
        severity = (
            onto.severity_for(f.id.partition(":")[0], f.grade) if f.status != "normal" else None
        )
        if severity is not None:
            observation["component"].insert(
                0,
                {
                    "code": {"coding": [SEVERITY_CODE]},
                    "valueCodeableConcept": {
                        "coding": [
                            {"system": HPO_SYSTEM, "code": severity.id, "display": severity.label}
                        ]
                    },
                },
            )
        entries.append({"fullUrl": _urn(seed, f"finding {index} {f.id} {f.side}"),
                        "resource": observation})  # fmt: skip
    best = result.best
    if best is not None:
        for lesion in best.lesions:
            public = lesion.public_id or lesion.id
            condition: dict[str, Any] = {
                "resourceType": "Condition",
                "verificationStatus": {"coding": [{"system": VER_STATUS, "code": "provisional"}]},
                "category": [{"text": f"lesion site ({lesion.level})"}],
                "code": {
                    "coding": [{"system": SITE_SYSTEM, "code": public, "display": lesion.label}],
                    "text": lesion.syndrome or lesion.label,
                },
                "subject": {"reference": patient_url},
                "extension": [
                    {"url": PROBABILITY_URL, "valueDecimal": round(best.probability, 6)},
                    {"url": RANK_URL, "valueInteger": best.rank},
                ],
            }
            body_site = _body_site(lesion_uberon(public), lesion.side, lesion.label)
            if body_site is not None:
                condition["bodySite"] = [body_site]
            entries.append({"fullUrl": _urn(seed, f"lesion {public} {lesion.side}"),
                            "resource": condition})  # fmt: skip
    stamp = created_timestamp().strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "resourceType": "Bundle",
        "identifier": {"system": "urn:neuroloc:bundle", "value": _urn(seed, "bundle")[9:]},
        "type": "collection",
        "timestamp": stamp,
        "entry": entries,
    }


def _body_site(uberon: Any, side: str, text: str) -> dict[str, Any] | None:
    """A body site: the structure's UBERON term as its coding (where checked), the side as a
    laterality qualifier (an extension of the site, so the coding keeps one meaning)."""
    site: dict[str, Any] = {}
    if side in LATERALITY:
        site["extension"] = [
            {"url": LATERALITY_URL, "valueCodeableConcept": {"coding": [LATERALITY[side]]}}
        ]
    if uberon:
        site["coding"] = [
            {"system": UBERON_SYSTEM, "code": uberon["id"], "display": uberon["label"]}
        ]
    if not site:
        return None
    site["text"] = text
    return site


def _urn(seed: str, name: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(NAMESPACE, seed + "\n" + name))


def render_fhir(result: Localization, *, subject: str | None = None) -> str:
    """The FHIR R4 Bundle as indented JSON."""
    return json.dumps(fhir_bundle(result, subject=subject), indent=2, ensure_ascii=False) + "\n"


__all__ = ["fhir_bundle", "render_fhir"]
