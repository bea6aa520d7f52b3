"""pipeline/weasy/artifacts.py: page furniture painted as artifacts, read back
with qpdf and poppler."""

import re

import pytest

from pipeline.weasy import artifacts as pdf_artifacts
from pipeline.run.build import load
from rendering import pdf_of
from pipeline.render.templates import Templates

from readers import loose_text, pdf_page_contents, pdf_struct_elements, pdf_structure, pdf_text

BODY = "\n\n".join(f"## Part {n}\n\n" + "Text of the briefing, long enough to fill lines. " * 40
                   + "\n\n- a point\n- another\n\n1. first\n2. second\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
                   + "\n> A quote.[^n]\n" for n in range(1, 7)) + "\n\n[^n]: A footnote.\n"


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    folder = tmp_path_factory.mktemp("artifacts")
    source = folder / "furniture.md"
    source.write_text("---\ntitle: Furniture of the pages\nshort_title: Furniture\n"
                      "classification: UNCLASSIFIED\n---\n" + BODY, encoding="utf-8")
    path = folder / "furniture.pdf"
    path.write_bytes(pdf_of(load(source), Templates())[0])
    return path


def text_artifacts(stream: bytes) -> int:
    """Artifact marked-content sequences that show text."""
    return sum(1 for inside in re.findall(rb"/Artifact\s+BMC\b(.*?)\bEMC\b", stream, re.S)
               if re.search(rb"\bT[jJ]\b", inside))


def test_banners_title_and_page_numbers_are_text_artifacts(pdf, tmp_path):
    contents = pdf_page_contents(pdf, tmp_path)
    assert len(contents) >= 3
    # Banner top and bottom and "Page X of Y"; the short title from page 2 on.
    assert text_artifacts(contents[1]) == 3
    assert all(text_artifacts(contents[page]) == 4 for page in contents if page > 1)


def test_furniture_stays_out_of_the_structure_tree(pdf):
    tags = pdf_structure(pdf)
    assert "Text of the briefing" in tags and "Part 2" in tags
    assert "UNCLASSIFIED" not in tags and "Furniture\n" not in tags
    assert not re.search(r"Page \d+ of \d+", tags)
    assert "Page 2 of" in pdf_text(pdf, 2)  # still printed, of course


def test_every_structure_element_hangs_from_the_tree(pdf):
    elements, reached = pdf_struct_elements(pdf)
    assert elements > 50 and reached == elements


def test_all_text_is_real_content_or_an_artifact(pdf, tmp_path):
    contents = pdf_page_contents(pdf, tmp_path)
    assert all(re.search(rb"\bT[jJ]\b", stream) for stream in contents.values())
    assert {page: loose_text(stream) for page, stream in contents.items()} == \
        {page: 0 for page in contents}


def test_loose_text_reader_tells_marked_from_loose_text():
    assert loose_text(b"BT /F1 12 Tf (x) Tj ET") == 1
    assert loose_text(b"/Artifact BMC BT [<0001> -3 <0002>] TJ ET EMC") == 0
    assert loose_text(b"/Span <</MCID 0>> BDC BT (a\\) EMC) Tj ET EMC") == 0
    assert loose_text(b"/Span BMC BT (x) Tj ET EMC /P <</MCID 1>> BDC EMC (y) Tj") == 2


def test_installing_twice_patches_once():
    from weasyprint.pdf.stream import Stream

    pdf_artifacts.install()
    marked = Stream.marked
    pdf_artifacts.install()
    assert Stream.marked is marked
