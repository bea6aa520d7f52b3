"""`briefing watch FILE|DIR`: build, then build again on every save, and
serve the HTML on 127.0.0.1 with live reload.

Builds are the ordinary incremental batch builds (build.py writes the files,
the manifest skips what did not change), so a failed build leaves the last
good output in place: the preview keeps showing it, with the problems over
it. The reload script and the problems are added to the page only as it is
served (templates/watch/), never to the built file, and the page's
Content-Security-Policy is widened for that one script by a nonce.
"""

from __future__ import annotations

import http.server
import re
import secrets
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from pipeline.problems import Reporter, shown
from pipeline.run.batch import build_many
from pipeline.run.outcome import Outcome
from pipeline.run.progress import line
from pipeline.render.templates import Templates

VERSION_PATH = "/__briefing/version"
BODY = re.compile(r"<body[^>]*>", re.I)
CSP = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")', re.I)


class Preview:
    """What the server shows, updated by the builds: the briefings, the
    problems of each one's last build, and a number that changes after
    every build so pages know to reload."""

    def __init__(self, out_dir: Path, templates: Templates) -> None:
        self.out_dir, self.templates = out_dir, templates
        self.lock = threading.Lock()
        self.version = 0
        self.problems: dict[str, list[str]] = {}  # by page name, "brief.html"

    def update(self, outcomes: list[Outcome]) -> None:
        with self.lock:
            self.problems = {f"{o.source.stem}.html": [str(p) for p in o.errors] for o in outcomes}
            self.version += 1

    def page(self, name: str) -> bytes | None:
        """A briefing's last good HTML with the problems and the reload
        script added; None for a name that is not a watched briefing's."""
        with self.lock:
            if name not in self.problems:
                return None
            problems = self.problems[name]
        try:
            html = (self.out_dir / name).read_text(encoding="utf-8")
        except FileNotFoundError:  # never built: a bare page with the problems
            html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body></body></html>"
        nonce = secrets.token_urlsafe(16)
        html = CSP.sub(lambda m: f"{m[1]}{m[2]}; script-src 'nonce-{nonce}'; connect-src 'self'{m[3]}",
                       html, count=1)
        added = self.templates.render("watch/reload.html.j2", problems=problems, nonce=nonce)
        body = BODY.search(html)  # first in the body, so the problems come first
        at = body.end() if body else 0
        return (html[:at] + added + html[at:]).encode("utf-8")

    def index(self) -> bytes:
        with self.lock:
            briefings = [(name.removesuffix(".html"), name if (self.out_dir / name).is_file() else None,
                          problems) for name, problems in sorted(self.problems.items())]
        return self.templates.render("watch/index.html.j2", briefings=briefings).encode("utf-8")


def handler(preview: Preview) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == VERSION_PATH:
                self.answer(200, "text/plain", str(preview.version).encode())
            elif path == "/":
                if len(preview.problems) == 1:  # one briefing: straight to it
                    self.send_response(302)
                    self.send_header("Location", "/" + next(iter(preview.problems)))
                    self.end_headers()
                else:
                    self.answer(200, "text/html; charset=utf-8", preview.index())
            elif (page := preview.page(path.lstrip("/"))) is not None:
                self.answer(200, "text/html; charset=utf-8", page)
            else:
                self.answer(404, "text/plain", b"not a watched briefing")

        def answer(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass  # the terminal is for builds and problems

    return Handler


def sources_of(target: Path) -> list[Path]:
    """The watched briefings: the file, or every .md in the folder (again
    each time, so a new file joins)."""
    return [target] if target.is_file() else sorted(target.glob("*.md"))




def watch(target: Path, options, *, port: int, jobs: int, github: bool = False,
          say: Callable[[str], None] = lambda text: print(text, flush=True)) -> None:
    """Build, serve, and build again on each change, until Ctrl-C."""
    import watchfiles  # only the watch command needs it

    preview = Preview(options.out_dir, options.templates)

    def build_round() -> None:
        outcomes = build_many(sources_of(target), options, jobs=jobs, warm=True)
        for outcome in outcomes:
            for problem in Reporter.sorted((*outcome.errors, *outcome.warnings)):
                print(shown(problem, github), file=sys.stderr, flush=True)
            if outcome.status != "up to date":
                say(line(outcome))
        preview.update(outcomes)

    # Bind first, so a port in use stops us before any work; requests wait
    # in the backlog until the first build is done.
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler(preview))
    server.daemon_threads = True
    build_round()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    folders = [target if target.is_dir() else target.parent]
    if options.templates.user_dir:
        folders.append(options.templates.user_dir)
    out_dir = options.out_dir.resolve()

    def relevant(change, path: str) -> bool:
        # Our own outputs and temporary files would wake us for nothing.
        return not Path(path).resolve().is_relative_to(out_dir) and not Path(path).name.startswith(".")

    # The watcher only sees changes once its first wait has begun, so we say
    # "serving" at its first quiet timeout, after a catch-up round for any
    # save made while the first build ran.
    serving = False
    try:
        for changes in watchfiles.watch(*folders, watch_filter=relevant, debounce=300,
                                        step=50, rust_timeout=400, yield_on_timeout=True):
            if changes or not serving:
                build_round()
            if not serving:
                say(f"serving http://127.0.0.1:{server.server_port}/ (Ctrl-C stops)")
                serving = True
    finally:
        server.shutdown()
