"""`neuroloc batch`: input order, error lines in place, stdin JSONL, directories, summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from neuroloc.cli.main import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_output_keeps_input_order_and_puts_errors_in_place(tmp_path, jobs):
    bad = tmp_path / "bad.yaml"
    bad.write_text("findings:\n  - {muscle: tibialis anterio, grade: 2}\n")
    inputs = [
        str(EXAMPLES / "s1-radiculopathy.yaml"),
        str(bad),
        str(EXAMPLES / "fibular-head-foot-drop.yaml"),
        str(EXAMPLES / "meralgia-paresthetica.yaml"),
    ]
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["batch", *inputs, "--out", str(out), "--jobs", jobs])
    assert result.exit_code == 2, result.output  # a failed case fails the run
    rows = lines(out)
    assert [r["case"] for r in rows] == inputs
    assert "error" in rows[1] and "tibialis anterior" in rows[1]["error"].lower()
    assert rows[0]["candidates"][0]["lesions"][0]["id"] == "root:S1"
    assert rows[2]["candidates"][0]["lesions"][0]["id"] == "nerve:common-fibular@fibular-head"
    assert "4 cases, 1 errors" in result.output


def test_directory_and_stdin_inputs(tmp_path):
    out = tmp_path / "dir.jsonl"
    result = CliRunner().invoke(main, ["batch", str(EXAMPLES), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 0
    assert len(lines(out)) == len(list(EXAMPLES.glob("*.yaml")))
    stdin = '{"side": "right", "findings": [{"muscle": "TA", "grade": 2}]}\n{oops\n'
    out2 = tmp_path / "stdin.jsonl"
    result = CliRunner().invoke(main, ["batch", "-", "--out", str(out2)], input=stdin)
    rows = lines(out2)
    assert [r["case"] for r in rows] == ["stdin:1", "stdin:2"]
    assert rows[0]["candidates"] and "error" in rows[1]


def test_no_cases_is_bad_input(tmp_path):
    result = CliRunner().invoke(main, ["batch", str(tmp_path / "none*.yaml"), "--out", "x.jsonl"])
    assert result.exit_code == 2 and "no case files" in result.output


def test_out_dash_writes_the_results_to_standard_output(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from neuroloc.cli.main import main as cli

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    case = tmp_path / "case.yaml"
    case.write_text("side: left\nfindings:\n  - {muscle: TA, grade: 2}\n")
    done = runner.invoke(cli, ["batch", str(case), "--out", "-"])
    assert done.exit_code == 0, done.output
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1 and '"case"' in lines[0]
    assert not (tmp_path / "-").exists()
    refused = runner.invoke(cli, ["batch", str(case), "--out", "-", "--resume"])
    assert refused.exit_code == 2
