"""DOCX writer for 公文: fill templates/gongwen.docx and map the text and attachments.

The template owns the layout (GONGWEN.md); this module fills its fields, puts
the text and the attachment pages where `{{ body }}` and `{{ attachments }}`
stand, and sets what Word cannot work out itself: the space above the 标志
once 份号/密级/紧急程度 take their lines, characters narrowed to keep the 标志 on
one line, the signature's right indents, the seal, and the 版记 box's height.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
from pathlib import Path

from lxml import html as lxml_html

from ..dates import format_issue_date
from ..docxpackage import parse_xml
from ..docxtemplate import render_template
from ..docxutil import save_docx, set_property
from ..images import PictureCache
from ..templatedir import default_templates_dir
from ..typeset import text_width, title_lines, unmarked
from ..wordml import Document as WordDocument, Emu, Mm, Pt, add_run, el, nsdecls, p_pr, paragraph_text, qn, runs
from ..writers.docx_table import TableWriter
from ..writers.docx import (
    PRINT, TYPE_WIDTH, VML_SHAPE, BodyWriter, find_marker, fit_runs, paragraph_style, set_core_properties,
    template_bytes, workspace_cache,
)
from .model import Document
from .signature import signature_block

DOCX_TEMPLATE = "gongwen.docx"
BODY_MARKER = "\u2063gongwen-body\u2063"
ATTACHMENTS_MARKER = "\u2063gongwen-attachments\u2063"
LINE_TWIPS = 579  # one line of the grid (22 lines in 225 mm)
BODY_CHAR_TWIPS = 315  # one 三号 character with the template's -0.25 pt tracking
TITLE_PT = 22
MASTHEAD_PT = 42
JOINT_MASTHEAD_PT = 32
JOINT_NAMES_WIDTH = Pt(TYPE_WIDTH.pt - 3 * MASTHEAD_PT)  # the 文件 column takes three characters
RECORD_PT = 14
RECORD_EMS = (TYPE_WIDTH.pt - 2 * RECORD_PT) / RECORD_PT - 3  # after `抄送：`
TYPE_BOTTOM = Mm(297 - 35)  # the type area's bottom edge, from the page top
SEAL_SIZE = Mm(42)  # GB/T: an office seal is 42 mm across
TABLE_FONT_PT = 14.0  # 四号 cell text (GONGWEN.md §4)

STYLE = {
    "body": "Normal",
    "figure": "公文-图片",
    "caption": "公文-图注",
    "table": "公文-表格文字",
    "table_header": "公文-表头文字",
    "table_title": "公文-表题",
    "quote": "公文-引文",
    "brief": "Normal",
    "label": "公文-附件标识",
    "attachment_title": "公文-附件标题",
    "masthead": "公文-发文机关标志",
    "joint_masthead": "公文-联合发文机关标志",
    "masthead_space": "公文-标志上空白",
    "signature": "公文-发文机关署名",
    "date": "公文-成文日期",
    "record": "公文-版记",
    1: "公文-一级标题",
    2: "公文-二级标题",
    3: "公文-三级标题",
    4: "公文-四级标题",
}
RUN_IN_STYLE = {1: "公文-段首一级标题", 2: "公文-段首二级标题", 3: "公文-段首三级标题"}
HEAD_LINES = ("copy_number", "secrecy", "urgency")  # fields printed on lines above the 标志


def template_path(document: Document) -> Path:
    return document.series.docx_template or default_templates_dir() / DOCX_TEMPLATE


def render_document_docx(document: Document, pictures: PictureCache | None = None) -> bytes:
    """The finished DOCX of one 公文, as bytes (same input, same bytes)."""
    pictures = pictures or PictureCache()
    path = template_path(document)
    context = template_context(document)
    doc = render_template(template_bytes(path), context, workspace_cache(pictures))
    TextWriter(doc, _marker(doc, BODY_MARKER, path), pictures).write_text(document.body)
    TextWriter(doc, _marker(doc, ATTACHMENTS_MARKER, path), pictures).write_attachments(document)
    head_lines = sum(bool(context[key]) for key in HEAD_LINES)
    _masthead_space(doc, head_lines)
    _fit_masthead(doc)
    _place_signature(doc, document, context["date"])
    if document.seal is not None:
        _add_seal(doc, document, pictures)
    _fit_record_box(doc, document)
    _set_properties(doc, document)
    return save_docx(doc, dt.datetime.combine(document.date, dt.time()))


def date_text(date: dt.date) -> str:
    """成文日期 as printed: Arabic numerals, full year, no padding."""
    return format_issue_date(date, "zh_CN", "arabic")


def template_context(document: Document) -> dict:
    notes = [unmarked(a.title) for a in document.attachments]
    if len(notes) > 1:
        notes = [f"{index}.{note}" for index, note in enumerate(notes, start=1)]
    return {
        "copy_number": document.copy_number,
        "secrecy": document.secrecy,
        "urgency": document.urgency,
        "masthead_names": list(document.masthead),
        "upward": document.upward,
        "reference": document.reference,
        "signers": "\u3000".join(document.signers),
        "title": "\n".join(title_lines(document.title, TYPE_WIDTH.pt / TITLE_PT)),
        "recipients": "，".join(document.recipients),
        "body": BODY_MARKER,
        "attachment_notes": notes,
        "sealed": document.sealed,
        "signature_names": list(document.offices),
        "date": date_text(document.date),
        "note": document.note,
        "attachments": ATTACHMENTS_MARKER,
        "copy_to": "，".join(document.copy_to) + "。" if document.copy_to else "",
        "printer": document.printer,
        "print_date": date_text(document.print_date or document.date),
    }


def _marker(doc: WordDocument, marker: str, path: Path):
    field = "body" if marker == BODY_MARKER else "attachments"
    return find_marker(doc, marker, path, f"Word 模板缺少 {{{{ {field} }}}} 段落，正文无处放置")


class TextWriter(BodyWriter):
    """The 简报's body writer with the 公文 template's styles and run-in headings."""

    styles = STYLE

    def __init__(self, doc: WordDocument, marker, pictures: PictureCache):
        self.doc, self.marker, self.pictures = doc, marker, pictures
        self.tables = TableWriter(self, TABLE_FONT_PT)

    def write_text(self, item) -> None:
        self.write_body(item)
        self._drop_marker()

    def write_attachments(self, document: Document) -> None:
        single = len(document.attachments) == 1
        for index, attachment in enumerate(document.attachments, start=1):
            add_run(self.paragraph("label"), "附件" if single else f"附件{index}")
            title = self.paragraph("attachment_title")
            lines = title_lines(attachment.title, TYPE_WIDTH.pt / TITLE_PT)
            add_run(title, "\n".join(lines))
            _line_breaks(title)
            self.write_body(attachment.body)
        self._drop_marker()

    def _drop_marker(self) -> None:
        self.marker.getparent().remove(self.marker)

    def write_body(self, item) -> None:
        """Blocks in order; a level 1–3 heading ending with 。 runs on into the next paragraph."""
        children = list(item.body_tree())
        lead, lead_style = "", None
        for index, element in enumerate(children):
            following = children[index + 1] if index + 1 < len(children) else None
            level = _run_in_level(element, following)
            if level:
                lead, lead_style = element.text_content().strip(), RUN_IN_STYLE[level]
                continue
            wrapper = lxml_html.Element("div")
            wrapper.append(element)
            self.write_blocks(wrapper, item, lead, lead_style)
            lead, lead_style = "", None


def _run_in_level(element, following) -> int:
    if element.tag not in ("h1", "h2", "h3", "h4", "h5", "h6") or following is None or following.tag != "p":
        return 0
    level = int(element.get("class", "level-4").rsplit("-", 1)[-1])
    return level if level in RUN_IN_STYLE and element.text_content().strip().endswith("。") else 0


def _line_breaks(paragraph) -> None:
    """Turn the newlines of a run's text into Word line breaks."""
    for run in runs(paragraph):
        t = run.find(qn("w:t"))
        if t is None or "\n" not in (t.text or ""):
            continue
        parts = t.text.split("\n")
        t.text = parts[0]
        for part in parts[1:]:
            run.append(el("w:br"))
            new_t = el("w:t")
            new_t.text = part
            new_t.set(qn("xml:space"), "preserve")
            run.append(new_t)


def _paragraphs_in(doc: WordDocument, style_name: str):
    wanted = doc.style_id(style_name)
    for p in doc.body.iter(qn("w:p")):
        style = paragraph_style(p)
        if style is not None and style == wanted:
            yield p


def _set_spacing(p, **values: str) -> None:
    ppr = p_pr(p)
    spacing = ppr.find(qn("w:spacing"))
    if spacing is None:
        spacing = el("w:spacing")
        set_property(ppr, spacing)
    for key, value in values.items():
        spacing.set(qn(f"w:{key}"), value)


def _masthead_space(doc, head_lines: int) -> None:
    """Keep the 标志 35 mm below the type area's top: the lines above it come off the space."""
    style = doc.styles.find(STYLE["masthead_space"])
    spacing = style.find(qn("w:pPr")).find(qn("w:spacing"))
    height = int(spacing.get(qn("w:line"))) - head_lines * LINE_TWIPS
    for p in _paragraphs_in(doc, STYLE["masthead_space"]):
        _set_spacing(p, line=str(max(height, 20)), lineRule="exact")


def _fit_masthead(doc) -> None:
    """Narrow the 标志's characters rather than let it break or pass the margins."""
    for name, font_pt, width in ((STYLE["masthead"], MASTHEAD_PT, TYPE_WIDTH.pt),
                                 (STYLE["joint_masthead"], JOINT_MASTHEAD_PT, JOINT_NAMES_WIDTH.pt)):
        for p in _paragraphs_in(doc, name):
            fit_runs(p, paragraph_text(p), font_pt, width)


def _place_signature(doc, document: Document, date: str) -> None:
    block = signature_block(list(document.offices), date, document.sealed)
    rights = [right for _, right in block.names]
    for p, right in zip(_paragraphs_in(doc, STYLE["signature"]), rights):
        _set_right_indent(p, right)
    for p in _paragraphs_in(doc, STYLE["date"]):
        _set_right_indent(p, block.date_right)


def _set_right_indent(p, ems: float) -> None:
    ppr = p_pr(p)
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = el("w:ind")
        set_property(ppr, ind)
    ind.set(qn("w:right"), str(round(ems * BODY_CHAR_TWIPS)))


def _add_seal(doc, document: Document, pictures: PictureCache) -> None:
    """The seal over signature and date, centred on the date, in front of the text."""
    date_p = next(_paragraphs_in(doc, STYLE["date"]), None)
    if date_p is None:
        return
    picture = pictures.picture(document.seal, PRINT)
    scale = SEAL_SIZE / max(picture.width, picture.height)
    width, height = Emu(int(picture.width * scale)), Emu(int(picture.height * scale))
    run = add_run(date_p)
    inline = doc.add_picture(run, picture.data, width, height)
    block = signature_block(list(document.offices), date_text(document.date), document.sealed)
    centre_from_right = Pt((block.date_right + text_width(date_text(document.date)) / 2) * BODY_CHAR_TWIPS / 20)
    left = Emu(int(TYPE_WIDTH - centre_from_right - width / 2))
    run.remove(run.find(qn("w:drawing")))
    run.append(_anchor(inline, left, Emu(int(-height * 0.62))))


def _anchor(inline, left: Emu, top: Emu):
    """A floating copy of an inline picture, placed relative to the margin and the paragraph."""
    drawing = el("w:drawing")
    ns = nsdecls("wp")
    anchor = parse_xml(
        f'<wp:anchor {ns} distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251660288" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="margin"><wp:posOffset>{int(left)}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{int(top)}</wp:posOffset></wp:positionV>'
        '</wp:anchor>')
    anchor.append(copy.deepcopy(inline.find(qn("wp:extent"))))
    anchor.append(parse_xml(f'<wp:effectExtent {ns} l="0" t="0" r="0" b="0"/>'))
    anchor.append(parse_xml(f'<wp:wrapNone {ns}/>'))
    for tag in ("wp:docPr", "wp:cNvGraphicFramePr"):
        element = inline.find(qn(tag))
        if element is not None:
            anchor.append(copy.deepcopy(element))
    anchor.append(copy.deepcopy(inline.find(qn("a:graphic"))))
    drawing.append(anchor)
    return drawing


def _fit_record_box(doc, document: Document) -> None:
    """Give the 版记 box the height its lines need (Word grows it too)."""
    box = next((a for a in doc.body.iter(qn("wp:anchor"))
                if (a.find(qn("wp:docPr")) is not None and a.find(qn("wp:docPr")).get("name") == "版记")), None)
    if box is None:
        return
    copy_to = "，".join(document.copy_to) + "。"
    lines = (math.ceil(text_width(copy_to) / RECORD_EMS) if document.copy_to else 0) + 1
    rows = 1 + bool(document.copy_to)
    height = Emu(int(Pt(lines * RECORD_PT * 1.45 + rows * 6 + 4)))  # 3 pt above and below each row
    box.find(qn("wp:extent")).set("cy", str(height))
    top = Emu(int(TYPE_BOTTOM - height))  # from the page top: the box ends on the type area's bottom edge
    offset = box.find(qn("wp:positionV")).find(qn("wp:posOffset"))
    if offset is not None:
        offset.text = str(int(top))
    for ext in box.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}ext"):
        ext.set("cy", str(height))
    # The same box in VML, for readers that take the mc:Fallback.
    for shape in doc.body.iter(VML_SHAPE):
        style = re.sub(r"(^|;)height:[^;]*", rf"\1height:{height.pt:g}pt", shape.get("style", ""))
        shape.set("style", re.sub(r"(^|;)margin-top:[^;]*", rf"\1margin-top:{top.pt:g}pt", style))


def _set_properties(doc, document: Document) -> None:
    set_core_properties(doc, f"{document.reference} {unmarked(document.title)}", document.kind,
                        document.offices[0], document.date)
