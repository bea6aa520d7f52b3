"""`briefing watch`: a real file change rebuilds, and a real HTTP request to
the preview server sees it; a failed build keeps the last good page."""

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request

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
    page = fetch(url)
    return page if text in page else None


@pytest.fixture
def watcher(tmp_path):
    """`briefing watch` on a folder with one briefing; yields (url, lines, folder)."""
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "brief.md").write_text(FRONT + "# One\n\nThe first text.\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "watch", str(folder), "--to", "html",
         "--out", str(tmp_path / "out"), "--port", "0"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()
    try:
        served = wait_for(lambda: next((l for l in lines if l.startswith("serving ")), None), "the server")
        url = re.search(r"http://127\.0\.0\.1:\d+/", served)[0]
        yield url, lines, folder, tmp_path / "out"
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    assert "stopped" in lines[-1]


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
