"""Title lines for 公文 (placeholder until the phrase-aware breaker lands)."""

from __future__ import annotations

from ..typeset import balanced_lines

BREAK_MARKER = "|"


def title_lines(title: str, ems_per_line: float) -> list[str]:
    lines = []
    for part in title.split(BREAK_MARKER):
        if part.strip():
            lines.extend(balanced_lines(part.strip(), ems_per_line))
    return lines
