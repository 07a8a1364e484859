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


# ------------------------------------------------------------ a readable page at two widths
PROBE = """<script>
(function () {
  var svgs = Array.prototype.slice.call(document.querySelectorAll("svg"));
  var sizes = [];
  svgs.forEach(function (svg) {
    var scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    svg.querySelectorAll("text").forEach(function (t) {
      sizes.push(parseFloat(getComputedStyle(t).fontSize) * scale);
    });
  });
  var body = Array.prototype.slice.call(document.querySelectorAll("p, li, td, th, h1, h2, h3"));
  var text = body.map(function (e) { return parseFloat(getComputedStyle(e).fontSize); });
  document.documentElement.setAttribute("data-probe", JSON.stringify({
    page: document.documentElement.scrollWidth,
    view: window.innerWidth,
    svg: Math.min.apply(null, sizes),
    text: Math.min.apply(null, text),
    panels: svgs.length
  }));
})();
</script>"""
WIDTHS = (390, 1280)
READABLE_CASES = ("arm-bilateral-carpal-tunnel", "l5-radiculopathy")


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory):
    """Where the screenshots are kept (the test run's temporary directory)."""
    return tmp_path_factory.mktemp("screenshots")


def probe(page: Path, width: int, profile: Path) -> dict:
    import json
    import subprocess

    from neuroloc.report.browser import FLAGS

    probed = page.with_suffix(".probe.html")
    probed.write_text(
        page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8"
    )
    done = subprocess.run(
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={width},900",
            "--dump-dom",
            probed.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    match = re.search(r'data-probe="([^"]*)"', done.stdout)
    assert match, done.stderr[-2000:]
    import html

    return json.loads(html.unescape(match.group(1)))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", READABLE_CASES)
def test_explain_page_reads_at_phone_and_desktop_width(tmp_path, artefacts, name, width):
    from neuroloc import explain
    from neuroloc.report.teaching import explain_html

    page = tmp_path / f"{name}.html"
    page.write_text(explain_html(explain(EXAMPLES / f"{name}.yaml")), encoding="utf-8")
    png = artefacts / f"{name}-{width}.png"
    stderr = screenshot(page, png, tmp_path / "profile", size=f"{width},2400")
    assert png.is_file() and len(png.read_bytes()) > 20_000, stderr[-2000:]
    assert page_errors(stderr) == [], stderr[-2000:]
    seen = probe(page, width, tmp_path / "profile-probe")
    assert seen["page"] <= seen["view"], seen  # nothing sticks out: the page reflows
    assert seen["svg"] >= 11 - 0.01, seen  # diagram text drawn at 11 px or more
    assert seen["text"] >= 11, seen
    assert seen["panels"] >= 3, seen
