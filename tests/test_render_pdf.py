"""The PDF, read back with poppler and qpdf."""

import dataclasses
import re
import socket
import subprocess
from pathlib import Path

import pytest

from pipeline.run.build import load
from pipeline.problems import BriefingError
from markupsafe import Markup

from pipeline.markings.rules import classification_problem
from pipeline.render.pdf import resolve_custom_properties
from rendering import pdf_of
from pipeline.render.templates import Templates

from conftest import FIXTURES, FRONT, run_cli
from readers import (pdf_attachments, pdf_band, pdf_catalog, pdf_fonts, pdf_info, pdf_outline_titles, pdf_page_size,
                     pdf_headings, pdf_lines, pdf_struct_alts, pdf_structure, pdf_text, pdf_xmp, qpdf_check, tool)


def fixture_pdf(tmp_path_factory, name: str) -> Path:
    path = tmp_path_factory.mktemp("pdf") / f"{name}.pdf"
    path.write_bytes(pdf_of(load(FIXTURES / f"{name}.md"), Templates())[0])
    return path


@pytest.fixture(scope="module")
def elements_pdf(tmp_path_factory) -> Path:
    return fixture_pdf(tmp_path_factory, "elements")


def test_valid_a4_with_metadata(elements_pdf):
    assert "No syntax or stream encoding errors" in qpdf_check(elements_pdf)
    info = pdf_info(elements_pdf)
    assert info["Title"] == "Elements of a briefing"
    assert info["Author"] == "A. Analyst; B. Officer"
    assert info["Subject"] == "One of every element the foundation supports"
    assert "UNCLASSIFIED" in info["Keywords"]
    assert pdf_page_size(elements_pdf) == pytest.approx((595.3, 841.9), abs=0.5)


def test_fonts_are_embedded(elements_pdf):
    fonts = pdf_fonts(elements_pdf)
    assert fonts and all(font["emb"] == "yes" for font in fonts)
    assert any("Noto-Serif" in font["name"] for font in fonts)


def test_bookmarks_follow_headings(elements_pdf):
    assert pdf_outline_titles(elements_pdf) == ["1 Situation", "1.1 Background", "2 Assessment"]


def test_every_page_has_banners_and_page_x_of_y(elements_pdf):
    pages = int(pdf_info(elements_pdf)["Pages"])
    for page in range(1, pages + 1):
        # The running header (the title) from the second page on, under the banner.
        top = " ".join(pdf_band(elements_pdf, page, top=True).split())
        assert top == ("UNCLASSIFIED" if page == 1 else "UNCLASSIFIED Elements of a briefing")
        bottom = pdf_band(elements_pdf, page, top=False)
        assert "UNCLASSIFIED" in bottom and f"Page {page} of {pages}" in bottom


def test_text_in_reading_order(elements_pdf):
    text = " ".join(pdf_text(elements_pdf).split())
    text = text[text.find("Opening paragraph"):]  # after the title block and contents
    order = ["Opening paragraph", "Reader’s note", "1 Situation",
             "First point", "Nested point one", "1.1 Background", "A quotation from a source",
             "Fifth item", "2 Assessment", 'return "<high>"', "{{ template }}", "line two."]
    positions = [text.find(item) for item in order]
    assert -1 not in positions and positions == sorted(positions)
    assert "5. Fifth item 6. Sixth item" in text


def test_letter_paper(tmp_path):
    doc = load(FIXTURES / "elements.md")
    doc = dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, paper="letter"))
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf_of(doc, Templates())[0])
    assert pdf_page_size(path) == pytest.approx((612, 792), abs=0.5)


@pytest.mark.parametrize("url", ["http://127.0.0.1:{port}/x.png", "file:///etc/passwd"])
def test_network_and_files_are_refused(tmp_path, url):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.settimeout(0.2)
        url = url.format(port=server.getsockname()[1])
        (tmp_path / "print").mkdir()
        (tmp_path / "print" / "print.css").write_text(f'body {{ background: url("{url}"); }}')
        with pytest.raises(BriefingError, match=f"refused to fetch {url}"):
            pdf_of(load(FIXTURES / "elements.md"), Templates(tmp_path))
        with pytest.raises(TimeoutError):
            server.accept()  # nobody connected


def test_weasyprint_warnings_come_back_as_warnings(tmp_path):
    (tmp_path / "print").mkdir()
    (tmp_path / "print" / "print.css").write_text("p { colour: red; }")
    data, warnings = pdf_of(load(FIXTURES / "elements.md"), Templates(tmp_path))
    assert data.startswith(b"%PDF-")
    assert [w.warning for w in warnings] == [True]
    assert "colour" in warnings[0].message and warnings[0].path.endswith("elements.md")


def test_custom_properties_are_resolved_once_for_print():
    css = Markup(":root { --ink: #111; --accent: var(--ink); --font: \"Noto Sans\", sans-serif; --bg: #fff }\n"
                 "h1 { color: var(--accent); font-family: var(--font); border: var(--unknown); "
                 "background: var(--ink, red) }\n.x { --bg: #000 } p { background: var(--bg) }")
    resolved = resolve_custom_properties(css)
    assert 'h1 { color: #111; font-family: "Noto Sans", sans-serif; border: var(--unknown); ' \
           "background: var(--ink, red) }" in resolved
    assert "p { background: var(--bg) }" in resolved  # set per element elsewhere: left alone


def test_print_colours_match_the_stylesheet(elements_pdf, tmp_path):
    # The accent colour of theme.css reaches the PDF's headings.
    (tmp_path / "html").mkdir()
    style = (Templates().path("html/theme.css")).read_text().replace("--accent: #1f3a5f", "--accent: #ff0000")
    (tmp_path / "html" / "theme.css").write_text(style)
    data, _ = pdf_of(load(FIXTURES / "elements.md"), Templates(tmp_path))
    page = tmp_path / "red.pdf"
    page.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(page), str(tmp_path / "p")], check=True)
    from PIL import Image
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    colours = [colour for _, colour in image.getcolors(maxcolors=1 << 20)]
    assert any(r > 200 and g < 60 and b < 60 for r, g, b in colours)


def test_page_label_wording_comes_from_labels(tmp_path):
    (tmp_path / "text").mkdir()
    labels = (Templates().path("text/labels.yaml")).read_text()
    (tmp_path / "text" / "labels.yaml").write_text(
        labels.replace("page: Page", "page: Seite").replace("of: of", "of: von"))
    path = tmp_path / "de.pdf"
    path.write_bytes(pdf_of(load(FIXTURES / "elements.md"), Templates(tmp_path))[0])
    assert re.search(r"Seite 1 von \d", pdf_band(path, 1, top=False))


def test_long_marking_wraps_inside_the_page(tmp_path):
    doc = load(FIXTURES / "elements.md")
    # As long as a correct marking gets (markings/rules.py accepts it).
    marking = "TOP SECRET//SI-GAMMA ABCD EFGH/TK//ORCON/PROPIN/REL TO USA, AUS, CAN, GBR, NZL/FISA"
    assert classification_problem(marking, None) is None
    doc = dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, classification=marking))
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf_of(doc, Templates())[0])
    for top in (True, False):
        band = " ".join(pdf_band(path, 1, top=top, height_pt=70).split())
        assert marking in \
            band.replace("/ ", "/")


def test_long_table_repeats_its_header_on_every_page(tmp_path):
    path = tmp_path / "tables.pdf"
    path.write_bytes(pdf_of(load(FIXTURES / "tables.md"), Templates())[0])
    pages = int(pdf_info(path)["Pages"])
    assert pages >= 2
    first = " ".join(pdf_text(path, 1).split())
    assert "Table 1: (U) Units by role and strength Unit Role Strength Unit 01 Logistics 37" in first
    for page in range(2, pages):
        assert " ".join(pdf_text(path, page).split()).split("UNCLASSIFIED", 1)[1].strip().startswith(
            "Force laydown Unit Role Strength")  # under the banner and running head
    text = " ".join(pdf_text(path).split())
    assert "Table 2: Short caption in Quarto’s form" in text
    # The 100-letter identifier wraps inside the cell instead of running off the page.
    assert "wordwrappingtestidentifier" in text and "beatall" in text


def test_footnotes_sit_at_the_foot_of_their_page(tmp_path):
    path = tmp_path / "notes.pdf"
    data, warnings = pdf_of(load(FIXTURES / "footnotes.md"), Templates())
    path.write_bytes(data)
    assert warnings == ()
    assert int(pdf_info(path)["Pages"]) == 1
    lines = [" ".join(line.split()) for line in pdf_text(path, 1).splitlines() if line.strip()]
    text = " ".join(lines)
    body = text.index("The alliance reported progress.1 Partners confirmed it.2 The same report1 is cited twice.")
    note = lines.index("1. Annual report, 2026, p. 4; see the site.")
    assert body < text.index(lines[note]) < text.index("2. Partner statements, 2026.")
    assert "A second paragraph of the first note." in lines
    # The notes stand in the lower part of the page, above the bottom banner.
    assert "2. Partner statements, 2026." in " ".join(pdf_band(path, 1, top=False, height_pt=200).split())


def test_figures_fit_the_text_width_with_captions(tmp_path):
    path = tmp_path / "figures.pdf"
    path.write_bytes(pdf_of(load(FIXTURES / "figures.md"), Templates())[0])
    listing = [line.split() for line in tool("pdfimages", "-list", path).splitlines()[2:]]
    assert [(row[3], row[4], row[8]) for row in listing] == [("640", "360", "image"), ("1600", "1200", "jpeg")]
    # 1600 px scaled into a 170 mm text width is about 239 pixels per inch, never less than that
    assert int(listing[1][12]) >= 230
    text = " ".join(pdf_text(path).split())
    assert "Figure 1: (U) The area of operations" in text and "As Figure 1 shows" in text
    assert "Figure 2: (U) A photograph wider than the page" in text


def test_svg_figure_is_drawn_as_vectors(tmp_path):
    path = tmp_path / "svg.pdf"
    path.write_bytes(pdf_of(load(FIXTURES / "svg-figure.md"), Templates())[0])
    # Its shapes are vectors and its words real text; the one bitmap is the
    # 16-pixel PNG that the SVG itself carries.
    listing = [line.split() for line in tool("pdfimages", "-list", path).splitlines()[2:]]
    assert [(row[3], row[4]) for row in listing] == [("16", "16")]
    text = " ".join(pdf_text(path).split())
    assert "GREENLAND" in text and "ICELAND" in text and "GIUK gap routes" in text
    assert "Figure 1: (U) Patrol routes through the gap" in text and "As Figure 1 shows" in text


@pytest.mark.parametrize("override", [
    ("print/print.css", '@font-face {{ font-family: Evil; src: url("{url}/font.woff2"); }} body {{ font-family: Evil; }}'),
    ("html/theme.css", '@import url("{url}/style.css");'),  # first in the page: @import must lead
])
def test_fonts_and_stylesheets_from_a_server_are_refused(tmp_path, override):
    name, css = override
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.settimeout(0.2)
        url = f"http://127.0.0.1:{server.getsockname()[1]}"
        (tmp_path / name).parent.mkdir(parents=True)
        (tmp_path / name).write_text(css.format(url=url))
        with pytest.raises(BriefingError, match=f"refused to fetch {url}"):
            pdf_of(load(FIXTURES / "elements.md"), Templates(tmp_path))
        with pytest.raises(TimeoutError):
            server.accept()


def test_a_link_element_in_a_template_is_refused(tmp_path):
    (tmp_path / "print").mkdir()
    page_template = (Templates().path("print/page.html.j2")).read_text()
    (tmp_path / "print" / "page.html.j2").write_text(page_template.replace(
        "{{ super() }}", '{{ super() }}<link rel="stylesheet" href="http://127.0.0.1:9/x.css">', 1))
    with pytest.raises(BriefingError, match="refused to fetch http://127.0.0.1:9/x.css"):
        pdf_of(load(FIXTURES / "elements.md"), Templates(tmp_path))


@pytest.fixture(scope="module")
def paper_pdf(tmp_path_factory) -> Path:
    return fixture_pdf(tmp_path_factory, "information-paper")


def test_tagged_by_default_for_screen_readers(paper_pdf):
    assert pdf_info(paper_pdf)["Tagged"] == "yes"
    assert 'pdfuaid:part="1"' in pdf_xmp(paper_pdf)
    tags = pdf_structure(paper_pdf)
    lines = [line.strip() for line in tags.splitlines()]
    assert pdf_headings(paper_pdf)[0] == (1, "Maritime Security in the GIUK Gap")
    tags = {line.split()[0].rstrip(":") for line in lines if line and line[0].isalpha()}
    assert {"H2", "H3", "P", "L", "LI", "LBody", "Table", "THead", "TH", "TD", "Caption",
            "Figure"} <= tags
    # Each data cell names its header cell, so a reader says "Ships: 6".
    assert "/Headers [(" in "".join(lines)
    assert pdf_struct_alts(paper_pdf)["Figure"] == ["Figure 1: (U) Main sea lines of communication through the gap"]


def test_catalog_says_what_pdf_ua_asks(paper_pdf):
    """Language, marked content, and the title (not the file name) in a viewer's title bar."""
    catalog = pdf_catalog(paper_pdf)
    assert catalog["/Lang"] == "u:en-GB"
    assert catalog["/MarkInfo"] == {"/Marked": True}
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] is True
    assert "/StructTreeRoot" in catalog


def test_banners_and_page_numbers_are_not_in_the_tags(paper_pdf):
    # Page furniture stays out of what a screen reader reads, though every page shows it.
    assert "UNCLASSIFIED" in pdf_band(paper_pdf, 1, top=True)
    tags = pdf_structure(paper_pdf)
    assert "UNCLASSIFIED" not in tags and "Page 1 of" not in tags


def test_xmp_metadata_is_complete(paper_pdf, monkeypatch, tmp_path):
    xmp = pdf_xmp(paper_pdf)
    for part in ("<dc:title>", "Maritime Security in the GIUK Gap", "<dc:creator>", "A. Analyst",
                 "<dc:description>", "<pdf:Keywords>UNCLASSIFIED", "<xmp:CreatorTool>briefing",
                 "<xmp:CreateDate>2026-11-25</xmp:CreateDate>", "<xmp:ModifyDate>",
                 "<dc:language><rdf:Bag><rdf:li>en-GB</rdf:li>",
                 '<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">UNCLASSIFIED</rdf:li>'):
        assert part in xmp, part
    # A date that is no ISO date stays on the title page and out of the metadata.
    doc = load(FIXTURES / "information-paper.md")
    doc = dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, date="late November 2026"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    path = tmp_path / "dated.pdf"
    data, warnings = pdf_of(doc, Templates(), "pdf/a-2b")
    path.write_bytes(data)
    xmp = pdf_xmp(path)
    assert "CreateDate" not in xmp and "<xmp:ModifyDate>2025-11-24T16:00:00Z</xmp:ModifyDate>" in xmp
    assert "late November 2026" in pdf_text(path, 1)


@pytest.mark.parametrize("variant, part", [("pdf/a-2b", 2), ("pdf/a-3b", 3)])
def test_pdf_a_variants_are_tagged_and_embed_their_fonts(tmp_path, variant, part):
    path = tmp_path / "archive.pdf"
    data, warnings = pdf_of(load(FIXTURES / "information-paper.md"), Templates(), variant)
    path.write_bytes(data)
    assert warnings == ()
    assert "No syntax or stream encoding errors" in qpdf_check(path)
    assert pdf_info(path)["Tagged"] == "yes"
    assert f'pdfaid:part="{part}" pdfaid:conformance="B"' in pdf_xmp(path)
    assert all(font["emb"] == "yes" for font in pdf_fonts(path))
    # Only PDF/A-3 may carry a non-PDF file: the Markdown source.
    assert pdf_attachments(path) == (["information-paper.md"] if part == 3 else [])


def test_pdf_a_3_carries_its_markdown_source(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    doc = load(FIXTURES / "information-paper.md")
    first, second = (pdf_of(doc, Templates(), "pdf/a-3b")[0] for _ in range(2))
    assert first == second  # reproducible, attachment dates included
    path = tmp_path / "archive.pdf"
    path.write_bytes(first)
    tool("pdfdetach", "-save", "1", "-o", tmp_path / "source.md", path)
    assert (tmp_path / "source.md").read_bytes() == (FIXTURES / "information-paper.md").read_bytes()


def test_draft_watermark_on_every_page_and_not_in_the_tags(tmp_path):
    doc = load(FIXTURES / "tables.md")  # several pages
    doc = dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, status="draft"))
    path = tmp_path / "draft.pdf"
    data, warnings = pdf_of(doc, Templates(), "pdf/a-2b")
    path.write_bytes(data)
    assert warnings == ()
    pages = int(pdf_info(path)["Pages"])
    assert pages >= 2
    for number in range(1, pages + 1):
        # Drawn first, under everything else: the page's first text in content order.
        assert "".join(tool("pdftotext", "-raw", "-f", number, "-l", number, path, "-").split()).startswith(
            "DRAFT"), number
    assert "DRAFT" not in pdf_structure(path)
    final = tmp_path / "final.pdf"
    final.write_bytes(pdf_of(load(FIXTURES / "tables.md"), Templates())[0])
    assert "DRAFT" not in "".join(tool("pdftotext", "-raw", final, "-").split())


def test_title_page_then_the_text(paper_pdf):
    first = " ".join(pdf_text(paper_pdf, 1).split())
    for part in ("JOINT STAFF, J5 PLANS", "Maritime Security in the GIUK Gap", "Information paper",
                 "Date 2026-11-25", "Version 1.2 (final)", "Authors A. Analyst, B. Officer",
                 "Point of contact Cdr C. Example, ext. 4471"):
        assert part in first, part
    assert "Purpose" not in first and "Allied patrols" not in first
    second = " ".join(pdf_text(paper_pdf, 2).split())
    assert second.startswith("UNCLASSIFIED Maritime Security in the GIUK Gap Contents")


def test_title_block_and_short_title(tmp_path):
    doc = load(FIXTURES / "information-paper.md")
    doc = dataclasses.replace(doc, meta=dataclasses.replace(
        doc.meta, title_page=False, short_title="GIUK maritime security", paper="letter"))
    path = tmp_path / "block.pdf"
    path.write_bytes(pdf_of(doc, Templates())[0])
    first = " ".join(pdf_text(path, 1).split())
    assert "Maritime Security in the GIUK Gap Information paper" in first and "Allied patrols" in first
    assert " ".join(pdf_band(path, 2, top=True).split()) == "UNCLASSIFIED GIUK maritime security"


def test_marking_blocks_stand_at_the_foot_of_the_title_page(tmp_path):
    path = tmp_path / "secret.pdf"
    doc = load(FIXTURES / "markings" / "us-secret.md")  # short: a title page when asked for
    doc = dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, title_page=True))
    path.write_bytes(pdf_of(doc, Templates())[0])
    foot = " ".join(pdf_band(path, 1, top=False, height_pt=200).split())
    assert "Classified By:" in foot and "DISTRIBUTION STATEMENT E." in foot
    assert "Northern Flank Posture" in " ".join(pdf_band(path, 1, top=True, height_pt=350).split())
    assert "DISTRIBUTION STATEMENT" not in pdf_text(path, 2)


LONG_WORDS = ("Today the institutionalization of counterinsurgency responsibilities requires "
              "interoperability, interministerial coordination and comprehensive "
              "intergovernmental understanding across multinational headquarters. ") * 6


def test_hyphenation_follows_the_language_and_spares_headings(write, tmp_path):
    source = write(f"# Interoperability institutionalization considerations\n\n{LONG_WORDS}\n",
                   front="---\ntitle: T\nclassification: UNCLASSIFIED\ntitle_page: false\n---\n")
    path = tmp_path / "hyphens.pdf"
    path.write_bytes(pdf_of(load(source), Templates())[0])
    lines = [line.strip() for line in pdf_text(path).splitlines() if line.strip()]
    hyphenated = [line for line in lines if line.endswith("\u2010")]
    assert hyphenated and len(hyphenated) < len(lines) / 3
    assert "1 Interoperability institutionalization considerations" in lines or \
        "Interoperability institutionalization considerations" in lines


def test_running_header_is_cut_at_a_word(tmp_path):
    from conftest import SEED
    path = tmp_path / "seed.pdf"
    doc = load(SEED)  # a title longer than the text is wide, without the seed's short one
    title = doc.meta.title + ": a Review of Partnerships, Exercises and Training Programmes in Three Regions"
    doc = dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, short_title=None, title=title))
    path.write_bytes(pdf_of(doc, Templates())[0])
    # One line under the banner (it wrapped onto two, cut at 56 letters),
    # the title shortened after a whole word, within the text's width.
    top = [line for line in pdf_lines(path) if line[0] == 2 and line[3] < 60]
    [head] = [line for line in top if line[4] != "UNCLASSIFIED"]
    assert head[4].endswith("…") and len(top) == 2
    shown = head[4].removesuffix("…")
    assert title.startswith(shown) and title[len(shown)] in " ,;:"  # after a word, its comma dropped
    assert len(head[4]) >= 80  # as much of it as the text's width holds
    assert head[2] <= pdf_page_size(path)[0] - 36 * 72 / 25.4


def test_headings_never_end_a_page(write, tmp_path):
    # Forty headings after paragraphs of one to seven lines: without keeping
    # headings with the next paragraph, some land at a page's foot.
    words = "Allied patrols rose again this year across the whole of the northern area. "
    source = write("\n".join(f"## Heading number {k}\n\n{words * (k % 7 + 1)}\n" for k in range(1, 41)),
                   front="---\ntitle: T\nclassification: UNCLASSIFIED\ntitle_page: false\n---\n")
    path = tmp_path / "headings.pdf"
    path.write_bytes(pdf_of(load(source), Templates())[0])
    for page in range(1, int(pdf_info(path)["Pages"]) + 1):
        body = [" ".join(line.split()) for line in pdf_text(path, page).splitlines()
                if line.strip() and "UNCLASSIFIED" not in line]
        assert not body[-1].startswith("Heading number"), (page, body[-1])


def test_a_line_break_in_a_footnote_starts_the_next_line_not_one_lower(write, tmp_path):
    """The Zero Trust strategy's first note breaks a line with `<br/>`: in
    the PDF its second line stood a blank line lower (WeasyPrint set the
    newline after the break as a line of its own in a footnote), so one
    note read as two. The lines of a note are 11.5 points apart."""


    from conftest import run_cli
    from readers import tool

    source = write("Agencies[^1] act.\n\n[^1]: The meaning given in 44<br/>\n    U.S.C. § 3502.\n")
    assert run_cli("build", source, "--out", tmp_path, "--to", "pdf").returncode == 0
    boxes = tool("pdftotext", "-bbox", tmp_path / "brief.pdf", "-")
    top = {word: float(y) for y, word in re.findall(r'yMin="([\d.]+)"[^>]*>([^<]+)<', boxes)}
    assert 10 < top["U.S.C."] - top["44"] < 13


def test_a_link_or_emphasis_in_bold_is_carried_whole_to_the_next_line(tmp_path):
    """OWASP's CSRF cheat sheet: `**… rely upon [Fetch Metadata headers](…)
    …**` printed "rely upon Fe" over "tch Metadata": WeasyPrint, with the
    screen's `overflow-wrap: break-word` on the body, broke the first word of
    a link or emphasis inside bold at a line's end. Whatever the words before
    it, the word stands whole."""
    from readers import tool

    fillers = ["", "now ", "modern ", "up to date ", "the newest ", "a supported ", "current, patched ",
               "well maintained ", "all of the "]
    body = "".join(f"- **If your software targets only {filler}browsers, you may rely upon [Fetch Metadata "
                   f"headers](#headers) or *Sec-Fetch-Site* with the fallback options described below.**\n"
                   for filler in fillers)
    source = tmp_path / "brief.md"
    source.write_text(FRONT + body + "\n## Headers\n\nText.\n", encoding="utf-8")
    assert run_cli("build", source, "--to", "pdf", "--out", tmp_path).returncode == 0
    words = tool("pdftotext", tmp_path / "brief.pdf", "-").split()
    assert words.count("Fetch") == len(fillers) and words.count("Sec-Fetch-Site") == len(fillers)


def test_an_options_leading_hyphen_stays_with_it(tmp_path):
    """OpenSSF's compiler options guide printed "prepending -" over
    "U_FORTIFY_SOURCE": Pango breaks a line after a word's leading hyphen,
    in code and in text alike. Wherever the line ends, the option is whole."""
    from readers import tool

    fillers = ["", "a ", "to ", "the ", "it is ", "we do so ", "and then ", "as before, ", "so that we "]
    body = "".join(f"Enable it by {filler}prepending `-U_FORTIFY_SOURCE` and `--fortify` and keep going "
                   f"with `gcc -O2 -Wall` for the builds of the project.\n\n" for filler in fillers)
    table = ("| Compiler Flag | Supported since | Description |\n|:--- |:---:|:--- |\n"
             "| `-D_FORTIFY_SOURCE=3` | GCC 12.0.0<br/>Clang 9.0.0 | Fortify sources with compile- and run-time "
             "checks for unsafe libc usage and buffer overflows. Some fortification levels can impact "
             "performance. Requires `-O1` or higher, may require prepending `-U_FORTIFY_SOURCE`. |\n"
             "| `-Werror=incompatible-pointer-types` | GCC 5 | Treat obsolete C constructs as errors. |\n")
    source = tmp_path / "brief.md"
    source.write_text(FRONT + body + "Table: Flags\n\n" + table, encoding="utf-8")
    assert run_cli("build", source, "--to", "pdf", "--out", tmp_path).returncode == 0
    words = tool("pdftotext", tmp_path / "brief.pdf", "-").split()
    for option, count in (("-U_FORTIFY_SOURCE", len(fillers) + 1), ("--fortify", len(fillers)),
                          ("-O2", len(fillers)), ("-Wall", len(fillers))):
        assert words.count(option) == count, option
    assert "-" not in words and "--" not in words  # the table's cell printed "-" over "Werror=…"
    assert any(word.startswith("-Werror=") for word in words)


def test_a_notes_first_call_is_as_large_as_a_later_reference_to_it(tmp_path):
    """The first call is the note's own pseudo-element, sized from the
    note's 8.5 points: it stood smaller than a later reference to the same
    note (OpenSSF's compiler guide, "code¹⁶" beside "source¹⁷")."""
    from readers import tool

    source = tmp_path / "brief.md"
    source.write_text(FRONT + "First reference here[^a], a second one[^b], then the first again[^a].\n\n"
                      "[^a]: Note A.\n[^b]: Note B.\n", encoding="utf-8")
    assert run_cli("build", source, "--to", "pdf", "--out", tmp_path).returncode == 0
    boxes = tool("pdftotext", "-bbox", tmp_path / "brief.pdf", "-")
    ones = [(float(x0), float(x1)) for x0, x1 in re.findall(r'xMin="([\d.]+)" yMin="1[0-9][0-9][.\d]*" '
                                                            r'xMax="([\d.]+)" yMax="[\d.]+">1<', boxes)]
    assert len(ones) == 2  # the call and the later reference, in the text's line
    (a0, a1), (b0, b1) = ones
    assert abs((a1 - a0) / (b1 - b0) - 1) < 0.05
