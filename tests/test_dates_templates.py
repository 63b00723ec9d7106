"""Dates as printed, and series that bring their own Word template."""

from __future__ import annotations

import datetime as dt

import docx
import pytest
import yaml
from click.testing import CliRunner

from briefings.cli import main
from briefings.dates import format_issue_date
from briefings.templatedir import default_templates_dir
from conftest import copy_samples


@pytest.mark.parametrize("date, style, expected", [
    (dt.date(2023, 7, 17), "arabic", "2023年7月17日"),
    (dt.date(2023, 1, 5), "arabic", "2023年1月5日"),
    (dt.date(2023, 7, 17), "chinese", "二〇二三年七月十七日"),
    (dt.date(2020, 10, 30), "chinese", "二〇二〇年十月三十日"),
    (dt.date(2021, 12, 21), "chinese", "二〇二一年十二月二十一日"),
])
def test_issue_dates(date, style, expected):
    assert format_issue_date(date, "zh_CN", style) == expected


@pytest.mark.parametrize("locale", ["zh_CN", "zh_TW", "en_US"])
def test_issue_dates_are_babels_long_format(locale):
    """The default locale's dates are written without babel: they must stay what babel prints."""
    from babel.dates import format_date

    days = [dt.date(2015, 1, 1) + dt.timedelta(days=n) for n in range(0, 5000, 37)]
    assert [format_issue_date(day, locale) for day in days] == [format_date(day, "long", locale) for day in days]


def workspace_with_template(tmp_path, edit):
    root = tmp_path / "ws"
    copy_samples(root)
    template = docx.Document(str(default_templates_dir() / "briefing.docx"))
    edit(template)
    template.save(str(root / "series" / "custom.docx"))
    series = root / "series/suining.yaml"
    series.write_text(series.read_text(encoding="utf-8") + "template: custom.docx\n", encoding="utf-8")
    return root


def test_series_uses_its_own_template(tmp_path):
    def add_line(template):
        template.paragraphs[0].insert_paragraph_before("本刊物专用模板")

    root = workspace_with_template(tmp_path, add_line)
    result = CliRunner().invoke(main, ["-w", str(root), "build", "suining/2023-07", "-f", "docx"])
    assert result.exit_code == 0, result.output
    built = docx.Document(str(root / "dist/suining/遂宁返乡创业简报2023年第7期.docx"))
    assert built.paragraphs[0].text == "本刊物专用模板"
    assert any(p.text.startswith("遂宁市农民工暨返乡下乡创业工作领导小组办公室赴北京") for p in built.paragraphs)


def drop_body(template):
    """A Word template edit: remove the {{ body }} paragraph."""
    for paragraph in template.paragraphs:
        if "{{ body }}" in paragraph.text:
            paragraph._p.getparent().remove(paragraph._p)


def test_template_without_body_field_is_refused(tmp_path):
    root = workspace_with_template(tmp_path, drop_body)
    result = CliRunner().invoke(main, ["-w", str(root), "build", "suining/2023-07", "-f", "docx"])
    assert result.exit_code == 1
    assert "series/suining.yaml:" in result.output and "“custom.docx”缺少必需的字段：{{ body }}" in result.output
    assert "找不到刊物" not in result.output  # the series exists; its template is what is wrong
    assert not (root / "dist").exists()


def test_chinese_dates_in_the_masthead(tmp_path):
    root = tmp_path / "ws"
    copy_samples(root)
    path = root / "series/luxian.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["date_style"] = "chinese"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["-w", str(root), "build", "luxian/2017-09", "-f", "docx"])
    assert result.exit_code == 0, result.output
    built = docx.Document(str(root / "dist/luxian/泸县双创简报2017年第9期.docx"))
    assert any(p.text.endswith("\t二〇一七年九月二十五日") for p in built.paragraphs)
