"""The worked teaching examples: listing, running, and checking them against their answers.

Examples live in the repository's ``examples/`` folder, which installs as this package,
:mod:`neuroloc.examples`, so they are there after a plain ``pip install``.
Each is a case file whose ``expected`` block states what a teacher expects: the best
candidate's lesions, and optionally tests that must be among the suggested next tests or red
flags that must be raised. :func:`check` compares a result with it; the golden tests run all.
"""

from __future__ import annotations

import difflib
import functools
import importlib.resources
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neuroloc.anatomy import NeurolocError, UnknownName
from neuroloc.anatomy.names import NameIndex
from neuroloc.findings import load_case_file
from neuroloc.result import Localization

NEXT_TESTS_CONSIDERED = 8
OTHER = "Other"


@dataclass(frozen=True)
class Example:
    name: str
    path: Path
    title: str
    teaching: str
    notes: str
    expected: dict[str, Any]
    group: str = OTHER  # the teaching point it belongs to: its heading in examples/README.md
    section: str = OTHER  # the README's top-level (##) heading above that group


@dataclass(frozen=True)
class Check:
    passed: bool
    problems: tuple[str, ...]


def examples_dir() -> Path:
    """The folder holding the example case files (this package's own folder)."""
    return Path(str(importlib.resources.files("neuroloc.examples")))


@functools.cache
def readme_groups() -> dict[str, tuple[str, str]]:
    """Each example named in examples/README.md, in the README's order, with its group (the
    nearest ``##`` or ``###`` heading above its table row) and section (the ``##`` heading)."""
    readme = examples_dir() / "README.md"
    out: dict[str, tuple[str, str]] = {}
    if not readme.exists():
        return out
    section = group = OTHER
    for line in readme.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"(#{2,3})\s+(.+?)\s*$", line)
        if heading:
            group = heading.group(2)
            if len(heading.group(1)) == 2:
                section = group
            continue
        row = re.match(r"\|\s*`([^`]+)`\s*\|", line)
        if row:
            out.setdefault(row.group(1), (group, section))
    return out


def load_example(path: Path, groups: dict[str, tuple[str, str]] | None = None) -> Example:
    """One case file read as an example (its ``expected`` block may be empty)."""
    data, _ = load_case_file(path)
    if not isinstance(data, dict):
        raise NeurolocError(f"{path.name}: an example must be a case mapping")
    place = (groups or {}).get(path.stem, (OTHER, OTHER))
    expected = data.get("expected") or {}
    if not isinstance(expected, dict):
        raise NeurolocError(f"{path.name}: 'expected' must be a mapping (lesions, ...)")
    return Example(
        name=path.stem,
        path=path,
        title=str(data.get("title", "")),
        teaching=" ".join(str(data.get("teaching", "")).split()),
        notes=" ".join(str(data.get("notes", "")).split()),
        expected=dict(expected),
        group=place[0],
        section=place[1],
    )


def list_examples() -> list[Example]:
    """Every example, sorted by name, each with its group from examples/README.md."""
    groups = readme_groups()
    return [load_example(path, groups) for path in sorted(examples_dir().glob("*.yaml"))]


EXPECTED_KEYS = ("lesions", "next_tests_include", "red_flags_include", "fit")


def teacher_example(path: str | Path) -> Example:
    """A teacher's own case file, which must carry an ``expected`` block shaped as the shipped
    examples' are (bad input otherwise, naming the file and the offending key)."""
    path = Path(path)
    if not path.is_file():
        raise NeurolocError(f"{path}: no such case file")
    example = load_example(path)
    where = path.name
    if not example.expected:
        raise NeurolocError(f"{where}: no 'expected:' block to check against")
    for key in example.expected:
        if key not in EXPECTED_KEYS:
            close = ", ".join(difflib.get_close_matches(str(key), EXPECTED_KEYS, 3, 0.4))
            hint = f" (closest: {close})" if close else f" (known: {', '.join(EXPECTED_KEYS)})"
            raise NeurolocError(f"{where}: unknown key 'expected.{key}'{hint}")
    lesions = example.expected.get("lesions")
    if lesions is not None and not (
        isinstance(lesions, list)
        and all(isinstance(x, dict) and {"id", "side"} <= set(x) for x in lesions)
    ):
        raise NeurolocError(f"{where}: 'expected.lesions' must be a list of {{id, side}} mappings")
    fit = example.expected.get("fit")
    if fit is not None and fit not in ("good", "fair", "poor"):
        raise NeurolocError(f"{where}: 'expected.fit' must be good, fair or poor")
    for key in ("next_tests_include", "red_flags_include"):
        value = example.expected.get(key)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(x, str) for x in value)
        ):
            raise NeurolocError(f"{where}: 'expected.{key}' must be a list of ids")
    return example


_TOP_LEVEL_KEY = re.compile(r"^[^\s#-][^:]*:")


def without_answer(text: str) -> str:
    r"""A case file's text with its top-level ``expected:`` block taken out, everything else
    (comments, order, layout) kept, so a teacher can hand the case out before the answer.

    >>> without_answer("title: x\nexpected:\n  lesions: []\nfindings: []\n")
    'title: x\nfindings: []\n'
    """
    out: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        if _TOP_LEVEL_KEY.match(line):
            skipping = line.startswith(("expected:", '"expected":', "'expected':"))
        if not skipping:
            out.append(line)
    return "".join(out)


def find_example(name: str) -> Example:
    examples = list_examples()
    index = NameIndex("example")
    for example in examples:
        index.add(example.name, [example.name, example.title])
    ids = index.lookup(name)
    if len(ids) == 1:
        return next(e for e in examples if e.name == ids[0])
    raise UnknownName(name, "example", index.suggest(name))


def case_source(name_or_path: str) -> str:
    """A case argument as given: a file that exists, ``-``, or else a worked example's name."""
    if name_or_path == "-" or Path(name_or_path).exists():
        return name_or_path
    if name_or_path.endswith((".yaml", ".yml", ".json")) or "/" in name_or_path:
        raise NeurolocError(f"{name_or_path}: no such case file")
    return str(find_example(name_or_path).path)


def check(example: Example, result: Localization) -> Check:
    """Compare a localization with the example's expected answer."""
    problems: list[str] = []
    expected = example.expected
    want = expected.get("lesions")
    if want is not None:
        # The contract's ids; a staged pattern may also say its stage.
        want_set = {(x["id"], x["side"], x.get("stage", "")) for x in want}
        staged = {x[0] for x in want_set if x[2]}
        got = {
            (x.public_id or x.id, x.side, x.stage if (x.public_id or x.id) in staged else "")
            for x in (result.best.lesions if result.best else ())
        }
        if got != want_set:
            problems.append(f"best candidate {sorted(got)} is not the expected {sorted(want_set)}")
    wanted_tests = expected.get("next_tests_include")
    if wanted_tests:
        shown = {t.test for t in result.next_tests[:NEXT_TESTS_CONSIDERED]}
        found = [t for t in wanted_tests if t in shown]
        bedside = [t for t in found if not t.startswith(("snap:", "emg:", "cmap:"))]
        edx = [t for t in found if t.startswith(("snap:", "emg:", "cmap:"))]
        if not bedside or not edx:
            problems.append(
                f"next tests {sorted(shown)} lack a bedside and an electrodiagnostic test among "
                f"{wanted_tests}"
            )
    for flag in expected.get("red_flags_include", []):
        if flag not in {f.id for f in result.red_flags}:
            problems.append(f"red flag {flag} was not raised")
    want_fit = expected.get("fit")
    got_fit = result.fit.quality if result.fit else None
    if want_fit is not None and got_fit != want_fit:
        problems.append(f"fit {got_fit} is not the expected {want_fit}")
    return Check(not problems, tuple(problems))
