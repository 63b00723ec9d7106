"""Is a DOCX valid for Word? One function any test can call: `docx_problems(path)`.

- Schema and semantic checks of the Open XML SDK (openxml-audit, a pure-Python port,
  Office 2019 rules): ECMA-376 Transitional plus the Office extensions, with markup
  compatibility applied as Word does (the mc:Choice it understands, mc:Ignorable
  content skipped).
- The same checks on the package as an older reader sees it: every
  mc:AlternateContent replaced by its mc:Fallback, so the VML copy of a text box
  (what Word 2007, pandoc and mammoth read) is valid too.
- What the schemas do not say: unique wp:docPr ids, every relationship resolves
  (and every r:id used in a part is one of its relationships), every part has a
  content type, complex fields (fldChar begin/separate/end) well nested.
"""

from __future__ import annotations

import io
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
                root = etree.fromstring(blob)
                for alternate in list(root.iter(f"{{{MC}}}AlternateContent")):
                    fallback = alternate.find(f"{{{MC}}}Fallback")
                    parent = alternate.getparent()
                    index = parent.index(alternate)
                    parent.remove(alternate)
                    for offset, child in enumerate(list(fallback) if fallback is not None else []):
                        parent.insert(index + offset, child)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info, blob)
    return out.getvalue()


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
