"""Problems found in the input, reported as `文件:行号: 错误: message`.

Readers collect problems instead of stopping at the first one, so that
`briefing check` can list everything a clerk has to fix in one go.
"""

from __future__ import annotations

import difflib
import errno
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

ERROR = "错误"
WARNING = "警告"


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in the input: where (file, line), what, how bad, and how to fix it."""

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
        return one_line(text)


# A diagnostic is one line: a newline in a file name or a value must not split it.
_CONTROL = re.compile("[\x00-\x1f\x7f]")


def one_line(text: str) -> str:
    """`text` with control characters written as escapes (\\n, \\x01)."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def display_path(path: Path, base: Path | None) -> str:
    """`path` relative to `base` when inside it, on one line whatever its name holds."""
    if base is not None:
        try:
            return one_line(path.resolve().relative_to(base.resolve()).as_posix())
        except ValueError:
            pass
    return one_line(str(path))


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


_WRITE_PROBLEMS = {
    errno.ENOSPC: ("磁盘已满", "请清理磁盘空间后重新运行"),
    errno.EDQUOT: ("超出磁盘配额", "请清理磁盘空间后重新运行"),
    errno.EACCES: ("没有写入权限", "请检查文件夹的权限，或用 --out 换一个输出目录"),
    errno.EPERM: ("没有写入权限", "请检查文件夹的权限，或用 --out 换一个输出目录"),
    errno.EROFS: ("所在磁盘是只读的", "请用 --out 换一个可写的输出目录"),
    errno.ENOTDIR: ("路径中有一级是文件而不是文件夹", "请删去或改名这个文件，或用 --out 换一个输出目录"),
    errno.EISDIR: ("这是一个文件夹，不能当作文件写入", "请删去或改名这个文件夹，或用 --out 换一个输出目录"),
    errno.ENAMETOOLONG: ("文件名过长", "请缩短名称"),
}
_READ_PROBLEMS = {
    errno.EACCES: ("没有读取权限", "请检查文件的权限"),
    errno.EPERM: ("没有读取权限", "请检查文件的权限"),
    errno.EISDIR: ("这是一个文件夹，不是文件", "请改名或移走它"),
}


def file_system_problem(exc: OSError, path: Path | None = None, reading: bool = False) -> Diagnostic:
    """A file-system error as a Chinese message naming the path and what to do."""
    where = Path(exc.filename) if exc.filename else path
    known = (_READ_PROBLEMS if reading else _WRITE_PROBLEMS).get(exc.errno)
    if known:
        return Diagnostic(where, None, known[0], hint=known[1])
    action = "读取" if reading else "写入"
    return Diagnostic(where, None, f"无法{action}：{exc.strerror or exc}")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A `是否指 …？` hint for a misspelt key or name, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f"是否指“{close[0]}”？" if close else ""
