"""A sanitised <table> as a grid both writers lay out the same way.

Places each cell on the grid (rowspan/colspan), tells header rows from body
rows, decides each cell's alignment (header and numbers centred, text left)
and the table's column widths and orientation (tablewidths).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .tablewidths import CellText, column_widths

# Table attributes the item reader sets (never written by hand: the sanitiser drops data-*).
LANDSCAPE_ATTR = "data-orient"  # "landscape" when the clerk asked for 横排
TITLE_ATTR = "data-title"  # a file table's title (from ![表1 …](x.csv))

# A paragraph that names the table right after it: 表1 …, 附表2 …
TITLE_PARAGRAPH = re.compile(r"^(附)?表\s*[\d一二三四五六七八九十]+")
_NUMBER = re.compile(r"^[+\-−]?[\d０-９][\d０-９,，.．:：/%％\-—–~～年月日号时分]*$")
MAX_COLUMNS = 63  # Word's limit; cells beyond it are dropped (hostile or broken input)
_SPAN_LIMIT = 1000  # a larger rowspan is an error in the input, not a table


@dataclass
class GridCell:
    element: object  # the <td>/<th> element
    row: int
    column: int
    rowspan: int
    colspan: int
    header: bool
    paragraphs: tuple[str, ...]
    align: str  # left | center | right


@dataclass
class Grid:
    rows: list[list[GridCell]]  # the cells that start in each row, left to right
    columns: int
    header_rows: int
    landscape: bool = False  # asked for by the clerk
    title: str = ""

    def cells(self) -> list[GridCell]:
        return [cell for row in self.rows for cell in row]


def is_number(text: str) -> bool:
    """A number, date, percentage or range: printed centred and never broken."""
    return bool(_NUMBER.match(text.replace(" ", "")))


def cell_paragraphs(element) -> tuple[str, ...]:
    """The text of a cell's paragraphs (<p> children, or lines split by <br>)."""
    blocks = [child for child in element if child.tag == "p"]
    if blocks:
        return tuple(" ".join(b.text_content().split()) for b in blocks)
    lines = [(element.text or "")]
    for child in element:
        if child.tag == "br":
            lines.append(child.tail or "")
        else:
            lines[-1] += child.text_content() + (child.tail or "")
    return tuple(" ".join(line.split()) for line in lines)


def _span(element, name: str) -> int:
    try:
        return max(1, min(_SPAN_LIMIT, int(element.get(name, "1") or 1)))
    except ValueError:
        return 1


def _align(element, header: bool, paragraphs: tuple[str, ...]) -> str:
    """Header centred; a body cell as written (| ---: |), else numbers centred and text left."""
    if header:
        return "center"
    style = (element.get("style") or "").replace(" ", "")
    for value in ("center", "right", "left"):
        if f"text-align:{value}" in style:
            return value
    text = "".join(paragraphs)
    return "center" if text and is_number(text) else "left"


def read_grid(table) -> Grid:
    """Place the cells of a <table> on a grid, as a browser does."""
    rows = table.findall(".//tr")
    head = [tr for tr in rows if tr.getparent().tag == "thead"]
    grid_rows: list[list[GridCell]] = []
    covered: list[set[int]] = [set() for _ in rows]
    columns = 0
    for r, tr in enumerate(rows):
        placed: list[GridCell] = []
        column = 0
        for element in tr:
            if element.tag not in ("td", "th"):
                continue
            while column in covered[r]:
                column += 1
            if column >= MAX_COLUMNS:
                break
            rowspan = min(_span(element, "rowspan"), len(rows) - r)
            colspan = min(_span(element, "colspan"), MAX_COLUMNS - column)
            header = tr in head or element.tag == "th"
            paragraphs = cell_paragraphs(element)
            placed.append(GridCell(element, r, column, rowspan, colspan, header, paragraphs,
                                   _align(element, header, paragraphs)))
            for below in range(r + 1, r + rowspan):
                covered[below].update(range(column, column + colspan))
            column += colspan
        columns = min(MAX_COLUMNS, max(columns, column, max(covered[r], default=-1) + 1))
        grid_rows.append(placed)
    header_rows = len(head) if head else _leading_header_rows(grid_rows)
    return Grid(grid_rows, columns, header_rows, table.get(LANDSCAPE_ATTR) == "landscape",
                table.get(TITLE_ATTR, ""))


def _leading_header_rows(rows: list[list[GridCell]]) -> int:
    """Without <thead>: the first rows made only of <th> cells, and the rows their spans reach."""
    count = reach = 0
    for r, row in enumerate(rows):
        all_th = bool(row) and all(cell.element.tag == "th" for cell in row)
        if not (all_th or r < reach):
            break
        if all_th:
            reach = max(reach, max(cell.row + cell.rowspan for cell in row))
        count = r + 1
    return count


# The printed page (GB/T 9704): the type area is 156 mm wide, 225 mm across a landscape page.
PORTRAIT_PT = 156 / 25.4 * 72
LANDSCAPE_PT = 225 / 25.4 * 72
CELL_PADDING_PT = 8.5  # a cell's left plus right margin (85 twips each side)


@dataclass(frozen=True)
class Layout:
    widths: list[float]  # points per grid column
    landscape: bool


def print_layout(grid: Grid, font_pt: float) -> Layout:
    """The table's layout on the printed page, in points (both writers use it)."""
    return layout(grid, font_pt, CELL_PADDING_PT, PORTRAIT_PT, LANDSCAPE_PT)


def layout(grid: Grid, font_pt: float, padding_pt: float, portrait_pt: float,
           landscape_pt: float) -> Layout:
    """Column widths: portrait when the minimum widths fit, else landscape; names break
    before numbers do, and only a table too wide for anything is squeezed evenly."""
    cells = [CellText(c.column, c.paragraphs, c.colspan) for c in grid.cells()]
    tries = [(landscape_pt, True, True), (landscape_pt, False, True)]
    if not grid.landscape:
        tries.insert(0, (portrait_pt, True, False))
    for available, names, landscape in tries:
        widths = column_widths(cells, grid.columns, available, font_pt, padding_pt, names)
        if sum(widths) <= available + 0.5:
            return Layout(widths, landscape)
    return Layout([w * landscape_pt / sum(widths) for w in widths], True)
