"""第N期 per year, 总第M期 across years, specials on their own; duplicates and gaps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefings.diagnostics import Report
from briefings.model import Manifest
from briefings.numbering import check_numbers, next_number


def manifest(number, date, total=None, special="", series="s", name=None):
    name = name or f"{date[:4]}-{special}{number}"
    return Manifest(path=Path(f"/ws/issues/{series}/{name}.yaml"), id=f"{series}/{name}", series=series,
                    date=dt.date.fromisoformat(date), number=number, total=total, special=special,
                    line_of={"number": 2, "total": 3})


def test_first_issue_of_a_series():
    assert next_number([], "s", 2024, with_total=True) == (1, 1)


def test_number_restarts_in_january_and_total_keeps_counting():
    existing = [manifest(1, "2023-03-01", 10), manifest(2, "2023-12-20", 11)]
    assert next_number(existing, "s", 2023, with_total=True) == (3, 12)
    assert next_number(existing, "s", 2024, with_total=True) == (1, 12)


def test_specials_have_their_own_sequence_and_no_total():
    existing = [manifest(4, "2023-05-01", 20), manifest(1, "2023-06-01", special="增刊")]
    assert next_number(existing, "s", 2023, "增刊", with_total=True) == (2, None)
    assert next_number(existing, "s", 2023, "防汛专刊", with_total=True) == (1, None)
    # A special never moves the regular numbers.
    assert next_number(existing, "s", 2023, with_total=True) == (5, 21)


def test_other_series_do_not_count():
    existing = [manifest(7, "2023-05-01", 30, series="other")]
    assert next_number(existing, "s", 2023, with_total=True) == (1, 1)


def test_series_without_totals():
    assert next_number([manifest(2, "2023-01-01")], "s", 2023).total is None


def test_duplicate_number_is_an_error():
    report = Report()
    check_numbers([manifest(3, "2023-01-01", 1, name="a"), manifest(3, "2023-02-01", 2, name="b")], report)
    assert len(report.errors) == 1
    assert "第3期" in report.errors[0].message and "s/a" in report.errors[0].message


def test_duplicate_total_is_an_error():
    report = Report()
    check_numbers([manifest(1, "2023-01-01", 5), manifest(2, "2023-02-01", 5)], report)
    assert any("总第5期" in d.message for d in report.errors)


def test_gap_is_a_warning_naming_the_missing_numbers():
    report = Report()
    check_numbers([manifest(1, "2023-01-01", 1), manifest(4, "2023-04-01", 2)], report)
    check_numbers([manifest(9, "2017-09-01", 21)], report)  # a series joining mid-year: no gap
    assert not report.errors
    assert any("2、3" in d.message and "缺号" in d.message for d in report.warnings)


def test_same_number_in_different_years_is_fine():
    report = Report()
    check_numbers([manifest(1, "2023-01-01", 1), manifest(1, "2024-01-01", 2)], report)
    assert not report.errors and not report.warnings


@pytest.mark.parametrize("special", ["增刊", "防汛专刊"])
def test_special_number_same_as_regular_is_no_duplicate(special):
    report = Report()
    check_numbers([manifest(1, "2023-01-01", 1), manifest(1, "2023-02-01", special=special)], report)
    assert not report.errors


def test_new_issue_command_writes_next_numbers(tmp_path):
    from click.testing import CliRunner

    from briefings.cli import main

    from briefings.scaffold import init_workspace

    runner = CliRunner()
    # init dates its example issue by the clock: a fixed day here, so the test means the same in any year.
    init_workspace(tmp_path / "ws", today=dt.date(2029, 3, 1))
    ws = ["-w", str(tmp_path / "ws")]
    for date in ("2030-11-01", "2030-12-01", "2031-01-05"):
        result = runner.invoke(main, ws + ["new", "issue", "-s", "gongzuo", "-d", date])
        assert result.exit_code == 0, result.output
    result = runner.invoke(main, ws + ["new", "issue", "-s", "gongzuo", "-d", "2031-02-01", "--special", "增刊"])
    assert result.exit_code == 0, result.output
    import yaml
    issues = {p.name: yaml.safe_load(p.read_text(encoding="utf-8"))
              for p in (tmp_path / "ws/issues/gongzuo").glob("*.yaml")}
    # init's example issue is numbered apart (示例第1期): the first real issue is 第1期（总第1期）.
    assert issues["2030-01.yaml"]["number"] == 1 and issues["2030-01.yaml"]["total"] == 1
    assert issues["2030-02.yaml"]["total"] == 2
    assert issues["2031-01.yaml"]["number"] == 1 and issues["2031-01.yaml"]["total"] == 3
    special = issues["2031-增刊-01.yaml"]
    assert special["number"] == 1 and special["special"] == "增刊" and "total" not in special


def test_a_series_that_starts_printing_totals_starts_at_1():
    existing = [manifest(3, "2023-01-01"), manifest(4, "2023-02-01")]  # no 总第 yet
    assert next_number(existing, "s", 2023, with_total=True) == (5, 1)
    assert next_number(existing, "s", 2023, with_total=False) == (5, None)


def test_only_the_years_own_regular_numbers_count():
    existing = [manifest(6, "2022-12-01", 6), manifest(2, "2023-02-01", 8, special="增刊")]
    assert next_number(existing, "s", 2023, with_total=True) == (1, 7)
    assert next_number(existing, "s", 2023, "增刊", with_total=True) == (3, None)


def diagnostics(report):
    return [(d.level, d.path.as_posix(), d.line, d.message) for d in report.items]


def test_numbering_messages_name_the_issue_file_line_and_numbers():
    report = Report()
    check_numbers([manifest(3, "2023-01-01", 7, name="a"), manifest(3, "2023-02-01", 7, name="b"),
                   manifest(6, "2023-06-01", 9, name="c")], report)
    assert diagnostics(report) == [
        ("错误", "/ws/issues/s/b.yaml", 2, "s 2023年第3期与 s/a 重复：一个期号只能给一期"),
        ("警告", "/ws/issues/s/c.yaml", 2, "s 2023年第4、5期缺号"),
        ("错误", "/ws/issues/s/b.yaml", 3, "s 总第7期与 s/a 重复：一个期号只能给一期"),
        ("警告", "/ws/issues/s/c.yaml", 3, "s 总第8期缺号"),
        ("警告", "/ws/issues/s/b.yaml", 3, "总期号 7 不大于前一期（s/a）的 7"),
    ]


def test_totals_going_backwards_are_a_warning_at_the_later_issue():
    report = Report()
    check_numbers([manifest(1, "2023-01-01", 12, name="a"), manifest(2, "2023-02-01", 11, name="b")], report)
    assert diagnostics(report) == [("警告", "/ws/issues/s/b.yaml", 3, "总期号 11 不大于前一期（s/a）的 12")]


def test_special_sequences_are_checked_on_their_own():
    report = Report()
    check_numbers([manifest(1, "2023-01-01", special="增刊", name="z1"),
                   manifest(3, "2023-05-01", special="增刊", name="z3")], report)
    assert diagnostics(report) == [("警告", "/ws/issues/s/z3.yaml", 2, "s 2023年增刊第2期缺号")]


def test_a_manifest_without_a_number_takes_none():
    # A manifest still being written (number not filled in) does not use up number 1.
    assert next_number([manifest(None, "2023-01-01")], "s", 2023) == (1, None)


def test_more_than_ten_missing_numbers_are_named_up_to_ten_and_counted():
    report = Report()
    check_numbers([manifest(1, "2023-01-01", name="a"), manifest(13, "2023-06-01", name="b"),
                   manifest(15, "2023-08-01", name="c")], report)
    assert diagnostics(report) == [
        ("警告", "/ws/issues/s/c.yaml", 2, "s 2023年第2、3、4、5、6、7、8、9、10、11期等 12 期缺号")]


def test_a_gap_before_consecutive_numbers_is_still_reported():
    report = Report()
    check_numbers([manifest(1, "2023-01-01", name="a"), manifest(3, "2023-03-01", name="b"),
                   manifest(4, "2023-04-01", name="c")], report)
    assert diagnostics(report) == [("警告", "/ws/issues/s/c.yaml", 2, "s 2023年第2期缺号")]


def test_issues_without_totals_have_no_total_sequence():
    # A series that does not print 总第: its issues carry no total, and nothing is said about totals.
    report = Report()
    check_numbers([manifest(1, "2023-01-01", name="a"), manifest(2, "2023-02-01", name="b"),
                   manifest(3, "2023-03-01", 7, name="c")], report)
    assert diagnostics(report) == []


def test_totals_are_compared_in_the_order_of_the_numbers_not_of_the_file_names():
    report = Report()
    check_numbers([manifest(2, "2023-02-01", 11, name="a"), manifest(1, "2023-01-01", 10, name="b")], report)
    assert diagnostics(report) == []
