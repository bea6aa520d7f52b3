"""pandoc's tables (simple, multiline, grid, headerless, captions before or
after), read by pandoc and by us: the same cells, header, alignment,
relative widths, caption and id (issue 15)."""

from __future__ import annotations

import json

import pytest

from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import BriefingError
from pipeline.read.frontmatter import read_meta
from pipeline.read.markdown import parse
from pipeline.read.source import read_source

from conftest import FIXTURES

ALIGNS = {"AlignLeft": "left", "AlignRight": "right", "AlignCenter": "center", "AlignDefault": None}


def pandoc_block_text(block: dict) -> str:
    """What a reader sees of a block of pandoc's AST, as one line (as
    model.block_text says ours)."""
    def inlines(nodes: list) -> str:
        parts = []
        for node in nodes:
            match node["t"]:
                case "Str":
                    parts.append(node["c"])
                case "Space" | "SoftBreak" | "LineBreak":
                    parts.append(" ")
                case "Emph" | "Strong":
                    parts.append(inlines(node["c"]))
                case "Code":
                    parts.append(node["c"][1])
        return "".join(parts)
    match block["t"]:
        case "Para" | "Plain":
            return inlines(block["c"])
        case "BulletList":
            return " ".join(pandoc_block_text(b) for item in block["c"] for b in item)
        case _:
            raise AssertionError(f"not expected in these tables: {block['t']}")


def pandoc_tables(text: str, reader: str = "markdown") -> list[dict]:
    import pypandoc
    ast = json.loads(pypandoc.convert_text(text, "json", format=reader))
    found = []
    for block in ast["blocks"]:
        if block["t"] != "Table":
            continue
        (ident, _, _), (_, caption), specs, (_, head_rows), bodies, _ = block["c"]

        def cells(row):
            return [" ".join(pandoc_block_text(b) for b in cell[4]) for cell in row[1]]
        found.append({
            "id": ident,
            "caption": " ".join(pandoc_block_text(b) for b in caption),
            "aligns": [ALIGNS[align["t"]] for align, _ in specs],
            "widths": [round(width["c"], 3) if width["t"] == "ColWidth" else None for _, width in specs],
            "head": [cells(row) for row in head_rows],
            "rows": [cells(row) for body in bodies for row in body[3]],
        })
    return found


def our_tables(write, text: str) -> list[dict]:
    source = read_source(write(text))
    meta, line = read_meta(source)
    doc = parse(source, meta, line)

    def cells(row):
        return [" ".join(m.block_text(b) for b in cell) for cell in row]
    return [{"id": t.id, "caption": m.plain_text(t.caption), "aligns": list(t.aligns),
             "widths": [round(w, 3) for w in t.widths] or [None] * len(t.aligns),
             "head": [cells(row) for row in t.head_rows()], "rows": [cells(row) for row in t.rows]}
            for t in walk.blocks(doc) if isinstance(t, m.Table)]


SIMPLE = """\
  Right     Left     Center     Default
-------     ------ ----------   -------
     12     12        12            12
    123     123       123          123
      1     1          1             1
"""

MULTILINE = """\
-------------------------------------------------------------
 Centered   Default           Right Left
  Header    Aligned         Aligned Aligned
----------- ------- --------------- -------------------------
   First    row                12.0 Example of a row that
                                    spans multiple lines.

  Second    row                 5.0 Here's another one. Note
                                    the blank line between
                                    rows.
-------------------------------------------------------------
"""

GRID = """\
+---------------+---------------+--------------------+
| Fruit         | Price         | Advantages         |
+===============+===============+====================+
| Bananas       | $1.34         | - built-in wrapper |
|               |               | - bright color     |
+---------------+---------------+--------------------+
| Oranges       | $2.10         | - cures scurvy     |
|               |               | - tasty            |
+---------------+---------------+--------------------+
"""

CASES = {
    "simple, pandoc's manual": SIMPLE,
    "simple, ended by a dashed line": SIMPLE + "-------     ------ ----------   -------\n",
    "simple, headerless": ("-------     ------ ----------   -------\n     12     12        12            12\n"
                           "    123     123       123          123\n-------     ------ ----------   -------\n"),
    "multiline, pandoc's manual": MULTILINE,
    "multiline, headerless": ("----------- ------- --------------- -------------------------\n"
                              "   First    row                12.0 Example of a row that\n"
                              "                                    spans multiple lines.\n\n"
                              "  Second    row                 5.0 Here's another one.\n"
                              "----------- ------- --------------- -------------------------\n"),
    "grid, with lists in cells": GRID,
    "grid, with alignment": ("+---------------+---------------+--------------------+\n"
                             "| Right         | Left          | Centered           |\n"
                             "+==============:+:==============+:==================:+\n"
                             "| Bananas       | $1.34         | built-in wrapper   |\n"
                             "+---------------+---------------+--------------------+\n"),
    "grid, headerless with alignment": ("+--------------:+:--------------+:------------------:+\n"
                                        "| Right         | Left          | Centered           |\n"
                                        "+---------------+---------------+--------------------+\n"),
    "grid, paragraphs in a cell": ("+----------+-------------------+\n| Weather  | Plan alternate    |\n"
                                   "|          | landing zones.    |\n|          |                   |\n"
                                   "|          | Brief the crews.  |\n+----------+-------------------+\n"),
    "caption after, with an id": SIMPLE + "\nTable: Demonstration of simple table syntax. {#tbl-simple}\n",
    "caption before": "Table: Before the table.\n\n" + SIMPLE,
    "caption in Quarto's form": GRID + "\n: Fruit and their virtues {#tbl-fruit}\n",
    "a caption of two lines": MULTILINE + "\nTable: Here's the caption. It, too, may span\nmultiple lines.\n",
    "pipe table, caption before": "Table: Pipes.\n\n| a | b |\n|--:|:--|\n| 1 | 2 |\n",
    "two tables, each its caption": ("Table: First.\n\n" + SIMPLE + "\n" + GRID + "\nTable: Second.\n"),
    "pipe table, a header of empty cells (none)": "|   |   |\n|---|--:|\n| a | b |\n| c | d |\n",
    "grid, a header of empty cells (none)": "+---+---+\n|   |   |\n+===+===+\n| a | b |\n+---+---+\n",
    "pipe table, one empty header cell of two": "| a |   |\n|---|---|\n| 1 | 2 |\n",
    # cds-snc's security goals end with a header of contributors and no body: it had an empty row.
    "pipe table, a header alone": "| a | b |\n|---|---|\n",
    "pipe table, outer pipes on some rows only": "A | B\n--- | --- |\n1 | 2\n| 3 | 4 |\n|5 | 6\n",
    "pipe table, a leading pipe on the delimiter row alone": "A | B\n|--- | ---\n1 | 2\n",
    "grid, a header of two rows": ("+-----+-----+\n| H1  | H2  |\n+-----+-----+\n| h1b | h2b |\n"
                                   "+=====+=====+\n| 1   | 2   |\n+-----+-----+\n"),
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_tables_read_as_pandoc_reads_them(write, text):
    assert our_tables(write, text) == pandoc_tables(text)


def test_an_escaped_pipe_is_a_pipe_in_its_cell_code_too_as_github_reads_it(write):
    # pandoc's own Markdown keeps the backslash in code; GitHub's (gfm) does not.
    text = ("| Name | Type |\n| ---- | ---- |\n| name | `str \\| None` |\n| size | a \\| b |\n"
            "| wide | c | past the table's width \\| dropped |\n")
    ours = our_tables(write, text)
    assert ours == pandoc_tables(text, "gfm")
    assert ours[0]["rows"][0] == ["name", "str | None"] and ours[0]["rows"][2] == ["wide", "c"]


def test_the_corpus_tables_read_as_pandoc_reads_them(write):
    text = (FIXTURES.parent / "corpus" / "pandoc-tables.md").read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2]
    assert our_tables(write, body) == pandoc_tables(body)


def test_a_definition_is_no_caption_without_a_table(write):
    source = read_source(write("Term\n\n: Its definition, a blank line below the term.\n\nText.\n"))
    meta, line = read_meta(source)
    doc = parse(source, meta, line)
    assert not [b for b in walk.blocks(doc) if isinstance(b, m.Table)]
    assert "Its definition" in " ".join(m.block_text(b) for b in doc.blocks)


def test_a_dashed_line_is_still_a_rule_and_a_heading_underline(write):
    source = read_source(write("Title\n-----\n\nText.\n\n-----\n\nMore.\n"))
    meta, line = read_meta(source)
    doc = parse(source, meta, line)
    assert [m.plain_text(s.title) for s in doc.sections] == ["Title"]
    assert [type(b) for b in doc.sections[0].blocks] == [m.Paragraph, m.Rule, m.Paragraph]


def test_table_lines_and_the_blocks_after_them(write):
    source = read_source(write("Intro text.\n\n" + MULTILINE + "\nTable: Caption words.\n\nAfter the table.\n"))
    meta, line = read_meta(source)
    doc = parse(source, meta, line)
    intro, table, after = doc.blocks
    assert isinstance(table, m.Table) and table.line == 7
    assert after == m.Paragraph(inlines=(m.Text(text="After the table."),), line=21)


SPANNED_GRIDS = {
    "pandoc's manual": ("+---------------------+----------+\n| Property            | Earth    |\n"
                        "+=============+=======+==========+\n|             | min   | -89.2 °C |\n"
                        "| Temperature +-------+----------+\n| 1961-1990   | mean  | 14 °C    |\n"
                        "|             +-------+----------+\n|             | max   | 56.7 °C  |\n"
                        "+-------------+-------+----------+\n"),
    "a row over two columns": ("+-------+-------+\n| a     | b     |\n+=======+=======+\n| spans both    |\n"
                               "+-------+-------+\n| 1     | 2     |\n+-------+-------+\n"),
    "a header cell over two columns, its columns under it": ("+----------+---------+\n| Inputs   | Output  |\n"
                                                           "+-----+----+---------+\n| A   | B  | A and B |\n"
                                                           "+=====+====+=========+\n| yes | no | no      |\n"
                                                           "+-----+----+---------+\n"),
    "a cell over two rows and two columns": ("+---+---+---+\n| a | b | c |\n+===+===+===+\n| big   | x |\n"
                                             "+   +   +---+\n|       | y |\n+---+---+---+\n| 1 | 2 | 3 |\n"
                                             "+---+---+---+\n"),
}


@pytest.mark.parametrize("text", SPANNED_GRIDS.values(), ids=SPANNED_GRIDS.keys())
def test_a_grid_cells_spans_read_as_pandoc_reads_them(write, text):
    """A grid cell over rows or columns (pandoc 3) was refused, `table.span`:
    each cell now takes the place, rows and columns pandoc gives it."""
    import pypandoc

    source = read_source(write("Intro.\n\n" + text))
    meta, line = read_meta(source)
    [table] = [b for b in walk.blocks(parse(source, meta, line)) if isinstance(b, m.Table)]
    spans = {(span.row, span.column): (span.rows, span.columns) for span in table.spans}
    covered = table.covered()
    ours = [[(" ".join(m.block_text(b) for b in cell), *spans.get((number, column), (1, 1)))
             for column, cell in enumerate(row) if (number, column) not in covered]
            for number, row in enumerate((*table.head_rows(), *table.rows))]
    ast = json.loads(pypandoc.convert_text(text, "json", format="markdown"))
    [pandocs] = [b["c"] for b in ast["blocks"] if b["t"] == "Table"]
    rows = pandocs[3][1] + [row for body in pandocs[4] for row in body[3]]
    theirs = [[(" ".join(pandoc_block_text(b) for b in cell[4]), cell[2], cell[3]) for cell in row[1]]
              for row in rows]
    assert ours == theirs


def test_cells_in_a_marked_document_belong_to_the_caption(write):
    from pipeline.problems import Reporter
    from pipeline.transform.portions import mark_portions
    front = "---\ntitle: (U) T\nclassification: SECRET\nportion_marking: true\n" \
            "classified_by: A\nderived_from: B\ndeclassify_on: '20501231'\n---\n"
    source = read_source(write("(U) Intro.\n\n" + GRID + "\nTable: (S) Fruit.\n", front=front))
    meta, line = read_meta(source)
    reporter = Reporter(source.name)
    doc = mark_portions(parse(source, meta, line), reporter)
    assert [p for p in reporter.problems if p.severity == "error"] == []
    [table] = [b for b in walk.blocks(doc) if isinstance(b, m.Table)]
    assert table.portion == "S"


def test_no_word_column_is_narrower_than_its_longest_word(write, tmp_path):
    """precisionFDA's input table: the columns shared out by their text gave
    the first one too little for bold "Property", which LibreOffice broke
    as "Propert / y" (and "Optional / ?"). Each column is now at least as
    wide as its longest word, the room taken from the wide ones."""
    from conftest import run_cli
    from readers import soffice_to_pdf, tool

    path = write("| Property | Value for 1st input | Value for 2nd input |\n|---|---|---|\n"
                 "| Class | file | integer |\n| Help text | The BED file whose genomic intervals will be "
                 "extended. | The number of base pairs to extend each interval along both directions. |\n"
                 "| Default value | | 10 |\n| Optional? | false | false |\n")
    result = run_cli("build", path, "--out", tmp_path / "out", "--to", "docx")
    assert result.returncode == 0, result.stderr
    text = tool("pdftotext", "-layout", soffice_to_pdf(tmp_path / "out" / "brief.docx", tmp_path), "-")
    words = text.split()
    assert "Property" in words and "Optional?" in words and "Propert" not in words


def test_columns_of_long_words_wider_than_the_page_break_them_in_print(write, tmp_path):
    """Six columns headed Internationalization … Responsibilities: each
    column as wide as its longest word, the table ran off the PDF's page
    and its sixth column was lost. Such a table (and only such) is marked
    crowded, and its words break where they must: every word is on the
    page, within the text's width."""
    import re as regex

    from conftest import run_cli
    from readers import tool

    path = write("| Internationalization | Characteristically | Telecommunications | Counterintelligence "
                 "| Interoperability | Responsibilities |\n| --- | --- | --- | --- | --- | --- |\n"
                 "| a | a | a | a | a | a |\n\n| Name | Value |\n|---|---|\n| Class | file |\n")
    result = run_cli("build", path, "--out", tmp_path / "out", "--to", "pdf,html")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "brief.html").read_text(encoding="utf-8")
    assert regex.findall(r'<table class="([^"]*)"', html) == ["short-caption crowded", "short-caption"]
    pdf = tmp_path / "out" / "brief.pdf"
    assert "Responsibilities" in "".join(tool("pdftotext", pdf, "-").replace("\u2010", "").split())
    width = float(regex.search(r"Page size:\s+([\d.]+)", tool("pdfinfo", pdf))[1])
    right = max(float(x) for x in regex.findall(r'xMax="([\d.]+)"', tool("pdftotext", "-bbox", pdf, "-")))
    assert right < width - 50  # inside the margin
