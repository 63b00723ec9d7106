"""An item's body as both writers get it: Markdown and raw HTML through the one allow-list
(tags, attributes, classes, link schemes, the text-align style), pictures and links kept
aside as written so a refused one is reported. Expected HTML is written out."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image as PILImage

from briefings.diagnostics import Report
from briefings.items import _render_body
from briefings.markup import allowed_link, markdown_to_html, sanitize

INLINE = ("<p>甲<br>乙 <strong>粗</strong><b>粗</b><em>斜</em><i>斜</i><u>线</u><s>删</s><del>删</del>"
          "<sup>上</sup><sub>下</sub><code>码</code></p>")
BLOCKS = ('<pre>码</pre><ul><li>项</li></ul><ol start="3"><li>三</li></ol><blockquote><p>引</p></blockquote><hr>'
          '<table><thead><tr><th colspan="2" rowspan="1">表头</th></tr></thead>'
          '<tbody><tr><td colspan="1" rowspan="2">格</td></tr></tbody></table>')


def body(tmp_path: Path, markdown: str) -> tuple[str, list[tuple[str, int | None, str]]]:
    """The body HTML and the messages, as `check` reports them for items/a.md (body from line 5)."""
    report = Report()
    (tmp_path / "items").mkdir(exist_ok=True)
    html, _ = _render_body(markdown, 5, tmp_path / "items/a.md", tmp_path, report)
    return html, [(d.level, d.line, d.message) for d in report.items]


def test_every_allowed_tag_and_attribute_is_kept(tmp_path):
    assert body(tmp_path, INLINE) == (INLINE, [])
    assert body(tmp_path, BLOCKS) == (BLOCKS, [])
    assert markdown_to_html('<h1>一</h1>\n<h6>六</h6>\n<figure><figcaption>图</figcaption></figure>').html == (
        '<h1>一</h1>\n<h6>六</h6>\n<figure><figcaption>图</figcaption></figure>')


def test_tags_outside_the_allow_list_are_unwrapped_and_their_text_kept_in_paragraphs(tmp_path):
    assert body(tmp_path, '<div>前<span style="color:red">中</span><font>后</font></div>\n\n<h2>标题</h2>') == (
        '<p>前中后\n\n</p><h2 class="level-1">标题</h2>', [])
    assert body(tmp_path, "<div><strong><h3>一、加粗的标题</h3></strong>尾</div>") == (
        '<h3 class="level-1">一、加粗的标题</h3><p>尾</p>', [])


def test_only_text_align_survives_in_table_cells_and_no_style_elsewhere():
    html = markdown_to_html('<table><tr><th style="text-align: center; position: fixed">甲</th>'
                            '<td style="text-align:right;top:0" class="x">乙</td></tr></table>\n\n'
                            '<p style="text-align:center">丙</p>').html
    assert html == ('<table><tbody><tr><th style="text-align:center">甲</th><td style="text-align:right">乙</td>'
                    '</tr></tbody></table>\n\n<p>丙</p>')


def test_heading_classes_are_only_the_four_levels():
    assert sanitize('<h1 class="level-1">一</h1><h6 class="level-4">六</h6><h2 class="level-5">五</h2>'
                    '<p class="level-1">段</p>') == (
        '<h1 class="level-1">一</h1><h6 class="level-4">六</h6><h2 class="">五</h2><p>段</p>')


def test_links_keep_href_and_title_only_and_get_no_rel():
    html = markdown_to_html('[甲](https://a.cn/ "说明") <a href="mailto:b@c.cn" style="color:red" '
                            'target="_blank" rel="x">乙</a> <a href="#c1-2">丙</a> <a href="HTTP://D.CN">丁</a>').html
    assert html == ('<p><a href="https://a.cn/" title="说明">甲</a> <a href="mailto:b@c.cn">乙</a> '
                    '<a href="#c1-2">丙</a> <a href="HTTP://D.CN">丁</a></p>')


@pytest.mark.parametrize("href, page, docx", [
    ("https://a.cn", True, True), ("http://a.cn", True, True), ("MAILTO:x@a.cn", True, True),
    ("#c1", True, False), ("javascript:alert(1)", False, False), ("file:///etc/passwd", False, False),
    ("a.html", False, False), ("ftp://a.cn", False, False)])
def test_the_one_link_allow_list(href, page, docx):
    assert (allowed_link(href), allowed_link(href, in_page=False)) == (page, docx)


def test_a_refused_link_is_reported_at_its_line_as_written(tmp_path):
    html, messages = body(tmp_path, "第一段。\n\n[脚本](javascript:alert(1)) 与 [文件](file:///etc/passwd)\n\n"
                                    "[网址](https://a.cn/?b=1&c=2) <a href=\"a.html\">相对</a>")
    assert html == ('<p>第一段。</p><p><a>脚本</a> 与 <a>文件</a></p>'
                    '<p><a href="https://a.cn/?b=1&amp;c=2">网址</a> <a>相对</a></p>')
    hint = "去掉了链接“{}”"
    assert [(level, line, message) for level, line, message in messages] == [
        ("警告", 7, hint.format("javascript:alert(1)")), ("警告", 7, hint.format("file:///etc/passwd")),
        ("警告", 9, hint.format("a.html"))]


def test_a_link_written_as_html_is_reported_as_a_markdown_link_is(tmp_path):
    # README: javascript:, file:, relative links lose their link, keep their text, and `check` warns.
    html, messages = body(tmp_path, '甲 <a href="file:///etc/passwd">文件</a> <a href="JaVaScRiPt&#58;alert(1)">脚本</a>'
                                    '\n\n<a href="vbscript:msgbox(1)">旧</a> <a href="https://a.cn">网</a>')
    assert html == '<p>甲 <a>文件</a> <a>脚本</a></p><p><a>旧</a> <a href="https://a.cn">网</a></p>'
    assert messages == [("警告", 5, "去掉了链接“file:///etc/passwd”"), ("警告", 5, "去掉了链接“JaVaScRiPt:alert(1)”"),
                        ("警告", 7, "去掉了链接“vbscript:msgbox(1)”")]


def test_every_scheme_of_a_raw_link_is_seen():
    rendered = markdown_to_html('<a href=" file:///x">甲</a> <a href="data:text/html,x">乙</a> <a href="a+b.c-d:x">丙</a>')
    assert (rendered.html, rendered.dropped_links) == (
        "<p><a>甲</a> <a>乙</a> <a>丙</a></p>", [" file:///x", "data:text/html,x", "a+b.c-d:x"])


def test_link_placeholders_a_clerk_types_are_not_taken_for_links():
    rendered = markdown_to_html('<a href="link:0">甲</a> <a href="link:9">乙</a>')
    assert (rendered.html, rendered.dropped_links) == ("<p><a>甲</a> <a>乙</a></p>", ["link:0", "link:9"])
    rendered = markdown_to_html('[网](https://a.cn) <a href="link:0">甲</a>')
    assert (rendered.html, rendered.dropped_links) == (
        '<p><a href="https://a.cn">网</a> <a href="https://a.cn">甲</a></p>', [])


def test_pictures_are_kept_aside_as_written_markdown_and_raw_alike():
    # A raw <img> with a Windows path loses its src in the sanitiser (`check` then says the picture
    # has no usable address); image:N a clerk types names a Markdown picture or is a path like any other.
    rendered = markdown_to_html('![图一](a.png "题") <img src="C:\\照片\\b.jpg" alt="二"> <img src="image:0">'
                                ' <img src="image:7"> ![图三](file:///c.png) <img src="b.jpg">')
    assert rendered.pictures == ["a.png", "file:///c.png", "image:7", "b.jpg"]
    assert rendered.html == ('<p><img alt="图一" src="image:0" title="题"> <img alt="二"> <img src="image:0">'
                             ' <img src="image:2"> <img alt="图三" src="image:1"> <img src="image:3"></p>')


def test_a_lone_picture_becomes_a_figure_captioned_by_its_title_or_alt(tmp_path):
    (tmp_path / "items").mkdir()
    PILImage.new("RGB", (40, 30), (200, 30, 30)).save(tmp_path / "items/p.png")
    html, messages = body(tmp_path, '![说明](p.png " 标题 ")\n\n![只有说明](p.png)\n\n![](p.png)\n\n文字 ![内嵌](p.png)'
                                    '\n\n![后有文字](p.png) 后文\n\n![一](p.png)![二](p.png)\n\n- ![列表中](p.png)')
    assert messages == []
    assert html == ('<figure><img alt="说明" src="image:0" title="标题"><figcaption>标题</figcaption></figure>'
                    '<figure><img alt="只有说明" src="image:1"><figcaption>只有说明</figcaption></figure>'
                    '<figure><img alt="" src="image:2"></figure>'
                    '<p>文字 <img alt="内嵌" src="image:3"></p><p><img alt="后有文字" src="image:4"> 后文</p>'
                    '<p><img alt="一" src="image:5"><img alt="二" src="image:6"></p>'
                    '<ul>\n<li><img alt="列表中" src="image:7"></li>\n</ul>')


def test_indented_paragraphs_are_text_and_fenced_code_stays_code(tmp_path):
    assert body(tmp_path, "    首行缩进的段落。\n\n```\n代码\n```") == (
        "<p>首行缩进的段落。</p><pre><code>代码\n</code></pre>", [])


def test_tables_and_numbered_lists_from_markdown(tmp_path):
    assert body(tmp_path, "| 甲 | 乙 |\n|:-:|--:|\n| 1 | 2 |\n\n3. 三\n4. 四\n\n- 项") == (
        '<table>\n<thead>\n<tr>\n<th style="text-align:center">甲</th>\n<th style="text-align:right">乙</th>\n'
        '</tr>\n</thead>\n<tbody>\n<tr>\n<td style="text-align:center">1</td>\n<td style="text-align:right">2</td>\n'
        '</tr>\n</tbody>\n</table><ol start="3">\n<li>三</li>\n<li>四</li>\n</ol><ul>\n<li>项</li>\n</ul>', [])


def test_escaped_markup_stays_text(tmp_path):
    assert body(tmp_path, "&lt;script&gt;alert(1)&lt;/script&gt; 与 <script>alert(2)</script>") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; 与 </p>", [])


def test_sanitising_alone_keeps_only_allowed_links_and_picture_references():
    assert sanitize('<a href="javascript:x">甲</a><a href="a.html">乙</a><a href="#c1">丙</a>'
                    '<a href="http://a.cn">丁</a><a href="https://a.cn">戊</a><a href="mailto:a@a.cn">己</a>'
                    '<img src="x.png"><img src="image:3">') == (
        '<a>甲</a><a>乙</a><a href="#c1">丙</a><a href="http://a.cn">丁</a><a href="https://a.cn">戊</a>'
        '<a href="mailto:a@a.cn">己</a><img><img src="image:3">')


def test_mail_autolinks_are_kept(tmp_path):
    # Markdown writes <a@b.cn> with its letters as entities; the link is read as a browser reads it.
    assert body(tmp_path, "来信请寄 <office@example.cn>") == (
        '<p>来信请寄 <a href="mailto:office@example.cn">office@example.cn</a></p>', [])


def test_loose_text_in_quotes_and_after_blocks_goes_into_paragraphs(tmp_path):
    assert body(tmp_path, "<blockquote>引<strong>文</strong><p>段</p>尾</blockquote>\n\n<div><p>甲</p>乙 </div>") == (
        "<blockquote><p>引<strong>文</strong></p><p>段</p><p>尾</p></blockquote><p>甲</p><p>乙 </p>", [])
    assert body(tmp_path, "<div><strong>粗</strong>后</div>") == ("<p><strong>粗</strong>后</p>", [])


def test_backslash_escapes_in_link_and_picture_addresses_are_read_as_the_characters():
    rendered = markdown_to_html("[甲](https://a.cn/a\\_b) ![图](a\\_b.png)")
    assert (rendered.html, rendered.pictures) == (
        '<p><a href="https://a.cn/a_b">甲</a> <img alt="图" src="image:0"></p>', ["a_b.png"])


def test_a_typed_image_reference_past_the_markdown_pictures_is_a_path():
    rendered = markdown_to_html('![甲](a.png) <img src="image:1">')
    assert (rendered.html, rendered.pictures) == (
        '<p><img alt="甲" src="image:0"> <img src="image:1"></p>', ["a.png", "image:1"])


def test_an_empty_body_and_an_anchor_without_address(tmp_path):
    assert body(tmp_path, "") == ("", [])
    assert body(tmp_path, '<a name="x">锚</a> <a href="file:///x">文件</a>') == (
        "<p><a>锚</a> <a>文件</a></p>", [("警告", 5, "去掉了链接“file:///x”")])


def test_only_link_schemes_are_let_through_for_the_report():
    """The schemes of raw links (<a href>) pass the first sanitising so a refused link can be
    reported; an href on any other element must not open the door to a data: picture."""
    rendered = markdown_to_html('<p><abbr href="data:text/plain,1">x</abbr><img alt="y" src="data:image/png;base64,AAAA"></p>\n')
    assert rendered.html == '<p>x<img alt="y"></p>'
    assert rendered.pictures == [] and rendered.dropped_links == []
