"""Golden tests: every worked example gives the answer it teaches, in every output format."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from neuroloc import localize, to_json
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
    page = explain_markdown(localize(example.path))
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
