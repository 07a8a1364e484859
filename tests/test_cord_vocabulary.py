"""The finding kinds of CONTRACT §5c (issue 27): sensory modalities and bony points, trunk
dermatomes and the sensory level, wasting and fasciculations, sweating, the sphincters,
Romberg's sign and the inverted supinator reflex: how each parses, which coverage row it
observes, what the existing lesion sites make of it, and how bad input is refused."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

import neuroloc
from neuroloc.anatomy import Strength, load_atlas
from neuroloc.cli.main import main
from neuroloc.findings import LEVELS, observations, parse_case, parse_expression
from neuroloc.forward import simulate
from neuroloc.kinds import finding_kinds
from neuroloc.ontology import result_schema
from neuroloc.ranking import load_weights
from neuroloc.solve.problem import Lesion, evidence_class

ATLAS = load_atlas()


def parse(finding: dict, side: str | None = "left"):
    return parse_case(
        ATLAS, {"side": side, "findings": [finding]} if side else {"findings": [finding]}
    )


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def top(result) -> list[tuple[str, str]]:
    return sorted((x.id, x.side) for x in result.candidates[0].lesions)


# ----------------------------------------------------------------------------- parsing
# (case-file finding, the same as -f, finding id, kind, target, the row observations() gives)
PARSED = [
    ({"sensory": "great toe", "modality": "vibration", "grade": "reduced"},
     "vibration:great toe=reduced", "vibration:great-toe", "vibration", "sensory:great-toe",
     "vibration:sensory:great-toe"),
    ({"vibration": "great toe", "grade": "absent"}, "vibration:hallux=absent",
     "vibration:great-toe", "vibration", "sensory:great-toe", "vibration:sensory:great-toe"),
    ({"pinprick": "dorsum of foot", "grade": "reduced"}, "pinprick:dorsum of foot=reduced",
     "pinprick:dorsum-of-foot", "pinprick", "sensory:dorsum-of-foot",
     "pinprick:sensory:dorsum-of-foot"),
    ({"temperature": "sole", "grade": "reduced"}, "temperature:sole=reduced",
     "temperature:sole", "temperature", "sensory:sole", "temperature:sensory:sole"),
    ({"light touch": "thumb", "grade": "reduced"}, "light touch:thumb=reduced",
     "touch:thumb", "touch", "sensory:thumb", "touch:sensory:thumb"),
    ({"touch": "thumb", "grade": "reduced"}, "touch:thumb=reduced",
     "touch:thumb", "touch", "sensory:thumb", "touch:sensory:thumb"),
    ({"joint position": "great toe", "grade": "absent"}, "joint position:great toe=absent",
     "proprioception:great-toe", "proprioception", "sensory:great-toe",
     "proprioception:sensory:great-toe"),
    ({"proprioception": "ankle", "grade": "reduced"}, "proprioception:ankle=reduced",
     "proprioception:ankle", "proprioception", "sensory:ankle", "proprioception:sensory:ankle"),
    ({"vibration": "iliac crest", "grade": "reduced"}, "vibration:ASIS=reduced",
     "vibration:iliac-crest", "vibration", "sensory:iliac-crest", "vibration:sensory:iliac-crest"),
    ({"vibration": "knee", "grade": "reduced"}, "vibration:patella=reduced",
     "vibration:knee", "vibration", "sensory:knee", "vibration:sensory:knee"),
    ({"vibration": "fingers", "grade": "reduced"}, "vibration:fingers=reduced",
     "vibration:fingertips", "vibration", "sensory:fingertips", "vibration:sensory:fingertips"),
    ({"vibration": "wrist", "grade": "reduced"}, "vibration:wrist=reduced",
     "vibration:wrist", "vibration", "sensory:wrist", "vibration:sensory:wrist"),
    ({"vibration": "elbow", "grade": "reduced"}, "vibration:olecranon=reduced",
     "vibration:elbow", "vibration", "sensory:elbow", "vibration:sensory:elbow"),
    ({"sensory": "umbilicus", "grade": "reduced"}, "sensory:T10=reduced",
     "sensory:t10", "sensory", "sensory:t10", "sensory:t10"),
    ({"pinprick": "nipple line", "grade": "reduced"}, "pinprick:T4=reduced",
     "pinprick:t4", "pinprick", "sensory:t4", "pinprick:sensory:t4"),
    ({"wasting": "TA", "grade": "present"}, "wasting:tibialis anterior=present",
     "wasting:tibialis-anterior", "wasting", "muscle:tibialis-anterior",
     "wasting:muscle:tibialis-anterior"),
    ({"wasting": "ankle dorsiflexion", "grade": "absent"}, "atrophy:ankle dorsiflexion=absent",
     "wasting:ankle-dorsiflexion", "wasting", "movement:ankle-dorsiflexion",
     "wasting:movement:ankle-dorsiflexion"),
    ({"fasciculations": "FDI", "grade": "present"}, "fasciculations:FDI=present",
     "fasciculations:first-dorsal-interosseous", "fasciculations",
     "muscle:first-dorsal-interosseous", "fasciculation:muscle:first-dorsal-interosseous"),
    ({"sweating": "sole", "grade": "reduced"}, "sweating:sole=reduced",
     "sweating:sole", "sweating", "sensory:sole", "sweating:sensory:sole"),
    ({"sphincter": "bladder", "grade": "retention"}, "sphincter:bladder=retention",
     "sphincter:bladder", "sphincter", "sphincter:bladder", "sphincter:bladder"),
    ({"sphincter": "bowel", "grade": "incontinence"}, "sphincter:bowel=incontinence",
     "sphincter:bowel", "sphincter", "sphincter:bowel", "sphincter:bowel"),
    ({"sign": "romberg", "grade": "positive"}, "sign:romberg=positive",
     "sign:romberg", "sign", "sign:romberg", "sign:romberg"),
]  # fmt: skip


@pytest.mark.parametrize(("entry", "expr", "ident", "kind", "target", "row"), PARSED,
                         ids=[p[2] + "/" + p[0].get("modality", "") for p in PARSED])  # fmt: skip
def test_each_new_kind_parses_from_a_case_file_and_an_expression(
    entry, expr, ident, kind, target, row
):
    for raw in (entry, parse_expression(ATLAS, expr, 0)):
        (first, *_) = parse(raw).findings
        assert (first.id, first.kind, first.target) == (ident, kind, target)
        (seen, *_) = observations(ATLAS, [first])
        assert seen.target == row
        assert ATLAS.coverage(row) is not None  # every observed row exists in the atlas


def test_midline_targets_take_side_both():
    for entry in ({"sphincter": "bladder", "grade": "retention", "side": "left"},
                  {"sign": "romberg", "grade": "positive"}):  # fmt: skip
        assert {f.side for f in parse(entry).findings} == {"both"}


def test_the_inverted_supinator_reflex_is_two_observations():
    (f,) = parse({"reflex": "supinator", "grade": "inverted"}).findings
    seen = {(o.target, o.status) for o in observations(ATLAS, [f])}
    assert seen == {
        ("reflex:brachioradialis", "abnormal"),
        ("umn:reflex:finger-flexor", "abnormal"),
    }


# ----------------------------------------------------------------------------- bad input
BAD = [
    (["-f", "vibraton:great toe=absent@left"], "closest: vibration"),
    (["-f", "vibration:great toe=absent@left", "-f", "sensory:sole=reduced@left"], None),
    (["-f", "pinprick:iliac crest=absent@left"], "vibration and proprioception only"),
    (["-f", "sweating:knee=reduced@left"], "unknown sensory zone 'knee'"),
    (["-f", "sensory level=L9"], "C4, C5, C6"),
    (["-f", "sensory level=T10=absent"], "not a level"),
    (["-f", "wasting:TA=reduced@left"], "(use present, absent)"),
    (["-f", "fasciculations:TA=brisk@left"], "present, absent"),
    (["-f", "reflex:knee=inverted@left"], "only the Brachioradialis"),
    (["-f", "sphincter:bladder=weak"], "unknown sphincter grade"),
    (["-f", "sign:romberg=brisk"], "unknown sign grade"),
    (["-f", "wasting:lumbar paraspinals=present@left"], "cannot be graded at the bedside"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "words"), BAD, ids=[" ".join(b[0]) for b in BAD])
def test_bad_input_is_one_line_and_exit_2(args, words):
    out = cli("localize", *args)
    if words is None:  # a control: the same shapes parse
        assert out.exit_code == 0, out.output
        return
    assert out.exit_code == 2, out.output
    assert len(out.output.strip().splitlines()) == 1 and "Traceback" not in out.output
    assert words in out.output, out.output


def test_a_case_file_modality_that_does_not_exist_names_the_modalities():
    with pytest.raises(neuroloc.NeurolocError, match=r"closest: vibration.*modalities: pinprick"):
        parse({"sensory": "sole", "modality": "vibrations", "grade": "reduced"})
    with pytest.raises(neuroloc.NeurolocError, match="belongs to a sensory finding"):
        parse({"muscle": "TA", "modality": "vibration", "grade": 4})


# ----------------------------------------------------------------------------- sensory level
def test_a_sensory_level_expands_below_and_keeps_the_trunk_above_normal():
    case = parse({"sensory level": "T10", "modality": "pinprick", "side": "left"}, side=None)
    by_id = {f.id: f for f in case.findings}
    assert {f.input for f in case.findings} == {"pinprick level T10"}
    assert {f.side for f in case.findings} <= {"left", "both"}
    assert by_id["pinprick:t10"].status == by_id["pinprick:great-toe"].status == "abnormal"
    assert by_id["pinprick:saddle"].side == "both"
    for n in range(2, 10):
        assert by_id[f"pinprick:t{n}"].status == "normal"
    assert "pinprick:thumb" not in by_id  # above the level, not a trunk dermatome
    assert not any(f.target == "sensory:knee" for f in case.findings)  # no pinprick there


def test_a_sensory_level_without_modality_or_side_is_any_loss_on_both_sides():
    case = parse({"sensory level": "t12"}, side=None)
    assert {f.kind for f in case.findings} == {"sensory"}
    assert {f.side for f in case.findings} == {"left", "right", "both"}
    vib = parse({"sensory level": "T12", "modality": "vibration"}, side="right")
    assert {f.side for f in vib.findings} <= {"right", "both"}
    assert any(f.id == "vibration:ankle" and f.status == "abnormal" for f in vib.findings)


def test_an_explicit_finding_wins_over_the_sensory_level():
    case = parse_case(ATLAS, {"side": "left", "findings": [
        {"sensory level": "T10", "modality": "pinprick"},
        {"pinprick": "great toe", "grade": "normal"},
    ]})  # fmt: skip
    (toe,) = [f for f in case.findings if f.id == "pinprick:great-toe"]
    assert toe.status == "normal" and toe.input == "great toe"


def test_levels_are_c4_to_t12_and_the_expression_forms_read():
    assert LEVELS[0] == "C4" and LEVELS[-1] == "T12" and len(LEVELS) == 17
    for text in ("sensory level=T10", "pinprick level=T10@left", "joint position level=T6"):
        raw = parse_expression(ATLAS, text, 0)
        assert raw["sensory level"] in ("T10", "T6")


# ----------------------------------------------------------------------------- the atlas rows
def test_modality_rows_copy_the_zone_and_sweating_drops_the_roots():
    focal_levels = ("root", "cauda-equina", "plexus", "nerve")

    def focal(row) -> dict:
        return {k: v for k, v in row.items() if k in ATLAS.sites
                and ATLAS.sites[k].level in focal_levels}  # fmt: skip

    for zone in ("sensory:dorsum-of-foot", "sensory:thumb", "sensory:sole"):
        own = focal(ATLAS.coverage(zone))
        for modality in ("pinprick", "temperature", "touch", "vibration", "proprioception"):
            assert focal(ATLAS.coverage(f"{modality}:{zone}")) == own
        sweating = ATLAS.coverage(f"sweating:{zone}")
        assert not any(k.startswith("root:") or k == "cauda-equina" for k in sweating)
        assert any(
            ATLAS.sites[k].level in ("plexus", "nerve") for k in sweating if k in ATLAS.sites
        )


def test_the_polyneuropathy_reaches_vibration_a_step_further_than_pinprick():
    feet = "pattern:length-dependent-polyneuropathy@feet"
    assert ATLAS.strength(feet, "vibration:sensory:ankle") == Strength.LIKELY
    assert ATLAS.strength(feet, "pinprick:sensory:lateral-leg") == Strength.POSSIBLE
    assert ATLAS.strength(feet, "vibration:sensory:lateral-leg") == Strength.LIKELY
    assert ATLAS.strength(feet, "sign:romberg") == Strength.POSSIBLE
    knees = "pattern:length-dependent-polyneuropathy@knees"
    assert ATLAS.strength(knees, "sign:romberg") == Strength.LIKELY


def test_no_root_or_nerve_reaches_a_bony_point_or_romberg():
    for target in ("sensory:iliac-crest", "sensory:knee", "sensory:ankle", "sensory:wrist",
                   "sensory:elbow", "sign:romberg"):  # fmt: skip
        assert not ATLAS.targets[target].routes
        levels = {ATLAS.sites[s].level for s in ATLAS.coverage(target) if s in ATLAS.sites}
        assert not levels & {"root", "nerve", "cauda-equina"}, (target, levels)


def test_fasciculations_are_possible_from_roots_and_nerves_and_likely_only_in_mnd():
    row = ATLAS.coverage("fasciculation:muscle:tibialis-anterior")
    assert row["root:L5"] == row["nerve:common-fibular@fibular-head"] == Strength.POSSIBLE
    assert row["pattern:motor-neuron-disease"] == Strength.LIKELY
    assert "central:upper-motor-neuron" not in row
    assert "central:upper-motor-neuron" not in ATLAS.coverage("wasting:muscle:tibialis-anterior")
    wasting = ATLAS.coverage("wasting:muscle:tibialis-anterior")
    assert wasting["nerve:common-fibular@fibular-head"] == ATLAS.strength(
        "nerve:common-fibular@fibular-head", "denervation:muscle:tibialis-anterior"
    )


def test_sphincters_need_both_sides_and_the_conus_reaches_them_certainly():
    for target in ("sphincter:bladder", "sphincter:bowel"):
        row = ATLAS.coverage(target)
        assert row["cord:conus-medullaris"] == Strength.CERTAIN
        assert row["cauda-equina"] >= Strength.LIKELY
        assert not any(k.startswith("root:") or k.startswith("plexus:") for k in row)
        assert ATLAS.roots_of(target) == {"S2": "major", "S3": "major", "S4": "major"}


def test_a_thoracic_root_reaches_its_dermatome_and_its_neighbours_less():
    assert ATLAS.strength("root:T10", "sensory:t10") == Strength.LIKELY
    assert ATLAS.strength("root:T10", "sensory:t9") == Strength.POSSIBLE
    assert ATLAS.strength("root:T10", "sensory:t8") == Strength.NONE
    site = ATLAS.sites["root:T10"]
    assert site.prior == 0.007 and "estimate" in site.prior_reason
    assert ATLAS.resolve("xiphoid", ("sensory",)) == "sensory:t6"
    assert ATLAS.resolve("inguinal", ("sensory",)) == "sensory:t12"


# ----------------------------------------------------------------------------- localization
LOCALIZE = [
    ("a fibular neuropathy explains pinprick and vibration loss in its zone",
     ["pinprick:dorsum of foot=reduced", "vibration:dorsum of foot=reduced", "TA=2",
      "tibialis posterior=5"], "left", [("nerve:common-fibular@fibular-head", "left")]),
    ("sweating lost on the sole: the sacral plexus, not S1",
     ["sensory:sole=reduced", "sensory:lateral foot=reduced", "reflex:ankle=absent",
      "ankle plantarflexion=4", "gluteus maximus=4", "sweating:sole=reduced"], "left",
     [("plexus:sacral", "left")]),
    ("sweating kept on the numb sole: S1, not the sacral plexus",
     ["sensory:sole=reduced", "sensory:lateral foot=reduced", "reflex:ankle=absent",
      "ankle plantarflexion=4", "gluteus maximus=4", "sweating:sole=normal"], "left",
     [("root:S1", "left")]),
    ("wasting and fasciculations with brisk reflexes and normal sensation: MND",
     ["wasting:FDI=present", "wasting:TA=present", "fasciculations:TA=present",
      "fasciculations:deltoid=present", "reflex:knee=brisk", "sensory:toes=normal",
      "sensory:fingertips=normal"], "both", [("pattern:motor-neuron-disease", "both")]),
    ("vibration lost at the toes, pinprick kept: the polyneuropathy",
     ["vibration:toes=absent", "pinprick:toes=normal"], "both",
     [("pattern:length-dependent-polyneuropathy@feet", "both")]),
    ("a band of numbness at the umbilicus: T10",
     ["sensory:umbilicus=reduced", "sensory:T8=normal", "sensory:T12=normal"], "left",
     [("root:T10", "left")]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "exprs", "side", "expected"), LOCALIZE, ids=[c[0] for c in LOCALIZE]
)
def test_the_existing_sites_make_sense_of_the_new_findings(name, exprs, side, expected):
    result = neuroloc.localize(None, expressions=exprs, side=side)
    assert top(result) == expected, [(c.rank, [x.id for x in c.lesions]) for c in result.candidates]


def test_sphincter_retention_raises_the_urgent_flag_and_the_cauda_equina_leads():
    exprs = ["sphincter:bladder=retention", "sensory:saddle=reduced", "reflex:ankle=absent@both"]
    result = neuroloc.localize(None, expressions=exprs)
    flags = {f.id: f.urgent for f in result.red_flags}
    assert flags.get("cauda-equina-syndrome") is True
    assert top(result) == [("cauda-equina", "both")]
    alone = neuroloc.localize(None, expressions=["sphincter:bowel=incontinence"])
    assert "cauda-equina-syndrome" in {f.id for f in alone.red_flags}


# ----------------------------------------------------------------------------- the kinds table
def test_every_kind_has_its_evidence_row_grade_family_and_schema_entry():
    weights = load_weights()
    pattern = result_schema()["$defs"]["findingId"]["pattern"]
    for kind in finding_kinds().values():
        assert kind.evidence in weights.sensitivity, kind.name
        assert re.match(pattern, f"{kind.name}:x"), kind.name
    assert not re.match(pattern, "vibraton:x")
    words = result_schema()["$defs"]["nextTest"]["properties"]["predictions"]
    allowed = set(words["additionalProperties"]["enum"])
    for kind in finding_kinds().values():
        assert {kind.abnormal, kind.normal} <= allowed, kind.name
    assert cli("validate").exit_code == 0


def test_evidence_classes_come_from_the_kinds_table():
    cases = {"vibration:great toe=absent": "vibration", "pinprick:sole=reduced": "sensory",
             "wasting:TA=present": "wasting", "fasciculations:TA=present": "fasciculation",
             "sweating:sole=reduced": "sweating", "sphincter:bladder=retention": "sphincter",
             "sign:romberg=positive": "sign", "TA=1": "mrc-severe", "TA=4": "mrc"}  # fmt: skip
    for expr, evidence in cases.items():
        (f, *_) = parse(parse_expression(ATLAS, expr, 0)).findings
        (seen, *_) = observations(ATLAS, [f])
        assert evidence_class(ATLAS, seen) == evidence, expr


def test_vocabulary_lists_the_new_kinds_and_signs():
    data = json.loads(cli("vocabulary", "kinds", "--format", "json").output)["kinds"]
    ids = {row["id"] for row in data}
    assert {"vibration", "wasting", "fasciculations", "sweating", "sphincter", "sign",
            "sensory level"} <= ids  # fmt: skip
    signs = json.loads(cli("vocabulary", "signs", "--format", "json").output)["signs"]
    assert {row["id"] for row in signs} == {"sphincter:bladder", "sphincter:bowel", "sign:romberg"}


# ----------------------------------------------------------------------------- everywhere else
def test_simulate_predicts_the_new_rows_where_a_lesion_reaches_them():
    def kinds(site: str, side: str) -> dict[tuple[str, str], bool]:
        return {(f.kind, f.target): f.abnormal for f in simulate(ATLAS, [Lesion(site, side)])}

    plexus = kinds("plexus:sacral", "left")
    assert plexus[("sweating", "sensory:sole")] is True
    root = kinds("root:S1", "left")
    assert root[("sweating", "sensory:sole")] is False  # numb, but sweating kept
    pn = kinds("pattern:length-dependent-polyneuropathy@knees", "both")
    assert pn[("vibration", "sensory:ankle")] and pn[("sign", "sign:romberg")]
    mnd = kinds("pattern:motor-neuron-disease", "both")
    assert mnd[("fasciculations", "muscle:first-dorsal-interosseous")]
    ce = kinds("cauda-equina", "both")
    assert ce[("sphincter", "sphincter:bladder")]


def test_every_format_renders_the_new_findings_and_the_packet_round_trips(tmp_path):
    exprs = ["-f", "vibration:great toe=absent@left", "-f", "proprioception:ankle=reduced@left",
             "-f", "sweating:sole=reduced@left", "-f", "wasting:TA=present@left",
             "-f", "sphincter:bladder=retention", "-f", "sign:romberg=positive",
             "-f", "reflex:brachioradialis=inverted@left"]  # fmt: skip
    for fmt in ("text", "markdown", "html", "json", "fhir", "phenopacket"):
        out = cli("localize", *exprs, "--format", fmt)
        assert out.exit_code == 0, (fmt, out.output[-400:])
        assert "vibration" in out.output.lower(), fmt
    packet = tmp_path / "packet.json"
    packet.write_text(cli("localize", *exprs, "--format", "phenopacket").output)
    back = json.loads(cli("localize", str(packet), "--format", "json").output)
    ids = {f["id"] for f in back["findings"]}
    assert {"vibration:great-toe", "sweating:sole", "wasting:tibialis-anterior",
            "sphincter:bladder", "sign:romberg"} <= ids  # fmt: skip
    bundle = json.loads(cli("localize", *exprs, "--format", "fhir").output)
    codes = {
        c["code"] for e in bundle["entry"] for c in e["resource"].get("code", {}).get("coding", [])
    }
    assert {"HP:0002495", "HP:0003202", "HP:0000016", "HP:0002403"} <= codes


def test_the_exam_asks_for_and_reads_the_new_kinds(tmp_path):
    saved = tmp_path / "exam.yaml"
    out = CliRunner().invoke(
        main,
        [
            "exam",
            "-f",
            "vibration:toes=absent@both",
            "-f",
            "pinprick:toes=normal@both",
            "--save",
            str(saved),
        ],
        input="skip\nsweating:sole=reduced@left\nsign:romberg=positive\ndone\n",
    )
    assert out.exit_code == 0, out.output
    assert "not understood" not in out.output
    again = json.loads(cli("localize", str(saved), "--format", "json").output)
    assert {"sweating:sole", "sign:romberg"} <= {f["id"] for f in again["findings"]}
