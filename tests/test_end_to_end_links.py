"""Issue 15, links, images and front matter: the fixtures built through all
three backends, each output read by an independent tool (lxml, poppler,
qpdf, python-docx, pandoc, LibreOffice), and the Markdown read by pandoc as
the reference."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import docx
import lxml.html
import pypandoc
import pytest

from conftest import FIXTURES, run_cli
from readers import docx_via_pandoc, pandoc_blocks, pdf_info, pdf_text, soffice_to_pdf, tool

pytestmark = pytest.mark.slow

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """Each fixture's outputs folder and the build's stderr (its warnings)."""
    out = tmp_path_factory.mktemp("links")
    made = {}
    for name in ("links-and-images", "quarto-front-matter", "title-block", "cjk"):
        result = run_cli("build", FIXTURES / f"{name}.md", "--out", out / name)
        assert result.returncode == 0, result.stderr
        made[name] = (out / name, result.stderr)
    return made


def body(path: Path):
    return lxml.html.document_fromstring(path.read_text(encoding="utf-8")).find(".//main")


def pandoc_html(name: str, reader: str) -> lxml.html.HtmlElement:
    """pandoc's reading of a fixture's body (its front matter left out)."""
    text = (FIXTURES / f"{name}.md").read_text(encoding="utf-8")
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    return lxml.html.fragment_fromstring(pypandoc.convert_text(text, "html", format=reader),
                                         create_parent="div")


# Links ------------------------------------------------------------------------

def test_links_are_pandocs_links_and_github_anchors_find_their_heading(built):
    folder, stderr = built["links-and-images"]
    main = body(folder / "links-and-images.html")
    ours = [a.get("href") for a in main.iter("a") if "footnote" not in (a.get("class") or "")
            and a.get("role") is None]
    theirs = [a.get("href") for a in pandoc_html("links-and-images", "gfm").iter("a")
              if not (a.get("href") or "").startswith("#fn")]
    # Every link pandoc (reading as GitHub) makes, in order; the one to an id
    # nothing has is text in ours, and GitHub's anchors point at pandoc's ids.
    expected = [href for href in theirs if href != "#no-such-heading"]
    assert [href for href in ours] == [
        {"#additional-notes--questions": "#additional-notes-questions", "#1-scope": "#scope"}.get(h, h)
        for h in expected]
    # The ids are pandoc's (its markdown reader); GitHub's stand beside them.
    sections = pandoc_html("links-and-images", "markdown")
    assert [s.get("id") for s in main.iter("section") if s.get("id")] == [
        h.get("id") for h in sections.iter("h1")]
    github = [h.get("id") for h in pandoc_html("links-and-images", "gfm").iter("h1")]
    ids = {el.get("id") for el in main.iter() if el.get("id")}
    assert set(github) <= ids
    assert "nowhere is a warning" in main.text_content()
    warnings = [line for line in stderr.splitlines() if ": warning: " in line]
    assert len(warnings) == 2 and "link to '#no-such-heading'" in warnings[1]


def test_links_to_other_files_stay_relative_in_the_pdf_and_the_docx(built):
    folder, _ = built["links-and-images"]
    qdf = folder / "qdf.pdf"
    tool("qpdf", "--qdf", "--object-streams=disable", folder / "links-and-images.pdf", qdf)
    uris = re.findall(rb"/URI \((.*?)\)", qdf.read_bytes())
    assert b"docs/install.md#prerequisites" in uris and b"../overview.html" in uris
    assert b"tel:+15550100" in uris and b"mailto:duty.officer@example.org" in uris
    assert not [uri for uri in uris if uri.startswith(b"file:")]
    with zipfile.ZipFile(folder / "links-and-images.docx") as package:
        rels = package.read("word/_rels/document.xml.rels").decode()
    targets = re.findall(r'Target="([^"]+)" TargetMode="External"', rels)
    assert {"docs/install.md", "/about/", "tel:+15550100", "mailto:duty.officer@example.org"} <= set(targets)
    # pandoc reads them back as the same links.
    links = [node["c"][2][0] for node in pandoc_inlines(docx_via_pandoc(folder / "links-and-images.docx"))
             if node["t"] == "Link"]
    assert "docs/install.md#prerequisites" in links and "tel:+15550100" in links


def pandoc_inlines(ast: dict) -> list[dict]:
    return pandoc_blocks(ast, ("Link", "Image"))


# Images -----------------------------------------------------------------------

def test_images_in_the_line_at_their_size_and_remote_ones_as_their_alt_text(built):
    folder, stderr = built["links-and-images"]
    main = body(folder / "links-and-images.html")
    images = [(img.get("alt"), img.get("width"), img.get("height")) for img in main.iter("img")]
    assert images == [("build passing", "92", "20"), ("done", "16", "16"), ("build passing", "92", "20"),
                      ("the map", "640", "360"), ("build passing", "92", "20"), ("done", "16", "16")]
    assert all(img.get("src").startswith("data:image/") for img in main.iter("img"))
    text = " ".join(main.text_content().split())
    assert "coverage" in text and "remote status" in text and "The seal, on a server" in text
    # pandoc shows the same images, the remote ones as images (we never fetch them).
    theirs = [img.get("alt") for img in pandoc_html("links-and-images", "gfm").iter("img")]
    assert [alt for alt in theirs if alt not in ("coverage", "remote status", "The seal, on a server")] == [
        alt for alt, _, _ in images]
    assert re.search(r":7: warning: 3 remote images not fetched .* on lines 7, 30, 36", stderr)
    # The PDF has them in the line: the text runs on after each.
    pdf = " ".join(pdf_text(folder / "links-and-images.pdf").split())
    assert "An icon and a badge sit in the line" in pdf and "remote status" in pdf
    assert "1. Marked when checked." in pdf  # the footnote, its icon between the words
    listed = tool("pdfimages", "-list", folder / "links-and-images.pdf").splitlines()[2:]
    assert len(listed) >= 2  # the badge and the map (the icons are vector)


def test_images_in_the_line_are_pictures_in_word_runs(built, tmp_path):
    folder, _ = built["links-and-images"]
    document = docx.Document(str(folder / "links-and-images.docx"))
    inline = [p for p in document.paragraphs
              if p.text.startswith("An icon") and p._p.findall(f".//{W}drawing")]
    assert len(inline[0]._p.findall(f".//{W}drawing")) == 3
    descriptions = [el.get("descr") for el in document.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert descriptions == ["build passing", "done", "build passing", "the map", "build passing"]
    with zipfile.ZipFile(folder / "links-and-images.docx") as package:
        notes = package.read("word/footnotes.xml").decode()
        note_rels = package.read("word/_rels/footnotes.xml.rels").decode()
    assert 'descr="done"' in notes and "media/" in note_rels  # related from the notes part
    # pandoc and LibreOffice read them as images in the text.
    images = [node for node in pandoc_inlines(docx_via_pandoc(folder / "links-and-images.docx"))
              if node["t"] == "Image"]
    assert len(images) >= 5
    pdf = soffice_to_pdf(folder / "links-and-images.docx", tmp_path)
    assert "An icon and a badge sit in the line" in " ".join(pdf_text(pdf).split())


# Front matter -------------------------------------------------------------------

def test_quarto_front_matter_author_abstract_keywords(built):
    folder, stderr = built["quarto-front-matter"]
    warnings = [line for line in stderr.splitlines() if "meta.foreign" in line or "ignored" in line]
    assert len(warnings) == 1 and warnings[0].endswith("format, execute, editor_options")
    page = lxml.html.document_fromstring((folder / "quarto-front-matter.html").read_text(encoding="utf-8"))
    assert page.find(".//meta[@name='author']").get("content") == "Eli Holmes; Jane Roe"
    assert page.find(".//meta[@name='keywords']").get("content") == (
        "UNCLASSIFIED, salmon, Columbia River, status review")
    abstract = page.find(".//header//section[@class='abstract']")
    ours = " ".join(abstract.text_content().split())
    # pandoc's own reading of the same abstract (Markdown, in its standalone page).
    source = (FIXTURES / "quarto-front-matter.md").read_text(encoding="utf-8")
    theirs = lxml.html.document_fromstring(pypandoc.convert_text(
        source, "html5", format="markdown", extra_args=["-s", "--metadata=pagetitle:x"]))
    expected = " ".join(theirs.find(".//div[@class='abstract']").text_content().split())
    assert ours == expected  # "Abstract Returns of chum salmon … never runs it."
    assert abstract.find(".//em").text == "chum salmon"
    info = pdf_info(folder / "quarto-front-matter.pdf")
    assert info["Author"] == "Eli Holmes; Jane Roe"
    assert info["Keywords"] == "UNCLASSIFIED, salmon, Columbia River, status review"
    pdf = " ".join(pdf_text(folder / "quarto-front-matter.pdf").split())
    assert "ABSTRACT Returns of chum salmon" in pdf
    document = docx.Document(str(folder / "quarto-front-matter.docx"))
    assert document.core_properties.keywords == "UNCLASSIFIED, salmon, Columbia River, status review"
    assert document.core_properties.author == "Eli Holmes; Jane Roe"
    styled = [p.text for p in document.paragraphs if p.style.name in ("Abstract Title", "Abstract")]
    assert styled[0] == "Abstract" and styled[1].startswith("Returns of chum salmon")


def test_code_cells_are_shown_never_run(built):
    folder, _ = built["quarto-front-matter"]
    main = body(folder / "quarto-front-matter.html")
    code = [pre.text_content() for pre in main.iter("pre")]
    assert code[0].startswith("#| label: tbl-counts") and "knitr::kable(counts)" in code[0]
    assert [pre.get("data-lang") for pre in main.iter("pre")] == ["r", "python", "r"]


def test_a_pandoc_title_block_gives_title_authors_and_date(built):
    folder, _ = built["title-block"]
    page = lxml.html.document_fromstring((folder / "title-block.html").read_text(encoding="utf-8"))
    body_text = (FIXTURES / "title-block.md").read_text(encoding="utf-8").split("---\n", 2)
    pandoc_meta = json.loads(pypandoc.convert_text(body_text[0], "json", format="markdown"))["meta"]
    assert page.find(".//h1").text_content() == "Quarterly Readiness Review" == " ".join(
        part["c"] for part in pandoc_meta["title"]["c"] if part["t"] == "Str")
    assert page.find(".//meta[@name='author']").get("content") == "J. Analyst; B. Officer"
    assert len(pandoc_meta["author"]["c"]) == 2
    assert "1 October 2026" in page.find(".//header").text_content()
    assert page.find(".//meta[@name='dcterms.created']") is None  # not a W3C date
    assert pdf_info(folder / "title-block.pdf")["Title"] == "Quarterly Readiness Review"


# CJK ----------------------------------------------------------------------------

def test_cjk_text_in_a_font_that_has_it(built, tmp_path):
    folder, _ = built["cjk"]
    fonts = tool("pdffonts", folder / "cjk.pdf").splitlines()[2:]
    cjk = [row for row in fonts if "CJK" in row.split()[0]]
    assert cjk and all(row.split()[-5] == "yes" for row in fonts)  # embedded, every one
    text = "".join(pdf_text(folder / "cjk.pdf").split())  # lines break between any two characters
    for words in ("合作伙伴会议将于下周举行", "会議は来週開かれます", "회의는다음주에열립니다", "地区状态"):
        assert words in text
    lo = "".join(pdf_text(soffice_to_pdf(folder / "cjk.docx", tmp_path)).split())
    assert "合作伙伴会议将于下周举行" in lo and "회의는다음주에열립니다" in lo


# Strict CI ------------------------------------------------------------------------

def test_fail_on_warning_fails_the_briefing_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    result = run_cli("build", "-W", FIXTURES / "links-and-images.md", "--out", out)
    assert result.returncode == 1
    assert not out.exists() or not list(out.glob("links-and-images.*"))
    lines = result.stderr.splitlines()
    assert lines[-1].endswith("2 warnings, and --fail-on-warning makes any warning fail the "
                              "briefing: nothing is written for it")
    assert sum(": warning: " in line for line in lines) == 2
    assert run_cli("check", "--fail-on-warning", FIXTURES / "links-and-images.md").returncode == 1
    assert run_cli("check", "-W", FIXTURES / "elements.md").returncode == 0
