"""Annexes, appendices, tabs and PDF enclosures (issue 20), on an
OPORD-style briefing (tests/fixtures/staff/opord.md): numbered paragraphs,
two annexes (one with an appendix), a landscape table in an annex and a PDF
enclosure, built end to end and read back with poppler, qpdf, lxml,
python-docx and LibreOffice."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import BriefingError, Reporter
from pipeline.run.build import load
from pipeline.transform.annexes import series

from conftest import FIXTURES, run_cli
from readers import pdf_outline_titles, pdf_text, qpdf_check, soffice_to_pdf
from staff_readers import pdf_pages

ORDER = FIXTURES / "staff" / "opord.md"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FRONT = "---\ntitle: Order\nclassification: UNCLASSIFIED\n---\n\n"
# What each page of the PDF is: its banner, its page number, landscape.
PAGES = [("SECRET//NOFORN", "Page 1 of 9", False), ("SECRET//NOFORN", "Page 2 of 9", False),
         ("SECRET//NOFORN", "A-1", False), ("SECRET//NOFORN", "A-1-1", False),
         ("UNCLASSIFIED", "B-1", False), ("UNCLASSIFIED", "B-2", True), ("UNCLASSIFIED", "B-3", False),
         ("UNCLASSIFIED", "Page 8 of 9", False), ("UNCLASSIFIED", "Page 9 of 9", False)]
# The running head, shortened after a whole word to fit beside the banner.
HEADS = [None, "(U) OPORD 3-26 (IRON", "(U) ANNEX A", "(S//NF) APPENDIX", "(U) ANNEX B", "(U) ANNEX B",
         "(U) ANNEX B", "Enclosure 1:", "Enclosure 1:"]


# The model ------------------------------------------------------------------------

def test_annex_letters_skip_i_and_o():
    assert [series("annex", n) for n in range(1, 16)] == list("ABCDEFGHJKLMNPQ")
    assert series("appendix", 3) == "3" and series("tab", 9) == "J" and series("annex", 25) == "AA"


def test_the_order_s_attachments_are_lettered_headed_and_marked():
    doc = load(ORDER)
    found = [(s.attachment.kind, s.attachment.label, s.attachment.heading, s.attachment.pages,
              s.attachment.banner) for s in walk.sections(doc) if s.attachment]
    assert found == [
        ("annex", "A", "ANNEX A (INTELLIGENCE) TO OPORD 3-26 (IRON HAMMER)", "A-", "SECRET//NOFORN"),
        ("appendix", "1", "APPENDIX 1 (COLLECTION PLAN) TO ANNEX A (INTELLIGENCE) TO OPORD 3-26 "
         "(IRON HAMMER)", "A-1-", "SECRET//NOFORN"),
        ("annex", "B", "ANNEX B (OPERATIONS) TO OPORD 3-26 (IRON HAMMER)", "B-", "UNCLASSIFIED")]
    tables = [(b.prefix, b.number) for b in walk.blocks(doc) if isinstance(b, m.Table)]
    assert tables == [("A-", 1), ("B-", 1)]
    # An annex is an order of its own: its paragraphs number from 1.
    annex = next(s for s in doc.sections if s.attachment and s.attachment.label == "B")
    assert [c.number for c in annex.children] == ["1.", "2."]
    refs = {i.id: (i.kind, i.number) for i in walk.inlines(doc) if isinstance(i, m.Ref)}
    assert refs["sec-annex-ops"] == ("annex", "B")
    assert refs["sec-enemy-composition"] == ("paragraph", "1b(1)")


def test_tabs_hang_off_appendices_and_number_their_pages_and_tables(write):
    path = write("# Situation\n\nSee @sec-fires.\n\n# Fires {.annex #sec-fires}\n\n## Targets {.appendix}\n\n"
                 "### Target list {.tab}\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\nTable: Targets\n\n"
                 "### Schedule {.tab}\n\nText.\n", front=FRONT)
    doc = load(path)
    tabs = [s.attachment for s in walk.sections(doc) if s.attachment and s.attachment.kind == "tab"]
    assert [(t.label, t.pages, t.name) for t in tabs] == [
        ("A", "A-1-A-", "Tab A to Appendix 1 to Annex A"), ("B", "A-1-B-", "Tab B to Appendix 1 to Annex A")]
    assert tabs[0].heading == "TAB A (TARGET LIST) TO APPENDIX 1 (TARGETS) TO ANNEX A (FIRES) TO Order"
    assert [(b.prefix, b.number) for b in walk.blocks(doc) if isinstance(b, m.Table)] == [("A-1-A-", 1)]


def test_an_annex_the_body_never_names_is_a_warning(write):
    path = write("# Situation\n\nSee @sec-a.\n\n# Intelligence {.annex #sec-a}\n\nText.\n\n"
                 "# Fires {.annex #sec-b}\n\nText.\n", front=FRONT)
    reporter = Reporter(str(path))
    load(path, reporter)
    unreferenced = [(p.line, p.code, p.warning) for p in reporter.problems if p.code.startswith("attachment")]
    assert unreferenced == [(14, "attachment.unreferenced", True)]
    assert "Annex B (Fires) is never referred to" in next(
        p.message for p in reporter.problems if p.code == "attachment.unreferenced")


def test_an_appendix_outside_an_annex_is_an_error_at_its_heading(write):
    path = write("# Situation\n\nText.\n\n## Collection {.appendix}\n\nText.\n", front=FRONT)
    with pytest.raises(BriefingError) as raised:
        load(path)
    assert [(p.line, p.code) for p in raised.value.problems] == [(10, "attachment.outside")]


def test_a_fenced_div_makes_an_annex_too(write):
    path = write("# Situation\n\nSee @sec-a.\n\n::: {.annex}\n# Intelligence {#sec-a}\n\nText.\n:::\n",
                 front=FRONT)
    [annex] = [s for s in load(path).sections if s.attachment]
    assert annex.attachment.heading == "ANNEX A (INTELLIGENCE) TO Order"


@pytest.mark.parametrize("entry, code, words", [
    ("{file: missing.pdf, title: X, classification: UNCLASSIFIED}", "enclosure.invalid", "does not exist"),
    ("{file: ../outside.pdf, title: X, classification: UNCLASSIFIED}", "enclosure.invalid", "outside"),
    ("{file: not-a.pdf, title: X, classification: UNCLASSIFIED}", "enclosure.invalid", "is not a PDF"),
    ("{file: tab.pdf, title: X, classification: SECRET}", "enclosure.above-banner", "above the briefing"),
    ("{file: tab.pdf, title: X, classification: PRETTY SECRET}", "enclosure.marking", "not a marking"),
])
def test_enclosure_problems_are_errors_at_the_front_matter(write, tmp_path, entry, code, words):
    shutil.copy(FIXTURES / "staff" / "enclosures" / "route-card.pdf", tmp_path / "tab.pdf")
    (tmp_path / "not-a.pdf").write_text("just text")
    path = write("Text.\n", front=f"---\ntitle: T\nclassification: UNCLASSIFIED\nenclosures:\n  - {entry}\n---\n")
    with pytest.raises(BriefingError) as raised:
        load(path)
    [problem] = raised.value.problems
    assert (problem.line, problem.code) == (4, code) and words in problem.message


def test_an_enclosure_needs_its_marking_declared(write):
    result = run_cli("check", write("Text.\n", front="---\ntitle: T\nclassification: UNCLASSIFIED\n"
                                                      "enclosures: [{file: tab.pdf}]\n---\n"))
    assert result.returncode == 1 and "marking, which briefing cannot read" in result.stderr


# End to end ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("opord")
    result = run_cli("build", ORDER, "--out", out)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no warning: every annex is referred to
    return out / ORDER.stem


def test_pdf_pages_carry_their_banner_number_and_running_head(built):
    pages = pdf_pages(built.with_suffix(".pdf"))
    assert len(pages) == len(PAGES)
    for page, (banner, number, landscape), head in zip(pages, PAGES, HEADS):
        top, bottom = page.band(top=True), page.band(top=False)
        assert banner in top and banner in bottom, (page.number, top, bottom)
        assert number in bottom, (page.number, bottom)
        assert page.landscape == landscape, page.number
        if head:
            assert head in top, (page.number, top)
    def text(page: int) -> str:
        return " ".join(pdf_text(built.with_suffix(".pdf"), page).split())
    assert "(U) ANNEX A (INTELLIGENCE) TO OPORD 3-26 (IRON HAMMER)" in text(3)
    assert "Table A-1: (S//NF) Enemy units" in text(3)
    assert "Table B-1: (U) Synchronization matrix" in text(6)
    # The enclosure's own pages, drawn under its banners.
    assert "Route card: MSR Copper" in text(8) and "second sheet" in text(9)
    # The main body ends with the list of annexes and enclosures.
    listing = text(2)
    assert "ANNEXES: Annex A – Intelligence Annex B – Operations" in listing
    assert "ENCLOSURES: Enclosure 1 – Route card, MSR Copper (UNCLASSIFIED)" in listing


def test_pdf_bookmarks_the_annexes_and_the_enclosure_and_stays_valid(built):
    titles = pdf_outline_titles(built.with_suffix(".pdf"))
    wanted = ["(U) ANNEX A (INTELLIGENCE) TO OPORD 3-26 (IRON HAMMER)",
              "(S//NF) APPENDIX 1 (COLLECTION PLAN) TO ANNEX A (INTELLIGENCE) "
              "TO OPORD 3-26 (IRON HAMMER)", "(U) ANNEX B (OPERATIONS) TO OPORD 3-26 (IRON HAMMER)",
              "Enclosure 1: Route card, MSR Copper"]
    assert [t for t in titles if t in wanted] == wanted
    assert titles[-1] == "Enclosure 1: Route card, MSR Copper"
    assert "No syntax or stream encoding errors" in qpdf_check(built.with_suffix(".pdf"))


def test_html_lists_the_annexes_and_heads_each(built):
    root = etree.HTML(built.with_suffix(".html").read_text())
    headings = ["".join(h.itertext()) for h in root.xpath(
        "//section[contains(concat(' ', @class, ' '), ' attachment ')]/*[1]")]
    assert headings == ["(U) ANNEX A (INTELLIGENCE) TO OPORD 3-26 (IRON HAMMER)",
                        "(S//NF) APPENDIX 1 (COLLECTION PLAN) TO ANNEX A (INTELLIGENCE) TO OPORD 3-26 "
                        "(IRON HAMMER)",
                        "(U) ANNEX B (OPERATIONS) TO OPORD 3-26 (IRON HAMMER)"]
    links = root.xpath("//section[@class='attachments-list']//a")
    assert [(a.get("href"), a.text) for a in links] == [("#sec-annex-intel", "Annex A"),
                                                          ("#sec-annex-ops", "Annex B")]
    assert root.xpath("//a[@href='#sec-annex-ops']")[0].text == "Annex B"


def test_docx_annexes_restart_the_one_list(built):
    with zipfile.ZipFile(built.with_suffix(".docx")) as package:
        numbering = etree.fromstring(package.read("word/numbering.xml"))
    military = [a.get(f"{W}abstractNumId") for a in numbering.findall(f"{W}abstractNum")
                if a.find(f"{W}lvl/{W}pStyle") is not None]
    assert len(military) == 1
    instances = [n for n in numbering.findall(f"{W}num")
                 if n.find(f"{W}abstractNumId").get(f"{W}val") == military[0]]
    restarting = [n for n in instances if n.find(f"{W}lvlOverride/{W}startOverride") is not None]
    assert len(instances) == 4 and len(restarting) == 3  # the order, annex A, its appendix, annex B


def test_libreoffice_shows_each_annex_with_its_own_header_footer_and_numbers(built, tmp_path):
    pages = pdf_pages(soffice_to_pdf(built.with_suffix(".docx"), tmp_path))
    expected = [("SECRET//NOFORN", "Page 1 of", False), ("SECRET//NOFORN", "Page 2 of", False),
                ("SECRET//NOFORN", "A-1", False), ("SECRET//NOFORN", "A-1-1", False),
                ("UNCLASSIFIED", "B-1", False), ("UNCLASSIFIED", "B-2", True),
                ("UNCLASSIFIED", "B-3", False)]
    assert len(pages) == len(expected)
    for page, (banner, number, landscape) in zip(pages, expected):
        top, bottom = page.band(top=True, depth=80), page.band(top=False, depth=80)
        assert banner in top and banner in bottom, (page.number, top, bottom)
        assert number in bottom, (page.number, bottom)
        assert page.landscape == landscape, page.number
    assert "(U) ANNEX B (OPERATIONS) TO OPORD 3-26 (IRON HAMMER)" in pages[5].band(top=True, depth=80)
    text = " ".join(pdf_text(tmp_path / f"{ORDER.stem}.pdf").split())
    assert "Table A-1: (S//NF) Enemy units" in text and "Table B-1: (U) Synchronization" in text
    assert "(paragraph 1b(1))" in text and "Enclosure 1 – Route card, MSR Copper (UNCLASSIFIED)" in text


def test_a_changed_enclosure_rebuilds_the_briefing(tmp_path):
    folder = tmp_path / "src"
    (folder / "enclosures").mkdir(parents=True)
    shutil.copy(ORDER, folder / "opord.md")
    enclosure = folder / "enclosures" / "route-card.pdf"
    shutil.copy(FIXTURES / "staff" / "enclosures" / "route-card.pdf", enclosure)
    out = tmp_path / "out"
    assert run_cli("build", folder / "opord.md", "--to", "html", "--out", out).returncode == 0
    assert "up to date" in run_cli("build", folder / "opord.md", "--to", "html", "--out", out).stdout
    enclosure.write_bytes(enclosure.read_bytes() + b"\n%changed\n")
    again = run_cli("build", folder / "opord.md", "--to", "html", "--out", out)
    assert again.returncode == 0 and "up to date" not in again.stdout
