"""Generate templates/briefing.docx, the default Word template.

The template is what an editor opens in Word or WPS to restyle a series: page
set-up (FORMAT.md §2), styles with Chinese names, the masthead, 要目, 编者按,
the footer block (a text box anchored to the bottom of the type area) and the
`— N —` page-number footers. Jinja tags (docxtpl) mark the fields; the
paragraph holding `{{ body }}` is replaced by the items.

Run `python tools/make_docx_template.py` after changing it; the output is
committed so an installed package needs no build step.
"""

from __future__ import annotations

import datetime as dt
import sys
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from briefings.docxutil import PAGE_FIELD_XML, normalize_zip, replace_footer, sort_properties  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "templates" / "briefing.docx"

RED = "FF0000"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
XBS = "方正小标宋简体"
SONG = "宋体"
# fontTable entries as Word writes them for these faces: altName is the face Word
# and WPS fall back to when the named one is missing (Windows ships 仿宋, 楷体, 黑体,
# 宋体); panose, charset 86 (GB2312), family and pitch steer their own substitution.
# LibreOffice ignores all of these (writerfilter FontTable.cxx) and honours only the
# name and w:lang: see README, “字体”.
GB2312_SIG = ('w:usb0="00000001" w:usb1="080E0000" w:usb2="00000010" w:usb3="00000000" '
              'w:csb0="00040000" w:csb1="00000000"')
FONT_TABLE = {
    FANGSONG: ("仿宋", "02010609030101010101", "modern", "fixed", GB2312_SIG),
    KAITI: ("楷体", "02010609030101010101", "modern", "fixed", GB2312_SIG),
    XBS: ("宋体", "02010600030101010101", "auto", "variable", GB2312_SIG),
    HEITI: ("SimHei", "02010609060101010101", "modern", "fixed",
            'w:usb0="800002BF" w:usb1="38CF7CFA" w:usb2="00000016" w:usb3="00000000" '
            'w:csb0="00040001" w:csb1="00000000"'),
    SONG: ("SimSun", "02010600030101010101", "auto", "variable",
           'w:usb0="00000003" w:usb1="288F0000" w:usb2="00000016" w:usb3="00000000" '
           'w:csb0="00040001" w:csb1="00000000"'),
}
# Chinese text is Simplified Chinese: LibreOffice passes this language to fontconfig,
# which then picks the SC face of a CJK family rather than the JP or KR one.
LANG = '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
APPLICATION = "briefings"

LINE = 579  # twips: 22 lines in 225 mm (FORMAT §2)
TYPE_WIDTH = 8844  # twips: 156 mm
PT16, PT14 = 320, 280  # one character of 三号 / 四号, in twips

W = nsdecls("w")


def fonts(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'


def style(style_id: str, name: str, ppr: str = "", rpr: str = "", based_on: str = "Normal",
          kind: str = "paragraph", next_id: str | None = None) -> str:
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    nxt = f'<w:next w:val="{next_id}"/>' if next_id else ""
    ppr_xml = f"<w:pPr>{ppr}</w:pPr>" if ppr and kind == "paragraph" else ""
    # A style not based on Normal states the language itself.
    lang = "" if based_on else LANG
    return (f'<w:style {W} w:type="{kind}" w:customStyle="1" w:styleId="{style_id}">'
            f'<w:name w:val="{name}"/>{based}{nxt}<w:qFormat/>{ppr_xml}<w:rPr>{rpr}{lang}</w:rPr></w:style>')


def size(points: float) -> str:
    half = int(points * 2)
    return f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'


NO_INDENT = '<w:ind w:firstLine="0" w:firstLineChars="0"/>'
CENTER = '<w:jc w:val="center"/>'
SINGLE = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'

STYLES = [
    # Masthead (报头)
    style("JbMastheadMark", "简报-密级标识", NO_INDENT, fonts(HEITI)),
    style("JbMastheadName", "简报-报头名称",
          NO_INDENT + CENTER + '<w:spacing w:before="520" w:after="0" w:line="1000" w:lineRule="exact"/>',
          fonts(XBS) + f'<w:color w:val="{RED}"/>' + size(42)),
    style("JbIssueNumber", "简报-期号", NO_INDENT + CENTER + f'<w:spacing w:before="{LINE}"/>'),
    style("JbOfficeLine", "简报-编印单位与日期",
          NO_INDENT + f'<w:spacing w:before="{LINE}" w:after="{LINE}"/>'
          f'<w:pBdr><w:bottom w:val="single" w:sz="18" w:space="4" w:color="{RED}"/></w:pBdr>'
          f'<w:tabs><w:tab w:val="right" w:pos="{TYPE_WIDTH}"/></w:tabs>'),
    # 要目
    style("JbTocEntry", "简报-要目", f'<w:ind w:left="{PT16}" w:hanging="{PT16}" w:firstLineChars="0"/>'),
    style("JbTocColumn", "简报-要目栏目", NO_INDENT, fonts(HEITI)),
    # 编者按
    style("JbEditorNote", "简报-编者按",
          f'<w:ind w:left="{2 * PT16}" w:right="{2 * PT16}" w:firstLine="0" w:firstLineChars="0"/>',
          fonts(KAITI)),
    style("JbEditorNoteLabel", "简报-编者按标签", rpr=fonts(HEITI), kind="character", based_on=""),
    # Body
    style("JbColumnHeading", "简报-栏目", NO_INDENT + f'<w:spacing w:before="{LINE}"/><w:keepNext/>',
          fonts(HEITI)),
    style("JbItemTitle", "简报-文章标题",
          '<w:keepNext/>' + NO_INDENT + CENTER + f'<w:spacing w:before="{LINE}" w:line="720" w:lineRule="exact"/>',
          fonts(XBS) + size(22)),
    style("JbItemSubtitle", "简报-副标题", '<w:keepNext/>' + NO_INDENT + CENTER, fonts(KAITI)),
    style("JbRunInTitle", "简报-段首标题", rpr=fonts(HEITI), kind="character", based_on=""),
    style("JbHeading1CN", "简报-一级标题", "<w:keepNext/>", fonts(HEITI)),
    style("JbHeading2CN", "简报-二级标题", "<w:keepNext/>", fonts(KAITI)),
    style("JbHeading3CN", "简报-三级标题", "<w:keepNext/>", "<w:b/><w:bCs/>"),
    style("JbHeading4CN", "简报-四级标题", "", "<w:b/><w:bCs/>"),
    style("JbBriefNote", "简报-简讯"),
    style("JbAttribution", "简报-署名", NO_INDENT + '<w:jc w:val="right"/>'),
    style("JbFigure", "简报-图片", '<w:keepNext/>' + NO_INDENT + CENTER + SINGLE),
    style("JbFigureCaption", "简报-图注", NO_INDENT + CENTER, fonts(KAITI)),
    # Tables (GONGWEN.md §4): 四号仿宋, text flush left (never justified), header 黑体 centred.
    style("JbTableText", "简报-表格文字", NO_INDENT + SINGLE + '<w:jc w:val="left"/>', size(14)),
    style("JbTableHeader", "简报-表头文字", CENTER, fonts(HEITI), based_on="JbTableText"),
    style("JbTableTitle", "简报-表题", "<w:keepNext/>" + NO_INDENT + CENTER, fonts(HEITI)),
    style("JbQuote", "简报-引文",
          f'<w:ind w:left="{2 * PT16}" w:right="{2 * PT16}"/>', fonts(KAITI)),
    # 报尾
    style("JbFooterBlock", "简报-版记",
          f'<w:ind w:left="{PT14}" w:right="{PT14}" w:firstLine="0" w:firstLineChars="0"/>'
          + SINGLE.replace('w:before="0" w:after="0"', 'w:before="60" w:after="60"')
          + f'<w:tabs><w:tab w:val="right" w:pos="{TYPE_WIDTH - PT14}"/></w:tabs>',
          size(14)),
    style("JbPageNumber", "简报-页码", NO_INDENT + SINGLE, fonts(SONG) + size(14), based_on="Normal"),
]


def para(style_id: str, runs: str, extra_ppr: str = "") -> str:
    return f'<w:p {W}><w:pPr><w:pStyle w:val="{style_id}"/>{extra_ppr}</w:pPr>{runs}</w:p>'


def run(text: str, rpr: str = "") -> str:
    rpr_xml = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:r>{rpr_xml}<w:t xml:space="preserve">{text}</w:t></w:r>'


TAB = "<w:r><w:tab/></w:r>"


def tag_para(tag: str) -> str:
    """A paragraph holding only a docxtpl paragraph tag (removed when rendered)."""
    return para("Normal", run("{%p " + tag + " %}"))


def body_paragraphs() -> list[str]:
    return [
        # Always present, empty without a mark, so the series name keeps its place.
        para("JbMastheadMark", run("{{ mark }}")),
        para("JbMastheadName", run("{{ series_name }}")),
        para("JbIssueNumber", run("{{ number_line }}")),
        para("JbOfficeLine", run("{{ office }}") + TAB + run("{{ date }}")),
        tag_para("for entry in toc"),
        tag_para("if entry.is_column"),
        para("JbTocColumn", run("{{ entry.text }}")),
        tag_para("else"),
        para("JbTocEntry", run("{{ toc_marker }}") + run("{{ entry.text }}")),
        tag_para("endif"),
        tag_para("endfor"),
        tag_para("if toc"),
        para("Normal", ""),
        tag_para("endif"),
        tag_para("for note in editor_note"),
        para("JbEditorNote",
             run("{% if loop.first %}编者按：{% endif %}", '<w:rStyle w:val="JbEditorNoteLabel"/>')
             + run("{{ note }}")),
        tag_para("endfor"),
        para("Normal", run("{{ body }}")),
    ]


def footer_table() -> str:
    """The 报尾: thick first and last rules, thin rules between lines."""
    def row(content: str) -> str:
        return (f'<w:tr><w:tc><w:tcPr><w:tcW w:w="{TYPE_WIDTH}" w:type="dxa"/></w:tcPr>'
                f'{content}</w:tc></w:tr>')

    def tag_row(tag: str) -> str:
        return row(para("JbFooterBlock", run("{%tr " + tag + " %}")))

    copies = run("{% if copies %}") + TAB + run("共印{{ copies }}份") + run("{% endif %}")
    rows = [
        tag_row("for line in footer"),
        row(para("JbFooterBlock", run("{{ line.label }}：{{ line.text }}")
                 + run("{% if loop.last and copies_on_last_line %}") + TAB
                 + run("共印{{ copies }}份") + run("{% endif %}"))),
        tag_row("endfor"),
        tag_row("if staff_line"),
        row(para("JbFooterBlock", run("{{ staff_line }}"))),
        tag_row("endif"),
        # The print line, or the print count when it does not fit on the last line.
        tag_row("if print_line or (copies and not copies_on_last_line)"),
        row(para("JbFooterBlock", run("{{ print_line }}") + copies)),
        tag_row("endif"),
    ]
    # Word wants a paragraph after a table; keep it one point high.
    return ruled_table(rows) + para("JbFooterBlock", "", '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>')


def ruled_table(rows: list[str]) -> str:
    """A one-column table of the type width: thick first and last rules (1 pt), thin ones between."""
    borders = ('<w:tblBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
               '<w:left w:val="nil"/><w:bottom w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
               '<w:right w:val="nil"/><w:insideH w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
               '<w:insideV w:val="nil"/></w:tblBorders>')
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{TYPE_WIDTH}" w:type="dxa"/><w:jc w:val="center"/>{borders}'
            '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/>'
            '<w:right w:w="0" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr>'
            f'<w:tblGrid><w:gridCol w:w="{TYPE_WIDTH}"/></w:tblGrid>{"".join(rows)}</w:tbl>')


SHAPE_NAMESPACES = {
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "w10": "urn:schemas-microsoft-com:office:word",
}
FOOTER_BOX_ID = 1001  # wp:docPr id; python-docx numbers pictures after the highest id


def footer_anchor() -> str:
    """A text box at the bottom of the type area of the last page, holding the 报尾."""
    return text_box(footer_table(), TYPE_WIDTH * 635, int(Mm(40)), "版记", FOOTER_BOX_ID, "FooterBlock")


def text_box(table: str, cx: int, cy: int, name: str, box_id: int, vml_id: str, top: int | None = None) -> str:
    """A paragraph anchoring a text box of the type width, holding `table`: at the
    bottom of the type area, or `top` EMU below the page's top edge.

    Written as Word writes a text box: a DrawingML shape (`mc:Choice Requires="wps"`)
    for Word 2010+, WPS and LibreOffice, and the same box in VML (`mc:Fallback`) for
    Word 2007, pandoc and mammoth, which skip the choice they do not understand."""
    content = f"<w:txbxContent>{table}</w:txbxContent>"
    if top is None:
        position_v = '<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>'
        vml_top, vml_v = "0", "mso-position-vertical:bottom;mso-position-vertical-relative:margin"
    else:
        position_v = f'<wp:positionV relativeFrom="page"><wp:posOffset>{top}</wp:posOffset></wp:positionV>'
        vml_top, vml_v = f"{top / 12700:g}pt", "mso-position-vertical-relative:page"
    drawing = f'''<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0"
 simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="0">
<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>
{position_v}
<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>
<wp:docPr id="{box_id}" name="{name}"/><wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp><wps:cNvSpPr txBox="1"/>
<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>
<a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>
<wps:txbx>{content}</wps:txbx>
<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b"><a:spAutoFit/></wps:bodyPr>
</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>'''
    # The VML box: same size and place; its height is updated with the DrawingML one.
    style = (f"position:absolute;margin-left:0;margin-top:{vml_top};width:{cx / 12700:g}pt;height:{cy / 12700:g}pt;"
             "z-index:251659264;visibility:visible;mso-wrap-style:square;"
             "mso-wrap-distance-left:0;mso-wrap-distance-top:0;mso-wrap-distance-right:0;"
             "mso-wrap-distance-bottom:0;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
             f"{vml_v};v-text-anchor:bottom")
    pict = ('<w:pict><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
            'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
            '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
            f'<v:shape id="{vml_id}" o:spid="_x0000_s1026" type="#_x0000_t202" style="{style}" '
            'filled="f" stroked="f"><v:textbox style="mso-fit-shape-to-text:t" inset="0,0,0,0">'
            f'{content}</v:textbox><w10:wrap type="topAndBottom" anchorx="margin" anchory="{"margin" if top is None else "page"}"/>'
            '</v:shape></w:pict>')
    namespaces = nsdecls("wp", "a") + "".join(f' xmlns:{prefix}="{uri}"' for prefix, uri in SHAPE_NAMESPACES.items())
    return para("Normal", f'<w:r><mc:AlternateContent {namespaces}><mc:Choice Requires="wps">{drawing}'
                f'</mc:Choice><mc:Fallback>{pict}</mc:Fallback></mc:AlternateContent></w:r>'.replace("\n", ""),
                '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>' + NO_INDENT)


def page_number_paragraph(align: str, style_id: str = "JbPageNumber") -> str:
    """`— N —` with a PAGE field; odd pages right, even pages left, one character in."""
    indent = f'<w:ind w:{"right" if align == "right" else "left"}="{PT14}"/>'
    return para(style_id, run("— ") + PAGE_FIELD_XML + run(" —"), indent + f'<w:jc w:val="{align}"/>')


def build() -> bytes:
    doc = new_document(STYLES, body_paragraphs() + [footer_anchor()])
    return finish(doc, "简报模板", "字段说明：{{ series_name }} 刊名，{{ number_line }} 期号，{{ office }} 编印单位，"
                  "{{ date }} 日期，{{ body }} 所在段落由稿件替换；报尾在页面底部的文本框内。")


def new_document(style_xml: list[str], paragraphs: list[str], page_number_style: str = "JbPageNumber") -> Document:
    """A document with the page, grid, fonts and styles of FORMAT.md §2, the given body
    paragraphs and `— N —` page numbers; shared by the 简报 and 公文 templates."""
    doc = Document()
    styles = doc.styles.element
    # Theme fonts override explicit names (FORMAT §9): defaults name the fonts outright.
    defaults = styles.find(qn("w:docDefaults"))
    styles.remove(defaults)
    styles.insert(0, parse_xml(
        f'<w:docDefaults {W}><w:rPrDefault><w:rPr>{fonts(FANGSONG)}{size(16)}{LANG}</w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        '</w:pPrDefault></w:docDefaults>'))
    normal = doc.styles["Normal"].element
    for child in list(normal):
        if child.tag in (qn("w:pPr"), qn("w:rPr")):
            normal.remove(child)
    normal.append(parse_xml(
        # No hanging punctuation in Word (LibreOffice 7.4 hangs it regardless).
        f'<w:pPr {W}><w:overflowPunct w:val="0"/><w:adjustRightInd w:val="0"/><w:snapToGrid w:val="0"/>'
        f'<w:spacing w:before="0" w:after="0" w:line="{LINE}" w:lineRule="exact"/>'
        f'<w:ind w:firstLine="{2 * PT16}" w:firstLineChars="200"/><w:jc w:val="both"/></w:pPr>'))
    # 16 pt less 0.25 pt of tracking puts 28 characters on a 156 mm line.
    normal.append(parse_xml(f'<w:rPr {W}>{fonts(FANGSONG)}<w:color w:val="000000"/>'
                            f'<w:spacing w:val="-5"/>{size(16)}{LANG}</w:rPr>'))
    for xml in style_xml:
        styles.append(parse_xml(xml))
    _strip_theme_fonts(styles)
    sort_properties(styles)

    body = doc.element.body
    sect_pr = body.find(qn("w:sectPr"))
    for p in doc.paragraphs:
        body.remove(p._p)
    for xml in paragraphs:
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
    replace_footer(section.footer, parse_xml(page_number_paragraph("right", page_number_style)))
    replace_footer(section.even_page_footer, parse_xml(page_number_paragraph("left", page_number_style)))
    return doc


def finish(doc: Document, title: str, comments: str) -> bytes:
    """Schema order, font table, settings and properties; the template's bytes."""
    sort_properties(doc.element)
    _add_font_fallbacks(doc)
    _set_settings(doc)
    _drop_python_docx_leftovers(doc)
    _set_app_properties(doc)

    core = doc.core_properties
    core.title, core.author, core.last_modified_by = title, "briefings", "briefings"
    core.comments = comments
    core.created = core.modified = dt.datetime(2024, 1, 1)
    core.revision = 1
    buffer = BytesIO()
    doc.save(buffer)
    return normalize_zip(buffer.getvalue(), dt.datetime(2024, 1, 1))


def _strip_theme_fonts(styles) -> None:
    for rfonts in styles.iter(qn("w:rFonts")):
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            rfonts.attrib.pop(qn(f"w:{attr}"), None)


def _add_font_fallbacks(doc) -> None:
    font_part = next(rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable"))
    root = parse_xml(font_part.blob)
    for name, (alt, panose, family, pitch, sig) in FONT_TABLE.items():
        root.append(parse_xml(
            f'<w:font {W} w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/>'
            f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/>'
            f'<w:sig {sig}/></w:font>'))
    font_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_settings(doc) -> None:
    """Word 2013+ layout (no 【兼容模式】), Chinese theme fonts, no preview picture."""
    settings = doc.settings.element
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
    settings.find(qn("w:themeFontLang")).set(qn("w:eastAsia"), "zh-CN")
    settings.remove(settings.find(qn("w:savePreviewPicture")))
    # ECMA-376 1st edition requires w:percent (Word always writes it).
    settings.find(qn("w:zoom")).set(qn("w:percent"), "100")


def _drop_python_docx_leftovers(doc) -> None:
    """python-docx's default document carries a stale stylesWithEffects.xml (none of
    our styles; Word 2010 lays out from it) and a blank-page thumbnail (what Explorer
    and WPS show as the preview). Dropping the relationship drops the part and its
    content type."""
    for rels in (doc.part.rels, doc.part.package.rels):
        for rel_id, rel in list(rels.items()):
            if rel.reltype.endswith(("/stylesWithEffects", "/metadata/thumbnail")):
                rels.pop(rel_id)


def _set_app_properties(doc) -> None:
    """docProps/app.xml names this project, not "Microsoft Macintosh Word"."""
    app = next(rel.target_part for rel in doc.part.package.rels.values()
               if rel.reltype.endswith("/extended-properties"))
    app._blob = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>{APPLICATION}</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged></Properties>").encode("utf-8")


if __name__ == "__main__":
    OUT.write_bytes(build())
    print(f"wrote {OUT}")
