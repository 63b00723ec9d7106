"""Build the sample workspace and read the DOCX back with python-docx."""

from __future__ import annotations

import hashlib

import docx
import pytest
import yaml

from conftest import copy_samples, SAMPLES


def texts(path):
    document = docx.Document(str(path))
    return document, [(p.style.name, p.text) for p in document.paragraphs]


NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}


def footer_texts(document, branch="Choice"):
    """Paragraph texts inside the footer text box (the 报尾): the DrawingML box Word
    shows (mc:Choice) or its VML copy (mc:Fallback) for older readers."""
    ns = NS
    boxes = document.element.body.findall(f".//mc:{branch}//w:txbxContent", ns)
    lines = []
    for box in boxes:
        for p in box.findall(".//w:p", ns):
            text = "".join(t.text or "" for t in p.findall(".//w:t", ns))
            if text:
                lines.append(text)
    return lines


def test_masthead_text_and_number(sample_build):
    document, paragraphs = texts(sample_build["suining"])
    by_style = {style: text for style, text in reversed(paragraphs)}
    assert by_style["简报-报头名称"] == "遂宁返乡创业简报"
    assert by_style["简报-期号"] == "第7期（总第45期）"
    assert by_style["简报-编印单位与日期"] == "遂宁市农民工暨返乡下乡创业工作领导小组办公室\t2023年7月17日"
    document, paragraphs = texts(sample_build["luxian"])
    assert ("简报-密级标识", "内部资料 注意保存") in paragraphs
    assert ("简报-期号", "第9期（总第21期）") in paragraphs


def test_columns_in_series_order_with_their_items(sample_build):
    _, paragraphs = texts(sample_build["luxian"])
    headings = [text for style, text in paragraphs if style == "简报-栏目"]
    assert headings == ["[部门动态]", "[各镇亮点]", "[简\u3000讯]"]
    titles = [text for style, text in paragraphs if style == "简报-文章标题"]
    manifest = yaml.safe_load((SAMPLES / "issues/luxian/2017-09.yaml").read_text(encoding="utf-8"))
    expected = []
    for name in manifest["items"]:
        front = yaml.safe_load((SAMPLES / "items" / name).read_text(encoding="utf-8").split("---")[1])
        if front.get("kind") != "brief":
            expected.append(front["title"])
    assert [t.replace("\n", "") for t in titles] == expected
    # Every article title comes before its column's next heading, in manifest order.
    order = [text for style, text in paragraphs if style in ("简报-栏目", "简报-文章标题")]
    assert order.index("[部门动态]") == 5 and order.index("[各镇亮点]") == 9
    briefs = [text for style, text in paragraphs if style == "简报-简讯"]
    assert len(briefs) == 4 and briefs[0].startswith("由省委、省政府支持")


def test_run_in_titles_toc_and_unit_prefixes(sample_build):
    _, paragraphs = texts(sample_build["suining"])
    toc = [text for style, text in paragraphs if style == "简报-要目"]
    assert toc[0].startswith("★ 遂宁市农民工暨返乡下乡创业工作领导小组办公室赴北京")
    assert toc[-1] == "★ 工作简讯" and len(toc) == 5
    body = [text for style, text in paragraphs if style == "Normal"]
    assert any(t.startswith("大英县“五个到位”做好农民工返乡创业工作。（1）要素保障到位") for t in body)
    briefs = [text for style, text in paragraphs if style == "简报-简讯"]
    assert [b.split("：")[0] for b in briefs] == ["船山区", "蓬溪县", "大英县", "市河东新区"]


def test_picture_embedded_within_type_width(sample_build):
    document = docx.Document(str(sample_build["luxian"]))
    shapes = document.inline_shapes
    assert len(shapes) == 1
    # 1600 × 1000 pixels scaled to the full 156 mm type width, proportions kept.
    assert shapes[0].width.mm == pytest.approx(156, abs=0.05)
    assert shapes[0].height.mm == pytest.approx(97.5, abs=0.05)
    captions = [p.text for p in document.paragraphs if p.style.name == "简报-图注"]
    assert captions == ["四川省第一届“天府杯”创业大赛（泸州赛区）决赛现场（示意图）"]


def test_footer_lines_from_series_and_issue_overrides(sample_build):
    # Lines in the series' order, each label once, the copies last; 遂宁 sets no terminal punctuation.
    assert footer_texts(docx.Document(str(sample_build["suining"]))) == [
        "呈送：省农民工工作领导小组办公室，市农民工暨返乡下乡创业工作领导小组组长、副组长",
        "抄送：市农民工暨返乡下乡创业工作领导小组成员单位，各县（市、区）农民工工作领导小组、市直园区管委会",
        "印发：各县（市、区）人力资源和社会保障局、农民工服务中心",
        "共印60份",
    ]
    assert footer_texts(docx.Document(str(sample_build["luxian"]))) == [
        "呈送：市双创办，县委、县人大、县政府、县政协领导。",
        "抄送：县双创领导小组成员单位。",
        "印发：各镇人民政府、街道办事处。",
        "本期增发：县委宣传部。共印80份",
    ]


def test_footer_fallback_box_repeats_the_footer(sample_build):
    for key in ("luxian", "suining"):
        document = docx.Document(str(sample_build[key]))
        lines = footer_texts(document)
        assert len(lines) >= 4
        assert footer_texts(document, "Fallback") == lines


def test_overrides_add_remove_and_copies(tmp_path):

    from briefings.build import build

    root = tmp_path / "ws"
    copy_samples(root)
    manifest = root / "issues/suining/2023-07.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    data["distribution"] = {"add": {"抄送": ["市委宣传部"]}, "remove": {"呈送": ["省农民工工作领导小组办公室"]},
                            "extra": ["市档案馆"], "copies": 75}
    data["editor"], data["reviewer"], data["approver"] = "张三", "李四", "王五"
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    written = build(root, root / "dist", ["suining/2023-07"], ["docx", "html"])
    docx_path = next(p for p in written if p.suffix == ".docx")
    assert footer_texts(docx.Document(str(docx_path))) == [
        "呈送：市农民工暨返乡下乡创业工作领导小组组长、副组长",
        "抄送：市农民工暨返乡下乡创业工作领导小组成员单位，各县（市、区）农民工工作领导小组、市直园区管委会，市委宣传部",
        "印发：各县（市、区）人力资源和社会保障局、农民工服务中心",
        "本期增发：市档案馆共印75份",
        "责任编辑：张三\u3000\u3000审核：李四\u3000\u3000签发：王五",
    ]
    from lxml import html
    page = html.fromstring(next(p for p in written if p.suffix == ".html").read_bytes())
    assert [p.text_content() for p in page.find(".//footer").findall("p")] == [
        "呈送：市农民工暨返乡下乡创业工作领导小组组长、副组长",
        "抄送：市农民工暨返乡下乡创业工作领导小组成员单位，各县（市、区）农民工工作领导小组、市直园区管委会，市委宣传部",
        "印发：各县（市、区）人力资源和社会保障局、农民工服务中心",
        "本期增发：市档案馆共印75份",
        "责任编辑：张三\u3000\u3000审核：李四\u3000\u3000签发：王五",
    ]


GONGWEN = ("昆政办发〔2017〕176号 市政府办公室关于印发2017年全国大众创业万众创新活动周暨“创响江苏”"
           "活动月苏州分会场昆山市工作方案的通知")


def test_builds_are_byte_identical(tmp_path):
    from briefings.build import build

    # The second build reuses the first one's picture cache; the third starts cold elsewhere.
    root = copy_samples(tmp_path / "ws")
    builds = [build(root, tmp_path / "a"), build(root, tmp_path / "b"), build(copy_samples(tmp_path / "ws2"), tmp_path / "c")]
    digests = [{p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in written} for written in builds]
    assert digests[0] == digests[1] == digests[2]
    # a 公文 beside the two 简报, each as DOCX and HTML
    assert sorted(digests[0]) == ["index.html", GONGWEN + ".docx", GONGWEN + ".html",
                                  "泸县双创简报2017年第9期.docx", "泸县双创简报2017年第9期.html",
                                  "遂宁返乡创业简报2023年第7期.docx", "遂宁返乡创业简报2023年第7期.html"]


def test_build_py_builds_into_dist(tmp_path):
    """The README's `python build.py`, run in a fresh copy of the checkout (no dist/ left over)."""
    import shutil
    import subprocess
    import sys
    from conftest import ROOT

    shutil.copy(ROOT / "build.py", tmp_path / "build.py")
    copy_samples(tmp_path / "content")
    result = subprocess.run([sys.executable, "build.py"], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    dist = tmp_path / "dist"
    assert sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file()) == [
        "index.html",
        f"kunzhengban/{GONGWEN}.docx", f"kunzhengban/{GONGWEN}.html",
        "luxian/泸县双创简报2017年第9期.docx", "luxian/泸县双创简报2017年第9期.html",
        "site/feed.xml", "site/index.html",
        f"site/kunzhengban/{GONGWEN}.docx", f"site/kunzhengban/{GONGWEN}.html", f"site/kunzhengban/{GONGWEN}.pdf",
        "site/luxian/泸县双创简报2017年第9期.docx", "site/luxian/泸县双创简报2017年第9期.html",
        "site/luxian/泸县双创简报2017年第9期.pdf",
        "site/search-index.js", "site/search.js", "site/search/2017.js", "site/search/2023.js",
        "site/suining/遂宁返乡创业简报2023年第7期.docx", "site/suining/遂宁返乡创业简报2023年第7期.html",
        "site/suining/遂宁返乡创业简报2023年第7期.pdf",
        "suining/遂宁返乡创业简报2023年第7期.docx", "suining/遂宁返乡创业简报2023年第7期.html",
    ]
    _, paragraphs = texts(dist / "suining/遂宁返乡创业简报2023年第7期.docx")
    assert ("简报-期号", "第7期（总第45期）") in paragraphs
    from lxml import html

    page = html.fromstring((dist / "luxian/泸县双创简报2017年第9期.html").read_bytes()).text_content()
    assert "县委常委、副县长赵领带队参加第五届中国（绵阳）科技城国际科技博览会" in page  # <wbr> between phrases
    feed = (dist / "site/feed.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 2
    assert "已生成 dist/index.html" in result.stdout
