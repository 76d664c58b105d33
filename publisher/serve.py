"""`publisher serve`: the HTML edition on 127.0.0.1, rebuilt on every save, reloaded in the
browser.

A small HTTP server (the standard library's) serves the reader's HTML folder of the
build. Every page it serves gets a few lines of script that ask the server for the build's
number and reload the page when it changes. When a save breaks the content, the page shows
the errors, as the terminal does, and the server goes on; the next good save brings the
edition back. Changes come from watchfiles, filtered to the files a project is made of
(editors' temporary and swap files are ignored); the source of changes is passed in, so
that tests can drive the loop with scripted edits.
"""

from __future__ import annotations

import html
import itertools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from . import api
from .config import Project
from .errors import PublisherError

VERSION_PATH = "/__publisher/build"
# what a project is made of: a change to anything else (an editor's temporary file) is ignored
WATCHED = (".md", ".yaml", ".yml", ".j2", ".css", ".svg", ".png", ".jpg", ".jpeg", ".ttf", ".otf", ".woff2", ".icc", ".csl")
RELOAD = """<script>
(function () {{
  var seen = {build};
  setInterval(function () {{
    fetch("{path}", {{cache: "no-store"}}).then(function (r) {{ return r.text(); }}).then(function (n) {{
      if (Number(n) !== seen) {{ location.reload(); }}
    }}).catch(function () {{}});
  }}, 500);
}})();
</script>"""


@dataclass
class Preview:
    """What the server shows: the build's number, and the errors of a failed one."""

    folder: Path
    build: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def done(self, errors: list[str]) -> None:
        with self.lock:
            self.build += 1
            self.errors = errors


def _handler(preview: Preview):
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(preview.folder), **kwargs)

        def log_message(self, format, *args):  # the terminal shows builds, not requests
            return

        def do_GET(self):
            with preview.lock:
                build, errors = preview.build, list(preview.errors)
            if self.path == VERSION_PATH:
                return self._send(str(build).encode(), "text/plain; charset=utf-8")
            if errors and self.path.split("?")[0] in ("/", "/index.html"):
                return self._send(_error_page(errors, build), "text/html; charset=utf-8")
            if self.path.split("?")[0] in ("/", "/index.html"):
                page = (preview.folder / "index.html").read_text("utf-8")
                script = RELOAD.format(build=build, path=VERSION_PATH)
                return self._send(page.replace("</body>", script + "\n</body>").encode("utf-8"), "text/html; charset=utf-8")
            return super().do_GET()

        def _send(self, data: bytes, kind: str):
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _error_page(errors: list[str], build: int) -> bytes:
    items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in errors)
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head>"
        "<body style=\"font-family: sans-serif; margin: 2em; color: #1d1d1b; background: #fff\">"
        f"<h1>The last save has errors</h1><p>Fix them and save again; this page reloads by itself.</p><ul>{items}</ul>"
        + RELOAD.format(build=build, path=VERSION_PATH)
        + "</body></html>"
    ).encode("utf-8")


def serve(
    project_dir: Path | str,
    changes: Iterable[set],
    report: Callable[[str], None],
    port: int = 8000,
    started: Callable[[int], None] | None = None,
) -> int:
    """Build the HTML edition, serve it on 127.0.0.1:``port`` (0: any free port) and
    rebuild after every batch of changes. ``started`` is told the port once serving.
    Returns the number of builds that passed."""
    project = Project.at(project_dir)
    preview = Preview(project.build / "html")
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(preview))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    report(f"serving the HTML edition on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
    if started:
        started(server.server_address[1])
    passed = 0
    try:
        for batch in itertools.chain([None], changes):
            if batch is not None:
                names = [p for p in _relevant(batch, project.root)]
                if not names:
                    continue
                report(f"changed: {', '.join(names)}")
            try:
                result = api.build(project.root, formats=("html",), volumes=("reader",))
            except PublisherError as error:
                lines = [str(d) for d in error.diagnostics.sorted()]
                for line in lines:
                    report(line)
                report(f"{len(error.diagnostics.errors)} error(s): the page shows them; watching for the next save")
                preview.done(lines)
                continue
            for diagnostic in result.diagnostics.sorted():
                report(str(diagnostic))
            passed += 1
            preview.done([])
            report("rebuilt; the browser reloads")
    finally:
        server.shutdown()
        server.server_close()
    return passed


def _relevant(batch: set, root: Path) -> list[str]:
    """The changed files a project is made of, relative to it (temporary files left out)."""
    names = set()
    for _, path in batch:
        path = Path(path)
        if path.suffix.lower() not in WATCHED or path.name.startswith((".", "#")) or path.name.endswith("~"):
            continue
        try:
            names.add(path.resolve().relative_to(root).as_posix())
        except ValueError:
            continue  # outside the project (a symlinked folder's target)
    return sorted(names)
