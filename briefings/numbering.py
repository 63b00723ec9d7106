"""Issue numbers, taken from the manifests on disk (there is no other registry).

第N期 restarts every calendar year; 总第M期 counts every regular issue of the
series; each special label (增刊, ××专刊) has its own yearly sequence.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, NamedTuple

from .diagnostics import Report
from .model import Manifest


class NextNumber(NamedTuple):
    number: int
    total: int | None  # None for special issues or series without totals


def next_number(manifests: Iterable[Manifest], series: str, year: int, special: str = "",
                with_total: bool = False) -> NextNumber:
    own = [m for m in manifests if m.series == series]
    same_sequence = [m.number or 0 for m in own if m.special == special and m.year == year]
    number = max(same_sequence, default=0) + 1
    total = None
    if with_total and not special:
        total = max((m.total or 0 for m in own if not m.special), default=0) + 1
    return NextNumber(number, total)


def sequence_label(special: str, year: int) -> str:
    return f"{year}年{special or ''}"


def check_numbers(manifests: Iterable[Manifest], report: Report) -> None:
    """Duplicate numbers are errors; gaps and totals out of order are warnings."""
    manifests = sorted(manifests, key=lambda m: (m.series, m.path.as_posix()))
    sequences: dict[tuple[str, int, str], list[Manifest]] = defaultdict(list)
    totals: dict[str, list[Manifest]] = defaultdict(list)
    for m in manifests:
        if m.number is not None:
            sequences[(m.series, m.year, m.special)].append(m)
        if m.total is not None and not m.special:
            totals[m.series].append(m)

    for (series, year, special), members in sorted(sequences.items()):
        label = f"{series} {sequence_label(special, year)}"
        _check_sequence(members, lambda m: m.number, "number", label + "第{}期", report)
    for series, members in sorted(totals.items()):
        _check_sequence(members, lambda m: m.total, "total", f"{series} 总第{{}}期", report)
        in_order = sorted(members, key=lambda m: (m.year, m.number or 0))
        for previous, current in zip(in_order, in_order[1:]):
            if (current.total or 0) <= (previous.total or 0):
                report.warning(current.path, current.line_of.get("total"),
                               f"总期号 {current.total} 不大于前一期（{previous.id}）的 {previous.total}")


def _check_sequence(members: list[Manifest], key, field: str, label: str, report: Report) -> None:
    seen: dict[int, Manifest] = {}
    for m in members:
        value = key(m)
        if value in seen:
            report.error(m.path, m.line_of.get(field),
                         f"{label.format(value)}与 {seen[value].id} 重复：一个期号只能给一期")
        else:
            seen[value] = m
    # Only between the issues on disk: a series may start using the tool mid-year.
    missing, count = missing_numbers(sorted(seen))
    if count:
        last = seen[max(seen)]
        numbers = label.format("、".join(str(n) for n in missing))
        more = f"等 {count} 期" if count > len(missing) else ""
        report.warning(last.path, last.line_of.get(field), f"{numbers}{more}缺号")


SHOWN_GAPS = 10  # missing numbers named in a warning; the rest are counted


def missing_numbers(numbers: list[int]) -> tuple[list[int], int]:
    """The first few numbers missing between sorted `numbers`, and how many are missing.
    Work grows with how many numbers there are, not with how large they are."""
    shown: list[int] = []
    count = 0
    for previous, current in zip(numbers, numbers[1:]):
        gap = current - previous - 1
        count += gap
        shown.extend(range(previous + 1, previous + 1 + min(gap, SHOWN_GAPS - len(shown))))
    return shown, count
