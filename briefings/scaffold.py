"""New files for editors and clerks: a workspace, an item, the next issue."""

from __future__ import annotations

import datetime as dt
import json
import re
from contextlib import contextmanager
from pathlib import Path


from .files import write_atomic
from .diagnostics import BriefingError, Diagnostic, Report
from .encoding import utf8_from_legacy
from .model import PLACEHOLDER_MARK, Column, Series
from .numbering import next_number
from .workspace import ISSUES_DIR, ITEMS_DIR, SERIES_DIR, Workspace, load_workspace

SERIES_TEMPLATE = """\
# 刊物设置。各项说明见 README。
name: 工作简报
office: ××县人民政府办公室
mark: 内部资料 注意保存
locale: zh_CN
date_style: arabic          # arabic：2023年7月17日；chinese：二〇二三年七月十七日
numbering:
  number_format: "第{number}期"
  total: true
  total_format: "（总第{total}期）"
  special_format: "{label}第{number}期"
title_style: block          # block：标题居中单列；run_in：标题加粗接排在正文段首
attribution: own_line       # own_line / inline / none
columns:
  - name: 要闻
    heading: false
  - name: 工作动态
  - name: 简讯
    kind: brief
column_heading:
  format: "【{name}】"
  spread_two_chars: true
toc:
  enabled: true
  marker: "◆"
  group_by_column: true
distribution:
  terminal_punctuation: "。"
  copies: 50
  lines:
    - label: 呈送
      recipients: [县委、县人大、县政府、县政协领导]
    - label: 抄送
      recipients: [县委办公室, 县人大常委会办公室, 县政协办公室]
    - label: 印发
      recipients: [各乡镇人民政府, 县级各部门]
"""

ITEM_TEMPLATE = "---\n{front}---\n\n{body}"
# What `new item` writes for the clerk to replace; model.PLACEHOLDER_MARK in it
# makes a build refuse the item until it is replaced.
PLACEHOLDER_TITLE = f"标题{PLACEHOLDER_MARK}"
PLACEHOLDER_BODY = f"""\
在这里写正文{PLACEHOLDER_MARK}。每段之间空一行。

## 一、小标题

正文……
"""


EXAMPLE_ISSUE = "示例"  # numbered apart (示例第1期), so the first real issue is still 第1期
EXAMPLE_TITLE = "县政府办公室举办简报编写培训"
EXAMPLE_BODY = """\
这是 briefing init 生成的示例稿件，列在“示例”期中，用来看看简报印出来的样子。\
示例期单独编号，不占用第1期；不需要时删除本文件和 issues/gongzuo/ 下的示例期清单即可。

## 一、稿件怎么写

正文段落之间空一行。小标题按序号写成“一、”“（一）”“1.”，生成时自动套用黑体、楷体和仿宋加粗。

## 二、下一步

运行 briefing new issue -s gongzuo 生成第1期清单，再用 briefing add 稿件 把稿件编入这一期。
"""


def init_workspace(folder: Path, today: dt.date | None = None) -> list[Path]:
    """A new workspace with one series, one example item and an example issue.

    The example issue is a special one (示例第1期): it builds, and the first real
    issue `new issue` makes is still 第1期（总第1期）.
    """
    if (folder / SERIES_DIR).exists():
        raise BriefingError([Diagnostic(folder, None, "这里已经是一个工作区（已有 series/ 目录）")])
    today = today or dt.date.today()  # the clock is read at the edge: tests pass a fixed day
    written = []
    files = {
        folder / "briefing.yaml": "title: 简报\n",
        # Build output, the image cache and the new-issue lock are not content.
        folder / ".gitignore": "/dist/\n.briefing-cache/\n.new-issue.lock\n",
        folder / SERIES_DIR / "gongzuo.yaml": SERIES_TEMPLATE,
    }
    item = item_path(folder, "gongzuo", today, 1, EXAMPLE_TITLE)
    files[item] = item_text(EXAMPLE_TITLE, "工作动态", today, "县政府办公室", "article", body=EXAMPLE_BODY)
    for path, text in files.items():
        write_atomic(path, text.encode("utf-8"))
        written.append(path)
    written.append(write_manifest(folder, "gongzuo", today, 1, None, EXAMPLE_ISSUE,
                                  [item.relative_to(folder / ITEMS_DIR)]))
    return written


def item_path(root: Path, series: str, date: dt.date, index: int, title: str = "") -> Path:
    """items/<series>/<YYYY-MM>/<title>.md (a second one: <title>-2.md); untitled: <date>-NN.md."""
    folder = root / ITEMS_DIR / series / f"{date:%Y-%m}"
    stem = file_stem(title)
    if not stem:
        return folder / f"{date:%Y-%m-%d}-{index:02d}.md"
    return folder / (f"{stem}.md" if index == 1 else f"{stem}-{index}.md")


FILE_STEM_MAX_CHARS = 30
# Characters Windows refuses in file names, and whitespace.
_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\s\u3000]+')


def file_stem(title: str) -> str:
    """A file name made from a title, valid on Windows and Linux."""
    return _NOT_IN_FILE_NAMES.sub("", title)[:FILE_STEM_MAX_CHARS].strip(".")


def item_text(title: str, column: str, date: dt.date, source: str, kind: str,
              author: str = "", body: str = PLACEHOLDER_BODY, subtitle: str = "") -> str:
    front = {"title": title, "subtitle": subtitle, "column": column, "date": date.isoformat(),
             "source": source, "author": author, "kind": kind}
    if not subtitle:
        front.pop("subtitle")
    if kind == "brief":
        front.pop("title")
    return ITEM_TEMPLATE.format(front="".join(_front_line(key, value) for key, value in front.items()),
                                body=body.rstrip("\n") + "\n")


def _front_line(key: str, value: str) -> str:
    """`key: value` as YAML; a value opening with a Chinese quote (“双减”) is put in
    double quotes, so it is not taken for Word's quotes around the value."""
    if value[:1] in "“‘":
        return f"{key}: {json.dumps(value, ensure_ascii=False)}\n"
    return _yaml().safe_dump({key: value}, allow_unicode=True, sort_keys=False)


def new_item(root: Path, series_key: str, column: str, title: str, date: dt.date,
             source: str, kind: str | None = None) -> Path:
    """A new item file named after its title; `kind` defaults to the column's (简讯 → brief)."""
    series = series_of(load_workspace(root, Report()), series_key)
    found = column_of(series, column)
    kind = kind or found.kind
    return create_item(root, series_key, date, title if kind != "brief" else "",
                       item_text(title or PLACEHOLDER_TITLE, column, date, source, kind))


def create_item(root: Path, series_key: str, date: dt.date, title: str, text: str) -> Path:
    """Write a new item file, never overwriting one (two clerks at once get two files)."""
    index = 1
    while not create_new(path := item_path(root, series_key, date, index, title), text):
        index += 1
    return path


def column_of(series: Series, name: str) -> Column:
    found = series.column(name)
    if found is None:
        names = "、".join(c.name for c in series.columns)
        raise BriefingError([Diagnostic(series.path, None, f"刊物没有栏目“{name}”（可选：{names}）")])
    return found


def create_new(path: Path, text: str) -> bool:
    """Write a file that must not exist yet; False when it does."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        return False
    return True


NEW_ISSUE_LOCK = ".new-issue.lock"
LOCK_WAIT_SECONDS = 30


def new_issue(root: Path, series_key: str, date: dt.date, special: str = "") -> Path:
    """Write the next manifest; the numbers come from the manifests on disk.

    Reading the numbers and writing the manifest happen under one lock, so two
    editors running this at the same moment get two different numbers.
    """
    with numbering_lock(root):
        report = Report()
        workspace = load_workspace(root, report)
        report.raise_if_errors()
        series = series_of(workspace, series_key)
        numbers = next_number(workspace.manifests, series_key, date.year, special,
                              series.numbering.total)
        return write_manifest(root, series_key, date, numbers.number, numbers.total, special, [])


@contextmanager
def numbering_lock(root: Path):
    """Held while a number (期号, 发文字号) is read from disk and its file created."""
    from filelock import FileLock, Timeout  # only the numbering commands lock

    lock_path = root / ISSUES_DIR / NEW_ISSUE_LOCK
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(str(lock_path), timeout=LOCK_WAIT_SECONDS):
            yield
    except Timeout:
        raise BriefingError([Diagnostic(lock_path, None, f"另一位同事正在取号（新的一期或公文），等待 {LOCK_WAIT_SECONDS} 秒仍未完成",
                                        hint="请稍后再试；如确认无人使用，可删除此锁文件")]) from None


def write_manifest(root: Path, series: str, date: dt.date, number: int, total: int | None,
                   special: str, items: list[Path]) -> Path:
    stem = f"{date.year}-{_slug(special) + '-' if special else ''}{number:02d}"
    path = root / ISSUES_DIR / series / f"{stem}.yaml"
    data = {"series": series, "number": number}
    if total:
        data["total"] = total
    data["date"] = date.isoformat()
    if special:
        data["special"] = special
    data["items"] = [p.as_posix() for p in items]
    text = _yaml().safe_dump(data, allow_unicode=True, sort_keys=False)
    text += ("editor_note: \"\"\n"
             "# distribution:            # 本期分送调整（可选）\n"
             "#   add: {抄送: [新增单位]}\n"
             "#   remove: {印发: [不送单位]}\n"
             "#   extra: [本期增发单位]\n"
             "#   copies: 60\n"
             "# editor: 责任编辑\n# reviewer: 审核\n# approver: 签发\n")
    if not create_new(path, text):
        raise BriefingError([Diagnostic(path, None, "该期清单已存在")])
    return path


ENCODING_FIX_SUFFIXES = (".md", ".yaml", ".yml")


def fix_encoding(root: Path, paths: list[Path]) -> list[Path]:
    """Convert GBK/GB18030 files to UTF-8 in place (all workspace text files when none
    are named); returns the converted ones. UTF-8 files are left byte for byte."""
    if not paths:
        paths = sorted(p for p in root.rglob("*") if p.suffix in ENCODING_FIX_SUFFIXES and p.is_file()
                       and not any(part.startswith(".") for part in p.relative_to(root).parts))
    converted = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise BriefingError([Diagnostic(path, None, f"无法读取文件：{exc.strerror}")]) from None
        utf8 = utf8_from_legacy(data)
        if utf8 is not None:
            write_atomic(path, utf8)
            converted.append(path)
    return converted


def series_of(workspace: Workspace, key: str) -> Series:
    series = workspace.series.get(key)
    if series is None:
        known = "、".join(workspace.series) or "无"
        raise BriefingError([Diagnostic(workspace.root / SERIES_DIR / f"{key}.yaml", None,
                                        f"找不到刊物“{key}”（现有：{known}）")])
    return series


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text).strip("-") or "special"


def _yaml():
    """PyYAML, imported when a file is written (the CLI starts without it)."""
    import yaml

    return yaml
