"""Parsed items, kept by content digest in the workspace's cache (.briefing-cache/items/).

An item read before from the same bytes, by the same program, against the
same columns, with the same pictures and table files, is taken from its
record instead of being parsed again: no Markdown, sanitiser or picture
check runs, and none of those libraries is imported. The record is JSON,
never pickle: a workspace received from someone else may carry a cache, and
reading it must not run anything. Like every cache here, a missing or
damaged record only means the item is read again.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import fields
from pathlib import Path
from typing import Callable, Iterable

from .diagnostics import Report
from .files import read_record, record_file, remove_records_except, write_atomic
from .incremental import CACHE_DIR, FileDigests, _hash, diagnostic_from_json, diagnostic_to_json, program_digest
from .model import Image, Item

ITEMS_DIR = "items"
RECORD_VERSION = 1

ItemReader = Callable[[Path, Path, Iterable[str], Report], "Item | None"]


class ParsedItems:
    """read_item's results, by the digest of what each item was read from."""

    def __init__(self, root: Path, files: FileDigests, reader: ItemReader) -> None:
        self.root, self.files, self.reader = root, files, reader
        self.folder = root / CACHE_DIR / ITEMS_DIR
        self.wrote = False  # whether records were written: save() then drops those of deleted items

    def read(self, path: Path, workspace: Path, columns: Iterable[str], report: Report) -> Item | None:
        """The item as read_item would return it, with the same messages in `report`."""
        columns = list(columns)
        digest = _hash(program_digest(), self.files.key(path), self.files.digest(path), *columns)
        record_file = self._record_file(path)
        known = self._known(record_file, digest, path)
        if known is not None:
            item, diagnostics = known
            report.items.extend(diagnostics)
            return item
        own = Report()
        item = self.reader(path, workspace, columns, own)
        report.items.extend(own.items)
        if item is not None and self.files.digest(path) != "missing":
            attached = [image.path for image in item.images] + list(item.table_files)
            # Written now, not kept: an archive's items would not fit in memory for long.
            self._write(record_file, {
                "version": RECORD_VERSION, "digest": digest, "item": self._item_to_json(item),
                "attached": {self.files.key(p): self.files.digest(p) for p in attached},
                "diagnostics": [diagnostic_to_json(self.files, d) for d in own.items],
            })
        return item

    def _write(self, record_file: Path, record: dict) -> None:
        try:
            write_atomic(record_file, json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8"),
                         durable=False)
            self.wrote = True
        except OSError:
            pass  # a read-only workspace reads its items each time

    def save(self, item_files: Callable[[], list[Path]] | None) -> None:
        """After records were written, drop those of items not in `item_files()`."""
        if not self.wrote or item_files is None:
            return
        remove_records_except(self.folder, (self.files.key(path) for path in item_files()))
        self.wrote = False

    def _record_file(self, path: Path) -> Path:
        return record_file(self.folder, self.files.key(path))

    def _known(self, record_file: Path, digest: str, path: Path) -> tuple[Item, list] | None:
        try:
            record = read_record(record_file)
            if record["version"] != RECORD_VERSION or record["digest"] != digest:
                return None
            if not self.files.unchanged(record["attached"]):
                return None
            item = self._item_from_json(record["item"], path)
            return item, [diagnostic_from_json(self.root, d) for d in record["diagnostics"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    # Records are workspace-relative, so a copied workspace keeps its cache.

    def _path(self, name: str) -> Path:
        return self.root / name  # an absolute name stays absolute

    def _item_to_json(self, item: Item) -> dict:
        data = {f.name: getattr(item, f.name) for f in fields(Item)}
        del data["path"]  # the file the record is for
        data["date"] = item.date.isoformat() if item.date else None
        data["images"] = [{**{f.name: getattr(i, f.name) for f in fields(Image)}, "path": self.files.key(i.path)}
                          for i in item.images]
        data["table_files"] = [self.files.key(p) for p in item.table_files]
        return data

    def _item_from_json(self, data: dict, path: Path) -> Item:
        images = tuple(Image(**{**image, "path": self._path(image["path"])}) for image in data["images"])
        date = dt.date.fromisoformat(data["date"]) if data["date"] else None
        return Item(**{**data, "path": path, "date": date, "images": images,
                       "table_files": tuple(self._path(p) for p in data["table_files"])})
