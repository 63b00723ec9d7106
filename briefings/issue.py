"""Assemble an Issue: manifest + series + items → columns, 要目, number and footer."""

from __future__ import annotations

from .dates import format_issue_date
from .diagnostics import Report, did_you_mean
from .model import BRIEF, PLACEHOLDER_MARK, FooterLine, Issue, Item, Manifest, Section, Series, TocEntry
from .workspace import Workspace
from .yamlsource import quote

FULL_WIDTH_SPACE = "\u3000"
EXTRA_LABEL = "本期增发"


def column_heading(series: Series, name: str) -> str:
    """`简讯` → `[简　讯]` with the series' brackets and spreading."""
    if series.spread_two_chars and len(name) == 2:
        name = name[0] + FULL_WIDTH_SPACE + name[1]
    return series.column_heading_format.format(name=name)


def attribution(series: Series, item: Item) -> str:
    """`（州科技局　吴启荣）`, or '' when the series or the item has none."""
    if not item.author or series.attribution == "none":
        return ""
    return "（" + FULL_WIDTH_SPACE.join(p for p in (item.source, item.author) if p) + "）"


def lead_text(series: Series, section: Section, item: Item) -> str:
    """Text that opens the first paragraph: a run-in title, or a brief note's unit."""
    if section.column.kind == BRIEF:
        return f"{item.source}：" if section.column.unit_prefix and item.source else ""
    return f"{item.title}。" if series.title_style == "run_in" else ""


def number_line(series: Series, manifest: Manifest) -> str:
    numbering = series.numbering
    if manifest.special:
        return numbering.special_format.format(label=manifest.special, number=manifest.number)
    line = numbering.number_format.format(number=manifest.number)
    if numbering.total and manifest.total:
        line += numbering.total_format.format(total=manifest.total)
    return line


def assemble_issue(workspace: Workspace, manifest: Manifest, report: Report,
                   building: bool) -> Issue | None:
    """Build the issue model; problems go to `report` and give None.

    A draft item (`draft: true`) is a warning when checking and an error when building.
    """
    before = len(report.errors)
    series = workspace.series.get(manifest.series)
    if manifest.series in workspace.invalid_series:
        return None
    if series is None:
        report.error(manifest.path, manifest.line_of.get("series"),
                     f"找不到刊物“{manifest.series}”（series/{manifest.series}.yaml）",
                     did_you_mean(manifest.series, workspace.series))
        return None
    if not manifest.items:
        # A fresh `new issue` manifest: a draft, not an error; it is skipped.
        report.warning(manifest.path, manifest.line_of.get("items"), "本期还没有列出稿件（items），跳过")
        return None
    items = _read_items(workspace, manifest, series, report, building)
    if len(report.errors) != before:
        return None

    sections = _sections(series, items)
    date_text = format_issue_date(manifest.date, series.locale, series.date_style)
    issue = Issue(
        manifest=manifest,
        series=series,
        number_line=number_line(series, manifest),
        date_text=date_text,
        sections=sections,
        toc=_toc(series, sections),
        editor_note=[p.strip() for p in manifest.editor_note.split("\n") if p.strip()],
        footer=_footer(series, manifest, report),
        copies=manifest.distribution.copies or series.copies,
        staff_line=_staff_line(manifest),
        print_line=f"{series.office}{FULL_WIDTH_SPACE * 2}{date_text}印发" if series.print_line else "",
    )
    return issue if len(report.errors) == before else None


def _read_items(workspace: Workspace, manifest: Manifest, series: Series,
                report: Report, building: bool) -> list[Item]:
    items: list[Item] = []
    seen: dict[str, int] = {}
    for index, name in enumerate(manifest.items):
        line = manifest.item_line(index)
        if name in seen:
            report.error(manifest.path, line, f"稿件“{quote(name)}”在本期重复列出（第 {seen[name]} 行已列出）")
            continue
        seen[name] = line
        path = workspace.items_dir / name
        if not workspace.in_items(path):
            report.error(manifest.path, line, f"稿件“{quote(name)}”不在 items/ 目录内",
                         hint="清单只能列出 items/ 下的稿件，路径相对于 items/，不能用 ../ 或绝对路径")
            continue
        if not path.is_file():
            report.error(manifest.path, line, f"稿件“{quote(name)}”不存在（应在 items/ 目录下）")
            continue
        item = workspace.item(path, report)
        if item is None:
            continue
        if item.placeholder_line:
            report.error(item.path, item.placeholder_line,
                         f"稿件还留着新建时的占位文字“{PLACEHOLDER_MARK}”，不能编入 {manifest.id}",
                         hint="请写好标题和正文，删去占位文字")
            continue
        if item.draft:
            (report.error if building else report.warning)(
                item.path, item.draft_line, f"稿件标为草稿（draft: true），{'不能生成' if building else '生成时会被拒绝'}",
                hint="定稿后删去 draft 一行，或从清单中移出")
            if building:
                continue
        if item.date > manifest.date:
            report.error(item.path, item.date_line,
                         f"稿件日期 {item.date} 晚于所在期（{manifest.id}）的出刊日期 {manifest.date}",
                         hint="请核对稿件或清单中的日期")
            continue
        if series.column(item.column) is None:
            names = [c.name for c in series.columns]
            report.error(manifest.path, line,
                         f"稿件“{name}”的栏目“{item.column}”不在刊物“{series.name}”的栏目中",
                         did_you_mean(item.column, names))
            continue
        items.append(item)
    return items


def _sections(series: Series, items: list[Item]) -> list[Section]:
    sections = []
    for index, column in enumerate(series.columns):
        placed = [item for item in items if item.column == column.name]
        if not placed:
            continue
        # Manifest order within a column; an item's `order` moves it forward.
        placed.sort(key=lambda item: (item.order is None, item.order or 0))
        heading = column_heading(series, column.name) if column.heading else ""
        sections.append(Section(column, heading, f"c{index + 1}", placed))
    return sections


def _toc(series: Series, sections: list[Section]) -> list[TocEntry]:
    if not series.toc:
        return []
    entries = []
    for section in sections:
        if section.column.kind == BRIEF:
            # Brief notes are listed once, by their column, like an item.
            entries.append(TocEntry(section.column.name, section.anchor))
            continue
        if series.toc_group_by_column and section.heading:
            entries.append(TocEntry(section.column.name, section.anchor, is_column=True))
        for index, item in enumerate(section.items):
            entries.append(TocEntry(item.title, section.item_anchor(index)))
    return entries


def _footer(series: Series, manifest: Manifest, report: Report) -> list[FooterLine]:
    change = manifest.distribution
    labels = [d.label for d in series.distribution]
    for label in sorted(set(change.add) | set(change.remove)):
        if label not in labels:
            report.error(manifest.path, manifest.line_of.get("distribution"),
                         f"分送栏“{label}”不在刊物的分送名单中", did_you_mean(label, labels))
    lines = []
    for distribution in series.distribution:
        recipients = list(distribution.recipients)
        for name in change.remove.get(distribution.label, ()):
            if name in recipients:
                recipients.remove(name)
            else:
                report.warning(manifest.path, manifest.line_of.get("distribution"),
                               f"要删除的“{name}”不在“{distribution.label}”名单中",
                               did_you_mean(name, recipients))
        recipients += [n for n in change.add.get(distribution.label, ()) if n not in recipients]
        if recipients:
            lines.append(FooterLine(distribution.label, _join(series, recipients)))
    if change.extra:
        lines.append(FooterLine(EXTRA_LABEL, _join(series, change.extra)))
    return lines


def _join(series: Series, names) -> str:
    return "，".join(names) + series.terminal_punctuation


def _staff_line(manifest: Manifest) -> str:
    roles = (("责任编辑", manifest.editor), ("审核", manifest.reviewer), ("签发", manifest.approver))
    return (FULL_WIDTH_SPACE * 2).join(f"{label}：{name}" for label, name in roles if name)
