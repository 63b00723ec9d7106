"""Checks that a series' own Word or HTML template can be used, before any build.

A template edited in Word can lose a field (a deleted paragraph, a field split
by autocorrect); that must be reported at `check` time with the file, not
discovered as an issue printed with last month's number.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import jinja2

# What changes from issue to issue: without these a template prints stale text.
REQUIRED_WORD_FIELDS = {
    "body": "稿件正文",
    "number_line": "期号",
    "date": "出刊日期",
    "footer": "报尾分送栏",
}


def word_template_problem(path: Path, required: dict[str, str] = REQUIRED_WORD_FIELDS) -> str | None:
    """What is wrong with a Word template (in Chinese), or None when it is usable."""
    from docxtpl import DocxTemplate  # only for a Word template: an HTML one needs Jinja alone

    try:
        fields = DocxTemplate(str(path)).get_undeclared_template_variables()
    except (zipfile.BadZipFile, KeyError, ValueError):
        return "不是有效的 Word（.docx）文件"
    except jinja2.TemplateSyntaxError as exc:
        return f"模板语法错误：{exc.message}"
    missing = [f"{{{{ {name} }}}}（{label}）" for name, label in required.items()
               if name not in fields]
    if missing:
        return "缺少必需的字段：" + "、".join(missing)
    return None


def html_template_problem(path: Path) -> str | None:
    try:
        jinja2.Environment().parse(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return "不是 UTF-8 编码的文本文件"
    except jinja2.TemplateSyntaxError as exc:
        return f"第 {exc.lineno} 行语法错误：{exc.message}"
    return None
