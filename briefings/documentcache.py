"""公文 known to pass their checks, kept in the workspace's cache like the issues (see incremental.py).

`documents.json` records, for every 公文 that passed: a digest of what it is
read from (its .md file, its series file, the program), the files it takes
in (attachments, pictures, table files, seal) with their digests, its
warnings, and its summary (numbering, output names, the index).
`document-texts.json` keeps each one's text for the search, apart, as it is
large and only read when the search is made again.

A 公文 whose files have those digests is not parsed again: its warnings are
repeated from the record, and its numbers and index entry come from the
summary. As everywhere in the cache, a missing or damaged record only means
the 公文 is read again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import incremental
from .diagnostics import Diagnostic, Report
from .gongwen.model import Document, DocumentSeries, DocumentSummary, summarize_document
from .gongwen.reader import read_document
from .incremental import (CACHE_DIR, FileDigests, _hash, _load_json, _save_json, diagnostic_from_json,
                          diagnostic_to_json)

DOCUMENTS_FILE = "documents.json"
TEXTS_FILE = "document-texts.json"


@dataclass
class DocumentRecord:
    """What a passed check of one 公文 left behind."""

    summary: DocumentSummary
    digest: str
    attached: dict[str, str]  # attachments, pictures, table files, seal (workspace-relative) → SHA-256
    warnings: list[Diagnostic]

    @property
    def content(self) -> str:
        """Digest of everything the 公文's content comes from."""
        return _hash(self.digest, *(f"{name}={sha}" for name, sha in sorted(self.attached.items())))


class DocumentRecords:
    """The 公文 known to pass, by workspace-relative path of their .md file."""

    def __init__(self, root: Path, files: FileDigests) -> None:
        self.root, self.files = root, files
        self.path = root / CACHE_DIR / DOCUMENTS_FILE
        entries = _load_json(self.path).get("documents")
        self.entries: dict[str, dict] = entries if isinstance(entries, dict) else {}
        self.seen: set[str] = set()  # checked this time; records of others are forgotten once their file is gone
        self._texts: dict[str, dict] | None = None  # read when first needed
        self._changed = self._texts_changed = False

    def read(self, path: Path, series: DocumentSeries, report: Report,
             reuse: bool = True) -> tuple[DocumentRecord | None, Document | None]:
        """The 公文's record, and the document if it had to be read (None: it did not pass)."""
        key = self.files.key(path)
        self.seen.add(key)
        digest = _hash(incremental.program_digest(), key, self.files.digest(path), self.files.digest(series.path))
        record = self._known(key, path, digest) if reuse else None
        if record is not None:
            report.items.extend(record.warnings)
            return record, None
        own = Report()
        document = read_document(path, self.root, series, own)
        report.items.extend(own.items)
        if document is None:
            self._changed |= self.entries.pop(key, None) is not None
            return None, None
        return self._record(key, document, digest, own.warnings), document

    def _known(self, key: str, path: Path, digest: str) -> DocumentRecord | None:
        entry = self.entries.get(key)
        try:
            attached = entry["attached"] if entry else None
            if entry is None or entry["digest"] != digest or not self.files.unchanged(attached):
                return None
            summary = DocumentSummary.from_json(entry["summary"], path)
            if not (isinstance(summary.number, int) and isinstance(summary.title, str)
                    and isinstance(summary.code, str) and isinstance(summary.series_key, str)):
                return None
            warnings = [diagnostic_from_json(self.root, d) for d in entry["warnings"]]
            return DocumentRecord(summary, digest, dict(attached), warnings)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def _record(self, key: str, document: Document, digest: str, warnings: list[Diagnostic]) -> DocumentRecord:
        parts = (document.body, *(a.body for a in document.attachments))
        attached = [a.body.path for a in document.attachments]
        attached += [p for item in parts for p in (*(image.path for image in item.images), *item.table_files)]
        if document.seal is not None:
            attached.append(document.seal.path)
        shas = {self.files.key(p): self.files.digest(p) for p in attached}
        record = DocumentRecord(summarize_document(document), digest, shas, warnings)
        entry = {"digest": digest, "attached": shas, "summary": record.summary.to_json(),
                 "warnings": [diagnostic_to_json(self.files, d) for d in warnings]}
        self._changed |= entry != self.entries.get(key)
        self.entries[key] = entry
        return record

    # The search's texts --------------------------------------------------------

    def texts(self) -> dict[str, dict]:
        if self._texts is None:
            texts = _load_json(self.root / CACHE_DIR / TEXTS_FILE).get("documents")
            self._texts = texts if isinstance(texts, dict) else {}
        return self._texts

    def text(self, record: DocumentRecord) -> str | None:
        """The text recorded for the 公文 read with these inputs."""
        entry = self.texts().get(self.files.key(record.summary.path))
        text = entry.get("text") if isinstance(entry, dict) and entry.get("digest") == record.content else None
        return text if isinstance(text, str) else None

    def remember_text(self, record: DocumentRecord, text: str) -> None:
        self.texts()[self.files.key(record.summary.path)] = {"digest": record.content, "text": text}
        self._texts_changed = True

    def save(self) -> None:
        """Write the records down, forgetting 公文 that are no longer on disk."""
        gone = [key for key in self.entries if key not in self.seen and not os.path.isfile(self.root / key)]
        for key in gone:
            del self.entries[key]
        if self._changed or gone:
            _save_json(self.path, {"documents": self.entries})
        if self._texts_changed or (gone and self.texts()):
            texts = {key: value for key, value in self.texts().items() if key in self.entries}
            _save_json(self.root / CACHE_DIR / TEXTS_FILE, {"documents": texts})
