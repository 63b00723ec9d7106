"""Nothing built is lost or half-written, whatever happens to the build process;
output does not depend on the machine's time zone; concurrent `new issue`
calls get distinct numbers."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from briefings.build import build as build_api
from conftest import ROOT, copy_samples

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


# Runs the CLI with an audit hook that logs, for the output folder, every open for
# writing and every rename: what the build does to the files, not what a kill happens to catch.
WRITE_LOG = r"""
import os, sys
out, log = os.path.realpath(sys.argv[1]), open(sys.argv[2], "w", encoding="utf-8")
WRITING = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
def inside(path):
    return isinstance(path, (str, bytes, os.PathLike)) and os.path.realpath(os.fsdecode(path)).startswith(out + os.sep)
def hook(event, args):
    if event == "open" and inside(args[0]) and ((args[1] and set(args[1]) & set("wax+")) or args[2] & WRITING):
        log.write("write\t" + os.path.realpath(os.fsdecode(args[0])) + "\n")
    elif event == "os.rename" and inside(args[1]):
        log.write("rename\t" + os.path.realpath(os.fsdecode(args[0])) + "\t" + os.path.realpath(os.fsdecode(args[1])) + "\n")
    log.flush()
sys.addaudithook(hook)
from briefings.cli import main
main(sys.argv[3:])
"""


def logged_build(workspace: Path, out: Path, log: Path, *args: str) -> list[tuple[str, ...]]:
    command = [sys.executable, "-c", WRITE_LOG, str(out), str(log), "-w", str(workspace), "build", "--out", str(out), *args]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    return [tuple(line.split("\t")) for line in log.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("args", [(), ("--site",)], ids=["issues", "site"])
def test_outputs_are_never_opened_for_writing_only_renamed_into_place(workspace, tmp_path, args):
    """README: a build that fails or is killed leaves each file old or new, never half-written."""
    out = (tmp_path / "out").resolve()
    # Into an empty folder, then over the files of the first run (forced: an unchanged file
    # is otherwise not made again at all).
    for run_number in range(2):
        events = logged_build(workspace, out, tmp_path / f"log{run_number}", *args, *(("--force",) if run_number else ()))
        outputs = {str(p) for p in out.rglob("*") if p.is_file()}
        assert len(outputs) >= 5 and not any(name.endswith(".tmp") for name in outputs)
        written = [e[1] for e in events if e[0] == "write"]
        renamed = {e[2]: e[1] for e in events if e[0] == "rename"}
        assert not outputs & set(written), "an output was opened for writing in place"
        assert set(renamed) == outputs
        for target, source in renamed.items():
            assert source in written and Path(source).parent == Path(target).parent, (source, target)


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
        root = copy_samples(tmp_path / f"ws-{len(builds)}")  # cold cache each time
        result = run("-w", str(root), "build", "--out", str(out), env=env)
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


def test_each_issue_goes_to_disk_as_made_and_replaces_nothing_until_all_are_made(workspace, tmp_path):
    """No file waits in memory for the others: when the first issue is done its files are
    temporary files beside their targets, and no target has been replaced yet."""
    out = tmp_path / "out"
    build_api(workspace, out)
    before = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    seen = []

    def rendered(done, total, issue_id):
        seen.append((done, sorted(p.relative_to(out).as_posix() for p in out.rglob("*.tmp")),
                     {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*")
                      if p.is_file() and p.suffix != ".tmp"}))

    build_api(workspace, out, force=True, rendered=rendered)
    done, temps, on_disk = seen[0]
    assert done == 1
    # luxian/2017-09 comes first: its DOCX and HTML, staged in its folder.
    assert [re.sub(r"\.[a-z0-9_]{8}\.tmp$", ".tmp", name) for name in temps] == [
        "luxian/.泸县双创简报2017年第9期.docx.tmp", "luxian/.泸县双创简报2017年第9期.html.tmp"]
    assert on_disk == before
    assert [done for done, _, _ in seen] == [1, 2]
    assert not list(out.rglob("*.tmp"))


def test_a_failure_after_some_issues_were_staged_leaves_the_old_files_and_no_temporary_file(
        workspace, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build_api(workspace, out)
    old = snapshot(out)
    from briefings.writers import docx

    real = docx.render_docx

    def second_fails(issue, pictures=None):
        if issue.id == "suining/2023-07":
            raise OSError(28, "No space left on device")
        return real(issue, pictures)

    monkeypatch.setattr(docx, "render_docx", second_fails)
    with pytest.raises(OSError):
        build_api(workspace, out, force=True)
    assert snapshot(out) == old
    assert [p.name for p in out.rglob("*") if p.name.endswith(".tmp")] == []

    # Into a new folder: the folders made for the staged files go too.
    with pytest.raises(OSError):
        build_api(workspace, tmp_path / "new" / "out")
    assert not (tmp_path / "new").exists()


def test_temporary_files_a_killed_build_left_go_at_the_next_build_even_with_nothing_to_make(workspace, tmp_path):
    out = tmp_path / "out"
    build_api(workspace, out)
    left = [out / "luxian" / ".泸县双创简报2017年第9期.docx.ab12cd_9.tmp", out / ".index.html.k2j3h4g5.tmp"]
    for path in left:
        path.write_bytes(b"half")
    assert build_api(workspace, out) == []  # nothing to make
    assert [p for p in left if p.exists()] == []
