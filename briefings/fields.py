"""Typed access to a YAML mapping, validated once at the edge.

Every accessor records problems in a Report with the file and the key's line,
and remembers which keys it read, so `finish()` can name unknown (often
misspelt) keys with a `是否指 …？` hint.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable, Iterable

from .diagnostics import BriefingError, Report, did_you_mean
from .yamlsource import LinedDict, LinedList, load_yaml_file, parse_date, quote

_MISSING = object()
# A text value longer than this is pasted by mistake (or an attack): titles have their own,
# shorter limit; long text such as an editor's note asks for more.
MAX_TEXT = 200


class Fields:
    def __init__(self, data: Any, path: Path, report: Report, where: str = ""):
        if data is None:
            data = LinedDict()
            data.key_lines = {}
            data.line = 1  # an empty file: point at its first line
        self.path, self.report, self.where = path, report, where
        self.used: set[str] = set()
        if not isinstance(data, dict):
            line = getattr(data, "line", None) or 1  # a bare text has no line of its own
            report.error(path, line, f"{self._label('')}应是“键: 值”的映射")
            data = LinedDict()
            data.key_lines = {}
            data.line = line
        self.data: LinedDict = data

    def _label(self, key: str) -> str:
        name = ".".join(k for k in (self.where, key) if k)
        return f"“{quote(name)}”" if name else ""

    def line(self, key: str | None = None) -> int:
        if key is None or not isinstance(self.data, LinedDict):
            return getattr(self.data, "line", 0) or 0
        return self.data.line_of(key)

    def error(self, key: str, message: str, hint: str = "") -> None:
        self.report.error(self.path, self.line(key), f"{self._label(key)}{message}", hint)

    def _get(self, key: str, required: bool, allow_empty: bool = False) -> Any:
        self.used.add(key)
        value = self.data.get(key, _MISSING)
        if value == "" and allow_empty:
            return value
        if value is _MISSING or value is None or value == "":
            if required:
                self.report.error(self.path, self.line(), f"缺少必填项{self._label(key)}")
            return _MISSING
        return value

    def has(self, key: str) -> bool:
        return self.data.get(key) not in (None, "")

    def text(self, key: str, default: str | None = None, required: bool = False,
             allow_empty: bool = False, max_length: int = MAX_TEXT) -> str | None:
        value = self._get(key, required, allow_empty)
        if value is _MISSING:
            return default
        if isinstance(value, (dict, list, bool)):
            self.error(key, "应是一段文字")
            return default
        text = str(value).strip()
        if len(text) > max_length:
            self.error(key, f"过长（{len(text)} 字），不能超过 {max_length} 字")
            return default
        return text

    def integer(self, key: str, default: int | None = None, required: bool = False,
                minimum: int | None = None, maximum: int | None = None, what: str = "") -> int | None:
        value = self._get(key, required)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"应是整数，实际是“{quote(value)}”")
            return default
        if minimum is not None and value < minimum:
            self.error(key, f"不能小于 {minimum}")
            return default
        if maximum is not None and value > maximum:
            self.error(key, f"{what}不能大于 {maximum}，实际是 {quote(value)}")
            return default
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, False)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.error(key, f"应是 true 或 false，实际是“{quote(value)}”")
            return default
        return value

    def choice(self, key: str, choices: Iterable[str], default: str) -> str:
        choices = list(choices)
        value = self.text(key, default)
        if value not in choices:
            self.error(key, f"只能是 {' / '.join(choices)}，实际是“{quote(value)}”", did_you_mean(value, choices))
            return default
        return value

    def date(self, key: str, required: bool = False) -> dt.date | None:
        value = self._get(key, required)
        if value is _MISSING:
            return None
        try:
            return parse_date(value)
        except ValueError as exc:
            self.error(key, str(exc))
            return None

    def text_list(self, key: str) -> list[str]:
        value = self._get(key, False)
        if value is _MISSING:
            return []
        if isinstance(value, str):
            return [value.strip()]
        if not isinstance(value, list) or any(isinstance(v, (dict, list)) for v in value):
            self.error(key, "应是文字列表")
            return []
        texts = [str(v).strip() for v in value if v is not None and str(v).strip()]
        if any(len(text) > MAX_TEXT for text in texts):
            self.error(key, f"有一项过长，每项不能超过 {MAX_TEXT} 字")
            return []
        return texts

    def section(self, key: str) -> "Fields":
        value = self._get(key, False)
        where = ".".join(k for k in (self.where, key) if k)
        return Fields(None if value is _MISSING else value, self.path, self.report, where)

    def sections(self, key: str) -> list["Fields"]:
        value = self._get(key, False)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            self.error(key, "应是列表")
            return []
        where = ".".join(k for k in (self.where, key) if k)
        return [Fields(entry, self.path, self.report, f"{where}[{i + 1}]") for i, entry in enumerate(value)]

    def raw(self, key: str) -> Any:
        value = self._get(key, False)
        return None if value is _MISSING else value

    def finish(self) -> None:
        """Report keys nobody asked for: usually a typo."""
        for key in self.data:
            if key not in self.used:
                self.report.error(self.path, self.line(key), f"未知的配置项{self._label(key)}",
                                  did_you_mean(key, self.used))


def list_lines(value: Any) -> list[int]:
    return list(value.item_lines) if isinstance(value, LinedList) else []


YamlLoader = Callable[[Path], Any]  # load_yaml_file, or the incremental build's cache of it


def read_fields(path: Path, report: Report, load: YamlLoader = load_yaml_file) -> Fields | None:
    """A YAML file's top-level fields; None, with its problems in `report`, when it is not YAML."""
    try:
        data = load(path)
    except BriefingError as exc:
        report.items.extend(exc.diagnostics)
        return None
    return Fields(data, path, report)
