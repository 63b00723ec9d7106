"""Build the sample workspace and read the DOCX back with python-docx."""

from __future__ import annotations

import hashlib

import docx
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
    assert shapes[0].width.mm <= 156.01
    captions = [p.text for p in document.paragraphs if p.style.name == "简报-图注"]
    assert captions == ["四川省第一届“天府杯”创业大赛（泸州赛区）决赛现场（示意图）"]


def test_footer_lines_from_series_and_issue_overrides(sample_build):
    document = docx.Document(str(sample_build["suining"]))
    series = yaml.safe_load((SAMPLES / "series/suining.yaml").read_text(encoding="utf-8"))
    lines = footer_texts(document)
    for entry in series["distribution"]["lines"]:
        assert f"{entry['label']}：{'，'.join(entry['recipients'])}" in " ".join(lines)
    assert any("共印60份" in line for line in lines)
    luxian = footer_texts(docx.Document(str(sample_build["luxian"])))
    assert "本期增发：县委宣传部。" in luxian[-1] or any(l.startswith("本期增发：县委宣传部。") for l in luxian)
    assert any("共印80份" in line for line in luxian)


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
    data["editor"], data["reviewer"] = "张三", "李四"
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    docx_path = next(p for p in build(root, root / "dist", ["suining/2023-07"], ["docx"]))
    lines = footer_texts(docx.Document(str(docx_path)))
    joined = "\n".join(lines)
    assert "呈送：市农民工暨返乡下乡创业工作领导小组组长、副组长" in joined
    assert "省农民工工作领导小组办公室" not in joined
    assert "管委会，市委宣传部" in joined
    assert "本期增发：市档案馆" in joined
    assert "共印75份" in joined
    assert "责任编辑：张三\u3000\u3000审核：李四" in joined


def test_builds_are_byte_identical(tmp_path):
    from briefings.build import build

    first = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in build(SAMPLES, tmp_path / "a")}
    second = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in build(SAMPLES, tmp_path / "b")}
    assert first == second and len(first) == 7  # a 公文 beside the two 简报, each as DOCX and HTML


def test_build_py_builds_into_dist(tmp_path):
    import subprocess
    import sys
    from conftest import ROOT

    result = subprocess.run([sys.executable, str(ROOT / "build.py")], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (ROOT / "dist/suining/遂宁返乡创业简报2023年第7期.docx").is_file()
    assert (ROOT / "dist/index.html").is_file()
    assert (ROOT / "dist/site/index.html").is_file() and (ROOT / "dist/site/feed.xml").is_file()
