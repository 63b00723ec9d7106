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
