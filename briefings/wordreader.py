"""Reader for Word files units send in: .docx (and .doc/.wps through LibreOffice).

mammoth turns Word's styles into semantic HTML (headings, lists, tables,
pictures); this module turns that HTML into the project's Markdown and finds
what a clerk would otherwise retype: the title and the closing attribution
`（州科技局  吴启荣）`. It reads only; importing.py writes the item.
"""

from __future__ import annotations

import io
import re
from html import escape as html_escape
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import mammoth
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from lxml import html as lxml_html

from .diagnostics import BriefingError, Diagnostic
from .files import unpacked_bytes
from .markup import heading_level
from .office import convert
from .wordtext import full_width_punctuation, join_broken_lines, strip_indent

WORD_SUFFIXES = (".docx", ".doc", ".wps")
# What a Word file may unpack to before it is read: a long report with photos stays far below;
# a "zip bomb" (gigabytes of XML packed into kilobytes) is refused before any reader holds it.
MAX_UNPACKED_MB = 512
MAX_UNPACKED_XML_MB = 100
PICTURE_TOKEN = "word-picture-{n}.{ext}"  # importing.py renames pictures after the item
_PICTURE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/bmp": "png",
                  "image/tiff": "png"}
_STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='标题'] => h1:fresh
p[style-name='Subtitle'] => p.subtitle:fresh
p[style-name='副标题'] => p.subtitle:fresh
"""
TITLE_MAX_CHARS = 40
_TITLE_STYLES = ("Title", "标题", "Heading 1", "标题 1", "heading 1")
# （州科技局  吴启荣）, (县就业局 张三), （县委办）: the unit, then the author if any.
_ATTRIBUTION = re.compile(r"^[（(]\s*([^（）()\s]{2,30}?)(?:[\s\u3000]+([^（）()\s]{2,12}))?\s*[）)]$")
_SENTENCE_END = "。！？；：，,.;:!?"
_ESCAPE_INLINE = re.compile(r"([\\`*_\[\]<])")
_BLOCK_START = re.compile(r"^(\d+)([.)]\s)|^([#>+\-=]|\|)")


@dataclass
class Picture:
    token: str  # the name the body refers to until the item is named
    data: bytes
    alt: str = ""


@dataclass
class WordDocument:
    source_file: Path
    title: str = ""
    subtitle: str = ""
    source: str = ""  # the unit in the attribution line
    author: str = ""
    body: str = ""  # Markdown
    pictures: list[Picture] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what could not be kept, in Chinese


def read_word(path: Path) -> WordDocument:
    """Read a Word file; .doc and .wps are converted to .docx by LibreOffice first."""
    suffix = path.suffix.lower()
    if suffix not in WORD_SUFFIXES:
        raise BriefingError([Diagnostic(path, None, "不是 Word 文件（支持 .docx、.doc、.wps）")])
    if not path.is_file():
        raise BriefingError([Diagnostic(path, None, "文件不存在")])
    if suffix == ".docx":
        return _read_docx(path, path.read_bytes())
    with tempfile.TemporaryDirectory(prefix="briefing-import-") as folder:
        converted = convert(path, "docx", Path(folder), f"导入 {suffix} 文件（可在 Word/WPS 中另存为 .docx 后再导入）")
        return _read_docx(path, converted.read_bytes())


def _read_docx(path: Path, data: bytes) -> WordDocument:
    _check_unpacked_size(path, data)
    document = WordDocument(path)
    try:
        title = _find_title(Document(io.BytesIO(data)))
        result = mammoth.convert_to_html(io.BytesIO(data), style_map=_STYLE_MAP,
                                         convert_image=mammoth.images.img_element(_picture_saver(document)))
    except Exception as exc:  # a damaged or foreign file: zip, XML or mammoth errors alike
        raise BriefingError([Diagnostic(path, None, f"无法读取 Word 文件：{type(exc).__name__}",
                                        hint="文件可能已损坏；可在 Word/WPS 中打开后另存为 .docx 再试")]) from None
    tree = lxml_html.fragment_fromstring(result.value or "<p></p>", create_parent="div")
    blocks = [child for child in tree if _text(child) or child.findall(".//img")]
    _take_title(document, blocks, title)
    _take_attribution(document, blocks)
    document.body = "\n\n".join(md for block in blocks if (md := _block(block, document)))
    return document


def _check_unpacked_size(path: Path, data: bytes) -> None:
    """Refuse a Word file that would unpack to more than a real one."""
    sizes = unpacked_bytes(data, skip="word/media/")
    if sizes is None:
        return  # not a ZIP: the readers below say the file is damaged
    total, xml = sizes
    if total > MAX_UNPACKED_MB * 2**20 or xml > MAX_UNPACKED_XML_MB * 2**20:
        raise BriefingError([Diagnostic(
            path, None, f"Word 文件解压后有 {total / 2**20:,.0f} MB（其中文字和格式 {xml / 2**20:,.0f} MB），"
                        f"超过上限（共 {MAX_UNPACKED_MB} MB，文字和格式 {MAX_UNPACKED_XML_MB} MB），不像正常的稿件",
            hint="文件可能已损坏或被篡改；请在 Word/WPS 中打开、另存为 .docx 后再导入")])


def _picture_saver(document: WordDocument):
    def save(image) -> dict[str, str]:
        ext = _PICTURE_TYPES.get(image.content_type)
        if ext is None:
            document.notes.append(f"跳过了一张 {image.content_type} 格式的图片（请另存为 PNG 或 JPEG 后插入）")
            return {}
        with image.open() as stream:
            data = stream.read()
        token = PICTURE_TOKEN.format(n=len(document.pictures) + 1, ext=ext)
        document.pictures.append(Picture(token, data, (image.alt_text or "").strip()))
        return {"src": token}
    return save


def _find_title(docx) -> str:
    """A Title/Heading 1 paragraph, else the first short centred, bold or large one."""
    paragraphs = [p for p in docx.paragraphs if p.text.strip()]
    for paragraph in paragraphs[:5]:
        if paragraph.style is not None and paragraph.style.name in _TITLE_STYLES:
            return _clean(paragraph.text)
    for paragraph in paragraphs[:3]:
        text = _clean(paragraph.text)
        if len(text) > TITLE_MAX_CHARS or text[-1] in _SENTENCE_END:
            continue
        runs = [r for r in paragraph.runs if r.text.strip()]
        centred = paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER or (
            paragraph.style is not None and paragraph.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER)
        bold = bool(runs) and all(r.bold for r in runs)
        large = bool(runs) and all(r.font.size is not None and r.font.size.pt >= 15 for r in runs)
        if centred or bold or large:
            return text
    return ""


def _take_title(document: WordDocument, blocks: list, title: str) -> None:
    for index, block in enumerate(blocks[:5]):
        if title and _clean(_text(block)) == title:
            document.title = title
            del blocks[index]
            break
    if blocks and blocks[0].get("class") == "subtitle":
        document.subtitle = _clean(_text(blocks.pop(0))).lstrip("—－- ")


def _take_attribution(document: WordDocument, blocks: list) -> None:
    if not blocks:
        return
    match = _ATTRIBUTION.match(_text(blocks[-1]).strip())
    if match:
        document.source, document.author = match.group(1), match.group(2) or ""
        blocks.pop()


def _text(element) -> str:
    return element.text_content() if element is not None else ""


def _clean(text: str) -> str:
    return " ".join(full_width_punctuation(strip_indent(text)).split())


def _block(element, document: WordDocument) -> str:
    tag = element.tag
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return _heading(_inline_text(element), tag)
    if tag == "p":
        text = _inline_text(element)
        return _heading(text, "p") if _looks_like_heading(text) else _escape_block_start(text)
    if tag in ("ul", "ol"):
        return "\n".join(_list(element, 0))
    if tag == "table":
        return _table(element)
    document.notes.append(f"未能转换的内容（{tag}），已按段落保留")
    return _escape_block_start(_inline_text(element))


def _looks_like_heading(text: str) -> bool:
    """`一、总体要求` on its own line: numbered, short, not a sentence."""
    plain = text.replace("*", "")
    return (len(plain) <= TITLE_MAX_CHARS and plain[-1:] not in _SENTENCE_END
            and any(pattern.match(plain) for pattern in _NUMBERED))


# 一、 （一） 1. : the heading levels a clerk numbers by hand (1.5亿元 is not one).
_NUMBERED = (re.compile(r"^[一二三四五六七八九十百]+、"), re.compile(r"^[（(][一二三四五六七八九十百]+[）)]"),
             re.compile(r"^\d+[.．、](?!\d)"))


def _heading(text: str, tag: str) -> str:
    plain = text.replace("**", "")
    level = heading_level(tag if tag != "p" else "h2", plain)
    return "#" * (level + 1) + " " + plain


def _escape_block_start(text: str) -> str:
    """A paragraph that only looks like Markdown (`1. `, `- `, `#`) stays a paragraph."""
    match = _BLOCK_START.match(text)
    if not match:
        return text
    if match.group(1):
        return f"{match.group(1)}\\{match.group(2)}{text[match.end():]}"
    return "\\" + text


def _inline_text(element) -> str:
    """An element's inline content as Markdown, cleaned of Word's leftovers."""
    lines = [""]
    _inline(element, lines, top=True)
    return full_width_punctuation(join_broken_lines(lines))


def _inline(element, lines: list[str], top: bool = False) -> None:
    """Append Markdown for `element`'s content; a <br> starts a new line."""
    if not top:
        lines[-1] += _wrap_open(element)
    lines[-1] += _escape(element.text or "")
    for child in element:
        if child.tag == "br":
            lines.append("")
        elif child.tag == "img":
            lines[-1] += f"![{_escape(child.get('alt', ''))}]({child.get('src', '')})"
        elif child.tag in ("ul", "ol", "table", "p"):
            lines.append("")
            _inline(child, lines)
            lines.append("")
        else:
            _inline(child, lines)
        lines[-1] += _escape(child.tail or "")
    if not top:
        lines[-1] += _wrap_close(element)


def _wrap_open(element) -> str:
    return {"strong": "**", "b": "**", "em": "*", "i": "*", "sup": "<sup>", "sub": "<sub>",
            "a": "["}.get(element.tag, "")


def _wrap_close(element) -> str:
    if element.tag == "a":
        href = element.get("href", "")
        return f"]({href})" if href.startswith(("http://", "https://", "mailto:")) else "]"
    return {"strong": "**", "b": "**", "em": "*", "i": "*", "sup": "</sup>", "sub": "</sub>"}.get(element.tag, "")


def _escape(text: str) -> str:
    return _ESCAPE_INLINE.sub(r"\\\1", text.replace("\u00a0", " "))


def _list(element, depth: int) -> list[str]:
    lines = []
    ordered = element.tag == "ol"
    for number, item in enumerate(element.findall("li"), start=1):
        nested = [child for child in item if child.tag in ("ul", "ol")]
        for child in nested:
            item.remove(child)
        marker = f"{number}." if ordered else "-"
        lines.append("    " * depth + f"{marker} {_inline_text(item)}")
        for child in nested:
            lines.extend(_list(child, depth + 1))
    return lines


def _table(element) -> str:
    """A pipe table; with merged cells, which pipe tables cannot hold, an HTML table."""
    if any(_span(cell, span) > 1 for cell in element.iter("td", "th") for span in ("colspan", "rowspan")):
        return _html_table(element)
    rows = [[_cell(cell) for cell in row if cell.tag in ("td", "th")] for row in element.iter("tr")]
    rows = [row for row in rows if row]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def _span(cell, name: str) -> int:
    value = cell.get(name) or "1"
    return int(value) if value.isdigit() else 1


def _html_table(element) -> str:
    """Rows and cells with their spans; cell text cleaned, one line per paragraph."""
    lines = ["<table>"]
    for row in element.iter("tr"):
        cells = []
        for cell in (c for c in row if c.tag in ("td", "th")):
            spans = "".join(f' {span}="{_span(cell, span)}"' for span in ("colspan", "rowspan")
                            if _span(cell, span) > 1)
            paragraphs = [p for p in cell if p.tag == "p"] or [cell]
            text = "<br>".join(html_escape(_clean(_text(p))) for p in paragraphs if _text(p).strip())
            cells.append(f"<{cell.tag}{spans}>{text}</{cell.tag}>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    return "\n".join(lines + ["</table>"])


def _cell(cell) -> str:
    paragraphs = [p for p in cell if p.tag == "p"] or [cell]
    texts = [_inline_text(p).replace("|", "\\|") for p in paragraphs]
    return "<br>".join(t for t in texts if t)
