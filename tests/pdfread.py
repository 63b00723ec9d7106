"""Read text lines, sizes, colours and rules from a PDF (for layout tests)."""

from __future__ import annotations

from dataclasses import dataclass

import pdfplumber

MM = 72 / 25.4  # points per millimetre


@dataclass
class Line:
    text: str
    top: float  # mm from the top of the page
    bottom: float
    x0: float
    x1: float
    size: float  # font size in points (most common)
    color: tuple
    ems: float  # width of the text in ems of its font size


@dataclass
class Rule:
    x0: float
    x1: float
    y: float
    width: float  # stroke width, pt
    color: tuple

    @property
    def length(self) -> float:
        return self.x1 - self.x0


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]
    rules: list[Rule]

    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def read_pdf(path) -> list[Page]:
    pages = []
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            pages.append(Page(index + 1, page.width / MM, page.height / MM,
                              _lines(page.chars), _rules(page)))
    return pages


def _lines(chars) -> list[Line]:
    """Group characters whose vertical centres are close into lines."""
    rows: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"])):
        centre = (char["top"] + char["bottom"]) / 2
        if rows:
            last = rows[-1]
            last_centre = sum((c["top"] + c["bottom"]) / 2 for c in last) / len(last)
            if abs(centre - last_centre) < 3:
                last.append(char)
                continue
        rows.append([char])
    lines = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        sizes = [round(c["size"], 1) for c in row]
        size = max(set(sizes), key=sizes.count)
        colors = [tuple(c.get("non_stroking_color") or ()) for c in row]
        ems = sum((c["x1"] - c["x0"]) / c["size"] for c in row if c["text"].strip())
        lines.append(Line(
            text="".join(c["text"] for c in row),
            top=min(c["top"] for c in row) / MM,
            bottom=max(c["bottom"] for c in row) / MM,
            x0=row[0]["x0"] / MM,
            x1=row[-1]["x1"] / MM,
            size=size,
            color=max(set(colors), key=colors.count),
            ems=ems,
        ))
    return lines


def _rules(page) -> list[Rule]:
    rules = []
    for shape in list(page.lines) + list(page.rects):
        height = abs(shape["bottom"] - shape["top"])
        if height > 4:  # a box, not a rule
            continue
        width = shape.get("linewidth") or height
        color = tuple(shape.get("stroking_color") or shape.get("non_stroking_color") or ())
        rules.append(Rule(shape["x0"] / MM, shape["x1"] / MM, (shape["top"] + shape["bottom"]) / 2 / MM,
                          width, color))
    return rules


def is_red(color: tuple) -> bool:
    if len(color) == 3:
        r, g, b = color
        return r > 0.9 and g < 0.2 and b < 0.2
    if len(color) == 4:  # CMYK
        c, m, y, k = color
        return m > 0.7 and y > 0.7 and c < 0.2 and k < 0.2
    return False


# Which face of a CJK family LibreOffice used ---------------------------------
#
# The Noto CJK collections share one CFF table among their SC, TC, HK, JP and KR
# faces, so every PDF names the font "NotoSerifCJKjp-…" whichever face was used.
# What differs is each face's cmap: 说, 骨, 直 … map to different glyphs. LibreOffice
# keeps the glyphs' CIDs as names ("cid12345") in the embedded font, so comparing
# them with each face's cmap tells which face set the text.

REGIONS = ("SC", "TC", "HK", "JP", "KR")


def _glyph_key(name: str) -> str:
    """cid001 (LibreOffice) and cid00001 (fontTools) are the same glyph."""
    return f"cid{int(name[3:])}" if name.startswith("cid") and name[3:].isdigit() else name


@dataclass
class EmbeddedFont:
    name: str  # PostScript name without the subset prefix
    glyphs: dict[str, str]  # character -> glyph name


def embedded_fonts(path) -> dict[str, EmbeddedFont]:
    """Fonts embedded in the PDF, by the name pdfplumber gives chars (with subset prefix)."""
    import re
    from io import BytesIO

    from pdfminer.cmapdb import CMapParser, FileUnicodeMap
    from pdfminer.pdftypes import resolve1

    fonts = {}
    with pdfplumber.open(path) as pdf:
        for xref in pdf.doc.xrefs:
            for objid in xref.get_objids():
                try:
                    obj = resolve1(pdf.doc.getobj(objid))
                except Exception:  # free or broken objects: not fonts
                    continue
                if not isinstance(obj, dict) or getattr(obj.get("Type"), "name", "") != "Font":
                    continue
                descriptor = resolve1(obj.get("FontDescriptor")) or {}
                program = descriptor.get("FontFile")
                if program is None or "ToUnicode" not in obj:
                    continue
                text = resolve1(program).get_data().decode("latin-1")
                encoding = {int(code): glyph for code, glyph in re.findall(r"dup (\d+) /(\S+) put", text)}
                unicode_map = FileUnicodeMap()
                CMapParser(unicode_map, BytesIO(resolve1(obj["ToUnicode"]).get_data())).run()
                glyphs = {}
                for code, glyph in encoding.items():
                    char = unicode_map.cid2unichr.get(code)
                    if char and len(char) == 1:
                        glyphs[char] = _glyph_key(glyph)
                base = obj["BaseFont"].name
                fonts[base] = EmbeddedFont(base.split("+", 1)[-1], glyphs)
    return fonts


def _noto_faces(kind: str) -> dict[str, dict[int, str]]:
    """cmap of each regional face of the installed Noto {Sans,Serif} CJK collection."""
    import subprocess

    from fontTools.ttLib import TTCollection

    family = f"Noto {kind} CJK SC"
    path = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True).stdout
    faces = {}
    for font in TTCollection(path).fonts:
        name = font["name"].getDebugName(1) or ""
        for region in REGIONS:
            if name == f"Noto {kind} CJK {region}":
                faces[region] = {code: _glyph_key(glyph) for code, glyph in font.getBestCmap().items()}
    return faces


def noto_votes(font: EmbeddedFont) -> dict[str, int] | None:
    """For a Noto CJK font: how many characters whose SC glyph differs from another
    face's ("telling") use each face's glyph; None for a font that is not Noto CJK."""
    kind = "Serif" if "NotoSerifCJK" in font.name else "Sans" if "NotoSansCJK" in font.name else None
    if kind is None:
        return None
    faces = _noto_faces(kind)
    sc = faces["SC"]
    telling = [c for c in font.glyphs if any(faces[r].get(ord(c)) != sc.get(ord(c)) for r in faces)]
    votes = {"telling": len(telling)}
    for region, cmap in faces.items():
        votes[region] = sum(font.glyphs[c] == cmap.get(ord(c)) and (region == "SC" or cmap.get(ord(c)) != sc.get(ord(c)))
                            for c in telling)
    return votes
