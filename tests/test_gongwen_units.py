"""公文 units: 发文字号 sequences, output names, signature-block arithmetic (GONGWEN.md §1–2)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from briefings.diagnostics import Report
from briefings.gongwen.model import Document, DocumentSeries, output_name
from briefings.gongwen.numbering import check_document_numbers, next_document_number
from briefings.gongwen.scaffold import new_document
from briefings.model import Item

SERIES = DocumentSeries("k", Path("series/k.yaml"), "昆山市人民政府办公室", "昆政办发", "昆山市人民政府办公室",
                        "昆山市人民政府办公室")


def doc(number: int, date: str, title: str = "关于印发工作方案的通知", series=SERIES) -> Document:
    when = dt.date.fromisoformat(date)
    return Document(Path(f"documents/k/{date}-{number}.md"), f"k/{date}-{number}", series, title, number,
                    when, Item(Path("x.md"), title, "", when), (series.office,), (series.masthead,))


def test_next_number_restarts_each_year():
    docs = [doc(175, "2017-09-01"), doc(176, "2017-09-28"), doc(3, "2018-01-20")]
    assert next_document_number(docs, "昆政办发", 2017) == 177
    assert next_document_number(docs, "昆政办发", 2018) == 4
    assert next_document_number(docs, "昆政办发", 2019) == 1


def test_next_number_never_reuses_a_withdrawn_gap():
    # 2 was withdrawn (its file deleted): the next number follows the highest, the gap stays.
    assert next_document_number([doc(1, "2017-01-05"), doc(3, "2017-02-01")], "昆政办发", 2017) == 4


def test_other_codes_have_their_own_sequence():
    other = DocumentSeries("z", Path("series/z.yaml"), "昆山市人民政府", "昆政发", "昆山市人民政府", "昆山市人民政府办公室")
    docs = [doc(176, "2017-09-28"), doc(40, "2017-09-30", series=other)]
    assert next_document_number(docs, "昆政发", 2017) == 41


def test_reference_and_duplicate_check():
    report = Report()
    check_document_numbers([doc(176, "2017-09-28"), doc(176, "2017-10-09"), doc(176, "2018-01-02")], report)
    assert [d.message for d in report.errors] == [
        "发文字号“昆政办发〔2017〕176号”已由 k/2017-09-28-176 使用：一个文号只能给一份公文"]
    assert doc(7, "2018-01-02").reference == "昆政办发〔2018〕7号"  # no 第, no leading zeros


def test_output_name_is_reference_and_title_safe_for_windows():
    assert output_name(doc(176, "2017-09-28")) == "昆政办发〔2017〕176号 关于印发工作方案的通知"
    odd = output_name(doc(5, "2017-09-28", title='关于"A/B"方案：是否*可行?的请示|'))
    assert odd == "昆政办发〔2017〕5号 关于＂A／B＂方案：是否＊可行？的请示"  # | is a line-break marker
    long = output_name(doc(5, "2017-09-28", title="关于" + "很长" * 60 + "的通知"))
    assert len(long.encode("utf-8")) == 180 and long.endswith("…")  # files.MAX_NAME_BYTES


def test_new_document_proposes_next_number_per_year(tmp_path):
    from briefings.gongwen.scaffold import SERIES_TEMPLATE

    root = tmp_path / "ws"
    (root / "series").mkdir(parents=True)
    (root / "series/xianfufa.yaml").write_text(SERIES_TEMPLATE, encoding="utf-8")
    first = new_document(root, "xianfufa", "关于甲的通知", dt.date(2026, 12, 30))
    second = new_document(root, "xianfufa", "关于乙的通知", dt.date(2027, 1, 4))
    third = new_document(root, "xianfufa", "关于丙的通知", dt.date(2027, 1, 5))
    texts = [p.read_text(encoding="utf-8") for p in (first, second, third)]
    assert [p.name for p in (first, second, third)] == ["2026-1.md", "2027-1.md", "2027-2.md"]
    assert "序号: 1\n" in texts[1] and "序号: 2\n" in texts[2]
    assert "成文日期: '2027-01-05'" in texts[2]


from briefings.gongwen.signature import signature_block  # noqa: E402

DATE = "2017年9月28日"  # 6.5 ems: 2017 and 28 are half-width digits


def test_stamped_date_four_in_name_centred_over_it():
    block = signature_block(["昆山市人民政府办公室"], DATE, sealed=True)
    assert block.date_right == 4.0
    assert block.names == [("昆山市人民政府办公室", 2.25)]  # centre 4 + 3.25 from the right, half of 10 ems


def test_stamped_long_name_keeps_two_characters():
    name = "昆山市大众创业万众创新工作领导小组办公室"  # 20 ems: centring would push it past the margin
    block = signature_block([name], DATE, sealed=True)
    assert block.names == [(name, 2.0)]
    assert block.date_right == 8.75  # centred under the name: 2 + (20 - 6.5) / 2


def test_unstamped_short_name_date_moves_right():
    block = signature_block(["县财政局"], DATE, sealed=False)
    # The date (6.5) would start 2 right of the name (4) and reach past the margin: it sits 2 in,
    # and the name starts 2 characters before it.
    assert block.date_right == 2.0
    assert block.names == [("县财政局", 6.5)]  # starts 10.5 from the right: 2 + 6.5 + 2


def test_unstamped_long_name_two_in_date_two_right_of_its_start():
    block = signature_block(["昆山市人民政府办公室"], DATE, sealed=False)
    assert block.names == [("昆山市人民政府办公室", 2.0)]
    assert block.date_right == 1.5 + 2  # starts 2 right of the name: 12 - 2 - 6.5 from the right


def test_joint_names_start_at_one_place():
    block = signature_block(["昆山市人民政府办公室", "昆山市财政局"], DATE, sealed=False)
    assert block.names == [("昆山市人民政府办公室", 2.0), ("昆山市财政局", 6.0)]


from briefings.typeset import phrases, title_lines  # noqa: E402
from briefings.writers.html import phrase_html  # noqa: E402


def test_title_lines_keep_words_whole_on_real_titles():
    # 22 pt titles on the 156 mm type area: 20 characters a line.
    assert title_lines("市政府办公室关于印发2017年全国大众创业万众创新活动周暨“创响江苏”活动月苏州分会场昆山市工作方案的通知",
                       20.1) == ["市政府办公室关于印发2017年全国大众", "创业万众创新活动周暨“创响江苏”",
                                 "活动月苏州分会场昆山市工作方案的通知"]
    assert title_lines("县双创办精心组织参加四川省第一届“天府杯”创业大赛（泸州赛区）暨泸州市第四届创新创业大赛", 20.1) == [
        "县双创办精心组织参加四川省第一届", "“天府杯”创业大赛（泸州赛区）", "暨泸州市第四届创新创业大赛"]
    # The complaint: 州人民政府召开全州创/新驱动… and …专项行/动简报 on a phone.
    assert title_lines("州人民政府召开全州创新驱动发展大会", 9) == ["州人民政府召开全州", "创新驱动发展大会"]
    assert title_lines("遂宁返乡创业专项行动简报", 9) == ["遂宁返乡创业专项", "行动简报"]


def test_title_lines_never_leave_one_character_alone():
    for limit in (6, 7, 8, 9, 10, 11):
        lines = title_lines("我县积极组织开展2017“全国双创活动周”系列活动", limit)
        assert all(len(line) > 1 for line in lines), lines
        assert "".join(lines) == "我县积极组织开展2017“全国双创活动周”系列活动"


def test_quoted_names_stay_on_one_line():
    assert any("“创响江苏”" in phrase for phrase in phrases("暨“创响江苏”活动月"))
    assert phrases("关于开展创响江苏活动的通知")[-1] != "知"


def test_author_forced_break():
    assert title_lines("2017年全国大众创业万众创新活动周|暨“创响江苏”活动月苏州分会场", 30) == [
        "2017年全国大众创业万众创新活动周", "暨“创响江苏”活动月苏州分会场"]


def test_phrase_html_marks_breaks_and_escapes():
    assert str(phrase_html("遂宁返乡创业专项行动简报")) == "遂宁返乡<wbr>创业专项<wbr>行动<wbr>简报"
    assert str(phrase_html("甲<b>|乙")) == "甲&lt;b&gt;<br>乙"


def test_cli_new_gongwen_and_check(tmp_path):
    from click.testing import CliRunner

    from briefings.cli import main

    root = tmp_path / "ws"
    runner = CliRunner()
    created = runner.invoke(main, ["init", "--kind", "gongwen", str(root)])
    assert created.exit_code == 0, created.output
    assert "series/xianfufa.yaml" in created.output
    second = runner.invoke(main, ["-w", str(root), "new", "gongwen", "-s", "xianfufa", "-t", "关于乙的通知",
                                  "-d", "2030-05-06"])
    assert second.exit_code == 0 and "documents/xianfufa/2030-1.md" in second.output
    checked = runner.invoke(main, ["-w", str(root), "check"])
    assert checked.exit_code == 0, checked.output
    assert "检查通过：0 期、2 份公文" in checked.output
    built = runner.invoke(main, ["-w", str(root), "build", "-o", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output
    assert (tmp_path / "out/xianfufa/×府发〔2030〕1号 关于乙的通知.docx").is_file()
    unknown = runner.invoke(main, ["-w", str(root), "new", "gongwen", "-s", "nope", "-t", "关于丙的通知"])
    assert unknown.exit_code == 1 and "找不到公文系列“nope”（现有：xianfufa）" in unknown.output
