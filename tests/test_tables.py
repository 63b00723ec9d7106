"""Richer tables as a clerk writes them (HTML with rowspan/colspan, .csv, .xlsx) and as they
land in the DOCX (gridSpan, vMerge, paragraphs, title kept with the table) and the HTML."""

from __future__ import annotations

import docx
import pytest
from docx.oxml.ns import qn
from lxml import html as lxml_html

from briefings.build import build
from briefings.diagnostics import BriefingError
from briefings.tablefiles import read_table_file
from conftest import copy_samples
from tablesample import write_csv, write_xlsx

MERGED = """\
表3 重点任务责任分工

<table>
<thead>
<tr><th rowspan="2">序号</th><th rowspan="2">任务</th><th colspan="2">责任单位</th></tr>
<tr><th>牵头</th><th>配合</th></tr>
</thead>
<tbody>
<tr><td>1</td><td><p>第一段：摸清底数。</p><p>第二段：建立台账。</p></td><td rowspan="2">市发改委</td><td>各区镇</td></tr>
<tr><td>2</td><td>完善政策</td><td>市财政局</td></tr>
</tbody>
</table>
"""


def _workspace(tmp_path, body: str, files=()):
    root = copy_samples(tmp_path / "ws")
    item_dir = root / "items" / "test"
    item_dir.mkdir()
    for name, rows, merges in files:
        (write_csv if name.endswith(".csv") else write_xlsx)(item_dir / name, rows, *([merges] if merges else []))
    (item_dir / "t.md").write_text(
        "---\ntitle: 表格\ncolumn: 要闻\ndate: 2017-09-20\n---\n\n" + body, encoding="utf-8")
    (root / "issues/luxian/2017-10.yaml").write_text(
        "series: luxian\nnumber: 10\ndate: 2017-10-01\nitems: [test/t.md]\n", encoding="utf-8")
    return root


def _build(root, formats=("docx", "html")):
    return {p.suffix: p for p in build(root, root / "dist", ["luxian/2017-10"], list(formats))}


def _tcpr(cell_xml, name):
    pr = cell_xml.find(qn("w:tcPr"))
    found = pr.find(qn(f"w:{name}"))
    return None if found is None else found.get(qn("w:val"), "")


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    root = _workspace(tmp_path_factory.mktemp("merged"), MERGED)
    return _build(root)


def test_html_table_merges_become_grid_span_and_vertical_merge(merged):
    document = docx.Document(str(merged[".docx"]))
    tbl = document.tables[0]._tbl
    rows = tbl.findall(qn("w:tr"))
    first = rows[0].findall(qn("w:tc"))
    # 序号 and 任务 span two header rows; 责任单位 spans two columns.
    assert [_tcpr(tc, "vMerge") for tc in first] == ["restart", "restart", None]
    assert _tcpr(first[2], "gridSpan") == "2"
    second = rows[1].findall(qn("w:tc"))
    assert [_tcpr(tc, "vMerge") for tc in second] == ["", "", None, None]  # continuation cells
    assert ["".join(t.text for t in tc.iter(qn("w:t"))) for tc in second[2:]] == ["牵头", "配合"]
    # Both header rows repeat on every page.
    assert all(r.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None for r in rows[:2])
    assert rows[2].find(qn("w:trPr")).find(qn("w:tblHeader")) is None
    # 市发改委 spans the two body rows.
    assert _tcpr(rows[2].findall(qn("w:tc"))[2], "vMerge") == "restart"
    assert _tcpr(rows[3].findall(qn("w:tc"))[2], "vMerge") == ""
    assert len(tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))) == 4


def test_two_tables_in_a_row_stay_two_tables(tmp_path):
    root = _workspace(tmp_path, MERGED + "\n| 区县 | 完成 |\n|---|---|\n| 船山区 | 是 |\n")
    document = docx.Document(str(_build(root, ["docx"])[".docx"]))
    assert len(document.tables) == 2
    between = document.tables[0]._tbl.getnext()
    assert between.tag == qn("w:p") and between.getnext().tag == qn("w:tbl")


def test_cell_paragraphs_stay_paragraphs(merged):
    document = docx.Document(str(merged[".docx"]))
    cell = document.tables[0]._tbl.findall(qn("w:tr"))[2].findall(qn("w:tc"))[1]
    texts = ["".join(t.text for t in p.iter(qn("w:t"))) for p in cell.findall(qn("w:p"))]
    assert texts == ["第一段：摸清底数。", "第二段：建立台账。"]


def test_title_paragraph_is_kept_with_the_table(merged):
    document = docx.Document(str(merged[".docx"]))
    title = next(p for p in document.paragraphs if p.text.startswith("表3"))
    assert title.style.name == "简报-表题"
    assert title._p.getnext().tag == qn("w:tbl")
    assert title.paragraph_format.keep_with_next


def test_html_keeps_merges_and_labels_the_scrolling_region(merged):
    page = lxml_html.fromstring(merged[".html"].read_text(encoding="utf-8"))
    box = page.xpath("//div[@class='table-scroll']")[0]
    assert box.get("role") == "region" and box.get("tabindex") == "0"
    assert box.get("aria-label") == "表3 重点任务责任分工"
    table = box.find("table")
    widths = [float(col.get("style").split(":")[1].strip(" %")) for col in table.iter("col")]
    assert len(widths) == 4 and sum(widths) == pytest.approx(100, abs=0.3)
    assert table.xpath(".//th")[2].get("colspan") == "2"
    assert [td.get("class") for td in table.xpath("tbody/tr")[0].findall("td")] == ["num", "names", "names", "names"]


def test_csv_with_gbk_encoding_and_line_breaks(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("序号,任务\n1,\"第一行\n第二行\"\n".encode("gb18030"))
    table = read_table_file(path, "表1 任务", "横排")
    assert table.get("data-title") == "表1 任务" and table.get("data-orient") == "landscape"
    assert [th.text for th in table.iter("th")] == ["序号", "任务"]
    cell = table.findall(".//td")[1]
    assert [p.text for p in cell.findall("p")] == ["第一行", "第二行"]


def test_xlsx_keeps_merged_cells_and_a_two_row_header(tmp_path):
    rows = [["序号", "区镇", "新增市场主体", None], [None, None, "企业", "个体"], [1, "张浦镇", 400, 0.925]]
    path = write_xlsx(tmp_path / "t.xlsx", rows, ["A1:A2", "B1:B2", "C1:D1"])
    table = read_table_file(path)
    head = table.find("thead").findall("tr")
    assert len(head) == 2
    assert [(c.text, c.get("rowspan"), c.get("colspan")) for c in head[0]] == [
        ("序号", "2", None), ("区镇", "2", None), ("新增市场主体", None, "2")]
    assert [c.text for c in head[1]] == ["企业", "个体"]
    assert [c.text for c in table.find("tbody").find("tr")] == ["1", "张浦镇", "400", "0.925"]


def test_table_file_errors_name_the_item_line(tmp_path):
    root = _workspace(tmp_path, "正文。\n\n![表1 缺](不存在.xlsx)\n\n![表2 坏](坏.xlsx)\n")
    (root / "items" / "test" / "坏.xlsx").write_bytes(b"not a zip")
    with pytest.raises(BriefingError) as caught:
        _build(root)
    found = {(d.path.name, d.line, d.message) for d in caught.value.diagnostics}
    assert ("t.md", 9, "表格“不存在.xlsx”不存在") in found
    assert ("t.md", 11, "表格“坏.xlsx”不是有效的 Excel（.xlsx）文件（可在 Excel 中另存为 .xlsx 后重试）") in found


def test_landscape_on_request_and_back_to_portrait(tmp_path):
    rows = [["序号", "事项"], ["1", "很短"]]
    root = _workspace(tmp_path, "![表1 事项](t.csv \"横排\")\n\n之后的正文。\n", [("t.csv", rows, None)])
    document = docx.Document(str(_build(root, ["docx"])[".docx"]))
    sections = document.sections
    assert [s.orientation for s in sections] == [0, 1, 0]  # portrait, landscape, portrait
    assert sections[1].page_width.mm == pytest.approx(297, abs=0.5)
    body = document.element.body
    title = next(p for p in document.paragraphs if p.text == "表1 事项")
    # The title opens the landscape section with its table.
    assert title._p.getprevious().find(qn("w:pPr")).find(qn("w:sectPr")) is not None
    assert title._p.getnext().tag == qn("w:tbl")
    assert body.find(qn("w:sectPr")).find(qn("w:pgSz")).get(qn("w:orient")) is None


def test_two_landscape_tables_share_one_landscape_section(tmp_path):
    rows = [["序号", "事项"], ["1", "很短"]]
    body = "![表1 甲](a.csv \"横排\")\n\n![表2 乙](b.csv \"横排\")\n\n之后的正文。\n"
    root = _workspace(tmp_path, body, [("a.csv", rows, None), ("b.csv", rows, None)])
    document = docx.Document(str(_build(root, ["docx"])[".docx"]))
    assert [s.orientation for s in document.sections] == [0, 1, 0]
    assert len(document.tables) == 2
    footers = [p for p in document.part.package.parts if "footer" in str(p.partname)]
    assert len(footers) == 4  # portrait odd/even, landscape odd/even


def test_a_bold_line_before_a_table_is_kept_with_it(tmp_path):
    root = _workspace(tmp_path, "正文一段。\n\n**各区县完成情况**\n\n| 区县 | 完成 |\n|---|---|\n| 船山区 | 是 |\n")
    document = docx.Document(str(_build(root, ["docx"])[".docx"]))
    bold = next(p for p in document.paragraphs if p.text == "各区县完成情况")
    plain = next(p for p in document.paragraphs if p.text == "正文一段。")
    assert bold.paragraph_format.keep_with_next and not plain.paragraph_format.keep_with_next
    assert bold._p.getnext().tag == qn("w:tbl")


def test_attachment_tables_are_valid_for_word(tmp_path):
    """Landscape sections, their page-number footers, merged cells and 小四 runs pass the
    validators the whole DOCX must pass (tests/ooxml.py)."""
    from ooxml import ECMA_SCHEMAS, docx_problems, ecma_xsd_problems
    from tablesample import attachment_item

    root = _workspace(tmp_path, MERGED)
    series = root / "series" / "luxian.yaml"
    series.write_text(series.read_text(encoding="utf-8") + "table_font_size: 小四\n", encoding="utf-8")
    attachment_item(root / "items" / "test")
    manifest = root / "issues/luxian/2017-10.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "items: [test/t.md]", "items: [test/t.md, test/attachment.md]"), encoding="utf-8")
    path = _build(root, ["docx"])[".docx"]
    document = docx.Document(str(path))
    assert [s.orientation for s in document.sections] == [0, 1, 0]  # 表2 of the attachment is landscape
    assert docx_problems(path) == []
    if ECMA_SCHEMAS.exists():
        assert ecma_xsd_problems(path) == []


def test_table_paths_are_checked_as_picture_paths_are(tmp_path):
    root = _workspace(tmp_path, "![表1 甲](C:\\Users\\张三\\分工表.xlsx)\n\n![表2 乙](../../../../etc/x.csv)\n")
    with pytest.raises(BriefingError) as caught:
        _build(root)
    found = {(d.line, d.message) for d in caught.value.diagnostics}
    assert (7, "表格“C:\\Users\\张三\\分工表.xlsx”是本机的 Windows 路径，别的电脑和编排时都找不到它") in found
    assert (9, "表格“../../../../etc/x.csv”不在工作区内") in found


def test_xlsx_bombs_are_refused_before_they_are_loaded(tmp_path):
    """An .xlsx is a ZIP: one of a few kilobytes can unpack to 150 MB, or hold a million tiny cells
    (its declared dimension saying A1:A1). Both are refused with the Chinese reason (the cells
    counted as they stream past, before the full load)."""
    import zipfile

    from briefings.tablefiles import TableFileError

    def xlsx(path, sheet_rows) -> None:
        write_xlsx(path, [["序号"], [1]], [])  # a real workbook, then its sheet replaced
        with zipfile.ZipFile(path) as original:
            parts = {name: original.read(name) for name in original.namelist()}
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                if name != "xl/worksheets/sheet1.xml":
                    archive.writestr(name, data)
            with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
                sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                            b'spreadsheetml/2006/main"><dimension ref="A1:A1"/><sheetData>')
                for chunk in sheet_rows:
                    sheet.write(chunk)
                sheet.write(b"</sheetData></worksheet>")

    large = tmp_path / "大.xlsx"
    xlsx(large, [b"<!--" + b" " * 2**20 + b"-->" for _ in range(150)])
    cells = tmp_path / "多.xlsx"
    xlsx(cells, [b'<row r="%d">' % r + b"<c><v>1</v></c>" * 100 + b"</row>" for r in range(1, 10_001)])
    assert large.stat().st_size < 2**20 and cells.stat().st_size < 2**20
    for path, reason in ((large, "解压后超过 100 MB，不像一张附件表格"), (cells, "单元格超过 50000 个")):
        with pytest.raises(TableFileError) as caught:
            read_table_file(path)
        assert str(caught.value) == reason
