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


# PyYAML's syntax errors in a clerk's words, first match wins: (start of its context or problem, message, hint,
# whether the line to name is where the construct began rather than where the parser gave up).
_EXPLAINED = (
    ("while parsing a flow sequence", "方括号“[”没有配对的“]”",
     "列表写在一行时要在同一行用 ] 结束，如 [甲, 乙]；也可以改成每行一项“- 甲”", True),
    ("while parsing a flow mapping", "花括号“{”没有配对的“}”", "不需要花括号时删去；值以 { 开头时请给整个值加英文引号", True),
    ("while scanning a quoted scalar", "引号没有结束", "请在值的末尾补上配对的英文引号", True),
    ("mapping values are not allowed here", "这一行的冒号不能出现在这里",
     "值中含有“: ”时请给整个值加英文引号；若这一行是新的键，请与上面的键对齐，并检查上一行有没有漏写冒号", False),
    ("expected <block end>", "缩进不一致，或一个值后面多了内容",
     "同一层的键要用同样多的空格对齐；值以引号或括号开头时，引号或括号外不能再有文字", False),
    ("while scanning an a", "值以 * 或 & 开头，YAML 把它当作引用", '请给整个值加英文引号，如 title: "*重要*"', False),
    ("found undefined alias", "值以 * 或 & 开头，YAML 把它当作引用", '请给整个值加英文引号，如 title: "*重要*"', False),
    ("found character", "值不能以这个符号开头", "值以 @、`、% 等符号开头时，请给整个值加英文引号", False),
)


def explain_error(problem: str | None, context: str | None) -> tuple[str, str, bool] | None:
    """(message, hint, name the context's line) for one of PyYAML's common syntax errors."""
    for start, message, hint, at_context in _EXPLAINED:
        if (context or "").startswith(start) or (problem or "").startswith(start):
            return message, hint, at_context
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
