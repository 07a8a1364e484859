"""The knowledge base as terminal text: what ``neuroloc anatomy show``, ``list`` and ``supplies``
print when no ``--format json`` is asked for.

Each function takes the plain records of :mod:`neuroloc.anatomy.describe` (the same mappings the
JSON output prints) and returns the text, without a final newline; none reads the atlas. Like
:mod:`neuroloc.report.wrapping`, this module leaves out the result types, so the anatomy
commands stay light to start.

>>> print(record_text({"id": "root:L5", "label": "L5 root", "level": "root", "bilateral": False,
...                    "citations": [{"key": "k", "citation": "A book."}]}))
L5 root  [root:L5]
  level: root
  sources:
    [k] A book.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from neuroloc.report.wrapping import wrap_lines

# Keys of a record that are printed elsewhere (the heading, the description, the sources) or not
# at all (the kind: the heading's id says it).
_NOT_FIELDS = frozenset({"id", "label", "citations", "sources", "description", "kind"})
SUPPLY_GROUPS = ("muscles", "reflexes", "zones", "studies")
ID_COLUMN = 52  # the width of the id column of ``anatomy list``


def record_text(record: Mapping[str, Any]) -> str:
    """An ``anatomy show`` record as indented lines, with no Python reprs.

    A mapping of single words reads ``L4 (major), L5 (major)``; a mapping of sentences or of
    mappings gets a line per key; a list is joined with ``;``; flags read yes or no; empty and
    false fields are left out. The description is a paragraph under the heading, the sources
    close the record.
    """
    lines = [f"{record['label']}  [{record['id']}]"]
    if record.get("description"):  # a paragraph: its lines keep its indent
        lines.extend(wrap_lines([f"  {record['description']}"], hang="  "))
    for key, value in record.items():
        if key not in _NOT_FIELDS:
            lines.extend(field_lines(key.replace("_", " "), value, "  "))
    lines.append("  sources:")
    for citation in record["citations"]:
        lines.append(f"    [{citation['key']}] {citation['citation']}")
    return "\n".join(wrap_lines(lines))


def value_text(value: Any) -> str:
    """A scalar, or a list item, in words.

    >>> value_text([True, {"label": "Sural nerve"}, {"L5": "major"}])
    'yes; Sural nerve; L5 major'
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        if "label" in value:
            return str(value["label"])
        return ", ".join(f"{k} {value_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(value_text(v) for v in value)
    return str(value)


def field_lines(name: str, value: Any, indent: str) -> list[str]:
    """One field of a record as lines at ``indent`` (none for an empty or false value).

    >>> field_lines("roots", {"L4": "major", "L5": "minor"}, "  ")
    ['  roots: L4 (major), L5 (minor)']
    >>> field_lines("disputed", {"L4": "some tables list it", "S1": "rarely"}, "")
    ['disputed:', '  L4: some tables list it', '  S1: rarely']
    """
    if value is None or value is False or value == "" or value == [] or value == {}:
        return []
    if isinstance(value, dict):
        words = all(
            not isinstance(v, dict | list) and len(str(v).split()) == 1 for v in value.values()
        )
        if words:  # roots: L4 (major), L5 (major)
            shown = ", ".join(f"{k} ({value_text(v)})" for k, v in value.items())
            return [f"{indent}{name}: {shown}"]
        nested = [line for k, v in value.items() for line in field_lines(k, v, indent + "  ")]
        return [f"{indent}{name}:", *nested] if nested else []
    return [f"{indent}{name}: {value_text(value)}"]


def listing_text(listed: Mapping[str, Sequence[Mapping[str, str]]], *, headed: bool) -> str:
    """``anatomy list``: a row per structure (id, label, and a site's level and syndrome),
    under a ``kind:`` heading per kind when ``headed`` (every kind listed at once).

    >>> print(listing_text({"roots": [{"id": "root:L5", "label": "L5 root"}]}, headed=True))
    roots:
      root:L5                                              L5 root
    """
    lines: list[str] = []
    for kind, rows in listed.items():
        if headed:
            lines.append(f"{kind}:")
        for row in rows:
            extra = f"  ({row['level']}: {row['syndrome']})" if "level" in row else ""
            lines.append(f"  {row['id']:<{ID_COLUMN}} {row['label']}{extra}")
    return "\n".join(lines)


def supplies_text(supplied: Mapping[str, Any], label: Callable[[str], str]) -> str:
    """``anatomy supplies``: each group of targets with the strength the site reaches it at.

    ``label`` names a target id (the atlas's labels: the renderer reads no table itself).

    >>> print(supplies_text({"id": "root:L5", "label": "L5 root", "muscles": {"m:ehl": "likely"},
    ...                      "reflexes": {}, "zones": {}, "studies": {}}, lambda t: "EHL"))
    L5 root  [root:L5] supplies:
      muscles: EHL (likely)
    """
    lines = [f"{supplied['label']}  [{supplied['id']}] supplies:"]
    for group in SUPPLY_GROUPS:
        if supplied[group]:
            shown = ", ".join(f"{label(t)} ({s})" for t, s in supplied[group].items())
            lines.append(f"  {group}: {shown}")
    return "\n".join(lines)
