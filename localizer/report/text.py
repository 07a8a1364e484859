"""A localization as plain text for the terminal, wrapped to its width.

The answer comes first, in at most :data:`ANSWER_LINES` lines: the title, any urgent red
flag, the leading candidates with their probabilities, the fit when it is not good, and the
one best next test. The detail follows, one function per section, in the order every format
follows, the disclaimer last. A finding seen alike on both sides is listed once and each
candidate's findings are grouped under the lesion that explains them; ``verbose`` restores
the full listing (one line per finding and side, every next test). ``color`` marks the urgent
banner and weak versus normal findings with ANSI colours (the command line turns it on only
on a terminal without ``NO_COLOR``).
"""

from __future__ import annotations

from neuroloc.clinical import CauseRanking, RedFlag
from neuroloc.report.common import (
    candidate_ranks,
    distinct_edx,
    lesions_text,
    levels_text,
    links_text,
    named_lesions,
    no_candidate_reason,
    other_flags,
    pain_timing_text,
    pattern_text,
    syndromes_text,
    urgent_flags,
)
from neuroloc.report.wrapping import wrap_lines
from neuroloc.result import Candidate, Link, Localization

FINDING_TAGS = (
    ("abnormal", "abnormal"),
    ("normal", "normal"),
    ("umn", "UMN sign"),
    ("myopathic", "myopathic"),
)
ANSWER_LINES = 12  # the answer block, title included, before the detail
ANSWER_CANDIDATES = 5  # at most this many candidates in the answer
BRIEF_TESTS = 3  # next tests listed in the detail unless verbose
# ANSI styles, applied after wrapping so the colour codes never count as columns
_STYLE = {
    "!! URGENT": {"fg": "red", "bold": True},
    "  abnormal": {"fg": "yellow"},
    "  UMN sign": {"fg": "magenta"},
    "  myopathic": {"fg": "yellow"},
    "  normal": {"fg": "green"},
}


def render_text(
    result: Localization, *, width: int | None = None, verbose: bool = False, color: bool = False
) -> str:
    """The text report, folded to ``width`` columns (the terminal's by default)."""
    lines = [
        *header(result),
        *answer(result),
        "",
        *findings(result, verbose=verbose),
        "",
        *candidates(result, verbose=verbose),
        *electrodiagnosis(result),
        *next_tests(result, limit=None if verbose else BRIEF_TESTS),
        *red_flags(result),
        *pain_timing(result),
        *causes(result),
        *warnings(result),
    ]
    closing = wrap_lines(disclaimer(result), width, hang="")  # a paragraph, flush left
    folded = [*wrap_lines(lines, width), *closing]
    if color:
        folded = [_colored(line) for line in folded]
    return "\n".join(folded) + "\n"


def _colored(line: str) -> str:
    import click

    for start, style in _STYLE.items():
        if line.startswith(start):
            return click.style(line, **style)  # type: ignore[arg-type]
    return line


def percent(probability: float) -> str:
    """``61%``; ``<1%`` and ``>99%`` near the ends, so no candidate that shares the
    probability with others reads as impossible or as certain.

    >>> [percent(p) for p in (0.613, 0.001, 0.9996, 1.0)]
    ['61%', '<1%', '>99%', '100%']
    """
    if probability < 0.005:
        return "<1%"
    if 0.995 <= probability < 1:
        return ">99%"
    return f"{probability:.0%}"


def answer(result: Localization) -> list[str]:
    """The leading candidates with their probabilities, the fit if not good, the best test."""
    if not result.candidates:
        return [f"answer: {no_candidate_reason(result)}"]
    tail: list[str] = []
    fit = getattr(result, "fit", None)
    if fit is not None and fit.quality != "good":
        consider = f" (consider: {', '.join(fit.consider)})" if fit.consider else ""
        tail.append(f"  fit: {fit.quality} - {fit.why}{consider}")
    if result.next_tests:
        tail.append(f"  best next test: {best_test_text(result)}")
    room = ANSWER_LINES - len(header(result)) - 1 - len(tail)
    ranks = candidate_ranks(result)
    shown = result.candidates[: max(1, min(ANSWER_CANDIDATES, room))]
    lines = ["answer (probability):"]
    for c in shown:
        rank = ranks[c.rank]
        label = rank if rank.endswith("=") else f"{rank}."
        lines.append(f"{label:>4} {percent(c.probability):>4}  {lesions_text(c)}")
    return [*lines, *tail]


def best_test_text(result: Localization) -> str:
    """``Medial hamstring reflex (left): reduced if #2, #3; normal if #1``."""
    test = result.next_tests[0]
    groups: dict[str, list[str]] = {}
    for rank, word in test.predictions.items():
        groups.setdefault(word, []).append(f"#{rank}")
    order = sorted(groups, key=lambda word: word == "normal")  # the abnormal result first
    why = "; ".join(f"{word} if {', '.join(groups[word])}" for word in order)
    return f"{test.label} ({test.side}): {why}"


def flag_text(flag: RedFlag) -> str:
    return f"{flag.label}: {flag.why}"


def cause_lines(cause: CauseRanking) -> list[str]:
    """One cause of the pain with the features for and against it."""
    lines = [f"  - {cause.label}"]
    if cause.for_:
        lines.append(f"      for: {'; '.join(cause.for_)}")
    if cause.against:
        lines.append(f"      against: {'; '.join(cause.against)}")
    return lines


def header(result: Localization) -> list[str]:
    lines = [f"neuroloc: {result.title or 'localization'}"]
    lines.extend(f"!! URGENT - {flag_text(flag)}" for flag in urgent_flags(result))
    return lines


def _both_sides(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(text, side) pairs with a text seen on the left and on the right once, ``both sides``;
    the order of first appearance is kept."""
    sides: dict[str, set[str]] = {}
    for text, side in items:
        sides.setdefault(text, set()).add(side)
    out: list[tuple[str, str]] = []
    for text, side in items:
        if {"left", "right"} <= sides[text]:
            if side == "left" or "left" not in sides[text]:
                out.append((text, "both sides"))
            continue
        out.append((text, side))
    seen: set[tuple[str, str]] = set()
    return [x for x in out if not (x in seen or seen.add(x))]  # type: ignore[func-returns-value]


def findings(result: Localization, *, verbose: bool = False) -> list[str]:
    abnormal = sum(f.status == "abnormal" for f in result.findings)
    normal = sum(f.status == "normal" for f in result.findings)
    lines = [f"findings: {abnormal} abnormal, {normal} normal"]
    for status, tag in FINDING_TAGS:
        rows = [(f"{f.label} = {f.grade}", f.side) for f in result.findings if f.status == status]
        if not verbose:
            rows = _both_sides(rows)
        lines.extend(f"  {tag:<9} {text} ({side})" for text, side in rows)
    return lines


def _grouped(candidate: Candidate, links: tuple[Link, ...]) -> str:
    """Findings grouped under the lesion that explains them, each finding once with its sides:
    ``by L5 root (left): Tibialis anterior (likely), Hip abduction (both sides, likely)``."""
    if not links:
        return "-"
    labels = {(lesion.id, lesion.side): lesion.label for lesion in candidate.lesions}
    labels.update({(lesion.id, ""): lesion.label for lesion in candidate.lesions})
    bilateral = {lesion.id for lesion, side in named_lesions(candidate) if side == "both sides"}
    groups: dict[str, list[tuple[str, str]]] = {}
    for link in links:
        if link.by in bilateral:
            who = f"{labels[(link.by, '')]} (both sides)"
        elif (link.by, link.by_side) in labels:
            who = f"{labels[(link.by, link.by_side)]} ({link.by_side})"
        else:
            who = labels.get((link.by, ""), link.by)
        groups.setdefault(who, []).append((f"{link.label}|{link.strength}", link.side))
    parts = []
    for who, items in groups.items():
        runs: list[tuple[str, list[str]]] = []  # findings that share sides and strength
        for text, side in _both_sides(items):
            name, strength = text.rsplit("|", 1)
            how = f"({side}, {strength})"
            if runs and runs[-1][0] == how:
                runs[-1][1].append(name)
            else:
                runs.append((how, [name]))
        shown = [f"{', '.join(names)} {how}" for how, names in runs]
        prefix = f"by {who}: " if len(candidate.lesions) > 1 or len(groups) > 1 else ""
        parts.append(prefix + "; ".join(shown))
    return " | ".join(parts)


def _candidate(candidate: Candidate, rank: str, verbose: bool = False) -> list[str]:
    with_site = len(candidate.lesions) > 1
    shown = rank if rank.endswith("=") else f"{rank}."
    lines = [
        f"{shown:>3} [{candidate.score:6.2f}] {lesions_text(candidate)}  "
        f"<{levels_text(candidate)}>  {percent(candidate.probability)}",
        f"      {syndromes_text(candidate)}",
    ]
    if pattern_text(candidate):
        lines.append(f"      {pattern_text(candidate)}")
    if verbose:
        lines += [f"      explains: {links_text(candidate.explains, with_site)}"]
        if candidate.conflicts:
            lines.append(f"      against:  {links_text(candidate.conflicts, with_site)}")
    else:
        lines += [f"      explains: {_grouped(candidate, candidate.explains)}"]
        if candidate.conflicts:
            lines.append(f"      against:  {_grouped(candidate, candidate.conflicts)}")
    if candidate.unexplained:
        rows = [(u.label, u.side) for u in candidate.unexplained]
        names = "; ".join(f"{n} ({s})" for n, s in (rows if verbose else _both_sides(rows)))
        lines.append(f"      unexplained: {names}")
    return lines


def candidates(result: Localization, *, verbose: bool = False) -> list[str]:
    if not result.candidates:
        return [f"no candidates: {no_candidate_reason(result)}"]
    ranks = candidate_ranks(result)
    lines = [
        f"candidates ({result.mode} mode, {result.solver}; lower score is better; "
        "probability last):"
    ]
    for c in result.candidates:
        lines.extend(_candidate(c, ranks[c.rank], verbose))
    return lines


def electrodiagnosis(result: Localization) -> list[str]:
    if not result.edx:
        return []
    return ["", "electrodiagnosis:", *(f"  - {line}" for line in distinct_edx(result.edx))]


def next_tests(result: Localization, limit: int | None = None) -> list[str]:
    if not result.next_tests:
        return []
    lines = ["", "next tests (best discriminator first):"]
    for i, t in enumerate(result.next_tests[:limit], start=1):
        lines.append(f"{i:>2}. {t.label} [{t.side}, {t.kind}]: {t.why}")
    hidden = len(result.next_tests) - len(result.next_tests[:limit])
    if hidden:
        lines.append(f"    (and {hidden} more: --verbose lists them)")
    return lines


def red_flags(result: Localization) -> list[str]:
    others = other_flags(result)
    if not others:
        return []
    return ["", "red flags:", *(f"  - {flag_text(flag)}" for flag in others)]


def pain_timing(result: Localization) -> list[str]:
    if result.pain_timing is None:
        return []
    return [f"pain timing: {pain_timing_text(result.pain_timing)}"]


def causes(result: Localization) -> list[str]:
    if not result.causes:
        return []
    lines = ["", "likely causes of the back/leg pain (best first):"]
    for cause in result.causes:
        lines.extend(cause_lines(cause))
    return lines


def warnings(result: Localization) -> list[str]:
    if not result.warnings:
        return []
    return ["", *(f"warning: {warning}" for warning in result.warnings)]


def disclaimer(result: Localization) -> list[str]:
    return ["", result.disclaimer]
