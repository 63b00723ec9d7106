"""Every DOCX we ship or build is valid for Word and keeps its text in other readers."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from lxml import etree
from PIL import Image

from briefings.build import build
from briefings.templatedir import DOCX_TEMPLATE, default_templates_dir
from conftest import copy_samples
from ooxml import ECMA_SCHEMAS, MC, W, docx_problems, ecma_xsd_problems
from test_build_e2e import footer_texts

TEMPLATE = default_templates_dir() / DOCX_TEMPLATE

EVERY_FEATURE = """\
导语段落，含**加粗**、*倾斜*、<u>下划线</u>、<del>删除</del>、上标 10<sup>3</sup> 与下标 H<sub>2</sub>O，
以及[外部链接](https://example.org/a)和图标![图标](icon.png)嵌在文字中。

## 一、总体情况

### （一）主要做法

1. 第一项
2. 第二项
    - 下级要点甲
    - 下级要点乙
        1. 再下一级

- 要点甲
- 要点乙

<table>
<tr><th colspan="2">合并表头</th><th>完成</th></tr>
<tr><td rowspan="2">船山区</td><td>120</td><td>是</td></tr>
<tr><td>80</td><td>否</td></tr>
<tr><td colspan="3" style="text-align: center">合计两项</td></tr>
</table>

| 区县 | 目标（万元） |
|:---|---:|
| 安居区 | 80 |

![活动现场](photo.png)

> 引用一段话。
"""
BRIEF = "县里召开简讯会议，部署下阶段工作。"


@pytest.fixture(scope="module")
def every_feature_docx(tmp_path_factory):
    """An issue using every feature: 要目, 编者按, article with every body element, 简讯,
    and a 版记 with every kind of line (呈送/抄送/印发, 本期增发, staff, print line, copies)."""
    root = tmp_path_factory.mktemp("every") / "ws"
    copy_samples(root)
    series = root / "series" / "luxian.yaml"
    text = series.read_text(encoding="utf-8")
    text = text.replace("toc:\n  enabled: false", "toc:\n  enabled: true")
    text = text.replace("distribution:\n", "distribution:\n  print_line: true\n")
    series.write_text(text, encoding="utf-8")
    item_dir = root / "items" / "every"
    item_dir.mkdir()
    Image.new("RGB", (1600, 1200), (200, 30, 30)).save(item_dir / "photo.png")
    Image.new("RGB", (64, 64), (30, 30, 200)).save(item_dir / "icon.png")
    front = "date: 2017-09-20\nsource: 县科知局\nauthor: 吴启荣\n"
    (item_dir / "all.md").write_text(
        f"---\ntitle: 各种元素齐全的一篇稿件\ncolumn: 部门动态\n{front}---\n\n{EVERY_FEATURE}", encoding="utf-8")
    (item_dir / "brief.md").write_text(
        f"---\ntitle: 简讯一则\ncolumn: 简讯\nkind: brief\n{front}---\n\n{BRIEF}\n", encoding="utf-8")
    (root / "issues/luxian/2017-10.yaml").write_text(
        "series: luxian\nnumber: 10\ntotal: 22\ndate: 2017-10-01\nitems: [every/all.md, every/brief.md]\n"
        "editor_note: 本期编发各种元素齐全的稿件。\n"
        "distribution:\n  extra: [县档案馆]\n  copies: 90\n"
        "editor: 张三\nreviewer: 李四\napprover: 王五\n", encoding="utf-8")
    return next(p for p in build(root, root / "dist", ["luxian/2017-10"], ["docx"]))


def built(sample_build, every_feature_docx):
    return [sample_build["luxian"], sample_build["suining"], every_feature_docx]


# Schema and package validity ------------------------------------------------

def test_shipped_template_is_valid():
    assert docx_problems(TEMPLATE) == []


@pytest.mark.parametrize("key", ["luxian", "suining"])
def test_sample_issues_are_valid(sample_build, key):
    assert docx_problems(sample_build[key]) == []


def test_every_feature_issue_is_valid(every_feature_docx):
    document = docx.Document(str(every_feature_docx))
    body = document.element.body
    # The issue really holds what it is meant to test.
    assert body.findall(f".//{{{W}}}tbl") and body.findall(f".//{{{W}}}gridSpan")
    assert body.findall(f".//{{{W}}}hyperlink") and body.findall(f".//{{{W}}}vertAlign")
    assert len(body.findall(".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")) == 3
    styles = [p.style.name for p in document.paragraphs]
    assert "简报-要目" in styles and "简报-编者按" in styles and "简报-简讯" in styles
    lines = footer_texts(document)
    assert [line[:2] for line in lines[:3]] == ["呈送", "抄送", "印发"]
    assert any(line.startswith("本期增发：县档案馆") for line in lines)
    assert "责任编辑：张三\u3000\u3000审核：李四\u3000\u3000签发：王五" in lines
    assert any(line.endswith("印发共印90份") or "印发\t共印90份" in line for line in lines)
    assert docx_problems(every_feature_docx) == []


@pytest.mark.skipif(not ECMA_SCHEMAS.exists(), reason=f"Ecma 架构文件不在 {ECMA_SCHEMAS}（可设 OOXML_SCHEMAS）")
@pytest.mark.parametrize("which", ["template", "luxian", "suining", "every"])
def test_valid_against_ecma_transitional_xsds(sample_build, every_feature_docx, which):
    path = {"template": TEMPLATE, "every": every_feature_docx}.get(which) or sample_build.get(which)
    assert ecma_xsd_problems(path) == []


@pytest.mark.skipif(not ECMA_SCHEMAS.exists(), reason=f"Ecma 架构文件不在 {ECMA_SCHEMAS}（可设 OOXML_SCHEMAS）")
def test_ecma_check_finds_an_out_of_order_property_in_the_fallback(every_feature_docx, tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(_rewrite(every_feature_docx, "word/document.xml", lambda s: s[:s.index("<v:textbox")] + s[
        s.index("<v:textbox"):].replace('<w:pStyle w:val="JbFooterBlock"/>', '<w:jc w:val="left"/><w:pStyle w:val="JbFooterBlock"/>', 1)))
    problems = ecma_xsd_problems(broken)
    assert len(problems) == 1 and "pStyle" in problems[0], problems


def _rewrite(path, name: str, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == name:
                data = change(data.decode("utf-8")).encode("utf-8")
            if data is not None:
                target.writestr(info, data)
    return out.getvalue()


@pytest.mark.parametrize("part, change, expected", [
    ("word/document.xml", lambda s: s.replace("<w:r><w:t", '<w:r><w:rPr><w:sz w:val="20"/><w:b/></w:rPr><w:t', 1),
     "Unexpected element 'b'"),
    ("word/document.xml", lambda s: s.replace('<w:pStyle w:val="JbMastheadName"/>',
                                              '<w:jc w:val="left"/><w:pStyle w:val="JbMastheadName"/>'),
     "Unexpected element 'pStyle'"),
    ("word/document.xml", lambda s: s[:s.index("<v:textbox")] + s[s.index("<v:textbox"):].replace(
        "<w:tblPr>", "<w:tblPr><w:bogus/>", 1), "[mc:Fallback]"),
    ("word/document.xml", lambda s: s.replace('id="1001"', 'id="1002"'), "wp:docPr id 1002 also used"),
    ("word/_rels/document.xml.rels", lambda s: s.replace('Target="footer1.xml"', 'Target="footer9.xml"'),
     "points at missing part word/footer9.xml"),
    ("[Content_Types].xml", lambda s: re.sub(r'<Default Extension="png"[^>]*/>', "", s),
     ".png: no content type"),
    ("word/footer1.xml", lambda s: s.replace('<w:fldChar w:fldCharType="end"/>', "", 1), "field not closed"),
])
def test_validator_finds_each_kind_of_problem(every_feature_docx, tmp_path, part, change, expected):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(_rewrite(every_feature_docx, part, change))
    assert broken.read_bytes() != every_feature_docx.read_bytes()
    problems = docx_problems(broken)
    assert any(expected in problem for problem in problems), problems


# Package contents -------------------------------------------------------------

def _part(path, name: str):
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name)) if name in package.namelist() else None


@pytest.mark.parametrize("which", ["template", "issue"])
def test_no_python_docx_leftovers_and_current_compatibility(sample_build, which):
    path = TEMPLATE if which == "template" else sample_build["suining"]
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        everything = b"".join(package.read(n) for n in ("[Content_Types].xml", "_rels/.rels",
                                                         "word/_rels/document.xml.rels"))
    assert "word/stylesWithEffects.xml" not in names and b"stylesWithEffects" not in everything
    assert not any(n.startswith("docProps/thumbnail") for n in names) and b"thumbnail" not in everything
    settings = _part(path, "word/settings.xml")
    modes = [s.get(f"{{{W}}}val") for s in settings.iter(f"{{{W}}}compatSetting")
             if s.get(f"{{{W}}}name") == "compatibilityMode"]
    assert modes == ["15"]
    assert settings.find(f"{{{W}}}themeFontLang").get(f"{{{W}}}eastAsia") == "zh-CN"
    app = _part(path, "docProps/app.xml")
    ns = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
    assert app.findtext(f"{ns}Application") == "briefings"


def test_font_table_names_the_faces_word_falls_back_to():
    fonts = {f.get(f"{{{W}}}name"): f for f in _part(TEMPLATE, "word/fontTable.xml").iter(f"{{{W}}}font")}
    expected = {"仿宋_GB2312": ("仿宋", "02010609030101010101"), "楷体_GB2312": ("楷体", "02010609030101010101"),
                "黑体": ("SimHei", "02010609060101010101"), "宋体": ("SimSun", "02010600030101010101"),
                "方正小标宋简体": ("宋体", "02010600030101010101")}
    for name, (alt, panose) in expected.items():
        font = fonts[name]
        assert font.find(f"{{{W}}}altName").get(f"{{{W}}}val") == alt
        assert font.find(f"{{{W}}}panose1").get(f"{{{W}}}val") == panose
        assert font.find(f"{{{W}}}charset").get(f"{{{W}}}val") == "86"


def test_chinese_language_on_defaults_and_styles():
    styles = _part(TEMPLATE, "word/styles.xml")
    default = styles.find(f"{{{W}}}docDefaults//{{{W}}}lang")
    assert default.get(f"{{{W}}}eastAsia") == "zh-CN"
    ours = [s for s in styles.iter(f"{{{W}}}style") if s.get(f"{{{W}}}styleId") in ("Normal", "JbRunInTitle",
                                                                                      "JbEditorNoteLabel")]
    assert len(ours) == 3
    for style in ours:
        assert style.find(f"{{{W}}}rPr/{{{W}}}lang").get(f"{{{W}}}eastAsia") == "zh-CN"


def test_footer_box_is_drawingml_with_vml_fallback(sample_build):
    body = docx.Document(str(sample_build["luxian"])).element.body
    alternates = body.findall(f".//{{{MC}}}AlternateContent")
    assert len(alternates) == 1
    choice, fallback = alternates[0]
    assert choice.tag == f"{{{MC}}}Choice" and choice.get("Requires") == "wps"
    assert fallback.tag == f"{{{MC}}}Fallback"
    shape = fallback.find(".//{urn:schemas-microsoft-com:vml}shape")
    assert shape.find("{urn:schemas-microsoft-com:vml}textbox") is not None
    # The VML box is as high as the DrawingML one (1 pt = 12700 EMU).
    extent = choice.find(".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")
    height = re.search(r"height:([\d.]+)pt", shape.get("style")).group(1)
    assert float(height) == pytest.approx(int(extent.get("cy")) / 12700, abs=0.05)


# Other readers keep everything ------------------------------------------------

def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _body_texts(path) -> list[str]:
    """Each body paragraph's text (tables included, the 版记 box not)."""
    body = docx.Document(str(path)).element.body
    texts = []
    for paragraph in body.iter(f"{{{W}}}p"):
        if any(a.tag == f"{{{W}}}txbxContent" for a in paragraph.iterancestors()):
            continue
        text = "".join(t.text or "" for t in paragraph.iter(f"{{{W}}}t")
                       if not any(a.tag == f"{{{W}}}txbxContent" for a in t.iterancestors()))
        if text.strip():
            texts.append(text)
    return texts


def _footer_lines(path) -> list[str]:
    return footer_texts(docx.Document(str(path)))


def _pandoc_text(path) -> str:
    """pandoc's HTML, as text (its plain writer rewrites 10<sup>3</sup> as 10³)."""
    import pypandoc
    from lxml import html

    converted = pypandoc.convert_file(str(path), "html", format="docx", extra_args=["--wrap=none"])
    return html.fromstring(f"<div>{converted}</div>").text_content()


def _mammoth_text(path) -> str:
    import mammoth

    with open(path, "rb") as handle:
        return mammoth.extract_raw_text(handle).value


@pytest.mark.parametrize("reader", [_pandoc_text, _mammoth_text], ids=["pandoc", "mammoth"])
def test_other_readers_keep_body_text_and_every_footer_line(sample_build, every_feature_docx, reader):
    for path in built(sample_build, every_feature_docx):
        text = _squash(reader(path))
        paragraphs, footer = _body_texts(path), _footer_lines(path)
        assert len(paragraphs) > 10 and len(footer) >= 4
        missing = [p for p in paragraphs if _squash(p) not in text]
        assert not missing, f"{path.name}: {missing[:3]}"
        lost = [line for line in footer if _squash(line) not in text]
        assert not lost, f"{path.name}: 版记 lines lost: {lost}"
