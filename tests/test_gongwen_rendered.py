"""The 公文 as LibreOffice lays it out, read back from the PDF (GONGWEN.md §1).

Converted keeping the blank page LibreOffice inserts before an even-page
section, as Word prints it.
"""

from __future__ import annotations

import re

import pytest

from briefings.build import build
from conftest import copy_samples, docx_to_pdf, require_tool
from gongwen_fixtures import FULL_ID, SAMPLE_ID, add_full_document
from pdfread import is_red, read_pdf

PAGE_TOP_TO_TYPE = 37.0
TYPE_LEFT, TYPE_RIGHT, TYPE_BOTTOM = 28.0, 210.0 - 26.0, 297.0 - 35.0
CENTRE = (TYPE_LEFT + TYPE_RIGHT) / 2
BODY_CHAR = 15.75 / 72 * 25.4  # mm: 三号 with the template's tracking
RECORD_CHAR = 14 / 72 * 25.4
PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    root = copy_samples(tmp_path_factory.mktemp("gwr") / "ws")
    add_full_document(root)
    written = build(root, root / "dist", [SAMPLE_ID, FULL_ID], ["docx"])
    out = tmp_path_factory.mktemp("gwpdf")
    result = {}
    for path in written:
        key = "full" if "180号" in path.name else "sample"
        result[key] = read_pdf(docx_to_pdf(path, out, blank_pages=True))
    return result


def line(page, pattern):
    found = [l for l in page.lines if re.search(pattern, l.text.replace(" ", ""))]
    assert found, f"no line matching {pattern} on page {page.number}: {page.text()}"
    return found[0]


def test_masthead_35_mm_below_type_top(pdfs):
    first = pdfs["sample"][0]
    masthead = line(first, "^昆山市人民政府办公室文件$")
    assert is_red(masthead.color)
    assert abs(masthead.top - (PAGE_TOP_TO_TYPE + 35)) <= 6, f"标志 top at {masthead.top:.1f} mm"
    assert abs((masthead.x0 + masthead.x1) / 2 - CENTRE) < 3
    assert masthead.x0 >= TYPE_LEFT - 0.5 and masthead.x1 <= TYPE_RIGHT + 0.5


def test_reference_centred_with_red_rule_below(pdfs):
    first = pdfs["sample"][0]
    reference = line(first, r"^昆政办发〔2017〕176号$")
    masthead = line(first, "文件$")
    assert reference.top - masthead.bottom > 12  # two empty lines between
    assert abs((reference.x0 + reference.x1) / 2 - CENTRE) < 2
    rules = [r for r in first.rules if is_red(r.color) and r.length > 150]
    assert rules, "no red rule across the type area"
    rule = rules[0]
    assert 2 <= rule.y - reference.bottom <= 8, f"rule {rule.y - reference.bottom:.1f} mm below 发文字号"
    between = [l for l in first.lines if reference.bottom < l.top < rule.y]
    assert not between


def test_title_and_recipients(pdfs):
    first = pdfs["sample"][0]
    titles = [l for l in first.lines if abs(l.size - 22) < 0.3]
    assert [l.text for l in titles][0].startswith("市政府办公室关于印发")
    assert len(titles) == 3
    for title in titles:
        assert abs((title.x0 + title.x1) / 2 - CENTRE) < 2.5
    recipients = line(first, "^昆山开发区")
    assert abs(recipients.x0 - TYPE_LEFT) < 0.8  # flush left, no indent
    assert recipients.top > titles[-1].bottom


def test_date_four_characters_from_right_and_name_over_it(pdfs):
    pages = pdfs["sample"]
    page = next(p for p in pages if any(l.text.replace(" ", "") == "2017年9月28日" for l in p.lines))
    date = line(page, "^2017年9月28日$")
    name = line(page, "^昆山市人民政府办公室$")
    assert abs((TYPE_RIGHT - date.x1) - 4 * BODY_CHAR) < 1.2, f"date ends {TYPE_RIGHT - date.x1:.1f} mm from the right"
    # Stamped: the name centred over the date. LibreOffice sets a little space between
    # Chinese and digits even where the template asks for none (Word does not), which
    # widens the date by most of a character; the arithmetic itself is a unit test.
    assert abs((name.x0 + name.x1) / 2 - (date.x0 + date.x1) / 2) < BODY_CHAR
    assert name.bottom < date.top
    note = line(page, "^（此件公开发布）$")
    assert abs(note.x0 - (TYPE_LEFT + 2 * BODY_CHAR)) < 1.2 and note.top > date.bottom


def test_attachment_on_new_page_top_left(pdfs):
    pages = pdfs["full"]
    for label in ("附件1", "附件2"):
        page = next(p for p in pages if p.lines and p.lines[0].text.replace(" ", "") == label)
        first = page.lines[0]
        assert abs(first.x0 - TYPE_LEFT) < 0.8 and first.top < PAGE_TOP_TO_TYPE + 8
        title = page.lines[1]
        assert abs(title.size - 22) < 0.3 and abs((title.x0 + title.x1) / 2 - CENTRE) < 2
    sample = pdfs["sample"]
    label = next(p for p in sample if p.lines and p.lines[0].text == "附件")
    assert label.number > 1


@pytest.mark.parametrize("key", ["sample", "full"])
def test_record_on_even_last_page_without_page_number(pdfs, key):
    pages = pdfs[key]
    last = pages[-1]
    assert last.number % 2 == 0
    printed = line(last, "印发$")
    assert abs((TYPE_RIGHT - printed.x1) - RECORD_CHAR) < 1.2, f"印发 ends {TYPE_RIGHT - printed.x1:.1f} mm from the right"
    assert abs(printed.x0 - (TYPE_LEFT + RECORD_CHAR)) < 1.2
    assert not [l for l in last.lines if PAGE_NUMBER.match(l.text.strip())]
    rules = sorted((r for r in last.rules if r.length > 150), key=lambda r: r.y)
    assert len(rules) >= 3 and abs(rules[-1].y - TYPE_BOTTOM) < 1.5
    assert rules[0].width > rules[1].width  # thick first rule, thin between
    # A blank page before the record page carries nothing, not even a page number.
    before = pages[-2]
    if not [l for l in before.lines if not PAGE_NUMBER.match(l.text.strip())]:
        assert not before.lines


def test_copy_to_continuation_aligned_after_colon(pdfs):
    last = pdfs["sample"][-1]
    copy_to = line(last, "^抄送：")
    following = last.lines[last.lines.index(copy_to) + 1]
    assert abs(following.x0 - (TYPE_LEFT + 4 * RECORD_CHAR)) < 1.2


def test_text_pages_numbered(pdfs):
    pages = pdfs["sample"]
    assert any(PAGE_NUMBER.match(l.text.strip()) for l in pages[0].lines)


def test_upward_reference_left_signer_right(pdfs):
    first = pdfs["full"][0]
    reference = line(first, r"^昆政办发〔2017〕180号")
    signer = line(first, "签发人")
    assert abs(reference.x0 - (TYPE_LEFT + BODY_CHAR)) < 1.5
    assert abs((TYPE_RIGHT - signer.x1) - BODY_CHAR) < 1.5
    rule = next(r for r in first.rules if is_red(r.color) and r.length > 150)
    assert 2 <= rule.y - reference.bottom <= 8
    assert [l.text for l in first.lines[:3]] == ["000123", "秘密★1年", "特急"]
    assert all(abs(l.x0 - TYPE_LEFT) < 0.8 for l in first.lines[:3])


def test_pdf_output_keeps_the_blank_page_before_the_record(tmp_path):
    require_tool("soffice")
    (pdf,) = build(copy_samples(tmp_path / "ws"), tmp_path / "out", [SAMPLE_ID], ["pdf"])
    assert pdf.name.startswith("昆政办发〔2017〕176号 ") and pdf.suffix == ".pdf"
    pages = read_pdf(pdf)
    assert len(pages) % 2 == 0
    assert any(l.text.replace(" ", "").endswith("印发") for l in pages[-1].lines)
    assert not pages[-2].lines  # the blank page Word inserts before an even-page section
