"""Rendering a localization as one self-contained HTML page with an SVG pathway diagram.

Inline CSS and inline SVG only: no script, no external URL, font or image, so the page can be
saved, mailed or opened offline. The order follows the other formats: title, urgent red flags,
the pathway diagram of the leading candidates, the ranked candidates, the findings, the next
tests, the clinical context, the warnings, and the disclaimer always last. Every text is
escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from neuroloc.anatomy import Atlas, NeurolocError
from neuroloc.clinical import CauseRanking, RedFlag
from neuroloc.report.common import (
    candidate_ranks,
    fit_text,
    lesions_text,
    link_text,
    no_candidate_reason,
    other_flags,
    pain_timing_text,
    percent,
    syndromes_text,
    urgent_flags,
)
from neuroloc.report.pathway import candidate_caption, describe, legend_svg, pathway_svg
from neuroloc.result import Candidate, Link, Localization

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f7f8fa; color: #1f2933;
  font: 15px/1.45 "DejaVu Sans", Verdana, Arial, Helvetica, sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 20px 24px 32px; background: #fff; }
h1 { font-size: 1.55em; margin: 0 0 4px; }
h2 { font-size: 1.15em; margin: 28px 0 8px; border-bottom: 1px solid #d9dee4;
  padding-bottom: 3px; }
.meta { color: #52606d; margin: 0 0 12px; font-size: 0.9em; }
.urgent { border: 2px solid #b71c1c; background: #fdecea; color: #7f0000; padding: 10px 14px;
  border-radius: 6px; margin: 10px 0; }
.urgent strong { text-transform: uppercase; letter-spacing: 0.03em; }
figure { margin: 6px 0 0; }
.panels { display: flex; flex-wrap: wrap; gap: 10px; }
.panel-scroll { max-width: 100%; overflow-x: auto; }
.panel-scroll svg { display: block; max-width: none; }
h3.panel-head { font-size: 1em; margin: 14px 0 6px; }
.scroll { max-width: 100%; overflow-x: auto; }
p, li { overflow-wrap: anywhere; }
td, th { overflow-wrap: break-word; }
figcaption { font-size: 0.85em; color: #52606d; margin-top: 4px; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #d9dee4; padding: 5px 7px; text-align: left; vertical-align: top; }
th { background: #eef1f4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.lead td { background: #fff8e6; }
td.abnormal { color: #a61b1b; font-weight: bold; }
td.normal { color: #1e6b34; }
td.umn { color: #6b3fa0; font-weight: bold; }
td.against { color: #a61b1b; }
ul.plain { margin: 4px 0; padding-left: 20px; }
.warning { background: #fff4e5; border-left: 4px solid #d9480f; padding: 6px 10px;
  margin: 6px 0; }
footer { margin-top: 28px; padding-top: 10px; border-top: 1px solid #d9dee4; color: #52606d;
  font-style: italic; }
@media (max-width: 600px) { main { padding: 12px 10px 24px; } body { font-size: 14px; }
  table { display: block; overflow-x: auto; } }
@media print { body { background: #fff; } main { padding: 0; } }
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _links(links: Sequence[Link], with_site: bool) -> str:
    if not links:
        return "-"
    return "; ".join(_e(link_text(link, with_site)) for link in links)


def _against(candidate: Candidate) -> str:
    parts = [_e(link_text(x, len(candidate.lesions) > 1)) for x in candidate.conflicts]
    parts += [_e(f"{u.label} ({u.side}) unexplained") for u in candidate.unexplained]
    return "; ".join(parts) if parts else "-"


def _section(title: str, body: Iterable[str], ident: str) -> list[str]:
    return [f'<section id="{_e(ident)}">', f"<h2>{_e(title)}</h2>", *body, "</section>"]


def urgent_banner(flag: RedFlag) -> str:
    return (
        f'<div class="urgent" role="alert"><strong>Urgent - {_e(flag.label)}.</strong> '
        f"{_e(flag.why)}</div>"
    )


def red_flag_item(flag: RedFlag) -> str:
    return f"<li><strong>{_e(flag.label)}</strong>: {_e(flag.why)}</li>"


def cause_row(cause: CauseRanking) -> str:
    pros = "; ".join(cause.for_) or "-"
    cons = "; ".join(cause.against) or "-"
    return f"<tr><td>{_e(cause.label)}</td><td>{_e(pros)}</td><td>{_e(cons)}</td></tr>"


def disclaimer(result: Localization) -> str:
    return f'<footer><p class="disclaimer">{_e(result.disclaimer)}</p></footer>'


def header(result: Localization) -> list[str]:
    """The title, a one-line summary and the urgent red flags."""
    title = result.title or "Localization"
    abnormal = sum(f.status == "abnormal" for f in result.findings)
    normal = sum(f.status == "normal" for f in result.findings)
    out = [
        f"<header><h1>{_e(title)}</h1>",
        f'<p class="meta">neuroloc localization · {abnormal} abnormal and {normal} normal '
        f"findings · {_e(result.mode)} mode · solver {_e(result.solver)}</p></header>",
    ]
    out.extend(urgent_banner(flag) for flag in urgent_flags(result))
    return out


PATHWAY_CANDIDATES = 2  # the leader and the runner-up are drawn


def pathway(atlas: Atlas, result: Localization) -> list[str]:
    """The pathway panels of the leading candidates (one per limb and side, each headed by the
    candidate and its probability), the key, and the caption."""
    out = ["<figure>"]
    shown = result.candidates[:PATHWAY_CANDIDATES] or (None,)
    for candidate in shown:
        rank = candidate.rank if candidate else 0
        heading = candidate_caption(candidate)
        out.append(f'<div class="candidate-panels" data-rank="{rank}">')
        out.append(f'<h3 class="panel-head">{_e(heading)}</h3><div class="panels">')
        svgs = pathway_svg(atlas, result, rank) if candidate else pathway_svg(atlas, result, 0)
        out.extend(f'<div class="panel-scroll">{svg}</div>' for svg in svgs)
        if not svgs:
            out.append('<p class="meta">No finding on a pathway to draw.</p>')
        out.append("</div></div>")
    out.append(f'<div class="panel-scroll">{legend_svg()}</div>')
    caption = [
        "Roots to examined muscles, reflexes, skin zones and nerve studies, left to right, one "
        "panel per limb and side; the cervical roots leave the cervical cord, the lumbosacral "
        "roots the conus and cauda equina. Boxes are filled by what was observed and outlined "
        "by what the candidate predicts; the candidate's lesions are marked in red with the "
        "routes below them. The percentage is the candidate's probability."
    ]
    caption.extend(describe(atlas, result))
    out.append(f"<figcaption>{_e(' '.join(caption))}</figcaption></figure>")
    return out


def candidates(result: Localization) -> list[str]:
    if not result.candidates:
        return [f"<p>No candidates: {_e(no_candidate_reason(result))}.</p>"]
    rows = [
        "<table><thead><tr><th>rank</th><th>probability</th><th>lesion(s)</th><th>syndrome</th>"
        "<th>score</th><th>explains</th><th>against</th></tr></thead><tbody>"
    ]
    ranks = candidate_ranks(result)
    for c in result.candidates:
        klass = ' class="lead"' if c.rank == 1 else ""
        rows.append(
            f'<tr{klass}><td class="num">{_e(ranks[c.rank])}</td>'
            f'<td class="num">{_e(percent(c.probability))}</td><td>{_e(lesions_text(c))}</td>'
            f'<td>{_e(syndromes_text(c))}</td><td class="num">{c.score:.2f}</td>'
            f"<td>{_links(c.explains, len(c.lesions) > 1)}</td>"
            f'<td class="against">{_against(c)}</td></tr>'
        )
    rows.append("</tbody></table>")
    rows.append(
        f'<p class="meta">{_e(result.mode)} mode; probability is the posterior under the '
        "model (README, Ranking); lower score is better (-ln of prior times likelihood).</p>"
    )
    if fit := fit_text(result):
        rows.append(f'<p class="fit">{_e(fit)}</p>')
    return rows


def findings(result: Localization) -> list[str]:
    """The findings with their HPO terms, then the UBERON terms of the leading candidate's
    lesions and the versions the result was made with (CONTRACT §3)."""
    from neuroloc.ontology import finding_hpo, lesion_uberon
    from neuroloc.versions import versions

    rows = [
        "<table><thead><tr><th>finding</th><th>side</th><th>grade</th><th>status</th>"
        "<th>HPO</th></tr></thead><tbody>"
    ]
    for f in result.findings:
        hpo = finding_hpo(f.id, f.status, f.grade)
        term = "-"
        if hpo is not None:
            how = "not " if hpo.get("excluded") else ("" if hpo["specific"] else "within ")
            term = f"{how}{hpo['label']} ({hpo['id']})"
        rows.append(
            f"<tr><td>{_e(f.label)}</td><td>{_e(f.side)}</td><td>{_e(f.grade)}</td>"
            f'<td class="{_e(f.status)}">{_e(f.status)}</td><td>{_e(term)}</td></tr>'
        )
    rows.append("</tbody></table>")
    if result.best is not None:
        terms = [
            f"{lesion.label}: {uberon['label']} ({uberon['id']})"
            for lesion in result.best.lesions
            if (uberon := lesion_uberon(lesion.public_id or lesion.id))
        ]
        if terms:
            rows.append(f'<p class="meta">UBERON: {_e("; ".join(terms))}.</p>')
    v = versions()
    rows.append(
        f'<p class="meta">neuroloc {_e(v["neuroloc"])}, knowledge base '
        f"{_e(v['knowledge_base'])}, HPO {_e(v['hpo'])}.</p>"
    )
    return rows


def next_tests(result: Localization) -> list[str]:
    rows = [
        "<p>Best discriminator first: the examination that would best separate the candidates."
        "</p><table><thead><tr><th>#</th><th>test</th><th>side</th><th>kind</th>"
        "<th>predicted by candidate rank</th><th>why</th></tr></thead><tbody>"
    ]
    for i, t in enumerate(result.next_tests, start=1):
        predictions = ", ".join(f"#{rank}: {word}" for rank, word in t.predictions.items())
        rows.append(
            f'<tr><td class="num">{i}</td><td>{_e(t.label)}</td><td>{_e(t.side)}</td>'
            f"<td>{_e(t.kind)}</td><td>{_e(predictions)}</td><td>{_e(t.why)}</td></tr>"
        )
    rows.append("</tbody></table>")
    return rows


def red_flags(result: Localization) -> list[str]:
    others = other_flags(result)
    if not others:
        return []
    return ['<h3>Red flags</h3><ul class="plain">', *map(red_flag_item, others), "</ul>"]


def pain_timing(result: Localization) -> list[str]:
    if result.pain_timing is None:
        return []
    return [f"<p><strong>Pain timing:</strong> {_e(pain_timing_text(result.pain_timing))}</p>"]


def causes(result: Localization) -> list[str]:
    out: list[str] = []
    if result.causes:
        out.append("<h3>Causes of the back/leg pain (best first)</h3><table><thead><tr>")
        out.append("<th>cause</th><th>for</th><th>against</th></tr></thead><tbody>")
        out.extend(cause_row(cause) for cause in result.causes)
        out.append("</tbody></table>")
    best = result.best
    if best is not None:
        for lesion in best.lesions:
            if lesion.causes:
                out.append(f"<p><strong>Usual causes of {_e(lesion.syndrome)}:</strong> ")
                out.append(_e("; ".join(lesion.causes)) + "</p>")
    return out


def clinical_context(result: Localization) -> list[str]:
    return [*red_flags(result), *pain_timing(result), *causes(result)]


def warnings(result: Localization) -> list[str]:
    return [f'<p class="warning">{_e(w)}</p>' for w in result.warnings]


def render_html(
    result: Localization, *, atlas: Atlas | None = None, extra: Sequence[str] = ()
) -> str:
    """One self-contained HTML page for a localization; ``extra`` (HTML, e.g. the teaching
    page of ``neuroloc explain``) goes after the clinical context, before the warnings.

    The pathway diagram is drawn from ``atlas``, by default the one the result was computed
    with (``result.atlas``)."""
    atlas = atlas if atlas is not None else result.atlas
    if atlas is None:
        raise NeurolocError("the HTML report draws the pathway from the result's atlas: none given")
    title = result.title or "Localization"
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>neuroloc: {_e(title)}</title>",
        f"<style>{CSS}</style></head><body><main>",
        *header(result),
    ]
    out += _section("Pathway", pathway(atlas, result), "pathway")
    out += _section("Candidates (best first)", candidates(result), "candidates")
    out += _section("Findings", findings(result), "findings")
    if result.next_tests:
        out += _section("Next tests", next_tests(result), "next-tests")
    clinical = clinical_context(result)
    if clinical:
        out += _section("Clinical context", clinical, "clinical")
    out.extend(extra)
    if result.warnings:
        out += _section("Warnings", warnings(result), "warnings")
    out.append(disclaimer(result))
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"
