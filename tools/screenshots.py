"""Take the README's pictures with the browser the tests use: `python tools/screenshots.py`.

Builds the sample workspace's site into a temporary folder, then saves
docs/issue-phone.png (an issue at 360 px) and docs/archive.png (the archive
index with a search), reduced to a small palette so they stay small.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import DESKTOP_WIDTH, PHONE_WIDTH, launch  # noqa: E402

from briefings.build import build  # noqa: E402

DOCS = ROOT / "docs"
ISSUE = "suining/遂宁返乡创业简报2023年第7期.html"
COLOURS = 64  # enough for text and the red masthead, keeps each PNG well under 150 KB


def shoot(page, url: str, path: Path, height: int, search: str = "") -> None:
    page.goto(url)
    if search:
        page.get_by_label("搜索").fill(search)
    page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": page.viewport_size["width"], "height": height})
    with Image.open(path) as image:
        image.convert("RGB").quantize(COLOURS, dither=Image.Dither.NONE).save(path, optimize=True)
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as temp, sync_playwright() as playwright:
        build(ROOT / "content", Path(temp), site=True)
        site = Path(temp) / "site"
        browser = launch(playwright)
        phone = browser.new_page(viewport={"width": PHONE_WIDTH, "height": 760}, device_scale_factor=2)
        shoot(phone, (site / ISSUE).as_uri(), DOCS / "issue-phone.png", 760)
        desktop = browser.new_page(viewport={"width": DESKTOP_WIDTH, "height": 760})
        shoot(desktop, (site / "index.html").as_uri(), DOCS / "archive.png", 820, search="蒋喻新")
        browser.close()


if __name__ == "__main__":
    main()
