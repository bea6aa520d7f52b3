"""Quarto's figure divs of several images (`::: {#fig-sites layout-ncol=2}`):
one numbered figure of sub-figures lettered (a), (b) …, laid out in the
columns `layout-ncol` (or `layout-nrow`) says, its caption below them all;
`@fig-sites` reads "Figure 1" and `@fig-b` "Figure 1 (b)", as Quarto words
them. Read back from all three formats by independent readers: lxml on the
HTML, poppler on the PDF, python-docx, pandoc and LibreOffice on the DOCX."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import lxml.html
import pytest

from conftest import FIXTURES, built_fixture
from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import BriefingError, Reporter
from pipeline.run.build import load
from readers import docx_via_pandoc, pandoc_blocks, pandoc_text, pdf_images, pdf_text, soffice_to_pdf

NBSP = "\u00a0"


def flat(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").split())


def loaded(tmp_path: Path, body: str, front: str = "title: T\n") -> m.Document:
    """`body`, after a blank line, under a front matter of `front`, an
    UNCLASSIFIED banner and nothing else."""
    shutil.copytree(FIXTURES / "images", tmp_path / "images", dirs_exist_ok=True)
    source = tmp_path / "brief.md"
    source.write_text(f"---\n{front}classification: UNCLASSIFIED\n---\n\n{body}", encoding="utf-8")
    return load(source, Reporter(str(source)))


def test_the_model_has_one_figure_of_lettered_sub_figures():
    doc = load(FIXTURES / "figure-group.md")
    groups = [b for b in walk.blocks(doc) if isinstance(b, m.FigureGroup)]
    assert [(g.id, g.number, g.columns, m.plain_text(g.caption)) for g in groups] == [
        ("fig-sites", 1, 2, "Two sampling sites."), ("fig-three", 3, 3, "Three pictures in one row.")]
    assert [(f.letter, f.id, m.plain_text(f.caption), f.number) for f in groups[0].figures] == [
        ("a", "fig-a", "Site A", None), ("b", "fig-b", "Site B, by day", None)]
    assert [f.letter for f in groups[1].figures] == ["a", "b", "c"]
    route = next(b for b in walk.blocks(doc) if isinstance(b, m.Figure) and b.id == "fig-route")
    assert route.number == 2  # the group counts as one figure, its sub-figures not at all
    refs = [i for i in walk.inlines(doc) if isinstance(i, m.Ref)]
    assert [(r.id, r.number, r.within) for r in refs] == [
        ("fig-sites", "1", ""), ("fig-b", f"1{NBSP}(b)", "fig-sites"), ("fig-route", "2", "")]


def test_without_a_layout_each_picture_has_its_row(tmp_path):
    doc = loaded(tmp_path, "::: {#fig-x}\n![A](images/map.png)\n\n![B](images/map.png)\n:::\n")
    group = doc.blocks[0]
    assert isinstance(group, m.FigureGroup) and group.columns == 1 and group.number == 1
    assert group.caption == ()


def test_more_columns_than_pictures_are_as_many_as_the_pictures(tmp_path):
    doc = loaded(tmp_path, "::: {#fig-x layout-ncol=5}\n![A](images/map.png)\n\n![B](images/map.png)\n\nBoth.\n:::\n")
    assert doc.blocks[0].columns == 2


def test_a_quarto_layout_sets_the_columns(tmp_path):
    doc = loaded(tmp_path, '::: {#fig-x layout="[[1,1,1],[1]]"}\n' + "![A](images/map.png)\n\n" * 4 + "All.\n:::\n")
    assert doc.blocks[0].columns == 3


@pytest.mark.parametrize("attribute", ["layout-ncol=two", "layout-ncol=0", 'layout="wide"'])
def test_a_bad_layout_is_an_error_at_the_div(tmp_path, attribute):
    with pytest.raises(BriefingError) as raised:
        loaded(tmp_path, f"Text.\n\n::: {{#fig-x {attribute}}}\n![A](images/map.png)\n\n![B](images/map.png)\n:::\n")
    assert [(p.line, p.code) for p in raised.value.problems] == [(8, "figure.layout")]


def test_a_div_of_images_without_a_figure_id_stays_a_div(tmp_path):
    doc = loaded(tmp_path, "::: {.gallery}\n![A](images/map.png)\n\n![B](images/map.png)\n:::\n")
    assert isinstance(doc.blocks[0], m.Div)


MARKED = "title: (U) T\nportion_marking: true\n"


def test_portion_marks_on_the_group_and_each_sub_figure(tmp_path):
    doc = loaded(tmp_path, "(U) Text.\n\n::: {#fig-x layout-ncol=2}\n![(U) A](images/map.png)\n\n"
                 "![(U) B](images/map.png)\n\n(U) Both.\n:::\n", MARKED)
    group = doc.blocks[1]
    assert isinstance(group, m.FigureGroup)
    assert (group.portion, m.plain_text(group.caption)) == ("U", "Both.")
    assert [(f.portion, m.plain_text(f.caption), f.alt) for f in group.figures] == [("U", "A", "A"), ("U", "B", "B")]


def test_with_portion_marks_a_group_needs_a_caption(tmp_path):
    with pytest.raises(BriefingError) as raised:
        loaded(tmp_path, "(U) Text.\n\n::: {#fig-x}\n![(U) A](images/map.png)\n\n![(U) B](images/map.png)\n:::\n",
               MARKED)
    assert [(p.line, p.code) for p in raised.value.problems] == [(9, "portion.no-caption")]


# Through the three backends --------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return built_fixture(tmp_path_factory, "figure-group.md")


@pytest.mark.slow
def test_html(built):
    page = lxml.html.fromstring((built / "figure-group.html").read_bytes())
    group = page.get_element_by_id("fig-sites")
    assert group.tag == "figure" and "figure-group" in group.get("class")
    subs = group.xpath("div[@class='subfigures']/figure")
    assert [s.get("id") for s in subs] == ["fig-a", "fig-b"]
    assert "repeat(2," in group.find("div").get("style")
    assert [flat(s.findtext("figcaption") or "") or flat(s.find("figcaption").text_content()) for s in subs] == [
        "(a) Site A", "(b) Site B, by day"]
    assert [s.find("img").get("alt") for s in subs] == ["(a) Site A", "(b) Site B, by day"]
    assert flat(group.xpath("figcaption")[0].text_content()) == "Figure 1: Two sampling sites."
    refs = {a.get("href"): flat(a.text_content()) for a in page.xpath("//a[@class='xref']")}
    assert refs == {"#fig-sites": "Figure 1", "#fig-b": "Figure 1 (b)", "#fig-route": "Figure 2"}
    three = page.get_element_by_id("fig-three")
    assert "repeat(3," in three.find("div").get("style") and len(three.xpath(".//img")) == 3


@pytest.mark.slow
def test_pdf(built):
    text = flat(pdf_text(built / "figure-group.pdf"))
    assert "(a) Site A (b) Site B, by day Figure 1: Two sampling sites." in text
    assert "See Figure 1 for both sites, and Figure 1 (b) for the second." in text
    assert "Figure 2: The route" in text and "Figure 3: Three pictures in one row." in text
    images = pdf_images(built / "figure-group.pdf")
    assert side_by_side(images[0:2]) and side_by_side(images[3:6])
    assert images[2][2] > images[0][2] + images[0][4]  # the route below the group


def side_by_side(images) -> bool:
    """Pictures in one row, left to right, none over another."""
    lefts = [left for _, left, _, _, _ in images]
    bottoms = [top + height for _, _, top, _, height in images]
    return (lefts == sorted(lefts) and max(bottoms) - min(bottoms) < 2
            and all(a[1] + a[3] <= b[1] for a, b in zip(images, images[1:])))


@pytest.mark.slow
def test_docx(built, tmp_path):
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(built / "figure-group.docx"))
    table = document.tables[0]
    assert (len(table.rows), len(table.columns)) == (1, 2)
    assert [flat(c.text) for c in table.rows[0].cells] == ["(a) Site A", "(b) Site B, by day"]
    assert all(len(c._tc.xpath(".//pic:pic")) == 1 for c in table.rows[0].cells)
    assert not table._tbl.xpath(".//w:tblBorders/*[@w:val!='nil']")
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    assert [flat("".join(t.text or "" for t in p._p.iter(qn("w:t")))) for p in captions] == [
        "Figure 1: Two sampling sites.", "Figure 2: The route", "Figure 3: Three pictures in one row."]
    assert all(" SEQ Figure " in p._p.xml for p in captions)
    body = document.element.body.xml
    assert len(re.findall(r"<w:instrText[^>]*> REF _Ref", body)) == 4  # "Figure 1", "Figure 1" + "(b)", "Figure 2"
    # pandoc reads the words a reader sees
    ast = docx_via_pandoc(built / "figure-group.docx")
    paragraphs = [flat(pandoc_text(b["c"])) for b in pandoc_blocks(ast, "Para")]
    assert any("See Figure 1 for both sites, and Figure 1 (b) for the second." in p for p in paragraphs)
    # LibreOffice lays the pictures out side by side, the caption under them.
    pdf = soffice_to_pdf(built / "figure-group.docx", tmp_path)
    images = pdf_images(pdf)
    assert side_by_side(images[0:2]) and side_by_side(images[3:6])
    assert "(a) Site A (b) Site B, by day Figure 1: Two sampling sites." in flat(pdf_text(pdf))
