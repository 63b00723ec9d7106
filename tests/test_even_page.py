"""`distribution.even_page: true`: the 简报's 报尾 alone on an even last page, without page numbers."""

from __future__ import annotations

import re

import pytest
from docx import Document
from docx.enum.section import WD_SECTION

from briefings.build import build, check_workspace
from conftest import docx_to_pdf
from pdfread import read_pdf

PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")


def even_page_series(workspace, value: str = "true") -> None:
    path = workspace / "series/luxian.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  copies: 80\n", f"  copies: 80\n  even_page: {value}\n"), encoding="utf-8")


@pytest.fixture
def built(workspace, tmp_path):
    even_page_series(workspace)
    (docx,) = build(workspace, tmp_path / "out", ["luxian/2017-09"], ["docx"])
    return docx


def test_footer_in_a_last_section_on_an_even_page(built):
    doc = Document(str(built))
    text, footer = doc.sections
    assert footer.start_type == WD_SECTION.EVEN_PAGE
    assert "PAGE" in text.footer._element.xml and "PAGE" not in footer.footer._element.xml
    assert "PAGE" not in footer.even_page_footer._element.xml


def test_default_keeps_one_section(sample_build):
    assert len(Document(str(sample_build["luxian"])).sections) == 1


def test_even_page_must_be_true_or_false(workspace):
    even_page_series(workspace, "yes please")
    messages = [d.format(workspace) for d in check_workspace(workspace).report.errors]
    assert any("series/luxian.yaml:" in m and "“distribution.even_page”应是 true 或 false" in m for m in messages)


def test_rendered_footer_on_even_last_page(built, tmp_path):
    pages = read_pdf(docx_to_pdf(built, tmp_path, blank_pages=True))
    last = pages[-1]
    assert last.number % 2 == 0
    assert any(line.text.replace(" ", "").startswith("呈送：") for line in last.lines)
    assert not [l for l in last.lines if PAGE_NUMBER.match(l.text.strip())]
    text_pages = [p for p in pages[:-1] if p.lines]
    assert all(any(PAGE_NUMBER.match(l.text.strip()) for l in p.lines) for p in text_pages)
    assert len(pages) - len(text_pages) in (1, 2)  # the footer page, and the blank page when one was needed
