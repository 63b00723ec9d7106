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


def compiled_template_cache():
    """Where Jinja keeps compiled templates between runs (compiling costs more than rendering):
    the user's own private temporary folder, whose owner and mode Jinja checks; never the
    workspace, whose cache may come from someone else and must not hold code that would run.
    None when there is no such folder: templates are then compiled each run."""
    from jinja2 import FileSystemBytecodeCache

    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None
