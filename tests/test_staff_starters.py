"""`briefing new NAME --type TYPE` (issue 21): every type's starter checks
and builds cleanly in all three formats, and shows what the type is."""

from __future__ import annotations

import docx
import pytest
from lxml import html as lxml_html

from conftest import run_cli
from readers import pdf_text
from pipeline.cli import STARTER_TYPES

# What a reader sees of each starter: a line of its PDF, a Word style in its DOCX.
SEEN = {
    "briefing": ("Pipeline starter", None),
    "memo": ("MEMORANDUM FOR Commander, Unit Name", "Memo Subject"),
    "info-paper": ("INFORMATION PAPER", "Paper Title"),
    "decision-paper": ("DECISION PAPER", "Paper Title"),
    "point-paper": ("POINT PAPER ON PIPELINE STARTER", "Paper Title"),
    "talking-paper": ("TALKING PAPER ON PIPELINE STARTER", "Paper Title"),
    "loose-minute": ("PIPELINE STARTER", "Minute Subject"),
}


def test_every_starter_type_is_listed():
    assert set(SEEN) == set(STARTER_TYPES)


@pytest.mark.parametrize("kind", STARTER_TYPES)
def test_every_starter_builds_cleanly_in_three_formats(tmp_path, kind):
    result = run_cli("new", tmp_path / "pipeline-starter", "--type", kind)
    assert result.returncode == 0, result.stderr
    source = tmp_path / "pipeline-starter.md"
    assert f"type: {kind}" in source.read_text() or kind == "briefing"
    result = run_cli("build", source, "--out", tmp_path / "out")
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    out = tmp_path / "out"
    line, style = SEEN[kind]
    assert line in " ".join(pdf_text(out / "pipeline-starter.pdf").split())
    tree = lxml_html.fromstring((out / "pipeline-starter.html").read_bytes())
    assert line.lower() in " ".join(tree.text_content().split()).lower()
    document = docx.Document(str(out / "pipeline-starter.docx"))
    if style:
        assert any(p.style.name == style for p in document.paragraphs)


def test_the_loose_minute_starter_dates_as_jsp_101(tmp_path):
    import datetime
    import re

    run_cli("new", tmp_path / "m", "--type", "loose-minute")
    result = run_cli("build", tmp_path / "m.md", "--to", "pdf", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    text = pdf_text(tmp_path / "out" / "m.pdf")
    assert datetime.date.today().strftime("%d %b %y") in text
    assert re.search(r"^\s*OFFICIAL\s*$", text, re.M)  # the protective marking, a line of its own
