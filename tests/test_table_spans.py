"""Cells over more than one row or column (an HTML table's colspan and
rowspan, as WICG's FLEDGE explainer writes them): each cell in its place on
the grid, as a browser places it, in all three formats; read back with
lxml (the HTML), poppler (the PDF), pandoc and LibreOffice (the DOCX). And
two tables one after the other stay two in Word."""

from __future__ import annotations

import json
import zipfile

import docx
import lxml.html
import pypandoc
import pytest
from docx.oxml.ns import qn

from conftest import run_cli
from pipeline import model as m
from pipeline.problems import Reporter
from pipeline.run.build import load
from readers import pdf_text, soffice_convert

SPANS = """\
<table>
  <thead>
    <tr><th colspan=2>Inputs</th><th>Output</th></tr>
  </thead>
  <tbody>
    <tr><td>yes</td><td>no</td><td>no</td></tr>
    <tr><td rowspan="2">North</td><td>A</td><td>1</td></tr>
    <tr><td>B</td><td>2</td></tr>
    <tr><td colspan="3">All regions</td></tr>
  </tbody>
</table>
"""


def test_a_span_takes_its_places_and_covers_the_rest(write):
    path = write(SPANS)
    reporter = Reporter(str(path))
    [table] = [b for b in m.walk.blocks(load(path, reporter)) if isinstance(b, m.Table)]
    assert not reporter.errors and not reporter.warnings
    assert table.spans == (m.CellSpan(0, 0, 1, 2), m.CellSpan(2, 0, 2, 1), m.CellSpan(4, 0, 1, 3))
    assert table.covered() == {(0, 1), (3, 0), (4, 1), (4, 2)}
    texts = [[m.block_text(cell[0]) if cell else None for cell in row] for row in (table.head, *table.rows)]
    assert texts == [["Inputs", None, "Output"], ["yes", "no", "no"], ["North", "A", "1"],
                     [None, "B", "2"], ["All regions", None, None]]


def test_cells_a_row_leaves_short_and_a_rowspan_past_the_end():
    from pipeline.read.rawhtml import COVERED, SPAN, placed
    import xml.etree.ElementTree as etree

    def cell(**attrs):
        return etree.Element("td", {k: str(v) for k, v in attrs.items()})
    rows = [[cell(rowspan=9), cell(colspan="x")], [cell()]]
    grid = placed(rows)
    assert [len(row) for row in grid] == [2, 2]
    assert grid[0][0].get(SPAN) == "2 1" and grid[1][0].get(COVERED) and not grid[0][1].get(SPAN)
    assert grid[1][1] is rows[1][0]  # after the place the rowspan covers


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("spans")
    source = out / "spans.md"
    source.write_text("---\ntitle: Spans\nclassification: UNCLASSIFIED\n---\n\n" + SPANS
                      + "\n| A | B |\n|---|---|\n| 1 | 2 |\n\n| Longer header | C | D |\n|---|---|---|\n"
                        "| 3 | 4 | 5 |\n", encoding="utf-8")
    result = run_cli("build", source, "--out", out)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    return out


def test_html_cells_span_as_written(built):
    page = lxml.html.parse(str(built / "spans.html"))
    table = page.xpath("//main//table")[0]
    rows = [[(c.text_content(), c.get("rowspan"), c.get("colspan")) for c in tr.xpath("th|td")]
            for tr in table.xpath(".//tr")]
    assert rows == [[("Inputs", None, "2"), ("Output", None, None)],
                    [("yes", None, None), ("no", None, None), ("no", None, None)],
                    [("North", "2", None), ("A", None, None), ("1", None, None)],
                    [("B", None, None), ("2", None, None)],
                    [("All regions", None, "3")]]


def test_pdf_shows_each_cell_once(built):
    text = " ".join(pdf_text(built / "spans.pdf").split())
    assert "Inputs Output yes no no North A 1 B 2 All regions" in text


def test_docx_merges_cells_as_word_does(built):
    document = docx.Document(str(built / "spans.docx"))
    table = document.tables[0]
    assert table.cell(0, 0)._tc is table.cell(0, 1)._tc  # one cell over two columns
    rows = table._tbl.tr_lst
    assert rows[2].tc_lst[0].vMerge == "restart" and rows[3].tc_lst[0].vMerge == "continue"
    assert table.cell(3, 0).text == "North"  # python-docx reads the merged cell from its top
    assert table.cell(4, 0)._tc is table.cell(4, 2)._tc
    # pandoc reads the spans back: RowSpan and ColSpan of each cell.
    ast = json.loads(pypandoc.convert_file(str(built / "spans.docx"), "json", format="docx"))
    [first, *_] = [b for b in ast["blocks"] if b["t"] == "Table"]
    head_rows, bodies = first["c"][3][1], first["c"][4]
    spans = [[(cell[2], cell[3]) for cell in row[1]] for row in head_rows + bodies[0][3]]
    assert spans == [[(1, 2), (1, 1)], [(1, 1)] * 3, [(2, 1), (1, 1), (1, 1)], [(1, 1), (1, 1)], [(1, 3)]]


def test_docx_tables_one_after_another_stay_apart(built, tmp_path):
    """Word and LibreOffice join adjacent tables into one, the second's
    columns as the first's; an empty paragraph keeps them apart, as pandoc
    writes it. LibreOffice's own reading (ODT) has all three tables."""
    with zipfile.ZipFile(built / "spans.docx") as package:
        document = package.read("word/document.xml").decode()
    assert "</w:tbl><w:tbl>" not in document and document.count("<w:tbl>") == 3
    odt = soffice_convert(built / "spans.docx", tmp_path, "odt")
    with zipfile.ZipFile(odt) as package:
        assert package.read("content.xml").decode().count("<table:table ") == 3


def test_a_thead_of_two_rows_is_two_header_rows(write, tmp_path):
    """FLEDGE heads its table with two rows, the first spanning: the second
    was read as a body row. Both are header rows in every format: the
    HTML's <thead>, Word's repeated header rows (the second in bold, as the
    table style draws only the first), in their place in the PDF's text."""
    path = write("<table><thead>\n<tr><th colspan=3>When the group contains:</th><th colspan=2>then reports get:</th></tr>\n"
                 "<tr><th>a</th><th>b</th><th>c</th><th>d</th><th>e</th></tr>\n</thead>\n"
                 "<tr><td>1</td><td>2</td><td>3</td><td>4</td><td>5</td></tr>\n</table>\n")
    reporter = Reporter(str(path))
    [table] = [b for b in m.walk.blocks(load(path, reporter)) if isinstance(b, m.Table)]
    assert [[m.block_text(c[0]) if c else None for c in row] for row in table.head_rows()] == [
        ["When the group contains:", None, None, "then reports get:", None], ["a", "b", "c", "d", "e"]]
    assert len(table.rows) == 1 and table.spans == (m.CellSpan(0, 0, 1, 3), m.CellSpan(0, 3, 1, 2))
    result = run_cli("build", path, "--out", tmp_path / "out")
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    page = lxml.html.parse(str(tmp_path / "out" / "brief.html"))
    assert [[c.text_content() for c in tr.xpath("th")] for tr in page.xpath("//thead/tr")] == [
        ["When the group contains:", "then reports get:"], ["a", "b", "c", "d", "e"]]
    assert page.xpath("//tbody/tr/td/text()") == ["1", "2", "3", "4", "5"]
    rows = docx.Document(str(tmp_path / "out" / "brief.docx")).tables[0]._tbl.tr_lst
    assert [tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None for tr in rows] == [True, True, False]
    assert all(r.rPr is not None and r.rPr.b is not None for r in rows[1].iter(qn("w:r")))
    text = " ".join(pdf_text(tmp_path / "out" / "brief.pdf").split())
    assert "When the group contains: then reports get: a b c d e 1 2 3 4 5" in text


def test_word_merged_cells_come_back_as_a_grid_that_spans_them(write, tmp_path):
    """`briefing import` kept a merged Word cell in its first place and left
    the places it covered empty, with a warning. It now writes a grid table
    whose cells span as Word's did (pandoc 3's syntax, read/tables.py reads
    it): the spans, the header rows and the words come back; pandoc reads
    the grid alike."""
    path = write(SPANS)
    reporter = Reporter(str(path))
    [before] = [b for b in m.walk.blocks(load(path, reporter)) if isinstance(b, m.Table)]
    result = run_cli("build", path, "--out", tmp_path / "out", "--to", "docx")
    assert result.returncode == 0, result.stderr
    back = tmp_path / "back.md"
    result = run_cli("import", tmp_path / "out" / "brief.docx", "-o", back)
    assert result.returncode == 0 and "merged" not in result.stderr, result.stderr
    text = back.read_text(encoding="utf-8")
    assert "<table" not in text and "+====" in text
    [after] = [b for b in m.walk.blocks(load(back, Reporter(str(back)))) if isinstance(b, m.Table)]
    assert after.spans == before.spans and len(after.head_rows()) == len(before.head_rows())

    def words(table):
        return [[m.block_text(cell[0]) if cell else "" for cell in row] for row in (*table.head_rows(), *table.rows)]
    assert words(after) == words(before)
    grid = text[text.index("+"):text.rindex("+") + 1]
    ast = json.loads(pypandoc.convert_text(grid, "json", format="markdown"))
    [table] = [b["c"] for b in ast["blocks"] if b["t"] == "Table"]
    rows = table[3][1] + [row for body in table[4] for row in body[3]]
    assert [[(cell[2], cell[3]) for cell in row[1]] for row in rows] == [
        [(1, 2), (1, 1)], [(1, 1)] * 3, [(2, 1), (1, 1), (1, 1)], [(1, 1), (1, 1)], [(1, 3)]]


def test_first_rows_of_header_cells_alone_are_header_rows(write, tmp_path):
    """18F's accessibility guide heads its complex table with two rows of
    `th` and no <thead>: "Feet" and "Inches" fell into the body, under Name,
    in the HTML and the PDF. The first rows of `th` alone head the table,
    as a browser groups them; a row opening with a `th` among `td`s is a
    body row headed by it."""
    path = write('<table>\n<tr><th rowspan="2">Name</th><th colspan="2">Height</th><th rowspan="2">Age</th></tr>\n'
                 "<tr><th>Feet</th><th>Inches</th></tr>\n<tr><th>Walter</th><td>6</td><td>4</td><td>34</td></tr>\n"
                 "</table>\n")
    [table] = [b for b in m.walk.blocks(load(path, Reporter(str(path)))) if isinstance(b, m.Table)]
    assert [[m.block_text(c[0]) if c else None for c in row] for row in table.head_rows()] == [
        ["Name", "Height", None, "Age"], [None, "Feet", "Inches", None]]
    assert [[m.block_text(c[0]) for c in row] for row in table.rows] == [["Walter", "6", "4", "34"]]
    result = run_cli("build", path, "--to", "html,pdf", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = lxml.html.parse(str(tmp_path / "out" / "brief.html"))
    assert [[c.text_content() for c in tr.xpath("th")] for tr in page.xpath("//thead/tr")] == [
        ["Name", "Height", "Age"], ["Feet", "Inches"]]
    text = " ".join(pdf_text(tmp_path / "out" / "brief.pdf").split())
    assert "Name Height Age Feet Inches Walter 6 4 34" in text
