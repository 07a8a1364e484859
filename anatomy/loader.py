"""Reading and checking the YAML tables.

A table (``muscles``, ``nerves``, ...) is the concatenation of ``data/NAME.yaml`` and of
``data/REGION/NAME.yaml`` for each region folder (``lower-limb``, ``upper-limb``), so each limb
is reviewed in its own files while the engine sees one knowledge base.

The loader is strict: unknown keys, missing fields, wrong types, dangling references and
uncited records are all faults. It collects *every* fault before failing, so that one run of
``neuroloc validate`` shows a data author everything to fix, each fault naming file, record
and key.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neuroloc.anatomy.model import MODALITIES, ROOT_NAMES

TABLES: tuple[str, ...] = (
    "sources",
    "roots",
    "plexus",
    "nerves",
    "muscles",
    "movements",
    "reflexes",
    "zones",
    "signs",
    "studies",
    "sites",
    "categories",
    "patterns",
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
    return f"must map roots ({ROOT_NAMES[0]}..{ROOT_NAMES[-1]}) to major|minor"


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


def _is_modalities(value: Any) -> str | None:
    if _is_nonempty_str_list(value) is None and all(v in MODALITIES for v in value):
        return None
    return f"must be a list of modalities among {', '.join(MODALITIES)}"


def _is_any(value: Any) -> str | None:
    return None


def _is_origin(value: Any) -> str | None:
    if _is_str(value) is None:
        return None
    if isinstance(value, dict) and value and all(k in ROOT_NAMES for k in value):
        return None
    return "must be an origin id, or a mapping root -> origin"


def _is_sides(value: Any) -> str | None:
    ok = isinstance(value, list) and value and all(v in ("left", "right", "both") for v in value)
    return None if ok else "must be a list of left, right, both"


def _is_root_name(value: Any) -> str | None:
    return None if value in ROOT_NAMES else f"must be one of {', '.join(ROOT_NAMES)}"


def _is_length(value: Any) -> str | None:
    """Axon-length class: 1 (shortest: girdle, paraspinal) to 5 (longest: toes and sole)."""
    ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5
    return None if ok else "must be an axon-length class 1..5"


def is_probability(value: Any) -> str | None:
    """A site's prior: the probability that a patient referred with a limb complaint has a
    lesion there (on one side), strictly between 0 and 0.5 (ranking.yaml explains the scale)."""
    ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 0.5
    return None if ok else "must be a probability above 0 and below 0.5 (a prior per referral)"


def _is_rate(value: Any) -> str | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 1
    return None if ok else "must be a probability above 0 and below 1"


_COMMON = {
    "id": (_is_str, True),
    "label": (_is_str, True),
    "synonyms": (_is_str_list, True),
    "description": (_is_str, True),
    "sources": (_is_nonempty_str_list, True),
}

# The clinical annotation every lesion site carries, a focal site (sites.yaml) or a pattern.
_SITE_NOTES: dict[str, tuple[Check, bool]] = {
    "syndrome": (_is_str, True),
    "eponyms": (_is_str_list, False),
    "prior": (is_probability, True),
    "prior_reason": (_is_str, True),
    "bilateral_rate": (_is_rate, False),
    "one_sided": (_is_rate, False),
    "category": (_is_str, True),
    "causes": (_is_any, True),
}

SCHEMAS: dict[str, dict[str, tuple[Check, bool]]] = {
    "sources": {"key": (_is_str, True), "citation": (_is_str, True)},
    "roots": {
        **_COMMON,
        "disc": (_is_str, False),
        "most_sensitive": (_is_nonempty_str_list, False),
        "always": (_is_root_list, False),
        "usually": (_is_root_list, False),
        "variable": (_is_root_list, False),
    },
    "plexus": {**_COMMON, "inputs": (_is_any, True)},
    "nerves": {
        **_COMMON,
        "from": (_is_origin, True),
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
        "bedside": (_is_bool, False),
        "midline": (_is_bool, False),
        "paraspinal": (_is_root_name, False),
        "length": (_is_length, False),
        "region": (_is_choice("proximal", "distal", "axial"), False),
    },
    "movements": {**_COMMON, "prime_movers": (_is_nonempty_str_list, True)},
    "reflexes": {
        **_COMMON,
        "nerve": (_is_nerve_shares, False),
        "muscle": (_is_opt_str, False),
        "roots": (_is_root_shares, False),
        "umn_only": (_is_bool, False),
        "inverts": (_is_str, False),
        "limb": (_is_choice("upper", "lower"), False),
        "disputed": (_is_notes, False),
        "midline": (_is_bool, False),
        "length": (_is_length, False),
    },
    "zones": {
        **_COMMON,
        "nerves": (_is_nerve_shares, False),  # none for a bony point of vibration testing
        "roots": (_is_root_shares, True),
        "disputed": (_is_notes, False),
        "midline": (_is_bool, False),
        "length": (_is_length, False),
        "modalities": (_is_modalities, False),
    },
    "signs": {
        **_COMMON,
        "type": (_is_choice("sphincter", "sign"), True),
        "nerve": (_is_nerve_shares, False),
        "roots": (_is_root_shares, False),
        "midline": (_is_bool, False),
        "length": (_is_length, False),
        "limb": (_is_choice("upper", "lower"), False),
    },
    "studies": {
        **_COMMON,
        "type": (_is_choice("snap", "cmap", "ncs"), True),
        "nerve": (_is_str, False),
        "roots": (_is_root_shares, False),
        "disputed": (_is_notes, False),
        "muscle": (_is_str, False),
        "atypical_roots": (_is_notes, False),
        "recording": (_is_str, False),
        "stimulation": (_is_str, False),
        "sites": (_is_nonempty_str_list, False),
        "length": (_is_length, False),
    },
    "patterns": {
        **_COMMON,
        "level": (_is_choice("diffuse", "cord", "central", "plexus"), True),
        "sides": (_is_sides, True),
        "nature": (_is_choice("neurogenic", "myopathic", "central"), False),
        "stages": (_is_any, False),
        "rules": (_is_any, True),
        "note": (_is_str, False),
        "note_with_peripheral": (_is_str, False),
        **_SITE_NOTES,
    },
    "categories": {
        "id": (_is_str, True),
        "label": (_is_str, True),
        "sources": (_is_nonempty_str_list, True),
    },
    "sites": {
        "site": (_is_str, True),
        **_SITE_NOTES,
        "sources": (_is_nonempty_str_list, True),
        "description": (_is_str, False),
        "sides": (_is_sides, False),
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
    """The parsed YAML of every table, plus the faults found while reading them.

    ``origins[table][i]`` says which file and position record ``i`` came from
    (``upper-limb/muscles.yaml[3]``), so faults name the file to edit.
    """

    tables: dict[str, Any] = field(default_factory=dict)
    faults: list[str] = field(default_factory=list)
    origins: dict[str, list[str]] = field(default_factory=dict)


def default_data_dir() -> Path:

    return Path(str(importlib.resources.files("neuroloc.anatomy") / "data"))


def table_files(base: Path, name: str) -> list[Path]:
    """The files that make up one table: ``NAME.yaml`` and ``REGION/NAME.yaml``, sorted."""
    files = [base / f"{name}.yaml"] if (base / f"{name}.yaml").is_file() else []
    files += sorted(p for p in base.glob(f"*/{name}.yaml") if p.is_file())
    return files


CACHE_FORMAT = 3  # bump when the cached structure changes


def _cache_root() -> Path | None:
    """The cache directory, or None when caching is off or no safe place exists.

    ``NEUROLOC_NO_CACHE`` set to anything but ``""``/``0``/``false``/``no``/``off`` turns it
    off. A relative ``XDG_CACHE_HOME`` is ignored (as the XDG specification says); a ``HOME``
    that is empty, relative or ``/`` gives no cache rather than directories at the root.
    """
    if os.environ.get("NEUROLOC_NO_CACHE", "").strip().lower() not in (
        "",
        "0",
        "false",
        "no",
        "off",
    ):
        return None
    explicit = os.environ.get("NEUROLOC_CACHE_DIR")
    if explicit:
        return Path(explicit) if os.path.isabs(explicit) else None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg) and os.path.dirname(os.path.normpath(xdg)) != os.path.normpath(xdg):
        return Path(xdg) / "neuroloc"
    home = os.environ.get("HOME", "")
    if not home:
        with contextlib.suppress(Exception):
            import pwd

            home = pwd.getpwuid(os.getuid()).pw_dir
    if not os.path.isabs(home) or os.path.normpath(home) == os.path.normpath("/"):
        return None
    return Path(home) / ".cache" / "neuroloc"


def _usable_dir(root: Path, create: bool) -> bool:
    """The cache directory exists (made when ``create``, private, only below an existing
    parent), is a real directory owned by this user, and others cannot write in it."""
    try:
        if create and not root.exists():
            if not root.parent.is_dir():
                if not root.parent.parent.is_dir() or root.parent.parent == root.parent:
                    return False  # never a chain of directories from the root
                root.parent.mkdir(mode=0o700)
            root.mkdir(mode=0o700)
        info = root.lstat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return False
    return not info.st_mode & 0o002


CACHE_LIMIT = 64 * 1024 * 1024  # bytes of one cache file read at most
# A cache file is the JSON object of its payload with the SHA-256 of that object's own bytes
# put first: ``{"sha256": "HEX", "key": ...}``; still JSON, and checked byte for byte.
_HASH_HEAD = b'{"sha256": "'
_HASH_TAIL = b'", '


def _read_cache(cache: Path) -> Any:
    """A cache file's payload, or None when it is missing, not ours or damaged in any way.

    The file carries a SHA-256 of its JSON body (:data:`_HASH_HEAD`): any change to the body
    (tampering, a torn write, a disk fault) fails the check and the entry is rebuilt. Only a
    regular file owned by this user is opened, without following a symlink or blocking on a
    FIFO."""
    import hashlib
    import json

    if not _usable_dir(cache.parent, create=False):
        return None
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(cache, flags)
    except OSError:
        return None
    try:
        with open(fd, "rb", closefd=True) as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > CACHE_LIMIT:
                return None
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                return None
            raw = handle.read(CACHE_LIMIT + 1)
        head, rest = raw[: len(_HASH_HEAD) + 64], raw[len(_HASH_HEAD) + 64 :]
        body = b"{" + rest.removeprefix(_HASH_TAIL)
        if not (head.startswith(_HASH_HEAD) and rest.startswith(_HASH_TAIL)):
            return None
        if hashlib.sha256(body).hexdigest().encode() != head[len(_HASH_HEAD) :]:
            return None
        return json.loads(body)
    except (OSError, ValueError, RecursionError):
        return None


def _content_key(base: Path) -> str | None:
    """A hash of every table file's name and bytes: any edit, whatever its size or time, is seen."""
    import hashlib

    digest = hashlib.sha256(f"format {CACHE_FORMAT};".encode())
    for name in TABLES:
        for path in table_files(base, name):
            try:
                data = path.read_bytes()
            except OSError:
                return None
            digest.update(f"{path.relative_to(base)}:{len(data)};".encode())
            digest.update(data)
    return digest.hexdigest()[:32]


def _valid_cached(cached: Any, key: str) -> bool:
    """The cache must be ours, for these exact tables, with every table of the right type."""
    if not isinstance(cached, dict) or cached.get("key") != key:
        return False
    tables = cached.get("tables")
    if not isinstance(tables, dict) or set(tables) != set(TABLES):
        return False
    if not all(isinstance(tables[n], dict if n == "coverage" else list) for n in TABLES):
        return False
    origins = cached.get("origins")
    return isinstance(origins, dict) and all(
        isinstance(origins.get(n), list) and len(origins[n]) == len(tables[n])
        for n in TABLES
        if n != "coverage"
    )


def read_tables(data_dir: Path | None = None, *, use_cache: bool = True) -> RawTables:
    """Parse every table; a missing or malformed file is a fault, not an exception.

    Parsed tables are cached as JSON in the user's cache directory (``NEUROLOC_CACHE_DIR``,
    ``$XDG_CACHE_HOME/neuroloc``; ``NEUROLOC_NO_CACHE=1`` turns it off), keyed by a hash of the
    tables' content and checked for shape on load: a stale, foreign or damaged cache file is
    never served, only rebuilt. ``use_cache=False`` (``neuroloc validate``) always reads YAML.
    """

    base = data_dir or default_data_dir()
    root = _cache_root() if use_cache else None
    key = _content_key(base) if root is not None else None
    cache = root / f"tables-{key}.json" if root is not None and key else None
    if cache is not None:
        cached = _read_cache(cache)
        if _valid_cached(cached, key):  # type: ignore[arg-type]
            return RawTables(tables=cached["tables"], origins=cached["origins"])
    raw = _parse_tables(base)
    if cache is not None and not raw.faults:
        _write_cache(cache, {"key": key, "tables": raw.tables, "origins": raw.origins})
    return raw


def _write_cache(cache: Path, payload: dict[str, Any], pattern: str = "tables-*.json") -> None:
    """Write atomically (a private file made exclusively, never through a symlink, then renamed
    over the entry), then prune the cache files of older versions (``pattern``). Any failure
    leaves no cache, never an error."""
    import hashlib
    import json
    import secrets

    if not _usable_dir(cache.parent, create=True):
        return
    tmp = cache.parent / f".{cache.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        body = json.dumps(payload).encode("utf-8")  # a non-empty object: b"{...}"
        data = _HASH_HEAD + hashlib.sha256(body).hexdigest().encode() + _HASH_TAIL + body[1:]
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(tmp, flags, 0o600)
        with open(fd, "wb", closefd=True) as handle:
            handle.write(data)
        os.replace(tmp, cache)
        for old in cache.parent.glob(pattern):
            if old != cache:
                old.unlink(missing_ok=True)
    except (OSError, TypeError, ValueError, RecursionError):
        with contextlib.suppress(OSError):
            tmp.unlink()


def cached_data(name: str, source: Any, parse: Callable[[str], Any]) -> Any:
    """One data file (``source``: a path or an ``importlib.resources`` file) parsed by ``parse``,
    through the same content-keyed JSON cache as the anatomy tables (issue 16: no YAML is
    parsed on a warm cache, for any table).

    The cache file ``data-NAME-KEY.json`` is keyed by a hash of the file's bytes, so an edit is
    always seen; a structure that JSON would not give back unchanged (a non-text key, a date)
    is never cached, only parsed; parse errors propagate as ``parse`` raises them. Older
    versions of the same file's cache are pruned.
    """
    import json

    raw = source.read_bytes()
    root = _cache_root()
    cache = None
    if root is not None:
        import hashlib

        key = hashlib.sha256(f"format {CACHE_FORMAT}; {name}; {len(raw)};".encode() + raw)
        digest = key.hexdigest()[:32]
        cache = root / f"data-{name}-{digest}.json"
        cached = _read_cache(cache)
        if isinstance(cached, dict) and cached.get("key") == digest and "data" in cached:
            return cached["data"]
    data = parse(raw.decode("utf-8"))
    if cache is not None:
        try:
            same = json.loads(json.dumps(data)) == data
        except (TypeError, ValueError):
            same = False
        if same:
            _write_cache(cache, {"key": digest, "data": data}, f"data-{name}-*.json")
    return data


def _parse_tables(base: Path) -> RawTables:
    import yaml  # only when the JSON cache cannot serve: PyYAML is slow to import

    from neuroloc.anatomy.yamlsafe import DuplicateKey, UniqueKeyLoader

    raw = RawTables()
    for name in TABLES:
        expected = dict if name == "coverage" else list
        files = table_files(base, name)
        if not files:
            raw.faults.append(f"{name}.yaml: cannot be read (no such table)")
        merged: Any = expected()
        origins: list[str] = []
        for path in files:
            label = str(path.relative_to(base))
            try:
                text = path.read_text(encoding="utf-8")
                data = yaml.load(text, Loader=UniqueKeyLoader)
            except OSError as exc:
                raw.faults.append(f"{label}: cannot be read ({exc.strerror or exc})")
                continue
            except DuplicateKey as exc:
                raw.faults.append(f"{label}: {exc}")
                continue
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                where = f" at line {mark.line + 1}" if mark else ""
                problem = getattr(exc, "problem", None)
                raw.faults.append(
                    f"{label}: not valid YAML{where}" + (f" ({problem})" if problem else "")
                )
                continue
            if data is None:
                continue
            if not isinstance(data, expected):
                raw.faults.append(f"{label}: must be a YAML {expected.__name__}")
                continue
            if expected is dict:
                merged.update(data)
            else:
                merged.extend(data)
                origins.extend(f"{label}[{i}]" for i in range(len(data)))
        raw.tables[name] = merged
        if expected is list:
            raw.origins[name] = origins
    return raw


def check_records(
    table: str, records: list[Any], faults: list[str], origins: list[str] | None = None
) -> list[dict]:
    """Schema-check the records of one table; returns the well-formed ones."""
    schema = SCHEMAS[table]
    key_field = "key" if table == "sources" else "site" if table == "sites" else "id"
    good: list[dict] = []
    seen: set[str] = set()
    for index, record in enumerate(records):
        at = origins[index] if origins and index < len(origins) else f"{table}.yaml[{index}]"
        if not isinstance(record, dict):
            faults.append(f"{at}: must be a mapping")
            continue
        name = record.get(key_field, f"#{index}")
        where = f"{at} {name}"
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
