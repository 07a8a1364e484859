"""Every data table is parsed by the loader that refuses duplicate keys, and ``neuroloc
validate`` checks the YAML on disk, never the JSON cache (issue 21, "Habits")."""

from __future__ import annotations

import ast
import importlib.resources
import json
from pathlib import Path

import pytest

import neuroloc
from neuroloc import clinical, ranking
from neuroloc.anatomy import load_atlas
from neuroloc.anatomy.loader import cached_data
from neuroloc.anatomy.yamlsafe import DuplicateKey, read_table
from neuroloc.vocabulary import validate_localizer_data

PACKAGE = Path(neuroloc.__file__).resolve().parent


def _package_sources() -> list[Path]:
    roots = [PACKAGE]
    for sub in ("anatomy", "cli", "examples"):
        roots.append(Path(importlib.import_module(f"neuroloc.{sub}").__file__).resolve().parent)
    return sorted({p for root in roots for p in root.rglob("*.py")})


def test_no_module_parses_yaml_around_the_safe_loader():
    """PyYAML's loaders are called in anatomy/yamlsafe.py, or elsewhere with its loader."""
    calls = []
    for path in _package_sources():
        if path.name == "yamlsafe.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "yaml"
                and node.func.attr in {"load", "safe_load", "load_all", "safe_load_all"}
                and not any(
                    k.arg == "Loader"
                    and isinstance(k.value, ast.Name)
                    and k.value.id == "UniqueKeyLoader"
                    for k in node.keywords
                )
            ):
                calls.append(f"{path.name}:{node.lineno}")
    assert calls == []


@pytest.mark.parametrize("parse", [clinical._parse_yaml, ranking._safe_load])
def test_the_localizer_tables_refuse_duplicate_keys(parse):
    with pytest.raises(DuplicateKey, match=r"'leak'.*line 2"):
        parse("leak: 0.1\nleak: 0.2\n")


def test_read_table_names_the_fault(tmp_path):
    twice = tmp_path / "twice.yaml"
    twice.write_text("- id: a\n  label: A\n  label: B\n")
    assert read_table(twice) == (None, "twice.yaml: duplicate key 'label' at line 3")
    broken = tmp_path / "broken.yaml"
    broken.write_text("- {id: a\n")
    records, fault = read_table(broken)
    assert records is None and fault.startswith("broken.yaml: not valid YAML")
    assert read_table(tmp_path / "absent.yaml")[1].startswith("absent.yaml: cannot be read")
    good = tmp_path / "good.yaml"
    good.write_text("- {id: a}\n")
    assert read_table(good) == ([{"id": "a"}], None)


def _forge(cache_dir: Path, name: str, change) -> None:
    """Rewrite the cached JSON of one table under its real key (a forged cache)."""
    (path,) = cache_dir.glob(f"data-{name}-*.json")
    payload = json.loads(path.read_text())
    change(payload["data"])
    path.write_text(json.dumps(payload))


def test_validate_reads_the_localizer_tables_not_the_cache(tmp_path, monkeypatch):
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("NEUROLOC_CACHE_DIR", str(cache_dir))
    data = importlib.resources.files("neuroloc") / "data"
    cached_data("ranking", data / "ranking.yaml", ranking._safe_load)
    cached_data("red_flags", data / "red_flags.yaml", clinical._parse_yaml)
    _forge(cache_dir, "ranking", lambda table: table.update(leak=0.9))
    _forge(cache_dir, "red_flags", lambda table: table[0].update(sources=["no-such-source"]))
    # a forged entry fails its own content hash and is rebuilt from the YAML (issue 28) ...
    assert cached_data("ranking", data / "ranking.yaml", ranking._safe_load)["leak"] == 0.01
    _forge(cache_dir, "ranking", lambda table: table.update(leak=0.9))
    # ... and validate checks the YAML itself, which is sound (the in-process tables are
    # dropped first, so that a validate reading them would meet the forged cache)
    memoised = (clinical._tables, ranking.load_weights)
    try:
        for table in memoised:
            table.cache_clear()
        assert validate_localizer_data(load_atlas()) == []
    finally:
        for table in memoised:
            table.cache_clear()  # the next reader loads the real tables again


def test_a_batch_line_that_repeats_a_key_is_bad_input(tmp_path):
    """A JSONL case on stdin goes through the same loader as a case file: a repeated key is an
    error line, not a case whose second ``findings`` silently replaced the first."""
    from click.testing import CliRunner

    from neuroloc.cli.main import main

    line = '{"side": "left", "findings": [{"muscle": "TA", "grade": 2}], "findings": []}\n'
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["batch", "-", "--out", str(out), "--jobs", "1"], input=line)
    assert result.exit_code == 2, result.output
    (row,) = [json.loads(r) for r in out.read_text().splitlines()]
    assert row["case"] == "stdin:1" and "duplicate key 'findings'" in row["error"]
