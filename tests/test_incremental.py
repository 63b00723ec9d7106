"""Incremental builds: each kind of input, changed in turn, remakes exactly the files made from it,
to the same bytes as a clean build; unchanged files are not touched."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from briefings import incremental
from briefings.build import build, check_workspace
from briefings.cli import main
from briefings.diagnostics import BriefingError
from briefings.incremental import Checks
from conftest import ROOT, copy_samples

L16_1 = "luxian/泸县双创简报2016年第1期"
L16_2 = "luxian/泸县双创简报2016年第2期"
L16_3 = "luxian/泸县双创简报2016年第3期"
L17 = "luxian/泸县双创简报2017年第9期"
S23 = "suining/遂宁返乡创业简报2023年第7期"
SITE_FILES = {"index.html", "feed.xml", "search.js", "search-index.js", "search/2016.js", "search/2017.js",
              "search/2023.js"}
ISSUE_FILES = {f"{name}.{fmt}" for name in (L16_1, L16_2, L17, S23) for fmt in ("docx", "html")}
K176 = ("kunzhengban/昆政办发〔2017〕176号 市政府办公室关于印发2017年全国大众创业万众创新活动周暨“创响江苏”"
        "活动月苏州分会场昆山市工作方案的通知")
DOCUMENT_FILES = {f"{K176}.docx", f"{K176}.html"}
EVERYTHING = ISSUE_FILES | DOCUMENT_FILES | SITE_FILES


def bench_archive():
    spec = importlib.util.spec_from_file_location("bench_archive", ROOT / "bench" / "archive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def add_issue(ws: Path, number: int) -> None:
    archive = bench_archive()
    archive.write_issue(ws, archive.sample_texts(), 2016, number, 3)


@pytest.fixture
def ws(tmp_path) -> Path:
    """The samples, two more small issues, and suining with its own HTML template."""
    root = copy_samples(tmp_path / "ws")
    add_issue(root, 1)
    add_issue(root, 2)
    (root / "series" / "own.html").write_text('{% extends "issue.html" %}\n', encoding="utf-8")
    series = root / "series" / "suining.yaml"
    series.write_text(series.read_text(encoding="utf-8") + "html_template: own.html\n", encoding="utf-8")
    # Saved an hour ago: recorded sizes and times are trusted (files saved just now are hashed each time).
    hour_ago = time.time() - 3600
    for path in root.rglob("*"):
        os.utime(path, (hour_ago, hour_ago))
    return root


def files(out: Path) -> dict[str, tuple[bytes, int]]:
    """Each file's bytes and inode: a file written again is a new inode (written beside, renamed)."""
    return {p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_ino) for p in out.rglob("*") if p.is_file()}


def rebuild(ws: Path, out: Path, tmp: Path, **options) -> set[str]:
    """Build again; check the result is byte for byte a clean build; return the files written."""
    before = files(out / "site")
    build(ws, out, site=True, site_pdf=False, **options)
    after = files(out / "site")
    clean = tmp / f"clean-{len(list(tmp.glob('clean-*')))}"
    # Clean: without the cache (items parsed before, checks), not only with `force`.
    cache, aside = ws / incremental.CACHE_DIR, tmp / "cache-aside"
    cache.rename(aside)
    try:
        build(ws, clean, site=True, site_pdf=False, force=True)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        aside.rename(cache)
    assert {name: data for name, (data, _) in after.items()} == \
        {name: data for name, (data, _) in files(clean / "site").items()}
    return {name for name, (_, inode) in after.items() if before.get(name, (b"", None))[1] != inode}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_each_input_remakes_exactly_its_outputs(ws, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(ws, out, site=True, site_pdf=False)
    site = out / "site"
    assert set(files(site)) == EVERYTHING

    assert rebuild(ws, out, tmp_path) == set()

    # An item's text: its issue, and the year's search shard (titles unchanged: index and feed not).
    item = ws / "items" / "2016-01" / "01.md"
    item.write_text(item.read_text(encoding="utf-8") + "\n补充一句新的正文。\n", encoding="utf-8")
    assert rebuild(ws, out, tmp_path) == {f"{L16_1}.docx", f"{L16_1}.html", "search/2016.js"}

    # An item's title: also the index and the feed, which list titles.
    edit(ws / "items" / "luxian" / "2017-09" / "01-mianyang-kebohui.md", "国际科技博览会", "国际科技博览会（改）")
    assert rebuild(ws, out, tmp_path) == {f"{L17}.docx", f"{L17}.html", "index.html", "feed.xml", "search/2017.js"}

    # A 公文's attachment: the 公文's files and the search of its year (more in test_incremental_gongwen.py).
    attachment = ws / "documents" / "kunzhengban" / "2017-176" / "工作方案.md"
    attachment.write_text(attachment.read_text(encoding="utf-8") + "\n补充一句新的正文。\n", encoding="utf-8")
    assert rebuild(ws, out, tmp_path) == DOCUMENT_FILES | {"search/2017.js"}

    # A picture: the issue showing it, nothing else.
    picture = ws / "images" / "luxian" / "tianfubei-final.png"
    with Image.open(picture) as image:
        image.convert("RGB").rotate(180).save(picture)
    assert rebuild(ws, out, tmp_path) == {f"{L17}.docx", f"{L17}.html"}

    # A manifest: its issue.
    edit(ws / "issues" / "luxian" / "2016-01.yaml", "number: 1\n", "number: 1\neditor: 张三\n")
    assert rebuild(ws, out, tmp_path) == {f"{L16_1}.docx", f"{L16_1}.html"}

    # A series file: that series' issues, and the feed naming its office.
    edit(ws / "series" / "suining.yaml", "office: 遂宁市", "office: 四川省遂宁市")
    assert rebuild(ws, out, tmp_path) == {f"{S23}.docx", f"{S23}.html", "feed.xml"}

    # A series' own HTML template: that series' pages only.
    (ws / "series" / "own.html").write_text(
        '{% extends "issue.html" %}{% block title %}遂宁 {{ issue.number_line }}{% endblock %}\n', encoding="utf-8")
    assert rebuild(ws, out, tmp_path) == {f"{S23}.html"}

    # Workspace settings: the site title is on the index and the feed.
    (ws / "briefing.yaml").write_text("title: 双创简报合集\n", encoding="utf-8")
    assert rebuild(ws, out, tmp_path) == {"index.html", "feed.xml"}

    # A new issue: its files, and the index, feed and search of its year.
    add_issue(ws, 3)
    assert rebuild(ws, out, tmp_path) == {f"{L16_3}.docx", f"{L16_3}.html", "index.html", "feed.xml",
                                          "search/2016.js", "search-index.js"}

    # An output changed or removed behind our back: made again.
    (site / f"{L16_2}.html").unlink()
    (site / "feed.xml").write_bytes(b"<feed/>")
    assert rebuild(ws, out, tmp_path) == {f"{L16_2}.html", "feed.xml"}

    # Another program (version, code, default templates): every issue and 公文 is made again. The
    # site's own files are made again too, and compared: the same bytes are not written again.
    issue_files = ISSUE_FILES | {f"{L16_3}.docx", f"{L16_3}.html"}
    monkeypatch.setattr(incremental, "program_digest", lambda: "briefings 99")
    assert rebuild(ws, out, tmp_path) == issue_files | DOCUMENT_FILES
    assert rebuild(ws, out, tmp_path) == set()

    # --force: everything.
    assert rebuild(ws, out, tmp_path, force=True) == issue_files | DOCUMENT_FILES | SITE_FILES


def test_manifests_as_recorded_are_the_manifests_as_read(ws):
    checks = Checks(ws)
    first = check_workspace(ws, checks=checks)
    checks.save(m.id for m in first.workspace.manifests)
    recorded = Checks(ws)
    again = check_workspace(ws, checks=recorded)
    assert len(recorded.manifests) == 4 and recorded.manifests == json.loads(json.dumps(checks.manifests))
    assert again.workspace.manifests == check_workspace(ws).workspace.manifests
    assert [m.id for m in again.workspace.manifests] == ["luxian/2016-01", "luxian/2016-02", "luxian/2017-09",
                                                         "suining/2023-07"]


def test_bad_input_after_a_build_writes_nothing(ws, tmp_path):
    out = tmp_path / "out"
    build(ws, out, site=True, site_pdf=False)
    before = files(out)
    edit(ws / "items" / "2016-01" / "02.md", "column:", "column: 没有这个栏目\nx:")
    with pytest.raises(BriefingError):
        build(ws, out, site=True, site_pdf=False)
    assert files(out) == before


def test_a_format_asked_for_later_is_made_then(ws, tmp_path):
    out = tmp_path / "out"
    written = build(ws, out, formats=["docx"])
    assert sorted(p.relative_to(out).as_posix() for p in written) == sorted(
        f"{name}.docx" for name in (L16_1, L16_2, L17, S23, K176))
    written = build(ws, out, formats=["docx", "html"])
    assert sorted(p.relative_to(out).as_posix() for p in written) == sorted(
        [f"{name}.html" for name in (L16_1, L16_2, L17, S23, K176)] + ["index.html"])


def test_one_issue_reads_only_its_own_items(ws, tmp_path):
    """Building one issue reads the manifests of all and the items of that one."""
    (ws / "items" / "2016-02" / "01.md").write_bytes(b"\xff\xfe broken")  # another issue's item
    written = build(ws, tmp_path / "out", ["luxian/2016-01"])
    assert [p.name for p in written] == ["泸县双创简报2016年第1期.docx", "泸县双创简报2016年第1期.html"]


def test_check_remembers_passed_issues_and_their_warnings(ws):
    def check() -> list[str]:
        checks = Checks(ws)
        checked = check_workspace(ws, all_items=True, checks=checks)
        checks.save(m.id for m in checked.workspace.manifests)
        return [d.format(ws) for d in checked.report.items]

    # A warning from inside an item (a control character Word cannot hold) is repeated from the record.
    edit(ws / "items" / "2016-01" / "03.md", "column:", "column:\x01")
    fresh = [d.format(ws) for d in check_workspace(ws, all_items=True).report.items]
    assert "items/2016-01/03.md:2: 警告: 删除了 Word 无法保存的控制字符" in fresh
    assert check() == fresh
    assert check() == fresh  # this time from the record

    edit(ws / "items" / "2016-01" / "03.md", "column:", "column: 没有这个栏目\nx:")
    result = CliRunner().invoke(main, ["-w", str(ws), "check"])
    assert result.exit_code == 1 and "items/2016-01/03.md" in result.output


def test_build_reports_unchanged_files(ws, tmp_path):
    out = tmp_path / "out"
    first = CliRunner().invoke(main, ["-w", str(ws), "build", "-o", str(out)])
    assert first.exit_code == 0 and "完成：11 个文件。" in first.output
    again = CliRunner().invoke(main, ["-w", str(ws), "build", "-o", str(out)])
    assert "完成：0 个文件；11 个文件未改动" in again.output
    forced = CliRunner().invoke(main, ["-w", str(ws), "build", "-o", str(out), "--force"])
    assert "完成：11 个文件。" in forced.output
    assert re.search(r"已生成 .*2016年第1期\.docx", forced.output)


def test_lost_or_damaged_cache_only_costs_time(ws, tmp_path):
    out = tmp_path / "out"
    build(ws, out, site=True, site_pdf=False)
    cache = ws / ".briefing-cache"
    shutil.rmtree(cache / "summaries")  # the index is made from the issues read again
    edit(ws / "items" / "luxian" / "2017-09" / "01-mianyang-kebohui.md", "国际科技博览会", "国际科技博览会（改）")
    assert rebuild(ws, out, tmp_path) == {f"{L17}.docx", f"{L17}.html", "index.html", "feed.xml", "search/2017.js"}
    # A damaged summary of another issue: that issue is read again for the index.
    damaged = json.loads(summary_file(ws, "luxian/2016-02").read_text(encoding="utf-8"))
    summary_file(ws, "luxian/2016-02").write_text(json.dumps({**damaged, "summary": 1}), encoding="utf-8")
    edit(ws / "items" / "2016-01" / "01.md", "（2016-01-1）", "（2016-01-1，改）")
    assert rebuild(ws, out, tmp_path) == {f"{L16_1}.docx", f"{L16_1}.html", "index.html", "feed.xml",
                                          "search/2016.js"}
    (cache / "checks.json").write_text('{"version": 1, "files": {"series/luxian.yaml": 5}, "manifests": '
                                       '{"issues/luxian/2016-01.yaml": {"a": 1}}, "issues": {"luxian/2016-01": 7}}')
    for record in (cache / "builds").glob("*.json"):
        record.write_text('{"version": 1, "files": {"index.html": 3}, "groups": []}', encoding="utf-8")
    assert rebuild(ws, out, tmp_path) == EVERYTHING  # nothing trusted: all made again, same bytes
    (cache / "checks.json").write_text("{not json", encoding="utf-8")
    assert rebuild(ws, out, tmp_path) == set()


HEAVY = ("PIL", "docx", "docxtpl", "lxml", "nh3", "markdown", "babel", "jinja2", "yaml")


def imported_heavy(code: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint('HEAVY:', *(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return next(line for line in result.stdout.splitlines() if line.startswith("HEAVY:")).split()[1:]


def test_start_and_a_check_with_nothing_changed_import_no_heavy_library(tmp_path):
    """With 公文 too: those unchanged are not read again. (A series with its own template
    still loads Jinja, and docxtpl for a Word template, to check the template.)"""
    ws = copy_samples(tmp_path / "ws")
    assert imported_heavy("import briefings.cli") == []
    CliRunner().invoke(main, ["-w", str(ws), "check"])
    again = f"""
import sys
from briefings.cli import main
try:
    main(["-w", {str(ws)!r}, "check"])
except SystemExit as stop:
    assert stop.code == 0, stop.code
"""
    assert imported_heavy(again) == []


def test_a_docx_build_with_a_template_seen_before_imports_neither_python_docx_nor_docxtpl(tmp_path):
    """docxtpl prepares a Word template once; the workspace cache keeps what it made."""
    ws = copy_samples(tmp_path / "ws")
    out = tmp_path / "out"
    build_one = f"""
import sys
from briefings.cli import main
try:
    main(["-w", {str(ws)!r}, "build", "luxian/2017-09", "-f", "docx", "--force", "-o", {str(out)!r}])
except SystemExit as stop:
    assert stop.code == 0, stop.code
"""
    first = imported_heavy(build_one)  # the template is new to this workspace: docxtpl prepares it
    assert "docxtpl" in first and "docx" in first
    made = (out / f"{L17}.docx").read_bytes()
    assert [p.suffix for p in (ws / ".briefing-cache" / "docx-templates").iterdir()] == [".json"]
    again = imported_heavy(build_one)
    assert "docx" not in again and "docxtpl" not in again
    assert "yaml" not in again  # settings, series and manifests as parsed before
    assert "lxml" in again  # it did write the DOCX, with lxml
    assert (out / f"{L17}.docx").read_bytes() == made


def test_a_damaged_or_foreign_prepared_template_is_prepared_again(ws, tmp_path, monkeypatch):
    from briefings import docxtemplate

    out = tmp_path / "out"
    monkeypatch.setattr(docxtemplate, "_prepared", {})  # as in a new process
    build(ws, out, ids=["luxian/2017-09"], formats=["docx"])
    made = (out / f"{L17}.docx").read_bytes()
    records = sorted((ws / ".briefing-cache" / "docx-templates").iterdir())
    assert len(records) == 1
    for damage in ('{"version": 1, "body": 3}', "{not json",
                   records[0].read_text(encoding="utf-8").replace('"program": "', '"program": "other ')):
        records[0].write_text(damage, encoding="utf-8")
        monkeypatch.setattr(docxtemplate, "_prepared", {})
        build(ws, out, ids=["luxian/2017-09"], formats=["docx"], force=True)
        assert (out / f"{L17}.docx").read_bytes() == made
        assert '"program": "other' not in records[0].read_text(encoding="utf-8")  # written anew


def test_a_table_file_remakes_the_issue_showing_it(ws, tmp_path):
    (ws / "tables").mkdir()
    (ws / "tables" / "分工.csv").write_text("单位,任务\n县双创办,牵头\n", encoding="utf-8")
    item = ws / "items" / "2016-02" / "02.md"
    item.write_text(item.read_text(encoding="utf-8") + "\n![表1 分工](../../tables/分工.csv)\n", encoding="utf-8")
    out = tmp_path / "out"
    build(ws, out, site=True, site_pdf=False)
    (ws / "tables" / "分工.csv").write_text("单位,任务\n县双创办,牵头落实\n", encoding="utf-8")
    assert rebuild(ws, out, tmp_path) == {f"{L16_2}.docx", f"{L16_2}.html", "search/2016.js"}
    assert "牵头落实" in (out / "site" / f"{L16_2}.html").read_text(encoding="utf-8")


def cache(ws: Path, name: str) -> dict:
    return json.loads((ws / ".briefing-cache" / name).read_text(encoding="utf-8"))


def summary_file(ws: Path, issue_id: str) -> Path:
    """Where the summary of `issue_id` is recorded: one file per issue, named by the id's digest."""
    return ws / ".briefing-cache" / "summaries" / f"{hashlib.sha256(issue_id.encode()).hexdigest()[:32]}.json"


def output_records(ws: Path, out: Path) -> set[str]:
    """The files the record of output folder `out` names."""
    found = [json.loads(p.read_text(encoding="utf-8")) for p in (ws / ".briefing-cache" / "builds").glob("*.json")]
    return next(set(record["files"]) for record in found if record["out_dir"] == str(out.resolve()))


SAMPLE_ITEMS = {"items/luxian/2017-09/" + name for name in (
    "01-mianyang-kebohui.md", "02-chuangxiang-longcheng-luyan.md", "03-tianfubei.md", "04-zuimei-laobanniang.md",
    "05-yiyao-fuhuaqi.md", "06-gongxiaoshe-diaoyan.md", "07-shangwuting-diaoyan.md", "08-peixun-pinggu.md",
    "09-tianxing-jiaoliuhui.md", "10-dianshang-fenghui.md", "11-danbao-daikuan.md", "12-zhongchuang-kongjian.md",
    "13-peixun-xianchang-pinggu.md")} | {"items/suining/2023-07/" + name for name in (
    "01-beijing-wenzhou-diaoyan.md", "02-suizhoubei-dasai.md", "03-anju-jinjiang-tuijie.md",
    "04-daying-wuge-daowei.md", "05-chuanshan-suizhou-xiuniang.md", "06-pengxi-wulumuqi-weiwen.md",
    "07-daying-qinzi-tuanyuan.md", "08-hedong-suixin-ayi.md")}


def test_a_deleted_issue_leaves_no_record_and_no_file(ws, tmp_path):
    out = tmp_path / "out"
    build(ws, out, site=True, site_pdf=False)
    assert {"build\tluxian/2016-02", "items/2016-02/01.md"} <= set(cache(ws, "checks.json")["issues"]) | \
        set(cache(ws, "checks.json")["files"])

    (ws / "issues" / "luxian" / "2016-02.yaml").unlink()
    shutil.rmtree(ws / "items" / "2016-02")
    # A build of one issue leaves the other files alone, the deleted issue's too…
    build(ws, out / "site", ["luxian/2016-01"])
    assert (out / "site" / f"{L16_2}.docx").exists()
    # …building all of them removes them, and every record of the issue.
    assert rebuild(ws, out, tmp_path) == {"index.html", "feed.xml", "search/2016.js", "search-index.js"}
    remaining = EVERYTHING - {f"{L16_2}.docx", f"{L16_2}.html"}
    assert set(files(out / "site")) == remaining
    assert output_records(ws, out / "site") == remaining

    checks = cache(ws, "checks.json")
    assert set(checks["issues"]) == {"build\tluxian/2016-01", "build\tluxian/2017-09", "build\tsuining/2023-07"}
    assert set(checks["manifests"]) == {"issues/luxian/2016-01.yaml", "issues/luxian/2017-09.yaml",
                                        "issues/suining/2023-07.yaml"}
    assert set(checks["files"]) == {
        "issues/luxian/2016-01.yaml", "issues/luxian/2017-09.yaml", "issues/suining/2023-07.yaml",
        "series/luxian.yaml", "series/suining.yaml", "series/kunzhengban.yaml", "series/own.html",
        "images/luxian/tianfubei-final.png",
        "documents/kunzhengban/2017-176.md", "documents/kunzhengban/2017-176/工作方案.md",  # the 公文 and its attachment
        "items/2016-01/01.md", "items/2016-01/02.md", "items/2016-01/03.md", *SAMPLE_ITEMS}
    summaries = [json.loads(p.read_text(encoding="utf-8")) for p in (ws / ".briefing-cache" / "summaries").iterdir()]
    assert sorted(s["id"] for s in summaries) == ["luxian/2016-01", "luxian/2017-09", "suining/2023-07"]


def test_a_deleted_item_and_a_deleted_document_leave_no_record(ws, tmp_path):
    out = tmp_path / "out"
    build(ws, out)
    edit(ws / "issues" / "luxian" / "2016-01.yaml", "- 2016-01/03.md\n", "")
    (ws / "items" / "2016-01" / "03.md").unlink()
    for path in (ws / "documents" / "kunzhengban").glob("2017-176*"):
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    written = build(ws, out)
    assert sorted(p.relative_to(out).as_posix() for p in written) == [
        "index.html", f"{L16_1}.docx", f"{L16_1}.html"]
    kept = {f"{name}.{fmt}" for name in (L16_1, L16_2, L17, S23) for fmt in ("docx", "html")} | {"index.html"}
    assert {p.relative_to(out).as_posix() for p in out.rglob("*")} == kept | {"luxian", "suining"}
    assert output_records(ws, out) == kept
    assert {name for name in cache(ws, "checks.json")["files"] if name.startswith("items/2016")} == {
        "items/2016-01/01.md", "items/2016-01/02.md", "items/2016-02/01.md", "items/2016-02/02.md",
        "items/2016-02/03.md"}


def test_a_file_of_a_deleted_issue_changed_by_hand_is_kept_but_forgotten(ws, tmp_path):
    out = tmp_path / "out"
    build(ws, out)
    (out / f"{L16_2}.html").write_text("我改过的页面", encoding="utf-8")
    (ws / "issues" / "luxian" / "2016-02.yaml").unlink()
    result = CliRunner().invoke(main, ["-w", str(ws), "build", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"已删除 {out / L16_2}.docx（它的期或公文已不存在）" in result.output
    assert (out / f"{L16_2}.html").read_text(encoding="utf-8") == "我改过的页面"
    assert not (out / f"{L16_2}.docx").exists()
    assert f"{L16_2}.html" not in output_records(ws, out)


def test_an_issue_is_built_without_reading_the_gongwen(tmp_path):
    """A 简报 issue needs no 公文: a broken one stops the 公文 and `check`, not the issue."""
    ws = copy_samples(tmp_path / "ws")
    document = ws / "documents" / "kunzhengban" / "2017-176.md"
    document.write_text(document.read_text(encoding="utf-8").replace("序号: 176", "序号: 176x"), encoding="utf-8")
    written = build(ws, tmp_path / "out", ["luxian/2017-09"], formats=["docx"])
    assert [p.name for p in written] == ["泸县双创简报2017年第9期.docx"]
    for ids in (["kunzhengban/2017-176"], []):
        with pytest.raises(BriefingError) as failed:
            build(ws, tmp_path / "out", ids, formats=["docx"])
        assert [(d.path, d.line) for d in failed.value.diagnostics] == [(document, 3)]
    result = CliRunner().invoke(main, ["-w", str(ws), "check"])
    assert result.exit_code == 1
    assert "2017-176.md:3: 错误: “序号”应是整数，实际是“176x”" in result.output


PARSED = "from briefings.build import build\nfrom pathlib import Path\n"


def test_items_parsed_before_are_not_parsed_again(ws, tmp_path):
    """An issue made again (even with force) takes its unchanged items from the cache: neither
    Markdown nor the sanitiser is loaded; an item whose picture changed is read again."""
    out = tmp_path / "out"
    build(ws, out, ["luxian/2017-09"], formats=["docx"])
    records = sorted((ws / incremental.CACHE_DIR / "items").glob("*.json"))
    assert len(records) == 13  # the issue's 13 items, as JSON (a cache is never unpickled)
    assert all(json.loads(r.read_text(encoding="utf-8"))["version"] == 1 for r in records)
    again = PARSED + f"build(Path({str(ws)!r}), Path({str(out)!r}), ['luxian/2017-09'], formats=['docx'], force=True)"
    assert not {"markdown", "nh3"} & set(imported_heavy(again))
    # The picture one item shows is replaced: that item is read again, with the new picture.
    picture = ws / "images" / "luxian" / "tianfubei-final.png"
    with Image.open(picture) as image:
        image.resize((image.width // 2, image.height // 2)).save(picture)
    assert "markdown" in imported_heavy(again)
    assert "markdown" not in imported_heavy(again)
    # A damaged record is read as no record.
    for record in records:
        record.write_text('{"version": 1, "digest": 5, "item": {"title": []}}', encoding="utf-8")
    assert "markdown" in imported_heavy(again)


def test_items_parsed_before_give_the_same_files_and_messages(ws, tmp_path):
    item = ws / "items" / "2016-01" / "01.md"
    item.write_text(item.read_text(encoding="utf-8") + "\n[链接](javascript:alert(1))\n", encoding="utf-8")
    messages = []
    first = build(ws, tmp_path / "a", ["luxian/2016-01"], warn=messages.append)
    second = build(ws, tmp_path / "b", ["luxian/2016-01"], warn=messages.append, force=True)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    dropped = [(d.path, d.line, d.message) for d in messages if "javascript" in d.message]
    assert dropped == [(item, dropped[0][1], "去掉了链接“javascript:alert(1)”")] * 2
    # Deleting an item forgets its record the next time records are written.
    records = ws / incremental.CACHE_DIR / "items"
    build(ws, tmp_path / "all")
    count = len(list(records.glob("*.json")))
    (ws / "issues" / "luxian" / "2016-02.yaml").unlink()
    shutil.rmtree(ws / "items" / "2016-02")
    item.write_text(item.read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
    build(ws, tmp_path / "a", ["luxian/2016-01"])
    assert len(list(records.glob("*.json"))) == count - 3


def test_building_one_issue_touches_only_its_own_records(ws, tmp_path):
    """An archive's records are not read and written again to build one issue: its summary is its own file."""
    out = tmp_path / "out"
    build(ws, out, site=True, site_pdf=False)
    summaries = ws / ".briefing-cache" / "summaries"
    before = {p.name: (p.read_bytes(), p.stat().st_ino) for p in summaries.iterdir()}
    edit(ws / "items" / "2016-01" / "01.md", "（2016-01-1）", "（2016-01-1，改）")
    build(ws, out, ["luxian/2016-01"])
    after = {p.name: (p.read_bytes(), p.stat().st_ino) for p in summaries.iterdir()}
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {summary_file(ws, "luxian/2016-01").name}
    summary = json.loads(summary_file(ws, "luxian/2016-01").read_text(encoding="utf-8"))
    assert summary["id"] == "luxian/2016-01" and "（2016-01-1，改）" in json.dumps(summary, ensure_ascii=False)


def test_settings_come_from_their_record_and_a_damaged_one_is_parsed_again(ws, tmp_path):
    out = tmp_path / "out"
    build(ws, out)
    checks_file = ws / ".briefing-cache" / "checks.json"
    recorded = json.loads(checks_file.read_text(encoding="utf-8"))
    assert {"briefing.yaml", "series/luxian.yaml", "series/suining.yaml"} <= set(recorded["settings"])
    series = recorded["settings"]["series/luxian.yaml"]
    assert series[2]["map"]["name"] == "泸县双创简报" and series[2]["lines"]["name"] >= 1
    # The record stands for the file while its size and time are unchanged: a wrong name is believed…
    series[2]["map"]["name"] = "记录中的刊名"
    checks_file.write_text(json.dumps(recorded, ensure_ascii=False), encoding="utf-8")
    checked = check_workspace(ws, checks=Checks(ws))
    assert checked.workspace.series["luxian"].name == "记录中的刊名"
    # …a damaged one is not: the file is parsed again.
    series[2] = {"map": 7}
    checks_file.write_text(json.dumps(recorded, ensure_ascii=False), encoding="utf-8")
    checked = check_workspace(ws, checks=Checks(ws))
    assert checked.workspace.series["luxian"].name == "泸县双创简报"
    assert checked.report.errors == []
    # An edit is seen at once (new size and time).
    edit(ws / "series" / "luxian.yaml", "泸县双创简报", "泸县双创工作简报")
    assert check_workspace(ws, checks=Checks(ws)).workspace.series["luxian"].name == "泸县双创工作简报"


@pytest.mark.parametrize("library", ["budoux", "openpyxl", "jinja2", "PIL"])
def test_a_library_that_changes_outputs_is_part_of_the_program(library, monkeypatch):
    """Title breaks come from BudouX, .xlsx tables from openpyxl: upgrading one remakes the outputs."""
    from importlib.util import find_spec

    before = incremental.program_digest.__wrapped__()
    origin = find_spec(library).origin
    real_stat = os.stat

    def upgraded(path, *args, **kwargs):
        result = real_stat(path, *args, **kwargs)
        if str(path) == origin:  # the library's code rewritten by an upgrade: a new size
            return os.stat_result((result.st_mode, result.st_ino, result.st_dev, result.st_nlink, result.st_uid,
                                   result.st_gid, result.st_size + 1, result.st_atime, result.st_mtime,
                                   result.st_ctime))
        return result

    monkeypatch.setattr(incremental.os, "stat", upgraded)
    assert incremental.program_digest.__wrapped__() != before


def test_a_forced_rebuild_makes_no_summary_its_inputs_already_have(ws, tmp_path, monkeypatch):
    from briefings import site

    out = tmp_path / "out"
    build(ws, out)
    made = []
    real = site.summarize
    monkeypatch.setattr(site, "summarize", lambda issue: made.append(issue.id) or real(issue))
    build(ws, out, ["luxian/2016-01"], force=True)
    assert made == []  # read and checked again, but its summary is the one recorded from these inputs
    edit(ws / "items" / "2016-01" / "01.md", "（2016-01-1）", "（2016-01-1，改）")
    build(ws, out, ["luxian/2016-01"], force=True)
    assert made == ["luxian/2016-01"]
    recorded = json.loads(summary_file(ws, "luxian/2016-01").read_text(encoding="utf-8"))
    assert "（2016-01-1，改）" in json.dumps(recorded, ensure_ascii=False)


def test_a_cache_made_to_fail_only_costs_time(ws, tmp_path):
    """A workspace may arrive with its .briefing-cache: records nested deeper than the JSON decoder
    can follow are ignored like damaged ones, not a traceback."""
    out = tmp_path / "out"
    build(ws, out)
    made = files(out)
    cache = ws / ".briefing-cache"
    records = [p for p in cache.rglob("*.json") if p.is_file()]
    assert {p.parent.name for p in records} >= {".briefing-cache", "items", "summaries", "builds", "images"}
    for record in records:
        record.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = CliRunner().invoke(main, ["-w", str(ws), "check"])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    result = CliRunner().invoke(main, ["-w", str(ws), "build", "-o", str(out), "--force"])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert {name: data for name, (data, _) in files(out).items()} == {name: data for name, (data, _) in made.items()}


def test_a_replaced_picture_leaves_no_processed_copy_behind(ws, tmp_path):
    """The picture cache keeps what the issues show now: a replaced photo's processed copies go."""
    out = tmp_path / "out"
    picture = ws / "images" / "luxian" / "tianfubei-final.png"
    old = hashlib.sha256(picture.read_bytes()).hexdigest()
    build(ws, out)
    images = ws / ".briefing-cache" / "images"
    assert {p.name.split(".")[0] for p in images.iterdir() if p.is_file()} == {old}
    Image.new("RGB", (640, 480), (30, 90, 200)).save(picture)
    new = hashlib.sha256(picture.read_bytes()).hexdigest()
    build(ws, out)
    assert {p.name.split(".")[0] for p in images.iterdir() if p.is_file()} == {new}
    assert [json.loads(p.read_text())[2] for p in (images / "sources").glob("*.json")] in ([], [new])
