"""A long attachment table and a wide one, printed through LibreOffice and read back from the PDF.

The item is what a clerk writes: ![表1 …](分工表.csv) (28 rows, ~400-character cells) and
![表2 …](指标.xlsx) (11 columns). See tests/tablesample.py.
"""

from __future__ import annotations

import re

import pdfplumber
import pytest

from conftest import copy_samples, docx_to_pdf
from tablesample import attachment_item, indicator_rows

MM = 72 / 25.4
TYPE_TOP = 37.0  # mm, portrait
HEADER = "序号工作任务牵头单位配合单位完成时限"


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    from briefings.build import build

    root = copy_samples(tmp_path_factory.mktemp("tables") / "ws")
    series = root / "series" / "luxian.yaml"
    series.write_text(series.read_text(encoding="utf-8") + "table_font_size: 小四\n", encoding="utf-8")
    item_dir = root / "items" / "test"
    item_dir.mkdir()
    attachment_item(item_dir)
    (root / "issues/luxian/2017-10.yaml").write_text(
        "series: luxian\nnumber: 10\ntotal: 22\ndate: 2017-10-01\nitems: [test/attachment.md]\n", encoding="utf-8")
    docx = next(p for p in build(root, root / "dist", ["luxian/2017-10"], ["docx"]) if p.suffix == ".docx")
    path = docx_to_pdf(docx, tmp_path_factory.mktemp("tables-pdf"))
    with pdfplumber.open(path) as document:
        yield [_page(page) for page in document.pages]


def _page(page) -> dict:
    words = [w for w in page.extract_words(x_tolerance=1.5, y_tolerance=2) if w["upright"]]
    edges = sorted({round(e["x0"], 1) for e in page.edges if e["orientation"] == "v"})
    rules = [e["top"] for e in page.edges if e["orientation"] == "h"]
    rows: dict[int, list[dict]] = {}
    for word in words:
        rows.setdefault(round(word["top"] / 3), []).append(word)
    lines = [(min(w["top"] for w in ws) / MM, "".join(w["text"] for w in sorted(ws, key=lambda w: w["x0"])))
             for _, ws in sorted(rows.items())]
    rotated = [c for c in page.chars if not c.get("upright", True)]
    return {"width": page.width / MM, "height": page.height / MM, "words": words, "edges": edges,
            "table_bottom": max(rules, default=0),
            "lines": lines, "text": "".join(t for _, t in lines), "rotated": rotated}


def table1_pages(pages) -> list[dict]:
    first = next(i for i, p in enumerate(pages) if "表1" in p["text"])
    last = next(i for i, p in enumerate(pages) if "各区镇指标完成情况见下表" in p["text"])
    return pages[first:last + 1]


@pytest.fixture(scope="module")
def pages(pdf):
    return pdf


def test_page_count(pages):
    # 28 rows of 400 characters in 小四 at about 20 characters a line: ~21 table pages.
    # (The column-per-20-characters layout this replaces needed 52 pages for the office's file.)
    assert 16 <= len(table1_pages(pages)) <= 24
    assert len(pages) <= 28


def test_header_row_on_top_of_every_page_the_table_spans(pages):
    spanned = table1_pages(pages)
    assert len(spanned) > 10
    for number, page in enumerate(spanned):
        header = [top for top, text in page["lines"] if HEADER in text]
        assert header, f"page {number + 1} of the table has no header row"
        if number == 0:
            # The title 表1 … is kept with the table: on the same page, right above the header.
            title = next(top for top, text in page["lines"] if text.startswith("表1"))
            assert 0 < header[0] - title < 12
        else:
            in_type_area = [top for top, _ in page["lines"] if TYPE_TOP - 3 < top < 260]
            assert header[0] == min(in_type_area), f"page {number + 1}: something printed above the header row"
            assert header[0] - TYPE_TOP < 4


def test_numbers_and_dates_never_split(pages):
    spanned = table1_pages(pages)
    seen = set()
    for page in spanned:
        edges = page["edges"]
        assert len(edges) == 6, "the 分工表 has five columns"
        number_col = (edges[0], edges[1])
        date_col = (edges[4], edges[5])
        top = min(w["top"] for w in page["words"] if w["text"] == "序号")
        # The table's body rows: below the header, above the table's last rule.
        words = [w for w in page["words"] if top + 2 < w["top"] and w["bottom"] < page["table_bottom"]]
        for word in words:
            if number_col[0] < word["x0"] < number_col[1]:
                assert re.fullmatch(r"\d{1,2}", word["text"]), f"序号 cell printed as {word['text']!r}"
                seen.add(int(word["text"]))
        date_lines: dict[int, str] = {}
        for word in words:
            if date_col[0] < word["x0"] < date_col[1]:
                key = round(word["top"] / 3)
                date_lines[key] = date_lines.get(key, "") + word["text"]
        for text in date_lines.values():
            # A deadline may wrap after 月 (2017年10月 / 15日), never inside 2017 or 10.
            assert not re.search(r"\d$", text) and not re.match(r"^(月|年|\d+月)", text), text
    assert seen == set(range(1, 29))
    assert any("2017年10月" in text for page in spanned for _, text in page["lines"])


def test_wide_table_on_a_landscape_page_with_unbroken_numbers(pages):
    index = next(i for i, p in enumerate(pages) if "表2" in p["text"])
    wide = pages[index]
    assert wide["width"] > wide["height"], "the 11-column table is not on a landscape page"
    assert pages[index - 1]["width"] < pages[index - 1]["height"]
    assert pages[index + 1]["width"] < pages[index + 1]["height"], "no portrait page after the table"
    values = {cell for row in indicator_rows()[1:] for cell in row[2:]} | {str(n) for n in range(1, 13)}
    numbers = [w["text"] for w in wide["words"] if re.search(r"[\d%]", w["text"])]
    assert len(numbers) >= 12 * 10
    for text in numbers:
        assert text in values, f"number printed broken: {text!r}"


def test_landscape_page_number_turned_with_the_paper(pages):
    """GB/T 9704 横排表格: the page number stays where portrait pages have it, so on a
    landscape page it runs along the left edge: low on an odd page, high on an even one."""
    index = next(i for i, p in enumerate(pages) if "表2" in p["text"])
    wide = pages[index]
    number = str(index + 1)
    digits = [c for c in wide["rotated"] if c["text"] in number]
    assert digits, "no turned page number on the landscape page"
    x = min(c["x0"] for c in digits) / MM
    y = sum(c["top"] for c in digits) / len(digits) / MM
    assert 15 < x < 30  # where the portrait page's bottom edge is
    if (index + 1) % 2:
        assert y > wide["height"] / 2
    else:
        assert y < wide["height"] / 2
