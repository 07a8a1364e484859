"""``neuroloc explain``: a localization as a worked, step-by-step teaching page (Markdown).

Everything on the page is computed from the pathway graph and the result, never from
hand-written rules per syndrome: the narrowing table replays single-lesion reasoning finding
by finding, the discriminators are the findings on which the winner and each runner-up
predict differently, and "what would change the answer" re-runs the localization with the
next tests' possible results.
"""

from __future__ import annotations

from collections.abc import Sequence

from neuroloc.anatomy import Atlas, Strength, load_atlas
from neuroloc.findings import Case, Finding
from neuroloc.labels import finding_label
from neuroloc.render import markdown_cause, markdown_closing, no_candidate_reason
from neuroloc.result import Candidate, Localization
from neuroloc.solve.problem import Lesion, candidate_lesions, reach


def _sides(findings: Sequence[Finding]) -> str:
    sides = sorted({f.side for f in findings})
    return ", ".join(sides)


def _implicated(atlas: Atlas, finding: Finding) -> dict[str, list[str]]:
    """The roots, plexus elements and nerve sites that could explain an abnormal finding."""
    out: dict[str, list[str]] = {"root": [], "plexus": [], "nerve": [], "cauda-equina": []}
    for site, strength in atlas.coverage(finding.target).items():
        if site in atlas.sites and strength >= Strength.POSSIBLE:
            level = atlas.sites[site].level
            name = site.removeprefix("root:").removeprefix("plexus:").removeprefix("nerve:")
            mark = "?" if strength == Strength.POSSIBLE else ""
            out[level].append(name + mark)
    return out


def _candidate_name(candidate: Candidate) -> str:
    return " + ".join(f"{x.syndrome} ({x.side})" for x in candidate.lesions)


def _narrowing(atlas: Atlas, findings: Sequence[Finding]) -> list[str]:
    """Replay single-lesion reasoning: which single sites survive each finding in turn."""
    lines = [
        "| step | finding | effect | single sites still possible |",
        "| --- | --- | --- | --- |",
    ]
    abnormal = [f for f in findings if f.status == "abnormal"]
    normal = [f for f in findings if f.status == "normal"]
    if not abnormal:
        return []
    alive: set[Lesion] | None = None
    step = 0
    for f in abnormal:
        step += 1
        mine = set(candidate_lesions(atlas, f))
        before = alive
        alive = mine if alive is None else alive & mine
        effect = "start: sites that reach it" if before is None else "keep sites that also reach it"
        lines.append(
            f"| {step} | {finding_label(f.id)} {f.grade} ({f.side}) | {effect} | {len(alive)} |"
        )
    for f in normal:
        assert alive is not None
        dropped = {x for x in alive if reach(atlas, x, f) == Strength.CERTAIN}
        penalised = {x for x in alive if Strength.NONE < reach(atlas, x, f) < Strength.CERTAIN}
        if not dropped and not penalised:
            continue
        step += 1
        alive -= dropped
        parts = []
        if dropped:
            parts.append(f"rules out {', '.join(sorted(_short(x) for x in dropped))}")
        if penalised:
            parts.append(f"counts against {', '.join(sorted(_short(x) for x in penalised))}")
        lines.append(
            f"| {step} | {finding_label(f.id)} normal ({f.side}) | {'; '.join(parts)} "
            f"| {len(alive)} |"
        )
    survivors = ", ".join(sorted(_short(x) for x in alive or ())) or "none"
    lines.append("")
    lines.append(
        f"Single sites left after every finding: **{survivors}**. "
        + (
            "No single site explains everything, so the engine also considers sets of lesions."
            if not alive
            else "Sets of two or more lesions are considered too, but each extra lesion costs."
        )
    )
    return lines


def _short(lesion: Lesion) -> str:
    site = lesion.site.removeprefix("nerve:")
    return site if lesion.side == "both" else f"{site} ({lesion.side[0].upper()})"


def _discriminators(atlas: Atlas, result: Localization) -> list[str]:
    case: Case = result.case
    best = result.candidates[0]
    best_lesions = [Lesion(x.id, x.side) for x in best.lesions]
    lines: list[str] = []
    for other in result.candidates[1:4]:
        other_lesions = [Lesion(x.id, x.side) for x in other.lesions]
        reasons = []
        for f in case.findings:
            if f.status == "umn":
                continue
            a = max((reach(atlas, x, f) for x in best_lesions), default=Strength.NONE)
            b = max((reach(atlas, x, f) for x in other_lesions), default=Strength.NONE)
            if a == b:
                continue
            name = f"{finding_label(f.id)} ({f.side})"
            if f.status == "normal" and b > a:
                reasons.append(
                    f"{name} is normal, but #{other.rank} predicts it affected ({b.label})"
                )
            elif f.status == "abnormal" and a > b:
                how = "does not reach it" if b == Strength.NONE else f"reaches it only {b.label}"
                reasons.append(f"{name} is abnormal; #{other.rank} {how}")
        if not reasons and best.score < other.score:
            reasons.append("it needs more lesions or a rarer site (prior and parsimony)")
        lines.append(
            f"- **#1 over #{other.rank} ({_candidate_name(other)})**: " + "; ".join(reasons)
        )
    return lines


def _what_would_change(result: Localization) -> list[str]:
    lines = []
    for w in result.what_if:
        verdict = "confirms the current answer" if w.confirms else f"makes **{w.leader}** lead"
        lines.append(f"- {w.label} ({w.side}) **{w.grade}**: {verdict}")
    return lines


def explain_markdown(result: Localization) -> str:
    atlas = load_atlas()
    case: Case = result.case
    out: list[str] = [f"# {result.title or 'Localization, step by step'}", ""]
    if case.notes:
        out += [f"*The story.* {case.notes}", ""]
    if case.teaching:
        out += [f"*The teaching point.* {case.teaching}", ""]
    for flag in result.red_flags:
        if getattr(flag, "urgent", False):
            out.append(f"> **URGENT - {flag.label}.** {flag.why}")
            out.append("")
    findings = [f for f in case.findings if f.status != "umn"]
    abnormal = [f for f in findings if f.status == "abnormal"]
    normal = [f for f in findings if f.status == "normal"]
    out.append("## 1. The findings and what each implicates")
    out.append("")
    out.append(
        f"{len(abnormal)} abnormal and {len(normal)} normal finding(s), side(s): "
        f"{_sides(findings) or '-'}. For each abnormal finding, the places whose lesion could "
        "produce it (`?` = only a minor or uncertain share):"
    )
    out.append("")
    if abnormal:
        out.append("| finding | grade | roots | plexus | nerve sites |")
        out.append("| --- | --- | --- | --- | --- |")
        for f in abnormal:
            imp = _implicated(atlas, f)
            roots = ", ".join(imp["root"] + imp["cauda-equina"]) or "-"
            out.append(
                f"| {finding_label(f.id)} ({f.side}) | {f.grade} | {roots} | "
                f"{', '.join(imp['plexus']) or '-'} | {', '.join(imp['nerve']) or '-'} |"
            )
    if normal:
        out.append("")
        out.append(
            "Normal findings: "
            + ", ".join(f"{finding_label(f.id)} ({f.side})" for f in normal)
            + ". A normal finding rules out any site that would certainly affect it, and counts "
            "against sites that would probably affect it."
        )
    umn = [f for f in case.findings if f.status == "umn"]
    if umn:
        out.append("")
        out.append(
            "Upper-motor-neuron signs ("
            + ", ".join(f"{finding_label(f.id)} {f.grade}" for f in umn)
            + ") point above the roots and are outside this peripheral model; see warnings."
        )
    out.append("")
    out.append("## 2. How the findings narrow the candidate sites")
    out.append("")
    out.extend(
        _narrowing(atlas, findings) or ["Nothing is abnormal, so there is nothing to localize."]
    )
    out.append("")
    out.append("## 3. The ranked answer")
    out.append("")
    if not result.candidates:
        out.append(f"No candidates: {no_candidate_reason(result)}.")
    else:
        out.append(
            "Score = cost of each lesion (parsimony + how common the site is) + the fit of every "
            "finding (lower is better)."
        )
        out.append("")
        out.append("| rank | lesion(s) | level | score | normal findings it predicted affected |")
        out.append("| --- | --- | --- | --- | --- |")
        for c in result.candidates:
            against = (
                ", ".join(f"{finding_label(x.finding)} ({x.strength})" for x in c.conflicts) or "-"
            )
            levels = ", ".join(sorted({x.level for x in c.lesions}))
            out.append(
                f"| {c.rank} | {_candidate_name(c)} | {levels} | {c.score:.2f} | {against} |"
            )
        if result.mode == "relaxed":
            out.append("")
            out.append(
                "**Relaxed mode**: no candidate explains every finding; the fewest findings were "
                "set aside (listed as unexplained or as conflicts). Recheck them."
            )
    if len(result.candidates) > 1:
        out.append("")
        out.append("## 4. The discriminators that decided it")
        out.append("")
        out.extend(_discriminators(atlas, result))
    edx = [f"- {line}" for line in result.edx]
    if edx:
        out.append("")
        out.append("## 5. Electrodiagnostic reasoning")
        out.append("")
        out.extend(edx)
    if result.next_tests:
        out.append("")
        out.append("## 6. What to examine next")
        out.append("")
        out.append("| test | side | kind | predictions by candidate rank | why |")
        out.append("| --- | --- | --- | --- | --- |")
        for t in result.next_tests:
            preds = ", ".join(f"#{r}: {p}" for r, p in t.predictions.items())
            out.append(f"| {t.label} | {t.side} | {t.kind} | {preds} | {t.why} |")
        changes = _what_would_change(result)
        if changes:
            out.append("")
            out.append("## 7. What would change the answer")
            out.append("")
            out.extend(changes)
    if result.candidates:
        out.append("")
        out.append("## 8. The leading site in context")
        out.append("")
        for lesion in result.candidates[0].lesions:
            site = atlas.sites[lesion.id]
            eponyms = f" ({', '.join(site.eponyms)})" if site.eponyms else ""
            out.append(f"- **{site.label}** ({lesion.side}): {site.syndrome}{eponyms}.")
            out.append(f"  Kind of lesion: {atlas.categories[site.category]}.")
            out.append(f"  How common: {site.prior} - {site.prior_reason}")
            if site.causes:
                out.append(f"  Usual causes: {'; '.join(c.label for c in site.causes)}.")
    if result.red_flags or result.pain_timing or result.causes:
        out.append("")
        out.append("## Clinical context")
        out.append("")
        for flag in result.red_flags:
            urgent = " (urgent)" if getattr(flag, "urgent", False) else ""
            out.append(f"- Red flag{urgent}: **{flag.label}** - {flag.why}")
        if result.pain_timing is not None:
            recurrent = ", recurrent" if result.pain_timing.recurrent else ""
            out.append(f"- Pain timing: {result.pain_timing.klass}{recurrent}")
        out.extend(f"- Cause of the pain: {markdown_cause(cause)}" for cause in result.causes[:3])
    out.extend(markdown_closing(result))
    out.append("---")
    out.append(f"*{result.disclaimer}*")
    return "\n".join(out) + "\n"
