"""Benchmark: `briefing build` against pandoc on the same Markdown.

    pip install -e ".[bench]" && python bench/run.py

Makes its own inputs in a temporary folder (text from the sample items in
content/, photos generated at camera size), times cold processes (a fresh
`briefing` or `pandoc` each run) and prints a Markdown table. `--quick` uses
fewer runs and a smaller memory test, for trying the script out.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypandoc
import yaml
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "content"
BRIEFING = [sys.executable, "-m", "briefings"]
SERIES = "luxian"
COLUMNS = ("要闻", "部门动态", "各镇亮点")
IMAGE_LINE = re.compile(r"^!\[.*\]\(.*\)\s*$", re.M)
GPS_IFD = 0x8825
ORIENTATION = 0x0112


@dataclass
class Sample:
    title: str
    body: str
    brief: bool


def samples() -> list[Sample]:
    """The sample items' text, without their pictures."""
    found = []
    for path in sorted((SAMPLES / "items").rglob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---", 2)
        data = yaml.safe_load(front)
        found.append(Sample(data.get("title", ""), IMAGE_LINE.sub("", body).strip(), data.get("kind") == "brief"))
    return found


# Inputs -----------------------------------------------------------------------


def new_workspace(root: Path) -> Path:
    (root / "series").mkdir(parents=True)
    shutil.copy(SAMPLES / "series" / f"{SERIES}.yaml", root / "series")
    (root / "briefing.yaml").write_text("title: 基准测试\n", encoding="utf-8")
    return root


def write_issue(root: Path, year: int, number: int, count: int, photos: list[Path] = (),
                offset: int = 0) -> tuple[str, Path]:
    """An issue of `count` items (the first ones carrying `photos`); returns its id and pandoc's Markdown."""
    pool = samples()
    names, markdown = [], []
    for index in range(count):
        sample = pool[(offset + index) % len(pool)]
        column = "简讯" if sample.brief else COLUMNS[index % len(COLUMNS)]
        title = f"{sample.title}（{index + 1}）" if sample.title else ""
        body = sample.body
        if index < len(photos):
            body += f"\n\n![现场照片{index + 1}]({os.path.relpath(photos[index], root / 'items' / f'{year}-{number:02d}')})\n"
        front = {"column": column, "date": f"{year}-01-01", "source": "县双创办",
                 "kind": "brief" if sample.brief else "article"}
        if title:
            front["title"] = title
        name = f"{year}-{number:02d}/{index + 1:02d}.md"
        path = root / "items" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{yaml.safe_dump(front, allow_unicode=True)}---\n\n{body}\n", encoding="utf-8")
        names.append(name)
        markdown.append(f"## {title or column}\n\n{body}\n\n（县双创办）\n")
    manifest = root / "issues" / SERIES / f"{year}-{number:02d}.yaml"
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(yaml.safe_dump({"series": SERIES, "number": number, "date": f"{year}-01-{number:02d}",
                                        "items": names}, allow_unicode=True), encoding="utf-8")
    md = root / "pandoc" / f"{year}-{number:02d}.md"
    md.parent.mkdir(parents=True, exist_ok=True)
    # Same text, same pictures (paths relative to the items' folder, given to pandoc as resource path).
    md.write_text("\n".join(markdown), encoding="utf-8")
    return f"{SERIES}/{year}-{number:02d}", md


def camera_photo(path: Path, seed: int, width: int, height: int) -> Path:
    """A photo-like JPEG at camera size: smooth light, texture, sensor noise, EXIF with GPS."""
    rng = np.random.default_rng(seed)
    light = Image.fromarray(rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)).resize((width, height),
                                                                                     Image.Resampling.BILINEAR)
    detail = Image.fromarray(rng.integers(0, 256, (height // 24, width // 24, 3), dtype=np.uint8))
    detail = detail.resize((width, height), Image.Resampling.BILINEAR)
    pixels = np.asarray(light, dtype=np.int16) * 3 + np.asarray(detail, dtype=np.int16)
    pixels //= 4
    pixels += rng.integers(-6, 7, (height, width, 1), dtype=np.int16)
    picture = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    exif = Image.Exif()
    exif[ORIENTATION] = 6 if seed % 2 else 1  # half of them taken with the phone upright
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (30.0, 52.0, 12.0), 3: "E", 4: (104.0, 4.0, 5.0)})
    if seed % 2:
        picture = picture.transpose(Image.Transpose.ROTATE_90)  # stored sideways, as phones do
    picture.save(path, "JPEG", quality=92, exif=exif)
    return path


def photos(folder: Path, count: int, width: int, height: int, seed: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [camera_photo(folder / f"p{seed + n:03d}.jpg", seed + n, width, height) for n in range(count)]


# Timing -----------------------------------------------------------------------


def run(command: list[str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def median(command: list[str], runs: int, before=None, cwd: Path | None = None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        times.append(run(command, cwd))
    return statistics.median(times)


# Runs the command line in-process, then reports the process's own peak RSS
# (VmHWM). ru_maxrss of a child is no use here: a child started by fork/vfork
# inherits the peak of this process, which has just made 24 MP photos.
PEAK = """
import runpy, sys
sys.argv = ["briefing", *sys.argv[1:]]
try:
    runpy.run_module("briefings", run_name="__main__")
finally:
    print(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")), file=sys.stderr)
"""


def peak_rss(args: list[str]) -> tuple[float, float]:
    """Wall time and peak resident memory (MB) of one `briefing` process."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", PEAK, *args], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(result.stderr)
    return seconds, int(result.stderr.split("VmHWM:")[1].split()[0]) / 1024


def build_args(ws: Path, out: Path, *args: str) -> list[str]:
    return ["-w", str(ws), "build", "-o", str(out), *args]


def build_command(ws: Path, out: Path, *args: str) -> list[str]:
    return [*BRIEFING, *build_args(ws, out, *args)]


def pandoc_command(md: Path, out: Path, resources: Path) -> list[str]:
    return [pypandoc.get_pandoc_path(), str(md), "-o", str(out), f"--resource-path={resources}"]


def clear_cache(ws: Path) -> None:
    shutil.rmtree(ws / ".briefing-cache", ignore_errors=True)


def mb(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.2f} MB"


# Benchmarks -------------------------------------------------------------------


def text_issue(tmp: Path, runs: int) -> list[tuple[str, str, str, str]]:
    ws = new_workspace(tmp / "text")
    issue, md = write_issue(ws, 2024, 1, 40)
    ours = median(build_command(ws, tmp / "out-text", issue, "-f", "docx"), runs)
    theirs = median(pandoc_command(md, tmp / "pandoc-text.docx", ws / "items" / "2024-01"), runs)
    return [("文字期（40 篇）→ DOCX，冷启动", f"{ours:.2f} s", f"{theirs:.2f} s", f"{ours / theirs:.1f}×")]


def photo_issue(tmp: Path, runs: int) -> list[tuple[str, str, str, str]]:
    ws = new_workspace(tmp / "photo")
    pictures = photos(ws / "photos", 8, 4000, 3000)
    issue, md = write_issue(ws, 2024, 1, 12, pictures)
    out = tmp / "out-photo"
    cold_docx = median(build_command(ws, out, issue, "-f", "docx"), runs, before=lambda: clear_cache(ws))
    cold = median(build_command(ws, out, issue), runs, before=lambda: clear_cache(ws))
    warm = median(build_command(ws, out, issue), runs)
    docx = next(out.rglob("*.docx"))
    pandoc_docx = tmp / "pandoc-photo.docx"
    theirs = median(pandoc_command(md, pandoc_docx, ws / "items" / "2024-01"), runs)
    source = sum(p.stat().st_size for p in pictures) / 1e6
    return [
        (f"图片期（12 篇、8 张 12 MP 照片，共 {source:.0f} MB）→ DOCX，冷启动、无缓存", f"{cold_docx:.2f} s",
         f"{theirs:.2f} s", f"{cold_docx / theirs:.1f}×"),
        ("同上 → DOCX + HTML，无缓存", f"{cold:.2f} s", "—", ""),
        ("同上 → DOCX + HTML，再次生成（用缓存）", f"{warm:.2f} s", "—", ""),
        ("图片期 DOCX 大小", mb(docx), mb(pandoc_docx), ""),
    ]


def archive(tmp: Path, runs: int, count: int = 100) -> list[tuple[str, str, str, str]]:
    ws = new_workspace(tmp / "archive")
    markdown = [write_issue(ws, 2000 + n // 12, n % 12 + 1, 6, offset=n)[1] for n in range(count)]
    ours = median(build_command(ws, tmp / "out-archive", "--all", "-f", "docx"), runs)

    def pandoc_all() -> float:
        start = time.perf_counter()
        for md in markdown:
            run(pandoc_command(md, md.with_suffix(".docx"), ws / "items"))
        return time.perf_counter() - start

    theirs = statistics.median(pandoc_all() for _ in range(runs))
    return [(f"归档 {count} 期文字期 → DOCX：`build --all` 一次 / pandoc {count} 次", f"{ours:.2f} s",
             f"{theirs:.2f} s", f"{ours / theirs:.2f}×")]


def memory(tmp: Path, count: int) -> list[tuple[str, str, str, str]]:
    ws = new_workspace(tmp / "memory")
    pictures = photos(ws / "photos", count, 6000, 4000, seed=100)
    issue, _ = write_issue(ws, 2024, 1, count, pictures)
    seconds, rss = peak_rss(build_args(ws, tmp / "out-memory", issue))
    docx = next((tmp / "out-memory").rglob("*.docx"))
    return [(f"{count} 张 24 MP 照片一期 → DOCX + HTML：峰值内存（RSS）", f"{rss:.0f} MB", "—",
             f"{seconds:.1f} s，DOCX {mb(docx)}")]


def pages(docx: Path, tmp: Path) -> str:
    """Printed pages of a DOCX, through LibreOffice (a private profile: others may run it too)."""
    soffice = shutil.which("soffice")
    if not soffice:
        return "—（未安装 LibreOffice）"
    out = tmp / f"pdf-{docx.stem}"
    # The Chinese font names mapped to free faces, as the README sets Linux up (and the tests do).
    fonts = tmp / "fonts.conf"
    fonts.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
                     '<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                     f'<include>{ROOT / "templates" / "fonts.conf"}</include></fontconfig>\n', encoding="utf-8")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp / 'lo-profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(docx)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600,
                   env=dict(os.environ, FONTCONFIG_FILE=str(fonts)))
    data = next(out.glob("*.pdf")).read_bytes()
    count = len(re.findall(rb"/Type\s*/Page[^s]", data))
    return f"{count} 页"


def tables(tmp: Path, runs: int) -> list[tuple[str, str, str, str]]:
    """The attachment tables of a real 公文: 28 rows × 5 columns of ~400-character cells, and 11 columns."""
    sys.path.insert(0, str(ROOT / "tests"))
    from tablesample import attachment_item, division_rows, indicator_rows

    rows = []
    for size in ("四号", "小四"):
        ws = new_workspace(tmp / f"tables-{size}")
        series = ws / "series" / f"{SERIES}.yaml"
        series.write_text(series.read_text(encoding="utf-8") + f"table_font_size: {size}\n", encoding="utf-8")
        (ws / "items" / "t").mkdir(parents=True)
        attachment_item(ws / "items" / "t", column=COLUMNS[0], date="2024-01-01")
        manifest = ws / "issues" / SERIES / "2024-01.yaml"
        manifest.parent.mkdir(parents=True)
        manifest.write_text(f"series: {SERIES}\nnumber: 1\ndate: 2024-01-01\nitems: [t/attachment.md]\n",
                            encoding="utf-8")
        out = tmp / f"out-tables-{size}"
        seconds = median(build_command(ws, out, f"{SERIES}/2024-01", "-f", "docx"), runs)
        rows.append((f"附件表格（28 行×5 列、每格约 400 字，另一表 11 列），{size}表格 → DOCX，冷启动",
                     f"{seconds:.2f} s", "", f"{pages(next(out.rglob('*.docx')), tmp)}"))
    # pandoc, given the same two tables as pipe tables.
    md = tmp / "pandoc-tables.md"
    md.write_text("\n\n".join(_pipe_table(t) for t in (division_rows(), indicator_rows())), encoding="utf-8")
    docx = tmp / "pandoc-tables.docx"
    theirs = median(pandoc_command(md, docx, tmp), runs)
    rows.append(("同上，pandoc（管道表格）→ DOCX", "—", f"{theirs:.2f} s", pages(docx, tmp)))
    return rows


def _pipe_table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, 10 photos for the memory test")
    parser.add_argument("--only", choices=("tables",), help="run one benchmark only")
    args = parser.parse_args()
    runs, heavy = (2, 1) if args.quick else (5, 3)
    rows = []
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as folder:
        tmp = Path(folder)
        steps = [lambda: text_issue(tmp, runs), lambda: photo_issue(tmp, heavy),
                 lambda: archive(tmp, 1), lambda: memory(tmp, 10 if args.quick else 50),
                 lambda: tables(tmp, heavy)]
        if args.only == "tables":
            steps = steps[-1:]
        for step in steps:
            rows += step()
            print(f"… {rows[-1][0]}", file=sys.stderr)
    print(f"{os.cpu_count()} 核，Python {sys.version.split()[0]}，pandoc {pypandoc.get_pandoc_version()}，"
          f"briefing 取 {runs} 次（图片期 {heavy} 次）冷启动的中位数\n")
    print("| 测试 | briefing | pandoc | 比 |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
