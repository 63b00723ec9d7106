"""YAML loading that remembers line numbers, for errors that point at a key.

The parser itself is in yamlparse.py, imported when a file is parsed.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, BriefingError, file_system_problem
from .encoding import decode


class LinedDict(dict):
    """A YAML mapping that knows the line of each of its keys (1-based, in the file)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LinedList(list):
    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


# Bounds for what a hand-written settings file or front matter can need; past them a
# document is a mistake or an attack (an alias "billion laughs", a 1,000-level list).
MAX_NESTING = 20  # lists and mappings inside each other
MAX_EXPANDED_NODES = 100_000  # values once every alias (*name) is expanded
# Characters XML 1.0 (and so Word) cannot hold, lone surrogates included.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
QUOTE_LIMIT = 60  # characters of a value quoted in a message


def quote(value: Any) -> str:
    """A value as a message may show it: at most QUOTE_LIMIT characters, never a whole
    document, control characters made visible so a message stays one line."""
    if isinstance(value, (dict, list)):
        return "映射" if isinstance(value, dict) else "列表"
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(value)[:QUOTE_LIMIT + 1])
    return text if len(text) <= QUOTE_LIMIT else text[:QUOTE_LIMIT] + "…"


def char_name(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def load_yaml_text(text: str, path: Path, line_offset: int = 0) -> Any:
    """Parse YAML; a syntax error or any problem above becomes a diagnostic naming file and line."""
    from .yamlparse import parse_yaml

    return parse_yaml(text, path, line_offset)


def read_text(path: Path) -> str:
    """Read a UTF-8 text file (a BOM is fine); other encodings get a clear error."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BriefingError([Diagnostic(path, None, "文件不存在")]) from None
    except OSError as exc:
        raise BriefingError([file_system_problem(exc, path, reading=True)]) from None
    return decode(data, path)


def load_yaml_file(path: Path) -> Any:
    return load_yaml_text(read_text(path), path)


# 2023-07-17, and as clerks also write it: 2023年7月17日, 2023.7.17, 2023/7/17.
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})-|\.(\d{1,2})\.|/(\d{1,2})/|\s*年\s*(\d{1,2})\s*月\s*)(\d{1,2})(?(5)\s*日|)$")
# Years a 简报 can carry: from 1949 (the oldest archives) to 2100; outside is a typo,
# and a DOCX (a ZIP) cannot even hold a date after 2107.
FIRST_YEAR, LAST_YEAR = 1949, 2100


def parse_date(value: Any) -> dt.date:
    """`2023-07-17` (or 2023年7月17日, 2023.7.17, 2023/7/17) → date;
    raises ValueError with a Chinese message."""
    if isinstance(value, dt.date):
        return value
    match = _DATE.match(str(value).strip())
    if not match:
        raise ValueError(f"日期“{quote(value)}”格式不对，应写成 2023-07-17")
    year, day = int(match.group(1)), int(match.group(6))
    month = int(next(g for g in match.groups()[1:5] if g))
    try:
        date = dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"日期“{quote(value)}”不存在") from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"日期“{quote(value)}”不在 {FIRST_YEAR}—{LAST_YEAR} 年之间，请核对年份")
    return date
