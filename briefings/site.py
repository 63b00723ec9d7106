"""The archive website: index by year and series, Atom feed and search index.

The site is the issue pages and DOCX files the writers render, plus the files
made here. Nothing is written here: build() writes what these functions
return. Every value comes from the issues (dates, not the clock), so the same
workspace gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import asdict, dataclass, field
from typing import Iterable

from .dates import format_issue_date
from .gongwen.model import Document, DocumentSummary, summarize_document
from .model import BRIEF, Issue
from .typeset import unmarked
from .templatedir import HTML_INDEX_TEMPLATE, default_templates_dir

SITE_DIR = "site"  # inside the output folder: dist/site/
INDEX_FILE = "index.html"
YEAR_FILE = "archive-{year}.html"  # a year the index page has no room for
FEED_FILE = "feed.xml"
FEED_TEMPLATE = "feed.xml"
SEARCH_INDEX_FILE = "search-index.js"
SEARCH_SHARD_DIR = "search"
SEARCH_SCRIPT_FILE = "search.js"  # shipped as is from the templates folder
SEARCH_GLOBAL = "BRIEFING_SEARCH"
SEARCH_SHARD_CALLBACK = "BRIEFING_SEARCH_SHARD"
# A reader follows the newest issues; older ones stay on the index page.
FEED_ENTRIES = 50
# Issue dates carry no time; the offices publishing them are on Beijing time.
TIME_OF_DAY = "T00:00:00+08:00"
NO_DATE = "1970-01-01T00:00:00Z"

Links = dict[str, dict[str, str]]  # issue id → {"html": path, "docx": path, "pdf": path}, relative to the site
Documents = Iterable["Document | DocumentSummary"]  # summaries for the search carry their text


@dataclass(frozen=True)
class SiteFiles:
    """Names the index page links to."""

    feed: str = FEED_FILE
    search_index: str = SEARCH_INDEX_FILE
    search_script: str = SEARCH_SCRIPT_FILE


@dataclass
class IssueSummary:
    """What the index, the feed and the search show of an issue.

    Recorded with the issue's check, so the site can be made again without
    reading the items of issues that did not change.
    """

    id: str
    series_name: str
    office: str
    date: dt.date
    number: int
    number_line: str
    date_text: str
    title: str
    titles: list[str]
    records: list[dict[str, str]]  # the items for the search: anchor, title, text

    @property
    def year(self) -> int:
        return self.date.year

    def to_json(self) -> dict:
        return {**asdict(self), "date": self.date.isoformat()}

    @classmethod
    def from_json(cls, data: dict) -> IssueSummary:
        return cls(**{**data, "date": dt.date.fromisoformat(data["date"])})


def summarize(issue: Issue) -> IssueSummary:
    m = issue.manifest
    return IssueSummary(issue.id, issue.series.name, issue.series.office, m.date, m.number or 0,
                        issue.number_line, issue.date_text, issue.title, issue_titles(issue),
                        search_items(issue))


Issues = Iterable["Issue | IssueSummary"]


def _summaries(issues: Issues) -> list[IssueSummary]:
    return [issue if isinstance(issue, IssueSummary) else summarize(issue) for issue in issues]


@dataclass
class IndexEntry:
    """One issue as the index and the feed list it."""

    issue: IssueSummary
    html: str
    docx: str
    titles: list[str]
    pdf: str = ""

    @property
    def updated(self) -> str:
        return self.issue.date.isoformat() + TIME_OF_DAY


@dataclass
class SeriesGroup:
    """A series' entries within one year of the index page."""

    name: str
    entries: list[IndexEntry]


@dataclass
class DocumentEntry:
    """One 公文 as the index lists it."""

    document: DocumentSummary
    html: str
    docx: str
    pdf: str = ""


@dataclass
class YearGroup:
    """One year of the index page, by series."""

    year: int
    series: list[SeriesGroup]
    documents: list[DocumentEntry] = field(default_factory=list)  # 公文 of the year, newest first


def site_files(title: str, issues: Issues, links: Links, documents: Documents = (),
               index_entries: int = 100) -> dict[str, bytes]:
    """The site's own files by name; the issue pages and DOCX files come from the writers."""
    script = (default_templates_dir() / SEARCH_SCRIPT_FILE).read_bytes()
    issues = _summaries(issues)
    documents = documents_newest_first(documents)
    files = {name: text.encode("utf-8")
             for name, text in archive_pages(title, issues, links, True, documents, index_entries).items()}
    files.update({
        FEED_FILE: render_feed(title, issues, links).encode("utf-8"),
        SEARCH_SCRIPT_FILE: script,
    })
    files.update((name, text.encode("utf-8")) for name, text in search_files(issues, links, documents).items())
    return files


def archive_pages(title: str, issues: Issues, links: Links, site: bool = False,
                  documents: Documents = (), index_entries: int = 100) -> dict[str, str]:
    """The index page and a page for each year it has no room for, by file name.

    The index lists the newest years (by series, with the year's 公文) while they
    hold at most `index_entries` issues and 公文 (always the newest year), and links
    to the older years' pages; with `site` it also has the search and the feed.
    """
    from .writers.html import css, environment

    years = archive_years(issues, links, documents)
    shown = 1
    while shown < len(years) and sum(map(_entries, years[:shown + 1])) <= index_entries:
        shown += 1
    older = [(year.year, YEAR_FILE.format(year=year.year)) for year in years[shown:]]
    template = environment().get_template(HTML_INDEX_TEMPLATE)
    pages = {INDEX_FILE: template.render(title=title, years=years[:shown], older=older, css=css(),
                                         site=SiteFiles() if site else None)}
    for year, (number, name) in zip(years[shown:], older):
        pages[name] = template.render(title=title, years=[year], older=older, css=css(), site=None,
                                      page_year=number, index=INDEX_FILE)
    return pages


def _entries(year: YearGroup) -> int:
    return sum(len(group.entries) for group in year.series) + len(year.documents)


def archive_years(issues: Issues, links: Links, documents: Documents = ()) -> list[YearGroup]:
    years: dict[int, dict[str, SeriesGroup]] = {}
    for entry in index_entries(issues, links):
        by_series = years.setdefault(entry.issue.year, {})
        name = entry.issue.series_name
        by_series.setdefault(name, SeriesGroup(name, [])).entries.append(entry)
    by_year: dict[int, list[DocumentEntry]] = {}
    for document in documents_newest_first(documents):
        own = links.get(document.id, {})
        by_year.setdefault(document.year, []).append(
            DocumentEntry(document, own.get("html", ""), own.get("docx", ""), own.get("pdf", "")))
        years.setdefault(document.year, {})
    return [YearGroup(year, sorted(groups.values(), key=lambda g: g.name), by_year.get(year, []))
            for year, groups in sorted(years.items(), reverse=True)]


def documents_newest_first(documents: Documents) -> list[DocumentSummary]:
    summaries = (d if isinstance(d, DocumentSummary) else summarize_search(d) for d in documents)
    return sorted(summaries, key=lambda d: (-d.date.toordinal(), d.code, -d.number))


def index_entries(issues: Issues, links: Links) -> list[IndexEntry]:
    entries = []
    for issue in newest_first(_summaries(issues)):
        own = links.get(issue.id, {})
        entries.append(IndexEntry(issue, own.get("html", ""), own.get("docx", ""), issue.titles,
                                  own.get("pdf", "")))
    return entries


def newest_first(issues: list[IssueSummary]) -> list[IssueSummary]:
    return sorted(issues, key=lambda i: (-i.date.toordinal(), i.series_name, -i.number, i.id))


def issue_titles(issue: Issue) -> list[str]:
    """Item titles, then the names of brief-note columns (their notes have no titles)."""
    titles = [item.title for section in issue.sections for item in section.items if item.title]
    return titles + [s.column.name for s in issue.sections if s.column.kind == BRIEF]


def render_feed(title: str, issues: Issues, links: Links) -> str:
    """An Atom feed of the newest issues; ids are name-based UUIDs, so they never change."""
    from .writers.html import environment

    entries = index_entries(issues, links)[:FEED_ENTRIES]
    template = environment().get_template(FEED_TEMPLATE)
    return template.render(title=title, id=_urn(title), updated=entries[0].updated if entries else NO_DATE,
                           entries=[(_urn(title, e.issue.id), e) for e in entries],
                           index=INDEX_FILE, feed=FEED_FILE)


def _urn(*names: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, "briefings:" + "/".join(names)).urn


def search_files(issues: Issues, links: Links, documents: Documents = ()) -> dict[str, str]:
    """The search index: a small list of shards, one script per year of items (and 公文).

    Scripts (not JSON fetched at run time) because pages opened from the file
    system may not fetch files. The index page loads only the list; search.js
    adds a year's shard with <script src> when a search first needs it, so the
    page stays small whatever the size of the archive.
    """
    by_year: dict[int, list[dict[str, str]]] = {}
    for issue in newest_first(_summaries(issues)):
        by_year.setdefault(issue.year, []).extend(search_records(issue, links))
    for document in documents_newest_first(documents):
        by_year.setdefault(document.year, []).append(document_record(document, links))
    files = {}
    shards = []
    for year, records in sorted(by_year.items(), reverse=True):
        name = f"{SEARCH_SHARD_DIR}/{year}.js"
        data = json.dumps(records, ensure_ascii=False, separators=(",", ":"))
        files[name] = f"window.{SEARCH_SHARD_CALLBACK}({data});\n"
        shards.append({"src": name, "year": year, "items": len(records)})
    listing = json.dumps({"shards": shards}, ensure_ascii=False, separators=(",", ":"))
    files[SEARCH_INDEX_FILE] = f"window.{SEARCH_GLOBAL} = {listing};\n"
    return files


def search_records(issue: IssueSummary, links: Links) -> list[dict[str, str]]:
    """Every item's title and text, pointing at its place in the issue page."""
    page = links.get(issue.id, {}).get("html", "")
    return [{"url": f"{page}#{item['anchor']}", "title": item["title"], "issue": issue.title,
             "date": issue.date_text, "text": item["text"]} for item in issue.records]


def search_items(issue: Issue) -> list[dict[str, str]]:
    """Every item's anchor in the issue page, title and text."""
    items = []
    for section in issue.sections:
        for index, item in enumerate(section.items):
            text = " ".join(item.body_tree().text_content().split())
            items.append({
                "anchor": section.item_anchor(index),
                "title": item.title or f"{section.column.name}：{item.source or text[:20]}",
                "text": text,
            })
    return items


def summarize_search(document: Document) -> DocumentSummary:
    """The document's summary with its text for the search."""
    summary = summarize_document(document)
    summary.text = document_text(document)
    return summary


def document_text(document: Document) -> str:
    """A 公文's text and its attachments', as the search finds it."""
    text = " ".join(part.body_tree().text_content() for part in (document.body, *(a.body for a in document.attachments)))
    return " ".join(text.split())


def document_record(document: DocumentSummary, links: Links) -> dict[str, str]:
    """A 公文's title and text, found by its 发文字号 too (昆政办发〔2017〕176号, or just 176号)."""
    return {
        "url": links.get(document.id, {}).get("html", ""),
        "title": unmarked(document.title),
        "issue": document.reference,
        "date": format_issue_date(document.date),
        "text": f"{document.reference} {document.text}",
    }
