"""Classic localizations from bedside findings, minimality, and the result contract."""

from __future__ import annotations

import pytest
from cases import TIBIAL_POPLITEAL, case
from cases import first as top_sites

from neuroloc import localize, to_json
from neuroloc.anatomy import load_atlas
from neuroloc.solve.problem import Lesion, cover_class, reach

FIBULAR_HEAD = case(
    "left",
    ("muscle", "tibialis anterior", 2),
    ("muscle", "extensor hallucis longus", 2),
    ("movement", "foot eversion", 3),
    ("muscle", "tibialis posterior", 5),
    ("movement", "hip abduction", 5),
    ("sensory", "dorsum of foot", "reduced"),
    ("reflex", "ankle", "normal"),
)
L5_ROOT = case(
    "left",
    ("muscle", "tibialis anterior", 2),
    ("muscle", "extensor hallucis longus", 2),
    ("muscle", "tibialis posterior", 3),
    ("movement", "hip abduction", 4),
    ("sensory", "dorsum of foot", "reduced"),
    ("reflex", "ankle", "normal"),
    ("reflex", "knee", "normal"),
)
S1_ROOT = case(
    "right",
    ("movement", "ankle plantarflexion", 4),
    ("movement", "hip extension", 4),
    ("reflex", "ankle", "absent"),
    ("sensory", "lateral foot", "reduced"),
    ("muscle", "tibialis anterior", 5),
    ("reflex", "knee", "normal"),
)
SCIATIC = case(
    "left",
    ("muscle", "tibialis anterior", 1),
    ("movement", "ankle plantarflexion", 3),
    ("muscle", "biceps femoris short head", 3),
    ("movement", "knee flexion", 4),
    ("reflex", "ankle", "absent"),
    ("sensory", "dorsum of foot", "absent"),
    ("sensory", "sole", "reduced"),
    ("movement", "hip extension", 5),
    ("movement", "hip abduction", 5),
)
FEMORAL_PELVIS = case(
    "right",
    ("movement", "knee extension", 2),
    ("movement", "hip flexion", 4),
    ("reflex", "knee", "absent"),
    ("sensory", "anterior thigh", "reduced"),
    ("sensory", "medial leg", "reduced"),
    ("movement", "hip adduction", 5),
    ("muscle", "tibialis anterior", 5),
)
FEMORAL_INGUINAL = case(
    "right",
    ("movement", "knee extension", 2),
    ("movement", "hip flexion", 5),
    ("reflex", "knee", "absent"),
    ("sensory", "anterior thigh", "reduced"),
    ("movement", "hip adduction", 5),
    ("muscle", "tibialis anterior", 5),
)
L4_ROOT = case(
    "left",
    ("movement", "knee extension", 4),
    ("reflex", "knee", "reduced"),
    ("muscle", "tibialis anterior", 4),
    ("sensory", "medial leg", "reduced"),
    ("movement", "hip flexion", 5),
    ("reflex", "ankle", "normal"),
)
LUMBAR_PLEXUS = case(
    "left",
    ("movement", "knee extension", 3),
    ("movement", "hip flexion", 3),
    ("movement", "hip adduction", 3),
    ("reflex", "knee", "absent"),
    ("reflex", "adductor", "absent"),
    ("sensory", "groin", "reduced"),
    ("sensory", "lateral thigh", "reduced"),
    ("sensory", "medial leg", "reduced"),
    ("muscle", "tibialis anterior", 5),
    ("reflex", "ankle", "normal"),
)
MERALGIA = case(
    "left",
    ("sensory", "lateral thigh", "paresthesia"),
    ("movement", "hip flexion", 5),
    ("movement", "knee extension", 5),
    ("movement", "hip adduction", 5),
    ("reflex", "knee", "normal"),
)
HIGH_LUMBAR_ROOT = case(
    "left",
    ("sensory", "lateral thigh", "reduced"),
    ("movement", "hip flexion", 4),
    ("movement", "hip adduction", 4),
    ("reflex", "knee", "normal"),
)
OBTURATOR = case(
    "right",
    ("movement", "hip adduction", 3),
    ("reflex", "adductor", "absent"),
    ("sensory", "medial thigh", "reduced"),
    ("movement", "knee extension", 5),
    ("movement", "hip flexion", 5),
    ("reflex", "knee", "normal"),
)
TARSAL_TUNNEL = case(
    "left",
    ("sensory", "sole", "reduced"),
    ("muscle", "abductor hallucis", 4),
    ("muscle", "abductor digiti minimi (foot)", 4),
    ("sensory", "heel", "normal"),
    ("movement", "ankle plantarflexion", 5),
    ("muscle", "tibialis posterior", 5),
    ("movement", "toe flexion", 5),
    ("reflex", "ankle", "normal"),
)
MORTON = case(
    "right",
    ("sensory", "interdigital 3-4", "reduced"),
    ("sensory", "interdigital 2-3", "normal"),
    ("sensory", "sole", "normal"),
    ("muscle", "abductor hallucis", 5),
)
SACRAL_PLEXUS = case(
    "left",
    ("movement", "hip extension", 3),
    ("movement", "hip abduction", 3),
    ("movement", "knee flexion", 3),
    ("muscle", "tibialis anterior", 3),
    ("movement", "ankle plantarflexion", 3),
    ("muscle", "abductor hallucis", 3),
    ("reflex", "ankle", "absent"),
    ("sensory", "posterior thigh", "reduced"),
    ("sensory", "lateral foot", "reduced"),
    ("sensory", "sole", "reduced"),
    ("sensory", "saddle", "normal"),
    ("reflex", "anal", "normal"),
    ("movement", "knee extension", 5),
    ("reflex", "knee", "normal"),
)
CAUDA_EQUINA = case(
    "both",
    ("muscle", "tibialis anterior", 3),
    ("movement", "ankle plantarflexion", 3),
    ("reflex", "ankle", "absent"),
    ("sensory", "saddle", "absent"),
    ("reflex", "anal", "absent"),
)
BILATERAL_L5 = case(
    "both",
    ("muscle", "tibialis anterior", 3),
    ("muscle", "extensor hallucis longus", 3),
    ("muscle", "tibialis posterior", 4),
    ("movement", "hip abduction", 4),
    ("sensory", "saddle", "normal"),
    ("reflex", "anal", "normal"),
    ("muscle", "external anal sphincter", 5),
)
MERALGIA_PLUS_S1 = case(
    "left",
    ("sensory", "lateral thigh", "reduced"),
    ("movement", "ankle plantarflexion", 4),
    ("reflex", "ankle", "absent"),
    ("sensory", "lateral foot", "reduced"),
    ("movement", "hip flexion", 5),
    ("movement", "knee extension", 5),
    ("reflex", "knee", "normal"),
    ("sensory", "saddle", "normal"),
)

CLASSIC = [
    ("fibular head, not L5", FIBULAR_HEAD, {("nerve:common-fibular@fibular-head", "left")}),
    ("L5, not fibular head", L5_ROOT, {("root:L5", "left")}),
    ("S1 radiculopathy", S1_ROOT, {("root:S1", "right")}),
    ("tibial in the popliteal fossa", TIBIAL_POPLITEAL, {("nerve:tibial@popliteal-fossa", "left")}),
    ("sciatic at the notch", SCIATIC, {("nerve:sciatic@sciatic-notch", "left")}),
    ("femoral in the pelvis", FEMORAL_PELVIS, {("nerve:femoral@pelvis", "right")}),
    ("femoral at the ligament", FEMORAL_INGUINAL, {("nerve:femoral@inguinal-ligament", "right")}),
    ("L4 radiculopathy", L4_ROOT, {("root:L4", "left")}),
    ("lumbar plexopathy", LUMBAR_PLEXUS, {("plexus:lumbar", "left")}),
    ("meralgia paresthetica", MERALGIA,
     {("nerve:lateral-femoral-cutaneous@inguinal-ligament", "left")}),
    ("obturator neuropathy", OBTURATOR, {("nerve:obturator@obturator-canal", "right")}),
    ("tarsal tunnel", TARSAL_TUNNEL, {("nerve:tibial@tarsal-tunnel", "left")}),
    ("Morton's third interspace", MORTON,
     {("nerve:common-plantar-digital@3rd-interspace", "right")}),
    ("sacral plexopathy", SACRAL_PLEXUS, {("plexus:sacral", "left")}),
    ("cauda equina", CAUDA_EQUINA, {("cauda-equina", "both")}),
    ("bilateral L5, cauda equina ruled out", BILATERAL_L5,
     {("root:L5", "left"), ("root:L5", "right")}),
    ("meralgia plus S1", MERALGIA_PLUS_S1,
     {("nerve:lateral-femoral-cutaneous@inguinal-ligament", "left"), ("root:S1", "left")}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "data", "expected"), CLASSIC, ids=[c[0] for c in CLASSIC])
def test_classic_localization(name, data, expected):
    result = localize(data)
    assert result.mode == "strict"
    assert top_sites(result) == expected, [
        (c.rank, c.score, [x.id for x in c.lesions]) for c in result.candidates
    ]


def test_high_lumbar_root_beats_meralgia_when_there_is_weakness():
    result = localize(HIGH_LUMBAR_ROOT)
    best = result.candidates[0].lesions
    assert len(best) == 1 and best[0].id in {"root:L2", "root:L3"}


def test_cauda_equina_is_argued_against_by_normal_saddle_and_sphincter():
    # Incomplete cauda equina syndrome keeps saddle sensation at times (issue 13), so normal
    # saddle and sphincter weigh heavily against the cauda equina without excluding it.
    result = localize(BILATERAL_L5)
    assert "cauda-equina" not in result.best.site_ids
    best = result.best.score
    assert all(c.score > best + 1 for c in result.candidates if "cauda-equina" in c.site_ids)


def test_cauda_equina_raises_the_urgent_flag_first():
    result = localize(CAUDA_EQUINA)
    assert result.red_flags and result.red_flags[0].id == "cauda-equina-syndrome"
    assert result.red_flags[0].urgent


@pytest.mark.parametrize(("name", "data", "expected"), CLASSIC, ids=[c[0] for c in CLASSIC])
def test_every_candidate_is_irredundant(name, data, expected):
    """Dropping any lesion leaves an abnormal finding unexplained, or explained only weakly
    (possible, atypical) where the dropped lesion explained it strongly (likely, certain)."""
    atlas = load_atlas()
    result = localize(data, top=10)
    case_findings = [f for f in result.case.findings if f.status == "abnormal"]
    for candidate in result.candidates:
        lesions = [Lesion(x.id, x.side) for x in candidate.lesions]
        for dropped in lesions:
            rest = [x for x in lesions if x != dropped]
            weakened = [
                f
                for f in case_findings
                if all(
                    cover_class(reach(atlas, x, f)) < cover_class(reach(atlas, dropped, f))
                    for x in rest
                )
            ]
            assert weakened, (candidate.rank, dropped)


def test_normal_exam_has_no_candidates():
    result = localize(case("left", ("muscle", "TA", 5), ("reflex", "ankle", "normal")))
    assert result.candidates == ()
    assert result.disclaimer


def test_library_result_matches_json_contract():
    data = to_json(localize(FIBULAR_HEAD))
    assert data["schema"] == "neuroloc.localization/1"
    for key in ("findings", "candidates", "next_tests", "red_flags", "pain_timing", "causes",
                "warnings"):  # fmt: skip
        assert key in data
    first = data["candidates"][0]
    assert first["rank"] == 1
    lesion = first["lesions"][0]
    assert set(lesion) >= {"id", "side", "level", "label", "syndrome"}
    assert lesion["level"] in {"cauda-equina", "root", "plexus", "nerve"}
    for link in first["explains"]:
        assert link["strength"] in {"certain", "likely", "possible"}
    assert data["findings"][0]["id"].split(":")[0] in {
        "muscle", "movement", "reflex", "sensory", "snap", "cmap", "emg",
    }  # fmt: skip


def test_results_are_deterministic():
    import json

    first = json.dumps(to_json(localize(SACRAL_PLEXUS)), sort_keys=True)
    second = json.dumps(to_json(localize(SACRAL_PLEXUS)), sort_keys=True)
    assert first == second


def test_relaxed_mode_sets_aside_the_fewest_findings():
    # Weak tibialis anterior with a normal deep fibular EMG and a normal L4/L5 exam elsewhere:
    # contradictory on purpose; the engine must still answer and say what it set aside.
    data = case(
        "left",
        ("muscle", "tibialis anterior", 2),
        ("sensory", "first web space", "normal"),
        ("muscle", "extensor digitorum brevis", 5),
        ("muscle", "extensor hallucis longus", 5),
        ("muscle", "tibialis posterior", 5),
    )
    data["findings"].append({"emg": "tibialis anterior", "grade": "normal"})
    result = localize(data, max_lesions=1)
    assert result.candidates, "an abnormal exam must never get an empty answer"
    assert any("relaxed" in w for w in result.warnings) or result.mode == "strict"


@pytest.mark.parametrize(
    "findings",
    [
        [{"movement": "ankle dorsiflexion", "grade": 5}, {"muscle": "TA", "grade": 3}],
        [{"movement": "hip abduction", "grade": 5}, {"muscle": "gluteus medius", "grade": 4}],
        [{"muscle": "quadriceps", "grade": 5}, {"muscle": "vastus lateralis", "grade": 4}],
        [{"muscle": "TA", "grade": 2}, {"muscle": "tibialis anterior", "grade": 4}],
    ],
)
def test_conflicting_findings_are_bad_input(findings):
    from neuroloc.anatomy import NeurolocError

    with pytest.raises(NeurolocError, match=r"conflicts|graded normal"):
        localize({"side": "left", "findings": findings})


def test_readme_walkthrough_fibular_then_sciatic_then_l5():
    base = ["TA=3", "EHL=3"]

    def best(*extra: str) -> str:
        result = localize(None, expressions=[*base, *extra], side="left")
        return result.best.lesions[0].id

    assert best("tibialis posterior=5", "hip abduction=5") == "nerve:common-fibular@fibular-head"
    assert best("tibialis posterior=4", "hip abduction=5").startswith("nerve:sciatic@")
    assert best("tibialis posterior=4", "hip abduction=4") == "root:L5"


def test_dense_foot_drop_widens_the_gap_between_the_fibular_head_and_l5():
    def gap(grade: int) -> float:
        result = localize(None, expressions=[f"TA={grade}", f"EHL={grade}"], side="left", top=20)
        scores = {c.site_ids: c.score for c in result.candidates}
        return scores[("root:L5",)] - scores[("nerve:common-fibular@fibular-head",)]

    assert gap(1) > gap(3) + 0.5
