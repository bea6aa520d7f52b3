"""Hugo's TOML front matter (`+++`): read as YAML front matter is, each
key's problem at its line (pipeline/read/toml_front.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import run_cli
from pipeline import model as m
from pipeline.problems import BriefingError
from pipeline.run.build import load

COVENANT = """+++
version = "2.1"
aliases = ["/version/2/1"]
+++

# Contributor Covenant Code of Conduct

## Our Pledge

We as members, contributors, and leaders pledge to make participation in our
community a harassment-free experience for everyone.
"""


def test_the_contributor_covenants_toml_is_front_matter_not_text(tmp_path):
    """Its `+++` block was a paragraph (`+++ version = “2.1” …`) and its
    title the file's name."""
    source = tmp_path / "code_of_conduct.md"
    source.write_text(COVENANT, encoding="utf-8")
    result = run_cli("build", source, "--classification", "UNCLASSIFIED", "--to", "html", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == (f"{source}:3: warning: front-matter keys briefing does not use, "
                                      "ignored (other tools' settings): aliases")
    doc = load(source, marking="UNCLASSIFIED")
    assert doc.meta.title == "Contributor Covenant Code of Conduct"
    assert [m.plain_text(s.title) for s in doc.sections] == ["Our Pledge"]
    page = (tmp_path / "code_of_conduct.html").read_text(encoding="utf-8")
    assert "+++" not in page and "version" not in page


def test_toml_keys_have_toml_types(tmp_path):
    source = tmp_path / "hugo.md"
    source.write_text('+++\ntitle = "Hello"\nclassification = "UNCLASSIFIED"\ndate = 2021-03-04\ntoc = true\n'
                      'draft = true\n\n[params]\n  x = 1\n+++\n\nText.\n', encoding="utf-8")
    doc = load(source)
    assert (doc.meta.title, doc.meta.classification, doc.meta.toc) == ("Hello", "UNCLASSIFIED", True)
    assert doc.meta.date in ("2021-03-04", dt.date(2021, 3, 4))
    assert m.block_text(doc.blocks[0]) == "Text."


def test_toml_dates_times_and_tables_read_as_yaml_would(tmp_path):
    """A TOML time of day (Hugo's `time = 07:32:00`) was an internal error;
    a date-time showed as Python writes one ("2021-03-04 10:00:00+00:00")."""
    source = tmp_path / "hugo.md"
    source.write_text('+++\ntitle = "Hello"\nclassification = "UNCLASSIFIED"\ndate = 2021-03-04T10:00:00Z\n'
                      'time = 07:32:00\n[[menu.main]]\n  name = "x"\n+++\n\nText.\n', encoding="utf-8")
    result = run_cli("build", source, "--to", "html", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "ignored (other tools' settings): time, menu" in result.stderr
    page = (tmp_path / "hugo.html").read_text(encoding="utf-8")
    assert '<meta name="dcterms.created" content="2021-03-04T10:00:00+00:00">' in page


@pytest.mark.parametrize("front, said", [
    ('title = "T"\nclassification = "UNCLASSIFIED"\ntoc = "maybe"\n', (4, "'toc' must be true or false")),
    ('title = "T"\nclassification = "UNCLASSIFIED"\n\n[authors\nname = "x"\n',
     (5, "front matter (TOML, as Hugo writes it):")),
    ('title = "T"\nclasification = "UNCLASSIFIED"\n', (3, "did you mean 'classification'?")),
])
def test_a_toml_problem_is_an_error_at_its_line(tmp_path, front, said):
    source = tmp_path / "bad.md"
    source.write_text(f"+++\n{front}+++\n\nText.\n", encoding="utf-8")
    with pytest.raises(BriefingError) as raised:
        load(source)
    assert any(p.line == said[0] and said[1] in p.message and p.severity == "error"
               for p in raised.value.problems), raised.value.problems


def test_unclosed_toml_names_its_fence(tmp_path):
    source = tmp_path / "open.md"
    source.write_text('+++\ntitle = "T"\n\nText.\n', encoding="utf-8")
    result = run_cli("check", source)
    assert result.returncode != 0
    assert f"{source}:1: front matter is not closed: add a line '+++' after it" in result.stderr
