"""The benchmark scripts keep working: the leg-only atlas they compare against builds and
explains its own cases, and the before/after answer check detects a difference."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from neuroloc import Localizer
from neuroloc.anatomy import load_atlas

ROOT = Path(__file__).resolve().parent.parent
# benchmarks/cases.py under its own name: the tests have a ``cases`` module of their own.
_SPEC = importlib.util.spec_from_file_location("benchmark_cases", ROOT / "benchmarks" / "cases.py")
assert _SPEC is not None and _SPEC.loader is not None
benchmark_cases = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(benchmark_cases)
generated_cases, leg_only_atlas = benchmark_cases.generated_cases, benchmark_cases.leg_only_atlas


def test_the_leg_only_atlas_has_no_arm_and_no_patterns_and_explains_its_cases():
    leg = leg_only_atlas()
    grown = load_atlas()
    assert not any(s.startswith(("pattern:", "central:")) for s in leg.sites)
    assert (
        "nerve:median@carpal-tunnel" in grown.sites
        and "nerve:median@carpal-tunnel" not in leg.sites
    )
    assert set(leg.sites) < set(grown.sites)
    localizer = Localizer(atlas=leg)  # a small atlas goes through the public API
    for case in generated_cases(leg, 20, 3, limb="leg"):
        result = localizer.localize(case, timeout=600)
        assert result.candidates and not result.timed_out
        assert all(lesion.id in leg.sites for c in result.candidates for lesion in c.lesions)


@pytest.mark.slow  # two runs of the script over every example
def test_identical_detects_a_changed_answer(tmp_path):
    snapshot = tmp_path / "answers.json"
    script = str(ROOT / "benchmarks" / "identical.py")
    run = [sys.executable, script, "--per-size", "1"]
    subprocess.run([*run, "--write", str(snapshot)], check=True, capture_output=True)
    same = subprocess.run([*run, "--compare", str(snapshot)], capture_output=True, text=True)
    assert same.returncode == 0, same.stdout
    saved = json.loads(snapshot.read_text())
    first = next(iter(saved))
    saved[first]["candidates"][0]["score"] += 1.0
    snapshot.write_text(json.dumps(saved))
    changed = subprocess.run([*run, "--compare", str(snapshot)], capture_output=True, text=True)
    assert changed.returncode == 1 and f"differs: {first}" in changed.stdout


def test_the_calibration_script_reports_accuracy_and_a_reliability_table(capsys):
    spec = importlib.util.spec_from_file_location(
        "benchmark_calibration", ROOT / "benchmarks" / "calibration.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--cases", "12", "--seed", "7"]) == 0
    out = capsys.readouterr().out
    assert "## worked examples: " in out and "## simulated from the model: 12 cases" in out
    assert "| predicted p(top-1) |" in out and "overconfident errors" in out
    # the worked examples are the model's classic answers: all but a near tie are right
    accuracy = float(out.split("top-1 accuracy ")[1].split("%")[0])
    assert accuracy >= 95.0
