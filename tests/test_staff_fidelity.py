"""A staff product looks the same in PDF and in Word, and as its regulation
has it (issue 21): every type built to both, the DOCX read by python-docx
and turned into a PDF by LibreOffice, both PDFs read by poppler (pdftotext
-bbox for where the words stand and how tall they are, pdffonts for the
faces) and by pypdf (the size each word is set in).

- Later pages (AR 25-50; JSP 101 for the loose minute's file reference):
  the office symbol at the left margin 1 inch from the top, SUBJECT on the
  next line, both in the body's size, the text after a blank line; text
  carried over with the signature block, which never stands alone.
- The first page is not numbered; later pages are, centred at the foot
  (Word: a first-page footer of its own, `titlePg`).
- The text in the font the regulation names, 12 pt: Arial (AR 25-50, JSP
  101), which Word is told by name and the PDF sets in the installed sans
  standing in for it (Noto Sans where Arial is not installed); Times New
  Roman (The Tongue and Quill, DoDM 5110.04), the installed serif for it.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from conftest import FIXTURES, run_cli
from readers import soffice_to_pdf

pytestmark = pytest.mark.slow

SOURCES = {"memo": FIXTURES / "memo" / "memo.md", "memo-usaf": FIXTURES / "memo" / "memo-usaf.md",
           "loose-minute": FIXTURES / "loose-minute" / "loose-minute.md",
           **{name: FIXTURES / "memo" / f"{name}.md"
              for name in ("info-paper", "decision-paper", "point-paper", "talking-paper")}}
# The font each regulation names, and what stands in for it in the PDF.
FONTS = {"memo": "Arial", "memo-usaf": "Times New Roman", "loose-minute": "Arial",
         "info-paper": "Arial", "decision-paper": "Arial", "point-paper": "Times New Roman",
         "talking-paper": "Times New Roman"}
STAND_IN = {"Arial": "NotoSans", "Times New Roman": "NotoSerif"}
# The products of two pages: the first line under the banner on page 2, and its margin.
CONTINUED = {"memo": ("AFZS-XY", "SUBJECT:", 72), "memo-usaf": ("56", "SUBJECT:", 72),
             "loose-minute": ("DSTL/CSD/12/3/4", None, 25 / 25.4 * 72)}
NUMBER = {"memo": "2", "memo-usaf": "2", "loose-minute": "Page 2 of 2"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """Each product's PDF, DOCX and LibreOffice's PDF of the DOCX."""
    out = tmp_path_factory.mktemp("staff")
    result = run_cli("build", *SOURCES.values(), "--to", "pdf,docx", "--out", out, "-j", "1")
    assert result.returncode == 0, result.stderr
    (out / "lo").mkdir()
    return {name: {"pdf": out / f"{source.stem}.pdf", "docx": out / f"{source.stem}.docx",
                   "word": soffice_to_pdf(out / f"{source.stem}.docx", out / "lo")}
            for name, source in SOURCES.items()}


def words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """pdftotext -bbox's words of a page: (x min, y min, x max, y max, text)."""
    xhtml = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                           capture_output=True, text=True, check=True, timeout=120).stdout
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xhtml))
    return [(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")),
             w.text or "") for w in root.iter("{http://www.w3.org/1999/xhtml}word")]


def page_size(pdf: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups()
    return float(width), float(height)


def lines(pdf: Path, page: int, banner: int = 50) -> list[list[tuple[float, float, float, float, str]]]:
    """The page's words between its banners, in lines (by their tops), top down."""
    _, height = page_size(pdf)
    found: dict[float, list] = {}
    for word in words(pdf, page):
        if banner < word[1] < height - banner:
            key = next((y for y in found if abs(y - word[1]) < 3), word[1])
            found.setdefault(key, []).append(word)
    return [sorted(found[y]) for y in sorted(found)]


def sizes(pdf: Path, page: int) -> dict[str, float]:
    """pypdf's reading of the size each word is set in (the font size by the
    text and current matrices' scale), the last one for a word set twice."""
    from pypdf import PdfReader

    found: dict[str, float] = {}

    def visit(text, cm, tm, font, size):
        scale = abs(tm[0] * cm[0]) if tm[0] * cm[0] else abs(tm[1] * cm[1]) or 1
        for word in text.split():
            found[word] = round(size * scale, 1)

    PdfReader(str(pdf)).pages[page - 1].extract_text(visitor_text=visit)
    return found


def faces(pdf: Path) -> set[str]:
    """pdffonts' names, without the subset tag, the hyphens and "Regular"."""
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {line.split()[0].split("+")[-1].replace("-", "").removesuffix("Regular")
            for line in listing.splitlines()[2:]}


@pytest.mark.parametrize("name", CONTINUED)
@pytest.mark.parametrize("kind", ["pdf", "word"])
def test_later_pages_open_with_the_office_symbol_and_subject_at_the_margin_in_the_body_size(built, name, kind):
    pdf = built[name][kind]
    symbol, subject, margin = CONTINUED[name]
    found = lines(pdf, 2)
    first = found[0]
    # The office symbol at the left margin, 1 inch (a loose minute's 25 mm) from the top.
    assert first[0][4] == symbol and abs(first[0][0] - margin) < 2, first
    assert abs(first[0][1] - margin) < 4, first
    text_line = 1
    if subject:  # SUBJECT on the next line
        second = found[1]
        assert second[0][4] == subject and abs(second[0][0] - margin) < 2
        pitch = second[0][1] - first[0][1]
        assert 12 < pitch < 20, pitch  # one line of 12 pt type
        text_line = 2
    else:
        pitch = found[2][0][1] - found[1][0][1]  # the text's own line pitch
    body = found[text_line]
    # The text resumes there, at the margin (never the signature block alone).
    assert abs(body[0][0] - margin) < 2 and len(body) >= 6, body
    # A blank line before the text resumes: two lines' pitch from the last header line.
    gap = body[0][1] - found[text_line - 1][0][1]
    assert gap > 1.8 * pitch, (gap, pitch)
    # Header and text are the same height on the page, and 12 pt as pypdf reads them.
    heights = {round(word[3] - word[1]) for line in found[:text_line + 1] for word in line
               if not word[4].startswith("(")}
    assert len(heights) == 1, heights
    size = sizes(pdf, 2)
    assert size[symbol] == size[body[-1][4]] == 12, (size[symbol], size[body[-1][4]])


@pytest.mark.parametrize("name", CONTINUED)
@pytest.mark.parametrize("kind", ["pdf", "word"])
def test_the_first_page_is_unnumbered_and_later_ones_are_centred_at_the_foot(built, name, kind):
    pdf = built[name][kind]
    width, height = page_size(pdf)
    foot = [w for w in words(pdf, 1) if w[1] > height - 60]
    assert not any(re.fullmatch(r"\d+", w[4]) or w[4] == "Page" for w in foot), foot
    number = sorted((w for w in words(pdf, 2) if w[1] > height - 60 and not w[4].isupper()),
                    key=lambda w: w[0])
    assert " ".join(w[4] for w in number) == NUMBER[name]
    centre = (number[0][0] + number[-1][2]) / 2
    assert abs(centre - width / 2) < 3, (centre, width / 2)
    assert sizes(pdf, 2)[number[-1][4]] == 12


def docx_font(document, style_name: str) -> str | None:
    """The font a paragraph style gives its text: its own, its base's, or
    the document's default (python-docx, and the styles part for the default)."""
    style = document.styles[style_name]
    while style is not None:
        if style.font.name:
            return style.font.name
        style = style.base_style
    defaults = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    return defaults.find(qn("w:rFonts")).get(qn("w:ascii"))


def docx_size(document) -> float:
    defaults = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    return int(defaults.find(qn("w:sz")).get(qn("w:val"))) / 2


@pytest.mark.parametrize("name", SOURCES)
def test_word_sets_the_text_in_the_regulations_font_and_numbers_later_pages_only(built, name):
    document = docx.Document(str(built[name]["docx"]))
    font = FONTS[name]
    body_styles = {p.style.name for p in document.paragraphs if p.text.strip()}
    for style in body_styles:  # the body's paragraphs and every generated part
        if not style.startswith("Classification"):
            assert docx_font(document, style) == font, style
            size = document.styles[style].font.size
            assert (size.pt if size else docx_size(document)) == 12, style
    section = document.sections[0]
    assert section._sectPr.find(qn("w:titlePg")) is not None  # a first page of its own
    first = "".join(section.first_page_footer._element.itertext())
    assert "PAGE" not in "".join(i.get(qn("w:instr")) or "" for i in section.first_page_footer._element.iter(
        qn("w:fldSimple"))) and not re.search(r"\d", first)
    number = section.footer.paragraphs[-1]
    assert number.style.name == "Memo Page Number" and number.style.paragraph_format.alignment == \
        WD_ALIGN_PARAGRAPH.CENTER
    assert " PAGE " in " ".join(f.get(qn("w:instr")) for f in number._p.iter(qn("w:fldSimple")))
    assert docx_font(document, "Memo Page Number") == font and number.style.font.size.pt == 12


@pytest.mark.parametrize("name", SOURCES)
@pytest.mark.parametrize("kind", ["pdf", "word"])
def test_both_pdfs_set_the_text_in_the_same_stand_in_at_12_points(built, name, kind):
    pdf = built[name][kind]
    stand_in = STAND_IN[FONTS[name]]
    assert stand_in in faces(pdf), faces(pdf)
    if stand_in == "NotoSans":  # no trace of the house's serif
        assert not any(face.startswith("NotoSerif") for face in faces(pdf)), faces(pdf)
    body = [line for line in lines(pdf, 1) if len(line) > 6]  # the text's full lines
    size = sizes(pdf, 1)
    assert body and all(size.get(line[-1][4]) == 12 for line in body[-3:]), \
        [(line[-1][4], size.get(line[-1][4])) for line in body[-3:]]
