"""Clean the text Word leaves behind, as 公文 want it.

- indents typed as spaces (half- or full-width) at the start of a paragraph go;
- a manual line break inside a paragraph joins the two lines;
- ASCII `,;:()?!` between Chinese characters become full-width `，；：（）？！`.
Numbers, dates, times, URLs and Latin text are left alone.
"""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’《》]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
# Markdown emphasis markers and spaces do not separate two Chinese characters.
_TRANSPARENT = " *\u00a0"
# URLs, e-mail addresses and Markdown link targets are never touched.
_PROTECTED = re.compile(r"\]\([^)]*\)|(?:https?|ftp)://[\x21-\x7e]+|www\.[\x21-\x7e]+|[\w.+-]+@[\w-]+\.[\w.-]+")
INDENT = " \u3000\t\u00a0"


def strip_indent(text: str) -> str:
    return text.lstrip(INDENT)


def join_broken_lines(parts: list[str]) -> str:
    """Lines of one paragraph split by manual breaks, joined as one paragraph."""
    text = ""
    for part in (p.strip(INDENT) for p in parts):
        if not part:
            continue
        if text and not (_CJK.match(text[-1]) or _CJK.match(part[0])):
            text += " "  # two Latin words: keep them apart
        text += part
    return text


def full_width_punctuation(text: str) -> str:
    """ASCII punctuation between Chinese characters → full-width; everything else untouched."""
    out: list[str] = []
    position = 0
    for match in _PROTECTED.finditer(text):
        out.append(_convert(text[position:match.start()]))
        out.append(match.group())
        position = match.end()
    out.append(_convert(text[position:]))
    return "".join(out)


def _neighbour(text: str, index: int, step: int) -> str:
    index += step
    while 0 <= index < len(text) and text[index] in _TRANSPARENT:
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _is_cjk(char: str) -> bool:
    return bool(char) and bool(_CJK.match(char))


def _convert(text: str) -> str:
    chars = list(text)
    for index, char in enumerate(text):
        if char not in _FULL:
            continue
        before, after = _neighbour(text, index, -1), _neighbour(text, index, 1)
        closing = char in "?!" and after in ("", "”", "）")
        if (_HAN.match(before or " ") and (_is_cjk(after) or closing)) or (before.isdigit() and _HAN.match(after or " ")):
            chars[index] = _FULL[char]
    _convert_brackets(text, chars)
    return _drop_spaces_around_full_width("".join(chars))


def _convert_brackets(text: str, chars: list[str]) -> None:
    """`(…)` around Chinese text → `（…）`; `(1)`, `(WTO)`, `f(x)` stay as written."""
    stack: list[int] = []
    for index, char in enumerate(text):
        if char == "(":
            stack.append(index)
        elif char == ")" and stack:
            start = stack.pop()
            if _HAN.search(text[start + 1:index]):
                chars[start], chars[index] = "（", "）"


def _drop_spaces_around_full_width(text: str) -> str:
    return re.sub(r" *([，；：？！（）]) *", r"\1", text)
