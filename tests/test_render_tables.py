"""pipeline/render/tables.py: a table's header row too long to repeat on
every page is printed once and may break across pages, in the PDF and the
DOCX, so that one taller than a page still shows every word (WeasyPrint
left it out; LibreOffice cut it off)."""

from __future__ import annotations

import re
import zipfile

import lxml.html

from conftest import FRONT, run_cli
from readers import pdf_text, soffice_to_pdf

SENTENCES = 120
TALL = ("| A | " + " ".join(f"Sentence {n} of the long header cell runs on." for n in range(1, SENTENCES + 1))
        + " |\n|---|---|\n| x | y |\n\nAfter.\n")
SHORT = "| Unit | Strength |\n|---|---|\n| 1 Bde | 4,200 |\n"


def sentences(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"Sentence (\d+) of", " ".join(text.split()))}


def test_a_header_taller_than_a_page_shows_every_word(write, tmp_path):
    source = write(TALL + "\n" + SHORT)
    assert run_cli("build", source, "--out", tmp_path).returncode == 0
    page = lxml.html.fromstring((tmp_path / "brief.html").read_bytes())
    assert ["long-head" in table.get("class", "").split() for table in page.iter("table")] == [True, False]
    assert sentences(pdf_text(tmp_path / "brief.pdf")) == set(range(1, SENTENCES + 1))
    assert sentences(pdf_text(soffice_to_pdf(tmp_path / "brief.docx", tmp_path / "lo"))) == set(range(1, SENTENCES + 1))
    with zipfile.ZipFile(tmp_path / "brief.docx") as package:
        rows = re.findall(r"<w:trPr>(.*?)</w:trPr>", package.read("word/document.xml").decode())
    # The long header repeats where Word can (it is still the header) but
    # may break; the short table's header and every body row stay whole.
    assert rows == ["<w:tblHeader/>", "<w:cantSplit/>", "<w:tblHeader/><w:cantSplit/>", "<w:cantSplit/>"]
