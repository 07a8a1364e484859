"""One installed import package, `neuroloc`, and its public surface (issue 11)."""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import subprocess
import sys
from pathlib import PurePosixPath

GENERIC_NAMES = {"anatomy", "localizer", "cli", "neuroloc_examples", "examples"}


def _installed() -> importlib.metadata.Distribution:
    """The installed distribution (it has a RECORD), not a build's egg-info in the checkout."""
    found = [
        d
        for d in importlib.metadata.distributions()
        if d.metadata["Name"] == "neuroloc" and d.read_text("RECORD") is not None
    ]
    assert len(found) == 1, "neuroloc must be installed exactly once"
    return found[0]


def _installed_top_level() -> set[str]:
    dist = _installed()
    direct = dist.read_text("direct_url.json")
    if direct and json.loads(direct).get("dir_info", {}).get("editable"):
        # An editable install maps import names to folders in a generated finder module.
        finders = [
            str(f)
            for f in dist.files or ()
            if str(f).startswith("__editable__") and str(f).endswith("finder.py")
        ]
        assert finders, "editable install without a finder"
        finder = importlib.import_module(PurePosixPath(finders[0]).stem)
        return {name.split(".")[0] for name in finder.MAPPING}
    names = set()
    for f in dist.files or ():
        top = PurePosixPath(str(f)).parts[0]
        if top.endswith(".dist-info") or top == ".." or top.endswith(".pth"):
            continue
        names.add(top.removesuffix(".py"))
    return names


def test_only_neuroloc_is_installed_at_top_level():
    names = _installed_top_level()
    assert names == {"neuroloc"}, names
    assert not names & GENERIC_NAMES


def test_public_surface_is_importable_from_the_package():
    import neuroloc

    for name in neuroloc.__all__:
        assert getattr(neuroloc, name) is not None
    assert neuroloc.localize.__module__ == "neuroloc.localizer"


def test_python_dash_m_neuroloc_runs_the_command_line():
    done = subprocess.run(
        [sys.executable, "-m", "neuroloc", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "localize" in done.stdout and "anatomy" in done.stdout


def test_importing_the_knowledge_base_does_not_load_the_solver():
    code = (
        "import sys, neuroloc.anatomy; neuroloc.anatomy.load_atlas();"
        "print(sorted(m for m in ('z3', 'neuroloc.engine', 'constraint') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
