"""Many briefings at once: a pool of workers gives what one process gives."""

import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT
from pipeline.run.batch import Maker, build_many
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


def test_one_process_tidies_up_between_briefings(sources, tmp_path, monkeypatch):
    """What each build process runs for its briefings (batch.Maker), here
    in this process to watch it."""
    from pipeline import collector
    tidied = []
    monkeypatch.setattr(collector, "tidy", lambda: tidied.append(True))
    make = Maker(Options(formats=("html",), out_dir=tmp_path / "out"))
    results = [make(source) for source in sources]
    assert len(tidied) == len(sources) - 1  # between briefings, not after the last
    assert [result.made is not None for result in results] == [True, True, False, True, True]



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
