"""Names the hand and the foot share (ADM): the rest of the case decides, or neuroloc asks;
never one silently for the other (issue 15 item 4)."""

from __future__ import annotations

import pytest

from neuroloc import localize
from neuroloc.anatomy import AmbiguousName


def targets(*expressions: str) -> set[str]:
    result = localize(None, side="left", expressions=list(expressions))
    return {f.target for f in result.findings}


@pytest.mark.parametrize("name", ["ADM", "abductor digiti minimi", "ADQ"])
def test_adm_in_an_arm_case_is_the_hand_muscle(name):
    assert "muscle:abductor-digiti-minimi" in targets(f"{name}=3", "FDI=3")


@pytest.mark.parametrize("name", ["ADM", "abductor digiti minimi"])
def test_adm_in_a_leg_case_is_the_foot_muscle(name):
    assert "muscle:abductor-digiti-minimi-foot" in targets(f"{name}=3", "abductor hallucis=3")


def test_adm_alone_or_in_a_case_of_both_limbs_asks_for_the_limb():
    for case in (["ADM=3"], ["ADM=3", "FDI=3", "abductor hallucis=3"]):
        with pytest.raises(AmbiguousName, match="a hand and a foot muscle"):
            targets(*case)


def test_explicit_limb_names_always_work():
    assert "muscle:abductor-digiti-minimi-foot" in targets("ADM foot=3")
    assert "muscle:abductor-digiti-minimi" in targets("abductor digiti minimi (hand)=3")


@pytest.mark.parametrize(
    ("expression", "target"),
    [
        ("biceps=4/5", "muscle:biceps"),
        ("biceps=weak", "muscle:biceps"),
        ("biceps=brisk", "reflex:biceps"),
        ("triceps=4-/5", "muscle:triceps"),
    ],
)
def test_a_muscle_and_its_reflex_are_told_apart_by_the_grade(expression, target):
    assert target in targets(expression)


def test_a_grade_both_could_take_still_asks_for_the_kind():
    with pytest.raises(AmbiguousName, match="prefix it with its kind"):
        targets("biceps=4")
