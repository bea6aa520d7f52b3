"""`briefing watch FILE|DIR`: build, then build again on every save, and
serve the HTML on 127.0.0.1 with live reload.

Builds are the ordinary incremental batch builds (build.py writes the files,
the manifest skips what did not change), so a failed build leaves the last
good output in place: the preview keeps showing it, with the problems over
it. The reload script and the problems are added to the page only as it is
served (templates/watch/), never to the built file, and the page's
Content-Security-Policy is widened for that one script by a nonce.

The server is for the person at this machine, and the previews may be
classified: it answers only requests addressed to 127.0.0.1, localhost or
[::1] at its port (another name is a web page's DNS rebinding, 421), every
answer carries a Content-Security-Policy of its own whatever a template's
page says, and file names reach links and the redirect percent-encoded
and `./`-relative (`javascript:x.md` is a file, never a live link; a line
break in a name cannot split the answer). Nothing a round of building
raises ends the command: it is said in the terminal and over the pages,
and the next save builds again. A source renamed or deleted is said, and
its last page stays served with that said over it. A reader who closes
the tab mid-answer is not an error.
"""

from __future__ import annotations

import http.server
import re
import secrets
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from pipeline.problems import Reporter, bounded, shown
from pipeline.run.batch import build_many
from pipeline.run.outcome import Outcome
from pipeline.run.progress import line
from pipeline.render.templates import Templates

VERSION_PATH = "/__briefing/version"
BODY = re.compile(r"<body[^>]*>", re.I)
CSP = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")', re.I)
# Every answer's own policy, sent as a header: a template's page can only
# narrow it (by its <meta>), never widen it.
LOCKED = "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
PAGE_POLICY = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
               "script-src 'nonce-{nonce}'; connect-src 'self'; " + LOCKED)
INDEX_POLICY = "default-src 'none'; style-src 'unsafe-inline'; " + LOCKED
PLAIN_POLICY = "default-src 'none'; " + LOCKED


def href(name: str) -> str:
    """A page's link: percent-encoded (a line break, a `"` or a `#` in a
    file name stays in the name) and `./`-relative (a name `javascript:x`
    is a path, not a scheme)."""
    return "./" + quote(name, safe="")


class Preview:
    """What the server shows, updated by the builds: the briefings, the
    problems of each one's last build, and a number that changes whenever
    what is shown does, so pages know to reload. A page asking with the
    number it has (`?since=N`) is answered when it changes (long polling):
    it reloads at once, not at its next look."""

    def __init__(self, out_dir: Path, templates: Templates) -> None:
        self.out_dir, self.templates = out_dir, templates
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.version = 0
        self.problems: dict[str, list[str]] = {}  # by page name, "brief.html"
        self.gone: dict[str, str] = {}  # page name -> its source's name, once that is gone
        # Each page's HTML as the last round left it, read once the round is
        # over: a page and its problems are always of the same round (read
        # from the disk as served, a new page could show the old problems).
        self.pages: dict[str, str] = {}

    def update(self, outcomes: list[Outcome]) -> None:
        problems = {f"{o.source.stem}.html": [str(p) for p in o.errors] for o in outcomes}
        pages = {}
        for name in problems:
            try:
                pages[name] = (self.out_dir / name).read_text(encoding="utf-8")
            except OSError:
                pass  # never built: a bare page with its problems
        with self.lock:
            shown = (self.problems, {name: self.pages.get(name) for name in pages}, dict(self.gone))
            self.problems = problems
            self.pages.update(pages)
            for name in self.problems:
                self.gone.pop(name, None)  # back, under its old name or a new source's
            if shown != (self.problems, pages, self.gone):  # the page shown early is what was written
                self.bump()

    def early(self, source: Path, html: bytes) -> None:
        """A briefing's new HTML, made before its PDF: shown at once. The
        files are written together at the end of the round (all or none):
        if the PDF fails, `update` puts the last good page back, with why."""
        name = f"{source.stem}.html"
        with self.lock:
            self.pages[name] = html.decode("utf-8")
            self.problems[name] = []
            self.gone.pop(name, None)
            self.bump()

    def failed(self, sources: list[Path], message: str) -> None:
        """A round that raised: said over every page, each keeping its last good version."""
        with self.lock:
            self.problems = {f"{source.stem}.html": [message] for source in sources}
            self.bump()

    def bump(self) -> None:
        """What is shown changed (the lock held): pages waiting are told."""
        self.version += 1
        self.changed.notify_all()

    def version_after(self, since: str, seconds: float = 25) -> int:
        """The version once it is no longer `since`, or after `seconds`."""
        with self.lock:
            self.changed.wait_for(lambda: str(self.version) != since, timeout=seconds)
            return self.version

    def went(self, sources: list[Path]) -> list[str]:
        """The sources watched before and missing now (renamed, deleted):
        their pages stay, with that said; return their names, once each."""
        now = {f"{source.stem}.html" for source in sources}
        with self.lock:
            names = [name for name in self.problems if name not in now and name not in self.gone]
            for name in names:
                self.gone[name] = name.removesuffix(".html") + ".md"
        return [self.gone[name] for name in names]

    def page(self, name: str) -> tuple[bytes, str] | None:
        """A briefing's last good HTML with the problems and the reload
        script added, and its policy; None for a name that is not a
        watched briefing's."""
        with self.lock:
            if name in self.gone:
                problems = [f"{self.gone[name]} is gone (renamed or deleted): this is its last build"]
            elif name in self.problems:
                problems = self.problems[name]
            else:
                return None
            html = self.pages.get(name, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head>"
                                        "<body></body></html>")
        nonce = secrets.token_urlsafe(16)
        html = CSP.sub(lambda m: f"{m[1]}{m[2]}; script-src 'nonce-{nonce}'; connect-src 'self'{m[3]}",
                       html, count=1)
        added = self.templates.render("watch/reload.html.j2", problems=problems, nonce=nonce)
        body = BODY.search(html)  # first in the body, so the problems come first
        at = body.end() if body else 0
        return (html[:at] + added + html[at:]).encode("utf-8"), PAGE_POLICY.format(nonce=nonce)

    def names(self) -> list[str]:
        with self.lock:
            return [*self.problems, *(name for name in self.gone if name not in self.problems)]

    def index(self) -> bytes:
        with self.lock:
            briefings = [(name.removesuffix(".html"), href(name) if name in self.pages else None,
                          [f"{self.gone[name]} is gone (renamed or deleted)"] if name in self.gone
                          else problems)
                         for name, problems in sorted({**{n: [] for n in self.gone},
                                                       **self.problems}.items())]
        return self.templates.render("watch/index.html.j2", briefings=briefings).encode("utf-8")


def allowed_hosts(port: int) -> set[str]:
    """What a request's Host may say: this machine's loopback names, at our port."""
    hosts = {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
    return hosts | ({"127.0.0.1", "localhost", "[::1]"} if port == 80 else set())


def handler(preview: Preview) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        policy = PLAIN_POLICY

        def do_GET(self) -> None:
            port: int = getattr(self.server, "server_port")
            if (self.headers.get("Host") or "").strip().lower() not in allowed_hosts(port):
                # A page elsewhere reaching us by a name of its own (DNS rebinding).
                self.answer(421, "text/plain", f"this preview answers only at http://127.0.0.1:{port}/"
                            .encode())
                return
            parts = urlsplit(self.path)
            path = unquote(parts.path)
            if path == VERSION_PATH:
                since = parse_qs(parts.query).get("since")
                version = preview.version_after(since[0]) if since else preview.version
                self.answer(200, "text/plain", str(version).encode())
            elif path == "/":
                names = preview.names()
                if len(names) == 1:  # one briefing: straight to it
                    self.send_response(302)
                    self.send_header("Location", href(names[0]))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    self.policy = INDEX_POLICY
                    self.answer(200, "text/html; charset=utf-8", preview.index())
            elif (page := preview.page(path.removeprefix("/"))) is not None:
                self.policy = page[1]
                self.answer(200, "text/html; charset=utf-8", page[0])
            else:
                self.answer(404, "text/plain", b"not a watched briefing")

        def answer(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def end_headers(self) -> None:
            """Every answer's: its policy, and no guessing at types, no cache."""
            self.send_header("Content-Security-Policy", self.policy)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def log_message(self, *args) -> None:
            pass  # the terminal is for builds and problems

    return Handler


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A reader who closed the tab mid-answer is no error; anything
        else is one line, never a traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        print(f"briefing: preview server: {bounded(f'{type(error).__name__}: {error}')}",
              file=sys.stderr, flush=True)


def sources_of(target: Path) -> list[Path]:
    """The watched briefings: the file, or every .md in the folder (again
    each time, so a new file joins)."""
    if target.is_dir():
        return sorted(target.glob("*.md"))
    return [target] if target.is_file() else []  # renamed or deleted: said, and watched for


def watch(target: Path, options, *, port: int, jobs: int, github: bool = False,
          say: Callable[[str], None] = lambda text: print(text, flush=True)) -> None:
    """Build, serve, and build again on each change, until Ctrl-C."""
    import watchfiles  # only the watch command needs it

    preview = Preview(options.out_dir, options.templates)

    def build_round() -> None:
        sources = sources_of(target)
        for name in preview.went(sources):
            say(f"{name}: gone (renamed or deleted); its last build stays in {options.out_dir}")
        try:
            # With more than the HTML to make, the HTML is shown as soon as it is made.
            outcomes = build_many(sources, options, jobs=jobs, warm=True,
                                  early=preview.early if len(options.formats) > 1 else None)
        except Exception as error:  # whatever it is, the preview goes on and the next save builds
            message = bounded(f"internal error: {type(error).__name__}: {error}")
            print(f"briefing: {message} (watch goes on; `briefing build --debug` shows where)",
                  file=sys.stderr, flush=True)
            preview.failed(sources, message)
            return
        for outcome in outcomes:
            for problem in Reporter.sorted((*outcome.errors, *outcome.warnings)):
                print(shown(problem, github), file=sys.stderr, flush=True)
            if outcome.status != "up to date":
                say(line(outcome))
        preview.update(outcomes)

    # Bind first, so a port in use stops us before any work; requests wait
    # in the backlog until the first build is done.
    server = Server(("127.0.0.1", port), handler(preview))
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
        # A save is a few events within milliseconds: 20 ms of quiet ends it
        # (the page shows it about 0.1 s after the save).
        for changes in watchfiles.watch(*folders, watch_filter=relevant, debounce=300,
                                        step=20, rust_timeout=400, yield_on_timeout=True):
            if changes or not serving:
                build_round()
            if not serving:
                say(f"serving http://127.0.0.1:{server.server_port}/ (Ctrl-C stops)")
                serving = True
    finally:
        server.shutdown()
