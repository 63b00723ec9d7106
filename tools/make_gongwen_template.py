"""Generate templates/gongwen.docx, the default Word template for 公文 (GONGWEN.md).

Same page, fonts, grid and page numbers as the 简报 template (tools/make_docx_template.py);
what differs is the 版头 (份号, 密级, 紧急程度, red 发文机关标志, 发文字号 over the red rule),
the 主体 (title, 主送机关, 附件说明, signature and date, 附注, attachments) and the
版记, which sits in a last section that starts on an even page and has no page numbers.

Jinja tags (docxtpl) mark the fields; the paragraphs holding `{{ body }}` and
`{{ attachments }}` are replaced by the text and the attachment pages. Run
`python tools/make_gongwen_template.py` after changing it; the output is committed.
"""

from __future__ import annotations

import datetime as dt
import sys
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from briefings.docxutil import normalize_zip  # noqa: E402
from make_docx_template import (  # noqa: E402
    CENTER, FANGSONG, HEITI, KAITI, LINE, NO_INDENT, PT14, PT16, RED, SINGLE, TAB, TYPE_WIDTH, W, XBS,
    _add_font_fallbacks, _strip_theme_fonts, fonts, page_number_paragraph, para, run, set_footer, size,
    style, tag_para,
)

OUT = Path(__file__).resolve().parents[1] / "templates" / "gongwen.docx"

MASTHEAD_TOP = int(Mm(35).twips)  # 标志's top edge below the type area's top (GB/T 9704 §7.2.3)
MASTHEAD_LINE = 1000  # twips: one line of the 42 pt 标志
LEFT = '<w:jc w:val="left"/>'
RIGHT = '<w:jc w:val="right"/>'
KEEP = "<w:keepNext/><w:keepLines/>"
NO_AUTOSPACE = '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'


def hanging(left_chars: float, first_chars: float) -> str:
    """Left indent at `left_chars`, first line starting at `first_chars` (三号 characters)."""
    left = int(left_chars * PT16)
    return f'<w:ind w:left="{left}" w:hanging="{left - int(first_chars * PT16)}" w:firstLineChars="0"/>'


STYLES = [
    # 版头
    style("GwCopyNumber", "公文-份号", NO_INDENT + LEFT, fonts(FANGSONG)),
    style("GwSecrecy", "公文-密级与紧急程度", NO_INDENT + LEFT, fonts(HEITI)),
    # The space above the 标志: 35 mm less the lines 份号, 密级 and 紧急程度 take (the writer subtracts them).
    style("GwMastheadSpace", "公文-标志上空白",
          NO_INDENT + f'<w:spacing w:before="0" w:after="0" w:line="{MASTHEAD_TOP + 20}" w:lineRule="exact"/>',
          size(2)),
    style("GwMasthead", "公文-发文机关标志",
          NO_INDENT + CENTER + f'<w:spacing w:before="0" w:after="0" w:line="{MASTHEAD_LINE}" w:lineRule="exact"/>',
          fonts(XBS) + f'<w:color w:val="{RED}"/>' + size(42)),
    style("GwMastheadJoint", "公文-联合发文机关标志",
          NO_INDENT + '<w:jc w:val="distribute"/><w:spacing w:before="0" w:after="0" w:line="800" w:lineRule="exact"/>',
          fonts(XBS) + f'<w:color w:val="{RED}"/>' + size(32)),
    style("GwMastheadJointWord", "公文-联合标志文件二字",
          NO_INDENT + CENTER + '<w:spacing w:before="0" w:after="0" w:line="800" w:lineRule="exact"/>',
          fonts(XBS) + f'<w:color w:val="{RED}"/>' + size(42)),
    # 发文字号 two lines below the 标志, the red rule 4 mm below it (a bottom border).
    style("GwReference", "公文-发文字号",
          NO_INDENT + CENTER + f'<w:spacing w:before="{2 * LINE}"/>'
          f'<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="5" w:color="{RED}"/></w:pBdr>'),
    # 上行文: 发文字号 one character in from the left, 签发人 one in from the right, by tab
    # stops, so that the paragraph (and its red rule) keeps the full type width.
    style("GwReferenceUp", "公文-上行文发文字号",
          NO_INDENT + LEFT + f'<w:spacing w:before="{2 * LINE}"/>'
          f'<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="5" w:color="{RED}"/></w:pBdr>'
          f'<w:tabs><w:tab w:val="left" w:pos="{PT16}"/><w:tab w:val="right" w:pos="{TYPE_WIDTH - PT16}"/></w:tabs>'),
    style("GwSigner", "公文-签发人姓名", rpr=fonts(KAITI), kind="character", based_on=""),
    # 主体
    style("GwTitle", "公文-标题",
          KEEP + NO_INDENT + CENTER + f'<w:spacing w:before="{2 * LINE}" w:line="720" w:lineRule="exact"/>',
          fonts(XBS) + size(22)),
    style("GwRecipients", "公文-主送机关", NO_INDENT + LEFT + f'<w:spacing w:before="{LINE}"/>'),
    style("GwHeading1", "公文-一级标题", "<w:keepNext/>", fonts(HEITI)),
    style("GwHeading2", "公文-二级标题", "<w:keepNext/>", fonts(KAITI)),
    style("GwHeading3", "公文-三级标题", "<w:keepNext/>"),
    style("GwHeading4", "公文-四级标题"),
    # Run-in headings (（一）总体要求。加快……): the heading part in its level's face.
    style("GwRunIn1", "公文-段首一级标题", rpr=fonts(HEITI), kind="character", based_on=""),
    style("GwRunIn2", "公文-段首二级标题", rpr=fonts(KAITI), kind="character", based_on=""),
    style("GwRunIn3", "公文-段首三级标题", rpr=fonts(FANGSONG), kind="character", based_on=""),
    style("GwFigure", "公文-图片", '<w:keepNext/>' + NO_INDENT + CENTER + SINGLE),
    style("GwFigureCaption", "公文-图注", NO_INDENT + CENTER, fonts(KAITI)),
    style("GwTableText", "公文-表格文字", NO_INDENT + SINGLE, size(14)),
    style("GwQuote", "公文-引文", f'<w:ind w:left="{2 * PT16}" w:right="{2 * PT16}"/>', fonts(KAITI)),
    # 附件说明: 附件：1.名称 — a continuation line aligns under the name's first character.
    style("GwAttachmentNote", "公文-附件说明",
          hanging(6, 2) + f'<w:spacing w:before="{LINE}"/>' + '<w:jc w:val="left"/>'),
    style("GwAttachmentNoteNext", "公文-附件说明续", hanging(6, 5) + '<w:jc w:val="left"/>'),
    style("GwAttachmentNoteOnly", "公文-附件说明单个",
          hanging(5, 2) + f'<w:spacing w:before="{LINE}"/>' + '<w:jc w:val="left"/>'),
    # Signature and date: right-aligned; the writer sets how far in from the right (右空二字/四字).
    # No automatic space between Chinese and digits: the date is as wide as its characters.
    style("GwSignature", "公文-发文机关署名", KEEP + NO_AUTOSPACE + NO_INDENT + RIGHT),
    style("GwDate", "公文-成文日期", NO_AUTOSPACE + NO_INDENT + RIGHT),
    style("GwNote", "公文-附注", f'<w:ind w:left="{2 * PT16}" w:firstLine="0" w:firstLineChars="0"/>'),
    # Attachments: each on a new page, 附件N at the top left, its title on the third line.
    style("GwAttachmentLabel", "公文-附件标识", "<w:pageBreakBefore/><w:keepNext/>" + NO_INDENT + LEFT,
          fonts(HEITI)),
    style("GwAttachmentTitle", "公文-附件标题",
          KEEP + NO_INDENT + CENTER + f'<w:spacing w:before="{LINE}" w:after="{LINE}" w:line="720" w:lineRule="exact"/>',
          fonts(XBS) + size(22)),
    # 版记
    style("GwRecord", "公文-版记",
          f'<w:ind w:left="{PT14}" w:right="{PT14}" w:firstLine="0" w:firstLineChars="0"/>'
          + SINGLE.replace('w:before="0" w:after="0"', 'w:before="60" w:after="60"')
          + f'<w:tabs><w:tab w:val="right" w:pos="{TYPE_WIDTH - PT14}"/></w:tabs>',
          size(14)),
    # 抄送：… continuation lines aligned after the colon.
    style("GwRecordCopyTo", "公文-版记抄送",
          f'<w:ind w:left="{4 * PT14}" w:right="{PT14}" w:hanging="{3 * PT14}" w:firstLineChars="0"/>'
          + SINGLE.replace('w:before="0" w:after="0"', 'w:before="60" w:after="60"'),
          size(14)),
    style("GwSectionEnd", "公文-分节", NO_INDENT + '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>',
          size(1)),
    style("GwPageNumber", "公文-页码", NO_INDENT + SINGLE, fonts("宋体") + size(14)),
]


def joint_masthead() -> str:
    """联合行文: the offices stacked, lead first, `文件` centred vertically at their right."""
    word_width = 3 * 840  # 文件 and a gap, in 42 pt characters
    names_width = TYPE_WIDTH - word_width
    names = (tag_para("for name in masthead_names") + para("GwMastheadJoint", run("{{ name }}"))
             + tag_para("endfor"))
    return (f'<w:tbl {W}><w:tblPr><w:tblW w:w="{TYPE_WIDTH}" w:type="dxa"/><w:jc w:val="center"/>'
            '<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/>'
            '<w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders><w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="0000"/></w:tblPr>'
            f'<w:tblGrid><w:gridCol w:w="{names_width}"/><w:gridCol w:w="{word_width}"/></w:tblGrid><w:tr>'
            f'<w:tc><w:tcPr><w:tcW w:w="{names_width}" w:type="dxa"/></w:tcPr>{names}</w:tc>'
            f'<w:tc><w:tcPr><w:tcW w:w="{word_width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
            f'{para("GwMastheadJointWord", run("文件"))}</w:tc></w:tr></w:tbl>')


def body_paragraphs() -> list[str]:
    signer = run("{{ signers }}", '<w:rStyle w:val="GwSigner"/>')
    return [
        tag_para("if copy_number"), para("GwCopyNumber", run("{{ copy_number }}")), tag_para("endif"),
        tag_para("if secrecy"), para("GwSecrecy", run("{{ secrecy }}")), tag_para("endif"),
        tag_para("if urgency"), para("GwSecrecy", run("{{ urgency }}")), tag_para("endif"),
        para("GwMastheadSpace", ""),
        tag_para("if masthead_names|length > 1"),
        joint_masthead(),
        tag_para("else"),
        para("GwMasthead", run("{{ masthead_names[0] }}文件")),
        tag_para("endif"),
        tag_para("if upward"),
        para("GwReferenceUp", TAB + run("{{ reference }}") + TAB + run("签发人：") + signer),
        tag_para("else"),
        para("GwReference", run("{{ reference }}")),
        tag_para("endif"),
        para("GwTitle", run("{{ title }}")),
        tag_para("if recipients"), para("GwRecipients", run("{{ recipients }}：")), tag_para("endif"),
        para("Normal", run("{{ body }}")),
        tag_para("for note in attachment_notes"),
        tag_para("if attachment_notes|length == 1"),
        para("GwAttachmentNoteOnly", run("附件：{{ note }}")),
        tag_para("elif loop.first"),
        para("GwAttachmentNote", run("附件：{{ note }}")),
        tag_para("else"),
        para("GwAttachmentNoteNext", run("{{ note }}")),
        tag_para("endif"),
        tag_para("endfor"),
        # A blank line above the signature; a stamped document leaves a second one for the seal.
        para("Normal", ""),
        tag_para("if sealed"), para("Normal", ""), tag_para("endif"),
        tag_para("for name in signature_names"), para("GwSignature", run("{{ name }}")), tag_para("endfor"),
        para("GwDate", run("{{ date }}")),
        tag_para("if note"), para("GwNote", run("（{{ note }}）")), tag_para("endif"),
        para("Normal", run("{{ attachments }}")),
    ]


def record_table() -> str:
    """The 版记: thick first and last rules, a thin rule between 抄送 and 印发."""
    def row(content: str) -> str:
        return (f'<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="{TYPE_WIDTH}" w:type="dxa"/></w:tcPr>'
                f'{content}</w:tc></w:tr>')

    rows = [
        row(para("GwRecord", run("{%tr if copy_to %}"))),
        row(para("GwRecordCopyTo", run("抄送：{{ copy_to }}"))),
        row(para("GwRecord", run("{%tr endif %}"))),
        row(para("GwRecord", run("{{ printer }}") + TAB + run("{{ print_date }}印发"))),
    ]
    borders = ('<w:tblBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
               '<w:left w:val="nil"/><w:bottom w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
               '<w:right w:val="nil"/><w:insideH w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
               '<w:insideV w:val="nil"/></w:tblBorders>')
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{TYPE_WIDTH}" w:type="dxa"/><w:jc w:val="center"/>{borders}'
            '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/>'
            '<w:right w:w="0" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr>'
            f'<w:tblGrid><w:gridCol w:w="{TYPE_WIDTH}"/></w:tblGrid>{"".join(rows)}</w:tbl>'
            + para("GwSectionEnd", ""))


TYPE_BOTTOM = int(Mm(297 - 35))  # EMU from the page top


def record_anchor() -> str:
    """A text box ending on the bottom edge of the type area of the last (even) page, holding the 版记.

    Placed from the page top (not aligned to the margin's bottom, which LibreOffice
    reads a few millimetres lower); the writer sets its height and so its offset.
    """
    cx, cy = TYPE_WIDTH * 635, int(Mm(30))
    return para("GwSectionEnd", f'''<w:r><w:drawing><wp:anchor {nsdecls("wp", "a")} distT="0" distB="0" distL="0" distR="0"
 simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="0">
<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>
<wp:positionV relativeFrom="page"><wp:posOffset>{TYPE_BOTTOM - cy}</wp:posOffset></wp:positionV>
<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>
<wp:docPr id="1001" name="版记"/><wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:cNvSpPr txBox="1"/>
<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>
<a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>
<wps:txbx><w:txbxContent>{record_table()}</w:txbxContent></wps:txbx>
<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b"><a:spAutoFit/></wps:bodyPr>
</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>'''.replace("\n", ""))


def base_document() -> Document:
    """An empty document with the 简报's defaults: fonts named outright, 22 lines of 28 characters."""
    doc = Document()
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    styles.remove(defaults)
    styles.insert(0, parse_xml(
        f'<w:docDefaults {W}><w:rPrDefault><w:rPr>{fonts(FANGSONG)}{size(16)}'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        '</w:pPrDefault></w:docDefaults>'))
    normal = doc.styles["Normal"].element
    for child in list(normal):
        if child.tag in (qn("w:pPr"), qn("w:rPr")):
            normal.remove(child)
    normal.append(parse_xml(
        f'<w:pPr {W}><w:overflowPunct w:val="0"/><w:adjustRightInd w:val="0"/><w:snapToGrid w:val="0"/>'
        f'<w:spacing w:before="0" w:after="0" w:line="{LINE}" w:lineRule="exact"/>'
        f'<w:ind w:firstLine="{2 * PT16}" w:firstLineChars="200"/><w:jc w:val="both"/></w:pPr>'))
    normal.append(parse_xml(f'<w:rPr {W}>{fonts(FANGSONG)}<w:color w:val="000000"/>'
                            f'<w:spacing w:val="-5"/>{size(16)}</w:rPr>'))
    for xml in STYLES:
        styles.append(parse_xml(xml))
    _strip_theme_fonts(styles)
    return doc


def build() -> bytes:
    doc = base_document()
    body = doc.element.body
    sect_pr = body.find(qn("w:sectPr"))
    for p in doc.paragraphs:
        body.remove(p._p)
    for xml in body_paragraphs():
        sect_pr.addprevious(parse_xml(xml))

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(21)
    for grid in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(grid)
    sect_pr.append(parse_xml(f'<w:docGrid {W} w:type="lines" w:linePitch="{LINE}"/>'))
    doc.settings.odd_and_even_pages_header_footer = True
    set_footer(section.footer, page_number_paragraph("right").replace("JbPageNumber", "GwPageNumber"))
    set_footer(section.even_page_footer, page_number_paragraph("left").replace("JbPageNumber", "GwPageNumber"))

    # The 版记 section starts on an even page (Word and LibreOffice insert a blank page
    # when needed) and has footers of its own without page numbers.
    record = doc.add_section(WD_SECTION.EVEN_PAGE)
    record.footer.is_linked_to_previous = False
    record.even_page_footer.is_linked_to_previous = False
    end = body.findall(qn("w:p"))[-1]  # the paragraph add_section made to end the text section
    end.get_or_add_pPr().insert(0, parse_xml(f'<w:pStyle {W} w:val="GwSectionEnd"/>'))
    body.find(qn("w:sectPr")).addprevious(parse_xml(record_anchor()))
    _add_font_fallbacks(doc)

    core = doc.core_properties
    core.title, core.author, core.last_modified_by = "公文模板", "briefings", "briefings"
    # No Jinja tags here: docxtpl renders the document properties too.
    core.comments = ("字段说明：masthead_names 发文机关标志，reference 发文字号，title 标题，recipients 主送机关；"
                     "body、attachments 所在段落由正文、附件替换；版记在最后一节（从偶数页开始）页面底部的文本框内。")
    core.created = core.modified = dt.datetime(2024, 1, 1)
    core.revision = 1
    buffer = BytesIO()
    doc.save(buffer)
    return normalize_zip(buffer.getvalue(), dt.datetime(2024, 1, 1))


if __name__ == "__main__":
    OUT.write_bytes(build())
    print(f"wrote {OUT}")
