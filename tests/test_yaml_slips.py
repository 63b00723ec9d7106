"""The YAML slips clerks make: each its own Chinese message, at its own line, with the fix;
and paragraphs indented as in Word stay paragraphs."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from lxml import html

from briefings.cli import main

ITEM = "items/luxian/2017-09/08-peixun-pinggu.md"
MANIFEST = "issues/luxian/2017-09.yaml"


def check(workspace):
    return CliRunner().invoke(main, ["-w", str(workspace), "check"])


def replace_line(path, number, text):
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[number - 1] = text
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("where, line, text, expected", [
    # A full-width colon: YAML itself blames the next line, in English.
    (ITEM, 2, "title：县就业局调整完善创业培训质量评估体系", "2: 错误: “title”后面是中文全角冒号“：”（YAML 要用英文冒号加空格"),
    (ITEM, 3, "栏目：部门动态", "3: 错误: “栏目”后面是中文全角冒号“：”"),
    (MANIFEST, 2, "number：9", "2: 错误: “number”后面是中文全角冒号“：”"),
    # The last key: YAML reads the line as part of the value above, silently.
    (MANIFEST, 28, "approver：张三", "28: 错误: “approver”后面是中文全角冒号“：”"),
    # Word's curly quotes around a value would be printed.
    (ITEM, 5, "source: “县就业局”", "5: 错误: 值两边是 Word 的中文引号，引号会原样印出（不需要引号时删去"),
    (MANIFEST, 25, "  copies: “80”", "25: 错误: 值两边是 Word 的中文引号"),
    # PyYAML blames the line where it gave up, in English; the clerk is told, in Chinese,
    # at the line where the bracket or quote was opened.
    (MANIFEST, 25, "  extra: [县委宣传部", "25: 错误: YAML 格式错误：方括号“[”没有配对的“]”（列表写在一行时要在同一行用 ] 结束"),
    (ITEM, 2, 'title: "县就业局调整完善创业培训质量评估体系', "2: 错误: YAML 格式错误：引号没有结束（请在值的末尾补上配对的英文引号）"),
    (ITEM, 5, "source: 县就业局: 办公室", "5: 错误: YAML 格式错误：这一行的冒号不能出现在这里（值中含有“: ”时请给整个值加英文引号"),
    (ITEM, 5, " source: 县就业局", "5: 错误: YAML 格式错误：这一行的冒号不能出现在这里（值中含有“: ”时请给整个值加英文引号；"
                                   "若这一行是新的键，请与上面的键对齐"),
    (ITEM, 5, 'source: "县就业局" 办公室', "5: 错误: YAML 格式错误：缩进不一致，或一个值后面多了内容（同一层的键要用同样多的空格对齐"),
    (ITEM, 5, "source: *县就业局", "5: 错误: YAML 格式错误：值以 * 或 & 开头，YAML 把它当作引用"),
    (ITEM, 5, "source: *a", "5: 错误: YAML 格式错误：值以 * 或 & 开头，YAML 把它当作引用"),
    (ITEM, 5, "source: @县就业局", "5: 错误: YAML 格式错误：值不能以这个符号开头（值以 @、`、% 等符号开头时"),
])
def test_slip_named_at_its_line(workspace, where, line, text, expected):
    replace_line(workspace / where, line, text)
    result = check(workspace)
    assert result.exit_code == 1
    assert f"{where}:{expected}" in result.output, result.output
    assert "could not" not in result.output and "expected" not in result.output and "found" not in result.output


@pytest.mark.parametrize("indent, expected", [
    ("\t", "缩进里有 Tab 键（缩进只能用英文空格（半角），请把 Tab 或全角空格换成两个空格）"),
    ("\u3000", "缩进里有全角空格（缩进只能用英文空格（半角）"),
    ("  \u3000", "缩进里有全角空格"),
])
def test_indent_with_tab_or_full_width_space(workspace, indent, expected):
    replace_line(workspace / MANIFEST, 25, f"{indent}copies: 80")
    result = check(workspace)
    assert result.exit_code == 1
    assert f"{MANIFEST}:25: 错误: {expected}" in result.output, result.output


@pytest.mark.parametrize("written", ["2017年9月25日", "2017.9.25", "2017/9/25", "2017-9-25"])
def test_dates_as_clerks_write_them_are_accepted(workspace, written):
    replace_line(workspace / MANIFEST, 4, f"date: {written}")
    result = check(workspace)
    assert result.exit_code == 0, result.output
    listing = CliRunner().invoke(main, ["-w", str(workspace), "list"]).output
    assert "2017年9月25日" in listing


def test_a_date_that_cannot_be_read_says_how_to_write_it(workspace):
    replace_line(workspace / MANIFEST, 4, "date: 9月25日")
    result = check(workspace)
    assert f"{MANIFEST}:4: 错误: “date”日期“9月25日”格式不对，应写成 2023-07-17" in result.output


def test_curly_quotes_inside_a_value_are_fine(workspace):
    replace_line(workspace / ITEM, 2, "title: 县就业局落实“双创”政策")
    assert check(workspace).exit_code == 0


def test_indented_paragraphs_stay_paragraphs_fenced_code_stays(workspace, tmp_path):
    item = workspace / ITEM
    item.write_text(item.read_text(encoding="utf-8") +
                    "\n    用空格缩进的一段，像在 Word 里那样。\n\n\t用 Tab 缩进的一段。\n\n```\n代码 = 1\n```\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["-w", str(workspace), "build", "luxian/2017-09", "-f", "html",
                                       "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    page = html.fromstring((tmp_path / "luxian/泸县双创简报2017年第9期.html").read_bytes())
    paragraphs = [p.text_content() for p in page.iter("p")]
    assert "用空格缩进的一段，像在 Word 里那样。" in paragraphs and "用 Tab 缩进的一段。" in paragraphs
    assert [pre.text_content() for pre in page.iter("pre")] == ["代码 = 1\n"]
