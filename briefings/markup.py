"""Markdown body → sanitised, annotated HTML that both writers read.

This is the only place Markdown is parsed. The result marks what the writers
need without looking at text again: heading levels (一、 / （一） / 1. / （1）)
as class="level-N", and stand-alone pictures as <figure> with a caption.
"""

from __future__ import annotations

import html
import importlib
import re
import sys
from dataclasses import dataclass, field

from lxml import html as lxml_html

_ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "del", "sup", "sub", "code", "pre",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr",
    "table", "thead", "tbody", "tr", "th", "td", "a", "img",
    "figure", "figcaption",  # what `annotate` makes of a lone picture
}
# `annotate` marks heading levels; allowing them keeps sanitising idempotent.
_ALLOWED_CLASSES = {f"h{n}": {f"level-{level}" for level in range(1, 5)} for n in range(1, 7)}
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


# A picture in the body refers to the item's checked pictures as src="image:N".
IMAGE_SCHEME = "image:"
_PICTURE_REF = re.compile(r"image:(\d+)")
# Markdown links wait for the sanitiser as link:N, so one kept out is reported, not lost.
_LINK_SCHEME = "link:"
_LINK_REF = re.compile(r"link:(\d+)")
# The one link allow-list, for the HTML page and the DOCX alike: web and mail
# addresses, and in the page a jump to one of its own anchors.
LINK_SCHEMES = ("http://", "https://", "mailto:")


def allowed_link(href: str, in_page: bool = True) -> bool:
    """Whether a link target may be kept; anything else (javascript:, file:, relative) is dropped."""
    return href.lower().startswith(LINK_SCHEMES) or (in_page and href.startswith("#"))


@dataclass
class Rendered:
    """Sanitised body HTML, and what the sanitiser was given before it cleaned.

    `pictures[N]` is the path as the clerk wrote it for the <img src="image:N">
    (a Windows path or a file: URL too, so the check can name it); `dropped_links`
    are link targets outside the allow-list, in order.
    """

    html: str
    pictures: list[str] = field(default_factory=list)
    dropped_links: list[str] = field(default_factory=list)


class _Collector:
    """Records each Markdown picture path and link target as written; leaves image:N / link:N.

    It runs after Markdown has unescaped the tree and before the sanitiser, which
    would strip a URL it does not accept (C:\\…, file:…, javascript:…) without a trace.
    """

    def __init__(self, pictures: list[str], links: list[str]):
        self.pictures, self.links = pictures, links

    def run(self, root) -> None:
        from markdown.util import AMP_SUBSTITUTE

        for element in root.iter():
            if element.tag not in ("img", "a"):
                continue
            attribute, found, scheme = (("src", self.pictures, IMAGE_SCHEME) if element.tag == "img"
                                        else ("href", self.links, _LINK_SCHEME))
            if element.get(attribute) is not None:
                # What the serialiser would write, as a browser reads it (mail autolinks are entities).
                found.append(html.unescape(element.get(attribute).replace(AMP_SUBSTITUTE, "&")))
                element.set(attribute, f"{scheme}{len(found) - 1}")


def _fenced_code():
    """Markdown's FencedCodeExtension, imported without Pygments.

    Its module imports the codehilite extension, which imports Pygments when it
    is installed (16 ms, more than rendering an edited item); code is never
    highlighted here, so the import is made to find no Pygments.
    """
    if "markdown.extensions.fenced_code" not in sys.modules and "pygments" not in sys.modules:
        sys.modules["pygments"] = None  # `import pygments` raises ImportError, as if not installed
        try:
            importlib.import_module("markdown.extensions.fenced_code")
        finally:
            del sys.modules["pygments"]
    from markdown.extensions.fenced_code import FencedCodeExtension

    return FencedCodeExtension


def markdown_to_html(source: str) -> Rendered:
    """Markdown → HTML with raw HTML sanitised (scripts, handlers, iframes, foreign links go)."""
    # Imported here: the writers use this module's tree helpers without parsing Markdown.
    import markdown
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.tables import TableExtension

    FencedCodeExtension = _fenced_code()
    rendered, links = Rendered(""), []
    # Extensions as objects: named, Markdown would look them up among every installed
    # package's entry points, which costs more than building a small issue.
    converter = markdown.Markdown(extensions=[TableExtension(), SaneListExtension(), FencedCodeExtension()],
                                  output_format="html")
    # Clerks indent paragraphs with spaces or a tab (as in Word); that is never
    # code. Code blocks are written fenced (```), which stays.
    converter.parser.blockprocessors.deregister("code")
    converter.treeprocessors.register(_Collector(rendered.pictures, links), "collect", -1)
    raw = converter.convert(source)
    from_markdown = len(rendered.pictures)

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            ref = _PICTURE_REF.fullmatch(value)
            if ref and int(ref.group(1)) < from_markdown:
                return value
            rendered.pictures.append(value)  # a raw <img> the sanitiser let through
            return f"{IMAGE_SCHEME}{len(rendered.pictures) - 1}"
        if tag == "a" and attribute == "href":
            ref = _LINK_REF.fullmatch(value)
            value = links[int(ref.group(1))] if ref and int(ref.group(1)) < len(links) else value
            if not allowed_link(value):
                rendered.dropped_links.append(value)
                return None
        return _allowed_attribute(tag, attribute, value)

    rendered.html = sanitize(raw, keep, extra_schemes={_LINK_SCHEME, *_raw_link_schemes(raw)})
    return rendered


_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.I)


def _raw_link_schemes(raw: str) -> set[str]:
    """The schemes of the links written as raw HTML (<a href="file:…">).

    The sanitiser drops a URL whose scheme it does not allow before `keep` sees it;
    allowed for this pass, each such link reaches `keep`, which drops it and reports it.
    """
    hrefs = (a.get("href", "").strip() for a in parse_fragment(raw).iter("a"))
    return {match.group(1).lower() for href in hrefs if (match := _SCHEME.match(href))}


def sanitize(html: str, attribute_filter=None, extra_schemes: set[str] = frozenset()) -> str:
    """The allow-list every body passes; also what the tests re-apply to the output."""
    import nh3

    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", IMAGE_SCHEME.rstrip(":")} | {s.rstrip(":") for s in extra_schemes},
        filter_style_properties={"text-align"},
        allowed_classes=_ALLOWED_CLASSES,
        link_rel=None,
        attribute_filter=attribute_filter or _allowed_attribute,
    )


def _allowed_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href" and not allowed_link(value):
        return None
    if tag == "img" and attribute == "src" and not _PICTURE_REF.fullmatch(value):
        return None
    if tag == "ol" and attribute == "start" and not _LIST_START.fullmatch(value):
        return None  # the writers count from it: a whole number or nothing
    return value


_LIST_START = re.compile(r"-?[0-9]{1,9}")
_BLOCKS = {"p", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr", "table", "pre", "figure"}


def wrap_loose_text(parent: lxml_html.HtmlElement) -> None:
    """Put text and inline elements lying between blocks into paragraphs, in place.

    The sanitiser unwraps tags it does not allow (<div>, <span>), leaving their
    content loose; the writers lay out blocks, so loose text would be lost in print.
    """
    # An inline element around a block (<strong><h2>) cannot go into a paragraph: unwrap it.
    while wrappers := [child for child in parent if child.tag not in _BLOCKS
                       and any(inner.tag in _BLOCKS for inner in child.iterdescendants())]:
        for wrapper in wrappers:
            wrapper.drop_tag()
    runs: list[list] = [[parent.text]]
    parent.text = None
    for child in list(parent):
        if child.tag in _BLOCKS:
            runs.append([child])
            runs.append([child.tail])
            child.tail = None
        else:
            runs[-1].append(child)
        parent.remove(child)
    for run in runs:
        if len(run) == 1 and not isinstance(run[0], str | None):
            parent.append(run[0])
            continue
        text, inline = run[0], run[1:]
        if not (text or "").strip() and not inline:
            continue
        paragraph = lxml_html.Element("p")
        paragraph.text = (text or "").lstrip() or None
        paragraph.extend(inline)
        parent.append(paragraph)


def annotate(body: lxml_html.HtmlElement) -> None:
    """Wrap loose text, mark heading levels and turn lone pictures into figures, in place."""
    for parent in [body, *body.iter("blockquote")]:
        wrap_loose_text(parent)
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
    """The wrapper's content as HTML, every text node escaped.

    The result is parsed again (model.Item.body_tree, the HTML page), so text
    the sanitiser left as `&lt;script&gt;` must stay escaped here.
    """
    parts = [lxml_html.tostring(child, encoding="unicode") for child in body]
    lead = html.escape(body.text or "", quote=False)
    return (lead + "".join(parts)).strip()
