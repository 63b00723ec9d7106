"""Configuration validation and broken items: `文件:行号: message`, exit 1, nothing written."""

from __future__ import annotations


import pytest
from click.testing import CliRunner

from briefings.cli import main
from briefings.config import read_series
from briefings.diagnostics import Report
from conftest import SAMPLES

GOOD_ITEM = "suining/2023-07/02-suizhoubei-dasai.md"


def write_series(tmp_path, text):
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    report = Report()
    return read_series(path, report), report


def test_valid_series_reads_every_setting(tmp_path):
    series, report = write_series(tmp_path, (SAMPLES / "series/suining.yaml").read_text(encoding="utf-8"))
    assert not report.items
    assert series.title_style == "run_in" and series.toc and series.toc_marker == "★"
    assert [c.name for c in series.columns] == ["要闻", "工作简讯"]
    assert series.columns[1].kind == "brief" and series.columns[1].unit_prefix
    assert series.terminal_punctuation == "" and series.copies == 60
    assert series.distribution[0].label == "呈送"


@pytest.mark.parametrize("text, line, words", [
    ("name: 简报\noffice: 办公室\ncolumns: [{name: 要闻}]\ntitel_style: block\n", 4, ["未知的配置项", "titel_style", "是否指"]),
    ("name: 简报\ncolumns: [{name: 要闻}]\n", 1, ["缺少必填项", "office"]),
    ("name: 简报\noffice: 办公室\ncolumns: [{name: 要闻}]\ndate_style: roman\n", 4, ["date_style", "arabic"]),
    ("name: 简报\noffice: 办公室\ncolumns: [{name: 要闻}]\ndistribution:\n  copies: many\n", 5, ["copies", "整数"]),
    ("name: 简报\noffice: 办公室\ncolumns:\n  - name: 要闻\n  - name: 要闻\n", 5, ["栏目", "重复"]),
    ("name: 简报\noffice: 办公室\ncolumns: [{name: 要闻}]\nnumbering:\n  number_format: \"第{n}期\"\n", 5, ["number_format", "{number}"]),
    ("name: 简报\noffice: 办公室\ncolumns: [{name: 要闻}]\nlocale: xx_YY\n", 4, ["locale"]),
    ("name: [简报\n", 1, ["YAML 格式错误", "方括号“[”没有配对的“]”"]),
])
def test_series_errors_point_at_file_and_key(tmp_path, text, line, words):
    series, report = write_series(tmp_path, text)
    assert series is None
    error = report.errors[0]
    assert error.path.name == "s.yaml" and error.line == line, error.format()
    for word in words:
        assert word in error.format()


def build_output(runner, root):
    return runner.invoke(main, ["-w", str(root), "build", "--out", str(root / "out")])


@pytest.mark.parametrize("front, line, message", [
    ("column: 要闻\ndate: 2023-07-12\nkind: article\n", 2, "缺少必填项“title”"),
    ("title: 标题\ncolumn: 要问\ndate: 2023-07-12\n", 3, "未知的栏目“要问”"),
    ("title: 标题\ncolumn: 要闻\ndate: 2023-02-30\n", 4, "日期“2023-02-30”不存在"),
    ("title: 标题\ncolumn: 要闻\ndate: 2023-07-12\ncolunm: x\n", 5, "未知的配置项“colunm”"),
])
def test_broken_front_matter(workspace, front, line, message):
    path = workspace / "items" / GOOD_ITEM
    path.write_text(f"---\n{front}---\n\n正文。\n", encoding="utf-8")
    result = build_output(CliRunner(), workspace)
    assert result.exit_code == 1
    assert f"items/{GOOD_ITEM}:{line}: 错误: " in result.output and message in result.output, result.output
    assert not (workspace / "out").exists()


def test_unknown_column_suggests_the_right_one(workspace):
    path = workspace / "items" / GOOD_ITEM
    path.write_text("---\ntitle: 标题\ncolumn: 工作简迅\ndate: 2023-07-12\n---\n\n正文。\n", encoding="utf-8")
    result = build_output(CliRunner(), workspace)
    assert "是否指“工作简讯”？" in result.output


def test_missing_image_names_the_line(workspace):
    path = workspace / "items" / GOOD_ITEM
    path.write_text("---\ntitle: 标题\ncolumn: 要闻\ndate: 2023-07-12\n---\n\n第一段。\n\n![现场](missing.png)\n",
                    encoding="utf-8")
    result = build_output(CliRunner(), workspace)
    assert result.exit_code == 1
    assert f"items/{GOOD_ITEM}:9: 错误: 图片“missing.png”不存在" in result.output
    assert not (workspace / "out").exists()


def test_broken_item_leaves_the_previous_build_untouched(workspace):
    runner = CliRunner()
    assert build_output(runner, workspace).exit_code == 0
    before = {p: p.read_bytes() for p in (workspace / "out").rglob("*") if p.is_file()}
    (workspace / "items" / GOOD_ITEM).write_text("---\ncolumn: 要闻\ndate: 2023-07-12\n---\n正文\n", encoding="utf-8")
    assert build_output(runner, workspace).exit_code == 1
    after = {p: p.read_bytes() for p in (workspace / "out").rglob("*") if p.is_file()}
    assert before == after


def test_manifest_naming_a_missing_item(workspace):
    manifest = workspace / "issues/suining/2023-07.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("02-suizhoubei-dasai.md", "02-nope.md"),
                        encoding="utf-8")
    result = build_output(CliRunner(), workspace)
    assert "issues/suining/2023-07.yaml:7: 错误: 稿件“suining/2023-07/02-nope.md”不存在" in result.output


def test_check_lists_every_problem_at_once(workspace):
    (workspace / "items" / GOOD_ITEM).write_text("---\ncolumn: 要闻\ndate: 2023-13-01\n---\n正文\n", encoding="utf-8")
    other = workspace / "items/luxian/2017-09/09-tianxing-jiaoliuhui.md"
    other.write_text(other.read_text(encoding="utf-8").replace("column: 各镇亮点", "column: 各镇亮典"), encoding="utf-8")
    result = CliRunner().invoke(main, ["-w", str(workspace), "check"])
    assert result.exit_code == 1
    assert "缺少必填项“title”" in result.output
    assert "日期“2023-13-01”不存在" in result.output
    assert "未知的栏目“各镇亮典”" in result.output


def test_check_passes_on_the_samples(workspace):
    result = CliRunner().invoke(main, ["-w", str(workspace), "check"])
    assert result.exit_code == 0, result.output
    assert "检查通过：2 期、1 份公文，0 个警告。" in result.output
