"""The interactive exam (``neuroloc exam``): ask for the best next test, read its result, re-rank.

The loop lives here, free of any terminal: :class:`Session` holds the case built so far and
answers one line at a time (:meth:`Session.answer`), so the command line only reads lines and
prints what it is given, and tests drive it with plain strings.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neuroloc.anatomy import Atlas, NeurolocError
from neuroloc.anatomy.names import normalize
from neuroloc.options import LIMITS
from neuroloc.report.text import percent
from neuroloc.result import Candidate, Localization, NextTest
from neuroloc.teaching import words

if TYPE_CHECKING:
    from neuroloc.localizer import Localizer

_NAME_KINDS = (
    "muscle",
    "movement",
    "reflex",
    "sensory",
    "point",
    "snap",
    "cmap",
    "ncs",
    "sphincter",
    "sign",
)


@functools.lru_cache(maxsize=4)
def finding_names(atlas: Atlas) -> tuple[str, ...]:
    """Every name a finding may use in ``atlas`` (labels, synonyms, bedside phrases), for
    completion."""
    from neuroloc.findings import grade_table

    names: set[str] = set()
    for kind in _NAME_KINDS:
        for ident, given in atlas.index(kind).names().items():
            names.update(n for n in given if n != ident)
            names.add(atlas.label(ident))
    names.update(grade_table().phrases)
    return tuple(sorted(names, key=str.casefold))


def complete_line(atlas: Atlas, before: str, word: str) -> list[str]:
    """Tab completion in the exam's prompt: ``word`` is the name typed so far (only ``=`` and
    ``@`` end a word), ``before`` the line up to it; after ``=`` there is nothing to name."""
    return [] if "=" in before else complete_names(atlas, word.strip())


def complete_names(atlas: Atlas, incomplete: str, limit: int = 60) -> list[str]:
    """The names that begin as ``incomplete`` does (case and spelling folded like lookups);
    nothing once the name is finished (after ``=``)."""
    if "=" in incomplete:
        return []
    head = normalize(incomplete)
    matches = [n for n in finding_names(atlas) if normalize(n).startswith(head)]
    return matches[:limit]


CLEAR = LIMITS["threshold"].default  # the exam ends once the best candidate is this likely
STOP_WORDS = ("done", "quit", "exit", "q", "stop")
SKIP_WORDS = ("skip", "s", "n/a", "not done", "later")


def case_data(result: Localization) -> dict[str, Any]:
    """A case file (CONTRACT 2) that reproduces ``result``: every finding with its own side,
    named in the atlas the result was computed with, graded as recorded, and the clinical
    block as given."""
    atlas = result.atlas
    if atlas is None:
        raise NeurolocError("a case is written in the names of the result's atlas: none")
    findings = []
    for f in result.case.findings:
        # A finding names its structure (emg:x and wasting:x the muscle x, vibration:x the
        # zone x), a CMAP its study (its target is the recording muscle).
        ident = f.id if f.kind == "cmap" else f.target
        findings.append({f.kind: _name(atlas, f.kind, ident), "grade": f.grade, "side": f.side})
    data: dict[str, Any] = {}
    if result.title:
        data["title"] = result.title
    data["findings"] = findings
    if result.case.clinical:
        data["clinical"] = result.case.clinical
    return data


def _name(atlas: Atlas, kind: str, ident: str) -> str:
    """A structure's label when it names that structure alone among its kind, else its id."""
    from neuroloc.kinds import finding_kind

    label = atlas.label(ident)
    try:
        same = atlas.resolve(label, finding_kind(kind).resolve) == ident
    except NeurolocError:
        same = False
    return label if same else ident


@dataclass
class Session:
    """One interactive exam: the case so far, its localization, and the next question.

    ``answer`` takes one line as the examiner typed it and returns what to print; the caller
    asks :attr:`finished` whether to read another line. Every localization is asked of
    ``localizer``.
    """

    localizer: Localizer
    result: Localization
    data: dict[str, Any]
    side: str | None = None
    threshold: float = CLEAR
    options: dict[str, Any] = field(default_factory=dict)
    skipped: set[tuple[str, str]] = field(default_factory=set)
    stopped: bool = False
    asked: int = 0

    @classmethod
    def start(
        cls,
        localizer: Localizer,
        case: Any = None,
        *,
        expressions: Sequence[str] = (),
        side: str | None = None,
        history: Sequence[str] = (),
        threshold: float = CLEAR,
        stdin_text: str | None = None,
        **options: Any,
    ) -> Session:
        if case is None and not expressions:
            raise NeurolocError("an exam starts from a case file, an example name or -f findings")
        LIMITS["threshold"].check(threshold)
        result = localizer.localize(
            case,
            expressions=expressions,
            side=side,
            history=history,
            stdin_text=stdin_text,
            **options,
        )
        return cls(localizer, result, case_data(result), side, threshold, dict(options))

    # ------------------------------------------------------------------ state
    @property
    def best(self) -> Candidate | None:
        return self.result.best

    @property
    def clear(self) -> bool:
        """One candidate holds at least the threshold's share of the probability."""
        return self.best is not None and self.best.probability >= self.threshold

    def question(self) -> NextTest | None:
        """The best next test not yet skipped, or None when none is left."""
        for test in self.result.next_tests:
            if (test.test, test.side) not in self.skipped:
                return test
        return None

    @property
    def finished(self) -> bool:
        return self.stopped or self.clear or self.question() is None

    def why_finished(self) -> str:
        if self.clear and self.best is not None:
            return (
                f"clear: {words(self.best)} at {percent(self.best.probability)} "
                f"(probability >= {self.threshold:g})"
            )
        if self.stopped:
            return "stopped by the examiner"
        if self.best is None:
            return "nothing to localize"
        return "no test left that separates the candidates"

    # ------------------------------------------------------------------ text
    def summary(self, width: int | None = None) -> str:
        """The answer as it stands (the text report's opening block, urgent red flags
        included), folded to ``width`` columns (the terminal's by default)."""
        from neuroloc.report.text import answer, header
        from neuroloc.report.wrapping import wrap_lines

        urgent = header(self.result)[1:]
        lines = answer(self.result)  # the question below names the test (skips included)
        shown = [*urgent, *(x for x in lines if not x.startswith("  best next test:"))]
        return "\n".join(wrap_lines(shown, width))

    def prompt(self) -> str:
        test = self.question()
        if test is None:
            return ""
        return f"next: {test.label} ({test.side}) - grade, absent, skip, done or -f EXPR > "

    # ------------------------------------------------------------------ answers
    def answer(self, line: str) -> str:
        """Read one answer: a grade for the question, ``skip``, ``done``, or a finding
        expression. Returns the text to show (a refusal keeps the question open)."""
        text = line.strip()
        if not text:
            return ""
        word = text.lower()
        if word in STOP_WORDS:
            self.stopped = True
            return ""
        test = self.question()
        if word in SKIP_WORDS:
            if test is not None:
                self.skipped.add((test.test, test.side))
            return ""
        try:
            finding = self._finding(text, test)
            self._add(finding)
        except NeurolocError as exc:
            return f"not understood: {exc}"
        return ""

    def _finding(self, text: str, test: NextTest | None) -> dict[str, Any]:
        """The answer as a case-file finding: a grade of the question, else an expression."""
        from neuroloc.findings import parse_grade, parse_side

        if test is not None and "=" not in text:
            from neuroloc.labels import finding_target

            kind = test.test.partition(":")[0]
            name = finding_target(self.localizer.atlas, test.test)
            try:
                parse_grade(kind, text, "answer", name=test.label)
            except NeurolocError:
                pass
            else:
                return {kind: name, "grade": text, "side": test.side}
        from neuroloc.findings import parse_expression

        finding = dict(parse_expression(self.localizer.atlas, text, 0))
        if "side" not in finding:
            side = self.side or (test.side if test is not None else None)
            if side:
                finding["side"] = side
        elif finding["side"]:
            finding["side"] = parse_side(finding["side"], f"answer {text!r}")
        return finding

    def _add(self, finding: Mapping[str, Any]) -> None:
        """Add a finding and localize again; a finding the case refuses leaves it unchanged."""
        data = {**self.data, "findings": [*self.data["findings"], dict(finding)]}
        result = self.localizer.localize(data, **self.options)
        self.result, self.data = result, case_data(result)
        self.asked += 1

    def save(self, path: str | Path) -> None:
        """Write the case built so far (YAML), which localizes as this session does."""
        import yaml

        text = yaml.safe_dump(self.data, sort_keys=False, allow_unicode=True)
        try:
            Path(path).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise NeurolocError(f"{path}: cannot be written ({exc.strerror})") from None
