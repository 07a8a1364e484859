"""The finding kinds a case may use, from ``data/kinds.yaml``: one table for parsing, evidence
classes, labels, next-test words and the vocabulary (issue 21).

>>> spec = finding_kind("vibration")
>>> spec.row, spec.evidence, spec.resolve
('vibration', 'vibration', ('sensory', 'point'))
>>> kind_named("joint position")
'proprioception'
"""

from __future__ import annotations

import functools
import importlib.resources
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from neuroloc.anatomy import NeurolocError
from neuroloc.anatomy.names import normalize

_FIELDS = frozenset(
    {
        "names",
        "resolve",
        "grades",
        "evidence",
        "row",
        "modality",
        "label",
        "abnormal",
        "normal",
        "examples",
        "exam",
    }
)


@dataclass(frozen=True, slots=True)
class FindingKind:
    """One row of kinds.yaml (its header explains each field)."""

    name: str
    names: tuple[str, ...]
    resolve: tuple[str, ...]
    grades: str
    evidence: str
    label: str
    abnormal: str
    normal: str
    examples: str
    exam: str
    row: str | None = None
    modality: str | None = None


@functools.cache
def finding_kinds() -> Mapping[str, FindingKind]:
    """Every finding kind, in the table's order."""
    from neuroloc.anatomy.loader import cached_data
    from neuroloc.anatomy.yamlsafe import load_yaml

    source = importlib.resources.files("neuroloc") / "data" / "kinds.yaml"
    data = cached_data("kinds", source, load_yaml)
    table: dict[str, FindingKind] = {}
    for name, entry in data["kinds"].items():
        unknown = set(entry) - _FIELDS
        if unknown:
            raise NeurolocError(f"kinds.yaml {name}: unknown field {sorted(unknown)[0]!r}")
        table[name] = FindingKind(
            name,
            tuple(entry["names"]),
            tuple(entry["resolve"]),
            entry["grades"],
            entry["evidence"],
            entry["label"],
            entry["abnormal"],
            entry["normal"],
            entry["examples"],
            entry["exam"],
            entry.get("row"),
            entry.get("modality"),
        )
    return MappingProxyType(table)


def finding_kind(name: str) -> FindingKind:
    return finding_kinds()[name]


@functools.cache
def _spellings() -> Mapping[str, str]:
    words: dict[str, str] = {}
    for kind in finding_kinds().values():
        for spelling in (kind.name, *kind.names):
            key = normalize(spelling)
            if words.get(key, kind.name) != kind.name:
                raise NeurolocError(f"kinds.yaml: {spelling!r} names two kinds")
            words[key] = kind.name
    return MappingProxyType(words)


def kind_named(text: str) -> str | None:
    """The finding kind a case-file key or an ``-f`` prefix names (``light touch`` ->
    ``touch``), or None."""
    return _spellings().get(normalize(text)) if isinstance(text, str) else None


def kind_words() -> tuple[str, ...]:
    """Every spelling of every kind (for suggestions)."""
    return tuple(
        spelling for kind in finding_kinds().values() for spelling in (kind.name, *kind.names)
    )


def modality_kinds() -> tuple[str, ...]:
    """The kinds that name a sensory modality (pinprick ... proprioception)."""
    return tuple(k.name for k in finding_kinds().values() if k.modality)
