"""A localization as a compact Markdown report, and the pieces the Markdown family shares.

The teaching page (:mod:`neuroloc.report.teaching`) is the long version; both render urgent
flags, red flags, causes, warnings and the disclaimer with the helpers here, so the two pages
say them the same way.
"""

from __future__ import annotations

from neuroloc.clinical import CauseRanking, RedFlag
from neuroloc.report.common import (
    candidate_ranks,
    fit_text,
    lesions_text,
    links_text,
    markdown_safe,
    no_candidate_reason,
    other_flags,
    pain_timing_text,
    pattern_text,
    syndromes_text,
    urgent_flags,
)
from neuroloc.report.text import percent
from neuroloc.result import Localization

STATUS_WORDS = {"abnormal": "abnormal", "normal": "normal", "umn": "UMN sign"}


def render_markdown(result: Localization) -> str:
    """A compact Markdown report; ``neuroloc explain`` builds the long teaching version."""
    out = [
        *header(result),
        *findings(result),
        *candidates(result),
        *next_tests(result),
        *red_flags(result),
        *pain_timing(result),
        *causes(result),
        *closing(result),
    ]
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ shared by the Markdown family
def urgent_banner(flag: RedFlag) -> list[str]:
    """An urgent red flag as a quoted block, placed before everything else on a page."""
    return [f"> **URGENT - {flag.label}.** {flag.why}", ""]


def red_flag_text(flag: RedFlag) -> str:
    return f"**{flag.label}**: {flag.why}"


def cause_text(cause: CauseRanking) -> str:
    """One cause of the pain with the features for and against it."""
    pros = "; ".join(cause.for_) or "-"
    cons = "; ".join(cause.against) or "-"
    return f"**{cause.label}** - for: {pros}; against: {cons}"


def closing(result: Localization, *, rule: bool = False) -> list[str]:
    """The warnings (if any) and the disclaimer that ends every Markdown page, after a
    horizontal rule when ``rule``."""
    out: list[str] = []
    if result.warnings:
        out += ["", "## Warnings", ""]
        out.extend(f"- {w}" for w in result.warnings)
    out.append("")
    if rule:
        out.append("---")
    out.append(f"*{result.disclaimer}*")
    return out


# ------------------------------------------------------------------ the sections of the report
def header(result: Localization) -> list[str]:
    out = [f"# {markdown_safe(result.title) or 'Localization'}", ""]
    for flag in urgent_flags(result):
        out.extend(urgent_banner(flag))
    return out


def findings(result: Localization) -> list[str]:
    out = ["## Findings", "", "| finding | side | grade | status |", "| --- | --- | --- | --- |"]
    for f in result.findings:
        status = STATUS_WORDS.get(f.status, f.status)
        out.append(f"| {f.label} | {f.side} | {f.grade} | {status} |")
    out.append("")
    return out


def candidates(result: Localization) -> list[str]:
    out = [f"## Candidates ({result.mode} mode)", ""]
    if not result.candidates:
        out.append(f"No candidates: {no_candidate_reason(result)}.")
        return out
    ranks = candidate_ranks(result)
    out.append("| rank | probability | lesion(s) | syndrome | score | against |")
    out.append("| --- | --- | --- | --- | --- | --- |")
    for c in result.candidates:
        against = links_text(c.conflicts, False)
        syndrome = syndromes_text(c) + (f" ({pattern_text(c)})" if pattern_text(c) else "")
        out.append(
            f"| {ranks[c.rank]} | {percent(c.probability)} | {lesions_text(c)} | {syndrome} "
            f"| {c.score:.2f} | {against} |"
        )
    if fit := fit_text(result):
        out += ["", markdown_safe(fit)]
    return out


def next_tests(result: Localization) -> list[str]:
    if not result.next_tests:
        return []
    out = ["", "## Next tests", ""]
    out.extend(f"- **{t.label}** ({t.side}, {t.kind}): {t.why}" for t in result.next_tests)
    return out


def red_flags(result: Localization) -> list[str]:
    others = other_flags(result)
    if not others:
        return []
    return ["", "## Red flags", "", *(f"- {red_flag_text(flag)}" for flag in others)]


def pain_timing(result: Localization) -> list[str]:
    if result.pain_timing is None:
        return []
    return ["", f"**Pain timing:** {pain_timing_text(result.pain_timing)}"]


def causes(result: Localization) -> list[str]:
    if not result.causes:
        return []
    out = ["", "## Causes of the pain (best first)", ""]
    out.extend(f"- {cause_text(cause)}" for cause in result.causes)
    return out
