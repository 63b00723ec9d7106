"""HTML tables: the widths the printed table has, as proportions, in a box that scrolls.

Each table gets a <colgroup> with the DOCX column widths as percentages and a
min-width (its printed width in ems of its text), so on a phone a wide table
scrolls sideways inside its own box while the page never does. The box is a
labelled, focusable region (keyboard users can scroll it too). Number cells are
marked so they never break, cells of short names keep them whole; header cells
stick while the box scrolls.
"""

from __future__ import annotations

from lxml import html as lxml_html

from ..tables import (
    LANDSCAPE_ATTR, TITLE_ATTR, TITLE_PARAGRAPH, is_number, print_layout, read_grid,
)
from ..tablewidths import is_name_list



def decorate_tables(tree, font_pt: float) -> None:
    """Widths, number cells, caption and a scrolling region for every table in `tree`.

    `font_pt` is the printed table's font size, so the proportions are the printed ones."""
    for index, table in enumerate(list(tree.iter("table")), start=1):
        title = table.attrib.pop(TITLE_ATTR, "")
        table.attrib.pop(LANDSCAPE_ATTR, None)
        grid = read_grid(table)
        if not grid.columns:
            continue
        _colgroup(table, grid, font_pt)
        for cell in grid.cells():
            text = "".join(cell.paragraphs)
            if not cell.header and cell.align == "center" and is_number(text):
                cell.element.set("class", "num")
            elif all(is_name_list(p) for p in cell.paragraphs if p):
                cell.element.set("class", "names")  # 牵头单位, 市财政局、市人社局: names stay whole
        if title:
            caption = lxml_html.Element("caption")
            caption.text = title
            table.insert(0, caption)
        _wrap(table, title or _title_before(table) or f"表格{index}")


def _colgroup(table, grid, font_pt: float) -> None:
    widths = print_layout(grid, font_pt).widths
    total = sum(widths)
    colgroup = lxml_html.Element("colgroup")
    for width in widths:
        col = lxml_html.Element("col")
        col.set("style", f"width: {width / total * 100:.1f}%")
        colgroup.append(col)
    table.insert(0, colgroup)
    # Never narrower than printed, in ems of its text: every column keeps what it needs
    # (names and numbers whole) and on a phone the table scrolls in its box instead.
    table.set("style", f"min-width: {total / font_pt:.1f}em")


def _title_before(table) -> str:
    previous = table.getprevious()
    if previous is not None and previous.tag == "p":
        text = previous.text_content().strip()
        if TITLE_PARAGRAPH.match(text):
            return text
    return ""


def _wrap(table, label: str) -> None:
    box = lxml_html.Element("div")
    box.set("class", "table-scroll")
    box.set("role", "region")
    box.set("tabindex", "0")
    box.set("aria-label", label)
    table.addprevious(box)
    box.tail = table.tail
    table.tail = None
    box.append(table)
