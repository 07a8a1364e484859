"""Rendering a localization as text (a terminal table) or Markdown; JSON lives in result.py.

Urgent red flags come first and the disclaimer last in every format.
"""

from __future__ import annotations

from collections.abc import Sequence

from neuroloc.labels import finding_label
from neuroloc.result import Candidate, Link, Localization


def no_candidate_reason(result: Localization) -> str:
    """Why a result has no candidate; a search cut short is never called a normal exam."""
    if result.timed_out:
        return "the time limit ended the search before any candidate was found (NOT a normal exam)"
    if any(f.status == "abnormal" for f in result.findings):
        return "no set of lesions within the limits explains the findings"
    return "nothing abnormal to localize"


def _links(links: Sequence[Link], with_site: bool) -> str:
    if not links:
        return "-"
    parts = []
    for link in links:
        text = f"{finding_label(link.finding)} ({link.side}, {link.strength}"
        if with_site:
            text += f", by {link.by}"
        parts.append(text + ")")
    return "; ".join(parts)


def _lesions(candidate: Candidate) -> str:
    return " + ".join(f"{lesion.label} ({lesion.side})" for lesion in candidate.lesions)


def _urgent(result: Localization) -> list:
    return [flag for flag in result.red_flags if getattr(flag, "urgent", False)]


def render_text(result: Localization) -> str:
    lines: list[str] = []
    title = result.title or "localization"
    lines.append(f"neuroloc: {title}")
    for flag in _urgent(result):
        lines.append(f"!! URGENT - {flag.label}: {flag.why}")
    abnormal = [f for f in result.findings if f.status == "abnormal"]
    normal = [f for f in result.findings if f.status == "normal"]
    lines.append(f"findings: {len(abnormal)} abnormal, {len(normal)} normal")
    for f in abnormal:
        lines.append(f"  abnormal  {finding_label(f.id)} = {f.grade} ({f.side})")
    for f in normal:
        lines.append(f"  normal    {finding_label(f.id)} = {f.grade} ({f.side})")
    for f in (f for f in result.findings if f.status == "umn"):
        lines.append(f"  UMN sign  {finding_label(f.id)} = {f.grade} ({f.side})")
    lines.append("")
    if not result.candidates:
        lines.append(f"no candidates: {no_candidate_reason(result)}")
    else:
        lines.append(f"candidates ({result.mode} mode, {result.solver}; lower score is better):")
        for c in result.candidates:
            levels = ", ".join(sorted({lesion.level for lesion in c.lesions}))
            lines.append(f"{c.rank:>2}. [{c.score:6.2f}] {_lesions(c)}  <{levels}>")
            syndromes = " + ".join(lesion.syndrome for lesion in c.lesions)
            lines.append(f"      {syndromes}")
            lines.append(f"      explains: {_links(c.explains, len(c.lesions) > 1)}")
            if c.conflicts:
                lines.append(f"      against:  {_links(c.conflicts, len(c.lesions) > 1)}")
            if c.unexplained:
                names = "; ".join(f"{finding_label(u.finding)} ({u.side})" for u in c.unexplained)
                lines.append(f"      unexplained: {names}")
    if result.edx:
        lines.append("")
        lines.append("electrodiagnosis:")
        lines.extend(f"  - {line}" for line in result.edx)
    if result.next_tests:
        lines.append("")
        lines.append("next tests (best discriminator first):")
        for i, t in enumerate(result.next_tests, start=1):
            lines.append(f"{i:>2}. {t.label} [{t.side}, {t.kind}]: {t.why}")
    others = [flag for flag in result.red_flags if not getattr(flag, "urgent", False)]
    if others:
        lines.append("")
        lines.append("red flags:")
        for flag in others:
            lines.append(f"  - {flag.label}: {flag.why}")
    if result.pain_timing is not None:
        timing = result.pain_timing
        recurrent = ", recurrent" if timing.recurrent else ""
        lines.append(f"pain timing: {timing.klass}{recurrent}")
    if result.causes:
        lines.append("")
        lines.append("likely causes of the back/leg pain (best first):")
        for cause in result.causes:
            lines.append(f"  - {cause.label}")
            if cause.for_:
                lines.append(f"      for: {'; '.join(cause.for_)}")
            if cause.against:
                lines.append(f"      against: {'; '.join(cause.against)}")
    if result.warnings:
        lines.append("")
        for warning in result.warnings:
            lines.append(f"warning: {warning}")
    lines.append("")
    lines.append(result.disclaimer)
    return "\n".join(lines) + "\n"


def markdown_cause(cause: object) -> str:
    """One common cause of the pain with the features for and against it."""
    pros = "; ".join(cause.for_) or "-"  # type: ignore[attr-defined]
    cons = "; ".join(cause.against) or "-"  # type: ignore[attr-defined]
    return f"**{cause.label}** - for: {pros}; against: {cons}"  # type: ignore[attr-defined]


def markdown_closing(result: Localization) -> list[str]:
    """The warnings section (if any) and the disclaimer that ends every Markdown page."""
    out: list[str] = []
    if result.warnings:
        out += ["", "## Warnings", ""]
        out.extend(f"- {w}" for w in result.warnings)
    out.append("")
    return out


def render_markdown(result: Localization) -> str:
    """A compact Markdown report; ``neuroloc explain`` builds the long teaching version."""
    out: list[str] = [f"# {result.title or 'Localization'}", ""]
    for flag in _urgent(result):
        out.append(f"> **URGENT - {flag.label}.** {flag.why}")
        out.append("")
    out.append("## Findings")
    out.append("")
    out.append("| finding | side | grade | status |")
    out.append("| --- | --- | --- | --- |")
    for f in result.findings:
        out.append(f"| {finding_label(f.id)} | {f.side} | {f.grade} | {f.status} |")
    out.append("")
    out.append(f"## Candidates ({result.mode} mode)")
    out.append("")
    if not result.candidates:
        out.append(f"No candidates: {no_candidate_reason(result)}.")
    else:
        out.append("| rank | lesion(s) | syndrome | score | against |")
        out.append("| --- | --- | --- | --- | --- |")
        for c in result.candidates:
            syndromes = " + ".join(lesion.syndrome for lesion in c.lesions)
            against = _links(c.conflicts, False) if c.conflicts else "-"
            out.append(f"| {c.rank} | {_lesions(c)} | {syndromes} | {c.score:.2f} | {against} |")
    if result.next_tests:
        out.append("")
        out.append("## Next tests")
        out.append("")
        for t in result.next_tests:
            out.append(f"- **{t.label}** ({t.side}, {t.kind}): {t.why}")
    others = [flag for flag in result.red_flags if not getattr(flag, "urgent", False)]
    if others:
        out.append("")
        out.append("## Red flags")
        out.append("")
        for flag in others:
            out.append(f"- **{flag.label}**: {flag.why}")
    if result.pain_timing is not None:
        out.append("")
        recurrent = ", recurrent" if result.pain_timing.recurrent else ""
        out.append(f"**Pain timing:** {result.pain_timing.klass}{recurrent}")
    if result.causes:
        out.append("")
        out.append("## Causes of the pain (best first)")
        out.append("")
        out.extend(f"- {markdown_cause(cause)}" for cause in result.causes)
    out.extend(markdown_closing(result))
    out.append(f"*{result.disclaimer}*")
    return "\n".join(out) + "\n"
