"""公文 (红头文件): the office's notices, opinions, requests and reports.

A second document kind beside the 简报, through the same pipeline:
reader (series with `kind: gongwen`, one Markdown file per 公文) → model and
numbering (发文字号) → writers (Word template `gongwen.docx`, HTML page).
"""

GONGWEN = "gongwen"  # a series file's `kind` for 公文
