"""DOCX writer: fill the Word template and map item bodies to Word.

The template owns the layout: page set-up, styles, masthead, 要目, footer
block, page numbers. This module fills its fields and turns each item's
(already parsed and sanitised) HTML tree into paragraphs, tables and
pictures in the template's styles. The document is built with lxml
(wordml, docxpackage); the template's fields are filled by docxtemplate.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from pathlib import Path

from ..diagnostics import BriefingError, Diagnostic
from ..docxtemplate import core_properties, render_template, set_core_date, set_core_text
from ..docxutil import save_docx, set_property
from ..images import PictureCache, print_target
from ..issue import attribution, lead_text
from ..markup import allowed_link
from ..model import BRIEF, Issue, Item, Section
from ..templatedir import DOCX_TEMPLATE, default_templates_dir
from ..typeset import fit_scale, text_width, title_lines
from ..wordml import Document, Emu, Mm, Pt, add_run, el, paragraph_text, qn, r_pr, runs, set_flag, set_style
from .evenpage import last_block_on_even_page

BODY_MARKER = "\u2063briefing-body\u2063"
TYPE_WIDTH = Mm(156)
MAX_PICTURE_HEIGHT = Mm(150)
# Pictures are scaled to what they print at: within the type width, 300 dpi at most.
PRINT = print_target(TYPE_WIDTH.mm, MAX_PICTURE_HEIGHT.mm)

# Template style names by role (the names an editor sees in Word).
STYLE = {
    "column": "简报-栏目",
    "title": "简报-文章标题",
    "subtitle": "简报-副标题",
    "run_in": "简报-段首标题",
    "body": "Normal",
    "brief": "简报-简讯",
    "attribution": "简报-署名",
    "figure": "简报-图片",
    "caption": "简报-图注",
    "table_title": "简报-表题",
    "quote": "简报-引文",
    "masthead": "简报-报头名称",
    "office_line": "简报-编印单位与日期",
    "footer_block": "简报-版记",
    1: "简报-一级标题",
    2: "简报-二级标题",
    3: "简报-三级标题",
    4: "简报-四级标题",
}
VML_SHAPE = "{urn:schemas-microsoft-com:vml}shape"
TITLE_PT = 22
MASTHEAD_PT = 42
BODY_PT = 16
FOOTER_PT = 14
FOOTER_TEXT_WIDTH = Mm(156 - 2 * 14 * 25.4 / 72)  # one character in on each side
FOOTER_EMS = FOOTER_TEXT_WIDTH.pt / FOOTER_PT  # 四号 characters on one footer line
FOOTER_LINE_PT = FOOTER_PT * 1.45  # one 四号 line with its spacing, for the text box estimate


def template_path(issue: Issue) -> Path:
    return issue.series.docx_template or default_templates_dir() / DOCX_TEMPLATE


_templates: dict[Path, tuple[tuple[int, int], bytes]] = {}


def template_bytes(path: Path) -> bytes:
    """A Word template's bytes, read once per process while the file is unchanged."""
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _templates.get(path)
    if cached is None or cached[0] != stamp:
        cached = _templates[path] = (stamp, path.read_bytes())
    return cached[1]


def load_default_template() -> None:
    """Read the default template now (once per `build --all` worker)."""
    template_bytes(default_templates_dir() / DOCX_TEMPLATE)


def render_docx(issue: Issue, pictures: PictureCache | None = None) -> bytes:
    """The finished DOCX for one issue, as bytes (same input, same bytes)."""
    path = template_path(issue)
    pictures = pictures or PictureCache()
    doc = render_template(template_bytes(path), template_context(issue), workspace_cache(pictures))
    marker = find_marker(doc, BODY_MARKER, path)
    BodyWriter(doc, marker, issue, pictures).write()
    _fit_one_line_paragraphs(doc)
    _fit_footer_box(doc, issue)
    if issue.series.footer_even_page:
        footer_on_even_page(doc)
    _set_properties(doc, issue)
    return save_docx(doc, dt.datetime.combine(issue.manifest.date, dt.time()))


def workspace_cache(pictures: PictureCache) -> Path | None:
    """The workspace's cache folder (the picture cache's parent), None without a workspace."""
    return pictures.folder.parent if pictures.folder else None


def template_context(issue: Issue) -> dict:
    series = issue.series
    return {
        "mark": series.mark,
        "series_name": series.name,
        "number_line": issue.number_line,
        "office": series.office,
        "date": issue.date_text,
        "toc": [{"text": e.text, "is_column": e.is_column} for e in issue.toc],
        "toc_marker": f"{series.toc_marker} " if series.toc_marker else "",
        "editor_note": issue.editor_note,
        "body": BODY_MARKER,
        "footer": [{"label": line.label, "text": line.text} for line in issue.footer],
        "copies": issue.copies,
        "copies_on_last_line": copies_fit_last_line(issue),
        "staff_line": issue.staff_line,
        "print_line": issue.print_line,
    }


def copies_fit_last_line(issue: Issue) -> bool:
    """Whether 共印N份 fits at the right of the last distribution line."""
    if not issue.copies or issue.print_line or not issue.footer:
        return False
    last = issue.footer[-1]
    used = text_width(f"{last.label}：{last.text}") % FOOTER_EMS
    return used + 2 + text_width(f"共印{issue.copies}份") <= FOOTER_EMS


def find_marker(doc: Document, marker: str, path: Path,
                missing: str = "Word 模板缺少 {{ body }} 段落，稿件无处放置"):
    """The template's paragraph (w:p) holding `marker` (where a `{{ field }}` was rendered)."""
    for paragraph in doc.paragraphs:
        if marker in paragraph_text(paragraph):
            return paragraph
    raise BriefingError([Diagnostic(path, None, missing)])


class BodyWriter:
    """Maps the issue's sections and items to Word, before the marker paragraph."""

    styles: dict = STYLE  # role → template style name; the 公文 writer has its own

    def __init__(self, doc: Document, marker, issue: Issue, pictures: PictureCache):
        self.doc, self.marker, self.issue, self.pictures = doc, marker, issue, pictures
        self.series = issue.series

    @functools.cached_property
    def tables(self):
        """The table writer, made (and its layout code imported) for an issue with tables only."""
        from .docx_table import TableWriter

        return TableWriter(self, self.series.table_font_pt)

    def write(self) -> None:
        for section in self.issue.sections:
            self.write_section(section)
        self.marker.getparent().remove(self.marker)

    # Blocks -----------------------------------------------------------------

    def paragraph(self, role):
        """A new w:p in the role's style, before the marker."""
        paragraph = el("w:p")
        self.marker.addprevious(paragraph)
        set_style(paragraph, self.style_id(self.styles[role]))
        return paragraph

    def style_id(self, name: str | None) -> str | None:
        return self.doc.style_id(name)

    def add_lead(self, paragraph, lead: str, lead_style: str | None) -> None:
        run = add_run(paragraph, lead)
        if lead_style:
            set_style(run, self.style_id(lead_style))

    def write_section(self, section: Section) -> None:
        if section.heading:
            add_run(self.paragraph("column"), section.heading)
        brief = section.column.kind == BRIEF
        for item in section.items:
            if not brief and self.series.title_style == "block":
                self.write_title(item)
            lead = lead_text(self.series, section, item)
            lead_style = None if brief else STYLE["run_in"]
            self.write_blocks(item.body_tree(), item, lead, lead_style, "brief" if brief else "body")
            self.write_attribution(item)

    def write_title(self, item: Item) -> None:
        title = self.paragraph("title")
        lines = title_lines(item.title_breaks or item.title, TYPE_WIDTH.pt / TITLE_PT)
        for index, line in enumerate(lines):
            run = add_run(title, line)
            if index < len(lines) - 1:
                run.append(el("w:br"))
        if item.subtitle:
            add_run(self.paragraph("subtitle"), f"——{item.subtitle}")

    def write_attribution(self, item: Item) -> None:
        text = attribution(self.series, item)
        if not text:
            return
        if self.series.attribution == "inline" and self.last_paragraph is not None:
            add_run(self.last_paragraph, text)
        else:
            add_run(self.paragraph("attribution"), text)

    @property
    def last_paragraph(self):
        """The w:p just before the marker, None after a table or at the start."""
        previous = self.marker.getprevious()
        return previous if previous is not None and previous.tag == qn("w:p") else None

    def write_blocks(self, tree, item: Item, lead: str = "", lead_style: str | None = None,
                     role: str = "body") -> None:
        for element in tree:
            tag = element.tag
            if tag == "p":
                paragraph = self.paragraph(role)
                if lead:
                    self.add_lead(paragraph, lead, lead_style)
                    lead = ""
                self.inline(paragraph, element, item)
            elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                level = int(element.get("class", "level-4").rsplit("-", 1)[-1])
                self.inline(self.paragraph(level), element, item)
            elif tag in ("ul", "ol"):
                self.write_list(element, item, depth=0)
            elif tag == "table":
                self.write_table(element, item)
            elif tag == "figure":
                self.write_figure(element, item)
            elif tag == "blockquote":
                for child in element:
                    self.inline(self.paragraph("quote"), child, item)
            elif tag == "pre":
                # The block's closing line end would print as an empty line in Word.
                add_run(self.paragraph(role), element.text_content().rstrip("\n"))
            # hr and unknown tags carry no text worth printing
        if lead:  # a body with no paragraph still shows its run-in title
            self.add_lead(self.paragraph(role), lead, lead_style)

    def write_list(self, element, item: Item, depth: int) -> None:
        ordered = element.tag == "ol"
        start = int(element.get("start", "1"))  # the sanitiser keeps only a whole number
        for index, li in enumerate(element.findall("li")):
            paragraph = self.paragraph("body")
            if depth:
                ind = el("w:ind", left=str(Pt(16 * 2 * depth).twips))
                set_property(paragraph.find(qn("w:pPr")), ind)
            add_run(paragraph, list_marker(ordered, start + index, depth))
            nested = [child for child in li if child.tag in ("ul", "ol")]
            for child in nested:
                li.remove(child)
            self.inline(paragraph, item_lines(li), item)
            for child in nested:
                self.write_list(child, item, depth + 1)

    def write_figure(self, element, item: Item) -> None:
        image = element.find("img")
        picture = self.picture_for(image, item) if image is not None else None
        if picture is None:
            return
        data, width, height = picture
        self.doc.add_picture(add_run(self.paragraph("figure")), data, width, height)
        caption = element.find("figcaption")
        if caption is not None and caption.text_content().strip():
            add_run(self.paragraph("caption"), caption.text_content().strip())

    def picture_for(self, image, item: Item) -> tuple[bytes, int, int] | None:
        """The processed picture and its printed size (its own size at its dpi)."""
        source = item.image_for(image.get("src", ""))
        if source is None:
            return None
        picture = self.pictures.picture(source, PRINT)
        width = Emu(int(picture.width / picture.dpi * 914400))
        height = Emu(int(picture.height / picture.dpi * 914400))
        # PRINT already fits the box; this only guards against rounding.
        scale = min(1.0, TYPE_WIDTH / width, MAX_PICTURE_HEIGHT / height)
        return picture.data, Emu(int(width * scale)), Emu(int(height * scale))

    def write_table(self, element, item: Item) -> None:
        self.tables.write(element, item)

    # Inline -----------------------------------------------------------------

    def inline(self, paragraph, element, item: Item, bold: bool = False,
               italic: bool = False, underline: bool = False, strike: bool = False,
               vert: str | None = None) -> None:
        """Add runs for an element's text and children, carrying formatting down."""
        state = dict(bold=bold, italic=italic, underline=underline, strike=strike, vert=vert)
        self.add_text(paragraph, element.text, **state)
        for child in element:
            tag = child.tag
            if tag in ("strong", "b"):
                self.inline(paragraph, child, item, **{**state, "bold": True})
            elif tag in ("em", "i"):
                self.inline(paragraph, child, item, **{**state, "italic": True})
            elif tag == "u":
                self.inline(paragraph, child, item, **{**state, "underline": True})
            elif tag in ("s", "del"):
                self.inline(paragraph, child, item, **{**state, "strike": True})
            elif tag in ("sup", "sub"):
                self.inline(paragraph, child, item, **{**state, "vert": "superscript" if tag == "sup" else "subscript"})
            elif tag == "br":
                add_run(paragraph).append(el("w:br"))
            elif tag == "a":
                self.add_link(paragraph, child)
            elif tag == "img":
                picture = self.picture_for(child, item)
                if picture is not None:
                    self.doc.add_picture(add_run(paragraph), *picture)
            else:
                self.inline(paragraph, child, item, **state)
            self.add_text(paragraph, child.tail, **state)

    @staticmethod
    def add_text(paragraph, text: str | None, bold=False, italic=False, underline=False,
                 strike=False, vert=None) -> None:
        if not text:
            return
        text = text.replace("\n", "")
        if not text:
            return
        run = add_run(paragraph, text)
        if bold:
            set_flag(run, "w:b")
        if italic:
            set_flag(run, "w:i")
        if underline:
            set_flag(run, "w:u", val="single")
        if strike:
            set_flag(run, "w:strike")
        if vert:
            set_flag(run, "w:vertAlign", val=vert)

    def add_link(self, paragraph, element) -> None:
        href = element.get("href", "")
        text = element.text_content()
        if not allowed_link(href, in_page=False):
            # Same allow-list as the page; a DOCX has no anchors in the body to jump to.
            self.add_text(paragraph, text)
            return
        link = el("w:hyperlink")
        link.set(qn("r:id"), self.doc.link(href))
        run = el("w:r")
        props = el("w:rPr")
        set_property(props, el("w:u", val="single"))
        run.append(props)
        t = el("w:t")
        t.text = text
        t.set(qn("xml:space"), "preserve")
        run.append(t)
        link.append(run)
        paragraph.append(link)


def item_lines(li):
    """The list item with each paragraph after its first (a loose list's <p>) on a new line, none lost."""
    for p in li.findall("p"):
        if p.getprevious() is not None or (li.text or "").strip():
            p.addprevious(li.makeelement("br"))
    return li


def list_marker(ordered: bool, number: int, depth: int) -> str:
    """Literal markers (1．/（1）, ●/○): they survive Word, WPS and LibreOffice alike."""
    if ordered:
        return f"{number}．" if depth % 2 == 0 else f"（{number}）"
    return "● " if depth % 2 == 0 else "○ "


def _fit_one_line_paragraphs(doc: Document) -> None:
    """Narrow the characters of a long series name or office line so each stays on one line."""
    fonts = {doc.style_id(STYLE["masthead"]): MASTHEAD_PT, doc.style_id(STYLE["office_line"]): BODY_PT}
    for paragraph in doc.paragraphs:
        font_pt = fonts.get(paragraph_style(paragraph))
        if font_pt is None:
            continue
        # A tab between office and date needs room of its own.
        fit_runs(paragraph, paragraph_text(paragraph).replace("\t", "\u3000\u3000"), font_pt, TYPE_WIDTH.pt)


def fit_runs(paragraph, text: str, font_pt: float, width_pt: float) -> None:
    """Narrow a paragraph's characters (w:w) so `text` fits on one line of `width_pt`."""
    scale = fit_scale(text, font_pt, width_pt)
    if scale < 100:
        for run in runs(paragraph):
            set_property(r_pr(run), el("w:w", val=str(scale)))


def paragraph_style(paragraph) -> str | None:
    """The paragraph's w:pStyle value (None for the default style)."""
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style.get(qn("w:val")) if style is not None else None


def _fit_footer_box(doc: Document, issue: Issue) -> None:
    """Give the footer text box the height its lines need (Word grows it too)."""
    box = doc.body.find(".//" + qn("wp:anchor"))
    if box is None:
        return
    lines = sum(math.ceil(text_width(f"{line.label}：{line.text}") / FOOTER_EMS) for line in issue.footer)
    lines += bool(issue.staff_line)
    lines += bool(issue.print_line or (issue.copies and not copies_fit_last_line(issue)))
    height = Emu(int(Pt(max(lines, 1) * FOOTER_LINE_PT + 4)))
    box.find(qn("wp:extent")).set("cy", str(height))
    for ext in box.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}ext"):
        ext.set("cy", str(height))
    # The same box in VML, for readers that take the mc:Fallback.
    for shape in doc.body.iter(VML_SHAPE):
        style = re.sub(r"(^|;)height:[^;]*", rf"\1height:{height.pt:g}pt", shape.get("style", ""))
        shape.set("style", style)


def footer_on_even_page(doc: Document) -> None:
    """The paragraph holding the 报尾 box starts a last section on an even page."""
    box = doc.body.find(".//" + qn("wp:anchor"))
    if box is not None:
        last_block_on_even_page(doc, next(box.iterancestors(qn("w:p"))))


def _set_properties(doc, issue: Issue) -> None:
    set_core_properties(doc, issue.title, issue.series.name, issue.series.office, issue.manifest.date)


def set_core_properties(doc: Document, title: str, subject: str, author: str, date: dt.date) -> None:
    """File properties from the document's own data, dated by it: the same input, the same bytes."""
    when = dt.datetime.combine(date, dt.time())
    props = core_properties(doc.package)
    for tag, value in (("dc:title", title), ("dc:subject", subject), ("dc:creator", author),
                       ("cp:lastModifiedBy", author), ("dc:description", ""), ("cp:keywords", "")):
        set_core_text(props, tag, value)
    for tag in ("dcterms:created", "dcterms:modified", "cp:lastPrinted"):
        set_core_date(props, tag, when)
    set_core_text(props, "cp:revision", "1")
