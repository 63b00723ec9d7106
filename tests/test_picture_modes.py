"""Issue 9, defect 10 and the memory item: every picture mode keeps its content; memory is bounded.

A 16-bit greyscale PNG (scanners, some screenshot tools) came out blank
white: converting it clipped every value above 255. Each mode a phone,
scanner or screenshot tool makes is tried here, with a dark square on a
light ground that must stay dark on light in print and on screen.
"""

from __future__ import annotations

import base64
import io
import re
import struct
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image as PILImage

from briefings.build import build
from briefings.images import SCREEN, DecodeBudget, print_target, process

from conftest import copy_samples

SIZE = 64
SQUARE = (16, 16, 48, 48)  # the dark square; its centre is (32, 32), the ground shows at (4, 4)


def _grey(dark: float, light: float, mode: str) -> PILImage.Image:
    picture = PILImage.new(mode, (SIZE, SIZE), light)
    picture.paste(dark, SQUARE)
    return picture


def _i16_png() -> bytes:
    """A real 16-bit greyscale PNG: dark 6000, light 60000 of 65535."""
    return _saved(_grey(6000, 60000, "I").convert("I;16"), "PNG")


def _transparent_palette(fmt: str) -> bytes:
    """Palette picture: transparent ground (its palette colour is black), opaque dark square."""
    picture = PILImage.new("P", (SIZE, SIZE), 0)
    picture.putpalette([0, 0, 0, 30, 30, 30, 240, 240, 240] + [0] * (256 - 3) * 3)
    picture.paste(1, SQUARE)
    return _saved(picture, fmt, transparency=0)


def _saved(picture: PILImage.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    picture.save(out, fmt, **options)
    return out.getvalue()


SOURCES = {
    "I;16 PNG (16-bit greyscale)": (_i16_png, "I;16"),
    "I TIFF (32-bit integer, 16-bit values)": (lambda: _saved(_grey(6000, 60000, "I"), "TIFF"), "I"),
    "I TIFF (32-bit integer, 8-bit values)": (lambda: _saved(_grey(25, 230, "I"), "TIFF"), "I"),
    "F TIFF (float 0-1)": (lambda: _saved(_grey(0.1, 0.9, "F"), "TIFF"), "F"),
    "LA PNG (grey with alpha)": (lambda: _saved(_grey(25, 230, "L").convert("LA"), "PNG"), "LA"),
    "PA TIFF (palette with alpha)": (lambda: _saved(_grey(25, 230, "L").convert("P").convert("PA"), "TIFF"), "PA"),
    "CMYK JPEG (print shop photo)": (lambda: _saved(_grey(25, 230, "L").convert("CMYK"), "JPEG"), "CMYK"),
    "CMYK TIFF (scanner)": (lambda: _saved(_grey(25, 230, "L").convert("CMYK"), "TIFF"), "CMYK"),
    "P PNG with transparency (screenshot)": (lambda: _transparent_palette("PNG"), "P"),
    "P GIF with transparency": (lambda: _transparent_palette("GIF"), "P"),
}


def _on_white(data: bytes) -> PILImage.Image:
    """The picture as Word or a browser shows it: transparent parts over white paper."""
    picture = PILImage.open(io.BytesIO(data)).convert("RGBA")
    paper = PILImage.new("RGBA", picture.size, (255, 255, 255, 255))
    return PILImage.alpha_composite(paper, picture).convert("L")


def assert_dark_square_on_light(data: bytes) -> None:
    picture = _on_white(data)
    centre = picture.getpixel((picture.width // 2, picture.height // 2))
    ground = picture.getpixel((picture.width // 16, picture.height // 16))
    assert centre < 70, f"square is {centre}, not dark"
    assert ground > 185, f"ground is {ground}, not light"


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_picture_mode_keeps_its_content_in_print_and_on_screen_defect_10(name):
    """Defect 10: a 16-bit greyscale PNG came out blank white; so might other modes."""
    make, mode = SOURCES[name]
    source = make()
    assert PILImage.open(io.BytesIO(source)).mode == mode  # the test makes what it says
    for target in (SCREEN, print_target(156, 150)):
        assert_dark_square_on_light(process(source, None, target).data)


def test_16_bit_greyscale_png_is_not_blank_in_the_built_docx_and_page_defect_10(tmp_path):
    root = copy_samples(tmp_path / "ws")
    # The luxian sample item shows this picture; replace it by a 16-bit greyscale scan.
    (root / "images/luxian/tianfubei-final.png").write_bytes(_i16_png())
    written = build(root, tmp_path / "out", ["luxian/2017-09"])
    docx = next(p for p in written if p.suffix == ".docx")
    page = next(p for p in written if p.suffix == ".html")
    with zipfile.ZipFile(docx) as package:
        media = [package.read(n) for n in package.namelist() if n.startswith("word/media/")]
    embedded = [base64.b64decode(d) for d in re.findall(r'src="data:image/\w+;base64,([^"]+)"',
                                                        page.read_text(encoding="utf-8"))]
    assert len(media) == 1 and len(embedded) == 1
    assert_dark_square_on_light(media[0])
    assert_dark_square_on_light(embedded[0])


# The memory item of issue 9: a PNG of a few KB can decode to hundreds of MB, and
# pictures are processed several at a time.

MEMORY_LIMIT_MB = 500
PILLOW_LIMIT_SIDE = 9459  # 9459² = 89,473,681 pixels, just under Pillow's 89,478,485


def _peak_rss_mb(*args: str, cwd: Path) -> int:
    """Peak resident memory of `briefing ARGS`, measured in a process of its own.

    RUSAGE_CHILDREN covers every child a process has waited for, so the build is
    run from a fresh helper process: other tests' children (LibreOffice) do not count.
    """
    helper = ("import resource, subprocess, sys\n"
              "run = subprocess.run([sys.executable, '-m', 'briefings', *sys.argv[1:]], capture_output=True, text=True)\n"
              "assert run.returncode == 0, run.stdout + run.stderr\n"
              "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)\n")
    result = subprocess.run([sys.executable, "-c", helper, *args], cwd=cwd, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.split()[-1])


def test_several_huge_pictures_at_once_stay_under_500_mb_memory_item(tmp_path):
    """Memory item: one 11 KB PNG just under Pillow's limit peaked at 589 MB; several ran at once."""
    root = copy_samples(tmp_path / "ws")
    item = root / "items/luxian/2017-09/03-tianfubei.md"
    lines = []
    for index in range(3):
        # Black and white, 89 MP: 11 KB on disk, 89 MB decoded, 358 MB once in colour.
        PILImage.new("1", (PILLOW_LIMIT_SIDE, PILLOW_LIMIT_SIDE), index % 2).save(
            root / f"images/luxian/huge-{index}.png", "PNG")
        lines.append(f"![大图{index}](../../../images/luxian/huge-{index}.png)")
    item.write_text(item.read_text(encoding="utf-8") + "\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    # Three jobs: the pictures are processed by at least three threads at once.
    peak = _peak_rss_mb("build", "--jobs", "3", "-o", str(tmp_path / "out"), "luxian/2017-09", cwd=root)
    assert peak < MEMORY_LIMIT_MB, f"peak {peak} MB"
    assert len(list((tmp_path / "out/luxian").iterdir())) == 2  # and it did build


def test_decode_budget_never_lets_threads_hold_more_than_it_memory_item():
    """The budget's bookkeeping: costs in flight never exceed it; a cost over it runs alone."""
    budget = DecodeBudget(100)
    in_flight, peaks, lock = [0], [], threading.Lock()

    def job(cost: int) -> None:
        with budget.hold(cost):
            with lock:
                in_flight[0] += min(cost, 100)
                peaks.append(in_flight[0])
            time.sleep(0.01)
            with lock:
                in_flight[0] -= min(cost, 100)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(job, [40, 40, 40, 250, 30, 30, 30, 30, 60, 10] * 3))
    assert max(peaks) <= 100
    assert budget.used == 0


def test_picture_that_would_decode_to_over_256_mb_is_refused_before_decoding_memory_item(tmp_path):
    """A colour PNG of 9000×9000 (309 MB decoded) is refused by `check` from its header alone."""
    from briefings.diagnostics import Report
    from briefings.items import read_item

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    # Header and a few rows only: were it decoded, the file would be found truncated instead.
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 9000, 9000, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\0" * 27001 * 4)) + chunk(b"IEND", b""))
    (tmp_path / "images").mkdir()
    (tmp_path / "images/scan.png").write_bytes(png)
    (tmp_path / "items").mkdir()
    path = tmp_path / "items/scan.md"
    path.write_text("---\ntitle: 扫描件\ncolumn: 要闻\ndate: 2023-07-12\n---\n![扫描](../images/scan.png)\n",
                    encoding="utf-8")
    report = Report()
    read_item(path, tmp_path, ["要闻"], report)
    assert [(d.line, d.message) for d in report.errors] == [
        (6, "图片“../images/scan.png”太大：9000×9000 像素，打开要占 309 MB 内存，超过 256 MB 的上限；"
            "请缩小（如长边不超过 8000 像素）或另存为 JPEG")]
