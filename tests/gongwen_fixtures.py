"""Built 公文 for the tests: the 昆山 sample, and one that uses every field."""

from __future__ import annotations

from pathlib import Path

SAMPLE_ID = "kunzhengban/2017-176"
SAMPLE_NAME = ("昆政办发〔2017〕176号 市政府办公室关于印发2017年全国大众创业万众创新活动周暨“创响江苏”"
               "活动月苏州分会场昆山市工作方案的通知")
FULL_ID = "kunzhengban/2017-180"

# A joint 请示 (上行文) with 份号, 密级, 紧急程度, two attachments and a run-in heading.
FULL = """\
---
标题: 昆山市人民政府办公室昆山市财政局关于申请双创专项资金的请示
序号: 180
成文日期: 2017-10-09
发文机关: [昆山市人民政府办公室, 昆山市财政局]
签发人: [张三, 李四]
份号: 123
密级: 秘密
保密期限: 1年
紧急程度: 特急
主送机关: 苏州市人民政府
附件:
  - 文件: 2017-180/预算表.md
  - 文件: 2017-180/名单.md
    标题: 双创项目名单
附注: 联系人：陈莉，电话：57303063
印发日期: 2017-10-10
---

## 一、基本情况

### （一）总体要求。

加快实施创新驱动发展战略，推动大众创业万众创新向纵深发展。

### （二）资金需求

现申请专项资金。

妥否，请批示。
"""
BUDGET = """\
---
标题: 双创专项资金预算表
---

| 项目 | 金额（万元） |
|---|---|
| 活动周 | 28 |
| 创业大赛 | 2000 |
"""
NAMES = "# 双创项目名单\n\n1\\. 某某科技有限公司\n"


def add_full_document(root: Path) -> None:
    folder = root / "documents/kunzhengban"
    (folder / "2017-180").mkdir(parents=True, exist_ok=True)
    (folder / "2017-180.md").write_text(FULL, encoding="utf-8")
    (folder / "2017-180/预算表.md").write_text(BUDGET, encoding="utf-8")
    (folder / "2017-180/名单.md").write_text(NAMES, encoding="utf-8")
