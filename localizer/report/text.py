"""A localization as plain text for the terminal, wrapped to its width.

One function per section, in the order every format follows: urgent red flags first, the
disclaimer last.
"""

from __future__ import annotations

from neuroloc.clinical import CauseRanking, RedFlag
from neuroloc.labels import finding_label
from neuroloc.report.common import (
    candidate_ranks,
    distinct_edx,
    lesions_text,
    levels_text,
    links_text,
    no_candidate_reason,
    other_flags,
    pain_timing_text,
    pattern_text,
    syndromes_text,
    urgent_flags,
)
from neuroloc.report.wrapping import wrap_lines
from neuroloc.result import Candidate, Localization

FINDING_TAGS = (("abnormal", "abnormal"), ("normal", "normal"), ("umn", "UMN sign"))


def render_text(result: Localization, *, width: int | None = None) -> str:
    """The text report, folded to ``width`` columns (the terminal's by default)."""
    lines = [
        *header(result),
        *findings(result),
        "",
        *candidates(result),
        *electrodiagnosis(result),
        *next_tests(result),
        *red_flags(result),
        *pain_timing(result),
        *causes(result),
        *warnings(result),
    ]
    closing = wrap_lines(disclaimer(result), width, hang="")  # a paragraph, flush left
    return "\n".join([*wrap_lines(lines, width), *closing]) + "\n"


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


def findings(result: Localization) -> list[str]:
    abnormal = sum(f.status == "abnormal" for f in result.findings)
    normal = sum(f.status == "normal" for f in result.findings)
    lines = [f"findings: {abnormal} abnormal, {normal} normal"]
    for status, tag in FINDING_TAGS:
        lines.extend(
            f"  {tag:<9} {finding_label(f.id)} = {f.grade} ({f.side})"
            for f in result.findings
            if f.status == status
        )
    return lines


def _candidate(candidate: Candidate, rank: str) -> list[str]:
    with_site = len(candidate.lesions) > 1
    shown = rank if rank.endswith("=") else f"{rank}."
    lines = [
        f"{shown:>3} [{candidate.score:6.2f}] {lesions_text(candidate)}  "
        f"<{levels_text(candidate)}>",
        f"      {syndromes_text(candidate)}",
    ]
    if pattern_text(candidate):
        lines.append(f"      {pattern_text(candidate)}")
    lines += [f"      explains: {links_text(candidate.explains, with_site)}"]
    if candidate.conflicts:
        lines.append(f"      against:  {links_text(candidate.conflicts, with_site)}")
    if candidate.unexplained:
        names = "; ".join(f"{finding_label(u.finding)} ({u.side})" for u in candidate.unexplained)
        lines.append(f"      unexplained: {names}")
    return lines


def candidates(result: Localization) -> list[str]:
    if not result.candidates:
        return [f"no candidates: {no_candidate_reason(result)}"]
    ranks = candidate_ranks(result)
    lines = [f"candidates ({result.mode} mode, {result.solver}; lower score is better):"]
    for c in result.candidates:
        lines.extend(_candidate(c, ranks[c.rank]))
    return lines


def electrodiagnosis(result: Localization) -> list[str]:
    if not result.edx:
        return []
    return ["", "electrodiagnosis:", *(f"  - {line}" for line in distinct_edx(result.edx))]


def next_tests(result: Localization) -> list[str]:
    if not result.next_tests:
        return []
    lines = ["", "next tests (best discriminator first):"]
    for i, t in enumerate(result.next_tests, start=1):
        lines.append(f"{i:>2}. {t.label} [{t.side}, {t.kind}]: {t.why}")
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
