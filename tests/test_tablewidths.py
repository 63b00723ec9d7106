"""The column-width algorithm with known inputs (expected values worked out by hand)."""

from __future__ import annotations

import pytest

from briefings.tablewidths import (
    CellText, column_widths, is_name_list, lines_needed, max_width, measure, min_width, share, to_units, tokens,
)


@pytest.mark.parametrize("text, expected", [
    ("2000", ["2000"]),
    ("2015年6月底完成", ["2015年6月", "底完成"]),
    ("2017年10月15日", ["2017年10月", "15日"]),
    ("昆山高新区", list("昆山高新区")),  # five characters: not kept as a name
    # In running text (a phrase longer than a name) CJK breaks between any two characters.
    ("围绕活动主题，集中展现各行业成果", list("围绕活动主") + ["题，"] + list("集中展现各行业成果")),
    ("江阳区", ["江阳区"]),
    ("市发改委、市科技局", ["市发改委、", "市科技局"]),
    ("市发改委、市人力资源局", list("市发改") + ["委、"] + list("市人力资源局")),
    ("（一）加快推进", ["（一）", "加快推进"]),
    ("联系电话：57303063。", ["联系电话：", "57303063。"]),
    ("SAE 2017 会议", ["SAE", "2017", "会议"]),
    # Seven CJK characters in a row are running text, not a name: they break anywhere.
    ("围绕活动主题集中展", list("围绕活动主题集中展")),
])
def test_tokens_keep_numbers_dates_and_names_whole(text, expected):
    assert list(tokens(text)) == expected


def test_min_and_max_width_in_ems():
    assert min_width(["28"]) == pytest.approx(1.1)  # digits count 0.55 em
    assert max_width(["序号"]) == 2.0
    assert max_width(["第一段较短", "第二段要长得多一些"]) == 9.0


def test_min_width_of_a_date_counts_half_width_digits():
    # 2 0 1 5 (4 × 0.55) + 年 (1) + 6 (0.55) + 月 (1) = 4.75 em
    assert min_width(["完成于2015年6月"]) == pytest.approx(4.75)


def test_measure_spreads_a_merged_cell_over_its_columns():
    cells = [CellText(0, ("甲",)), CellText(1, ("乙",)), CellText(0, ("责任单位",), span=2)]
    low, high = measure(cells, 2)
    # 责任单位 is one name of 4 em: each column needs 2 em.
    assert low == [2.0, 2.0] and high == [2.0, 2.0]
    # When names may break, 1 em (one character) is the least.
    assert measure(cells, 2, names=False)[0] == [1.0, 1.0]


def test_share_gives_minimums_then_the_rest_by_max_minus_min():
    # Room 100 - 30 = 70 shared 1:6 between the wants (10, 60).
    assert share([10, 20], [20, 80], 100) == pytest.approx([20, 80])
    assert share([10, 20], [15, 90], 100) == pytest.approx([10 + 70 * 5 / 75, 20 + 70 * 70 / 75])


def test_share_widens_a_table_that_fits_in_proportion_to_max():
    assert share([5, 5], [10, 30], 80) == pytest.approx([20, 60])


def test_share_returns_minimums_when_they_do_not_fit():
    assert share([60, 70], [100, 100], 100) == [60, 70]


def test_numbers_column_gets_its_number_and_long_text_the_rest():
    long_text = "加快推进重点项目建设，" * 40  # 440 em on one line
    cells = [CellText(0, ("序号",)), CellText(1, ("工作任务",)), CellText(2, ("完成时限",))]
    for row in range(28):
        cells += [CellText(0, (str(row + 1),)), CellText(1, (long_text,)), CellText(2, ("2017年12月底",))]
    # 12 pt text, 6 pt of cell margins, 442 pt of type width (156 mm).
    widths = column_widths(cells, 3, available=442, font=12, padding=6)
    # 序号: max(序号 2 em, 28 1 em) = 2 em; 完成时限: 4 em vs 2017年12月 (5 em) + 底 → 5 em + 1.
    assert widths[0] == pytest.approx((2 + 0.4) * 12 + 6)
    assert widths[2] < (6 + 0.4) * 12 + 6 + 3
    assert widths[2] >= (5 + 0.4) * 12 + 6
    assert sum(widths) == pytest.approx(442)
    assert widths[1] > 442 * 0.7


def test_to_units_keeps_the_sum():
    assert to_units([10.4, 10.4, 10.2], 31) == [11, 10, 10]
    assert sum(to_units([1000.3, 2000.3, 5843.4], 8844)) == 8844


@pytest.mark.parametrize("paragraphs, width, expected", [
    (["一二三四五六七八九十"], 4, 3),
    (["一二三四"], 4, 1),
    (["2017年12月底"], 5, 2),  # the date (5 em) fills a line, 底 goes to the next
    (["甲", "乙"], 4, 2),  # one line per paragraph
    (["12345678901234567890"], 4, 3),  # an 11-em number forced over three 4-em lines
    (["1234567"], 4, 1),  # 3.85 em: fits
])
def test_lines_needed(paragraphs, width, expected):
    assert lines_needed(paragraphs, width) == expected


@pytest.mark.parametrize("text, expected", [
    ("牵头单位", True),
    ("市财政局、市人社局", True),
    ("昆山高新区", False),  # five characters may break
    ("2017年9月底", True),
    ("28", False),  # no CJK: numbers are marked as numbers instead
])
def test_is_name_list(text, expected):
    assert is_name_list(text) is expected
