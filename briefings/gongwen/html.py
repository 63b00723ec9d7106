"""HTML writer for 公文: one self-contained page for 政务公开 (masthead, 发文字号,
title, 主送, text, signature, 附注, attachments, 版记). Layout lives in
templates/gongwen.html; this module prepares its values."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import html as lxml_html
from markupsafe import Markup

from ..images import PictureCache
from ..markup import serialize_children
from ..model import Item
from ..typeset import unmarked
from ..writers.html import css, embed_pictures, environment, nest_headings
from ..writers.html_table import decorate_tables
from .docx import TABLE_FONT_PT, _run_in_level, date_text
from .model import Document

HTML_TEMPLATE = "gongwen.html"


@dataclass
class AttachmentView:
    anchor: str
    label: str  # 附件 / 附件2
    title: str
    body: Markup


def render_document_html(document: Document, pictures: PictureCache | None = None) -> str:
    pictures = pictures or PictureCache()
    custom = document.series.html_template
    env = environment(custom.parent if custom else None)
    template = env.get_template(custom.name if custom else HTML_TEMPLATE)
    single = len(document.attachments) == 1
    attachments = [AttachmentView(f"fj{index}", "附件" if single else f"附件{index}", a.title,
                                  Markup(text_html(a.body, 2, pictures)))
                   for index, a in enumerate(document.attachments, start=1)]
    return template.render(
        doc=document, title=unmarked(document.title), css=css(),
        body=Markup(text_html(document.body, 1, pictures)),
        attachments=attachments,
        date=date_text(document.date), print_date=date_text(document.print_date or document.date),
        copy_to="，".join(document.copy_to) + "。" if document.copy_to else "",
    )


def text_html(item: Item, parent_level: int, pictures: PictureCache) -> str:
    """The sanitised text with pictures embedded, headings under `parent_level`, and
    run-in headings (（一）总体要求。…) moved into their paragraph."""
    tree = item.body_tree()
    children = list(tree)
    for element, following in zip(children, children[1:] + [None]):
        level = _run_in_level(element, following)
        if level:
            lead = lxml_html.Element("span")
            lead.set("class", f"run-in level-{level}")
            lead.text = element.text_content().strip()
            lead.tail = following.text
            following.text = None
            following.insert(0, lead)
            tree.remove(element)
    nest_headings(tree, parent_level)
    decorate_tables(tree, TABLE_FONT_PT)
    embed_pictures(tree, item, pictures)
    return serialize_children(tree)
