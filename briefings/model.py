"""Plain data the pipeline passes along: series, items, manifests, issues.

Readers build these, the issue module assembles them, writers only read them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # lxml is imported by the writers that walk bodies, not at start-up
    from lxml import html as lxml_html

ARTICLE = "article"
BRIEF = "brief"
# Bounds on what a manifest or series may say; past them a value is a typo
# (a date typed as a number) and would only flood messages and pages.
MAX_NUMBER = 999  # 第N期 within a year
MAX_TOTAL = 99999  # 总第M期
MAX_COPIES = 99999  # 共印N份
MAX_TITLE = 100  # characters in a title: a longer one is not a headline
# In the text `new item` writes for the clerk to replace; a build refuses items that still have it.
PLACEHOLDER_MARK = "【待填写】"


@dataclass(frozen=True)
class Column:
    """A 栏目 of a series: its name, whether its heading is printed, and how its items are set."""

    name: str
    heading: bool = True
    kind: str = ARTICLE  # ARTICLE or BRIEF: brief notes have no titles
    unit_prefix: bool = False  # brief notes start with "单位："


@dataclass(frozen=True)
class DistributionList:
    """One line of the distribution footer: 呈送, 抄送 or 印发 and its recipients."""

    label: str
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class Numbering:
    """How an issue's number line is written (第N期, 总第M期, 增刊)."""

    number_format: str = "第{number}期"
    total: bool = False
    total_format: str = "（总第{total}期）"
    special_format: str = "{label}第{number}期"


@dataclass(frozen=True)
class Series:
    """A 简报 series as its series file sets it: name, office, columns, layout and distribution."""

    key: str  # file stem, used in manifests and output names
    path: Path
    name: str
    office: str
    mark: str = ""
    locale: str = "zh_CN"
    date_style: str = "arabic"  # arabic | chinese
    numbering: Numbering = field(default_factory=Numbering)
    columns: tuple[Column, ...] = ()
    column_heading_format: str = "[{name}]"
    spread_two_chars: bool = True
    toc: bool = False
    toc_marker: str = "◆"
    toc_group_by_column: bool = True
    title_style: str = "block"  # block | run_in
    attribution: str = "own_line"  # own_line | inline | none
    distribution: tuple[DistributionList, ...] = ()
    terminal_punctuation: str = "。"
    copies: int | None = None
    print_line: bool = False  # "××办公室　　2023年7月17日印发"
    footer_even_page: bool = False  # the 报尾 alone on an even last page
    docx_template: Path | None = None
    html_template: Path | None = None
    table_font_pt: float = 14.0  # 四号 (14 pt) or 小四 (12 pt), GONGWEN.md §4

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


@dataclass(frozen=True)
class Image:
    """A picture an item refers to, checked by the reader."""

    path: Path
    width: int  # pixels
    height: int
    format: str  # PNG, JPEG, GIF…
    dpi: float | None = None


@dataclass
class Item:
    """One news item as read from its Markdown file: front matter and sanitised body."""

    path: Path
    title: str
    column: str
    date: dt.date
    kind: str = ARTICLE
    subtitle: str = ""
    source: str = ""
    author: str = ""
    order: int | None = None
    body_html: str = ""  # sanitised HTML; pictures as src="image:N"
    images: tuple[Image, ...] = ()
    table_files: tuple[Path, ...] = ()  # .csv/.xlsx files whose tables are in body_html
    body_line: int = 1  # first body line in the file, for messages
    date_line: int = 1
    title_breaks: str = ""  # the title with the author's forced line breaks (typeset.BREAK_MARKER), if any
    draft: bool = False  # `draft: true`: checked, but never built
    draft_line: int = 1
    placeholder_line: int | None = None  # where the clerk left `new item`'s placeholder text

    def body_tree(self) -> lxml_html.HtmlElement:
        """The body as an element tree under a <div>, for the DOCX writer."""
        from .markup import parse_fragment

        return parse_fragment(self.body_html)

    def image_for(self, src: str) -> Image | None:
        """The checked picture an <img src="image:N"> in the body stands for."""
        from .markup import IMAGE_SCHEME

        if not src.startswith(IMAGE_SCHEME):
            return None
        return self.images[int(src[len(IMAGE_SCHEME):])]


@dataclass(frozen=True)
class DistributionChange:
    """What a manifest changes in the series' distribution for one issue."""

    add: dict[str, tuple[str, ...]] = field(default_factory=dict)
    remove: dict[str, tuple[str, ...]] = field(default_factory=dict)
    extra: tuple[str, ...] = ()
    copies: int | None = None


@dataclass
class Manifest:
    """One issue's manifest: its number, date, items in order, editor's note and distribution changes."""

    path: Path
    id: str  # "series/2023-07", the output name
    series: str
    date: dt.date
    number: int | None = None  # 第N期 (regular issues)
    total: int | None = None  # 总第M期
    special: str = ""  # 增刊 / ××专刊
    items: tuple[str, ...] = ()
    item_lines: tuple[int, ...] = ()
    editor_note: str = ""
    distribution: DistributionChange = field(default_factory=DistributionChange)
    editor: str = ""
    reviewer: str = ""
    approver: str = ""
    line_of: dict[str, int] = field(default_factory=dict)

    def item_line(self, index: int) -> int | None:
        """The manifest line that lists its index-th item (for messages)."""
        return self.item_lines[index] if index < len(self.item_lines) else self.line_of.get("items")

    @property
    def year(self) -> int:
        return self.date.year


@dataclass(frozen=True)
class TocEntry:
    """A line of an issue's table of contents, and the anchor it leads to."""

    text: str
    anchor: str
    is_column: bool = False


@dataclass
class Section:
    """One column of an issue with the items placed in it."""

    column: Column
    heading: str  # as printed, e.g. "[简　讯]"; "" when the column has none
    anchor: str
    items: list[Item]

    def item_anchor(self, index: int) -> str:
        """In-page id of the item at `index`, shared by the 要目 and the HTML."""
        return f"{self.anchor}-{index + 1}"


@dataclass(frozen=True)
class FooterLine:
    """A printed line of the distribution footer (label and recipients)."""

    label: str
    text: str  # recipients joined, with the closing punctuation


@dataclass
class Issue:
    """An issue assembled and checked: what the writers print, in order."""

    manifest: Manifest
    series: Series
    number_line: str  # 第7期（总第45期）
    date_text: str
    sections: list[Section]
    toc: list[TocEntry]
    editor_note: list[str]
    footer: list[FooterLine]
    copies: int | None
    staff_line: str  # 责任编辑：…　审核：…
    print_line: str  # ××办公室　2023年7月17日印发

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def title(self) -> str:
        return f"{self.series.name} {self.number_line}"

