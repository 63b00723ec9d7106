"""Every page we build passes the W3C Nu validator and axe-core (WCAG 2.2 AA).

Government pages must meet GB/T 37668; these are the checkers the project
promises to keep green. Both come from npm (`npm ci --prefix tests`, see the
README's test command): the Nu validator needs Java, axe-core runs inside
Debian's Chromium at phone and desktop widths.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from browser import DESKTOP_WIDTH, PHONE_WIDTH
from conftest import IN_CI, copy_samples, require_tool

NODE_MODULES = Path(__file__).with_name("node_modules")
VNU_JAR = NODE_MODULES / "vnu-jar/build/dist/vnu.jar"
AXE_JS = NODE_MODULES / "axe-core/axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def require_npm_file(path: Path) -> Path:
    if path.exists():
        return path
    message = f"缺少 {path.relative_to(NODE_MODULES.parent)}：请先运行 npm ci --prefix tests"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory) -> Path:
    """The samples' site with room for one issue on the index page: the older years get pages."""
    from briefings.build import build

    root = copy_samples(tmp_path_factory.mktemp("paged") / "ws")
    (root / "briefing.yaml").write_text("title: 简报示例工作区\nindex_entries: 1\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("paged-site")
    build(root, out, site=True, site_pdf=False)
    return out / "site"


def built_pages(site: Path, paged: Path) -> list[Path]:
    pages = sorted(site.rglob("*.html"))
    # The sample site has two issue pages and the archive index at least.
    assert len(pages) >= 3, f"too few pages built: {pages}"
    archive = sorted(paged.glob("*.html"))
    assert [p.name for p in archive] == ["archive-2017.html", "index.html"]
    return pages + archive


def test_every_page_passes_the_nu_validator(sample_site, paged_site):
    java = require_tool("java")
    jar = require_npm_file(VNU_JAR)
    pages = built_pages(sample_site, paged_site)
    result = subprocess.run([java, "-jar", str(jar), "--format", "json", "--also-check-css", *map(str, pages)],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    problems = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
                for m in messages if m["type"] in ("error", "non-document-error")]
    assert problems == [], "\n".join(problems)
    assert result.returncode == 0


@pytest.mark.parametrize("width", (PHONE_WIDTH, DESKTOP_WIDTH))
def test_every_page_has_no_axe_violation(browser, sample_site, paged_site, width):
    axe = require_npm_file(AXE_JS).read_text(encoding="utf-8")
    # The issue pages forbid scripts by policy; axe is injected past it.
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    try:
        violations = {}
        for page_path in built_pages(sample_site, paged_site):
            page = context.new_page()
            page.goto(page_path.as_uri())
            page.add_script_tag(content=axe)
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                WCAG_22_AA)
            # axe must really have looked: a page where nothing passed means it did not run.
            assert result["passes"], f"axe checked nothing on {page_path}"
            found = [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in result["violations"]]
            if found:
                violations[str(page_path)] = found
            page.close()
    finally:
        context.close()
    assert violations == {}, json.dumps(violations, ensure_ascii=False, indent=1)
