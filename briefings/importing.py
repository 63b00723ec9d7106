"""`briefing import`: write what wordreader.py read from a Word file as an item.

One item per Word file under items/<series>/<YYYY-MM>/, named after its title;
its pictures beside it (<item>-1.png …), referred to by paths relative to the item.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import BriefingError, Diagnostic, Report
from .files import write_atomic
from .model import BRIEF, Series
from .scaffold import column_of, series_of, create_item, item_text
from .wordreader import read_word
from .workspace import load_workspace


@dataclass
class Imported:
    item: Path
    pictures: list[Path]
    notes: list[str]  # what could not be kept, in Chinese


def import_word(root: Path, source: Path, series_key: str | None, column: str | None,
                date: dt.date) -> Imported:
    """Read `source` and write it as a new item; nothing is written when it cannot be read."""
    series = _pick_series(root, series_key)
    column_name = _pick_column(series, column)
    document = read_word(source)
    if not document.body.strip():
        raise BriefingError([Diagnostic(source, None, "Word 文件中没有正文")])
    kind = column_of(series, column_name).kind
    title = document.title or ("" if kind == BRIEF else source.stem)
    text = item_text(title, column_name, date, document.source, kind, author=document.author,
                     body=document.body, subtitle=document.subtitle)
    item = create_item(root, series.key, date, title if kind != BRIEF else "", text)
    pictures = []
    for number, picture in enumerate(document.pictures, start=1):
        path = item.with_name(f"{item.stem}-{number}{Path(picture.token).suffix}")
        write_atomic(path, picture.data)
        pictures.append(path)
    if pictures:
        # Point the body at the pictures' final names (relative to the item file).
        body = item.read_text(encoding="utf-8")
        for picture, path in zip(document.pictures, pictures):
            body = body.replace(f"]({picture.token})", f"]({path.name})")
        write_atomic(item, body.encode("utf-8"))
    notes = list(document.notes)
    if not document.title and kind != BRIEF:
        notes.append(f"没有找到标题，暂用文件名“{title}”，请核对")
    return Imported(item, pictures, notes)


def _pick_series(root: Path, key: str | None) -> Series:
    workspace = load_workspace(root, Report())
    if key:
        return series_of(workspace, key)
    if len(workspace.series) == 1:
        return next(iter(workspace.series.values()))
    known = "、".join(workspace.series) or "无"
    raise BriefingError([Diagnostic(root / "series", None, f"工作区有多个刊物，请用 -s 指定（现有：{known}）")])


def _pick_column(series: Series, name: str | None) -> str:
    """The named column, or the first one for articles."""
    if name:
        return column_of(series, name).name
    return next((c.name for c in series.columns if c.kind != BRIEF), series.columns[0].name)
