"""The 公文 as a web page for 政务公开, and in the archive site with its 发文字号 searchable."""

from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html

from browser import DESKTOP_WIDTH, PHONE_WIDTH
from gongwen_fixtures import SAMPLE_NAME

PAGE = f"kunzhengban/{SAMPLE_NAME}.html"


@pytest.fixture(scope="module")
def page_html(sample_site):
    return (sample_site / PAGE).read_text(encoding="utf-8")


def text_of(html: str, css_class: str) -> list[str]:
    tree = lxml_html.fromstring(html)
    return [" ".join(e.text_content().split()) for e in tree.find_class(css_class)]


def test_every_part_in_reading_order(page_html):
    assert text_of(page_html, "gw-masthead") == ["昆山市人民政府办公室文件"]
    assert text_of(page_html, "gw-reference") == ["昆政办发〔2017〕176号"]
    assert text_of(page_html, "gw-recipients")[0].startswith("昆山开发区、昆山高新区")
    assert text_of(page_html, "gw-recipients")[0].endswith("各直属单位：")
    assert text_of(page_html, "gw-attachment-note") == [
        "附件： 2017年全国大众创业万众创新活动周暨“创响江苏”活动月苏州分会场昆山市工作方案"]
    assert text_of(page_html, "gw-signature") == ["昆山市人民政府办公室 2017年9月28日"]
    assert text_of(page_html, "gw-note") == ["（此件公开发布）"]
    assert text_of(page_html, "gw-label")[-1] == "附件"
    assert text_of(page_html, "gw-copy-to")[0].startswith("抄送：市委办公室，")
    assert text_of(page_html, "gw-printed") == ["昆山市人民政府办公室2017年9月28日印发"]
    order = [page_html.index(s) for s in ('class="gw-masthead"', 'class="gw-reference"', 'class="gw-title"',
                                            'class="gw-recipients"', "经市政府同意", 'class="gw-signature"',
                                            'class="gw-attachment"', 'class="gw-record"')]
    assert order == sorted(order)


def test_title_breaks_between_phrases_and_headings_nest(page_html):
    assert "<h1 class=\"gw-title\">市政府<wbr>办公室<wbr>关于<wbr>印发2017年全国<wbr>" in page_html
    assert '<h2 class="gw-title" id="fj1-h">' in page_html
    assert "<h3" in page_html and "一、总体要求</h3>" in page_html  # under the attachment's h2


def test_page_is_self_contained(page_html):
    assert "default-src 'none'" in page_html
    assert not re.search(r'(src|href)="(https?:)?//', page_html)
    assert "<script" not in page_html


def test_index_lists_document_with_reference(sample_site):
    index = (sample_site / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{PAGE.replace(" ", "%20")}">昆政办发〔2017〕176号</a>' in index
    assert "<h3>公文</h3>" in index


def test_search_index_holds_reference(sample_site):
    script = (sample_site / "search/2017.js").read_text(encoding="utf-8")  # the 成文日期's year shard
    assert '"issue":"昆政办发〔2017〕176号"' in script
    assert '"text":"昆政办发〔2017〕176号 经市政府同意' in script


@pytest.mark.parametrize("width", (PHONE_WIDTH, DESKTOP_WIDTH))
def test_page_fits_the_screen(browser, sample_site, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto((sample_site / PAGE).as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    masthead = page.locator(".gw-masthead")
    box = masthead.bounding_box()
    assert box["height"] < 80  # the 标志 stays on one line
    colour = masthead.evaluate("e => getComputedStyle(e).color")
    assert colour == "rgb(224, 0, 0)"
    rule = page.locator(".gw-reference").evaluate("e => getComputedStyle(e).borderBottomColor")
    assert rule == "rgb(224, 0, 0)"
    recipients = page.locator(".gw-recipients").bounding_box()
    text = page.locator(".gw-text p").first.bounding_box()
    assert abs(recipients["x"] - text["x"]) < 1  # same left edge: 主送 flush left
    context.close()


def test_search_finds_document_by_reference(browser, sample_site):
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 800})
    page = context.new_page()
    page.goto((sample_site / "index.html").as_uri())
    page.get_by_label("搜索").fill("176号")
    results = page.locator("#search-results li")
    results.first.wait_for()
    assert results.count() == 1
    assert "昆政办发〔2017〕176号" in results.first.inner_text()
    results.first.locator("a").click()
    page.wait_for_load_state()
    assert "昆山市人民政府办公室文件" in page.locator(".gw-masthead").inner_text()
    context.close()


def test_attachment_table_in_html(tmp_path):
    from briefings.build import build
    from conftest import copy_samples
    from gongwen_fixtures import FULL_ID, add_full_document

    root = copy_samples(tmp_path / "ws")
    add_full_document(root)
    (page,) = [p for p in build(root, tmp_path / "out", [FULL_ID], ["html"]) if p.suffix == ".html"]
    html = page.read_text(encoding="utf-8")
    tree = lxml_html.fromstring(html)
    (table,) = tree.iter("table")
    assert [c.text_content().strip() for c in table.iter("th")] == ["项目", "金额（万元）"]
    # Wrapped as the 简报's tables are, so a wide one scrolls in its own box on a phone.
    assert table.getparent().tag != "section"
    assert text_of(html, "gw-label")[1:] == ["附件1", "附件2"]
    assert '<span class="run-in level-2">（一）总体要求。</span>加快实施' in html
