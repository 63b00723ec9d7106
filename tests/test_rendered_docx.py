"""The DOCX as LibreOffice lays it out, read back from the PDF (FORMAT.md §2–5)."""

from __future__ import annotations

import re

import pytest

from pdfread import is_black, is_red, read_pdf

TYPE_TOP, TYPE_BOTTOM = 37.0, 297.0 - 35.0  # mm
TYPE_LEFT, TYPE_RIGHT = 28.0, 210.0 - 26.0
HANGING = "，。、；：！？）”’》"
PAGE_NUMBER = re.compile(r"^—\s*(\d+)\s*—$")
TWO_CHARS = 2 * 16 / 72 * 25.4  # first-line indent: two 三号 characters, 11.29 mm
# What each sample prints on page 1, written out.
NUMBER_LINE = {"luxian": "第9期（总第21期）", "suining": "第7期（总第45期）"}
OFFICE_LINE = {"luxian": "泸县大众创业万众创新工作领导小组办公室2017年9月25日",
               "suining": "遂宁市农民工暨返乡下乡创业工作领导小组办公室2023年7月17日"}


@pytest.fixture(scope="module", params=["luxian", "suining"])
def sample(request):
    return request.param


@pytest.fixture(scope="module")
def pages(sample, sample_pdfs):
    return read_pdf(sample_pdfs[sample])


def body_lines(page):
    """Lines of 三号 body text inside the type area."""
    return [l for l in page.lines if abs(l.size - 16) < 0.3 and TYPE_TOP - 3 < l.top < TYPE_BOTTOM + 1
            and not is_red(l.color)]


def test_pages_are_a4(pages):
    for page in pages:
        assert abs(page.width - 210) < 1 and abs(page.height - 297) < 1


def test_red_masthead_in_top_third_of_first_page(pages):
    first = pages[0]
    red = [l for l in first.lines if is_red(l.color) and l.size >= 26]
    assert red, "no large red series name on page 1"
    name = red[0]
    assert name.size == pytest.approx(42, abs=0.5)  # 初号 for a short name
    assert name.bottom < 297 / 3
    # Its top sits about 20 mm below the top of the type area.
    assert 12 < name.top - TYPE_TOP < 28
    # Centred on the type area.
    centre = (name.x0 + name.x1) / 2
    assert abs(centre - (TYPE_LEFT + TYPE_RIGHT) / 2) < 4


def test_number_and_dated_office_line(pages, sample):
    first = pages[0]
    number = [l for l in first.lines if l.text.replace(" ", "") == NUMBER_LINE[sample]]
    assert len(number) == 1 and number[0].top < 297 / 3
    # Centred on the type area.
    assert abs((number[0].x0 + number[0].x1) / 2 - (TYPE_LEFT + TYPE_RIGHT) / 2) < 2
    office = [l for l in first.lines if l.text.replace(" ", "") == OFFICE_LINE[sample]]
    assert len(office) == 1, "no office line ending with the date"
    line = office[0]
    assert line.top > number[0].bottom
    assert abs(line.x0 - TYPE_LEFT) < 2 and abs(line.x1 - TYPE_RIGHT) < 2  # flush left and right


def test_red_rule_under_office_line(pages):
    first = pages[0]
    office = next(l for l in first.lines if re.search(r"\d{4}年\d{1,2}月\d{1,2}日$", l.text.replace(" ", "")))
    rules = [r for r in first.rules if is_red(r.color) and r.length >= 150]
    assert rules, "no red rule of 150 mm or more on page 1"
    rule = rules[0]
    assert 1.4 <= rule.width <= 2.3
    assert 2 <= rule.y - office.bottom <= 8


def test_body_text_is_16pt_fangsong_black(pages):
    """tests/fonts.conf maps 仿宋_GB2312 to Noto Serif CJK (黑体 to Noto Sans CJK, 楷体 to AR PL UKai),
    so body text drawn in a serif regular face is 仿宋 here, not 黑体, 楷体 or bold."""
    body = [l for page in pages for l in body_lines(page)]
    assert len(body) > 40
    assert all(is_black(l.color) for l in body), {l.color for l in body}
    # Headings (黑体, 楷体, bold) and the mark are 三号 too, but most lines are paragraphs.
    fangsong = [l for l in body if is_fangsong(l.font)]
    assert len(fangsong) >= 0.7 * len(body), {l.font for l in body}


def is_fangsong(font: str) -> bool:
    return font.startswith("NotoSerifCJK") and "-Regular" in font


def test_body_paragraphs_indent_their_first_line_two_characters(pages, sample):
    """GB/T 9704: each paragraph starts two characters in; its other lines run full measure."""
    starts = {"luxian": "2017年9月7日-10日", "suining": "遂宁市农民工暨返乡下乡创业工作领导小组办公室赴北京、"}
    first = next(l for l in pages[0].lines if l.text.startswith(starts[sample]) and abs(l.size - 16) < 0.3)
    assert first.x0 - TYPE_LEFT == pytest.approx(TWO_CHARS, abs=0.5)
    following = pages[0].lines[pages[0].lines.index(first) + 1]
    assert following.x0 - TYPE_LEFT == pytest.approx(0, abs=0.5)
    # In 仿宋 (suining runs its title, in 黑体, into the first two lines).
    plain = pages[0].lines[pages[0].lines.index(first) + 2]
    assert is_fangsong(plain.font) and abs(plain.size - 16) < 0.3, plain.font


def test_at_most_28_characters_per_line(pages):
    """28 characters fill the 156 mm measure. LibreOffice 7.4 hangs a closing
    comma or stop in the margin (悬挂标点) whatever w:overflowPunct says, so a
    final punctuation mark is not counted."""
    widest = 0.0
    for page in pages:
        for line in body_lines(page):
            widest = max(widest, line.ems)
            ems, x1 = line.ems, line.x1
            if line.text[-1] in HANGING and x1 > TYPE_RIGHT + 0.5:
                ems -= 1
                x1 -= 16 / 72 * 25.4
            assert ems <= 28.3, f"page {page.number}: {ems:.1f} ems: {line.text}"
            assert x1 <= TYPE_RIGHT + 0.5, f"page {page.number} runs into the margin: {line.text}"
    assert widest >= 27.5, f"no line fills the measure: widest {widest:.1f} ems"


@pytest.fixture(scope="module")
def long_item_pages(tmp_path_factory):
    """One long item of real sample paragraphs, so middle pages hold body text only."""

    from briefings.build import build
    from conftest import copy_samples, docx_to_pdf

    root = tmp_path_factory.mktemp("long") / "ws"
    copy_samples(root)
    paragraphs = []
    for path in sorted((root / "items" / "suining").rglob("*.md")):
        paragraphs += [p for p in path.read_text(encoding="utf-8").split("---", 2)[2].split("\n\n") if p.strip()]
    body = "\n\n".join(p.replace("**", "") for p in paragraphs * 2)
    (root / "items" / "long.md").write_text(
        f"---\ntitle: 长稿件\ncolumn: 要闻\ndate: 2023-07-17\n---\n\n{body}\n", encoding="utf-8")
    (root / "issues" / "suining" / "2023-08.yaml").write_text(
        "series: suining\nnumber: 8\ntotal: 46\ndate: 2023-08-01\nitems: [long.md]\n", encoding="utf-8")
    docx = next(p for p in build(root, root / "dist", ["suining/2023-08"], ["docx"]))
    return read_pdf(docx_to_pdf(docx, root))


def test_full_pages_hold_22_lines_on_the_grid(long_item_pages):
    middle = long_item_pages[1:-1]
    assert len(middle) >= 3
    for page in middle:
        lines = body_lines(page)
        assert 21 <= len(lines) <= 22, f"page {page.number} has {len(lines)} lines"
        # 28.95 pt (10.21 mm) from one line to the next: 22 lines fill 225 mm.
        pitches = [b.top - a.top for a, b in zip(lines, lines[1:])]
        assert all(abs(p - 10.21) < 0.15 for p in pitches), pitches
        assert 0 <= lines[0].top - TYPE_TOP < 4
        # Paragraphs start two characters in, their other lines flush left: nothing else.
        offsets = [round(l.x0 - TYPE_LEFT - TWO_CHARS) if l.x0 - TYPE_LEFT > 5 else round(l.x0 - TYPE_LEFT)
                   for l in lines]
        assert set(offsets) == {0}, [(round(l.x0 - TYPE_LEFT, 1), l.text[:6]) for l in lines]
        assert any(l.x0 - TYPE_LEFT > 5 for l in lines) and any(l.x0 - TYPE_LEFT < 1 for l in lines)


def test_page_numbers_odd_right_even_left(pages):
    for page in pages:
        numbers = [l for l in page.lines if PAGE_NUMBER.match(l.text.replace(" ", ""))]
        assert numbers, f"page {page.number} has no — N — number"
        line = numbers[0]
        assert int(PAGE_NUMBER.match(line.text.replace(" ", "")).group(1)) == page.number
        assert abs(line.size - 14) < 0.3
        assert 4 < line.top - TYPE_BOTTOM < 11  # about 7 mm below the type area
        if page.number % 2:
            assert TYPE_RIGHT - line.x1 == pytest.approx(4.9, abs=1.5)  # one character in
        else:
            assert line.x0 - TYPE_LEFT == pytest.approx(4.9, abs=1.5)


def test_footer_block_at_bottom_of_last_page(pages):
    last = pages[-1]
    labels = [l for l in last.lines if re.match(r"^(呈送|抄送|印发)：", l.text)]
    assert [l.text[:2] for l in labels][:3] == ["呈送", "抄送", "印发"]
    assert all(l.top > 297 * 0.5 for l in labels)
    assert all(abs(l.size - 14) < 0.3 for l in labels)
    copies = [l for l in last.lines if re.search(r"共印\d+份", l.text)]
    assert copies and copies[0].x1 > TYPE_RIGHT - 8
    rules = sorted((r for r in last.rules if r.length > 150 and not is_red(r.color)), key=lambda r: r.y)
    assert len(rules) >= 4, "thick rule, thin rules between lines, thick rule"
    assert all(is_black(r.color) for r in rules), {r.color for r in rules}
    assert all(155 <= r.length <= 157 for r in rules)  # the type width
    # Thick (0.35 mm ≈ 1 pt) first and last, thin (0.25 mm ≈ 0.75 pt) between.
    assert rules[0].width == pytest.approx(1.0, abs=0.15) and rules[-1].width == pytest.approx(1.0, abs=0.15)
    assert all(r.width == pytest.approx(0.75, abs=0.15) for r in rules[1:-1])
    assert rules[0].y < labels[0].top
    assert abs(rules[-1].y - TYPE_BOTTOM) < 4, f"last rule at {rules[-1].y:.1f} mm"
    for page in pages[:-1]:
        assert not any(l.text.startswith("呈送：") for l in page.lines)
