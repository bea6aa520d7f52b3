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
    """The sample briefing, with a contents list and numbered sections."""
    from conftest import SEED
    folder = tmp_path_factory.mktemp("seed-source")
    source = folder / "seed.md"
    source.write_text(SEED.read_text(encoding="utf-8").replace(
        "short_title:", "toc: true\nnumbering: true\nshort_title:", 1), encoding="utf-8")
    return build(tmp_path_factory, source)


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


@pytest.fixture(scope="module")
def paper(tmp_path_factory) -> Path:
    return build(tmp_path_factory, FIXTURES / "information-paper.md")


@pytest.fixture(scope="module")
def paper_in_libreoffice(paper) -> Path:
    from readers import soffice_to_pdf
    return soffice_to_pdf(paper.with_suffix(".docx"), paper.parent / "lo")


def lines_of(path: Path, *starts: str) -> dict[str, tuple]:
    from readers import pdf_lines
    found = {}
    for line in pdf_lines(path):
        for start in starts:
            if line[4].startswith(start) and start not in found:
                found[start] = line
    return found


def test_short_tables_are_as_wide_as_their_columns_and_captions_are_one_style(
        paper, paper_in_libreoffice):
    """The forces table (three short columns) was stretched over the whole
    text width, its columns stranded; it is now as wide as its cells, in
    the PDF and in Word's layout. Figure and table captions start at the
    text's left edge alike (the figure's was centred, the table's not)."""
    for path in (paper.with_suffix(".pdf"), paper_in_libreoffice):
        found = lines_of(path, "Allied patrols", "Figure 1:", "Table 1:", "Aircraft")
        left, right = found["Allied patrols"][1], found["Allied patrols"][2]
        assert found["Aircraft"][2] - left < 0.5 * (right - left), path
        assert abs(found["Figure 1:"][1] - left) < 1 and abs(found["Table 1:"][1] - left) < 1, path


def test_the_footnote_rule_is_short(paper):
    """A third of the column, as in good books (it ran across the page)."""
    from PIL import Image
    from readers import tool
    found = lines_of(paper.with_suffix(".pdf"), "Allied patrols", "1. Allied maritime")
    page, left, right = found["Allied patrols"][:3]
    note_top = found["1. Allied maritime"][3]
    prefix = paper.parent / "rule"
    tool("pdftoppm", "-gray", "-r", "72", "-f", str(page), "-l", str(page), "-png",
         paper.with_suffix(".pdf"), prefix)
    image = Image.open(next(paper.parent.glob("rule*.png"))).convert("L")
    longest = 0
    for y in range(int(note_top) - 30, int(note_top)):
        run = 0
        for x in range(int(left) - 2, int(right) + 2):
            run = run + 1 if image.getpixel((x, y)) < 235 else 0
            longest = max(longest, run)
    assert 0.2 * (right - left) < longest < 0.5 * (right - left)


# Word that opens clean and reads right --------------------------------------

def test_word_contents_show_the_pages_libreoffice_lays_out_and_word_asks_nothing(
        seed, seed_in_libreoffice):
    """The contents list had no page numbers until fields were updated, and
    `updateFields` made Word ask about it on every open. The writer now
    fills the PAGEREF results with the pages it expects; each is the page
    LibreOffice's own layout puts the heading on."""
    import zipfile

    import docx
    from readers import pdf_lines
    built = seed.with_suffix(".docx")
    with zipfile.ZipFile(built) as package:
        assert b"updateFields" not in package.read("word/settings.xml")
    document = docx.Document(str(built))
    entries = [p.text.rsplit("\t", 1) for p in document.paragraphs if p.style.name in ("TOC 1", "TOC 2")]
    headings = [p.text for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert len(entries) == len(headings) == 14
    laid_out = pdf_lines(seed_in_libreoffice)
    for (_, shown), heading in zip(entries, headings):
        pages = [page for page, *_, text in laid_out if "...." not in text  # not the contents
                 and re.sub(r"^[\d.]+ ", "", text).startswith(heading[:30])]
        assert shown == str(pages[-1]), heading  # the last: a long contents entry wraps


# Accessibility -----------------------------------------------------------------

def test_pdf_tags_read_once_and_right(paper):
    """pdfinfo -struct-text, what a screen reader follows: the contents'
    leader dots are artifacts (a hundred "." were tagged text per entry),
    footnotes are Note elements with IDs, a definition list is a list of
    items with labels, and a figure's caption, which repeats its alt text,
    is read once (from the alt)."""
    from readers import pdf_struct_alts, pdf_structure, pdf_text
    pdf = paper.with_suffix(".pdf")
    tags = pdf_structure(pdf)
    lines = [line.strip() for line in tags.splitlines()]
    assert lines.count('"."') < 5 and "....." in pdf_text(pdf, 2)  # full stops only; dots drawn
    assert "Note <note-1> (inline)" in lines
    term = lines.index('"SLOC"')
    assert "Lbl (block)" in lines[term - 4:term] and "LBody (block)" in lines[term + 1:term + 3]
    assert "LI (block)" in lines[term - 5:term - 3]
    assert pdf_struct_alts(pdf)["Figure"] == [
        "Figure 1: (U) Main sea lines of communication through the gap"]
    assert "Main sea lines" not in tags and "Main sea lines" in pdf_text(pdf)  # drawn, read once


def rows_source(folder: Path, rows: int) -> Path:
    body = "".join(f"| Unit {i:02} | Logistics | {i * 37} |\n" for i in range(1, rows + 1))
    path = folder / f"rows-{rows}.md"
    path.write_text("---\ntitle: Rows\nclassification: UNCLASSIFIED\ntitle_page: false\n---\n"
                    "A table.\n\n| Unit | Role | Strength |\n|:--|:--|--:|\n" + body +
                    "\nTable: The units\n\nAfter the table.\n", encoding="utf-8")
    return path


def rows_per_page(pdf: Path) -> list[int]:
    from readers import pdf_info, pdf_text
    return [sum(1 for line in pdf_text(pdf, page).splitlines() if re.match(r"\s*Unit \d", line))
            for page in range(1, int(pdf_info(pdf)["Pages"]) + 1)]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_table_never_leaves_one_row_alone(tmp_path_factory, fmt):
    """A table that runs onto a page by one row left that row alone under
    the repeated header. The length is found for this layout: as many rows
    as the first two pages hold, and one more."""
    from readers import soffice_to_pdf
    folder = tmp_path_factory.mktemp(f"rows-{fmt}")

    def laid_out(rows: int) -> list[int]:
        built = build(tmp_path_factory, rows_source(folder, rows), "--to", fmt)
        pdf = built.with_suffix(".pdf") if fmt == "pdf" else soffice_to_pdf(
            built.with_suffix(".docx"), built.parent / "lo")
        return rows_per_page(pdf)

    first, second, *_ = laid_out(80)
    counts = laid_out(first + second + 1)
    assert len(counts) == 3 and sum(counts) == first + second + 1
    assert min(counts) >= 2, counts


def test_a_distribution_statements_date_stays_on_one_line(tmp_path_factory):
    """'(25 November' at a line's end, '2026)' on the next: an office name of
    the length that brings the date to the line's end, in the PDF; in Word
    the date's spaces and hyphens are ones it never breaks at."""
    import zipfile
    from readers import pdf_text
    folder = tmp_path_factory.mktemp("statement")
    source = folder / "statement.md"
    source.write_text(
        "---\ntitle: Statement\nclassification: UNCLASSIFIED\ndate: 2026-11-25\n"
        "distribution: F\ndistribution_date: 25 November 2026\n"
        f"controlling_office: Plans Division, J5 {'x' * 44}\n---\nText.\n", encoding="utf-8")
    built = build(tmp_path_factory, source)
    lines = [" ".join(line.split()) for line in pdf_text(built.with_suffix(".pdf"), 1).splitlines()]
    assert any("(25 November 2026)" in line for line in lines), lines
    with zipfile.ZipFile(built.with_suffix(".docx")) as package:
        assert "25\u00a0November\u00a02026" in package.read("word/document.xml").decode()


FILL = "a an the to of in at by we so".split()


def test_no_hyphen_inside_identifiers_urls_or_code(tmp_path_factory):
    """Print hyphenates long words (it split 'www.counterterrorismcoopera-
    tion.example.org', and a file's name '.Ren-viron'); an identifier, URL,
    path, file name, command-line option or code word is never split with
    a hyphen, while ordinary words still are."""
    from readers import pdf_text
    identifiers = ["ConfigurationManagerFactory", "interoperability_requirements_matrix",
                   "www.counterterrorismcooperation.example.org/documentation",
                   "counterinsurgency2026responsibilities", "getInternationalizationSettings",
                   "`internationalizationconfiguration`", ".environmentconfiguration", ".Renviron",
                   "--noninteractiveconfiguration"]
    words = "The institutionalization of counterinsurgency responsibilities requires"
    folder = tmp_path_factory.mktemp("hyphens")
    source = folder / "hyphens.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n"
                      + " ".join(f"{words} {' '.join(FILL[:k % len(FILL)])} {i}"  # at many places in the line
                                 for k in range(24) for i in identifiers) + "\n", encoding="utf-8")
    text = pdf_text(build(tmp_path_factory, source, "--to", "pdf").with_suffix(".pdf"))
    lines = [line.strip() for line in text.splitlines()  # the text, without the page furniture
             if line.strip() and not re.fullmatch(r"UNCLASSIFIED|T|Page \d+ of \d+", line.strip())]
    broken = [(line.split()[-1], after.split()[0]) for line, after in zip(lines, lines[1:])
              if line.endswith("\u2010")]
    assert broken  # hyphenation is on
    for head, tail in broken:
        assert re.fullmatch(r"[a-z]+\u2010", head) and re.fullmatch(r"[a-z]+[.,]?", tail), (head, tail)


def test_names_with_signs_are_never_broken(tmp_path_factory):
    """F Prime's guide printed "In C+" at a line's end and "+, a container"
    on the next: Pango may break between two plus signs."""
    from readers import pdf_text
    folder = tmp_path_factory.mktemp("signed")
    source = folder / "signed.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n"
                      + " ".join(f"In {' '.join(FILL[:k % len(FILL)])} C++, C# and g++ build it."
                                 for k in range(40)) + "\n", encoding="utf-8")
    text = pdf_text(build(tmp_path_factory, source, "--to", "pdf").with_suffix(".pdf"))
    words = text.split()
    assert words.count("C++,") == 40 and words.count("C#") == 40 and words.count("g++") == 40


def test_list_markers_are_the_same_in_pdf_and_word(paper, paper_in_libreoffice):
    """By the depth of nesting, of whatever kind, in both: the PDF drew a
    disc for a bullet list inside a numbered one, Word an en dash."""
    from readers import pdf_text
    for pdf in (paper.with_suffix(".pdf"), paper_in_libreoffice):
        markers = {line.split()[1]: line.split()[0] for line in pdf_text(pdf).splitlines()
                   if re.search(r"(Sustain the|Norway and)", line)}
        assert markers == {"Sustain": "1.", "Norway": "–"}, (pdf, markers)


def test_the_banner_stays_on_one_line(tmp_path_factory):
    """The margin boxes share the top and bottom margins: a marking that
    fits stays whole on one line, top and bottom of every page."""
    from readers import pdf_lines
    built = build(tmp_path_factory, FIXTURES / "markings" / "us-secret.md", "--to", "pdf")
    lines = pdf_lines(built.with_suffix(".pdf"))
    for page in {line[0] for line in lines}:
        banners = [text for p, *_, text in lines if p == page and "SECRET" in text
                   and "NOFORN" in text and len(text) < 20]
        assert banners == ["SECRET//NOFORN", "SECRET//NOFORN"], (page, banners)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_word_contents_page_numbers_stand_at_the_right_margin(tmp_path_factory, paper):
    """The contents' right tab stop (its dot leaders' end) was set for A4's
    text width: on US Letter the page numbers stood 6 mm short of the
    right margin. In LibreOffice's layout each entry's page number now
    ends at the margin python-docx reads from the file, on either paper."""
    import docx
    from readers import pdf_lines, pdf_page_size, soffice_to_pdf
    folder = tmp_path_factory.mktemp(f"toc-{paper}")
    source = folder / f"toc-{paper}.md"
    source.write_text(f"---\ntitle: Contents\nclassification: UNCLASSIFIED\ntoc: true\npaper: {paper}\n"
                      "---\n# Situation\n\nText.\n\n## Background\n\nText.\n\n# Assessment\n\nText.\n",
                      encoding="utf-8")
    built = build(tmp_path_factory, source, "--to", "docx").with_suffix(".docx")
    section = docx.Document(str(built)).sections[0]
    laid_out = soffice_to_pdf(built, built.parent / "lo")
    right_margin = pdf_page_size(laid_out)[0] - section.right_margin.pt
    entries = [line for line in pdf_lines(laid_out) if "...." in line[4]]
    assert len(entries) == 3
    for _, _, right, _, text in entries:
        assert abs(right - right_margin) < 1.5, (text, right, right_margin)


def test_a_figure_is_read_once_and_whole(tmp_path_factory):
    """`![caption](…)` says its words twice, as the picture's alt text and
    as its caption: a reader hears them once, in every format (Word read
    them twice, from the picture's description and from the caption). A
    figure whose caption is its own (Quarto's figure div) is read whole:
    its alt text and its caption (HTML and PDF hid that caption)."""
    import zipfile

    from lxml import etree, html
    from readers import pdf_struct_alts, pdf_structure
    twice = build(tmp_path_factory, FIXTURES / "figures.md")  # the caption is the alt text
    own = build(tmp_path_factory, FIXTURES / "divs.md")  # alt "The area of operations", a caption
    caption = "The area of operations, from a Quarto figure div."

    page = html.fromstring(twice.with_suffix(".html").read_bytes())
    figure = page.xpath("//figure")[0]
    assert figure.xpath("img/@alt") == ["Figure 1: (U) The area of operations"]
    assert figure.xpath("figcaption/@aria-hidden") == ["true"]
    page = html.fromstring(own.with_suffix(".html").read_bytes())
    [figure] = page.xpath("//figure[@id='fig-map']")
    assert figure.xpath("img/@alt") == ["The area of operations"]
    assert figure.xpath("figcaption/@aria-hidden") == []
    assert " ".join(figure.xpath("string(figcaption)").split()) == f"Figure 1: {caption}"

    assert pdf_struct_alts(twice.with_suffix(".pdf"))["Figure"][0] == "Figure 1: (U) The area of operations"
    assert "area of operations" not in pdf_structure(twice.with_suffix(".pdf"))
    assert pdf_struct_alts(own.with_suffix(".pdf"))["Figure"] == ["The area of operations"]
    tags = " ".join(pdf_structure(own.with_suffix(".pdf")).split())
    assert "from a Quarto figure div." in tags and tags.count("The area of operations") == 1

    drawing = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    decorative = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
    for built, described in ((twice, [None, None]), (own, ["The area of operations"])):
        with zipfile.ZipFile(built.with_suffix(".docx")) as package:
            body = etree.fromstring(package.read("word/document.xml"))
        pictures = list(body.iter(f"{drawing}docPr"))
        assert [p.get("descr") for p in pictures] == described
        # Word's "Mark as decorative": its caption, below, says it.
        assert [bool(p.findall(f".//{decorative}")) for p in pictures] == [d is None for d in described]
        ast = docx_via_pandoc(built.with_suffix(".docx"))
        said = [pandoc_text(node["c"][1]) for node in pandoc_blocks(ast, "Image")]
        assert said == [d or "" for d in described]
    words = [pandoc_text(p["c"]) for p in pandoc_blocks(docx_via_pandoc(own.with_suffix(".docx")), "Para")]
    assert sum(caption in w for w in words) == 1


def test_the_banner_looks_the_same_in_pdf_and_word(paper, paper_in_libreoffice, tmp_path):
    """Word and the HTML page draw the banner as a bar across the text
    column, the running head under the top one, the page number under the
    bottom one; the PDF drew a short bar with the running head beside it,
    and a long title ran under the bar. Now the PDF's page is Word's: bars
    as wide as the text, the running head and the page number clear of them."""
    from readers import banner_bars, pdf_lines, pdf_page_size
    for pdf in (paper.with_suffix(".pdf"), paper_in_libreoffice):
        width, height = pdf_page_size(pdf)
        lines = [line for line in pdf_lines(pdf) if line[0] == 2]
        left = min(line[1] for line in lines if line[4].startswith("Allied patrols"))
        (top_left, _, top_right, top_bottom), *_, (bottom_left, bottom_top, bottom_right, _) = \
            banner_bars(pdf, 2, tmp_path)
        for bar_left, bar_right in ((top_left, top_right), (bottom_left, bottom_right)):
            assert abs(bar_left - left) < 3 and abs(bar_right - (width - left)) < 3, (pdf, bar_left, bar_right)
        [head] = [line for line in lines if line[4].startswith("Maritime Security")]
        assert head[3] > top_bottom and abs(head[1] - left) < 3, (pdf, head, top_bottom)
        [number] = [line for line in lines if line[4] == "Page 2 of 3"]
        assert number[3] > bottom_top and abs((number[1] + number[2]) / 2 - width / 2) < 3, (pdf, number)


def test_what_a_box_holds_stays_in_it_in_pdf_and_word(tmp_path_factory, tmp_path):
    """A list or code inside a note stands in the note's shaded box, and a
    list or a quotation inside a quotation is indented within it, in Word
    as in the PDF (Word set them at the margin, outside the box). Read from
    LibreOffice's layout and a 72 dpi rendering; pandoc still reads the
    lists as lists and the code as code."""
    from PIL import Image
    from readers import pdf_lines, soffice_to_pdf, tool
    built = build(tmp_path_factory, FIXTURES / "boxes.md")
    for pdf in (built.with_suffix(".pdf"), soffice_to_pdf(built.with_suffix(".docx"), built.parent / "lo")):
        found = [(text, x0, x1, y) for page, x0, x1, y, text in pdf_lines(pdf) if page == 1]

        def line(words: str) -> tuple[float, float, float]:  # after its bullet, if any
            [(x0, x1, y)] = [(x0, x1, y) for text, x0, x1, y in found
                             if text == words or text.endswith(" " + words)]
            return x0, x1, y
        tool("pdftoppm", "-r", "72", "-f", "1", "-l", "1", "-png", "-singlefile", pdf, tmp_path / pdf.stem)
        image = Image.open(tmp_path / f"{pdf.stem}.png").convert("RGB")
        _, right, top = line("Take these on every patrol:")
        box = image.getpixel((int(right) + 20, int(top) + 5))  # the note's fill, right of the text
        assert box != (255, 255, 255), pdf
        for inside in ("radio and spare batteries;", "with its seal unbroken."):
            assert image.getpixel((int(right) + 20, int(line(inside)[2]) + 5)) == box, (pdf, inside)
        assert image.getpixel((int(right) + 20, int(line("check --all")[2]) + 5)) != (255, 255, 255), pdf
        said = line("The orders said:")[0]
        assert line("hold the bridge;")[0] > said + 5 and line("And a quotation inside it.")[0] > said + 5, pdf
        assert line("After the quote.")[0] < said - 5, pdf
    ast = docx_via_pandoc(built.with_suffix(".docx"))
    assert len(pandoc_blocks(ast, "BulletList")) == 3 and len(pandoc_blocks(ast, "CodeBlock")) == 1


def test_the_title_block_is_the_same_in_pdf_and_word(tmp_path_factory):
    """A short briefing's title block: the PDF listed "Organization: …,
    Authors: …, Date: …" with bold labels, Word the date and authors first
    (pandoc reads those two as metadata there) with muted labels in a
    column of their own. Now both give the same rows in Word's order, the
    values in a column 32 mm from the margin."""
    from readers import pdf_lines, soffice_to_pdf
    built = build(tmp_path_factory, FIXTURES / "elements.md", "--to", "pdf,docx")
    expected = [("Date", "2026-11-25"), ("Authors", "A. Analyst, B. Officer"),
                ("Organization", "Joint Staff Directorate"), ("Version", "1.0")]
    for pdf in (built.with_suffix(".pdf"), soffice_to_pdf(built.with_suffix(".docx"), built.parent / "lo")):
        lines = [line for line in pdf_lines(pdf) if line[0] == 1]
        left = min(x0 for _, x0, *_ in lines)
        rows = []
        for label, _ in expected:
            [y] = [y for _, x0, _, y, text in lines if text.split(":")[0] == label and x0 < left + 1]
            row = sorted((x0, text) for _, x0, _, top, text in lines if abs(top - y) < 2)
            rows.append((y, " ".join(text for _, text in row), row[-1][0] - left))
        assert [text for _, text, _ in sorted(rows)] == [f"{a} {b}" for a, b in expected], (pdf, rows)
        assert all(abs(column - 32 * 72 / 25.4) < 2 for *_, column in rows), (pdf, rows)


def test_no_word_is_hyphenated_alone_on_a_line(tmp_path_factory):
    """WeasyPrint hyphenated the first word of a text that fitted its line
    but for the space at its end (the space before a link or code), and set
    the piece alone on a line: 'paramet-' under '... names of query', 'includ-'
    under '... All references'. Every hyphenated line now has words before
    its last."""
    from conftest import ROOT
    from readers import pdf_text
    for name in ("usgs-dataretrieval-readme", "cisa-scuba-removed-policies"):
        pdf = build(tmp_path_factory, ROOT / "tests" / "corpus" / f"{name}.md", "--to", "pdf")
        lines = [line.strip() for line in pdf_text(pdf.with_suffix(".pdf")).splitlines()]
        assert [line for line in lines if re.fullmatch(r"\S+\u2010", line)] == [], name
        assert any(line.endswith("\u2010") for line in lines), name  # hyphenation is on


def test_no_short_word_stands_alone_on_a_line(tmp_path_factory):
    """The same when the first word cannot be hyphenated: USWDS's migration
    guide set 'your' alone on a line, the rest of its text (which fitted
    but for its final space, before `CSS`) on the next."""
    from readers import pdf_lines
    folder = tmp_path_factory.mktemp("alone")
    source = folder / "alone.md"
    source.write_text("---\ntitle: X\nclassification: UNCLASSIFIED\n---\n\n"
                      "the components and code that they need on their project. Depending on your project, "
                      "this could mean a significant reduction to both the amount of CSS you ship.\n",
                      encoding="utf-8")
    pdf = build(tmp_path_factory, source, "--to", "pdf").with_suffix(".pdf")
    body = [text for page, _, _, _, text in pdf_lines(pdf) if page == 1 and text not in ("UNCLASSIFIED", "X")]
    assert body[:3] == ["the components and code that they need on their project. Depending on",
                        "your project, this could mean a significant reduction to both the amount of",
                        "CSS you ship."], body


def test_a_note_of_two_paragraphs_goes_on_over_a_page_and_a_short_one_moves_whole(tmp_path_factory):
    """Microsoft's Conditional Access page: a note of two paragraphs moved
    whole to the next page, leaving a third of the page before it empty. A
    note of more than a paragraph starts where it stands now (title and
    first paragraph together); one of a paragraph still moves whole."""
    from readers import pdf_text
    folder = tmp_path_factory.mktemp("notes")
    filler = ("Military diplomacy plays a vital role in counter-terrorism cooperation across the region. " * 5)
    paragraph = ("The second partner keeps its own liaison officers in the capital and reports weekly. " * 6)
    pages = {}
    for name, note in (("long", f"    First {paragraph}\n\n    Second {paragraph}\n"),
                       ("short", f"    First {paragraph * 2}\n")):
        source = folder / f"{name}.md"
        source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n" + "\n\n".join([filler] * 4)
                          + f"\n\n!!! note \"Coordination\"\n{note}\nAfter the note.\n", encoding="utf-8")
        pdf = build(tmp_path_factory, source, "--to", "pdf").with_suffix(".pdf")
        pages[name] = [[word for word in ("Coordination", "First", "Second") if word in pdf_text(pdf, page)]
                       for page in (1, 2)]
    assert pages["long"] == [["Coordination", "First"], ["Second"]]
    assert pages["short"] == [[], ["Coordination", "First"]]


def test_a_tall_row_goes_on_over_a_page_and_short_rows_stay_whole(tmp_path_factory):
    """Platform One's licensing table left a third of a page empty before
    each tall row, which moved whole to the next page. A row of more than
    a dozen lines now starts where it stands, in the PDF and in Word (no
    "can't split"), while the short ones stay whole."""
    import zipfile
    from readers import pdf_text
    folder = tmp_path_factory.mktemp("rows")
    source = folder / "rows.md"
    notes = " ".join(f"Premium feature {n} needs a licence." for n in range(40))
    short = "".join(f"| Tool {n} | Logging | Apache 2.0 |\n" for n in range(18))
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n| Package | Purpose | Notes |\n"
                      f"|---|---|---|\n{short}| GitLab | CI | FIRST {notes} LAST |\n| After | x | y |\n",
                      encoding="utf-8")
    out = build(tmp_path_factory, source)
    first, second = pdf_text(out.with_suffix(".pdf"), 1), pdf_text(out.with_suffix(".pdf"), 2)
    assert "FIRST" in first and "LAST" in second and "Tool 17" in first  # begun on page 1, ended on 2
    with zipfile.ZipFile(out.with_suffix(".docx")) as package:
        rows = re.findall(r"<w:tr[ >].*?</w:tr>", package.read("word/document.xml").decode(), re.S)
    whole = ["<w:cantSplit/>" in row for row in rows if "Tool 3" in row or "FIRST" in row or "After" in row]
    assert whole == [True, False, True]


def test_a_long_code_block_goes_on_over_a_page_and_a_short_one_moves_whole(tmp_path_factory):
    """Kubernetes' init-containers page left a page 85% empty before 45
    lines of `kubectl describe`, which moved whole to the next page. A block
    of eight lines or more now starts where it stands."""
    from readers import pdf_text
    folder = tmp_path_factory.mktemp("code")
    filler = "\n\n".join(["Filler text for the page so that the block starts near the middle. " * 6] * 3)
    pages = {}
    for name, count in (("long", 45), ("short", 7)):
        code = "\n".join(f"line {n:02}: state Waiting reason PodInitializing" for n in range(1, count + 1))
        source = folder / f"{name}.md"
        body = filler + ("\n\n" + filler if name == "short" else "")
        source.write_text(f"---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n{body}\n\n```\n{code}\n```\n",
                          encoding="utf-8")
        pdf = build(tmp_path_factory, source, "--to", "pdf").with_suffix(".pdf")
        pages[name] = [[line for line in ("line 01", f"line {count:02}") if line in pdf_text(pdf, page)]
                       for page in (1, 2)]
    assert pages["long"] == [["line 01"], ["line 45"]]
    assert pages["short"] in ([[], ["line 01", "line 07"]], [["line 01", "line 07"], []])


def test_a_folded_note_of_long_code_starts_under_its_heading(tmp_path_factory):
    """The German Digital Service's decision record folds 150 lines of a
    folder tree in `<details>` under "## Further details": the note, kept
    whole, moved to the next page but one, and left the heading alone on a
    page between. A note or quote holding a long code block now starts
    where it stands, under its heading."""
    from readers import pdf_text
    folder = tmp_path_factory.mktemp("folded")
    filler = "\n\n".join(["Filler text for the page so that the note starts near the middle. " * 6] * 3)
    tree = "\n".join(f"├── component-{n:03}.vue" for n in range(1, 151))
    source = folder / "folded.md"
    source.write_text(f"---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n{filler}\n\n## Further details\n\n"
                      f"<details>\n  <summary>Current folder structure:</summary>\n\n```\n{tree}\n```\n\n</details>\n",
                      encoding="utf-8")
    pdf = build(tmp_path_factory, source, "--to", "pdf").with_suffix(".pdf")
    first = pdf_text(pdf, 1)
    assert all(words in first for words in ("Further details", "Current folder structure", "component-001"))


def test_a_list_of_file_types_breaks_between_them_in_print(tmp_path_factory):
    """The Canadian Digital Service's API errors: "You can only upload .pdf,
    .csv, … .rtf or .odt files". No line may break before a word that opens
    with a full stop after a space (UAX #14): the list was one run, over
    the edge of its table column, and in a paragraph it left "Wrong file
    type. You can only" alone on a short line. It breaks between the types
    now, and the text reads the same."""
    from readers import pdf_text
    folder = tmp_path_factory.mktemp("dots")
    said = "Wrong file type. You can only upload .pdf, .csv, .txt, .jpeg, .png, .doc, .docx, .xls, .xlsx, .rtf or .odt files"
    source = folder / "dots.md"
    source.write_text(f"---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n{said}, and nothing else will be "
                      "accepted by the service at all.\n", encoding="utf-8")
    pdf = build(tmp_path_factory, source, "--to", "pdf").with_suffix(".pdf")
    lines = [line.strip() for line in pdf_text(pdf, 1).splitlines() if line.strip()]
    first = next(line for line in lines if line.startswith("Wrong file type."))
    assert ".pdf," in first and "\u200b" not in pdf_text(pdf, 1)
    assert said in " ".join(lines)


def test_a_tables_words_are_not_hyphenated_to_squeeze_a_column(tmp_path_factory):
    """OpenSSF's checklist: its Rule column was squeezed to "Neces-sity",
    "Authen-ticity" and "Communic-ation" by hyphenation while its empty Done
    column kept its room. A cell's words stay whole now."""
    from readers import pdf_text
    folder = tmp_path_factory.mktemp("hyphens")
    source = folder / "rules.md"
    long = "Evaluate whether the dependency can be avoided by utilizing existing components. " * 3
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n| Rule | Description | Done |\n"
                      "|------|-------------|:--------:|\n" + "".join(
                          f"| **{rule}** | {long} |   |\n" for rule in
                          ("Consider Necessity", "Verify Authenticity", "Communication", "Version Stability")),
                      encoding="utf-8")
    pdf = build(tmp_path_factory, source, "--to", "pdf").with_suffix(".pdf")
    words = pdf_text(pdf).split()
    assert all(word in words for word in ("Necessity", "Authenticity", "Communication", "Stability")), words
    assert not [word for word in words if word.endswith("\u2010")]


@pytest.mark.parametrize("title_page", ["false", "true"])
def test_a_long_detail_wraps_under_its_value_not_its_label(tmp_path_factory, title_page):
    """A paper's four authors ran onto a second line at the margin, under
    "Authors"; it stands under the first line's names now, on the title
    page and in the title block alike."""
    from readers import pdf_lines
    folder = tmp_path_factory.mktemp("details")
    source = folder / "details.md"
    source.write_text(f"---\ntitle: T\nclassification: UNCLASSIFIED\ntitle_page: {title_page}\n"
                      "authors: [Adrian M. Price-Whelan, Author Without ORCID, Author with no affiliation, "
                      "Another Contributor With A Long Name]\n---\n\n# Summary\n\nText.\n", encoding="utf-8")
    pdf = build(tmp_path_factory, source, "--to", "pdf").with_suffix(".pdf")
    lines = [line for line in pdf_lines(pdf) if line[0] == 1]
    [label_x] = [x0 for _, x0, _, _, text in lines if text.startswith("Authors")]
    [first] = [line for line in lines if "Price-Whelan" in line[4]]
    [second] = [line for line in lines if "Another Contributor" in line[4]]
    assert second[3] > first[3] and abs(second[1] - first[1]) < 1, (first, second)  # under the names
    assert second[1] > label_x + 50  # not under the label


def test_a_tables_short_words_stay_whole_and_its_long_ones_wrap(tmp_path_factory):
    """A cell could break anywhere, so a column beside one with a very long
    word was squeezed below its own words ('GIUK' stood as 'GIU' over 'K');
    a cell that could not would run off the page. Now a column is as wide
    as its longest word, and a word longer than a narrow column breaks
    where it must, inside the text's width."""
    from readers import pdf_lines, pdf_page_size
    identifier = "interoperability_requirements_matrix_" * 4
    folder = tmp_path_factory.mktemp("cells")
    source = folder / "cells.md"
    source.write_text("---\ntitle: Cells\nclassification: UNCLASSIFIED\n---\n| Term | Meaning |\n|:--|:--|\n"
                      f"| GIUK | Greenland, Iceland, United Kingdom gap; a {'wordwrapping' * 7} |\n"
                      f"| SLOC | {identifier} and more words |\n| `MS.AAD` | `{'Get-Scuba' * 8}` |\n",
                      encoding="utf-8")
    pdf = build(tmp_path_factory, source, "--to", "pdf").with_suffix(".pdf")
    lines = pdf_lines(pdf)
    words = [word for *_, text in lines for word in text.split()]
    assert "GIUK" in words and "SLOC" in words
    right = pdf_page_size(pdf)[0] - 36 * 72 / 25.4
    assert all(x1 <= right + 1 for _, _, x1, _, _ in lines), max(x1 for _, _, x1, _, _ in lines)
    assert not any(identifier in word for word in words)  # broken across lines, inside the width


@pytest.mark.parametrize("name, paper", [("mkdocs-admonitions", "a4"), ("divs", "letter")])
def test_word_contents_count_the_boxes_of_notes_and_code(tmp_path_factory, name, paper):
    """The contents' page numbers, worked out before Word lays the file out,
    left out the space a note's or a code block's box takes (its borders and
    their padding): a section after a few notes was numbered a page early.
    Each entry's page is now the page of its heading in LibreOffice's layout
    (its PDF's bookmarks)."""
    import docx
    from conftest import ROOT
    from readers import pdf_outline_pages, soffice_to_pdf
    folder = tmp_path_factory.mktemp(f"boxes-{name}")
    original = next(p for p in (FIXTURES / f"{name}.md", ROOT / "tests" / "corpus" / f"{name}.md") if p.exists())
    source = folder / f"{name}.md"
    source.write_text(original.read_text(encoding="utf-8").replace(
        "---\n", f"---\ntoc: true\npaper: {paper}\n", 1), encoding="utf-8")
    for image in (original.parent / "images").glob("*"):
        (folder / "images").mkdir(exist_ok=True)
        (folder / "images" / image.name).write_bytes(image.read_bytes())
    built = build(tmp_path_factory, source, "--to", "docx").with_suffix(".docx")
    shown = [p.text.rsplit("\t", 1) for p in docx.Document(str(built)).paragraphs
             if re.fullmatch(r"TOC \d", p.style.name)]
    laid_out = dict(pdf_outline_pages(soffice_to_pdf(built, built.parent / "lo")))
    assert shown and [(title, int(page)) for title, page in shown] == [
        (title, laid_out[title]) for title, _ in shown]
