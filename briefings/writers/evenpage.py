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

from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..docxutil import set_property


def last_block_on_even_page(doc, block) -> None:
    """End a section just before `block` (a w:p of the body); the rest starts on an even page."""
    body = doc.element.body
    final = body.find(qn("w:sectPr"))
    end = OxmlElement("w:p")
    ppr = end.get_or_add_pPr()
    spacing = OxmlElement("w:spacing")  # the section's end mark takes one point, not a line
    for key, value in (("before", "0"), ("after", "0"), ("line", "20"), ("lineRule", "exact")):
        spacing.set(qn(f"w:{key}"), value)
    set_property(ppr, spacing)
    set_property(ppr, copy.deepcopy(final))  # the text keeps its page-number footers
    block.addprevious(end)
    for reference in final.findall(qn("w:headerReference")) + final.findall(qn("w:footerReference")):
        final.remove(reference)
    last = doc.sections[-1]
    last.start_type = WD_SECTION.EVEN_PAGE
    last.footer.is_linked_to_previous = False
    last.even_page_footer.is_linked_to_previous = False
