"""pipeline/run/build.py through the path `briefing build` takes (the batch,
here of one): atomic writes, a failed build leaves nothing half-written and
keeps old outputs."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.problems import BriefingError
from pipeline.render.templates import Templates
from pipeline.run.batch import build_many
from pipeline.run.build import Options, write_atomic
from pipeline.run.outcome import Outcome


def build(source, options: Options) -> Outcome:
    """One briefing, as `briefing build --jobs 1 --force` builds it."""
    return build_many([source], options, jobs=1, force=True)[0]


def test_build_writes_the_asked_formats(write, tmp_path):
    source = write("# One\n\nText.\n")
    written = build(source, Options(formats=("html",), out_dir=tmp_path / "out")).outputs
    assert written == (tmp_path / "out" / "brief.html",)
    assert "<h2>One</h2>" in written[0].read_text()
    assert sorted(os.listdir(tmp_path / "out")) == [".briefing-manifest.json", "brief.html"]


def test_failed_build_keeps_previous_outputs(write, tmp_path):
    out = tmp_path / "out"
    source = write("# One\n\nGood.\n")
    build(source, Options(formats=("html",), out_dir=out))
    before = (out / "brief.html").read_bytes()
    write("# One\n\nSee @sec-nowhere.\n")
    failed = build(source, Options(formats=("html",), out_dir=out))
    assert failed.status == "failed"
    assert [(p.line, p.code) for p in failed.errors] == [(7, "ref.unknown-id")]
    assert (out / "brief.html").read_bytes() == before
    assert sorted(os.listdir(out)) == [".briefing-manifest.json", "brief.html"]


def test_output_may_not_replace_the_source(write, tmp_path):
    source = write("Text.\n", name="brief.html")
    failed = build(source, Options(formats=("html",), out_dir=tmp_path))
    assert [p.code for p in failed.errors] == ["option.overwrites-source"]


def test_unwritable_folder_is_a_clear_error(write, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(BriefingError, match="cannot write to"):
        write_atomic(blocker / "out" / "brief.html", b"x", "brief.md")


def test_interrupted_write_leaves_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "x.html"
    target.write_text("old")

    def interrupted(*_):
        raise KeyboardInterrupt
    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new", "src.md")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.html"]


@pytest.mark.parametrize("formats, module", [(("html", "docx"), "weasyprint"), (("docx",), "jinja2")])
def test_a_build_loads_only_what_its_formats_need(write, tmp_path, formats, module):
    source = write("# One\n\nText.\n")
    # What a build process runs (batch.Maker), here in the probe's own process.
    probe = (
        "import sys; from pathlib import Path; from pipeline.run.batch import Maker; "
        "from pipeline.run.build import Options; "
        f"made = Maker(Options(formats={formats!r}, out_dir=Path({str(tmp_path)!r})))"
        f"(Path({str(source)!r})).made; "
        f"print(made is not None, {module!r} in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True False"


def test_all_formats_with_the_pdf_in_a_worker(write, tmp_path):
    source = write("# One\n\nText.\n")
    written = build(source, Options(out_dir=tmp_path)).outputs
    assert sorted(p.name for p in written) == ["brief.docx", "brief.html", "brief.pdf"]
    assert (tmp_path / "brief.pdf").read_bytes().startswith(b"%PDF-")


def test_error_in_the_pdf_worker_comes_back_whole(write, tmp_path):
    house = tmp_path / "house" / "print"
    house.mkdir(parents=True)
    (house / "print.css").write_text('body { background: url("http://127.0.0.1:9/x.png"); }')
    out = tmp_path / "out"
    failed = build(write("Text.\n"), Options(out_dir=out, templates=Templates(tmp_path / "house")))
    assert "refused to fetch http://127.0.0.1:9/x.png" in str(failed.errors[0])
    assert [p.code for p in failed.errors] == ["pdf.fetch"]
    assert not (out / "brief.html").exists()  # the HTML and DOCX made meanwhile were not written


def test_figures_hash_embedded_bytes_once_and_files_each_time(tmp_path):
    from types import SimpleNamespace

    from pipeline.run.build import figures

    on_disk = tmp_path / "map.png"
    on_disk.write_bytes(b"first")
    embedded = SimpleNamespace(path=str(tmp_path / "logo.png"), data=b"logo")
    read = figures([embedded, SimpleNamespace(path=str(on_disk))])
    on_disk.write_bytes(b"saved since")
    again = figures([embedded, SimpleNamespace(path=str(on_disk))], {**read, Path(embedded.path): "kept"})
    assert again[Path(embedded.path)] == "kept"  # the model's bytes cannot have changed
    assert again[on_disk] != read[on_disk]  # the file is read again


class TypesetWorker:
    """The PDF worker as `finish` sees it: its answer, or no answer in time."""

    def __init__(self, answer=None):
        self.answer, self.stopped, self.timeout = answer, False, None

    def result(self, timeout=None):
        self.timeout = timeout
        if self.answer is None:
            raise TimeoutError
        return self.answer

    def stop(self, trace=False):
        self.stopped, self.traced = True, trace


def made_but_the_pdf(tmp_path, warnings=()):
    from pipeline.run.build import Made

    return Made(files={tmp_path / "b.docx": b"docx", tmp_path / "b.html": b"html"}, warnings=tuple(warnings),
                pages=None, markings="UNCLASSIFIED", inputs={}, pdf=tmp_path / "b.pdf")


def pdf_warning(code, line=None):
    from pipeline.problems import Problem

    return Problem("b.md", line, f"PDF: {code}", code=code, severity="warning")


def test_finish_adds_the_pdf_in_the_order_of_the_formats_with_its_warnings(tmp_path):
    from pipeline.run.build import finish

    worker = TypesetWorker((b"%PDF-", [pdf_warning("pdf.weasyprint"), pdf_warning("staff.page-limit")], 7))
    options = Options(out_dir=tmp_path, silenced=("staff",))
    made = finish(made_but_the_pdf(tmp_path, [pdf_warning("link.unknown", 3)]), worker, tmp_path / "b.md",
                  options, 42.5)
    assert list(made.files) == [tmp_path / "b.pdf", tmp_path / "b.docx", tmp_path / "b.html"]
    assert made.files[tmp_path / "b.pdf"] == b"%PDF-" and made.pages == 7 and made.pdf is None
    assert [w.code for w in made.warnings] == ["link.unknown", "pdf.weasyprint"]  # staff.* silenced
    assert worker.timeout == 42.5


def test_finish_fails_on_a_pdf_warning_with_fail_on_warning(tmp_path):
    from pipeline.run.build import finish

    worker = TypesetWorker((b"%PDF-", [pdf_warning("pdf.weasyprint")], 1))
    with pytest.raises(BriefingError) as caught:
        finish(made_but_the_pdf(tmp_path), worker, tmp_path / "b.md", Options(fail_on_warning=True), 10)
    assert [p.code for p in caught.value.problems] == ["pdf.weasyprint", "build.warnings-as-errors"]


def test_finish_stops_the_worker_at_the_time_limit(tmp_path):
    from pipeline.run.build import finish

    worker = TypesetWorker()
    with pytest.raises(BriefingError) as caught:
        finish(made_but_the_pdf(tmp_path), worker, tmp_path / "b.md", Options(time_limit=3), 1.2)
    assert worker.stopped and worker.traced and worker.timeout == 1.2
    assert str(caught.value) == f"{tmp_path / 'b.md'}: stopped after 3 s: the build took longer than " \
                                "its time limit (--time-limit)"
