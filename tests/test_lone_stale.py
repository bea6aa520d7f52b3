"""A batch where one briefing changed builds it as fast as building it
alone: its PDF worker starts as soon as the batch finds it stale."""

import shutil

import pytest

from conftest import FIXTURES
from pipeline.run import worker as pdf_worker
from pipeline.run.batch import build_many
from pipeline.run.build import Options
from readers import pdf_text


@pytest.fixture
def batch(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    names = ("outline.md", "lists.md", "tables.md", "inlines.md")
    for name in names:
        shutil.copy(FIXTURES / name, folder / name)
    return [folder / name for name in names]


@pytest.fixture
def started(monkeypatch):
    """The PDF workers the batch starts, and which of them it stopped unused."""
    seen: list[dict] = []
    real = pdf_worker.start

    def start(formats, briefings, jobs):
        worker = real(formats, briefings=briefings, jobs=jobs)
        seen.append({"briefings": briefings, "worker": worker})
        return worker

    monkeypatch.setattr(pdf_worker, "start", start)
    return seen


@pytest.mark.skipif(not pdf_worker.spare_core(), reason="needs two cores")
def test_the_one_stale_briefing_of_a_batch_gets_a_pdf_worker(batch, started, tmp_path):
    options = Options(formats=("pdf", "html"), out_dir=tmp_path / "out")
    build_many(batch, options, jobs=2)
    started.clear()
    with open(batch[2], "a") as file:
        file.write("\nA paragraph added since.\n")
    outcomes = build_many(batch, options, jobs=2)
    assert [o.status for o in outcomes] == ["up to date", "up to date", "built", "up to date"]
    [first, *more] = started
    assert first["briefings"] == len(batch) and first["worker"] is None  # a batch: none at first
    [lone] = more
    assert lone["briefings"] == 1 and lone["worker"] is not None
    assert lone["worker"].process.exitcode == 0  # it typeset the PDF, answered and ended
    assert "A paragraph added since." in pdf_text(tmp_path / "out" / "tables.pdf")


@pytest.mark.skipif(not pdf_worker.spare_core(), reason="needs two cores")
def test_two_stale_briefings_are_built_by_the_batch_without_one(batch, started, tmp_path):
    options = Options(formats=("pdf", "html"), out_dir=tmp_path / "out")
    build_many(batch, options, jobs=2)
    started.clear()
    for changed in (batch[1], batch[3]):
        with open(changed, "a") as file:
            file.write("\nA paragraph added since.\n")
    outcomes = build_many(batch, options, jobs=2)
    assert [o.status for o in outcomes] == ["up to date", "built", "up to date", "built"]
    assert [s["worker"] for s in started] == [None]  # the batch's own, none; no lone one
    for name in ("lists", "inlines"):
        assert "A paragraph added since." in pdf_text(tmp_path / "out" / f"{name}.pdf")


@pytest.mark.skipif(not pdf_worker.spare_core(), reason="needs two cores")
def test_a_worker_started_for_one_changed_source_is_stopped_when_another_turns_out_stale(
        batch, started, tmp_path):
    """One source changed, and another's output was deleted: two to build."""
    options = Options(formats=("pdf", "html"), out_dir=tmp_path / "out")
    build_many(batch, options, jobs=2)
    started.clear()
    with open(batch[0], "a") as file:
        file.write("\nA paragraph added since.\n")
    (tmp_path / "out" / "tables.pdf").unlink()
    outcomes = build_many(batch, options, jobs=2)
    assert [o.status for o in outcomes] == ["built", "up to date", "built", "up to date"]
    lone = next(s["worker"] for s in started if s["briefings"] == 1)
    assert lone is not None and lone.process.exitcode < 0  # stopped unused
    assert "A paragraph added since." in pdf_text(tmp_path / "out" / "outline.pdf")
    assert (tmp_path / "out" / "tables.pdf").exists()


@pytest.mark.skipif(not pdf_worker.spare_core(), reason="needs two cores")
def test_the_command_starts_the_worker_ahead_when_one_source_of_a_batch_changed(batch, started, tmp_path):
    """Before the pipeline loads, from a look at the manifest's hashes:
    none for a batch with nothing to build, one when one source changed."""
    from conftest import run_cli
    assert run_cli("build", *batch, "--to", "pdf", "--out", tmp_path / "out").returncode == 0
    started.clear()
    again = run_cli("build", *batch, "--to", "pdf", "--out", tmp_path / "out")
    assert again.returncode == 0 and again.stdout.splitlines()[-1] == "0 built, 4 up to date, 0 failed"
    assert [s for s in started if s["worker"]] == []
    with open(batch[1], "a") as file:
        file.write("\nA paragraph added since.\n")
    changed = run_cli("build", *batch, "--to", "pdf", "--out", tmp_path / "out")
    assert changed.stdout.splitlines()[-1] == "1 built, 3 up to date, 0 failed"
    [ahead] = [s for s in started if s["worker"]]
    assert ahead["briefings"] == 1 and ahead["worker"].process.exitcode == 0  # it typeset the PDF
    assert "A paragraph added since." in pdf_text(tmp_path / "out" / "lists.pdf")
