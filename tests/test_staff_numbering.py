"""`numbering: military` (issue 20): paragraphs numbered 1., a., (1), (a),
then 1 and a underlined, as AR 25-50 and FM 6-0's orders number them; the
portion mark after the number; a lone a. warned of, a seventh level an
error at its line; in Word one multilevel list tied to the paragraph and
heading styles, so an inserted paragraph is numbered and the rest
renumber; cross-references "paragraph 1b(1)", live in Word as REF fields."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import BriefingError, Reporter
from pipeline.run.build import load

from conftest import FIXTURES, run_cli
from readers import pdf_text, soffice_to_pdf

ORDER = FIXTURES / "staff" / "military.md"
MEMO = FIXTURES / "staff" / "memorandum.md"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FRONT = "---\ntitle: Numbered\nclassification: UNCLASSIFIED\nnumbering: military\n---\n\n"

# What a reader sees of the order, in the PDF and through LibreOffice.
ORDER_LINES = ["1. (U) Situation", "a. (U) Area of interest", "(U) The valley, see paragraph 1b(1).",
               "b. (U) Enemy forces", "(1) (U) Composition", "(2) (U) Disposition",
               "2. (U) Mission", "3. (U) Execution", "(U) Commander’s intent.",
               "a. (U) First task.", "(1) (U) Sub one.", "(2) (U) Sub two.", "(a) (U) deep a",
               "1 (U) deeper 1", "a (U) deepest a", "b. (U) Second task."]


def numbered(doc: m.Document) -> list[tuple[str, int, str]]:
    """(number, level, text) of every numbered heading and paragraph, in order."""
    out = []

    def run(blocks):
        for block in walk.nested_blocks(blocks):
            if isinstance(block, m.Paragraph) and block.number:
                out.append((block.number, block.level, m.plain_text(block.inlines)))
    run(doc.blocks)
    for section in walk.sections(doc):
        if section.number:
            out.append((section.number, section.paragraph_level, m.plain_text(section.title)))
        run(section.blocks)
    return out


def lines_in_order(text: str, expected: list[str]) -> None:
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    at = 0
    for want in expected:
        found = next((i for i in range(at, len(lines)) if lines[i].startswith(want)), None)
        assert found is not None, (want, lines[at:at + 8])
        at = found + 1


# The model ---------------------------------------------------------------------

def test_headings_and_list_paragraphs_share_the_scheme():
    reporter = Reporter(str(ORDER))
    doc = load(ORDER, reporter)
    assert numbered(doc)[:6] == [("1.", 1, "Situation"), ("a.", 2, "Area of interest"),
                                 ("b.", 2, "Enemy forces"), ("(1)", 3, "Composition"),
                                 ("(2)", 3, "Disposition"), ("2.", 1, "Mission")]
    execution = [entry for entry in numbered(doc) if entry[2] in (
        "First task.", "Sub one.", "Sub two.", "deep a", "deeper 1", "deepest a", "Second task.")]
    assert execution == [("a.", 2, "First task."), ("(1)", 3, "Sub one."), ("(2)", 3, "Sub two."),
                         ("(a)", 4, "deep a"), ("1", 5, "deeper 1"), ("a", 6, "deepest a"),
                         ("b.", 2, "Second task.")]
    # The text under a heading is its own, unnumbered; so are the order's
    # references before the first heading; a bullet list stays a list.
    assert not doc.blocks[0].number
    mission = next(s for s in walk.sections(doc) if m.plain_text(s.title) == "Mission")
    assert mission.blocks[0].number is None
    assert any(isinstance(b, m.ListBlock) and not b.ordered for b in walk.blocks(doc))
    # The portion mark stays the paragraph's, shown after the number.
    first_task = next(b for b in walk.blocks(doc) if isinstance(b, m.Paragraph)
                      and m.plain_text(b.inlines) == "First task.")
    assert first_task.portion == "U"


def test_lone_subparagraphs_are_warnings_at_their_lines():
    reporter = Reporter(str(ORDER))
    load(ORDER, reporter)
    lines = ORDER.read_text().splitlines()
    lone = [(p.line, lines[p.line - 1].strip()) for p in reporter.problems if p.code == "numbering.lone"]
    # (a) deep a, 1 deeper 1 and a deepest a each stand alone.
    assert [text for _, text in sorted(lone)] == ["1. (U) deep a", "1. (U) deeper 1", "1. (U) deepest a"]
    assert all(p.warning for p in reporter.problems if p.code == "numbering.lone")


def test_a_memorandum_numbers_its_paragraphs_and_lists_are_subparagraphs():
    assert numbered(load(MEMO)) == [
        ("1.", 1, "The northern training area reopens on 1 March for live fire."),
        ("2.", 1, "Units firing on the area will:"),
        ("a.", 2, "brief every firer on the new surface danger zones;"),
        ("b.", 2, "post guards at the three road blocks:"),
        ("(1)", 3, "Grid 1234;"), ("(2)", 3, "Grid 1240."),
        ("3.", 1, "The point of contact is the range control officer.")]


def test_a_one_paragraph_memorandum_is_not_numbered(write):
    assert numbered(load(write("Just the one paragraph.\n", front=FRONT))) == []


def test_a_seventh_level_is_an_error_at_its_line(write):
    body = "# Top\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five\n\n###### Six\n\n1. seven\n2. also seven\n"
    path = write(body, front=FRONT)
    with pytest.raises(BriefingError) as raised:
        load(path)
    errors = [p for p in raised.value.problems if p.code == "numbering.depth"]
    assert [p.line for p in errors] == [19, 20]
    assert "six" in errors[0].message
    result = run_cli("check", path)
    assert result.returncode == 1 and f"{path}:19: a paragraph 7 levels deep" in result.stderr


def test_numbering_accepts_true_false_and_military_only(write):
    result = run_cli("check", write("Text.\n", front=FRONT.replace("military", "roman")))
    assert result.returncode == 1
    assert "'numbering' must be true, false or military" in result.stderr


def test_cross_references_cite_the_paragraph_as_the_regulation_writes_it():
    doc = load(ORDER)
    ref = next(i for i in walk.inlines(doc) if isinstance(i, m.Ref))
    assert (ref.kind, ref.number) == ("paragraph", "1b(1)")


# The outputs ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def order(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("order")
    result = run_cli("build", ORDER, "--out", out)
    assert result.returncode == 0, result.stderr
    return out / ORDER.stem


def test_pdf_shows_each_number_before_its_portion_mark(order):
    lines_in_order(pdf_text(order.with_suffix(".pdf")), ORDER_LINES)


def test_html_marks_levels_and_underlines_the_fifth_and_sixth(order):
    root = etree.HTML(order.with_suffix(".html").read_text())
    numbers = root.xpath("//p[contains(@class, 'numbered')]/span[contains(@class, 'paragraph-number')]")
    assert [n.text for n in numbers] == ["a.", "(1)", "(2)", "(a)", "1", "a", "b."]
    assert [n.get("class") for n in numbers if "underlined" in n.get("class")] == \
        ["paragraph-number underlined"] * 2
    assert [p.get("class") for p in root.xpath("//p[contains(@class, 'numbered')]")][:2] == \
        ["numbered level-2", "numbered level-3"]
    heading = root.xpath("//h2")[0]
    assert "".join(heading.itertext()).split() == ["1.", "(U)", "Situation"]
    assert root.xpath("//a[@class='xref' and @href='#sec-enemy-comp']")[0].text == "paragraph 1b(1)"


def numbering_parts(path: Path):
    with zipfile.ZipFile(path) as package:
        return (etree.fromstring(package.read("word/numbering.xml")),
                etree.fromstring(package.read("word/styles.xml")),
                etree.fromstring(package.read("word/document.xml")))


def test_docx_has_one_abstract_numbering_tied_to_the_styles(order):
    numbering, styles, document = numbering_parts(order.with_suffix(".docx"))
    military = [a for a in numbering.findall(f"{W}abstractNum")
                if a.find(f"{W}lvl/{W}pStyle") is not None]
    assert len(military) == 1  # one list for every numbered paragraph and heading
    abstract = military[0]
    levels = abstract.findall(f"{W}lvl")
    assert [lvl.find(f"{W}lvlText").get(f"{W}val") for lvl in levels] == \
        ["%1.", "%2.", "(%3)", "(%4)", "%5", "%6"]
    assert [lvl.find(f"{W}pStyle").get(f"{W}val") for lvl in levels] == \
        [f"NumberedParagraph{n}" for n in range(1, 7)]
    assert [lvl.find(f"{W}rPr/{W}u") is not None for lvl in levels] == [False] * 4 + [True] * 2
    ident = abstract.get(f"{W}abstractNumId")
    nums = {num.get(f"{W}numId") for num in numbering.findall(f"{W}num")
            if num.find(f"{W}abstractNumId").get(f"{W}val") == ident}
    # The styles carry the list: a paragraph given the style is numbered.
    for name in [f"NumberedParagraph{n}" for n in range(1, 7)] + [f"Heading{n}" for n in range(1, 7)]:
        style = styles.find(f"{W}style[@{W}styleId='{name}']")
        assert style.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val") in nums, name
    # And every numbered paragraph and heading is in that list.
    styled = [p for p in document.iter(f"{W}p") if re.match(
        r"(NumberedParagraph|Heading)\d", (p.find(f"{W}pPr/{W}pStyle") if p.find(f"{W}pPr/{W}pStyle")
                                            is not None else etree.Element("x")).get(f"{W}val", ""))]
    assert len(styled) == 14  # seven headings, seven list paragraphs
    assert {p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val") for p in styled} <= nums
    fields = [t.text for t in document.iter(f"{W}instrText") if "REF" in t.text]
    assert fields == [" REF situation \\n \\h ", " REF enemy-forces \\n \\h ", " REF sec-enemy-comp \\n \\h "]


def test_libreoffice_numbers_the_docx_as_the_pdf(order, tmp_path):
    lines_in_order(pdf_text(soffice_to_pdf(order.with_suffix(".docx"), tmp_path)), ORDER_LINES)


def test_a_paragraph_inserted_in_word_is_numbered_and_the_rest_renumber(order, tmp_path):
    """A colleague adds a top-level paragraph before Mission and a
    subparagraph before "Second task", choosing the styles only."""
    document = docx.Document(str(order.with_suffix(".docx")))
    paragraphs = document.paragraphs
    mission = next(p for p in paragraphs if p.text.endswith("Mission"))
    mission.insert_paragraph_before("Fire support", style="Numbered Paragraph 1")
    second = next(p for p in paragraphs if p.text.endswith("Second task."))
    second.insert_paragraph_before("An added task.", style="Numbered Paragraph 2")
    edited = tmp_path / "edited.docx"
    document.save(str(edited))
    out = tmp_path / "out"
    out.mkdir()
    lines_in_order(pdf_text(soffice_to_pdf(edited, out)), [
        "1. (U) Situation", "b. (U) Enemy forces", "2. Fire support", "3. (U) Mission",
        "4. (U) Execution", "a. (U) First task.", "(1) (U) Sub one.", "b. An added task.",
        "c. (U) Second task."])
