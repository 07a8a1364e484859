"""``neuroloc explain``: a localization as a worked, step-by-step teaching page, in every format.

The content is computed once by the engine's explain (:func:`neuroloc.teaching.page`, on the
result as ``result.page``; a result of ``localize`` has none): the narrowing
table replays single-lesion reasoning finding by finding, the discriminators are the findings
on which the winner and each runner-up predict differently, with the margin between them, and
"what would change the answer" lists the engine's re-runs with the next tests' possible
results. The functions here only lay that page out:

- :func:`explain_text`: the text report (:mod:`neuroloc.report.text`), then the page;
- :func:`explain_markdown`: one Markdown page;
- :func:`explain_html`: the HTML report with its pathway diagram, then the page;
- :func:`explain_json`: the JSON result plus a ``teaching`` object (the page's sections).
"""

from __future__ import annotations

import json
from html import escape

from neuroloc.anatomy import NeurolocError
from neuroloc.report.common import markdown_safe, urgent_flags
from neuroloc.report.markdown import closing, urgent_banner
from neuroloc.result import Localization
from neuroloc.teaching import Page, Section


def teaching_page(result: Localization) -> Page:
    """The page the engine's explain put on the result (a ``localize`` result has none)."""
    if result.page is None:
        raise NeurolocError(
            "the teaching page is built by explain(), not localize(): "
            "use neuroloc.explain(case) or Localizer.explain(case)"
        )
    return result.page


# ------------------------------------------------------------------ Markdown
def _md_cell(text: str) -> str:
    return markdown_safe(text).replace("|", "\\|")


def _md_section(section: Section) -> list[str]:
    out = [f"## {section.number}. {markdown_safe(section.title)}", ""]
    for paragraph in section.paragraphs:
        out += [markdown_safe(paragraph), ""]
    if section.table is not None:
        out.append("| " + " | ".join(map(_md_cell, section.table.columns)) + " |")
        out.append("|" + " --- |" * len(section.table.columns))
        out.extend("| " + " | ".join(map(_md_cell, row)) + " |" for row in section.table.rows)
        out.append("")
    if section.items:
        out.extend(f"- {markdown_safe(item)}" for item in section.items)
        out.append("")
    for note in section.notes:
        out += [markdown_safe(note), ""]
    return out


def explain_markdown(result: Localization) -> str:
    """The teaching page in Markdown: the story, then each step from the findings to the
    answer, the warnings and the disclaimer."""
    taught = teaching_page(result)
    out = [f"# {markdown_safe(taught.title)}", ""]
    if taught.story:
        out += [f"*The story.* {markdown_safe(taught.story)}", ""]
    if taught.point:
        out += [f"*The teaching point.* {markdown_safe(taught.point)}", ""]
    for flag in urgent_flags(result):
        out.extend(urgent_banner(flag))
    for section in taught.sections:
        out.extend(_md_section(section))
    while out and not out[-1]:
        out.pop()
    out.extend(closing(result, rule=True))
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ text
def _text_section(section: Section) -> list[str]:
    out = ["", f"{section.number}. {section.title}"]
    out.extend(f"  {paragraph}" for paragraph in section.paragraphs)
    if section.table is not None:
        columns = section.table.columns
        for row in section.table.rows:
            out.append("  - " + "; ".join(f"{c}: {v}" for c, v in zip(columns, row, strict=True)))
    out.extend(f"  - {item}" for item in section.items)
    out.extend(f"  {note}" for note in section.notes)
    return out


def teaching_text(result: Localization, *, width: int | None = None) -> str:
    """The teaching page as plain text, folded to ``width`` columns."""
    from neuroloc.report.wrapping import wrap_lines

    taught = teaching_page(result)
    lines = ["", f"teaching page: {taught.title}"]
    if taught.story:
        lines.append(f"  the story: {taught.story}")
    if taught.point:
        lines.append(f"  the teaching point: {taught.point}")
    for section in taught.sections:
        lines.extend(_text_section(section))
    return "\n".join(wrap_lines(lines, width, hang="      ")) + "\n"


def explain_text(result: Localization, *, width: int | None = None) -> str:
    """The text report (answer first), then the teaching page."""
    from neuroloc.report.text import render_text

    return render_text(result, width=width) + teaching_text(result, width=width)


# ------------------------------------------------------------------ HTML
def _h(value: object) -> str:
    return escape(str(value), quote=True)


def teaching_html(result: Localization) -> list[str]:
    """The teaching page as HTML sections (inserted into the report page)."""
    taught = teaching_page(result)
    out = ['<section id="teaching"><h2>Step by step</h2>']
    if taught.story:
        out.append(f'<p class="story"><em>The story.</em> {_h(taught.story)}</p>')
    if taught.point:
        out.append(f'<p class="point"><em>The teaching point.</em> {_h(taught.point)}</p>')
    for section in taught.sections:
        out.append(f'<section class="step"><h3>{section.number}. {_h(section.title)}</h3>')
        out.extend(f"<p>{_h(p)}</p>" for p in section.paragraphs)
        if section.table is not None:
            head = "".join(f"<th>{_h(c)}</th>" for c in section.table.columns)
            out.append(f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>')
            for row in section.table.rows:
                out.append("<tr>" + "".join(f"<td>{_h(v)}</td>" for v in row) + "</tr>")
            out.append("</tbody></table></div>")
        if section.items:
            out.append("<ul>" + "".join(f"<li>{_h(i)}</li>" for i in section.items) + "</ul>")
        out.extend(f'<p class="note">{_h(n)}</p>' for n in section.notes)
        out.append("</section>")
    out.append("</section>")
    return out


def explain_html(result: Localization) -> str:
    """The HTML report (pathway diagram, candidates, findings...) with the teaching page
    placed before the warnings and the disclaimer."""
    from neuroloc.report.html import render_html

    return render_html(result, extra=teaching_html(result))


# ------------------------------------------------------------------ JSON
def explain_json(result: Localization) -> str:
    """The contract's JSON result plus a ``teaching`` object: the page's sections."""
    from neuroloc.result import to_json

    data = to_json(result)
    data["teaching"] = teaching_page(result).to_json()
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


EXPLAIN_FORMATS = {
    "text": explain_text,
    "markdown": explain_markdown,
    "html": explain_html,
    "json": explain_json,
}
