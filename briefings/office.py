"""LibreOffice run headless: .doc/.wps → .docx for import, .docx → PDF for output.

Every conversion gets its own temporary LibreOffice profile: two LibreOffice
processes sharing one profile wait for each other or fail, and parallel builds
(`build --all -j`) and several editors on one machine convert at the same time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .diagnostics import BriefingError, Diagnostic

CONVERT_TIMEOUT_SECONDS = 300
INSTALL_HINT = ("请安装 LibreOffice：Windows 从 https://zh-cn.libreoffice.org/ 下载安装；"
                "Debian/Ubuntu 运行 sudo apt-get install libreoffice-writer-nogui")
# PDF export: every font embedded (LibreOffice embeds the glyphs it uses), no
# form fields, pictures kept at their resolution (the DOCX already holds them at 300 dpi).
# IsSkipEmptyPages false: the blank page Word prints before an even-page 版记/报尾 stays in
# the PDF, so it prints on both sides as the DOCX does.
PDF_FILTER = ('pdf:writer_pdf_Export:{"EmbedStandardFonts":{"type":"boolean","value":"true"},'
              '"ReduceImageResolution":{"type":"boolean","value":"false"},'
              '"ExportFormFields":{"type":"boolean","value":"false"},'
              '"IsSkipEmptyPages":{"type":"boolean","value":"false"}}')
# Linux: the templates' font aliases send the 公文 font names (仿宋_GB2312…) to free
# faces of the same kind when the real ones are not installed.
FONT_ALIASES = "fonts.conf"
_WINDOWS_PLACES = (r"C:\Program Files\LibreOffice\program\soffice.exe",
                   r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")


def find_soffice() -> str | None:
    """The LibreOffice program: $BRIEFING_SOFFICE, on PATH, or where Windows installs it."""
    explicit = os.environ.get("BRIEFING_SOFFICE")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if sys.platform == "win32":
        return next((p for p in _WINDOWS_PLACES if Path(p).is_file()), None)
    return None


def missing_message(purpose: str) -> str:
    return f"未找到 LibreOffice，无法{purpose}"


def convert(source: Path, target_format: str, out_dir: Path, purpose: str,
            env: dict[str, str] | None = None) -> Path:
    """Convert `source` into `out_dir` (e.g. "docx", PDF_FILTER); returns the new file.

    Raises BriefingError (in Chinese) when LibreOffice is missing, fails or hangs.
    """
    soffice = find_soffice()
    if soffice is None:
        raise BriefingError([Diagnostic(source, None, missing_message(purpose), hint=INSTALL_HINT)])
    suffix = target_format.split(":", 1)[0]
    with tempfile.TemporaryDirectory(prefix="briefing-lo-") as profile:
        command = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                   "--norestore", "--convert-to", target_format, "--outdir", str(out_dir), str(source)]
        try:
            subprocess.run(command, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=CONVERT_TIMEOUT_SECONDS, env=env)
        except subprocess.TimeoutExpired:
            raise BriefingError([Diagnostic(source, None, f"LibreOffice 转换超过 {CONVERT_TIMEOUT_SECONDS} 秒仍未完成，"
                                                          f"无法{purpose}")]) from None
        except (subprocess.CalledProcessError, OSError) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            raise BriefingError([Diagnostic(source, None, f"LibreOffice 转换失败，无法{purpose}",
                                            hint=detail.decode("utf-8", "replace").strip()[:200])]) from None
    result = out_dir / f"{source.stem}.{suffix}"
    if not result.is_file():
        raise BriefingError([Diagnostic(source, None, f"LibreOffice 没有生成 {suffix.upper()} 文件，无法{purpose}",
                                        hint="文件可能已损坏或受密码保护")])
    return result


def docx_to_pdf(docx: bytes, name: str, date: dt.date) -> bytes:
    """A built DOCX as PDF bytes (A4 as the DOCX sets it, fonts embedded), the
    same bytes for the same DOCX: see repeatable_pdf()."""
    with tempfile.TemporaryDirectory(prefix="briefing-pdf-") as folder:
        source = Path(folder) / f"{name}.docx"
        source.write_bytes(docx)
        out = Path(folder) / "out"
        out.mkdir()
        env = _font_environment(Path(folder)) if sys.platform.startswith("linux") else None
        return repeatable_pdf(convert(source, PDF_FILTER, out, "生成 PDF", env).read_bytes(), date)


def _font_environment(folder: Path) -> dict[str, str] | None:
    """fontconfig as the system has it, plus the templates' aliases for the 公文 font names."""
    from .templatedir import default_templates_dir

    aliases = default_templates_dir() / FONT_ALIASES
    if not aliases.is_file():
        return None
    config = folder / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>'
                      f'<include ignore_missing="yes">{os.environ.get("FONTCONFIG_FILE", "/etc/fonts/fonts.conf")}</include>'
                      f"<include>{html.escape(str(aliases), quote=False)}</include></fontconfig>\n", encoding="utf-8")
    return dict(os.environ, FONTCONFIG_FILE=str(config))


_PDF_DATE = re.compile(rb"/(?:CreationDate|ModDate)\s*\(D:(\d{14})")
_PDF_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]|/DocChecksum\s*/([0-9A-Fa-f]+)")


def repeatable_pdf(pdf: bytes, date: dt.date) -> bytes:
    """LibreOffice stamps the time of conversion and a random-looking ID; put the
    issue date and a hash of the content in their place, at the same length, so
    the cross-reference offsets stay right and rebuilds give the same bytes."""
    stamp = f"{date:%Y%m%d}000000".encode()
    pdf = _PDF_DATE.sub(lambda m: m.group(0)[:m.start(1) - m.start(0)] + stamp, pdf)
    holes = [(m.start(g), m.end(g)) for m in _PDF_ID.finditer(pdf) for g in (1, 2, 3) if m.start(g) >= 0]
    blank = bytearray(pdf)
    for start, end in holes:
        blank[start:end] = b"0" * (end - start)
    digest = hashlib.md5(bytes(blank)).hexdigest().upper().encode()
    for start, end in holes:
        blank[start:end] = (digest * 2)[:end - start]
    return bytes(blank)
