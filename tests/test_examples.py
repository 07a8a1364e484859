"""Golden tests: every worked example gives the answer it teaches, in every output format."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from neuroloc import explain, localize, to_json
from neuroloc.cli.main import main
from neuroloc.examples import check, list_examples
from neuroloc.findings import load_case_file
from neuroloc.report.teaching import explain_markdown

EXAMPLES = list_examples()


def test_there_are_at_least_twenty_examples():
    assert len(EXAMPLES) >= 20


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example_gives_its_expected_answer(example):
    assert example.expected, f"{example.name} states no expected answer"
    assert example.teaching and example.notes
    result = localize(example.path)
    verdict = check(example, result)
    assert verdict.passed, verdict.problems


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example_explains_as_a_page_with_the_disclaimer(example):
    page = explain_markdown(explain(example.path, tests=0))  # the page, not its what-ifs
    assert page.startswith("# ")
    assert "## 1. The findings" in page and "## 3. The ranked answer" in page
    assert "not a diagnosis" in page


def test_examples_cli_list_and_run():
    runner = CliRunner()
    listed = runner.invoke(main, ["examples", "list"])
    assert listed.exit_code == 0 and "fibular-head-foot-drop" in listed.output
    ran = runner.invoke(main, ["examples", "run", "fibular-head-foot-drop"])
    assert ran.exit_code == 0
    assert "matches the example's expected answer" in ran.output
    unknown = runner.invoke(main, ["examples", "run", "fibular-hed-foot-drop"])
    assert unknown.exit_code == 2 and "closest" in unknown.output


def test_ambiguous_foot_drop_is_separated_by_the_suggested_test():
    example = next(e for e in EXAMPLES if e.name == "foot-drop-ambiguous")
    first = localize(example.path)
    ranks = {c.site_ids: str(c.rank) for c in first.candidates}
    fibular, l5 = ranks[("nerve:common-fibular@fibular-head",)], ranks[("root:L5",)]
    # The first bedside test suggested tells the fibular head from L5 (the hamstrings and their
    # reflex, which L5 supplies through the sciatic nerve above the knee).
    bedside = next(t for t in first.next_tests if t.kind == "bedside")
    assert bedside.predictions[fibular] != bedside.predictions[l5]
    assert to_json(first)["next_tests"][0]["predictions"]

    case, _ = load_case_file(example.path)
    case["findings"].append({"muscle": "tibialis posterior", "grade": 3})
    weak = localize(case)
    # Weak inversion: the candidates that cannot reach tibialis posterior drop out entirely.
    assert weak.best.lesions[0].id == "root:L5"
    fibular = {"nerve:common-fibular@fibular-head", "nerve:deep-fibular@leg"}
    assert not fibular & {x.id for c in weak.candidates for x in c.lesions}
    # Strong inversion and hip abduction: the fibular head leads, well clear of L5.
    case["findings"][-1] = {"muscle": "tibialis posterior", "grade": 5}
    case["findings"].append({"movement": "hip abduction", "grade": 5})
    strong = localize(case, top=20)
    assert strong.best.lesions[0].id == "nerve:common-fibular@fibular-head"
    l5 = next(c for c in strong.candidates if c.site_ids == ("root:L5",))
    assert l5.score - strong.best.score > 2.0


# ------------------------------------------------------------ teachers' own cases (issue 24)
def test_examples_show_hides_the_answer_unless_asked():
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when there: same reading

    runner = CliRunner()
    for example in EXAMPLES:
        hidden = runner.invoke(main, ["examples", "show", example.name])
        shown = runner.invoke(main, ["examples", "show", example.name, "--answer"])
        assert hidden.exit_code == shown.exit_code == 0
        bare, full = yaml.load(hidden.output, loader), yaml.load(shown.output, loader)
        assert "expected" not in bare and full["expected"] == example.expected
        assert bare == {k: v for k, v in full.items() if k != "expected"}


def test_examples_check_passes_a_right_case_and_prints_the_difference(tmp_path):
    source = next(e for e in EXAMPLES if e.name == "l5-radiculopathy").path.read_text()
    right, wrong = tmp_path / "right.yaml", tmp_path / "wrong.yaml"
    right.write_text(source)
    wrong.write_text(source.replace('id: "root:L5"', 'id: "root:S1"'))
    runner = CliRunner()
    ok = runner.invoke(main, ["examples", "check", str(right)])
    assert ok.exit_code == 0 and "right.yaml: matches" in ok.output
    bad = runner.invoke(main, ["examples", "check", str(right), str(wrong)])
    assert bad.exit_code == 1
    assert "wrong.yaml: DIFFERS" in bad.output and "root:S1" in bad.output
    assert "root:L5" in bad.output  # the difference: what was found against what was expected


def test_examples_check_refuses_a_case_without_an_answer_or_with_a_bad_key(tmp_path):
    source = next(e for e in EXAMPLES if e.name == "l5-radiculopathy").path.read_text()
    from neuroloc.examples import without_answer

    bare, typo = tmp_path / "bare.yaml", tmp_path / "typo.yaml"
    bare.write_text(without_answer(source))
    typo.write_text(source.replace("expected:\n  lesions:", "expected:\n  lesion:"))
    runner = CliRunner()
    for path, words in ((bare, "no 'expected:' block"), (typo, "closest: lesions")):
        out = runner.invoke(main, ["examples", "check", str(path)])
        assert out.exit_code == 2, out.output
        assert words in out.output and "Traceback" not in out.output
    missing = runner.invoke(main, ["examples", "check", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and "no such case file" in missing.output
