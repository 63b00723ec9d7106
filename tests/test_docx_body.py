"""The body mapping of the DOCX writer, run by run: what Word shows for each Markdown construct.

Expected values are written out: style ids of the Word template, run text and formatting,
line breaks, indents in twips and picture sizes in EMU (914400 a inch, 36000 a mm).
"""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree
from PIL import Image

from briefings.build import build
from conftest import copy_samples, shared_scope

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"

RICH = """\
开头**粗*粗斜*体**、<b>b粗</b>、<i>i斜</i>、<u>下划线</u>、<s>删除</s><del>del删</del>，H<sub>2</sub>O与m<sup>2</sup>，
同段换行  
第二行，[好链接](https://example.org/x)与[坏链接](javascript:alert(1))，`代码`**粗`码`**。

锚点[本页](#x)与<a>无址</a>只留文字。

# 一、标题一

###### 无编号小标题

3. 第三项
4. 第四项
    1. 子一
        - 孙甲
    2. 子二
        1. 孙乙

- 松散甲

    甲的第二段![](small.png)

- 松散乙

<ol start="abc"><li>坏起号</li></ol>

```
代码块 第一行
第二行
```

> 引一
>
> 引二

---

![图注文字](photo.png)

段中图![](small.png)后文**粗*斜<u><s><sup>![](small.png)</sup></s></u>*体**

![](tall.png)
"""


def _item(folder, name, front, body):
    (folder / name).write_text("---\n" + front + "date: 2017-09-20\n---\n\n" + body, encoding="utf-8")


def _build(root, issue_id):
    path = next(iter(build(root, root / "dist", [issue_id], ["docx"])))
    with zipfile.ZipFile(path) as package:
        document = etree.fromstring(package.read("word/document.xml"))
        rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
    return document, {rel.get("Id"): rel for rel in rels.iter(PR + "Relationship")}


@pytest.fixture(scope=shared_scope)
def block(tmp_path_factory):
    """泸县: block titles, attribution on its own line, a brief column without unit prefix."""
    root = copy_samples(tmp_path_factory.mktemp("body") / "ws")
    folder = root / "items" / "t"
    folder.mkdir()
    Image.new("RGB", (4000, 3000), (200, 30, 30)).save(folder / "photo.png")
    Image.new("RGB", (254, 127), (20, 30, 200)).save(folder / "small.png", dpi=(127, 127))
    Image.new("RGB", (600, 3000), (20, 130, 20)).save(folder / "tall.png")
    _item(folder, "a.md", "title: 第一行标题|第二行标题\nsubtitle: 副题文字\ncolumn: 要闻\nsource: 县科知局\n"
          "author: 吴启荣\n", RICH)
    _item(folder, "b.md", "title: 简讯一\ncolumn: 简讯\nsource: 某镇\n", "简讯正文。\n")
    (root / "issues/luxian/2017-10.yaml").write_text(
        "series: luxian\nnumber: 10\ntotal: 22\ndate: 2017-10-01\nitems: [t/a.md, t/b.md]\n", encoding="utf-8")
    return _build(root, "luxian/2017-10")


@pytest.fixture(scope=shared_scope)
def run_in(tmp_path_factory):
    """遂宁 with `attribution: inline`: run-in titles, attribution at the end of the last paragraph."""
    root = copy_samples(tmp_path_factory.mktemp("body") / "ws")
    series = root / "series" / "suining.yaml"
    series.write_text(series.read_text(encoding="utf-8").replace("attribution: own_line", "attribution: inline"),
                      encoding="utf-8")
    folder = root / "items" / "t"
    folder.mkdir()
    Image.new("RGB", (381, 254), (200, 30, 30)).save(folder / "p.png", dpi=(127, 127))
    _item(folder, "a.md", "title: 甲题\ncolumn: 要闻\nsource: 甲局\nauthor: 张三\n", "第一段。\n\n第二段。\n")
    _item(folder, "b.md", "title: 乙题\ncolumn: 要闻\nsource: 乙局\nauthor: 李四\n", "![](p.png)\n")
    _item(folder, "c.md", "title: 丙讯\ncolumn: 工作简讯\nsource: 丙镇\n", "丙镇办了一件事。\n")
    _item(folder, "d.md", "title: 丁讯\ncolumn: 工作简讯\nauthor: 王五\n", "| 项目 | 数 |\n|---|---|\n| 丁 | 1 |\n")
    (root / "issues/suining/2023-08.yaml").write_text(
        "series: suining\nnumber: 8\ntotal: 46\ndate: 2023-08-01\nitems: [t/a.md, t/b.md, t/c.md, t/d.md]\n",
        encoding="utf-8")
    return _build(root, "suining/2023-08")


def style(p):
    found = p.find(f"{W}pPr/{W}pStyle")
    return found.get(W + "val") if found is not None else None


def text(p):
    out = []
    for node in p.iter(W + "t", W + "br", W + "drawing"):
        out.append((node.text or "") if node.tag == W + "t" else "<br>" if node.tag == W + "br" else "<pic>")
    return "".join(out)


def body(document, first, last):
    """(style id, text) of the body paragraphs from the one starting `first` to the one starting `last`."""
    paragraphs = [p for p in document.iter(W + "p")]
    start = next(i for i, p in enumerate(paragraphs) if text(p).startswith(first))
    end = next(i for i, p in enumerate(paragraphs) if i >= start and text(p).startswith(last))
    return paragraphs[start:end + 1]


def run_props(run):
    """A run's formatting as short names: b, i, u=single, strike, vertAlign=..., rStyle=..."""
    props = run.find(W + "rPr")
    if props is None:
        return ()
    return tuple(child.tag.removeprefix(W) + (f"={child.get(W + 'val')}" if child.get(W + "val") else "")
                 for child in props)


def test_block_body_paragraphs_in_order_with_their_styles(block):
    document, _ = block
    got = [(style(p), text(p)) for p in body(document, "第一行标题", "简讯正文")]
    assert got[0] == ("JbItemTitle", "第一行标题<br>第二行标题")
    assert got[1] == ("JbItemSubtitle", "——副题文字")
    assert got[2][0] is None and got[2][1].startswith("开头粗粗斜体、")
    assert got[3:] == [
        (None, "锚点本页与无址只留文字。"),  # a DOCX body has no anchors to jump to
        ("JbHeading1CN", "一、标题一"),
        ("JbHeading4CN", "无编号小标题"),  # ###### without numbering: the lowest level
        (None, "3．第三项"),
        (None, "4．第四项"),
        (None, "（1）子一"),
        (None, "● 孙甲"),  # depth 2: back to the first markers
        (None, "（2）子二"),
        (None, "1．孙乙"),
        (None, "● 松散甲<br>甲的第二段<pic>"),  # a loose item's second paragraph is kept, on a line of its own
        (None, "● 松散乙"),
        (None, "1．坏起号"),  # a start that is no number is dropped: counting starts at 1
        (None, "代码块 第一行<br>第二行"),  # no blank line after a code block
        ("JbQuote", "引一"),
        ("JbQuote", "引二"),
        ("JbFigure", "<pic>"),
        ("JbFigureCaption", "图注文字"),
        (None, "段中图<pic>后文粗斜<pic>体"),  # a picture inside formatted text is kept too
        ("JbFigure", "<pic>"),  # no caption paragraph for a picture without one
        ("JbAttribution", "（县科知局\u3000吴启荣）"),
        ("JbColumnHeading", "[简\u3000讯]"),
        ("JbBriefNote", "简讯正文。"),  # no unit prefix in this column
    ]


def test_title_runs_break_between_lines_only(block):
    document, _ = block
    title = body(document, "第一行标题", "第一行标题")[0]
    runs = title.findall(W + "r")
    assert [[child.tag.removeprefix(W) for child in run] for run in runs] == [["t", "br"], ["t"]]


def test_inline_formatting_run_by_run(block):
    document, rels = block
    paragraph = body(document, "开头", "开头")[0]
    got = []
    for node in paragraph:
        if node.tag == W + "r":
            got.append((text(node), run_props(node)))
        elif node.tag == W + "hyperlink":
            got.append(("link:" + rels[node.get(R + "id")].get("Target"),
                        [(text(r), run_props(r)) for r in node.findall(W + "r")]))
    assert got == [
        ("开头", ()), ("粗", ("b",)), ("粗斜", ("b", "i")), ("体", ("b",)), ("、", ()),
        ("b粗", ("b",)), ("、", ()), ("i斜", ("i",)), ("、", ()), ("下划线", ("u=single",)), ("、", ()),
        ("删除", ("strike",)), ("del删", ("strike",)), ("，H", ()), ("2", ("vertAlign=subscript",)),
        ("O与m", ()), ("2", ("vertAlign=superscript",)), ("，同段换行", ()), ("<br>", ()), ("第二行，", ()),
        ("link:https://example.org/x", [("好链接", ("u=single",))]),
        ("与", ()), ("坏链接", ()), ("，", ()), ("代码", ()),
        ("粗", ("b",)), ("码", ("b",)), ("。", ()),  # code inside bold stays bold
    ]
    link = paragraph.find(W + "hyperlink")
    assert rels[link.get(R + "id")].get("TargetMode") == "External"
    assert link.find(f"{W}r/{W}t").get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def test_list_markers_in_their_own_run_and_indents_per_depth(block):
    document, _ = block
    paragraphs = body(document, "3．第三项", "● 松散乙")
    got = []
    for p in paragraphs:
        ind = p.find(f"{W}pPr/{W}ind")
        got.append(([text(r) for r in p.findall(W + "r")], None if ind is None else dict(ind.attrib)))
    assert got == [
        (["3．", "第三项"], None),
        (["4．", "第四项"], None),
        (["（1）", "子一"], {W + "left": "640"}),  # 2 characters of 16 pt = 32 pt = 640 twips
        (["● ", "孙甲"], {W + "left": "1280"}),
        (["（2）", "子二"], {W + "left": "640"}),
        (["1．", "孙乙"], {W + "left": "1280"}),
        (["● ", "松散甲", "<br>", "甲的第二段", "<pic>"], None),
        (["● ", "松散乙"], None),
    ]


def test_picture_sizes_in_emu(block):
    document, _ = block
    extents = [(int(e.get("cx")), int(e.get("cy"))) for e in document.iter(WP + "extent")
               if e.getparent().tag == WP + "inline"]
    assert extents == [
        (1828800, 914400),   # in a list item's second paragraph: 254×127 px at 127 dpi, 2 × 1 inch
        (5616000, 4210475),  # 4000×3000 px: the type width, 156 mm; 4:3 kept (to the pixel of the 300 dpi copy)
        (1828800, 914400),   # 254×127 px at 127 dpi (5000 px/m, exact in a PNG): 2 × 1 inch, its own size
        (1828800, 914400),   # the same, inside bold, italic, underlined, struck, superscript text
        (1079390, 5400000),  # 600×3000 px: the height limit, 150 mm; 1:5 kept
    ]
    for inline in document.iter(WP + "inline"):
        ext = inline.find(f".//{A}xfrm/{A}ext")
        extent = inline.find(WP + "extent")
        assert (ext.get("cx"), ext.get("cy")) == (extent.get("cx"), extent.get("cy"))


def test_run_in_titles_and_inline_attribution(run_in):
    document, _ = run_in
    paragraphs = body(document, "甲题。", "丙镇：")
    got = [(style(p), [(text(r), run_props(r)) for r in p.findall(W + "r")]) for p in paragraphs]
    lead = ("rStyle=JbRunInTitle",)
    assert got == [
        (None, [("甲题。", lead), ("第一段。", ())]),
        (None, [("第二段。", ()), ("（甲局\u3000张三）", ())]),
        ("JbFigure", [("<pic>", ())]),
        # a body without a paragraph still shows its run-in title, then the attribution
        (None, [("乙题。", lead), ("（乙局\u3000李四）", ())]),
        ("JbColumnHeading", [("工作简讯：", ())]),
        ("JbBriefNote", [("丙镇：", ()), ("丙镇办了一件事。", ())]),  # the unit leads, in the note's own style
    ]
    extent = next(document.iter(WP + "extent"))
    assert (extent.get("cx"), extent.get("cy")) == ("2743200", "1828800")  # 381×254 px at 127 dpi: 3 × 2 inch


def test_inline_attribution_after_a_table_takes_a_line_of_its_own(run_in):
    document, _ = run_in
    attribution = body(document, "（王五）", "（王五）")[0]
    assert style(attribution) == "JbAttribution"
    assert attribution.getprevious().tag == W + "tbl"  # the brief note's table, no unit to lead it
    assert [text(p) for p in attribution.getprevious().iter(W + "p")] == ["项目", "数", "丁", "1"]
