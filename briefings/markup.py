"""Markdown body → sanitised, annotated HTML that both writers read.

This is the only place Markdown is parsed. The result marks what the writers
need without looking at text again: heading levels (一、 / （一） / 1. / （1）)
as class="level-N", and stand-alone pictures as <figure> with a caption.
"""

from __future__ import annotations

import re

import markdown
import nh3
from lxml import html as lxml_html

_ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "del", "sup", "sub", "code", "pre",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr",
    "table", "thead", "tbody", "tr", "th", "td", "a", "img",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"style", "colspan", "rowspan"},
    "td": {"style", "colspan", "rowspan"},
    "ol": {"start"},
}

# The numbering a clerk writes decides the level, whatever the number of #.
_LEVEL_PATTERNS = (
    (1, re.compile(r"^[一二三四五六七八九十百]+、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")),
    (3, re.compile(r"^\d+[.．、]")),
    (4, re.compile(r"^[（(]\d+[）)]")),
)
_LEVEL_BY_TAG = {"h1": 1, "h2": 1, "h3": 2, "h4": 3, "h5": 4, "h6": 4}


def heading_level(tag: str, text: str) -> int:
    for level, pattern in _LEVEL_PATTERNS:
        if pattern.match(text.strip()):
            return level
    return _LEVEL_BY_TAG.get(tag, 4)


def markdown_to_html(source: str) -> str:
    """Markdown → HTML with raw HTML sanitised (scripts, handlers, iframes go)."""
    converter = markdown.Markdown(extensions=["tables", "sane_lists", "fenced_code"], output_format="html")
    # Clerks indent paragraphs with spaces or a tab (as in Word); that is never
    # code. Code blocks are written fenced (```), which stays.
    converter.parser.blockprocessors.deregister("code")
    raw = converter.convert(source)
    return nh3.clean(
        raw,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        filter_style_properties={"text-align"},
        link_rel=None,
    )


def annotate(body: lxml_html.HtmlElement) -> None:
    """Mark heading levels and turn lone pictures into figures, in place."""
    for heading in body.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        heading.set("class", f"level-{heading_level(heading.tag, heading.text_content())}")
    for paragraph in list(body.iter("p")):
        children = list(paragraph)
        if (len(children) == 1 and children[0].tag == "img"
                and not (paragraph.text or "").strip() and not (children[0].tail or "").strip()):
            image = children[0]
            image.tail = None
            figure = lxml_html.Element("figure")
            figure.append(image)
            caption = (image.get("title") or image.get("alt") or "").strip()
            if caption:
                figcaption = lxml_html.Element("figcaption")
                figcaption.text = caption
                figure.append(figcaption)
            paragraph.getparent().replace(paragraph, figure)


def parse_fragment(body_html: str) -> lxml_html.HtmlElement:
    return lxml_html.fragment_fromstring(body_html or "", create_parent="div")


def serialize_children(body: lxml_html.HtmlElement) -> str:
    parts = [lxml_html.tostring(child, encoding="unicode") for child in body]
    lead = body.text or ""
    return (lead + "".join(parts)).strip()
