"""Is a DOCX valid for Word? One function any test can call: `docx_problems(path)`.

- Schema and semantic checks of the Open XML SDK (openxml-audit, a pure-Python port,
  Office 2019 rules): ECMA-376 Transitional plus the Office extensions, with markup
  compatibility applied as Word does (the mc:Choice it understands, mc:Ignorable
  content skipped).
- The same checks on the package as an older reader sees it: every
  mc:AlternateContent replaced by its mc:Fallback, so the VML copy of a text box
  (what Word 2007, pandoc and mammoth read) is valid too.
- Independently, when the Ecma schema zip is at hand (ECMA_SCHEMAS, not shipped:
  the repository holds no copy of Ecma's files), `ecma_xsd_problems(path)` checks
  every WordprocessingML part against the ECMA-376 Transitional XSDs with lxml,
  after markup compatibility as an ECMA-only reader applies it (ignorable content
  dropped, mc:Fallback chosen, since the wps shapes are Office extensions).
- What the schemas do not say: unique wp:docPr ids, every relationship resolves
  (and every r:id used in a part is one of its relationships), every part has a
  content type, complex fields (fldChar begin/separate/end) well nested.
"""

from __future__ import annotations

import io
import os
import posixpath
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
# Ecma's schema zip (ECMA-376 Part 1, Transitional); set OOXML_SCHEMAS to a folder holding it.
# Default: a shared/ooxml-schemas folder beside the checkout or one of its parents.
ECMA_ZIP = "OfficeOpenXML-XMLSchema-Transitional.zip"
ECMA_SCHEMAS = Path(os.environ["OOXML_SCHEMAS"]) / ECMA_ZIP if "OOXML_SCHEMAS" in os.environ else next(
    (folder / "shared" / "ooxml-schemas" / ECMA_ZIP for folder in Path(__file__).resolve().parents
     if (folder / "shared" / "ooxml-schemas" / ECMA_ZIP).exists()), Path("shared/ooxml-schemas") / ECMA_ZIP)
# Parts holding WordprocessingML story text (body, headers, footers, notes).
STORY_PARTS = ("word/document.xml", "word/header", "word/footer", "word/footnotes.xml", "word/endnotes.xml")


def docx_problems(path: str | Path) -> list[str]:
    """Every problem found, one readable line each; [] for a valid DOCX."""
    data = Path(path).read_bytes()
    problems = _audit(data, "office2019", "")
    # Report what only the fallback view adds, not every problem twice.
    problems += [p for p in _audit(_fallback_package(data), "office2019", "[mc:Fallback] ")
                 if p.removeprefix("[mc:Fallback] ") not in problems]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        problems += _content_type_problems(package)
        problems += _relationship_problems(package)
        for name in package.namelist():
            if name.startswith(STORY_PARTS) and name.endswith(".xml"):
                root = etree.fromstring(package.read(name))
                problems += [f"{name}: {p}" for p in _field_problems(root)]
        problems += _doc_pr_problems(package)
    return problems


def _audit(data: bytes, file_format: str, prefix: str) -> list[str]:
    """openxml-audit's findings (schema, semantic, package, Word app-compat)."""
    from openxml_audit import FileFormat, OpenXmlValidator

    validator = OpenXmlValidator(file_format=FileFormat(file_format), max_errors=0)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "check.docx"
        target.write_bytes(data)
        result = validator.validate(target)
    return [f"{prefix}{error.part_uri}:{error.path}: {error.description}" for error in result.errors]


def _fallback_package(data: bytes) -> bytes:
    """The package with each mc:AlternateContent replaced by its mc:Fallback content."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            blob = source.read(info.filename)
            if info.filename.endswith(".xml") and b"AlternateContent" in blob:
                root = _choose_fallback(etree.fromstring(blob))
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info, blob)
    return out.getvalue()


def _choose_fallback(root):
    """Replace each mc:AlternateContent by its mc:Fallback content, in place."""
    for alternate in list(root.iter(f"{{{MC}}}AlternateContent")):
        fallback = alternate.find(f"{{{MC}}}Fallback")
        parent = alternate.getparent()
        index = parent.index(alternate)
        parent.remove(alternate)
        for offset, child in enumerate(list(fallback) if fallback is not None else []):
            parent.insert(index + offset, child)
    return root


def _content_type_problems(package: zipfile.ZipFile) -> list[str]:
    types = etree.fromstring(package.read("[Content_Types].xml"))
    defaults = {d.get("Extension").lower() for d in types.iter(f"{{{CT}}}Default")}
    overrides = {o.get("PartName").lower() for o in types.iter(f"{{{CT}}}Override")}
    problems = []
    for name in package.namelist():
        if name == "[Content_Types].xml" or name.endswith("/"):
            continue
        extension = name.rsplit(".", 1)[-1].lower()
        if f"/{name}".lower() not in overrides and extension not in defaults:
            problems.append(f"{name}: no content type")
    for part in overrides:
        if part.lstrip("/") not in {n.lower() for n in package.namelist()}:
            problems.append(f"[Content_Types].xml: override for missing part {part}")
    return problems


def _rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def _relationship_problems(package: zipfile.ZipFile) -> list[str]:
    names = set(package.namelist())
    problems = []
    for rels_name in (n for n in names if n.endswith(".rels")):
        source_folder = posixpath.dirname(posixpath.dirname(rels_name))
        source = posixpath.join(source_folder, posixpath.basename(rels_name)[:-5])
        ids = set()
        for rel in etree.fromstring(package.read(rels_name)).iter(f"{{{PR}}}Relationship"):
            ids.add(rel.get("Id"))
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External":
                if not target:
                    problems.append(f"{rels_name}: {rel.get('Id')} has an empty external target")
                continue
            resolved = posixpath.normpath(target.lstrip("/") if target.startswith("/")
                                          else posixpath.join(source_folder, target))
            if resolved not in names:
                problems.append(f"{rels_name}: {rel.get('Id')} points at missing part {resolved}")
        if source.endswith(".xml") and source in names:
            used = {value for element in etree.fromstring(package.read(source)).iter()
                    for key, value in element.attrib.items() if key.startswith(f"{{{R}}}")}
            problems += [f"{source}: r:id {rel_id} is not a relationship of the part"
                         for rel_id in sorted(used - ids)]
    return problems


def _field_problems(root) -> list[str]:
    """Complex fields nest as begin, instruction, separate (optional), result, end."""
    problems, stack = [], []  # stack of "instr" / "result" states, one per open field
    for element in root.iter(f"{{{W}}}fldChar", f"{{{W}}}instrText", f"{{{W}}}fldSimple"):
        name = etree.QName(element).localname
        if name == "fldSimple":
            if not (element.get(f"{{{W}}}instr") or "").strip():
                problems.append("w:fldSimple without an instruction")
            continue
        if name == "instrText":
            if not stack or stack[-1] != "instr":
                problems.append("w:instrText outside a field instruction")
            continue
        kind = element.get(f"{{{W}}}fldCharType")
        if kind == "begin":
            stack.append("instr")
        elif kind == "separate":
            if not stack or stack[-1] != "instr":
                problems.append("w:fldChar separate without begin")
            else:
                stack[-1] = "result"
        elif kind == "end":
            if not stack:
                problems.append("w:fldChar end without begin")
            else:
                stack.pop()
    problems += ["field not closed"] * len(stack)
    return problems


def _doc_pr_problems(package: zipfile.ZipFile) -> list[str]:
    """wp:docPr ids are unique across the document (Word repairs the file otherwise)."""
    seen: dict[str, str] = {}
    problems = []
    for name in package.namelist():
        if not (name.startswith(STORY_PARTS) and name.endswith(".xml")):
            continue
        for doc_pr in etree.fromstring(package.read(name)).iter(f"{{{WP}}}docPr"):
            doc_id = doc_pr.get("id")
            if not (doc_id or "").isdigit() or int(doc_id) < 1:
                problems.append(f"{name}: wp:docPr id {doc_id!r} is not a positive number")
            elif doc_id in seen:
                problems.append(f"{name}: wp:docPr id {doc_id} also used in {seen[doc_id]}")
            else:
                seen[doc_id] = name
    return problems


# ECMA-376 XSDs ---------------------------------------------------------------

# The parts an ECMA schema describes, and the schema file of their root element.
_XSD_IMPORTS = {
    "http://www.w3.org/XML/1998/namespace": "xml.xsd",
    W: "wml.xsd",
    "urn:schemas-microsoft-com:vml": "vml-main.xsd",
    "urn:schemas-microsoft-com:office:office": "vml-officeDrawing.xsd",
    "urn:schemas-microsoft-com:office:word": "vml-wordprocessingDrawing.xsd",
    WP: "dml-wordprocessingDrawing.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/picture": "dml-picture.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties":
        "shared-documentPropertiesExtended.xsd",
}
# xml:space and xml:lang, which the Ecma files import from www.w3.org (no network here).
_XML_XSD = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
 targetNamespace="http://www.w3.org/XML/1998/namespace">
<xs:attribute name="space"><xs:simpleType><xs:restriction base="xs:NCName">
<xs:enumeration value="default"/><xs:enumeration value="preserve"/></xs:restriction></xs:simpleType></xs:attribute>
<xs:attribute name="lang" type="xs:language"/></xs:schema>"""
_schema = None


def _ecma_schema():
    global _schema
    if _schema is None:
        folder = Path(tempfile.mkdtemp(prefix="ecma-xsd-"))
        with zipfile.ZipFile(ECMA_SCHEMAS) as schemas:
            schemas.extractall(folder)
        (folder / "xml.xsd").write_text(_XML_XSD, encoding="utf-8")
        imports = "".join(f'<xs:import namespace="{ns}" schemaLocation="{name}"/>' for ns, name in _XSD_IMPORTS.items())
        (folder / "all.xsd").write_text(
            f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>', encoding="utf-8")
        _schema = etree.XMLSchema(etree.parse(str(folder / "all.xsd")))
    return _schema


def _ecma_view(root):
    """Markup compatibility for a reader that knows only ECMA-376 namespaces."""
    ignorable = set()
    for element in root.iter():
        prefixes = element.attrib.pop(f"{{{MC}}}Ignorable", None)
        if prefixes:
            ignorable |= {element.nsmap.get(prefix) for prefix in prefixes.split()}
    _choose_fallback(root)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if etree.QName(element).namespace in ignorable:
            element.getparent().remove(element)
            continue
        for name in [a for a in element.attrib if a.startswith("{") and a[1:].split("}")[0] in ignorable]:
            del element.attrib[name]
    return root


def ecma_xsd_problems(path: str | Path) -> list[str]:
    """Every WordprocessingML part and docProps/app.xml against the ECMA-376 Transitional XSDs."""
    schema = _ecma_schema()
    problems = []
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            described = name == "docProps/app.xml" or (
                name.startswith("word/") and name.endswith(".xml") and "/theme/" not in name)
            if not described:
                continue
            root = _ecma_view(etree.fromstring(package.read(name)))
            if not schema.validate(etree.ElementTree(root)):
                problems += [f"{name}:{error.line}: {error.message}" for error in schema.error_log]
    return problems
