"""Word tables: a sanitised <table> as w:tbl, printed as an office prints tables.

Widths come from the content (tables.layout → tablewidths) and are written
into w:tblGrid and every w:tcW with a fixed layout, so Word, WPS and
LibreOffice all keep them. Header rows repeat on every page (w:tblHeader),
rows of a few lines never split (w:cantSplit), merged cells become
w:gridSpan / w:vMerge, a cell's <p> children become paragraphs. A table too
wide for the portrait type area sits in a landscape section of its own.
"""

from __future__ import annotations

import copy

from ..docxpackage import parse_xml
from ..docxutil import PAGE_FIELD_XML, replace_footer, set_property
from ..tables import CELL_PADDING_PT, TITLE_PARAGRAPH, Grid, GridCell, print_layout, read_grid
from ..tablewidths import lines_needed, to_units
from ..wordml import Pt, add_run, el, is_bold, nsdecls, p_pr, paragraph_text, qn, r_pr, run_text, runs, set_style
from .evenpage import add_footer

PORTRAIT_WIDTH_TW = 8844  # 156 mm type width
LANDSCAPE_WIDTH_TW = 12756  # 225 mm: the portrait type height across a landscape page
CELL_MARGIN_TW = round(CELL_PADDING_PT * 10)  # 1.5 mm left and right in every cell
BORDER = "4"  # eighths of a point: single 0.5 pt rules
CANT_SPLIT_LINES = 5  # rows up to this many lines never break across pages

STYLE_TEXT = "简报-表格文字"
STYLE_HEADER = "简报-表头文字"
STYLE_TITLE = "简报-表题"


class TableWriter:
    """Writes tables before the body writer's marker paragraph.

    `body` is the writer of the surrounding text (writers/docx.BodyWriter); what is used
    of it: `doc`, `marker` (the paragraph tables go before), `paragraph(role)`,
    `style_id(name)`, `last_paragraph` and `inline(paragraph, element, item)`.
    """

    def __init__(self, body, font_pt: float):
        self.body = body  # the BodyWriter: marker, style ids, inline runs
        self.font_pt = font_pt
        self.landscape_footers: list = []  # footerReference elements of the landscape sections

    def _style(self, role: str, default: str) -> str:
        """The body writer's style for `role` (the 公文 template has its own names)."""
        return getattr(self.body, "styles", {}).get(role, default)

    def write(self, element, item) -> None:
        grid = read_grid(element)
        if not grid.rows or not grid.columns:
            return
        plan = print_layout(grid, self.font_pt)
        total = LANDSCAPE_WIDTH_TW if plan.landscape else PORTRAIT_WIDTH_TW
        twips = _twips(plan.widths, min(total, round(sum(plan.widths) * 20)))
        title = self._title(grid)
        if plan.landscape and not self._join_landscape(title):
            self._portrait_break(before=title)
        tbl = self._table(grid, twips, item)
        previous = self.body.marker.getprevious()
        if previous is not None and previous.tag == qn("w:tbl"):
            # Word joins two tables that touch into one: keep a paragraph between them.
            self.body.marker.addprevious(el("w:p"))
        self.body.marker.addprevious(tbl)
        if plan.landscape:
            self._landscape_end()

    # Title -------------------------------------------------------------------

    def _title(self, grid: Grid):
        """The table's title paragraph, kept on the page of the table's first rows."""
        if grid.title:
            paragraph = self.body.paragraph("table_title")
            add_run(paragraph, grid.title)
            return paragraph
        previous = self.body.last_paragraph
        if previous is None:
            return None
        text = paragraph_text(previous).strip()
        texts = [r for r in runs(previous) if run_text(r).strip()]
        if TITLE_PARAGRAPH.match(text):
            set_style(previous, self.body.style_id(self._style("table_title", STYLE_TITLE)))
        elif not (texts and all(is_bold(r) for r in texts) and len(text) <= 60):
            return None
        set_property(p_pr(previous), el("w:keepNext"))
        return previous

    # Table -------------------------------------------------------------------

    def _table(self, grid: Grid, twips: list[int], item):
        tbl = el("w:tbl")
        tbl.append(self._tbl_pr(sum(twips)))
        tbl_grid = el("w:tblGrid")
        for width in twips:
            tbl_grid.append(el("w:gridCol", w=str(width)))
        tbl.append(tbl_grid)
        merges: dict[int, tuple[int, int]] = {}  # column → (colspan, last row) of a rowspan above
        for r, row in enumerate(grid.rows):
            tr = el("w:tr")
            tr_pr = el("w:trPr")
            if self._lines(row, twips) <= CANT_SPLIT_LINES:
                tr_pr.append(el("w:cantSplit"))
            if r < grid.header_rows:
                tr_pr.append(el("w:tblHeader"))
            if len(tr_pr):
                tr.append(tr_pr)
            starts = {cell.column: cell for cell in row}
            column = 0
            while column < grid.columns:
                cell = starts.get(column)
                if cell is not None:
                    tr.append(self._cell(cell, twips, item))
                    if cell.rowspan > 1:
                        merges[column] = (cell.colspan, r + cell.rowspan - 1)
                    column += cell.colspan
                elif column in merges and merges[column][1] >= r:
                    span = merges[column][0]
                    tr.append(self._continuation(column, span, twips))
                    column += span
                else:
                    tr.append(self._empty(column, twips))
                    column += 1
            tbl.append(tr)
        return tbl

    def _tbl_pr(self, width: int):
        pr = el("w:tblPr")
        set_property(pr, el("w:tblW", w=str(width), type="dxa"))
        set_property(pr, el("w:jc", val="center"))
        borders = el("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(el(f"w:{side}", val="single", sz=BORDER, space="0", color="000000"))
        set_property(pr, borders)
        set_property(pr, el("w:tblLayout", type="fixed"))
        margins = el("w:tblCellMar")
        margins.append(el("w:left", w=str(CELL_MARGIN_TW), type="dxa"))
        margins.append(el("w:right", w=str(CELL_MARGIN_TW), type="dxa"))
        set_property(pr, margins)
        set_property(pr, el("w:tblLook", val="0000"))
        return pr

    def _lines(self, row: list[GridCell], twips: list[int]) -> int:
        """The most lines any cell starting in this row needs at its width."""
        most = 1
        for cell in row:
            width = sum(twips[cell.column:cell.column + cell.colspan]) - 2 * CELL_MARGIN_TW
            most = max(most, lines_needed(cell.paragraphs, width / 20 / self.font_pt))
        return most

    def _tc(self, column: int, span: int, twips: list[int], merge: str | None = None):
        tc = el("w:tc")
        pr = el("w:tcPr")
        set_property(pr, el("w:tcW", w=str(sum(twips[column:column + span])), type="dxa"))
        if span > 1:
            set_property(pr, el("w:gridSpan", val=str(span)))
        if merge == "restart":
            set_property(pr, el("w:vMerge", val="restart"))
        elif merge == "continue":
            set_property(pr, el("w:vMerge"))
        set_property(pr, el("w:vAlign", val="center"))
        tc.append(pr)
        return tc

    def _cell(self, cell: GridCell, twips: list[int], item):
        tc = self._tc(cell.column, cell.colspan, twips, "restart" if cell.rowspan > 1 else None)
        blocks = [child for child in cell.element if child.tag == "p"]
        for source in blocks or [cell.element]:
            paragraph = self._paragraph(tc, cell)
            self.body.inline(paragraph, source, item)
            self._size_runs(paragraph)
        return tc

    def _continuation(self, column: int, span: int, twips: list[int]):
        tc = self._tc(column, span, twips, "continue")
        self._paragraph(tc, None)
        return tc

    def _empty(self, column: int, twips: list[int]):
        tc = self._tc(column, 1, twips)
        self._paragraph(tc, None)
        return tc

    def _paragraph(self, tc, cell: GridCell | None):
        p = el("w:p")
        tc.append(p)
        header = cell is not None and cell.header
        set_style(p, self.body.style_id(self._style("table_header", STYLE_HEADER) if header
                                        else self._style("table", STYLE_TEXT)))
        props = p_pr(p)
        set_property(props, el("w:jc", val={"center": "center", "right": "right"}.get(
            cell.align if cell else "left", "left")))
        if self.font_pt != 14:
            marks = el("w:rPr")
            _size(marks, self.font_pt)
            set_property(props, marks)
        return p

    def _size_runs(self, paragraph) -> None:
        """Cells in 小四: the size on every run (the style carries 四号)."""
        if self.font_pt == 14:
            return
        half = str(int(Pt(self.font_pt).pt * 2))
        for run in runs(paragraph):
            set_property(r_pr(run), el("w:sz", val=half))

    # Landscape sections ------------------------------------------------------

    def _portrait_break(self, before) -> None:
        """End the portrait section here (before the table's title when it has one)."""
        body_sect = self._body_sect_pr()
        p = el("w:p")
        set_property(p_pr(p), copy.deepcopy(body_sect))
        (before if before is not None else self.body.marker).addprevious(p)

    def _join_landscape(self, title) -> bool:
        """A landscape table right after another stays in its section (no blank portrait page)."""
        start = title if title is not None else self.body.marker
        previous = start.getprevious()
        sect = None if previous is None or previous.tag != qn("w:p") else previous.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        size = None if sect is None else sect.find(qn("w:pgSz"))
        if size is None or size.get(qn("w:orient")) != "landscape":
            return False
        sect.getparent().remove(sect)  # its paragraph stays: two tables must not touch
        return True

    def _landscape_end(self) -> None:
        """A paragraph closing the landscape section; the body after it is portrait again."""
        sect = copy.deepcopy(self._body_sect_pr())
        for ref in sect.findall(qn("w:footerReference")) + sect.findall(qn("w:headerReference")):
            sect.remove(ref)
        size = sect.find(qn("w:pgSz"))
        width, height = size.get(qn("w:w")), size.get(qn("w:h"))
        size.set(qn("w:w"), height)
        size.set(qn("w:h"), width)
        size.set(qn("w:orient"), "landscape")
        # Turned a quarter clockwise: the binding edge (left) is the table's head.
        margin = sect.find(qn("w:pgMar"))
        top, right, bottom, left = (margin.get(qn(f"w:{s}")) for s in ("top", "right", "bottom", "left"))
        for side, value in (("top", left), ("right", top), ("bottom", right), ("left", bottom)):
            margin.set(qn(f"w:{side}"), value)
        p = el("w:p")
        props = p_pr(p)
        set_property(props, el("w:spacing", before="0", after="0", line="20", lineRule="exact"))
        set_property(props, sect)
        self.body.marker.addprevious(p)
        self._landscape_page_numbers(sect, int(width), int(height))

    def _body_sect_pr(self):
        return self.body.doc.body.find(qn("w:sectPr"))

    def _landscape_page_numbers(self, sect, portrait_w: int, portrait_h: int) -> None:
        """Page numbers where the portrait pages have them (GB/T 9704 横排表格): along the
        landscape page's left edge, turned with the paper, low on odd pages, high on even."""
        if self.landscape_footers:  # one pair of footer parts serves every landscape section
            for reference in self.landscape_footers:
                set_property(sect, copy.deepcopy(reference))
            return
        odd_footer = add_footer(self.body.doc, sect, "default")
        even_footer = add_footer(self.body.doc, sect, "even")
        self.landscape_footers = [copy.deepcopy(r) for r in sect.findall(qn("w:footerReference"))]
        portrait = self._body_sect_pr()
        margins = portrait.find(qn("w:pgMar"))
        left, right = int(margins.get(qn("w:left"))), int(margins.get(qn("w:right")))
        footer = int(margins.get(qn("w:footer")))
        char = 280  # one 四号 character in from the type area's edge, as on portrait pages
        box_w, box_h = 440, 1700  # twips: one 四号 line across, room for "— 123 —" along
        # Landscape x = portrait distance from the bottom edge; landscape y = portrait x.
        odd_y = portrait_w - right - char - box_h  # odd: ends one character in from the right
        even_y = left + char  # even: starts one character in from the left
        replace_footer(odd_footer, *parse_xml(_number_box(footer, odd_y, box_w, box_h, "right")))
        replace_footer(even_footer, *parse_xml(_number_box(footer, even_y, box_w, box_h, "left")))


def _twips(widths_pt: list[float], total: int) -> list[int]:
    scale = total / (sum(widths_pt) * 20)
    return to_units([w * 20 * scale for w in widths_pt], total)


def _size(r_pr, font_pt: float) -> None:
    half = str(int(round(font_pt * 2)))
    set_property(r_pr, el("w:sz", val=half))
    set_property(r_pr, el("w:szCs", val=half))


def _number_box(x: int, y: int, width: int, height: int, align: str) -> str:
    """The page number in a one-cell floating table placed on the page, its text turned a
    quarter clockwise (w:textDirection tbRl), as Word and LibreOffice both place and turn it.
    (A text box anchored in a landscape section's footer loses its position in LibreOffice.)"""
    return (
        f'<w:ftr {nsdecls("w")}><w:tbl><w:tblPr>'
        '<w:tblpPr w:leftFromText="0" w:rightFromText="0" w:topFromText="0" w:bottomFromText="0" '
        f'w:vertAnchor="page" w:horzAnchor="page" w:tblpX="{x}" w:tblpY="{y}"/>'
        f'<w:tblW w:w="{width}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
        f'<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid><w:gridCol w:w="{width}"/></w:tblGrid>'
        f'<w:tr><w:trPr><w:trHeight w:val="{height}" w:hRule="exact"/></w:trPr>'
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:textDirection w:val="tbRl"/>'
        '<w:vAlign w:val="center"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="JbPageNumber"/><w:jc w:val="{align}"/></w:pPr>'
        f'<w:r><w:t xml:space="preserve">— </w:t></w:r>{PAGE_FIELD_XML}<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p>'
        '</w:tc></w:tr></w:tbl>'
        # A footer, like a cell, ends with a paragraph; this one takes no room.
        '<w:p><w:pPr><w:pStyle w:val="JbPageNumber"/><w:spacing w:before="0" w:after="0" w:line="20" '
        'w:lineRule="exact"/></w:pPr></w:p></w:ftr>'
    )
