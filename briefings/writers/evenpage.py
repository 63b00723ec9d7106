"""Put a document's last block (the 报尾/版记) on an even page of its own.

Word cannot say "this page must be even" of a paragraph, but a section can
start on the next even page: Word and LibreOffice then insert a blank page
when the text ends on an even page. The new section gets empty footers, so
neither the blank page nor the footer page carries a page number (FORMAT.md §2,
GONGWEN.md §1). The 公文 template is built this way; a 简报 series asks for it
with `distribution.even_page: true`.
"""

from __future__ import annotations

import copy

from ..docxpackage import CT_FOOTER, RT_FOOTER, Part, parse_xml
from ..docxutil import set_property
from ..wordml import Document, el, p_pr, qn

# python-docx's new footer part: one empty paragraph in the Footer style (replaced or kept).
_NEW_FOOTER = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<w:ftr xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    b'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    b'xmlns:mo="http://schemas.microsoft.com/office/mac/office/2008/main" xmlns:mv="urn:schemas-microsoft-com:mac:vml" '
    b'xmlns:o="urn:schemas-microsoft-com:office:office" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    b'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w10="urn:schemas-microsoft-com:office:word" '
    b'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    b'xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml" '
    b'xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" '
    b'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    b'xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" '
    b'xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" '
    b'xmlns:wpi="http://schemas.microsoft.com/office/word/2010/wordprocessingInk" '
    b'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" mc:Ignorable="w14 wp14">'
    b'<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr></w:p></w:ftr>'
)


def add_footer(doc: Document, sect, kind: str):
    """A new footer part of `kind` (default, even) for the section `sect`; its w:ftr element."""
    part = Part(doc.package.next_partname("/word/footer%d.xml"), CT_FOOTER, element=parse_xml(_NEW_FOOTER))
    reference = el("w:footerReference")
    reference.set(qn("w:type"), kind)
    reference.set(qn("r:id"), doc.part.rels.relate(RT_FOOTER, part))
    set_property(sect, reference)
    return part.element


def last_block_on_even_page(doc: Document, block) -> None:
    """End a section just before `block` (a w:p of the body); the rest starts on an even page."""
    body = doc.body
    final = body.find(qn("w:sectPr"))
    end = el("w:p")
    ppr = p_pr(end)
    # The section's end mark takes one point, not a line.
    spacing = el("w:spacing", before="0", after="0", line="20", lineRule="exact")
    set_property(ppr, spacing)
    set_property(ppr, copy.deepcopy(final))  # the text keeps its page-number footers
    block.addprevious(end)
    for reference in final.findall(qn("w:headerReference")) + final.findall(qn("w:footerReference")):
        final.remove(reference)
    set_property(final, el("w:type", val="evenPage"))
    add_footer(doc, final, "default")
    add_footer(doc, final, "even")
