"""GA4GH Phenopackets in and out (issue 17): round trips and a hand-written packet."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

import neuroloc
from neuroloc.anatomy import NeurolocError, load_atlas
from neuroloc.findings import load_case_file, parse_case
from neuroloc.ontology import hpo_release, load_ontology
from neuroloc.phenopacket import is_phenopacket, read_phenopacket, write_phenopacket

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ROUND_TRIP = ["fibular-head-foot-drop", "l5-radiculopathy", "s1-radiculopathy"]
CREATED = "2025-01-01T00:00:00Z"


def _case(name: str):
    data, label = load_case_file(EXAMPLES / f"{name}.yaml")
    return parse_case(load_atlas(), data, label=label)


def _keys(case) -> set[tuple[str, str, str, str]]:
    return {(f.id, f.side, f.status, f.grade) for f in case.findings}


def _strip_tags(packet: dict) -> dict:
    """The packet as a tool that knows only HPO would keep it."""
    out = copy.deepcopy(packet)
    for feature in out.get("phenotypicFeatures", []):
        feature.pop("description", None)
    out.pop("measurements", None)
    return out


@pytest.mark.parametrize("name", ROUND_TRIP)
def test_written_packet_is_phenopacket_v2(name: str) -> None:
    packet = write_phenopacket(_case(name), created=CREATED)
    assert is_phenopacket(packet)
    assert packet["id"].startswith("neuroloc-")
    meta = packet["metaData"]
    assert meta["phenopacketSchemaVersion"] == "2.0"
    assert meta["created"] == CREATED
    hp = next(r for r in meta["resources"] if r["namespacePrefix"] == "HP")
    assert hp["version"] == hpo_release()
    for feature in packet["phenotypicFeatures"]:
        assert feature["type"]["id"].startswith("HP:") and feature["type"]["label"]


@pytest.mark.parametrize("name", ROUND_TRIP)
def test_round_trip_is_exact(name: str) -> None:
    case = _case(name)
    mapping, unmapped = read_phenopacket(write_phenopacket(case, created=CREATED))
    assert unmapped == []
    assert _keys(parse_case(load_atlas(), mapping)) == _keys(case)


@pytest.mark.parametrize("name", ROUND_TRIP)
def test_round_trip_through_hpo_alone(name: str) -> None:
    """Without neuroloc's tags, every finding with a specific HPO term comes back as a finding
    that means the same (a muscle may come back as its movement, an MRC grade as the grade of
    its HPO severity); findings with only a general term come back by name, as unmapped."""
    case = _case(name)
    onto = load_ontology()
    mapping, unmapped = read_phenopacket(_strip_tags(write_phenopacket(case, created=CREATED)))
    back = {(f.id, f.side): f for f in parse_case(load_atlas(), mapping).findings}
    expected_unmapped = 0
    for f in case.findings:
        term = onto.term_for(f.id, f.kind, f.status, f.grade)
        if f.status == "normal":
            specific = bool(onto.excluded_for(f.id))
        else:
            specific = term is not None and term.specific
        if not specific:
            expected_unmapped += f.status != "normal"  # normal ones live in measurements
            continue
        reading = onto.reading(term.hpo if term else onto.excluded_for(f.id)[0].hpo)
        got = back[(reading.finding, f.side)]
        assert got.status == f.status, f
        if f.kind in ("reflex",):
            assert got.grade == f.grade
    assert len(unmapped) == expected_unmapped


def test_hand_written_packet_localizes() -> None:
    packet = {
        "id": "hand-written",
        "subject": {"id": "patient-1"},
        "phenotypicFeatures": [
            {
                "type": {"id": "HP:0009027", "label": "Foot dorsiflexor weakness"},
                "modifiers": [
                    {"id": "HP:0012835", "label": "Left"},
                    {"id": "HP:0012828", "label": "Severe"},
                ],
            },
            {
                "type": {"id": "HP:0003438", "label": "Absent Achilles reflex"},
                "excluded": True,
                "modifiers": [{"id": "HP:0012835", "label": "Left"}],
            },
            {
                "type": {"id": "HP:0011727", "label": "Peroneal muscle weakness"},
                "modifiers": [{"id": "HP:0012835", "label": "Left"}],
            },
            {"type": {"id": "HP:0001250", "label": "Seizure"}},
        ],
        "metaData": {
            "created": CREATED,
            "createdBy": "a clinician",
            "phenopacketSchemaVersion": "2.0",
            "resources": [
                {
                    "id": "hp",
                    "name": "human phenotype ontology",
                    "url": "http://purl.obolibrary.org/obo/hp.owl",
                    "version": "2025-11-24",
                    "namespacePrefix": "HP",
                    "iriPrefix": "http://purl.obolibrary.org/obo/HP_",
                }
            ],
        },
    }
    mapping, unmapped = read_phenopacket(packet)
    assert unmapped == ["Seizure (HP:0001250)"]
    assert {"movement": "movement:ankle-dorsiflexion", "grade": "2", "side": "left"} in (
        mapping["findings"]
    )
    assert {"reflex": "reflex:ankle", "grade": "normal", "side": "left"} in mapping["findings"]
    result = neuroloc.localize(mapping)
    assert result.best is not None
    finding_ids = {f.id for f in result.findings}
    assert {"movement:ankle-dorsiflexion", "reflex:ankle", "movement:foot-eversion"} <= finding_ids
    sites = {lesion.id for c in result.candidates for lesion in c.lesions}
    assert "nerve:common-fibular@fibular-head" in sites or "root:L5" in sites


def test_laterality_and_grades_are_read() -> None:
    def feature(hpo: str, *mods: str, excluded: bool = False) -> dict:
        out: dict = {"type": {"id": hpo}, "modifiers": [{"id": m} for m in mods]}
        if excluded:
            out["excluded"] = True
        return out

    packet = {
        "phenotypicFeatures": [
            feature("HP:0011808", "HP:0012832"),  # decreased patellar, bilateral
            feature("HP:0003438", "HP:0012834"),  # absent Achilles, right
            feature("HP:0033206", "HP:0012835"),  # hyperactive Achilles, left: a UMN sign
            feature("HP:0009072", excluded=True),  # decreased Achilles excluded, no side
            feature("HP:0003731", "HP:0012835", "HP:0012825"),  # quadriceps, left, mild
            feature("HP:0007078", "HP:0012835"),  # a general term: not one finding
            feature("HP:0033206", excluded=True),  # hyperreflexia excluded: not a normal finding
        ]
    }
    mapping, unmapped = read_phenopacket(packet)
    assert mapping["findings"] == [
        {"reflex": "reflex:knee", "grade": "reduced", "side": "both"},
        {"reflex": "reflex:ankle", "grade": "absent", "side": "right"},
        {"reflex": "reflex:ankle", "grade": "brisk", "side": "left"},
        {"reflex": "reflex:ankle", "grade": "normal"},
        {"muscle": "muscle:quadriceps", "grade": "4", "side": "left"},
    ]
    assert unmapped == [
        "HP:0007078 (HP:0007078)",
        "HP:0033206 (HP:0033206, excluded)",
    ]


def test_bad_packets_are_bad_input() -> None:
    with pytest.raises(NeurolocError, match="phenopacket"):
        read_phenopacket({"phenotypicFeatures": "not a list"})
    with pytest.raises(NeurolocError, match="phenopacket"):
        read_phenopacket({"phenotypicFeatures": [], "noSuchField": 1})
    assert not is_phenopacket({"findings": [], "metaData": {}})
    assert not is_phenopacket([1, 2])


def test_every_finding_kind_writes_and_reads_back() -> None:
    case = {
        "side": "right",
        "findings": [
            {"muscle": "gluteus medius", "grade": "4-"},
            {"muscle": "tibialis posterior", "grade": 5},
            {"reflex": "knee", "grade": "brisk"},
            {"sensory": "saddle", "grade": "absent"},
            {"snap": "sural", "grade": "absent"},
            {"cmap": "fibular motor", "grade": "reduced"},
            {"ncs": "fibular motor across fibular head", "grade": "block"},
            {"emg": "L5 paraspinals", "grade": "denervation"},
            {"emg": "gluteus maximus", "grade": "normal"},
            {"muscle": "external anal sphincter", "grade": "weak"},
        ],
    }
    atlas = load_atlas()
    parsed = parse_case(atlas, case)
    packet = write_phenopacket(parsed, created=CREATED)
    mapping, unmapped = read_phenopacket(packet)
    assert unmapped == []
    assert _keys(parse_case(atlas, mapping)) == _keys(parsed)
    prefixes = {r["namespacePrefix"] for r in packet["metaData"]["resources"]}
    assert prefixes == {"HP", "neuroloc"}
