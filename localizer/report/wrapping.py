"""Folding text to the terminal: no dependency on the result types, so commands that only
print tables (``neuroloc anatomy``, ``neuroloc examples``) stay light to import."""

from __future__ import annotations

import re
import shutil
import textwrap
from collections.abc import Iterable

DEFAULT_WIDTH = 100


def terminal_width() -> int:
    """The terminal's width in columns, or 100 when output is not a terminal."""
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns


_NUMBERED = re.compile(r" *\d+[.=] +(\[[^\]]*\] )?")  # " 2= [ 19.42] " or " 3. "


def _hanging_indent(line: str) -> str:
    """Where a wrapped line continues: under the text of a numbered item or a bullet, else four
    spaces in from the line's own indent."""
    indent = len(line) - len(line.lstrip(" "))
    numbered = _NUMBERED.match(line)
    if numbered:
        return " " * numbered.end()
    if line.lstrip(" ").startswith(("- ", "* ")):
        return " " * (indent + 2)
    return " " * (indent + 4)


def wrap_lines(
    lines: Iterable[str], width: int | None = None, *, hang: str | None = None
) -> list[str]:
    """Lines folded to ``width`` (the terminal's by default) at spaces, never inside a word or
    an id, continuing under the item they belong to (or after ``hang``, when given).

    >>> wrap_lines(["  - one two three four"], width=14)
    ['  - one two', '    three four']
    """
    width = width or terminal_width()
    out: list[str] = []
    for line in lines:
        if len(line) <= width:
            out.append(line)
            continue
        indent = _hanging_indent(line) if hang is None else hang
        if len(indent) > width // 2:  # a narrow terminal: a shallow indent leaves room for text
            indent = " " * min(len(line) - len(line.lstrip(" ")) + 4, width // 2)
        out.extend(
            textwrap.wrap(
                line,
                width=width,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
                drop_whitespace=True,
            )
            or [line]
        )
    return out
