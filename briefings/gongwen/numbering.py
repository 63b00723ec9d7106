"""发文字号: one sequence per 机关代字 and year, taken from the documents on disk.

The year is the 成文日期's; numbers restart at 1 each year, a number is never
given twice (`briefing new gongwen` holds the same lock as `new issue`), and a
gap between the numbers on disk is a warning (a number may have been withdrawn).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from ..diagnostics import Report
from .model import Document, DocumentSummary, document_reference, summarize_document


def next_document_number(documents: Iterable[Document], code: str, year: int) -> int:
    return max((d.number for d in documents if d.series.code == code and d.year == year), default=0) + 1


def check_document_numbers(documents: Iterable[Document | DocumentSummary], report: Report) -> None:
    """A 发文字号 used twice is an error; a gap in a year's numbers is a warning.

    Works on summaries, so documents unchanged since their last check need not be read again.
    """
    sequences: dict[tuple[str, int], list[DocumentSummary]] = defaultdict(list)
    summaries = (d if isinstance(d, DocumentSummary) else summarize_document(d) for d in documents)
    for document in sorted(summaries, key=lambda d: d.path.as_posix()):
        sequences[(document.code, document.year)].append(document)
    for (code, year), members in sorted(sequences.items()):
        seen: dict[int, DocumentSummary] = {}
        for document in members:
            if document.number in seen:
                first = seen[document.number]
                report.error(document.path, document.number_line,
                             f"发文字号“{document.reference}”已由 {first.id} 使用：一个文号只能给一份公文",
                             hint="用 briefing new gongwen 取下一个文号")
            else:
                seen[document.number] = document
        missing = sorted(set(range(min(seen), max(seen) + 1)) - set(seen))
        if missing:
            last = seen[max(seen)]
            numbers = "、".join(document_reference(code, year, n) for n in missing)
            report.warning(last.path, last.number_line, f"{numbers}缺号")
