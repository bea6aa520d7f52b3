"""A list inside a note (a Quarto callout's bullet points, a <details>
list) stays inside the note's box in Word: its paragraphs take the box's
border and shading. Looked at through LibreOffice: the page behind a
list item's words is the note's tint, not the paper's white."""

from __future__ import annotations

import subprocess

import docx
import pytest
from docx.oxml.ns import qn
from PIL import Image

from conftest import FIXTURES, run_cli
from readers import pdf_lines, soffice_to_pdf

pytestmark = pytest.mark.slow

TIP_FILL = (0xEB, 0xF5, 0xEC)  # tools/make_reference_docx.py's Tip shading


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("boxes")
    assert run_cli("build", FIXTURES / "divs.md", "--out", out, "--to", "docx").returncode == 0
    return out / "divs.docx"


def test_the_list_paragraphs_take_the_box(built):
    document = docx.Document(str(built))
    items = [p for p in document.paragraphs if p.text in ("radio and spare batteries;", "first-aid kit.")]
    assert len(items) == 2
    for item in items:
        properties = item._p.pPr
        assert properties.find(qn("w:numPr")) is not None  # still a real list item
        assert properties.find(f"{qn('w:shd')}").get(qn("w:fill")) == "EBF5EC"
        assert properties.find(f"{qn('w:pBdr')}/{qn('w:left')}").get(qn("w:color")) == "2E7D32"


def test_libreoffice_draws_the_items_inside_the_box(built, tmp_path):
    pdf = soffice_to_pdf(built, tmp_path)
    page, x0, _, y0, _ = next(line for line in pdf_lines(pdf) if line[4].startswith("radio and spare"))
    subprocess.run(["pdftoppm", "-png", "-r", "72", "-f", str(page), "-l", str(page), str(pdf),
                    str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")
    behind = image.getpixel((int(x0) - 4, int(y0) + 3))  # just left of the words, in the box
    assert all(abs(a - b) <= 6 for a, b in zip(behind, TIP_FILL)), behind
