"""Where the default templates live: inside the wheel, or templates/ in a checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

DOCX_TEMPLATE = "briefing.docx"
HTML_ISSUE_TEMPLATE = "issue.html"
HTML_INDEX_TEMPLATE = "index.html"


def default_templates_dir() -> Path:
    try:
        packaged = Path(str(resources.files("briefings.templates")))
        if (packaged / DOCX_TEMPLATE).is_file():
            return packaged
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parent.parent / "templates"
