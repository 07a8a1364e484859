"""Make docs/report-screenshot.png: the HTML report of a shipped example, in headless Chromium.

Usage (from the repository root, neuroloc installed, Debian's ``chromium`` on the PATH):

    python docs/make_screenshot.py [examples/CASE.yaml] [--out docs/report-screenshot.png]

The page is written to a temporary file and rendered with no network; nothing else is saved.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import neuroloc
from neuroloc.report.browser import find_chromium, screenshot
from neuroloc.report.html import render_html

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "case", nargs="?", default=ROOT / "examples" / "fibular-head-foot-drop.yaml"
    )
    parser.add_argument("--out", default=HERE / "report-screenshot.png", type=Path)
    parser.add_argument("--size", default="1280,1600", help="window WIDTH,HEIGHT in pixels")
    args = parser.parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        print("chromium not found (apt-get install chromium)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(render_html(neuroloc.localize(Path(args.case))), encoding="utf-8")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        screenshot(chromium, page, args.out, Path(tmp) / "profile", size=args.size)
    if not args.out.is_file():
        print(f"no screenshot written to {args.out}", file=sys.stderr)
        return 1
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
