"""`--format pdf` and the site's PDF: the built DOCX converted by LibreOffice,
rendered and read back; without LibreOffice, a Chinese message and the rest built."""

from __future__ import annotations

import subprocess

import pdfplumber
import pytest
from click.testing import CliRunner

from briefings.cli import main

from conftest import SAMPLES, require_tool

A4 = (595.3, 841.9)  # points
LUXIAN_PDF = "luxian/泸县双创简报2017年第9期.pdf"
SUINING_PDF = "suining/遂宁返乡创业简报2023年第7期.pdf"


@pytest.fixture(scope="module")
def parallel_pdf(tmp_path_factory):
    """Both sample issues as PDF, built by `build --all -j 2`."""
    require_tool("soffice")
    out = tmp_path_factory.mktemp("pdf")
    result = CliRunner().invoke(main, ["-w", str(SAMPLES), "build", "--all", "-j", "2", "--format", "pdf",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_pdf_pages_are_a4_with_the_issue_text(parallel_pdf):
    with pdfplumber.open(parallel_pdf / LUXIAN_PDF) as pdf:
        assert len(pdf.pages) >= 2
        for page in pdf.pages:
            assert (round(page.width, 1), round(page.height, 1)) == A4
        # pdfplumber spaces out runs; compare without whitespace.
        first = "".join(pdf.pages[0].extract_text().split())
        last = "".join(pdf.pages[-1].extract_text().split())
    assert "泸县双创简报" in first and "第9期（总第21期）" in first
    assert "县委常委、副县长赵领带队参加" in first
    assert "印发" in last and "80" in last  # the footer on the last page, with the issue's copies


def test_pdf_fonts_are_embedded(parallel_pdf):
    pdffonts = require_tool("pdffonts")
    for name in (LUXIAN_PDF, SUINING_PDF):
        listing = subprocess.run([pdffonts, str(parallel_pdf / name)], capture_output=True, text=True,
                                 check=True).stdout.splitlines()[2:]
        assert listing, name
        # Columns: name type encoding emb sub uni object ID; "emb" is the 4th from the right.
        assert all(line.split()[-5] == "yes" for line in listing), listing


def test_pdf_rebuild_gives_the_same_bytes(parallel_pdf, tmp_path):
    result = CliRunner().invoke(main, ["-w", str(SAMPLES), "build", "suining/2023-07", "--format", "pdf",
                                       "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / SUINING_PDF).read_bytes() == (parallel_pdf / SUINING_PDF).read_bytes()
    with pdfplumber.open(tmp_path / SUINING_PDF) as pdf:
        assert pdf.metadata["CreationDate"].startswith("D:20230717000000")  # the issue's date, not the clock


def test_site_publishes_pdf_beside_docx_and_html(sample_site):
    require_tool("soffice")
    assert (sample_site / LUXIAN_PDF).is_file() and (sample_site / SUINING_PDF).is_file()
    index = (sample_site / "index.html").read_text(encoding="utf-8")
    assert f'href="{SUINING_PDF}">PDF 版</a>' in index


def test_without_libreoffice_pdf_is_skipped_with_a_chinese_message(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_SOFFICE", str(tmp_path / "没有装"))
    runner = CliRunner()
    result = runner.invoke(main, ["-w", str(SAMPLES), "build", "suining/2023-07", "--format", "docx,pdf",
                                  "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "未找到 LibreOffice，无法生成 PDF" in result.output and "apt-get install libreoffice" in result.output
    assert (tmp_path / "out/suining/遂宁返乡创业简报2023年第7期.docx").is_file()
    assert not list((tmp_path / "out").rglob("*.pdf"))
    site = runner.invoke(main, ["-w", str(SAMPLES), "build", "--site", "-o", str(tmp_path / "web")])
    assert site.exit_code == 0, site.output
    assert "未找到 LibreOffice" in site.output
    assert (tmp_path / "web/site/index.html").is_file() and not list((tmp_path / "web").rglob("*.pdf"))
