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
import zipfile
from pathlib import Path

import pytest
from PIL import Image as PILImage

from briefings.build import build
from briefings.images import SCREEN, print_target, process

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
