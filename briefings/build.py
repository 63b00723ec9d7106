"""The build: read and check everything first, then render and write.

Nothing is written while any input has an error. Each file is written to a
temporary file beside it as soon as it is made, and all are renamed into
place once every one is made, so a failed or interrupted build leaves the
previous good files untouched, and no file waits in memory.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator
from urllib.parse import quote

from .diagnostics import Diagnostic, Report
from .files import Staged, check_writable, inside, remove_stale_temps, safe_file_name, write_temp
from .incremental import Checks, IssueRecord, Outputs, content_digest, output_digest, site_digest
from .issue import assemble_issue
from .manifests import check_issue_dates, check_reused_items
from .model import Issue, Manifest, Series
from .numbering import check_numbers
from .workspace import Workspace, load_workspace

if TYPE_CHECKING:
    from .documentcache import DocumentRecord
    from .gongwen.model import Document, DocumentSummary
    from .site import IssueSummary

# Imported where used (PDF, the site, 公文): building one 简报 issue starts without them.

FORMATS = ("docx", "html")  # built by default
PDF = "pdf"  # on request and for the site: the DOCX converted by LibreOffice
KNOWN_FORMATS = (*FORMATS, PDF)


@dataclass
class Checked:
    """What a check found: the workspace, the issues and 公文 that passed, and every problem."""

    workspace: Workspace
    issues: list[Issue]  # the issues read and assembled (not kept when `keep` is False)
    report: Report
    keep: bool = True  # False with a cache: an issue is read again (cheaply) when it is rendered
    read: set[str] = field(default_factory=set)  # ids of the issues read and assembled
    last: Issue | None = None  # the issue read last (all are in `issues` when kept)
    passed: list[Manifest] = field(default_factory=list)  # every wanted issue that passed, in order
    records: dict[str, IssueRecord] = field(default_factory=dict)  # with `checks`: each passed issue's record
    building: bool = False  # as check_workspace was called
    documents: list[DocumentSummary] = field(default_factory=list)  # every 公文 that passed, when checked
    document_records: dict[str, DocumentRecord] = field(default_factory=dict)  # with `checks`, by id
    read_documents: dict[str, Document] = field(default_factory=dict)  # the 公文 parsed, by id

    def document(self, summary: DocumentSummary) -> Document:
        """The 公文, reading one known to pass when it is rendered after all."""
        if summary.id not in self.read_documents:
            from .gongwen.reader import read_document

            report = Report()
            series = self.workspace.document_series[summary.series_key]
            document = read_document(summary.path, self.workspace.root, series, report)
            report.raise_if_errors()  # its files changed since they were checked
            self.read_documents[summary.id] = document
        return self.read_documents[summary.id]

    def issue(self, manifest: Manifest) -> Issue:
        """The assembled issue, reading one that was known to pass when it is needed after all."""
        if self.last is not None and self.last.manifest is manifest:
            return self.last  # building one issue: the one just checked
        for issue in self.issues:
            if issue.manifest is manifest:
                return issue
        report = Report()
        issue = assemble_issue(self.workspace, manifest, report, self.building)
        report.raise_if_errors()  # its files changed since they were checked
        self.remember(issue)
        return issue

    def remember(self, issue: Issue) -> None:
        """Note the issue as read (and keep it, without a cache; with one, only the last)."""
        self.read.add(issue.id)
        self.last = issue
        if self.keep:
            self.issues.append(issue)


def check_workspace(root: Path, ids: Iterable[str] = (), all_items: bool = False,
                    today: dt.date | None = None, building: bool = False, checks: Checks | None = None,
                    reuse: bool = True) -> Checked:
    """Read the workspace and assemble the wanted issues (all when none are named).
    `today` (the clock's by default) is what issue dates far in the future are measured from.
    `building`: what only stops a build (a draft item) is an error, not a warning.

    With `checks`, an issue or 公文 whose files are those it last passed its
    checks with is not read again (unless not `reuse`): its warnings are
    repeated from the record. Those that are read get recorded in `checks`.
    """
    report = Report()
    workspace = (load_workspace(root, report, checks.read_manifest, checks.load_yaml) if checks
                 else load_workspace(root, report))
    if checks:
        # Parsed items are on disk (itemcache.py): an archive's items and issues need not stay in memory.
        workspace.item_reader, workspace.keep_items = checks.read_item, False
    manifests = select_manifests(workspace, list(ids), report)
    check_numbers(workspace.manifests, report)
    checked = Checked(workspace, [], report, keep=checks is None, building=building)
    if not ids or workspace.document_ids() & set(ids):
        _check_documents(checked, checks, reuse)
    check_reused_items(workspace.manifests, report)
    check_issue_dates(workspace.manifests, today or dt.date.today(), report)
    for manifest in manifests:
        _check_issue(checked, manifest, checks, reuse, building)
    check_output_names(checked)
    if all_items:
        # Items of issues known to pass were checked with them; read the others.
        known = {(workspace.items_dir / name).resolve() for m in checked.passed if m.id not in checked.read
                 for name in m.items}
        for path in workspace.item_files():
            if path.resolve() not in known:
                workspace.item(path, report)
    return checked


def _check_issue(checked: Checked, manifest: Manifest, checks: Checks | None, reuse: bool,
                 building: bool) -> None:
    workspace, report = checked.workspace, checked.report
    if checks is None:
        if issue := assemble_issue(workspace, manifest, report, building):
            checked.remember(issue)
            checked.passed.append(manifest)
        return
    # A draft item is a warning for `check` and an error for a build: each keeps its own record.
    mode = "build" if building else ""
    digest = checks.issue_digest(manifest, workspace.series.get(manifest.series), workspace.items_dir)
    record = checks.known(manifest.id, digest, mode) if reuse else None
    if record is None:
        own = Report()
        issue = assemble_issue(workspace, manifest, own, building)
        report.items.extend(own.items)
        if issue is None:
            return
        checked.remember(issue)
        items = [item for section in issue.sections for item in section.items]
        attached = [image.path for item in items for image in item.images] + [p for i in items for p in i.table_files]
        record = checks.record(manifest.id, digest, attached, own.warnings, partial(_summary_json, issue), mode)
    else:
        report.items.extend(record.warnings)
    checked.passed.append(manifest)
    checked.records[manifest.id] = record


def _summary_json(issue: Issue) -> dict:
    from .site import summarize

    return summarize(issue).to_json()


def _check_documents(checked: Checked, checks: Checks | None, reuse: bool) -> None:
    """Read the 公文, or with `checks` take the unchanged ones from their records; check their numbers."""
    from .gongwen.model import summarize_document
    from .gongwen.numbering import check_document_numbers
    from .gongwen.reader import document_files

    workspace, report = checked.workspace, checked.report
    if checks is None:
        for document in workspace.load_documents(report):
            checked.documents.append(summarize_document(document))
            checked.read_documents[document.id] = document
    else:
        for series in workspace.document_series.values():
            for path in document_files(workspace.root, series.key):
                record, document = checks.documents.read(path, series, report, reuse)
                if record is not None:
                    checked.documents.append(record.summary)
                    checked.document_records[record.summary.id] = record
                if document is not None:
                    checked.read_documents[document.id] = document
    check_document_numbers(checked.documents, report)


def select_manifests(workspace: Workspace, ids: list[str], report: Report) -> list[Manifest]:
    if not ids:
        return list(workspace.manifests)
    chosen = []
    documents = workspace.document_ids()
    for wanted in ids:
        if wanted in documents:
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
    return file_stem(issue.series, issue.manifest)


def file_stem(series: Series, m: Manifest) -> str:
    label = f"{m.special}第{m.number}期" if m.special else f"第{m.number}期"
    return safe_file_name(f"{series.name}{m.year}年{label}")


def output_path(out_dir: Path, issue: Issue, fmt: str) -> Path:
    return manifest_output(out_dir, issue.series, issue.manifest, fmt)


def manifest_output(out_dir: Path, series: Series, manifest: Manifest, fmt: str) -> Path:
    return out_dir / safe_file_name(series.key) / f"{file_stem(series, manifest)}.{fmt}"


def check_output_names(checked: Checked) -> None:
    """No two issues may give the same file name (after names are made safe)."""
    owners: dict[Path, Manifest] = {}
    for m in checked.passed:
        path = manifest_output(Path(), checked.workspace.series[m.series], m, "html")
        other = owners.setdefault(path, m)
        if other is not m:
            checked.report.error(m.path, m.line_of.get("special") or m.line_of.get("number"),
                                 f"与 {other.id} 生成同名的文件“{path.stem}”",
                                 hint="请修改刊名或增刊名称，使各期的文件名不同")


def build(root: Path, out_dir: Path | None = None, ids: Iterable[str] = (),
          formats: Iterable[str] = FORMATS, progress: Callable[[Path], None] | None = None,
          site: bool = False, warn: Callable[[Diagnostic], None] | None = None,
          jobs: int = 1, rendered: Callable[[int, int, str], None] | None = None,
          site_pdf: bool = True, force: bool = False,
          unchanged: Callable[[Path], None] | None = None,
          removed: Callable[[Path], None] | None = None) -> list[Path]:
    """Build issues into `out_dir`; raises BriefingError before writing anything on bad input.

    Warnings (a gap in the numbers, an item published twice…) go to `warn`.
    With `site`, build the archive website into `out_dir`/site/: every issue in
    both formats (and PDF, unless `site_pdf` is False or LibreOffice is missing),
    the index with search, and the Atom feed.
    With `jobs` > 1 the issues are rendered by that many worker processes, to
    the same bytes as one process renders them; `rendered(done, total, id)`
    reports each finished issue. Each file goes to a temporary file as soon as
    it is made; all are renamed into place once every one is made.
    A file made before from the same inputs, and untouched since, is not made
    again but reported to `unchanged` (see incremental.py); `force` remakes all.
    Building every issue, the files made before for issues and 公文 that no
    longer exist are removed (unless changed since) and reported to `removed`.
    Returns the files written.
    """
    ids = [] if site else list(ids)
    root = root.resolve()
    checks = Checks(root)
    formats = list((KNOWN_FORMATS if site_pdf else FORMATS) if site else formats)
    with _processing_pictures_ahead(root, formats, jobs):
        checked = check_workspace(root, ids, building=True, checks=checks, reuse=not force)
    checked.report.raise_if_errors()
    out_dir = (out_dir or root / checked.workspace.config.out_dir).resolve()
    if PDF in formats:
        from .office import INSTALL_HINT, find_soffice, missing_message

        if find_soffice() is None:
            # Without LibreOffice there is no PDF; everything else is still built.
            formats.remove(PDF)
            checked.report.warning(None, None, missing_message("生成 PDF，已跳过 PDF，其他格式照常生成"), INSTALL_HINT)
    for diagnostic in checked.report.warnings if warn else ():
        warn(diagnostic)
    if site:
        from .site import SITE_DIR

        out_dir = out_dir / SITE_DIR
    state = Outputs(Outputs.load(root, out_dir).path) if force else Outputs.load(root, out_dir)

    stale, skipped = _stale_outputs(checked, checks, state, out_dir, formats)
    documents = [d for d in checked.documents if not ids or d.id in ids]
    stale_documents = _stale_documents(checked, checks, state, out_dir, formats, documents, skipped)
    # Before any work: every file to be made lies inside the output folder and can be written.
    check_writable(out_dir / "index.html")
    for path in [*stale, *stale_documents]:
        check_writable(inside(out_dir, path))
    work: dict[str, tuple[Manifest, list[str]]] = {}
    for manifest, fmt, _ in stale.values():
        work.setdefault(manifest.id, (manifest, []))[1].append(fmt)
    # Issues are assembled one at a time, here for their pictures and again to be rendered.
    _prepare_pictures(root, (checked.issue(m) for m, _ in work.values() if checked.records[m.id].attached),
                      sorted({fmt for _, fmt, _ in stale.values()}), jobs)
    # What a killed build left, wherever this one may write: beside the files to make and those made before.
    remove_stale_temps({out_dir, *(path.parent for path in [*stale, *stale_documents]),
                        *(out_dir / folder for folder in {name.rpartition("/")[0] for name in state.files})})
    made: list[tuple[Path, str]] = []  # the files to be renamed into place, with their digests
    with Staged() as staged:
        staged.make_folders(stale)  # the workers write beside the targets
        for files in _render_all(root, checked, list(work.values()), out_dir, jobs, rendered, staged):
            made += [(path, stale[path][2]) for path in files]
        for path, data in _render_documents(root, checked, stale_documents, out_dir):
            staged.write(inside(out_dir, path), data)
            made.append((path, stale_documents[path][2]))
        if not ids:
            made += _stage_changed(staged, state, out_dir,
                                   _index_files(checked, checks, state, out_dir, formats, site, skipped, documents),
                                   skipped)
        staged.commit()
    written = [path for path, _ in made]
    for path, digest in made:
        state.written(out_dir, path, digest)
        if progress:
            progress(path)
    if not ids:
        # Every issue was looked at: the files of issues and 公文 deleted since go, unless changed by hand.
        current = {_relative_stem(out_dir, path) for path in [*stale, *skipped]}
        current |= {document_path(d, PDF).rpartition(".")[0] for d in documents}
        for path in state.remove_others(out_dir, current):
            if removed:
                removed(path)
    state.save(out_dir)
    checks.save((m.id for m in checked.workspace.manifests), checked.workspace.item_files, complete=not ids)
    for path in skipped if unchanged else ():
        unchanged(path)
    return written


def _relative_stem(out_dir: Path, path: Path) -> str:
    """`luxian/泸县双创简报2017年第9期` for out_dir/luxian/泸县双创简报2017年第9期.docx (cheaply: one per file)."""
    return str(path)[len(str(out_dir)) + 1:].rpartition(".")[0].replace(os.sep, "/")


def _stage_changed(staged: Staged, state: Outputs, out_dir: Path, files: Iterable[tuple[Path, bytes]],
                   skipped: list[Path]) -> list[tuple[Path, str]]:
    """Stage the files whose bytes differ from the ones recorded on disk; the others are skipped."""
    made = []
    for path, data in files:
        digest = content_digest(data)
        if state.up_to_date(out_dir, path, digest):
            skipped.append(path)  # made again (an index page…) to the same bytes
        else:
            staged.write(inside(out_dir, path), data)
            made.append((path, digest))
    return made


def _stale_outputs(checked: Checked, checks: Checks, state: Outputs, out_dir: Path,
                   formats: list[str]) -> tuple[dict[Path, tuple[Manifest, str, str]], list[Path]]:
    """The issue files to make (path → manifest, format, digest of its inputs), and those up to date."""
    fresh: list[Path] = []
    series = checked.workspace.series
    stale = _outputs_to_make(checks, state, out_dir, formats, fresh, (
        (m, series[m.series], checked.records[m.id], partial(manifest_output, out_dir, series[m.series], m))
        for m in checked.passed))
    return stale, fresh


def _stale_documents(checked: Checked, checks: Checks, state: Outputs, out_dir: Path, formats: list[str],
                     documents: list[DocumentSummary], fresh: list[Path]
                     ) -> dict[Path, tuple[DocumentSummary, str, str]]:
    """The 公文 files to make (path → summary, format, digest of its inputs); those up to date go to `fresh`."""
    return _outputs_to_make(checks, state, out_dir, formats, fresh, (
        (d, checked.workspace.document_series[d.series_key], checked.document_records[d.id],
         lambda fmt, d=d: out_dir / document_path(d, fmt)) for d in documents))


def _outputs_to_make(checks: Checks, state: Outputs, out_dir: Path, formats: list[str], fresh: list[Path],
                     targets: Iterable[tuple[object, object, IssueRecord | DocumentRecord, Callable[[str], Path]]]
                     ) -> dict[Path, tuple]:
    """Of each issue's or 公文's files (it, its series, its record, its file per format), those to make:
    path → (it, format, digest of its inputs). Those up to date go to `fresh`."""
    stale = {}
    for target, series, record, path_of in targets:
        for fmt in formats:
            path = path_of(fmt)
            template = checks.template_digest(series, fmt) + (_pdf_converter() if fmt == PDF else "")
            digest = output_digest(record, fmt, template)
            if state.up_to_date(out_dir, path, digest):
                fresh.append(path)
            else:
                stale[path] = (target, fmt, digest)
    return stale


def _pdf_converter() -> str:
    """LibreOffice as it is installed: another version may lay a PDF out otherwise."""
    from .office import find_soffice

    soffice = find_soffice()
    try:
        stat = Path(soffice).resolve().stat()
    except (OSError, TypeError):
        return "no LibreOffice"
    return f"{soffice} {stat.st_size} {stat.st_mtime_ns}"


def _links(checked: Checked, out_dir: Path, formats: list[str]) -> dict[str, dict[str, str]]:
    return {m.id: {fmt: manifest_output(out_dir, checked.workspace.series[m.series], m, fmt)
                   .relative_to(out_dir).as_posix() for fmt in formats} for m in checked.passed}


def _summary(checked: Checked, checks: Checks, manifest: Manifest) -> IssueSummary:
    """What the index shows of an issue: as recorded, or from the issue read again if that record is gone."""
    from .site import IssueSummary, summarize

    digest = checked.records[manifest.id].content
    recorded = checks.summary(manifest.id, digest)
    try:
        return IssueSummary.from_json(recorded)
    except (TypeError, ValueError, KeyError):
        pass  # none recorded, or damaged
    summary = summarize(checked.issue(manifest))
    checks.remember_summary(manifest.id, digest, summary.to_json())
    return summary


def _with_text(checked: Checked, checks: Checks, summary: DocumentSummary) -> DocumentSummary:
    """A 公文's summary with its text for the search: as recorded, or from the 公文 read again."""
    from .site import document_text

    record = checked.document_records[summary.id]
    text = checks.documents.text(record)
    if text is None:
        text = document_text(checked.document(summary))
        checks.documents.remember_text(record, text)
    return replace(summary, text=text)


def _index_files(checked: Checked, checks: Checks, state: Outputs, out_dir: Path, formats: list[str],
                 site: bool, skipped: list[Path], documents: list = ()) -> list[tuple[Path, bytes]]:
    """The index page (and with `site` the feed and search), unless made from the same entries."""
    from .site import archive_pages, site_files

    if not site and "html" not in formats:
        return []
    title, index_entries = checked.workspace.config.title, checked.workspace.config.index_entries
    links = _links(checked, out_dir, formats)
    links.update(document_links(documents, formats))
    # An issue's summary follows from its inputs: their digests stand for the summaries.
    entries = [f"{m.id}={checked.records[m.id].content}" for m in checked.passed]
    entries += [f"{d.id}={checked.document_records[d.id].content}" for d in documents]
    inputs = site_digest(title, str(site), str(index_entries), json.dumps(links, sort_keys=True, ensure_ascii=False),
                         *entries)
    group = "site" if site else "index"
    if state.group_up_to_date(out_dir, group, inputs):
        skipped += [out_dir / name for name in state.groups[group]["files"]]
        return []
    summaries = [_summary(checked, checks, m) for m in checked.passed]
    if site:
        documents = [_with_text(checked, checks, d) for d in documents]
        files = site_files(title, summaries, links, documents, index_entries)
    else:
        files = {name: text.encode("utf-8")
                 for name, text in archive_pages(title, summaries, links, False, documents, index_entries).items()}
    state.groups[group] = {"inputs": inputs, "files": sorted(files)}
    return [(out_dir / name, data) for name, data in files.items()]


def _prepare_pictures(root: Path, issues: Iterable[Issue], formats: list[str], jobs: int) -> None:
    """Process the issues' pictures into the cache, several at once, before rendering."""
    images = {image.path: image for issue in issues for section in issue.sections
              for item in section.items for image in item.images}
    if not images:
        return
    from .images import PictureCache

    PictureCache.for_workspace(root).prepare(list(images.values()), _picture_targets(formats),
                                             max(jobs, os.cpu_count() or 1))


def _processing_pictures_ahead(root: Path, formats: list[str], jobs: int):
    """While the checks run, new pictures are processed from the check's own decode (see pictureahead.py)."""
    from .pictureahead import processing_ahead

    return processing_ahead(root, partial(_picture_targets, formats), max(jobs, os.cpu_count() or 1))


def _picture_targets(formats: list[str]) -> list:
    from .images import SCREEN
    from .writers.docx import PRINT

    return [target for fmts, target in ((("docx", PDF), PRINT), (("html",), SCREEN))
            if any(fmt in formats for fmt in fmts)]


def _render_all(root: Path, checked: Checked, work: list[tuple[Manifest, list[str]]], out_dir: Path, jobs: int,
                rendered: Callable[[int, int, str], None] | None, staged: Staged) -> list[list[Path]]:
    """Make each issue's files in the formats asked, staged in `staged` as each issue is
    done; returns their paths in the order of `work`, whatever order the workers finish in.
    Issues are assembled as they are rendered (or sent to a worker), so few are in memory at once."""
    total = len(work)
    formats = sorted({fmt for _, fmts in work for fmt in fmts})
    results: list[list[Path]] = [[] for _ in work]

    def finished(done: int, index: int, temps: dict[Path, Path]) -> None:
        for path, temp in temps.items():
            staged.adopt(path, temp)
        results[index] = list(temps)
        if rendered:
            rendered(done, total, work[index][0].id)

    if not work:
        return results  # nothing to make: no picture cache or template to load
    if jobs <= 1 or total < 2:
        _start_worker(root, formats)
        for done, (index, (manifest, fmts)) in enumerate(enumerate(work), start=1):
            finished(done, index, _make_issue(checked.issue(manifest), fmts, out_dir))
        return results
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait  # only --all -j starts workers

    waiting = iter(enumerate(work))
    with ProcessPoolExecutor(min(jobs, total), initializer=_start_worker,
                             initargs=(root, formats)) as pool:
        futures: dict = {}

        def submit(count: int) -> None:
            for index, (manifest, fmts) in itertools.islice(waiting, count):
                futures[pool.submit(_make_issue, checked.issue(manifest), fmts, out_dir)] = index

        submit(2 * jobs)  # a few issues ahead of the workers, not the whole archive in the queue
        try:
            done = 0
            while futures:
                finished_now, _ = wait(futures, return_when=FIRST_COMPLETED)
                for future in finished_now:
                    done += 1
                    finished(done, futures.pop(future), future.result())
                submit(len(finished_now))
        except BaseException:
            # Stop, and let `staged` remove what the workers still busy write.
            pool.shutdown(cancel_futures=True)
            for future in futures:
                if future.done() and not future.cancelled() and future.exception() is None:
                    for path, temp in future.result().items():
                        staged.adopt(path, temp)
            raise
    return results


_pictures = None  # this process's picture cache, set by _start_worker


def _start_worker(root: Path, formats: list[str]) -> None:
    """Once per process: the picture cache and the default templates of the formats made."""
    global _pictures
    from .images import PictureCache

    _pictures = PictureCache.for_workspace(root)
    if "docx" in formats or PDF in formats:
        from .writers.docx import load_default_template

        load_default_template()
    if "html" in formats:
        from .writers.html import load_default_templates

        load_default_templates()


def document_path(document: DocumentSummary, fmt: str) -> str:
    """Where a 公文 goes, relative to the output folder: `kunzhengban/昆政办发〔2017〕176号 关于….docx`."""
    from .gongwen.model import output_name

    return f"{safe_file_name(document.series_key)}/{output_name(document)}.{fmt}"


def _render_documents(root: Path, checked: Checked, stale: dict[Path, tuple[DocumentSummary, str, str]],
                      out_dir: Path) -> Iterator[tuple[Path, bytes]]:
    """The stale 公文 files, one at a time, in this process (with --all -j the workers made only the issues)."""
    work: dict[str, tuple[DocumentSummary, list[str]]] = {}
    for summary, fmt, _ in stale.values():
        work.setdefault(summary.id, (summary, []))[1].append(fmt)
    if not work:
        return
    from .gongwen.docx import render_document_docx
    from .gongwen.html import render_document_html

    if _pictures is None:
        _start_worker(root, sorted({fmt for _, fmts in work.values() for fmt in fmts}))
    for summary, formats in work.values():
        document = checked.document(summary)
        yield from _rendered_files(
            formats, lambda fmt: out_dir / document_path(summary, fmt),
            lambda: render_document_docx(document, _pictures), lambda: render_document_html(document, _pictures),
            Path(document_path(summary, PDF)).stem, document.date)


def document_links(documents: list[DocumentSummary], formats: list[str]) -> dict[str, dict[str, str]]:
    return {d.id: {fmt: url_path(document_path(d, fmt)) for fmt in formats} for d in documents}


def url_path(path: str) -> str:
    """A relative link to a file: ASCII that URLs may not hold (the space after the
    发文字号, #, %) percent-encoded; Chinese kept as it is, as in the issues' links."""
    return "".join(quote(ch, safe="/") if ch.isascii() else ch for ch in path)


def _make_issue(issue: Issue, formats: list[str], out_dir: Path) -> dict[Path, Path]:
    """Render the issue's files, each written to a temporary file beside its target as soon
    as it is made (in a worker under --all -j): path → temporary file."""
    def docx() -> bytes:
        from .writers.docx import render_docx

        return render_docx(issue, _pictures)

    def html() -> str:
        from .writers.html import render_html

        return render_html(issue, _pictures)

    temps: dict[Path, Path] = {}
    try:
        for path, data in _rendered_files(formats, lambda fmt: output_path(out_dir, issue, fmt), docx, html,
                                          output_name(issue), issue.manifest.date):
            temps[path] = write_temp(path, data)
    except BaseException:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
        raise
    return temps


def _rendered_files(formats: list[str], path_of: Callable[[str], Path], docx: Callable[[], bytes],
                    html: Callable[[], str], pdf_name: str, date) -> Iterator[tuple[Path, bytes]]:
    """One issue's or 公文's files in the formats asked, each as soon as it is made;
    the PDF is made from the same DOCX."""
    made = docx() if {"docx", PDF} & set(formats) else b""
    if "docx" in formats:
        yield path_of("docx"), made
    if "html" in formats:
        yield path_of("html"), html().encode("utf-8")
    if PDF in formats:
        from .office import docx_to_pdf

        yield path_of(PDF), docx_to_pdf(made, pdf_name, date)
