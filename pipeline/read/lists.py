"""Lists as CommonMark and pandoc read them, for Python-Markdown.

Python-Markdown's own list processors (and pymdownx.fancylists, built on
them) nest by four spaces and know only `1.`, `*`, `-`, `+`. Our users'
files nest by the column where an item's text starts (two, three or four
spaces), let a list interrupt a paragraph, and use pandoc's markers. So one
block processor of ours reads a whole list the way CommonMark does: an
item's marker sets its content column, every line indented to that column
(or a lazy continuation of its paragraph) belongs to the item, and the
item's lines, dedented, are parsed as blocks of their own. Where CommonMark
and pandoc differ, pandoc wins (it is the reference reader in the tests):

- ordered markers `1.`, `1)`, `(1)`, letters `a.` `A)` `(a)`, roman numerals
  `iv.` `IV)` `(iv)`, `#.` (numbered by the reader) and example items `(@)`,
  `(@label)` numbered through the whole document (`(@label)` in the text
  says the number); an upper-case letter with a period needs two spaces
  after it (`A.  Item`), so `C. Smith said` stays a sentence;
- a list continues while its items keep its kind: a bullet list takes any of
  `-`, `*`, `+`; an ordered list its style and delimiter, so `1.` then `*`,
  or `1.` then `1)`, starts a new list;
- a task list item starts `[ ]` or `[x]` and some text.

One marker pandoc reads is never a list marker here: an upper-case letter
or numeral in brackets, `(A)` or `(IV)`. At the start of a paragraph that is
how classified text marks its portions, `(U)`, `(C)`, `(S)`, so a portion
mark can never turn into a list item.

The processor marks what it made with `data-` attributes the reader turns
into the model: `data-style`, `data-delimiter` on an `<ol>`, `data-task` on
an `<li>`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
from markdown.blockprocessors import BlockProcessor, HashHeaderProcessor
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import nearing_recursion_limit

# read/markdown.py may end each source line with a marker of two Private
# Use Area characters (its line numbers); they are never text.
LINE_MARK = "\ue000-\uf8ff"
EMPTY = re.compile(rf"[ \t{LINE_MARK}]*$")

ROMAN = re.compile(r"(?=[ivxlcdm])m{0,4}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")
# A list marker, and a task's box after it, for read/markdown.py, which puts
# no line marker right after one. Not `(1)`: `[id]: url` takes a title
# `(1)` on its next line, where the line marker stands inside the brackets.
LIST_MARKER = r"(?:[*+-]|(?:[0-9]{1,9}|\#|@[\w-]*|[a-zA-Z]|[ivxlcdmIVXLCDM]{2,})[.)])(?:[ ]+\[[ xX]\])?"
MARKER = re.compile(
    r"(?P<indent>[ ]{0,3})"
    r"(?:(?P<bullet>[-+*])"
    r"|(?P<open>\()?(?P<value>[0-9]{1,9}|\#|@[\w-]*|[a-zA-Z]|[ivxlcdmIVXLCDM]{2,})(?P<close>[.)]))"
    rf"(?P<space>[ ]+|(?=\t?[{LINE_MARK}]{{2}}[ \t]*$)|$)")
# Where read/markdown.py puts the line marker of an item `(1)` with nothing
# after it but what may close a line (`)`, `|`, `>`): before those, inside
# the brackets even. It goes after them, where `(1) >` still opens a quote.
MARK_IN_ITEM = re.compile(
    rf"^([ ]{{0,3}}\(?[^\s()]{{1,10}})(\t?[{LINE_MARK}]{{2}})(\)[ ]*[#|)\"'}}>]*)(?=[ \t]*$)")
MARK_BEFORE_CLOSERS = re.compile(
    rf"^([ ]{{0,3}}\([^\s)]{{1,10}}\)[ ]+)(\t?[{LINE_MARK}]{{2}})([#|)\"'}}>]+)(?=[ \t]*$)")
TASK = re.compile(rf"\[(?P<box>[ xX])\][ ]+(?=(?:\t?[{LINE_MARK}]{{2}})?[^\s{LINE_MARK}])")
EXAMPLE_REF = re.compile(r"\(@([\w-]+)\)")
# Lines that start a block of their own: never a lazy continuation of an
# item's paragraph (a list marker is tested before).
BLOCK_START = re.compile(r"[ ]{0,3}(?:#{1,6}(?:[ ]|$)|>|```|~~~|:::|!!!|\?\?\?|(?:[-*_][ ]*){3,}$|\x02)")
LINE_MARKS = re.compile(f"\t?[{LINE_MARK}]{{2}}")


def starts_block(line: str) -> bool:
    """Whether a line starts a block of its own (its line marker aside)."""
    return bool(BLOCK_START.match(LINE_MARKS.sub("", line) if "\ue000" <= max(line, default=" ") else line))


DELIMITERS = {".": "period", ")": "paren", "()": "parens"}


@dataclass(frozen=True)
class Marker:
    """A list marker at the start of a line, and where its item's text starts."""
    indent: int
    ordered: bool
    style: str  # for ordered lists: one of model.LIST_STYLES, or "example", or "default" (`#.`)
    delimiter: str  # period, paren or parens; bullets: the character
    number: int  # the value written (0 for `#` and `@`)
    label: str  # an example's label: `(@good)` -> "good"
    content: int  # the column where the item's text starts
    text: str  # the rest of the line, from that column

    @property
    def empty(self) -> bool:
        return bool(EMPTY.match(self.text))

    def continues(self, kind: tuple[bool, str, str]) -> bool:
        """Whether this marker may be an item of a list of that kind."""
        ordered, style, delimiter = kind
        if self.ordered != ordered:
            return False
        if not ordered:
            return True  # pandoc: `-`, `*` and `+` items make one list
        if self.delimiter != delimiter:
            return False
        if style == "example" or self.style == "example":
            return style == self.style
        return self.style in (style, "default") or style == "default" and self.style == "decimal"


def read_marker(line: str, previous: tuple[bool, str, str] | None = None) -> Marker | None:
    """The list marker at the start of `line`, if it has one. A letter that
    is also a roman numeral (`i`, `v`, `c`) is read in the style of the list
    it would continue (`previous`), else as pandoc reads a first item: `i`
    and `I` as roman, other single letters as letters."""
    if ")" in line:
        line = MARK_BEFORE_CLOSERS.sub(r"\1\3\2", MARK_IN_ITEM.sub(r"\1\3\2", line))
    found = MARKER.match(line)
    if found is None:
        return None
    space = found["space"]
    rest = line[found.end():]
    if found["bullet"]:
        ordered, style, delimiter, number = False, "", found["bullet"], 0
        label = ""
    else:
        value = found["value"]
        opened = bool(found["open"])
        if opened and found["close"] != ")":
            return None
        delimiter = "parens" if opened else DELIMITERS[found["close"]]
        ordered, label = True, ""
        style, number = ordered_value(value, previous, delimiter)
        if not style:
            return None
        if style == "example":
            label = value[1:]
        if opened and value.isalpha() and value.isupper():
            return None  # `(U)`, `(C)`, `(S)`, `(IV)`: a portion mark's shape
        # `C. Smith`: pandoc wants two spaces after a capital letter and a
        # period, in a list of capitals (or of capital numerals one letter long).
        listed = previous[1] if previous and previous[0] and previous[2] == delimiter else style
        if delimiter == "period" and len(space) < 2 and rest and (
                listed == "upper-alpha" or listed == "upper-roman" and (len(value) == 1 or value == "#")):
            return None
    width = found.end("space") - len(space)
    indent = len(found["indent"])
    if not space or EMPTY.match(rest):
        content = width + 1  # an empty first line: the text starts on the next
        text = rest.strip(" ")  # its line marker, if it has one
    elif len(space) > 4:
        content = width + 1  # indented code after the marker: one space belongs to it
        text = space[1:] + rest
    else:
        content = width + len(space)
        text = rest
    return Marker(indent=indent, ordered=ordered, style=style, delimiter=delimiter, number=number,
                  label=label, content=content, text=text)


def ordered_value(value: str, previous: tuple[bool, str, str] | None, delimiter: str
                  ) -> tuple[str, int]:
    """The style and number of an ordered marker's value ("" when it is none)."""
    if value.isdigit():
        return "decimal", int(value)
    if value == "#":
        return "default", 0
    if value.startswith("@"):
        return "example", 0
    lower = value.lower()
    case = "upper" if value.isupper() else "lower"
    if not (value.isupper() or value.islower()):
        return "", 0
    wanted = previous[1] if previous and previous[0] and previous[2] == delimiter else None
    is_roman = bool(ROMAN.match(lower))
    if len(value) == 1 and wanted == f"{case}-alpha":
        return wanted, ord(lower) - ord("a") + 1
    if is_roman and (len(value) > 1 or wanted == f"{case}-roman" or lower == "i"):
        return f"{case}-roman", roman_value(lower)
    if len(value) == 1:
        return f"{case}-alpha", ord(lower) - ord("a") + 1
    return "", 0


def roman_value(numeral: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    total = 0
    for char, after in zip(numeral, numeral[1:] + " "):
        value = values[char]
        total += -value if after != " " and values[after] > value else value
    return total


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def kind_of(marker: Marker) -> tuple[bool, str, str]:
    return (marker.ordered, marker.style, marker.delimiter if marker.ordered else "")


@dataclass
class Examples:
    """Example items are numbered through the whole document."""
    count: int = 0
    labels: dict[str, int] = field(default_factory=dict)


class ListProcessor(BlockProcessor):
    """A whole list, with the blocks after this one that belong to it."""

    def __init__(self, parser, examples: Examples) -> None:
        super().__init__(parser)
        self.examples = examples

    def test(self, parent: etree.Element, block: str) -> bool:
        first = block.split("\n", 1)[0]
        return read_marker(first) is not None and not nearing_recursion_limit()

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        lines = blocks.pop(0).split("\n")
        sibling = self.lastChild(parent)
        previous = list_kind(sibling)
        first = read_marker(lines[0], previous)
        if first is None:  # no item of the list before (`#. one` after `IV.  four`)
            first, previous = read_marker(lines[0]), None
        assert first is not None
        if previous is not None and first.continues(previous):
            target = sibling  # the list goes on after a blank line (a loose list)
        else:
            target = None
        items, rest = self.items(lines, blocks, first)
        if rest:
            blocks.insert(0, "\n".join(rest))
        if target is None:
            target = self.new_list(parent, first)
        for marker, content in items:
            li = etree.SubElement(target, "li")
            li.set("data-content", str(marker.content))
            self.item(li, marker, content)
        return None

    def new_list(self, parent: etree.Element, first: Marker) -> etree.Element:
        if not first.ordered:
            return etree.SubElement(parent, "ul")
        style = "decimal" if first.style in ("default", "example") else first.style
        start = 1 if first.style == "default" else first.number  # `#.` counts from 1; `0.` from 0
        if first.style == "example":
            start = self.examples.count + 1
        attrs = {"data-style": style, "data-delimiter": first.delimiter,
                 "data-kind": f"{first.style} {first.delimiter}"}
        if start != 1:
            attrs["start"] = str(start)
        return etree.SubElement(parent, "ol", attrs)

    def items(self, lines: list[str], blocks: list[str], first: Marker
              ) -> tuple[list[tuple[Marker, list[str]]], list[str]]:
        """The list's items (each marker with its content lines, dedented),
        and what is left of the current block after the list ends; the
        blocks that follow, when they belong to the list, are taken from
        `blocks`."""
        kind = kind_of(first)
        items: list[tuple[Marker, list[str]]] = [(first, [first.text])]
        lazy = not first.empty  # the last line was paragraph text a line may continue
        while True:
            for index, line in enumerate(lines[1:], 1):
                marker, content = items[-1]
                if not line.strip():
                    content.append("")
                    lazy = False
                elif indent_of(line) >= marker.content:
                    content.append(line[marker.content:])
                    lazy = not starts_block(line[marker.content:])
                elif (found := read_marker(line, kind)) and found.indent < marker.content \
                        and found.continues(kind):
                    items.append((found, [found.text]))
                    lazy = not found.empty
                elif (other := read_marker(line)) and other.indent < marker.content:
                    if not (other.delimiter == "parens" and lazy and content and content[-1]):
                        return self.finish(items), lines[index:]  # a list of another kind
                    # `(1)` at the margin in an item's running text goes on its
                    # paragraph, as GitHub reads it (F Prime), its bracket
                    # escaped: in the item, it would open a sub-list.
                    content.append(f"{line[:other.indent]}\\{line[other.indent:]}")
                elif lazy and not starts_block(line) and content and content[-1]:
                    content.append(line)  # a lazy continuation line
                else:
                    return self.finish(items), lines[index:]
            # The next block belongs to the list when it is indented to the
            # last item's text, or starts an item of this list.
            if not blocks:
                break
            following = blocks[0].split("\n")
            start = next((line for line in following if line.strip()), "")
            marker = items[-1][0]
            if not start:
                break
            found = read_marker(start, kind)
            if not (indent_of(start) >= marker.content
                    or (found and found.indent < marker.content and found.continues(kind))):
                break
            blocks.pop(0)
            items[-1][1].append("")
            lines = ["", *following]  # line 0 is skipped: it stands for the blank line
            lazy = False
        return self.finish(items), []

    @staticmethod
    def finish(items: list[tuple[Marker, list[str]]]) -> list[tuple[Marker, list[str]]]:
        for _, content in items:
            while content and not content[-1].strip():
                content.pop()
        return items

    def item(self, li: etree.Element, marker: Marker, content: list[str]) -> None:
        if marker.style == "example":
            self.examples.count += 1
            if marker.label:
                self.examples.labels.setdefault(marker.label, self.examples.count)
        if content and (task := TASK.match(content[0])):
            li.set("data-task", "todo" if task["box"] == " " else "done")
            content[0] = content[0][task.end():]
        self.parser.parseChunk(li, "\n".join(content))


def list_kind(element: etree.Element | None) -> tuple[bool, str, str] | None:
    """The kind of a list this processor made, to continue it."""
    if element is None or element.tag not in ("ul", "ol") or not len(element) \
            or element[-1].get("data-content") is None:
        return None
    if element.tag == "ul":
        return (False, "", "")
    style, delimiter = element.get("data-kind", "decimal period").split()
    return (True, style, delimiter)


class NumberedByReader(ListProcessor):
    """A list of `#.` items, taken before Python-Markdown reads `#.` as a heading."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return block.lstrip(" ").startswith(("#.", "#)")) and super().test(parent, block)


HEADING_START = "(?:^|\\n)(?P<level>#{1,6})"


class Heading(HashHeaderProcessor):
    """Python-Markdown's `#` headings, less `#. item` and `#) item` lines,
    which are list items numbered by the reader (pandoc wants a space after
    a heading's hashes, and so does CommonMark: `#5` is text); as in
    CommonMark, the hashes may stand up to three spaces in
    (` #### Prerequisites`), four make a code block."""

    if HashHeaderProcessor.RE.pattern.count(HEADING_START) != 1:
        raise RuntimeError(f"Python-Markdown {markdown.__version__} changed its heading pattern")
    RE = re.compile(HashHeaderProcessor.RE.pattern.replace(
        HEADING_START, "(?:^|\\n)[ ]{0,3}(?P<level>#{1,6})"
        + rf"(?=[ \t{LINE_MARK}]|\n|$)(?!(?:\t?[{LINE_MARK}]{{2}})?[.)](?:[ ]|\t?[{LINE_MARK}]|$))"))

    def heading(self, block: str) -> re.Match[str] | None:
        """The first line of `block` that is a heading. An indented one
        after a list item's line may be that item's own (`- a` then
        `  # b`): the list processor decides, as CommonMark does, by the
        item's content column."""
        if "#" not in block:  # most blocks: no need to look further
            return None
        for found in self.RE.finditer(block):
            indented = block[found.start():found.start("level")].strip("\n") != ""
            if indented and any(read_marker(line) for line in block[:found.start()].split("\n")):
                continue
            return found
        return None

    def test(self, parent: etree.Element, block: str) -> bool:
        return self.heading(block) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        found = self.heading(block)
        assert found is not None
        if before := block[:found.start()]:
            self.parser.parseBlocks(parent, [before])
        heading = etree.SubElement(parent, f"h{len(found['level'])}")
        heading.text = found["header"].strip()
        if after := block[found.end():]:
            if self.parser.state.isstate("looselist"):  # as Python-Markdown's own (its #1443)
                after = self.looseDetab(after)
            blocks.insert(0, after)


class ListContinuation(BlockProcessor):
    """A block indented to the text of the last item of the list before it
    belongs to that item. The list processor takes such blocks itself; this
    one sees those that reach a list in pieces, as a note's or a footnote's
    content does, one block at a time."""

    def test(self, parent: etree.Element, block: str) -> bool:
        item = self.last_item(parent)
        return item is not None and indent_of(block.lstrip("\n")) >= int(item.get("data-content", "0")) > 0

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        item = self.last_item(parent)
        assert item is not None
        column = int(item.get("data-content", "0"))
        lines = blocks.pop(0).lstrip("\n").split("\n")
        kept = []
        for index, line in enumerate(lines):
            if index and line.strip() and indent_of(line) < column:
                if read_marker(line) or starts_block(line):
                    blocks.insert(0, "\n".join(lines[index:]))  # no longer the item's
                    break
                kept.append(line.lstrip(" "))  # a lazy continuation line
            else:
                kept.append(line[column:])
        self.parser.parseChunk(item, "\n".join(kept))

    def last_item(self, parent: etree.Element) -> etree.Element | None:
        sibling = self.lastChild(parent)
        if sibling is None or sibling.tag not in ("ul", "ol") or not len(sibling):
            return None
        item = sibling[-1]
        return item if item.get("data-content") is not None else None


class Interruption(BlockProcessor):
    """A list may interrupt a paragraph (CommonMark, GitHub): a bullet with
    text, or an ordered item numbered `1.` or `1)`, on a line of a would-be paragraph
    starts a list there; in a list item any marker does (pandoc: a sub-list
    needs no blank line before it). Registered just above the paragraph
    processor, so only blocks no other processor took reach it."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return self.split_at(block, parent.tag == "li") is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        lines = block.split("\n")
        index = self.split_at(block, parent.tag == "li")
        assert index is not None
        # The paragraph, then the list: the paragraph has no marker left
        # that could interrupt it, so this processor passes it on.
        blocks[:0] = ["\n".join(lines[:index]), "\n".join(lines[index:])]

    @staticmethod
    def split_at(block: str, in_item: bool) -> int | None:
        lines = block.split("\n")
        for index, line in enumerate(lines[1:], 1):
            marker = read_marker(line)
            if marker is None or marker.empty:
                continue
            # CommonMark's `1.` and `1)`: not pandoc's `(1)`, which in running
            # text is a reference or an aside (F Prime: "fields that\n(1) store").
            # In an item any marker does: a memo's sub-paragraphs `(1)` under `b.`.
            if in_item or not marker.ordered or (marker.style == "decimal" and marker.number == 1
                                                 and marker.delimiter != "parens"):
                return index
        return None


class ExampleReferences(Treeprocessor):
    """`(@label)` in the text says the number of the example it labels,
    as pandoc writes it: `(2)`."""

    def __init__(self, md: markdown.Markdown, examples: Examples) -> None:
        super().__init__(md)
        self.examples = examples

    def run(self, root: etree.Element) -> None:
        if not self.examples.labels:
            return
        labels = self.examples.labels

        def number(found: re.Match[str]) -> str:
            return f"({labels[found[1]]})" if found[1] in labels else found[0]

        for element in root.iter():
            if element.tag in ("code", "pre"):
                continue
            if element.text and "(@" in element.text:
                element.text = type(element.text)(EXAMPLE_REF.sub(number, element.text))
            if element.tail and "(@" in element.tail:
                element.tail = type(element.tail)(EXAMPLE_REF.sub(number, element.tail))


class Lists(Extension):
    """Registers the list processors in place of Python-Markdown's."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        examples = Examples()
        parser = md.parser.blockprocessors
        for name in ("olist", "ulist"):
            parser.deregister(name, strict=False)
        parser.register(ListProcessor(md.parser, examples), "briefing_list", 40)
        parser.register(NumberedByReader(md.parser, examples), "briefing_list_numbered", 71)
        parser.register(Heading(md.parser), "hashheader", 70)
        parser.register(ListContinuation(md.parser), "indent", 90)
        parser.register(Interruption(md.parser), "briefing_list_interruption", 11)
        md.treeprocessors.register(ExampleReferences(md, examples), "briefing_example_refs", 19)
