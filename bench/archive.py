"""A ten-year archive made from the sample items: one series, 24 issues a year, 8 items each.

    python bench/archive.py FOLDER [--years 10] [--per-year 24] [--items 8]

Used by bench/run.py and by the incremental-build tests (with fewer issues).
The inputs are deterministic, so two archives made alike build to the same bytes.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "content"
SERIES = "luxian"
COLUMNS = ("要闻", "部门动态", "各镇亮点")
FIRST_YEAR = 2015


def sample_texts() -> list[tuple[str, str, bool]]:
    """(title, body, is brief) of the sample items, without their pictures."""
    found = []
    for path in sorted((SAMPLES / "items").rglob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---", 2)
        data = yaml.safe_load(front)
        lines = [line for line in body.strip().split("\n") if not line.lstrip().startswith("![")]
        found.append((data.get("title", ""), "\n".join(lines).strip(), data.get("kind") == "brief"))
    return found


def make_archive(root: Path, years: int = 10, per_year: int = 24, items: int = 8) -> list[str]:
    """Write the workspace at `root`; returns the issue ids, oldest first."""
    (root / "series").mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLES / "series" / f"{SERIES}.yaml", root / "series")
    (root / "briefing.yaml").write_text("title: 十年归档\n", encoding="utf-8")
    pool = sample_texts()
    ids = []
    for year in range(FIRST_YEAR, FIRST_YEAR + years):
        for number in range(1, per_year + 1):
            ids.append(write_issue(root, pool, year, number, items))
    return ids


def write_issue(root: Path, pool, year: int, number: int, count: int) -> str:
    stem = f"{year}-{number:02d}"
    month, day = (number - 1) // 2 + 1, 1 if number % 2 else 15
    names = []
    for index in range(count):
        title, body, brief = pool[(year * 31 + number * 7 + index) % len(pool)]
        front = {"column": "简讯" if brief else COLUMNS[index % len(COLUMNS)],
                 "date": f"{year}-{month:02d}-01", "source": "县双创办",
                 "kind": "brief" if brief else "article"}
        if title:
            front["title"] = f"{title}（{stem}-{index + 1}）"
        name = f"{stem}/{index + 1:02d}.md"
        path = root / "items" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{yaml.safe_dump(front, allow_unicode=True)}---\n\n{body}\n", encoding="utf-8")
        names.append(name)
    manifest = root / "issues" / SERIES / f"{stem}.yaml"
    manifest.parent.mkdir(parents=True, exist_ok=True)
    total = (year - FIRST_YEAR) * 24 + number
    data = {"series": SERIES, "number": number, "total": total, "date": f"{year}-{month:02d}-{day:02d}", "items": names}
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return f"{SERIES}/{stem}"


def write_documents(root: Path, count: int) -> None:
    """`count` copies of the sample 公文 (with its attachment) at 序号 1…count, in a copy of the samples."""
    sample = root / "documents" / "kunzhengban" / "2017-176.md"
    text = sample.read_text(encoding="utf-8")
    for number in range(1, count + 1):
        if number != 176:
            (sample.parent / f"2017-{number}.md").write_text(text.replace("序号: 176", f"序号: {number}"),
                                                             encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--per-year", type=int, default=24)
    parser.add_argument("--items", type=int, default=8)
    args = parser.parse_args()
    ids = make_archive(args.folder, args.years, args.per_year, args.items)
    print(f"{len(ids)} 期，{len(ids) * args.items} 篇稿件：{args.folder}")


if __name__ == "__main__":
    main()
