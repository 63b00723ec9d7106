"""`briefing import`: Word files as units send them become items that check and build.

The Word files are made here: with python-docx (styles as Word writes them) and
with LibreOffice from HTML (as another word processor writes them).
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import pytest
import yaml
from click.testing import CliRunner
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from PIL import Image

from briefings.cli import main
from briefings.wordtext import full_width_punctuation, join_broken_lines

from conftest import require_tool


def _png(colour: str = "red") -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (320, 200), colour).save(data, "PNG")
    data.seek(0)
    return data


def _word_with_heading_title(path):
    document = Document()
    document.add_heading("县就业局开展创业培训质量评估", level=1)
    document.add_paragraph("　　今年以来,县就业局围绕稳就业;组织开展创业培训(SYB)评估。截至2023年6月,共培训1,200人次。")
    document.add_paragraph("一、主要做法")
    paragraph = document.add_paragraph("建立评估制度")
    paragraph.add_run().add_break()
    paragraph.add_run("实行一班一评。")
    document.add_paragraph("（一）强化组织领导")
    document.add_paragraph("详见 http://www.example.cn/a?b=1,c 和 Hello, world!")
    table = document.add_table(rows=3, cols=2)
    for row, (name, amount) in enumerate((("项目", "人次"), ("SYB培训", "800"), ("网创培训", "400"))):
        table.cell(row, 0).text, table.cell(row, 1).text = name, amount
    document.add_picture(_png())
    document.add_paragraph("")
    document.add_paragraph("")
    document.add_paragraph("（县就业局  张三）")
    document.save(path)


def _word_with_centred_bold_title(path):
    document = Document()
    paragraph = document.add_paragraph()
    run = paragraph.add_run("天兴镇组织开展创业交流会")
    run.bold = True
    run.font.size = Pt(22)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("    8月20日,天兴镇组织返乡创业人员开展交流会,共30余人参加。")
    document.add_paragraph("（天兴镇　李四）")
    document.save(path)


@pytest.fixture
def imported(workspace, tmp_path):
    heading, centred = tmp_path / "评估.docx", tmp_path / "交流会.docx"
    _word_with_heading_title(heading)
    _word_with_centred_bold_title(centred)
    result = CliRunner().invoke(main, ["-w", str(workspace), "import", str(heading), str(centred),
                                       "-s", "luxian", "-c", "部门动态", "-d", "2017-09-20"])
    assert result.exit_code == 0, result.output
    return workspace, result.output


def _item(path):
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def test_heading_title_attribution_and_body(imported):
    workspace, output = imported
    path = workspace / "items/luxian/2017-09/县就业局开展创业培训质量评估.md"
    assert "已导入 items/luxian/2017-09/县就业局开展创业培训质量评估.md" in output
    front, body = _item(path)
    assert front == {"title": "县就业局开展创业培训质量评估", "column": "部门动态", "date": "2017-09-20",
                     "source": "县就业局", "author": "张三", "kind": "article"}
    assert body.startswith("\n今年以来，县就业局围绕稳就业；组织开展创业培训(SYB)评估。截至2023年6月，共培训1,200人次。\n")
    assert "\n## 一、主要做法\n" in body and "\n### （一）强化组织领导\n" in body
    assert "\n建立评估制度实行一班一评。\n" in body
    assert "详见 http://www.example.cn/a?b=1,c 和 Hello, world!" in body
    assert "| 项目 | 人次 |\n|---|---|\n| SYB培训 | 800 |\n| 网创培训 | 400 |" in body
    assert "![](县就业局开展创业培训质量评估-1.png)" in body
    assert "县就业局  张三" not in body and "\n\n\n" not in body
    picture = path.with_name("县就业局开展创业培训质量评估-1.png")
    with Image.open(picture) as image:
        assert image.size == (320, 200)


def test_merged_cells_kept_as_an_html_table(workspace, tmp_path):
    document = Document()
    document.add_heading("各镇培训情况", level=1)
    document.add_paragraph("各镇培训情况如下。")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "2023年培训人次"
    for row, values in enumerate((("镇", "SYB", "网创"), ("天兴镇", "30", "12")), start=1):
        for column, value in enumerate(values):
            table.cell(row, column).text = value
    document.save(tmp_path / "表格.docx")
    result = CliRunner().invoke(main, ["-w", str(workspace), "import", str(tmp_path / "表格.docx"), "-s", "luxian",
                                       "-d", "2017-09-20"])
    assert result.exit_code == 0, result.output
    _, body = _item(workspace / "items/luxian/2017-09/各镇培训情况.md")
    assert ('<table>\n<tr><td colspan="3">2023年培训人次</td></tr>\n<tr><td>镇</td><td>SYB</td><td>网创</td></tr>\n'
            '<tr><td>天兴镇</td><td>30</td><td>12</td></tr>\n</table>') in body
    built = CliRunner().invoke(main, ["-w", str(workspace), "add", "--issue", "luxian/2017-09",
                                      "luxian/2017-09/各镇培训情况.md"])
    assert built.exit_code == 0
    assert CliRunner().invoke(main, ["-w", str(workspace), "build", "luxian/2017-09", "-f", "docx,html"]).exit_code == 0
    page = (workspace / "dist/luxian/泸县双创简报2017年第9期.html").read_text(encoding="utf-8")
    assert re.search(r'<td[^>]* colspan="3"[^>]*>2023年培训人次</td>|<td colspan="3"[^>]*>2023年培训人次</td>', page)


def test_centred_bold_title(imported):
    workspace, _ = imported
    front, body = _item(workspace / "items/luxian/2017-09/天兴镇组织开展创业交流会.md")
    assert front["title"] == "天兴镇组织开展创业交流会"
    assert (front["source"], front["author"]) == ("天兴镇", "李四")
    assert body.strip() == "8月20日，天兴镇组织返乡创业人员开展交流会，共30余人参加。"


def test_imported_items_check_and_build(imported):
    workspace, _ = imported
    runner = CliRunner()
    ws = ["-w", str(workspace)]
    for name in ("县就业局开展创业培训质量评估.md", "天兴镇组织开展创业交流会.md"):
        result = runner.invoke(main, ws + ["add", f"items/luxian/2017-09/{name}", "--issue", "luxian/2017-09"])
        assert result.exit_code == 0, result.output
    assert runner.invoke(main, ws + ["check"]).exit_code == 0
    result = runner.invoke(main, ws + ["build", "luxian/2017-09", "--format", "docx,html"])
    assert result.exit_code == 0, result.output
    assert (workspace / "dist/luxian/泸县双创简报2017年第9期.docx").is_file()
    page = (workspace / "dist/luxian/泸县双创简报2017年第9期.html").read_text(encoding="utf-8")
    assert "县就业局开展创业培训质量评估" in page and "（县就业局　张三）" in page
    assert re.search(r"<td[^>]*>SYB培训</td>", page) and 'class="level-1"' in page and "<img" in page


def test_word_file_written_by_libreoffice_from_html(workspace, tmp_path):
    soffice = require_tool("soffice")
    source = tmp_path / "来稿.html"
    source.write_text(
        "<html><body><h1>州科技局召开科技特派员工作会</h1>"
        "<p>会议要求,各县市要加强对接;确保服务到位。</p>"
        "<ul><li>选派特派员</li><li>建立台账</li></ul>"
        "<table border='1'><tr><td>县市</td><td>人数</td></tr><tr><td>泸县</td><td>12</td></tr></table>"
        "<p>（州科技局  吴启荣）</p></body></html>", encoding="utf-8")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=300)
    result = CliRunner().invoke(main, ["-w", str(workspace), "import", str(tmp_path / "来稿.docx"),
                                       "-s", "luxian", "-d", "2017-09-20"])
    assert result.exit_code == 0, result.output
    front, body = _item(workspace / "items/luxian/2017-09/州科技局召开科技特派员工作会.md")
    assert front["title"] == "州科技局召开科技特派员工作会"
    assert front["column"] == "要闻"  # the series' first column for articles
    assert (front["source"], front["author"]) == ("州科技局", "吴启荣")
    assert "会议要求，各县市要加强对接；确保服务到位。" in body
    assert "- 选派特派员\n- 建立台账" in body
    assert "| 县市 | 人数 |\n|---|---|\n| 泸县 | 12 |" in body


def test_doc_goes_through_libreoffice(workspace, tmp_path):
    soffice = require_tool("soffice")
    _word_with_centred_bold_title(tmp_path / "交流会.docx")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                    "doc:MS Word 97", "--outdir", str(tmp_path / "doc"), str(tmp_path / "交流会.docx")],
                   check=True, capture_output=True, timeout=300)
    result = CliRunner().invoke(main, ["-w", str(workspace), "import", str(tmp_path / "doc/交流会.doc"),
                                       "-s", "luxian", "-c", "各镇亮点", "-d", "2017-09-20"])
    assert result.exit_code == 0, result.output
    front, body = _item(workspace / "items/luxian/2017-09/天兴镇组织开展创业交流会.md")
    assert (front["title"], front["column"], front["author"]) == ("天兴镇组织开展创业交流会", "各镇亮点", "李四")
    assert "天兴镇组织返乡创业人员开展交流会，共30余人参加。" in body


def test_doc_without_libreoffice_is_a_chinese_message(workspace, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_SOFFICE", str(tmp_path / "没有这个程序"))
    doc = tmp_path / "旧稿.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0not really a doc")
    result = CliRunner().invoke(main, ["-w", str(workspace), "import", str(doc), "-s", "luxian"])
    assert result.exit_code == 1
    assert "未找到 LibreOffice，无法导入 .doc 文件" in result.output and "libreoffice" in result.output.lower()
    assert not list((workspace / "items").rglob("旧稿*"))


def test_damaged_docx_is_a_chinese_message(workspace, tmp_path):
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"PK\x03\x04 broken")
    result = CliRunner().invoke(main, ["-w", str(workspace), "import", str(bad), "-s", "luxian"])
    assert result.exit_code == 1 and "无法读取 Word 文件" in result.output
    assert "Traceback" not in result.output


def test_a_zip_bomb_is_refused_before_it_is_unpacked(workspace, tmp_path):
    """A .docx whose XML unpacks to 101 MB (a real one: a few MB) is refused with a Chinese
    message, quickly and without a reader holding it in memory."""
    bomb = tmp_path / "炸弹.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("word/document.xml", "w") as part:
            chunk = b" " * 2**20
            for _ in range(101):
                part.write(chunk)
    assert bomb.stat().st_size < 2**20  # what a clerk would receive: a small file
    result = CliRunner().invoke(main, ["-w", str(workspace), "import", str(bomb), "-s", "luxian"])
    assert result.exit_code == 1
    assert "Word 文件解压后有 101 MB（其中文字和格式 101 MB），超过上限（共 512 MB，文字和格式 100 MB）" in result.output
    assert "Traceback" not in result.output
    assert not list((workspace / "items").rglob("炸弹*"))


@pytest.mark.parametrize("written, cleaned", [
    ("会议指出,要加强领导;做好工作:一是(试点)。", "会议指出，要加强领导；做好工作：一是（试点）。"),
    ("是吗?好!", "是吗？好！"),
    ("截至2023.7.17,共投入1,000万元", "截至2023.7.17，共投入1,000万元"),
    ("12:30在3号楼", "12:30在3号楼"),
    ("访问 http://a.cn/x?a=1,b 了解", "访问 http://a.cn/x?a=1,b 了解"),
    ("Hello, world (test)!", "Hello, world (test)!"),
    ("第(1)项,见(WTO)规则", "第(1)项，见(WTO)规则"),
])
def test_ascii_punctuation_between_chinese(written, cleaned):
    assert full_width_punctuation(written) == cleaned


def test_manual_line_breaks_join():
    assert join_broken_lines(["　　第一行", "第二行 ", "Latin", "word"]) == "第一行第二行Latin word"
