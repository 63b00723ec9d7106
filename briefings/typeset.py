"""Measures for placing text where Word itself cannot decide for us.

Word does not balance the lines of a long centred title, so the DOCX writer
breaks a title into lines of near-equal width here, without breaking before
closing punctuation or after opening punctuation (避头尾).
"""

from __future__ import annotations

import functools
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


# Titles -------------------------------------------------------------------
# A title breaks only between phrases (BudouX's Simplified-Chinese model finds
# them), into lines of near-equal width, never with one character alone; the
# author may force a break with BREAK_MARKER.

BREAK_MARKER = "|"


@functools.lru_cache(maxsize=1)
def _phrase_parser():
    import budoux

    return budoux.load_default_simplified_chinese_parser()


def phrases(text: str) -> list[str]:
    """`text` cut into phrases a line may break between (joined, they give `text` back)."""
    chunks: list[str] = []
    depth = 0  # inside “…”, 《…》, （…）: a quoted name is not broken
    for chunk in _phrase_parser().parse(text):
        # Keep 避头尾: no phrase starts with closing punctuation or follows an opening one.
        # A one-character phrase is mostly a suffix (第一/届, 活动/月) or half a name the
        # model did not know (专/项): it stays with the phrase before it (after it, at the start).
        if chunks and (depth > 0 or chunk[0] in NO_LINE_START or chunks[-1][-1] in NO_LINE_END
                       or not chunk.strip() or len(chunk.strip()) == 1
                       or (len(chunks) == 1 and len(chunks[0].strip()) == 1)):
            chunks[-1] += chunk
        else:
            chunks.append(chunk)
        depth = max(0, depth + sum(c in OPENING for c in chunk) - sum(c in CLOSING for c in chunk))
    return chunks


OPENING, CLOSING = "“《（「『(", "”》）」』)"


def unmarked(title: str) -> str:
    """The title as a sentence: without the author's forced line breaks."""
    return title.replace(BREAK_MARKER, "")


def title_lines(title: str, ems_per_line: float) -> list[str]:
    """Lines for a centred title: at phrase boundaries, balanced, at the author's breaks."""
    lines: list[str] = []
    for part in title.split(BREAK_MARKER):
        part = part.strip()
        if part:
            lines.extend(_phrase_lines(part, ems_per_line))
    return lines


def _phrase_lines(text: str, limit: float) -> list[str]:
    if text_width(text) <= limit:
        return [text]
    units: list[str] = []
    for phrase in phrases(text):
        # A phrase longer than a line (rare) may break between its characters.
        units.extend(list(phrase) if text_width(phrase) > limit else [phrase])
    fewest = math.ceil(text_width(text) / limit)
    for count in range(fewest, fewest + 3):
        lines = _balanced_split(units, count, limit)
        if lines:
            return lines
    return balanced_lines(text, limit)


def _balanced_split(units: list[str], count: int, limit: float) -> list[str] | None:
    """`count` lines of whole units, each within `limit` and longer than one character,
    as close to equal width as possible (ties: the upper line the longer, a trapezoid)."""
    target = sum(text_width(u) for u in units) / count
    size = len(units)
    # best[k][i]: (cost, cuts) for the first i units in k lines.
    best: list[dict[int, tuple[float, tuple[int, ...]]]] = [{0: (0.0, ())}] + [{} for _ in range(count)]
    for k in range(1, count + 1):
        for i in range(1, size + 1):
            for j, (cost, cuts) in best[k - 1].items():
                if j >= i:
                    continue
                line = "".join(units[j:i]).strip()
                width = text_width(line)
                if width > limit or len(line) < 2:
                    continue
                previous = text_width("".join(units[cuts[-1] if cuts else 0:j]).strip()) if k > 1 else width
                total = cost + (width - target) ** 2 + (0.01 if width > previous else 0.0)
                if i not in best[k] or total < best[k][i][0]:
                    best[k][i] = (total, cuts + (j,))
    if size not in best[count]:
        return None
    cuts = best[count][size][1][1:] + (size,)
    starts = (0,) + cuts[:-1]
    return ["".join(units[a:b]).strip() for a, b in zip(starts, cuts)]
