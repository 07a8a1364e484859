"""Issue 14: polyneuropathy, myopathy, conus medullaris and upper motor neuron findings compete in
the same ranking as the focal sites, from table attributes and the same score."""

from __future__ import annotations

import pytest

from neuroloc import localize, to_json
from neuroloc.anatomy import load_atlas
from neuroloc.engine import lesion_pattern
from neuroloc.solve.problem import Lesion

ATLAS = load_atlas()


def run(side: str, *expressions: str, **options):
    return localize(None, side=side, expressions=list(expressions), **options)


def top(result) -> set[tuple[str, str]]:
    return {(x.public_id or x.id, x.side) for x in result.best.lesions}


PN = "pattern:length-dependent-polyneuropathy"

# (name, default side, findings, expected rank-1 lesions)
# fmt: off
CLASSIC = [
    ("the issue's diabetic feet: a polyneuropathy, not two sciatic nerves", "both",
     ["reflex:ankle=absent", "sensory:sole=reduced", "sensory:dorsum of foot=reduced", "EHL=4",
      "snap:sural=absent", "reflex:knee=normal", "hip flexion=5", "quadriceps=5"],
     {(PN, "both")}),
    ("symmetric proximal weakness, normal sensation: a myopathy", "both",
     ["hip flexion=4", "deltoid=4", "hip abduction=4", "muscle:biceps=4", "reflex:knee=normal",
      "reflex:biceps=normal", "sensory:toes=normal", "sensory:fingertips=normal",
      "snap:sural=normal", "TA=5", "FDI=5"],
     {("pattern:myopathy", "both")}),
    ("myopathic needle EMG in proximal muscles", "both",
     ["emg:deltoid=myopathic", "emg:iliacus=myopathic", "hip flexion=4", "snap:sural=normal"],
     {("pattern:myopathy", "both")}),
    ("saddle and sphincter with an extensor plantar and kept knee jerks: the conus", "both",
     ["sensory:saddle=absent", "reflex:anal=absent", "reflex:plantar=extensor",
      "reflex:knee=normal", "TA=5", "ankle plantarflexion=4"],
     {("cord:conus-medullaris", "both")}),
    ("saddle loss with weak legs, flexor plantars and lost ankle jerks: the cauda equina", "both",
     ["sensory:saddle=absent", "reflex:anal=absent", "reflex:plantar=flexor", "TA=3",
      "ankle plantarflexion=3", "reflex:ankle=absent"],
     {("cauda-equina", "both")}),
    ("an upper motor neuron sign alone: the central candidate, not an error", "left",
     ["reflex:plantar=extensor"],
     {("central:upper-motor-neuron", "left")}),
    ("brisk reflexes, clonus and extensor plantars on both sides", "both",
     ["reflex:knee=brisk", "reflex:ankle=clonus", "reflex:plantar=extensor",
      "sensory:toes=normal"],
     {("central:upper-motor-neuron", "both")}),
    ("L5 root signs on one leg with extensor plantars: two lesions", "left",
     ["EHL=3", "TA=3", "tibialis posterior=4", "hip abduction=4",
      "sensory:dorsum of foot=reduced", "reflex:plantar=extensor@both", "reflex:knee=brisk@both"],
     {("central:upper-motor-neuron", "both"), ("root:L5", "left")}),
]
# fmt: on


@pytest.mark.parametrize(
    ("name", "side", "findings", "expected"), CLASSIC, ids=[c[0] for c in CLASSIC]
)
def test_classic_non_focal_pictures(name, side, findings, expected):
    assert top(run(side, *findings)) == expected


def test_polyneuropathy_loses_when_the_deficit_is_asymmetric():
    result = run(
        "left",
        "reflex:ankle=absent", "sensory:sole=reduced", "snap:sural=absent", "EHL=4",
        "reflex:ankle=normal@right", "sensory:sole=normal@right", "snap:sural=normal@right",
    )  # fmt: skip
    assert PN not in {x.public_id for x in result.best.lesions}


def test_polyneuropathy_loses_when_the_feet_are_spared_and_the_hands_numb():
    result = run(
        "both",
        "sensory:thumb=reduced", "sensory:index finger=reduced", "sensory:middle finger=reduced",
        "APB=4", "sensory:toes=normal", "reflex:ankle=normal", "snap:sural=normal",
    )  # fmt: skip
    assert PN not in {x.public_id for x in result.best.lesions}
    assert top(result) == {
        ("nerve:median@carpal-tunnel", "left"),
        ("nerve:median@carpal-tunnel", "right"),
    }


def test_polyneuropathy_loses_when_the_deficit_is_proximal():
    result = run("left", "knee extension=3", "reflex:knee=absent", "sensory:anterior thigh=reduced")
    assert PN not in {x.public_id for x in result.best.lesions}


def test_the_polyneuropathy_stage_follows_the_reach_of_the_findings():
    feet = run("both", "sensory:toes=reduced", "reflex:ankle=absent", "snap:sural=absent")
    assert feet.best.lesions[0].stage == "feet"
    hands = run(
        "both",
        "sensory:toes=reduced", "reflex:ankle=absent", "snap:sural=absent",
        "sensory:medial leg=reduced", "sensory:fingertips=reduced",
    )  # fmt: skip
    assert hands.best.lesions[0].stage == "knees"


def test_a_brisk_reflex_counts_against_a_peripheral_lesion_of_its_arc():
    weak = ["knee extension=4", "sensory:medial leg=reduced"]
    kept = run("left", *weak, "reflex:knee=normal", top=20)
    brisk = run("left", *weak, "reflex:knee=brisk", top=20)

    def l4(result) -> float:
        scores = [c.score for c in result.candidates if c.site_ids == ("root:L4",)]
        return scores[0] if scores else float("inf")

    assert l4(kept) < float("inf")
    assert l4(brisk) > l4(kept)


def test_umn_signs_are_never_explained_by_a_peripheral_lesion():
    for site, row in ((s, ATLAS.coverage("umn:reflex:knee")) for s in ("umn",)):
        # the central and cord hypotheses, and motor neuron disease (both motor neurons)
        assert row and all(
            ATLAS.sites[x].level in ("central", "cord") or x == "pattern:motor-neuron-disease"
            for x in row
        ), site
    assert not ATLAS.coverage("umn:reflex:plantar").keys() & {
        s for s in ATLAS.sites if ATLAS.sites[s].level in ("root", "plexus", "nerve")
    }


def test_central_never_explains_a_reduced_reflex_numb_skin_or_a_snap():
    central = "central:upper-motor-neuron"
    for target in ("reflex:ankle", "sensory:sole", "snap:sural"):
        assert central not in ATLAS.coverage(target)


def test_myopathy_never_reaches_sensation_or_snaps_and_neuropathy_never_a_myopathic_emg():
    for target in ("sensory:toes", "snap:sural", "sensory:lateral-thigh"):
        assert "pattern:myopathy" not in ATLAS.coverage(target)
    assert set(ATLAS.coverage("myopathic:muscle:deltoid")) == {"pattern:myopathy"}


def test_only_normal_findings_give_no_candidates():
    assert run("left", "TA=5", "reflex:plantar=flexor").candidates == ()


def test_dense_weakness_favours_the_nerve_that_certainly_reaches_the_muscle():
    dense = run("left", "TA=1", "EHL=1", "sensory:dorsum of foot=reduced")
    assert top(dense) == {("nerve:common-fibular@fibular-head", "left")}


@pytest.mark.parametrize(
    ("lesions", "pattern"),
    [
        ([("root:L4", "left"), ("root:L5", "left")], "multilevel radiculopathy"),
        ([("root:L3", "left"), ("root:L5", "left")], "polyradiculopathy"),
        ([("root:L5", "left"), ("root:L5", "right")], "bilateral"),
        ([("nerve:median@carpal-tunnel", "left"), ("nerve:ulnar@elbow", "right")],
         "multiple mononeuropathies"),
        ([("root:C6", "left"), ("nerve:median@carpal-tunnel", "left")], "mixed"),
        ([("root:L5", "left")], None),
    ],
)  # fmt: skip
def test_candidate_pattern_labels(lesions, pattern):
    assert lesion_pattern(ATLAS, [Lesion(s, side) for s, side in lesions]) == pattern


def test_json_names_the_pattern_id_and_its_stage():
    data = to_json(run("both", "sensory:toes=reduced", "reflex:ankle=absent", "snap:sural=absent"))
    lesion = data["candidates"][0]["lesions"][0]
    assert lesion["id"] == PN and lesion["stage"] == "feet" and lesion["level"] == "diffuse"


def test_diabetic_radiculoplexus_neuropathy_is_one_process_not_three_lesions():
    """Issue 13 item 10: weak hip flexion, knee extension and adduction, mild foot drop, a lost
    knee jerk, numb anterior thigh, denervation in the limb and the L3 paraspinals, a reduced
    saphenous SNAP: one radiculoplexus process, not a root plus a plexus plus a nerve."""
    result = run(
        "right",
        "hip flexion=3", "knee extension=3", "hip adduction=4", "TA=4", "reflex:knee=absent",
        "sensory:anterior thigh=reduced", "emg:L3 paraspinals=denervation",
        "emg:vastus lateralis=denervation", "emg:tibialis anterior=denervation",
        "snap:saphenous=reduced",
    )  # fmt: skip
    assert top(result) == {("pattern:lumbosacral-radiculoplexus-neuropathy", "right")}


def test_a_one_sided_exam_does_not_list_the_both_sided_variant_beside_it():
    result = run("left", "reflex:plantar=extensor")
    sides = [x.side for c in result.candidates for x in c.lesions if x.level == "central"]
    assert sides == ["left"]


def test_explain_says_why_the_pattern_beats_the_focal_sets():
    from neuroloc import explain
    from neuroloc.report.teaching import explain_markdown

    result = explain(None, side="both", expressions=CLASSIC[0][2])
    focal = result.teaching.focal_alternative
    assert focal is not None and "sciatic" in focal.words
    text = "; ".join(focal.reasons)
    # the focal answer needs a lesion on each side: a coincidence its priors price
    assert "more lesion" in text and "prior" in text
    assert "Why not focal lesions?" in explain_markdown(result)


def test_a_focal_winner_needs_no_focal_alternative():
    from neuroloc import explain

    result = explain(None, side="left", expressions=["TA=3", "EHL=3", "tibialis posterior=5"])
    assert result.teaching.focal_alternative is None
