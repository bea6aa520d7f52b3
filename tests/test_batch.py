"""Many briefings at once: a pool of workers gives what one process gives."""

import os
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT
from processes import gone, wait_until
from pipeline.run.batch import build_many
from pipeline.run.build import Options


@pytest.fixture
def sources(tmp_path):
    """Four fixtures, one with figures, and one bad source among them."""
    folder = tmp_path / "src"
    shutil.copytree(FIXTURES, folder, ignore=shutil.ignore_patterns("bad"))
    bad = folder / "bad.md"
    bad.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\nSee @sec-nowhere.\n")
    return [folder / name for name in ("elements.md", "figures.md", "bad.md", "tables.md",
                                       "footnotes.md")]


def test_jobs_2_gives_the_outputs_of_jobs_1(sources, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")  # fixed dates in the PDF and DOCX
    results = {}
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        outcomes = build_many(sources, Options(out_dir=out), jobs=jobs)
        assert [o.source for o in outcomes] == sources  # in the order given
        results[jobs] = ([(o.status, o.pages, o.markings, [p.name for p in o.outputs],
                           [str(e) for e in o.errors]) for o in outcomes],
                         {p.name: p.read_bytes() for p in out.iterdir() if p.suffix != ".json"})
    assert results[1] == results[2]
    summary, files = results[2]
    assert [s[0] for s in summary] == ["built", "built", "failed", "built", "built"]
    assert summary[2][4] == [f"{sources[2]}:5: cross-reference @sec-nowhere points at no heading, table, figure or equation with that id"]
    assert len(files) == 12 and "bad.html" not in files
    assert all(pages and pages >= 1 for _, pages, *_ in (s for s in summary if s[0] == "built"))


def test_a_second_batch_builds_only_what_changed(sources, tmp_path):
    options = Options(formats=("html",), out_dir=tmp_path / "out")
    build_many(sources, options, jobs=2)
    with open(sources[3], "a") as file:
        file.write("\nA new paragraph.\n")
    seen = []
    outcomes = build_many(sources, options, jobs=2, done=seen.append)
    assert [o.status for o in outcomes] == ["up to date", "up to date", "failed", "built", "up to date"]
    assert sorted(o.source.name for o in seen) == sorted(s.name for s in sources)
    assert "A new paragraph." in (tmp_path / "out" / "tables.html").read_text()


def test_a_build_process_tidies_up_once_it_has_answered(sources, tmp_path, monkeypatch):
    """collector.tidy, the crew's `after`: run in the build process (forked
    with this patch in place) after each briefing, once its answer is sent."""
    from pipeline import collector
    log = tmp_path / "tidied"
    monkeypatch.setattr(collector, "tidy", lambda: log.open("a").write(f"{os.getpid()}\n"))
    outcomes = build_many(sources, Options(formats=("html",), out_dir=tmp_path / "out"), jobs=1)
    assert [o.status for o in outcomes] == ["built", "built", "failed", "built", "built"]
    wait_until(lambda: log.exists() and len(log.read_text().split()) >= len(sources) - 1,
               "the build process to tidy up after its briefings")
    assert set(log.read_text().split()) != {str(os.getpid())}  # there, not here


def test_a_warm_process_keeps_its_build_process_between_builds(sources, tmp_path, monkeypatch):
    """watch builds again and again: the same crew process serves each build
    (batch.RESIDENT), unless the options change; an error ends it."""
    from pipeline.run import batch
    monkeypatch.setattr(batch, "RESIDENT", None)
    options = Options(formats=("html",), out_dir=tmp_path / "out")

    def build(source, options=options):
        [outcome] = build_many([source], options, jobs=1, force=True, warm=True)
        assert outcome.status == "built"
        return batch.RESIDENT[1].idle[0].process.pid

    first = build(sources[0])
    with open(sources[0], "a") as file:
        file.write("\nA paragraph saved since.\n")
    assert build(sources[0]) == first  # the same process ...
    assert "A paragraph saved since." in (tmp_path / "out" / "elements.html").read_text()  # ... reads it afresh
    assert build(sources[3]) == first
    other = build(sources[0], Options(formats=("docx",), out_dir=tmp_path / "out"))
    assert other != first and gone(first)  # new options: a new process, the old one ended
    with pytest.raises(KeyboardInterrupt):
        build_many([sources[0]], options, jobs=1, force=True, warm=True,
                   done=lambda _: (_ for _ in ()).throw(KeyboardInterrupt))
    assert batch.RESIDENT is None and gone(other)  # Ctrl-C in a build: its processes end with it
    [cold] = build_many([sources[0]], options, jobs=1, force=True)
    assert cold.status == "built" and batch.RESIDENT is None  # a cold build keeps nothing


GROWTH = """
import resource, sys
from pathlib import Path
from pipeline import collector
from pipeline.run.batch import Maker, build_many
from pipeline.run.build import Options
collector.relax()  # as the command line does
seed, out = Path(sys.argv[1]), Path(sys.argv[2])
sources = [out / f"copy-{n}.md" for n in range(12)]
for source in sources:
    source.write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
peaks = []
build_many(sources, Options(formats=("pdf",), out_dir=out / "build"), jobs=1,
           done=lambda _: peaks.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024))
print(peaks[5], peaks[11])
"""


def test_memory_stays_flat_over_briefings_built_one_after_another(tmp_path):
    # Untidied, the twelfth briefing peaked 41 MB above the sixth; tidied, 0 MB.
    seed = ROOT / "source" / "military-diplomacy-counter-terrorism.md"
    sixth, twelfth = map(int, subprocess.run([sys.executable, "-c", GROWTH, str(seed), str(tmp_path)],
                                             cwd=ROOT, capture_output=True, text=True,
                                             check=True).stdout.split())
    assert twelfth - sixth < 10  # MB


def test_the_pdf_is_waited_for_once_the_process_that_made_the_rest_has_ended(tmp_path):
    """At 1,000 pages that process held 70 MB while the worker typeset."""
    from pipeline.run import forked

    waited_beside = []
    before = set(forked.STARTED)  # what earlier tests left

    class PdfWorker:  # given the print job in the crew's process, waited for in this one
        def give(self, job):
            assert job.markup

        def result(self, timeout=None):
            waited_beside.append(set(forked.STARTED) - before)
            return b"%PDF-1.7 typeset", [], 3

        def stop(self):
            pass

    options = Options(out_dir=tmp_path)
    [outcome] = build_many([FIXTURES / "outline.md"], options, jobs=2, pdf_job=PdfWorker(), force=True)
    assert outcome.status == "built" and outcome.pages == 3, outcome.errors
    assert waited_beside == [set()]
    assert (tmp_path / "outline.pdf").read_bytes() == b"%PDF-1.7 typeset"
    assert (tmp_path / "outline.html").read_bytes().startswith(b"<!DOCTYPE html>")
