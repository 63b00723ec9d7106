"""The clerk's and the editor's commands: import Word files, add items to an
issue, list items in no issue, show an issue as it will print.

Registered on the main group by cli.py; kept here so cli.py stays small.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .build import check_workspace
from .diagnostics import BriefingError, display_path
from .model import BRIEF, Issue


def _cli():
    from . import cli  # cli.py registers these commands, so import it late

    return cli


@click.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--series", "-s", default=None, help="刊物（series/ 下的文件名，不含 .yaml；只有一个刊物时可不填）")
@click.option("--column", "-c", default=None, help="栏目名称（默认：刊物的第一个稿件栏目）")
@click.option("--date", "-d", default=None, help="稿件日期，如 2023-07-17（默认今天）")
@click.pass_context
def import_command(ctx, files, series, column, date) -> None:
    """把 Word 文件（.docx；装有 LibreOffice 时也可 .doc、.wps）导入为稿件，一个文件一篇。"""
    from .importing import import_word

    cli = _cli()
    root = cli._root(ctx)
    when = cli._date(date)
    failed = 0
    for source in files:
        try:
            imported = import_word(root, source, series, column, when)
        except BriefingError as error:
            cli._print_report(cli.Report(error.diagnostics), root)
            failed += 1
            continue
        click.echo(f"已导入 {display_path(imported.item, root)}（来自 {source.name}）")
        for picture in imported.pictures:
            click.echo(f"  图片 {display_path(picture, root)}")
        for note in imported.notes:
            click.echo(f"  注意：{note}", err=True)
    if failed:
        click.echo(f"有 {failed} 个文件未能导入。", err=True)
        sys.exit(1)


@click.command(name="add")
@click.argument("items", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--issue", "-i", "issue_id", default=None,
              help="期，如 suining/2023-07（默认：稿件所属刊物尚未生成的下一期）")
@click.pass_context
def add_command(ctx, items, issue_id) -> None:
    """把稿件编入一期：追加到该期清单的 items，清单中的注释和排版保持不变。"""
    from .placing import add_items

    cli = _cli()
    root = cli._root(ctx)
    try:
        placed = add_items(root, list(items), issue_id)
    except BriefingError as error:
        cli._print_report(cli.Report(error.diagnostics), root)
        click.echo("未改动任何清单。", err=True)
        sys.exit(1)
    m = placed.manifest
    where = f"{m.id}（{m.year}年{m.special}第{m.number}期）"
    for name in placed.added:
        click.echo(f"已编入 {where}：{name}")
        if name in placed.elsewhere:
            click.echo(f"  注意：该稿件也列在 {placed.elsewhere[name]} 中", err=True)
    for name in placed.already:
        click.echo(f"已在 {where}中，未重复添加：{name}", err=True)


def list_unplaced(ctx) -> None:
    """`list --unplaced`: items no issue lists yet."""
    from .placing import unplaced_items

    root = _cli()._root(ctx)
    workspace, items, report = unplaced_items(root)
    for name, item in items:
        if item is None:
            click.echo(f"{name}\t（有错误，见 briefing check）")
        else:
            title = item.title or f"{item.source}（简讯）"
            click.echo(f"{name}\t{item.date}\t{item.column}\t{title}")
    click.echo(f"共 {len(items)} 篇稿件未编入任何一期。")


@click.command(name="show")
@click.argument("issue_id")
@click.pass_context
def show_command(ctx, issue_id) -> None:
    """按印刷顺序显示一期：期号、日期、各栏目稿件、分送（呈送／抄送／印发）和印数，供付印前核对。"""
    cli = _cli()
    root = cli._root(ctx)
    checked = check_workspace(root, [issue_id], building=True)
    cli._print_report(checked.report, root)
    if not checked.issues:
        sys.exit(1)
    for line in issue_lines(checked.issues[0], root):
        click.echo(line)
    if checked.report.errors:
        sys.exit(1)


def issue_lines(issue: Issue, root: Path) -> list[str]:
    """One issue as an editor reads it before printing."""
    m = issue.manifest
    lines = [f"{issue.series.name}　{m.year}年{issue.number_line}", f"{issue.series.office}　{issue.date_text}", ""]
    if issue.editor_note:
        lines += ["编者按：" + "".join(issue.editor_note), ""]
    number = 0
    for section in issue.sections:
        lines.append(section.heading or f"（{section.column.name}，不印栏目名）")
        for item in section.items:
            number += 1
            byline = "　".join(p for p in (item.source, item.author) if p)
            title = item.title
            if section.column.kind == BRIEF:
                title = f"{item.source or '简讯'}：{' '.join(item.body_tree().text_content().split())[:24]}…"
                byline = ""
            lines.append(f"  {number}. {title}" + (f"（{byline}）" if byline else ""))
            lines.append(f"     {display_path(item.path, root)}")
    lines.append("")
    lines += [f"{line.label}：{line.text}" for line in issue.footer]
    if issue.copies:
        lines.append(f"（共印 {issue.copies} 份）")
    if issue.staff_line:
        lines.append(issue.staff_line)
    return lines
