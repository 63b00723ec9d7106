"""The archive website as files: what it holds, the Atom feed, its policy, repeatability."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from click.testing import CliRunner
from lxml import html

from datetime import date, timedelta

from briefings.build import build, check_workspace
from briefings.site import render_feed
from briefings.cli import main
from briefings.serve import with_reload
from test_build_e2e import GONGWEN

ATOM = "{http://www.w3.org/2005/Atom}"


# The samples' issues, newest first, written out: (file name without suffix, title, date).
ISSUES = [("suining/遂宁返乡创业简报2023年第7期", "遂宁返乡创业简报 第7期（总第45期）", "2023-07-17"),
          ("luxian/泸县双创简报2017年第9期", "泸县双创简报 第9期（总第21期）", "2017-09-25")]


def csp(page) -> str:
    return page.find(".//meta[@http-equiv='Content-Security-Policy']").get("content")


def test_site_holds_every_issue_in_both_formats(sample_site):
    files = {p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*") if p.is_file()}
    assert files == {"index.html", "feed.xml", "search-index.js", "search.js", "search/2017.js", "search/2023.js"} | {
        f"{name}.{fmt}" for name, _, _ in ISSUES + [(f"kunzhengban/{GONGWEN}", "", "")] for fmt in ("html", "docx", "pdf")}


def test_feed_is_atom_with_dates_from_the_issues(sample_site):
    feed = ET.parse(sample_site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.findtext(f"{ATOM}{required}").strip()
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [title for _, title, _ in ISSUES]
    assert [e.findtext(f"{ATOM}updated") for e in entries] == ["2023-07-17T00:00:00+08:00",
                                                               "2017-09-25T00:00:00+08:00"]
    assert [[link.get("href") for link in e.findall(f"{ATOM}link")] for e in entries] == [
        [f"{name}.html", f"{name}.docx"] for name, _, _ in ISSUES]
    assert feed.findtext(f"{ATOM}updated") == entries[0].findtext(f"{ATOM}updated")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    for entry in entries:
        assert entry.find(f"{ATOM}author/{ATOM}name").text
        for link in entry.findall(f"{ATOM}link"):
            assert (sample_site / link.get("href")).is_file()
    assert "遂宁市第七届“遂州杯”创业大赛" in entries[0].findtext(f"{ATOM}summary")


def test_only_the_index_runs_scripts_and_only_its_own(sample_site):
    index = html.fromstring((sample_site / "index.html").read_bytes())
    policy = csp(index)
    assert policy.startswith("default-src 'none'") and "script-src 'self'" in policy
    assert "connect-src" not in policy
    sources = [s.get("src") for s in index.iter("script")]
    assert sources == ["search-index.js", "search.js"]
    assert all((sample_site / s).is_file() for s in sources)
    for page in sample_site.rglob("*.html"):
        if page.name != "index.html":
            text = page.read_text(encoding="utf-8")
            assert "<script" not in text and "script-src" not in text


def test_search_index_lists_one_shard_per_year_newest_first(sample_site):
    script = (sample_site / "search-index.js").read_text(encoding="utf-8")
    match = re.fullmatch(r"window\.BRIEFING_SEARCH = (\{.*\});\n", script, re.S)
    assert json.loads(match.group(1)) == {"shards": [{"src": "search/2023.js", "year": 2023, "items": 8},
                                                     {"src": "search/2017.js", "year": 2017, "items": 14}]}  # 13 items and the 公文


def shard_records(site, year: int) -> list[dict]:
    script = (site / "search" / f"{year}.js").read_text(encoding="utf-8")
    match = re.fullmatch(r"window\.BRIEFING_SEARCH_SHARD\((\[.*\])\);\n", script, re.S)
    return json.loads(match.group(1))


def test_search_shards_have_every_item_with_its_text(sample_site):
    records = shard_records(sample_site, 2023) + shard_records(sample_site, 2017)
    assert len(records) == 8 + 13 + 1  # every item of both manifests, and the sample 公文
    record = next(r for r in records if "蒋喻新" in r["text"])
    assert record["url"] == "suining/遂宁返乡创业简报2023年第7期.html#c1-1"
    assert record["issue"] == "遂宁返乡创业简报 第7期（总第45期）"
    assert all(r["date"].startswith("2017年") for r in shard_records(sample_site, 2017))


def test_site_build_is_repeatable(sample_site, workspace, tmp_path):
    build(workspace, tmp_path, site=True)
    again = tmp_path / "site"
    files = sorted(p.relative_to(sample_site) for p in sample_site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for name in files:
        assert (sample_site / name).read_bytes() == (again / name).read_bytes(), name


def test_build_site_from_the_command_line(workspace, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["-w", str(workspace), "build", "--site", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "feed.xml").is_file()
    refused = runner.invoke(main, ["-w", str(workspace), "build", "--site", "suining/2023-07", "-o", str(tmp_path)])
    assert refused.exit_code == 2 and "网站包含全部各期" in refused.output


def test_reload_script_only_in_served_pages(sample_site):
    page = next(sample_site.glob("suining/*.html")).read_bytes()
    served = html.fromstring(with_reload(page, 3))
    assert csp(served).endswith("; script-src 'self'; connect-src 'self'")
    script = served.find(".//body/script")
    assert script.get("data-version") == "3" and script.get("src").startswith("/__briefing/")
    assert b"<script" not in page
    index = html.fromstring(with_reload((sample_site / "index.html").read_bytes(), 3))
    assert csp(index).endswith("; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'")


def test_feed_lists_only_the_newest_fifty_issues(workspace):
    # 60 more issues of one series, one a week through 2024: the feed keeps the 50 newest.
    start = date(2024, 1, 1)
    for week in range(60):
        day = start + timedelta(weeks=week)
        (workspace / "issues/suining" / f"2024-{week + 1:02d}.yaml").write_text(
            f"series: suining\nnumber: {week + 1}\ntotal: {46 + week}\ndate: {day.isoformat()}\n"
            "items:\n  - suining/2023-07/02-suizhoubei-dasai.md\n", encoding="utf-8")
    checked = check_workspace(workspace)
    feed = ET.fromstring(render_feed("简报", checked.issues, {}))
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert len(titles) == 50
    assert titles[0] == "遂宁返乡创业简报 第60期（总第105期）"
    assert titles[-1] == "遂宁返乡创业简报 第11期（总第56期）"


def test_feed_ids_never_change(sample_site):
    """Feed readers tell entries apart by id: a changed id shows every issue as new again."""
    feed = ET.parse(sample_site / "feed.xml").getroot()
    assert feed.findtext(f"{ATOM}id") == "urn:uuid:2d33cbcc-30d1-5755-bfbf-cb001bd226af"
    assert [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")] == [
        "urn:uuid:094b3e3a-0e12-5c88-8697-6d70b8a9cecd", "urn:uuid:8dd44377-3cc0-5260-8341-8f5bc98ec7cd"]
    assert [e.findtext(f"{ATOM}author/{ATOM}name") for e in feed.findall(f"{ATOM}entry")] == [
        "遂宁市农民工暨返乡下乡创业工作领导小组办公室", "泸县大众创业万众创新工作领导小组办公室"]
    assert feed.findall(f"{ATOM}entry")[1].findtext(f"{ATOM}summary").endswith("；天兴镇组织开展创业交流会；简讯")
    assert [(link.get("rel"), link.get("href")) for link in feed.findall(f"{ATOM}link")] == [
        ("self", "feed.xml"), ("alternate", "index.html")]


def test_a_workspace_without_issues_still_gets_a_valid_feed(workspace, tmp_path):
    for manifest in (workspace / "issues").rglob("*.yaml"):
        manifest.unlink()
    build(workspace, tmp_path, site=True)
    feed = ET.parse(tmp_path / "site/feed.xml").getroot()
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.findtext(f"{ATOM}title") == "简报示例工作区"
    assert feed.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00Z"  # Atom requires a date


def test_search_records_newest_first_with_links_titles_and_dates(sample_site):
    *records, document = shard_records(sample_site, 2023) + shard_records(sample_site, 2017)
    # The year's 公文 after its issues, found by its 发文字号 too.
    assert document["url"] == "kunzhengban/" + GONGWEN.replace(" ", "%20") + ".html"
    assert (document["issue"], document["date"]) == ("昆政办发〔2017〕176号", "2017年9月28日")
    suining, luxian = "suining/遂宁返乡创业简报2023年第7期.html", "luxian/泸县双创简报2017年第9期.html"
    assert [r["url"] for r in records] == (
        [f"{suining}#c1-{n}" for n in range(1, 5)] + [f"{suining}#c2-{n}" for n in range(1, 5)]
        + [f"{luxian}#c1-{n}" for n in range(1, 6)] + [f"{luxian}#c2-{n}" for n in range(1, 4)]
        + [f"{luxian}#c3-1"] + [f"{luxian}#c4-{n}" for n in range(1, 5)])
    # Brief notes have no title: the column and the reporting unit stand in.
    assert [r["title"] for r in records[4:8]] == ["工作简讯：船山区", "工作简讯：蓬溪县", "工作简讯：大英县",
                                                 "工作简讯：市河东新区"]
    assert records[-1]["title"] == "简讯：县就业局"
    assert {(r["issue"], r["date"]) for r in records[:8]} == {("遂宁返乡创业简报 第7期（总第45期）", "2023年7月17日")}
    assert {(r["issue"], r["date"]) for r in records[8:]} == {("泸县双创简报 第9期（总第21期）", "2017年9月25日")}
    assert records[8]["text"].startswith("2017年9月7日-10日，县委常委、副县长赵领带领")
    assert "  " not in records[8]["text"] and "\n" not in records[8]["text"]


def small_archive(root, years: int):
    """bench/archive.py's archive: `years` years from 2015, 24 issues of one item a year."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("bench_archive", Path(__file__).parents[1] / "bench" / "archive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make_archive(root, years=years, per_year=24, items=1)
    return root


def page_links(page) -> list[str]:
    return [a.get("href") for a in page.iter("a")]


def test_index_lists_the_newest_years_and_links_a_page_for_each_older_year(tmp_path):
    """However large the archive, the index page holds about `index_entries` issues."""
    ws = small_archive(tmp_path / "ws", years=4)
    (ws / "briefing.yaml").write_text("title: 归档\nindex_entries: 30\n", encoding="utf-8")
    out = tmp_path / "out"
    build(ws, out, formats=["html"])
    assert sorted(p.name for p in out.glob("*.html")) == [
        "archive-2015.html", "archive-2016.html", "archive-2017.html", "index.html"]
    older = ["archive-2017.html", "archive-2016.html", "archive-2015.html"]
    for name, year in [("index.html", 2018), ("archive-2017.html", 2017), ("archive-2016.html", 2016),
                       ("archive-2015.html", 2015)]:
        page = html.parse(str(out / name)).getroot()
        issues = [link for link in page_links(page) if link.startswith("luxian/")]
        assert issues == [f"luxian/泸县双创简报{year}年第{n}期.html" for n in range(24, 0, -1)], name
        assert [h.text_content() for h in page.iter("h2")] == [f"{year}年", "往年"]
        assert [link for link in page_links(page) if link.startswith("archive-")] == older
        current = [a.get("href") for a in page.iter("a") if a.get("aria-current") == "page"]
        assert current == ([] if name == "index.html" else [name])
        title = page.findtext(".//title")
        assert title == ("归档" if name == "index.html" else f"归档 {year}年")
        assert ("index.html" in page_links(page)) == (name != "index.html")
    # Twice the years: the index page still lists one year, and links four more.
    ws = small_archive(tmp_path / "ws8", years=8)
    (ws / "briefing.yaml").write_text("title: 归档\nindex_entries: 30\n", encoding="utf-8")
    build(ws, tmp_path / "out8", formats=["html"])
    page = html.parse(str(tmp_path / "out8" / "index.html")).getroot()
    assert len([link for link in page_links(page) if link.startswith("luxian/")]) == 24
    assert [link for link in page_links(page) if link.startswith("archive-")] == [
        f"archive-{year}.html" for year in range(2021, 2014, -1)]
    assert (tmp_path / "out8" / "index.html").stat().st_size < 1.2 * (out / "index.html").stat().st_size


def test_the_index_shows_years_while_they_fit(tmp_path):
    ws = small_archive(tmp_path / "ws", years=3)
    for entries, pages in [(24, ["archive-2015.html", "archive-2016.html"]), (47, ["archive-2015.html", "archive-2016.html"]),
                           (48, ["archive-2015.html"]), (72, []), (1, ["archive-2015.html", "archive-2016.html"])]:
        # (the newest year is always on the index page, however many issues it has)
        (ws / "briefing.yaml").write_text(f"index_entries: {entries}\n", encoding="utf-8")
        out = tmp_path / f"out{entries}"
        build(ws, out, formats=["html"])
        assert sorted(p.name for p in out.glob("archive-*.html")) == pages, entries


def test_index_entries_is_checked_where_it_is_written(workspace):
    for value, message in [("0", "“index_entries”不能小于 1"), ("很多", "“index_entries”应是整数，实际是“很多”")]:
        (workspace / "briefing.yaml").write_text(f"title: 示例\nindex_entries: {value}\n", encoding="utf-8")
        result = CliRunner().invoke(main, ["-w", str(workspace), "check"])
        assert result.exit_code == 1
        assert f"briefing.yaml:2: 错误: {message}" in result.output
