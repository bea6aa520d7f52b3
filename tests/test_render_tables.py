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
from pipeline import model as m

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


# basecamp/handbook's titles-for-programmers.md, one row: six columns whose
# longest words are a little wider than the text together.
LEVELS = ("| Category | Junior (L1) | Programmer (L2) | Senior (L3) | Lead (L4) | Principal (L5) |\n"
          "| --- | --- | --- | --- | --- | --- |\n"
          "| *Tooling* | Has a rudimentary understanding of our tools (AppSignal, Buildkite, Kibana). "
          "| Uses our most common tools in day to day work to help diagnose issues, optimize performance, "
          "troubleshoot. | Demonstrates a comprehensive understanding of all our tools. | Recommends "
          "improvements to infrastructure and observability. | Establishes organization-wide "
          "observability and instrumentation. |\n")


def test_levelling_keeps_the_narrow_columns_words_whole():
    from pipeline.render.tables import levelled, widened
    assert levelled([50, 70, 80, 100], 280) == [50, 70, 80, 80]
    assert levelled([50, 70, 80, 100], 200) == [50, 50, 50, 50]
    # Too little room where the words are wanted: each still gets its word.
    shares = widened([20.0, 120.0, 120.0, 140.0], [60.0, 100.0, 110.0, 100.0])
    assert [round(w) for w in shares] == [60, 109, 114, 117] and round(sum(shares)) == 400
    assert widened([100.0, 100.0], [50.0, 60.0]) == [100.0, 100.0]  # none lacks: as shared


def test_a_crowded_table_keeps_its_short_words_whole(write, tmp_path):
    """Left to the automatic layout, a table whose words may break anywhere
    gave its first column a letter a line ("C / at / eg / or / y"), in the
    PDF, the HTML and the DOCX (14 points wide), and ran to a row a page.
    Its columns are now shared out first by their longest words."""
    from readers import tool

    source = write(LEVELS)
    assert run_cli("build", source, "--out", tmp_path).returncode == 0
    page = lxml.html.fromstring((tmp_path / "brief.html").read_bytes())
    table = next(page.iter("table"))
    assert "crowded" in table.get("class").split()
    widths = [float(re.search(r"width: ([\d.]+)%", col.get("style"))[1]) for col in table.iter("col")]
    assert len(widths) == 6 and widths[0] == min(widths) and abs(sum(widths) - 100) < 0.5
    # Whole, or hyphenated at a line's end (print hyphenates a crowded table's long words).
    printed = tool("pdftotext", tmp_path / "brief.pdf", "-").replace("\u2010\n", "").split()
    for word in ("Category", "Junior", "Senior", "Tooling", "rudimentary", "Buildkite,", "Kibana).",
                 "Demonstrates", "comprehensive", "organization-wide", "Programmer"):
        assert word in printed, word
    document = zipfile.ZipFile(tmp_path / "brief.docx").read("word/document.xml").decode()
    grid = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"', document)]
    assert grid[0] > 20 * 45  # "Category" in bold: 45 points and more (it was 14)
    word_text = tool("pdftotext", soffice_to_pdf(tmp_path / "brief.docx", tmp_path), "-").split()
    assert "Category" in word_text and "Tooling" in word_text


def test_two_long_rows_start_the_table_on_its_first_page_with_its_header(write, tmp_path):
    """UK Home Office's technical decision log: two rows of a page's half
    each were bound together (no row alone), which no page could hold, so
    WeasyPrint left the table's first page empty and printed the first row
    without its header. Rows that long are not bound; short ones still are."""
    from readers import tool
    from pipeline.render.tables import kept_with_next

    words = " ".join(["word"] * 80)  # 400 letters: neither short nor tall (may not break inside)
    more = " ".join(["word"] * 110)
    source = write("| Issue | Description | Notes | Decision | Date | Info |\n| --- | --- | --- | --- | --- | --- |\n"
                   f"| 1 | Short | {words} | {words} | 2022-05-17 | None |\n"
                   f"| 2 | Short | {more} | {words} | 2023-06-01 | None |\n")
    assert run_cli("build", source, "--out", tmp_path, "--to", "pdf").returncode == 0
    pdf = tmp_path / "brief.pdf"
    first, second = (tool("pdftotext", "-f", str(n), "-l", str(n), pdf, "-").split() for n in (1, 2))
    assert "Issue" in first and "2022-05-17" in first and "2023-06-01" not in first
    assert "Issue" in second and "2023-06-01" in second
    row = lambda text: tuple((m.Paragraph(inlines=(m.Text(text=t),), line=1),) for t in text)  # noqa: E731
    assert kept_with_next((row(["a"]), row(["b"]), row(["c"]))) == [True, True, False]
    assert kept_with_next((row(["a"]), row([words]))) == [False, False]


def test_an_empty_header_cell_is_no_header(write, tmp_path):
    """opensafely's disclosure tables leave their corner cell empty: an
    empty `<th>`, which axe reports (a header with nothing to announce). It
    is a `td`, still ruled as the header row is."""
    source = write("|  | Heart disease | Stroke |\n|---|---|---|\n| Men | 1 | 2 |\n")
    assert run_cli("build", source, "--out", tmp_path, "--to", "html").returncode == 0
    page = lxml.html.fromstring((tmp_path / "brief.html").read_bytes())
    [row] = page.find(".//thead").iter("tr")
    assert [(cell.tag, cell.text_content()) for cell in row] == [("td", ""), ("th", "Heart disease"), ("th", "Stroke")]


# Six combatant commands: reckoned at an average letter, their names fit the
# text's width (386 points of 391); set in Noto Sans, whose capitals are
# wide, they take 450, and the table ran 60 points into the margin.
COMMANDS = ("| A | B | C | D | E | F |\n|---|---|---|---|---|---|\n"
            "| USINDOPACOM | USSOUTHCOM | USNORTHCOM | USCYBERCOM | USTRANSCOM | USSPACECOM |\n")
# A little wider than the text in the face (by less than OVERHANG): its
# words stay whole, the table reaching a few points into the margin.
PARTNERS = ("| Command | Region | Partner | Lead | Notes |\n|---|---|---|---|---|\n"
            "| USINDOPACOM | INDOPACIFIC | AUSTRALIA | CDRUSINDOPACOM | Coordinates maritime security cooperation |\n")


def test_a_tables_words_are_measured_in_its_face(write, tmp_path):
    from readers import tool
    from pipeline.render.tables import CELL_PADDING, in_face, reckoned

    measured = in_face('"Noto Sans", sans-serif')
    assert measured("USINDOPACOM", False) > 1.2 * reckoned("USINDOPACOM", False)
    assert measured("responsibility", False) < reckoned("responsibility", False)
    assert measured("Lead", True) > measured("Lead", False)
    assert CELL_PADDING == 15.0
    source = write(COMMANDS + "\nBetween.\n\n" + PARTNERS)
    assert run_cli("build", source, "--out", tmp_path, "--to", "pdf,html").returncode == 0
    page = lxml.html.fromstring((tmp_path / "brief.html").read_bytes())
    assert ["crowded" in table.get("class", "").split() for table in page.iter("table")] == [True, False]
    boxes = tool("pdftotext", "-bbox", tmp_path / "brief.pdf", "-")
    right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes))
    assert right < (595.3 + 391) / 2 + 14  # A4: the text's right edge, and a cell's padding
    printed = tool("pdftotext", tmp_path / "brief.pdf", "-").split()
    for word in ("AUSTRALIA", "CDRUSINDOPACOM", "INDOPACIFIC"):
        assert word in printed, word
    # The crowded one is printed small enough for each name to stand whole.
    for word in ("USINDOPACOM", "USSOUTHCOM", "USNORTHCOM", "USCYBERCOM", "USTRANSCOM", "USSPACECOM"):
        assert printed.count(word) == 2 if word == "USINDOPACOM" else printed.count(word) == 1, word
    assert 0.75 < height(boxes, "USSOUTHCOM") / height(boxes, "AUSTRALIA") < 0.9  # at 7.4 points, not 9


def height(boxes: str, word: str) -> float:
    """A word's height in pdftotext's -bbox output."""
    top, bottom = re.search(rf'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">{word}<', boxes).groups()
    return float(bottom) - float(top)


def test_a_bold_cells_identifier_wraps_at_its_space(write, tmp_path):
    """EUDI's risk tables head a column `**Risk ID**`: the print showed
    "Risk I" over "D". WeasyPrint broke inside a span (the one that keeps an
    identifier from being hyphenated) in a bold run rather than at the space
    before it; the space now stands inside the span, and an identifier too
    short to be hyphenated gets none."""
    from readers import tool

    description = "An attacker can circumvent the verification of the wallet unit attestation " * 2
    source = write(f"| **Risk ID** | Description | Impact |\n|---|---|---|\n"
                   f"| **TR22** | {description} | Creation or use of fake wallet units |\n\n"
                   f"| **Risk WUA_ID_22** | Description | Impact |\n|---|---|---|\n"
                   f"| **TR22** | {description} | Creation or use of fake wallet units |\n")
    assert run_cli("build", source, "--out", tmp_path, "--to", "pdf").returncode == 0
    printed = tool("pdftotext", tmp_path / "brief.pdf", "-").split()
    assert printed.count("ID") == 1 and printed.count("WUA_ID_22") == 1 and printed.count("Risk") == 2


def test_a_column_of_sentences_gets_more_room_than_one_of_short_values_with_one_long():
    """DoD Platform One's settings table: a column of `false` and `[]` that
    holds one JSON object of 2,000 characters took as much of the width as
    the column of descriptions, every one a sentence or more."""
    from pipeline.render.tables import shares

    cell = lambda text: (m.Paragraph(inlines=(m.Text(text=text),), line=1),)  # noqa: E731
    sentence = "Enable the service mesh: when true, uses ztunnel for mTLS instead of sidecars."
    rows = tuple((cell(value), cell(sentence)) for value in ("false", "[]", "nil", "{}", "x" * 2000))
    table = m.Table(head=(cell("Default"), cell("Description")), rows=rows, aligns=(None, None), line=1)
    default, description = shares(table, 400)
    assert description > 3 * default and round(default + description) == 400


def test_a_row_taller_than_half_a_page_in_narrow_columns_may_go_on_in_word(write, tmp_path):
    """UK Home Office's decision log: eight narrow columns of sentences, none
    600 letters long, so each row was kept whole (`w:cantSplit`); one taller
    than a page lost the end of its cell in LibreOffice. A row is measured
    in its columns' widths now: one taller than half a page may break."""
    from readers import tool

    sentence = ("Running scripts against production requires approval from the service owner and a second "
                "engineer, with the change recorded in the log before and after the run; ") * 6
    cells = [sentence[:585] + " END"] + [sentence[:380]] * 7
    source = write("| Decision | Context | Status | Options | Owner | Links | Risk | Notes |\n"
                   "|---|---|---|---|---|---|---|---|\n| " + " | ".join(cells) + " |\n"
                   "| Short | Short | Accepted | 2022-05-18 | Ops | None | Low | Yes |\n")
    assert run_cli("build", source, "--to", "docx", "--out", tmp_path).returncode == 0
    with zipfile.ZipFile(tmp_path / "brief.docx") as package:
        rows = re.findall(r"<w:tr\b.*?</w:tr>", package.read("word/document.xml").decode(), re.S)
    assert ["<w:cantSplit/>" in row for row in rows] == [True, False, True]  # the header, the tall row, a short one
    assert "END" in tool("pdftotext", soffice_to_pdf(tmp_path / "brief.docx", tmp_path / "lo"), "-").split()
