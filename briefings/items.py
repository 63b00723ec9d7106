"""Reader for item files: Markdown with a YAML front matter."""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote

from .diagnostics import BriefingError, Diagnostic, Report, did_you_mean
from .fields import Fields
from .model import ARTICLE, BRIEF, MAX_TITLE, PLACEHOLDER_MARK, Image, Item
from .typeset import BREAK_MARKER, unmarked
from .yamlsource import XML_INVALID, load_yaml_text, quote, read_text

FRONT_MATTER_FENCE = "---"
# Lists and quotes inside each other: more than a page can show (and than the
# Markdown reader can take: a 1,000-level list exhausts its recursion).
MAX_NESTING = 8
_FENCE = re.compile(r"^\s*(```|~~~)")
# One level each: a quote mark, or a list marker followed by a space.
_LEVEL_MARK = re.compile(r"(?:>|[-*+]\s|\d{1,9}[.)]\s)\s*")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")  # - - - is a horizontal line, not a list
_NESTING_TAGS = {"ul", "ol", "blockquote"}


def split_front_matter(text: str, path: Path) -> tuple[str, str, int]:
    """Return (yaml, body, first body line); the file must open with ---."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise BriefingError([Diagnostic(path, 1, "文件开头缺少 front matter（第一行应为 ---）")])
    for index in range(1, len(lines)):
        if lines[index].strip() == FRONT_MATTER_FENCE:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    raise BriefingError([Diagnostic(path, 1, "front matter 缺少结束的 ---")])


def read_item(path: Path, workspace: Path, columns: Iterable[str], report: Report) -> Item | None:
    """Read one item; problems go to `report` with file and line."""
    before = len(report.errors)
    try:
        text = read_text(path)
        text = _drop_invalid_characters(text, path, report)
        if not text.strip():
            report.error(path, 1, "稿件是空文件")
            return None
        front, body, body_line = split_front_matter(text, path)
        data = load_yaml_text(front, path, line_offset=1)
    except BriefingError as exc:
        report.items.extend(exc.diagnostics)
        return None
    if data is None:
        report.error(path, 1, "front matter 是空的，至少需要 column 和 date")
        return None

    f = Fields(data, path, report)
    kind = f.choice("kind", (ARTICLE, BRIEF), ARTICLE)
    column = f.text("column", required=True) or ""
    known = list(columns)
    if column and known and column not in known:
        f.error("column", f"未知的栏目“{column}”", did_you_mean(column, known))
    title = f.text("title", required=(kind == ARTICLE), max_length=MAX_TITLE) or ""
    item = Item(
        path=path,
        title=unmarked(title),
        title_breaks=title if BREAK_MARKER in title else "",
        subtitle=(f.text("subtitle", "", max_length=MAX_TITLE) or "").lstrip("—－-").strip(),
        column=column,
        date=f.date("date", required=True),
        kind=kind,
        source=f.text("source", "") or "",
        author=f.text("author", "") or "",
        order=f.integer("order", None),
        body_line=body_line,
        date_line=f.line("date"),
        draft=f.boolean("draft", False),
        draft_line=f.line("draft"),
        placeholder_line=_placeholder_line(text),
    )
    f.finish()
    if not body.strip():
        report.error(path, body_line, "稿件正文是空的")
    tables: list[Path] = []
    rendered = render_body(body, body_line, path, workspace, report, tables)
    if rendered is None:
        return None
    item.body_html, item.images = rendered
    item.table_files = tuple(tables)
    return item if len(report.errors) == before else None


def render_body(body: str, body_line: int, path: Path, workspace: Path, report: Report,
                tables: list[Path] | None = None) -> tuple[str, tuple[Image, ...]] | None:
    """A Markdown body as checked, sanitised HTML and its pictures; None when it nests too deep.

    Table files (.csv, .xlsx) the body shows are added to `tables`."""
    too_deep = _too_deep_line(body)
    if too_deep is not None:
        report.error(path, body_line + too_deep, NESTING_MESSAGE, hint=NESTING_HINT)
        return None
    html, images = _render_body(body, body_line, path, workspace, report, tables)
    from .markup import parse_fragment

    if _nesting(parse_fragment(html)) > MAX_NESTING:
        report.error(path, body_line, NESTING_MESSAGE, hint=NESTING_HINT)  # nested in raw HTML
    return html, images


def _placeholder_line(text: str) -> int | None:
    index = text.find(PLACEHOLDER_MARK)
    return text.count("\n", 0, index) + 1 if index >= 0 else None


NESTING_MESSAGE = f"列表或引用嵌套超过 {MAX_NESTING} 层"
NESTING_HINT = "印刷的简报用不到这么多层，请减少缩进或 > 的层数"


def _too_deep_line(body: str) -> int | None:
    """The body line (from 0) that nests lists and quotes past MAX_NESTING, judged from
    the Markdown source before it is parsed: 4 spaces of indent or one marker a level."""
    fenced = False
    for number, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            fenced = not fenced
        if fenced or _RULE.match(line):
            continue
        stripped = line.expandtabs(4).lstrip(" ")
        marks, position = 0, 0
        while match := _LEVEL_MARK.match(stripped, position):
            marks += 1
            position = match.end()
        indent = (len(line.expandtabs(4)) - len(stripped)) // 4
        if marks and indent + marks > MAX_NESTING:
            return number
    return None


def _nesting(tree) -> int:
    """The deepest run of lists and quotes inside each other in a parsed body."""
    deepest = 0
    pending = [(tree, 0)]
    while pending:
        element, depth = pending.pop()
        depth += element.tag in _NESTING_TAGS
        deepest = max(deepest, depth)
        pending.extend((child, depth) for child in element if isinstance(child.tag, str))
    return deepest


def _drop_invalid_characters(text: str, path: Path, report: Report) -> str:
    for number, line in enumerate(text.split("\n"), start=1):
        if XML_INVALID.search(line):
            report.warning(path, number, "删除了 Word 无法保存的控制字符")
    return XML_INVALID.sub("", text)


def _render_body(body: str, body_line: int, path: Path, workspace: Path, report: Report,
                 tables: list[Path] | None = None) -> tuple[str, tuple[Image, ...]]:
    """The body as sanitised HTML and its checked pictures; table files read go to `tables`."""
    # Imported here, not at start-up: Markdown, nh3 and lxml are slow to import.
    from .markup import IMAGE_SCHEME, annotate, markdown_to_html, parse_fragment, serialize_children
    from .tablefiles import is_table_file

    rendered = markdown_to_html(body)
    lines = _Lines(body, body_line)
    written_lines = [lines.of(src) for src in rendered.pictures]
    for link in rendered.dropped_links:
        report.warning(path, lines.of(link), f"去掉了链接“{quote(link)}”",
                       hint="正文链接只能是 http://、https://、mailto: 开头的地址或页内 # 链接")
    tree = parse_fragment(rendered.html)
    images: list[Image] = []
    tables = [] if tables is None else tables
    for element in list(tree.iter("img")):
        ref = element.get("src", "")
        if not ref.startswith(IMAGE_SCHEME):
            report.error(path, lines.of("<img"), "图片没有可用的地址",
                         hint="请用 ![说明](相对路径) 的写法引用工作区内的图片")
            image = None
        else:
            index = int(ref[len(IMAGE_SCHEME):])
            if is_table_file(rendered.pictures[index]):
                table = _place_table(element, rendered.pictures[index], path, workspace, written_lines[index], report)
                tables += [table] if table else []
                continue
            image = read_image(rendered.pictures[index], path, workspace, written_lines[index], report)
        if image is None:
            element.drop_tree()  # the body only ever refers to checked pictures
            continue
        element.set("src", f"{IMAGE_SCHEME}{len(images)}")
        images.append(image)
    annotate(tree)
    return serialize_children(tree), tuple(images)


class _Lines:
    """File line of each text found in a body, searched in order (a path may appear twice)."""

    def __init__(self, body: str, first_line: int):
        self.body, self.first_line, self.cursor = body, first_line, 0

    def of(self, needle: str) -> int:
        index = self.body.find(needle, self.cursor) if needle else -1
        if index < 0 and needle:
            index = self.body.find(needle)
        if index >= 0:
            self.cursor = index + len(needle)
        else:
            index = self.cursor
        return self.first_line + self.body.count("\n", 0, index)


_URL = re.compile(r"^[a-z][a-z0-9+.-]+:", re.I)  # two letters at least: C: is a drive
_WINDOWS_PATH = re.compile(r"^(?:[a-z]:[\\/]|\\\\)", re.I)  # C:\… or \\server\…
_HEIC_SUFFIXES = (".heic", ".heif")
_HEIC_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")


def _place_table(element, src: str, item_path: Path, workspace: Path, line: int, report: Report) -> Path | None:
    """Replace ![表1 …](x.csv) by the file's table (its paragraph, when the reference stands alone);
    returns the file read, if it was."""
    from .tablefiles import TableFileError, read_table_file  # lxml and openpyxl: only for tables

    target = workspace_file(src, "表格", item_path, workspace, line, report)
    table = None
    if target is not None:
        try:
            table = read_table_file(target, (element.get("alt") or "").strip(), element.get("title") or "")
        except TableFileError as exc:
            report.error(item_path, line, f"表格“{quote(src)}”{exc}")
        except Exception as exc:  # a broken file is an error line, never a traceback
            report.error(item_path, line, f"表格“{quote(src)}”无法读取（{type(exc).__name__}），请在 Excel 中另存后重试")
    parent = element.getparent()
    alone = (parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip()
             and not (element.tail or "").strip())
    if alone:
        if table is not None:
            parent.addprevious(table)
        parent.getparent().remove(parent)
        return target if table is not None else None
    if table is not None:
        (parent if parent.tag == "p" else element).addnext(table)
    element.drop_tree()
    return target if table is not None else None


def workspace_file(src: str, kind: str, item_path: Path, workspace: Path, line: int,
                   report: Report) -> Path | None:
    """Resolve a file an item refers to (kind: 图片, 表格); messages name it as written."""
    shown = quote(src)
    hint = IMAGE_PLACE_HINT.replace("图片", kind)
    if not src:
        report.error(item_path, line, f"{kind}没有写路径", hint=hint)
        return None
    if _WINDOWS_PATH.search(src):
        report.error(item_path, line, f"{kind}“{shown}”是本机的 Windows 路径，别的电脑和编排时都找不到它",
                     hint=f"请把{kind}复制到工作区的 images/ 目录，再用相对路径引用，如 ![说明](../images/现场.jpg)")
        return None
    if "\\" in src:
        report.error(item_path, line, f"{kind}“{shown}”的路径里有反斜杠 \\", hint="路径请用 / 分隔，如 ../images/现场.jpg")
        return None
    if _URL.match(src):
        report.error(item_path, line, f"{kind}“{shown}”必须是工作区内的文件，不能是网址", hint=hint)
        return None
    root = workspace.resolve()
    written = Path(os.path.normpath(item_path.parent / src))
    if not written.exists() and unquote(src) != src:
        written = Path(os.path.normpath(item_path.parent / unquote(src)))  # %20 in a pasted path
    target = written.resolve()
    if Path(src).is_absolute() or not written.is_relative_to(root):
        report.error(item_path, line, f"{kind}“{shown}”不在工作区内", hint=hint)
        return None
    if not target.is_relative_to(root):
        report.error(item_path, line, f"{kind}“{shown}”是指向工作区以外的链接", hint=hint)
        return None
    if not target.is_file():
        report.error(item_path, line, f"{kind}“{shown}”不存在")
        return None
    return target


def read_image(src: str, item_path: Path, workspace: Path, line: int, report: Report) -> Image | None:
    """Resolve and check a picture path written in an item; messages name it as written."""
    target = workspace_file(src, "图片", item_path, workspace, line, report)
    if target is None:
        return None
    shown = quote(src)
    if _is_heic(target):
        report.error(item_path, line, f"图片“{shown}”是 HEIC 格式（苹果手机的默认照片格式），Word 和浏览器多半显示不了",
                     hint="请在电脑上把它另存为 JPEG 后引用；以后在 iPhone 的 设置 → 相机 → 格式 中选“兼容性最佳”，拍出的就是 JPEG")
        return None
    problem = _image_problem(target, workspace)
    if isinstance(problem, str):
        report.error(item_path, line, f"图片“{shown}”{problem}")
        return None
    return problem


def _is_heic(path: Path) -> bool:
    """HEIC/HEIF by name or by content (an ISO box `ftyp` with a HEIF brand)."""
    if path.suffix.lower() in _HEIC_SUFFIXES:
        return True
    try:
        with path.open("rb") as stream:
            head = stream.read(12)
    except OSError:
        return False  # the picture check that follows names the problem
    return head[4:8] == b"ftyp" and head[8:12] in _HEIC_BRANDS


IMAGE_PLACE_HINT = "请把图片复制到工作区内（如 images/ 目录），再用相对路径引用"


def _image_problem(path: Path, workspace: Path) -> Image | str:
    """The checked picture, or what is wrong with the file (in Chinese)."""
    from .images import checked_before

    known = checked_before(workspace, path)
    if known is not None:
        return known  # these very bytes passed before; nor is Pillow imported to look again
    from PIL import Image as PILImage, UnidentifiedImageError

    from .images import MAX_DECODED_BYTES, PHOTO_FORMATS, check_decode, decoded_size

    try:
        with warnings.catch_warnings():
            # Over Pillow's pixel limit is refused, not just warned about: such
            # files are decompression bombs or broken, never a clerk's photo.
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(path) as picture:
                picture.verify()
            with PILImage.open(path) as picture:
                size, dpi = picture.size, picture.info.get("dpi", (None,))[0]
                if picture.format not in PHOTO_FORMATS and decoded_size(*size, picture.mode) > MAX_DECODED_BYTES:
                    # Only a JPEG can be decoded at a fraction of its size; this one would
                    # take more memory than a build may (checked before it is decoded).
                    return (f"太大：{size[0]}×{size[1]} 像素，打开要占 {round(decoded_size(*size, picture.mode) / 2**20)} MB 内存，"
                            f"超过 {MAX_DECODED_BYTES >> 20} MB 的上限；请缩小（如长边不超过 8000 像素）或另存为 JPEG")
                image = Image(path, *size, picture.format or "", float(dpi) if dpi else None)
                if not check_decode(image):
                    # A JPEG is decoded at 1/8 scale: every byte is still read (so a
                    # truncated file is caught), a 12 MP photo is not expanded.
                    picture.draft(None, (max(1, size[0] // 8), max(1, size[1] // 8)))
                    picture.load()
                return image
    except UnidentifiedImageError:
        return "不是图片文件（无法识别其格式，支持 JPEG、PNG、GIF 等）"
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        return f"像素过多，超过 {PILImage.MAX_IMAGE_PIXELS:,} 像素的安全上限（文件可能已损坏或是恶意文件）"
    except (OSError, SyntaxError, ValueError) as exc:
        if "truncated" in str(exc).lower() or isinstance(exc, SyntaxError):
            return "文件不完整（可能在下载或复制时被截断），请重新导出"
        return f"无法读取：{exc}"
