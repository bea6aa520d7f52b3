"""Landscape pages and explicit page breaks (issue 20): `::: landscape`
turns its pages sideways in the PDF and is a landscape section of its own
in Word, both keeping the banners, the running head and "Page X of Y";
`\\newpage`, `\\pagebreak` and Quarto's `{{< pagebreak >}}` start a new page
in the PDF and Word and leave nothing in the HTML page."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipeline import model as m
from pipeline.model import walk
from pipeline.run.build import load

from conftest import FIXTURES, run_cli
from readers import soffice_to_pdf
from staff_readers import pdf_pages

SOURCE = FIXTURES / "staff" / "landscape.md"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PAGES = ["Situation", "Table 1", "After the wide table", "After a LaTeX page break",
         "After Quarto’s page break"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("landscape")
    result = run_cli("build", SOURCE, "--out", out)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return out / SOURCE.stem


def test_page_breaks_are_read_as_pandoc_and_quarto_users_write_them():
    doc = load(SOURCE)
    kinds = [type(block).__name__ for block in walk.blocks(doc)]
    assert kinds.count("PageBreak") == 2
    breaks = [block.line for block in walk.blocks(doc) if isinstance(block, m.PageBreak)]
    lines = SOURCE.read_text().splitlines()
    assert [lines[n - 1] for n in breaks] == ["\\newpage", "{{< pagebreak >}}"]
    # Inside a sentence it is text, as pandoc leaves it.
    assert "A \\newpage inside a sentence is text." in " ".join(
        m.plain_text(b.inlines) for b in walk.blocks(doc) if isinstance(b, m.Paragraph))


def test_pdf_turns_the_landscape_div_sideways_and_breaks_pages(built):
    pages = pdf_pages(built.with_suffix(".pdf"))
    assert [page.landscape for page in pages] == [False, True, False, False, False]
    for page, first_words in zip(pages, PAGES):
        assert first_words in page.text, (page.number, page.text)
    assert "After the wide table" not in pages[1].text  # the landscape pages hold the div alone


def test_every_pdf_page_keeps_its_banners_head_and_numbers(built):
    pages = pdf_pages(built.with_suffix(".pdf"))
    for page in pages:
        assert page.band(top=True).count("SECRET//NOFORN") == 1, page.number
        assert page.band(top=False).startswith("SECRET//NOFORN") or \
            "SECRET//NOFORN" in page.band(top=False), page.number
        assert f"Page {page.number} of {len(pages)}" in page.band(top=False), page.number
    assert "Wide tables" in pages[1].band(top=True)  # the running head, on the sideways page too
    # On the landscape page the banner is centred on the page's long side.
    landscape = pages[1]
    x = next(x for x, y, text in landscape.words if text == "SECRET//NOFORN" and y < 60)
    assert abs(x + 40 - landscape.width / 2) < 60


def test_html_shows_the_div_full_width_and_no_page_break(built):
    markup = built.with_suffix(".html").read_text()
    root = etree.HTML(markup)
    assert root.xpath("//div[@class='landscape']//table")
    # The breaks are there for the browser's print view, and hidden on screen.
    assert len(root.xpath("//*[contains(@class, 'page-break')]")) == 2
    assert ".page-break { display: none; }" in markup
    assert ".landscape { width: min(calc(100vw - 2.5rem)" in markup


def document_xml(path: Path):
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("word/document.xml"))


def test_docx_puts_the_div_in_a_landscape_section_linked_to_the_headers(built):
    body = document_xml(built.with_suffix(".docx")).find(f"{W}body")
    sections = body.findall(f".//{W}sectPr")
    sizes = [(s.find(f"{W}pgSz").get(f"{W}orient"), s.find(f"{W}pgSz").get(f"{W}w")) for s in sections]
    assert [orient for orient, _ in sizes] == [None, "landscape", None]
    assert int(sizes[1][1]) > int(sizes[0][1])
    # The first section has the title page's header; the others link to it.
    assert sections[0].findall(f"{W}headerReference") and sections[0].find(f"{W}titlePg") is not None
    assert not sections[1].findall(f"{W}headerReference") and sections[1].find(f"{W}titlePg") is None
    breaks = body.findall(f".//{W}br[@{W}type='page']")
    assert len(breaks) == 2


def test_libreoffice_lays_out_the_landscape_section_with_header_and_footer(built, tmp_path):
    pages = pdf_pages(soffice_to_pdf(built.with_suffix(".docx"), tmp_path))
    assert [page.landscape for page in pages] == [False, True, False, False, False]
    for page, first_words in zip(pages, PAGES):
        assert first_words in page.text, (page.number, page.text)
        assert "SECRET//NOFORN" in page.band(top=True), page.number
        assert "SECRET//NOFORN" in page.band(top=False, depth=80), page.number
        assert f"Page {page.number} of {len(pages)}" in page.band(top=False, depth=80), page.number
    assert "Wide tables" in pages[1].band(top=True, depth=80)
