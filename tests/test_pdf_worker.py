"""pipeline/run/worker.py: the PDF worker forked at the start of a build,
and the print job (pipeline/weasy/typeset.py) it is given."""

import pickle

import pytest

from pipeline.run import worker as pdf_worker
from pipeline.run.build import load
from pipeline.run.limits import stopped
from rendering import job_of
from pipeline.render.templates import Templates

from conftest import FIXTURES


@pytest.mark.parametrize("formats, briefings, jobs", [
    (("docx", "html"), 1, 2),  # no PDF
    (("pdf", "docx"), 3, 2),  # a batch: its pool keeps both cores busy
    (("pdf", "html"), 1, 1),  # one core asked for
])
def test_no_worker_where_it_cannot_help(formats, briefings, jobs):
    assert pdf_worker.start(formats, briefings=briefings, jobs=jobs) is None


@pytest.mark.skipif(not pdf_worker.spare_core(), reason="needs two cores")
def test_the_worker_typesets_the_job_it_is_given(tmp_path):
    with stopped(pdf_worker.start(("pdf", "docx"), briefings=1, jobs=2)) as worker:
        job = job_of(load(FIXTURES / "elements.md"), Templates())
        worker.give(job)
        data, warnings, pages = worker.result()
    assert data.startswith(b"%PDF-") and pages >= 1 and warnings == []
    assert not worker.process.is_alive()


@pytest.mark.skipif(not pdf_worker.spare_core(), reason="needs two cores")
def test_the_pdf_alone_gets_a_worker_too(tmp_path):
    """It loads WeasyPrint while the build reads the source: `--to pdf` is
    then no slower than all three formats."""
    with stopped(pdf_worker.start(("pdf",), briefings=1, jobs=2)) as worker:
        assert worker is not None
        worker.give(job_of(load(FIXTURES / "outline.md"), Templates()))
        data, _, pages = worker.result()
    assert data.startswith(b"%PDF-") and pages >= 1


WORKER_IMPORTS = """
import sys
import pipeline.cli  # what the command has loaded when it forks the worker
from pipeline.run import worker
before = set(sys.modules)
worker.warm_up()
print(" ".join(sorted(set(sys.modules) - before)))
"""


def test_the_worker_loads_weasyprint_and_nothing_of_the_build():
    """The model, the templates, the readers and the other backends are the
    build's: a worker that loaded them too would start later (0.1 s)."""
    import subprocess
    import sys
    from conftest import ROOT
    loaded = subprocess.run([sys.executable, "-c", WORKER_IMPORTS], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.split()
    assert "weasyprint" in loaded and "pipeline.weasy.typeset" in loaded
    ours = sorted(m for m in loaded if m.startswith("pipeline."))
    assert all(m.startswith(("pipeline.weasy", "pipeline.render.printjob", "pipeline.cache", "pipeline.lazy"))
               for m in ours), ours
    # pikepdf (50 ms) only when a PDF has a signature field or enclosures.
    for foreign in ("jinja2", "markdown", "docx", "yaml", "pipeline.model", "pipeline.render.html", "pikepdf"):
        assert foreign not in loaded, foreign


def test_a_print_job_is_plain_data():
    job = job_of(load(FIXTURES / "elements.md"), Templates(), "pdf/a-3b")
    assert pickle.loads(pickle.dumps(job)) == job
    assert job.lang == "en-GB" and job.variant == "pdf/a-3b" and "<html" in job.markup


GIVEN = """
import sys
from pathlib import Path
from pipeline.run import limits
give = limits.Worker.give

def noting_give(worker, *args):
    loaded = sorted(m for m in ("docx", "pipeline.render.docx", "weasyprint") if m in sys.modules)
    Path(sys.argv[1]).write_text(" ".join(loaded) or "none")
    give(worker, *args)

limits.Worker.give = noting_give
from pipeline.cli import main
sys.exit(main(["build", sys.argv[2], "--to", "pdf,docx", "--out", sys.argv[3]]))
"""


@pytest.mark.skipif(not pdf_worker.spare_core(), reason="needs two cores")
def test_the_print_job_is_given_before_the_word_backend_loads(tmp_path):
    """The worker waits for its job: what the build imports before giving
    it (python-docx, 30 ms) delays the PDF. The DOCX backend loads after."""
    from processes import fresh_python
    noted = tmp_path / "loaded.txt"
    fresh_python(GIVEN, str(noted), str(FIXTURES / "outline.md"), str(tmp_path / "out"), cache=tmp_path / "cache")
    assert noted.read_text() == "none"
    assert (tmp_path / "out" / "outline.pdf").exists() and (tmp_path / "out" / "outline.docx").exists()
