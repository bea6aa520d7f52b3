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
    (("pdf",), 1, 2),  # nothing to do beside the PDF
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


def test_a_print_job_is_plain_data():
    job = job_of(load(FIXTURES / "elements.md"), Templates(), "pdf/a-3b")
    assert pickle.loads(pickle.dumps(job)) == job
    assert job.lang == "en-GB" and job.variant == "pdf/a-3b" and "<html" in job.markup
