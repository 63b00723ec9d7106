"""Each Markdown element an item may use, as it lands in the DOCX."""

from __future__ import annotations


import docx
import pytest
from docx.oxml.ns import qn
from PIL import Image

from briefings.build import build
from conftest import ROOT, copy_samples, shared_scope

BODY = """\
普通段落，含**加粗**和*倾斜*文字，以及[链接](https://example.org/a)。

## 一、总体情况

### （一）主要做法

#### 1. 强化组织

##### （1）细化分工

1. 第一项
2. 第二项

- 要点甲
- 要点乙
    - 下级要点

| 区县 | 目标（万元） | 完成 |
|:---|---:|:---:|
| 船山区 | 120 | 是 |
| 安居区 | 80 | 否 |

![活动现场](photo.png)

<script>alert(1)</script>{{ x }} {% if y %}原样{% endif %}

> 引用一段话。
"""


@pytest.fixture(scope=shared_scope)
def document(tmp_path_factory):
    root = tmp_path_factory.mktemp("map") / "ws"
    copy_samples(root)
    item_dir = root / "items" / "test"
    item_dir.mkdir()
    Image.new("RGB", (4000, 3000), (200, 30, 30)).save(item_dir / "photo.png")
    (item_dir / "all.md").write_text(
        "---\ntitle: 各种元素\ncolumn: 要闻\ndate: 2017-09-20\nsource: 县科知局\nauthor: 吴启荣\n---\n\n" + BODY,
        encoding="utf-8")
    (root / "issues/luxian/2017-10.yaml").write_text(
        "series: luxian\nnumber: 10\ntotal: 22\ndate: 2017-10-01\nitems: [test/all.md]\n", encoding="utf-8")
    path = next(iter(build(root, root / "dist", ["luxian/2017-10"], ["docx"])))
    return docx.Document(str(path))


def paragraphs(document):
    return [(p.style.name, p.text, p) for p in document.paragraphs]


def find(document, start):
    return next(p for style, text, p in paragraphs(document) if text.startswith(start))


def test_paragraph_with_bold_italic_and_link(document):
    p = find(document, "普通段落")
    assert p.style.name == "Normal"
    runs = {r.text: r for r in p.runs}
    assert runs["加粗"].bold and not runs["普通段落，含"].bold
    assert runs["倾斜"].italic
    links = p._p.findall(qn("w:hyperlink"))
    assert len(links) == 1
    target = document.part.rels[links[0].get(qn("r:id"))].target_ref
    assert target == "https://example.org/a"
    assert "链接" in "".join(t.text for t in links[0].iter(qn("w:t")))


@pytest.mark.parametrize("start, style", [
    ("一、总体情况", "简报-一级标题"),
    ("（一）主要做法", "简报-二级标题"),
    ("1. 强化组织", "简报-三级标题"),
    ("（1）细化分工", "简报-四级标题"),
])
def test_heading_levels_follow_the_numbering_written(document, start, style):
    assert find(document, start).style.name == style


def test_lists_get_literal_markers(document):
    texts = [text for _, text, _ in paragraphs(document)]
    assert "1．第一项" in texts and "2．第二项" in texts
    assert "● 要点甲" in texts and "● 要点乙" in texts
    nested = find(document, "○ 下级要点")
    assert nested.paragraph_format.left_indent.pt == pytest.approx(32)


def test_table_full_width_with_header_and_alignment(document):
    assert len(document.tables) == 1
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["区县", "目标（万元）", "完成"]
    assert [c.text for c in table.rows[2].cells] == ["安居区", "80", "否"]
    width = table._tbl.tblPr.find(qn("w:tblW"))
    assert width.get(qn("w:type")) == "dxa" and abs(int(width.get(qn("w:w"))) - 8844) <= 2
    header = table.rows[0].cells[0].paragraphs[0]
    # GONGWEN.md §4: header 黑体 centred (the style's font), not bold 仿宋.
    assert header.style.name == "简报-表头文字" and not header.runs[0].bold
    fonts = header.style.element.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "黑体"
    assert header.alignment == 1
    assert table.rows[1].cells[1].paragraphs[0].alignment == 2  # right-aligned column (---:)
    assert table.rows[1].cells[0].paragraphs[0].alignment == 0  # text left, never justified
    assert table.rows[1].cells[2].paragraphs[0].alignment == 1  # :---: centred
    row_props = table.rows[0]._tr.trPr
    assert row_props.find(qn("w:tblHeader")) is not None and row_props.find(qn("w:cantSplit")) is not None
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    cell_widths = [int(c._tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for c in table.rows[1].cells]
    assert grid == cell_widths and sum(grid) == 8844
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    border = table._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:insideH"))
    assert border.get(qn("w:val")) == "single" and border.get(qn("w:sz")) == "4"  # 0.5 pt


def test_picture_scaled_to_type_width_with_caption(document):
    shape = document.inline_shapes[0]
    assert shape.width.mm == pytest.approx(156, abs=0.5)
    assert shape.height.mm == pytest.approx(117, abs=0.5)  # 4:3 kept
    caption = find(document, "活动现场")
    assert caption.style.name == "简报-图注"


def test_script_removed_and_template_syntax_kept_literally(document):
    text = "\n".join(t for _, t, _ in paragraphs(document))
    assert "alert" not in text
    assert "{{ x }} {% if y %}原样{% endif %}" in text


def test_quote_and_attribution(document):
    assert find(document, "引用一段话").style.name == "简报-引文"
    attribution = find(document, "（县科知局")
    assert attribution.text == "（县科知局\u3000吴启荣）" and attribution.style.name == "简报-署名"


def test_east_asian_font_names_set_and_no_theme_fonts(document):
    styles = document.styles.element
    normal = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    for fonts in styles.iter(qn("w:rFonts")):
        assert fonts.get(qn("w:eastAsiaTheme")) is None and fonts.get(qn("w:asciiTheme")) is None
    spacing = document.styles["Normal"].element.pPr.find(qn("w:spacing"))
    assert spacing.get(qn("w:line")) == "579" and spacing.get(qn("w:lineRule")) == "exact"


def test_docx_package_written_again_is_the_same_zip_with_fixed_times(tmp_path):
    import datetime as dt
    import io
    import zipfile

    from briefings.docxpackage import Package

    template = (ROOT / "templates" / "briefing.docx").read_bytes()
    data = Package.read(template).save(dt.datetime(2023, 7, 17))
    assert data == Package.read(template).save(dt.datetime(2023, 7, 17))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert {info.date_time for info in package.infolist()} == {(2023, 7, 17, 0, 0, 0)}
        assert package.namelist()[:3] == ["[Content_Types].xml", "_rels/.rels", "docProps/core.xml"]
    assert "{{ body }}" in [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]



FOOTNOTES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
    '</w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>本刊：{{ series_name }}</w:t></w:r></w:p></w:footnote>'
    '</w:footnotes>'
)


def test_fields_in_a_series_templates_footnotes_are_filled(tmp_path, monkeypatch):
    """docxtpl fills the fields of a template's footnotes as well; so does each build after it."""
    import io
    import zipfile

    from briefings import docxtemplate
    from briefings.build import build

    ws = copy_samples(tmp_path / "ws")
    source = zipfile.ZipFile(ROOT / "templates" / "briefing.docx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            elif name == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFn" Type="http://schemas.openxml'
                                    b'formats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                                    b"</Relationships>")
            target.writestr(name, data)
        target.writestr("word/footnotes.xml", FOOTNOTES)
    (ws / "series" / "custom.docx").write_bytes(buffer.getvalue())
    series = ws / "series" / "suining.yaml"
    series.write_text(series.read_text(encoding="utf-8").replace("name: ", "template: custom.docx\nname: ", 1),
                      encoding="utf-8")
    out = tmp_path / "out"
    for _ in range(2):  # the template new to the workspace, then prepared before
        monkeypatch.setattr(docxtemplate, "_prepared", {})  # as in a new process
        build(ws, out, ids=["suining/2023-07"], formats=["docx"], force=True)
        with zipfile.ZipFile(out / "suining" / "遂宁返乡创业简报2023年第7期.docx") as made:
            footnotes = made.read("word/footnotes.xml").decode("utf-8")
        assert '<w:t xml:space="preserve">本刊：遂宁返乡创业简报</w:t>' in footnotes and "{{" not in footnotes
