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

import sys
from pathlib import Path

from docx.enum.section import WD_SECTION
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from make_docx_template import (  # noqa: E402
    CENTER, FANGSONG, HEITI, KAITI, LINE, NO_INDENT, PT14, PT16, RED, SINGLE, TAB, TYPE_WIDTH, W, XBS,
    finish, fonts, new_document, para, ruled_table, run, size, style, tag_para, text_box,
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
    style("GwTableText", "公文-表格文字", NO_INDENT + SINGLE + '<w:jc w:val="left"/>', size(14)),
    style("GwTableHeader", "公文-表头文字", CENTER, fonts(HEITI), based_on="GwTableText"),
    style("GwTableTitle", "公文-表题", "<w:keepNext/>" + NO_INDENT + CENTER, fonts(HEITI)),
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
    return ruled_table(rows) + para("GwSectionEnd", "")


TYPE_BOTTOM = int(Mm(297 - 35))  # EMU from the page top
RECORD_BOX_ID = 1001  # wp:docPr id of the 版记 box; the writer finds the box by its name


def record_anchor() -> str:
    """A text box ending on the bottom edge of the type area of the last (even) page, holding the 版记.

    Placed from the page top (LibreOffice reads a box aligned to the margin's bottom a
    few millimetres lower); the writer sets its height and so its offset.
    """
    cy = int(Mm(30))
    return text_box(record_table(), TYPE_WIDTH * 635, cy, "版记", RECORD_BOX_ID, "RecordBlock", top=TYPE_BOTTOM - cy)


def build() -> bytes:
    doc = new_document(STYLES, body_paragraphs(), "GwPageNumber")
    # The 版记 section starts on an even page (Word and LibreOffice insert a blank page
    # when needed) and has footers of its own without page numbers.
    record = doc.add_section(WD_SECTION.EVEN_PAGE)
    record.footer.is_linked_to_previous = False
    record.even_page_footer.is_linked_to_previous = False
    body = doc.element.body
    end = body.findall(qn("w:p"))[-1]  # the paragraph add_section made to end the text section
    end.get_or_add_pPr().insert(0, parse_xml(f'<w:pStyle {W} w:val="GwSectionEnd"/>'))
    body.find(qn("w:sectPr")).addprevious(parse_xml(record_anchor()))
    # No Jinja tags in the comments: docxtpl renders the document properties too.
    return finish(doc, "公文模板", "字段说明：masthead_names 发文机关标志，reference 发文字号，title 标题，recipients 主送机关；"
                  "body、attachments 所在段落由正文、附件替换；版记在最后一节（从偶数页开始）页面底部的文本框内。")


if __name__ == "__main__":
    OUT.write_bytes(build())
    print(f"wrote {OUT}")
