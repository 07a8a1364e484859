"""Rendering a page in headless Chromium (Debian's ``chromium``), for the screenshot in the
README (docs/make_screenshot.py) and the browser tests. No network: the flags turn off every
background connection Chromium would try on a closed machine."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def find_chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def screenshot(
    chromium: str, page: Path, png: Path, profile: Path, *, size: str = "1280,1600"
) -> str:
    """Render ``page`` to ``png``; return Chromium's log (stderr), console messages included."""
    command = [
        chromium,
        *FLAGS,
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        f"--screenshot={png.resolve()}",
        f"--window-size={size}",
        page.resolve().as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    return done.stderr
