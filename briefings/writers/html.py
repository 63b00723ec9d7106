"""HTML writer: one self-contained page per issue.

CSS is inlined and pictures are embedded as data: URIs, so a page works
offline as an email attachment. Layout lives in the Jinja templates; this
module only prepares their values.
"""

from __future__ import annotations

import base64
import functools
from dataclasses import dataclass
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from lxml import html as lxml_html
from markupsafe import Markup, escape

from ..images import SCREEN, Picture, PictureCache
from ..issue import attribution, lead_text
from ..markup import heading_level, serialize_children
from ..model import BRIEF, Issue, Item, Section
from ..typeset import BREAK_MARKER, phrases
from ..templatedir import HTML_ISSUE_TEMPLATE, compiled_template_cache, default_templates_dir
from .html_table import decorate_tables

CSS_FILE = "briefing.css"
ITEM_HEADING_LEVEL = 3  # h1 masthead, h2 column, h3 item title


@functools.lru_cache(maxsize=None)
def environment(extra_dir: Path | None = None) -> Environment:
    """Series templates first (they may extend the defaults), then the defaults.

    One environment per folder and process, so each template is compiled once;
    Jinja still reloads a template whose file has changed.
    """
    loaders = [FileSystemLoader(str(extra_dir))] if extra_dir else []
    loaders.append(FileSystemLoader(str(default_templates_dir())))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True),
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                      bytecode_cache=compiled_template_cache())
    env.filters["phrases"] = phrase_html
    return env


def phrase_html(title: str) -> Markup:
    """A title with `<wbr>` between its phrases and `<br>` at the author's breaks.

    With `word-break: keep-all` (briefing.css) browsers then break a title only
    where the DOCX writer may, never inside a word.
    """
    parts = [Markup("<wbr>").join(escape(p) for p in phrases(part.strip()))
             for part in title.split(BREAK_MARKER) if part.strip()]
    return Markup("<br>").join(parts)


def load_default_templates() -> None:
    """Compile the default issue page template now (once per `build --all` worker).

    Not the archive index: only the main process makes it, when it makes the site."""
    environment().get_template(HTML_ISSUE_TEMPLATE)


def css() -> str:
    return (default_templates_dir() / CSS_FILE).read_text(encoding="utf-8")


@dataclass
class ItemView:
    anchor: str
    title: str
    title_breaks: str  # the title with the author's forced breaks, for display
    subtitle: str
    title_block: bool
    brief: bool
    body: Markup
    attribution: str


@dataclass
class SectionView:
    anchor: str
    name: str
    heading: str
    items: list[ItemView]


def render_html(issue: Issue, pictures: PictureCache | None = None) -> str:
    custom = issue.series.html_template
    env = environment(custom.parent if custom else None)
    template = env.get_template(custom.name if custom else HTML_ISSUE_TEMPLATE)
    return template.render(issue=issue, series=issue.series, sections=_sections(issue, pictures or PictureCache()),
                           css=css())


def _sections(issue: Issue, pictures: PictureCache) -> list[SectionView]:
    views = []
    for section in issue.sections:
        items = [_item_view(issue, section, index, item, pictures) for index, item in enumerate(section.items)]
        views.append(SectionView(section.anchor, section.column.name, section.heading, items))
    return views


def _item_view(issue: Issue, section: Section, index: int, item: Item, pictures: PictureCache) -> ItemView:
    brief = section.column.kind == BRIEF
    return ItemView(
        anchor=section.item_anchor(index),
        title=item.title,
        title_breaks=item.title_breaks or item.title,
        subtitle=item.subtitle,
        title_block=not brief and issue.series.title_style == "block",
        brief=brief,
        body=Markup(body_html(item, lead_text(issue.series, section, item), brief, pictures,
                              issue.series.table_font_pt)),
        attribution=attribution(issue.series, item),
    )


def body_html(item: Item, lead: str, brief: bool, pictures: PictureCache, table_font_pt: float = 14.0) -> str:
    """The item's sanitised body with pictures embedded and the lead text in front."""
    tree = item.body_tree()
    # Body headings sit under the page's h1, the column's h2 and the item's h3.
    nest_headings(tree, ITEM_HEADING_LEVEL - 1 if brief else ITEM_HEADING_LEVEL)
    decorate_tables(tree, table_font_pt)
    embed_pictures(tree, item, pictures)
    if lead:
        first = tree.find("p")
        if first is None:
            first = lxml_html.Element("p")
            tree.insert(0, first)
        span = lxml_html.Element("strong" if not brief else "span")
        span.set("class", "run-in" if not brief else "unit")
        span.text = lead
        if not brief:
            # The title is also the article's (visually hidden) heading: read it once.
            span.set("aria-hidden", "true")
        span.tail = first.text
        first.text = None
        first.insert(0, span)
    return serialize_children(tree)


def embed_pictures(tree: lxml_html.HtmlElement, item: Item, pictures: PictureCache) -> None:
    """Pictures as data: URIs (the page fetches nothing), with the item's title as fallback alt text."""
    for image in tree.iter("img"):
        source = item.image_for(image.get("src", ""))
        if source is not None:
            image.set("src", data_uri(pictures.picture(source, SCREEN)))
            if not image.get("alt"):
                image.set("alt", item.title or "图片")


def nest_headings(tree: lxml_html.HtmlElement, parent_level: int) -> None:
    """Renumber body headings below `parent_level` without skipping a level.

    The look comes from the level-N class, so only the outline changes.
    """
    previous = parent_level
    for heading in tree.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        wanted = parent_level + heading_level(heading.tag, heading.text_content())
        level = min(wanted, previous + 1, 6)
        heading.tag = f"h{level}"
        previous = level


def data_uri(picture: Picture) -> str:
    return f"data:{picture.mime};base64,{base64.b64encode(picture.data).decode('ascii')}"
