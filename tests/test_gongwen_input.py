"""公文 input: fields read from the front matter, and the errors a clerk can make (GONGWEN.md)."""

from __future__ import annotations

from pathlib import Path

from briefings.build import check_workspace

DOC = Path("documents/kunzhengban/2017-176.md")


def messages(root: Path) -> list[str]:
    return [d.format(root) for d in check_workspace(root).report.items]


def edit(root: Path, old: str, new: str, path: Path = DOC) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_sample_document_fields(workspace):
    checked = check_workspace(workspace)
    assert not checked.report.errors
    (doc,) = checked.workspace.documents
    assert doc.reference == "昆政办发〔2017〕176号"
    assert doc.kind == "通知" and not doc.upward
    assert doc.recipients[0] == "昆山开发区、昆山高新区、花桥经济开发区、旅游度假区管委会"
    assert doc.printer == "昆山市人民政府办公室"  # the series' office is an 办公室 already
    assert str(doc.print_date) == "2017-09-28"  # 印发日期 defaults to 成文日期
    assert doc.note == "此件公开发布"
    assert doc.copy_to[-1] == "各群众团体"
    assert [a.title for a in doc.attachments] == [
        "2017年全国大众创业万众创新活动周暨“创响江苏”活动月苏州分会场昆山市工作方案"]


def test_upward_document_without_signer(workspace):
    edit(workspace, "标题: 市政府办公室关于印发", "文种: 请示\n标题: 市政府办公室关于印发")
    assert (f"{DOC.as_posix()}:2: 错误: 请示是上行文，必须写签发人（签发人: 姓名；联合上报时写多位）"
            in messages(workspace))


def test_upward_document_with_signer_is_fine(workspace):
    edit(workspace, "标题: 市政府办公室关于印发", "文种: 请示\n签发人: 张三\n标题: 市政府办公室关于印发")
    assert not check_workspace(workspace).report.errors


def another_document(workspace, name: str, old: str = "", new: str = "") -> None:
    """A second 公文 of the series: the sample's file, with `old` replaced by `new`."""
    text = (workspace / DOC).read_text(encoding="utf-8")
    (workspace / "documents/kunzhengban" / name).write_text(text.replace(old, new) if old else text, encoding="utf-8")


def test_reference_used_twice(workspace):
    another_document(workspace, "2017-176-copy.md")
    assert ("documents/kunzhengban/2017-176.md:3: 错误: 发文字号“昆政办发〔2017〕176号”已由 "
            "kunzhengban/2017-176-copy 使用：一个文号只能给一份公文（用 briefing new gongwen 取下一个文号）"
            in messages(workspace))


def test_same_number_in_another_year_is_fine(workspace):
    another_document(workspace, "2018-176.md", "成文日期: 2017-09-28", "成文日期: 2018-01-05")
    assert not check_workspace(workspace).report.errors


def test_gap_in_numbers_warns(workspace):
    another_document(workspace, "2017-179.md", "序号: 176", "序号: 179")
    assert ("documents/kunzhengban/2017-179.md:3: 警告: 昆政办发〔2017〕177号、昆政办发〔2017〕178号缺号"
            in messages(workspace))


def test_attachment_listed_but_missing(workspace):
    edit(workspace, "文件: 2017-176/工作方案.md", "文件: 2017-176/实施方案.md")
    assert (f"{DOC.as_posix()}:12: 错误: 附件“2017-176/实施方案.md”不存在（路径相对于本文件所在目录）"
            in messages(workspace))


def test_attachment_note_disagrees_with_title(workspace):
    edit(workspace, "    标题: 2017年全国", "    标题: 2018年全国")
    assert (f"{DOC.as_posix()}:12: 错误: 附件说明“2018年全国大众创业万众创新活动周暨“创响江苏”活动月苏州分会场"
            "昆山市工作方案”与附件“2017-176/工作方案.md”的标题“2017年全国大众创业万众创新活动周暨“创响江苏”"
            "活动月苏州分会场昆山市工作方案”不一致（附件说明应与附件标题完全相同）" in messages(workspace))


def test_attachment_outside_workspace(workspace):
    edit(workspace, "文件: 2017-176/工作方案.md", "文件: ../../../../etc/passwd")
    assert f"{DOC.as_posix()}:12: 错误: 附件“../../../../etc/passwd”不在工作区内" in messages(workspace)


def test_code_with_year_is_refused(workspace):
    edit(workspace, "机关代字: 昆政办发", "机关代字: 昆政办发〔2017〕", Path("series/kunzhengban.yaml"))
    assert any("series/kunzhengban.yaml:4: 错误: “机关代字”“昆政办发〔2017〕”只写代字" in m
               for m in messages(workspace))


def test_unknown_key_hint(workspace):
    edit(workspace, "附注:", "附住:")
    assert f"{DOC.as_posix()}:14: 错误: 未知的配置项“附住”（是否指“附注”？）" in messages(workspace)


def test_secrecy_level_must_be_known(workspace):
    edit(workspace, "附注:", "密级: 内部\n附注:")
    assert f"{DOC.as_posix()}:14: 错误: “密级”只能是 绝密、机密、秘密，实际是“内部”" in messages(workspace)


def test_seal_must_be_png(workspace):
    edit(workspace, "加盖印章: true", "加盖印章: true\n印章: ../images/luxian/tianfubei-final.png",
         Path("series/kunzhengban.yaml"))
    assert not check_workspace(workspace).report.errors  # a PNG: fine
    (workspace / "seal.txt").write_text("不是图片", encoding="utf-8")
    edit(workspace, "印章: ../images/luxian/tianfubei-final.png", "印章: ../seal.txt", Path("series/kunzhengban.yaml"))
    assert any("series/kunzhengban.yaml:8: 错误: 图片“../seal.txt”不是图片文件" in m for m in messages(workspace)), messages(workspace)


def test_series_word_template_checked_for_gongwen_fields(workspace):
    import shutil

    from briefings.templatedir import default_templates_dir

    shutil.copy(default_templates_dir() / "gongwen.docx", workspace / "series/our-gongwen.docx")
    shutil.copy(default_templates_dir() / "briefing.docx", workspace / "series/briefing-copy.docx")
    edit(workspace, "加盖印章: true", "template: our-gongwen.docx\n加盖印章: true", Path("series/kunzhengban.yaml"))
    assert not check_workspace(workspace).report.errors
    edit(workspace, "template: our-gongwen.docx", "template: briefing-copy.docx", Path("series/kunzhengban.yaml"))
    assert any("series/kunzhengban.yaml:7: 错误: “template”模板“briefing-copy.docx”缺少必需的字段："
               "{{ reference }}（发文字号）、{{ title }}（标题）、{{ attachments }}（附件）" in m
               for m in messages(workspace)), messages(workspace)


def test_hostile_front_matter_gives_errors_not_tracebacks(workspace):
    doc = workspace / DOC
    doc.write_text("---\n标题: [1, 2]\n序号: 一百\n成文日期: 2017-02-30\n主送机关: {a: b}\n附件:\n  - 7\n"
                   "  - 文件: [x]\n  - 文件: /etc/passwd\n签发人: {x: 1}\n印章: http://example.org/seal.png\n"
                   "文种: 公函\n---\n\n<script>alert(1)</script>正文\n", encoding="utf-8")
    found = messages(workspace)
    expected = [
        ":2: 错误: “标题”应是一段文字",
        ":3: 错误: “序号”应是整数，实际是“一百”",
        ":4: 错误: “成文日期”日期“2017-02-30”不存在",
        ":5: 错误: “主送机关”应是文字列表",
        ":7: 错误: “附件[1]”应写成“文件: 附件的路径”，可加“标题: 附件标题”",
        ":10: 错误: “签发人”应是文字列表",
        ":8: 错误: “附件[2].文件”应是一段文字",
        ":9: 错误: 附件“/etc/passwd”不在工作区内",
        ":11: 错误: 图片“http://example.org/seal.png”必须是工作区内的文件，不能是网址",
        ":12: 错误: “文种”不认识的文种“公函”",
    ]
    for message in expected:
        assert any(m.startswith(DOC.as_posix() + message) for m in found), (message, found)
