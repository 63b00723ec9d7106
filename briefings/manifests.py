"""Reader for issue manifests (issues/SERIES/YEAR-NN.yaml)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .diagnostics import Report
from .fields import Fields, list_lines, read_fields
from .model import MAX_COPIES, MAX_NUMBER, MAX_TOTAL, DistributionChange, Manifest


MAX_EDITOR_NOTE = 2000  # characters: a note of a few paragraphs


def manifest_id(path: Path, issues_dir: Path) -> str:
    return path.relative_to(issues_dir).with_suffix("").as_posix()


def read_manifest(path: Path, issues_dir: Path, report: Report) -> Manifest | None:
    before = len(report.errors)
    f = read_fields(path, report)
    if f is None:
        return None
    special = f.text("special", "") or ""
    items_value = f.raw("items")
    manifest = Manifest(
        path=path,
        id=manifest_id(path, issues_dir),
        series=f.text("series", required=True) or "",
        date=f.date("date", required=True) or dt.date.min,
        number=f.integer("number", None, required=True, minimum=1, maximum=MAX_NUMBER, what="期号"),
        total=f.integer("total", None, minimum=1, maximum=MAX_TOTAL, what="总期号"),
        special=special,
        items=tuple(f.text_list("items")),
        item_lines=tuple(list_lines(items_value)),
        editor_note=f.text("editor_note", "", max_length=MAX_EDITOR_NOTE) or "",
        distribution=_distribution_change(f.section("distribution")),
        editor=f.text("editor", "") or "",
        reviewer=f.text("reviewer", "") or "",
        approver=f.text("approver", "") or "",
        line_of={key: f.line(key) for key in f.data},
    )
    if special and manifest.total is not None:
        f.error("total", "增刊、专刊不占用总期号，请删除 total")
    f.finish()
    return manifest if len(report.errors) == before else None


def _distribution_change(f: Fields) -> DistributionChange:
    def by_label(key: str) -> dict[str, tuple[str, ...]]:
        section = f.section(key)
        result = {label: tuple(section.text_list(label)) for label in list(section.data)}
        return result

    change = DistributionChange(
        add=by_label("add"),
        remove=by_label("remove"),
        extra=tuple(f.text_list("extra")),
        copies=f.integer("copies", None, minimum=1, maximum=MAX_COPIES, what="印数"),
    )
    f.finish()
    return change


FAR_AHEAD = dt.timedelta(days=366)


def check_issue_dates(manifests: list[Manifest], today: dt.date, report: Report) -> None:
    """Warn about issue dates more than a year after `today`: usually a mistyped year."""
    for manifest in manifests:
        if manifest.date - today > FAR_AHEAD:
            report.warning(manifest.path, manifest.line_of.get("date"),
                           f"出刊日期 {manifest.date} 比今天（{today}）晚一年以上", hint="请核对年份")


def check_reused_items(manifests: list[Manifest], report: Report) -> None:
    """Warn where an item was already published in an earlier issue."""
    first: dict[str, Manifest] = {}
    for manifest in sorted(manifests, key=lambda m: (m.date, m.id)):
        for index, name in enumerate(manifest.items):
            earlier = first.setdefault(name, manifest)
            if earlier is not manifest:
                report.warning(manifest.path, manifest.item_line(index), f"稿件“{name}”已在 {earlier.id}（{earlier.year}年第{earlier.number}期）刊发过")
