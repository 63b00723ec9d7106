"""The command line speaks Chinese throughout (Click's own words too), English when LANG asks."""

from __future__ import annotations

import re
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from briefings.cli import main

from conftest import ROOT

CHINESE = {"LANG": "zh_CN.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
ENGLISH = {"LANG": "en_US.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
CLICK_ENGLISH = ("Usage", "Options", "Commands", "Show this message", "Error", "Invalid value", "No such command",
                 "Try", "OPTIONS", "COMMAND", "ARGS", "TEXT", "INTEGER", "DIRECTORY", "ISSUES", "default", "x>=1 ")
# Names, not English prose: the program, formats and products the help names.
NAMES = {"briefing", "docx", "html", "pdf", "DOCX", "HTML", "PDF", "LibreOffice", "Word", "Atom", "CPU",
         "Markdown", "UTF", "GBK", "GB18030", "series", "suining", "site", "dist", "items", "http", "doc", "wps",
         "front", "matter", "x", "GB", "help", "h", "yaml",
         "biuld", "nope"}  # the last two: what the user typed, quoted back


def _allowed_words() -> set[str]:
    """Command and option names: typed as they are, in any language."""
    words = set(NAMES)

    def walk(command: click.Command) -> None:
        words.update(re.findall(r"[A-Za-z]+", command.name or ""))
        for param in command.params:
            if isinstance(param.type, click.Choice):
                words.update(param.type.choices)
            for opt in getattr(param, "opts", []) + getattr(param, "secondary_opts", []):
                words.update(re.findall(r"[A-Za-z]+", opt))
        for sub in getattr(command, "commands", {}).values():
            walk(sub)
    walk(main)
    return words


def english_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]+", text)) - _allowed_words()


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["new", "item", "--help"], ["biuld"],
                                  ["build", "--jobs", "x"], ["new", "item"], ["build", "--nope"]])
def test_no_english_under_a_chinese_locale(args):
    result = CliRunner().invoke(main, args, env=CHINESE, prog_name="briefing")
    assert result.exit_code in (0, 2), result.output
    assert english_words(result.output) == set(), result.output
    assert not any(phrase in result.output for phrase in CLICK_ENGLISH), result.output


def test_chinese_words_for_clicks_own():
    runner = CliRunner()
    assert runner.invoke(main, ["--help"], env=CHINESE, prog_name="briefing").output.startswith(
        "用法： briefing [选项] 命令 [参数]...\n")
    error = runner.invoke(main, ["biuld"], env=CHINESE, prog_name="briefing").output
    assert "错误：没有命令 'biuld'。 是否指 'build'？" in error and "运行“briefing --help”查看帮助。" in error
    missing = runner.invoke(main, ["new", "item", "-s", "x"], env=CHINESE, prog_name="briefing").output
    assert "错误：缺少选项 '--column' / '-c'" in missing


def test_english_when_lang_asks_for_it():
    runner = CliRunner()
    help_text = runner.invoke(main, ["build", "--help"], env=ENGLISH, prog_name="briefing").output
    assert help_text.startswith("Usage: briefing build [OPTIONS] [ISSUES]...") and "\nOptions:\n" in help_text
    assert "Show this message and exit." in help_text
    error = runner.invoke(main, ["biuld"], env=ENGLISH, prog_name="briefing").output
    assert "Error: No such command 'biuld'." in error
    # And back: the language is chosen at each run.
    assert runner.invoke(main, ["--help"], env=CHINESE, prog_name="briefing").output.startswith("用法：")


def test_no_locale_at_all_is_chinese():
    """Windows sets none of LANG/LC_*: clerks there get Chinese."""
    result = CliRunner().invoke(main, ["--help"], env={"LANG": "", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""},
                                prog_name="briefing")
    assert result.output.startswith("用法：")


def test_version():
    from importlib.metadata import version

    result = CliRunner().invoke(main, ["--version"], prog_name="briefing")
    assert result.exit_code == 0 and result.output == f"briefing {version('briefings')}\n"


def test_shipped_catalog_is_the_compiled_po():
    """The .mo in the package is what tools/update_translations.py compiles from the .po."""
    result = subprocess.run([sys.executable, str(ROOT / "tools/update_translations.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_serve_on_a_port_in_use_suggests_another(workspace):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "briefings", "-w", str(workspace), "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 1
    assert f"错误: 端口 {port} 已被占用" in result.stderr and f"briefing serve --port {port + 1}" in result.stderr
    assert "Traceback" not in result.stderr
