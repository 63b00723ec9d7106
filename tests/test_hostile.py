"""Hostile input (issue 9): each defect an attacker or a careless clerk found,
with the input that broke it. Every test names its defect."""

from __future__ import annotations

import datetime as dt
import errno
import http.client
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefings import typeset
from briefings.build import check_workspace
from briefings.cli import main
from briefings.files import safe_file_name
from briefings.numbering import missing_numbers
from conftest import ROOT
from gongwen_fixtures import SAMPLE_NAME

ITEM = "suining/2023-07/02-suizhoubei-dasai.md"
ITEM_FILE = f"items/{ITEM}"
MANIFEST = "issues/suining/2023-07.yaml"
SERIES = "series/suining.yaml"
OUT_NAME = "遂宁返乡创业简报2023年第7期"


def cli(root: Path, *args: str):
    return CliRunner().invoke(main, ["-w", str(root), *args])


def build(root: Path, *args: str):
    return cli(root, "build", "--out", str(root / "out"), *args)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def set_key(path: Path, key: str, value: str) -> int:
    """Replace the `key:` line's value; returns its line number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    lines[index] = f"{key}: {value}"
    path.write_text("\n".join(lines), encoding="utf-8")
    return index + 1


def assert_refused(root: Path, where: str, message: str, command: str = "build") -> str:
    """The command exits 1 with `where: 错误: …message…` and nothing is written."""
    result = build(root) if command == "build" else cli(root, command)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = [line for line in result.output.splitlines() if line.startswith(f"{where}: 错误: ")]
    assert any(message in line for line in lines), result.output
    assert not (root / "out").exists()
    return result.output


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


# --- 2. output names from data --------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("../../../逃逸/简报", "．．／．．／．．／逃逸／简报"),
    ("县委办/县政府办简报", "县委办／县政府办简报"),
    ('a<b>:c"d|e?f*g\\h', "a＜b＞：c＂d｜e？f＊g＼h"),
    ("简报\x00\x1f\n", "简报"),
    ("CON", "_CON"),
    ("nul.txt", "_nul.txt"),
    ("..", "．．"),
    (".隐藏.", "隐藏"),
    ("   ", "_"),
])
def test_defect2_safe_file_name(name, expected):
    assert safe_file_name(name) == expected


def test_defect2_safe_file_name_is_bounded():
    name = safe_file_name("简" * 1000)
    assert name == "简" * 60  # 180 bytes of UTF-8
    assert len(safe_file_name("a" * 1000).encode()) == 180


@pytest.mark.parametrize("series_name, special, expected", [
    ("../../../逃逸/简报", "", "suining/．．／．．／．．／逃逸／简报2023年第7期"),
    ("遂宁返乡创业简报", "/../../逃逸/增刊", "suining/遂宁返乡创业简报2023年／．．／．．／逃逸／增刊第7期"),
    ("县委办/县政府办简报", "", "suining/县委办／县政府办简报2023年第7期"),
])
def test_defect2_output_stays_in_the_output_folder(workspace, tmp_path, series_name, special, expected):
    edit(workspace / SERIES, "name: 遂宁返乡创业简报", f'name: "{series_name}"')
    if special:
        edit(workspace / MANIFEST, "total: 45\n", "")
        set_key(workspace / MANIFEST, "special", f'"{special}"')
    out = tmp_path / "a" / "b" / "c" / "out"
    result = cli(workspace, "build", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert files_under(tmp_path) - {f"ws/{p}" for p in files_under(workspace)} == {
        f"a/b/c/out/{p}" for p in (f"{expected}.docx", f"{expected}.html",
                                   "luxian/泸县双创简报2017年第9期.docx", "luxian/泸县双创简报2017年第9期.html",
                                   f"kunzhengban/{SAMPLE_NAME}.docx", f"kunzhengban/{SAMPLE_NAME}.html",
                                   "index.html")}


def test_defect2_two_issues_with_one_file_name_are_refused(workspace):
    # Two specials that differ only in a character a file name cannot hold.
    edit(workspace / MANIFEST, "total: 45\n", "")
    set_key(workspace / MANIFEST, "special", '"增刊/一"')
    text = (workspace / MANIFEST).read_text(encoding="utf-8").replace("增刊/一", "增刊／一")
    (workspace / "issues/suining/2023-增刊.yaml").write_text(text, encoding="utf-8")
    assert_refused(workspace, "issues/suining/2023-增刊.yaml:14",
                   "与 suining/2023-07 生成同名的文件“遂宁返乡创业简报2023年增刊／一第7期”", command="check")


# --- 3. manifest items outside items/ -------------------------------------------

@pytest.mark.parametrize("name", ["../../outside-item.md", "../series/suining.yaml", "/etc/passwd"])
def test_defect3_manifest_item_outside_items_is_refused(workspace, name):
    (workspace.parent / "outside-item.md").write_text("---\ntitle: 外部\ncolumn: 要闻\ndate: 2023-07-01\n---\n\n外部。\n",
                                                      encoding="utf-8")
    edit(workspace / MANIFEST, f"  - {ITEM}\n", f"  - {ITEM}\n  - {name}\n")
    assert_refused(workspace, f"{MANIFEST}:8", f"稿件“{name}”不在 items/ 目录内")


def test_defect3_item_linking_out_of_items_is_refused(workspace):
    outside = workspace.parent / "outside-item.md"
    outside.write_text((workspace / ITEM_FILE).read_text(encoding="utf-8"), encoding="utf-8")
    (workspace / ITEM_FILE).unlink()
    (workspace / ITEM_FILE).symlink_to(outside)
    assert_refused(workspace, MANIFEST + ":7", f"稿件“{ITEM}”不在 items/ 目录内")


# --- 4. YAML alias bomb ------------------------------------------------------------

def alias_bomb(key: str) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    return "\n".join(lines) + f"\n{key}: *a9\n"


def test_defect4_alias_bomb_is_refused_quickly(workspace):
    edit(workspace / MANIFEST, "number: 7\n", "")
    append(workspace / MANIFEST, alias_bomb("number"))  # its message once printed the expanded value
    # A subprocess with a timeout: before the fix, this hung.
    result = subprocess.run([sys.executable, "-m", "briefings", "-w", str(workspace), "check"],
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 1
    lines = (workspace / MANIFEST).read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, start=1) if text.startswith("a5:"))  # 9**6 values
    assert f"{MANIFEST}:{line}: 错误: 别名（*名称）展开后超过 100,000 个值" in result.stderr
    assert len(result.stderr) < 1000 and "Traceback" not in result.stderr


def test_defect4_messages_quote_at_most_60_characters(workspace):
    edit(workspace / ITEM_FILE, "kind: article", "kind: " + "长" * 150)
    output = assert_refused(workspace, f"{ITEM_FILE}:6", "“kind”只能是 article / brief，实际是“" + "长" * 60 + "…”")
    assert "长" * 61 not in output


# --- 5. huge numbers ------------------------------------------------------------

def second_manifest(root: Path, number: int | str, total: int | str, name: str = "2023-08") -> Path:
    path = root / f"issues/suining/{name}.yaml"
    text = (root / MANIFEST).read_text(encoding="utf-8")
    path.write_text(text.replace("number: 7", f"number: {number}").replace("total: 45", f"total: {total}")
                    .replace("date: 2023-07-17", "date: 2023-08-17"), encoding="utf-8")
    return path


def test_defect5_numbers_are_bounded(workspace):
    second_manifest(workspace, "100000000000000000000", "20230717")
    output = assert_refused(workspace, "issues/suining/2023-08.yaml:2", "“number”期号不能大于 999，实际是 100000000000000000000")
    assert "issues/suining/2023-08.yaml:3: 错误: “total”总期号不能大于 99999，实际是 20230717" in output


def test_defect5_gap_warning_names_ten_numbers_and_counts_the_rest(workspace):
    second_manifest(workspace, 999, 99999)
    result = build(workspace)
    assert result.exit_code == 0, result.output
    assert ("issues/suining/2023-08.yaml:2: 警告: suining 2023年第8、9、10、11、12、13、14、15、16、17期等 991 期缺号"
            in result.output.splitlines())
    # The warnings stay short (the files built, the sample 公文's long name among them, are listed too).
    assert len("\n".join(line for line in result.output.splitlines() if "警告" in line)) < 2000


def test_defect5_gap_check_is_proportional_to_the_count():
    # Before: set(range(1, 10**20)) never finishes.
    assert missing_numbers([1, 10**20]) == ([2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 10**20 - 2)
    assert missing_numbers([1, 3, 5]) == ([2, 4], 2)
    assert missing_numbers([4]) == ([], 0)


# --- 6. long titles ---------------------------------------------------------------

def test_defect6_title_over_100_characters_is_refused(workspace):
    set_key(workspace / ITEM_FILE, "title", "长" * 60000)
    assert_refused(workspace, f"{ITEM_FILE}:2", "“title”过长（60000 字），不能超过 100 字")


def test_defect6_title_of_100_characters_builds(workspace):
    edit(workspace / ITEM_FILE, 'title: "遂宁', 'title: "' + "长" * 53 + "遂宁")
    assert build(workspace).exit_code == 0


def test_defect6_title_line_breaking_is_linear(monkeypatch):
    calls = 0
    width = typeset.char_width

    def counting(ch):
        nonlocal calls
        calls += 1
        return width(ch)

    monkeypatch.setattr(typeset, "char_width", counting)
    for length in (1000, 8000):
        calls = 0
        lines = typeset.balanced_lines("汉" * length, 20)
        assert "".join(lines) == "汉" * length and len(lines) == length // 20
        # A fixed number of looks per character: before, 8000 characters took ~40 times
        # the looks per character that 1000 did.
        assert calls < 12 * length, (length, calls)


# --- 7. deep nesting ------------------------------------------------------------------

@pytest.mark.parametrize("body, offset", [
    ("".join("    " * n + "- 项\n" for n in range(1000)), 8),  # the 9th level
    ("".join("  " * n + "- 项\n" for n in range(1000)), 16),  # 2 spaces: a level every other line
    ("> " * 1000 + "引文\n", 0),
    ("- " * 1000 + "项\n", 0),
    ("<ul><li>" * 20 + "项" + "</li></ul>" * 20 + "\n", None),  # raw HTML: the body's first line
])
def test_defect7_nesting_past_8_levels_is_an_error(workspace, body, offset):
    first = (workspace / ITEM_FILE).read_text(encoding="utf-8").count("\n") + 2
    append(workspace / ITEM_FILE, "\n" + body)
    line = 8 if offset is None else first + offset
    assert_refused(workspace, f"{ITEM_FILE}:{line}", "列表或引用嵌套超过 8 层", command="check")


def test_defect7_eight_levels_build(workspace):
    append(workspace / ITEM_FILE, "\n" + "".join("    " * n + f"- 第{n + 1}层\n" for n in range(8)) + "\n" + "> " * 8 + "引文\n")
    result = build(workspace)
    assert result.exit_code == 0, result.output


def test_defect7_deeply_nested_yaml_is_an_error(workspace):
    edit(workspace / ITEM_FILE, "kind: article", "kind: article\nextra: " + "[" * 1000 + "]" * 1000)
    assert_refused(workspace, f"{ITEM_FILE}:7", "嵌套超过 20 层", command="check")


# --- 8. dates -------------------------------------------------------------------------

@pytest.mark.parametrize("date", ["2203-07-17", "0001-01-01", "1948-12-31", "2101-01-01"])
def test_defect8_dates_outside_1949_to_2100_are_refused(workspace, date):
    edit(workspace / MANIFEST, "date: 2023-07-17", f"date: {date}")
    assert_refused(workspace, f"{MANIFEST}:4", f"日期“{date}”不在 1949—2100 年之间", command="check")


def test_defect8_issue_date_a_year_ahead_warns(workspace):
    edit(workspace / MANIFEST, "date: 2023-07-17", "date: 2032-07-17")
    checked = check_workspace(workspace, today=dt.date(2023, 7, 1))
    assert [d.format(workspace) for d in checked.report.warnings] == [
        f"{MANIFEST}:4: 警告: 出刊日期 2032-07-17 比今天（2023-07-01）晚一年以上（请核对年份）"]
    assert not check_workspace(workspace, today=dt.date(2032, 1, 1)).report.warnings


def test_defect8_early_dates_build(workspace):
    edit(workspace / MANIFEST, "date: 2023-07-17", "date: 1949-10-01")
    for name in ("01-beijing-wenzhou-diaoyan.md", "02-suizhoubei-dasai.md", "03-anju-jinjiang-tuijie.md",
                 "04-daying-wuge-daowei.md", "05-chuanshan-suizhou-xiuniang.md", "06-pengxi-wulumuqi-weiwen.md",
                 "07-daying-qinzi-tuanyuan.md", "08-hedong-suixin-ayi.md"):
        path = workspace / "items/suining/2023-07" / name
        text = path.read_text(encoding="utf-8")
        start = text.index("date: ")
        path.write_text(text[:start] + "date: 1949-10-01" + text[start + 16:], encoding="utf-8")
    result = build(workspace, "suining/2023-07")
    assert result.exit_code == 0, result.output


# --- 9. characters XML cannot hold ------------------------------------------------------

@pytest.mark.parametrize("path, key, value, char", [
    (ITEM_FILE, "title", '"标\\v题"', "U+000B"),
    (ITEM_FILE, "source", '"单\\0位"', "U+0000"),
    (ITEM_FILE, "source", '"单\\ud800位"', "U+D800"),
    (SERIES, "name", '"遂宁\\x01简报"', "U+0001"),
    (MANIFEST, "editor_note", '"按\\x0c语"', "U+000C"),
    ("briefing.yaml", "title", '"简\\x1b报"', "U+001B"),
])
def test_defect9_xml_illegal_characters_from_yaml_escapes(workspace, path, key, value, char):
    line = set_key(workspace / path, key, value)
    assert_refused(workspace, f"{path}:{line}", f"含有 Word 无法保存的字符 {char}", command="check")


def test_defect9_raw_control_characters_in_a_series_file(workspace):
    edit(workspace / SERIES, "office: ", "office: \x7f")
    assert_refused(workspace, f"{SERIES}:2", "含有不能出现在 YAML 中的字符 U+007F", command="check")


# --- 12. duplicate keys ----------------------------------------------------------

@pytest.mark.parametrize("path, key, first", [
    (MANIFEST, "items", 5),  # a second items: block once dropped 7 of 8 items silently
    (SERIES, "name", 1),
    (ITEM_FILE, "column", 3),
    ("briefing.yaml", "title", 1),
])
def test_defect12_duplicate_keys_are_errors(workspace, path, key, first):
    target = workspace / path
    if path == ITEM_FILE:
        edit(target, "kind: article", "kind: article\ncolumn: 要闻")  # inside the front matter
        line = 7
    else:
        append(target, f"{key}:\n  - 第二次\n" if key == "items" else f"{key}: 第二次\n")
        line = target.read_text(encoding="utf-8").count("\n") - (1 if key == "items" else 0)
    assert_refused(workspace, f"{path}:{line}", f"键“{key}”重复（第 {first} 行已有）", command="check")


# --- 13. file-system errors ------------------------------------------------------

def test_defect13_output_subfolder_that_is_a_file(workspace):
    out = workspace / "out"
    out.mkdir()
    (out / "suining").write_text("not a folder", encoding="utf-8")
    result = build(workspace)
    assert result.exit_code == 1
    assert "out/suining: 错误: 这是一个文件，不是文件夹，无法在其中写入（请删去或改名这个文件，或用 --out 换一个输出目录）" \
        in result.output
    assert files_under(out) == {"suining"}  # the other series was not written either


@pytest.mark.parametrize("code, message", [
    (errno.ENOSPC, "磁盘已满（请清理磁盘空间后重新运行）"),
    (errno.EROFS, "所在磁盘是只读的（请用 --out 换一个可写的输出目录）"),
    (errno.EACCES, "没有写入权限"),
])
def test_defect13_write_errors_leave_the_old_files(workspace, monkeypatch, code, message):
    assert build(workspace).exit_code == 0
    before = {p: p.read_bytes() for p in (workspace / "out").rglob("*") if p.is_file()}
    edit(workspace / ITEM_FILE, "title: ", "title: 修改后")
    from briefings import files

    written = []
    real = files._write_temp

    def failing(path, data, *options):
        if ".briefing-cache" in path.parts:  # the edited item's parse, recorded as it is read
            return real(path, data, *options)
        # The build writes what the edit changed: this issue's DOCX, its page, the index.
        if len(written) == 1:
            raise OSError(code, os.strerror(code))  # as write() raises it: no file name
        written.append(path)
        return real(path, data, *options)

    monkeypatch.setattr(files, "_write_temp", failing)
    result = build(workspace)
    assert result.exit_code == 1
    assert f"out/suining/{OUT_NAME}.html: 错误: {message}" in result.output  # the second file
    assert "Traceback" not in result.output
    assert {p: p.read_bytes() for p in (workspace / "out").rglob("*") if p.is_file()} == before


def test_defect13_read_only_output_folder_is_a_message(workspace, monkeypatch):
    # Tests run as root, who may write anywhere: the folder says it is read-only.
    out = workspace / "out"
    out.mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == out and mode & os.W_OK else real(p, mode))
    result = build(workspace)
    assert result.exit_code == 1
    assert "out: 错误: 没有写入权限，或所在磁盘是只读的（请检查文件夹的权限，或用 --out 换一个输出目录）" in result.output
    assert files_under(out) == set()


def test_defect13_other_commands_name_the_path(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "new" / "briefing.yaml"))

    from briefings import scaffold

    monkeypatch.setattr(scaffold, "write_atomic", refuse)
    result = CliRunner().invoke(main, ["init", str(tmp_path / "new")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'new' / 'briefing.yaml'}: 错误: 没有写入权限" in result.output


# --- 14. stale temporary files -------------------------------------------------------------

def test_defect14_stale_temp_files_removed_and_never_published(workspace):
    site = workspace / "out" / "site"
    (site / "suining").mkdir(parents=True)
    stale = [site / f".{OUT_NAME}.html.ab12cd_9.tmp", site / "suining" / f".{OUT_NAME}.docx.x7y8z9w0.tmp",
             site / ".index.html.k2j3h4g5.tmp"]
    kept = [site / "notes.tmp", site / ".hidden.tmp", site / "suining" / ".draft.docx.toolong12345.tmp",
            site / "suining" / "mine.txt"]
    for path in stale + kept:
        path.write_text("x", encoding="utf-8")
    result = build(workspace, "--site")
    assert result.exit_code == 0, result.output
    assert [p for p in stale if p.exists()] == []
    assert [p for p in kept if not p.exists()] == []


# --- 15. a newline in a file name ------------------------------------------------------------

def test_defect15_newline_in_an_item_file_name_keeps_one_line(workspace):
    bad = workspace / "items" / "suining" / "坏\n名字.md"
    bad.write_text("---\ntitle: 标题\ncolumn: 要闻\n---\n\n正文。\n", encoding="utf-8")
    result = cli(workspace, "check")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "items/suining/坏\\n名字.md:2: 错误: 缺少必填项“date”" in lines
    assert all(line.startswith(("items/", "发现")) for line in lines), lines


# --- 16. serve answers local names only -----------------------------------------------------

def test_defect16_serve_refuses_other_host_names(preview):
    _, url = preview
    port = int(url.rsplit(":", 1)[1].strip("/"))

    def status(host: str | None) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.putrequest("GET", "/", skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        code = connection.getresponse().status
        connection.close()
        return code

    for host in ("127.0.0.1", f"127.0.0.1:{port}", "localhost", f"localhost:{port}", f"[::1]:{port}",
                 f"LOCALHOST:{port}"):
        assert status(host) == 200, host
    for host in ("rebind.attacker.example", f"rebind.attacker.example:{port}", f"127.0.0.1:{port + 1}",
                 "127.0.0.1.attacker.example", "", None):
        assert status(host) in (400, 421), host
