"""The HTML report rendered by a real browser: headless Chromium (Debian's ``chromium``).

Each page is written to a file, opened with ``--screenshot`` and no network, and must produce
a non-trivial PNG with no console error from the page. Skipped when Chromium is absent
(``.ci/run`` installs it in CI).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import neuroloc
from neuroloc.report.browser import find_chromium
from neuroloc.report.browser import screenshot as render_png
from neuroloc.report.html import render_html

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CASES = ["fibular-head-foot-drop", "l5-radiculopathy", "cauda-equina-syndrome"]


CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium not installed (apt-get install chromium; .ci/run does it in CI)",
)


def screenshot(page: Path, png: Path, profile: Path, *, size: str = "1280,1600") -> str:
    """Render ``page`` to ``png`` with headless Chromium; return Chromium's stderr."""
    assert CHROMIUM is not None
    return render_png(CHROMIUM, page, png, profile, size=size)


def page_errors(stderr: str) -> list[str]:
    """Console messages from the page: Chromium logs every one (console.error and uncaught
    exceptions alike) as an ``INFO:CONSOLE`` line naming its source; the report has no script,
    so any such line is a fault."""
    return [
        line
        for line in stderr.splitlines()
        if "Uncaught" in line or re.search(r":CONSOLE[:(\]]", line)
    ]


@pytest.mark.parametrize("name", CASES)
def test_page_renders_in_headless_chromium(tmp_path, name):
    result = neuroloc.localize(EXAMPLES / f"{name}.yaml")
    page = tmp_path / f"{name}.html"
    page.write_text(render_html(result), encoding="utf-8")
    png = tmp_path / f"{name}.png"
    stderr = screenshot(page, png, tmp_path / "profile")
    assert png.is_file(), f"no screenshot; Chromium said:\n{stderr[-2000:]}"
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 30_000, "the screenshot is nearly empty"
    assert page_errors(stderr) == [], stderr[-2000:]


def test_console_errors_are_detected(tmp_path):
    """The check above is not vacuous: a page that throws is caught."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><p>x</p><script>console.error("bad"); throw new Error("boom")</script>',
        encoding="utf-8",
    )
    stderr = screenshot(page, tmp_path / "broken.png", tmp_path / "profile", size="400,300")
    assert any("Uncaught" in line for line in page_errors(stderr)), stderr[-2000:]
