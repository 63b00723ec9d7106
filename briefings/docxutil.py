"""Small helpers for DOCX packages: deterministic zips, properties in schema order."""

from __future__ import annotations

import datetime as dt
import io
import zipfile


def normalize_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite a DOCX zip with fixed timestamps, so equal inputs give equal bytes."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def save_docx(doc, when: dt.datetime) -> bytes:
    """The document (wordml.Document) as DOCX bytes with fixed timestamps: same document, same bytes."""
    return doc.package.save(when)


# Schema order of property children (ECMA-376 Part 1, Transitional XSD: CT_PPrBase
# + CT_PPr, CT_RPr, CT_TblPr, CT_TcPr, CT_SectPr, CT_PBdr, CT_TblBorders).
# Word rejects or silently drops a property out of order, so every place that
# adds a property goes through set_property/sort_properties below.
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SCHEMA_ORDER: dict[str, tuple[str, ...]] = {
    "pPr": ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
            "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
            "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
            "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
            "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
            "rPr", "sectPr", "pPrChange"),
    "rPr": ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
            "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
            "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
            "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath",
            "rPrChange"),
    "tblPr": ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
              "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
              "tblLook", "tblCaption", "tblDescription", "tblPrChange"),
    "tcPr": ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
             "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge",
             "tcPrChange"),
    "sectPr": ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
               "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
               "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange"),
    "pBdr": ("top", "left", "bottom", "right", "between", "bar"),
    "tblBorders": ("top", "left", "start", "bottom", "right", "end", "insideH", "insideV"),
    "tcBorders": ("top", "left", "start", "bottom", "right", "end", "insideH", "insideV", "tl2br", "tr2bl"),
}
# headerReference and footerReference form one choice group: either may come first.
_SAME_RANK = {"footerReference": "headerReference"}
_RANKS = {_W + parent: {_W + name: order.index(_SAME_RANK.get(name, name)) for name in order}
          for parent, order in SCHEMA_ORDER.items()}
# A paragraph mark's rPr (pPr/rPr) and a style's rPr share a run's order; the
# revision marks (ins, del, moveFrom, moveTo) that lead a paragraph mark's rPr are
# never written here.


def _rank(ranks: dict[str, int], element) -> int:
    # Unknown children (extensions) keep their place after the known ones.
    return ranks.get(element.tag, len(ranks))


def set_property(props, child) -> None:
    """Put `child` into a pPr/rPr/tblPr/tcPr/sectPr/… at its schema position,
    replacing a property of the same name (headerReference/footerReference excepted)."""
    ranks = _RANKS[props.tag]
    if child.tag not in (_W + "headerReference", _W + "footerReference"):
        for old in props.findall(child.tag):
            props.remove(old)
    rank = _rank(ranks, child)
    for index, existing in enumerate(props):
        if _rank(ranks, existing) > rank:
            props.insert(index, child)
            return
    props.append(child)


def sort_properties(root) -> None:
    """Reorder the children of every property element under `root` (inclusive) into
    schema order, keeping the relative order of equals (for XML written as text)."""
    for props in root.iter(*_RANKS):
        ranks = _RANKS[props.tag]
        children = list(props)
        ordered = sorted(children, key=lambda child: _rank(ranks, child))
        if ordered != children:
            for child in children:
                props.remove(child)
            props.extend(ordered)


# A PAGE field, showing 1 until the reader lays the pages out (page numbers in footers).
PAGE_FIELD_XML = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                  '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
                  '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                  '<w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')


def replace_footer(footer, *blocks) -> None:
    """Put `blocks` (w:p, w:tbl) in place of a footer's content (a w:ftr, or a python-docx
    footer), properties in schema order."""
    element = getattr(footer, "_element", footer)
    for child in list(element):
        element.remove(child)
    for block in blocks:
        sort_properties(block)
        element.append(block)
