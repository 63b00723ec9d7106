"""`briefing` command line (Chinese help and messages)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from . import cli_clerk, scaffold
from .build import FORMATS, KNOWN_FORMATS, PDF, build, check_workspace, output_path
from .diagnostics import ERROR, BriefingError, Report, display_path, file_system_problem
from .i18n import LocalizedGroup
from .workspace import find_workspace
from .yamlsource import parse_date

CONTEXT = {"help_option_names": ["-h", "--help"]}


def _root(ctx: click.Context) -> Path:
    return ctx.obj["workspace"]


def _print_report(report: Report, root: Path) -> None:
    for diagnostic in report.items:
        click.echo(diagnostic.format(root), err=True)


def _fail(error: BriefingError, root: Path | None, written: bool = True) -> None:
    _print_report(Report(error.diagnostics), root)
    count = sum(1 for d in error.diagnostics if d.level == ERROR)
    click.echo(f"有 {count} 个错误，未生成任何文件。" if written else f"有 {count} 个错误。", err=True)
    sys.exit(1)


def _date(value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


class _Commands(LocalizedGroup):
    """Any command: a file-system error (full disk, read-only folder, no permission)
    is a Chinese message naming the path, not a traceback. (LocalizedGroup: Click's
    own words in the run's language.)"""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except OSError as exc:
            root = (ctx.obj or {}).get("workspace")
            _fail(BriefingError([file_system_problem(exc)]), root, written=False)


@click.group(cls=_Commands, context_settings=CONTEXT)
@click.version_option(package_name="briefings", prog_name="briefing", message="%(prog)s %(version)s",
                      help="显示版本号并退出。")
@click.option("-w", "--workspace", type=click.Path(file_okay=False, path_type=Path),
              help="工作区目录（默认：当前目录或其上级中含 series/ 的目录）")
@click.pass_context
def main(ctx: click.Context, workspace: Path | None) -> None:
    """简报生成工具：把 Markdown 稿件编成带期号、报头和报尾的简报（DOCX 与 HTML）。"""
    ctx.ensure_object(dict)
    ctx.obj["workspace"] = (workspace or find_workspace(Path.cwd())).resolve()


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--kind", type=click.Choice(["briefing", "gongwen"]), default="briefing", show_default=True,
              help="briefing：简报（刊物、稿件、第一期清单）；gongwen：公文（公文系列和第一份公文）")
def init(folder: Path, kind: str) -> None:
    """新建工作区：一个刊物、一篇示例稿件和一期示例期（单独编号，不占用第1期；--kind gongwen：一个公文系列和第一份公文）。"""
    from .gongwen.scaffold import init_documents

    try:
        written = init_documents(folder) if kind == "gongwen" else scaffold.init_workspace(folder)
    except BriefingError as error:
        _fail(error, folder)
    for path in written:
        click.echo(f"已创建 {path}")


@main.group()
def new() -> None:
    """新建稿件或下一期。"""


@new.command("item")
@click.option("--series", "-s", required=True, help="刊物（series/ 下的文件名，不含 .yaml）")
@click.option("--column", "-c", required=True, help="栏目名称")
@click.option("--title", "-t", default="", help="标题（简讯可不填）")
@click.option("--date", "-d", default=None, help="日期，如 2023-07-17（默认今天）")
@click.option("--source", default="", help="来稿单位")
@click.option("--kind", type=click.Choice(["article", "brief"]), default=None,
              help="article 稿件 / brief 简讯（默认按栏目：简讯栏目为 brief）")
@click.pass_context
def new_item(ctx, series, column, title, date, source, kind) -> None:
    """新建一篇稿件（Markdown 文件，以标题命名，含 front matter）。"""
    root = _root(ctx)
    try:
        path = scaffold.new_item(root, series, column, title, _date(date), source, kind)
    except BriefingError as error:
        _fail(error, root)
    click.echo(f"已创建 {path}")


@new.command("issue")
@click.option("--series", "-s", required=True, help="刊物（series/ 下的文件名，不含 .yaml）")
@click.option("--date", "-d", default=None, help="出刊日期，如 2023-07-17（默认今天）")
@click.option("--special", default="", help="增刊或专刊名称，如 增刊、防汛专刊")
@click.pass_context
def new_issue(ctx, series, date, special) -> None:
    """按已有各期清单，生成下一期（第N期、总第M期或增刊编号）的清单。"""
    root = _root(ctx)
    try:
        path = scaffold.new_issue(root, series, _date(date), special)
    except BriefingError as error:
        _fail(error, root)
    click.echo(f"已创建 {path}")


@new.command("gongwen")
@click.option("--series", "-s", required=True, help="公文系列（series/ 下 kind: gongwen 的文件名，不含 .yaml）")
@click.option("--title", "-t", required=True, help="标题，如 ××关于做好××工作的通知")
@click.option("--date", "-d", default=None, help="成文日期，如 2017-09-28（默认今天）；发文字号的年份取自它")
@click.pass_context
def new_gongwen(ctx, series, title, date) -> None:
    """按磁盘上已有的公文，取下一个发文字号（〔年〕N号，每年从1起），新建一份公文。"""
    from .gongwen.scaffold import new_document

    root = _root(ctx)
    try:
        path = new_document(root, series, title, _date(date))
    except BriefingError as error:
        _fail(error, root)
    click.echo(f"已创建 {path}")


@main.command()
@click.pass_context
def check(ctx) -> None:
    """检查工作区：稿件、刊物设置、各期清单、期号重复与缺号。"""
    from .incremental import Checks

    root = _root(ctx)
    # Issues whose files passed before, unchanged since, are not read again (see incremental.py).
    checks = Checks(root)
    checked = check_workspace(root, all_items=True, checks=checks)
    checks.save((m.id for m in checked.workspace.manifests), checked.workspace.item_files)
    _print_report(checked.report, root)
    errors, warnings = len(checked.report.errors), len(checked.report.warnings)
    if errors:
        click.echo(f"发现 {errors} 个错误、{warnings} 个警告。", err=True)
        sys.exit(1)
    documents = f"、{len(checked.documents)} 份公文" if checked.documents else ""
    click.echo(f"检查通过：{len(checked.passed)} 期{documents}，{warnings} 个警告。")


@main.command(name="build")
@click.argument("issues", nargs=-1)
@click.option("--format", "-f", "formats", default=",".join(FORMATS), show_default=True,
              help="输出格式，逗号分隔：docx,html,pdf（PDF 由 LibreOffice 从 DOCX 转换）")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="输出目录（默认：工作区下的 dist/）")
@click.option("--site", is_flag=True,
              help="生成可发布的网站到输出目录下的 site/：全部各期（HTML 与 Word）、按年份索引、搜索和 Atom 订阅")
@click.option("--all", "all_issues", is_flag=True,
              help="生成全部各期和索引页：多个进程并行，显示进度（适合模板改动后重新生成整个归档）")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="并行进程数（默认：用 --all 时为 CPU 核数，否则为 1）")
@click.option("--force", is_flag=True,
              help="全部重新生成（默认只生成稿件、清单、设置或模板改动过的文件，其余不动）")
@click.pass_context
def build_command(ctx, issues, formats, out, site, all_issues, jobs, force) -> None:
    """生成简报。不指定期时生成全部各期和索引页；期可写作 suining/2023-07。"""
    root = _root(ctx)
    if site and issues:
        raise click.BadParameter("网站包含全部各期，不能同时指定期", param_hint="--site")
    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in KNOWN_FORMATS]
    if unknown:
        raise click.BadParameter(f"不支持的格式：{'、'.join(unknown)}（可选 docx、html、pdf）", param_hint="--format")
    if all_issues and issues:
        raise click.BadParameter("--all 生成全部各期，不能再指定期", param_hint="--all")
    jobs = jobs or ((os.cpu_count() or 1) if all_issues else 1)
    report = _IssueProgress() if all_issues else None
    unchanged: list[Path] = []
    try:
        written = build(root, out, issues, wanted, site=site, jobs=jobs, rendered=report, force=force,
                        progress=None if all_issues else lambda p: click.echo(f"已生成 {p}"),
                        warn=lambda d: click.echo(d.format(root), err=True), unchanged=unchanged.append,
                        removed=lambda p: click.echo(f"已删除 {p}（它的期或公文已不存在）"))
    except BriefingError as error:
        _fail(error, root)
    finally:
        if report:
            report.close()
    folder = f"，在 {written[0].parent.parent}" if all_issues and written else ""
    same = f"；{len(unchanged)} 个文件未改动，未重新生成（--force 全部重新生成）" if unchanged else ""
    click.echo(f"完成：{len(written)} 个文件{folder}{same}。")
    if PDF in wanted and not site and not any(p.suffix == f".{PDF}" for p in [*written, *unchanged]):
        sys.exit(1)  # the PDF asked for is missing (no LibreOffice); the rest is written


class _IssueProgress:
    """Progress of `build --all`: a bar on a terminal, one line per issue in a log."""

    def __init__(self) -> None:
        self.bar = None

    def __call__(self, done: int, total: int, issue_id: str) -> None:
        if not sys.stdout.isatty():
            click.echo(f"已生成第 {done}/{total} 期：{issue_id}")
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="生成各期", show_pos=True)
            self.bar.__enter__()
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@main.command(name="fix-encoding")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def fix_encoding_command(ctx, files) -> None:
    """把 GBK/GB18030 编码的稿件和设置文件转为 UTF-8（不指定文件时检查整个工作区）。"""
    root = _root(ctx)
    try:
        converted = scaffold.fix_encoding(root, list(files))
    except BriefingError as error:
        _fail(error, root)
    for path in converted:
        click.echo(f"已转为 UTF-8：{display_path(path, root)}（原为 GB18030/GBK）")
    click.echo(f"完成：转换 {len(converted)} 个文件。")


@main.command()
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="端口（只在本机 127.0.0.1 上提供；0 表示任选空闲端口）")
@click.pass_context
def serve(ctx, port) -> None:
    """预览网站：在 http://127.0.0.1:端口/ 提供，稿件、清单或设置改动后自动重新生成并刷新页面。"""
    from .serve import serve as run_server

    try:
        run_server(_root(ctx), port, log=lambda text, error=False: click.echo(text, err=error))
    except BriefingError as error:
        _fail(error, _root(ctx), written=False)


@main.command(name="list")
@click.option("--unplaced", is_flag=True, help="列出还没有编入任何一期的稿件")
@click.pass_context
def list_command(ctx, unplaced) -> None:
    """列出工作区的各期（或 --unplaced：未编入任何一期的稿件）。"""
    if unplaced:
        return cli_clerk.list_unplaced(ctx)
    root = _root(ctx)
    checked = check_workspace(root)
    out_dir = root / checked.workspace.config.out_dir
    for issue in sorted(checked.issues, key=lambda i: (i.series.key, i.manifest.date)):
        count = sum(len(s.items) for s in issue.sections)
        built = "已生成" if output_path(out_dir, issue, "docx").exists() else "未生成"
        click.echo(f"{issue.id}\t{issue.series.name} {issue.manifest.year}年{issue.number_line}\t"
                   f"{issue.date_text}\t{count} 篇\t{built}")
    for diagnostic in checked.report.errors:
        click.echo(diagnostic.format(root), err=True)


for _command in (cli_clerk.import_command, cli_clerk.add_command, cli_clerk.show_command):
    main.add_command(_command)


if __name__ == "__main__":
    main()
