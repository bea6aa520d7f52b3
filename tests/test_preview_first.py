"""`watch` shows a save's HTML before its PDF is made: the build process
tells the HTML as soon as it has it (crew.tell), the preview serves it at
once and pages waiting on the version reload; the files are still written
together, all or none."""

import shutil
import threading
import time
from pathlib import Path

from conftest import FIXTURES, FRONT
from pipeline.run.batch import build_many
from pipeline.run.build import Options
from pipeline.run.crew import Crew, Early, tell
from pipeline.run.outcome import Outcome
from pipeline.run.watch import Preview
from pipeline.render.templates import Templates


def telling(item: int) -> int:
    tell(("half", item))
    return item * 2


def test_what_a_task_tells_comes_before_its_answer_and_only_when_listened_for():
    with Crew(telling, size=2, seconds=60, early=True) as crew:
        heard = list(crew.run([1, 2, 3]))
    for item in (1, 2, 3):
        mine = [answer for number, answer in heard if number == item]
        assert mine == [Early(("half", item)), item * 2]
    with Crew(telling, size=1, seconds=60) as crew:
        assert list(crew.run([4])) == [(4, 8)]


def test_the_html_comes_before_anything_is_written(tmp_path):
    source = tmp_path / "brief.md"
    shutil.copy(FIXTURES / "footnotes.md", source)
    out = tmp_path / "out"
    early: list[tuple[Path, bytes, list[str]]] = []
    done: list[Outcome] = []
    outcomes = build_many([source], Options(formats=("pdf", "docx", "html"), out_dir=out), jobs=2,
                          early=lambda path, html: early.append((path, html, sorted(
                              p.name for p in out.glob("*")) if out.exists() else [])),
                          done=done.append)
    [(path, html, files_then)] = early
    assert path == source and files_then == []  # nothing written yet, the PDF not made
    assert [o.status for o in outcomes] == ["built"] and done == outcomes
    assert (out / "brief.html").read_bytes() == html  # what was shown is what was written
    assert (out / "brief.pdf").read_bytes().startswith(b"%PDF-") and (out / "brief.docx").exists()


def test_a_briefing_that_fails_to_read_tells_nothing(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text(FRONT + "See @sec-nowhere.\n")
    good = tmp_path / "good.md"
    good.write_text(FRONT + "# One\n\nText.\n")
    early: list[Path] = []
    outcomes = build_many([bad, good], Options(formats=("pdf", "html"), out_dir=tmp_path / "out"), jobs=2,
                          early=lambda path, html: early.append(path))
    assert early == [good] and [o.status for o in outcomes] == ["failed", "built"]


def preview(tmp_path) -> Preview:
    return Preview(tmp_path, Templates())


def test_the_preview_shows_the_early_page_and_reloads_once_for_it(tmp_path):
    shown = preview(tmp_path)
    source = tmp_path / "brief.md"
    shown.early(source, b"<html><body><p>New text.</p></body></html>")
    assert shown.version == 1 and b"New text." in shown.page("brief.html")[0]
    # The round ends: the file written is the page shown, nothing to reload again.
    (tmp_path / "brief.html").write_text("<html><body><p>New text.</p></body></html>")
    shown.update([Outcome(source=source, status="built")])
    assert shown.version == 1
    # A round whose PDF failed: the page on the disk again, with why.
    (tmp_path / "brief.html").write_text("<html><body><p>Old text.</p></body></html>")
    shown.update([Outcome(source=source, status="failed")])
    assert shown.version == 2 and b"Old text." in shown.page("brief.html")[0]


def test_a_page_asking_since_its_version_is_answered_when_it_changes(tmp_path):
    shown = preview(tmp_path)
    answers: list[tuple[int, float]] = []
    waiting = threading.Thread(target=lambda: answers.append((shown.version_after("0", 30), time.monotonic())))
    waiting.start()
    time.sleep(0.3)
    assert answers == []  # still waiting: nothing changed
    changed = time.monotonic()
    shown.early(tmp_path / "brief.md", b"<html><body>x</body></html>")
    waiting.join(10)
    [(version, answered)] = answers
    assert version == 1 and answered - changed < 1  # at once, not at a next look
    assert shown.version_after("0", 30) == 1  # already changed: no wait
    started = time.monotonic()
    assert shown.version_after("1", 0.2) == 1 and time.monotonic() - started >= 0.2  # times out with it


def test_watch_shows_a_save_then_its_pdf(tmp_path):
    """The real command, all three formats: a page waiting on the version
    is answered after a save, the served page has the new text, and the
    PDF follows with it."""
    import os
    import re
    import signal
    import subprocess
    import sys
    import urllib.request

    from conftest import ROOT
    from readers import pdf_text

    folder, out = tmp_path / "src", tmp_path / "out"
    folder.mkdir()
    source = folder / "brief.md"
    source.write_text(FRONT + "# One\n\nThe first text.\n")
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "watch", str(folder), "--out", str(out),
                                "--port", "0"], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                               text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()

    def wait(condition, what, seconds=120):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if value := condition():
                return value
            time.sleep(0.05)
        raise AssertionError(f"gave up waiting for {what}: {lines}")

    def fetch(path):
        with urllib.request.urlopen(url + path, timeout=60) as answer:
            return answer.read().decode("utf-8")

    try:
        served = wait(lambda: next((l for l in lines if l.startswith("serving ")), None), "the server")
        url = re.search(r"http://127\.0\.0\.1:\d+/", served)[0]
        assert "The first text." in fetch("brief.html") and "The first text." in pdf_text(out / "brief.pdf")
        version = fetch("__briefing/version")
        answered: list[str] = []
        asking = threading.Thread(target=lambda: answered.append(fetch(f"__briefing/version?since={version}")))
        asking.start()
        time.sleep(0.5)
        assert answered == []  # the server holds the question until something changes
        source.write_text(FRONT + "# One\n\nThe second text.\n")
        asking.join(120)
        assert answered and answered[0] != version
        wait(lambda: "The second text." in fetch("brief.html"), "the new page")
        wait(lambda: "The second text." in pdf_text(out / "brief.pdf"), "the new PDF")
        assert "The second text." in (out / "brief.html").read_text()
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
