"""Reader for series files (series/NAME.yaml) and the workspace file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Report
from .fields import Fields, YamlLoader, read_fields
from .model import ARTICLE, BRIEF, MAX_COPIES, Column, DistributionList, Numbering, Series
from .yamlsource import load_yaml_file, quote

WORKSPACE_FILE = "briefing.yaml"
TABLE_FONT_SIZES = {"四号": 14.0, "小四": 12.0}  # table text, GONGWEN.md §4


@dataclass(frozen=True)
class WorkspaceConfig:
    """The workspace's own settings (briefing.yaml)."""

    root: Path
    title: str = "简报"
    out_dir: str = "dist"
    # Issues and 公文 the index page lists, newest years first; older years get a page each,
    # so the index stays small however large the archive grows.
    index_entries: int = 100


def read_workspace_config(root: Path, report: Report, load: YamlLoader = load_yaml_file) -> WorkspaceConfig:
    path = root / WORKSPACE_FILE
    if not path.exists():
        return WorkspaceConfig(root)
    fields = read_fields(path, report, load)
    if fields is None:
        return WorkspaceConfig(root)
    config = WorkspaceConfig(
        root=root,
        title=fields.text("title", "简报") or "简报",
        out_dir=_out_dir(fields, root),
        index_entries=fields.integer("index_entries", 100, minimum=1, maximum=10000) or 100,
    )
    fields.finish()
    return config


def _out_dir(fields: Fields, root: Path) -> str:
    """The output folder, inside the workspace: a workspace from elsewhere must not
    write into the reader's other folders (`build --out` chooses any folder)."""
    value = fields.text("out_dir", "dist") or "dist"
    if not _within(root, root / value):
        fields.error("out_dir", f"输出目录“{value}”不在工作区内", hint="要输出到其他目录，请用 briefing build --out 目录")
        return "dist"
    return value


def _within(root: Path, path: Path) -> bool:
    """Inside `root` as written (no `..` out, not absolute) and once links are resolved."""
    return (Path(os.path.normpath(path)).is_relative_to(os.path.normpath(root))
            and path.resolve().is_relative_to(root.resolve()))


def read_series(path: Path, report: Report, fields: Fields | None = None) -> Series | None:
    """Read and validate one series file (its `fields`, when already read); problems go to `report`."""
    before = len(report.errors)
    f = fields or read_fields(path, report)
    if f is None:
        return None
    f.choice("kind", ("briefing", "gongwen"), "briefing")  # `kind: gongwen` series are read by gongwen.reader
    numbering = _numbering(f.section("numbering"))
    heading = f.section("column_heading")
    toc = f.section("toc")
    distribution = f.section("distribution")
    series = Series(
        key=path.stem,
        path=path,
        name=f.text("name", required=True) or "",
        office=f.text("office", required=True) or "",
        mark=f.text("mark", "") or "",
        locale=_locale(f),
        date_style=f.choice("date_style", ("arabic", "chinese"), "arabic"),
        numbering=numbering,
        columns=_columns(f),
        column_heading_format=_format(heading, "format", "[{name}]", "name"),
        spread_two_chars=heading.boolean("spread_two_chars", True),
        toc=toc.boolean("enabled", False),
        toc_marker=toc.text("marker", "◆") or "",
        toc_group_by_column=toc.boolean("group_by_column", True),
        title_style=f.choice("title_style", ("block", "run_in"), "block"),
        attribution=f.choice("attribution", ("own_line", "inline", "none"), "own_line"),
        distribution=_distribution(distribution),
        terminal_punctuation=distribution.text("terminal_punctuation", "。", allow_empty=True) or "",
        copies=distribution.integer("copies", None, minimum=1, maximum=MAX_COPIES, what="印数"),
        print_line=distribution.boolean("print_line", False),
        footer_even_page=distribution.boolean("even_page", False),
        docx_template=_template_path(f, "template", path),
        html_template=_template_path(f, "html_template", path),
        table_font_pt=TABLE_FONT_SIZES[f.choice("table_font_size", tuple(TABLE_FONT_SIZES), "四号")],
    )
    for section in (heading, toc, distribution, f):
        section.finish()
    return series if len(report.errors) == before else None


def _locale(f: Fields) -> str:
    value = f.text("locale", "zh_CN") or "zh_CN"
    if value == "zh_CN":
        return value  # the default is known good; babel is slow to import
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(value)
    except (UnknownLocaleError, ValueError):
        f.error("locale", f"不认识的语言区域“{value}”，例如 zh_CN")
        return "zh_CN"
    return value


def _format(f: Fields, key: str, default: str, *names: str) -> str:
    value = f.text(key, default) or default
    try:
        value.format(**{name: "" for name in names})
    except (KeyError, IndexError, ValueError):
        allowed = "、".join("{" + n + "}" for n in names)
        f.error(key, f"格式“{value}”只能使用 {allowed}")
        return default
    return value


def _numbering(f: Fields) -> Numbering:
    numbering = Numbering(
        number_format=_format(f, "number_format", "第{number}期", "number"),
        total=f.boolean("total", False),
        total_format=_format(f, "total_format", "（总第{total}期）", "total"),
        special_format=_format(f, "special_format", "{label}第{number}期", "label", "number"),
    )
    f.finish()
    return numbering


def _columns(f: Fields) -> tuple[Column, ...]:
    columns = []
    for entry in f.sections("columns"):
        if isinstance(entry.data, dict) and not entry.data and not entry.has("name"):
            continue
        column = Column(
            name=entry.text("name", required=True) or "",
            heading=entry.boolean("heading", True),
            kind=entry.choice("kind", (ARTICLE, BRIEF), ARTICLE),
            unit_prefix=entry.boolean("unit_prefix", False),
        )
        entry.finish()
        if any(c.name == column.name for c in columns):
            entry.error("name", f"栏目“{column.name}”重复")
        columns.append(column)
    if not columns:
        f.error("columns", "至少需要一个栏目")
    return tuple(columns)


def _distribution(f: Fields) -> tuple[DistributionList, ...]:
    lists = []
    for entry in f.sections("lines"):
        label = entry.text("label", required=True) or ""
        lists.append(DistributionList(label, tuple(entry.text_list("recipients"))))
        entry.finish()
    return tuple(lists)


def _template_path(f: Fields, key: str, series_path: Path,
                   required: dict[str, str] | None = None) -> Path | None:
    value = f.text(key)
    if not value:
        return None
    path = (series_path.parent / value).resolve()
    if not _within(series_path.parent.parent, series_path.parent / value):
        f.error(key, f"模板文件“{quote(value)}”不在工作区内", hint="请把模板复制到工作区内（如 series/ 或 templates/ 目录）")
        return None
    if not path.is_file():
        f.error(key, f"模板文件“{value}”不存在")
        return None
    from .templatecheck import REQUIRED_WORD_FIELDS, html_template_problem, word_template_problem

    if key == "template":
        problem = word_template_problem(path, REQUIRED_WORD_FIELDS if required is None else required)
    else:
        problem = html_template_problem(path)
    if problem:
        f.error(key, f"模板“{value}”{problem}")
        return None
    return path
