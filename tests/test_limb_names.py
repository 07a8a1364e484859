"""Names the hand and the foot could share (ADM): the bare name is the hand muscle (CONTRACT
5b), the foot's is named with its limb; a muscle and its reflex are told apart by the grade."""

from __future__ import annotations

import pytest

from neuroloc import localize
from neuroloc.anatomy import AmbiguousName


def targets(*expressions: str) -> set[str]:
    result = localize(None, side="left", expressions=list(expressions))
    return {f.target for f in result.findings}


@pytest.mark.parametrize("name", ["ADM", "abductor digiti minimi", "ADQ"])
@pytest.mark.parametrize("others", [(), ("FDI=3",), ("abductor hallucis=3",)])
def test_adm_alone_is_the_hand_muscle_in_every_case(name, others):
    """CONTRACT 5b: as in every EMG report, even beside findings of the foot."""
    assert "muscle:abductor-digiti-minimi" in targets(f"{name}=3", *others)


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
