"""pipeline/run/ahead.py: a lone DOCX or HTML briefing's crew process,
forked before its options exist (crew.Member.ahead), and for a DOCX the
renderer beside it that loads the backends while the source is read
(build.render_apart, build.rendered_by)."""

import io
import os
import sys
import zipfile
from pathlib import Path

import docx as python_docx
import pytest

from conftest import FIXTURES
from pipeline.problems import BriefingError
from pipeline.render.docx.package import BUILTIN_REFERENCE
from pipeline.run import ahead
from pipeline.run.build import Options, make
from pipeline.run.crew import Crew, Member
from pipeline.run.limits import Worker
from pipeline.run.worker import spare_core

WARNED = FIXTURES / "links-and-images.md"  # reading warns (a link to no heading, remote images)


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def lacking_caption(path: Path) -> Path:
    """Our reference without its Caption style: the DOCX backend warns."""
    package = python_docx.Document(str(BUILTIN_REFERENCE))
    caption = package.styles["Caption"]
    caption.element.getparent().remove(caption.element)
    package.save(str(path))
    return path


def by_a_renderer(source: Path, options: Options):
    """`make` with a renderer, as the crew process of ahead.py makes it."""
    renderer = Worker.ahead(ahead.render, warm=lambda: ahead.backends(options.formats))
    try:
        return make(source, options, renderer=renderer)
    finally:
        renderer.stop()


def test_a_process_started_ahead_runs_the_task_it_is_set_up_with():
    member = Member.ahead(lambda value: (lambda item: (value, item, os.getpid())), warm=None)
    assert member.set_up("options")
    with Crew(lambda item: "forked afterwards", size=1, seconds=10, ready=(member,)) as crew:
        answers = list(crew.run(["a", "b"]))
    assert answers == [("a", ("options", "a", member.process.pid)), ("b", ("options", "b", member.process.pid))]
    assert not member.process.is_alive()  # the crew ended it


def test_an_unused_process_is_ended():
    started = ahead.Ahead(("html",))
    process = started.member.process
    started.stop()
    assert not process.is_alive() and started.take(Options()) is None


@pytest.mark.parametrize("formats", [("docx",), ("docx", "html")])
def test_a_renderer_makes_what_this_process_would(tmp_path, formats, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764720000")  # the DOCX's dates: the same second in both
    Options().templates.env  # noqa: B018 - a Jinja environment made here first: it stays here
    options = Options(formats=formats, out_dir=tmp_path, reference_doc=lacking_caption(tmp_path / "ref.docx"))
    here, there = make(WARNED, options), by_a_renderer(WARNED, options)
    assert [p.code for p in there.warnings] == [p.code for p in here.warnings]
    assert {"link.unknown-id", "docx.reference-style"} <= {p.code for p in there.warnings}
    assert there.warnings == here.warnings  # the backend's after the reading's, as made here
    for target, data in here.files.items():
        if target.suffix == ".docx":
            ours, theirs = parts(there.files[target]), parts(data)
            assert {name for name in ours if ours[name] != theirs.get(name)} == set(), target
        else:
            assert there.files[target] == data, target


def test_a_renderer_error_comes_with_the_reading_problems(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip" * 10)
    options = Options(formats=("docx",), out_dir=tmp_path, reference_doc=broken)
    with pytest.raises(BriefingError) as here:
        make(WARNED, options)
    with pytest.raises(BriefingError) as there:
        by_a_renderer(WARNED, options)
    assert there.value.problems == here.value.problems
    assert {"link.unknown-id", "docx.reference"} <= {p.code for p in there.value.problems}


def test_a_renderer_killed_from_outside_leaves_the_rendering_here(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764720000")
    options = Options(formats=("docx",), out_dir=tmp_path)
    renderer = Worker.ahead(ahead.render, warm=lambda: None)
    renderer.process.kill()
    renderer.process.join()
    made = make(FIXTURES / "elements.md", options, renderer=renderer)
    assert parts(made.files[tmp_path / "elements.docx"]) == parts(make(FIXTURES / "elements.md", options)
                                                                  .files[tmp_path / "elements.docx"])


NOTED = """
import sys
from pathlib import Path
from pipeline.run import limits
give = limits.Worker.give

def noting_give(worker, *args):
    Path(sys.argv[1]).write_text(" ".join(m for m in ("docx", "pipeline.render.docx", "markdown")
                                          if m in sys.modules) or "none")
    give(worker, *args)

limits.Worker.give = noting_give
from pipeline.cli import main
sys.exit(main(["build", sys.argv[2], "--to", "docx", "--out", sys.argv[3]]))
"""


@pytest.mark.skipif(not spare_core(), reason="needs two cores")
def test_a_lone_docx_is_rendered_beside_the_reading(tmp_path, monkeypatch):
    """The process that read the source hands the model over without
    having loaded python-docx (30 ms): the renderer loaded it meanwhile."""
    from processes import fresh_python
    noted = tmp_path / "loaded.txt"
    fresh_python(NOTED, str(noted), str(FIXTURES / "outline.md"), str(tmp_path / "out"), cache=tmp_path / "cache")
    assert noted.read_text() == "markdown"  # the reading's, not the backend's
    written = (tmp_path / "out" / "outline.docx").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764720000")  # as fresh_python builds
    options = Options(formats=("docx",), out_dir=tmp_path / "out")
    assert parts(written) == parts(make(FIXTURES / "outline.md", options).files[tmp_path / "out" / "outline.docx"])
    assert sys.modules.get("pipeline.run.ahead") is ahead

