"""Launch Debian's Chromium through Playwright (its own browser download cannot work here).

Shared by the browser tests and tools/screenshots.py, so the README pictures
come from the same browser the tests use.
"""

from __future__ import annotations

import shutil

LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE_WIDTH = 360
DESKTOP_WIDTH = 1280


def launch(playwright, executable: str | None = None):
    return playwright.chromium.launch(executable_path=executable or shutil.which("chromium"),
                                      args=LAUNCH_ARGS)
