"""Reading and checking the YAML tables.

The loader is strict: unknown keys, missing fields, wrong types, dangling references and
uncited records are all faults. It collects *every* fault before failing, so that one run of
``neuroloc validate`` shows a data author everything to fix, each fault naming file, record
and key.
"""

from __future__ import annotations

import importlib.resources
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neuroloc.anatomy.model import ROOT_NAMES

TABLES: tuple[str, ...] = (
    "sources",
    "roots",
    "plexus",
    "nerves",
    "muscles",
    "movements",
    "reflexes",
    "zones",
    "studies",
    "sites",
    "coverage",
)

SHARES = ("major", "minor")

# field -> (check, required). A check returns an error text or None.
Check = Callable[[Any], str | None]


def _is_str(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "must be a non-empty string"


def _is_opt_str(value: Any) -> str | None:
    return None if value is None or isinstance(value, str) else "must be a string or null"


def _is_bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _is_str_list(value: Any) -> str | None:
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return None
    return "must be a list of strings"


def _is_nonempty_str_list(value: Any) -> str | None:
    return _is_str_list(value) or (None if value else "must not be empty")


def _is_root_list(value: Any) -> str | None:
    if _is_str_list(value) is None and all(v in ROOT_NAMES for v in value):
        return None
    return f"must be a list of roots among {', '.join(ROOT_NAMES)}"


def _is_root_shares(value: Any) -> str | None:
    if (
        isinstance(value, dict)
        and value
        and all(k in ROOT_NAMES and v in SHARES for k, v in value.items())
    ):
        return None
    return "must map roots (L1..S5) to major|minor"


def _is_notes(value: Any) -> str | None:
    if isinstance(value, dict) and all(
        k in ROOT_NAMES and isinstance(v, str) and v.strip() for k, v in value.items()
    ):
        return None
    return "must map roots to a note saying which sources disagree"


def _is_nerve_shares(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return None
    if isinstance(value, dict) and value and all(v in SHARES for v in value.values()):
        return None
    return "must be a nerve id or a mapping nerve id -> major|minor"


def _is_choice(*choices: str) -> Check:
    def check(value: Any) -> str | None:
        return None if value in choices else f"must be one of {', '.join(choices)}"

    return check


def _is_any(value: Any) -> str | None:
    return None


_COMMON = {
    "id": (_is_str, True),
    "label": (_is_str, True),
    "synonyms": (_is_str_list, True),
    "description": (_is_str, True),
    "sources": (_is_nonempty_str_list, True),
}

SCHEMAS: dict[str, dict[str, tuple[Check, bool]]] = {
    "sources": {"key": (_is_str, True), "citation": (_is_str, True)},
    "roots": {
        **_COMMON,
        "disc": (_is_str, False),
        "always": (_is_root_list, False),
        "usually": (_is_root_list, False),
        "variable": (_is_root_list, False),
    },
    "plexus": {**_COMMON, "inputs": (_is_any, True)},
    "nerves": {
        **_COMMON,
        "from": (_is_str, True),
        "roots": (_is_root_list, True),
        "course": (_is_any, True),
    },
    "muscles": {
        **_COMMON,
        "nerve": (_is_nerve_shares, False),
        "roots": (_is_root_shares, False),
        "disputed": (_is_notes, False),
        "parts": (_is_nonempty_str_list, False),
        "test": (_is_str, True),
        "emg_only": (_is_bool, False),
        "midline": (_is_bool, False),
    },
    "movements": {**_COMMON, "prime_movers": (_is_nonempty_str_list, True)},
    "reflexes": {
        **_COMMON,
        "nerve": (_is_str, True),
        "muscle": (_is_opt_str, False),
        "roots": (_is_root_shares, True),
        "disputed": (_is_notes, False),
        "midline": (_is_bool, False),
        "umn_sign": (_is_opt_str, False),
    },
    "zones": {
        **_COMMON,
        "nerves": (_is_nerve_shares, True),
        "roots": (_is_root_shares, True),
        "disputed": (_is_notes, False),
        "midline": (_is_bool, False),
    },
    "studies": {
        **_COMMON,
        "type": (_is_choice("snap", "cmap"), True),
        "nerve": (_is_str, False),
        "roots": (_is_root_shares, False),
        "disputed": (_is_notes, False),
        "muscle": (_is_str, False),
        "atypical_roots": (_is_notes, False),
        "recording": (_is_str, False),
        "stimulation": (_is_str, False),
    },
    "sites": {
        "site": (_is_str, True),
        "syndrome": (_is_str, True),
        "eponyms": (_is_str_list, False),
        "prior": (_is_choice("common", "uncommon", "rare"), True),
        "prior_reason": (_is_str, True),
        "category": (_is_str, True),
        "causes": (_is_any, True),
        "sources": (_is_nonempty_str_list, True),
        "description": (_is_str, False),
    },
}

COURSE_STEP_SCHEMA: dict[str, tuple[Check, bool]] = {
    "site": (_is_str, False),
    "branch": (_is_str, False),
    "id": (_is_str, False),
    "label": (_is_str, False),
    "often_spares": (_is_nonempty_str_list, False),
}


@dataclass
class RawTables:
    """The parsed YAML of every table, plus the faults found while reading them."""

    tables: dict[str, Any] = field(default_factory=dict)
    faults: list[str] = field(default_factory=list)


def default_data_dir() -> Path:
    return Path(str(importlib.resources.files("neuroloc.anatomy") / "data"))


def _cache_path(base: Path) -> Path | None:
    """Where the parsed tables of ``base`` are cached, keyed by every file's size and mtime.

    Parsing YAML is most of a cold start; the JSON copy loads several times faster. The cache
    lives in the user's cache directory (``NEUROLOC_CACHE_DIR`` or ``$XDG_CACHE_HOME``), never
    next to the data, and is ignored whenever it cannot be read or written.
    """
    import hashlib
    import os

    if os.environ.get("NEUROLOC_NO_CACHE"):
        return None
    stamp = hashlib.sha256(str(base.resolve()).encode())
    for name in TABLES:
        try:
            info = (base / f"{name}.yaml").stat()
        except OSError:
            return None
        stamp.update(f"{name}:{info.st_size}:{info.st_mtime_ns};".encode())
    root = os.environ.get("NEUROLOC_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "neuroloc"
    )
    return Path(root) / f"tables-{stamp.hexdigest()[:24]}.json"


def read_tables(data_dir: Path | None = None) -> RawTables:
    """Parse every table; a missing or malformed file is a fault, not an exception."""
    import json

    base = data_dir or default_data_dir()
    cache = _cache_path(base)
    if cache is not None:
        try:
            cached = json.loads(cache.read_text(encoding="utf-8"))
            return RawTables(tables=cached["tables"], faults=cached["faults"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    raw = _parse_tables(base)
    if cache is not None and not raw.faults:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"tables": raw.tables, "faults": raw.faults}), "utf-8")
            tmp.replace(cache)
        except (OSError, TypeError, ValueError):
            pass
    return raw


def _parse_tables(base: Path) -> RawTables:
    import yaml  # only when the JSON cache cannot serve: PyYAML is slow to import

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available
    raw = RawTables()
    for name in TABLES:
        path = base / f"{name}.yaml"
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raw.faults.append(f"{name}.yaml: cannot be read ({exc.strerror or exc})")
            raw.tables[name] = {} if name == "coverage" else []
            continue
        try:
            data = yaml.load(text, Loader=loader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark else ""
            raw.faults.append(f"{name}.yaml: not valid YAML{where}")
            data = None
        expected = dict if name == "coverage" else list
        if not isinstance(data, expected):
            if data is not None:
                raw.faults.append(f"{name}.yaml: must be a YAML {expected.__name__}")
            data = expected()
        raw.tables[name] = data
    return raw


def check_records(table: str, records: list[Any], faults: list[str]) -> list[dict]:
    """Schema-check the records of one table; returns the well-formed ones."""
    schema = SCHEMAS[table]
    key_field = "key" if table == "sources" else "site" if table == "sites" else "id"
    good: list[dict] = []
    seen: set[str] = set()
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            faults.append(f"{table}.yaml[{index}]: must be a mapping")
            continue
        name = record.get(key_field, f"#{index}")
        where = f"{table}.yaml[{index}] {name}"
        ok = True
        for key in sorted(set(record) - set(schema)):
            faults.append(f"{where}: unknown key {key!r}")
            ok = False
        for key, (check, required) in schema.items():
            if key not in record:
                if required:
                    faults.append(f"{where}: missing {key!r}")
                    ok = False
                continue
            problem = check(record[key])
            if problem:
                faults.append(f"{where}: {key!r} {problem}")
                ok = False
        if isinstance(name, str) and name in seen:
            faults.append(f"{where}: duplicate {key_field} {name!r}")
            ok = False
        seen.add(str(name))
        if ok:
            good.append(record)
    return good


def check_sources(records: list[dict], known: set[str], table: str, faults: list[str]) -> None:
    key_field = "site" if table == "sites" else "id"
    for record in records:
        for key in record.get("sources", []):
            if key not in known:
                faults.append(f"{table}.yaml {record[key_field]}: unknown source key {key!r}")


def mapping(value: Any, default_share: str = "major") -> dict[str, str]:
    """A nerve field may be one id or an id -> share mapping; normalise to the mapping."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {value: default_share}
    return dict(value)


def sorted_items(values: Mapping[str, str]) -> list[tuple[str, str]]:
    return sorted(
        values.items(), key=lambda kv: ROOT_NAMES.index(kv[0]) if kv[0] in ROOT_NAMES else 99
    )
