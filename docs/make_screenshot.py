"""Make docs/report-screenshot.png: the HTML report of a shipped example, in headless Chromium.

Usage (from the repository root, neuroloc installed, Debian's ``chromium`` on the PATH):

    python docs/make_screenshot.py [examples/CASE.yaml] [--out docs/report-screenshot.png]

The page is written to a temporary file and rendered with no network; nothing else is saved.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import neuroloc
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
    chromium = "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None
    chromium = chromium or shutil.which("chromium")
    if chromium is None:
        print("chromium not found (apt-get install chromium)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(render_html(neuroloc.localize(Path(args.case))), encoding="utf-8")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        command = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            "--hide-scrollbars",
            f"--screenshot={args.out.resolve()}",
            f"--window-size={args.size}",
            page.as_uri(),
        ]
        subprocess.run(command, capture_output=True, timeout=120, check=False)
    if not args.out.is_file():
        print(f"no screenshot written to {args.out}", file=sys.stderr)
        return 1
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
