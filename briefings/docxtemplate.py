"""Fill a Word template's `{{ fields }}`: docxtpl's preparation once, plain Jinja after.

docxtpl is the right tool for Jinja inside a Word template: it rejoins the
`{{ }}` that Word splits across runs and turns `{%p %}`/`{%tr %}` tags into
tags around whole paragraphs and rows. That preparation depends on the
template alone, so it runs once per template (keyed by the digest of its
bytes) and its result — the Jinja source of the body and of each header and
footer — is kept in the workspace cache. A build renders that source with
jinja2 and finishes the way docxtpl's render does (line breaks and tabs in
values, table grids, drawing ids, document properties), without importing
docxtpl or python-docx.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from pathlib import Path

from lxml import etree

from .docxpackage import CT_CORE_PROPERTIES, CT_FOOTNOTES, RT_CORE_PROPERTIES, RT_STYLES, Package, Part, parse_xml
from .wordml import NS, Document, qn, style_table

CACHE_FOLDER = "docx-templates"
# Bump when what is kept changes. (A new docxtpl or program prepares anew: see _program.)
PREPARED_VERSION = 1

_prepared: dict[str, dict] = {}  # this process's prepared templates, by digest


def render_template(data: bytes, context: dict, cache: Path | None = None) -> Document:
    """The template's document with its fields filled from `context` (values escaped)."""
    digest = hashlib.sha256(data).hexdigest()
    prepared = _prepared.get(digest) or _load(cache, digest) or _prepare(data, cache, digest)
    _prepared[digest] = prepared
    package = Package.read(data, frozenset(prepared["canonical"]))
    document = package.main
    env = _environment()
    body = _render(env, prepared["body"], context)
    tree = _fix_tables(body)
    for index, doc_pr in enumerate(tree.iter(qn("wp:docPr")), start=1001):
        doc_pr.set("id", str(index))  # docxtpl numbers drawings anew from 1001
    root = document.element
    root.replace(root.find(qn("w:body")), tree)
    for rid, source in prepared["parts"]:
        part = document.rels[rid].target
        part.element = parse_xml(_render(env, source, context).encode("utf-8"))
    for partname, source in prepared["footnotes"]:
        # Footnotes stay text, as python-docx keeps them: written as rendered.
        part = next(part for part in package.parts() if part.partname == partname)
        part.blob = _render(env, source, context).encode("utf-8")
    _render_properties(package, env, context)
    return Document(package, prepared["styles"])


# Preparation (docxtpl, once per template) ------------------------------------------


def _load(cache: Path | None, digest: str) -> dict | None:
    if cache is None:
        return None
    from .files import read_record

    data = read_record(cache / CACHE_FOLDER / f"{digest}.json")
    if not (isinstance(data, dict) and data.get("version") == PREPARED_VERSION
            and data.get("program") == _program() and isinstance(data.get("body"), str)
            and all(isinstance(data.get(key), list) for key in ("parts", "footnotes", "canonical", "styles"))):
        return None
    return {"body": data["body"], "parts": [tuple(entry) for entry in data["parts"]],
            "footnotes": [tuple(entry) for entry in data["footnotes"]],
            "canonical": data["canonical"], "styles": [tuple(row) for row in data["styles"]]}


def _prepare(data: bytes, cache: Path | None, digest: str) -> dict:
    """docxtpl's template preparation (patch_xml and the line marks of render_xml_part)."""
    import io

    from docxtpl import DocxTemplate

    template = DocxTemplate(io.BytesIO(data))
    template.render_init()

    def source(xml: str) -> str:
        return re.sub(r"<w:p([ >])", r"\n<w:p\1", template.patch_xml(xml))

    parts = []
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        for rid, part in template.get_headers_footers(uri):
            parts.append((rid, source(template.get_part_xml(part))))
    # What python-docx does not change: the XML parts already as lxml writes them (written
    # back without parsing), and the style table (styles by name, without parsing styles.xml).
    # docxtpl renders footnotes from the part's text (python-docx does not parse it), once per
    # section, each time from the last result; once is the same unless a value holds Jinja.
    footnotes = [(part.partname, source(part.blob.decode("utf-8")))
                 for part in template.docx.part.package.parts if part.content_type == CT_FOOTNOTES]
    package = Package.read(data)
    prepared = {"body": source(template.get_xml()), "parts": parts, "footnotes": footnotes,
                "canonical": package.canonical_parts(),
                "styles": style_table(package.main.rels.part(RT_STYLES).element)}
    if cache is not None:
        from .files import write_atomic

        record = {"version": PREPARED_VERSION, "program": _program(), **prepared}
        try:
            (cache / CACHE_FOLDER).mkdir(parents=True, exist_ok=True)
            write_atomic(cache / CACHE_FOLDER / f"{digest}.json",
                         json.dumps(record, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass  # a read-only workspace prepares the template again next time
    return prepared


def _program() -> str:
    """This program and its libraries (docxtpl among them), as the build records trust them."""
    from .incremental import program_digest

    return program_digest()


# Rendering (each build) ------------------------------------------------------------


_sources: dict[str, str] = {}  # the template parts' Jinja sources, by digest


@functools.cache
def _environment():
    from jinja2 import Environment, FunctionLoader

    from .templatedir import compiled_template_cache

    return Environment(autoescape=True, loader=FunctionLoader(_sources.get), bytecode_cache=compiled_template_cache())


def _template(env, source: str):
    """The compiled template of `source` (a part of a prepared Word template, or a property)."""
    name = hashlib.sha256(source.encode("utf-8")).hexdigest()
    _sources[name] = source
    return env.get_template(name)


def _render(env, source: str, context: dict) -> str:
    """docxtpl's render_xml_part after its preparation: Jinja, then values' tabs and line breaks."""
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", _template(env, source).render(context))
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    return _resolve_listing(xml)


def _resolve_listing(xml: str) -> str:
    """Tabs, line feeds, \\a (new paragraph) and \\f (page break) in a value become Word
    markup, in the run's and paragraph's properties (docxtpl's resolve_listing)."""

    def paragraph(m):
        found = re.search(r"<w:pPr>.*?</w:pPr>", m.group(0))
        p_props = found.group(0) if found else ""
        return re.sub(r"<w:r(?: [^>]*)?>.*?</w:r>", lambda r: run(p_props, r), m.group(0), flags=re.DOTALL)

    def run(p_props, m):
        found = re.search(r"<w:rPr>.*?</w:rPr>", m.group(0))
        r_props = found.group(0) if found else ""
        return re.sub(r"<w:t(?: [^>]*)?>.*?</w:t>", lambda t: text(r_props, p_props, t), m.group(0),
                      flags=re.DOTALL)

    def text(r_props, p_props, m):
        xml = m.group(0).replace(
            "\t", f'</w:t></w:r><w:r>{r_props}<w:tab/></w:r><w:r>{r_props}<w:t xml:space="preserve">')
        xml = xml.replace(
            "\a", f'</w:t></w:r></w:p><w:p>{p_props}<w:r>{r_props}<w:t xml:space="preserve">')
        xml = xml.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
        return xml.replace(
            "\f", '</w:t></w:r></w:p><w:p><w:r><w:br w:type="page"/></w:r></w:p>'
                  f'<w:p>{p_props}<w:r>{r_props}<w:t xml:space="preserve">')

    return re.sub(r"<w:p(?: [^>]*)?>.*?</w:p>", paragraph, xml, flags=re.DOTALL)


def _fix_tables(xml: str):
    """The rendered body as a tree, each table's grid matching its rows' cells (docxtpl's
    fix_tables: a `{%tc for %}` loop may have added or dropped columns)."""
    tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))
    w = "{" + tree.nsmap["w"] + "}"
    for table in tree.iter(w + "tbl"):
        grid = table.find(w + "tblGrid")
        columns = grid.findall(w + "gridCol")
        to_add = 0
        for row in table.iter(w + "tr"):
            cells = len(row.findall(w + "tc"))
            if len(columns) + to_add < cells:
                to_add = cells - len(columns)
        if to_add > 0:
            width = sum(float(c.get(w + "w")) for c in columns if c.get(w + "w") is not None)
            if width > 0:
                old_average, new_average = width / len(columns), width / (len(columns) + to_add)
                for c in columns:
                    c.set(w + "w", str(int(float(c.get(w + "w")) * new_average / old_average)))
                for _ in range(to_add):
                    etree.SubElement(grid, w + "gridCol", {w + "w": str(int(new_average))})
        columns = grid.findall(w + "gridCol")
        most = 0
        for row in table.iter(w + "tr"):
            count = 0
            for cell in row.findall(w + "tc"):
                props = cell.find(w + "tcPr")
                span = None if props is None else props.find(w + "gridSpan")
                count += int(span.get(w + "val")) if span is not None else 1
            most = max(most, count)
        to_remove = len(columns) - most
        if to_remove > 0:
            removed = 0.0
            for c in columns[-to_remove:]:
                removed += float(c.get(w + "w"))
                grid.remove(c)
            left = grid.findall(w + "gridCol")
            extra = int(removed / len(left)) if left else 0
            for c in left:
                c.set(w + "w", str(int(float(c.get(w + "w")) + extra)))
    return tree


# Document properties ---------------------------------------------------------------

# Property → element, for the text properties docxtpl renders as templates.
_RENDERED_PROPERTIES = ("dc:creator", "dc:description", "dc:identifier", "dc:language", "dc:subject", "dc:title")


def core_properties(package: Package):
    """The cp:coreProperties element, added as python-docx adds it when the template has none."""
    part = package.rels.part(RT_CORE_PROPERTIES)
    if part is None:
        import datetime as dt

        part = Part("/docProps/core.xml", CT_CORE_PROPERTIES,
                    element=parse_xml(f'<cp:coreProperties xmlns:cp="{NS["cp"]}" xmlns:dc="{NS["dc"]}" '
                                      f'xmlns:dcterms="{NS["dcterms"]}"/>\n'))
        package.rels.relate(RT_CORE_PROPERTIES, part)
        set_core_text(part.element, "dc:title", "Word Document")
        set_core_text(part.element, "cp:lastModifiedBy", "python-docx")
        set_core_text(part.element, "cp:revision", "1")
        set_core_date(part.element, "dcterms:modified", dt.datetime.now(dt.timezone.utc))
    return part.element


def set_core_text(props, tag: str, value: str) -> None:
    if len(value) > 255:
        raise ValueError(f"exceeded 255 char limit for property, got:\n\n'{value}'")
    _get_or_add(props, tag).text = value


def set_core_date(props, tag: str, when) -> None:
    element = _get_or_add(props, tag)
    element.text = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    if tag in ("dcterms:created", "dcterms:modified"):
        # Declared on the root, as python-docx does, not on each element.
        props.set(qn("xsi:foo"), "bar")
        element.set(qn("xsi:type"), "dcterms:W3CDTF")
        del props.attrib[qn("xsi:foo")]


def _get_or_add(props, tag: str):
    element = props.find(qn(tag))
    if element is None:
        prefix = tag.split(":")[0]
        element = props.makeelement(qn(tag), nsmap={prefix: NS[prefix]})
        props.append(element)
    return element


def _render_properties(package: Package, env, context: dict) -> None:
    props = core_properties(package)
    for tag in _RENDERED_PROPERTIES:
        element = props.find(qn(tag))
        initial = element.text or "" if element is not None else ""
        set_core_text(props, tag, _template(env, initial).render(context) if initial else "")
