"""Clinical context: red flags, cauda equina urgency, pain timing, the five common causes."""

from __future__ import annotations

import pytest

from neuroloc import clinical
from neuroloc.anatomy import NeurolocError, UnknownName
from neuroloc.clinical import assess, parse_clinical, validate_clinical_data

CONTRACT_FLAGS = {
    "rest-or-night-pain": ("history", "night pain"),
    "progressive-pain": ("history", "increasing pain"),
    "malignancy-history": ("history", "history of cancer"),
    "chronic-infection-history": ("history", "tuberculosis"),
    "trauma-history": ("history", "fall"),
    "pain-over-1-month": ("history", "pain for more than a month"),
    "corticosteroid-history": ("history", "steroids"),
    "unexplained-fever": ("exam", "fever"),
    "unexplained-weight-loss": ("exam", "weight loss"),
    "spinous-percussion-pain": ("exam", "percussion tenderness"),
    "atypical-pain-quality": ("exam", "electric pain"),
    "atypical-radiation": ("exam", "girdle pain"),
    "visceral-function-link": ("exam", "pain with defecation"),
    "somatic-disorder": ("exam", "genitourinary disorder"),
    "progressive-deficit": ("exam", "progressive weakness"),
}


def context(raw, abnormal=(), levels=(), sites=()):
    return assess(
        parse_clinical(raw),
        abnormal_targets=set(abnormal),
        top_lesion_levels=set(levels),
        candidate_sites=set(sites),
    )


@pytest.mark.parametrize(("flag", "entry"), sorted(CONTRACT_FLAGS.items()))
def test_every_red_flag_is_raised_from_a_phrase(flag, entry):
    section, phrase = entry
    flags = context({section: [phrase]}).red_flags
    assert [f.id for f in flags] == [flag]
    assert flags[0].why


def test_no_red_flag_is_dropped_when_many_are_given():
    raw = {
        "history": [phrase for section, phrase in CONTRACT_FLAGS.values() if section == "history"],
        "exam": [phrase for section, phrase in CONTRACT_FLAGS.values() if section == "exam"],
    }
    assert {f.id for f in context(raw).red_flags} == set(CONTRACT_FLAGS)


@pytest.mark.parametrize(
    "trigger",
    [
        {"abnormal": ["sensory:saddle"]},
        {"abnormal": ["reflex:anal"]},
        {"abnormal": ["muscle:external-anal-sphincter"]},
        {"sites": ["cauda-equina"]},
        {"raw": {"history": ["night pain", "urinary retention"]}},
    ],
)
def test_cauda_equina_flag_is_urgent_and_first(trigger):
    raw = {"history": ["night pain"], **trigger.get("raw", {})}
    flags = context(raw, trigger.get("abnormal", ()), (), trigger.get("sites", ())).red_flags
    assert flags[0].id == "cauda-equina-syndrome" and flags[0].urgent
    assert "rest-or-night-pain" in {f.id for f in flags}


def test_pain_over_a_month_is_also_derived_from_duration():
    flags = context({"pain": {"onset": "gradual", "duration_days": 45}}).red_flags
    assert "pain-over-1-month" in {f.id for f in flags}
    assert not context({"pain": {"onset": "gradual", "duration_days": 30}}).red_flags


@pytest.mark.parametrize(
    ("onset", "days", "expected"),
    [
        ("sudden", 89, "acute"),
        ("sudden", 90, "acute"),
        ("sudden", 91, "chronic"),
        ("gradual", 90, "subacute"),
        ("gradual", 91, "chronic"),
        ("gradual", 400, "chronic"),
        ("sudden", 0, "acute"),
    ],
)
def test_pain_timing_at_the_three_month_boundary(onset, days, expected):
    timing = context({"pain": {"onset": onset, "duration_days": days}}).pain_timing
    assert timing.klass == expected and timing.recurrent is False


def test_recurrent_pain_and_no_pain_block():
    timing = context({"pain": {"onset": "sudden", "duration_days": 5, "recurrent": True}})
    assert timing.pain_timing.recurrent is True
    assert context({}).pain_timing is None


CAUSE_CASES = {
    "herniated-disc": ["leg pain worse than back pain", "lasegue positive",
                       "worse with coughing or sneezing", "radiological root compression"],
    "annular-rupture": ["back pain worse than leg pain", "lasegue positive",
                        "no radiological root compression", "worse with sitting"],
    "myogenic": ["muscle strain", "worse in the morning", "worse in the cold",
                 "pain not below the knee"],
    "spinal-stenosis": ["pain after walking a distance", "relieved by bending forward",
                        "no prolapse signs", "radiological stenosis"],
    "facet-arthropathy": ["pain on extension", "worse bending to the painful side",
                          "relieved by facet injection"],
}  # fmt: skip


@pytest.mark.parametrize(("cause", "features"), sorted(CAUSE_CASES.items()))
def test_each_common_cause_ranks_first_from_its_features(cause, features):
    causes = context({"features": features}).causes
    assert causes[0].id == cause
    assert causes[0].for_ and len(causes) == 5


def test_localization_informs_the_causes():
    features = ["lasegue positive", "worse in the morning", "muscle strain"]
    with_root = context({"features": features}, levels=["root"]).causes
    without = context({"features": features}, levels=[]).causes
    rank = lambda causes, ident: [c.id for c in causes].index(ident)  # noqa: E731
    assert rank(with_root, "herniated-disc") < rank(with_root, "myogenic")
    assert rank(without, "myogenic") < rank(without, "herniated-disc")


def test_unknown_phrase_suggests_the_closest():
    with pytest.raises(UnknownName) as info:
        parse_clinical({"history": ["nite pain"]})
    assert "clinical.history[0]" in str(info.value) and info.value.suggestions


@pytest.mark.parametrize(
    "raw",
    [
        {"history": "night pain", "colour": "red"},
        {"pain": {"onset": "slow", "duration_days": 3}},
        {"pain": {"onset": "sudden", "duration_days": -1}},
        {"pain": {"duration_days": 10}},
        {"features": [3]},
        ["night pain"],
    ],
)
def test_malformed_clinical_block_is_bad_input(raw):
    with pytest.raises(NeurolocError):
        parse_clinical(raw)


def test_clinical_data_validates_and_reports_broken_references():
    assert validate_clinical_data() == []
    tables = clinical._tables()
    broken = {
        "flags": tables.flags,
        "features": tables.features,
        "causes": [{**tables.causes[0], "for": {"no-such-feature": 1}}],
        "sources": {"seed-back-leg-pain"},
    }
    faults = validate_clinical_data(broken)
    assert any("no-such-feature" in f for f in faults)
    assert any("unknown source" in f for f in faults)
