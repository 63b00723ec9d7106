"""`serve` on an archive: told of a saved item, it rebuilds that issue only, and a waiting page hears of it."""

from __future__ import annotations

import importlib.util
import json
import threading
import time
import urllib.request
from functools import partial
from http.server import ThreadingHTTPServer

import pytest

from briefings.serve import VERSION_PATH, Preview, PreviewHandler
from conftest import ROOT


@pytest.fixture
def archive(tmp_path):
    """Two years of 6 issues of 3 items each, made like the benchmark's ten-year archive."""
    spec = importlib.util.spec_from_file_location("bench_archive", ROOT / "bench" / "archive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    root = tmp_path / "ws"
    module.make_archive(root, years=2, per_year=6, items=3)
    return root


def wait_for_version(preview: Preview, version: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while preview.version < version:
        assert time.monotonic() < deadline, "no rebuild after the change"
        time.sleep(0.05)


def test_saved_item_rebuilds_only_its_issue(archive, tmp_path):
    logs = []
    preview = Preview(archive, tmp_path / "preview", lambda text, error=False: logs.append(text))
    preview.rebuild()
    assert len(preview.written) == 12 * 2 + 6  # issues in both formats; index, feed, search script, list, 2 shards
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(stop,), daemon=True)
    watcher.start()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(PreviewHandler, preview, directory=str(preview.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        time.sleep(0.5)  # the watcher is set up
        answer = {}

        def ask() -> None:  # a page waiting for the next version
            url = f"http://127.0.0.1:{server.server_address[1]}{VERSION_PATH}?since=1"
            with urllib.request.urlopen(url, timeout=30) as response:
                answer.update(json.load(response), at=time.monotonic())

        asking = threading.Thread(target=ask)
        asking.start()
        time.sleep(0.2)
        item = archive / "items" / "2016-03" / "02.md"
        item.write_text(item.read_text(encoding="utf-8") + "\n预览中补充的一句。\n", encoding="utf-8")
        saved = time.monotonic()
        wait_for_version(preview, 2)
        asking.join(30)
        assert answer["version"] == 2 and answer["error"] == "" and answer["at"] >= saved
        site = preview.site
        assert sorted(p.relative_to(site).as_posix() for p in preview.written) == [
            "luxian/泸县双创简报2016年第3期.docx", "luxian/泸县双创简报2016年第3期.html", "search/2016.js"]
        assert "预览中补充的一句" in (site / "luxian" / "泸县双创简报2016年第3期.html").read_text(encoding="utf-8")

        # The cache and the preview's own files are not sources: writing there rebuilds nothing.
        (archive / ".briefing-cache" / "note.txt").write_text("x", encoding="utf-8")
        time.sleep(1.0)
        assert preview.version == 2
    finally:
        stop.set()
        watcher.join(10)
        server.shutdown()
        server.server_close()
