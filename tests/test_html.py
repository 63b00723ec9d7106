"""The HTML page of an issue, parsed: title, number, 要目 links, items, footer."""

from __future__ import annotations

import re

from urllib.parse import unquote

from lxml import html


def page(sample_build, key):
    return html.fromstring(sample_build[f"{key}_html"].read_bytes())


def test_title_number_and_office_line(sample_build):
    doc = page(sample_build, "suining")
    assert doc.findtext(".//title") == "遂宁返乡创业简报 第7期（总第45期）"
    assert doc.get("lang") == "zh-CN"
    header = doc.find(".//header")
    assert header.find(".//h1").text_content() == "遂宁返乡创业简报"
    assert "第7期（总第45期）" in header.text_content()
    assert "遂宁市农民工暨返乡下乡创业工作领导小组办公室" in header.text_content()
    assert header.find(".//time").get("datetime") == "2023-07-17"
    assert header.find(".//time").text == "2023年7月17日"


def test_toc_anchors_resolve_to_items(sample_build):
    doc = page(sample_build, "suining")
    links = doc.findall(".//nav//a")
    assert len(links) == 5
    for link in links:
        target = doc.get_element_by_id(link.get("href").lstrip("#"))
        assert target is not None
        if link.text != "工作简讯":
            assert target.text_content().strip().startswith(link.text)
    assert links[-1].text == "工作简讯"


def test_items_in_columns_with_headings(sample_build):
    doc = page(sample_build, "luxian")
    sections = doc.findall(".//main/section")
    headings = [(s.findtext("h2"), s.find("h2").get("class")) for s in sections]
    # 要闻 prints no heading; it has one for the outline, hidden on screen and paper.
    assert headings == [("要闻", "visually-hidden"), ("[部门动态]", None), ("[各镇亮点]", None),
                        ("[简\u3000讯]", None)]
    titles = [h.text_content() for h in doc.findall(".//article/h3")]
    assert titles[0] == "县委常委、副县长赵领带队参加第五届中国（绵阳）科技城国际科技博览会"
    assert len(doc.findall(".//article")) == 13
    image = doc.find(".//figure/img")
    assert image.get("src").startswith("data:image/png;base64,")
    assert image.get("alt") == doc.find(".//figure/figcaption").text


def test_footer_lines_and_copies(sample_build):
    doc = page(sample_build, "luxian")
    footer = doc.find(".//footer")
    lines = [p.text_content() for p in footer.findall("p")]
    assert lines == ["呈送：市双创办，县委、县人大、县政府、县政协领导。", "抄送：县双创领导小组成员单位。",
                     "印发：各镇人民政府、街道办事处。", "本期增发：县委宣传部。共印80份"]
    assert footer.find(".//span[@class='copies']").text == "共印80份"


def test_page_is_self_contained(sample_build):
    for key in ("luxian_html", "suining_html"):
        text = sample_build[key].read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)=["'](https?:)?//""", text)
        assert "<script" not in text and "<link" not in text
        assert "Content-Security-Policy" in text  # what it does, and printing on A4: test_browser.py


def test_index_lists_every_issue(sample_build):
    index = html.fromstring((sample_build["out"] / "index.html").read_bytes())
    links = [a.get("href") for a in index.findall(".//a")]
    assert "suining/遂宁返乡创业简报2023年第7期.html" in links
    assert "luxian/泸县双创简报2017年第9期.docx" in links
    for link in links:
        assert (sample_build["out"] / unquote(link)).is_file()  # a 公文's name holds a space: %20


def test_headings_never_skip_a_level_and_every_titled_item_has_one(sample_build):
    for key in ("luxian", "suining"):
        doc = page(sample_build, key)
        levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        assert levels[0] == 1
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (key, levels)
        for article in doc.findall(".//article[@class='item']"):
            heading = article.find("h3")
            assert heading is not None and heading.text_content().strip()
    # Run-in titles (suining) print inside the first paragraph; the heading repeats them, hidden,
    # and the printed run-in is hidden from screen readers so the title is read once.
    article = page(sample_build, "suining").get_element_by_id("c1-1")
    assert article.find("h3").get("class") == "item-title visually-hidden"
    run_in = article.find(".//strong[@class='run-in']")
    assert run_in.get("aria-hidden") == "true"
    assert run_in.text == article.find("h3").text + "。"


def test_body_headings_nest_under_the_item_title():
    from briefings.writers.html import nest_headings

    body = html.fragment_fromstring(
        "<h2>一、甲</h2><h4>（一）乙</h4><h1>二、丙</h1><h6>（1）丁</h6><h2>1. 戊</h2>", create_parent="div")
    nest_headings(body, 3)
    assert [h.tag for h in body] == ["h4", "h5", "h4", "h5", "h6"]
