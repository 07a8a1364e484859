"""The compiled atlas shipped as package data (:mod:`neuroloc.anatomy.prebuilt`): fresh against
the tables and the code, identical to a compile of the tables, served by ``load_atlas`` without
reading them, and never served when stale."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

from neuroloc.anatomy import prebuilt
from neuroloc.anatomy.atlas import Atlas


def test_the_shipped_compiled_atlas_is_fresh():
    assert prebuilt.is_fresh(), "stale: run python -m neuroloc.anatomy.prebuilt and commit it"


def test_the_shipped_compiled_atlas_equals_a_compile_of_the_tables():
    shipped = prebuilt.load_prebuilt()
    compiled = prebuilt.compile_shipped()
    assert isinstance(shipped, Atlas)
    for field in dataclasses.fields(Atlas):
        assert getattr(shipped, field.name) == getattr(compiled, field.name), field.name
    for site in sorted(compiled.sites):
        assert shipped.supplies(site) == compiled.supplies(site), site


def test_a_stale_file_is_never_served(tmp_path, monkeypatch):
    path = tmp_path / "atlas.pickle"
    path.write_bytes(prebuilt._dumps(prebuilt.compile_shipped(), "not the tables' fingerprint"))
    assert prebuilt.load_prebuilt(path) is None
    assert not prebuilt.is_fresh(path)
    path.write_bytes(b"damaged")
    assert prebuilt.load_prebuilt(path) is None
    assert prebuilt.load_prebuilt(tmp_path / "missing.pickle") is None


def test_an_edited_table_changes_the_fingerprint(tmp_path):
    data = tmp_path / "data"
    (data / "lower-limb").mkdir(parents=True)
    (data / "lower-limb" / "muscles.yaml").write_text("- id: a\n")
    before = prebuilt.fingerprint(data)
    (data / "lower-limb" / "muscles.yaml").write_text("- id: b\n")
    assert prebuilt.fingerprint(data) != before


def test_the_switch_turns_it_off(monkeypatch):
    monkeypatch.setenv("NEUROLOC_NO_PREBUILT", "1")
    assert prebuilt.load_prebuilt() is None


def test_load_atlas_serves_it_without_reading_the_tables():
    code = (
        "from neuroloc.anatomy import loader\n"
        "def refuse(*args, **kwargs):\n"
        "    raise SystemExit('the tables were read')\n"
        "loader.read_tables = refuse\n"
        "from neuroloc.anatomy import atlas\n"
        "atlas.read_tables = refuse\n"
        "print(atlas.load_atlas().resolve('TA', ['muscle']))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "muscle:tibialis-anterior", out.stderr


def test_the_check_command_reports_freshness(capsys):
    assert prebuilt.main(["--check"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert prebuilt.main(["--bogus"]) == 2
