"""Every kind of bad input gets its own message, `文件:行号: 错误|警告: …`, and
an error means nothing is written (see also test_inputs.py for front matter
keys and series settings)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from PIL import Image

from briefings.cli import main

ITEM = "suining/2023-07/02-suizhoubei-dasai.md"
MANIFEST = "issues/suining/2023-07.yaml"
FRONT = "---\ntitle: 标题\ncolumn: 要闻\ndate: 2023-07-12\n---\n\n第一段。\n"  # body starts on line 7


def write_item(root: Path, content: str | bytes) -> Path:
    path = root / "items" / ITEM
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def build(root: Path, *args: str):
    return CliRunner().invoke(main, ["-w", str(root), "build", "--out", str(root / "out"), *args])


def assert_refused(root: Path, where: str, message: str) -> None:
    """`build` exits 1 with `where: 错误: …message…` and writes nothing."""
    result = build(root)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.startswith(f"{where}: 错误: ")]
    assert any(message in line for line in lines), result.output
    assert not (root / "out").exists()


# --- front matter -----------------------------------------------------------

@pytest.mark.parametrize("text, line, message", [
    ("---\ntitle: [标题\ncolumn: 要闻\n---\n\n正文。\n", 2, "YAML 格式错误：方括号“[”没有配对的“]”"),
    ("---\ntitle: 标题\ncolumn: 要闻\ndate: 2023-07-12\n\n正文。\n", 1, "front matter 缺少结束的 ---"),
    ("---\ntitle: 标题\ncolumn: 要闻\ndate: 2023-07-12\norder: 第一\n---\n\n正文。\n", 5, "“order”应是整数，实际是“第一”"),
    ("---\ntitle: 标题\ncolumn: 要闻\ndate: 2023-08-01\n---\n\n正文。\n", 4,
     "稿件日期 2023-08-01 晚于所在期（suining/2023-07）的出刊日期 2023-07-17"),
])
def test_front_matter_problems(workspace, text, line, message):
    write_item(workspace, text)
    assert_refused(workspace, f"items/{ITEM}:{line}", message)


# --- files -------------------------------------------------------------------

def test_empty_item(workspace):
    write_item(workspace, "")
    assert_refused(workspace, f"items/{ITEM}:1", "稿件是空文件")


def test_utf8_with_bom_reads_fine(workspace):
    write_item(workspace, "\ufeff" + FRONT)
    result = build(workspace, "suining/2023-07", "-f", "html")
    assert result.exit_code == 0, result.output
    page = next((workspace / "out/suining").glob("*.html")).read_text(encoding="utf-8")
    assert "标题。</strong>第一段。" in page and "\ufeff" not in page


def test_gbk_item_is_named_and_fix_encoding_converts_it(workspace):
    original = FRONT + "县就业局召开支部工作会议。\n"
    path = write_item(workspace, original.encode("gbk"))
    assert_refused(workspace, f"items/{ITEM}:2", "文件是 GBK/GB18030 编码，不是 UTF-8")
    assert "briefing fix-encoding" in build(workspace).output

    other = workspace / "items/luxian/2017-09/09-tianxing-jiaoliuhui.md"
    untouched = other.read_bytes()
    result = CliRunner().invoke(main, ["-w", str(workspace), "fix-encoding"])
    assert result.exit_code == 0, result.output
    assert f"已转为 UTF-8：items/{ITEM}" in result.output and "转换 1 个文件" in result.output
    assert path.read_text(encoding="utf-8") == original
    assert other.read_bytes() == untouched
    assert build(workspace).exit_code == 0


def test_invalid_utf8_bytes_name_the_line(workspace):
    write_item(workspace, FRONT.encode("utf-8") + "第二段".encode("utf-8") + b"\xff\xfe" + "。\n".encode("utf-8"))
    assert_refused(workspace, f"items/{ITEM}:8", "文件不是有效的 UTF-8：本行有无法识别的字节（FF")


def test_control_characters_dropped_with_a_warning(workspace):
    write_item(workspace, FRONT + "\n第二段\x0b含控制\x01字符。\n")
    result = build(workspace, "suining/2023-07")
    assert result.exit_code == 0, result.output
    assert f"items/{ITEM}:9: 警告: 删除了 Word 无法保存的控制字符" in result.output
    built = docx.Document(str(next((workspace / "out/suining").glob("*.docx"))))
    assert any(p.text == "第二段含控制字符。" for p in built.paragraphs)


# --- images ------------------------------------------------------------------

def item_with_image(root: Path, src: str) -> None:
    write_item(root, FRONT + f"\n![现场]({src})\n")  # the image is on line 9


@pytest.mark.parametrize("src, message", [
    ("../../../../../../etc/passwd", "图片“../../../../../../etc/passwd”不在工作区内"),
    ("/etc/passwd", "图片“/etc/passwd”不在工作区内"),
    ("https://example.org/a.png", "必须是工作区内的文件，不能是网址"),
])
def test_image_paths_outside_the_workspace(workspace, src, message):
    item_with_image(workspace, src)
    assert_refused(workspace, f"items/{ITEM}:9", message)


def test_image_symlink_out_of_the_workspace(workspace, tmp_path):
    outside = tmp_path / "secret.png"
    Image.new("RGB", (10, 10)).save(outside)
    (workspace / "items" / ITEM).with_name("link.png").symlink_to(outside)
    item_with_image(workspace, "link.png")
    assert_refused(workspace, f"items/{ITEM}:9", "图片“link.png”是指向工作区以外的链接")


def not_an_image(path: Path) -> None:
    path.write_text("这不是图片", encoding="utf-8")


def truncated_jpeg(path: Path) -> None:
    Image.effect_noise((400, 300), 60).convert("RGB").save(path, "JPEG", quality=90)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def decompression_bomb(path: Path) -> None:
    # 144 megapixels, a few kilobytes on disk: over Pillow's 89-megapixel limit.
    Image.new("1", (12000, 12000)).save(path, "PNG")


@pytest.mark.parametrize("make, message", [
    (not_an_image, "不是图片文件"),
    (truncated_jpeg, "文件不完整（可能在下载或复制时被截断）"),
    (decompression_bomb, "像素过多，超过 89,478,485 像素的安全上限"),
])
def test_broken_image_files(workspace, make, message):
    make((workspace / "items" / ITEM).with_name("photo.png"))
    item_with_image(workspace, "photo.png")
    assert_refused(workspace, f"items/{ITEM}:9", message)


# --- issues ------------------------------------------------------------------

def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def second_manifest(root: Path, number: int, total: int, date: str, name: str = "2023-08") -> Path:
    path = root / f"issues/suining/{name}.yaml"
    text = (root / MANIFEST).read_text(encoding="utf-8")
    path.write_text(text.replace("number: 7", f"number: {number}").replace("total: 45", f"total: {total}")
                    .replace("date: 2023-07-17", f"date: {date}"), encoding="utf-8")
    return path


def test_same_item_twice_in_one_issue(workspace):
    edit(workspace / MANIFEST, f"  - {ITEM}\n", f"  - {ITEM}\n  - {ITEM}\n")
    assert_refused(workspace, f"{MANIFEST}:8", f"稿件“{ITEM}”在本期重复列出（第 7 行已列出）")


def test_item_already_published_in_another_issue_is_a_warning(workspace):
    second_manifest(workspace, 8, 46, "2023-08-17")
    result = build(workspace)
    assert result.exit_code == 0, result.output
    assert (f"issues/suining/2023-08.yaml:7: 警告: 稿件“{ITEM}”已在 suining/2023-07（2023年第7期）刊发过"
            in result.output)
    assert f"{MANIFEST}:7: 警告" not in result.output  # the first publication is fine


def test_duplicate_number(workspace):
    second_manifest(workspace, 7, 46, "2023-08-17")
    assert_refused(workspace, "issues/suining/2023-08.yaml:2", "第7期")


def test_gap_in_numbers_is_a_warning(workspace):
    second_manifest(workspace, 9, 46, "2023-08-17")
    result = build(workspace)
    assert result.exit_code == 0, result.output
    assert "issues/suining/2023-08.yaml:2: 警告: " in result.output and "第8期缺号" in result.output


def test_manifest_names_a_missing_series(workspace):
    edit(workspace / MANIFEST, "series: suining", "series: suinig")
    assert_refused(workspace, f"{MANIFEST}:1", "找不到刊物“suinig”")
    assert "是否指“suining”？" in build(workspace).output


def test_invalid_series_file_is_reported_once(workspace):
    edit(workspace / "series/suining.yaml", "name: ", "name: [")
    result = build(workspace)
    assert result.exit_code == 1
    assert "series/suining.yaml:" in result.output and "YAML 格式错误" in result.output
    assert "找不到刊物" not in result.output
    assert not (workspace / "out").exists()


def test_word_template_without_the_number_field(workspace):
    from briefings.templatedir import DOCX_TEMPLATE, default_templates_dir

    template = docx.Document(str(default_templates_dir() / DOCX_TEMPLATE))
    for paragraph in template.paragraphs:
        if "{{ number_line }}" in paragraph.text:
            for run in paragraph.runs:
                run.text = run.text.replace("{{ number_line }}", "第1期")
    template.save(str(workspace / "series/custom.docx"))
    edit(workspace / "series/suining.yaml", "name: ", "template: custom.docx\nname: ")
    assert_refused(workspace, "series/suining.yaml:1", "模板“custom.docx”缺少必需的字段：{{ number_line }}（期号）")


# --- content that must stay inert -------------------------------------------

HOSTILE = """\
{{ series_name }} {% if true %}模板语法{% endif %}

<script>alert("x")</script><img src="../../../images/luxian/tianfubei-final.png" onerror="alert(1)"><iframe src="https://evil.example/"></iframe>

[点我](javascript:alert(2)) <a href="javascript:alert(3)" onclick="alert(4)">链接</a>
"""


def test_template_syntax_and_raw_html_are_inert(workspace):
    write_item(workspace, FRONT + "\n" + HOSTILE)
    result = build(workspace, "suining/2023-07")
    assert result.exit_code == 0, result.output
    page = next((workspace / "out/suining").glob("*.html")).read_text(encoding="utf-8")
    assert "{{ series_name }} {% if true %}模板语法{% endif %}" in page
    for banned in ("<script", "onerror", "onclick", "<iframe", "javascript:", "alert("):
        assert banned not in page.lower(), banned

    path = next((workspace / "out/suining").glob("*.docx"))
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode("utf-8")
        rels = package.read("word/_rels/document.xml.rels").decode("utf-8")
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "{{ series_name }} {% if true %}模板语法{% endif %}" in texts
    for banned in ("script", "onerror", "iframe", "javascript:", "alert("):
        assert banned not in xml and banned not in rels, banned


def test_html_template_with_a_syntax_error(workspace):
    (workspace / "series/custom.html").write_text('{% extends "base.html" %}\n{% block page %}\n{% if x %}\n',
                                                  encoding="utf-8")
    edit(workspace / "series/suining.yaml", "name: ", "html_template: custom.html\nname: ")
    assert_refused(workspace, "series/suining.yaml:1", "模板“custom.html”第 3 行语法错误")
