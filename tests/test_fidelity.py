"""Fidelity: what a security officer, a Word power user or a typographer sees
at a glance, read back from real outputs by tools that are not ours
(poppler, pandoc, python-docx, LibreOffice, an HTML parser)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import FIXTURES, run_cli
from readers import docx_via_pandoc, html_headings, pandoc_blocks, pandoc_text, pdf_headings


def build(tmp_path_factory, source: Path, *args: str) -> Path:
    out = tmp_path_factory.mktemp(source.stem)
    result = run_cli("build", source, "--out", out, *args)
    assert result.returncode == 0, result.stderr
    return out / source.stem


@pytest.fixture(scope="module")
def outline(tmp_path_factory) -> Path:
    return build(tmp_path_factory, FIXTURES / "outline.md")


# One outline in every format -------------------------------------------------

def unnumbered(text: str) -> str:
    return re.sub(r"^[\d.]+\s+", "", text)


def test_one_outline_in_every_format(outline):
    """Sections written from `##`, one `####` right under a `##`: the top
    sections are level 1 in every format (HTML h2 and PDF H2 under the
    title's h1, Word Heading 1), no level is skipped, and the sections the
    templates add stand beside the top sections."""
    expected = [(1, "Findings"), (2, "Berth four"), (2, "Berth five"), (1, "Recommendations"),
                (1, "Abbreviations")]
    html = [(level - 1, unnumbered(text)) for level, text
            in html_headings(outline.with_suffix(".html").read_text(encoding="utf-8"))]
    pdf = [(level - 1, unnumbered(text)) for level, text in pdf_headings(outline.with_suffix(".pdf"))]
    ast = docx_via_pandoc(outline.with_suffix(".docx"))
    word = [(header["c"][0], unnumbered(pandoc_text(header["c"][2])))
            for header in pandoc_blocks(ast, "Header")]
    assert html[0] == (0, "Harbour Security Review") and pdf[0] == html[0]  # the title, h1/H1
    assert html[1:] == [(1, "Contents"), *expected, (1, "Notes")]
    assert pdf[1:] == [(1, "Contents"), *expected]  # the notes stand at the foot of their page
    assert word == expected  # Word's own contents heading is no heading (outline level: body text)
    for levels in (html[1:], pdf[1:], word):
        assert all(b[0] <= a[0] + 1 for a, b in zip([(0, "")] + levels, levels))


# Typesetting ------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Path:
    from conftest import SEED
    return build(tmp_path_factory, SEED)


@pytest.fixture(scope="module")
def seed_in_libreoffice(seed) -> Path:
    """The seed's DOCX as LibreOffice lays it out, as a PDF."""
    from readers import soffice_to_pdf
    return soffice_to_pdf(seed.with_suffix(".docx"), seed.parent / "lo")


def test_the_measure_is_66_to_80_characters_in_pdf_and_word(seed, seed_in_libreoffice):
    """Body lines ran to about 96 characters at 10.5 pt; 11 pt in a 138 mm
    column sets about 72, in the PDF and in Word's layout (LibreOffice's) alike."""
    from readers import measure
    for path in (seed.with_suffix(".pdf"), seed_in_libreoffice):
        characters, lines = measure(path)
        assert 66 <= characters <= 80, (path, characters)
        assert 30 <= lines <= 46, (path, lines)


def test_the_banner_is_set_no_smaller_than_the_body(seed, seed_in_libreoffice):
    """A marking is never small print: the banner's letters stand at least
    as tall as the body's (word boxes from pdftotext -bbox, sans and serif
    faces of one family, so of one height to the em)."""
    from lxml import etree
    from readers import tool
    for path in (seed.with_suffix(".pdf"), seed_in_libreoffice):
        root = etree.fromstring(tool("pdftotext", "-f", "3", "-l", "3", "-bbox", path, "-").encode())
        words = [(w.text, float(w.get("yMax")) - float(w.get("yMin")))
                 for w in root.iter("{http://www.w3.org/1999/xhtml}word")]
        banner = [height for text, height in words if text == "UNCLASSIFIED"]
        body = sorted(height for text, height in words if text.islower() and len(text) > 3)
        assert banner and min(banner) >= body[len(body) // 2] - 0.2, (path, banner, body[len(body) // 2])
