"""A DOCX package (OPC zip) read and written with lxml and zipfile.

What python-docx's package layer does for the writers, without its object
layer (importing python-docx costs more than writing a whole issue): parts
reached from the package relationships, each part's relationships, the
content types, and a deterministic zip. Parts, relationships and content
types are written exactly as python-docx writes them, so a document keeps
its bytes whichever of the two made it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import posixpath
import re
import zipfile

from lxml import etree

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_IMAGE = _RT + "image"
RT_FOOTER = _RT + "footer"
RT_HYPERLINK = _RT + "hyperlink"
RT_OFFICE_DOCUMENT = _RT + "officeDocument"
RT_STYLES = _RT + "styles"
RT_CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"

_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
CT_DOCUMENT = _WML + "document.main+xml"
CT_FOOTER = _WML + "footer+xml"
CT_FOOTNOTES = _WML + "footnotes+xml"
CT_CORE_PROPERTIES = "application/vnd.openxmlformats-package.core-properties+xml"
# The parts python-docx parses (and so writes back re-serialised); others keep their bytes.
XML_PARTS = frozenset({
    CT_CORE_PROPERTIES, CT_DOCUMENT, CT_FOOTER, _WML + "header+xml", _WML + "comments+xml",
    _WML + "numbering+xml", _WML + "settings+xml", _WML + "styles+xml",
})
# (extension, content type) pairs written as a Default rather than an Override (as python-docx does).
DEFAULT_CONTENT_TYPES = frozenset({
    ("bin", "application/vnd.openxmlformats-officedocument.presentationml.printerSettings"),
    ("bin", "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"),
    ("bin", "application/vnd.openxmlformats-officedocument.wordprocessingml.printerSettings"),
    ("bmp", "image/bmp"), ("emf", "image/x-emf"), ("fntdata", "application/x-fontdata"),
    ("gif", "image/gif"), ("jpe", "image/jpeg"), ("jpeg", "image/jpeg"), ("jpg", "image/jpeg"),
    ("png", "image/png"), ("rels", "application/vnd.openxmlformats-package.relationships+xml"),
    ("tif", "image/tiff"), ("tiff", "image/tiff"), ("wdp", "image/vnd.ms-photo"), ("wmf", "image/x-wmf"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("xml", "application/xml"),
})
# Pictures are JPEG or PNG already: deflating them again costs time and saves nothing.
_STORED_SUFFIXES = (".jpeg", ".jpg", ".png", ".gif")

# python-docx's parser: blank text between elements dropped, no entities resolved.
PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def parse_xml(data: bytes | str):
    return etree.fromstring(data, PARSER)


def serialize_part(element) -> bytes:
    return etree.tostring(element, encoding="UTF-8", standalone=True)


class Rel:
    __slots__ = ("rid", "reltype", "target", "external")

    def __init__(self, rid: str, reltype: str, target, external: bool):
        self.rid, self.reltype, self.target, self.external = rid, reltype, target, external


class Rels(dict):
    """One source's relationships by id, in the order read, then added."""

    def __init__(self, base: str):
        super().__init__()
        self.base = base  # the folder targets are relative to

    def relate(self, reltype: str, target: Part) -> str:
        """The id of the relationship to `target`, added if new (python-docx's get_or_add)."""
        for rel in self.values():
            if rel.reltype == reltype and not rel.external and rel.target is target:
                return rel.rid
        return self._add(reltype, target, False)

    def relate_external(self, reltype: str, ref: str) -> str:
        for rel in self.values():
            if rel.reltype == reltype and rel.external and rel.target == ref:
                return rel.rid
        return self._add(reltype, ref, True)

    def _add(self, reltype: str, target, external: bool) -> str:
        rid = next(f"rId{n}" for n in range(1, len(self) + 2) if f"rId{n}" not in self)
        self[rid] = Rel(rid, reltype, target, external)
        return rid

    def part(self, reltype: str) -> Part | None:
        return next((r.target for r in self.values() if r.reltype == reltype and not r.external), None)

    def xml(self) -> bytes:
        root = etree.Element(f"{{{RELS_NS}}}Relationships", nsmap={None: RELS_NS})
        for rel in self.values():
            child = etree.SubElement(root, f"{{{RELS_NS}}}Relationship")
            child.set("Id", rel.rid)
            child.set("Type", rel.reltype)
            child.set("Target", rel.target if rel.external else _relative(rel.target.partname, self.base))
            if rel.external:
                child.set("TargetMode", "External")
        return serialize_part(root)


class Part:
    """A part: its XML element (for the parts python-docx parses, read when first used) or its bytes."""

    def __init__(self, partname: str, content_type: str, blob: bytes | None = None, element=None,
                 xml: bool = False):
        self.partname, self.content_type = partname, content_type
        self.blob, self._element = blob, element
        self.xml = xml or element is not None
        # The bytes read are what serialising their tree gives: an XML part never
        # looked at is written back as it was read, without parsing it.
        self.canonical = False
        self.rels = Rels(posixpath.dirname(partname))

    @property
    def element(self):
        if self._element is None and self.xml:
            self._element = parse_xml(self.blob)
        return self._element

    @element.setter
    def element(self, element) -> None:
        self._element, self.xml = element, True

    def data(self) -> bytes:
        if not self.xml or (self._element is None and self.canonical):
            return self.blob
        return serialize_part(self.element)


class Package:
    """The parts reachable from the package relationships, as python-docx loads them."""

    def __init__(self):
        self.rels = Rels("/")
        self._images: dict[str, Part] | None = None

    @classmethod
    def read(cls, data: bytes, canonical: frozenset[str] = frozenset()) -> Package:
        """The package in `data`; the XML parts named in `canonical` are known to be
        written as lxml serialises them (see canonical_parts)."""
        package = cls()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            defaults, overrides = _content_types(archive.read("[Content_Types].xml"))
            parts: dict[str, Part] = {}

            def load(source_rels: Rels, source_name: str) -> None:
                for rid, reltype, ref, external in _read_rels(archive, source_name):
                    if external:
                        source_rels[rid] = Rel(rid, reltype, ref, True)
                        continue
                    partname = posixpath.normpath(posixpath.join(source_rels.base, ref))
                    part = parts.get(partname)
                    if part is None:
                        content_type = overrides.get(partname.lower()) or defaults[_ext(partname).lower()]
                        xml = content_type in XML_PARTS and reltype != RT_IMAGE
                        part = parts[partname] = Part(partname, content_type, archive.read(partname[1:]), xml=xml)
                        part.canonical = partname in canonical
                        load(part.rels, partname)
                    source_rels[rid] = Rel(rid, reltype, part, False)

            load(package.rels, "/")
        return package

    def parts(self) -> list[Part]:
        """Every part once, depth first along the relationships (python-docx's order)."""
        found: list[Part] = []
        seen: set[int] = set()

        def walk(rels: Rels) -> None:
            for rel in rels.values():
                if rel.external or id(rel.target) in seen:
                    continue
                seen.add(id(rel.target))
                found.append(rel.target)
                walk(rel.target.rels)

        walk(self.rels)
        return found

    @property
    def main(self) -> Part:
        return self.rels.part(RT_OFFICE_DOCUMENT)

    def canonical_parts(self) -> list[str]:
        """The XML parts whose bytes are their serialised tree (a template python-docx wrote)."""
        return [part.partname for part in self.parts()
                if part.xml and serialize_part(part.element) == part.blob]

    def next_partname(self, template: str) -> str:
        names = {part.partname for part in self.parts()}
        return next(template % n for n in range(1, len(names) + 2) if template % n not in names)

    def image_part(self, data: bytes) -> Part:
        """The picture's part, shared by equal pictures (python-docx names it imageN.ext)."""
        if self._images is None:
            self._images = {}
            for part in self.parts():
                for rel in part.rels.values():
                    if rel.reltype == RT_IMAGE and not rel.external:
                        self._images.setdefault(hashlib.sha1(rel.target.blob).hexdigest(), rel.target)
        sha1 = hashlib.sha1(data).hexdigest()
        if sha1 not in self._images:
            ext, content_type = image_type(data)
            used = {_index(part.partname) for part in self._images.values()}
            n = next(n for n in range(1, len(self._images) + 2) if n not in used)
            self._images[sha1] = Part(f"/word/media/image{n}.{ext}", content_type, blob=data)
        return self._images[sha1]

    def save(self, when: dt.datetime) -> bytes:
        """The package as a zip with fixed timestamps: equal documents, equal bytes."""
        stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
        parts = self.parts()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            def write(name: str, data: bytes) -> None:
                entry = zipfile.ZipInfo(name, date_time=stamp)
                stored = name.lower().endswith(_STORED_SUFFIXES)
                entry.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                archive.writestr(entry, data)

            write("[Content_Types].xml", _content_types_xml(parts))
            write("_rels/.rels", self.rels.xml())
            for part in parts:
                write(part.partname[1:], part.data())
                if part.rels:
                    folder, name = posixpath.split(part.partname)
                    write(f"{folder[1:]}/_rels/{name}.rels".lstrip("/"), part.rels.xml())
        return buffer.getvalue()


def _ext(partname: str) -> str:
    return posixpath.splitext(partname)[1][1:]


def _index(partname: str) -> int | None:
    """The number in a part's name (image12.png → 12), as python-docx reads it."""
    match = re.match(r"([a-zA-Z]+)([1-9][0-9]*)?", posixpath.splitext(posixpath.basename(partname))[0])
    return int(match.group(2)) if match and match.group(2) else None


def _relative(partname: str, base: str) -> str:
    return partname[1:] if base == "/" else posixpath.relpath(partname, base)


def image_type(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", "image/png"
    if data.startswith(b"\xff\xd8"):
        return "jpg", "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif", "image/gif"
    raise ValueError("picture is not PNG, JPEG or GIF")


def _content_types(data: bytes) -> tuple[dict[str, str], dict[str, str]]:
    root = parse_xml(data)
    defaults = {e.get("Extension").lower(): e.get("ContentType") for e in root.iter(f"{{{CT_NS}}}Default")}
    overrides = {e.get("PartName").lower(): e.get("ContentType") for e in root.iter(f"{{{CT_NS}}}Override")}
    return defaults, overrides


def _read_rels(archive: zipfile.ZipFile, source: str):
    folder, name = posixpath.split(source)
    member = "_rels/.rels" if source == "/" else f"{folder[1:]}/_rels/{name}.rels".lstrip("/")
    try:
        data = archive.read(member)
    except KeyError:
        return
    for rel in parse_xml(data).iter(f"{{{RELS_NS}}}Relationship"):
        yield rel.get("Id"), rel.get("Type"), rel.get("Target"), rel.get("TargetMode") == "External"


def _content_types_xml(parts: list[Part]) -> bytes:
    defaults = {"rels": "application/vnd.openxmlformats-package.relationships+xml", "xml": "application/xml"}
    overrides = {}
    for part in parts:
        ext = _ext(part.partname)
        if (ext.lower(), part.content_type) in DEFAULT_CONTENT_TYPES:
            defaults[ext.lower()] = part.content_type
        else:
            overrides[part.partname] = part.content_type
    root = etree.Element(f"{{{CT_NS}}}Types", nsmap={None: CT_NS})
    for ext in sorted(defaults):
        child = etree.SubElement(root, f"{{{CT_NS}}}Default")
        child.set("Extension", ext)
        child.set("ContentType", defaults[ext])
    for partname in sorted(overrides):
        child = etree.SubElement(root, f"{{{CT_NS}}}Override")
        child.set("PartName", partname)
        child.set("ContentType", overrides[partname])
    return serialize_part(root)
