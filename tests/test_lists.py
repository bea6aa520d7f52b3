"""Lists as pandoc reads them (pandoc is the reference reader: issue 15).

Each source is read by pandoc (pypandoc) and by us; the two readings, as
nested lists with each item's text, kind, start, numbering style and task
box, must be the same. Where CommonMark lets a list interrupt a paragraph
(GitHub's files rely on it), pandoc's commonmark reader is the reference.
"""

from __future__ import annotations

import json

import pytest

from pipeline import model as m
from pipeline.read.frontmatter import read_meta
from pipeline.read.markdown import parse
from pipeline.read.source import read_source
from pipeline.run.build import load
from readers import pdf_text

STYLES = {"Decimal": "decimal", "DefaultStyle": "decimal", "Example": "decimal",
          "LowerAlpha": "lower-alpha", "UpperAlpha": "upper-alpha",
          "LowerRoman": "lower-roman", "UpperRoman": "upper-roman"}
DELIMITERS = {"DefaultDelim": "period", "Period": "period", "OneParen": "paren", "TwoParens": "parens"}


def pandoc_reading(text: str, reader: str = "markdown") -> list:
    import pypandoc
    ast = json.loads(pypandoc.convert_text(text, "json", format=reader))
    return [summary for block in ast["blocks"] if (summary := pandoc_block(block)) is not None]


def pandoc_inlines(inlines: list) -> str:
    parts = []
    for node in inlines:
        match node["t"]:
            case "Str":
                parts.append(node["c"])
            case "Space" | "SoftBreak":
                parts.append(" ")
            case "Emph" | "Strong":
                parts.append(pandoc_inlines(node["c"]))
            case "Code":
                parts.append(node["c"][1])
    return "".join(parts)


def pandoc_block(block: dict):
    match block["t"]:
        case "Para" | "Plain":
            return ("p", pandoc_inlines(block["c"]))
        case "BulletList":
            return ("ul", 1, None, [pandoc_item(item) for item in block["c"]])
        case "OrderedList":
            (start, style, delimiter), items = block["c"]
            numbering = (STYLES[style["t"]], DELIMITERS[delimiter["t"]])
            if style["t"] == "Example":
                numbering = ("decimal", "parens" if delimiter["t"] == "TwoParens" else "period")
            return ("ol", start, numbering, [pandoc_item(item) for item in items])
        case "CodeBlock":
            return ("code", block["c"][1])
        case _:
            return (block["t"],)


def pandoc_item(blocks: list) -> tuple:
    """An item's blocks, and its task box: pandoc writes ☐ or ☒ before the text."""
    read = [pandoc_block(b) for b in blocks]
    task = None
    if read and read[0][0] == "p" and read[0][1][:2] in ("☐ ", "☒ "):
        task = read[0][1].startswith("☒")
        read[0] = ("p", read[0][1][2:])
    return task, read


def our_reading(write, text: str) -> list:
    source = read_source(write(text))
    meta, line = read_meta(source)
    return [our_block(block) for block in parse(source, meta, line).blocks]


def our_block(block: m.Block):
    match block:
        case m.Paragraph(inlines=inlines):
            return ("p", m.plain_text(inlines))
        case m.ListBlock(ordered=False, items=items):
            return ("ul", 1, None, [our_item(item) for item in items])
        case m.ListBlock(start=start, style=style, delimiter=delimiter, items=items):
            return ("ol", start, (style, delimiter), [our_item(item) for item in items])
        case m.CodeBlock(text=text):
            return ("code", text)
        case _:
            return (type(block).__name__,)


def our_item(item: m.ListItem) -> tuple:
    return item.task, [our_block(block) for block in item.blocks]


# Sources that pandoc's own reader (pandoc's Markdown) reads as we must.
AS_PANDOC = {
    # F Prime's data products guide: the paragraph was split, "(1) store…" a list.
    "a (1) in running text does not interrupt": "Member fields that\n(1) store headers and (2) store data.\n",
    "nesting by two spaces": "- a\n  - b\n    - c\n- d\n",
    "nesting by three spaces under a number": "1. a\n   - b\n   - c\n2. d\n   1. e\n",
    "nesting by four spaces": "- a\n    - b\n        - c\n",
    "a sibling by one space": "- a\n - b\n",
    "too little indent is no nesting": "1. a\n  - b\n",
    "a loose item with two paragraphs": "- a\n\n  second\n\n- b\n",
    "code in an item": "- a\n\n      code\n",
    "a paragraph indented four in an item": "- a\n- b\n\n    more b\n",
    "a lazy continuation line": "- a\nlazy\n- b\n",
    "a fence closed further in than it opens": "1. a\n   ```\n    code\n    ```\n2. b\n3. c\n",
    "a fenced block in an item": "1. a\n\n   ```\n   code\n   ```\n2. b\n",
    "a new kind of marker starts a new list": "1. one\n2. two\n\n* three\n* four\n",
    "a new delimiter starts a new list": "1. one\n1) two\n",
    "bullet characters make one list": "- a\n+ b\n* c\n",
    "a list starting at four": "4. four\n5. five\n",
    "lower-case letters": "a. one\nb. two\nc. three\n",
    "letters going past i": "h. eight\ni. nine\nj. ten\n",
    "upper-case letters with a parenthesis": "A) one\nB) two\n",
    "upper-case letters with two spaces": "A.  one\nB.  two\n",
    "an initial is no list": "C. Smith said so.\n",
    "roman numerals": "i. one\nii. two\niii. three\n",
    "upper-case roman numerals": "IV. four\nV. five\n",
    "a single capital roman needs two spaces": "I. Scope\nII. Method\n",
    "numbers in brackets": "(1) one\n(2) two\n",
    "lower-case letters in brackets": "(a) one\n(b) two\n",
    "numbered by the reader": "#. one\n#. two\n",
    "numbered by the reader in a list of numbers": "1. one\n#. two\n\n#. three\n",
    "numbered by the reader after capitals": "IV.  four\n#. one\n\na. one\n#. two\n",
    "example items numbered through the document":
        "(@) one\n(@two) two\n\nText between.\n\n(@) three\n\nAs (@two) shows.\n",
    "task items": "- [ ] to do\n- [x] done\n- [X] done too\n- not a task\n",
    "a box with no text is no task": "- [ ]\n- [x]not\n",
    "nested tasks": "- [ ] a\n    - [x] b\n",
    "a sub-list of any kind needs no blank line": "a. one\nb. two:\n   i. x;\n   ii. y.\n\n- p\n  a. q\n- r\n  2. s\n",
    "the corpus's agenda": ("a. Opening remarks.\nb. Minutes.\nc. Reports:\n\n    i. logistics;\n"
                            "    ii. communications.\n\nd. Any other business.\n"),
}

# Sources where GitHub and CommonMark (pandoc's commonmark reader) are the
# reference: pandoc's Markdown wants a blank line before a list.
AS_COMMONMARK = {
    "a list interrupts a paragraph": "Some text:\n- a\n- b\n",
    "an ordered list from 1 interrupts a paragraph": "Steps:\n1. a\n2. b\n",
    "a list after a comment line": "- a\n\n<!-- note -->\n- b\n",
    "another number does not interrupt": "The year\n2026. was long.\n",
    # F Prime's data products guide: the list was cut in two, its last item renumbered 1.
    "a (1) at the margin goes on an item's text": "1. The arguments provide\n(1) a reference;\n"
                                                  "and (2) a value.\n2. Next.\n\n- x\n(1) y\n",
}


@pytest.mark.parametrize("text", AS_PANDOC.values(), ids=AS_PANDOC.keys())
def test_lists_read_as_pandoc_reads_them(write, text):
    assert our_reading(write, text) == pandoc_reading(text)


@pytest.mark.parametrize("text", AS_COMMONMARK.values(), ids=AS_COMMONMARK.keys())
def test_lists_interrupt_a_paragraph_as_commonmark_reads_them(write, text):
    ours = our_reading(write, text)
    reference = pandoc_reading(text, "commonmark")
    # pandoc's commonmark reader keeps a comment as raw HTML; ours is a paragraph.
    assert [b for b in ours if b != ("p", "<!-- note -->")] == [b for b in reference if b != ("RawBlock",)]


@pytest.mark.parametrize("mark", ["(U)", "(C)", "(S)", "(TS)", "(S//NF)", "(O)", "(NU)", "(CUI)"])
def test_a_portion_mark_is_never_a_list_marker(write, mark):
    # pandoc reads `(C)` and `(U)` as upper-case letters of a fancy list; a
    # portion mark must stay the mark of a paragraph.
    text = f"{mark} The first portion.\n\n{mark} The second portion.\n{mark} Its next line.\n"
    assert our_reading(write, text) == [("p", f"{mark} The first portion."),
                                        ("p", f"{mark} The second portion. {mark} Its next line.")]
    if mark in ("(U)", "(C)"):
        assert pandoc_reading(text)[0][0] == "ol"  # what we do not follow


def test_portion_marked_items_keep_their_marks(write):
    doc = our_reading(write, "- (U) one\n- (S//NF) two\n\na. (C) three\n")
    assert doc == [("ul", 1, None, [(None, [("p", "(U) one")]), (None, [("p", "(S//NF) two")])]),
                   ("ol", 1, ("lower-alpha", "period"), [(None, [("p", "(C) three")])])]


def test_items_keep_their_lines(write):
    source = read_source(write("Intro text\n- alpha\n\n  more\n- bravo\n  - charlie\n"))
    meta, line = read_meta(source)
    doc = parse(source, meta, line)
    listed = doc.blocks[1]
    assert isinstance(listed, m.ListBlock)
    assert [item.line for item in listed.items] == [6, 9]
    nested = listed.items[1].blocks[1]
    assert isinstance(nested, m.ListBlock) and nested.items[0].line == 10


def test_a_list_in_a_note_continues_across_blank_lines(write):
    text = "!!! note\n    - a\n\n    - b\n\n        more b\n\n    after\n"
    [note] = our_reading(write, text)
    source = read_source(write(text))
    meta, line = read_meta(source)
    [admonition] = parse(source, meta, line).blocks
    assert isinstance(admonition, m.Admonition)
    assert [our_block(b) for b in admonition.blocks] == [
        ("ul", 1, None, [(None, [("p", "a")]), (None, [("p", "b"), ("p", "more b")])]),
        ("p", "after")]


# Loose and tight lists, where pandoc's Markdown and CommonMark (gfm) agree.
LOOSENESS = {
    "items apart": "- one\n\n- two\n\nText.\n",
    "items together": "- one\n- two\n\n\nText.\n",
    "an item of two paragraphs": "- alpha\n- beta\n\n    second paragraph of beta\n",
    "a blank line in a sub-list only": "- a\n  - x\n\n  - y\n- b\n",
    "a blank line before a sub-list": "- a\n\n  - x\n- b\n",
    "an ordered list apart": "1. one\n\n2. two\n3. three\n",
    "in a quote": "> - one\n>\n> - two\n",
    "code with a blank line inside": "- a\n\n      code\n\n      more\n",
}


def looseness(blocks) -> list[bool]:
    found = []

    def visit(block):
        if isinstance(block, m.ListBlock):
            found.append(block.loose)
            for item in block.items:
                for inner in item.blocks:
                    visit(inner)
        elif isinstance(block, m.Quote):
            for inner in block.blocks:
                visit(inner)
    for block in blocks:
        visit(block)
    return found


@pytest.mark.parametrize("text", LOOSENESS.values(), ids=LOOSENESS.keys())
def test_loose_lists_as_pandoc_reads_them(write, text):
    """A blank line between items, or between an item's blocks, makes its
    list loose: each item's text a paragraph (pandoc's Para), in both of
    pandoc's readers; the same lists as the corpus holds (corpus_compare)."""
    import pypandoc

    from readers import pandoc_blocks

    source = read_source(write(text))
    meta, line = read_meta(source)
    ours = looseness(parse(source, meta, line).blocks)
    for reader in ("markdown", "gfm"):
        ast = json.loads(pypandoc.convert_text(text, "json", format=reader))
        theirs = [any(item and item[0]["t"] == "Para" for item in (lst["c"] if lst["t"] == "BulletList"
                                                                   else lst["c"][1]))
                  for lst in pandoc_blocks(ast, ("BulletList", "OrderedList"))]
        assert ours == theirs, reader
    assert True in ours or text in (LOOSENESS["items together"], LOOSENESS["a blank line in a sub-list only"])


def test_a_loose_list_is_spaced_as_paragraphs_in_every_format_and_comes_back_loose(write, tmp_path):
    """HTML: a loose list's items hold <p>, a tight one's text is bare. DOCX
    (python-docx): a loose item's paragraphs have Body Text's 6.5 pt after,
    a tight one's its style's. Imported without the hints (LibreOffice
    keeps no document variables), the loose list is written loose again."""
    import re
    import zipfile

    import docx
    import lxml.html

    from conftest import run_cli

    source = write("- one\n\n- two\n\n    two, again\n\nBetween.\n\n1. first\n2. second\n\nAnd.\n\n"
                   "1. x\n\n2. y\n")
    result = run_cli("build", source, "--to", "html,docx", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = lxml.html.parse(str(tmp_path / "out" / "brief.html")).getroot()
    ul, ol, apart = page.find(".//main//ul"), *page.findall(".//main//ol")
    assert [[c.tag for c in li] for li in ul.findall("li")] == [["p"], ["p", "p"]]
    assert [len(li) for li in ol.findall("li")] == [0, 0]
    assert [[c.tag for c in li] for li in apart.findall("li")] == [["p"], ["p"]]
    paragraphs = {p.text: p for p in docx.Document(str(tmp_path / "out" / "brief.docx")).paragraphs}
    assert {paragraphs[t].paragraph_format.space_after.pt for t in ("one", "two", "two, again")} == {6.5}
    assert paragraphs["first"].paragraph_format.space_after is None  # its style's
    # As LibreOffice saves it: no document variables.
    stripped = tmp_path / "stripped.docx"
    with zipfile.ZipFile(tmp_path / "out" / "brief.docx") as original, \
            zipfile.ZipFile(stripped, "w") as copy:
        for entry in original.infolist():
            data = original.read(entry)
            if entry.filename == "word/settings.xml":
                data = re.sub(rb"<w:docVars>.*?</w:docVars>", b"", data, flags=re.S)
            copy.writestr(entry, data)
    imported = tmp_path / "imported.md"
    result = run_cli("import", stripped, "-o", imported, "--force")
    assert result.returncode == 0, result.stderr
    text = imported.read_text()
    assert "- one\n\n- two" in text and "1. first\n2. second" in text and "1. x\n\n2. y" in text


def test_a_list_may_start_at_zero(write, tmp_path):
    """openjournals' inara example numbers the laws of thermodynamics from
    `0.`: the list started at 1 in every format. It starts where pandoc
    starts it; `#.` still counts from 1."""
    import pypandoc

    from conftest import run_cli
    text = "0. Zeroth law.\n1. First law.\n\nThen:\n\n#. one\n#. two\n"
    path = write(text)
    doc = load(path)
    assert [b.start for b in doc.blocks if isinstance(b, m.ListBlock)] == [0, 1]
    assert '<ol start="0"' in pypandoc.convert_text(text, "html", format="markdown")
    assert run_cli("build", path, "--out", tmp_path, "--to", "pdf,html").returncode == 0
    assert '<ol start="0">' in (tmp_path / "brief.html").read_text(encoding="utf-8")
    assert "0. Zeroth law." in pdf_text(tmp_path / "brief.pdf")


TASKS_WITH_BLOCKS = """---
title: Tasks
classification: UNCLASSIFIED
---

- [ ] Update your profile:
    - [ ] Profile photo
- [x] Tight done item

1. [ ] Ordered task with a sub-list:
   - plain sub

- [ ] **Cost Savings**

  By making the project freely available, costs fall.

- [ ] Second loose
"""


def test_a_task_box_stands_on_its_items_first_line_in_the_pdf(tmp_path):
    """va.gov's onboarding checklist and the KEP template: a task whose text
    leads a sub-list, or a loose one, had its ☐ on a line of its own above
    the text (pdftotext's boxes of the box and the item's first word)."""
    import re
    import subprocess

    from conftest import run_cli

    source = tmp_path / "tasks.md"
    source.write_text(TASKS_WITH_BLOCKS, encoding="utf-8")
    assert run_cli("build", source, "--to", "pdf", "--out", tmp_path).returncode == 0
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)</word>',
                       subprocess.run(["pdftotext", "-bbox", tmp_path / "tasks.pdf", "-"], capture_output=True,
                                      text=True, check=True).stdout)
    boxes = [(float(top), float(bottom)) for _, top, bottom, word in words if word in "☐☑"]
    firsts = [(float(top), float(bottom)) for _, top, bottom, word in words
              if word in ("Update", "Profile", "Tight", "Ordered", "Cost", "Second")]
    assert len(boxes) == len(firsts) == 6
    for (box_top, box_bottom), (top, bottom) in zip(boxes, firsts):
        assert top < (box_top + box_bottom) / 2 < bottom  # the box's middle within the word's line
