"""YAML and JSON reading that refuses duplicate mapping keys.

A second ``findings:`` key in a case file, or a record with ``roots:`` twice in a table, would
otherwise silently replace the first: data lost without a word. Both parsers here raise
:class:`DuplicateKey` naming the key and the line where it repeats.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import yaml

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


class DuplicateKey(ValueError):
    """A mapping repeats a key; ``line`` is 1-based, or 0 when unknown."""

    def __init__(self, key: object, line: int = 0):
        self.key = key
        self.line = line
        where = f" at line {line}" if line else ""
        super().__init__(f"duplicate key {key!r}{where}")


class UniqueKeyLoader(_Base):
    """PyYAML's safe loader, strict about repeated keys."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                repeated = key in seen
            except TypeError:  # an unhashable key; the base class reports it
                break
            if repeated:
                raise DuplicateKey(key, key_node.start_mark.line + 1)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, UniqueKeyLoader.construct_mapping
)


class AliasRefused(ValueError):
    """The text uses a YAML alias (``*name``): refused before anything is expanded, since a
    few hundred bytes of nested aliases expand to gigabytes (an "alias bomb")."""

    def __init__(self, anchor: str, line: int):
        self.anchor = anchor
        self.line = line
        super().__init__(f"YAML alias *{anchor[:40]} at line {line}")


class NumberOutOfRange(ValueError):
    """A number that cannot be held faithfully (``1e-400`` would read as 0, ``1e400`` as inf)."""


def _no_aliases(text: str) -> None:
    """Raise :class:`AliasRefused` at the first alias; the event stream is read, never the
    document built, so nothing is expanded. Text without ``*`` has no alias to look for."""
    if "*" not in text:
        return
    for event in yaml.parse(text, Loader=_Base):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            raise AliasRefused(str(event.anchor), mark.line + 1 if mark else 0)


def _faithful_float(loader: Any, node: Any) -> float:
    """A YAML float, refused when its text names a value a float cannot hold (it would turn
    into 0 or infinity silently)."""
    value = loader.construct_yaml_float(node)
    text = str(node.value)
    mantissa = re.split(r"[eE]", text)[0]
    if (value == 0 and re.search(r"[1-9]", mantissa)) or (
        math.isinf(value) and "inf" not in text.lower()
    ):
        raise NumberOutOfRange(
            f"number {text[:40]} is out of range (line {node.start_mark.line + 1})"
        )
    return value


UniqueKeyLoader.add_constructor("tag:yaml.org,2002:float", _faithful_float)


def load_yaml(text: str) -> Any:
    """Parse YAML (JSON included) with duplicate keys, aliases and out-of-range numbers refused."""
    _no_aliases(text)
    return yaml.load(text, Loader=UniqueKeyLoader)


def read_table(source: Any) -> tuple[Any, str | None]:
    """A data file (a path or an ``importlib.resources`` file) parsed from its YAML, never from
    a cache, with the fault that stopped it (None when it parsed): ``neuroloc validate`` reads
    every table this way, so that what it checks is what is on disk.
    """
    name = getattr(source, "name", str(source))
    try:
        return load_yaml(source.read_text(encoding="utf-8")), None
    except OSError as exc:
        return None, f"{name}: cannot be read ({exc.strerror or exc})"
    except DuplicateKey as exc:
        return None, f"{name}: {exc}"
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        return None, f"{name}: not valid YAML{where}"


def load_json(text: str) -> Any:
    """Parse JSON with duplicate keys refused; the line is found by re-reading it as YAML."""

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise DuplicateKey(key)
            out[key] = value
        return out

    def number(text: str) -> float:
        value = float(text)
        if (value == 0 and re.search(r"[1-9]", re.split(r"[eE]", text)[0])) or math.isinf(value):
            raise NumberOutOfRange(f"number {text[:40]} is out of range")
        return value

    try:
        return json.loads(text, object_pairs_hook=unique, parse_float=number)
    except DuplicateKey as exc:
        try:
            load_yaml(text)
        except DuplicateKey as located:
            raise located from None
        except yaml.YAMLError:
            pass
        raise exc from None
