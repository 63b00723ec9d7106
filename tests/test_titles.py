"""Title line breaking in the 简报: between phrases, and where the author forces it (`|`)."""

from __future__ import annotations

from docx import Document

from briefings.build import build

ITEM = "items/luxian/2017-09/03-tianfubei.md"


def test_forced_break_in_docx_and_html_not_in_lists(workspace, tmp_path):
    path = workspace / ITEM
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("“天府杯”创业大赛（泸州赛区）暨", "“天府杯”创业大赛|（泸州赛区）暨", 1), encoding="utf-8")
    written = build(workspace, tmp_path, ["luxian/2017-09"])
    docx = next(p for p in written if p.suffix == ".docx")
    html = next(p for p in written if p.suffix == ".html").read_text(encoding="utf-8")
    title = next(p for p in Document(str(docx)).paragraphs if p.text.startswith("县双创办精心组织"))
    # Before the marker 24 characters: two balanced lines, broken between phrases; after it, one.
    assert title.text.split("\n") == [
        "县双创办精心组织参加四川省", "第一届“天府杯”创业大赛", "（泸州赛区）暨泸州市第四届创新创业大赛"]
    assert "大赛<br>（泸州赛区）" in html
    assert "|" not in title.text
    assert "创业大赛（泸州赛区）暨" in html  # the hidden outline and lists keep the plain title


def test_titles_in_html_carry_phrase_breaks(sample_build):
    html = sample_build["luxian_html"].read_text(encoding="utf-8")
    assert "<wbr>" in html.split('<h1 class="series-name">')[1].split("</h1>")[0]
    # Quoted and bracketed names are never broken.
    assert "<wbr>“天府杯”<wbr>" in html and "<wbr>（泸州赛区）<wbr>" in html
    assert "常委、<wbr>副县长" in html
