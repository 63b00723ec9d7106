"""Incremental builds of 公文: each kind of input, changed in turn, remakes exactly the files made
from it, to the same bytes as a clean build; a 公文 whose files are unchanged is not read again."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from briefings.gongwen import reader as gongwen_reader
from briefings import documentcache, incremental
from briefings.build import build, check_workspace
from briefings.cli import main
from briefings.incremental import Checks
from conftest import copy_samples
from test_incremental import K176, L16_1, PARSED, add_issue, edit, files, imported_heavy, rebuild

K177 = "kunzhengban/昆政办发〔2017〕177号 市政府办公室关于做好秋季安全生产工作的通知"
K178 = "kunzhengban/昆政办发〔2017〕178号 市政府办公室关于做好冬季安全生产工作的通知"
DOCUMENTS = Path("documents") / "kunzhengban"

DOCUMENT_177 = """---
标题: 市政府办公室关于做好{season}季安全生产工作的通知
序号: {number}
成文日期: 2017-10-09
主送机关:
  - 各镇人民政府
---

请各单位做好{season}季安全生产工作。
"""


def both(name: str) -> set[str]:
    return {f"{name}.docx", f"{name}.html"}


@pytest.fixture
def ws(tmp_path) -> Path:
    """The samples and a small issue; 176 with a seal and a picture of its own, another 公文 (177) beside it,
    and the series with its own HTML template for 公文."""
    root = copy_samples(tmp_path / "ws")
    add_issue(root, 1)
    pictures = root / "images" / "gongwen"
    pictures.mkdir(parents=True)
    Image.new("RGBA", (60, 60), (220, 0, 0, 128)).save(pictures / "seal.png")
    Image.new("RGB", (80, 40), (0, 90, 160)).save(pictures / "photo.png")
    edit(root / DOCUMENTS / "2017-176.md", "附注: 此件公开发布\n", "附注: 此件公开发布\n印章: ../../images/gongwen/seal.png\n")
    edit(root / DOCUMENTS / "2017-176.md", "请认真贯彻执行。", "请认真贯彻执行。\n\n![现场](../../images/gongwen/photo.png)\n")
    (root / DOCUMENTS / "2017-177.md").write_text(DOCUMENT_177.format(season="秋", number=177), encoding="utf-8")
    (root / "series" / "gongwen-own.html").write_text('{% extends "gongwen.html" %}\n', encoding="utf-8")
    series = root / "series" / "kunzhengban.yaml"
    series.write_text(series.read_text(encoding="utf-8") + "html_template: gongwen-own.html\n", encoding="utf-8")
    hour_ago = time.time() - 3600  # recorded sizes and times are trusted (see test_incremental.ws)
    for path in root.rglob("*"):
        os.utime(path, (hour_ago, hour_ago))
    return root


def test_each_gongwen_input_remakes_exactly_its_outputs(ws, tmp_path):
    out = tmp_path / "out"
    build(ws, out, site=True, site_pdf=False)
    assert both(K176) | both(K177) <= set(files(out / "site"))
    assert rebuild(ws, out, tmp_path) == set()

    # Its text: its files and the search of its year (the index lists titles only).
    edit(ws / DOCUMENTS / "2017-176.md", "请认真贯彻执行。", "请认真贯彻落实。")
    assert rebuild(ws, out, tmp_path) == both(K176) | {"search/2017.js"}

    # An attachment file: the same.
    attachment = ws / DOCUMENTS / "2017-176" / "工作方案.md"
    attachment.write_text(attachment.read_text(encoding="utf-8") + "\n补充一句新的正文。\n", encoding="utf-8")
    assert rebuild(ws, out, tmp_path) == both(K176) | {"search/2017.js"}

    # Its seal, then a picture in its text: its files only.
    Image.new("RGBA", (60, 60), (200, 0, 0, 160)).save(ws / "images" / "gongwen" / "seal.png")
    assert rebuild(ws, out, tmp_path) == both(K176)
    Image.new("RGB", (80, 40), (0, 120, 60)).save(ws / "images" / "gongwen" / "photo.png")
    assert rebuild(ws, out, tmp_path) == both(K176)

    # The series file: every 公文 of the series.
    edit(ws / "series" / "kunzhengban.yaml", "  - 市法院\n", "  - 市中级法院\n")
    assert rebuild(ws, out, tmp_path) == both(K176) | both(K177)

    # The series' own HTML template: the series' pages.
    (ws / "series" / "gongwen-own.html").write_text(
        '{% extends "gongwen.html" %}{% block title %}公文 {{ title }}{% endblock %}\n', encoding="utf-8")
    assert rebuild(ws, out, tmp_path) == {f"{K176}.html", f"{K177}.html"}

    # A new 公文: its files, the index and the search of its year.
    (ws / DOCUMENTS / "2017-178.md").write_text(DOCUMENT_177.format(season="冬", number=178), encoding="utf-8")
    assert rebuild(ws, out, tmp_path) == both(K178) | {"index.html", "search/2017.js", "search-index.js"}

    # An output removed behind our back: made again.
    (out / "site" / f"{K177}.docx").unlink()
    assert rebuild(ws, out, tmp_path) == {f"{K177}.docx"}

    # --force: every 公文 too.
    assert both(K176) | both(K177) | both(K178) <= rebuild(ws, out, tmp_path, force=True)


def test_a_changed_issue_reads_no_gongwen(ws, tmp_path, monkeypatch):
    """After a 简报 item changed, the index and search are made again from the 公文's records."""
    out = tmp_path / "out"
    build(ws, out, site=True, site_pdf=False)
    read = []

    def counted(*args, **kwargs):
        read.append(args[0])
        return real(*args, **kwargs)

    real = documentcache.read_document
    monkeypatch.setattr(documentcache, "read_document", counted)
    monkeypatch.setattr(gongwen_reader, "read_document", counted)  # as the build imports it, when needed
    item = ws / "items" / "2016-01" / "01.md"
    item.write_text(item.read_text(encoding="utf-8").replace("。", "，改。", 1), encoding="utf-8")
    written = build(ws, out, site=True, site_pdf=False)
    assert read == []
    site = out / "site"
    assert {p.relative_to(site).as_posix() for p in written} >= {f"{L16_1}.docx", f"{L16_1}.html"}
    assert "昆政办发〔2017〕177号" in (site / "search" / "2017.js").read_text(encoding="utf-8")
    monkeypatch.undo()
    assert rebuild(ws, out, tmp_path) == set()  # and it is what a clean build makes


def test_gongwen_numbers_and_warnings_come_back_from_the_records(ws):
    """A 发文字号 given twice (error) and a gap (warning), with file and line, and a 公文's own
    warning, are the same from the records as from the files read."""
    (ws / DOCUMENTS / "2017-179.md").write_text(DOCUMENT_177.format(season="冬", number=177), encoding="utf-8")
    (ws / DOCUMENTS / "2017-181.md").write_text(DOCUMENT_177.format(season="春\x01", number=181), encoding="utf-8")
    expected = [
        "documents/kunzhengban/2017-181.md:2: 警告: 删除了 Word 无法保存的控制字符",
        "documents/kunzhengban/2017-181.md:9: 警告: 删除了 Word 无法保存的控制字符",
        "documents/kunzhengban/2017-179.md:3: 错误: 发文字号“昆政办发〔2017〕177号”已由 kunzhengban/2017-177 使用："
        "一个文号只能给一份公文（用 briefing new gongwen 取下一个文号）",
        "documents/kunzhengban/2017-181.md:3: 警告: 昆政办发〔2017〕178号、昆政办发〔2017〕179号、昆政办发〔2017〕180号缺号",
    ]
    fresh = [d.format(ws) for d in check_workspace(ws).report.items]
    assert [line for line in fresh if "documents/" in line] == expected

    def check() -> list[str]:
        checks = Checks(ws)
        checked = check_workspace(ws, all_items=True, checks=checks)
        checks.save((m.id for m in checked.workspace.manifests), checked.workspace.item_files)
        return [d.format(ws) for d in checked.report.items]

    assert check() == fresh
    assert check() == fresh  # this time from the records
    again = f"""
from briefings.cli import main
try:
    main(["-w", {str(ws)!r}, "check"])
except SystemExit as stop:
    assert stop.code == 1, stop.code
"""
    assert not {"markdown", "nh3", "docx", "docxtpl"} & set(imported_heavy(again))
    result = CliRunner().invoke(main, ["-w", str(ws), "check"])
    assert result.exit_code == 1 and all(line in result.output for line in expected)


def test_a_deleted_gongwen_is_forgotten(ws, tmp_path):
    out = tmp_path / "out"
    build(ws, out, site=True, site_pdf=False)
    cache = ws / incremental.CACHE_DIR
    key = "documents/kunzhengban/2017-177.md"
    assert key in json.loads((cache / documentcache.DOCUMENTS_FILE).read_text(encoding="utf-8"))["documents"]
    assert key in json.loads((cache / documentcache.TEXTS_FILE).read_text(encoding="utf-8"))["documents"]
    (ws / DOCUMENTS / "2017-177.md").unlink()
    for name in both(K177):
        (out / "site" / name).unlink()  # a build does not remove what it made before
    assert rebuild(ws, out, tmp_path) == {"index.html", "search/2017.js", "search-index.js"}
    assert key not in json.loads((cache / documentcache.DOCUMENTS_FILE).read_text(encoding="utf-8"))["documents"]
    assert key not in json.loads((cache / documentcache.TEXTS_FILE).read_text(encoding="utf-8"))["documents"]
    assert "177号" not in (out / "site" / "index.html").read_text(encoding="utf-8")
    assert "176号" in (out / "site" / "index.html").read_text(encoding="utf-8")


def test_a_damaged_gongwen_record_only_costs_time(ws, tmp_path):
    out = tmp_path / "out"
    build(ws, out, site=True, site_pdf=False)
    cache = ws / incremental.CACHE_DIR
    key = "documents/kunzhengban/2017-177.md"
    records = json.loads((cache / documentcache.DOCUMENTS_FILE).read_text(encoding="utf-8"))
    records["documents"][key]["summary"]["number"] = "177"
    records["documents"]["documents/kunzhengban/2017-176.md"]["summary"] = {"id": 5}
    (cache / documentcache.DOCUMENTS_FILE).write_text(json.dumps(records), encoding="utf-8")
    (cache / documentcache.TEXTS_FILE).write_text('{"version": 1, "documents": {"x": 1}}', encoding="utf-8")
    assert rebuild(ws, out, tmp_path) == set()
    # The search made again takes the 公文's texts from the 公文 read again: the same bytes.
    edit(ws / "items" / "2016-01" / "01.md", "（2016-01-1）", "（2016-01-1，改）")  # a title
    assert rebuild(ws, out, tmp_path) == both(L16_1) | {"index.html", "feed.xml", "search/2016.js"}


def test_a_gongwen_built_alone_after_a_full_build_is_not_made_again(ws, tmp_path):
    out = tmp_path / "out"
    build(ws, out)
    assert build(ws, out, ["kunzhengban/2017-177"]) == []
    edit(ws / DOCUMENTS / "2017-177.md", "请各单位", "请全市各单位")
    written = build(ws, out, ["kunzhengban/2017-177"])
    assert sorted(p.relative_to(out).as_posix() for p in written) == sorted(both(K177))


def test_a_build_with_nothing_changed_reads_no_gongwen(ws, tmp_path):
    out = tmp_path / "out"
    build(ws, out, site=True, site_pdf=False)
    again = PARSED + f"build(Path({str(ws)!r}), Path({str(out)!r}), site=True, site_pdf=False)"
    assert not {"markdown", "nh3", "docx", "docxtpl"} & set(imported_heavy(again))
