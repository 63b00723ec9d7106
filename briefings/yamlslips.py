"""The YAML mistakes clerks make, each named in Chinese at its own line with the fix.

YAML's own messages for them are English and often a line too low (a full-width
colon `标题：…` is reported on the next line as "could not find expected ':'"),
and some slips parse without error into the wrong thing (curly quotes printed as
part of the value). yamlsource.py calls in here; nothing here parses YAML.
"""

from __future__ import annotations

import re
from pathlib import Path

from .diagnostics import Diagnostic

_KEY = r"(?:[A-Za-z_][\w-]*|[\u4e00-\u9fff]{1,8})"
# `title：…` or `标题：…`: a key with a full-width colon and no ASCII one before it.
_FULL_WIDTH_COLON = re.compile(rf"^[ ]*(?:-[ ]+)?({_KEY})[ \u3000]*：")
_TAB_INDENT = re.compile(r"^[ \u3000]*\t")
_FULL_WIDTH_INDENT = re.compile(rf"^[ \t]*\u3000+[ \t\u3000]*(?:-[ ]|{_KEY}[ ]*[:：])")
# Also when YAML accepts it (as a key beginning with a full-width space): an ASCII key.
_FULL_WIDTH_INDENT_KEY = re.compile(r"^[ ]*\u3000+[ \u3000]*[A-Za-z_][\w-]*:(?:[ ]|$)")
# `key: “value”` or `- “value”` with no other curly quote inside: Word's smart quotes.
_CURLY_QUOTED = re.compile(r"^[ ]*(?:-[ ]+|[\w-]+:[ ]+)([“”‘’])[^“”‘’]*([“”‘’])[ ]*(?:#.*)?$")

COLON_HINT = "YAML 要用英文冒号加空格，如 title: 标题"
INDENT_HINT = "缩进只能用英文空格（半角），请把 Tab 或全角空格换成两个空格"
QUOTE_HINT = "不需要引号时删去；确要印出引号时写成 '“…”'（外面再加一对英文单引号）"


def slip_at_error(text: str, error_line: int, path: Path, line_offset: int = 0) -> Diagnostic | None:
    """The slip that explains a YAML syntax error at `error_line` (0-based), nearest first."""
    lines = text.split("\n")
    for index in range(min(error_line, len(lines) - 1), -1, -1):
        found = _slip_in_line(lines[index], anywhere=True)
        if found:
            message, hint = found
            return Diagnostic(path, index + 1 + line_offset, message, hint=hint)
    return None


def slips_in_valid_yaml(text: str, path: Path, line_offset: int = 0) -> list[Diagnostic]:
    """Slips that YAML accepts silently but that change what gets printed."""
    problems = []
    for index, line in enumerate(text.split("\n")):
        found = _slip_in_line(line, anywhere=False)
        if found is None and _CURLY_QUOTED.match(line):
            found = ("值两边是 Word 的中文引号，引号会原样印出", QUOTE_HINT)
        if found:
            problems.append(Diagnostic(path, index + 1 + line_offset, found[0], hint=found[1]))
    return problems


def _slip_in_line(line: str, anywhere: bool) -> tuple[str, str] | None:
    """(message, hint) for a slip in one line. Unless `anywhere`, only lines that
    start at column 0 are judged: they are always keys, never text inside a value."""
    if line.startswith("#"):
        return None
    at_margin = anywhere or not line[:1].isspace()
    colon = _FULL_WIDTH_COLON.match(line)
    if at_margin and colon and ":" not in line[:colon.end()]:
        return f"“{colon.group(1)}”后面是中文全角冒号“：”", COLON_HINT
    if anywhere and _TAB_INDENT.match(line):
        return "缩进里有 Tab 键", INDENT_HINT
    if ((anywhere or line.startswith("\u3000")) and _FULL_WIDTH_INDENT.match(line)) \
            or _FULL_WIDTH_INDENT_KEY.match(line):
        return "缩进里有全角空格", INDENT_HINT
    return None
