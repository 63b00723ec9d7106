"""Where the default templates live: inside the wheel, or templates/ in a checkout."""

from __future__ import annotations

from pathlib import Path

DOCX_TEMPLATE = "briefing.docx"
HTML_ISSUE_TEMPLATE = "issue.html"
HTML_INDEX_TEMPLATE = "index.html"

_PACKAGE = Path(__file__).resolve().parent
# The wheel installs templates/ as briefings/templates; a checkout has it beside the package.
_CANDIDATES = (_PACKAGE / "templates", _PACKAGE.parent / "templates")


def default_templates_dir() -> Path:
    for folder in _CANDIDATES:
        if (folder / DOCX_TEMPLATE).is_file():
            return folder
    raise FileNotFoundError(f"找不到默认模板目录（查找过：{'、'.join(map(str, _CANDIDATES))}）")
