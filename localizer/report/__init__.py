"""The output formats of a localization, one module each, found by name.

Every renderer only formats what is on a :class:`~neuroloc.result.Localization`; none
reasons or runs the engine. The order is the same in every format: urgent red flags first,
the disclaimer last.

- ``text``: :func:`neuroloc.report.text.render_text`, for the terminal (wrapped to its width)
- ``markdown``: :func:`neuroloc.report.markdown.render_markdown`, a compact report
- ``teaching``: :func:`neuroloc.report.teaching.explain_markdown`, the step-by-step page
- ``html``: :func:`neuroloc.report.html.render_html`, one self-contained page with a diagram
- ``json``: :func:`neuroloc.result.to_json` (the contract's structure), indented
- ``phenopacket``: the case's findings as a GA4GH Phenopacket, the first candidate as an
  interpretation
- ``fhir``: :func:`neuroloc.report.fhir.render_fhir`, a FHIR R4 Bundle (CONTRACT §7)

>>> sorted(FORMATS)
['fhir', 'html', 'json', 'markdown', 'phenopacket', 'teaching', 'text']
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the result types load the clinical tables: only where a result is rendered
    from neuroloc.result import Localization

# format -> (module, function); imported on first use, so listing formats stays cheap.
FORMATS: dict[str, tuple[str, str]] = {
    "text": ("neuroloc.report.text", "render_text"),
    "markdown": ("neuroloc.report.markdown", "render_markdown"),
    "teaching": ("neuroloc.report.teaching", "explain_markdown"),
    "html": ("neuroloc.report.html", "render_html"),
    "json": ("neuroloc.report", "render_json"),
    "phenopacket": ("neuroloc.report", "render_phenopacket"),
    "fhir": ("neuroloc.report.fhir", "render_fhir"),
}
# Formats that write a record about a person: their renderers take ``subject=`` (``--subject``).
SUBJECT_FORMATS = frozenset({"phenopacket", "fhir"})


def renderer(fmt: str) -> Callable[[Localization], str]:
    """The function that renders a result in format ``fmt``."""
    module, name = FORMATS[fmt]
    return getattr(importlib.import_module(module), name)


def render(result: Localization, fmt: str, *, subject: str | None = None) -> str:
    """A result rendered in one of :data:`FORMATS` (``subject``: the person's id, for the
    formats of :data:`SUBJECT_FORMATS`)."""
    if fmt in SUBJECT_FORMATS:
        return renderer(fmt)(result, subject=subject)  # type: ignore[call-arg]
    return renderer(fmt)(result)


def render_json(result: Localization) -> str:
    """The contract's JSON structure, indented (never wrapped)."""
    from neuroloc.result import to_json

    return json.dumps(to_json(result), indent=2, ensure_ascii=False) + "\n"


def render_phenopacket(result: Localization, *, subject: str | None = None) -> str:
    """The case's findings as a GA4GH Phenopacket (JSON), the first candidate as an
    interpretation."""
    from neuroloc.anatomy import NeurolocError
    from neuroloc.phenopacket import write_phenopacket

    if result.atlas is None:
        raise NeurolocError("a Phenopacket is written in the names of the result's atlas: none")
    packet = write_phenopacket(result.atlas, result.case, subject=subject, result=result)
    return json.dumps(packet, indent=2, ensure_ascii=False) + "\n"
