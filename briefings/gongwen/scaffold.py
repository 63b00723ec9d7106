"""New 公文 files: the next 发文字号 of a series, and `init --kind gongwen`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from ..diagnostics import BriefingError, Diagnostic, Report
from ..files import write_atomic
from ..scaffold import create_new, numbering_lock
from ..workspace import SERIES_DIR, load_workspace
from .model import document_reference
from .numbering import next_document_number
from .reader import DOCUMENTS_DIR

SERIES_TEMPLATE = """\
# 公文系列：一个机关代字一个文件。各项说明见 README“公文”一节。
kind: gongwen
发文机关: ××县人民政府
机关代字: ×府发
# 发文机关标志: ××县人民政府        # 红色标志（其后印“文件”），默认为发文机关
# 印发机关: ××县人民政府办公室       # 默认：发文机关的办公室
加盖印章: true                     # 盖章：署名以成文日期为准居中，日期右空四字；false：署名右空二字
# 印章: images/印章.png              # 可选：带透明背景的印章图片，压在署名和日期上
抄送:
  - 县委办公室
  - 县人大常委会办公室
  - 县政协办公室
"""

DOCUMENT_TEMPLATE = """\
---
{front}# 文种: 通知                 # 默认取标题末尾（通知、意见、请示、报告……）；请示、报告须写签发人
# 签发人: 姓名
# 份号: "000001"               # 涉密公文
# 密级: 秘密
# 保密期限: 1年
# 紧急程度: 加急
# 发文机关: [县人民政府, 县财政局]   # 联合行文：主办机关在前
# 附件:
#   - 文件: {stem}/附件1.md
#     标题: 附件标题
# 附注: 此件公开发布
# 抄送: [县委办公室]             # 默认取系列设置
# 印发日期: {date}
---

在这里写正文。每段之间空一行。

## 一、总体要求

### （一）工作目标。

正文……
"""


def new_document(root: Path, series_key: str, title: str, date: dt.date) -> Path:
    """Write the next 公文 of a series; its 序号 comes from the documents on disk.

    Reading the numbers and creating the file happen under the lock `new issue`
    holds, so two clerks at once get two different numbers, and a number in use
    is never given again.
    """
    with numbering_lock(root):
        report = Report()
        workspace = load_workspace(root, report)
        workspace.load_documents(report)
        report.raise_if_errors()
        series = workspace.document_series.get(series_key)
        if series is None:
            known = "、".join(workspace.document_series) or "无"
            raise BriefingError([Diagnostic(root / SERIES_DIR / f"{series_key}.yaml", None,
                                            f"找不到公文系列“{series_key}”（现有：{known}）")])
        number = next_document_number(workspace.documents, series.code, date.year)
        stem = f"{date.year}-{number}"
        path = root / DOCUMENTS_DIR / series_key / f"{stem}.md"
        front = yaml.safe_dump({"标题": title, "序号": number, "成文日期": date.isoformat(),
                                "主送机关": ["各乡镇人民政府", "县级各部门"]},
                               allow_unicode=True, sort_keys=False)
        if not create_new(path, DOCUMENT_TEMPLATE.format(front=front, stem=stem, date=date.isoformat())):
            raise BriefingError([Diagnostic(path, None, f"文件已存在：{document_reference(series.code, date.year, number)}"
                                            "可能已被占用")])
        return path


def init_documents(folder: Path) -> list[Path]:
    """A new workspace for 公文: one series and its first document."""
    if (folder / SERIES_DIR).exists():
        raise BriefingError([Diagnostic(folder, None, "这里已经是一个工作区（已有 series/ 目录）")])
    written = []
    for path, text in {
        folder / "briefing.yaml": "title: 公文\n",
        folder / ".gitignore": "/dist/\n.briefing-cache/\n.new-issue.lock\n",
        folder / SERIES_DIR / "xianfufa.yaml": SERIES_TEMPLATE,
    }.items():
        write_atomic(path, text.encode("utf-8"))
        written.append(path)
    written.append(new_document(folder, "xianfufa", "××县人民政府关于做好××工作的通知", dt.date.today()))
    return written
