"""Incremental builds: what the manifest counts as a change, and what not."""

import os
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from pipeline.run.batch import build_many
from pipeline.run.build import Options
from pipeline.run.manifest import NAME, Manifest, digest_file
from pipeline.render.templates import Templates


@pytest.fixture
def project(tmp_path):
    """A copy of the figures fixture (a source and its images) and a house style."""
    shutil.copy(FIXTURES / "figures.md", tmp_path / "brief.md")
    shutil.copytree(FIXTURES / "images", tmp_path / "images")
    (tmp_path / "house" / "html").mkdir(parents=True)
    (tmp_path / "house" / "html" / "screen.css").write_text("body { color: #111; }\n")
    return tmp_path


def statuses(project, **options):
    settings = {"formats": ("html", "docx"), "out_dir": project / "out",
                "templates": Templates(project / "house"), **options}
    force = settings.pop("force", False)
    return [o.status for o in build_many([project / "brief.md"], Options(**settings),
                                         jobs=1, force=force)]


def test_nothing_changed_nothing_rebuilt(project):
    assert statuses(project) == ["built"]
    written = {p: p.stat().st_mtime_ns for p in (project / "out").iterdir()}
    assert statuses(project) == ["up to date"]
    assert {p: p.stat().st_mtime_ns for p in (project / "out").iterdir()} == written


def test_force_rebuilds(project):
    statuses(project)
    assert statuses(project, force=True) == ["built"]


@pytest.mark.parametrize("change", [
    "source edited", "figure replaced", "template edited", "template added", "built-in overridden",
])
def test_a_change_rebuilds(project, change):
    statuses(project)
    match change:
        case "source edited":
            with open(project / "brief.md", "a") as file:
                file.write("\nOne more line.\n")
        case "figure replaced":
            (project / "images" / "map.png").write_bytes(
                (FIXTURES / "images" / "map.png").read_bytes() + b"\0")  # bytes after IEND
        case "template edited":
            (project / "house" / "html" / "screen.css").write_text("body { color: #222; }\n")
        case "template added":
            (project / "house" / "text").mkdir()
            (project / "house" / "text" / "notes.txt").write_text("a new file in the folder\n")
        case "built-in overridden":
            (project / "house" / "print").mkdir()
            (project / "house" / "print" / "print.css").write_text("@page { margin: 1cm; }\n")
    assert statuses(project) == ["built"]
    assert statuses(project) == ["up to date"]


def test_touch_alone_is_no_change(project):
    """Hashes, not times: a checkout or a `touch` rebuilds nothing."""
    statuses(project)
    for path in (project / "brief.md", project / "images" / "map.png",
                 project / "house" / "html" / "screen.css"):
        os.utime(path, (1, 1))
    assert statuses(project) == ["up to date"]


def test_other_options_rebuild(project):
    statuses(project)
    assert statuses(project, formats=("html",)) == ["built"]
    assert statuses(project, templates=Templates()) == ["built"]


def test_an_output_changed_or_gone_is_rebuilt(project):
    statuses(project)
    (project / "out" / "brief.html").write_text("edited by hand")
    assert statuses(project) == ["built"]
    (project / "out" / "brief.docx").unlink()
    assert statuses(project) == ["built"]
    assert (project / "out" / "brief.docx").is_file()


def test_a_failed_build_keeps_outputs_and_rebuilds_next_time(project):
    statuses(project)
    before = {p.name: p.read_bytes() for p in (project / "out").iterdir()}
    good = (project / "brief.md").read_text()
    (project / "brief.md").write_text(good + "\nSee @sec-nowhere.\n")
    assert statuses(project) == ["failed"]
    assert {p.name: p.read_bytes() for p in (project / "out").iterdir()} == before
    (project / "brief.md").write_text(good)  # back as it was: its outputs are those
    assert statuses(project) == ["up to date"]


def test_the_manifest_records_figures_and_outputs(project):
    statuses(project)
    entry = Manifest(project / "out").entries["../brief.md"]
    assert set(entry["inputs"]) == {"../images/map.png", "../images/wide-photo.jpg"}
    assert entry["outputs"] == {"brief.docx": digest_file(project / "out" / "brief.docx"),
                                "brief.html": digest_file(project / "out" / "brief.html")}
    assert entry["report"]["markings"] == "UNCLASSIFIED"


def test_a_broken_manifest_means_rebuild(project):
    statuses(project)
    (project / "out" / NAME).write_text("{not json")
    assert statuses(project) == ["built"]
    assert statuses(project) == ["up to date"]


def test_up_to_date_check_needs_no_heavy_modules(project):
    import subprocess
    import sys
    statuses(project)
    probe = ("import sys; from pathlib import Path; from pipeline.cli import main; "
             f"main(['build', {str(project / 'brief.md')!r}, '--to', 'html,docx', "
             f"'--out', {str(project / 'out')!r}, '--templates', {str(project / 'house')!r}]); "
             "print(sorted(m for m in ('markdown', 'weasyprint', 'docx', 'jinja2', 'lxml') "
             "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True, cwd=Path(__file__).parent.parent)
    assert result.stdout.splitlines() == [f"{project / 'brief.md'}: up to date", "[]"]


def test_an_image_in_the_line_is_an_input_too(project):
    """A badge's bytes changed rebuild the briefing, as a figure's do."""
    with open(project / "brief.md", "a") as file:
        file.write("\nA badge ![passing](images/badge.png) in a line.\n")
    assert statuses(project) == ["built"]
    entry = Manifest(project / "out").entries["../brief.md"]
    assert "../images/badge.png" in entry["inputs"]
    assert statuses(project) == ["up to date"]
    (project / "images" / "badge.png").write_bytes((FIXTURES / "images" / "map.png").read_bytes())
    assert statuses(project) == ["built"]


def test_a_figure_saved_during_a_build_is_rebuilt_next_time(project, monkeypatch):
    """The author saves a figure while the build runs, after the outputs
    took the old one: the manifest may not say 'up to date' over it."""
    from pipeline.render import html

    render = html.render
    figure = project / "images" / "map.png"
    old = figure.read_bytes()

    def saved_meanwhile(doc, ctx, reporter):
        made = render(doc, ctx, reporter)
        figure.write_bytes(old + b"\0")  # bytes after IEND: a new version of the figure
        return made

    monkeypatch.setattr(html, "render", saved_meanwhile)
    assert statuses(project, formats=("html",)) == ["built"]
    monkeypatch.setattr(html, "render", render)
    entry = Manifest(project / "out").entries["../brief.md"]
    assert entry["inputs"]["../images/map.png"] != digest_file(figure)
    assert statuses(project, formats=("html",)) == ["built"]  # with the figure as it is now
    assert statuses(project, formats=("html",)) == ["up to date"]


def test_two_builds_into_one_folder_keep_each_others_entries(tmp_path):
    """Each build read the manifest before the other saved it: saving
    merges what is on disk, so neither build's entry is lost."""
    from pipeline.run.batch import save

    out = tmp_path / "out"
    out.mkdir()
    first, second = Manifest(out), Manifest(out)
    for manifest, name in ((first, "a.md"), (second, "b.md")):
        (tmp_path / name).write_text(name)
        (out / f"{name}.html").write_text(name)
        manifest.record(tmp_path / name, digest_file(tmp_path / name), "settings", inputs={},
                        outputs=[out / f"{name}.html"], report={})
    save(first)
    save(second)
    assert sorted(Manifest(out).entries) == ["../a.md", "../b.md"]


def test_two_commands_building_into_one_folder_at_once(tmp_path):
    import subprocess
    import sys
    from conftest import ROOT
    out = tmp_path / "out"
    sources = []
    for name in ("a.md", "b.md"):
        sources.append(tmp_path / name)
        sources[-1].write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\nText.\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    commands = [subprocess.Popen([sys.executable, "-m", "pipeline", "build", source, "--to", "html",
                                  "--out", out], cwd=ROOT, env=env) for source in sources]
    assert [command.wait(timeout=120) for command in commands] == [0, 0]
    assert sorted(Manifest(out).entries) == ["../a.md", "../b.md"]
