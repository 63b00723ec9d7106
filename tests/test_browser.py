"""The HTML in a real browser (Debian's Chromium through Playwright).

Pages are opened from the file system, as a recipient opens an attachment;
the preview server is tested over HTTP.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pdfplumber
import pytest
from playwright.sync_api import expect

from browser import DESKTOP_WIDTH, PHONE_WIDTH
from pdfread import is_red, read_pdf

WIDTHS = (PHONE_WIDTH, DESKTOP_WIDTH)
PAGES = {"luxian": "luxian/泸县双创简报2017年第9期.html",
         "suining": "suining/遂宁返乡创业简报2023年第7期.html"}
NAMES = {"luxian": "泸县双创简报", "suining": "遂宁返乡创业简报"}


@pytest.fixture
def open_page(browser, sample_site):
    """open_page(key or relative path, width) → a loaded page; closed after the test."""
    contexts = []

    def opener(name: str, width: int = DESKTOP_WIDTH, requests: list | None = None):
        context = browser.new_context(viewport={"width": width, "height": 800})
        contexts.append(context)
        page = context.new_page()
        if requests is not None:
            page.on("request", lambda request: requests.append(request.url))
        page.goto((sample_site / PAGES.get(name, name)).as_uri())
        return page

    yield opener
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("key", PAGES)
def test_fits_the_width_and_shows_the_masthead(open_page, key, width):
    page = open_page(key, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    name = page.locator("header.masthead h1")
    assert name.inner_text() == NAMES[key]
    box = name.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 800 and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("getComputedStyle(document.querySelector('header h1')).color") == "rgb(224, 0, 0)"
    rule = page.evaluate("(s => [s.borderBottomStyle, s.borderBottomWidth, s.borderBottomColor])"
                         "(getComputedStyle(document.querySelector('.office-line')))")
    assert rule == ["solid", "3px", "rgb(224, 0, 0)"]
    images = page.evaluate("""() => Promise.all([...document.images].map(async img => {
        await img.decode();
        return [img.getBoundingClientRect().width, img.naturalWidth];
    }))""")
    assert len(images) == (1 if key == "luxian" else 0)
    assert all(0 < shown <= min(width, natural) for shown, natural in images)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_toc_link_scrolls_to_its_item(open_page, width):
    page = open_page("suining", width)
    links = page.locator("nav.toc a")
    assert links.count() == 5
    for index in range(links.count()):
        link = links.nth(index)
        target = link.get_attribute("href")
        page.evaluate("window.scrollTo(0, 0)")
        link.click()
        page.wait_for_function("h => location.hash === h", arg=target)
        top = page.evaluate("h => document.querySelector(h).getBoundingClientRect().top", target)
        at_bottom = page.evaluate("innerHeight + scrollY >= document.documentElement.scrollHeight - 1")
        # The item comes to the top, unless the page ends before it can.
        assert abs(top) <= 1 or (at_bottom and 0 <= top < 800), (target, top)


def test_toc_links_are_reachable_by_keyboard(open_page):
    page = open_page("suining")
    wanted = page.eval_on_selector_all("nav.toc a", "links => links.map(a => a.getAttribute('href'))")
    reached = []
    for _ in wanted:  # the 要目 comes first in the tab order
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.getAttribute('href')"))
    assert reached == wanted
    page.keyboard.press("Enter")
    page.wait_for_function("h => location.hash === h", arg=wanted[-1])


@pytest.mark.parametrize("key", PAGES)
def test_loading_makes_no_request_and_the_policy_forbids_them(open_page, key):
    requests: list[str] = []
    page = open_page(key, PHONE_WIDTH, requests)
    assert requests == [page.url]
    # The page's own policy stops anything that would fetch from elsewhere.
    failures = []
    page.on("requestfailed", lambda request: failures.append((request.url, request.failure)))
    blocked = page.evaluate("""() => new Promise(resolve => {
        document.addEventListener('securitypolicyviolation', e => resolve(e.violatedDirective));
        const img = document.createElement('img');
        img.src = 'http://127.0.0.1:9/x.png';
        document.body.append(img);
    })""")
    assert blocked == "img-src"
    page.wait_for_timeout(100)
    assert failures == [("http://127.0.0.1:9/x.png", "csp")]


def platform_fonts(page, selector: str) -> set[str]:
    """Fonts Chromium really drew the element's text with."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return {f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}


# Kinds of CJK face by family name: which one a machine has depends on its fonts
# (official 仿宋_GB2312, Windows FangSong, Debian's Noto…), the kind must not.
KINDS = {"serif": ("serif cjk", "song", "fangsong", "ming", "宋"),
         "sans": ("sans cjk", "hei", "黑"),
         "kai": ("kai", "楷")}


def kinds(fonts: set[str]) -> set[str]:
    return {kind for font in fonts for kind, marks in KINDS.items() if any(m in font.lower() for m in marks)}


def test_font_stacks_fall_back_to_cjk_fonts_of_the_right_kind(open_page):
    page = open_page("luxian")
    assert kinds(platform_fonts(page, "header h1")) == {"serif"}
    assert kinds(platform_fonts(page, "article.item > p:not(.attribution)")) == {"serif"}
    assert kinds(platform_fonts(page, "figcaption")) == {"kai"}
    assert kinds(platform_fonts(page, "section.column > h2:not(.visually-hidden)")) == {"sans"}


@pytest.mark.parametrize("width", WIDTHS)
def test_paragraphs_indent_their_first_line_two_characters(open_page, width):
    page = open_page("luxian", width)
    first, second, size = page.evaluate("""() => {
        const p = [...document.querySelectorAll('article.item > p')]
            .find(p => p.textContent.startsWith('2017年9月7日-10日'));
        const range = document.createRange();
        range.setStart(p.firstChild, 0);
        range.setEnd(p.firstChild, p.firstChild.length);
        const lines = [...range.getClientRects()];
        const left = p.getBoundingClientRect().left;
        return [lines[0].left - left, lines[lines.length - 1].left - left,
                parseFloat(getComputedStyle(p).fontSize)];
    }""")
    assert size >= 14  # readable body text
    assert first == pytest.approx(2 * size, abs=1)
    assert second == pytest.approx(0, abs=1)


def contrast(page, selector: str) -> float:
    """WCAG contrast of an element's text against white (the page is white)."""
    rgb = page.evaluate("s => getComputedStyle(document.querySelector(s)).color", selector)
    channels = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_text_contrast(open_page):
    page = open_page("suining")
    assert contrast(page, "header h1") >= 4.5  # passes even for small text
    assert contrast(page, "article p") >= 7
    assert contrast(page, "nav.toc a") >= 7
    index = open_page("index.html")
    assert contrast(index, ".issues a") >= 4.5 and contrast(index, ".titles") >= 4.5


@pytest.mark.parametrize("key", PAGES)
def test_prints_on_a4_with_masthead_first_and_footer_last(open_page, key, tmp_path):
    page = open_page(key)
    pdf = tmp_path / f"{key}.pdf"
    # No format given: the page size and margins come from the page's own @page rule.
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    pages = read_pdf(pdf)
    assert len(pages) >= 2
    assert all(abs(p.width - 210) < 0.5 and abs(p.height - 297) < 0.5 for p in pages)
    first = pages[0].lines[:4]
    name = next(line for line in first if line.text == NAMES[key])
    assert is_red(name.color) and 37 <= name.top < 60  # in the type area, whose top is 37 mm down
    assert name.size == pytest.approx(42, abs=0.5)
    number = next(line for line in pages[0].lines if line.text.startswith("第"))
    assert abs((number.x0 + number.x1) / 2 - (28 + 184) / 2) < 3  # centred between 28 mm and 26 mm margins
    assert all(NAMES[key] != line.text for p in pages[1:] for line in p.lines)
    last = pages[-1].text()
    for label in ("呈送：", "抄送：", "印发："):
        assert label in last and all(label not in p.text() for p in pages[:-1]), label
    with pdfplumber.open(pdf) as document:  # pictures print too (none may wait to load lazily)
        assert sum(len(p.images) for p in document.pages) == (1 if key == "luxian" else 0)


def test_archive_index_lists_every_issue(open_page, sample_site):
    requests: list[str] = []
    page = open_page("index.html", PHONE_WIDTH, requests)
    assert all(url.startswith(sample_site.as_uri()) for url in requests)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    years = page.locator("section.year > h2").all_inner_texts()
    assert years == ["2023年", "2017年"]
    for year_text, series_name, number, name, date, first_title in [
            ("2017年", "泸县双创简报", "第9期（总第21期）", "luxian/泸县双创简报2017年第9期", "2017年9月25日",
             "县委常委、副县长赵领带队参加第五届中国（绵阳）科技城国际科技博览会"),
            ("2023年", "遂宁返乡创业简报", "第7期（总第45期）", "suining/遂宁返乡创业简报2023年第7期", "2023年7月17日",
             "遂宁市农民工暨返乡下乡创业工作领导小组办公室赴北京、温州开展回引创业及走访调研活动")]:
        year = page.locator("section.year", has=page.locator(f"h2:text-is('{year_text}')"))
        series = year.locator("section.series", has=page.locator(f"h3:text-is('{series_name}')"))
        entry = series.locator("li", has=page.locator(f"a:text-is('{number}')"))
        assert entry.count() == 1
        hrefs = entry.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert hrefs == [f"{name}.html", f"{name}.docx", f"{name}.pdf"]  # PDF: LibreOffice is there in CI
        assert date in entry.inner_text() and first_title in entry.inner_text()


def test_search_finds_an_item_by_a_word_of_its_text(open_page):
    page = open_page("index.html", PHONE_WIDTH)
    search = page.get_by_label("搜索")
    assert search.is_visible()  # shown by the script, so it is there only when it works
    search.fill("蒋喻新")  # a name in the text of the first suining item, not in any title
    results = page.locator("#search-results li")
    # The year shards load one after another; the status says so until the last is in.
    expect(page.locator("#search-status")).to_have_text("找到 1 篇")
    assert results.count() == 1
    link = results.first.locator("a")
    assert link.inner_text().startswith("遂宁市农民工暨返乡下乡创业工作领导小组办公室赴北京、温州")
    link.click()
    page.wait_for_url(re.compile(r".*#c1-1$"))
    assert "蒋喻新" in page.locator("#c1-1").inner_text()
    page.go_back()
    page.get_by_label("搜索").fill("没有这个词")
    expect(page.locator("#search-status")).to_have_text("没有找到包含“没有这个词”的稿件")
    assert page.locator("#search-results li").count() == 0


def test_search_loads_older_years_only_when_searching(open_page):
    requests = []
    page = open_page("index.html", DESKTOP_WIDTH, requests)
    page.wait_for_load_state("load")
    assert not any("/search/" in url for url in requests)  # the page loads only the list of shards
    page.get_by_label("搜索").fill("天府杯")  # in the 2017 issue only: the second, older shard
    expect(page.locator("#search-status")).to_have_text("找到 1 篇")
    assert [url.rsplit("/", 1)[-1] for url in requests if "/search/" in url] == ["2023.js", "2017.js"]
    assert "泸县双创简报" in page.locator("#search-results li").first.inner_text()


def test_serve_rebuilds_and_the_page_reloads(browser, preview):
    workspace, url = preview
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url + quote(PAGES["suining"]))
        assert "蒋喻新" in page.locator("#c1-1").inner_text()
        item = workspace / "items/suining/2023-07/01-beijing-wenzhou-diaoyan.md"
        item.write_text(item.read_text(encoding="utf-8").replace("蒋喻新", "预览刷新测试"), encoding="utf-8")
        page.wait_for_function("() => document.querySelector('#c1-1').innerText.includes('预览刷新测试')",
                               timeout=30000)
        # A broken item: the page keeps the last good build and shows the error.
        item.write_text(item.read_text(encoding="utf-8").replace("column: 要闻", "column: 不存在的栏目"),
                        encoding="utf-8")
        alert = page.locator("[role=alert]")
        alert.wait_for(timeout=30000)
        assert "01-beijing-wenzhou-diaoyan.md" in alert.inner_text()
        assert "预览刷新测试" in page.locator("#c1-1").inner_text()
    finally:
        context.close()
