"""The built 公文 DOCX: every element of GONGWEN.md §1 in the document, in order."""

from __future__ import annotations

import zipfile

import pytest
from docx import Document
from docx.enum.section import WD_SECTION

from briefings.build import build
from conftest import copy_samples
from gongwen_fixtures import FULL_ID, SAMPLE_ID, SAMPLE_NAME, add_full_document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = copy_samples(tmp_path_factory.mktemp("gw") / "ws")
    add_full_document(root)
    out = root / "dist"
    build(root, out, [SAMPLE_ID, FULL_ID], ["docx"])
    folder = out / "kunzhengban"
    return {"sample": folder / f"{SAMPLE_NAME}.docx",
            "full": next(p for p in folder.glob("昆政办发〔2017〕180号*.docx")),
            "root": root, "out": out}


def paragraphs(path):
    """(style name, text) of every paragraph in the body, text boxes included, in order."""
    doc = Document(str(path))
    names = {s.style_id: s.name for s in doc.styles}
    result = []
    for p in doc.element.body.iter(f"{W}p"):
        if any(a.tag == FALLBACK for a in p.iterancestors()):
            continue  # the 版记 box again, in VML, for readers without DrawingML
        ppr = p.find(f"{W}pPr")
        style = ppr.find(f"{W}pStyle") if ppr is not None else None
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        breaks = len(list(p.iter(f"{W}br")))
        result.append((names.get(style.get(f"{W}val")) if style is not None else "Normal", text, breaks))
    return result


def texts(path, style):
    return [text for name, text, _ in paragraphs(path) if name == style]


def test_output_name_carries_reference(built):
    assert built["sample"].is_file()
    assert built["full"].name == "昆政办发〔2017〕180号 昆山市人民政府办公室昆山市财政局关于申请双创专项资金的请示.docx"


def test_sample_head(built):
    path = built["sample"]
    assert texts(path, "公文-发文机关标志") == ["昆山市人民政府办公室文件"]
    assert texts(path, "公文-发文字号") == ["昆政办发〔2017〕176号"]
    assert texts(path, "公文-份号") == [] and texts(path, "公文-密级与紧急程度") == []
    (title,) = [(t, b) for name, t, b in paragraphs(path) if name == "公文-标题"]
    assert title[0] == "市政府办公室关于印发2017年全国大众创业万众创新活动周暨“创响江苏”活动月苏州分会场昆山市工作方案的通知"
    assert title[1] == 2  # three lines
    assert texts(path, "公文-主送机关") == [
        "昆山开发区、昆山高新区、花桥经济开发区、旅游度假区管委会，各镇人民政府，各城市管理办事处，市各委办局，各直属单位："]


def test_sample_body_signature_note_attachment(built):
    path = built["sample"]
    body = [t for name, t, _ in paragraphs(path) if name == "Normal" and t]
    assert body[0].startswith("经市政府同意，现将《2017年全国大众创业万众创新活动周")
    assert texts(path, "公文-附件说明单个") == [
        "附件：2017年全国大众创业万众创新活动周暨“创响江苏”活动月苏州分会场昆山市工作方案"]
    assert texts(path, "公文-发文机关署名") == ["昆山市人民政府办公室"]
    assert texts(path, "公文-成文日期") == ["2017年9月28日"]
    assert texts(path, "公文-附注") == ["（此件公开发布）"]
    assert texts(path, "公文-附件标识") == ["附件"]
    assert texts(path, "公文-附件标题") == ["2017年全国大众创业万众创新活动周暨“创响江苏”活动月苏州分会场昆山市工作方案"]
    assert "一、总体要求" in texts(path, "公文-一级标题")
    assert "（九）组织我市五家创新创业企业赴广州参加工信部“创客中国”总决赛" in texts(path, "公文-二级标题")


def test_sample_record(built):
    path = built["sample"]
    assert texts(path, "公文-版记抄送") == [
        "抄送：市委办公室，市人大常委会办公室，市政协办公室，市委各部门，市法院，市检察院，市各民主党派，各群众团体。"]
    assert "昆山市人民政府办公室2017年9月28日印发" in texts(path, "公文-版记")


def test_record_box_has_vml_fallback_with_the_same_lines(built):
    body = Document(str(built["sample"])).element.body
    (fallback,) = body.iter(FALLBACK)
    lines = ["".join(t.text for t in p.iter(f"{W}t")) for p in fallback.iter(f"{W}p")]
    assert "抄送：市委办公室，市人大常委会办公室，市政协办公室，市委各部门，市法院，市检察院，市各民主党派，各群众团体。" in lines
    assert "昆山市人民政府办公室2017年9月28日印发" in lines
    shape = next(fallback.iter("{urn:schemas-microsoft-com:vml}shape"))
    # Same place as the DrawingML box: from the page top, ending on the type area's bottom edge.
    height = float(shape.get("style").split("height:")[1].split("pt")[0])
    top = float(shape.get("style").split("margin-top:")[1].split("pt")[0])
    assert abs(top + height - (297 - 35) * 72 / 25.4) < 0.5


def test_record_in_last_section_starting_on_even_page_without_page_numbers(built):
    doc = Document(str(built["sample"]))
    text_section, record_section = doc.sections
    assert record_section.start_type == WD_SECTION.EVEN_PAGE
    assert "PAGE" in text_section.footer._element.xml and "PAGE" in text_section.even_page_footer._element.xml
    assert "PAGE" not in record_section.footer._element.xml
    assert "PAGE" not in record_section.even_page_footer._element.xml
    assert not record_section.footer.is_linked_to_previous


def test_full_head_upward_joint_classified(built):
    path = built["full"]
    assert texts(path, "公文-份号") == ["000123"]
    assert texts(path, "公文-密级与紧急程度") == ["秘密★1年", "特急"]
    assert texts(path, "公文-联合发文机关标志") == ["昆山市人民政府办公室", "昆山市财政局"]
    assert texts(path, "公文-联合标志文件二字") == ["文件"]
    assert texts(path, "公文-上行文发文字号") == ["昆政办发〔2017〕180号签发人：张三\u3000李四"]
    assert texts(path, "公文-发文字号") == []


def test_full_run_in_heading_attachments_signature(built):
    path = built["full"]
    assert "（一）总体要求。加快实施创新驱动发展战略，推动大众创业万众创新向纵深发展。" in [t for _, t, _ in paragraphs(path)]
    assert texts(path, "公文-二级标题") == ["（二）资金需求"]  # no 。: a heading of its own
    assert texts(path, "公文-附件说明") == ["附件：1.双创专项资金预算表"]
    assert texts(path, "公文-附件说明续") == ["2.双创项目名单"]
    assert texts(path, "公文-附件标识") == ["附件1", "附件2"]
    assert texts(path, "公文-附件标题") == ["双创专项资金预算表", "双创项目名单"]
    assert texts(path, "公文-发文机关署名") == ["昆山市人民政府办公室", "昆山市财政局"]
    assert texts(path, "公文-成文日期") == ["2017年10月9日"]
    assert "昆山市人民政府办公室2017年10月10日印发" in texts(path, "公文-版记")
    assert "2000" in texts(path, "公文-表格文字")


def test_run_in_heading_face(built):
    doc = Document(str(built["full"]))
    paragraph = next(p for p in doc.paragraphs if p.text.startswith("（一）总体要求。"))
    assert paragraph.runs[0].text == "（一）总体要求。"
    assert paragraph.runs[0].style.name == "公文-段首二级标题"
    assert paragraph.runs[1].style.name == "Default Paragraph Font"


def test_signature_indents(built):
    doc = Document(str(built["sample"]))
    name = next(p for p in doc.paragraphs if p.style.name == "公文-发文机关署名")
    date = next(p for p in doc.paragraphs if p.style.name == "公文-成文日期")
    # Stamped: the date 4 characters (of 315 twips) in, the 10-character name centred over the 6.5-character date.
    assert date.paragraph_format.right_indent.twips == 1260
    assert name.paragraph_format.right_indent.twips == 709


def test_rebuild_is_byte_identical(built, tmp_path):
    build(built["root"], tmp_path, [SAMPLE_ID], ["docx"])
    assert (tmp_path / "kunzhengban" / built["sample"].name).read_bytes() == built["sample"].read_bytes()


def test_docx_package_is_well_formed(built):
    with zipfile.ZipFile(built["full"]) as package:
        assert package.testzip() is None
        assert "word/document.xml" in package.namelist()


def test_seal_picture_over_signature_and_date(workspace, tmp_path):
    from PIL import Image, ImageDraw

    seal = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    ImageDraw.Draw(seal).ellipse((10, 10, 390, 390), outline=(230, 0, 0, 255), width=18)
    seal.save(workspace / "images" / "seal.png")
    series = workspace / "series/kunzhengban.yaml"
    series.write_text(series.read_text(encoding="utf-8") + "印章: ../images/seal.png\n", encoding="utf-8")
    (docx, _html) = build(workspace, tmp_path, [SAMPLE_ID])
    doc = Document(str(docx))
    date = next(p for p in doc.paragraphs if p.style.name == "公文-成文日期")
    anchors = date._p.findall(".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}anchor")
    assert len(anchors) == 1
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    anchor = anchors[0]
    assert anchor.get("behindDoc") == "0" and anchor.find(f"{wp}wrapNone") is not None
    assert int(anchor.find(f"{wp}extent").get("cx")) == 1512000  # 42 mm
    # Centred on the date: 4 + 3.25 characters from the right, less half the seal.
    left = int(anchor.find(f"{wp}positionH").find(f"{wp}posOffset").text)
    assert abs(left - (5615940 - 7.25 * 315 * 635 - 1512000 / 2)) < 2000
    assert date.text == "2017年9月28日"
    with zipfile.ZipFile(docx) as package:
        assert any(name.startswith("word/media/") for name in package.namelist())
