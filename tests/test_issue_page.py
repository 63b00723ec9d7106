"""What an issue prints, read from its HTML page (the DOCX is made from the same issue model):
number line, 要目, column headings, run-in titles and unit prefixes, attributions, item order,
the distribution footer, the staff and print lines. Expected values are written out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html

from briefings.build import build, check_workspace
from briefings.cli import main
from briefings.diagnostics import BriefingError
from conftest import copy_samples

SUINING, LUXIAN = "suining/2023-07", "luxian/2017-09"


def page(root: Path, out: Path, issue: str) -> html.HtmlElement:
    [path] = build(root, out, [issue], ["html"])
    return html.fromstring(path.read_bytes())


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def toc(tree) -> list[tuple[str | None, str, str]]:
    return [(li.get("class"), li.text_content().strip(), li.find("a").get("href")) for li in tree.iter("li")]


def footer(tree) -> list[str]:
    return [p.text_content() for p in tree.find(".//footer").iter("p")]


def openings(tree, starts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each article's id and its first paragraph as printed, cut to the length of the expected start."""
    found = [(a.get("id"), a.find(".//p").text_content()) for a in tree.iter("article")]
    return [(id, text[:len(start)]) for (id, text), (_, start) in zip(found[-len(starts):], starts)]


@pytest.fixture
def root(workspace) -> Path:
    return workspace


def test_run_in_titles_unit_prefixes_and_a_toc_listing_brief_notes_once(root, tmp_path):
    tree = page(root, tmp_path / "out", SUINING)
    assert tree.find(".//p[@class='number']").text_content() == "第7期（总第45期）"
    assert toc(tree) == [
        (None, "★ 遂宁市农民工暨返乡下乡创业工作领导小组办公室赴北京、温州开展回引创业及走访调研活动", "#c1-1"),
        (None, "★ 遂宁市第七届“遂州杯”创业大赛暨“遂宁电子园丁”特色劳务品牌推介会举行", "#c1-2"),
        (None, "★ 安居区到福建省晋江市开展返乡入乡创业项目推介活动", "#c1-3"),
        (None, "★ 大英县“五个到位”做好农民工返乡创业工作", "#c1-4"),
        (None, "★ 工作简讯", "#c2")]
    assert [h.text_content() for h in tree.find(".//main").iter("h2")] == ["要闻", "工作简讯："]
    starts = [("c1-3", "安居区到福建省晋江市开展返乡"), ("c1-4", "大英县“五个到位”做好农民"),
              ("c2-1", "船山区：近日，“遂字号”特"), ("c2-2", "蓬溪县：近日，蓬溪县驻乌鲁"),
              ("c2-3", "大英县：7月7日，大英县农"), ("c2-4", "市河东新区：近日，市河东新区")]
    assert openings(tree, starts) == starts
    assert [s.text_content() for s in tree.find_class("run-in")][:2] == [
        "遂宁市农民工暨返乡下乡创业工作领导小组办公室赴北京、温州开展回引创业及走访调研活动。",
        "遂宁市第七届“遂州杯”创业大赛暨“遂宁电子园丁”特色劳务品牌推介会举行。"]
    assert tree.find_class("attribution") == []
    assert footer(tree) == [
        "呈送：省农民工工作领导小组办公室，市农民工暨返乡下乡创业工作领导小组组长、副组长",
        "抄送：市农民工暨返乡下乡创业工作领导小组成员单位，各县（市、区）农民工工作领导小组、市直园区管委会",
        "印发：各县（市、区）人力资源和社会保障局、农民工服务中心共印60份"]


def test_block_titles_spread_column_headings_and_brief_notes_without_unit(root, tmp_path):
    tree = page(root, tmp_path / "out", LUXIAN)
    assert tree.find(".//nav") is None  # the series has no 要目
    assert [h.text_content() for h in tree.find(".//main").iter("h2")] == [
        "要闻", "[部门动态]", "[各镇亮点]", "[简\u3000讯]"]
    assert tree.find(".//main/section/h2").get("class") == "visually-hidden"  # 要闻 prints no heading
    assert tree.find_class("run-in") == []
    starts = [("c4-1", "由省委、省政府支持，省商务厅"), ("c4-2", "县就业局积极推动创业担保贷款"),
              ("c4-3", "2017年以来，我县认真贯彻落"), ("c4-4", "县就业局组织财政、市场质监、")]
    assert openings(tree, starts) == starts
    assert footer(tree) == ["呈送：市双创办，县委、县人大、县政府、县政协领导。", "抄送：县双创领导小组成员单位。",
                            "印发：各镇人民政府、街道办事处。", "本期增发：县委宣传部。共印80份"]


def test_toc_grouped_by_column_ordered_items_and_attributions(root, tmp_path):
    series = root / "series/luxian.yaml"
    edit(series, "  enabled: false", "  enabled: true")
    edit(series, "  group_by_column: false", "  group_by_column: true")
    items = root / "items/luxian/2017-09"
    # `order` moves an item forward in its column: 0 before 1, both before the unordered.
    edit(items / "08-peixun-pinggu.md", "---\n\n", "order: 0\nauthor: 吴启荣\n---\n\n")
    edit(items / "07-shangwuting-diaoyan.md", "---\n\n", "order: 1\n---\n\n")
    edit(items / "09-tianxing-jiaoliuhui.md", "source: 天兴镇\n", "author: 李明\n")
    tree = page(root, tmp_path / "out", LUXIAN)
    assert toc(tree) == [
        (None, "★ 县委常委、副县长赵领带队参加第五届中国（绵阳）科技城国际科技博览会", "#c1-1"),
        (None, "★ 我县开展2017年泸州众创智慧行动——泸县“创响龙城”健康产业项目路演活动", "#c1-2"),
        (None, "★ 县双创办精心组织参加四川省第一届“天府杯”创业大赛（泸州赛区）暨泸州市第四届创新创业大赛", "#c1-3"),
        (None, "★ 我县积极组织开展2017“全国双创活动周”系列活动", "#c1-4"),
        (None, "★ 医药产业园孵化器项目建设初显成效", "#c1-5"),
        ("column", "部门动态", "#c2"),
        (None, "★ 县就业局调整完善创业培训质量评估体系", "#c2-1"),
        (None, "★ 省商务厅副厅长杨春轩率队调研泸县电子商务发展", "#c2-2"),
        (None, "★ 省供销社主任青理东率队调研我县电子商务建设工作", "#c2-3"),
        ("column", "各镇亮点", "#c3"),
        (None, "★ 天兴镇组织开展创业交流会", "#c3-1"),
        (None, "★ 简讯", "#c4")]
    assert [(a.getparent().get("id"), a.text_content()) for a in tree.find_class("attribution")] == [
        ("c2-1", "（县就业局\u3000吴启荣）"), ("c3-1", "（李明）")]


def test_no_attribution_when_the_series_prints_none(root, tmp_path):
    edit(root / "series/luxian.yaml", "attribution: own_line", "attribution: none")
    edit(root / "items/luxian/2017-09/08-peixun-pinggu.md", "---\n\n", "author: 吴启荣\n---\n\n")
    tree = page(root, tmp_path / "out", LUXIAN)
    assert tree.find_class("attribution") == []
    assert "吴启荣" not in tree.text_content()


def test_a_series_without_run_in_titles_or_unit_prefix_prints_neither(root, tmp_path):
    series = root / "series/suining.yaml"
    edit(series, "title_style: run_in", "title_style: block")
    edit(series, "unit_prefix: true", "unit_prefix: false")
    tree = page(root, tmp_path / "out", SUINING)
    assert tree.find_class("run-in") == []
    starts = [("c2-1", "近日，“遂字号”特色劳务品牌“"), ("c2-2", "近日，蓬溪县驻乌鲁木齐"),
              ("c2-3", "7月7日，大英县农民工服务中心"), ("c2-4", "近日，市河东新区在万达")]
    assert openings(tree, starts) == starts
    assert tree.get_element_by_id("c1-3").find(".//p").text_content().startswith("近日，安居区农民工服务中心联合")


def test_distribution_changes_staff_line_print_line_and_editor_note(root, tmp_path):
    edit(root / "series/luxian.yaml", "  copies: 80\n", "  copies: 80\n  print_line: true\n")
    manifest = root / "issues/luxian/2017-09.yaml"
    edit(manifest, 'editor_note: ""', 'editor_note: "第一段 按语。\\n\\n  第二段按语。"')
    edit(manifest, "  add: {}\n  remove: {}\n",
         "  add: {抄送: [县委办, 县双创领导小组成员单位]}\n  remove: {呈送: [市双创办]}\n")
    edit(manifest, "editor: null\nreviewer: null\napprover: null",
         "editor: 张三\nreviewer: null\napprover: 王五")
    tree = page(root, tmp_path / "out", LUXIAN)
    assert [p.text_content() for p in tree.find_class("editor-note")[0].iter("p")] == [
        "编者按：第一段 按语。", "第二段按语。"]  # a space is not a paragraph break
    assert footer(tree) == [
        "呈送：县委、县人大、县政府、县政协领导。", "抄送：县双创领导小组成员单位，县委办。",
        "印发：各镇人民政府、街道办事处。", "本期增发：县委宣传部。",
        "责任编辑：张三\u3000\u3000签发：王五",
        "泸县大众创业万众创新工作领导小组办公室\u3000\u30002017年9月25日印发共印80份"]


def test_a_list_emptied_by_removals_leaves_its_line_out(root, tmp_path):
    manifest = root / "issues/luxian/2017-09.yaml"
    edit(manifest, "  remove: {}\n", "  remove: {抄送: [县双创领导小组成员单位]}\n")
    edit(manifest, "  extra: [县委宣传部]\n", "  extra: []\n")
    edit(manifest, "reviewer: null", "reviewer: 李四")
    tree = page(root, tmp_path / "out", LUXIAN)
    assert footer(tree) == ["呈送：市双创办，县委、县人大、县政府、县政协领导。", "印发：各镇人民政府、街道办事处。共印80份",
                            "审核：李四"]


def test_a_special_issue_has_its_label_and_no_total(root, tmp_path):
    (root / "issues/suining/zengkan-1.yaml").write_text(
        "series: suining\nnumber: 1\nspecial: 增刊\ndate: 2023-07-20\n"
        "items: [suining/2023-07/02-suizhoubei-dasai.md]\n", encoding="utf-8")
    tree = page(root, tmp_path / "out", "suining/zengkan-1")
    assert tree.find(".//p[@class='number']").text_content() == "增刊第1期"


def test_an_issue_without_total_prints_only_its_number(root, tmp_path):
    edit(root / "issues/suining/2023-07.yaml", "total: 45\n", "")
    tree = page(root, tmp_path / "out", SUINING)
    assert tree.find(".//p[@class='number']").text_content() == "第7期"


def messages(root: Path) -> list[str]:
    report = check_workspace(root, today=dt.date(2026, 12, 2)).report
    return [d.format(root) for d in report.items]


def test_distribution_labels_and_names_that_are_not_in_the_series_lists(root):
    manifest = root / "issues/luxian/2017-09.yaml"
    edit(manifest, "  add: {}\n  remove: {}\n",
         "  add: {抄报: [县委办]}\n  remove: {抄送: [县双创领导小组成员], 呈文: [某人]}\n")
    assert messages(root) == [
        "issues/luxian/2017-09.yaml:21: 错误: 分送栏“呈文”不在刊物的分送名单中（是否指“呈送”？）",
        "issues/luxian/2017-09.yaml:21: 错误: 分送栏“抄报”不在刊物的分送名单中（是否指“抄送”？）",
        "issues/luxian/2017-09.yaml:21: 警告: 要删除的“县双创领导小组成员”不在“抄送”名单中（是否指“县双创领导小组成员单位”？）"]
    with pytest.raises(BriefingError):
        build(root, root / "out", [LUXIAN], ["html"])


def test_columns_after_an_empty_one_and_after_the_brief_notes_are_printed_and_listed(root, tmp_path):
    # 各镇亮点's only item left out: the columns printed are 要闻, 部门动态 and 简讯 (anchors by column).
    edit(root / "issues/luxian/2017-09.yaml", "  - luxian/2017-09/09-tianxing-jiaoliuhui.md\n", "")
    tree = page(root, tmp_path / "out", LUXIAN)
    assert [(s.get("id"), s.find("h2").text_content()) for s in tree.find(".//main").iter("section")] == [
        ("c1", "要闻"), ("c2", "[部门动态]"), ("c4", "[简\u3000讯]")]
    # 简讯 moved before 各镇亮点: the 要目 lists what follows the brief notes too.
    series = root / "series/luxian.yaml"
    text = series.read_text(encoding="utf-8")
    towns, briefs = "  - name: 各镇亮点\n", "  - name: 简讯\n    kind: brief\n    unit_prefix: false\n"
    assert towns + briefs in text
    series.write_text(text.replace(towns + briefs, briefs + towns), encoding="utf-8")
    edit(series, "  enabled: false", "  enabled: true")
    edit(root / "issues/luxian/2017-09.yaml", "  - luxian/2017-09/10-dianshang-fenghui.md\n",
         "  - luxian/2017-09/10-dianshang-fenghui.md\n  - luxian/2017-09/09-tianxing-jiaoliuhui.md\n")
    tree = page(root, tmp_path / "out2", LUXIAN)
    assert toc(tree)[-2:] == [(None, "★ 简讯", "#c3"), (None, "★ 天兴镇组织开展创业交流会", "#c4-1")]


def test_every_wrong_item_in_a_manifest_is_named_at_its_line(root):
    manifest = root / "issues/luxian/2017-09.yaml"
    edit(manifest, "  - luxian/2017-09/02-chuangxiang-longcheng-luyan.md\n",
         "  - luxian/2017-09/01-mianyang-kebohui.md\n  - ../secret.md\n  - luxian/2017-09/99-missing.md\n")
    assert messages(root) == [
        "issues/luxian/2017-09.yaml:7: 错误: 稿件“luxian/2017-09/01-mianyang-kebohui.md”在本期重复列出（第 6 行已列出）",
        "issues/luxian/2017-09.yaml:8: 错误: 稿件“../secret.md”不在 items/ 目录内"
        "（清单只能列出 items/ 下的稿件，路径相对于 items/，不能用 ../ 或绝对路径）",
        "issues/luxian/2017-09.yaml:9: 错误: 稿件“luxian/2017-09/99-missing.md”不存在（应在 items/ 目录下）"]


def test_a_new_issue_without_items_is_skipped_with_a_warning_at_its_items_line(root):
    (root / "issues/suining/2023-08.yaml").write_text(
        "series: suining\nnumber: 8\ntotal: 46\ndate: 2023-08-01\nitems: []\n", encoding="utf-8")
    assert messages(root) == ["issues/suining/2023-08.yaml:5: 警告: 本期还没有列出稿件（items），跳过"]


def test_every_wrong_item_of_a_manifest_is_reported_not_only_the_first(tmp_path):
    """Each kind of wrong item is reported and the manifest is read on: a duplicate, one outside
    items/, a missing one, an item still holding its placeholder, a draft (when building), an item
    dated after the issue, one in a column the series does not have, one that cannot be read."""
    root = copy_samples(tmp_path / "ws")
    items = root / "items" / "suining" / "2023-07"
    edit(items / "02-suizhoubei-dasai.md", "\n---\n", "\n---\n【待填写】\n")
    edit(items / "03-anju-jinjiang-tuijie.md", "date:", "draft: true\ndate:")
    edit(items / "04-daying-wuge-daowei.md", "date: 2023-07-", "date: 2023-08-")
    edit(items / "05-chuanshan-suizhou-xiuniang.md", "column: 工作简讯", "column: 简讯")  # 泸县's column
    edit(items / "06-pengxi-wulumuqi-weiwen.md", "date: 2023-07-", "date: 2023-13-")  # unreadable
    manifest = root / "issues" / "suining" / "2023-07.yaml"
    edit(manifest, "  - suining/2023-07/02-suizhoubei-dasai.md\n",
         "  - suining/2023-07/01-beijing-wenzhou-diaoyan.md\n  - ../series/suining.yaml\n"
         "  - suining/2023-07/00-missing.md\n  - suining/2023-07/02-suizhoubei-dasai.md\n")
    edit(manifest, "  - suining/2023-07/08-hedong-suixin-ayi.md\n",
         "  - suining/2023-07/08-hedong-suixin-ayi.md\n  - suining/2023-07/09-missing.md\n")
    checked = check_workspace(root, [SUINING], building=True)
    found = [(d.path.relative_to(root).as_posix(), d.line, d.message) for d in checked.report.errors]
    assert found == [
        ("issues/suining/2023-07.yaml", 7, "稿件“suining/2023-07/01-beijing-wenzhou-diaoyan.md”在本期重复列出（第 6 行已列出）"),
        ("issues/suining/2023-07.yaml", 8, "稿件“../series/suining.yaml”不在 items/ 目录内"),
        ("issues/suining/2023-07.yaml", 9, "稿件“suining/2023-07/00-missing.md”不存在（应在 items/ 目录下）"),
        ("items/suining/2023-07/02-suizhoubei-dasai.md", 8, "稿件还留着新建时的占位文字“【待填写】”，不能编入 suining/2023-07"),
        ("items/suining/2023-07/03-anju-jinjiang-tuijie.md", 4, "稿件标为草稿（draft: true），不能生成"),
        ("items/suining/2023-07/04-daying-wuge-daowei.md", 4, "稿件日期 2023-08-17 晚于所在期（suining/2023-07）的出刊日期 2023-07-17"),
        ("issues/suining/2023-07.yaml", 13, "稿件“suining/2023-07/05-chuanshan-suizhou-xiuniang.md”的栏目“简讯”不在刊物“遂宁返乡创业简报”的栏目中"),
        ("items/suining/2023-07/06-pengxi-wulumuqi-weiwen.md", 3, "“date”日期“2023-13-17”不存在"),
        ("issues/suining/2023-07.yaml", 17, "稿件“suining/2023-07/09-missing.md”不存在（应在 items/ 目录下）"),
    ]
    assert [d.hint for d in checked.report.errors[3:7]] == [
        "请写好标题和正文，删去占位文字", "定稿后删去 draft 一行，或从清单中移出", "请核对稿件或清单中的日期", "是否指“工作简讯”？"]
    assert checked.passed == [] and checked.issues == []  # an issue with a wrong item is not assembled


def test_an_issue_with_a_wrong_distribution_label_fails_every_check_not_only_the_first(root):
    """An issue that did not pass is not recorded as passed: the second `check` reports it again."""
    edit(root / "issues/luxian/2017-09.yaml", "  add: {}\n", "  add: {抄报: [县委办]}\n")
    for _ in range(2):
        result = CliRunner().invoke(main, ["-w", str(root), "check"])
        assert result.exit_code == 1
        assert "issues/luxian/2017-09.yaml:21: 错误: 分送栏“抄报”不在刊物的分送名单中（是否指“抄送”？）" in result.output
