"""The electrodiagnosis notes teach what is true (issue 24): a block is the localizing finding,
a normal SNAP in numb skin points to the root only when nothing else explains it, a lost SNAP
names a competing polyneuropathy, and every note names its side."""

from __future__ import annotations

from neuroloc import localize
from neuroloc.anatomy import load_atlas
from neuroloc.edx import WALLERIAN_DAYS, edx_reasoning
from neuroloc.findings import parse_case

ROOT_WORDS = "so the lesion lies proximal to it"
ULNAR_ELBOW = [
    {"muscle": "first dorsal interosseous", "grade": 3},
    {"sensory": "little finger", "grade": "reduced"},
    {"snap": "ulnar", "grade": "normal"},
]


def notes(findings, **context):
    atlas = load_atlas()
    case = parse_case(atlas, {"side": "right", "findings": findings})
    return edx_reasoning(atlas, case.findings, **context)


def test_a_conduction_block_is_named_as_the_localizing_finding_and_the_snap_not_read_as_root():
    plain = notes(ULNAR_ELBOW)
    assert any(ROOT_WORDS in line for line in plain)  # nothing else explains the normal SNAP
    blocked = notes([*ULNAR_ELBOW, {"ncs": "ulnar motor across elbow", "grade": "block"}])
    block = next(line for line in blocked if line.startswith("Ulnar motor"))
    assert "conduction block is the localizing finding" in block and "elbow" in block.lower()
    snap = next(line for line in blocked if line.startswith("Ulnar SNAP"))
    assert ROOT_WORDS not in snap and "demyelinating" in snap


def test_a_normal_snap_in_the_first_days_is_too_early_to_place_the_root():
    early = notes(ULNAR_ELBOW, days=WALLERIAN_DAYS - 3)
    late = notes(ULNAR_ELBOW, days=WALLERIAN_DAYS + 20)
    assert not any(ROOT_WORDS in line for line in early)
    assert any("too early" in line for line in early)
    assert any(ROOT_WORDS in line for line in late)


def test_a_lost_snap_names_a_competing_polyneuropathy_only_when_one_competes():
    lost = [{"snap": "sural", "grade": "absent"}]
    alone = notes(lost)
    competing = notes(lost, competitors={"pattern:length-dependent-polyneuropathy@feet"})
    assert "polyneuropathy" not in alone[0]
    assert "polyneuropathy" in competing[0] and "plexus or the nerve" in competing[0]


def test_every_note_names_its_side_and_bilateral_differences_stay_apart():
    lines = notes(
        [
            {"snap": "sural", "grade": "absent", "side": "left"},
            {"snap": "sural", "grade": "normal", "side": "right"},
        ]
    )
    assert any("(left) absent" in line for line in lines)
    assert any("(right) normal" in line for line in lines)


def test_axon_loss_in_several_muscles_is_one_sentence_per_side():
    lines = notes(
        [
            {"emg": "tibialis anterior", "grade": "denervation"},
            {"emg": "tibialis posterior", "grade": "denervation"},
        ]
    )
    loss = [line for line in lines if "axon loss" in line]
    assert len(loss) == 1 and "Tibialis anterior" in loss[0] and "Tibialis posterior" in loss[0]


def test_the_engine_passes_the_days_since_onset():
    case = {
        "side": "right",
        "clinical": {"pain": {"onset": "sudden", "duration_days": 3}},
        "findings": ULNAR_ELBOW,
    }
    assert any("too early" in line for line in localize(case).edx)
