"""The output people read (issue 12) and the report package's layout (issue 11): every format
has its sections, ties read as ties, a bilateral lesion is named once, text wraps to the
terminal, ``anatomy show`` has no Python reprs, ``examples list`` is grouped by teaching point.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import replace
from html import escape
from pathlib import Path

import pytest
from click.testing import CliRunner

import neuroloc
from neuroloc import explain
from neuroloc.cli.main import main
from neuroloc.examples import OTHER, list_examples, readme_groups
from neuroloc.report import FORMATS, render
from neuroloc.report.common import rank_labels
from neuroloc.report.text import render_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SECTION_CASES = ["l5-radiculopathy", "cauda-equina-syndrome", "edx-l5-radiculopathy"]


def _flat(text: str) -> str:
    """Text with its line breaks and indents folded, so wrapped prose compares whole."""
    return " ".join(text.split())


def _sections(result) -> dict[str, bool]:
    """Which sections a result has something to say in."""
    return {
        "urgent": any(flag.urgent for flag in result.red_flags),
        "candidates": bool(result.candidates),
        "edx": bool(result.edx),
        "next tests": bool(result.next_tests),
        "red flags": any(not flag.urgent for flag in result.red_flags),
        "any red flag": bool(result.red_flags),
        "pain timing": result.pain_timing is not None,
        "causes": bool(result.causes),
        "warnings": bool(result.warnings),
    }


# section -> the words that open it, per format (None: the format has no such section)
MARKERS = {
    "text": {
        "header": "neuroloc: ",
        "urgent": "!! URGENT - ",
        "findings": "findings: ",
        "candidates": "candidates (",
        "edx": "electrodiagnosis:",
        "next tests": "next tests (best discriminator first):",
        "red flags": "red flags:",
        "pain timing": "pain timing: ",
        "causes": "likely causes of the back/leg pain (best first):",
        "warnings": "warning: ",
    },
    "markdown": {
        "header": "# ",
        "urgent": "> **URGENT - ",
        "findings": "## Findings",
        "candidates": "| rank | probability | lesion(s) |",
        "next tests": "## Next tests",
        "red flags": "## Red flags",
        "pain timing": "**Pain timing:**",
        "causes": "## Causes of the pain (best first)",
        "warnings": "## Warnings",
    },
    "teaching": {
        "header": "# ",
        "urgent": "> **URGENT - ",
        "findings": "## 1. The findings and what each implicates",
        "candidates": "| rank | lesion(s) | level |",
        "edx": ". Electrodiagnostic reasoning\n",
        "next tests": ". What to examine next\n",
        "any red flag": "- Red flag",
        "pain timing": "- Pain timing: ",
        "causes": "- Cause of the pain: ",
        "warnings": "## Warnings",
    },
    "html": {
        "header": "<header><h1>",
        "urgent": 'class="urgent"',
        "findings": '<section id="findings">',
        "candidates": "<th>rank</th><th>probability</th><th>lesion(s)</th>",
        "next tests": '<section id="next-tests">',
        "red flags": "<h3>Red flags</h3>",
        "pain timing": "<strong>Pain timing:</strong>",
        "causes": "<h3>Causes of the back/leg pain (best first)</h3>",
        "warnings": '<section id="warnings">',
    },
}


@pytest.fixture(scope="module")
def section_results():
    return {name: explain(str(EXAMPLES / f"{name}.yaml")) for name in SECTION_CASES}


@pytest.mark.parametrize("fmt", sorted(MARKERS))
@pytest.mark.parametrize("name", SECTION_CASES)
def test_every_format_has_its_sections(section_results, name, fmt):
    result = section_results[name]
    page = render(result, fmt)
    present = {"header": True, "findings": True, **_sections(result)}
    for section, marker in MARKERS[fmt].items():
        assert (marker in page) == present[section], (name, fmt, section)
    # the disclaimer closes every page
    if fmt == "text":
        assert _flat(page).endswith(_flat(result.disclaimer))
    elif fmt == "html":
        assert page.rfind(escape(result.disclaimer)) > page.rfind("</section>")
    else:
        assert page.rstrip().endswith(f"*{result.disclaimer}*")


def test_the_three_cases_exercise_every_section(section_results):
    seen = {k for r in section_results.values() for k, v in _sections(r).items() if v}
    assert seen >= {"urgent", "edx", "next tests", "red flags", "pain timing", "causes"}


def test_every_format_is_found_by_name(section_results):
    result = section_results["l5-radiculopathy"]
    for fmt in FORMATS:
        assert render(result, fmt).strip(), fmt
    assert json.loads(render(result, "json"))["schema"] == "neuroloc.localization/1"


def test_upper_motor_neuron_signs_are_listed_in_every_format():
    result = neuroloc.explain(
        {
            "side": "left",
            "findings": [
                {"muscle": "tibialis anterior", "grade": 3},
                {"reflex": "plantar", "grade": "extensor"},
            ],
        }
    )
    umn = [f for f in result.findings if f.status == "umn"]
    assert umn
    assert re.search(r"UMN sign +Plantar response = extensor \(left\)", render_text(result))
    assert "| Plantar response | left | extensor | UMN sign |" in render(result, "markdown")
    assert "Plantar response extensor (left)" in render(result, "teaching")
    assert '<td class="umn">umn</td>' in render(result, "html")


# ------------------------------------------------------------------------------------ ties
def test_equal_scores_share_a_rank():
    assert rank_labels([1.0, 1.00001, 2.0]) == ["1=", "1=", "3"]
    assert rank_labels([1.0, 2.0, 3.0]) == ["1", "2", "3"]
    assert rank_labels([1.0, 1.2, 1.2, 1.2]) == ["1", "2=", "2=", "2="]
    assert rank_labels([]) == []


def test_ties_are_shown_as_ties_in_text_and_markdown():
    from neuroloc.teaching import page

    result = neuroloc.explain(EXAMPLES / "fibular-head-foot-drop.yaml")
    first, second, *rest = result.candidates
    tied = replace(result, candidates=(first, replace(second, score=first.score), *rest))
    tied = replace(tied, page=page(tied.atlas, tied))  # the page explain would build for it
    text = render_text(tied, width=200)
    assert len(re.findall(r"^ 1= \[", text, re.M)) == 2
    assert not re.search(r"^ 2[.=] \[", text, re.M)
    markdown = render(tied, "markdown")
    assert markdown.count("\n| 1= | ") == 2
    assert "| 1= | " in render(tied, "teaching")
    # no tie: plain ranks
    if first.score != second.score:
        assert re.search(r"^ 1\. \[", render_text(result, width=200), re.M)
        assert "\n| 1 | " in render(result, "markdown")


# ------------------------------------------------------------------------------ both sides
def test_a_site_held_on_both_sides_is_named_once():
    result = neuroloc.explain(EXAMPLES / "arm-bilateral-carpal-tunnel.yaml")
    best = {(x.id, x.side) for x in result.best.lesions}
    assert best == {("nerve:median@carpal-tunnel", "left"), ("nerve:median@carpal-tunnel", "right")}
    text = render_text(result, width=200)
    markdown = render(result, "markdown")
    for page in (text, markdown):
        assert "Median nerve in the carpal tunnel (both sides)" in page
        assert (
            "Median nerve in the carpal tunnel (left) + Median nerve in the carpal tunnel"
            not in (page)
        )
        assert "carpal tunnel syndrome + carpal tunnel syndrome" not in page
    assert "carpal tunnel syndrome (both sides)" in render(result, "teaching")


def test_electrodiagnosis_lines_that_differ_only_by_side_are_not_repeated():
    result = neuroloc.explain(EXAMPLES / "arm-bilateral-carpal-tunnel.yaml")
    from neuroloc.report.common import distinct_edx

    merged = distinct_edx(result.edx)
    assert len(result.edx) > len(merged)  # the engine gives one line per side, naming it
    text = render_text(result, width=400)
    edx = text.split("electrodiagnosis:\n")[1].split("\n\n")[0].splitlines()
    assert len(edx) == len(set(edx)) == len(merged)
    assert render(result, "teaching").count("- Median SNAP (both sides) reduced:") == 1


# ------------------------------------------------------------------------------- wrapping
def test_text_wraps_to_a_narrow_terminal(monkeypatch):
    result = neuroloc.localize(EXAMPLES / "arm-bilateral-carpal-tunnel.yaml")
    wide = render_text(result, width=10_000)
    monkeypatch.setattr(
        shutil, "get_terminal_size", lambda fallback=None: os.terminal_size((60, 24))
    )
    narrow = render_text(result)
    assert max(len(line) for line in wide.splitlines()) > 60
    for line in narrow.splitlines():  # only a single unbreakable word may overrun
        assert len(line) <= 60 or " " not in line.strip(), line
    assert _flat(narrow) == _flat(wide)  # folded, nothing lost
    # continuation lines are indented under their item
    assert re.search(r"^      explains: .*\n {10}\S", narrow, re.M)
    # JSON is never wrapped
    data = render(result, "json")
    assert max(len(line) for line in data.splitlines()) > 60
    assert json.loads(data)["title"] == result.title


def test_text_wraps_at_100_columns_when_not_a_terminal(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(
        shutil, "get_terminal_size", lambda fallback=(100, 24): os.terminal_size(fallback)
    )
    result = neuroloc.localize(EXAMPLES / "arm-bilateral-carpal-tunnel.yaml")
    lines = render_text(result).splitlines()
    assert max(len(line) for line in lines) <= 100


# ---------------------------------------------------------------------------- anatomy show
REPR = re.compile(r"[{}\[\]]|\bNone\b|\bTrue\b|\bFalse\b|'\w+':")


@pytest.mark.parametrize(
    "name",
    ["tibialis anterior", "first web space", "nerve:common-fibular@fibular-head", "common fibular"],
)
def test_anatomy_show_text_has_no_python_reprs(name):
    out = CliRunner().invoke(main, ["anatomy", "show", name], env={"COLUMNS": "10000"})
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert re.fullmatch(r".+  \[[^\]]+\]", lines[0])  # "Label  [id]"
    fields = lines[1 : lines.index("  sources:")]
    record = json.loads(
        CliRunner().invoke(main, ["anatomy", "show", name, "--format", "json"]).output
    )
    if record.get("description"):
        fields = fields[1:]
    assert fields
    for line in fields:
        assert not REPR.search(line), line
    for line in lines[lines.index("  sources:") + 1 :]:
        assert line.startswith("    [")


def test_anatomy_show_writes_roots_as_words():
    out = CliRunner().invoke(main, ["anatomy", "show", "tibialis anterior"])
    assert "  roots: L4 (major), L5 (major)" in out.output
    site = CliRunner().invoke(main, ["anatomy", "show", "nerve:common-fibular@fibular-head"])
    assert "  supplies:\n    muscles: " in site.output  # nested mappings on their own lines


# --------------------------------------------------------------------------- examples list
def test_every_example_is_in_the_readme():
    missing = [e.name for e in list_examples() if e.name not in readme_groups()]
    assert not missing, f"add these examples to examples/README.md: {missing}"
    assert all(e.group != OTHER and e.section != OTHER for e in list_examples())


def test_examples_list_is_grouped_by_teaching_point():
    out = CliRunner().invoke(main, ["examples", "list"], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    examples = {e.name: e for e in list_examples()}
    assert lines[0] == examples["fibular-head-foot-drop"].section
    assert "The arm" in lines and "  Cervical roots: C5, C6, C7 or C8?" in lines
    heading = None
    for line in lines:
        name = line.split()[0] if line.startswith("  ") and line.split() else None
        if name in examples:  # an example row sits under its group's heading
            assert heading == examples[name].group, line
        elif line.strip():
            heading = line.strip()
    data = json.loads(CliRunner().invoke(main, ["examples", "list", "--format", "json"]).output)
    assert {row["name"] for row in data} == set(examples)
    assert all(row["group"] == examples[row["name"]].group for row in data)
    assert [row["name"] for row in data][:2] == ["fibular-head-foot-drop", "l5-radiculopathy"]


def test_an_example_missing_from_the_readme_goes_under_other(tmp_path, monkeypatch):
    import neuroloc.examples as examples_module

    source = EXAMPLES / "sural-neuropathy.yaml"
    (tmp_path / "sural-neuropathy.yaml").write_text(source.read_text(encoding="utf-8"))
    (tmp_path / "tarsal-tunnel.yaml").write_text(
        (EXAMPLES / "tarsal-tunnel.yaml").read_text(encoding="utf-8")
    )
    (tmp_path / "README.md").write_text(
        "# Examples\n\n## Feet\n\n| example | point |\n| --- | --- |\n| `tarsal-tunnel` | x |\n"
    )
    monkeypatch.setattr(examples_module, "examples_dir", lambda: tmp_path)
    examples_module.readme_groups.cache_clear()
    try:
        groups = {e.name: e.group for e in examples_module.list_examples()}
        out = CliRunner().invoke(main, ["examples", "list"], env={"COLUMNS": "200"})
    finally:
        examples_module.readme_groups.cache_clear()
    assert groups == {"sural-neuropathy": OTHER, "tarsal-tunnel": "Feet"}
    assert out.output.splitlines()[0] == "Feet"
    assert out.output.splitlines()[-2:][0] == OTHER
