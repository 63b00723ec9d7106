"""The build: read and check everything first, render in memory, then write.

Nothing is written while any input has an error, and every file is written
to a temporary file beside it and renamed into place, so a failed or
interrupted build leaves the previous good file untouched.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .diagnostics import Report
from .issue import assemble_issue
from .model import Issue, Manifest
from .numbering import check_numbers
from .workspace import Workspace, load_workspace

FORMATS = ("docx", "html")
INDEX_FILE = "index.html"


@dataclass
class Checked:
    workspace: Workspace
    issues: list[Issue]
    report: Report


def check_workspace(root: Path, ids: Iterable[str] = (), all_items: bool = False) -> Checked:
    """Read the workspace and assemble the wanted issues (all when none are named)."""
    report = Report()
    workspace = load_workspace(root, report)
    manifests = select_manifests(workspace, list(ids), report)
    check_numbers(workspace.manifests, report)
    if all_items:
        for path in workspace.item_files():
            workspace.item(path, report)
    issues = [issue for m in manifests if (issue := assemble_issue(workspace, m, report))]
    return Checked(workspace, issues, report)


def select_manifests(workspace: Workspace, ids: list[str], report: Report) -> list[Manifest]:
    if not ids:
        return list(workspace.manifests)
    chosen = []
    for wanted in ids:
        manifest = workspace.manifest(wanted)
        if manifest is None:
            known = "、".join(m.id for m in workspace.manifests) or "无"
            report.error(None, None, f"找不到期“{wanted}”（现有：{known}）")
        else:
            chosen.append(manifest)
    return chosen


def output_name(issue: Issue) -> str:
    """File name recipients see, e.g. 遂宁返乡创业简报2023年第7期."""
    m = issue.manifest
    label = f"{m.special}第{m.number}期" if m.special else f"第{m.number}期"
    return f"{issue.series.name}{m.year}年{label}"


def output_path(out_dir: Path, issue: Issue, fmt: str) -> Path:
    return out_dir / issue.series.key / f"{output_name(issue)}.{fmt}"


def build(root: Path, out_dir: Path | None = None, ids: Iterable[str] = (),
          formats: Iterable[str] = FORMATS, progress: Callable[[Path], None] | None = None) -> list[Path]:
    """Build issues into `out_dir`; raises BriefingError before writing anything on bad input."""
    from .images import PictureCache
    from .writers.docx import render_docx
    from .writers.html import render_html, render_index

    ids = list(ids)
    checked = check_workspace(root, ids)
    checked.report.raise_if_errors()
    out_dir = (out_dir or checked.workspace.root / checked.workspace.config.out_dir).resolve()
    formats = list(formats)
    pictures = PictureCache.for_workspace(checked.workspace.root)

    outputs: dict[Path, bytes] = {}
    links: dict[str, dict[str, str]] = {}
    for issue in checked.issues:
        if "docx" in formats:
            outputs[output_path(out_dir, issue, "docx")] = render_docx(issue, pictures)
        if "html" in formats:
            outputs[output_path(out_dir, issue, "html")] = render_html(issue, pictures).encode("utf-8")
        links[issue.id] = {fmt: output_path(out_dir, issue, fmt).relative_to(out_dir).as_posix()
                           for fmt in formats}
    if not ids and "html" in formats:
        title = checked.workspace.config.title
        outputs[out_dir / INDEX_FILE] = render_index(title, checked.issues, links).encode("utf-8")

    for path, data in outputs.items():
        write_atomic(path, data)
        if progress:
            progress(path)
    return list(outputs)


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside the target and rename: readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
