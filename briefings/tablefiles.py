"""Reader for table files an item references: ![表1 分工表](分工表.csv) or .xlsx.

Clerks keep attachment tables in Excel; the item points at the file and the
reader turns it into the same <table> a Markdown or HTML table gives, so the
writers see one kind of table. From .xlsx, merged cells become rowspan/colspan
and the header is the first row plus the rows a merged header cell reaches;
a line break inside a cell starts a new paragraph.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

from lxml import etree, html as lxml_html

from .files import unpacked_bytes
from .tables import LANDSCAPE_ATTR, TITLE_ATTR

TABLE_SUFFIXES = (".csv", ".xlsx")
LANDSCAPE_WORDS = ("横排", "landscape")
MAX_BYTES = 20 * 1024 * 1024
MAX_CELLS = 50_000  # far above an attachment table; stops a hostile sheet from eating memory
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # an .xlsx of MAX_CELLS long cells unpacks to far less


class TableFileError(ValueError):
    """What is wrong with a table file, in Chinese, for `文件:行号: 错误: …`."""


def is_table_file(src: str) -> bool:
    return src.lower().endswith(TABLE_SUFFIXES)


def read_table_file(path: Path, title: str = "", options: str = ""):
    """The file's table as a <table> element (title and 横排 carried as data-* attributes)."""
    if path.stat().st_size > MAX_BYTES:
        raise TableFileError(f"超过 {MAX_BYTES // 1024 // 1024} MB，不像一张附件表格")
    if path.suffix.lower() == ".csv":
        rows, merges, header_rows = _csv_rows(path), [], 1
    else:
        rows, merges, header_rows = _xlsx_rows(path)
    if not rows:
        raise TableFileError("是空表格")
    table = _table(rows, merges, header_rows)
    if title:
        table.set(TITLE_ATTR, title)
    if any(word in options for word in LANDSCAPE_WORDS):
        table.set(LANDSCAPE_ATTR, "landscape")
    return table


def _csv_rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves CSV as GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableFileError("既不是 UTF-8 也不是 GBK 编码")
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error:
        raise TableFileError("不是有效的 CSV 文件") from None
    if sum(len(r) for r in rows) > MAX_CELLS:
        raise TableFileError(f"单元格超过 {MAX_CELLS} 个")
    return _trim([[cell.strip() for cell in row] for row in rows])


def _xlsx_rows(path: Path) -> tuple[list[list[str]], list[tuple[int, int, int, int]], int]:
    import openpyxl

    sizes = unpacked_bytes(path)
    if sizes is not None and sizes[0] > MAX_UNPACKED_BYTES:
        raise TableFileError(f"解压后超过 {MAX_UNPACKED_BYTES // 1024 // 1024} MB，不像一张附件表格")
    try:
        _check_cell_count(openpyxl.load_workbook(path, read_only=True, data_only=True))
        book = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise TableFileError("不是有效的 Excel（.xlsx）文件（可在 Excel 中另存为 .xlsx 后重试）") from None
    sheet = book.worksheets[0]
    if sheet.max_row * sheet.max_column > MAX_CELLS:
        raise TableFileError(f"单元格超过 {MAX_CELLS} 个")
    rows = [[_cell_text(cell) for cell in row] for row in sheet.iter_rows()]
    rows = _trim(rows)
    merges = []
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top < len(rows) and left < len(rows[top]):
            merges.append((top, left, merged.max_row - merged.min_row + 1, merged.max_col - merged.min_col + 1))
    header_rows = max([1] + [top + height for top, _, height, _ in merges if top == 0])
    return rows, merges, min(header_rows, len(rows))


def _check_cell_count(book) -> None:
    """Count the first sheet's cells as they stream past, stopping at MAX_CELLS: a sheet that
    packs millions of tiny cells is refused before the full load (merged cells need it) holds them."""
    try:
        count = 0
        for row in book.worksheets[0].iter_rows(values_only=True):
            count += len(row)
            if count > MAX_CELLS:
                raise TableFileError(f"单元格超过 {MAX_CELLS} 个")
    finally:
        book.close()


def _cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, dt.datetime) or isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float):
        if "%" in (cell.number_format or ""):
            return f"{value * 100:.10g}%"
        return f"{value:.10g}"
    return str(value).strip()


def _trim(rows: list[list[str]]) -> list[list[str]]:
    """Drop empty rows at the end and empty columns at the right."""
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((i + 1 for row in rows for i, cell in enumerate(row) if cell), default=0)
    return [row[:width] + [""] * (width - len(row[:width])) for row in rows]


def _table(rows: list[list[str]], merges: list[tuple[int, int, int, int]], header_rows: int):
    table = lxml_html.Element("table")
    head = etree.SubElement(table, "thead")
    body = etree.SubElement(table, "tbody")
    spans = {(top, left): (height, width) for top, left, height, width in merges}
    hidden = {(top + r, left + c) for top, left, height, width in merges
              for r in range(height) for c in range(width)} - set(spans)
    for r, row in enumerate(rows):
        tr = etree.SubElement(head if r < header_rows else body, "tr")
        for c, text in enumerate(row):
            if (r, c) in hidden:
                continue
            cell = etree.SubElement(tr, "th" if r < header_rows else "td")
            height, width = spans.get((r, c), (1, 1))
            if height > 1:
                cell.set("rowspan", str(height))
            if width > 1:
                cell.set("colspan", str(width))
            lines = [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]
            if len(lines) > 1:
                for line in lines:
                    etree.SubElement(cell, "p").text = line
            else:
                cell.text = lines[0] if lines else ""
    if not len(head):
        table.remove(head)
    return table
