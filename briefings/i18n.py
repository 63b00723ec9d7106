"""Click's own words (`Usage:`, `Options:`, `Error: …`) in Chinese, English when asked.

Click marks its words for gettext; the catalog in locale/zh_CN/LC_MESSAGES/click.po
(compiled to click.mo, see tools/update_translations.py) holds their Chinese.
Chinese unless the environment asks for another language (LANGUAGE, LC_ALL,
LC_MESSAGES, LANG, first set wins): clerks' Windows machines set none of these.
Placeholders Click prints in English without gettext ([OPTIONS], TEXT, FILES...)
get Chinese names here too. Chosen at each run, so tests can switch languages.
"""

from __future__ import annotations

import gettext
import importlib
import os
import unicodedata
from pathlib import Path

import click

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "click"
_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils",
                  "shell_completion", "_termui_impl")
_LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
_NEUTRAL = ("", "C", "POSIX")

# Placeholders in usage lines and option lists.
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."
_TYPE_NAMES = {"text": "文字", "integer": "整数", "integer range": "整数", "float": "数字",
               "float range": "数字", "directory": "目录", "file": "文件", "path": "路径", "boolean": "是否",
               "uuid": "UUID"}
_ARGUMENT_NAMES = {"folder": "目录", "issues": "期", "issue_id": "期", "files": "文件", "items": "稿件",
                   "file": "文件", "item": "稿件"}


def wants_chinese(environ: dict[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    for name in _LANGUAGE_VARIABLES:
        value = environ.get(name, "")
        if value:
            language = value.split(":")[0].split(".")[0]
            return language in _NEUTRAL or language.lower().startswith("zh")
    return True


def install(command: click.Command) -> None:
    """Put Click (and `command`'s placeholders) into this run's language."""
    chinese = wants_chinese()
    translation = _chinese() if chinese else gettext.NullTranslations()
    for name in _CLICK_MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # a module another Click version does not have
            continue
        if hasattr(module, "_"):
            module._ = translation.gettext
        if hasattr(module, "ngettext"):
            module.ngettext = translation.ngettext
    _set(click.HelpFormatter, "write_heading", _write_heading if chinese else None)
    # Columns of the option list line up when the first column has Chinese in it.
    _set(importlib.import_module("click.formatting"), "term_len", _display_width if chinese else None)
    # Subclasses first: each keeps its own original name.
    for target, name in ((click.Option, "选项"), (click.Argument, "参数"), (click.Parameter, "参数")):
        _set(target, "param_type_name", name if chinese else None)
    for target in (click.INT, click.FLOAT, click.STRING, click.BOOL, click.UUID, click.IntRange, click.FloatRange):
        _set(target, "name", _TYPE_NAMES.get(getattr(target, "_briefing_original_name", target.name))
             if chinese else None)
    for each in _walk(command):
        if hasattr(each, "_help_option"):
            each._help_option = None  # Click keeps --help's text from the first run; make it again
        _set(each, "options_metavar", OPTIONS_METAVAR if chinese else None)
        if isinstance(each, click.Group):
            _set(each, "subcommand_metavar", SUBCOMMAND_METAVAR if chinese else None)
        for param in each.params:
            if isinstance(param.type, click.Path):  # named when the program was loaded, in English
                _set(param.type, "name", _TYPE_NAMES.get(_original(param.type, "name")) if chinese else None)
            if isinstance(param, click.Argument):
                _set(param, "metavar", _argument_metavar(param) if chinese else None)


_translation: gettext.GNUTranslations | None = None


def _chinese() -> gettext.NullTranslations:
    global _translation
    if _translation is None:
        try:
            _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=["zh_CN"])
        except OSError:  # a broken install without the catalog: Click's English, not a crash
            return gettext.NullTranslations()
    return _translation


def _walk(command: click.Command):
    yield command
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from _walk(sub)


def _original(target, attribute: str):
    return getattr(target, f"_briefing_original_{attribute}", getattr(target, attribute))


def _set(target, attribute: str, value) -> None:
    """Set a placeholder; None puts back what the program itself set."""
    saved = f"_briefing_original_{attribute}"
    if saved not in vars(target):
        setattr(target, saved, getattr(target, attribute))
    setattr(target, attribute, getattr(target, saved) if value is None else value)


def _display_width(text: str) -> int:
    """Terminal columns: a Chinese character takes two."""
    plain = click.unstyle(text)
    return len(plain) + sum(1 for char in plain if unicodedata.east_asian_width(char) in "WF")


def _write_heading(self: click.HelpFormatter, heading: str) -> None:
    """`选项：` with a full-width colon (Click writes an ASCII one after the heading)."""
    self.write(f"{'':>{self.current_indent}}{heading}：\n")


def _argument_metavar(param: click.Argument) -> str | None:
    original = _original(param, "metavar")
    if original is not None or isinstance(param.type, click.Choice):
        return original  # the program's own, or the choices themselves
    name = _ARGUMENT_NAMES.get(param.name or "", (param.name or "").upper())
    name = name if param.required else f"[{name}]"
    return name + ("..." if param.nargs != 1 else "")


class LocalizedGroup(click.Group):
    """The `briefing` group: picks the language before Click parses anything."""

    def main(self, *args, **kwargs):
        install(self)
        return super().main(*args, **kwargs)
