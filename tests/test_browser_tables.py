"""The attachment tables on a 360 px phone, in Chromium: the page never scrolls sideways,
a wide table scrolls in its own labelled box, numbers never break, header cells stick."""

from __future__ import annotations

import json
import subprocess

import pytest

from browser import PHONE_WIDTH
from conftest import copy_samples, require_tool
from tablesample import attachment_item
from test_html_standards import AXE_JS, VNU_JAR, WCAG_22_AA, require_npm_file


@pytest.fixture(scope="module")
def tables_page(tmp_path_factory):
    from briefings.build import build

    root = copy_samples(tmp_path_factory.mktemp("html-tables") / "ws")
    item_dir = root / "items" / "test"
    item_dir.mkdir()
    attachment_item(item_dir)
    (root / "issues/luxian/2017-10.yaml").write_text(
        "series: luxian\nnumber: 10\ntotal: 22\ndate: 2017-10-01\nitems: [test/attachment.md]\n", encoding="utf-8")
    return next(p for p in build(root, root / "dist", ["luxian/2017-10"], ["html"]) if p.suffix == ".html")


@pytest.fixture
def phone(browser, tables_page):
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 740}, bypass_csp=True)
    page = context.new_page()
    page.goto(tables_page.as_uri())
    yield page
    context.close()


def test_page_never_scrolls_sideways_the_wide_table_does(phone):
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    boxes = phone.evaluate("""[...document.querySelectorAll('.table-scroll')].map(b => ({
        scroll: b.scrollWidth, client: b.clientWidth, right: b.getBoundingClientRect().right,
        tabindex: b.tabIndex, role: b.getAttribute('role'), label: b.getAttribute('aria-label')}))""")
    assert [b["label"] for b in boxes] == ["表1 2017年双创活动周重点工作分工表", "表2 各区镇双创指标完成情况"]
    assert all(b["tabindex"] == 0 and b["role"] == "region" and b["right"] <= PHONE_WIDTH for b in boxes)
    wide = boxes[1]
    assert wide["scroll"] > wide["client"] + 50, "the 11-column table should scroll inside its box"
    # The keyboard scrolls it too: focus the box and press the right arrow.
    phone.focus(".table-scroll >> nth=1")
    phone.keyboard.press("ArrowRight")
    # (Chromium scrolls smoothly: wait for it rather than read at once.)
    phone.wait_for_function("document.querySelectorAll('.table-scroll')[1].scrollLeft > 0", timeout=3000)


def test_numbers_never_break(phone):
    lines = phone.evaluate("""[...document.querySelectorAll('td.num')].map(td => {
        const range = document.createRange();
        range.selectNodeContents(td);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        return [td.textContent, tops.size];
    })""")
    assert len(lines) >= 28 + 12 * 10  # 序号 of both tables and the indicator figures
    broken = [text for text, count in lines if count != 1]
    assert broken == []
    # Short names and header words stay whole too (word-break: keep-all), here 牵头单位.
    header_lines = phone.evaluate("""(() => {
        const th = [...document.querySelectorAll('th')].find(th => th.textContent === '牵头单位');
        const range = document.createRange();
        range.selectNodeContents(th);
        return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
    })()""")
    assert header_lines == 1


def test_header_cells_stick_while_the_table_scrolls(phone):
    phone.evaluate("document.querySelectorAll('.table-scroll')[0].scrollIntoView()")
    phone.evaluate("document.querySelectorAll('.table-scroll')[0].scrollTop = 3000")
    box, header = phone.evaluate("""(() => {
        const b = document.querySelectorAll('.table-scroll')[0];
        return [b.getBoundingClientRect().top, b.querySelector('th').getBoundingClientRect().top];
    })()""")
    assert abs(header - box) < 2, "the header row scrolled away"


def test_table_page_passes_axe_and_the_nu_validator(phone, tables_page):
    axe = require_npm_file(AXE_JS).read_text(encoding="utf-8")
    phone.add_script_tag(content=axe)
    result = phone.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_22_AA)
    assert result["passes"]
    assert [v["id"] for v in result["violations"]] == []
    java = require_tool("java")
    jar = require_npm_file(VNU_JAR)
    checked = subprocess.run([java, "-jar", str(jar), "--format", "json", "--also-check-css", str(tables_page)],
                             capture_output=True, text=True, timeout=300)
    errors = [m["message"] for m in json.loads(checked.stderr or '{"messages": []}')["messages"]
              if m["type"] in ("error", "non-document-error")]
    assert errors == []
