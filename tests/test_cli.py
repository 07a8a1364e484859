"""The command line against the contract: commands, formats, exit codes, one-line errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from neuroloc.anatomy.loader import default_data_dir
from neuroloc.cli.main import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_anatomy_show_muscle_json_contract():
    out = run("anatomy", "show", "tibialis anterior", "--format", "json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["id"] == "muscle:tibialis-anterior"
    assert data["nerve"] == "nerve:deep-fibular"
    assert data["roots"]["L4"] == "major" and data["roots"]["L5"] == "major"
    assert data["sources"] and "label" in data and "synonyms" in data


def test_anatomy_show_and_supplies_every_listed_structure():
    """Every id `anatomy list` prints is shown and, for sites, its supplies listed (a pattern
    site at plexus level once fell through to the plexus table: an internal error)."""
    listed = json.loads(run("anatomy", "list", "--format", "json").output)
    for kind, rows in listed.items():
        for row in rows:
            out = run("anatomy", "show", row["id"])
            assert out.exit_code == 0, (row["id"], out.output)
            assert f"[{row['id']}]" in out.output.split()
            if kind == "sites":
                out = run("anatomy", "supplies", row["id"])
                assert out.exit_code == 0, (row["id"], out.output)


def test_anatomy_show_site_and_zone():
    site = json.loads(
        run("anatomy", "show", "nerve:common-fibular@fibular-head", "--format", "json").output
    )
    assert site["level"] == "nerve" and "muscle:tibialis-anterior" in site["supplies"]["muscles"]
    zone = json.loads(run("anatomy", "show", "dorsum of foot", "--format", "json").output)
    assert "nerve:superficial-fibular" in zone["nerves"] and "L5" in zone["roots"]


def test_anatomy_supplies_root_l5_text():
    out = run("anatomy", "supplies", "root:L5")
    assert out.exit_code == 0
    assert "Tibialis posterior" in out.output and "Gluteus medius" in out.output


def test_anatomy_list_every_kind():
    for kind in ("muscles", "roots", "plexus", "nerves", "sites", "reflexes", "zones", "studies"):
        out = run("anatomy", "list", kind, "--format", "json")
        assert out.exit_code == 0 and json.loads(out.output), kind
    bad = run("anatomy", "list", "musles")
    assert bad.exit_code == 2 and "muscles" in bad.output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("anatomy", "show", "tibialis anterio"), "tibialis anterior"),
        (("localize", "-f", "tibialis anterio=2"), "tibialis anterior"),
        (("localize", "-f", "TA=7"), "out of range"),
        (("localize", "-f", "TA=2@middle"), "side"),
        (("vocabulary", "featurs"), "features"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, needle):
    out = run(*args)
    assert out.exit_code == 2
    lines = [line for line in out.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), out.output
    assert needle in lines[0].lower()
    assert "Traceback" not in out.output


def test_validate_passes_on_shipped_tables():
    out = run("validate")
    assert out.exit_code == 0, out.output
    assert "knowledge base OK" in out.output


def test_validate_fails_on_a_broken_copy(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    text = (
        (data / "lower-limb" / "muscles.yaml")
        .read_text()
        .replace("nerve: tibial\n", "nerve: tibal\n", 1)
    )
    (data / "lower-limb" / "muscles.yaml").write_text(text)
    out = run("validate", "--data-dir", str(data))
    assert out.exit_code == 1
    assert "tibal" in out.output


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_every_format_carries_the_disclaimer(fmt):
    out = run("localize", str(EXAMPLES / "l5-radiculopathy.yaml"), "--format", fmt)
    assert out.exit_code == 0, out.output
    assert "not a diagnosis" in out.output


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_urgent_cauda_equina_comes_first_in_every_format(fmt):
    out = run("localize", str(EXAMPLES / "cauda-equina-syndrome.yaml"), "--format", fmt)
    assert out.exit_code == 0, out.output
    if fmt == "json":
        flags = json.loads(out.output)["red_flags"]
        assert flags[0]["id"] == "cauda-equina-syndrome" and flags[0]["urgent"] is True
    else:
        head = out.output.splitlines()[:4]
        assert any("URGENT" in line for line in head), head


def test_explain_reads_as_a_page():
    out = run("explain", str(EXAMPLES / "foot-drop-ambiguous.yaml"))
    assert out.exit_code == 0, out.output
    for heading in ("## 1.", "## 2.", "## 3.", ". What to examine next\n"):
        assert heading in out.output


def test_normal_exam_exits_0_without_candidates():
    out = run(
        "localize", "-f", "TA=5", "-f", "reflex:ankle=normal", "--side", "left", "--format", "json"
    )
    assert out.exit_code == 0
    assert json.loads(out.output)["candidates"] == []


def test_stdin_case():
    case = json.dumps({"side": "right", "findings": [{"muscle": "TA", "grade": 2}]})
    out = run("localize", "-", "--format", "json", input=case)
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["candidates"][0]["lesions"][0]["side"] == "right"


def test_brisk_reflex_is_kept_as_an_upper_motor_neuron_warning():
    out = run(
        "localize", "-f", "TA=2", "-f", "reflex:knee=brisk", "--side", "left", "--format", "json"
    )
    data = json.loads(out.output)
    assert any("upper-motor-neuron" in w for w in data["warnings"])


def test_vocabulary_lists_features_and_movements():
    out = run("vocabulary", "features", "--format", "json")
    assert out.exit_code == 0 and json.loads(out.output)["features"]
    out = run("vocabulary", "movements")
    assert "Hip abduction" in out.output


def test_every_command_documents_an_example():
    def walk(group, prefix=()):
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from walk(command, (*prefix, name))
            else:
                yield (*prefix, name), command

    for path, command in walk(main):
        assert "Example" in (command.help or ""), " ".join(path)


def test_anatomy_commands_do_not_import_z3():
    code = (
        "import sys; from click.testing import CliRunner; from neuroloc.cli.main import main; "
        "r = CliRunner().invoke(main, ['anatomy', 'show', 'TA']); "
        "print(r.exit_code, 'z3' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "False"]
