"""Free-text clinical phrases (issues 12 and 13): paraphrases, shorthand, negation, ambiguity.

A clinical phrase resolves by its exact name first, then by content words and synonyms; a phrase
that denies a sign is refused rather than read as the sign; a phrase naming two signs is refused
naming both; a phrase that matches nothing is bad input with the closest names. A red flag is
never silently lost.
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from click.testing import CliRunner

import neuroloc
from neuroloc import clinical
from neuroloc.anatomy import NeurolocError, UnknownName
from neuroloc.anatomy.errors import AmbiguousName
from neuroloc.anatomy.names import NameIndex
from neuroloc.cli.main import main
from neuroloc.clinical import parse_clinical
from neuroloc.phrases import NegatedPhrase, PhraseMatcher, content_words


def localize(history=(), exam=(), features=()):
    clinical_block = {"history": list(history), "exam": list(exam), "features": list(features)}
    case = {
        "side": "left",
        "findings": [{"muscle": "TA", "grade": 2}],
        "clinical": {k: v for k, v in clinical_block.items() if v},
    }
    return neuroloc.localize(case)


def flag_ids(result):
    return [flag.id for flag in result.red_flags]


# The phrases of the two issues, and paraphrases that are not in the tables word for word.
HISTORY_PARAPHRASES = [
    ("long-term steroid treatment", "corticosteroid-history"),
    ("treated with prednisone for years", "corticosteroid-history"),
    ("Long term corticosteroids", "corticosteroid-history"),
    ("incontinence", "cauda-equina-syndrome"),
    ("new urinary incontinence", "cauda-equina-syndrome"),
    ("loss of bladder control since yesterday", "cauda-equina-syndrome"),
    ("difficulty passing urine", "cauda-equina-syndrome"),
    ("night sweats", "unexplained-fever"),
    ("drenching night sweats", "unexplained-fever"),
    ("IV drug use", "chronic-infection-history"),
    ("injecting drugs", "chronic-infection-history"),
    ("injects drugs intravenously", "chronic-infection-history"),
    ("weight loss", "unexplained-weight-loss"),
    ("lost 8 kg in weight", "unexplained-weight-loss"),
    ("fever", "unexplained-fever"),
    ("recurrent fevers", "unexplained-fever"),
    ("back pain waking him at night", "rest-or-night-pain"),
    ("breast cancer in 2015", "malignancy-history"),
    ("fell off a ladder", "trauma-history"),
    ("progressively worsening back pain", "progressive-pain"),
]
EXAM_PARAPHRASES = [
    ("tenderness on percussion of the spinous processes", "spinous-percussion-pain"),
    ("spinous processes tender to percussion", "spinous-percussion-pain"),
    ("spine tender to tapping", "spinous-percussion-pain"),
    ("percussing the vertebrae is painful", "spinous-percussion-pain"),
    ("absent anal reflex", "cauda-equina-syndrome"),
    ("reduced perianal sensation", "cauda-equina-syndrome"),
    ("rapidly worsening foot drop", "progressive-deficit"),
    ("electric shock-like pain", "atypical-pain-quality"),
]


@pytest.mark.parametrize(("phrase", "flag"), HISTORY_PARAPHRASES)
def test_history_paraphrase_raises_its_red_flag(phrase, flag):
    assert flag in flag_ids(localize(history=[phrase]))


@pytest.mark.parametrize(("phrase", "flag"), EXAM_PARAPHRASES)
def test_exam_paraphrase_raises_its_red_flag(phrase, flag):
    assert flag in flag_ids(localize(exam=[phrase]))


@pytest.mark.parametrize(
    "phrase",
    [
        "treated with prednisone for years",
        "spinous processes tender to percussion",
        "spine tender to tapping",
        "injects drugs intravenously",
        "lost 8 kg in weight",
        "drenching night sweats",
    ],
)
def test_paraphrases_are_matched_by_content_words_not_by_exact_name(phrase):
    assert phrase not in clinical._tables().flag_index


def test_incontinence_raises_the_urgent_cauda_equina_flag_first():
    result = localize(history=["night pain", "incontinence"])
    first = result.red_flags[0]
    assert first.id == "cauda-equina-syndrome" and first.urgent
    assert "history" in first.evidence
    assert "rest-or-night-pain" in flag_ids(result)


def test_many_shorthand_phrases_lose_no_flag():
    result = localize(
        history=["incontinence", "night sweats", "IV drug use", "long-term steroid treatment"],
        exam=["tenderness on percussion of the spinous processes", "weight loss"],
    )
    assert set(flag_ids(result)) == {
        "cauda-equina-syndrome",
        "unexplained-fever",
        "chronic-infection-history",
        "corticosteroid-history",
        "spinous-percussion-pain",
        "unexplained-weight-loss",
    }


@pytest.mark.parametrize(
    "phrase",
    [
        "no night pain",
        "denies fever",
        "without weight loss",
        "negative for weight loss",
        "Night pain: none",
        "w/o fever",
        "afebrile",
        "no history of cancer",
        "never used IV drugs",
        "normal anal tone",
        "anal tone intact",
        "no loss of perianal sensation",
        "denies bladder problems",
        "no obvious cause for the fever",
    ],
)
def test_negated_phrase_is_bad_input_never_a_flag(phrase):
    with pytest.raises(NegatedPhrase) as info:
        parse_clinical({"history": ["fever", phrase]})
    message = str(info.value)
    assert "clinical.history[1]" in message and "leave this phrase out" in message
    with pytest.raises(NeurolocError):
        localize(history=[phrase])


def test_negated_phrase_exits_2_at_the_command_line():
    case = "side: left\nfindings: [{muscle: TA, grade: 2}]\nclinical: {history: [denies fever]}\n"
    out = CliRunner().invoke(main, ["localize", "-"], input=case)
    assert out.exit_code == 2, out.output
    assert "leave this phrase out" in out.output and "Traceback" not in out.output


@pytest.mark.parametrize(
    ("phrase", "closest"),
    [("nite sweats", "night sweats"), ("nite pain", "night pain"), ("steroyds", "steroids")],
)
def test_unknown_phrase_gives_the_closest_names(phrase, closest):
    with pytest.raises(UnknownName) as info:
        parse_clinical({"exam": [phrase]})
    assert closest in info.value.suggestions
    assert "clinical.exam[0]" in str(info.value)


def test_unknown_phrase_exits_2_with_closest_in_json():
    case = "side: left\nfindings: [{muscle: TA, grade: 2}]\nclinical: {history: [nite sweats]}\n"
    out = CliRunner().invoke(main, ["localize", "-", "--format", "json"], input=case)
    assert out.exit_code == 2
    error = json.loads(out.output.strip().splitlines()[-1])
    assert "night sweats" in error["closest"]


@pytest.mark.parametrize(
    ("phrase", "flags"),
    [
        ("fever and weight loss", {"unexplained-fever", "unexplained-weight-loss"}),
        ("cancer treated with steroids", {"malignancy-history", "corticosteroid-history"}),
        ("progressive pain and weakness", {"progressive-pain", "progressive-deficit"}),
    ],
)
def test_phrase_naming_two_flags_is_ambiguous_naming_both(phrase, flags):
    with pytest.raises(AmbiguousName) as info:
        parse_clinical({"history": [phrase]})
    assert set(info.value.candidates) == flags
    assert all(flag in str(info.value) for flag in flags)
    assert "own phrase" in str(info.value)


def test_a_more_specific_match_wins_over_a_part_of_it():
    # "night sweats" holds "night" but names the fever flag, not night pain.
    assert parse_clinical({"history": ["night sweats"]}).history == ("unexplained-fever",)
    # "paravertebral joint tenderness" is the facet feature, not tender paravertebral muscles.
    parsed = parse_clinical({"features": ["tender paravertebral joint"]})
    assert parsed.features == ("facet-tenderness",)


@pytest.mark.parametrize(
    ("phrase", "feature"),
    [
        ("positive straight leg raising test", "lasegue-positive"),
        ("Lasègue's sign positive", "lasegue-positive"),
        ("crossed SLR positive", "crossed-slr"),
        ("no root compression on MRI", "no-radiological-root-compression"),
        ("normal MRI", "no-radiological-root-compression"),
        ("MRI shows L5 root compression", "radiological-root-compression"),
        ("pain worse when sitting", "worse-sitting"),
        ("pain doesn't extend beyond the knee", "not-below-knee"),
        ("neurologically intact", "no-prolapse-signs"),
        ("relieved by leaning on a shopping trolley", "relieved-bending-forward"),
        ("paraspinal muscle spasm", "paravertebral-muscle-tenderness"),
    ],
)
def test_feature_paraphrases_resolve(phrase, feature):
    assert parse_clinical({"features": [phrase]}).features == (feature,)


@pytest.mark.parametrize("phrase", ["SLR negative", "no stenosis on MRI", "no crossed SLR"])
def test_negated_feature_without_a_negative_twin_is_refused(phrase):
    with pytest.raises(NegatedPhrase):
        parse_clinical({"features": [phrase]})


def test_content_words_fold_case_punctuation_stop_words_inflections_and_negation():
    assert content_words("Long-term steroid treatment") == ("long", "term", "steroid", "treat")
    assert content_words("Tenderness on percussion of the spinous processes") == (
        "tender",
        "percuss",
        "spinous",
        "process",
    )
    assert content_words("percussing; treated, steroids") == ("percuss", "treat", "steroid")
    assert content_words("Denies night sweats") == ("no", "night", "sweat")
    assert content_words("anal tone: normal") == ("anal", "tone", "normal")


MIRROR_IMAGES = {"leg pain worse than back pain", "back pain worse than leg pain"}


@pytest.mark.parametrize("table", ["flag_matcher", "feature_matcher"])
def test_every_name_resolves_to_its_own_record_by_content_words_alone(table):
    matcher = getattr(clinical._tables(), table)
    bare = dataclasses.replace(matcher, index=NameIndex(matcher.kind))
    for record in matcher.records:
        for name in record.names:
            assert matcher.resolve(name) == record.ident
            if name.lower() in MIRROR_IMAGES:
                continue  # word order is not read: the exact synonyms tell these apart
            assert bare.resolve(name) == record.ident, name


def test_broken_keywords_are_reported_with_their_record():
    records = [{"id": "x", "label": "x sign", "keywords": ["the|of"]}]
    with pytest.raises(NeurolocError, match=r"red_flags\.yaml x"):
        PhraseMatcher.build("red flag", records, "red_flags.yaml")


def test_vocabulary_lists_the_accepted_spellings():
    out = CliRunner().invoke(main, ["vocabulary", "red-flags", "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = {row["id"]: row["synonyms"] for row in json.loads(out.output)["red-flags"]}
    assert "incontinence" in rows["cauda-equina-syndrome"]
    assert "night sweats" in rows["unexplained-fever"]
    assert "iv drug use" in rows["chronic-infection-history"]
    assert "long-term steroid treatment" in rows["corticosteroid-history"]
    assert "tenderness on percussion of the spinous processes" in rows["spinous-percussion-pain"]
