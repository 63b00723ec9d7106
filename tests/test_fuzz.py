"""Random Markdown through the whole item → DOCX and → HTML path.

Whatever a clerk pastes (CJK, emoji, control characters, deep nesting, lines
thousands of characters long), the build either reports diagnostics or
produces a DOCX that re-opens and HTML that parses: never a traceback.
"""

from __future__ import annotations

import io
import shutil

import docx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import html

from briefings.diagnostics import Report
from briefings.issue import assemble_issue
from briefings.workspace import load_workspace
from briefings.writers.docx import render_docx
from briefings.writers.html import render_html
from conftest import SAMPLES

MARKER = "固定标记段落"

MARKDOWN_PUNCTUATION = "#*_-+>`[]()!|\\<>&{}%~=:.1\n "
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(MARKDOWN_PUNCTUATION),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # CJK
        st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),  # emoji
        st.characters(max_codepoint=0x1F),  # control characters
        st.characters(),  # anything else Unicode has, surrogates excluded by default
    ),
    max_size=300,
)
NESTED = st.builds(lambda depth, marker, text: "\n".join(marker * level + text for level in range(depth)),
                   st.integers(1, 60), st.sampled_from(["> ", "    ", "  - ", "1. ", "#"]), TEXT)
LONG_LINE = st.builds(lambda char, n: char * n, st.sampled_from(["汉", "a", "😀", "—", "，"]),
                      st.integers(500, 5000))
BODY = st.lists(st.one_of(TEXT, NESTED, LONG_LINE), min_size=1, max_size=6).map("\n\n".join)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz") / "ws"
    shutil.copytree(SAMPLES / "series", root / "series")
    (root / "items").mkdir()
    (root / "issues/suining").mkdir(parents=True)
    (root / "issues/suining/2023-07.yaml").write_text(
        "series: suining\nnumber: 7\ndate: 2023-07-17\nitems: [fuzz.md]\n", encoding="utf-8")
    return root


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(body=BODY)
def test_random_markdown_builds_or_is_reported(workspace, body):
    (workspace / "items/fuzz.md").write_text(
        f"---\ntitle: 随机稿件\ncolumn: 要闻\ndate: 2023-07-12\n---\n\n{MARKER}\n\n{body}\n", encoding="utf-8")
    report = Report()
    ws = load_workspace(workspace, report)
    issue = assemble_issue(ws, ws.manifests[0], report, building=False)
    if issue is None:
        # Not built: then the clerk is told why, at a line of the item.
        assert report.errors and all(d.path and d.path.name == "fuzz.md" and d.line for d in report.errors)
        return

    document = docx.Document(io.BytesIO(render_docx(issue)))
    assert any(MARKER in p.text for p in document.paragraphs)

    page = html.fromstring(render_html(issue))
    article = page.find(".//article")
    assert article is not None and MARKER in article.text_content()
