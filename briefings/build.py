"""The build: read and check everything first, render in memory, then write.

Nothing is written while any input has an error, and every file is written
to a temporary file beside it and renamed into place, so a failed or
interrupted build leaves the previous good file untouched.
"""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import quote

from .diagnostics import Diagnostic, Report
from .files import check_writable, inside, remove_stale_temps, safe_file_name, write_all
from .gongwen.numbering import check_document_numbers
from .issue import assemble_issue
from .manifests import check_issue_dates, check_reused_items
from .model import Issue, Manifest
from .numbering import check_numbers
from .office import INSTALL_HINT, docx_to_pdf, find_soffice, missing_message
from .workspace import Workspace, load_workspace

FORMATS = ("docx", "html")  # built by default
PDF = "pdf"  # on request and for the site: the DOCX converted by LibreOffice
KNOWN_FORMATS = (*FORMATS, PDF)


@dataclass
class Checked:
    workspace: Workspace
    issues: list[Issue]
    report: Report


def check_workspace(root: Path, ids: Iterable[str] = (), all_items: bool = False,
                    today: dt.date | None = None, building: bool = False) -> Checked:
    """Read the workspace and assemble the wanted issues (all when none are named).
    `today` (the clock's by default) is what issue dates far in the future are measured from.
    `building`: what only stops a build (a draft item) is an error, not a warning.
    """
    report = Report()
    workspace = load_workspace(root, report)
    manifests = select_manifests(workspace, list(ids), report)
    check_numbers(workspace.manifests, report)
    check_document_numbers(workspace.documents, report)
    check_reused_items(workspace.manifests, report)
    check_issue_dates(workspace.manifests, today or dt.date.today(), report)
    if all_items:
        for path in workspace.item_files():
            workspace.item(path, report)
    issues = [issue for m in manifests if (issue := assemble_issue(workspace, m, report, building))]
    check_output_names(issues, report)
    return Checked(workspace, issues, report)


def select_manifests(workspace: Workspace, ids: list[str], report: Report) -> list[Manifest]:
    if not ids:
        return list(workspace.manifests)
    chosen = []
    for wanted in ids:
        if any(wanted == d.id for d in workspace.documents):
            continue  # a 公文, built by _render_documents
        manifest = workspace.manifest(wanted)
        if manifest is None:
            known = "、".join(m.id for m in workspace.manifests) or "无"
            report.error(None, None, f"找不到期“{wanted}”（现有：{known}）")
        else:
            chosen.append(manifest)
    return chosen


def output_name(issue: Issue) -> str:
    """File name recipients see, e.g. 遂宁返乡创业简报2023年第7期 (made safe as a name)."""
    m = issue.manifest
    label = f"{m.special}第{m.number}期" if m.special else f"第{m.number}期"
    return safe_file_name(f"{issue.series.name}{m.year}年{label}")


def output_path(out_dir: Path, issue: Issue, fmt: str) -> Path:
    return out_dir / safe_file_name(issue.series.key) / f"{output_name(issue)}.{fmt}"


def check_output_names(issues: list[Issue], report: Report) -> None:
    """No two issues may give the same file name (after names are made safe)."""
    owners: dict[Path, Issue] = {}
    for issue in issues:
        path = output_path(Path(), issue, "html")
        other = owners.setdefault(path, issue)
        if other is not issue:
            m = issue.manifest
            report.error(m.path, m.line_of.get("special") or m.line_of.get("number"),
                         f"与 {other.id} 生成同名的文件“{path.stem}”", hint="请修改刊名或增刊名称，使各期的文件名不同")


def check_output_paths(out_dir: Path, issues: list[Issue], formats: list[str], documents=()) -> None:
    """Before any work: every output inside `out_dir` and writable."""
    from .site import INDEX_FILE

    check_writable(out_dir / INDEX_FILE)
    for issue in issues:
        for fmt in formats:
            check_writable(inside(out_dir, output_path(out_dir, issue, fmt)))
    for document in documents:
        for fmt in formats:
            check_writable(inside(out_dir, out_dir / document_path(document, fmt)))


def build(root: Path, out_dir: Path | None = None, ids: Iterable[str] = (),
          formats: Iterable[str] = FORMATS, progress: Callable[[Path], None] | None = None,
          site: bool = False, warn: Callable[[Diagnostic], None] | None = None,
          jobs: int = 1, rendered: Callable[[int, int, str], None] | None = None,
          site_pdf: bool = True) -> list[Path]:
    """Build issues into `out_dir`; raises BriefingError before writing anything on bad input.

    Warnings (a gap in the numbers, an item published twice…) go to `warn`.
    With `site`, build the archive website into `out_dir`/site/: every issue in
    both formats (and PDF, unless `site_pdf` is False or LibreOffice is missing),
    the index with search, and the Atom feed.
    With `jobs` > 1 the issues are rendered by that many worker processes, to
    the same bytes as one process renders them; `rendered(done, total, id)`
    reports each finished issue. Files are written once every issue is rendered.
    """
    from .site import INDEX_FILE, SITE_DIR, render_archive, site_files

    ids = [] if site else list(ids)
    checked = check_workspace(root, ids, building=True)
    checked.report.raise_if_errors()
    root = checked.workspace.root
    out_dir = (out_dir or root / checked.workspace.config.out_dir).resolve()
    formats = list((KNOWN_FORMATS if site_pdf else FORMATS) if site else formats)
    if PDF in formats and find_soffice() is None:
        # Without LibreOffice there is no PDF; everything else is still built.
        formats.remove(PDF)
        checked.report.warning(None, None, missing_message("生成 PDF，已跳过 PDF，其他格式照常生成"), INSTALL_HINT)
    for diagnostic in checked.report.warnings if warn else ():
        warn(diagnostic)
    if site:
        out_dir = out_dir / SITE_DIR
    documents = [d for d in checked.workspace.documents if not ids or d.id in ids]
    check_output_paths(out_dir, checked.issues, formats, documents)
    _prepare_pictures(root, checked.issues, formats, jobs)

    outputs: dict[Path, bytes] = {}
    for files in _render_all(root, checked.issues, formats, out_dir, jobs, rendered):
        outputs.update(files)
    outputs.update(_render_documents(documents, formats, out_dir))
    links = {issue.id: {fmt: output_path(out_dir, issue, fmt).relative_to(out_dir).as_posix()
                        for fmt in formats} for issue in checked.issues}
    links.update(document_links(documents, formats))
    title = checked.workspace.config.title
    if site:
        outputs.update((out_dir / name, data)
                       for name, data in site_files(title, checked.issues, links, documents).items())
    elif not ids and "html" in formats:
        outputs[out_dir / INDEX_FILE] = render_archive(title, checked.issues, links,
                                                       documents=documents).encode("utf-8")

    outputs = {inside(out_dir, path): data for path, data in outputs.items()}
    remove_stale_temps({path.parent for path in outputs})
    write_all(outputs)
    for path in outputs if progress else ():
        progress(path)
    return list(outputs)


def _prepare_pictures(root: Path, issues: list[Issue], formats: list[str], jobs: int) -> None:
    """Process the issues' pictures into the cache, several at once, before rendering."""
    from .images import SCREEN, PictureCache
    from .writers.docx import PRINT

    targets = [target for fmts, target in ((("docx", PDF), PRINT), (("html",), SCREEN))
               if any(fmt in formats for fmt in fmts)]
    images = {image.path: image for issue in issues for section in issue.sections
              for item in section.items for image in item.images}
    PictureCache.for_workspace(root).prepare(list(images.values()), targets, max(jobs, os.cpu_count() or 1))


def _render_all(root: Path, issues: list[Issue], formats: list[str], out_dir: Path, jobs: int,
                rendered: Callable[[int, int, str], None] | None) -> list[dict[Path, bytes]]:
    """Each issue's files, in the issues' order, whatever order the workers finish in."""
    total = len(issues)
    results: list[dict[Path, bytes]] = [{} for _ in issues]
    if jobs <= 1 or total < 2:
        _start_worker(root)
        finished = ((index, _render_issue(issue, formats, out_dir)) for index, issue in enumerate(issues))
        for done, (index, files) in enumerate(finished, start=1):
            results[index] = files
            if rendered:
                rendered(done, total, issues[index].id)
        return results
    with ProcessPoolExecutor(min(jobs, total), initializer=_start_worker, initargs=(root,)) as pool:
        futures = {pool.submit(_render_issue, issue, formats, out_dir): index for index, issue in enumerate(issues)}
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            if rendered:
                rendered(done, total, issues[futures[future]].id)
    return results


_pictures = None  # this process's picture cache, set by _start_worker


def _start_worker(root: Path) -> None:
    """Once per process: the picture cache and the default templates."""
    global _pictures
    from .images import PictureCache
    from .writers.docx import load_default_template
    from .writers.html import load_default_templates

    _pictures = PictureCache.for_workspace(root)
    load_default_template()
    load_default_templates()


def document_path(document, fmt: str) -> str:
    """Where a 公文 goes, relative to the output folder: `kunzhengban/昆政办发〔2017〕176号 关于….docx`."""
    from .gongwen.model import output_name

    return f"{safe_file_name(document.series.key)}/{output_name(document)}.{fmt}"


def _render_documents(documents, formats: list[str], out_dir: Path) -> dict[Path, bytes]:
    from .gongwen.docx import render_document_docx
    from .gongwen.html import render_document_html

    files = {}
    for document in documents:
        docx = render_document_docx(document, _pictures) if {"docx", PDF} & set(formats) else b""
        if "docx" in formats:
            files[out_dir / document_path(document, "docx")] = docx
        if "html" in formats:
            files[out_dir / document_path(document, "html")] = render_document_html(document, _pictures).encode("utf-8")
        if PDF in formats:
            files[out_dir / document_path(document, PDF)] = docx_to_pdf(docx, Path(document_path(document, PDF)).stem,
                                                                        document.date)
    return files


def document_links(documents, formats: list[str]) -> dict[str, dict[str, str]]:
    return {d.id: {fmt: url_path(document_path(d, fmt)) for fmt in formats} for d in documents}


def url_path(path: str) -> str:
    """A relative link to a file: ASCII that URLs may not hold (the space after the
    发文字号, #, %) percent-encoded; Chinese kept as it is, as in the issues' links."""
    return "".join(quote(ch, safe="/") if ch.isascii() else ch for ch in path)


def _render_issue(issue: Issue, formats: list[str], out_dir: Path) -> dict[Path, bytes]:
    from .writers.docx import render_docx
    from .writers.html import render_html

    files = {}
    if "docx" in formats:
        files[output_path(out_dir, issue, "docx")] = render_docx(issue, _pictures)
    if "html" in formats:
        files[output_path(out_dir, issue, "html")] = render_html(issue, _pictures).encode("utf-8")
    if PDF in formats:
        docx = files.get(output_path(out_dir, issue, "docx")) or render_docx(issue, _pictures)
        files[output_path(out_dir, issue, PDF)] = docx_to_pdf(docx, output_name(issue), issue.manifest.date)
    return files
