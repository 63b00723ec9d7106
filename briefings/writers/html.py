"""HTML writer: one self-contained page per issue, and an index page.

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
from markupsafe import Markup

from ..images import SCREEN, Picture, PictureCache
from ..issue import attribution, lead_text
from ..markup import serialize_children
from ..model import BRIEF, Issue, Item, Section
from ..templatedir import HTML_INDEX_TEMPLATE, HTML_ISSUE_TEMPLATE, default_templates_dir

CSS_FILE = "briefing.css"


@functools.lru_cache(maxsize=None)
def environment(extra_dir: Path | None = None) -> Environment:
    """Series templates first (they may extend the defaults), then the defaults.

    One environment per folder and process, so each template is compiled once;
    Jinja still reloads a template whose file has changed.
    """
    loaders = [FileSystemLoader(str(extra_dir))] if extra_dir else []
    loaders.append(FileSystemLoader(str(default_templates_dir())))
    return Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True),
                       keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)


def load_default_templates() -> None:
    """Compile the default page templates now (once per `build --all` worker)."""
    for name in (HTML_ISSUE_TEMPLATE, HTML_INDEX_TEMPLATE):
        environment().get_template(name)


def _css() -> str:
    return (default_templates_dir() / CSS_FILE).read_text(encoding="utf-8")


@dataclass
class ItemView:
    anchor: str
    title: str
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
    return template.render(issue=issue, series=issue.series, sections=_sections(issue, pictures or PictureCache()), css=_css())


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
        subtitle=item.subtitle,
        title_block=not brief and issue.series.title_style == "block",
        brief=brief,
        body=Markup(body_html(item, lead_text(issue.series, section, item), brief, pictures)),
        attribution=attribution(issue.series, item),
    )


def body_html(item: Item, lead: str, brief: bool, pictures: PictureCache) -> str:
    """The item's sanitised body with pictures embedded and the lead text in front."""
    tree = item.body_tree()
    for image in tree.iter("img"):
        source = item.image_for(image.get("src", ""))
        if source is not None:
            image.set("src", data_uri(pictures.picture(source, SCREEN)))
            image.set("loading", "lazy")
            if not image.get("alt"):
                image.set("alt", item.title or "图片")
    if lead:
        first = tree.find("p")
        if first is None:
            first = lxml_html.Element("p")
            tree.insert(0, first)
        span = lxml_html.Element("strong" if not brief else "span")
        span.set("class", "run-in" if not brief else "unit")
        span.text = lead
        span.tail = first.text
        first.text = None
        first.insert(0, span)
    return serialize_children(tree)


def data_uri(picture: Picture) -> str:
    return f"data:{picture.mime};base64,{base64.b64encode(picture.data).decode('ascii')}"


@dataclass
class IndexEntry:
    issue: Issue
    html: str
    docx: str
    titles: list[str]


@dataclass
class IndexGroup:
    name: str
    entries: list[IndexEntry]


def render_index(title: str, issues: list[Issue], links: dict[str, dict[str, str]]) -> str:
    """The workspace's issues, newest first, grouped by series and year."""
    groups: dict[str, IndexGroup] = {}
    ordered = sorted(issues, key=lambda i: (i.series.name, -i.manifest.year, -i.manifest.date.toordinal(),
                                            -(i.manifest.number or 0)))
    for issue in ordered:
        name = f"{issue.series.name} · {issue.manifest.year}年"
        group = groups.setdefault(name, IndexGroup(name, []))
        titles = [item.title for section in issue.sections for item in section.items if item.title]
        titles += [s.column.name for s in issue.sections if s.column.kind == BRIEF]
        own = links.get(issue.id, {})
        group.entries.append(IndexEntry(issue, own.get("html", ""), own.get("docx", ""), titles))
    template = environment().get_template(HTML_INDEX_TEMPLATE)
    return template.render(title=title, groups=list(groups.values()), css=_css())
