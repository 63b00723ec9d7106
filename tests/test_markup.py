"""Headings in an item's body: the level printed comes from the numbering the clerk wrote,
and from the number of # only when there is none (README: 小标题的层级按所写的序号判断)."""

from __future__ import annotations

from lxml import html

from briefings.build import build
from conftest import copy_samples

BODY = """\
# 大标题

## 总体情况

### 主要做法

#### 细节

##### 小点

###### 更小

#### 一、按序号是一级

# （二）按序号是二级

## 3. 按序号是三级

### （4）按序号是四级

## 5、顿号也是三级

### (六) 半角括号也是二级
"""


def test_heading_levels_from_numbering_then_from_hashes(tmp_path):
    root = copy_samples(tmp_path / "ws")
    (root / "items/h.md").write_text(
        f"---\ntitle: 小标题\ncolumn: 要闻\ndate: 2023-07-17\n---\n\n{BODY}", encoding="utf-8")
    (root / "issues/suining/2023-08.yaml").write_text(
        "series: suining\nnumber: 8\ntotal: 46\ndate: 2023-08-01\nitems: [h.md]\n", encoding="utf-8")
    [page] = build(root, tmp_path / "out", ["suining/2023-08"], ["html"])
    article = html.fromstring(page.read_bytes()).get_element_by_id("c1-1")
    headings = [(h.text_content(), h.get("class")) for h in article.iter("h4", "h5", "h6")]
    assert headings == [
        ("大标题", "level-1"), ("总体情况", "level-1"), ("主要做法", "level-2"), ("细节", "level-3"),
        ("小点", "level-4"), ("更小", "level-4"),
        ("一、按序号是一级", "level-1"), ("（二）按序号是二级", "level-2"), ("3. 按序号是三级", "level-3"),
        ("（4）按序号是四级", "level-4"), ("5、顿号也是三级", "level-3"), ("(六) 半角括号也是二级", "level-2"),
    ]


def test_fenced_code_renders_without_importing_pygments():
    import subprocess
    import sys

    script = ("import sys\nfrom briefings.markup import markdown_to_html\n"
              "print(markdown_to_html('```\\nif a < b:\\n```\\n').html)\n"
              "print('pygments' in sys.modules)\n"
              "import pygments.lexers\n"  # a later import of Pygments still works
              "print('loaded')\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["<pre><code>if a &lt; b:", "</code></pre>", "False", "loaded"]
