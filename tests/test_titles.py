"""The title and subtitle read as Markdown, as pandoc reads them: shown with
their markup on the title page of every format, their plain text in the
metadata (read back by poppler, pandoc and the HTML's <title>)."""

import html
import json
import re

import pytest

from pipeline import model as m
from pipeline.read.frontmatter import read_meta
from pipeline.read.markdown import parse
from pipeline.read.source import read_source
from pipeline.problems import Reporter
from pipeline.run.build import load
from tests.conftest import run_cli
from tests.readers import docx_via_pandoc, pandoc_text, pdf_info, pdf_text

FRONT = ("---\ntitle: \"Analysis of *E. coli* in `water` -- a H~2~O story\"\n"
         "subtitle: The **new** plan\nclassification: UNCLASSIFIED\n---\n")


def read(write, front: str) -> m.Document:
    source = read_source(write("# Intro\n\nText.\n", front=front))
    meta, body_line = read_meta(source)
    return parse(source, meta, body_line)


def test_title_with_markup_reads_as_inlines_and_its_plain_text_is_the_metas(write):
    doc = read(write, FRONT)
    assert doc.title == (m.Text(text="Analysis of "), m.Emph(children=(m.Text(text="E. coli"),)),
                         m.Text(text=" in "), m.Code(text="water"), m.Text(text=" – a H"),
                         m.Sub(children=(m.Text(text="2"),)), m.Text(text="O story"))
    assert doc.subtitle == (m.Text(text="The "), m.Strong(children=(m.Text(text="new"),)),
                            m.Text(text=" plan"))
    assert doc.meta.title == "Analysis of E. coli in water – a H2O story"
    assert doc.meta.subtitle == "The new plan"


@pytest.mark.parametrize("title", [
    "Quarterly readiness review",  # nothing to read
    "1. Introduction",  # a list to Markdown: kept as written
    "# Plan",  # a heading
    "Costs[^1]",  # a footnote belongs to the body
])
def test_title_without_markup_or_not_one_paragraph_is_kept_as_written(write, title):
    doc = read(write, f"---\ntitle: {json.dumps(title)}\nclassification: UNCLASSIFIED\n---\n")
    assert doc.title == () and doc.meta.title == title
    assert doc.shown_title() == (m.Text(text=title),)


def test_portion_mark_comes_off_the_title_read_as_markdown(write):
    path = write("# (U) Intro\n\n(U) Text.\n",
                 front="---\ntitle: \"(U) Status of the *Alpha* programme\"\n"
                       "classification: UNCLASSIFIED\nportion_marking: true\n---\n")
    reporter = Reporter(str(path))
    doc = load(path, reporter)
    assert not reporter.errors
    assert doc.meta.title_portion == "U" and doc.meta.title == "Status of the Alpha programme"
    assert doc.title == (m.Text(text="Status of the "), m.Emph(children=(m.Text(text="Alpha"),)),
                         m.Text(text=" programme"))


def test_every_format_shows_the_markup_and_keeps_plain_metadata(write, tmp_path):
    source = write("# Intro\n\nText.\n", front=FRONT)
    result = run_cli("build", source, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    page = (out / "brief.html").read_text(encoding="utf-8")
    assert re.search(r'<h1 class="title">Analysis of <em>E\. coli</em> in <code>water</code> '
                     r'– a H<sub>2</sub>O story</h1>', page)
    assert '<p class="subtitle">The <strong>new</strong> plan</p>' in page
    assert html.unescape(re.search(r"<title>(.*)</title>", page)[1]) == \
        "Analysis of E. coli in water – a H2O story"
    info = pdf_info(out / "brief.pdf")
    assert (info["Title"], info["Subject"]) == ("Analysis of E. coli in water – a H2O story", "The new plan")
    first = pdf_text(out / "brief.pdf", 1)
    assert "E. coli" in first and "*" not in first and "`" not in first and "~" not in first
    ast = docx_via_pandoc(out / "brief.docx")
    title = ast["meta"]["title"]["c"]
    assert pandoc_text(title).startswith("Analysis of E. coli in water – a H")
    assert {"t": "Subscript", "c": [{"t": "Str", "c": "2"}]} in title
    assert {"t": "Emph", "c": [{"t": "Str", "c": "E."}, {"t": "Space"}, {"t": "Str", "c": "coli"}]} in title
    assert {"t": "Code", "c": [["", [], []], "water"]} in title
    assert any(item["t"] == "Strong" for item in ast["meta"]["subtitle"]["c"])


def test_code_in_the_title_and_headings_keeps_its_share_of_their_size_in_word(write, tmp_path):
    """Verbatim Char sets its own size, 9.5 points beside the body's 10: in
    the DOCX, `make test` in a 16-point heading stood at 9.5 points (as the
    title's code did at 22). Each code run in a heading or the title now
    has the style's size in that proportion; the body's code is the style's."""
    import docx

    path = write("# Running `make test`\n\n## The `--to` option\n\nBody `code` here.\n",
                 front="---\ntitle: \"The `briefing build` command\"\nclassification: UNCLASSIFIED\n---\n")
    result = run_cli("build", path, "--out", tmp_path / "out", "--to", "docx")
    assert result.returncode == 0, result.stderr
    document = docx.Document(str(tmp_path / "out" / "brief.docx"))
    styles = document.styles
    default = int(styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:sz/@w:val")[0]) / 2

    def size(style) -> float:
        while style is not None and style.font.size is None:
            style = style.base_style
        return style.font.size.pt if style is not None else default
    share = size(styles["Verbatim Char"]) / size(styles["Normal"])
    for paragraph in document.paragraphs:
        code = [r for r in paragraph.runs if r.style is not None and r.style.name == "Verbatim Char"]
        if not code:
            continue
        if size(paragraph.style) <= size(styles["Normal"]):
            assert code[0].font.size is None  # the character style's own
        else:
            assert code[0].font.size.pt == pytest.approx(size(paragraph.style) * share, abs=0.5)
    assert {p.style.name for p in document.paragraphs if any(
        r.style is not None and r.style.name == "Verbatim Char" for r in p.runs)} >= {"Title", "Heading 1", "Heading 2"}


def test_authors_read_as_markdown_show_their_links_and_keep_plain_metadata(write, tmp_path):
    """Jupyter's enhancement proposals name authors with their GitHub page
    (`Matthew Seal ([@MSeal](https://github.com/MSeal))`): the brackets and
    address stood on every title page. Each author is read as pandoc reads
    it; the metadata (HTML's author, the PDF's Author) takes the plain text."""
    import lxml.html

    front = ('---\ntitle: Cell IDs\nauthors: ["Matthew Seal ([@MSeal](https://github.com/MSeal))", '
             '"Carol Willing", "O\'Brien, *Pat*"]\nclassification: UNCLASSIFIED\n---\n')
    path = write("# Intro\n\nText.\n", front=front)
    result = run_cli("build", path, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = lxml.html.parse(str(tmp_path / "out" / "brief.html"))
    [authors] = page.xpath("//dl[@class='details']//dd[a]")
    assert authors.xpath("a/@href") == ["https://github.com/MSeal"] and authors.xpath("em/text()") == ["Pat"]
    assert page.xpath("//meta[@name='author']/@content") == ["Matthew Seal (@MSeal); Carol Willing; O’Brien, Pat"]
    assert pdf_info(tmp_path / "out" / "brief.pdf")["Author"] == "Matthew Seal (@MSeal); Carol Willing; O’Brien, Pat"
    first = " ".join(pdf_text(tmp_path / "out" / "brief.pdf", 1).split())
    assert "Matthew Seal (@MSeal), Carol Willing, O’Brien, Pat" in first and "](" not in first
    ast = docx_via_pandoc(tmp_path / "out" / "brief.docx")
    assert any(node.get("t") == "Link" and node["c"][2][0] == "https://github.com/MSeal"
               for node in ast["meta"]["author"]["c"])
