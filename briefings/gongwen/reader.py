"""Readers for 公文: the document series (series/NAME.yaml, `kind: gongwen`)
and the documents (documents/SERIES/*.md, one 公文 per file).

Like the 简报 readers they never write, and report every problem with the
file and line; the field names are the ones a clerk sees on the paper.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from ..config import _template_path
from ..diagnostics import BriefingError, Report, did_you_mean
from ..fields import Fields, list_lines, read_fields
from ..items import _drop_invalid_characters, read_image, render_body, split_front_matter
from ..model import MAX_TITLE, Image, Item
from ..yamlsource import LinedDict, load_yaml_text, read_text
from . import GONGWEN
from .model import KINDS, UPWARD_KINDS, Attachment, Document, DocumentSeries

DOCUMENTS_DIR = "documents"
# What a 公文 Word template must hold, or it prints a stale or empty document.
REQUIRED_FIELDS = {"reference": "发文字号", "title": "标题", "body": "正文", "attachments": "附件",
                   "date": "成文日期"}
SECRECY = ("绝密", "机密", "秘密")
URGENCY = ("特急", "加急", "平急")
OFFICE_SUFFIX = "办公室"


def default_printer(office: str) -> str:
    """印发机关 by default: the office's 办公室 (an 办公室 prints its own)."""
    return office if office.endswith(OFFICE_SUFFIX) else office + OFFICE_SUFFIX


def read_document_series(path: Path, workspace: Path, report: Report,
                         fields: Fields | None = None) -> DocumentSeries | None:
    """The 公文 series file at `path` (its `fields`, when already read)."""
    before = len(report.errors)
    f = fields or read_fields(path, report)
    if f is None:
        return None
    f.choice("kind", (GONGWEN,), GONGWEN)
    office = f.text("发文机关", required=True) or ""
    code = f.text("机关代字", required=True) or ""
    if code and re.search(r"[〔〕\[\]【】\d]", code):
        f.error("机关代字", f"“{code}”只写代字（如 昆政办发），年份和序号由工具按成文日期和序号生成")
    series = DocumentSeries(
        key=path.stem,
        path=path,
        office=office,
        code=code,
        masthead=f.text("发文机关标志", office) or office,
        printer=f.text("印发机关", default_printer(office)) or default_printer(office),
        sealed=f.boolean("加盖印章", True),
        seal=_seal(f, "印章", path, workspace),
        copy_to=tuple(f.text_list("抄送")),
        docx_template=_template_path(f, "template", path, REQUIRED_FIELDS),
        html_template=_template_path(f, "html_template", path),
    )
    f.finish()
    return series if len(report.errors) == before else None


def _seal(f: Fields, key: str, path: Path, workspace: Path) -> Image | None:
    src = f.text(key)
    if not src:
        return None
    image = read_image(src, path, workspace, f.line(key), f.report)
    if image is not None and image.format != "PNG":
        f.error(key, f"印章图片“{src}”应是带透明背景的 PNG 文件")
        return None
    return image


def document_files(workspace: Path, series_key: str) -> list[Path]:
    """A series' documents: the .md files directly in documents/SERIES/ (attachments live in sub-folders)."""
    folder = workspace / DOCUMENTS_DIR / series_key
    return sorted(folder.glob("*.md")) if folder.is_dir() else []


def document_id(workspace: Path, path: Path) -> str:
    """How a 公文 is named on the command line: `kunzhengban/2017-176` for documents/kunzhengban/2017-176.md."""
    return path.relative_to(workspace / DOCUMENTS_DIR).with_suffix("").as_posix()


def read_markdown(path: Path, report: Report, need_front: bool = True) -> tuple[object, str, int] | None:
    """(front matter data, body, first body line) of a Markdown file; None on a problem."""
    try:
        text = _drop_invalid_characters(read_text(path), path, report)
        if not text.strip():
            report.error(path, 1, "文件是空的")
            return None
        if not need_front and text.split("\n", 1)[0].strip() != "---":
            return None, text, 1
        front, body, body_line = split_front_matter(text, path)
        return load_yaml_text(front, path, line_offset=1), body, body_line
    except BriefingError as exc:
        report.items.extend(exc.diagnostics)
        return None


def read_document(path: Path, workspace: Path, series: DocumentSeries, report: Report) -> Document | None:
    """Read one 公文 and its attachments; problems go to `report`."""
    before = len(report.errors)
    read = read_markdown(path, report)
    if read is None:
        return None
    data, body, body_line = read
    f = Fields(data, path, report)
    title = f.text("标题", required=True, max_length=MAX_TITLE) or ""
    date = f.date("成文日期", required=True) or dt.date.min
    kind = f.text("文种") or _kind_of(title)
    if kind not in KINDS:
        f.error("文种", f"不认识的文种“{kind}”（可选：{'、'.join(KINDS)}）")
    offices = tuple(f.text_list("发文机关")) or (series.office,)
    signers = tuple(f.text_list("签发人"))
    if kind in UPWARD_KINDS and not signers:
        report.error(path, f.line("文种") if f.has("文种") else f.line("标题"),
                     f"{kind}是上行文，必须写签发人（签发人: 姓名；联合上报时写多位）")
    document = Document(
        path=path,
        id=document_id(workspace, path),
        series=series,
        title=title,
        number=f.integer("序号", 0, required=True, minimum=1) or 0,
        date=date,
        body=_body_item(path, title, date, body, body_line, workspace, report),
        offices=offices,
        masthead=tuple(series.masthead if name == series.office else name for name in offices),
        kind=kind,
        copy_number=_copy_number(f),
        secrecy=_secrecy(f),
        urgency=_optional_choice(f, "紧急程度", URGENCY),
        signers=signers,
        recipients=tuple(f.text_list("主送机关")),
        note=(f.text("附注", "") or "").strip("（）()"),
        attachments=_attachments(f, path, date, workspace),
        copy_to=tuple(f.text_list("抄送")) if f.has("抄送") else series.copy_to,
        printer=f.text("印发机关", series.printer) or series.printer,
        print_date=f.date("印发日期") or date,
        sealed=f.boolean("加盖印章", series.sealed),
        seal=_seal(f, "印章", path, workspace) or series.seal,
        line_of={key: f.line(key) for key in f.data},
    )
    f.finish()
    return document if len(report.errors) == before else None


def _kind_of(title: str) -> str:
    """文种 from the title's last words: …的通知 → 通知."""
    return next((kind for kind in sorted(KINDS, key=len, reverse=True) if title.endswith(kind)), "通知")


def _copy_number(f: Fields) -> str:
    value = f.text("份号", "") or ""
    if value and not (value.isdigit() and len(value) <= 6):
        f.error("份号", f"份号“{value}”应是不超过 6 位的数字，如 000123")
        return ""
    return value.zfill(6) if value else ""


def _optional_choice(f: Fields, key: str, choices: tuple[str, ...]) -> str:
    value = f.text(key, "") or ""
    if value and value not in choices:
        f.error(key, f"只能是 {'、'.join(choices)}，实际是“{value}”", did_you_mean(value, choices))
        return ""
    return value


def _secrecy(f: Fields) -> str:
    level = _optional_choice(f, "密级", SECRECY)
    term = f.text("保密期限", "") or ""
    if term and not level:
        f.error("保密期限", "写了保密期限，但没有密级")
    return f"{level}★{term}" if level and term else level


def _body_item(path: Path, title: str, date: dt.date, body: str, body_line: int,
               workspace: Path, report: Report) -> Item:
    item = Item(path=path, title=title, column="", date=date, body_line=body_line)
    item.body_html, item.images = render_body(body, body_line, path, workspace, report) or ("", ())
    return item


def _attachments(f: Fields, path: Path, date: dt.date, workspace: Path) -> tuple[Attachment, ...]:
    value = f.raw("附件")
    if value is None:
        return ()
    if not isinstance(value, list):
        f.error("附件", "应是列表：每个附件一项，写“文件”和“标题”")
        return ()
    lines = list_lines(value)
    attachments = []
    for index, entry in enumerate(value):
        line = lines[index] if index < len(lines) else f.line("附件")
        attachment = _attachment(entry, line, f, path, date, workspace, index + 1)
        if attachment is not None:
            attachments.append(attachment)
    return tuple(attachments)


def _attachment(entry, line: int, f: Fields, path: Path, date: dt.date, workspace: Path,
                number: int) -> Attachment | None:
    report = f.report
    if not isinstance(entry, (str, dict)):
        report.error(path, line, f"“附件[{number}]”应写成“文件: 附件的路径”，可加“标题: 附件标题”")
        return None
    if isinstance(entry, str):
        entry_data = LinedDict({"文件": entry})
        entry_data.line, entry_data.key_lines = line, {"文件": line}
        entry = entry_data
    e = Fields(entry, path, report, f"附件[{number}]")
    name = e.text("文件", required=True) or ""
    listed = e.text("标题", "") or ""
    e.finish()
    if not name:
        return None
    target = Path(os.path.normpath(path.parent / name))
    if Path(name).is_absolute() or not target.resolve().is_relative_to(workspace.resolve()):
        report.error(path, line, f"附件“{name}”不在工作区内")
        return None
    if not target.is_file():
        report.error(path, line, f"附件“{name}”不存在（路径相对于本文件所在目录）")
        return None
    read = read_markdown(target, report, need_front=False)
    if read is None:
        return None
    data, body, body_line = read
    own_title, body, body_line = _attachment_title(data, body, body_line, target, report)
    if listed and own_title and _plain(listed) != _plain(own_title):
        report.error(path, line, f"附件说明“{listed}”与附件“{name}”的标题“{own_title}”不一致",
                     hint="附件说明应与附件标题完全相同")
        return None
    title = own_title or listed  # its own spelling may carry a forced line break
    if not title:
        report.error(path, line, f"附件“{name}”没有标题（在这里写“标题”，或在附件文件第一行写 # 标题）")
        return None
    item = _body_item(target, title, date, body, body_line, workspace, report)
    return Attachment(title, item, line)


def _attachment_title(data, body: str, body_line: int, path: Path, report: Report) -> tuple[str, str, int]:
    """An attachment's own title: `标题` in its front matter, or its first `# ` heading."""
    if isinstance(data, dict):
        f = Fields(data, path, report)
        title = f.text("标题", "") or ""
        f.finish()
        if title:
            return title, body, body_line
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if line.startswith("# "):
            rest = "\n".join(lines[index + 1:])
            return line[2:].strip(), rest, body_line + index + 1
        break
    return "", body, body_line


def _plain(title: str) -> str:
    """A title without spaces and the title-breaking marker, to compare two spellings."""
    return re.sub(r"\s+|\|", "", title)
