"""Small helpers for DOCX packages that python-docx does not offer."""

from __future__ import annotations

import datetime as dt
import io
import zipfile


def normalize_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite a DOCX zip with fixed timestamps, so equal inputs give equal bytes."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


# Pictures are JPEG or PNG already: deflating them again costs time and saves nothing.
_STORED_SUFFIXES = (".jpeg", ".jpg", ".png", ".gif")


class _FixedZipWriter:
    """Stands in for python-docx's zip writer: fixed timestamps, pictures stored as they are."""

    def __init__(self, when: dt.datetime):
        self.stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
        self.buffer = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri, blob: bytes) -> None:
        entry = zipfile.ZipInfo(pack_uri.membername, date_time=self.stamp)
        stored = pack_uri.membername.lower().endswith(_STORED_SUFFIXES)
        entry.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        self.zip.writestr(entry, blob)

    def close(self) -> None:
        self.zip.close()


PACKAGE_WRITER_STEPS = ("_write_content_types_stream", "_write_pkg_rels", "_write_parts")


def save_docx(doc, when: dt.datetime) -> bytes:
    """The document as DOCX bytes, written once (python-docx's save, then normalize_zip, deflated twice)."""
    from docx.opc.pkgwriter import PackageWriter

    if not all(hasattr(PackageWriter, step) for step in PACKAGE_WRITER_STEPS):
        # These are python-docx internals; should a release rename them, fall back
        # to its public save (slower, same guarantees: valid and reproducible).
        buffer = io.BytesIO()
        doc.save(buffer)
        return normalize_zip(buffer.getvalue(), when)
    package = doc.part.package
    for part in package.parts:
        part.before_marshal()
    writer = _FixedZipWriter(when)
    # The steps of PackageWriter.write, with our zip writer in place of its own.
    PackageWriter._write_content_types_stream(writer, package.parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, package.parts)
    writer.close()
    return writer.buffer.getvalue()
