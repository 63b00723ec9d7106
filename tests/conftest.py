"""Shared fixtures: the sample workspace, built once, and tool checks.

Tests that need LibreOffice, Chromium or the CJK fonts skip with a reason on a
developer's machine without them, and fail under CI (any CI value but 0/false),
where .ci/run installs them.

Every build happens in a private temporary copy: content/ is read, never
written (a session check fails the run if it changes).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "content"  # read only: build from copy_samples() / the workspace fixture


def in_ci(value: str | None) -> bool:
    """CI services set CI=true, CI=1, CI=yes…; only unset, empty, 0 and false mean a developer's machine."""
    return (value or "").strip().lower() not in ("", "0", "false")


IN_CI = in_ci(os.environ.get("CI"))

# CI: the same examples every run, so a failure is reproducible, and the
# failing example's blob is printed to replay it with @reproduce_failure.
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None, database=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if IN_CI else "dev")

# The fonts the rendered tests measure (tests/fonts.conf maps the Word fonts onto them)
# and the browser tests expect Chromium to fall back to.
CJK_FONTS = ("Noto Serif CJK SC", "Noto Serif CJK TC", "Noto Sans CJK SC", "AR PL UKai CN")


def shared_scope(fixture_name: str, config) -> str:
    """Builds shared by many tests: once per session, but once per test under mutmut, which
    links a mutant to the tests during which the mutated code ran (only the first user of a
    shared fixture would be run against it)."""
    return "function" if "MUTANT_UNDER_TEST" in os.environ else "session"


def copy_samples(dest: Path) -> Path:
    """A private copy of the sample workspace, without anything built in it."""
    shutil.copytree(SAMPLES, dest, ignore=shutil.ignore_patterns("dist", ".briefing-cache", ".new-issue.lock"))
    return dest


@pytest.fixture
def workspace(tmp_path) -> Path:
    """A private copy of the sample workspace, to break or edit."""
    return copy_samples(tmp_path / "ws")


@pytest.fixture
def preview(tmp_path):
    """`briefing serve` on a free port over a copy of the sample workspace."""
    workspace = tmp_path / "ws"
    copy_samples(workspace)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "briefings", "-w", str(workspace), "serve", "--port", "0"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            url = found.group(0) if found else None
        assert url, "briefing serve did not start"
        yield workspace, url
    finally:
        process.terminate()
        process.wait(timeout=10)


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} 未安装（Debian：apt-get install {'libreoffice-writer-nogui' if name == 'soffice' else name}）"
    if IN_CI:
        pytest.fail(f"CI 必须安装 {name}: {message}")
    pytest.skip(message)


def installed_font_families() -> set[str]:
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return set()
    listing = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, check=False).stdout
    return {name.strip() for line in listing.splitlines() for name in line.split(",")}


def require_fonts(*families: str) -> None:
    """Rendered sizes and positions only mean something in the fonts the tests assume."""
    missing = [f for f in families if f not in installed_font_families()]
    if not missing:
        return
    message = f"缺少字体 {'、'.join(missing)}（Debian：apt-get install fonts-noto-cjk fonts-arphic-ukai）"
    if IN_CI:
        pytest.fail(f"CI 必须安装字体: {message}")
    pytest.skip(message)


@pytest.fixture(scope="session", autouse=True)
def checkout_is_never_written():
    """No test may write into the checkout's sample workspace (cache, edits) or its dist/."""
    def snapshot():
        return {str(p.relative_to(ROOT)): (p.stat().st_size, p.stat().st_mtime_ns)
                for folder in (SAMPLES, ROOT / "dist") for p in folder.rglob("*")}
    before = snapshot()
    yield
    after = snapshot()
    changed = sorted(set(before.items()) ^ set(after.items()))
    assert not changed, f"tests wrote into the checkout: {changed[:5]}"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, one for the whole run: Playwright's sync API allows one at a time."""
    executable = require_tool("chromium")
    require_fonts(*CJK_FONTS)
    from playwright.sync_api import sync_playwright

    from browser import launch

    with sync_playwright() as playwright:
        chromium = launch(playwright, executable)
        yield chromium
        chromium.close()


@pytest.fixture(scope=shared_scope)
def sample_build(tmp_path_factory) -> dict[str, Path]:
    """The sample workspace built once: {"luxian": docx, "suining": docx, ...}."""
    from briefings.build import build

    root = copy_samples(tmp_path_factory.mktemp("samples") / "ws")
    out = tmp_path_factory.mktemp("dist")
    written = build(root, out)
    result = {"out": out}
    for path in written:
        if path.suffix == ".docx":
            result[path.parent.name] = path
        elif path.suffix == ".html" and path.name != "index.html":
            result[path.parent.name + "_html"] = path
    return result


@pytest.fixture(scope=shared_scope)
def sample_site(tmp_path_factory) -> Path:
    """The sample workspace's archive website (`build --site`), built once."""
    from briefings.build import build

    root = copy_samples(tmp_path_factory.mktemp("samples") / "ws")
    out = tmp_path_factory.mktemp("site")
    build(root, out, site=True)
    return out / "site"


FONT_ALIASES = ROOT / "templates" / "fonts.conf"


def fontconfig_file(out_dir: Path) -> Path:
    """The system's fontconfig setup plus the aliases the README tells Linux users to install."""
    path = out_dir / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<include>{FONT_ALIASES}</include></fontconfig>\n", encoding="utf-8")
    return path


# LibreOffice leaves out the blank pages it inserts for a section that starts on an
# even page unless asked; Word prints them, so layout tests of those pages ask.
KEEP_BLANK_PAGES = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'


def docx_to_pdf(docx: Path, out_dir: Path, aliases: bool = True, blank_pages: bool = False) -> Path:
    """Convert with LibreOffice; with `aliases`, the Chinese font names map to free faces
    as on a Linux machine set up as the README says, else as on a bare one; with
    `blank_pages`, the blank pages LibreOffice inserts before an even-page section are kept."""
    soffice = require_tool("soffice")
    require_fonts(*CJK_FONTS)
    env = dict(os.environ)
    if aliases:
        env["FONTCONFIG_FILE"] = str(fontconfig_file(out_dir))
    else:
        env.pop("FONTCONFIG_FILE", None)
    profile = out_dir / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         KEEP_BLANK_PAGES if blank_pages else "pdf",
         "--outdir", str(out_dir), str(docx)],
        check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300,
    )
    pdf = out_dir / (docx.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice did not convert {docx}"
    return pdf


@pytest.fixture(scope="session")
def sample_pdfs(sample_build, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdf")
    return {key: docx_to_pdf(sample_build[key], out) for key in ("luxian", "suining")}
