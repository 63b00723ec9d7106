"""Column widths from content, as a browser's automatic table layout does.

Pure arithmetic, shared by the DOCX writer (twips) and the HTML writer
(proportions). Every column first gets its minimum width — its longest piece of
text that must not break: a number, a date, a code, a short name — then the
room left is shared in proportion to how much more each column would like
(maximum − minimum, the maximum being its longest paragraph on one line).

Widths are measured in ems of the cell's font: full-width (CJK) characters one
em, digits and Latin letters a little over half an em (HALF: the Latin of CJK
fonts runs 0.5–0.55 em, and a number that is measured short breaks).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from .typeset import NO_LINE_END, NO_LINE_START, char_width

HALF = 0.55  # ems of a digit or Latin letter

# In a cell made of short CJK phrases (江阳区; 市财政局、市人社局), each phrase up to
# this many characters is a name and is kept on one line.
NAME_CHARS = 4
# Slack per column, in ems, for fonts whose digits run a little wider than half an em.
SLACK_EM = 0.4

# A date written with 年/月/日 never breaks inside 2015年6月 or 9月22日 (a full date may
# go on after 月: 2017年10月 / 15日).
_DATE = re.compile(r"\d+年(?:\d+月)?|\d+月(?:\d+日)?|\d+日")
# Where a paragraph divides into phrases: spaces and CJK punctuation.
_PHRASE_BREAK = set(" \u3000\t，。、；：？！,;")


def text_width(text: str) -> float:
    """Ems of `text` on one line."""
    return sum(1.0 if char_width(ch) == 1 else HALF for ch in text)


@dataclass(frozen=True)
class CellText:
    """One table cell as the width algorithm sees it."""

    column: int  # first grid column
    paragraphs: tuple[str, ...]
    span: int = 1  # grid columns covered (colspan)


@functools.lru_cache(maxsize=4096)  # each cell is measured for widths, line counts and both writers
def tokens(text: str, names: bool = True) -> tuple[str, ...]:
    """The pieces of `text` a line may not break inside, in order.

    Half-width runs (numbers, codes, Latin words), dates and short CJK names
    stay whole; other CJK text breaks between characters. Punctuation sticks to
    its neighbour as 避头尾 wants (a line never starts with ，or ends with （).
    """
    pieces: list[str] = []
    index = 0
    while index < len(text):
        date = _DATE.match(text, index)
        if date:
            pieces.append(date.group())
            index = date.end()
            continue
        ch = text[index]
        if ch.isspace():
            pieces.append(" ")
            index += 1
        elif char_width(ch) < 1:
            end = index
            while end < len(text) and char_width(text[end]) < 1 and not text[end].isspace():
                end += 1
            pieces.append(text[index:end])
            index = end
        else:
            pieces.append(ch)
            index += 1
    if names:
        pieces = _join_names(pieces)
    return tuple(piece for piece in _glue(pieces) if piece.strip())


def is_name_list(text: str) -> bool:
    """Whether `text` is a name or a list of names (every CJK phrase at most NAME_CHARS long),
    whose phrases are kept whole (the HTML writer marks such cells word-break: keep-all)."""
    runs = [len(run) for run in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+", text)]
    return bool(runs) and max(runs) <= NAME_CHARS


def _join_names(pieces: list[str]) -> list[str]:
    """Rejoin the characters of short CJK phrases when the text is a name or a list of names
    (江阳区; 市财政局、市人社局); running text keeps breaking between characters."""
    runs: list[list[str]] = [[]]
    for piece in pieces:
        if _is_name_char(piece):
            runs[-1].append(piece)
        else:
            runs.append([])
    if any(len(run) > NAME_CHARS for run in runs):
        return pieces
    out: list[str] = []
    for piece in pieces:
        if out and _is_name_char(piece) and out[-1] and all(_is_name_char(ch) for ch in out[-1]):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def _is_name_char(piece: str) -> bool:
    return (len(piece) == 1 and char_width(piece) == 1 and piece not in _PHRASE_BREAK
            and piece not in NO_LINE_START and piece not in NO_LINE_END)


def _glue(pieces: list[str]) -> list[str]:
    """Attach closing punctuation to the piece before, opening to the piece after."""
    out: list[str] = []
    pending = ""
    for piece in pieces:
        if piece in NO_LINE_END:
            pending += piece
            continue
        piece = pending + piece
        pending = ""
        if out and piece[0] in NO_LINE_START and out[-1] != " ":
            out[-1] += piece
        else:
            out.append(piece)
    if pending:
        out.append(pending)
    return out


def min_width(paragraphs: tuple[str, ...] | list[str], names: bool = True) -> float:
    """Ems of the widest piece that may not break (names whole unless `names` is false)."""
    return max((text_width(t) for p in paragraphs for t in tokens(p, names)), default=0.0)


def max_width(paragraphs: tuple[str, ...] | list[str]) -> float:
    """Ems of the longest paragraph set on one line."""
    return max((text_width(p.strip()) for p in paragraphs), default=0.0)


def column_widths(cells: list[CellText], columns: int, available: float, font: float,
                  padding: float, names: bool = True) -> list[float]:
    """Widths of `columns` grid columns, in the unit of `available` (e.g. points).

    `font` is the cell's font size and `padding` the cell's left plus right
    margin, in that same unit. The table fills `available` when its minimum
    widths fit; when they do not, the minimum widths are returned (their sum is
    more than `available`: the caller chooses a wider page, lets names break
    (`names=False`) or accepts it).
    """
    low, high = measure(cells, columns, names)
    mins = [(m + SLACK_EM) * font + padding for m in low]
    maxs = [(m + SLACK_EM) * font + padding for m in high]
    return share(mins, maxs, available)


def measure(cells: list[CellText], columns: int, names: bool = True) -> tuple[list[float], list[float]]:
    """Minimum and maximum content width of each column, in ems."""
    low = [0.0] * columns
    high = [0.0] * columns
    spanning = []
    for cell in cells:
        if cell.span > 1:
            spanning.append(cell)
            continue
        low[cell.column] = max(low[cell.column], min_width(cell.paragraphs, names))
        high[cell.column] = max(high[cell.column], max_width(cell.paragraphs))
    # A merged cell wider than the columns under it widens them evenly.
    for cell in spanning:
        cols = range(cell.column, min(columns, cell.column + cell.span))
        for widths, need in ((low, min_width(cell.paragraphs, names)), (high, max_width(cell.paragraphs))):
            have = sum(widths[c] for c in cols)
            if need > have:
                extra = (need - have) / len(cols)
                for c in cols:
                    widths[c] += extra
    high = [max(h, l) for h, l in zip(high, low)]
    return low, high


def share(mins: list[float], maxs: list[float], available: float) -> list[float]:
    """CSS automatic layout's distribution of `available` over the columns."""
    if sum(mins) >= available:
        return list(mins)
    if sum(maxs) <= available:
        # Everything fits on one line: widen each column by its share of the room.
        total = sum(maxs)
        return [m + (available - total) * m / total for m in maxs]
    room = available - sum(mins)
    wants = [hi - lo for lo, hi in zip(mins, maxs)]
    total = sum(wants)
    return [lo + room * want / total for lo, want in zip(mins, wants)]


def to_units(widths: list[float], total: int | None = None) -> list[int]:
    """Round widths to whole units keeping their sum (largest remainders get the odd units)."""
    target = round(sum(widths)) if total is None else total
    floors = [math.floor(w) for w in widths]
    order = sorted(range(len(widths)), key=lambda i: (floors[i] - widths[i], i))
    for i in order[: max(0, target - sum(floors))]:
        floors[i] += 1
    return floors


def lines_needed(paragraphs: tuple[str, ...] | list[str], width_em: float) -> int:
    """How many lines the paragraphs take in a column `width_em` ems wide (greedy, as Word fills)."""
    count = 0
    for paragraph in paragraphs:
        lines, used = 1, 0.0
        for piece in tokens(paragraph) or ("",):
            w = text_width(piece)
            if used and used + w > width_em + 1e-9:
                lines, used = lines + 1, 0.0
            if w > width_em > 0:
                # A piece wider than the column is broken by force over whole lines.
                full = math.ceil(w / width_em) - 1
                lines, w = lines + full, w - full * width_em
            used += w
        count += lines
    return max(count, 1)
