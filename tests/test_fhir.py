"""``--format fhir`` (CONTRACT §7): a FHIR R4 Bundle that the R4B models of fhir.resources
accept, for every shipped example, with the codes the contract names."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

import neuroloc
from neuroloc.report import FORMATS, render
from neuroloc.report.fhir import (
    FINDING_SYSTEM,
    HPO_SYSTEM,
    LATERALITY_URL,
    PROBABILITY_URL,
    SITE_SYSTEM,
    UBERON_SYSTEM,
    fhir_bundle,
)

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.yaml"))
PRESENT, ABSENT = "52101004", "2667000"


def _resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_bundle_validates(path: Path) -> None:
    result = neuroloc.localize(path)
    bundle = fhir_bundle(result)
    parsed = Bundle.model_validate(bundle)  # raises on any structural fault
    assert parsed.type == "collection"
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(urls) == len(set(urls)) and all(u.startswith("urn:uuid:") for u in urls)
    (patient,) = _resources(bundle, "Patient")
    observations = _resources(bundle, "Observation")
    assert len(observations) == len(result.findings)
    for obs in observations:
        assert obs["subject"]["reference"] == bundle["entry"][0]["fullUrl"]
        assert obs["valueCodeableConcept"]["coding"][0]["code"] in (PRESENT, ABSENT)
    conditions = _resources(bundle, "Condition")
    assert len(conditions) == (len(result.best.lesions) if result.best else 0)
    assert patient["identifier"][0]["value"]


def test_observations_carry_hpo_presence_laterality_and_severity() -> None:
    case = {
        "side": "left",
        "findings": [
            {"muscle": "TA", "grade": 2},
            {"muscle": "tibialis posterior", "grade": 5},
            {"reflex": "ankle", "grade": "normal"},
            {"sensory": "dorsum of foot", "grade": "reduced"},
        ],
    }
    bundle = fhir_bundle(neuroloc.localize(case), subject="P-9")
    by_code = {}
    for obs in _resources(bundle, "Observation"):
        ours = next(c["code"] for c in obs["code"]["coding"] if c["system"] == FINDING_SYSTEM)
        by_code[ours] = obs
    ta = by_code["muscle:tibialis-anterior"]
    assert ta["code"]["coding"][0] == {
        "system": HPO_SYSTEM,
        "code": "HP:0009027",
        "display": "Foot dorsiflexor weakness",
    }
    assert ta["valueCodeableConcept"]["coding"][0]["code"] == PRESENT
    laterality = ta["bodySite"]["extension"][0]
    assert laterality["url"] == LATERALITY_URL
    assert laterality["valueCodeableConcept"]["coding"][0]["code"] == "7771000"  # Left
    assert ta["bodySite"]["coding"][0] == {
        "system": UBERON_SYSTEM,
        "code": "UBERON:0001385",
        "display": "tibialis anterior",
    }
    severity = ta["component"][0]["valueCodeableConcept"]["coding"][0]
    assert severity["code"] == "HP:0012828"  # Severe for MRC 2
    # a normal finding with no HPO term of its own: the neuroloc code, Absent
    tp = by_code["muscle:tibialis-posterior"]
    assert [c["system"] for c in tp["code"]["coding"]] == [FINDING_SYSTEM]
    assert tp["valueCodeableConcept"]["coding"][0]["code"] == ABSENT
    # a normal reflex: its HPO term, Absent
    ankle = by_code["reflex:ankle"]
    assert ankle["code"]["coding"][0]["code"] == "HP:0009072"
    assert ankle["valueCodeableConcept"]["coding"][0]["code"] == ABSENT
    assert _resources(bundle, "Patient")[0]["identifier"][0]["value"] == "P-9"


def test_conditions_are_the_first_candidates_lesions() -> None:
    result = neuroloc.localize(next(p for p in EXAMPLES if p.stem == "fibular-head-foot-drop"))
    bundle = fhir_bundle(result)
    (condition,) = _resources(bundle, "Condition")
    best = result.best
    assert condition["code"]["coding"][0] == {
        "system": SITE_SYSTEM,
        "code": "nerve:common-fibular@fibular-head",
        "display": best.lesions[0].label,
    }
    assert condition["verificationStatus"]["coding"][0]["code"] == "provisional"
    assert condition["bodySite"][0]["coding"][0]["code"] == "UBERON:0001324"
    probability = next(e for e in condition["extension"] if e["url"] == PROBABILITY_URL)
    assert probability["valueDecimal"] == pytest.approx(best.probability, abs=1e-6)


def test_a_broken_bundle_fails_the_models() -> None:
    case = {"side": "left", "findings": [{"muscle": "TA", "grade": 2}]}
    bundle = fhir_bundle(neuroloc.localize(case))
    del bundle["entry"][1]["resource"]["status"]
    with pytest.raises(ValueError, match="status"):
        Bundle.model_validate(bundle)


def test_registered_and_reproducible(monkeypatch) -> None:
    assert "fhir" in FORMATS
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = neuroloc.localize({"side": "right", "findings": [{"muscle": "deltoid", "grade": 3}]})
    first = render(result, "fhir", subject="A")
    assert first == render(result, "fhir", subject="A")
    assert json.loads(first)["timestamp"] == "2023-11-14T22:13:20Z"
    assert first != render(result, "fhir", subject="B")


def test_cli_fhir() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "neuroloc", "localize", "-f", "TA=2", "--side", "left",
         "--format", "fhir", "--subject", "P-1"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    bundle = json.loads(run.stdout)
    Bundle.model_validate(bundle)
    assert _resources(bundle, "Patient")[0]["identifier"][0]["value"] == "P-1"
