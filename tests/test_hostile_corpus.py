"""Hostile input (issue 9, "Done when"): the command line over a corpus of
wrong and malicious workspaces. Whatever the input: exit code 0 or 1, never a
traceback; an error is a `文件:行号: 错误: …` line; no file appears outside
the workspace and the output folder; a failed build writes nothing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from briefings.cli import main
from conftest import ROOT, copy_samples

ITEM = "items/suining/2023-07/02-suizhoubei-dasai.md"
MANIFEST = "issues/suining/2023-07.yaml"
SERIES = "series/suining.yaml"
LISTED = "  - suining/2023-07/02-suizhoubei-dasai.md\n"

# `文件:行号: 错误|警告: …`: a relative path, a line number, one line.
LOCATED = re.compile(r"^[^\s:][^:]*:\d+: (错误|警告): \S")
DIAGNOSTIC = re.compile(r"^.+?(:\d+)?: (错误|警告): \S")


def replace(path: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        text = (root / path).read_text(encoding="utf-8")
        assert old in text, (path, old)
        (root / path).write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def key(path: str, name: str, value: str) -> Callable[[Path], None]:
    """Set a top-level key's value (the line starting with `name:`)."""
    def change(root: Path) -> None:
        lines = (root / path).read_text(encoding="utf-8").split("\n")
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{name}:"))
        lines[index] = f"{name}: {value}"
        (root / path).write_text("\n".join(lines), encoding="utf-8")
    return change


def write(path: str, data: str | bytes) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return change


def append(path: str, text: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        with open(root / path, "a", encoding="utf-8") as handle:
            handle.write(text)
    return change


def body(text: str) -> Callable[[Path], None]:
    return append(ITEM, "\n" + text)


def second_issue(number: str, total: str = "46") -> Callable[[Path], None]:
    def change(root: Path) -> None:
        text = (root / MANIFEST).read_text(encoding="utf-8")
        (root / "issues/suining/2023-08.yaml").write_text(
            text.replace("number: 7", f"number: {number}").replace("total: 45", f"total: {total}"),
            encoding="utf-8")
    return change


def both(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        for each in changes:
            each(root)
    return change


def alias_bomb(name: str) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    return "\n".join(lines) + f"\n{name}: *a9\n"


def item_outside(root: Path) -> None:
    (root.parent / "outside-item.md").write_text("---\ntitle: 外部\ncolumn: 要闻\ndate: 2023-07-01\n---\n\n外部。\n",
                                                 encoding="utf-8")
    replace(MANIFEST, LISTED, LISTED + "  - ../../outside-item.md\n")(root)


def item_linked_outside(root: Path) -> None:
    outside = root.parent / "outside-item.md"
    outside.write_text((root / ITEM).read_text(encoding="utf-8"), encoding="utf-8")
    (root / ITEM).unlink()
    (root / ITEM).symlink_to(outside)


def folder_named_like_an_item(root: Path) -> None:
    (root / "items/suining/文件夹.md").mkdir()
    replace(MANIFEST, LISTED, LISTED + "  - suining/文件夹.md\n")(root)


def series_named_con(root: Path) -> None:
    (root / "series/CON.yaml").write_text((root / SERIES).read_text(encoding="utf-8"), encoding="utf-8")
    replace(MANIFEST, "series: suining", "series: CON")(root)


def output_folder_is_a_file(root: Path) -> None:
    (root / "dist").write_text("这不是文件夹", encoding="utf-8")


def output_subfolder_is_a_file(root: Path) -> None:
    (root / "dist").mkdir()
    (root / "dist/suining").write_text("这不是文件夹", encoding="utf-8")


CORPUS: dict[str, Callable[[Path], None]] = {
    # 2. names that would leave the output folder or nest folders
    "series name with ../": key(SERIES, "name", '"../../../逃逸/简报"'),
    "special with /../": both(replace(MANIFEST, "total: 45\n", ""), key(MANIFEST, "special", '"/../../逃逸/增刊"')),
    "series name with /": key(SERIES, "name", "县委办/县政府办简报"),
    "series name Windows forbids": key(SERIES, "name", '"CON<>:|?*\\\\"'),
    "series file CON.yaml": series_named_con,
    "series name 2000 characters": key(SERIES, "name", "刊" * 2000),
    "out_dir outside the workspace": write("briefing.yaml", "title: 简报\nout_dir: ../../逃逸\n"),
    "template outside the workspace": append(SERIES, "html_template: ../../../../etc/passwd\n"),
    # 3. items outside items/
    "manifest item ../": item_outside,
    "manifest item absolute": replace(MANIFEST, LISTED, LISTED + "  - /etc/passwd\n"),
    "item linked outside": item_linked_outside,
    "item that is a folder": folder_named_like_an_item,
    # 4. alias bombs and recursive aliases
    "alias bomb in a manifest": both(replace(MANIFEST, "number: 7\n", ""), append(MANIFEST, alias_bomb("number"))),
    "alias bomb in an item": replace(ITEM, "kind: article", "kind: article\n" + alias_bomb("order")),
    "alias bomb in a series": append(SERIES, alias_bomb("copies_extra")),
    "recursive alias": replace(ITEM, "kind: article", "kind: article\norder: &a [*a]"),
    # 5. huge numbers
    "number 10**20 beside another issue": both(key(MANIFEST, "number", "100000000000000000000"), second_issue("8")),
    "number 20230717": second_issue("20230717"),
    "total 10**20": second_issue("8", "100000000000000000000"),
    "number of 5000 digits": key(MANIFEST, "number", "1" * 5000),
    "copies 10**20": replace(SERIES, "  copies: 60", "  copies: 100000000000000000000"),
    "number not an integer": key(MANIFEST, "number", ".inf"),
    "order of 5000 digits": replace(ITEM, "kind: article", "kind: article\norder: " + "9" * 5000),
    # 6. long titles, large front matter
    "title of 60,000 characters": key(ITEM, "title", "长" * 60000),
    "front matter of 5 MB": key(ITEM, "title", "题" * 5_000_000),
    "body line of 1 MB": body("字" * 1_000_000 + "\n"),
    # 7. deep nesting
    "1000-level list": body("".join("    " * n + "- 项\n" for n in range(1000))),
    "1000-level quote": body("> " * 1000 + "引文\n"),
    "1000 list markers on a line": body("- " * 1000 + "项\n"),
    "1000-level raw HTML": body("<div>" * 1000 + "深" + "</div>" * 1000 + "\n"),
    "1000-level YAML list": replace(ITEM, "kind: article", "kind: article\norder: " + "[" * 1000 + "]" * 1000),
    "1000-level YAML mapping": replace(ITEM, "kind: article", "kind: article\norder: " + "{a: " * 1000 + "1" + "}" * 1000),
    # 8. dates
    "issue date 2203": key(MANIFEST, "date", "2203-07-17"),
    "item date 0001-01-01": key(ITEM, "date", "0001-01-01"),
    "date 9999-12-31": key(MANIFEST, "date", "9999-12-31"),
    "date a number": key(MANIFEST, "date", "20230717"),
    "date a list": key(MANIFEST, "date", "[2023, 7, 17]"),
    # 9. characters XML cannot hold
    "title with \\v": key(ITEM, "title", '"标\\v题"'),
    "source with \\0": key(ITEM, "source", '"单\\0位"'),
    "series name with \\x01": key(SERIES, "name", '"遂宁\\x01简报"'),
    "lone surrogate": key(ITEM, "title", '"标\\ud800题"'),
    "workspace title with \\x1b": write("briefing.yaml", 'title: "简\\x1b报"\n'),
    "raw DEL in a series": replace(SERIES, "office: ", "office: \x7f"),
    "raw NUL in an item": replace(ITEM, "source: ", "source: \x00"),
    # 12. duplicate keys
    "second items: block": append(MANIFEST, "items:\n  - suining/2023-07/01-beijing-wenzhou-diaoyan.md\n"),
    "duplicate key in an item": replace(ITEM, "kind: article", "kind: article\ncolumn: 要闻"),
    # 13. the file system
    "output folder is a file": output_folder_is_a_file,
    "output subfolder is a file": output_subfolder_is_a_file,
    # 15. a newline in a file name
    "newline in an item file name": write("items/suining/坏\n名字.md", "---\ntitle: 标题\ncolumn: 要闻\n---\n\n正文。\n"),
    # and others
    "GBK item": write(ITEM, "---\ntitle: 标题\ncolumn: 要闻\ndate: 2023-07-12\n---\n\n第一段。\n".encode("gb18030")),
    "invalid UTF-8": write(ITEM, b"---\ntitle: \xff\xfe\n---\n"),
    "binary series file": write(SERIES, bytes(range(256)) * 4),
    "empty series file": write(SERIES, ""),
    "empty manifest": write(MANIFEST, ""),
    "empty item": write(ITEM, ""),
    "manifest is a list": write(MANIFEST, "- a\n- b\n"),
    "manifest is a string": write(MANIFEST, "简报\n"),
    "items a mapping": replace(MANIFEST, "items:\n", "items: {a: 1}\nitems_old:\n"),
    "front matter only": write(ITEM, "---\n---\n"),
    "python tag": replace(ITEM, "kind: article", "kind: !!python/object/apply:os.system [echo hacked]"),
    "complex key": replace(ITEM, "kind: article", "kind: article\n? [a, b]\n: c"),
    "many documents": write(MANIFEST, "a: 1\n---\nb: 2\n"),
    "carriage returns only": write(ITEM, "---\rtitle: 标题\rcolumn: 要闻\rdate: 2023-07-12\r---\r\r正文。\r"),
    "unknown column 5000 characters": key(ITEM, "column", "栏" * 5000),
    "picture outside": body("![图](../../../../../../etc/passwd)\n"),
    "template syntax in the body": body("{{ 7*7 }} {% for x in range(10**9) %}x{% endfor %}\n"),
}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, except the workspace's picture cache (not an output)."""
    return {p.relative_to(folder).as_posix(): b"<link>" if p.is_symlink() else p.read_bytes()
            for p in sorted(folder.rglob("*")) if (p.is_file() or p.is_symlink())
            and ".briefing-cache" not in p.parts}


def assert_clean(result, allowed=(0, 1)) -> list[str]:
    """Exit 0 or 1, no traceback, every diagnostic one well-formed line."""
    assert result.exit_code in allowed, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    for line in lines:
        if ": 错误: " in line or ": 警告: " in line:
            assert DIAGNOSTIC.match(line), line
    if result.exit_code == 1:
        assert any(": 错误: " in line for line in lines), result.output
    return lines


@pytest.mark.parametrize("name", list(CORPUS))
def test_hostile_corpus(tmp_path, name):
    # Deep below tmp_path, so `../../../` out of the output folder still lands where we look.
    workspace = copy_samples(tmp_path / "a" / "b" / "c" / "ws")
    CORPUS[name](workspace)
    before = snapshot(tmp_path)
    runner = CliRunner()

    checked = runner.invoke(main, ["-w", str(workspace), "check"])
    check_lines = assert_clean(checked)
    if checked.exit_code == 1:
        assert any(LOCATED.match(line) for line in check_lines), checked.output
    assert snapshot(tmp_path) == before, "check wrote something"

    out = workspace / "dist"
    out_existed = out.exists()
    built = runner.invoke(main, ["-w", str(workspace), "build"])
    assert_clean(built)
    after = snapshot(tmp_path)
    new = {path for path in after if path not in before or after[path] != before[path]}
    if built.exit_code == 1:
        assert new == set(), f"a failed build wrote {sorted(new)}"
        assert out_existed or not out.exists()
    else:
        prefix = out.relative_to(tmp_path).as_posix() + "/"
        assert new and all(path.startswith(prefix) for path in new), sorted(new)

    made = runner.invoke(main, ["-w", str(workspace), "new", "issue", "-s", "suining", "-d", "2023-09-01"])
    assert_clean(made)
    fixed = runner.invoke(main, ["-w", str(workspace), "fix-encoding"])
    assert_clean(fixed)
    inside = workspace.relative_to(tmp_path).as_posix() + "/"
    assert all(path.startswith(inside) for path in set(snapshot(tmp_path)) - set(before))


def test_hostile_workspace_served(tmp_path):
    """`serve` over a workspace full of hostile files starts, lists the errors
    as `文件:行号` lines and stops cleanly."""
    workspace = copy_samples(tmp_path / "ws")
    for name in ("alias bomb in an item", "1000-level list", "title with \\v", "second items: block",
                 "series name with ../"):
        CORPUS[name](workspace)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "briefings", "-w", str(workspace), "serve", "--port", "0"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if "预览地址" in line:
                break
    finally:
        process.terminate()
        rest, _ = process.communicate(timeout=30)
    output = "\n".join(lines) + rest
    assert "Traceback" not in output
    assert "预览地址" in output, output
    errors = [line for line in lines if ": 错误: " in line]
    assert errors and all(LOCATED.match(line) for line in errors), output
    assert f"{MANIFEST}:24: 错误: 键“items”重复（第 5 行已有）（同一个键只能写一次，请合并或删去其中一个）" in errors
