"""Assembling an issue without typing paths (`add`, `list --unplaced`, `show`),
and the guard rails around new items, drafts and init's example."""

from __future__ import annotations

import yaml
from click.testing import CliRunner

from briefings.cli import main

MANIFEST_WITH_COMMENTS = """\
# 第8期：编辑部 7 月 24 日定稿
series: suining
number: 8
total: 46
date: 2023-07-31
items:   # 按印刷顺序
  - suining/2023-07/01-beijing-wenzhou-diaoyan.md   # 头条
editor_note: ""
# distribution:
#   copies: 60
editor: 王五
"""

NEW_ITEM = """\
---
title: 射洪市举办返乡创业大赛
column: 要闻
date: 2023-07-25
source: 射洪市就业局
---

7月25日，射洪市举办返乡创业大赛，20个项目参赛。
"""


def run(workspace, *args):
    return CliRunner().invoke(main, ["-w", str(workspace), *args])


def test_add_appends_and_keeps_comments(workspace):
    manifest = workspace / "issues/suining/2023-08.yaml"
    manifest.write_text(MANIFEST_WITH_COMMENTS, encoding="utf-8")
    item = workspace / "items/suining/2023-07/射洪市举办返乡创业大赛.md"
    item.write_text(NEW_ITEM, encoding="utf-8")
    # The sample's 2023-07 issue is built, so the next unpublished one is 2023-08.
    assert run(workspace, "build", "suining/2023-07", "-f", "docx").exit_code == 0
    result = run(workspace, "add", str(item))
    assert result.exit_code == 0, result.output
    assert "已编入 suining/2023-08（2023年第8期）：suining/2023-07/射洪市举办返乡创业大赛.md" in result.output
    assert manifest.read_text(encoding="utf-8") == MANIFEST_WITH_COMMENTS.replace(
        "# 头条\n", "# 头条\n  - suining/2023-07/射洪市举办返乡创业大赛.md\n")
    again = run(workspace, "add", "items/suining/2023-07/射洪市举办返乡创业大赛.md")
    assert "已在 suining/2023-08（2023年第8期）中，未重复添加" in again.output
    assert manifest.read_text(encoding="utf-8").count("射洪市") == 1


def test_add_to_a_new_empty_issue_by_id(workspace):
    assert run(workspace, "new", "issue", "-s", "luxian", "-d", "2017-10-09").exit_code == 0
    manifest = workspace / "issues/luxian/2017-10.yaml"
    before = manifest.read_text(encoding="utf-8")
    assert "items: []" in before
    result = run(workspace, "add", "--issue", "luxian/2017-10", "luxian/2017-09/03-tianfubei.md",
                 "luxian/2017-09/01-mianyang-kebohui.md")
    assert result.exit_code == 0, result.output
    assert "注意：该稿件也列在 luxian/2017-09 中" in result.output  # already published there
    after = manifest.read_text(encoding="utf-8")
    assert "items:\n  - luxian/2017-09/03-tianfubei.md\n  - luxian/2017-09/01-mianyang-kebohui.md\n" in after
    assert "# distribution:            # 本期分送调整（可选）\n" in after and "# approver: 签发\n" in after
    assert yaml.safe_load(after)["number"] == 10


def test_add_outside_items_or_missing(workspace):
    assert "稿件不存在" in run(workspace, "add", "items/无此稿件.md").output
    outside = run(workspace, "add", "series/suining.yaml")
    assert outside.exit_code == 1 and "不是 items/ 目录下的稿件" in outside.output


def test_list_unplaced(workspace):
    empty = run(workspace, "list", "--unplaced")
    assert empty.exit_code == 0 and "共 0 篇稿件未编入任何一期" in empty.output
    (workspace / "items/suining/2023-07/射洪市举办返乡创业大赛.md").write_text(NEW_ITEM, encoding="utf-8")
    listed = run(workspace, "list", "--unplaced").output
    assert "suining/2023-07/射洪市举办返乡创业大赛.md\t2023-07-25\t要闻\t射洪市举办返乡创业大赛" in listed
    assert "共 1 篇稿件未编入任何一期" in listed


def test_show_prints_the_issue_as_it_will_print(workspace):
    result = run(workspace, "show", "luxian/2017-09")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "泸县双创简报　2017年第9期（总第21期）"
    assert lines[1] == "泸县大众创业万众创新工作领导小组办公室　2017年9月25日"
    headings = [line for line in lines if line.startswith(("[", "（")) and "份" not in line]
    assert headings == ["（要闻，不印栏目名）", "[部门动态]", "[各镇亮点]", "[简　讯]"]
    assert "  8. 县就业局调整完善创业培训质量评估体系（县就业局）" in lines
    assert lines[-5:] == ["呈送：市双创办，县委、县人大、县政府、县政协领导。", "抄送：县双创领导小组成员单位。",
                          "印发：各镇人民政府、街道办事处。", "本期增发：县委宣传部。", "（共印 80 份）"]


def test_show_unknown_issue(workspace):
    result = run(workspace, "show", "luxian/2099-01")
    assert result.exit_code == 1 and "找不到期“luxian/2099-01”" in result.output


def test_new_item_named_after_title_with_the_columns_kind(workspace):
    result = run(workspace, "new", "item", "-s", "luxian", "-c", "简讯", "-d", "2017-09-20", "--source", "县商务局")
    assert result.exit_code == 0, result.output
    brief = workspace / "items/luxian/2017-09/2017-09-20-01.md"
    assert yaml.safe_load(brief.read_text(encoding="utf-8").split("---")[1])["kind"] == "brief"
    result = run(workspace, "new", "item", "-s", "luxian", "-c", "部门动态", "-t", "县税务局优化办税服务",
                 "-d", "2017-09-20")
    article = workspace / "items/luxian/2017-09/县税务局优化办税服务.md"
    assert result.exit_code == 0 and article.is_file()
    assert yaml.safe_load(article.read_text(encoding="utf-8").split("---")[1])["kind"] == "article"


def test_a_title_in_chinese_quotes_is_not_taken_for_words_quotes(workspace):
    result = run(workspace, "new", "item", "-s", "luxian", "-c", "部门动态", "-t", "“双创”", "-d", "2017-09-20")
    assert result.exit_code == 0, result.output
    assert 'title: "“双创”"\n' in (workspace / "items/luxian/2017-09/“双创”.md").read_text(encoding="utf-8")
    assert run(workspace, "check").exit_code == 0


def test_placeholder_text_never_reaches_a_build(workspace):
    run(workspace, "new", "item", "-s", "luxian", "-c", "部门动态", "-t", "县税务局优化办税服务", "-d", "2017-09-20")
    run(workspace, "add", "--issue", "luxian/2017-09", "luxian/2017-09/县税务局优化办税服务.md")
    result = run(workspace, "build", "luxian/2017-09")
    assert result.exit_code == 1
    assert ("items/luxian/2017-09/县税务局优化办税服务.md:10: 错误: 稿件还留着新建时的占位文字“【待填写】”"
            in result.output)
    assert not (workspace / "dist").exists()


def test_draft_is_refused_by_build_and_warned_by_check(workspace):
    item = workspace / "items/luxian/2017-09/03-tianfubei.md"
    item.write_text(item.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    checked = run(workspace, "check")
    assert checked.exit_code == 0
    assert "items/luxian/2017-09/03-tianfubei.md:2: 警告: 稿件标为草稿（draft: true），生成时会被拒绝" in checked.output
    built = run(workspace, "build", "luxian/2017-09")
    assert built.exit_code == 1
    assert "items/luxian/2017-09/03-tianfubei.md:2: 错误: 稿件标为草稿（draft: true），不能生成" in built.output


def test_init_example_builds_and_leaves_the_first_number(tmp_path):
    root = tmp_path / "ws"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    built = run(root, "build", "-f", "html")
    assert built.exit_code == 0, built.output
    assert [p.name for p in (root / "dist/gongzuo").glob("*.html")][0].endswith("示例第1期.html")
    assert run(root, "new", "issue", "-s", "gongzuo", "-d", "2030-03-02").exit_code == 0
    first = yaml.safe_load((root / "issues/gongzuo/2030-01.yaml").read_text(encoding="utf-8"))
    assert (first["number"], first["total"]) == (1, 1)
