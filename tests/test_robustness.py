"""Nothing built is lost or half-written, whatever happens to the build process;
output does not depend on the machine's time zone; concurrent `new issue`
calls get distinct numbers."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import yaml

from conftest import ROOT, SAMPLES

ITEM = "items/suining/2023-07/02-suizhoubei-dasai.md"


def briefing(*args: str, env: dict | None = None, **kwargs) -> list[str]:
    return [sys.executable, "-m", "briefings", *args]


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(briefing(*args), capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.endswith(".tmp")}


def test_killed_builds_leave_each_output_old_or_new(workspace, tmp_path):
    out = tmp_path / "out"
    started = time.monotonic()
    assert run("-w", str(workspace), "build", "--out", str(out)).returncode == 0
    full_build = time.monotonic() - started
    old = snapshot(out)

    item = workspace / ITEM
    item.write_text(item.read_text(encoding="utf-8").replace("title: ", "title: 修改后："), encoding="utf-8")
    assert run("-w", str(workspace), "build", "--out", str(tmp_path / "new")).returncode == 0
    new = snapshot(tmp_path / "new")
    changed = [name for name in old if old[name] != new[name]]
    assert len(changed) >= 3  # the 遂宁 DOCX and HTML, and the index

    rng = random.Random(20231117)
    seen_new = 0
    for attempt in range(16):
        process = subprocess.Popen(briefing("-w", str(workspace), "build", "--out", str(out)),
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
        if attempt % 2:
            # Any moment of the run…
            time.sleep(rng.uniform(0, full_build))
        else:
            # …or, more to the point, while the files are being written.
            process.stdout.readline()
            time.sleep(rng.uniform(0, 0.02))
        process.kill()
        process.wait()
        process.stdout.close()
        on_disk = snapshot(out)
        assert set(on_disk) == set(old)
        for name, data in on_disk.items():
            assert data in (old[name], new[name]), f"{name} is neither the old nor the new build"
        seen_new += sum(on_disk[name] == new[name] for name in changed)
    assert seen_new, "no kill landed after a file was replaced; the test did not test anything"

    assert run("-w", str(workspace), "build", "--out", str(out)).returncode == 0
    assert snapshot(out) == new


def test_building_one_issue_touches_no_other_output(workspace, tmp_path):
    out = tmp_path / "out"
    assert run("-w", str(workspace), "build", "--out", str(out)).returncode == 0
    before = {p: p.stat() for p in out.rglob("*") if p.is_file()}
    item = workspace / ITEM
    item.write_text(item.read_text(encoding="utf-8").replace("title: ", "title: 修改后："), encoding="utf-8")

    assert run("-w", str(workspace), "build", "suining/2023-07", "--out", str(out)).returncode == 0
    for path, stat in before.items():
        now = path.stat()
        if path.parent.name == "suining":
            assert now.st_ino != stat.st_ino  # replaced by rename
        else:
            assert (now.st_ino, now.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns), path


def test_same_bytes_in_any_time_zone(tmp_path):
    builds = []
    for zone in ("UTC", "Asia/Shanghai", "America/Los_Angeles"):
        out = tmp_path / zone.replace("/", "-")
        env = dict(os.environ, TZ=zone, LC_ALL="C.UTF-8")
        result = run("-w", str(SAMPLES), "build", "--out", str(out), env=env)
        assert result.returncode == 0, result.stderr
        builds.append(snapshot(out))
    assert len(builds[0]) >= 5
    assert builds[0] == builds[1] == builds[2]


def test_concurrent_new_issue_calls_get_consecutive_numbers(workspace):
    editors = 6
    processes = [subprocess.Popen(briefing("-w", str(workspace), "new", "issue", "-s", "suining",
                                           "-d", "2023-08-01"),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
                 for _ in range(editors)]
    results = [(p.wait(timeout=120), *p.communicate()) for p in processes]
    assert all(code == 0 for code, _, _ in results), results

    manifests = [yaml.safe_load(p.read_text(encoding="utf-8"))
                 for p in (workspace / "issues/suining").glob("*.yaml") if p.name != "2023-07.yaml"]
    assert sorted(m["number"] for m in manifests) == list(range(8, 8 + editors))
    assert sorted(m["total"] for m in manifests) == list(range(46, 46 + editors))


def test_concurrent_new_item_calls_never_overwrite(workspace):
    # Five clerks file an item with the same title at once: five files, named after the title.
    sources = [f"单位{n}" for n in range(5)]
    processes = [subprocess.Popen(briefing("-w", str(workspace), "new", "item", "-s", "suining", "-c", "要闻",
                                           "-t", "同时新建的稿件", "--source", source, "-d", "2023-07-20"), cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                 for source in sources]
    assert all(p.wait(timeout=120) == 0 for p in processes)
    written = sorted((workspace / "items/suining/2023-07").glob("同时新建的稿件*.md"))
    assert sorted(p.name for p in written) == ["同时新建的稿件-2.md", "同时新建的稿件-3.md", "同时新建的稿件-4.md",
                                               "同时新建的稿件-5.md", "同时新建的稿件.md"]
    fronts = [yaml.safe_load(p.read_text(encoding="utf-8").split("---")[1]) for p in written]
    assert sorted(f["source"] for f in fronts) == sources and {f["title"] for f in fronts} == {"同时新建的稿件"}
