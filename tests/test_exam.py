"""The interactive exam (issue 23, CONTRACT 1): answers piped through it reach the right
localization, and the saved case reproduces it."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from neuroloc import localize
from neuroloc.anatomy import NeurolocError, Strength, load_atlas
from neuroloc.cli.main import main
from neuroloc.forward import parse_lesion, simulate
from neuroloc.localizer import default_localizer
from neuroloc.session import Session, case_data, complete_line, complete_names

LOCALIZER = default_localizer()

START = ("TA=2", "EHL=2")  # a foot drop: root, plexus, sciatic or fibular
ABNORMAL = {
    "muscle": "3",
    "movement": "3",
    "emg": "denervation",
    "ncs": "block",
    "reflex": "absent",
}


def run(*args, input=None):
    return CliRunner().invoke(main, ["exam", *args], input=input)


def _oracle(lesion: str):
    """The answer a patient with ``lesion`` gives to any question (the forward model)."""
    atlas = load_atlas()
    exam = simulate(atlas, [parse_lesion(atlas, lesion)], threshold=Strength.weakest("likely"))
    abnormal = {(f.target, f.side) for f in exam if f.abnormal}

    def answer(test) -> str:
        kind, _, slug = test.test.partition(":")
        target = f"muscle:{slug}" if kind == "emg" else test.test
        parts = atlas.members(target) if kind in ("muscle", "movement") else (target,)
        sides = ("left", "right", "both") if test.side == "both" else (test.side, "both")
        weak = any((p, s) in abnormal for p in parts for s in sides)
        return ABNORMAL.get(kind, "reduced") if weak else "normal"

    return answer


@pytest.mark.parametrize("lesion", ["nerve:common-fibular@fibular-head@left", "root:L5@left"])
def test_answering_each_question_reaches_the_lesion(lesion):
    answer = _oracle(lesion)
    session = Session.start(LOCALIZER, None, expressions=START, side="left")
    for _ in range(15):
        if session.finished:
            break
        assert session.answer(answer(session.question())) == ""
    assert session.finished and session.clear, session.why_finished()
    assert [(x.id, x.side) for x in session.best.lesions] == [tuple(lesion.rsplit("@", 1))]
    assert session.best.probability >= session.threshold


def test_the_piped_exam_reaches_the_answer_and_saves_a_case_that_reproduces_it(tmp_path):
    saved = tmp_path / "exam.yaml"
    answers = "tibialis posterior=5\nhip abduction=5\nsnap:superficial fibular=absent\ndone\n"
    out = run("-f", START[0], "-f", START[1], "--side", "L", "--save", str(saved),
              input=answers)  # fmt: skip
    assert out.exit_code == 0, out.output
    assert "exam ended: " in out.output and f"case saved to {saved}" in out.output
    data = yaml.safe_load(saved.read_text())
    again = localize(str(saved))
    direct = localize(
        None,
        side="left",
        expressions=[*START, "tibialis posterior=5", "hip abduction=5",
                     "snap:superficial fibular=absent"],
    )  # fmt: skip
    best = [(x.id, x.side) for x in again.best.lesions]
    assert best == [(x.id, x.side) for x in direct.best.lesions]
    assert best == [("nerve:common-fibular@fibular-head", "left")]
    assert [c.probability for c in again.candidates] == [c.probability for c in direct.candidates]
    assert len(data["findings"]) == 5


def test_a_grade_answers_the_test_asked(tmp_path):
    first = Session.start(LOCALIZER, None, expressions=START, side="left").question()
    saved = tmp_path / "one.yaml"
    out = run("-f", START[0], "-f", START[1], "--side", "left", "--save", str(saved),
              input="normal\n")  # fmt: skip
    assert out.exit_code == 0, out.output
    assert f"next: {first.label} ({first.side})" in out.output
    last = yaml.safe_load(saved.read_text())["findings"][-1]
    assert last["grade"] == "normal" and last["side"] == first.side
    kind = first.test.split(":", 1)[0]
    assert kind in last


def test_skip_moves_on_and_done_stops():
    session = Session.start(LOCALIZER, None, expressions=START, side="left")
    first = session.question()
    assert session.answer("skip") == ""
    assert session.question() != first and not session.finished
    assert session.asked == 0
    session.answer("done")
    assert session.finished and session.why_finished() == "stopped by the examiner"


def test_end_of_input_is_done_and_a_bad_answer_keeps_the_question():
    out = run("-f", "TA=2", "--side", "left", input="sideways\n")
    assert out.exit_code == 0, out.output
    assert "not understood: " in out.output and "'sideways'" in out.output
    assert "exam ended: end of input (done)" in out.output
    assert "Traceback" not in out.output


def test_a_clear_candidate_ends_the_exam_with_the_threshold_named():
    session = Session.start(LOCALIZER, None, expressions=START, side="left", threshold=0.5)
    answer = _oracle("nerve:common-fibular@fibular-head@left")
    while not session.finished:
        session.answer(answer(session.question()))
    assert "probability >= 0.5" in session.why_finished()


def test_the_saved_case_names_findings_as_a_reader_would():
    result = localize(None, side="left", expressions=["TA=fibs", "fibular motor=absent", "AJ=0"])
    names = [next(v for k, v in f.items() if k not in ("grade", "side")) for f in
             case_data(result)["findings"]]  # fmt: skip
    assert names == ["Tibialis anterior", "Fibular motor study recording extensor digitorum brevis",
                     "Ankle (Achilles) reflex"]  # fmt: skip
    again = localize(case_data(result)).findings
    assert [(f.id, f.side, f.status, f.grade) for f in again] == [
        (f.id, f.side, f.status, f.grade) for f in result.findings
    ]


def test_bad_start_is_one_line_exit_2():
    out = run()
    assert out.exit_code == 2 and out.output.count("\n") == 1


def test_names_complete_from_the_vocabulary():
    assert "tib ant" in complete_names(LOCALIZER.atlas, "tib")
    assert "ankle reflex" in complete_names(LOCALIZER.atlas, "ANKLE R")
    assert complete_names(LOCALIZER.atlas, "TA=") == []


def test_the_prompt_completes_the_name_and_not_the_grade():
    assert "tib ant" in complete_line(LOCALIZER.atlas, "", "tib a")
    assert complete_line(LOCALIZER.atlas, "TA=", "4") == []


def test_history_raises_a_red_flag_in_the_exam(tmp_path):
    saved = tmp_path / "flag.yaml"
    out = run("-f", "TA=2", "--side", "left", "--history", "urinary retention",
              "--save", str(saved), input="done\n")  # fmt: skip
    assert out.exit_code == 0, out.output
    assert out.output.startswith("!! URGENT - Cauda equina syndrome")
    assert yaml.safe_load(saved.read_text())["clinical"]["history"] == ["urinary retention"]
    plain = run("-f", "TA=2", "--side", "left", input="done\n")
    assert "URGENT" not in plain.output


def test_the_command_line_starts_without_the_exam_machinery():
    import subprocess
    import sys

    code = "import sys, neuroloc.cli.main; print('neuroloc.session' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_default_threshold_is_the_sessions():
    from neuroloc.cli.exam import exam
    from neuroloc.session import CLEAR

    option = next(p for p in exam.params if p.name == "threshold")
    assert option.default == CLEAR


def test_a_threshold_out_of_bounds_is_the_same_one_line_from_the_library_and_the_cli():
    with pytest.raises(NeurolocError) as raised:
        Session.start(LOCALIZER, None, expressions=START, side="left", threshold=0.2)
    said = CliRunner().invoke(main, ["exam", "-f", "TA=2", "--threshold", "0.2"], input="")
    assert said.exit_code == 2
    assert said.output.strip() == f"error: {raised.value}"
    assert "threshold (--threshold) must be a number at least 0.5 and at most 1" in said.output
