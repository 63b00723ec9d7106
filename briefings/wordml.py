"""WordprocessingML elements made with lxml, as python-docx makes them.

The DOCX writers build the document tree directly (python-docx's object layer
and its import cost more than the writing). Each helper here produces the
same elements python-docx would for the same call (a run's text split at
tabs and newlines, an empty w:pPr for the default style, a picture's
w:drawing), so documents keep their bytes.
"""

from __future__ import annotations

from .docxpackage import PARSER, parse_xml
from .docxutil import set_property

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "xml": "http://www.w3.org/XML/1998/namespace",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
_W = "{%s}" % NS["w"]
_TRUE = ("1", "true", "on")


def qn(tag: str) -> str:
    """`w:p` → `{namespace}p`."""
    prefix, name = tag.split(":")
    return f"{{{NS[prefix]}}}{name}"


def nsdecls(*prefixes: str) -> str:
    return " ".join(f'xmlns:{prefix}="{NS[prefix]}"' for prefix in prefixes)


def el(tag: str, **attrs: str):
    """A new element, its attributes in the w: namespace (`el("w:jc", val="center")`)."""
    prefix = tag.split(":")[0]
    element = PARSER.makeelement(qn(tag), nsmap={prefix: NS[prefix]})
    for name, value in attrs.items():
        element.set(_W + name, value)
    return element


class Length(int):
    """A length in EMU (python-docx's Length): 914400 to the inch."""

    @property
    def pt(self) -> float:
        return self / 12700.0

    @property
    def mm(self) -> float:
        return self / 36000.0

    @property
    def twips(self) -> int:
        return int(round(self / 635.0))


def Emu(value) -> Length:
    return Length(int(value))


def Pt(points: float) -> Length:
    return Length(int(points * 12700))


def Mm(mm: float) -> Length:
    return Length(int(mm * 36000))


# Paragraphs and runs ---------------------------------------------------------------


def get_or_add(parent, tag: str, first: bool = False):
    child = parent.find(qn(tag))
    if child is None:
        child = el(tag)
        if first:
            parent.insert(0, child)
        else:
            set_property(parent, child)
    return child


def p_pr(p):
    return get_or_add(p, "w:pPr", first=True)


def r_pr(r):
    return get_or_add(r, "w:rPr", first=True)


def set_style(p_or_r, style_id: str | None) -> None:
    """w:pStyle / w:rStyle first in the properties; none for the default style (its
    properties element stays, empty, as python-docx leaves it)."""
    paragraph = p_or_r.tag == _W + "p"
    props = p_pr(p_or_r) if paragraph else r_pr(p_or_r)
    tag = "w:pStyle" if paragraph else "w:rStyle"
    for old in props.findall(qn(tag)):
        props.remove(old)
    if style_id is not None:
        props.insert(0, el(tag, val=style_id))


def add_run(p, text: str | None = None):
    r = el("w:r")
    p.append(r)
    if text:
        add_text(r, text)
    return r


def add_text(r, text: str) -> None:
    """Text into a run: tabs become w:tab, line ends w:br, the rest w:t."""
    buffer: list[str] = []

    def flush() -> None:
        chunk = "".join(buffer)
        if chunk:
            t = el("w:t")
            t.text = chunk
            r.append(t)
            if len(chunk.strip()) < len(chunk):
                t.set(qn("xml:space"), "preserve")
        buffer.clear()

    for char in text:
        if char == "\t":
            flush()
            r.append(el("w:tab"))
        elif char in "\r\n":
            flush()
            r.append(el("w:br"))
        else:
            buffer.append(char)
    flush()


def set_flag(r, tag: str, **attrs: str) -> None:
    """A run property such as w:b or w:u, in schema order."""
    props = r_pr(r)
    existing = props.find(qn(tag))
    if existing is None:
        set_property(props, el(tag, **attrs))
    else:
        for name, value in attrs.items():
            existing.set(_W + name, value)


def runs(p) -> list:
    return p.findall(_W + "r")


_TEXT_OF = {_W + "t": None, _W + "tab": "\t", _W + "ptab": "\t", _W + "cr": "\n", _W + "noBreakHyphen": "-"}


def run_text(r) -> str:
    parts = []
    for child in r:
        tag = child.tag
        if tag == _W + "br":
            parts.append("\n" if child.get(_W + "type", "textWrapping") == "textWrapping" else "")
        elif tag in _TEXT_OF:
            parts.append(child.text or "" if _TEXT_OF[tag] is None else _TEXT_OF[tag])
    return "".join(parts)


def paragraph_text(p) -> str:
    """The paragraph's text as python-docx reads it (runs and hyperlinks)."""
    parts = []
    for child in p:
        if child.tag == _W + "r":
            parts.append(run_text(child))
        elif child.tag == _W + "hyperlink":
            parts.extend(run_text(r) for r in child.findall(_W + "r"))
    return "".join(parts)


def is_bold(r) -> bool | None:
    props = r.find(_W + "rPr")
    b = props.find(_W + "b") if props is not None else None
    if b is None:
        return None
    return b.get(_W + "val", "true").lower() in _TRUE


# Styles ----------------------------------------------------------------------------


def style_table(styles) -> list[tuple[str | None, str | None, str, bool]]:
    """Each w:style of a w:styles element as (name, id, type, marked default), in order."""
    rows = []
    for style in styles.iterchildren(_W + "style"):
        name = style.find(_W + "name")
        rows.append((name.get(_W + "val") if name is not None else None, style.get(_W + "styleId"),
                     style.get(_W + "type", "paragraph"), style.get(_W + "default", "").lower() in _TRUE))
    return rows


class Styles:
    """A document's styles by name and id, from its style table (python-docx scanned the
    styles on every lookup); the styles part itself is read only when a style's
    properties are asked for (`find`)."""

    def __init__(self, part, table: list | None = None):
        self.part = part
        rows = style_table(part.element) if table is None else table
        self.rows = rows
        self.by_name: dict[str, int] = {}
        self.by_id: dict[str, int] = {}
        self.defaults: dict[str, int] = {}  # style type → its default style (the last one marked)
        for index, (name, sid, kind, default) in enumerate(rows):
            if name is not None:
                self.by_name.setdefault(name, index)
            self.by_id.setdefault(sid, index)
            if default:
                self.defaults[kind] = index

    def _index(self, name: str) -> int:
        """The style named `name` (or, failing that, with that id), as python-docx's styles[name]."""
        index = self.by_name.get(_ALIASES.get(name, name))
        if index is None:
            index = self.by_id.get(name)
        if index is None:
            raise KeyError(f"no style with name '{name}'")
        return index

    def find(self, name: str):
        """The w:style element named `name`."""
        return list(self.part.element.iterchildren(_W + "style"))[self._index(name)]

    def style_id(self, name: str | None) -> str | None:
        """The id to write in w:pStyle/w:rStyle; None for no style or the type's default
        style (as python-docx does)."""
        if name is None:
            return None
        index = self._index(name)
        kind = self.rows[index][2]
        return None if self.defaults.get(kind) == index else self.rows[index][1]


_ALIASES = {"Caption": "caption", "Footer": "footer", "Header": "header",
            **{f"Heading {n}": f"heading {n}" for n in range(1, 10)}}


# Pictures --------------------------------------------------------------------------

_INLINE = (
    f'<wp:inline {nsdecls("wp", "a", "pic", "r")}><wp:extent cx="914400" cy="914400"/>'
    '<wp:docPr id="666" name="unnamed"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/>'
    '</wp:cNvGraphicFramePr><a:graphic><a:graphicData uri="URI not set"/></a:graphic></wp:inline>'
)
_PIC = (
    f'<pic:pic {nsdecls("pic", "a", "r")}><pic:nvPicPr><pic:cNvPr id="666" name="unnamed"/><pic:cNvPicPr/>'
    '</pic:nvPicPr><pic:blipFill><a:blip/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr>'
    '<a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm><a:prstGeom prst="rect"/>'
    '</pic:spPr></pic:pic>'
)


def picture_inline(shape_id: int, rel_id: str, filename: str, cx: int, cy: int):
    """A wp:inline showing the picture of relationship `rel_id` at cx × cy EMU."""
    inline = parse_xml(_INLINE)
    extent = inline.find(qn("wp:extent"))
    extent.set("cx", str(cx))
    extent.set("cy", str(cy))
    doc_pr = inline.find(qn("wp:docPr"))
    doc_pr.set("id", str(shape_id))
    doc_pr.set("name", f"Picture {shape_id}")
    data = inline.find(f"{qn('a:graphic')}/{qn('a:graphicData')}")
    data.set("uri", "http://schemas.openxmlformats.org/drawingml/2006/picture")
    pic = parse_xml(_PIC)
    c_nv_pr = pic.find(f"{qn('pic:nvPicPr')}/{qn('pic:cNvPr')}")
    c_nv_pr.set("id", "0")
    c_nv_pr.set("name", filename)
    pic.find(f"{qn('pic:blipFill')}/{qn('a:blip')}").set(qn("r:embed"), rel_id)
    ext = pic.find(f"{qn('pic:spPr')}/{qn('a:xfrm')}/{qn('a:ext')}")
    ext.set("cx", str(cx))
    ext.set("cy", str(cy))
    data.append(pic)
    return inline


def next_shape_id(document) -> int:
    """One more than the largest numeric `id` attribute in the document (python-docx's next_id)."""
    used = [int(value) for value in document.xpath("//@id") if value.isdigit()]
    return max(used) + 1 if used else 1


# The document ----------------------------------------------------------------------

class Document:
    """A DOCX package and its main document, as the writers change it."""

    def __init__(self, package, style_table: list | None = None):
        from .docxpackage import RT_STYLES

        self.package = package
        self.part = package.main
        self.element = self.part.element
        self.styles = Styles(self.part.rels.part(RT_STYLES), style_table)

    @property
    def body(self):
        return self.element.find(_W + "body")

    @property
    def paragraphs(self) -> list:
        return self.body.findall(_W + "p")

    def style_id(self, name: str | None) -> str | None:
        return self.styles.style_id(name)

    def add_picture(self, r, data: bytes, cx: int, cy: int):
        """The picture inline in run `r` (a w:drawing), its part shared by equal pictures."""
        from .docxpackage import RT_IMAGE, image_type

        rel_id = self.part.rels.relate(RT_IMAGE, self.package.image_part(data))
        inline = picture_inline(next_shape_id(self.element), rel_id, f"image.{image_type(data)[0]}", cx, cy)
        drawing = el("w:drawing")
        r.append(drawing)
        drawing.append(inline)
        return inline

    def link(self, href: str) -> str:
        from .docxpackage import RT_HYPERLINK

        return self.part.rels.relate_external(RT_HYPERLINK, href)
