"""ATX headings as CommonMark reads them (pandoc's commonmark reader is the
reference): the hashes may stand up to three spaces in (` #### Prerequisites`,
as in CISA's ScubaGear README), four make code or continue a paragraph, and
an indented heading inside a list item is the item's, as its column says.

Each source is read by pandoc and by us into one flat summary: headings
with their level and text, paragraphs, code, lists with each item's
summary. A heading inside a list item or a quote is a bold line here (a
section cannot start inside a list), so pandoc's is summarised as one too.
"""

from __future__ import annotations

import json

import pytest

from pipeline import model as m
from pipeline.read.frontmatter import read_meta
from pipeline.read.markdown import parse
from pipeline.read.source import read_source
from readers import pandoc_text

import lxml.html


def pandoc_summary(blocks: list, nested: bool = False) -> list:
    out: list = []
    for block in blocks:
        match block["t"]:
            case "Header" if nested:
                out.append(("bold", pandoc_text(block["c"][2])))
            case "Header":
                out.append(("h", block["c"][0], pandoc_text(block["c"][2])))
            case "Para" | "Plain":
                out.append(("p", pandoc_text(block["c"])))
            case "CodeBlock":
                out.append(("code", block["c"][1]))
            case "BulletList":
                out.append(("ul", [pandoc_summary(item, True) for item in block["c"]]))
            case "OrderedList":
                out.append(("ol", [pandoc_summary(item, True) for item in block["c"][1]]))
            case "BlockQuote":
                out.append(("quote", pandoc_summary(block["c"], True)))
            case other:
                out.append((other,))
    return out


def pandoc_reading(text: str) -> list:
    import pypandoc
    return pandoc_summary(json.loads(pypandoc.convert_text(text, "json", format="commonmark"))["blocks"])


def our_summary(blocks: tuple[m.Block, ...]) -> list:
    out: list = []
    for block in blocks:
        match block:
            case m.Paragraph(inlines=(m.Anchor(heading=True), m.Strong(children=children))):
                out.append(("bold", m.plain_text(children)))
            case m.Paragraph(inlines=inlines):
                out.append(("p", m.plain_text(inlines)))
            case m.CodeBlock(text=text):
                out.append(("code", text))
            case m.ListBlock(ordered=ordered, items=items):
                out.append(("ol" if ordered else "ul", [our_summary(item.blocks) for item in items]))
            case m.Quote(blocks=inner):
                out.append(("quote", our_summary(inner)))
            case _:
                out.append((type(block).__name__,))
    return out


def our_reading(write, text: str) -> list:
    source = read_source(write(text))
    meta, line = read_meta(source)
    doc = parse(source, meta, line)
    out = our_summary(doc.blocks)

    def section(node: m.Section) -> None:
        out.append(("h", node.level, m.plain_text(node.title)))
        out.extend(our_summary(node.blocks))
        for child in node.children:
            section(child)
    for node in doc.sections:
        section(node)
    return out


CASES = {
    "one space in": " # One\n\ntext\n",
    "two and three spaces in": "  ## Two\n\n   ### Three\n",
    "the corpus's heading between lists": ("  - [Update](update.md)\n\n #### Prerequisites\n\n"
                                          "  - [Dependencies](dependencies.md)\n"),
    "four spaces are code": "# Top\n\n    # not a heading\n",
    "four spaces continue a paragraph": "text\n    # not a heading\n",
    "an indented heading interrupts a paragraph": "para\n  # interrupts\nmore\n",
    "an indented heading in an item is the item's": "- item\n  # in item\n- b\n",
    "less indented than the item's text ends the list": "- item\n # after\n",
    "in a list after a paragraph": "Steps:\n- one\n  # in one\n",
    "in a loose item": "- x\n\n  ## in x\n",
    "under an ordered item": "1. a\n   ### in a\n2. b\n",
    "in a quote": ">  ## quoted\n> text\n",
    "closing hashes": "  ## Two ##\n",
    "hashes without a space stay text": "#hashtag\n\n  #5 bolt\n",
    "hashes alone are an empty heading": "text\n\n #\n\nmore\n",
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_headings_read_as_commonmark_reads_them(write, text):
    assert our_reading(write, text) == pandoc_reading(text)


def test_an_indented_heading_has_its_line(write):
    source = read_source(write("text\n\n   ## Heading\n\nmore\n"))
    meta, line = read_meta(source)
    doc = parse(source, meta, line)
    assert [(s.line, m.plain_text(s.title)) for s in doc.sections] == [(line + 2, "Heading")]


def test_a_heading_in_a_quote_is_a_bold_line_links_lead_to(write, tmp_path):
    """lightning/bolts quotes its examples' headings (`> ### First example`,
    26 of them) and links to them: the links were left as text, with a
    warning. The heading is a bold line there, with the id pandoc gives it
    (made unique with the document's other headings); links find it in
    all three formats: the HTML's element, the PDF's named destination,
    Word's bookmark."""
    import subprocess
    import zipfile

    import lxml.html
    from conftest import run_cli

    path = write("See [the example](#first-example) and [the other](#example).\n\n# Example\n\nText.\n\n"
                 "> ### First example\n> lnbc1pvjlue\n\n- ## Example {#own}\n")
    result = run_cli("build", path, "--out", tmp_path / "out")
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    page = lxml.html.parse(str(tmp_path / "out" / "brief.html"))
    [quoted] = page.xpath("//blockquote/p[1]")
    assert quoted.xpath("span/@id") == ["first-example"] and quoted.xpath("strong/text()") == ["First example"]
    assert page.xpath("//section/@id") == ["example"] and page.xpath("//li//span/@id") == ["own"]
    assert page.xpath("//main/p[1]/a/@href") == ["#first-example", "#example"]
    dests = subprocess.run(["pdfinfo", "-dests", str(tmp_path / "out" / "brief.pdf")],
                           capture_output=True, text=True, check=True).stdout
    assert '"first-example"' in dests and '"own"' in dests
    with zipfile.ZipFile(tmp_path / "out" / "brief.docx") as package:
        document = package.read("word/document.xml").decode()
    assert 'w:anchor="first_example"' in document or 'w:anchor="first-example"' in document


def test_a_headings_closing_hashes_go_with_spaces_after_them(tmp_path):
    """OMB's IT modernization memo writes `## SUBJECT: … Act ## ` (a space
    after the closing hashes): they showed in the heading, in every format,
    and its GitHub alias ended in a dash. pandoc takes them off."""
    import pypandoc

    from pipeline.model import walk
    from pipeline.run.build import load

    text = "## SUBJECT: Implementation of the MGT Act ## \n\nText.\n"
    source = tmp_path / "h.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n" + text, encoding="utf-8")
    [section] = load(source).sections
    assert walk.plain_text(section.title) == "SUBJECT: Implementation of the MGT Act"
    assert section.id == "subject-implementation-of-the-mgt-act" and not any(a.endswith("-") for a in section.aliases)
    assert "Act</h2>" in pypandoc.convert_text(text, "html", format="gfm")


def test_a_first_heading_that_says_the_title_again_is_the_title_once(tmp_path):
    """NIST's glossary gives `title: Definitions and Abbreviations` and opens
    with `# Definitions and Abbreviations {#def-and-acr}`: the title showed
    twice, on the title block and as section 1. That heading now goes, as a
    heading taken for the title does: the sections under it a level up, its
    id still a place links lead to. A first heading that says something
    else, or one of several of its level, stays."""
    from conftest import run_cli
    from pipeline.model import walk
    from pipeline.run.build import load

    def sections(front_title: str, body: str) -> list[tuple[int, str]]:
        source = tmp_path / "defs.md"
        source.write_text(f"---\ntitle: {front_title}\nclassification: UNCLASSIFIED\n---\n\n{body}", encoding="utf-8")
        return [(s.level, m.plain_text(s.title)) for s in walk.sections(load(source))]

    body = ("# Definitions and  Abbreviations {#def-and-acr}\n\nIntro.\n\n## Definitions\n\n"
            "See [the top](#def-and-acr).\n\n## Abbreviations\n\nMore.\n")
    assert sections("Definitions and Abbreviations", body) == [(1, "Definitions"), (1, "Abbreviations")]
    result = run_cli("build", tmp_path / "defs.md", "--to", "html", "--out", tmp_path)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    page = (tmp_path / "defs.html").read_text(encoding="utf-8")
    tree = lxml.html.fromstring(page)
    assert [" ".join(h.text_content().split()) for h in tree.xpath("//h1|//h2")] == [
        "Definitions and Abbreviations", "Definitions", "Abbreviations"]
    assert tree.xpath("//header//h1[@class='title']//*/@id") == ["def-and-acr"]
    assert sections("Digital Identity", body) == [(1, "Definitions and Abbreviations"), (2, "Definitions"),
                                                  (2, "Abbreviations")]
    twice = "# Definitions and Abbreviations\n\nA.\n\n# Annex\n\nB.\n"
    assert sections("Definitions and Abbreviations", twice) == [(1, "Definitions and Abbreviations"), (1, "Annex")]
    # Said with an apostrophe (’ once read), and with no `{#id}`: the title
    # takes the id the heading had, first, so a later heading of the same
    # words is `-1` and a link to the first finds the title.
    apostrophe = "# Author's Guide\n\nSee [the top](#authors-guide).\n\n## Part\n\n## Author's Guide\n\nx\n"
    assert sections("Author's Guide", apostrophe) == [(1, "Part"), (1, "Author’s Guide")]
    result = run_cli("build", tmp_path / "defs.md", "--to", "html", "--out", tmp_path)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    page = lxml.html.fromstring((tmp_path / "defs.html").read_bytes())
    assert page.xpath("//header//h1[@class='title']//*/@id") == ["authors-guide"]
    assert page.xpath("//main//a/@href") == ["#authors-guide"] and page.xpath("//main//h2/@id") == []
    assert page.xpath("//section/@id") == ["part", "authors-guide-1"]


def test_a_link_to_a_readmes_title_heading_finds_the_title(tmp_path):
    """A README's `# Title`, taken for the title, had no id left: its "back
    to top" link (`#readme-title`) was shown as text with a warning. The
    title is that place now, in the HTML and in Word."""
    import zipfile

    from conftest import run_cli

    source = tmp_path / "readme.md"
    source.write_text("# README Title\n\nSee [the top](#readme-title).\n\n## Install\n\nx\n", encoding="utf-8")
    result = run_cli("build", source, "--classification", "UNCLASSIFIED", "--out", tmp_path)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    page = lxml.html.fromstring((tmp_path / "readme.html").read_bytes())
    assert page.xpath("//header//h1[@class='title']//*/@id") == ["readme-title"]
    assert page.xpath("//main//a/@href") == ["#readme-title"]
    document = zipfile.ZipFile(tmp_path / "readme.docx").read("word/document.xml").decode()
    assert 'w:name="readme-title"' in document and 'w:anchor="readme-title"' in document


@pytest.mark.parametrize("before, title", [
    ("**TLP:CLEAR**\n\n", "CISA M365 Secure Configuration Baseline"),
    ("[![CI](https://img.shields.io/x.svg)](https://ci.example) [![cov](https://img.shields.io/y.svg)](https://c.example)\n\n",
     "CISA M365 Secure Configuration Baseline"),
    ("This readme explains a thing in a sentence that is long enough.\n\n", "baseline")])
def test_a_label_or_badges_before_a_readmes_heading_leave_it_the_title(tmp_path, before, title):
    """CISA's baselines open with `**TLP:CLEAR**`, many READMEs with their
    badges, before their one `#`: the title page read the file's name. A
    sentence before it still leaves the heading a section."""
    from pipeline.model import walk
    from pipeline.run.build import load

    source = tmp_path / "baseline.md"
    source.write_text(f"{before}# CISA M365 Secure Configuration Baseline\n\nIntro.\n\n## 1. Policies\n\nx\n",
                      encoding="utf-8")
    doc = load(source, marking="UNCLASSIFIED")
    assert m.plain_text(doc.shown_title()) == title
    assert len(doc.blocks) >= 1  # what stood before the heading stays, before the sections
