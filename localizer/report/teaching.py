"""``neuroloc explain``: a localization as a worked, step-by-step teaching page (Markdown).

Everything on the page is computed from the pathway graph and the result, never from
hand-written rules per syndrome: the narrowing table replays single-lesion reasoning finding
by finding, the discriminators are the findings on which the winner and each runner-up
predict differently, and "what would change the answer" lists the engine's re-runs with the
next tests' possible results.
"""

from __future__ import annotations

from neuroloc.anatomy import Atlas, load_atlas
from neuroloc.findings import Finding
from neuroloc.labels import finding_label
from neuroloc.report.common import (
    candidate_ranks,
    distinct_edx,
    levels_text,
    no_candidate_reason,
    pain_timing_text,
    syndromes_with_sides,
    urgent_flags,
)
from neuroloc.report.markdown import cause_text, closing, red_flag_text, urgent_banner
from neuroloc.result import Localization

CLINICAL_CAUSES_SHOWN = 3


def explain_markdown(result: Localization) -> str:
    """The teaching page: the story, then each step from the findings to the answer."""
    atlas = load_atlas()
    out = [
        *header(result),
        *findings(atlas, result),
        *narrowing(atlas, result),
        *ranked_answer(result),
        *discriminators(atlas, result),
        *electrodiagnosis(result),
        *next_tests(result),
        *leading_site(atlas, result),
        *clinical_context(result),
        *closing(result, rule=True),
    ]
    return "\n".join(out) + "\n"


def header(result: Localization) -> list[str]:
    case = result.case
    out = [f"# {result.title or 'Localization, step by step'}", ""]
    if case.notes:
        out += [f"*The story.* {case.notes}", ""]
    if case.teaching:
        out += [f"*The teaching point.* {case.teaching}", ""]
    for flag in urgent_flags(result):
        out.extend(urgent_banner(flag))
    return out


def _peripheral(result: Localization) -> list[Finding]:
    return [f for f in result.case.findings if f.status != "umn"]


def findings(atlas: Atlas, result: Localization) -> list[str]:
    """Section 1: each abnormal finding with the places that could produce it, the normal
    findings, and the upper-motor-neuron signs."""
    peripheral = _peripheral(result)
    abnormal = [f for f in peripheral if f.status == "abnormal"]
    normal = [f for f in peripheral if f.status == "normal"]
    sides = ", ".join(sorted({f.side for f in peripheral}))
    out = [
        "## 1. The findings and what each implicates",
        "",
        f"{len(abnormal)} abnormal and {len(normal)} normal finding(s), side(s): "
        f"{sides or '-'}. For each abnormal finding, the places whose lesion could "
        "produce it (`?` = only a minor or uncertain share):",
        "",
    ]
    implicated = result.teaching.implicated if result.teaching else ()
    if implicated:
        other = any(dict(row.places)["other"] for row in implicated)  # a column only if needed
        out.append(
            "| finding | grade | roots | plexus | nerve sites |" + (" other |" if other else "")
        )
        out.append("| --- | --- | --- | --- | --- |" + (" --- |" if other else ""))
        for row in implicated:
            imp = dict(row.places)
            roots = ", ".join((*imp["root"], *imp["cauda-equina"])) or "-"
            line = (
                f"| {finding_label(row.finding)} ({row.side}) | {row.grade} | {roots} | "
                f"{', '.join(imp['plexus']) or '-'} | {', '.join(imp['nerve']) or '-'} |"
            )
            out.append(line + (f" {', '.join(imp['other']) or '-'} |" if other else ""))
    if normal:
        out.append("")
        out.append(
            "Normal findings: "
            + ", ".join(f"{finding_label(f.id)} ({f.side})" for f in normal)
            + ". A normal finding rules out any site that would certainly affect it, and counts "
            "against sites that would probably affect it."
        )
    umn = [f for f in result.case.findings if f.status == "umn"]
    if umn:
        out.append("")
        out.append(
            "Upper-motor-neuron signs ("
            + ", ".join(f"{finding_label(f.id)} {f.grade} ({f.side})" for f in umn)
            + ") point above the roots and are outside this peripheral model; see warnings."
        )
    out.append("")
    return out


def _narrowing_table(result: Localization) -> list[str]:
    """The single-lesion reasoning the engine replayed, finding by finding."""
    narrowed = result.teaching.narrowing if result.teaching else None
    if narrowed is None or not narrowed.steps:
        return ["Nothing is abnormal, so there is nothing to localize."]
    lines = [
        "| step | finding | effect | single sites still possible |",
        "| --- | --- | --- | --- |",
    ]
    for number, step in enumerate(narrowed.steps, start=1):
        lines.append(f"| {number} | {step.finding} | {step.effect} | {step.alive} |")
    survivors = ", ".join(narrowed.survivors) or "none"
    lines.append("")
    lines.append(
        f"Single sites left after every finding: **{survivors}**. "
        + (
            "No single site explains everything, so the engine also considers sets of lesions."
            if not narrowed.survivors
            else "Sets of two or more lesions are considered too, but each extra lesion costs."
        )
    )
    return lines


def narrowing(atlas: Atlas, result: Localization) -> list[str]:
    """Section 2: how the findings narrow the candidate sites."""
    return [
        "## 2. How the findings narrow the candidate sites",
        "",
        *_narrowing_table(result),
        "",
    ]


def ranked_answer(result: Localization) -> list[str]:
    """Section 3: the ranked candidates (ties shown as ``2=``)."""
    out = ["## 3. The ranked answer", ""]
    if not result.candidates:
        out.append(f"No candidates: {no_candidate_reason(result)}.")
        return out
    out.append(
        "Score = cost of each lesion (parsimony + how common the site is) + the fit of every "
        "finding (lower is better)."
    )
    out.append("")
    out.append("| rank | lesion(s) | level | score | normal findings it predicted affected |")
    out.append("| --- | --- | --- | --- | --- |")
    ranks = candidate_ranks(result)
    for c in result.candidates:
        against = (
            ", ".join(f"{finding_label(x.finding)} ({x.strength})" for x in c.conflicts) or "-"
        )
        out.append(
            f"| {ranks[c.rank]} | {syndromes_with_sides(c)} | {levels_text(c)} | {c.score:.2f} "
            f"| {against} |"
        )
    if result.mode == "relaxed":
        out.append("")
        out.append(
            "**Relaxed mode**: no candidate explains every finding; the fewest findings were "
            "set aside (listed as unexplained or as conflicts). Recheck them."
        )
    return out


def discriminators(atlas: Atlas, result: Localization) -> list[str]:
    """Section 4: the findings on which the winner and each of the next three differ, and,
    when a pattern beyond one focal lesion leads, why the best focal answer lost."""
    teaching = result.teaching
    if teaching is None or not (teaching.comparisons or teaching.focal_alternative):
        return []
    out = ["", "## 4. The discriminators that decided it", ""]
    for c in teaching.comparisons:
        out.append(f"- **#1 over #{c.rank} ({c.words})**: " + "; ".join(c.reasons))
    focal = teaching.focal_alternative
    if focal is not None:
        out.append(
            f"- **Why not focal lesions?** The best answer by focal lesions alone is {focal.words} "
            f"(score {focal.score:.2f}): " + "; ".join(focal.reasons)
        )
    return out


def electrodiagnosis(result: Localization) -> list[str]:
    """Section 5: the electrodiagnostic reasoning, each sentence once."""
    if not result.edx:
        return []
    return [
        "",
        "## 5. Electrodiagnostic reasoning",
        "",
        *(f"- {line}" for line in distinct_edx(result.edx)),
    ]


def next_tests(result: Localization) -> list[str]:
    """Sections 6 and 7: what to examine next, and what each result would do to the answer."""
    if not result.next_tests:
        return []
    out = [
        "",
        "## 6. What to examine next",
        "",
        "| test | side | kind | predictions by candidate rank | why |",
        "| --- | --- | --- | --- | --- |",
    ]
    for t in result.next_tests:
        preds = ", ".join(f"#{r}: {p}" for r, p in t.predictions.items())
        out.append(f"| {t.label} | {t.side} | {t.kind} | {preds} | {t.why} |")
    if result.what_if:
        out += ["", "## 7. What would change the answer", ""]
        for w in result.what_if:
            verdict = "confirms the current answer" if w.confirms else f"makes **{w.leader}** lead"
            out.append(f"- {w.label} ({w.side}) **{w.grade}**: {verdict}")
    return out


def leading_site(atlas: Atlas, result: Localization) -> list[str]:
    """Section 8: what kind of lesion the leading site is, how common, and its usual causes."""
    if not result.candidates:
        return []
    out = ["", "## 8. The leading site in context", ""]
    for lesion in result.candidates[0].lesions:
        site = atlas.sites[lesion.id]
        eponyms = f" ({', '.join(site.eponyms)})" if site.eponyms else ""
        out.append(f"- **{site.label}** ({lesion.side}): {site.syndrome}{eponyms}.")
        out.append(f"  Kind of lesion: {atlas.categories[site.category]}.")
        out.append(f"  How common: {site.prior} - {site.prior_reason}")
        if site.causes:
            out.append(f"  Usual causes: {'; '.join(c.label for c in site.causes)}.")
    return out


def clinical_context(result: Localization) -> list[str]:
    """Red flags, pain timing and the likeliest causes of the pain."""
    if not (result.red_flags or result.pain_timing or result.causes):
        return []
    out = ["", "## Clinical context", ""]
    for flag in result.red_flags:
        urgent = " (urgent)" if flag.urgent else ""
        out.append(f"- Red flag{urgent}: {red_flag_text(flag)}")
    if result.pain_timing is not None:
        out.append(f"- Pain timing: {pain_timing_text(result.pain_timing)}")
    out.extend(
        f"- Cause of the pain: {cause_text(cause)}"
        for cause in result.causes[:CLINICAL_CAUSES_SHOWN]
    )
    return out
