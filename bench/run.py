"""Benchmark: `briefing` at archive scale, against pandoc on the same Markdown.

    pip install -e ".[bench]" && python bench/run.py

Makes its own inputs in a temporary folder (the ten-year archive of
bench/archive.py: 240 issues x 8 items made from the sample items; the sample
workspace; photos generated at camera size), times cold processes (a fresh
`briefing` or `pandoc` each run, medians of several runs, with the CPU time
they used beside the wall time: on a busy machine the CPU time is the steadier
figure) and prints a Markdown table with each goal of issue 14 met or not.
`--quick` runs each command fewer times, for trying the script out.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypandoc
import yaml
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from archive import make_archive, write_documents  # noqa: E402  (bench/archive.py, beside this script)

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "content"
BRIEFING = [sys.executable, "-m", "briefings"]
SERIES = "luxian"
COLUMNS = ("要闻", "部门动态", "各镇亮点")
IMAGE_LINE = re.compile(r"^!\[.*\]\(.*\)\s*$", re.M)
GPS_IFD = 0x8825
# As a user's machine runs it: the package's bytecode written once (pip compiles a wheel's
# modules when it installs them), not compiled again at every start.
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
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


@dataclass
class Timing:
    wall: float  # seconds, median
    cpu: float  # user + system seconds of the process and its workers, median

    def __str__(self) -> str:
        return f"{self.wall:.2f} s（CPU {self.cpu:.2f} s）"


def run(command: list[str], cwd: Path | None = None) -> Timing:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Timing(wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def medians_side_by_side(ours: list[str], theirs: list[str], runs: int) -> tuple[Timing, Timing]:
    """Both commands' medians, their runs alternating: a ratio of runs made minutes apart
    would measure the machine's mood (a busy spell slows one side only) as much as the programs."""
    timings: tuple[list[Timing], list[Timing]] = ([], [])
    for _ in range(runs):
        for command, times in zip((ours, theirs), timings):
            times.append(run(command))
    return tuple(Timing(statistics.median(t.wall for t in times), statistics.median(t.cpu for t in times))
                 for times in timings)


def median(command: list[str], runs: int, before=None, cwd: Path | None = None) -> Timing:
    times = []
    for _ in range(runs):
        if before:
            before()
        times.append(run(command, cwd))
    return Timing(statistics.median(t.wall for t in times), statistics.median(t.cpu for t in times))


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
    result = subprocess.run([sys.executable, "-c", PEAK, *args], capture_output=True, text=True, env=ENV)
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

Row = tuple[str, str, str, str, "bool | None"]  # what, briefing, pandoc, goal, met


def pandoc_markdown(ws: Path, manifest: Path, md: Path) -> Path:
    """The issue's items as one Markdown file for pandoc: titles as headings, the same bodies."""
    parts = []
    for name in yaml.safe_load(manifest.read_text(encoding="utf-8"))["items"]:
        _, front, body = (ws / "items" / name).read_text(encoding="utf-8").split("---", 2)
        data = yaml.safe_load(front)
        parts.append(f"## {data.get('title') or data['column']}\n\n{body.strip()}\n\n（{data.get('source', '')}）\n")
    md.parent.mkdir(parents=True, exist_ok=True)
    md.write_text("\n".join(parts), encoding="utf-8")
    return md


def pandoc_many(mds: list[tuple[Path, Path]]) -> Timing:
    """pandoc once per issue, one after the other."""
    total = Timing(0.0, 0.0)
    for md, resources in mds:
        one = run(pandoc_command(md, md.with_suffix(".docx"), resources))
        total = Timing(total.wall + one.wall, total.cpu + one.cpu)
    return total


def ratio(ours: Timing, theirs: Timing) -> str:
    return f"{ours.wall / theirs.wall:.2f}×（CPU {ours.cpu / theirs.cpu:.2f}×）"


def ten_year_archive(tmp: Path, runs: int, heavy: int) -> list[Row]:
    ws = tmp / "archive"
    ids = make_archive(ws)
    issues = len(ids)
    items = len(list((ws / "items").rglob("*.md")))
    rows: list[Row] = []

    out_docx = tmp / "out-archive-docx"

    def nothing_built() -> None:
        clear_cache(ws)
        shutil.rmtree(out_docx, ignore_errors=True)

    cold = median(build_command(ws, out_docx, "--all", "-f", "docx"), heavy, before=nothing_built)
    mds = [(pandoc_markdown(ws, m, tmp / "pandoc-archive" / f"{m.stem}.md"), ws / "items")
           for m in sorted((ws / "issues").rglob("*.yaml"))]
    theirs = statistics.median(pandoc_many(mds).wall for _ in range(heavy))
    theirs_cpu = pandoc_many(mds).cpu
    nothing_built()
    seconds, rss = peak_rss(build_args(ws, out_docx, "--all", "-f", "docx", "-j", "1"))
    rows.append((f"十年归档（{issues} 期、{items} 篇）`build --all -f docx` 冷启动 / pandoc {issues} 次",
                 str(cold), f"{theirs:.2f} s（CPU {theirs_cpu:.2f} s）", "≤ pandoc 的一半",
                 cold.wall <= theirs / 2))
    rows.append(("同上，单进程（-j 1）的峰值内存（RSS）", f"{rss:.0f} MB", "—", f"{seconds:.1f} s", None))
    rows.append(bigger_archive_memory(tmp, issues, rss))

    out = tmp / "out-archive"
    run(build_command(ws, out, "--all"))  # DOCX, HTML and the index: what an office keeps
    same = median(build_command(ws, out, "--all"), runs)
    rows.append(("同上 `build --all`（DOCX + HTML + 索引），没有改动", str(same), "—", "≤ 1.0 s",
                 same.wall <= 1.0))

    edits = iter(range(1000))
    item = ws / "items" / "2020-05" / "03.md"

    def edit_item() -> None:
        item.write_text(item.read_text(encoding="utf-8") + f"\n基准测试补充第{next(edits)}句。\n", encoding="utf-8")

    changed = median(build_command(ws, out, "--all"), runs, before=edit_item)
    page = next((out / "luxian").glob("*2020年第5期.html")).read_text(encoding="utf-8")
    shown = f"基准测试补充第{runs - 1}句" in page
    rows.append(("同上，改动一篇稿件的正文后", str(changed), "—", "≤ 1.5 s，且改动出现在输出中",
                 changed.wall <= 1.5 and shown))

    checked = median([*BRIEFING, "-w", str(ws), "check"], runs)
    rows.append(("同上 `check`，没有改动", str(checked), "—", "≤ 1.0 s", checked.wall <= 1.0))

    one_id = ids[len(ids) // 2]
    md = pandoc_markdown(ws, ws / "issues" / f"{one_id}.yaml", tmp / "pandoc-one.md")
    one, theirs_one = medians_side_by_side(build_command(ws, tmp / "out-one", one_id, "-f", "docx", "--force"),
                                           pandoc_command(md, tmp / "pandoc-one.docx", ws / "items"), runs)
    rows.append((f"在该归档中生成一期（`build {one_id} -f docx --force`）/ pandoc 同样文字",
                 f"{one}，{ratio(one, theirs_one)}", str(theirs_one), "≤ 3 × pandoc",
                 one.wall <= 3 * theirs_one.wall))
    rows.append(serve_reload(ws, runs))
    return rows


def documents(tmp: Path, runs: int, count: int = 200) -> list[Row]:
    """The samples with `count` 公文 (an office's year or so): nothing changed, nothing is parsed or made."""
    ws = tmp / "gongwen"
    shutil.copytree(SAMPLES, ws, ignore=shutil.ignore_patterns("dist", ".briefing-cache", ".new-issue.lock"))
    write_documents(ws, count)
    out = tmp / "out-gongwen"
    run(build_command(ws, out))
    checked = median([*BRIEFING, "-w", str(ws), "check"], runs)
    built = median(build_command(ws, out), runs)
    return [(f"示例工作区加 {count} 份公文，`check`，没有改动", str(checked), "—", "≤ 1.0 s", checked.wall <= 1.0),
            ("同上 `build`（DOCX + HTML + 索引），没有改动", str(built), "—", "≤ 1.0 s", built.wall <= 1.0)]


def archive_peak(tmp: Path, years: int) -> tuple[int, float, float]:
    """Issues, seconds and peak RSS (MB) of a cold `build --all -f docx -j 1` of a `years`-year archive."""
    ws, out = tmp / f"archive-{years}y", tmp / f"out-archive-{years}y"
    issues = len(make_archive(ws, years))
    seconds, rss = peak_rss(build_args(ws, out, "--all", "-f", "docx", "-j", "1"))
    shutil.rmtree(ws)
    shutil.rmtree(out)
    return issues, seconds, rss


def bigger_archive_memory(tmp: Path, issues: int, rss: float, years: int = 40) -> Row:
    """Files go to disk as they are made, and each DOCX is freed at once: the peak must not grow with the archive."""
    more, seconds, more_rss = archive_peak(tmp, years)
    return (f"同上，{years} 年归档（{more} 期）单进程的峰值内存（RSS）", f"{more_rss:.0f} MB", "—",
            f"≤ {issues} 期时的 1.5 倍（{rss:.0f} MB）；{seconds:.1f} s", more_rss <= 1.5 * rss)


def archive_memory(tmp: Path) -> list[Row]:
    """Only the peak memory rows of the archive (`--only memory`)."""
    issues, seconds, rss = archive_peak(tmp, 10)
    return [(f"十年归档（{issues} 期）`build --all -f docx -j 1` 冷启动的峰值内存（RSS）", f"{rss:.0f} MB", "—",
             f"{seconds:.1f} s", None), bigger_archive_memory(tmp, issues, rss)]


def sample_issue(tmp: Path, runs: int) -> list[Row]:
    ws = tmp / "sample"
    shutil.copytree(SAMPLES, ws, ignore=shutil.ignore_patterns("dist", ".briefing-cache", ".new-issue.lock"))
    issue = "luxian/2017-09"
    md = pandoc_markdown(ws, ws / "issues" / f"{issue}.yaml", tmp / "pandoc-sample.md")
    ours, theirs = medians_side_by_side(build_command(ws, tmp / "out-sample", issue, "-f", "docx", "--force"),
                                        pandoc_command(md, tmp / "pandoc-sample.docx", ws / "items" / issue), runs)
    return [(f"示例工作区的一期（`build {issue} -f docx --force`，13 篇、1 张图）/ pandoc 同样文字",
             f"{ours}，{ratio(ours, theirs)}", str(theirs), "≤ 3 × pandoc", ours.wall <= 3 * theirs.wall)]


def photo_issue(tmp: Path, runs: int) -> list[Row]:
    ws = new_workspace(tmp / "photo")
    pictures = photos(ws / "photos", 8, 4000, 3000)
    issue, md = write_issue(ws, 2024, 1, 12, pictures)
    out = tmp / "out-photo"

    def nothing_built() -> None:
        clear_cache(ws)
        shutil.rmtree(out, ignore_errors=True)

    cold = median(build_command(ws, out, issue), runs, before=nothing_built)
    again = median(build_command(ws, out, issue), runs)
    item = next((ws / "items").rglob("02.md"))
    edits = iter(range(1000))

    def edit_text() -> None:
        item.write_text(item.read_text(encoding="utf-8") + f"\n补充第{next(edits)}句。\n", encoding="utf-8")

    text_edit = median(build_command(ws, out, issue), runs, before=edit_text)
    docx = next(out.rglob("*.docx"))
    pandoc_docx = tmp / "pandoc-photo.docx"
    run(pandoc_command(md, pandoc_docx, ws / "items" / "2024-01"))
    source = sum(p.stat().st_size for p in pictures) / 1e6
    size, theirs = docx.stat().st_size, pandoc_docx.stat().st_size
    return [
        (f"图片期（12 篇、8 张 12 MP 照片，共 {source:.0f} MB）→ DOCX + HTML，无缓存", str(cold), "—", "≤ 2.0 s",
         cold.wall <= 2.0),
        ("同上，再次生成（没有改动）", str(again), "—", "≤ 0.5 s", again.wall <= 0.5),
        ("同上，改动一篇文字后再次生成（照片取自缓存，不解码、不重算摘要）", str(text_edit), "—", "≤ 0.5 s",
         text_edit.wall <= 0.5),
        ("图片期 DOCX 大小", mb(docx), mb(pandoc_docx), "≤ pandoc 的十分之一", size <= theirs / 10),
    ]


def serve_reload(ws: Path, runs: int) -> Row:
    """`serve` on the archive: from saving an item to the page being told to reload."""
    process = subprocess.Popen([*BRIEFING, "-w", str(ws), "serve", "--port", "0"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=ENV)
    try:
        url = None
        while url is None:
            line = process.stdout.readline()
            if not line:
                raise SystemExit("briefing serve did not start")
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            url = found.group(0) if found else None
        threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()  # drain its log
        endpoint = url + "__briefing/version"
        item = ws / "items" / "2019-07" / "05.md"
        times = []
        for n in range(runs):
            with urllib.request.urlopen(endpoint) as response:
                version = json.load(response)["version"]
            time.sleep(0.5)  # as a clerk would, between saves
            answered = {}

            def wait() -> None:
                with urllib.request.urlopen(f"{endpoint}?since={version}", timeout=60) as response:
                    answered.update(json.load(response), at=time.perf_counter())

            waiting = threading.Thread(target=wait)
            waiting.start()
            time.sleep(0.2)
            start = time.perf_counter()
            item.write_text(item.read_text(encoding="utf-8") + f"\n预览补充第{n}句。\n", encoding="utf-8")
            waiting.join(60)
            times.append(answered["at"] - start)
        seconds = statistics.median(times)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return ("同上 `serve`：保存一篇稿件 → 页面收到刷新通知", f"{seconds:.2f} s", "—", "≤ 1 s", seconds <= 1.0)


def memory(tmp: Path, count: int) -> list[Row]:
    ws = new_workspace(tmp / "memory")
    pictures = photos(ws / "photos", count, 6000, 4000, seed=100)
    issue, _ = write_issue(ws, 2024, 1, count, pictures)
    seconds, rss = peak_rss(build_args(ws, tmp / "out-memory", issue))
    docx = next((tmp / "out-memory").rglob("*.docx"))
    return [(f"{count} 张 24 MP 照片一期 → DOCX + HTML：峰值内存（RSS）", f"{rss:.0f} MB", "—",
             f"{seconds:.1f} s，DOCX {mb(docx)}", None)]


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


def tables(tmp: Path, runs: int) -> list[Row]:
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
        ours = median(build_command(ws, out, f"{SERIES}/2024-01", "-f", "docx"), runs)
        rows.append((f"附件表格（28 行×5 列、每格约 400 字，另一表 11 列），{size}表格 → DOCX，冷启动",
                     f"{ours}，{pages(next(out.rglob('*.docx')), tmp)}", "—", "—", None))
    # pandoc, given the same two tables as pipe tables.
    md = tmp / "pandoc-tables.md"
    md.write_text("\n\n".join(_pipe_table(t) for t in (division_rows(), indicator_rows())), encoding="utf-8")
    docx = tmp / "pandoc-tables.docx"
    theirs = median(pandoc_command(md, docx, tmp), runs)
    rows.append(("同上，pandoc（管道表格）→ DOCX", "—", f"{theirs}，{pages(docx, tmp)}", "—", None))
    return rows


def _pipe_table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, 10 photos for the memory test")
    parser.add_argument("--only", choices=("tables", "gongwen", "memory", "photos"), help="run one benchmark only")
    args = parser.parse_args()
    runs, heavy = (3, 1) if args.quick else (5, 3)
    compileall.compile_dir(ROOT / "briefings", quiet=1)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as folder:
        tmp = Path(folder)
        steps = [lambda: sample_issue(tmp, runs), lambda: ten_year_archive(tmp, runs, heavy),
                 lambda: photo_issue(tmp, heavy), lambda: memory(tmp, 10 if args.quick else 50),
                 lambda: tables(tmp, heavy), lambda: documents(tmp, runs)]
        if args.only:
            steps = [{"tables": steps[-2], "gongwen": steps[-1], "memory": lambda: archive_memory(tmp),
                      "photos": steps[2]}[args.only]]
        for step in steps:
            rows += step()
            print(f"… {rows[-1][0]}", file=sys.stderr)
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} 核（测量时平均负载 {load:.1f}），Python {sys.version.split()[0]}，"
          f"pandoc {pypandoc.get_pandoc_version()}；每项取 {runs} 次（冷启动、图片期 {heavy} 次）"
          f"新进程的中位数{'（--quick）' if args.quick else ''}\n")
    print("| 测试 | briefing | pandoc | 目标 | 达到 |")
    print("|---|---|---|---|---|")
    for what, ours, theirs, goal, met in rows:
        mark = "—" if met is None else ("是" if met else "**否**")
        print(f"| {what} | {ours} | {theirs} | {goal} | {mark} |")


if __name__ == "__main__":
    main()
