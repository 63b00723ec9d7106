"""Problems found in the input, reported as `文件:行号: 错误: message`.

Readers collect problems instead of stopping at the first one, so that
`briefing check` can list everything a clerk has to fix in one go.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

ERROR = "错误"
WARNING = "警告"


@dataclass(frozen=True)
class Diagnostic:
    path: Path | None
    line: int | None
    message: str
    level: str = ERROR
    hint: str = ""

    def format(self, base: Path | None = None) -> str:
        where = display_path(self.path, base) if self.path else "<输入>"
        if self.line:
            where = f"{where}:{self.line}"
        text = f"{where}: {self.level}: {self.message}"
        if self.hint:
            text += f"（{self.hint}）"
        return text


def display_path(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


class BriefingError(Exception):
    """Raised when input problems stop a command; carries every diagnostic."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    def __reduce__(self):
        # Rebuilt from its diagnostics when it crosses from a `build --all` worker process.
        return type(self), (self.diagnostics,)


@dataclass
class Report:
    """Collects diagnostics while reading a workspace."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: Path | None, line: int | None, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(path, line, message, ERROR, hint))

    def warning(self, path: Path | None, line: int | None, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(path, line, message, WARNING, hint))

    def extend(self, other: "Report") -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == WARNING]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise BriefingError(self.items)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A `是否指 …？` hint for a misspelt key or name, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f"是否指“{close[0]}”？" if close else ""
