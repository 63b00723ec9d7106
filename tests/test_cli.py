"""A new workspace from `briefing init` builds, and `new item` adds an item it can use."""

from __future__ import annotations

import yaml
from click.testing import CliRunner

from briefings.cli import main


def test_init_new_item_build_and_list(tmp_path):
    runner = CliRunner()
    root = tmp_path / "ws"
    assert runner.invoke(main, ["init", str(root)]).exit_code == 0
    ws = ["-w", str(root)]
    # A 简讯 column gives a brief note (no --kind needed); it has no title, so it is named by date.
    result = runner.invoke(main, ws + ["new", "item", "-s", "gongzuo", "-c", "简讯",
                                       "-d", "2024-05-06", "--source", "某镇"])
    assert result.exit_code == 0, result.output
    item = root / "items/gongzuo/2024-05/2024-05-06-01.md"
    front, body = item.read_text(encoding="utf-8").split("---")[1:]
    assert yaml.safe_load(front) == {"column": "简讯", "date": "2024-05-06", "source": "某镇", "author": "",
                                     "kind": "brief"}
    item.write_text(f"---{front}---\n某镇举办返乡创业培训班，40人参加。\n", encoding="utf-8")

    manifest = next((root / "issues/gongzuo").glob("*.yaml"))
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    data["items"].append("gongzuo/2024-05/2024-05-06-01.md")
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    result = runner.invoke(main, ws + ["build"])
    assert result.exit_code == 0, result.output
    assert len(list((root / "dist/gongzuo").glob("*.docx"))) == 1
    listing = runner.invoke(main, ws + ["list"])
    assert "工作简报" in listing.output and "2 篇" in listing.output and "已生成" in listing.output


def test_new_item_with_unknown_column(tmp_path):
    runner = CliRunner()
    root = tmp_path / "ws"
    runner.invoke(main, ["init", str(root)])
    result = runner.invoke(main, ["-w", str(root), "new", "item", "-s", "gongzuo", "-c", "不存在"])
    assert result.exit_code == 1 and "没有栏目“不存在”" in result.output


def test_unknown_format_is_refused(tmp_path):
    result = CliRunner().invoke(main, ["-w", str(tmp_path), "build", "--format", "odt"])
    assert result.exit_code != 0 and "不支持的格式" in result.output
