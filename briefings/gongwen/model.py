"""Plain data for 公文: a document series (one per 机关代字) and its documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..files import MAX_NAME_BYTES, safe_file_name
from ..model import Image, Item
from ..typeset import unmarked

# 文种 whose documents go up to a higher office (上行文): they need a 签发人.
UPWARD_KINDS = ("请示", "报告")
KINDS = ("通知", "通报", "意见", "决定", "批复", "函", "纪要", "公告", "通告", "报告", "请示", "议案", "命令", "公报", "决议")


@dataclass(frozen=True)
class DocumentSeries:
    """series/NAME.yaml with `kind: gongwen`: one 机关代字 and its issuing office."""

    key: str
    path: Path
    office: str  # 发文机关 (full name)
    code: str  # 机关代字, e.g. 昆政办发
    masthead: str  # 发文机关标志, e.g. 昆山市人民政府办公室文件
    printer: str  # 印发机关 by default
    sealed: bool = True  # documents are stamped: signature centred over the date
    seal: Image | None = None  # picture of the seal printed over signature and date
    copy_to: tuple[str, ...] = ()  # 抄送 by default
    docx_template: Path | None = None
    html_template: Path | None = None


@dataclass(frozen=True)
class Attachment:
    """A 公文's attachment (附件): its title and body."""

    title: str
    body: Item  # the attachment's Markdown body (pictures checked like an item's)
    line: int  # line of its entry in the document's front matter


@dataclass
class Document:
    """One 公文: a Markdown file with its fields in the front matter."""

    path: Path
    id: str  # "kunzhengban/2017-176", the file's place under documents/
    series: DocumentSeries
    title: str
    number: int  # 序号: the N of 〔年〕N号
    date: dt.date  # 成文日期
    body: Item
    offices: tuple[str, ...]  # 发文机关, lead office first (several: 联合行文)
    masthead: tuple[str, ...]  # 发文机关标志 names, without 文件
    kind: str = "通知"  # 文种
    copy_number: str = ""  # 份号
    secrecy: str = ""  # 密级 (with 保密期限: 秘密★1年)
    urgency: str = ""  # 紧急程度
    signers: tuple[str, ...] = ()  # 签发人
    recipients: tuple[str, ...] = ()  # 主送机关
    note: str = ""  # 附注, printed in parentheses
    attachments: tuple[Attachment, ...] = ()
    copy_to: tuple[str, ...] = ()  # 抄送
    printer: str = ""  # 印发机关
    print_date: dt.date | None = None  # 印发日期
    sealed: bool = True
    seal: Image | None = None
    line_of: dict[str, int] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def upward(self) -> bool:
        return self.kind in UPWARD_KINDS

    @property
    def reference(self) -> str:
        """发文字号: 昆政办发〔2017〕176号 (六角括号, no 第, no leading zeros)."""
        return document_reference(self.series.code, self.year, self.number)


@dataclass
class DocumentSummary:
    """What the numbering, the output names, the index and the search need of a 公文.

    Recorded with the document's check (see documentcache.py), so none of
    that needs the document parsed again while its files are unchanged.
    """

    id: str
    path: Path
    series_key: str
    code: str  # 机关代字
    title: str
    number: int
    date: dt.date
    number_line: int | None = None  # line of 序号, where numbering problems point
    text: str = ""  # the text for the search; filled only when the search is made

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def reference(self) -> str:
        return document_reference(self.code, self.year, self.number)

    def to_json(self) -> dict:
        """Everything but the path (the record's key) and the text (kept apart: it is large)."""
        return {"id": self.id, "series_key": self.series_key, "code": self.code, "title": self.title,
                "number": self.number, "date": self.date.isoformat(), "number_line": self.number_line}

    @classmethod
    def from_json(cls, data: dict, path: Path) -> DocumentSummary:
        return cls(**{**data, "path": path, "date": dt.date.fromisoformat(data["date"])})


def summarize_document(document: Document) -> DocumentSummary:
    return DocumentSummary(document.id, document.path, document.series.key, document.series.code, document.title,
                           document.number, document.date, document.line_of.get("序号"))


def document_reference(code: str, year: int, number: int) -> str:
    return f"{code}〔{year}〕{number}号"


def output_name(document: Document | DocumentSummary) -> str:
    """`昆政办发〔2017〕176号 关于印发….docx`'s stem: 发文字号, space, title; safe on every system.
    A title too long for a file name is cut with `…`, so the name still says it was cut."""
    name = f"{document.reference} {unmarked(document.title)}"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        while len(name.encode("utf-8")) > MAX_NAME_BYTES - len("…".encode("utf-8")):
            name = name[:-1]
        name += "…"
    return safe_file_name(name)
