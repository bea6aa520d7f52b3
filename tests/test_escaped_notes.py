"""read/escaped_notes.py: an escaped footnote marker is text wherever text
is read, and leaves code and real notes as they are."""

from pipeline import model as m
from pipeline.model import walk
from pipeline.read.frontmatter import read_meta
from pipeline.read.markdown import parse
from pipeline.read.source import read_source


def parsed(write, body: str) -> tuple[m.Document, list]:
    problems: list = []
    source = read_source(write(body))
    meta, body_line = read_meta(source)
    return parse(source, meta, body_line, problems), problems


def test_escaped_markers_are_text_in_headings_cells_and_beside_real_notes(write):
    doc, problems = parsed(write, "# Notes \\[^1] and [\\^2]\n\n| a |\n|---|\n| \\[^x] |\n\n"
                                  "A real one[^n] and \\[^n] written.\n\n[^n]: The note.\n")
    assert not problems
    [section] = doc.sections
    assert m.plain_text(section.title) == "Notes [^1] and [^2]"
    table, paragraph = section.blocks
    assert m.plain_text(table.rows[0][0][0].inlines) == "[^x]"
    assert [type(i).__name__ for i in paragraph.inlines] == ["Text", "FootnoteRef", "Text"]
    assert paragraph.inlines[-1] == m.Text(text=" and [^n] written.")
    assert len(doc.footnotes) == 1


def test_code_keeps_its_backslashes(write):
    doc, problems = parsed(write, "Write `\\[^x]` for the text.\n\n```\n\\[^y]\n```\n")
    assert not problems
    paragraph, code = list(walk.blocks(doc))
    assert m.Code(text="\\[^x]") in paragraph.inlines
    assert code.text == "\\[^y]"


def test_other_escapes_are_untouched(write):
    doc, problems = parsed(write, "\\[not a link](x) \\^caret \\*star\\* [a\\^b]\n")
    assert not problems
    assert m.plain_text(next(walk.blocks(doc)).inlines) == "[not a link](x) ^caret *star* [a^b]"
