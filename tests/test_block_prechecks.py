"""The block processors' first looks (pipeline/read/): a block without the
character a construct needs is passed over before its pattern is tried. Each
look must never turn away a block the pattern takes: checked here against
the patterns themselves on generated text, and, where the look can be
switched off, by reading every document we have both ways."""

import pytest
from hypothesis import given, settings, strategies as st
from markdown.blockprocessors import BlockQuoteProcessor, HRProcessor, SetextHeaderProcessor
from markdown.extensions.admonition import AdmonitionProcessor
from markdown.extensions.def_list import DefListProcessor

from pipeline.read import divs, lists, markdown as reading, tables
from pipeline.read.markdown import RULE_CHARACTERS, markdown_tree

from conftest import FIXTURES, ROOT

DOCUMENTS = sorted([*(ROOT / "tests" / "corpus").glob("*.md"), *FIXTURES.glob("*.md"),
                    *(ROOT / "source").glob("*.md")])
MARK = "\ue123\ue456"  # a line's marker, as read/markdown.py gives each line
# Text made of what the constructs are made of, and markers where lines end.
blocks = st.lists(st.sampled_from(["#", ":", ":::", "+", "-", "---", "=", "|", "*", "_", ">", " ", "   ",
                                   "\t", "a", "Word", "{.note}", "+---+", "\n", MARK, MARK + "\n"]),
                  max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(blocks)
def test_a_heading_needs_a_hash(block):
    if "#" not in block:
        assert not list(lists.Heading.RE.finditer(block))


@settings(max_examples=400, deadline=None)
@given(blocks)
def test_a_fenced_div_opens_on_a_line_with_a_colon(block):
    first = block.split("\n", 1)[0]
    if ":" not in first:
        assert not divs.OPENING.match(divs.bare(first))


@settings(max_examples=400, deadline=None)
@given(blocks)
def test_a_grid_table_starts_with_a_plus(block):
    first = block.split("\n", 1)[0]
    if "+" not in first:
        assert not tables.GRID_TOP.match(tables.split_mark(first)[0])


@settings(max_examples=400, deadline=None)
@given(blocks)
def test_a_simple_or_multiline_table_has_a_line_of_dashes_first_or_second(block):
    lines = [tables.split_mark(line)[0] for line in block.split("\n")[:3]]
    if len(lines) >= 2 and not any(map(tables.dashes_only, block.split("\n")[:2])):
        first, second = lines[0], lines[1]
        assert not tables.FULL_DASHES.match(first) and not tables.DASH_GROUPS.match(first)
        assert not tables.DASH_GROUPS.match(second)


@pytest.mark.parametrize("line, only", [
    ("---", True), ("  --  ---  ", True), ("--- " + MARK, True), ("---\t" + MARK, True),
    ("- item", False), ("-- a --", False), ("", False), (MARK, False), ("---" + MARK + "x", False),
])
def test_a_line_of_dashes(line, only):
    assert tables.dashes_only(line) is only


@settings(max_examples=400, deadline=None)
@given(blocks)
def test_rules_setext_headings_quotes_and_definitions_need_their_characters(block):
    if RULE_CHARACTERS.isdisjoint(block):
        assert not reading.Rule.SEARCH_RE.search(block)
    newline = block.find("\n")
    if newline < 0 or block[newline + 1:newline + 2] not in ("=", "-"):
        assert not reading.Setext.RE.match(block)
    if ">" not in block:
        assert not BlockQuoteProcessor.RE.search(block)
    if ":" not in block and "~" not in block:
        assert not reading.DefinitionList.RE.search(block)


# What definitions and notes are made of, with markers where lines end.
definitions = st.lists(st.sampled_from(["*", "[", "]", ":", "!", "!!!", "^", "id", "note", '"T"', " ", "   ",
                                        "\t", "http://x", "\n", MARK, MARK + "\n", "*[", "]:"]),
                       max_size=30).map("".join)


@settings(max_examples=600, deadline=None)
@given(definitions)
def test_link_and_abbreviation_definitions_and_notes_need_their_characters(block):
    if "]:" not in block:
        assert not reading.Reference.RE.search(block)
    if "*[" not in block:
        assert not reading.Abbreviation.RE.search(block)
    if "!!!" not in block:
        assert not reading.Admonition.RE.search(block)


@pytest.mark.parametrize("character", sorted(RULE_CHARACTERS))
def test_a_rule_of_each_rule_character_passes_the_first_look(character):
    rule = reading.Rule(markdown_tree("", 1)[1].parser)
    assert rule.test(None, f"text\n\n{character * 3}")


def tree(text: str, looking: bool, monkeypatch) -> tuple:
    with monkeypatch.context() as patch:
        if not looking:
            patch.setattr(reading.Rule, "test", HRProcessor.test)
            patch.setattr(reading.Quote, "test", BlockQuoteProcessor.test)
            patch.setattr(reading.Setext, "test", SetextHeaderProcessor.test)
            patch.setattr(reading.DefinitionList, "test", DefListProcessor.test)
            patch.setattr(reading.Admonition, "test", AdmonitionProcessor.test)
            for always in (reading.Reference, reading.Abbreviation):  # as Python-Markdown's own
                patch.setattr(always, "test", lambda self, parent, block: True)
        root, _, _ = markdown_tree(text, 1, cites=True)
    return dump(root)


def dump(element) -> tuple:
    return (element.tag, sorted(element.attrib.items(), key=repr), element.text, element.tail,
            [dump(child) for child in element])


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_document_reads_the_same_with_and_without_the_first_looks(path, monkeypatch):
    text = path.read_text(encoding="utf-8")
    assert tree(text, True, monkeypatch) == tree(text, False, monkeypatch)
