"""Text files as clerks save them: UTF-8 (with or without BOM), or GBK/GB18030
from older Windows editors, which we name and can convert."""

from __future__ import annotations

from pathlib import Path

from .diagnostics import BriefingError, Diagnostic

LEGACY = "GB18030"
FIX_HINT = "可运行 briefing fix-encoding 转为 UTF-8，或在记事本中“另存为”选择 UTF-8"


def legacy_text(data: bytes) -> str | None:
    """The text, when `data` is GBK/GB18030 rather than damaged UTF-8; else None."""
    try:
        text = data.decode(LEGACY)
    except UnicodeDecodeError:
        return None
    # UTF-8 Chinese with a stray bad byte often decodes as GB18030 too (as mojibake),
    # and GBK text holds the odd valid UTF-8 pair by chance: go by which dominates.
    as_utf8 = data.decode("utf-8", errors="replace")
    broken = as_utf8.count("\ufffd")
    valid = sum(1 for ch in as_utf8 if ord(ch) > 0x7F) - broken
    return text if broken > valid else None


def decode(data: bytes, path: Path) -> str:
    """UTF-8 text with universal newlines; other encodings raise a diagnostic."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if legacy_text(data) is not None:
            raise BriefingError([Diagnostic(path, line, "文件是 GBK/GB18030 编码，不是 UTF-8",
                                            hint=FIX_HINT)]) from None
        bad = data[exc.start:exc.end].hex(" ").upper()
        raise BriefingError([Diagnostic(path, line, f"文件不是有效的 UTF-8：本行有无法识别的字节（{bad}）",
                                        hint="请删去或重新输入这一行的乱码字符")]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def utf8_from_legacy(data: bytes) -> bytes | None:
    """UTF-8 bytes for a GBK/GB18030 file, or None when it needs no conversion."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        text = legacy_text(data)
        return text.encode("utf-8") if text is not None else None
