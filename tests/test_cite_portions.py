"""Portion marks on what citations add (transform/cite_portions.py, README
"Markings"): each cited bibliography entry's own mark, from its `portion`
field, in front of it in the bibliography; a note made for a citation
marked with the roll-up of its entries' and its citing portion's marks;
the entries counted in the roll-up. The refusals are fixtures in
tests/fixtures/markings/refused/ (test_rollup.py); the accepted briefing
is tests/fixtures/markings/accepted/citations.md, read here in every format."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from conftest import FIXTURES, built_fixture, run_cli
from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import Reporter
from pipeline.run.build import load

ACCEPTED = FIXTURES / "markings" / "accepted"
REFUSED = FIXTURES / "markings" / "refused"
CITATIONS = FIXTURES / "citations"

# What a reader of the accepted fixture sees: each entry after its mark, in
# the style's order, and each note after the roll-up of its marks.
ENTRIES = ["(U) Brown, Alice. Exercise Plan. NATO, 2018.",
           "(S) Jones, Mary. “Logistics at the Edge.” Military Review, 2019.",
           "(U) NATO. Strategic Concept. 2021.",  # nocite
           "(C) Smith, John, and Jane Doe. Deterrence in the Baltic Region. RAND Corporation, 2020."]
NOTES = [
    # (S//NF) paragraph citing a (C) entry: the paragraph's mark (the locator is its text).
    "(S//NF) John Smith and Jane Doe, Deterrence in the Baltic Region (RAND Corporation, 2020), 33.",
    # (U) paragraph citing an (S) entry: the entry's.
    "(S) See Mary Jones, “Logistics at the Edge,” Military Review, 2019, ch. 2.",
    "(U) Alice Brown, Exercise Plan (NATO, 2018).",
    # (C) list item citing the (S) entry again (a short note).
    "(S) Jones, “Logistics at the Edge.”",
    # The author's own note keeps its own mark.
    "(U) Written by the author, who read Brown Exercise Plan.",
]


def words(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


def pandoc() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


# The model ---------------------------------------------------------------------------

def test_the_marks_in_the_model():
    doc = load(ACCEPTED / "citations.md", Reporter("citations.md"))
    assert doc.bibliography is not None
    assert [(e.id, e.portion) for e in doc.bibliography.entries] == [
        ("ref-brown2018", "U"), ("ref-jones2019", "S"), ("ref-nato2021", "U"), ("ref-smith2020", "C")]
    marks = [note.blocks[0].portion for note in doc.footnotes if isinstance(note.blocks[0], m.Paragraph)]
    assert marks == ["S//NF", "S", "U", "S", "U"]


def test_a_note_takes_every_cited_entry_and_its_portion(tmp_path):
    """One citation of two entries in a REL TO paragraph: the note carries
    the highest level and the roll-up of the controls."""
    (tmp_path / "refs.json").write_text(json.dumps([
        {"id": "a", "type": "book", "title": "Alpha", "issued": {"date-parts": [[2001]]}, "portion": "C//NF"},
        {"id": "b", "type": "book", "title": "Beta", "issued": {"date-parts": [[2002]]}, "portion": "U"}]))
    source = tmp_path / "brief.md"
    source.write_text("---\ntitle: (U) T\nclassification: SECRET//NOFORN\nportion_marking: true\n"
                      "classified_by: A\nderived_from: B\ndeclassify_on: '20501231'\nbibliography: refs.json\n"
                      "---\n\n(S//REL TO USA, GBR) Text [@a; @b].\n\n| (U) Ports |\n|---|\n| Cell [@b] |\n\n"
                      ": (U) The caption\n")
    reporter = Reporter(str(source))
    doc = load(source, reporter)
    assert not reporter.warnings
    marks = [note.blocks[0].portion for note in doc.footnotes if isinstance(note.blocks[0], m.Paragraph)]
    # S//REL TO and C//NF: SECRET, and NOFORN rules the REL TO out. The
    # table cell is in its caption's (U) portion.
    assert marks == ["S//NF", "U"]


def test_an_unmarked_briefing_does_not_change(tmp_path):
    """The `portion` fields of a bibliography are nothing to a briefing
    without portion marks: the same HTML, byte for byte."""
    plain, marked = tmp_path / "plain", tmp_path / "marked"
    for folder in (plain, marked):
        shutil.copytree(CITATIONS, folder)
    bib = (marked / "sources.bib").read_text()
    (marked / "sources.bib").write_text(re.sub(r"(@\w+\{[^,]+,)", r"\1\n  portion = {S//NF},", bib))
    assert (marked / "sources.bib").read_text().count("portion = {S//NF}") >= 4
    for folder in (plain, marked):
        result = run_cli("build", folder / "notes.md", "--to", "html", "--out", folder / "out")
        assert result.returncode == 0, result.stderr
    assert (plain / "out" / "notes.html").read_bytes() == (marked / "out" / "notes.html").read_bytes()
    doc = load(marked / "notes.md", Reporter("notes.md"))
    entries = [e for b in walk.blocks(doc) if isinstance(b, m.Bibliography) for e in b.entries]
    assert len(entries) == 4 and all(e.portion is None for e in entries)
    assert all(b.portion is None for note in doc.footnotes for b in note.blocks if isinstance(b, m.Paragraph))


@pytest.mark.parametrize("name", ["citations.bib", "../refused/cited-entry-above-banner.json",
                                  "../refused/cited-entry-mark-invalid.yaml"])
def test_pandoc_still_reads_the_bibliographies(tmp_path, name):
    """The `portion` field is ours: pandoc's citeproc reads the file and ignores it."""
    result = subprocess.run([pandoc(), "--citeproc", "--bibliography", str(ACCEPTED / name), "-t", "plain",
                             "--wrap=none"], input="T [@smith2020].\n", capture_output=True, text=True, check=True)
    assert "Deterrence in the Baltic Region" in result.stdout and "[WARNING]" not in result.stderr


# The roll-up ---------------------------------------------------------------------------------

def test_the_rollup_counts_the_entries(tmp_path):
    """An (S) entry cited from (U) text makes the briefing SECRET; check
    --explain names the entry's file and line."""
    (tmp_path / "refs.bib").write_text("@book{a,\n  title = {Alpha},\n  year = {2001},\n  portion = {S}\n}\n")
    source = tmp_path / "brief.md"
    front = ("---\ntitle: (U) T\nclassification: {}\nportion_marking: true\nclassified_by: A\n"
             "derived_from: B\ndeclassify_on: '20501231'\nbibliography: refs.bib\n---\n\n(U) Text [@a].\n")
    source.write_text(front.format("SECRET"))
    result = run_cli("check", "--explain", source)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert f"banner SECRET: level SECRET from {tmp_path / 'refs.bib'} line 1 (S)" in result.stdout
    report = tmp_path / "report.json"
    result = run_cli("build", source, "--to", "html", "--out", tmp_path / "out", "--report", report)
    assert result.returncode == 0, result.stderr
    level = json.loads(report.read_text())["briefings"][0]["rollup"]["parts"][0]
    assert level["sources"] == [{"line": 1, "mark": "S", "what": "bibliography entry a",
                                 "path": str(tmp_path / "refs.bib")}]
    # Under a CONFIDENTIAL banner the entry is above it: at its line in the .bib.
    source.write_text(front.format("CONFIDENTIAL"))
    result = run_cli("check", source)
    assert result.returncode == 1
    assert f"{tmp_path / 'refs.bib'}:1: bibliography entry a: portion mark '(S)' is above the banner" \
        in result.stderr


# The three formats -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return built_fixture(tmp_path_factory, "markings/accepted/citations.md")


@pytest.mark.slow
def test_pdf_shows_the_marks(built):
    from readers import pdf_text

    text = words(pdf_text(built / "citations.pdf"))
    start = text.index("References")
    assert words(" ".join(ENTRIES)) in words(text[start:].replace("Cor‐ poration", "Corporation"))
    for number, note in enumerate(NOTES, start=1):
        assert f"{number}. {note}" in text, note


@pytest.mark.slow
def test_docx_shows_the_marks(built):
    import docx

    document = docx.Document(str(built / "citations.docx"))
    entries = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Bibliography"]
    assert entries == ENTRIES
    # The marks are the portion-mark runs every other portion has (their own character style).
    first = next(p for p in document.paragraphs if p.style is not None and p.style.name == "Bibliography")
    assert first.runs[0].text == "(U)" and first.runs[0].style.name == \
        next(p for p in document.paragraphs if p.text.startswith("(U) Logistics")).runs[0].style.name
    part = next(part for part in document.part.package.parts if part.partname == "/word/footnotes.xml")
    notes = etree.fromstring(part.blob)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    said = [words("".join(note.itertext())) for note in notes.iter(f"{w}footnote")
            if note.get(f"{w}type") is None]
    assert said == NOTES


@pytest.mark.slow
def test_html_shows_the_marks(built):
    page = lxml_html.fromstring((built / "citations.html").read_bytes())
    entries = page.xpath("//div[contains(@class, 'csl-entry')]")
    assert [words(e.text_content()).removesuffix(" ↩︎").replace(" ↩︎", "") for e in entries] == ENTRIES
    assert [e.xpath("string(.//*[contains(@class, 'portion')][1])") for e in entries] == \
        ["(U)", "(S)", "(U)", "(C)"]
    notes = page.xpath("//*[contains(@class, 'footnotes')]//li")
    assert [words(n.text_content()).rstrip(" ↩︎").removesuffix(" ↩") for n in notes] == NOTES


@pytest.mark.parametrize("title, said", [
    ("Sources", "9: reference-section-title has no portion mark such as (U)"),
    ("(TS) Sources", "9: reference-section-title: portion mark '(TS)' is above the banner 'SECRET//NOFORN'"),
    ("(U) Sources", None)])
def test_an_authors_bibliography_heading_is_a_portion(tmp_path, title, said):
    for name in ("citations.md", "citations.bib"):
        shutil.copy(ACCEPTED / name, tmp_path / name)
    source = tmp_path / "citations.md"
    source.write_text(source.read_text().replace("nocite:", f"reference-section-title: {title}\nnocite:"))
    result = run_cli("check", source)
    if said is None:
        assert result.returncode == 0 and result.stderr == "", result.stderr
        doc = load(source, Reporter(str(source)))
        assert doc.meta.reference_section_title == "(U) Sources"  # shown as written
    else:
        assert result.returncode == 1 and f"{source}:{said}" in result.stderr
