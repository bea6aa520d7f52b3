"""The markings stage (pipeline/transform/portions.py) on the model: marks move out
of the text into `portion` fields, every portion must have one, problems
come all at once."""

import pytest

from pipeline import model as m
from pipeline.run.build import load
from pipeline.problems import BriefingError

SECRET = ("---\ntitle: (U) T\nclassification: SECRET\nportion_marking: true\nclassified_by: A\n"
          "derived_from: B\ndeclassify_on: '20501231'\n---\n")


def test_marks_move_into_the_model(write):
    doc = load(write("""\
        (U) Preamble.

        # (S) Heading {#h}

        - (C) Item
        - (U) Item

        > (U) Quoted.

        !!! note "(U) Title"
            (C) Inside.

        (C) Term
        :   (U) Definition.

        | a |
        |---|
        | 1 |

        Table: (C) Caption {#tbl-x}

        Text[^1].

        [^1]: (U) Note.
        """.replace("Text[^1].", "(S) Text[^1]."), front=SECRET))
    assert doc.blocks[0].portion == "U" and doc.blocks[0].inlines == (m.Text(text="Preamble."),)
    section = doc.sections[0]
    assert section.portion == "S" and m.plain_text(section.title) == "Heading"
    listing, quote, note, terms, table, text = section.blocks
    assert [item.blocks[0].portion for item in listing.items] == ["C", "U"]
    assert quote.blocks[0].portion == "U"
    assert note.portion == "U" and m.plain_text(note.title) == "Title" and note.blocks[0].portion == "C"
    assert terms.items[0].definitions[0][0].portion == "U"
    assert terms.items[0].portion == "C" and m.plain_text(terms.items[0].term) == "Term"
    assert table.portion == "C" and m.plain_text(table.caption) == "Caption" and table.number == 1
    assert text.portion == "S"
    assert doc.footnotes[0].blocks[0].portion == "U"


def test_without_portion_marking_text_is_left_alone(write):
    doc = load(write("(U) Text.\n"))
    assert doc.blocks[0].portion is None and m.plain_text(doc.blocks[0].inlines) == "(U) Text."


def test_slug_ignores_the_mark(write):
    doc = load(write("# (S) Options\n\n(S) Text.\n", front=SECRET))
    assert doc.sections[0].id == "options"


def test_figure_mark_leaves_the_alt_text(write, tmp_path):
    import shutil
    from conftest import FIXTURES
    shutil.copytree(FIXTURES / "images", tmp_path / "images")
    doc = load(write("![(U) A map of the region](images/map.png)\n", front=SECRET))
    figure = doc.blocks[0]
    assert figure.portion == "U" and figure.alt == "A map of the region"


def test_all_problems_at_once_with_ids_too(write):
    with pytest.raises(BriefingError) as caught:
        load(write("# (S) A {#x}\n\n(Q) Bad.\n\n# (S) B {#x}\n\nNo mark.\n", front=SECRET))
    problems = [(p.line, p.code) for p in caught.value.problems]
    assert problems == [(11, "portion.invalid"), (13, "id.duplicate"), (15, "portion.missing")]
    assert "duplicate id '#x'" in str(caught.value)


def test_warnings_go_to_the_reporter(write):
    from pipeline.problems import Reporter
    path = write("(C) Text.\n", front=SECRET)
    reporter = Reporter(str(path))
    load(path, reporter)
    assert [w.code for w in reporter.warnings] == ["marking.banner-above-portions"]
    assert "above every portion" in reporter.warnings[0].message


def test_apply_markings_without_portion_marking_checks_only_the_front_matter(write):
    from pipeline.read.frontmatter import read_meta
    from pipeline.read.markdown import parse
    from pipeline.problems import Reporter
    from pipeline.read.source import read_source
    from pipeline.transform.portions import mark_portions
    source = read_source(write("(S) Text.\n", front="---\ntitle: T\nclassification: SECRET\n---\n"))
    reporter = Reporter(source.name)
    meta, body_line = read_meta(source, reporter)
    doc = parse(source, meta, body_line)
    same = mark_portions(doc, reporter)
    assert same is doc and reporter.warnings == ()
    assert [p.line for p in reporter.errors] == [3, 3, 3]  # the authority block's three lines
    assert {p.code for p in reporter.errors} == {"marking.block"}


NOFORN = SECRET.replace("classification: SECRET", "classification: SECRET//NOFORN")


def test_a_mark_is_found_through_inline_markup(write):
    """Whatever inline markup the author or the parser put around or inside
    a mark, it is the mark; the markup stays on what follows it."""
    doc = load(write("""\
        *[NF]: (U) NOFORN

        **(U)** Bold.

        *(S//NF)* Em.

        [(U) Linked](https://example.org) text.

        (S//NF) The NF abbreviation inside the mark.

        ***(U) Bold italic words*** after.

        (U) Plain **bold** words.
        """, front=NOFORN))
    bold, em, linked, abbr, both, plain = doc.blocks
    assert [b.portion for b in doc.blocks] == ["U", "S//NF", "U", "S//NF", "U", "U"]
    assert bold.inlines == (m.Text(text="Bold."),) and em.inlines == (m.Text(text="Em."),)
    assert linked.inlines == (m.Link(target="https://example.org", children=(m.Text(text="Linked"),),
                                     line=linked.line), m.Text(text=" text."))
    assert abbr.inlines == (m.Text(text="The "), m.Abbr(text="NF", title="NOFORN"),
                            m.Text(text=" abbreviation inside the mark."))
    assert both.inlines == (m.Strong(children=(m.Emph(children=(m.Text(text="Bold italic words"),)),)),
                            m.Text(text=" after."))
    assert m.plain_text(plain.inlines) == "Plain bold words."
    # The expansion's own mark leaves it, in the list and in every use.
    assert doc.abbreviations == (("NF", "NOFORN"),)
    assert dict(doc.abbreviation_marks) == {"NF": "U"}


def test_an_unmarked_expansion_takes_the_roll_up_of_its_uses(write):
    doc = load(write("*[OPX]: Operation X\n\n(C) OPX starts.\n\n(S//NF) OPX ends.\n\n(U) Text.\n",
                     front=NOFORN))
    assert dict(doc.abbreviation_marks) == {"OPX": "S//NF"}


def test_a_cell_may_carry_its_own_mark(write):
    """A cell belongs to its caption's portion; one that opens with a mark
    of the scheme's levels has it as its paragraph's portion, checked and
    rolled up; `(A)` is text; a caption's problem is told at the caption."""
    doc = load(write("(U) Intro.\n\n| a | b |\n|---|---|\n| (S//NF) x | (A) y |\n| z | 1 |\n\n"
                     "Table: (S//NF) Caption {#tbl-x}\n", front=NOFORN))
    table = doc.blocks[1]
    first, second = table.rows[0]
    assert (first[0].portion, m.plain_text(first[0].inlines)) == ("S//NF", "x")
    assert (second[0].portion, m.plain_text(second[0].inlines)) == (None, "(A) y")
    assert table.caption_line == 16 and table.portion == "S//NF"
    assert [(s.line, s.mark) for p in doc.rollup.parts for s in p.sources if p.part == "level"] == [
        (16, "S//NF"), (13, "S//NF")]
    with pytest.raises(BriefingError) as caught:
        load(write("(U) Intro.\n\n| a |\n|---|\n| (S//NF) x |\n\nTable: (S) Caption {#tbl-x}\n\n"
                   "| a |\n|---|\n| 1 |\n\nTable: Unmarked {#tbl-y}\n", front=NOFORN))
    assert [(p.line, p.code) for p in caught.value.problems] == [(13, "portion.cell"),
                                                                 (21, "portion.missing")]


def test_title_subtitle_and_short_title(write):
    doc = load(write("(S) Text.\n", front=SECRET.replace(
        "title: (U) T\n", "title: (U) T\nsubtitle: (S) Sub\nshort_title: Short\n")))
    meta = doc.meta
    assert (meta.title, meta.title_portion) == ("T", "U")
    assert (meta.subtitle, meta.subtitle_portion) == ("Sub", "S")
    assert (meta.short_title, meta.short_title_portion) == ("Short", None)
    assert meta.marked_title == "(U) T" and meta.running_title == "(U) Short"


def test_a_code_block_belongs_to_the_paragraph_before_it(write):
    doc = load(write("(S) The commands:\n\n```\nls\n```\n\n- (U) Item:\n\n    ```\nls\n    ```\n",
                     front=SECRET))
    assert isinstance(doc.blocks[1], m.CodeBlock)
    with pytest.raises(BriefingError) as caught:
        load(write("# (S) Heading\n\n```\nls\n```\n\n> ```\n> ls\n> ```\n", front=SECRET))
    assert [(p.line, p.code) for p in caught.value.problems] == [
        (11, "portion.code-block"), (15, "portion.code-block")]


def test_the_rollup_is_on_the_model(write):
    doc = load(write("(S//NF) Text.\n\n(U) More.\n", front=NOFORN))
    assert doc.rollup is not None and doc.rollup.banner == doc.rollup.derived == "SECRET//NOFORN"
    assert [(p.part, p.value, p.status, [s.line for s in p.sources]) for p in doc.rollup.parts] == [
        ("level", "SECRET", "ok", [9]), ("dissemination", "NOFORN", "ok", [9])]
    assert load(write("(U) Text.\n")).rollup is None  # no portion marks, nothing rolled up


def test_an_unmarked_item_note_or_quote_is_called_what_it_is_and_small_letters_are_hinted(write):
    """A CUI briefing made from a real document: its unmarked list items and
    footnote were each "paragraph has no portion mark", where the author
    looked for a paragraph; `(cui)` in small letters got no word of its
    capitals."""
    with pytest.raises(BriefingError) as caught:
        load(write("(U) Intro.\n\n- Item without a mark\n\n> Quote without one.\n\n(cui) Small letters.[^1]\n\n"
                   "[^1]: Note without a mark.\n", front=SECRET))
    said = [(p.line, p.message.split(" has no")[0], p.message.split("(portion_marking is on)")[-1])
            for p in caught.value.problems if p.code == "portion.missing"]
    assert said == [(11, "list item", ""), (13, "quoted paragraph", ""),
                    (15, "paragraph", ": (cui) is in small letters; did you mean (CUI)?"), (17, "footnote", "")]
