"""Measures for placing text where Word itself cannot decide for us.

Word does not balance the lines of a long centred title, so the DOCX writer
breaks a title into lines of near-equal width here, without breaking before
closing punctuation or after opening punctuation (避头尾).
"""

from __future__ import annotations

import math
import unicodedata

NO_LINE_START = set("，。、；：？！）》」』”’…—·％%,.;:?!)]")
NO_LINE_END = set("（《「『“‘([")


def char_width(ch: str) -> float:
    """Width in ems: CJK and full-width forms take one, others half."""
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.5


def text_width(text: str) -> float:
    return sum(char_width(ch) for ch in text)


def balanced_lines(text: str, ems_per_line: float) -> list[str]:
    """Split `text` into as few lines as fit, each of about equal width."""
    total = text_width(text)
    if total <= ems_per_line:
        return [text]
    count = math.ceil(total / ems_per_line)
    lines: list[str] = []
    start, rest_width = 0, total
    # Each cut looks at one line's worth of characters only: linear in the text's length.
    for remaining in range(count, 1, -1):
        cut = start + _best_cut(text, start, rest_width / remaining, ems_per_line)
        rest_width -= text_width(text[start:cut])
        lines.append(text[start:cut])
        start = cut
    lines.append(text[start:])
    return lines


def _best_cut(text: str, start: int, target: float, limit: float) -> int:
    """Length of the line from `start`: close to `target` ems, never past `limit`, legal for 避头尾."""
    best, best_score = 1, math.inf
    width = 0.0
    open_parens = 0
    for length in range(1, len(text) - start):
        index = start + length
        width += char_width(text[index - 1])
        open_parens += {"（": 1, "）": -1}.get(text[index - 1], 0)
        if width > limit:
            break
        if text[index] in NO_LINE_START or text[index - 1] in NO_LINE_END:
            continue
        # Prefer cutting where a reader pauses: after a comma, before a quotation,
        # or between a number and a word; avoid cutting inside a run of Latin/digits.
        bonus = 0.0
        if text[index - 1] in "，、：；—）》”" or text[index] in NO_LINE_END:
            bonus = 2.5
        elif char_width(text[index - 1]) != char_width(text[index]):
            bonus = 1.0
        elif char_width(text[index]) < 1:
            bonus = -2.0
        if open_parens > 0:
            bonus -= 2.0  # inside parentheses
        score = abs(width - target) - bonus
        if score < best_score:
            best, best_score = length, score
    return best


def fit_scale(text: str, font_pt: float, width_pt: float) -> int:
    """Character width percentage (w:w) that keeps `text` on one line, at most 100."""
    needed = text_width(text) * font_pt
    if needed <= width_pt:
        return 100
    return max(33, int(width_pt / needed * 100))
