"""Reader for item files: Markdown with a YAML front matter."""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path
from typing import Iterable

from PIL import Image as PILImage, UnidentifiedImageError

from .diagnostics import BriefingError, Diagnostic, Report, did_you_mean
from .fields import Fields
from .images import decoded_before
from .markup import annotate, markdown_to_html, parse_fragment, serialize_children
from .model import ARTICLE, BRIEF, IMAGE_SCHEME, Image, Item
from .typeset import BREAK_MARKER, unmarked
from .yamlsource import load_yaml_text, read_text

FRONT_MATTER_FENCE = "---"
# Characters XML 1.0 (and so Word) cannot hold.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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
    title = f.text("title", required=(kind == ARTICLE)) or ""
    item = Item(
        path=path,
        title=unmarked(title),
        title_breaks=title if BREAK_MARKER in title else "",
        subtitle=(f.text("subtitle", "") or "").lstrip("—－-").strip(),
        column=column,
        date=f.date("date", required=True),
        kind=kind,
        source=f.text("source", "") or "",
        author=f.text("author", "") or "",
        order=f.integer("order", None),
        body_line=body_line,
        date_line=f.line("date"),
    )
    f.finish()
    if not body.strip():
        report.error(path, body_line, "稿件正文是空的")
    item.body_html, item.images = _render_body(body, body_line, path, workspace, report)
    return item if len(report.errors) == before else None


def _drop_invalid_characters(text: str, path: Path, report: Report) -> str:
    for number, line in enumerate(text.split("\n"), start=1):
        if _XML_INVALID.search(line):
            report.warning(path, number, "删除了 Word 无法保存的控制字符")
    return _XML_INVALID.sub("", text)


def _render_body(body: str, body_line: int, path: Path, workspace: Path,
                 report: Report) -> tuple[str, tuple[Image, ...]]:
    tree = parse_fragment(markdown_to_html(body))
    images: list[Image] = []
    for element in tree.iter("img"):
        src = element.get("src", "")
        line = body_line + _line_in(body, src)
        image = read_image(src, path, workspace, line, report)
        if image is not None:
            element.set("src", f"{IMAGE_SCHEME}{len(images)}")
            images.append(image)
    annotate(tree)
    return serialize_children(tree), tuple(images)


def _line_in(body: str, needle: str) -> int:
    index = body.find(needle) if needle else -1
    return body[:index].count("\n") if index >= 0 else 0


def read_image(src: str, item_path: Path, workspace: Path, line: int, report: Report) -> Image | None:
    """Resolve and check a picture path written in an item."""
    if not src or re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
        report.error(item_path, line, f"图片“{src}”必须是工作区内的文件，不能是网址")
        return None
    root = workspace.resolve()
    written = Path(os.path.normpath(item_path.parent / src))
    target = written.resolve()
    if Path(src).is_absolute() or not written.is_relative_to(root):
        report.error(item_path, line, f"图片“{src}”不在工作区内", hint=IMAGE_PLACE_HINT)
        return None
    if not target.is_relative_to(root):
        report.error(item_path, line, f"图片“{src}”是指向工作区以外的链接", hint=IMAGE_PLACE_HINT)
        return None
    if not target.is_file():
        report.error(item_path, line, f"图片“{src}”不存在")
        return None
    problem = _image_problem(target, workspace)
    if isinstance(problem, str):
        report.error(item_path, line, f"图片“{src}”{problem}")
        return None
    return problem


IMAGE_PLACE_HINT = "请把图片复制到工作区内（如 images/ 目录），再用相对路径引用"


def _image_problem(path: Path, workspace: Path) -> Image | str:
    """The checked picture, or what is wrong with the file (in Chinese)."""
    try:
        with warnings.catch_warnings():
            # Over Pillow's pixel limit is refused, not just warned about: such
            # files are decompression bombs or broken, never a clerk's photo.
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(path) as picture:
                picture.verify()
            with PILImage.open(path) as picture:
                size, dpi = picture.size, picture.info.get("dpi", (None,))[0]
                if not decoded_before(workspace, path):
                    # A JPEG is decoded at 1/8 scale: every byte is still read (so a
                    # truncated file is caught), a 12 MP photo is not expanded.
                    picture.draft(None, (max(1, size[0] // 8), max(1, size[1] // 8)))
                    picture.load()
                return Image(path, *size, picture.format or "", float(dpi) if dpi else None)
    except UnidentifiedImageError:
        return "不是图片文件（无法识别其格式，支持 JPEG、PNG、GIF 等）"
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        return f"像素过多，超过 {PILImage.MAX_IMAGE_PIXELS:,} 像素的安全上限（文件可能已损坏或是恶意文件）"
    except (OSError, SyntaxError, ValueError) as exc:
        if "truncated" in str(exc).lower() or isinstance(exc, SyntaxError):
            return "文件不完整（可能在下载或复制时被截断），请重新导出"
        return f"无法读取：{exc}"
