"""YAML loading that remembers line numbers, for errors that point at a key."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, BriefingError
from .encoding import decode
from .yamlslips import slip_at_error, slips_in_valid_yaml


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


class _Loader(yaml.SafeLoader):
    """Safe loader that keeps dates as text (we parse them with clear errors)
    and records the line of every mapping key and list entry."""

    line_offset = 0


# Drop the timestamp resolver: `2023-02-30` must reach us as text, not crash YAML.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LinedDict:
    result = LinedDict()
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = str(key) if key is not None else ""
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1 + loader.line_offset
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LinedList:
    result = LinedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.item_lines = [child.start_mark.line + 1 + loader.line_offset for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml_text(text: str, path: Path, line_offset: int = 0) -> Any:
    """Parse YAML; a syntax error becomes a diagnostic naming file and line."""
    loader = _Loader(text)
    loader.line_offset = line_offset
    try:
        data = loader.get_single_data()
        slips = slips_in_valid_yaml(text, path, line_offset)
        if slips:
            raise BriefingError(slips)
        return data
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        slip = slip_at_error(text, mark.line, path, line_offset) if mark else None
        if slip:
            raise BriefingError([slip]) from None
        line = mark.line + 1 + line_offset if mark else None
        problem = exc.problem or exc.context or "格式错误"
        raise BriefingError([Diagnostic(path, line, f"YAML 格式错误：{problem}")]) from None
    except yaml.YAMLError as exc:
        raise BriefingError([Diagnostic(path, None, f"YAML 格式错误：{exc}")]) from None
    finally:
        loader.dispose()


def read_text(path: Path) -> str:
    """Read a UTF-8 text file (a BOM is fine); other encodings get a clear error."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BriefingError([Diagnostic(path, None, "文件不存在")]) from None
    return decode(data, path)


def load_yaml_file(path: Path) -> Any:
    return load_yaml_text(read_text(path), path)


# 2023-07-17, and as clerks also write it: 2023年7月17日, 2023.7.17, 2023/7/17.
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})-|\.(\d{1,2})\.|/(\d{1,2})/|\s*年\s*(\d{1,2})\s*月\s*)(\d{1,2})(?(5)\s*日|)$")


def parse_date(value: Any) -> dt.date:
    """`2023-07-17` (or 2023年7月17日, 2023.7.17, 2023/7/17) → date;
    raises ValueError with a Chinese message."""
    if isinstance(value, dt.date):
        return value
    match = _DATE.match(str(value).strip())
    if not match:
        raise ValueError(f"日期“{value}”格式不对，应写成 2023-07-17")
    year, day = int(match.group(1)), int(match.group(6))
    month = int(next(g for g in match.groups()[1:5] if g))
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"日期“{value}”不存在") from None
