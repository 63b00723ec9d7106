"""Which Chinese faces LibreOffice on Linux sets a 简报 in (README, “字体”).

Noto CJK PDFs always name the font "Noto…CJKjp" (one CFF table shared by all the
collection's faces), so the face is told by its glyphs: see pdfread.noto_votes.
"""

from __future__ import annotations

import re

import pdfplumber
import pytest

from conftest import docx_to_pdf
from pdfread import embedded_fonts, noto_votes

CJK = re.compile(r"[\u4e00-\u9fff]")
SERIF = ("NotoSerifCJK", "UMing", "UKai")  # Song/Ming, FangSong stand-in, Kai


@pytest.fixture(scope="module")
def bare_pdfs(sample_build, tmp_path_factory):
    """Converted as on a Linux machine with the free fonts but no aliases for the GB2312 names."""
    out = tmp_path_factory.mktemp("bare")
    return {key: docx_to_pdf(sample_build[key], out, aliases=False) for key in ("luxian", "suining")}


def _votes(pdf) -> list[dict[str, int]]:
    return [v for v in (noto_votes(font) for font in embedded_fonts(pdf).values()) if v]


@pytest.mark.parametrize("which", ["bare", "aliases"])
def test_chinese_text_uses_simplified_chinese_glyphs(bare_pdfs, sample_pdfs, which):
    """w:lang eastAsia=zh-CN is what LibreOffice honours: it picks the SC face of a CJK
    family, never the JP or KR one, with or without the README's aliases."""
    for key, pdf in (bare_pdfs if which == "bare" else sample_pdfs).items():
        votes = _votes(pdf)
        assert votes, f"{key}: no Noto CJK font embedded"
        assert sum(v["telling"] for v in votes) >= 50, f"{key}: too few telling characters: {votes}"
        for v in votes:
            assert v["SC"] == v["telling"], f"{key}: not all Simplified-Chinese glyphs: {v}"
            assert v["JP"] == 0 and v["KR"] == 0 and v["TC"] == 0, f"{key}: {v}"


HEI_PARAGRAPHS = {"JbMastheadMark", "JbColumnHeading", "JbHeading1CN", "JbTocColumn"}
HEI_RUNS = {"JbRunInTitle", "JbEditorNoteLabel"}


def _hei_texts(path) -> list[str]:
    """Texts the template sets in 黑体: paragraph styles and character styles."""
    import docx
    from docx.oxml.ns import qn

    texts = []
    for paragraph in docx.Document(str(path)).paragraphs:
        if paragraph._p.style in HEI_PARAGRAPHS:
            texts.append(paragraph.text)
        texts += [run.text for run in paragraph.runs
                  if run._r.rPr is not None and run._r.rPr.find(qn("w:rStyle")) is not None
                  and run._r.rPr.find(qn("w:rStyle")).get(qn("w:val")) in HEI_RUNS]
    return ["".join(CJK.findall(t)) for t in texts if CJK.search(t)]  # as _body_lines counts them


def _body_lines(pdf) -> list[tuple[str, str, str]]:
    """(line text, its CJK characters in a serif face, those in a sans face) for each
    16 pt line, every page."""
    lines: dict[tuple[int, int], list[dict]] = {}
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            for char in page.chars:
                if abs(char["size"] - 16) < 0.3:
                    lines.setdefault((page.page_number, round(char["top"])), []).append(char)
    result = []
    for chars in lines.values():
        chars.sort(key=lambda c: c["x0"])
        cjk = [c for c in chars if CJK.match(c["text"])]
        serif = "".join(c["text"] for c in cjk if c["fontname"].split("+", 1)[-1].startswith(SERIF))
        sans = "".join(c["text"] for c in cjk if "SansCJK" in c["fontname"])
        if cjk:
            result.append(("".join(c["text"] for c in chars), serif, sans))
    return result


@pytest.mark.parametrize("key", ["luxian", "suining"])
def test_body_in_a_serif_face_and_hei_text_in_sans(sample_build, sample_pdfs, key):
    """With the README's fontconfig aliases: the 16 pt 仿宋 body in a Song/Ming/Kai face;
    only what the template sets in 黑体 (column names, 一、 headings, run-in titles,
    the mark) in a sans face."""
    lines = _body_lines(sample_pdfs[key])
    hei = _hei_texts(sample_build[key])
    assert len(lines) > 30 and hei
    serif_chars = sum(len(serif) for _, serif, _ in lines)
    assert serif_chars > 500
    stray = [text for text, serif, sans in lines if sans and not any(sans in h for h in hei)]
    assert not stray, stray[:3]
    unknown = [text for text, serif, sans in lines
               if len(serif) + len(sans) < len(CJK.findall(text))]
    assert not unknown, unknown[:3]
    headings = [sans for _, serif, sans in lines if sans and not serif]
    assert len(headings) >= 2  # whole lines of 黑体 exist, and are sans
