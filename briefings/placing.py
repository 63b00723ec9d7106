"""Placing items in issues without typing paths: `briefing add`, `list --unplaced`.

The manifest is edited with ruamel.yaml's round-trip mode, so the editor's
comments, key order and layout stay as they were; only the items list grows.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedSeq

from .build import output_path
from .diagnostics import BriefingError, Diagnostic, Report
from .files import write_atomic
from .model import Item, Manifest
from .workspace import Workspace, load_workspace
from .yamlsource import read_text


@dataclass
class Placed:
    manifest: Manifest
    added: list[str]  # names as the manifest lists them (relative to items/)
    already: list[str]
    elsewhere: dict[str, str]  # added name → id of another issue that lists it too


def item_name(workspace: Workspace, path: Path) -> str:
    """How a manifest names an item: its path relative to items/, with /.

    `path` may be written from the current folder, the workspace or items/.
    """
    candidates = [path] if path.is_absolute() else [path, workspace.root / path, workspace.items_dir / path]
    resolved = next((p.resolve() for p in candidates if p.is_file()), None)
    if resolved is None:
        raise BriefingError([Diagnostic(path, None, "稿件不存在")])
    if not resolved.is_relative_to(workspace.items_dir) or resolved.suffix != ".md":
        raise BriefingError([Diagnostic(path, None, "不是 items/ 目录下的稿件（.md 文件）")])
    return resolved.relative_to(workspace.items_dir).as_posix()


def add_items(root: Path, paths: list[Path], issue_id: str | None) -> Placed:
    """Append items to the named issue, or to the next unpublished one of their series."""
    report = Report()
    workspace = load_workspace(root, report)
    names = [item_name(workspace, path) for path in paths]
    items = [workspace.item(workspace.items_dir / name, report) for name in names]
    report.raise_if_errors()
    manifest = _chosen_manifest(workspace, issue_id, items)
    added = [name for name in dict.fromkeys(names) if name not in manifest.items]
    already = [name for name in names if name in manifest.items]
    if added:
        write_atomic(manifest.path, append_to_items(read_text(manifest.path), added))
    elsewhere = {name: other.id for name in added for other in workspace.manifests
                 if other is not manifest and name in other.items}
    return Placed(manifest, added, already, elsewhere)


def append_to_items(text: str, names: list[str]) -> bytes:
    """The manifest text with `names` appended to `items`, comments and layout kept.

    A block list gets new lines after its last entry, byte for byte the rest of
    the file as it was; `items: []` or a flow list is rewritten by ruamel.yaml's
    round-trip dumper, which keeps comments and key order.
    """
    yaml = _round_trip()
    data = yaml.load(text)
    items = data.get("items")
    if isinstance(items, CommentedSeq) and items and not items.fa.flow_style():
        line, column = items.lc.item(len(items) - 1)
        lines = text.splitlines(keepends=True)
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        before_value = lines[line][:column].rstrip()  # "  -": the last entry's indent and dash
        indent = before_value[:-1] if before_value.endswith("-") else " " * max(column - 2, 0)
        lines[line + 1:line + 1] = [f"{indent}- {_quoted(name)}\n" for name in names]
        return "".join(lines).encode("utf-8")
    if not isinstance(items, CommentedSeq):
        items = CommentedSeq()
        data["items"] = items
    items.fa.set_block_style()  # one entry per line, as editors write them
    items.extend(names)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue().encode("utf-8")


def _round_trip() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the editor wrote on one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    # An empty value stays `null` as editors read it, not a bare `key:`.
    yaml.representer.add_representer(type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def _quoted(name: str) -> str:
    """A list entry as YAML: plain when it can be, else in double quotes."""
    plain = not re.search(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]|: | #|\s$", name)
    return name if plain else '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _chosen_manifest(workspace: Workspace, issue_id: str | None, items: list[Item]) -> Manifest:
    if issue_id:
        manifest = workspace.manifest(issue_id)
        if manifest is None:
            known = "、".join(m.id for m in workspace.manifests) or "无"
            raise BriefingError([Diagnostic(None, None, f"找不到期“{issue_id}”（现有：{known}）")])
        return manifest
    series = _series_of_items(workspace, items)
    waiting = unpublished(workspace, series)
    if not waiting:
        raise BriefingError([Diagnostic(workspace.issues_dir / series, None,
                                        f"刊物“{series}”没有尚未生成的一期",
                                        hint=f"先运行 briefing new issue -s {series}，或用 --issue 指定")])
    return waiting[0]


def unpublished(workspace: Workspace, series: str) -> list[Manifest]:
    """The series' issues not built yet (no DOCX in the output folder), oldest first."""
    out_dir = workspace.root / workspace.config.out_dir
    waiting = []
    for manifest in workspace.manifests:
        if manifest.series != series:
            continue
        stand_in = _OutputName(manifest, workspace.series[series]) if series in workspace.series else None
        if stand_in is None or not output_path(out_dir, stand_in, "docx").exists():
            waiting.append(manifest)
    return sorted(waiting, key=lambda m: (m.date, m.special != "", m.number or 0, m.id))


@dataclass
class _OutputName:
    """Just enough of an Issue for output_path(): its manifest and series."""

    manifest: Manifest
    series: object


def _series_of_items(workspace: Workspace, items: list[Item]) -> str:
    """The series the items belong to: items/<series>/…, else the one series with their column."""
    found = set()
    for item in items:
        first = item.path.relative_to(workspace.items_dir).parts[0]
        if first in workspace.series:
            found.add(first)
            continue
        owners = [key for key, s in workspace.series.items() if s.column(item.column)]
        if len(owners) != 1:
            raise BriefingError([Diagnostic(item.path, None, "看不出稿件属于哪个刊物", hint="请用 --issue 指定期")])
        found.add(owners[0])
    if len(found) != 1:
        raise BriefingError([Diagnostic(None, None, f"稿件分属不同刊物（{'、'.join(sorted(found))}）",
                                        hint="请分别添加，或用 --issue 指定期")])
    return found.pop()


def unplaced_items(root: Path) -> tuple[Workspace, list[tuple[str, Item | None]], Report]:
    """Items no issue lists, by name, with the item as read (None when it has errors)."""
    report = Report()
    workspace = load_workspace(root, report)
    placed = {name for manifest in workspace.manifests for name in manifest.items}
    result = []
    for path in workspace.item_files():
        name = path.relative_to(workspace.items_dir).as_posix()
        if name not in placed:
            result.append((name, workspace.item(path, report)))
    return workspace, result, report

