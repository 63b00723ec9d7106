"""A workspace whose every printed field holds &, <, quotes and emoji (tests/data/hostile).

Each output must stay well-formed (every DOCX part, feed.xml, the HTML pages,
the search index) and print each value exactly as written, neither escaped
twice nor unescaped; raw HTML in the body must not reach the page with its
scripts, handlers or layout-changing styles.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from lxml import etree, html
from PIL import Image

from briefings.build import build
from conftest import shared_scope

HOSTILE = Path(__file__).with_name("data") / "hostile"
ATOM = "{http://www.w3.org/2005/Atom}"

# The values in tests/data/hostile, written out again.
SITE_TITLE = "档案&索引 <站点> \"双引\" '单引' 😀"
SERIES = "A&B<简报>\"双\"'单'😀"
OFFICE = "编印&办公室 <i>斜</i> \"引\" 😀"
MARK = "内部&资料 <b>注意</b> '保存' 😀"
TITLE = "标题&<题>\"双\"'单'😀"
SUBTITLE = "副题&<副>\"😀\""
COLUMN = "要闻&<大事>\"😀\""
BRIEF_COLUMN = "简讯&<短>'😀'"
EDITOR_NOTE = "编者按&<按语>\"双\"'单'😀"
CAPTION = "图注&<图>\"双\"'单'😀"
FIRST_PARAGRAPH = "正文&段落 加粗 1 < 2 && 3 > 2 \"双引\" '单引' 😀 {{ not_a_variable }} {% if x %}。"
BRIEF = "单位&<位>\"😀\"：简讯&正文 x \"引\" '单' 😀。"
ATTRIBUTION = "（来源&<源>'😀'\u3000作者\"甲\"&<乙>）"
FOOTER = [
    "呈送：领导&<甲>\"乙\"😀。",
    "抄送：单位'丙'&丁<戊>。",
    "印发：各处😀&<己>。",
    "本期增发：增发&<庚>\"😀\"。共印3份",
]
STAFF = "责任编辑：编辑&<甲>😀\u3000\u3000审核：审核人\"乙\"'丙'\u3000\u3000签发：签发<丁>&戊"
ISSUE_TITLE = f"{SERIES} 第1期（总第1期）"


@pytest.fixture(scope=shared_scope)
def hostile(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hostile") / "ws"
    shutil.copytree(HOSTILE, root)
    (root / "images").mkdir()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(root / "images/pic.png")
    out = root / "dist"
    written = build(root, out) + build(root, out, site=True)
    files = {"out": out, "site": out / "site"}
    for path in written:
        relative = path.relative_to(out).as_posix()
        if relative.startswith("site/h/"):
            files["site_" + path.suffix[1:]] = path
        elif relative.startswith("h/"):
            files[path.suffix[1:]] = path
    return files


class StrictHTML(HTMLParser):
    """Every element closed, in order (void elements excepted): a stray < or a
    half-escaped attribute would unbalance the tags."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'} at {self.getpos()}")
        else:
            self.stack.pop()


def assert_balanced_html(path: Path) -> None:
    parser = StrictHTML()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    assert not parser.problems and not parser.stack, (path.name, parser.problems[:3], parser.stack)


def test_every_docx_part_is_well_formed_xml(hostile):
    for key in ("docx", "site_docx"):
        with zipfile.ZipFile(hostile[key]) as package:
            parts = [n for n in package.namelist() if n.endswith((".xml", ".rels"))]
            assert "word/document.xml" in parts and "[Content_Types].xml" in parts
            for name in parts:
                etree.fromstring(package.read(name))  # raises on any unescaped & or <


def docx_texts(path: Path) -> list[str]:
    """Body paragraphs, then the 报尾 text box's lines, as Word shows them."""
    document = docx.Document(str(path))
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    texts = [p.text for p in document.paragraphs]
    for box in document.element.body.findall(".//w:txbxContent", ns):
        for p in box.findall(".//w:p", ns):
            texts.append("".join(t.text or "" for t in p.findall(".//w:t", ns)))
    return texts


def test_docx_prints_every_value_as_written(hostile):
    texts = docx_texts(hostile["docx"])
    for expected in (MARK, SERIES, "第1期（总第1期）", f"{OFFICE}\t2024年3月5日", f"★ {TITLE}", f"[{COLUMN}]",
                     TITLE, f"——{SUBTITLE}", FIRST_PARAGRAPH, CAPTION, ATTRIBUTION, f"[{BRIEF_COLUMN}]", BRIEF,
                     STAFF, *FOOTER[:3]):
        assert expected in texts, expected
    assert any(t.startswith("编者按：") and t.endswith(EDITOR_NOTE) for t in texts)
    assert "覆盖层段落" in texts and "覆盖层链接" in texts
    joined = "\n".join(texts)
    assert "window.hacked" not in joined and "&amp;" not in joined and "&lt;" not in joined


def test_feed_is_well_formed_and_keeps_every_character(hostile):
    feed = ET.parse(hostile["site"] / "feed.xml").getroot()
    assert feed.findtext(f"{ATOM}title") == SITE_TITLE
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == ISSUE_TITLE
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == OFFICE
    assert entry.findtext(f"{ATOM}summary") == f"{TITLE}；{BRIEF_COLUMN}"
    links = [link.get("href") for link in entry.findall(f"{ATOM}link")]
    # Characters Windows forbids in file names are replaced by their full-width forms.
    file_name = "h/A&B＜简报＞＂双＂'单'😀2024年第1期"
    assert links == [f"{file_name}.html", f"{file_name}.docx"]
    assert all((hostile["site"] / link).is_file() for link in links)


def test_html_pages_are_balanced_and_print_every_value_as_written(hostile):
    for path in (hostile["html"], hostile["site_html"], hostile["out"] / "index.html", hostile["site"] / "index.html"):
        assert_balanced_html(path)
    page = html.fromstring(hostile["html"].read_bytes())
    assert page.findtext(".//title") == ISSUE_TITLE
    assert page.findtext(".//header/p[@class='mark']") == MARK
    assert page.find(".//header/h1").text_content() == SERIES
    assert page.findtext(".//header//span[@class='office']") == OFFICE
    assert [a.text_content() for a in page.findall(".//nav//a")] == [TITLE, BRIEF_COLUMN]
    assert page.find(".//aside").text_content().strip() == f"编者按：{EDITOR_NOTE}"
    assert [h.text_content() for h in page.findall(".//main/section/h2")] == [f"[{COLUMN}]", f"[{BRIEF_COLUMN}]"]
    article = page.get_element_by_id("c1-1")
    assert article.find("h3").text_content() == TITLE
    assert article.find("p[@class='subtitle']").text_content() == f"——{SUBTITLE}"
    assert article.find("p").getnext().text_content() == FIRST_PARAGRAPH
    assert article.find(".//figcaption").text_content() == CAPTION
    assert article.find("p[@class='attribution']").text_content() == ATTRIBUTION
    assert page.get_element_by_id("c2-1").text_content().strip() == BRIEF
    footer = [p.text_content() for p in page.find(".//footer").findall("p")]
    assert footer == FOOTER + [STAFF]


def test_archive_index_and_search_index_keep_every_character(hostile):
    index = html.fromstring((hostile["site"] / "index.html").read_bytes())
    assert index.findtext(".//title") == SITE_TITLE
    assert SERIES in [h.text_content() for h in index.iter("h3")]
    script = (hostile["site"] / "search/2024.js").read_text(encoding="utf-8")
    match = re.fullmatch(r"window\.BRIEFING_SEARCH_SHARD\((\[.*\])\);\n", script, re.S)
    records = json.loads(match.group(1))
    assert [r["title"] for r in records] == [TITLE, f"{BRIEF_COLUMN}：单位&<位>\"😀\""]
    assert all(r["issue"] == ISSUE_TITLE for r in records)
    # The index script is JavaScript inside a file: no "</script" a browser could cut it at.
    assert "</" not in script


def test_raw_html_reaches_the_page_without_scripts_handlers_or_layout_styles(hostile):
    page = html.fromstring(hostile["html"].read_bytes())
    main = page.find(".//main")
    assert not list(main.iter("script", "iframe", "style", "object", "embed"))
    for element in main.iter():
        for name, value in element.attrib.items():
            assert not name.startswith("on"), (element.tag, name)
            assert not value.strip().lower().startswith("javascript:"), (element.tag, name, value)
        # None of the body's own styles (position:fixed overlays, backgrounds) may come through;
        # the writer's own (a table's min-width) may.
        properties = {d.split(":")[0].strip().lower() for d in (element.get("style") or "").split(";") if d.strip()}
        assert not properties & {"position", "top", "left", "height", "z-index", "background"}, (element.tag, properties)
        if element.text_content() in ("覆盖层链接", "覆盖层段落", "格&"):
            assert properties <= {"text-align"}, (element.tag, properties)
    overlay = next(a for a in main.iter("a") if a.text_content() == "覆盖层链接")
    assert overlay.get("href") == "https://example.org/?a=1&b=2"
    assert next(p for p in main.iter("p") if p.text_content() == "覆盖层段落") is not None
