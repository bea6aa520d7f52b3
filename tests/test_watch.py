"""`briefing watch`: a real file change rebuilds, and a real HTTP request to
the preview server sees it; a failed build keeps the last good page."""

import contextlib
import http.client
import os
import re
import socket
import struct
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import lxml.html

import pytest

from conftest import FRONT, ROOT


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read().decode("utf-8")


def wait_for(condition, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


def page_with(url: str, text: str) -> str | None:
    try:
        page = fetch(url)
    except urllib.error.HTTPError as error:  # not served yet: its build is under way
        if error.code != 404:
            raise
        return None
    return page if text in page else None


@contextlib.contextmanager
def watching(target: Path, out: Path, *command: str):
    """`briefing watch TARGET` (by `command`, a Python program, when given)
    until the block ends; yields (url, lines). It must stop on Ctrl-C."""
    program = list(command) or ["-m", "pipeline"]
    process = subprocess.Popen(
        [sys.executable, *program, "watch", str(target), "--to", "html", "--out", str(out), "--port", "0"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    try:
        served = wait_for(lambda: next((l for l in lines if l.startswith("serving ")), None), "the server")
        yield re.search(r"http://127\.0\.0\.1:\d+/", served)[0], lines
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    reader.join(timeout=30)  # its last lines may still be in the pipe
    assert "stopped" in lines[-1]


@pytest.fixture
def watcher(tmp_path):
    """`briefing watch` on a folder with one briefing; yields (url, lines, folder, out)."""
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "brief.md").write_text(FRONT + "# One\n\nThe first text.\n")
    with watching(folder, tmp_path / "out") as (url, lines):
        yield url, lines, folder, tmp_path / "out"


def test_a_save_rebuilds_and_the_preview_reloads(watcher):
    url, lines, folder, out = watcher
    page = fetch(url + "brief.html")
    assert "The first text." in page and "/__briefing/version" in page
    assert "__briefing" not in (out / "brief.html").read_text()  # only in the served page
    assert "'nonce-" in page  # the page's policy lets that one script run
    version = fetch(url + "__briefing/version")

    (folder / "brief.md").write_text(FRONT + "# One\n\nThe second text.\n")
    wait_for(lambda: "The second text." in fetch(url + "brief.html"), "the rebuilt page")
    assert fetch(url + "__briefing/version") != version
    assert "The second text." in (out / "brief.html").read_text()
    assert "The second text." in fetch(url)  # one briefing: the front page is it


def test_a_failed_build_shows_its_error_and_keeps_the_last_good_page(watcher):
    url, lines, folder, out = watcher
    (folder / "brief.md").write_text(FRONT + "# One\n\nThe good text, see @sec-nowhere.\n")
    page = wait_for(lambda: page_with(url + "brief.html", "nowhere"), "the error in the page")
    assert "The last build failed" in page and "The first text." in page
    assert "cross-reference @sec-nowhere points at no heading" in page
    wait_for(lambda: any("@sec-nowhere" in l for l in lines), "the error in the terminal")
    (folder / "brief.md").write_text(FRONT + "# One\n\nFixed.\n")
    fixed = wait_for(lambda: page_with(url + "brief.html", "Fixed."), "the fix")
    assert "The last build failed" not in fixed


def test_a_folder_lists_its_briefings(watcher):
    url, lines, folder, out = watcher
    (folder / "second.md").write_text(FRONT + "# Two\n\nAnother.\n")
    wait_for(lambda: "second.html" in fetch(url), "the new briefing in the index")
    assert "Another." in fetch(url + "second.html")
    with pytest.raises(urllib.error.HTTPError):
        fetch(url + "../../etc/passwd")


def test_a_port_in_use_or_a_missing_target_stops_at_once(tmp_path):
    import socket

    from conftest import run_cli
    (tmp_path / "brief.md").write_text(FRONT + "Text.\n")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = run_cli("watch", tmp_path / "brief.md", "--port", port,
                       "--out", tmp_path / "out")
    assert busy.returncode == 1
    assert busy.stderr.startswith(f"briefing: cannot serve on 127.0.0.1:{port}: ")
    assert not (tmp_path / "out").exists()  # nothing built
    missing = run_cli("watch", tmp_path / "nowhere")
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr


def test_a_browser_reloads_by_itself_within_the_page_policy(watcher):
    """The served page in Chromium: its script (allowed by a nonce, and
    nothing else) notices the rebuild and reloads the page."""
    import json
    url, lines, folder, out = watcher
    assert (ROOT / "node_modules" / "playwright-core").is_dir(), "run `make test` to install playwright-core"
    browser = subprocess.Popen(["node", str(ROOT / "tests" / "browser" / "reload.mjs"),
                                url + "brief.html", "The text after the save."],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert browser.stdout.readline().strip() == "ready", browser.stderr.read()
        (folder / "brief.md").write_text(FRONT + "# One\n\nThe text after the save.\n")
        result = json.loads(browser.stdout.readline())
    finally:
        browser.wait(timeout=90)
    assert result == {"reloaded": True, "violations": [], "errors": []}


# The server is for the person at this machine ----------------------------------

def raw_get(url: str, path: str, host: str | None) -> http.client.HTTPResponse:
    """A GET with the Host header a page elsewhere would send (None: none)."""
    port = int(url.rsplit(":", 1)[1].strip("/"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", path, skip_host=True)
    if host is not None:
        connection.putheader("Host", host)
    connection.endheaders()
    return connection.getresponse()


def test_only_requests_addressed_to_this_machine_are_answered(watcher):
    """DNS rebinding: a page at evil.example points its name at 127.0.0.1
    and reads the preview as its own origin. Its requests say its name."""
    url, lines, folder, out = watcher
    port = url.rsplit(":", 1)[1].strip("/")
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
        answer = raw_get(url, "/brief.html", host)
        assert answer.status == 200 and b"The first text." in answer.read(), host
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1:{int(port) + 1}", "127.0.0.1",
                 f"localhost.evil.example:{port}", "", None):
        for path in ("/brief.html", "/", "/__briefing/version"):
            answer = raw_get(url, path, host)
            body = answer.read()
            assert answer.status == 421, (host, path)
            assert b"first text" not in body and answer.getheader("Location") is None


def test_every_answer_carries_its_own_policy(watcher):
    url, lines, folder, out = watcher
    (folder / "second.md").write_text(FRONT + "Another.\n")
    wait_for(lambda: "second.html" in fetch(url), "the second briefing")
    for path in ("/", "/brief.html", "/__briefing/version", "/nothing.html", "/../etc/passwd"):
        answer = raw_get(url, path, url.split("//")[1].strip("/"))
        body = answer.read()
        policy = answer.getheader("Content-Security-Policy")
        assert policy and "default-src 'none'" in policy and "frame-ancestors 'none'" in policy, path
        assert answer.getheader("X-Content-Type-Options") == "nosniff"
        if path == "/brief.html":  # the reload script's nonce, and nothing else, may run
            nonce = re.search(r"'nonce-([^']+)'", policy)[1]
            assert f'<script nonce="{nonce}">'.encode() in body
            assert body.count(b"<script") == 1
    assert raw_get(url, "/", "127.0.0.1:1").getheader("Content-Security-Policy")  # refused ones too


HOSTILE_NAMES = ["javascript:alert(document.domain)", "x\r\nSet-Cookie: stolen=1", 'a"><b>bold', "100%#top"]


def test_file_names_reach_links_encoded_and_relative(tmp_path):
    """A file named `javascript:….md` was a live link on the index; a line
    break in a name split the redirect's header."""
    folder = tmp_path / "src"
    folder.mkdir()
    for number, name in enumerate(HOSTILE_NAMES):
        (folder / f"{name}.md").write_text(FRONT + f"Page number {number}.\n")
    with watching(folder, tmp_path / "out") as (url, lines):
        index = fetch(url)
        links = [a.get("href") for a in lxml.html.fromstring(index).iter("a")]
        assert len(links) == len(HOSTILE_NAMES)
        for link in links:
            assert link.startswith("./") and not re.search(r"[\s\"<>#?]", link), link
        for number, name in enumerate(HOSTILE_NAMES):  # each link leads to its own page
            [link] = [link for link in links if urllib.parse.unquote(link) == f"./{name}.html"]
            assert f"Page number {number}." in fetch(urljoin(url, link))
        assert "<b>bold" not in index
    single = tmp_path / "single"
    single.mkdir()
    (single / f"{HOSTILE_NAMES[1]}.md").write_text(FRONT + "Alone.\n")
    with watching(single, tmp_path / "out2") as (url, lines):
        answer = raw_get(url, "/", url.split("//")[1].strip("/"))
        assert answer.status == 302
        assert answer.getheader("Set-Cookie") is None
        assert answer.getheader("Location") == "./x%0D%0ASet-Cookie%3A%20stolen%3D1.html"
        assert "Alone." in fetch(url)  # followed, it is the page


BOOM = """\
import sys
from pipeline.run import watch

real = watch.build_many


def build_many(sources, options, **kwargs):
    # A fault in the build code itself, as a bug would be, on a source saying BOOM.
    if any("BOOM" in source.read_text() for source in sources):
        raise RuntimeError("the build broke on BOOM")
    return real(sources, options, **kwargs)


watch.build_many = build_many
from pipeline.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_an_internal_error_in_a_build_does_not_end_watch(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "brief.md").write_text(FRONT + "The first text.\n")
    (tmp_path / "boom.py").write_text(BOOM)
    with watching(folder, tmp_path / "out", str(tmp_path / "boom.py")) as (url, lines):
        (folder / "brief.md").write_text(FRONT + "BOOM\n")
        wait_for(lambda: any("internal error" in l for l in lines), "the error in the terminal")
        said = next(l for l in lines if "internal error" in l)
        assert said.startswith("briefing: internal error: RuntimeError: the build broke on BOOM (watch goes on")
        page = wait_for(lambda: page_with(url + "brief.html", "the build broke"), "the error on the page")
        assert "The last build failed" in page and "The first text." in page
        (folder / "brief.md").write_text(FRONT + "Mended.\n")
        wait_for(lambda: page_with(url + "brief.html", "Mended."), "the next build")
    assert not any("Traceback" in l for l in lines)


def test_a_renamed_source_is_said_and_its_last_page_kept(watcher):
    url, lines, folder, out = watcher
    (folder / "brief.md").rename(folder / "renamed.md")
    wait_for(lambda: any(l.startswith("brief.md: gone (renamed or deleted)") for l in lines), "the rename said")
    assert "The first text." in wait_for(lambda: page_with(url + "renamed.html", "The first text."),
                                         "the renamed briefing built")
    page = fetch(url + "brief.html")
    assert "brief.md is gone (renamed or deleted): this is its last build" in page
    index = lxml.html.fromstring(fetch(url)).text_content()
    assert "brief.md is gone" in index and "renamed" in index
    (folder / "renamed.md").rename(folder / "brief.md")  # and back
    wait_for(lambda: "is gone" not in fetch(url + "brief.html"), "the briefing back")


def test_a_watched_file_renamed_is_said(tmp_path):
    (tmp_path / "brief.md").write_text(FRONT + "The text.\n")
    with watching(tmp_path / "brief.md", tmp_path / "out") as (url, lines):
        (tmp_path / "brief.md").rename(tmp_path / "other.md")
        wait_for(lambda: any("brief.md: gone (renamed or deleted)" in l for l in lines), "the rename said")
        assert "brief.md is gone" in fetch(url)  # the front page is still its page
        (tmp_path / "other.md").rename(tmp_path / "brief.md")
        wait_for(lambda: page_with(url, "The text.") and "is gone" not in fetch(url), "it back")


def test_a_dropped_client_prints_no_traceback(watcher):
    """A reader who closes the tab (or a connection reset) mid-answer."""
    url, lines, folder, out = watcher
    (folder / "brief.md").write_text(FRONT + "# One\n\n" + "A long page. " * 40_000 + "\n")
    wait_for(lambda: page_with(url + "brief.html", "A long page."), "the long page")
    port = int(url.rsplit(":", 1)[1].strip("/"))
    for _ in range(5):
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(f"GET /brief.html HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            client.recv(100)  # the answer has begun
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset
    assert "A long page." in fetch(url + "brief.html")  # still serving
    time.sleep(0.5)  # what the server prints of those comes before we look; not a timing assertion
    assert not [l for l in lines if "Traceback" in l or "Error" in l], lines


def test_a_page_and_its_problems_are_of_one_round(tmp_path):
    """A build writes its page before the round ends: served from the disk
    meanwhile, the new page showed the last round's problems over it."""
    from pipeline.problems import Problem
    from pipeline.render.templates import Templates
    from pipeline.run.outcome import Outcome
    from pipeline.run.watch import Preview
    (tmp_path / "brief.html").write_text("<html><body>The good text.</body></html>")
    preview = Preview(tmp_path, Templates())
    error = Problem("brief.md", 7, "cross-reference @sec-nowhere points at no heading", code="ref.unknown-id")
    preview.update([Outcome(source=tmp_path / "brief.md", status="failed", errors=(error,))])
    (tmp_path / "brief.html").write_text("<html><body>Fixed.</body></html>")  # the next round, under way
    page = preview.page("brief.html")[0].decode()
    assert "The good text." in page and "@sec-nowhere" in page and "Fixed." not in page
    preview.update([Outcome(source=tmp_path / "brief.md", status="built")])
    page = preview.page("brief.html")[0].decode()
    assert "Fixed." in page and "The last build failed" not in page
