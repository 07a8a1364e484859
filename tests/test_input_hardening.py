"""Bad input never crashes: malformed files, wrong types, look-alikes, fuzzed structures."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from neuroloc import Localization, localize
from neuroloc.anatomy import NeurolocError
from neuroloc.cli.main import main

CASES = {
    "malformed-yaml": ("case.yaml", "findings: [ {muscle: TA, grade: 2\n"),
    "malformed-json": ("case.json", '{"findings": [ {"muscle": "TA", "grade": 2} '),
    "empty": ("case.yaml", ""),
    "not-a-mapping": ("case.yaml", "- muscle: TA\n"),
    "findings-not-list": ("case.yaml", "findings: {muscle: TA, grade: 2}\n"),
    "grade-list": ("case.yaml", "findings:\n  - {muscle: TA, grade: [2]}\n"),
    "side-number": ("case.yaml", "findings:\n  - {muscle: TA, grade: 2, side: 3}\n"),
    "unknown-key": ("case.yaml", "findings:\n  - {muscle: TA, grade: 2, colour: red}\n"),
    "unknown-case-key": ("case.yaml", "fidings:\n  - {muscle: TA, grade: 2}\n"),
    "unknown-side": ("case.yaml", "side: middle\nfindings:\n  - {muscle: TA, grade: 2}\n"),
    "mrc-6": ("case.yaml", "findings:\n  - {muscle: TA, grade: 6}\n"),
    "mrc-negative": ("case.yaml", "findings:\n  - {muscle: TA, grade: -1}\n"),
    "mrc-4++": ("case.yaml", "findings:\n  - {muscle: TA, grade: 4++}\n"),
    "missing-grade": ("case.yaml", "findings:\n  - {muscle: TA}\n"),
    "two-kinds": ("case.yaml", "findings:\n  - {muscle: TA, reflex: knee, grade: 2}\n"),
    "look-alike": ("case.yaml", "findings:\n  - {muscle: tibi\u0430lis anterior, grade: 2}\n"),
    "conflict": (
        "case.yaml",
        "findings:\n  - {muscle: TA, grade: 2}\n  - {muscle: TA, grade: 5}\n",
    ),
    "normal-movement-weak-part": (
        "case.yaml",
        "findings: [{movement: foot eversion, grade: 5}, {muscle: fibularis longus, grade: 3}]",
    ),
    "unknown-name": ("case.yaml", "findings:\n  - {muscle: gastrocnemious, grade: 2}\n"),
    "emg-graded-as-muscle": ("case.yaml", "findings:\n  - {muscle: L5 paraspinals, grade: 3}\n"),
    "bad-clinical": ("case.yaml", "findings:\n  - {muscle: TA, grade: 2}\nclinical: {pain: 3}\n"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_case_file_exits_2_with_one_line(tmp_path, name):
    filename, text = CASES[name]
    path = tmp_path / filename
    path.write_text(text, encoding="utf-8")
    out = CliRunner().invoke(main, ["localize", str(path)])
    assert out.exit_code == 2, out.output
    lines = [line for line in out.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), out.output
    assert "Traceback" not in out.output


def test_error_names_the_item_and_suggests_names(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(CASES["unknown-name"][1])
    out = CliRunner().invoke(main, ["localize", str(path)])
    assert "case.yaml: findings[0]" in out.output and "closest" in out.output
    assert "gastrocnemius" in out.output.lower()


def test_huge_file_is_refused(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("findings:\n" + "  - {muscle: TA, grade: 2}\n" * 60_000)
    out = CliRunner().invoke(main, ["localize", str(path)])
    assert out.exit_code == 2 and "larger than" in out.output


def test_identical_duplicates_are_accepted():
    result = localize({"side": "left", "findings": [{"muscle": "TA", "grade": 2}] * 2})
    assert len(result.findings) == 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10) | st.floats(allow_nan=True)
    | st.sampled_from(["TA", "ankle", "left", "both", "weak", "reduced", "5", "sural", "L5",
                       "muscle", "grade", "", "tibialis anterior", "saddle", "4-",
                       # the arm, shared names and the signs of the upper motor neuron
                       "APB", "ADM", "FDI", "biceps", "median", "ulnar", "C7", "fingertips",
                       "ring finger (ulnar half)", "plantar", "extensor", "brisk", "myopathic",
                       "ulnar motor across elbow", "block", "2+", "4-/5", "B/L"])
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["muscle", "movement", "reflex", "sensory", "snap", "emg", "cmap",
                         "ncs", "grade", "side", "level", "findings", "clinical", "title",
                         "history", "pain", "onset", "duration_days", "x"]), inner, max_size=4),
    max_leaves=12,
)  # fmt: skip
cases = st.fixed_dictionaries(
    {"findings": st.lists(json_values, max_size=5)},
    optional={"side": json_values, "clinical": json_values, "title": json_values},
)


@settings(max_examples=40)  # the default run's share; the slow run draws 200
@given(st.one_of(cases, json_values))
def test_fuzzed_cases_either_localize_or_raise_bad_input(data):
    check_localizes_or_bad_input(data)


@pytest.mark.slow
@settings(max_examples=200)
@given(st.one_of(cases, json_values))
def test_fuzzed_cases_either_localize_or_raise_bad_input_full(data):
    check_localizes_or_bad_input(data)


def check_localizes_or_bad_input(data):
    try:
        result = localize(data, timeout=5)
    except NeurolocError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert isinstance(result, Localization)
        json.dumps(result.disclaimer)


# ------------------------------------------------------------ fuzz families (issue 12)
def _cli_bytes(data: bytes):
    return CliRunner().invoke(main, ["localize", "-", "--side", "left"], input=data)


def _assert_bad_input_line(out) -> None:
    assert out.exit_code in (0, 2), out.output
    assert "Traceback" not in out.output
    if out.exit_code == 2:
        assert out.output.startswith("error: ") and out.output.count("\n") == 1


KEYS = ["findings", "side", "title", "clinical", "muscle", "grade", "reflex", "sensory"]


@settings(max_examples=40)
@given(st.lists(st.sampled_from(KEYS), min_size=2, max_size=6), st.integers(0, 5))
def test_fuzzed_duplicate_keys_are_always_named(keys, repeat_at):
    keys = [*keys, keys[repeat_at % len(keys)]]  # at least one repeated key
    lines = [f"{k}: [{{muscle: TA, grade: 2}}]" if k == "findings" else f"{k}: x" for k in keys]
    out = _cli_bytes("\n".join(lines).encode())
    _assert_bad_input_line(out)
    assert out.exit_code == 2


@settings(max_examples=10)
@given(st.integers(1_000_001, 1_300_000))
def test_fuzzed_oversized_stdin_is_refused(size):
    out = _cli_bytes(b"#" * size)
    assert out.exit_code == 2 and "larger than" in out.output


@settings(max_examples=40)
@given(st.binary(min_size=1, max_size=200))
def test_fuzzed_bytes_on_stdin_never_crash(data):
    _assert_bad_input_line(_cli_bytes(data))


@settings(max_examples=40)
@given(
    st.sampled_from(["left", "right", "tibialis anterior", "ankle", "reduced"]),
    st.integers(0, 4),
    st.sampled_from(["\u0435", "\u043e", "\u0430", "\u0456", "\u0440"]),  # Cyrillic look-alikes
)
def test_fuzzed_lookalike_letters_are_named_not_guessed(word, at, letter):
    mixed = word[: at % len(word)] + letter + word[at % len(word) + 1 :]
    case = f"side: left\nfindings:\n  - {{muscle: TA, grade: 2, side: {mixed}}}\n"
    if word in ("tibialis anterior",):
        case = f"side: left\nfindings:\n  - {{muscle: {mixed}, grade: 2}}\n"
    out = _cli_bytes(case.encode())
    _assert_bad_input_line(out)
    assert out.exit_code == 2
