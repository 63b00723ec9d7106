"""A workspace on disk: series/, items/, issues/ and briefing.yaml.

Reading a workspace never writes anything; every problem found is collected
in one Report so `briefing check` can list them all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from .config import WORKSPACE_FILE, WorkspaceConfig, read_series, read_workspace_config
from .diagnostics import Report
from .fields import Fields, YamlLoader, read_fields
from .files import files_named
from .gongwen import GONGWEN
from .items import read_item
from .manifests import read_manifest
from .model import Item, Manifest, Series
from .yamlsource import load_yaml_file

if TYPE_CHECKING:
    from .gongwen.model import Document, DocumentSeries

# The 公文 reader is imported when the workspace has a 公文 series: a 简报 workspace starts without it.

SERIES_DIR = "series"
ITEMS_DIR = "items"
ISSUES_DIR = "issues"


@dataclass
class Workspace:
    """The workspace as read: settings, series, manifests; items and 公文 read when needed."""

    root: Path
    config: WorkspaceConfig
    series: dict[str, Series] = field(default_factory=dict)
    manifests: list[Manifest] = field(default_factory=list)
    invalid_series: set[str] = field(default_factory=set)  # reported already; don't report again
    document_series: dict[str, DocumentSeries] = field(default_factory=dict)  # kind: gongwen
    documents: list[Document] = field(default_factory=list)  # 公文 read by load_documents()
    documents_loaded: bool = False
    keep_items: bool = True  # False when item_reader reads from a cache: items are read again when needed
    _items: dict[Path, Item | None] = field(default_factory=dict)  # the items read, if kept
    _read: set[Path] = field(default_factory=set)  # the items read (and their problems reported)
    item_reader: Callable[[Path, Path, Iterable[str], Report], Item | None] = read_item  # or the cache's

    @property
    def items_dir(self) -> Path:
        return self.root / ITEMS_DIR

    @property
    def issues_dir(self) -> Path:
        return self.root / ISSUES_DIR

    def all_columns(self) -> list[str]:
        return sorted({c.name for s in self.series.values() for c in s.columns})

    def in_items(self, path: Path) -> bool:
        """Whether `path` is inside items/, also once `..` and links are resolved."""
        items = self.items_dir.resolve()
        return Path(os.path.normpath(path)).is_relative_to(self.items_dir) and path.resolve().is_relative_to(items)

    def item(self, path: Path, report: Report) -> Item | None:
        """Read an item; later calls reuse it (or, not kept, read it again from the cache without
        reporting its problems twice). One outside items/ (a link out) is refused."""
        if not self.in_items(path):
            report.error(path, None, "稿件是指向 items/ 目录以外的链接", hint="请把稿件本身放在 items/ 目录下")
            return None
        path = path.resolve()
        if path in self._items:
            return self._items[path]
        if path in self._read:  # its problems were reported the first time
            return self.item_reader(path, self.root, self.all_columns(), Report())
        self._read.add(path)
        item = self.item_reader(path, self.root, self.all_columns(), report)
        if self.keep_items:
            self._items[path] = item
        return item

    def item_files(self) -> list[Path]:
        return files_named(self.items_dir, ".md") if self.items_dir.is_dir() else []

    def document_ids(self) -> set[str]:
        """The 公文 on disk by id (`kunzhengban/2017-176`), without reading them."""
        if not self.document_series:
            return set()
        from .gongwen.reader import document_files, document_id

        return {document_id(self.root, path) for key in self.document_series
                for path in document_files(self.root, key)}

    def load_documents(self, report: Report) -> list[Document]:
        """Read the 公文 (once): only what needs them pays for parsing their Markdown."""
        if not self.documents_loaded:
            from .gongwen.reader import document_files, read_document

            self.documents_loaded = True
            for series in self.document_series.values():
                for file in document_files(self.root, series.key):
                    document = read_document(file, self.root, series, report)
                    if document is not None:
                        self.documents.append(document)
        return self.documents

    def manifest(self, wanted: str) -> Manifest | None:
        """Find an issue by id (`suining/2023-07`) or by manifest path."""
        for m in self.manifests:
            if wanted in (m.id, str(m.path)):
                return m
        wanted_path = Path(wanted).resolve()  # a path written otherwise: resolved only when not found as it is
        return next((m for m in self.manifests if m.path.resolve() == wanted_path), None)


def find_workspace(start: Path) -> Path:
    """The nearest folder at or above `start` with briefing.yaml or series/."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / WORKSPACE_FILE).is_file() or (folder / SERIES_DIR).is_dir():
            return folder
    return start


def load_workspace(root: Path, report: Report, manifest_reader=read_manifest,
                   load: YamlLoader = load_yaml_file) -> Workspace:
    """Read the settings, series and manifests (items are read when an issue needs them,
    公文 by load_documents).

    `manifest_reader` takes read_manifest's place, `load` load_yaml_file's for the settings
    and series files (the incremental build's cache).
    """
    root = root.resolve()
    workspace = Workspace(root, read_workspace_config(root, report, load))
    series_dir = root / SERIES_DIR
    if not series_dir.is_dir():
        report.error(series_dir, None, "工作区缺少 series/ 目录（可用 briefing init 新建工作区）")
    else:
        for path in sorted(series_dir.glob("*.yaml")) + sorted(series_dir.glob("*.yml")):
            before = len(report.errors)
            fields = read_fields(path, report, load)  # read once, whichever kind of series it is
            if fields is not None and len(report.errors) == before and _series_kind(fields) == GONGWEN:
                _load_document_series(workspace, path, fields, report)
                continue
            series = read_series(path, report, fields) if fields and len(report.errors) == before else None
            if series is not None:
                workspace.series[series.key] = series
            else:
                workspace.invalid_series.add(path.stem)
    if workspace.issues_dir.is_dir():
        for path in files_named(workspace.issues_dir, ".yaml"):
            manifest = manifest_reader(path, workspace.issues_dir, report)
            if manifest is not None:
                workspace.manifests.append(manifest)
    return workspace


def _series_kind(fields: Fields) -> str:
    """The `kind` a series file declares ('' for a 简报 series)."""
    return str(fields.data.get("kind", "")).strip()


def _load_document_series(workspace: Workspace, path: Path, fields: Fields, report: Report) -> None:
    """A 公文 series (`kind: gongwen`); its documents are read when needed."""
    from .gongwen.reader import read_document_series

    series = read_document_series(path, workspace.root, report, fields)
    if series is None:
        workspace.invalid_series.add(path.stem)
    else:
        workspace.document_series[series.key] = series

