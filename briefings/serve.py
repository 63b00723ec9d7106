"""`briefing serve`: preview the archive site on 127.0.0.1, rebuilt on every change.

The site is built into a temporary folder, so dist/ is left alone. A thread
polls the workspace's files; after a change it rebuilds and bumps a version
number. Pages are sent with a small script that polls that number and reloads
the page. The script is added while serving only: the built site stays
script-free and its Content-Security-Policy unchanged.
"""

from __future__ import annotations

import errno
import json
import re
import signal
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

from .build import build
from .config import read_workspace_config
from .diagnostics import BriefingError, Diagnostic, Report
from .site import SITE_DIR
from .templatedir import default_templates_dir

HOST = "127.0.0.1"  # a preview, never published on the network
# Names this machine's browser uses for the preview. A page elsewhere that points its
# own name at 127.0.0.1 (DNS rebinding) sends its own name, and is refused.
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")
POLL_SECONDS = 0.4
VERSION_PATH = "/__briefing/version"
SCRIPT_PATH = "/__briefing/reload.js"
RELOAD_SCRIPT = "reload.js"  # in the templates folder
# While serving, pages may also run the reload script and ask for the version.
_CSP = re.compile(rb'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)"')
_SERVE_DIRECTIVES = {b"script-src": b"'self'", b"connect-src": b"'self'"}

Log = Callable[..., None]  # log(text, error=False)


class Preview:
    """The site in a temporary folder, its version, and the last build's errors."""

    def __init__(self, root: Path, out_dir: Path, log: Log) -> None:
        self.root = root
        self.out_dir = out_dir
        self.site = out_dir / SITE_DIR
        self.site.mkdir(parents=True, exist_ok=True)
        self.log = log
        self.version = 0
        self.error = ""
        # Built files of the workspace itself are not sources: changes there are ignored.
        self.ignored = root / read_workspace_config(root, Report()).out_dir

    def rebuild(self) -> None:
        try:
            written = build(self.root, self.out_dir, site=True, site_pdf=False)  # PDF is slow; previews skip it
        except BriefingError as error:
            lines = [d.format(self.root) for d in error.diagnostics]
            for line in lines:
                self.log(line, error=True)
            self.log("有错误，页面仍显示上一次的结果。", error=True)
            self.error = "\n".join(lines)
        else:
            self.error = ""
            self.log(f"已生成 {len(written)} 个文件。")
        self.version += 1

    def sources(self) -> dict[Path, tuple[int, int]]:
        """Every workspace file with its modification time and size (hidden files skipped)."""
        found = {}
        for path in self.root.rglob("*"):
            relative = path.relative_to(self.root).parts
            if any(part.startswith(".") for part in relative) or path.is_relative_to(self.ignored):
                continue
            try:
                if path.is_file():
                    stat = path.stat()
                    found[path] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                continue  # removed while we looked
        return found

    def watch(self, stop: threading.Event) -> None:
        seen = self.sources()
        while not stop.wait(POLL_SECONDS):
            now = self.sources()
            if now != seen:
                seen = now
                self.rebuild()


def with_reload(page: bytes, version: int) -> bytes:
    """The page as served: its policy also allows our script, which is added at the end."""
    page = _CSP.sub(lambda m: m.group(1) + _serve_policy(m.group(2)) + b'"', page, count=1)
    tag = f'<script src="{SCRIPT_PATH}" data-version="{version}" data-endpoint="{VERSION_PATH}"></script>\n'
    return page.replace(b"</body>", tag.encode("ascii") + b"</body>", 1)


def _serve_policy(policy: bytes) -> bytes:
    names = {directive.split()[0] for directive in policy.split(b";") if directive.strip()}
    extra = [name + b" " + value for name, value in _SERVE_DIRECTIVES.items() if name not in names]
    return b"; ".join([policy, *extra])


def local_host(host: str | None, port: int) -> bool:
    """Whether a request's Host header names this machine (with our port, or none)."""
    if not host:
        return False
    host = host.strip().lower()
    return any(host in (name, f"{name}:{port}") for name in LOCAL_NAMES)


def _hidden(url_path: str) -> bool:
    """Hidden files (a build's temporary files among them) are never served."""
    return any(part.startswith(".") for part in unquote(url_path).split("/"))


class PreviewHandler(SimpleHTTPRequestHandler):
    def __init__(self, preview: Preview, *args, **kwargs) -> None:
        self.preview = preview
        super().__init__(*args, **kwargs)

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if not local_host(self.headers.get("Host"), self.server.server_address[1]):
            self.send_error(421, "Misdirected Request: only 127.0.0.1, localhost and [::1] are served")
            return False
        return True

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == VERSION_PATH:
            state = {"version": self.preview.version, "error": self.preview.error}
            return self._send(json.dumps(state, ensure_ascii=False).encode("utf-8"), "application/json")
        if path == SCRIPT_PATH:
            script = (default_templates_dir() / RELOAD_SCRIPT).read_bytes()
            return self._send(script, "text/javascript; charset=utf-8")
        file = Path(self.translate_path(self.path))
        if _hidden(path):
            return self.send_error(404)
        if file.is_dir() and path.endswith("/"):
            file = file / "index.html"
        if file.suffix == ".html" and file.is_file():
            return self._send(with_reload(file.read_bytes(), self.preview.version), "text/html; charset=utf-8")
        return super().do_GET()

    def send_head(self):
        if _hidden(urlsplit(self.path).path):
            return self.send_error(404)
        return super().send_head()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a reload must show the new build
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        pass  # one line per request would bury the build messages


def serve(root: Path, port: int, log: Log) -> None:
    """Build, serve and watch until Ctrl+C (or SIGTERM)."""
    with tempfile.TemporaryDirectory(prefix="briefing-serve-") as temp:
        preview = Preview(root, Path(temp), log)
        handler = partial(PreviewHandler, preview, directory=str(preview.site))
        server = _listen(port, handler)
        preview.rebuild()
        stop = threading.Event()
        watcher = threading.Thread(target=preview.watch, args=(stop,), daemon=True)
        watcher.start()
        signal.signal(signal.SIGTERM, _interrupt)
        log(f"预览地址：http://{HOST}:{server.server_address[1]}/ （改动稿件后页面自动刷新；按 Ctrl+C 结束）")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            log("已停止预览。")
        finally:
            stop.set()
            watcher.join()
            server.server_close()


def _listen(port: int, handler) -> ThreadingHTTPServer:
    """The preview server on 127.0.0.1:port; a port in use is a Chinese message, not a traceback."""
    try:
        return ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        in_use = exc.errno in (errno.EADDRINUSE, errno.EACCES) or getattr(exc, "winerror", None) in (10048, 10013)
        message = f"端口 {port} 已被占用（可能已有一个预览在运行）" if in_use else f"无法在端口 {port} 上提供预览：{exc.strerror}"
        raise BriefingError([Diagnostic(None, None, message,
                                        hint=f"可换一个端口：briefing serve --port {port + 1 if port else 8001}")]) from None


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
