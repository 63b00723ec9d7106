"""The archive website's own files (index, Atom feed, search shards) as a reader gets them,
made from checked issues without rendering any issue: fast enough for mutation testing.

Expected values are written out; links are given here, so nothing depends on output names.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import pytest
from lxml import html

from briefings.build import check_workspace
from briefings.site import IssueSummary, archive_pages, render_feed, site_files
from conftest import ROOT, copy_samples, shared_scope

ATOM = "{http://www.w3.org/2005/Atom}"
LUXIAN, SUINING, GONGWEN = "luxian/2017-09", "suining/2023-07", "kunzhengban/2017-176"
LINKS = {
    LUXIAN: {"html": "lx/9.html", "docx": "lx/9.docx", "pdf": "lx/9.pdf"},
    SUINING: {"html": "sn/7.html"},  # no Word file: the feed has no enclosure for it
    GONGWEN: {"html": "kz/176.html", "docx": "kz/176.docx", "pdf": "kz/176.pdf"},
}
SUINING_TITLE = "遂宁返乡创业简报 第7期（总第45期）"
LUXIAN_TITLE = "泸县双创简报 第9期（总第21期）"
GONGWEN_TITLE = ("市政府办公室关于印发2017年全国大众创业万众创新活动周暨“创响江苏”活动月苏州分会场"
                 "昆山市工作方案的通知")


@pytest.fixture(scope=shared_scope)
def checked(tmp_path_factory):
    return check_workspace(copy_samples(tmp_path_factory.mktemp("site-files") / "ws"), today=dt.date(2026, 12, 2))


@pytest.fixture(scope=shared_scope)
def files(checked) -> dict[str, bytes]:
    return site_files("简报&<档案>", checked.issues, LINKS, checked.workspace.documents)


def text(files, name: str) -> str:
    return files[name].decode("utf-8")


def shard(files, year: int) -> list[dict]:
    match = re.fullmatch(r"window\.BRIEFING_SEARCH_SHARD\((\[.*\])\);\n", text(files, f"search/{year}.js"), re.S)
    return json.loads(match.group(1))


def render_archive(title, issues, links, documents=()) -> str:
    """The index page of a build without --site."""
    return archive_pages(title, issues, links, documents=documents)["index.html"]


def summary(id: str, series: str, date: str, number: int, titles=("标题",), records=()) -> IssueSummary:
    day = dt.date.fromisoformat(date)
    return IssueSummary(id, series, f"{series}办公室", day, number, f"第{number}期",
                        f"{day.year}年{day.month}月{day.day}日", f"{series} 第{number}期", list(titles), list(records))


def test_the_site_has_its_index_feed_search_script_and_one_shard_per_year(files):
    assert sorted(files) == ["feed.xml", "index.html", "search-index.js", "search.js",
                             "search/2017.js", "search/2023.js"]
    assert files["search.js"] == (ROOT / "templates/search.js").read_bytes()
    assert text(files, "search-index.js") == (
        'window.BRIEFING_SEARCH = {"shards":[{"src":"search/2023.js","year":2023,"items":8},'
        '{"src":"search/2017.js","year":2017,"items":14}]};\n')


def test_feed_entries_newest_first_with_links_authors_and_summaries(files):
    feed = ET.fromstring(files["feed.xml"])
    assert feed.findtext(f"{ATOM}title") == "简报&<档案>"
    assert feed.findtext(f"{ATOM}id") == "urn:uuid:b3f30727-13e4-5261-a9c0-8f2843b4f7be"
    assert feed.findtext(f"{ATOM}updated") == "2023-07-17T00:00:00+08:00"
    assert [(link.get("rel"), link.get("href")) for link in feed.findall(f"{ATOM}link")] == [
        ("self", "feed.xml"), ("alternate", "index.html")]
    entries = feed.findall(f"{ATOM}entry")
    assert [(e.findtext(f"{ATOM}id"), e.findtext(f"{ATOM}title"), e.findtext(f"{ATOM}updated"),
             e.findtext(f"{ATOM}author/{ATOM}name")) for e in entries] == [
        ("urn:uuid:0807794e-cfea-5a84-a9d6-b6640f1b9cd9", SUINING_TITLE, "2023-07-17T00:00:00+08:00",
         "遂宁市农民工暨返乡下乡创业工作领导小组办公室"),
        ("urn:uuid:7fdaf666-56ea-520a-ae3a-a8ec2b95328a", LUXIAN_TITLE, "2017-09-25T00:00:00+08:00",
         "泸县大众创业万众创新工作领导小组办公室")]
    assert [[(link.get("rel"), link.get("href")) for link in e.findall(f"{ATOM}link")] for e in entries] == [
        [("alternate", "sn/7.html")], [("alternate", "lx/9.html"), ("enclosure", "lx/9.docx")]]
    assert entries[0].findtext(f"{ATOM}summary") == (
        "遂宁市农民工暨返乡下乡创业工作领导小组办公室赴北京、温州开展回引创业及走访调研活动；"
        "遂宁市第七届“遂州杯”创业大赛暨“遂宁电子园丁”特色劳务品牌推介会举行；"
        "安居区到福建省晋江市开展返乡入乡创业项目推介活动；大英县“五个到位”做好农民工返乡创业工作；工作简讯")


def test_a_feed_without_issues_is_dated_1970():
    feed = ET.fromstring(render_feed("空", [], {}))
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00Z"
    assert feed.findtext(f"{ATOM}id") == "urn:uuid:318f4fb3-2411-56bf-9908-1d67d7a91d47"


def test_the_feed_keeps_the_fifty_newest_issues():
    issues = [summary(f"s/{n}", "刊", (dt.date(2024, 1, 1) + dt.timedelta(days=n)).isoformat(), n)
              for n in range(1, 52)]
    entries = ET.fromstring(render_feed("简报", issues, {})).findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [f"刊 第{n}期" for n in range(51, 1, -1)]


def test_search_records_point_at_each_item_with_its_issue_date_and_text(files):
    records = shard(files, 2023)
    assert [(r["url"], r["title"]) for r in records] == [
        ("sn/7.html#c1-1", "遂宁市农民工暨返乡下乡创业工作领导小组办公室赴北京、温州开展回引创业及走访调研活动"),
        ("sn/7.html#c1-2", "遂宁市第七届“遂州杯”创业大赛暨“遂宁电子园丁”特色劳务品牌推介会举行"),
        ("sn/7.html#c1-3", "安居区到福建省晋江市开展返乡入乡创业项目推介活动"),
        ("sn/7.html#c1-4", "大英县“五个到位”做好农民工返乡创业工作"),
        ("sn/7.html#c2-1", "工作简讯：船山区"), ("sn/7.html#c2-2", "工作简讯：蓬溪县"),
        ("sn/7.html#c2-3", "工作简讯：大英县"), ("sn/7.html#c2-4", "工作简讯：市河东新区")]
    assert {(r["issue"], r["date"]) for r in records} == {(SUINING_TITLE, "2023年7月17日")}
    assert records[4]["text"] == (
        "近日，“遂字号”特色劳务品牌“遂州绣娘”亮相第十九届西博会，参展作品包含美神卷轴系列、双面绣摆件、团扇、"
        "丝巾、香包和文创小件等，助推树立品牌良好形象，提升特色劳务品牌整体影响力。")


def test_a_gongwen_is_found_by_its_reference_after_the_years_issues(files):
    *issues, document = shard(files, 2017)
    assert [r["url"] for r in issues] == [f"lx/9.html#c1-{n}" for n in range(1, 6)] + [
        f"lx/9.html#c2-{n}" for n in range(1, 4)] + ["lx/9.html#c3-1"] + [f"lx/9.html#c4-{n}" for n in range(1, 5)]
    assert {k: document[k] for k in ("url", "title", "issue", "date")} == {
        "url": "kz/176.html", "title": GONGWEN_TITLE, "issue": "昆政办发〔2017〕176号", "date": "2017年9月28日"}
    assert document["text"].startswith(
        "昆政办发〔2017〕176号 经市政府同意，现将《2017年全国大众创业万众创新活动周暨“创响江苏”活动月苏州分会场"
        "昆山市工作方案》印发给你们，请认真贯彻执行。 根据《市政府办公室关于印发")


def test_the_index_lists_years_newest_first_with_each_issues_files(files):
    page = html.fromstring(files["index.html"])
    assert (page.findtext(".//title"), page.find(".//h1").text_content()) == ("简报&<档案>", "简报&<档案>")
    assert ".masthead.archive {" in page.findtext(".//style")  # the stylesheet is inlined
    assert [h.text_content() for h in page.iter("h2")] == ["2023年", "2017年"]
    assert [h.text_content() for h in page.iter("h3")] == ["遂宁返乡创业简报", "泸县双创简报", "公文"]
    assert [(a.get("href"), a.text_content()) for a in page.find(".//main").iter("a")] == [
        ("sn/7.html", "第7期（总第45期）"),
        ("lx/9.html", "第9期（总第21期）"), ("lx/9.docx", "Word 版"), ("lx/9.pdf", "PDF 版"),
        ("kz/176.html", "昆政办发〔2017〕176号"), ("kz/176.docx", "Word 版"), ("kz/176.pdf", "PDF 版")]
    assert [t.get("datetime") for t in page.iter("time")] == ["2023-07-17", "2017-09-25", "2017-09-28"]
    assert [s.get("src") for s in page.iter("script")] == ["search-index.js", "search.js"]
    assert page.find(".//link[@rel='alternate']").get("href") == "feed.xml"


def test_the_index_of_a_build_without_site_has_no_search_and_no_feed():
    page = html.fromstring(render_archive("简报", [summary("s/1", "刊", "2024-03-01", 1)], {}))
    assert list(page.iter("script")) == []
    assert page.find(".//link[@rel='alternate']") is None
    assert "script-src" not in page.find(".//meta[@http-equiv='Content-Security-Policy']").get("content")
    assert [(a.get("href"), a.text_content()) for a in page.find(".//main").iter("a")] == [("", "第1期")]


def test_issues_of_a_day_by_series_name_then_highest_number_first():
    issues = [summary("b/1", "B刊", "2024-03-01", 1), summary("a/1", "A刊", "2024-03-01", 1),
              summary("a/2", "A刊", "2024-03-01", 2), summary("a/0", "A刊", "2024-02-01", 3),
              summary("c/2", "A刊", "2024-03-01", 2)]
    feed = ET.fromstring(render_feed("简报", issues, {i.id: {"html": f"{i.id}.html"} for i in issues}))
    assert [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")] == [
        "a/2.html", "c/2.html", "a/1.html", "b/1.html", "a/0.html"]
    page = html.fromstring(render_archive("简报", issues, {}))
    assert [h.text_content() for h in page.iter("h3")] == ["A刊", "B刊"]


def test_documents_of_a_year_newest_first_then_by_code_then_highest_number(checked):
    [sample] = checked.workspace.documents
    other = dataclasses.replace(sample.series, code="昆政发")
    documents = [dataclasses.replace(sample, id="d/1", number=1),
                 dataclasses.replace(sample, id="d/2", number=2),
                 dataclasses.replace(sample, id="d/3", number=3, series=other),
                 dataclasses.replace(sample, id="d/4", number=4, date=dt.date(2017, 9, 27)),
                 dataclasses.replace(sample, id="d/5", number=5, date=dt.date(2018, 1, 2))]
    page = html.fromstring(render_archive("简报", [], {"d/2": {"html": "2.html", "pdf": "2.pdf"}}, documents))
    assert [h.text_content() for h in page.iter("h2")] == ["2018年", "2017年"]
    assert [(a.get("href"), a.text_content()) for a in page.find(".//main").iter("a")] == [
        ("", "昆政办发〔2018〕5号"), ("2.html", "昆政办发〔2017〕2号"), ("2.pdf", "PDF 版"), ("", "昆政办发〔2017〕1号"),
        ("", "昆政发〔2017〕3号"), ("", "昆政办发〔2017〕4号")]


def test_an_issue_summary_survives_the_check_record():
    # build.py records summaries as JSON so unchanged issues are not read again.
    issue = summary("s/1", "刊", "2024-03-01", 1, ["甲"], [{"anchor": "c1-1", "title": "甲", "text": "正文"}])
    recorded = issue.to_json()
    assert recorded == {"id": "s/1", "series_name": "刊", "office": "刊办公室", "date": "2024-03-01", "number": 1,
                        "number_line": "第1期", "date_text": "2024年3月1日", "title": "刊 第1期", "titles": ["甲"],
                        "records": [{"anchor": "c1-1", "title": "甲", "text": "正文"}]}
    assert IssueSummary.from_json(json.loads(json.dumps(recorded))) == issue


def test_a_brief_note_without_title_or_unit_is_found_by_its_first_twenty_characters(tmp_path):
    root = copy_samples(tmp_path / "ws")
    (root / "items/luxian/2017-09/14-niming.md").write_text(
        "---\ncolumn: 简讯\ndate: 2017-09-25\nkind: brief\n---\n\n"
        "九月下旬，全县新增市场主体一百二十户，其中个体工商户九十户。\n\n第二段  另起一行。\n", encoding="utf-8")
    manifest = root / "issues/luxian/2017-09.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "  - luxian/2017-09/13-peixun-xianchang-pinggu.md\n",
        "  - luxian/2017-09/13-peixun-xianchang-pinggu.md\n  - luxian/2017-09/14-niming.md\n"), encoding="utf-8")
    checked = check_workspace(root, today=dt.date(2026, 12, 2))
    record = shard(site_files("简报", checked.issues, LINKS), 2017)[-1]
    assert record == {"url": "lx/9.html#c4-5", "title": "简讯：九月下旬，全县新增市场主体一百二十户，其",
                      "issue": LUXIAN_TITLE, "date": "2017年9月25日",
                      "text": "九月下旬，全县新增市场主体一百二十户，其中个体工商户九十户。第二段 另起一行。"}


def test_search_shards_are_compact_scripts_keeping_chinese_as_written():
    issue = summary("s/1", "刊", "2024-03-01", 1, ["甲"], [{"anchor": "c1-1", "title": "甲\"乙", "text": "正文 <b>"}])
    files = site_files("简报", [issue], {"s/1": {"html": "s/1.html"}})
    assert files["search/2024.js"] == (
        'window.BRIEFING_SEARCH_SHARD([{"url":"s/1.html#c1-1","title":"甲\\"乙","issue":"刊 第1期",'
        '"date":"2024年3月1日","text":"正文 <b>"}]);\n').encode("utf-8")
    # An issue the site has no page for (never the case in a build) still points at its anchor.
    assert json.loads(site_files("简报", [issue], {})["search/2024.js"][29:-3])[0]["url"] == "#c1-1"


def test_the_index_holds_the_newest_years_that_fit_and_older_years_get_a_page_each():
    issues = [summary(f"s/{year}-{n}", "刊", f"{year}-0{n}-01", n) for year in (2022, 2023, 2024) for n in (1, 2)]
    for entries, index_years, pages in [(1, ["2024年"], ["archive-2022.html", "archive-2023.html"]),
                                        (3, ["2024年"], ["archive-2022.html", "archive-2023.html"]),
                                        (4, ["2024年", "2023年"], ["archive-2022.html"]),
                                        (6, ["2024年", "2023年", "2022年"], [])]:
        files = archive_pages("简报", issues, {}, index_entries=entries)
        assert sorted(files) == [*pages, "index.html"], entries
        index = html.fromstring(files["index.html"])
        assert [h.text_content() for h in index.iterfind(".//section[@class='year']/h2")] == index_years, entries
    files = archive_pages("简报", issues, {}, site=True, index_entries=2)
    page = html.fromstring(files["archive-2023.html"])
    assert page.findtext(".//title") == "简报 2023年"
    assert ".masthead.archive {" in page.findtext(".//style")
    assert [h.text_content() for h in page.iter("h2")] == ["2023年", "往年"]
    assert [(a.get("href"), a.text_content()) for a in page.iter("a")] == [
        ("index.html", "返回首页（最近各期）"), ("", "第2期"), ("", "第1期"),
        ("archive-2023.html", "2023年"), ("archive-2022.html", "2022年")]
    assert list(page.iter("script")) == []  # search and feed are on the index page only
    index = html.fromstring(files["index.html"])
    assert [a.get("href") for a in index.iter("a") if "archive-" in (a.get("href") or "")] == [
        "archive-2023.html", "archive-2022.html"]


def test_the_site_index_holds_a_hundred_issues_unless_told_otherwise():
    issues = [summary(f"s/{n}", "刊", (dt.date(2024, 1, 1) + dt.timedelta(days=n)).isoformat(), n) for n in range(100)]
    issues.append(summary("s/old", "刊", "2023-12-01", 1))
    assert "archive-2023.html" in site_files("简报", issues, {})
    assert "archive-2023.html" in archive_pages("简报", issues, {})  # the index of a build without --site
    assert "archive-2023.html" not in site_files("简报", issues, {}, index_entries=101)
    assert "archive-2023.html" not in site_files("简报", issues[-3:], {})
    assert "archive-2023.html" in site_files("简报", issues[-3:], {}, index_entries=2)


def test_a_gongwen_without_a_page_is_searchable_without_a_link(checked):
    records = shard(site_files("简报", [], {}, checked.workspace.documents), 2017)
    assert [(r["url"], r["issue"]) for r in records] == [("", "昆政办发〔2017〕176号")]


def test_a_years_gongwen_count_towards_what_the_index_holds(checked):
    [sample] = checked.workspace.documents
    documents = [dataclasses.replace(sample, id=f"d/{n}", number=n, date=dt.date(2023, 5, n)) for n in (1, 2)]
    issues = [summary("s/1", "刊", "2024-02-01", 1), summary("s/2", "刊", "2024-03-01", 2),
              summary("s/0", "刊", "2023-06-01", 9)]
    assert sorted(archive_pages("简报", issues, {}, documents=documents, index_entries=4)) == [
        "archive-2023.html", "index.html"]
    assert sorted(archive_pages("简报", issues, {}, documents=documents, index_entries=5)) == ["index.html"]


def test_two_issues_of_a_series_on_one_day_are_listed_highest_number_first(workspace):
    # File names in the other order: 2023-07 is 第7期, 2023-07b 第8期.
    (workspace / "issues/suining/2023-07b.yaml").write_text(
        "series: suining\nnumber: 8\ntotal: 46\ndate: 2023-07-17\n"
        "items: [suining/2023-07/02-suizhoubei-dasai.md]\n", encoding="utf-8")
    checked = check_workspace(workspace, today=dt.date(2026, 12, 2))
    feed = ET.fromstring(site_files("简报", checked.issues, {})["feed.xml"])
    assert [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")] == [
        "遂宁返乡创业简报 第8期（总第46期）", SUINING_TITLE, LUXIAN_TITLE]
