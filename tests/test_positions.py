"""Every node's source line comes from the parse itself, never from a search
of the text: repeated words, lines and paragraphs cannot move a problem."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from pathlib import Path

import markdown
from markdown.util import HTML_PLACEHOLDER_RE
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from markdown.extensions import Extension
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.admonition import AdmonitionExtension
from markdown.extensions.def_list import DefListExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.tables import TableExtension

from pipeline import model as m
from pipeline.problems import BriefingError, Reporter
from pipeline.read.frontmatter import read_meta
from pipeline.read.markdown import (MARK_BASE, Capture, FencedCode, Quote, drop_backlinks, mark_line, marked_line,
                                    marker, markdown_tree, parse)
from pipeline.read import markdown as reading
from pipeline.read.attributes import Attributes
from pipeline.read import rawhtml
from pipeline.read.divs import Divs
from pipeline.read.inlines import InlineSyntax
from pipeline.read.lists import Lists
from pipeline.read.source import read_source
from pipeline.read.tables import PandocTables
from pipeline.run.build import load
from fuzzing import examples

FRONT = "---\ntitle: Test briefing\nclassification: UNCLASSIFIED\n---\n"  # the body starts on line 5
PORTIONS = "---\ntitle: Test briefing\nclassification: UNCLASSIFIED\nportion_marking: true\n---\n"


def parsed(tmp_path: Path, body: str) -> m.Document:
    path = tmp_path / "brief.md"
    path.write_text(FRONT + body, encoding="utf-8")
    source = read_source(path)
    meta, body_line = read_meta(source)
    return parse(source, meta, body_line, [])


def problems(tmp_path: Path, text: str) -> list[tuple[int | None, str]]:
    """(line, message) of every problem `briefing check` finds, in line order."""
    path = tmp_path / "brief.md"
    path.write_text(text, encoding="utf-8")
    reporter = Reporter(str(path))
    found = []
    try:
        load(path, reporter)
    except BriefingError as error:
        found = list(error.problems)
    found += [p for p in reporter.problems if p not in found]  # warnings of a good build too
    return sorted(((p.line, p.message) for p in found), key=lambda p: (p[0] or 0, p[1]))


def lines_of(found: list[tuple[int | None, str]], start: str) -> list[int | None]:
    return [line for line, message in found if message.startswith(start)]


# The markers ------------------------------------------------------------------

@given(st.integers(min_value=1, max_value=MARK_BASE ** 2 - 1))
def test_a_marker_gives_back_its_line(line):
    assert marked_line(marker(line)) == line


@given(st.text(alphabet=" >#-*+1.:[^]!|)\"'}{\\_\xa0ax`~=<", max_size=12)
       | st.sampled_from(["# Title #", "| a | b |", '!!! note "T"', "[a](x)", "*em*", "- ", "> ", "# \xa0"]))
def test_a_marked_line_keeps_its_text(line):
    marked = mark_line(line, 12)
    assert marked.replace("\t", "").replace(marker(12), "") == line
    assert marker(12) in marked or not line.strip()


def test_markers_cannot_be_forged(tmp_path):
    path = tmp_path / "brief.md"
    path.write_text(FRONT + "Text \ue000\ue009 forged.\n", encoding="utf-8")
    with pytest.raises(BriefingError, match=r":5: character U\+E000 is for private use"):
        read_source(path)


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
        return [text for item in value for text in strings(item)]
    return []


def test_no_marker_reaches_the_model(tmp_path):
    doc = parsed(tmp_path, "# Title {#t}\n\n| a | b |\n|---|---|\n| 1 | [x](#t) |\n\n- *a*\n- \n  b_\n\n"
                           "!!! note\n    Body *em*\n\n---\n\n>\n> quoted <a@b.org>\n\n```\ncode\n```\n")
    texts = strings(dataclasses.astuple(doc))
    assert texts and not any(re.search("[\t\ue000-\uf8ff]", text) for text in texts)


# Blocks -------------------------------------------------------------------------

def test_repeated_paragraph_text_keeps_each_paragraphs_line(tmp_path):
    doc = parsed(tmp_path, "Same words.\nMore words.\n\nMore words.\nSame words.\n\nSame words.\n")
    assert [block.line for block in doc.blocks] == [5, 8, 11]


def test_a_bad_link_in_the_second_of_two_identical_paragraphs(tmp_path):
    paragraph = "The same paragraph,\nwith [a link](javascript:x()) in it.\n"
    found = problems(tmp_path, FRONT + "Intro.\n\n" + paragraph + "\n" + paragraph.replace(
        "javascript:x()", "https://example.org") + "\n" + paragraph)
    assert lines_of(found, "link target 'javascript:x()'") == [8, 14]


def test_a_badge_at_the_top_is_found_at_the_top(tmp_path):
    # Issue 14: a badge on line 9 was reported at line 239.
    badge = "[badge](javascript:void(0)) [badge](https://x.org)"
    body = "Intro with a badge.\n\n" + badge + "\n\n" + "Badge paragraph.\n\n" * 40 + badge + "\n"
    found = problems(tmp_path, FRONT + body)
    assert lines_of(found, "link target 'javascript:void(0)'") == [7, 89]


def test_list_items_and_nested_blocks(tmp_path):
    doc = parsed(tmp_path, "- one\n- one\n\n    one\n\n    - one\n    - one\n\n        ```\n        one\n"
                           "        ```\n\n1. one\n2. one\n")
    bullets, numbers = doc.blocks
    assert bullets.line == 5 and [item.line for item in bullets.items] == [5, 6]
    second = bullets.items[1].blocks
    assert [block.line for block in second] == [6, 8, 10]
    assert [item.line for item in second[2].items] == [10, 11]
    assert second[2].items[1].blocks[1] == m.CodeBlock(lang=None, text="one", line=13)
    assert numbers.line == 17 and [item.line for item in numbers.items] == [17, 18]


def test_an_item_whose_text_starts_on_its_second_line(tmp_path):
    doc = parsed(tmp_path, "- \n  one\n- \n\n    two\n")
    first, second = doc.blocks[0].items
    assert first.line == 5 and first.blocks[0].line == 6
    assert second.line == 7 and second.blocks[0].line == 9


def test_table_rows_and_cells(tmp_path):
    found = problems(tmp_path, FRONT + "| a | b |\n|---|---|\n| x | y |\n| x | [z](#nowhere) |\n"
                                       "| x | y |\n\nTable: x {#tbl-x}\n")
    assert lines_of(found, "link to '#nowhere'") == [8]
    doc = parsed(tmp_path, "Text.\n\n| a | b |\n|---|---|\n| x | y |\n")
    assert doc.blocks[1].line == 7


def test_a_row_wider_than_its_table_keeps_its_line(tmp_path):
    # The cell past the table's width is dropped, as GitHub drops it; its
    # line's end went with it, and the row's link took the next row's line.
    found = problems(tmp_path, FRONT + "| a | b |\n|---|---|\n| x | [z](#nowhere) | extra |\n"
                                       "| x | [w](#elsewhere) |\n")
    assert lines_of(found, "link to '#nowhere'") == [7]
    assert lines_of(found, "link to '#elsewhere'") == [8]


def test_admonitions_with_and_without_titles(tmp_path):
    doc = parsed(tmp_path, '!!! note\n    Body.\n\n!!! warning ""\n\n    Body.\n\n!!! tip "Same"\n    Body.\n')
    assert [(block.line, [inner.line for inner in block.blocks]) for block in doc.blocks] == [
        (5, [6]), (8, [10]), (12, [13])]


def test_footnote_definitions(tmp_path):
    doc = parsed(tmp_path, "A.[^a] B.[^b] C.[^c]\n\n[^b]: Same.\n\n[^a]: Same.\n\n    Same.\n\n"
                           "[^c]:\n    Same.\n")
    assert [(note.number, note.line, [block.line for block in note.blocks]) for note in doc.footnotes] == [
        (1, 9, [9, 11]), (2, 7, [7]), (3, 13, [14])]


def test_a_footnote_that_is_never_referenced(tmp_path):
    found = problems(tmp_path, FRONT + "A.[^a]\n\n[^a]: Note.\n\n[^spare]: Note.\n")
    assert lines_of(found, "footnote [^spare] is never referenced") == [9]


def test_code_blocks(tmp_path):
    doc = parsed(tmp_path, "x\n\n```\nx\n```\n\nx\n\n    x\n    x\n\nx\n\n> ```\n> x\n> ```\n")
    assert [(type(block).__name__, block.line) for block in doc.blocks] == [
        ("Paragraph", 5), ("CodeBlock", 7), ("Paragraph", 11), ("CodeBlock", 13), ("Paragraph", 16),
        ("Quote", 18)]
    assert doc.blocks[5].blocks[0].line == 18


def test_headings_rules_and_quotes(tmp_path):
    doc = parsed(tmp_path, "# Same #\n\nSame\n====\n\n***\n\n---\n\n>\n> Same\n\n## Same {#s}\n")
    one, two = doc.sections
    assert (one.line, two.line, two.children[0].line) == (5, 7, 17)
    assert [block.line for block in two.blocks] == [10, 12, 14]
    assert two.blocks[2].blocks[0].line == 15  # the quote opens with a blank line


def test_definition_lists(tmp_path):
    doc = parsed(tmp_path, "Term\n:   Same.\n\nTerm\n:   Same.\n:   Same.\n")
    (deflist,) = doc.blocks
    assert deflist.line == 5
    assert [[blocks[0].line for blocks in item.definitions] for item in deflist.items] == [[6], [9, 10]]


# Inlines --------------------------------------------------------------------------

def test_inlines_carry_their_own_line_within_a_paragraph(tmp_path):
    doc = parsed(tmp_path, "Start of the paragraph,\nthen [a link](https://x.org)\nand @sec-x, and a note[^a]\n"
                           "and *[emphasis](#y)*.\n\n[^a]: Note.\n")
    inlines = doc.blocks[0].inlines
    link = next(item for item in inlines if isinstance(item, m.Link))
    ref = next(item for item in inlines if isinstance(item, m.Ref))
    note = next(item for item in inlines if isinstance(item, m.FootnoteRef))
    emphasis = next(item for item in inlines if isinstance(item, m.Emph))
    assert (link.line, ref.line, note.line, emphasis.children[0].line) == (6, 7, 7, 8)


def test_inline_problems_point_at_their_own_line(tmp_path):
    found = problems(tmp_path, FRONT + "One,\ntwo [^nope],\nthree @sec-nowhere,\nfour [x](#nowhere).\n")
    assert lines_of(found, "footnote [^nope]") == [6]
    assert lines_of(found, "cross-reference @sec-nowhere") == [7]
    assert lines_of(found, "link to '#nowhere'") == [8]


def test_an_image_in_text_and_a_footnote_inside_a_note(tmp_path):
    found = problems(tmp_path, FRONT + "Text\nand ![x](x.png) inline.\n")
    assert lines_of(found, "image 'x.png' does not exist") == [6]
    found = problems(tmp_path, FRONT + "A.[^a]\n\n[^a]: First line,\n    see [^b].\n\n[^b]: B.\n")
    assert lines_of(found, "a footnote cannot refer to another footnote") == [8]


def test_character_references_point_at_their_line(tmp_path):
    found = problems(tmp_path, FRONT + "One\ntwo\nthree &#12;\n\nFour &#0; and five &#xD800;.\n")
    assert lines_of(found, "character reference") == [7, 9, 9]  # every one, not the first only


# Generated documents ----------------------------------------------------------------

# Few words, so that lines and whole paragraphs repeat.
WORDS = st.sampled_from(["Same words.", "Same words.", "Other words.", "Same *words*."])
FLAWS = {  # text that makes one problem, and the start of its message
    "link": (" [x](javascript:alert(1))", "link target 'javascript:alert(1)' is not allowed"),
    "note": (" [^nope]", "footnote [^nope] has no definition"),
    "ref": (" @sec-nowhere", "cross-reference @sec-nowhere"),
    "anchor": (" [y](#nowhere)", "link to '#nowhere'"),
}


@dataclass
class Document:
    """Source lines with the problems they should give, by line."""

    lines: list[str] = field(default_factory=list)
    flaws: list[tuple[int, str]] = field(default_factory=list)  # (line, message start)
    portions: list[tuple[int, str]] = field(default_factory=list)  # what portion marking finds
    notes: int = 0

    def add(self, text: str, flaw: str | None = None, portion: str | None = None) -> int:
        line = len(self.lines) + 1
        if flaw:
            text += FLAWS[flaw][0]
            self.flaws.append((line, FLAWS[flaw][1]))
        if portion:
            self.portions.append((line, portion))
        self.lines.append(text)
        return line


flaw = st.none() | st.sampled_from(sorted(FLAWS))


@st.composite
def documents(draw) -> Document:
    doc = Document()
    for kind in draw(st.lists(st.sampled_from(
            ["paragraph", "paragraph", "heading", "list", "ordered", "quote", "note", "table", "code",
             "admonition", "footnote", "spare", "definitions", "rule"]), min_size=1, max_size=10)):
        if kind == "paragraph":
            for index in range(draw(st.integers(1, 3))):
                doc.add(draw(WORDS), draw(flaw), "paragraph" if index == 0 else None)
        elif kind == "heading":
            doc.add("## " + draw(WORDS), draw(flaw), "heading")
        elif kind in ("list", "ordered"):
            for number in range(1, draw(st.integers(1, 3)) + 1):
                mark = f"{number}. " if kind == "ordered" else "- "
                doc.add(mark + draw(WORDS), draw(flaw), "list item")
                if draw(st.booleans()):
                    doc.add(" " * len(mark) + draw(WORDS), draw(flaw))
                if draw(st.booleans()):
                    doc.add("    - " + draw(WORDS), draw(flaw), "list item")
        elif kind == "quote":
            doc.add("> " + draw(WORDS), draw(flaw), "quoted paragraph")
            if draw(st.booleans()):
                doc.add(">")
                doc.add("> " + draw(WORDS), draw(flaw), "quoted paragraph")
        elif kind == "table":
            doc.add("| A | B |", None, "a table needs a caption")
            doc.add("|---|---|")
            for _ in range(draw(st.integers(1, 3))):
                doc.add(f"| {draw(WORDS)} | {draw(WORDS)}{FLAWS[f][0] if (f := draw(flaw)) else ''} |")
                if f:
                    doc.flaws.append((len(doc.lines), FLAWS[f][1]))
        elif kind == "code":  # what looks like a flaw in code is code
            doc.add("```")
            doc.add(draw(WORDS) + FLAWS["link"][0])
            doc.add("```")
        elif kind == "admonition":
            doc.add("!!! note" + draw(st.sampled_from(['', ' "Same words."', ' ""'])), None,
                    "admonition title")
            doc.add("    " + draw(WORDS), draw(flaw), "paragraph")
        elif kind == "footnote":
            doc.notes += 1
            doc.add(draw(WORDS) + f"[^n{doc.notes}]", draw(flaw), "paragraph")
            doc.add("")
            doc.add(f"[^n{doc.notes}]: " + draw(WORDS), draw(flaw), "footnote")
        elif kind == "spare":
            doc.notes += 1
            line = doc.add(f"[^n{doc.notes}]: " + draw(WORDS))  # never read: no more problems
            doc.flaws.append((line, f"footnote [^n{doc.notes}] is never referenced"))
        elif kind == "definitions":
            doc.add(draw(WORDS), None, "definition term")
            doc.add(":   " + draw(WORDS), draw(flaw), "paragraph")
        elif kind == "rule":
            doc.add("***")
        doc.add("")
    return doc


def found_at(found: list[tuple[int | None, str]], starts: set[str]) -> list[tuple[int | None, str]]:
    return sorted((line, start) for line, message in found for start in starts if message.startswith(start))


@settings(max_examples=examples(25, 200), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents())
def test_generated_documents_report_every_problem_at_its_true_line(tmp_path, doc):
    front_lines = FRONT.count("\n")
    found = problems(tmp_path, FRONT + "\n".join(doc.lines))
    expected = sorted((front_lines + line, message) for line, message in doc.flaws)
    assert found_at(found, {message for _, message in expected}) == expected
    assert len(found) == len(expected)


@settings(max_examples=examples(25, 200), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents())
def test_generated_documents_give_every_block_its_true_line(tmp_path, doc):
    # With portion marking on, every paragraph, heading, note title and
    # table without its mark is a problem at the block's own line.
    front_lines = PORTIONS.count("\n")
    found = problems(tmp_path, PORTIONS + "\n".join(doc.lines))
    expected = sorted((front_lines + line, what) for line, what in doc.portions)
    # What lacks a mark (`footnote has no portion mark`, `a table needs a
    # caption to …`), not another problem that starts alike (`footnote
    # [^n2] is never referenced`).
    unmarked = [(line, message) for line, message in found if " has no portion mark" in message
                or message.startswith("a table needs a caption")]
    assert found_at(unmarked, {what for _, what in expected}) == expected


# The markers are invisible to Python-Markdown ------------------------------------

class Unmarked(Extension):
    """Our reader's Python-Markdown, without the markers."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.deregister("prettify")
        md.preprocessors.register(FencedCode(md), "briefing_fenced", 25)
        md.parser.blockprocessors.register(Quote(md.parser), "quote", 20)  # a blank line ends a quote
        # Where we read as pandoc and GitHub do, not as Python-Markdown: each
        # row's outer pipes, a tilde's definition, code in a reference's label.
        parser = md.parser.blockprocessors
        parser.register(reading.Table(md.parser, parser["table"].config), "table", 75)
        parser.register(reading.DefinitionList(md.parser), "deflist", 25)
        for name, kind, priority in reading.LABELLED:
            md.inlinePatterns.register(kind(md.inlinePatterns[name].pattern, md), name, priority)
        rawhtml.register(md)
        md.treeprocessors.register(Capture(md), "briefing_capture", -100)


def unmarked_tree(body: str) -> etree.Element:
    md = markdown.Markdown(extensions=[
        Attributes(), AdmonitionExtension(), Lists(), TableExtension(), PandocTables(), Divs(),
        FootnoteExtension(), DefListExtension(), AbbrExtension(), InlineSyntax(), Unmarked()])
    md.convert(body)
    return resolved(getattr(md, "captured_tree", etree.Element("div")), md)


def resolved(root: etree.Element, md: markdown.Markdown) -> etree.Element:
    """The tree with the stash's text where its placeholders stand (smart
    quotes, entities), which each run may number in its own order."""
    def text(value: str | None) -> str | None:
        return value and HTML_PLACEHOLDER_RE.sub(
            lambda found: str(md.htmlStash.rawHtmlBlocks[int(found[1])])
            if isinstance(md.htmlStash.rawHtmlBlocks[int(found[1])], str) else found[0], value)
    for element in root.iter():
        element.text, element.tail = text(element.text), text(element.tail)
    return root


def dumped(root: etree.Element, like: etree.Element | None = None) -> str:
    for item in root.iterfind(".//div[@class='footnote']/ol/li"):
        drop_backlinks(item)
    for element in root.iter():
        for name, value in list(element.attrib.items()):
            if value is None or name in ("data-line", "data-mark"):  # junk names from attr_list (`{{#id}`); our lines
                del element.attrib[name]
    if like is not None:  # we drop the spaces that end a text where Python-Markdown keeps them (`: `)
        for theirs, ours in zip(root.iter(), like.iter()):
            for side in ("text", "tail"):
                text, our_text = getattr(theirs, side), getattr(ours, side)
                if text and text.rstrip(" ") == (our_text or ""):
                    setattr(theirs, side, our_text)
    return etree.tostring(root, encoding="unicode")


PREFIXES = ["", "", "", "- ", "* ", "1. ", "> ", "> > ", "    ", "        ", "# ", "## ", ":   ", "!!! note ",
            "[^1]: ", "[^1]:", "*[GIUK]: ", "[r]: ", "[r]:", "| ", "```", "~~~", "> - ", "    - ", "Table: ",
            # Lists and tables as pandoc reads them (read/lists.py, read/tables.py).
            "  - ", "a. ", "(1) ", "#. ", "(@) ", "- [ ] ", "+---+---+", "+===+", "--- ---", "-----", ": ",
            # Divs, callouts, alerts and folded notes (read/divs.py).
            "::: {.note} ", ":::", "::: {.callout-tip} ", "> [!NOTE]", "??? note ", "???+ "]
PIECES = ["text", "GIUK", "*", "**", "_", "`", "[", "]", "(", ")", "[^1]", "[r]", "[x][r]", "[a](http://x.org)",
          "[a](<http://x.org>)", "<http://x.org>", "<me@x.org>", "![i](x.png)", "{#id}", "{: .c}", '"', "'", "#",
          "|", "\\", "\\|", "&amp;", "@sec-x", "---", "===", "-", ":", " ", "  ", "!!!", "<", ">", "}", "{",
          "snake_", "_x_", "*y*", "**z**", '"T"', "(T)", "`c|d`", ":--", "|---|", "é",
          # pandoc's inline syntax and raw HTML (read/inlines.py, read/rawhtml.py)
          "~~", "~", "^", "$", "$$", "^[", "]{.sc}", "<b>", "</b>", "<br>", "<!-- c -->", "<div>",
          "</div>", "<sup id=\"s\">", ":smile:", "--", "..."]
source_line = st.builds(lambda prefix, pieces, spaces: prefix + "".join(pieces) + spaces,
                        st.sampled_from(PREFIXES), st.lists(st.sampled_from(PIECES), max_size=6),
                        st.sampled_from(["", "", " ", "  "]))


@settings(max_examples=examples(100, 1000), deadline=None)
@given(st.lists(source_line | st.just(""), min_size=1, max_size=12).map("\n".join))
@example("[r]: ~~#")  # the marker, after a tab, inside the address: the definition was text
@example("[x][r]\n\n[r]: https://a.org/~~# \"T\"")
@example("text$)\ntext$")  # a formula opened before a closer at a line's end
@example("{~~~~}")  # no `~>`: no substitution, with the line's marker or without
@example("- \n:   <b>\n\n        text")  # code where only inlines stand, nothing before it but a marker
@example("**#\ntext*")  # a hash ends no line but a heading's: the marker stood before it
@example("\\<http://x.org>")  # a bare address stops at `>`, with the marker before it or not
@example("^[a](http://x.org){#id}")  # and takes a `}`, with the marker before it or not
def test_markers_change_nothing_python_markdown_builds(body):
    # Where they still do, rarely met: a definition's colon with four spaces
    # and nothing after it; a link's `](` never closed; `[text]` and `[id]`
    # on two lines, a reference link to Python-Markdown (not to pandoc, nor
    # now to us); Python-Markdown's `*a**b*x`, which loses the `x` (or, with
    # us, half a marker), its emphasis that pairs runs of `*` across lines
    # when `_` is about (`_a*b**` then `*c*`, or `*` closed by `_`), and
    # its unmatched run of backticks, which restarts its search a count of
    # characters further on; a quotation mark ending a line (but for closing
    # brackets or a backslash) after anything but a letter or digit, which smart quotes may
    # read as opening without the marker before it, as closing with it; a
    # backslash before the spaces ending a line (an escaped space, to
    # pymdownx's sub- and superscripts); and an HTML tag ending a line that a
    # quote or heading line follows, where the text after them may keep a
    # space at its start.
    assume(not re.search(r"(?m):    +$|\]\([^)]*$|\*\*+[^*\s]+\*(?!\*)|(?:^|[^A-Za-z0-9])[\"'][ #|)\"'}>\\]*$"
                         r"|\\[ ]+$|<[^>\n]*>\n[ ]*[>#]", body))
    assume(not ("*" in body and "_" in body))
    # (Nor a run of backticks closed by a shorter one, which pandoc opens
    # with its last backticks and Python-Markdown with all: read/markdown.py's
    # Backticks; a fence's line holds no other backtick.)
    assume("``" not in re.sub(r"(?m)^[ >]*(```|~~~)[^`\s]*[ ]*$", "", body))
    assume(not re.search(r"\][ ]*\n[ >]*\[", body))
    # Python-Markdown's table border pattern takes an escaped backslash
    # before a row's closing pipe (`\\|`) away with the pipe; the marker
    # between them keeps it, as written.
    assume(not re.search(r"(?m)(?<!\\)(?:\\\\)+\|[ ]*$", body))
    # pymdownx's delimiter processor (emphasis, since read/inlines.py took
    # it for Python-Markdown's, which lost text) pairs a star with a lone
    # backtick beside it (`*`*>`) otherwise when a marker stands before the
    # line; and a quotation mark ending the line before an abbreviation's
    # definition is read as opening or closing by the marker after it.
    assume(not re.search(r"\*`|`\*", body))
    assume(not re.search(r"[\"']\n[ >]*\*\[", body))
    # A line of a lone backslash (a hard break with nothing before it, which
    # vanishes) at the start of a paragraph that an HTML tag opened: the
    # marker of the next line leaves its space, one blank at the start of
    # the tag's text.
    assume(not re.search(r"<[^>\n]*>[\s\S]*\n[ ]*\\\n", body))
    # An inline tag left open across a blank line (`<sup>`, blank, text),
    # then a tag ending a line: the text joined round it keeps two spaces
    # where Python-Markdown has one.
    assume(not re.search(r"<[a-z][^>\n]*>[ ]*\n[ ]*\n[\s\S]*<[^>\n]*>[ ]*\n", body))
    # An inline tag left open at a line's end, then empty task items (`- [ ] `
    # on the next lines) that its text takes in: one space more between
    # them than Python-Markdown leaves.
    assume(not re.search(r"<[a-z][^>\n]*>[ ]*\n(?:[ ]*[-*+][ ]+\[[ xX]\][ ]*(?:\n|$)){2}", body))
    # pandoc's `#)` or `#.` marker with nothing after it on its line: the
    # marker's line reads as a heading where the unmarked line is an item.
    assume(not re.search(r"(?m)^[ ]*#[.)][ ]*$", body))
    # A run of delimiters (`**`, `~~`) right before a closing character that
    # ends the line (a table row's `|`, a bracket, a quote): the marker
    # stands between them, and a run closing on a later line pairs with it
    # otherwise.
    assume(not re.search(r"(?m)[*~_^]{2,}[|)\"'}>\]][ ]*$", body))
    ours, md, _ = markdown_tree(body, 1)
    ours = resolved(ours, md)
    # pandoc's implicit heading references name the heading's line, which only a marker gives.
    assume(not any(a.get("href", "").startswith(m.HEADING_AT_LINE) for a in ours.iter("a")))
    assert dumped(unmarked_tree(body), ours) == dumped(ours)


def test_a_line_of_only_a_backslash_is_a_hard_break(tmp_path):
    # Found by the property test: the marker after the backslash hid the
    # line's end from it, so it was text; it is a break, as pandoc reads it.
    doc = parsed(tmp_path, "Intro.\n\n\\\nAfter the break [x](#nowhere).\n\n- \\\n  In an item.\n")
    first, listing = doc.blocks[1:]
    assert first.line == 7 and isinstance(first.inlines[0], m.LineBreak)
    assert m.plain_text(first.inlines[1:]).startswith("After the break")
    assert [i.line for i in first.inlines if isinstance(i, m.Link)] == [8]
    assert isinstance(listing.items[0].blocks[0].inlines[0], m.LineBreak) and listing.line == 10


def test_a_heading_of_only_a_line_separator_is_read(write):
    # Found by the property test: U+2028 empties the heading's text, and the
    # marker's placement looked one character before the start.
    from pipeline.run.build import load

    doc = load(write("# \u2028\n\nText.\n"))
    assert doc.sections[0].line == 5
