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
    font: str = ""  # PostScript name of the most common font, subset prefix removed


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
        fonts = [c.get("fontname", "").split("+")[-1] for c in row]
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
            font=max(set(fonts), key=fonts.count),
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


def is_black(color: tuple) -> bool:
    """Black in gray, RGB or CMYK; no colour read at all is not black."""
    return color in ((0,), (0, 0, 0), (0, 0, 0, 1))


def is_red(color: tuple) -> bool:
    if len(color) == 3:
        r, g, b = color
        return r > 0.9 and g < 0.2 and b < 0.2
    if len(color) == 4:  # CMYK
        c, m, y, k = color
        return m > 0.7 and y > 0.7 and c < 0.2 and k < 0.2
    return False
