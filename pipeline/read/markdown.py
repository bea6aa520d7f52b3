"""Markdown body -> model.Document, through Python-Markdown's element tree.

The only module that knows Python-Markdown. We let it tokenise (block parser,
inline patterns), capture the finished ElementTree with a Treeprocessor that
runs after all of its own, and turn that tree into model nodes. We never let
it serialize HTML, and raw HTML in the source stays text: its `html_block`
preprocessor and `html` inline pattern are removed.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import markdown
from markdown.blockparser import BlockParser
from markdown.extensions import Extension
from markdown.blockprocessors import (BlockProcessor, BlockQuoteProcessor, HRProcessor,
                                     ReferenceProcessor, SetextHeaderProcessor)
from markdown.extensions.abbr import AbbrBlockprocessor, AbbrExtension
from markdown.extensions.admonition import AdmonitionExtension, AdmonitionProcessor
from markdown.extensions.def_list import DefListExtension, DefListProcessor
from markdown.extensions.footnotes import NBSP_PLACEHOLDER, FootnoteExtension
from markdown.extensions.tables import TableExtension, TableProcessor
from markdown.inlinepatterns import (BACKTICK_RE, LINE_BREAK_RE, BacktickInlineProcessor,
                                     ImageReferenceInlineProcessor, ReferenceInlineProcessor,
                                     ShortImageReferenceInlineProcessor, ShortReferenceInlineProcessor,
                                     SubstituteTagInlineProcessor)
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE, HTML_PLACEHOLDER_RE

from pipeline import compiled
from pipeline import model as m
from pipeline.problems import BriefingError, Problem, excerpt
from pipeline.read import citations
from pipeline.read.attributes import Attributes
from pipeline.read import critic
from pipeline.read import escaped_notes
from pipeline.read import inline_skips
from pipeline.read import figure_shortcodes, katex
from pipeline.read import inlines as syntax
from pipeline.read.critic import CriticMarkup
from pipeline.read import placeholders, rawhtml
from pipeline.read.abstract import read_abstract
from pipeline.read.bibliography import load_sources
from pipeline.read.cells import cell_label
from pipeline.read.divs import Divs, admonition_kind, fence_depth
from pipeline.read.enclosures import read_enclosures
from pipeline.read.images import ImageProblem, check_image, is_remote, remote_images
from pipeline.read.links import TEMPLATE as LINK_TEMPLATE, WORDS_CODE as LINK_WORDS, check_link, decoded
from pipeline.read.liquid import LiquidTags
from pipeline.read.lists import LIST_MARKER, Lists, read_marker
from pipeline.read.tables import PandocTables
from pipeline.read.tabs import Tabs
from pipeline.read.texenv import TexEnvironments
from pipeline.read.titles import read_title
from pipeline.read.sizes import display_size
from pipeline.read.source import XML_INVALID, Source
from pipeline.read.tex import MathProblem, to_mathml

MAX_DEPTH = 20  # lists and quotes; Python-Markdown recurses per level
MAX_INLINE_DEPTH = 20  # emphasis, links, spans inside each other; every backend recurses per level
MAX_TABLE_ROWS = 2000  # a 2,000-row table takes about 20 s to typeset; 10,000 over 2 min
MAX_BRACKETS = 1000  # `[` in one paragraph; past that, link matching grows slow
# Quarto's @sec-id, and pandoc-crossref's @sec:id; @Fig-id capitalized.
REF_KEY = r"(?:[Ss]ec|[Tt]bl|[Ff]ig|[Ee]q)[-:][\w:.-]*\w"
CROSS_REF = re.compile(rf"(?<![\w@.])@({REF_KEY})")
# Cross-references in brackets, as a citation (`[@fig:a]`, `[@fig:a; @fig:b]`):
# the brackets are the syntax's, the words the references'.
BRACKETED_REFS = re.compile(rf"\[[ ]*@{REF_KEY}(?:[ ]*;[ ]*@{REF_KEY})*[ ]*\]")
# Quarto's own prefix for one (`[Fig. @fig-x]`), or none (`[-@fig-x]`): the number alone.
PREFIXED_REF = re.compile(rf"\[(?:(?P<none>-)|(?P<prefix>[^\[\]@\n]*[^\s\[\]@-])[ ]+)@(?P<key>{REF_KEY})\]")
UNDEFINED_NOTE = re.compile(r"\[\^([^\]\s]+)\]")  # left as text when no definition
SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")
ATTRIBUTION = re.compile(r"^(?:—|―|--|–)\s*")  # a quote's last line `— Source` (`--` made `–`)
CAPTION = re.compile(r"^(?:Table)?:\s+")  # pandoc's `Table: text` or `: text`
CAPTION_ID = re.compile(r"\s*\{#([A-Za-z][\w:.-]*)\}\s*$")
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
BLOCK_TAGS = {"p", "ul", "ol", "blockquote", "pre", "hr", "div", "table", "dl", "details", *HEADING_TAGS}
NUMERIC_REFERENCE = re.compile(r"&#[xX]([0-9a-fA-F]+);|&#([0-9]+);")


# Python-Markdown plumbing ---------------------------------------------------

# Python-Markdown keeps no positions, so we carry them through it: a
# preprocessor ends every source line with a marker that encodes the line's
# number, the markers travel with the text into the element tree, and
# `take_positions` reads them off before the reader sees any text. A marker
# is two characters of the Private Use Area, which `read_source` refuses in a
# source, so author text cannot forge one. The tab in front of some markers
# is ours too: Python-Markdown expands every tab of the source before we run.
MARK_FIRST, MARK_BASE = 0xE000, 0x1900  # U+E000 to U+F8FF, 6,400 characters
MARKER_CHARS = re.compile("[\ue000-\uf8ff]")
MARK = "\t?[\ue000-\uf8ff]{2}"
MARKS = re.compile(MARK)
# A closing fence may stand up to three spaces further in than its opening
# (CommonMark; GitHub's files do it in list items), or, after an opening up
# to three spaces in (`spaces`), also anywhere from the margin to three
# spaces in (CommonMark: microsoft/api-guidelines opens ` ```json` and
# closes at the margin). A backtick fence's line holds no other backtick
# (CommonMark): ```` ```x = 1``` ```` is code in a line. A closing fence
# is as long as its opening or longer (hmrc's ```` ```scala ```` closed by
# four backticks ran on over the headings after it).
FENCE = re.compile(r"^(?:(?P<spaces>[ ]{1,3})|(?P<indent>[ \t>]*))(?P<fence>`{3,}(?![^\n]*`)|~{3,})[ \t]*"
                   r"(?P<info>\{?\.?(?P<lang>[\w#+.\t\ue000-\uf8ff-]*)[^\n]*)\n"
                   rf"(?P<code>.*?)(?<=\n)(?(spaces)(?:(?P=spaces)[ ]{{0,3}}|[ ]{{0,3}})|(?P=indent)[ ]{{0,3}})(?P=fence)(?:(?<=`)`*|(?<=~)~*)[ \t]*(?:{MARK})?[ \t]*$",
                   re.MULTILINE | re.DOTALL)


def fence_indent(match: re.Match) -> str:
    """What stands before a FENCE's opening: spaces, a quote's `>`, a list item's indent."""
    return match["spaces"] or match["indent"] or ""


def marker(line: int) -> str:
    high, low = divmod(line, MARK_BASE)
    return chr(MARK_FIRST + high) + chr(MARK_FIRST + low)


def marked_line(mark: str) -> int:
    return (ord(mark[-2]) - MARK_FIRST) * MARK_BASE + ord(mark[-1]) - MARK_FIRST


def unmarked(text: str) -> str:
    return MARKS.sub("", text) if MARKER_CHARS.search(text) else text


# The syntax that opens a line, where a marker never goes: quotes, indents,
# list markers (pandoc's too: read/lists.py), a definition's colon or tilde, a note's
# label and a heading's hashes, each with the spaces Python-Markdown drops after it.
PREFIX = re.compile(rf"(?:[ >]|(?:{LIST_MARKER})[ ]+|[:~][ ]+|\[\^[^\]]*\]:[ ]*)*(?P<heading>#{{1,6}}[ ]*)?")
# What Python-Markdown reads at a line's end: a heading's closing `#`, a
# table's last `|`, a title's closing quote, `)`, `{#id}`, `<url>`.
CLOSERS = frozenset("#|)\"'}>")
# `*text*` at a line's end closes because a space (the newline) follows it; a
# marker there would make it a run that may also open. A tab keeps it closing.
DELIMITERS = frozenset("*_~^$")  # and pymdownx's ~ and ^, our $
# `{}` is text; with a marker inside, it would be an attribute list.
EMPTY_BRACES = re.compile(r"\{:?[ ]*\}$")


def mark_line(line: str, number: int) -> str:
    """`line` with the marker of its `number`, where Python-Markdown reads
    nothing: before the line's closing characters, inside what they close."""
    if not line.strip():
        return line  # blank lines stay blank: Python-Markdown splits blocks on them
    mark = marker(number)
    prefix = PREFIX.match(line)
    assert prefix  # it matches the empty string
    start = prefix.end()
    body = line.rstrip()
    end = len(body)
    if end <= start:
        return line + mark  # an empty item, a quote's blank line: see EmptyFirstLine, Quote
    # After a prefix the marker may stand where the content starts (`- <m>|`);
    # without one, never at the line's start.
    floor = start or 1
    stripped = "#|" if prefix["heading"] else "|"  # what Python-Markdown strips with the spaces before it
    # `!!! note "Title"` (and MkDocs' `??? note "Title"`, read/divs.py, and
    # `=== "Tab"`, read/tabs.py): the marker goes after the title's quote.
    admonition = not prefix["heading"] and line.startswith(("!!!", "???", "==="), start)
    closers = CLOSERS - {'"'} if admonition else CLOSERS
    if not prefix["heading"]:
        closers = closers - {"#"}  # a closing hash is a heading's: `**#` then `text*` is emphasis
    while end > floor:
        if body.endswith(">") and body[end - 1] in "\"'" and body[end - 2:end - 1] == "=" \
                and body[end:end + 1] == body[end - 1]:
            break  # a tag's empty value (`alt="">`): the marker inside it, or it is no tag
        if body[end - 1] in closers and not escaped(body, end - 1) and not EMPTY_BRACES.search(body, 0, end):
            end -= 1
        elif body[end - 1].isspace() and body[end:].lstrip()[0] in stripped:
            end -= 1
        else:
            break
    if prefix["heading"] and not body[start:end].strip("#"):
        end = start  # `# #`: Python-Markdown drops a heading's closing hashes
    if end > start and escaped(body, end):
        # A backslash would escape the marker, not the line's end; one that
        # is all the line's content (pandoc's hard break) takes it before it.
        end -= 1
    # A space or the line's end after an unescaped `*` or `_`, or a closing
    # bracket or quote the marker now stands before (`(*e.g.*)`, whose `*`
    # after a full stop closes only before a space or a sign):
    after = body[end:end + 1]
    # A hard break's backslash after them (`**in design:**\`) closes them too.
    closing = after in ("", " ", "\\") or (after in closers and end > 1 and not body[end - 2].isspace())
    # A `$` before a closer opens a formula (`text$)`, on to the next line's
    # `$`): a tab there would make it a dollar followed by a space, no formula.
    opens_math = body[end - 1:end] == "$" and after in closers
    if end and body[end - 1] in DELIMITERS and closing and not opens_math and not escaped(body, end - 1):
        if end == len(body) and line.endswith("  ") and not prefix["heading"]:
            # A hard break, which Python-Markdown reads before emphasis:
            # it keeps the marker (see LineBreak).
            return line + mark
        mark = "\t" + mark
    # A heading's spaces after its closing hashes (`## Title ## `) would
    # keep Python-Markdown from taking the hashes off: a heading has no hard break.
    return body[:end] + mark + (body if prefix["heading"] else line)[end:]


def escaped(text: str, index: int) -> bool:
    """Whether an odd run of backslashes stands before `index`."""
    run = index
    while run and text[run - 1] == "\\":
        run -= 1
    return (index - run) % 2 == 1


class Lines(Preprocessor):
    """Ends each source line with its number's marker."""

    def __init__(self, md: markdown.Markdown, first_line: int) -> None:
        super().__init__(md)
        self.first_line = first_line

    def run(self, lines: list[str]) -> list[str]:
        # `read_source` refuses the markers' characters; a text that did not
        # come through it (an image's alt text) loses them here.
        return [mark_line(MARKER_CHARS.sub("", line), number)
                for number, line in enumerate(lines, self.first_line)]


class FencedCode(Preprocessor):
    """Fenced code blocks, kept as elements (not HTML) with their source line."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        parts: list[str] = []
        position = search = 0
        while match := FENCE.search(text, search):
            search = match.end()
            if (end := raw_html_end(text, position, match.start())) is not None:
                search = end  # fences inside an HTML <pre> are its text, as CommonMark keeps them
                continue
            if in_indented_code(text, match.start(), fence_indent(match)):
                continue  # the fence is text of an indented code block, as pandoc reads it
            mark = MARKS.search(match[0], 0, match[0].index("\n"))  # on the opening line
            pre = etree.Element("pre", {"data-line": str(marked_line(mark[0]) if mark else 0)})
            code = etree.SubElement(pre, "code", {"data-lang": unmarked(match["lang"])})  # `~~~c#`
            code.text = MARKS.sub("", dedent(match["code"], fence_indent(match)))
            if shown := UNEXECUTED.fullmatch(MARKS.sub("", match["info"]).strip()):
                # Quarto's ```{{r}}: a cell shown as written, its fences too (never run)
                fence = match["fence"]
                code.text = f"{fence}{{{shown[1]}}}\n{code.text}{fence}"
                code.set("data-lang", "")
            else:
                pre.set("data-label", cell_label(MARKS.sub("", match["info"]), code.text))  # a Quarto cell's
            if raw := RAW_FORMAT.fullmatch(MARKS.sub("", match["info"]).strip()):
                pre.set("data-raw-format", raw[1].lower())  # pandoc's raw block, ```{=html}
            # The placeholder keeps the fence's indent, so a fence inside a
            # list item or a note stays inside it, and its marker, so the
            # block around it has a line.
            placeholder = fence_indent(match) + self.md.htmlStash.store(pre) + (mark[0] if mark else "")
            parts += [text[position:match.start()], "\n", placeholder, "\n"]
            position = match.end()
        parts.append(text[position:])
        return "".join(parts).split("\n")


# An HTML block CommonMark keeps as written to its closing tag (`<pre>`,
# `<script>`, `<style>`, `<textarea>`): google/styleguide shows a fenced
# block inside a `<pre>`, which was read as code and lost from the `<pre>`.
RAW_HTML_OPEN = re.compile(r"^[ ]{0,3}<(pre|script|style|textarea)(?=[\s>\ue000-\uf8ff]|$)", re.I | re.M)


def raw_html_end(text: str, start: int, fence: int) -> int | None:
    """Where an HTML block opened between `start` and a fence at `fence`
    ends, when the fence stands inside it; None when it does not."""
    opened = RAW_HTML_OPEN.search(text, start, fence)
    if opened is None:
        return None
    closing = re.compile(rf"</{opened[1]}[\t\ue000-\uf8ff]*>", re.I).search(text, opened.end())  # markers and all
    end = closing.end() if closing else len(text)
    return end if end > fence else None


# Lines that open a container whose text stands four columns in: a note,
# a definition, an admonition, a collapsible block, a tab.
FOUR_IN = ("[^", ":", "!!!", "???", "===")


def in_indented_code(text: str, start: int, indent: str) -> bool:
    """Whether a fence line at `start`, `indent` in, stands four columns or
    more into its container, where CommonMark and pandoc read an indented
    code block (pandoc's manual shows fences so). The container is found
    by looking back for the nearest less indented line: a list item's
    (its text's column), one that opens a note or the like (four), a line
    of text at the margin, or the start (none: the margin)."""
    width = len(indent)
    if width < 4 or ">" in indent or "\t" in indent:
        return False  # a quote's fences, and tabs, as before
    end = start
    while end > 0:
        begin = text.rfind("\n", 0, end - 1) + 1
        line = MARKS.sub("", text[begin:end - 1])
        end = begin
        lead = len(line) - len(line.lstrip(" "))
        if not line.strip() or lead >= width:
            continue  # blank, or within the same block
        item = read_marker(line[lead:])  # nested items stand further in
        if item or line[lead:].startswith(FOUR_IN):
            # A container's line that is itself code (`    - |` in an
            # indented YAML example) makes what follows it code too.
            if lead >= 4 and in_indented_code(text, begin, line[:lead]):
                return True
            return width - lead - (item.content if item else 4) >= 4
        if lead == 0:
            return True
    return True


RAW_FORMAT = re.compile(r"\{=([A-Za-z][\w+-]*)\}")
UNEXECUTED = re.compile(r"\{\{([^{}\n]*)\}\}")  # Quarto's ```{{r}}: the cell's syntax shown
# Raw TeX a page break is written in (R Markdown and Quarto authors' habit),
# alone on its line or in a ```{=latex} block.
# A TeX command alone in its paragraph, its arguments with it (`\listoftables`,
# `\setcounter{page}{1}`): raw TeX to pandoc, never shown.
TEX_COMMAND = re.compile(r"\\[A-Za-z]+\*?(?:\[[^\]\n]*\])?(?:\{[^{}\n]*\})*")
TEX_COMMANDS = re.compile(rf"{TEX_COMMAND.pattern}(?:\s+{TEX_COMMAND.pattern})*")
TEX_PAGE_BREAK = re.compile(r"\\(?:newpage|pagebreak|clearpage)(?:\{\})?")


def dedent(code: str, indent: str) -> str:
    """Each line without the opening fence's indent; of spaces, as many of
    them as the line has (CommonMark)."""
    if indent.strip(" "):
        return "".join(line.removeprefix(indent) for line in code.splitlines(keepends=True))
    return "".join(line[min(len(indent), len(line) - len(line.lstrip(" "))):]
                   for line in code.splitlines(keepends=True))


# Python-Markdown's processors that read a line through to its end, where
# its marker stands (a rule, a setext underline, a table's delimiter row,
# `!!! note`, a quote's blank line, a definition continued on the next line,
# a hard break), in subclasses that let it stand there and give what they
# make its line. Each checks, when built, that the pattern it extends is
# still the one it knows.

def extended(pattern: str, part: str, tolerant: str) -> str:
    """`pattern` with its one `part` replaced by a `tolerant` one."""
    if pattern.count(part) != 1:
        raise RuntimeError(f"Python-Markdown {markdown.__version__} changed a pattern we extend: {pattern}")
    return pattern.replace(part, tolerant)


MAYBE_MARK = f"(?P<mark>{MARK})?"
# Where an element whose first line has no text of its own keeps that line's
# marker (a rule, `!!! note`, `- ` alone): read before anything in it.
OWN_MARK = "data-mark"
TAIL_MARK = "data-tail-mark"  # see Tails


RULE_CHARACTERS = frozenset("-_*")  # a rule is made of one of them


class Rule(HRProcessor):
    SEARCH_RE = re.compile(extended(HRProcessor.RE, "[ ]*$", f"[ ]*{MAYBE_MARK}[ ]*$"), re.MULTILINE)

    def test(self, parent: etree.Element, block: str) -> bool:
        # A block without any is no rule: its search is not run (most blocks are words).
        # RULE_CHARACTERS, each looked for by memchr rather than the block's characters hashed.
        return ("-" in block or "_" in block or "*" in block) and super().test(parent, block)

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        mark = self.match["mark"]
        super().run(parent, blocks)
        if mark:
            parent[-1].set(OWN_MARK, mark)  # the `hr` just made


class Setext(SetextHeaderProcessor):
    RE = re.compile(extended(SetextHeaderProcessor.RE.pattern, r"[ ]*(\n|$)", rf"[ ]*{MAYBE_MARK}[ ]*(\n|$)"),
                    re.MULTILINE)

    def test(self, parent: etree.Element, block: str) -> bool:
        # Its second line starts with = or - (a list's `- item` lines are no setext heading).
        newline = block.find("\n")
        return newline >= 0 and block[newline + 1:newline + 2] in ("=", "-") and super().test(parent, block)


ESCAPED_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\\\|")  # `\|`, its backslash not escaped itself


class Table(TableProcessor):
    def test(self, parent: etree.Element, block: str) -> bool:
        head, newline, rest = block.partition("\n")
        delimiters, newline2, rows = rest.partition("\n")
        # Each delimiter cell holds a dash, as GitHub and pandoc have it (`text|text` over `|` is text).
        return super().test(parent, head + newline + unmarked(delimiters) + newline2 + rows) \
            and all("-" in cell for cell in self.separator)

    def _split_row(self, row: str) -> list[str]:
        # `\|` is a pipe in the cell, inside code too (`str \| None`), as
        # GitHub reads it: the escape is the table's, taken off before the
        # cell is read.
        return [ESCAPED_PIPE.sub(r"\1|", cell) for cell in self.cells(row)]

    def cells(self, row: str) -> list[str]:
        # Each row's outer pipes are its own, as GitHub and pandoc read them
        # (Python-Markdown goes by the header's): `A | B` over `--- | --- |`.
        if row.startswith("|"):
            row = row[1:]
        return self._split(self.RE_END_BORDER.sub("", row))

    def _build_empty_row(self, parent: etree.Element, align: Sequence[str | None]) -> None:
        pass  # a table of a header alone has no body, as pandoc and GitHub read it: no empty row

    def _build_row(self, row: str, parent: etree.Element, align: Sequence[str | None]) -> None:
        # Cells past the table's width are dropped (as GitHub drops them),
        # but not their line's marker: the row's elements would take the
        # next row's line.
        if row.count("|") > len(align) + 1:  # more pipes than a row of the table's width has: split it to see
            cells = self.cells(row)
            if len(cells) > len(align):
                row = "|".join(cells[:len(align)]) + "".join(MARKS.findall("".join(cells[len(align):])))
        super()._build_row(row, parent, align)


class Admonition(AdmonitionProcessor):
    RE = re.compile(extended(AdmonitionProcessor.RE.pattern, r" *(?:\n|$)", rf" *{MAYBE_MARK} *(?:\n|$)"))

    def test(self, parent: etree.Element, block: str) -> bool:
        # A note opens with `!!!`; without one, the block may still go on the last note.
        if "!!!" not in block:
            return self.parse_content(parent, block)[0] is not None
        return super().test(parent, block)

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        found = self.RE.search(blocks[0])
        super().run(parent, blocks)
        if found and found["mark"]:
            parent[-1].set(OWN_MARK, found["mark"])  # the note just made


QUOTE_BLANK = re.compile(rf"[ ]*>[ ]*(?P<mark>{MARK})[ ]*")


class Quote(BlockQuoteProcessor):
    """Python-Markdown's quotes, except that a blank line ends one: `> a`,
    a blank line, `> b` are two quotes, as pandoc and CommonMark read them
    (Python-Markdown would go on in the first, so the first one's
    attribution `— Source` would become a paragraph of the second)."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return ">" in block and super().test(parent, block)

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        found = self.RE.search(block)
        assert found  # `test` found it
        first = block[found.end(1):].split("\n", 1)[0]
        self.parser.parseBlocks(parent, [block[:found.start()]])  # the lines before it
        quote = etree.SubElement(parent, "blockquote")
        # A quote that opens with a blank line has no text on its first line.
        if blank := QUOTE_BLANK.fullmatch(first):
            quote.set(OWN_MARK, blank["mark"])
        self.parser.state.set("blockquote")  # so a list in it has paragraphs, as in Python-Markdown
        self.parser.parseChunk(quote, "\n".join(self.clean(line) for line in block[found.start():].split("\n")))
        self.parser.state.reset()

    def clean(self, line: str) -> str:
        return "" if QUOTE_BLANK.fullmatch(line) else super().clean(line)


class DefinitionList(DefListProcessor):
    """Python-Markdown's definitions, opened by a tilde too, as pandoc's are
    (`Term` then `~ Definition`)."""

    RE = re.compile(DefListProcessor.RE.pattern.replace(":", "[:~]", 1))
    NO_INDENT_RE = re.compile(DefListProcessor.NO_INDENT_RE.pattern.replace(":", ":~", 1))

    def test(self, parent: etree.Element, block: str) -> bool:
        return (":" in block or "~" in block) and super().test(parent, block)

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        # A code block is no term (pandoc's terms are a line of text): a
        # `: Code caption {#lst:x}` after one (pandoc-crossref's listing
        # caption) is a paragraph, as pandoc reads it without its filter.
        found = self.RE.search(blocks[0])
        sibling = self.lastChild(parent)
        if found and not blocks[0][:found.start()].strip() and sibling is not None \
                and sibling.tag == "p" and isinstance(stashed(self.parser.md, sibling.text), etree.Element):
            return False
        if found and (after := LAZY_LINE.match(blocks[0], found.end())) \
                and (another := self.RE.search(blocks[0], after.start())):
            # Lines at the margin after a definition continue it (lazily),
            # up to the next `: `, which is the same term's next definition,
            # as pandoc reads them; Python-Markdown read all that follows as
            # the definition's blocks, a list nested a level deeper for each
            # (dwp's accessibility manual: ten staircases).
            blocks[0:1] = [blocks[0][:another.start()], blocks[0][another.start():].lstrip("\n")]
        return super().run(parent, blocks)


# A line at the margin (not a definition's `:`), after a definition: its lazy continuation.
LAZY_LINE = re.compile(r"[ ]{0,3}[^ :~\s]")


def stashed(md: markdown.Markdown, text: str | None) -> etree.Element | str | None:
    """What a placeholder that is all of `text` stands for (a code block the
    fences' preprocessor stashed, an entity, raw HTML), or None."""
    match = HTML_PLACEHOLDER_RE.fullmatch(unmarked(text or "").strip())
    return md.htmlStash.rawHtmlBlocks[int(match[1])] if match else None


if (DefListProcessor.RE.pattern, DefListProcessor.NO_INDENT_RE.pattern) != (
        r"(^|\n)[ ]{0,3}:[ ]{1,3}(.*?)(\n|$)", r"^[ ]{0,3}[^ :]"):
    raise RuntimeError(f"Python-Markdown {markdown.__version__} changed its definition patterns")


class EmptyFirstLine(BlockProcessor):
    """A list item or definition with no text on its first line (`- `
    alone): the marker alone there would be read as a line of text, even as
    a heading's or a term's. It goes to the item itself, and Python-Markdown
    reads the rest as it reads an item whose text starts on its next line."""

    def test(self, parent: etree.Element, block: str) -> bool:
        # Every block passes here first: the cheap test before the pattern.
        return (block[:1] in MARK_STARTS and not parent.text and OWN_MARK not in parent.attrib
                and bool(LEADING_MARK.match(block)))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        found = LEADING_MARK.match(block)
        assert found
        parent.set(OWN_MARK, found[1])
        if rest := block[found.end():]:
            blocks.insert(0, rest)


LEADING_MARK = re.compile(rf"({MARK})(?:\n|$)")
MARK_STARTS = frozenset(["\t", *map(chr, range(0xE000, 0xF900))])


class Footnotes(FootnoteExtension):
    """A note with no text on its first line (`[^a]:` alone): its marker,
    alone there, would make a paragraph of its own. It goes to the note's
    item once the notes are built (see Definitions)."""

    def reset(self) -> None:
        super().reset()
        self.first_marks: dict[str, str] = {}

    def setFootnote(self, id: str, text: str) -> None:
        if found := FIRST_LINE_MARK.match(text):
            self.first_marks[id] = found[1]
            text = text[found.end():]
        # Python-Markdown strips the note's end, which the last line's marker
        # hides, and follows it with a placeholder (see drop_backlinks), not a
        # newline, so a last `*` is followed by the marker, not a tab.
        super().setFootnote(id, MARKED_END.sub(r"\1", text))


FIRST_LINE_MARK = re.compile(rf"[ ]*({MARK})(?:\n+|$)")
MARKED_END = re.compile(rf"\s*([\ue000-\uf8ff]{{2}})$")


class LineBreak(SubstituteTagInlineProcessor):
    """Two spaces end a line in a hard break, also when the line is only
    syntax (`:  `) and its marker stands after them; the break keeps it."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:
        br, start, end = super().handleMatch(m, data)
        br.text = m["mark"]
        return br, start, end


# A definition whose target or title is on the next line (`[id]:` alone):
# the marker is taken whole or not at all, lest it be read as the target.
# And one whose target ends in `*` or `_`, which a tab parts from its marker,
# or is `*` alone, whose marker stands after its spaces; or whose title is on
# a line read as a note (`!!! "Title"`), whose marker follows the quote.
class Reference(ReferenceProcessor):
    RE = re.compile(extended(extended(extended(
        ReferenceProcessor.RE.pattern, r"\]:[ ]*", rf"\]:[ ]*(?:{MARK})?+[ ]*"),
        # The line's marker may stand inside the address, before its closing
        # characters, after a tab when a delimiter stands before it (`~~#`).
        r"([^\s]+)", rf"((?:[^\s]|\t(?={MARK}))+)(?:[ ]*{MARK})?"),
        r")?$", rf")?(?:{MARK})?$"), re.MULTILINE)

    def test(self, parent: etree.Element, block: str) -> bool:
        return "]:" in block  # else its run would search the block, find nothing and put it back


class FirstDefinitions(dict):
    """Link definitions by label: a label defined again keeps its first
    definition, as CommonMark has it (GitHub, pandoc's gfm reader; pandoc's
    markdown reader keeps the last, with a warning). Python-Markdown kept
    the last: a Kubernetes KEP's [KEP-3453] linked its second address."""

    def __setitem__(self, label: str, definition: tuple[str, str | None]) -> None:
        if label not in self:
            super().__setitem__(label, definition)


class Abbreviation(AbbrBlockprocessor):
    """Python-Markdown's definitions `*[CUI]: …`, with the line each stands
    on (`lines`, by abbreviation; the last definition of one wins, as in
    Python-Markdown), read off the marker of the `*[…]:` line, so a problem
    of the expansion is told at its definition."""
    RE = re.compile(extended(AbbrBlockprocessor.RE.pattern, r"\][ ]?:[ ]*", rf"\][ ]?:[ ]*(?:{MARK})?+[ ]*"),
                    re.MULTILINE)

    def __init__(self, parser: BlockParser, abbrs: dict[str, str]) -> None:
        super().__init__(parser, abbrs)
        self.lines: dict[str, int] = {}

    def test(self, parent: etree.Element, block: str) -> bool:
        return "*[" in block  # else its run would search the block, find nothing and put it back

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        found = self.RE.search(blocks[0])
        if not super().run(parent, blocks):
            return False
        assert found  # Python-Markdown took it with the same expression
        key = found["abbr"].strip()  # as Python-Markdown keys it; Definitions cleans it
        # The first marker of the match ends the `*[…]:` line (its title's
        # line when the title is on it).
        mark = MARKS.search(found[0])
        if key not in self.abbrs:
            self.lines.pop(unmarked(key), None)  # `*[X]: ""` undefines it
        elif mark:
            self.lines[unmarked(key)] = marked_line(mark[0])
        return True


class LabelsWithCode:
    """A reference's label as written where it holds a code span
    (`[LaTeX beamer][`beamer`]`, `[`beamer`]`): the code was stashed before
    references are looked up, so its placeholder is put back as the code's
    source, which the definition's label holds, as pandoc and CommonMark
    match them. And a label over two lines is looked up without the line
    marker in it."""

    md: markdown.Markdown

    def evalId(self, data: str, index: int, text: str) -> tuple[str | None, int, bool]:
        label, end, handled = super().evalId(data, index, text)  # type: ignore[misc]
        if label and markdown.util.STX in label:
            label = markdown.util.INLINE_PLACEHOLDER_RE.sub(self.code_source, label)
        # A label over two lines holds the first line's marker, which no definition's key does.
        return label and unmarked(label), end, handled

    def code_source(self, found: re.Match[str]) -> str:
        node = self.md.treeprocessors["inline"].stashed_nodes.get(found[1])
        if not isinstance(node, etree.Element) or node.tag != "code" or node.text is None:
            return found[0]
        code = html.unescape(node.text)
        fence = "`" * (max(map(len, re.findall("`+", code)), default=0) + 1)
        return f"{fence}{code}{fence}".lower()


class LinkReference(LabelsWithCode, ReferenceInlineProcessor):
    pass


class ShortLinkReference(LabelsWithCode, ShortReferenceInlineProcessor):
    pass


class ImageReference(LabelsWithCode, ImageReferenceInlineProcessor):
    pass


class ShortImageReference(LabelsWithCode, ShortImageReferenceInlineProcessor):
    pass


class Backticks(BacktickInlineProcessor):
    """Code spans as pandoc reads them: a run of backticks closed by a
    shorter run opens the code with its last backticks, the ones before
    them text (KEP 2400's "``--fail-swap-on=false`" is a backtick, then
    code). Python-Markdown put those backticks inside the code."""

    def handleMatch(self, m: re.Match[str], data: str):
        begin = m.start(0)
        if m.group(1):
            return super().handleMatch(m, data)
        opened = begin
        while opened < len(data) and data[opened] == "`":
            opened += 1
        start, end = self.find_code_spans(begin, data)
        if end is None:
            return None, begin, start  # no run closes it: text, as Python-Markdown leaves it
        if start < opened:  # closed by a shorter run: the first backticks are text
            return None, begin, begin + (opened - start)
        code = etree.Element(self.tag)
        code.text = markdown.util.AtomicString(markdown.util.code_escape(data[start:end].strip()))
        return code, begin, end + (start - begin)


# Python-Markdown's reference patterns, by name and priority, each replaced
# by the same with LabelsWithCode.
LABELLED = (("reference", LinkReference, 170), ("image_reference", ImageReference, 140),
            ("short_reference", ShortLinkReference, 130), ("short_image_ref", ShortImageReference, 125))


class Definitions(Treeprocessor):
    """Markers out of reference links' and abbreviations' definitions, before
    they are looked up or copied to where they are used; the markers of notes
    with no text on their first line put back."""

    def run(self, root: etree.Element) -> None:
        references = self.md.references
        # Python-Markdown strips a target's `<…>`, but a marker after it hid the `>`.
        cleaned = {unmarked(key): (unmarked(url).rstrip(">") if ENDS_MARKED.search(url) else unmarked(url),
                                   title and unmarked(title))
                   for key, (url, title) in references.items()}
        references.clear()
        references.update(cleaned)
        for extension in self.md.registeredExtensions:
            if isinstance(extension, Footnotes) and extension.first_marks:
                items = {item.get("id"): item for item in root.iterfind("div[@class='footnote']/ol/li")}
                for label, mark in extension.first_marks.items():
                    if (item := items.get(extension.makeFootnoteId(label))) is not None:
                        item.set(OWN_MARK, mark)
            if isinstance(extension, AbbrExtension):
                abbreviations = {unmarked(key): unmarked(title).strip()
                                 for key, title in extension.abbrs.items()}
                extension.abbrs.clear()
                extension.abbrs.update(abbreviations)


class HeadingReferences(Treeprocessor):
    """pandoc's implicit heading references: a heading's text is a reference
    label (`[General options]`, `[the options][General options]`) unless a
    definition has it, the first heading of a text winning, as in pandoc.
    The target names the heading's line (m.HEADING_AT_LINE); the references
    pass points it at the heading's id."""

    def run(self, root: etree.Element) -> None:
        for heading in root.iter():
            if heading.tag not in HEADING_TAGS or not heading.text or not (mark := MARKS.search(heading.text)):
                continue
            label = ATTRIBUTES_AT_END.sub("", unmarked(heading.text)).strip().lower()
            if label:  # as written, code's backticks and all, as pandoc compares it
                self.md.references.setdefault(label, (f"{m.HEADING_AT_LINE}{marked_line(mark[0])}", None))


ATTRIBUTES_AT_END = re.compile(r"\s*\{[^{}]*\}\s*$")  # `{#id .class}`, which is no part of the text


class Tails(Treeprocessor):
    """A marker after a line's last element (`## Title {#id} *draft*`) would
    be that element's whole tail, where Python-Markdown's attribute lists
    see none and so look elsewhere: it moves into an attribute of the
    element, read where the tail would be."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if (tail := element.tail) and MARKER_CHARS.search(tail) and not (rest := unmarked(tail)).strip():
                element.set(TAIL_MARK, "".join(MARKS.findall(tail)))
                # Spaces before a marker at a block's end, as Markers.read drops them.
                element.tail = (rest.rstrip(" ") if ENDS_MARKED.search(tail) else rest) or None


class Capture(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        self.md.garbled = placeholders.settle(root)
        self.md.captured_tree = root


class Briefing(Extension):
    def __init__(self, first_line: int) -> None:
        super().__init__()
        self.first_line = first_line

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        rawhtml.register(md)  # ours instead: raw HTML only ever becomes model nodes
        # It adds newlines for a serializer we never run, and they would
        # count as source lines.
        md.treeprocessors.deregister("prettify")
        # After Python-Markdown has expanded tabs, before anything else reads lines.
        md.preprocessors.register(Lines(md, self.first_line), "briefing_lines", 29)
        # After the markers, before fences, whose text it leaves as written.
        md.preprocessors.register(LiquidTags(md), "briefing_liquid", 26)
        md.preprocessors.register(TexEnvironments(md), "briefing_tex_environments", 25.5)
        md.preprocessors.register(FencedCode(md), "briefing_fenced", 25)
        parser = md.parser.blockprocessors
        parser.register(Rule(md.parser), "hr", 50)
        parser.register(Setext(md.parser), "setextheader", 60)
        parser.register(Quote(md.parser), "quote", 20)
        parser.register(DefinitionList(md.parser), "deflist", 25)  # as def_list registers its own
        parser.register(Table(md.parser, parser["table"].config), "table", 75)
        parser.register(Admonition(md.parser), "admonition", 105)
        parser.register(EmptyFirstLine(md.parser), "briefing_empty_first_line", 110)
        parser.register(Reference(md.parser), "reference", 15)
        md.references = FirstDefinitions()
        parser.register(Abbreviation(md.parser, parser["abbr"].abbrs), "abbr", 16)
        if LINE_BREAK_RE != r"  \n":
            raise RuntimeError(f"Python-Markdown {markdown.__version__} changed its hard break: {LINE_BREAK_RE!r}")
        md.inlinePatterns.register(LineBreak(rf"  (?P<mark>{MARK})?\n", "br"), "linebreak", 100)
        md.inlinePatterns.register(Backticks(BACKTICK_RE), "backtick", 190)
        for name, kind, priority in LABELLED:
            md.inlinePatterns.register(kind(md.inlinePatterns[name].pattern, md), name, priority)
        md.treeprocessors.register(Definitions(md), "briefing_definitions", 30)
        md.treeprocessors.register(HeadingReferences(md), "briefing_heading_references", 29)  # before inline
        md.treeprocessors.register(Tails(md), "briefing_tails", 9)  # before attr_list
        escaped_notes.register(md)
        md.treeprocessors.register(Capture(md), "briefing_capture", -100)


def markdown_tree(body: str, first_line: int, lang: str = "en", cites: bool = False
                  ) -> tuple[etree.Element, markdown.Markdown, Positions]:
    """`cites`: read pandoc's citations (the front matter names a bibliography)."""
    # Extension objects, not names: a name makes Python-Markdown scan every
    # installed package's entry points, 20 ms of each run.
    # Set up from our settings alone: its patterns may be kept (compiled.py).
    inline_skips.install()
    with compiled.recording():
        md = markdown.Markdown(extensions=[
            Attributes(), AdmonitionExtension(), Lists(), TableExtension(), PandocTables(), Divs(),
            Tabs(), Footnotes(), DefListExtension(), AbbrExtension(), syntax.InlineSyntax(lang), CriticMarkup(),
            *([citations.Citations()] if cites else []), Briefing(first_line)])
    # We read the tree, never the HTML Python-Markdown would write from it.
    md.serializer = lambda root: "<div></div>"
    md.convert(body)
    # Python-Markdown returns early, without running treeprocessors, on a blank body.
    root = getattr(md, "captured_tree", etree.Element("div"))
    return root, md, take_positions(root)


# Positions -------------------------------------------------------------------

@dataclass
class Positions:
    """Source lines of a tree whose markers have been taken off: where each
    element, its text and its tail start. Within a text, each newline starts
    the next line."""

    starts: dict[etree.Element, int] = field(default_factory=dict)
    texts: dict[etree.Element, int] = field(default_factory=dict)
    tails: dict[etree.Element, int] = field(default_factory=dict)


def take_positions(root: etree.Element) -> Positions:
    """Take every marker off the tree, noting the lines they give."""
    return Markers(root).take()


Waiting = tuple[dict[etree.Element, int], etree.Element, list[int]]


class Markers:
    """A marker ends its line, so a place in the text is on the line of the
    first marker after it, less the newlines between. One walk in reading
    order keeps the places still waiting for a marker, with the newlines
    read since each."""

    def __init__(self, root: etree.Element) -> None:
        self.root = root
        self.positions = Positions()
        self.waiting: list[Waiting] = []
        self.last = 0  # the line of the last marker read
        self.emptied: list[tuple[etree.Element, etree.Element]] = []

    def take(self) -> Positions:
        for code in self.root.iterfind(".//pre/code"):
            if code.text:
                code.text = type(code.text)(BLOCK_END_SPACES.sub("", code.text))
        self.children(self.root)
        self.settle()
        for parent, paragraph in self.emptied:
            parent.remove(paragraph)
        return self.positions

    def read(self, text: str) -> str:
        """`text` without its markers; what waited before each marker has its line."""
        if AMP_SUBSTITUTE in text:
            # Python-Markdown writes an automatic mail link (`<a@b.org>`) as
            # character references, a marker inside it too.
            text = type(text)(ENCODED_TAB.sub("\t", ENCODED.sub(decoded_marker, text)))
        parts = SPLIT.split(text)  # text, marker, text, marker, ..., text
        for index in range(1, len(parts), 2):
            before = parts[index - 1].count("\n")
            self.last = marked_line(parts[index])
            for where, element, seen in self.waiting:
                where[element] = self.last - seen[0] - before
            self.waiting.clear()
        if self.waiting and (newlines := parts[-1].count("\n")):
            for _, _, seen in self.waiting:
                seen[0] += newlines
        if len(parts) == 1:
            return type(text)(STRAY.sub("", text)) if MARKER_CHARS.search(text) else text
        if not parts[-1]:
            # Spaces before a marker at a line's very end (`- `, `> `),
            # which Python-Markdown would have stripped with the line's end.
            parts[-3] = END_SPACES.sub("", parts[-3])
        kept = "".join(parts[::2])
        # Half a marker, when Python-Markdown dropped a character after
        # emphasis (`*a**b*x` loses the `x`): it gives no line, but goes too.
        if MARKER_CHARS.search(kept):
            kept = STRAY.sub("", kept)
        return type(text)(kept)  # an AtomicString stays one

    def settle(self) -> None:
        """What no marker followed gets the last line read (never so far:
        every line with text has a marker)."""
        for where, element, _ in self.waiting:
            where[element] = self.last
        self.waiting.clear()

    def visit(self, element: etree.Element, parent: etree.Element) -> None:
        self.waiting.append((self.positions.starts, element, [0]))
        if mark := element.attrib.pop(OWN_MARK, None):
            self.read(mark)  # before its text: see OWN_MARK
        text = element.text
        self.waiting.append((self.positions.texts, element, [0]))
        if text:
            element.text = self.read(text)
            if element.tag == "code" and parent.tag != "pre" and element.text != text:
                # Python-Markdown strips a code span; a marker at its edge was in the way.
                element.text = type(text)(element.text.strip())
        self.children(element)
        tail_mark = element.attrib.pop(TAIL_MARK, None)
        # An element's attributes come from the end of its source (a link's
        # target, `{#id}`), but an image's alt text from before its target.
        for name in sorted(element.keys(), key=lambda name: name != "alt"):
            value = element.get(name)
            if value and (MARKER_CHARS.search(value) or AMP_SUBSTITUTE in value):
                cleaned = self.read(value)
                if name in ("href", "src"):
                    # Python-Markdown strips a link's target; a marker at its edge was in the way.
                    cleaned = cleaned.lstrip() if STARTS_MARKED.match(value) else cleaned
                    cleaned = cleaned.rstrip() if ENDS_MARKED.search(value) else cleaned
                element.set(name, cleaned)
        if tail_mark:
            self.read(tail_mark)  # where its tail is read: see Tails

    def children(self, parent: etree.Element) -> None:
        for child in parent:
            if parent is self.root and child.get("class") == "footnote":
                self.settle()  # the notes, moved to the end, have their own lines
            text = child.text
            self.visit(child, parent)
            if child.tag == "p" and text and not (child.text or "").strip() and not len(child):
                # It held only a marker, such as the first line of a footnote
                # whose text starts on the next line (`[^a]:`).
                self.emptied.append((parent, child))
            if child.tail:
                self.waiting.append((self.positions.tails, child, [0]))
                child.tail = self.read(child.tail)


ENCODED = re.compile(re.escape(AMP_SUBSTITUTE) + r"#(\d+);")
ENCODED_TAB = re.compile(re.escape(AMP_SUBSTITUTE) + "#9;(?=[\ue000-\uf8ff])")  # ours: see MARK


def decoded_marker(found: re.Match[str]) -> str:
    return chr(code) if 0xE000 <= (code := int(found[1])) <= 0xF8FF else found[0]


STRAY = re.compile("\t?[\ue000-\uf8ff]")
SPLIT = re.compile(f"({MARK})")
END_SPACES = re.compile(r"[^\S\n]+$")
STARTS_MARKED = re.compile(MARK)
ENDS_MARKED = re.compile(f"{MARK}$")
# An indented code block loses the spaces at the end of each of its runs of
# lines, but not when a marker follows them (`    - ` marked at its very end).
BLOCK_END_SPACES = re.compile(rf"[ ]+(?={MARK}\n(?:\n|$))")


# Element tree -> model --------------------------------------------------------

@dataclass
class Reader:
    """Walks the captured tree in reading order, each node with the line the
    parse gave it."""

    source: Source
    md: markdown.Markdown
    positions: Positions
    notes: dict[str, int] = field(default_factory=dict)  # footnote label -> number
    in_note: bool = False  # reading a footnote's text
    inline_notes: list[m.Footnote] = field(default_factory=list)  # `^[…]`, as they are read
    lang: str = "en"
    cites: bool = False  # pandoc's citations are read (the front matter names a bibliography)
    marked: bool = False  # portion marking is on: every paragraph the author writes carries a mark
    # Problems the reading can go on after, reported together at the end.
    problems: list[Problem] = field(default_factory=list)
    remote: list[tuple[int, str]] = field(default_factory=list)  # remote images: (line, src)
    shortcodes: set[str] = field(default_factory=set)  # names of the shortcodes in lines said so far
    inline_depth: int = 0  # of the inline element being read

    def error(self, code: str, line: int, message: str) -> BriefingError:
        return self.source.error(line, message, code)

    def report(self, code: str, line: int, message: str) -> None:
        self.problems.append(Problem(self.source.name, line, message, code=code))

    def warn(self, code: str, line: int, message: str) -> None:
        self.problems.append(Problem(self.source.name, line, message, code=code, severity="warning"))

    def garbled(self, default: int) -> None:
        """Where Python-Markdown lost a placeholder (read/placeholders.py)."""
        for element in getattr(self.md, "garbled", ()):
            self.report("markdown.garbled", self.line(element) or default,
                        "Python-Markdown lost part of this text in its tangle of *, _ and `: "
                        "write \\* , \\_ or \\` for the ones that are not markup")

    def line(self, element: etree.Element) -> int:
        return self.positions.starts.get(element, 0)

    def source_line(self, line: int) -> str:
        """The text of source line `line` and the two after it (a link may
        run on over lines); "" where the line is not known."""
        return "\n".join(self.source.lines[line - 1:line + 2]) if line else ""

    def text_line(self, element: etree.Element) -> int:
        return self.positions.texts.get(element, 0)

    def tail_line(self, element: etree.Element) -> int:
        return self.positions.tails.get(element, 0)

    def stashed(self, text: str | None) -> etree.Element | str | None:
        return stashed(self.md, text)

    def text(self, text: str | None, line: int, refs: bool) -> list[m.Inline]:
        """Tree text, starting on `line`, as Text and (with `refs`) Ref nodes;
        stashed entities (`&amp;`, `&#233;`) turned into characters."""
        if not text:
            return []
        out: list[m.Inline] = []
        parts = text.split("\n")
        for number, part in enumerate(parts, line):
            if number > line:  # a soft line break reads as one space
                out.append(m.Text(text=" "))
                part = part.lstrip(" \t")
            if number < line + len(parts) - 1:
                part = part.rstrip(" \t")
            for undefined in UNDEFINED_NOTE.finditer(part):
                self.warn("footnote.undefined", number, f"footnote {undefined[0]} has no definition: "
                          f"shown as written ([{undefined[0][1:-1]}]: text defines it; \\{undefined[0]} "
                          "writes it as text)")
            if "  " in part or "\t" in part:  # a run of spaces is one, as HTML shows it and pandoc reads it
                part = SPACE_RUN.sub(" ", part)
            part = HTML_PLACEHOLDER_RE.sub(lambda match: self.entity(match, number), part)
            out.extend(self.cross_refs(part, number) if refs else (m.Text(text=part),))
        return merged(out)

    def plain(self, text: str) -> str:
        """Source text kept as it is written (a citation's prefix), as a
        reader sees it: entities decoded, on one line."""
        text = HTML_PLACEHOLDER_RE.sub(lambda match: self.entity(match, 0), text)
        return re.sub(r"\s+", " ", text.replace("---", "—").replace("--", "–"))

    def entity(self, match: re.Match[str], line: int) -> str:
        stashed = self.md.htmlStash.rawHtmlBlocks[int(match[1])]
        if isinstance(stashed, etree.Element):  # a code block the block parser ran into text
            self.report("code.fence", line, "a fenced code block must be separated from the text "
                        "before it by a blank line")
            return ""
        reference = str(stashed)
        value = html.unescape(reference)
        # HTML quietly drops most control characters; we name every one.
        number = NUMERIC_REFERENCE.fullmatch(reference)
        code = (int(number[1], 16) if number[1] else int(number[2])) if number else None
        if code is not None and (code > 0x10FFFF or XML_INVALID.match(chr(code))):
            self.report("markdown.character-reference", line, f"character reference {reference} is not a character "
                        "a briefing may contain")
            return ""
        if bad := XML_INVALID.search(value):
            self.report("markdown.character-reference", line, f"character reference {reference} stands for "
                        f"U+{ord(bad[0]):04X}, which is not allowed in a briefing")
            return ""
        return value

    # Blocks ----------------------------------------------------------------

    def blocks(self, elements: list[etree.Element], depth: int) -> list[m.Block | Heading]:
        """Blocks of a container, with headings kept flat for `section_tree`."""
        out: list[m.Block | Heading] = []
        elements = list(elements)
        while elements:
            element = elements.pop(0)
            if element.tag == "caption" and elements and elements[0].tag == "table":
                # A caption before its table (read/tables.py makes the element).
                out.append(self.table(elements.pop(0), element))
            elif element.tag == "table":
                caption = elements.pop(0) if elements and elements[0].tag == "caption" else element.find("caption")
                out.append(self.table(element, caption))  # a raw HTML table's <caption> is its first child
            elif depth == 0 and element.get("data-div") and any(c.tag in HEADING_TAGS for c in element):
                # A fenced div that holds headings (Quarto's tabsets) is read
                # as its content, so its headings start sections, as pandoc's do;
                # an annex's (`::: {.annex}`) classes go to its first heading.
                attachment_classes(element)
                elements[0:0] = list(element)
            elif element.tag == "p" and (found := shortcodes(element)):
                for name, below in found:
                    self.shortcode(element, name, self.line(element) + below, out)
            elif element.tag == "p" and (call := self.template_call(element)):
                # Nunjucks' `{{ modukcomponent('do-dont-list', { … }) }}` over a dozen
                # lines (the MOD's service manual): the site fills it in; shown as
                # written, its lines kept, not run together with curled quotes.
                line = self.line(element)
                self.warn("markdown.shortcode", line, "a template call over several lines shown as written, as "
                          "code: briefing runs none")
                out.append(m.CodeBlock(lang=None, text=call, line=line))
            elif element.tag == "p" and self.esm_lines(element):
                # MDX's `import Tabs from '@theme/Tabs';` (Docusaurus): code for
                # the site's build, never shown there.
                self.warn("markdown.shortcode", self.line(element), "MDX's import and export lines left out: "
                          "briefing runs none of the site's components")
            elif element.tag == "p" and not len(element) and TEX_PAGE_BREAK.fullmatch((element.text or "").strip()):
                out.append(m.PageBreak(line=self.line(element)))  # `\newpage` alone
            elif element.tag == "p" and not len(element) and TEX_COMMANDS.fullmatch((element.text or "").strip()):
                # `\listoffigures` alone (`\setcounter{page}{1}` and `\doublespacing`
                # on their lines): raw TeX, as pandoc reads it, for LaTeX's output only
                commands = (element.text or "").split()
                out.extend(m.PageBreak(line=self.line(element)) for c in commands if TEX_PAGE_BREAK.fullmatch(c))
                if others := [c for c in commands if not TEX_PAGE_BREAK.fullmatch(c)]:
                    self.warn("markdown.raw-format", self.line(element), f"raw TeX "
                              f"{excerpt(' '.join(others), 40)} is for LaTeX's output: left out")
            elif element.tag == "p" and (raw := self.raw_block(element, depth)) is not None:
                out.extend(raw)
            elif element.tag in HEADING_TAGS:
                line = self.line(element)
                out.append(Heading(level=int(element.tag[1]), id=element.get("id", ""),
                                   title=trimmed(self.inlines(element)), line=line,
                                   classes=tuple(element.get("class", "").split())))
            else:
                out.append(self.block(element, depth))
        return anchors_carried(out)

    def shortcode(self, element: etree.Element, name: str, line: int, out: list[m.Block | Heading]) -> None:
        """Quarto's `{{< pagebreak >}}` on a line of its own is a new page;
        any other shortcode (Quarto's or Hugo's, or Jekyll's `{% include %}`)
        runs code or reads another file, which briefing never does: it is
        left out, with a warning."""
        if name == "pagebreak":
            out.append(m.PageBreak(line=line))
        else:
            # As written on its line: the tree's text has smart quotes' placeholders in it.
            written = self.source.lines[line - 1] if line and line <= len(self.source.lines) else ""
            shown = written.strip() if SHORTCODE.fullmatch(written.strip()) else unmarked(element.text or "").strip()
            kind = kind_of(shown)
            # Not in a marked briefing: a paragraph the author never wrote could carry no mark.
            link = None if self.marked else self.shortcode_link(shown, line)
            self.warn("markdown.shortcode", line, f"{kind} {excerpt(shown, 60)} left out"
                      + (", its link kept" if link else "") + ": briefing runs none"
                      + (" (Quarto's {{< pagebreak >}} aside)" if kind == "shortcode" else ""))
            if link:
                out.append(m.Paragraph(inlines=(link,), line=line))

    def shortcode_link(self, written: str, line: int) -> m.Link | None:
        """The link a shortcode carries, by its attributes' names, when it
        has a web address and words (digital.gov's `{{< button href="https://…"
        text="Explore …" >}}`, `{{< card-policy src="…" title="OMB Circular
        A-11" >}}`): the reader's way on, which leaving it out lost."""
        attributes = {key.lower(): value for key, value in SHORTCODE_ATTRIBUTE.findall(written)}
        address = next((attributes[key] for key in ("href", "url", "link", "src") if key in attributes), "")
        words = next((attributes[key] for key in ("text", "title", "label") if key in attributes), "")
        checked = check_link(address) if address.startswith(("https://", "http://")) and words.strip() else None
        if checked is None or checked.problem:
            return None
        return m.Link(target=checked.target, children=(m.Text(text=words.strip()),), line=line)

    def paragraph_lines(self, element: etree.Element) -> tuple[str, ...]:
        """A paragraph of bare text, as its source lines read; () for one
        holding markup, or whose line is not known."""
        first = self.line(element)
        if len(element) or not first:
            return ()
        return self.source.lines[first - 1:first + unmarked(element.text or "").count("\n")]

    def template_call(self, element: etree.Element) -> str:
        """A paragraph that is one `{{ … }}` over several lines, as written;
        "" for any other."""
        if not (element.text or "").lstrip().startswith("{{"):
            return ""
        lines = self.paragraph_lines(element)
        written = "\n".join(lines)
        if len(lines) < 2 or not TEMPLATE_CALL.fullmatch(written.strip()):
            return ""
        return written

    def esm_lines(self, element: etree.Element) -> bool:
        """Whether a paragraph is MDX's import and export lines alone, as
        its source lines read."""
        if not (element.text or "").lstrip().startswith(("import", "export")):
            return False
        lines = self.paragraph_lines(element)
        return bool(lines) and all(MDX_ESM.fullmatch(line.strip()) for line in lines)

    def raw_block(self, element: etree.Element, depth: int) -> tuple[m.Block, ...] | None:
        """pandoc's raw block (```` ```{=html} ````), None for anything else.
        Raw HTML is read as any raw HTML is, through the allowlist (read/
        rawhtml.py), and shown in every format; a page break in raw TeX is
        one; raw blocks for other tools' outputs (LaTeX, OpenXML, Typst …)
        are left out, with a warning."""
        pre = self.stashed(element.text) if not len(element) else None
        if not isinstance(pre, etree.Element) or not (kind := pre.get("data-raw-format")):
            return None
        line = int(pre.get("data-line", "0")) or self.line(element)
        text = pre.findtext("code") or ""
        if kind == "html":
            root, md, positions = markdown_tree(text, line + 1, self.lang)
            inner = Reader(source=self.source, md=md, positions=positions, notes=self.notes,
                           in_note=self.in_note, lang=self.lang, problems=self.problems, remote=self.remote,
                           shortcodes=self.shortcodes)
            blocks = inner.nested_blocks(list(root), depth + 1)
            self.inline_notes.extend(inner.inline_notes)
            # Tags not on the allowlist are said with the document's own, once a kind.
            found, outer = getattr(md, "raw_html_unsupported", None), getattr(self.md, "raw_html_unsupported", None)
            if found is not None and outer is not None:
                for tag, shown in found.found.items():
                    outer.found.setdefault(tag, []).extend(shown)
                for tag, places in found.left_out.items():
                    outer.left_out.setdefault(tag, []).extend(places)
                self.positions.starts.update(positions.starts)
            return blocks
        if kind in ("latex", "tex") and all(TEX_PAGE_BREAK.fullmatch(part) for part in text.split()) and text.strip():
            return (m.PageBreak(line=line),)
        self.warn("markdown.raw-format", line, f"a raw {kind} block ({{={kind}}}) is for another tool's "
                  f"{kind} output: left out")
        return ()

    def nested_blocks(self, elements: list[etree.Element], depth: int) -> tuple[m.Block, ...]:
        """Blocks inside a list item, quote or note: a heading there reads as a
        bold line, where links to the heading lead (its anchor)."""
        out: list[m.Block] = []
        for item in self.blocks(elements, depth):
            if isinstance(item, Heading):
                anchor = m.Anchor(id=item.id, line=item.line, heading=True)
                out.append(m.Paragraph(inlines=(anchor, m.Strong(children=item.title)), line=item.line))
            else:
                out.append(item)
        return tuple(out)

    def block(self, element: etree.Element, depth: int) -> m.Block:
        if depth > MAX_DEPTH:
            raise self.error("limit.depth", self.line(element), f"lists and quotes nest deeper than {MAX_DEPTH} levels")
        match element.tag:
            case "p":
                return self.paragraph(element)
            case "ul" | "ol":
                return self.list_block(element, depth)
            case "blockquote":
                inner = self.nested_blocks(list(element), depth + 1)
                blocks, attribution = split_attribution(inner)
                return m.Quote(blocks=blocks, attribution=attribution, line=self.line(element),
                               attribution_line=inner[-1].line if attribution else None)
            case "dl":
                return self.definition_list(element, depth)
            case "pre":
                return self.code_block(element)
            case "hr":
                return m.Rule(line=self.line(element))
            case "div" if "tabbed-set" in element.get("class", "").split():
                return self.tab_set(element, depth)
            case "div" if "admonition" in element.get("class", "").split():
                return self.admonition(element, depth)
            case "div" if element.get("data-div"):
                return self.div(element, depth)
            case "details":
                return self.details(element, depth)
            case tag:
                self.report("markdown.unsupported", self.line(element), f"unsupported element <{tag}>")
                # Never rendered: the problem stops the build.
                return m.Paragraph(inlines=(), line=self.line(element))

    def paragraph(self, element: etree.Element) -> m.Block:
        stashed = self.stashed(element.text) if len(element) == 0 else None
        if isinstance(stashed, etree.Element):
            return self.code_block(stashed)
        if is_figure(element):
            return self.figure(element[0])
        if is_equation(element):
            line = self.line(element[0])
            tex = element[0].get("tex", "").strip()
            self.check_math(tex, True, line)
            return m.Equation(tex=tex, id=element[0].get("id", ""), line=line)
        return m.Paragraph(inlines=trimmed(self.inlines(element)), line=self.line(element))

    def code_block(self, pre: etree.Element) -> m.CodeBlock | m.Equation:
        code = pre.find("code")
        fenced = "data-line" in pre.attrib  # kept raw by FencedCode, with its line
        if fenced:
            line = int(pre.get("data-line", "0"))
            text = code.text if code is not None else ""
            lang = code.get("data-lang") if code is not None else None
        elif isinstance(stashed := self.stashed(code.text if code is not None else None), etree.Element):
            # A fenced block indented past a list item's text, in raw HTML's
            # `markdown="1"` content: Python-Markdown read its stash's
            # placeholder as an indented block's text.
            return self.code_block(stashed)
        else:  # an indented block (or raw HTML's <pre>): Python-Markdown has HTML-escaped its text
            line = self.line(pre)
            text = html.unescape(code.text or "") if code is not None else ""
            lang = code.get(rawhtml.LANGUAGE_ATTRIBUTE) if code is not None else None
        text = (text or "").rstrip("\n")
        if fenced and lang == "math":  # GitHub's display formula, as pandoc's gfm reader reads it
            # MyST's directive options first (`:label: eq-x`): its label is
            # the equation's id, which numbers it; the others are its own.
            options = DIRECTIVE_OPTIONS.match(text)
            label = re.search(r"^:label:[ \t]*([A-Za-z][\w:.-]*)[ \t]*$", options[0], re.M) if options else None
            tex = text[options.end():] if options else text
            self.check_math(tex.strip(), True, line)
            return m.Equation(tex=tex.strip(), id=label[1] if label else "", line=line)
        if fenced and lang in DIAGRAMS:  # GitHub draws them; shown as code, they surprise without a word
            self.warn("markdown.diagram", line, f"a {DIAGRAMS[lang]} diagram is shown as its code: "
                      "briefing draws none (put a picture of it in the text)")
        return m.CodeBlock(lang=lang or None, text=text, label=pre.get("data-label", ""), line=line)

    def list_block(self, element: etree.Element, depth: int) -> m.ListBlock:
        line = self.line(element)
        items = []
        for li in element.findall("li"):
            task = {"todo": False, "done": True}.get(li.get("data-task", ""))
            items.append(m.ListItem(blocks=self.list_item(li, depth + 1), task=task, line=self.line(li)))
        start = int(element.get("start", "1")) if element.tag == "ol" else 1
        return m.ListBlock(ordered=element.tag == "ol", start=start,
                           style=element.get("data-style", "decimal"),
                           delimiter=element.get("data-delimiter", "period"),
                           items=tuple(items), loose=self.loose(items), line=line)

    def loose(self, items: list[m.ListItem]) -> bool:
        """A loose list, as CommonMark and pandoc read one: a blank line just
        before one of its items but the first, or before one of an item's
        blocks but the first (blank lines within a block, code, or within a
        nested list do not count; a quote's `>` alone is a blank line of the
        quote). Where pandoc's Markdown and CommonMark part (an item's text
        that a fenced code block follows directly: loose for pandoc's
        Markdown), CommonMark's reading is taken, as GitHub's documents want."""
        starts = [item.line for item in items[1:]]
        starts += [line for item in items for block in item.blocks[1:]
                   if (line := getattr(block, "line", None))]
        return any(self.blank(line - 1) for line in starts)

    def blank(self, number: int) -> bool:
        lines = self.source.lines
        return 1 <= number <= len(lines) and not lines[number - 1].strip(" \t>")

    def list_item(self, li: etree.Element, depth: int) -> tuple[m.Block, ...]:
        """A tight item holds inlines then maybe a sub-list; a loose one holds blocks."""
        children = list(li)
        split = next((i for i, child in enumerate(children) if child.tag in BLOCK_TAGS), len(children))
        blocks: list[m.Block] = []
        if (li.text or "").strip() or split:
            lead = etree.Element("p")
            lead.text = li.text
            lead.extend(children[:split])  # the inline children, with their tails
            self.positions.starts[lead] = self.text_line(li)
            self.positions.texts[lead] = self.text_line(li)
            blocks.append(self.paragraph(lead))
        blocks.extend(self.nested_blocks(children[split:], depth))
        return tuple(blocks)

    def table(self, element: etree.Element, caption: etree.Element | None) -> m.Table:
        line = self.line(element)
        head, *more = [tr.findall("th") for tr in element.findall("thead/tr")] or [[]]
        if not any(th.text and th.text.strip() or len(th) for th in head) and not more:
            head = []  # a header of empty cells is none, as pandoc reads it (a pipe table needs one)
        rows = element.findall("tbody/tr")
        if len(rows) > MAX_TABLE_ROWS:
            self.report("limit.table-rows", line, f"a table of {len(rows):,} rows is past the limit of "
                        f"{MAX_TABLE_ROWS:,}: split it, or attach the data as a file")
            rows = []  # not read: the problem stops the build
        columns = max([len(head), *(len(tr.findall("td")) for tr in rows)])
        aligns = tuple(cell_align(cell) for cell in (head or (rows[0].findall("td") if rows else [])))
        grid = [head, *more, *(tr.findall("td") for tr in rows)] if head else [tr.findall("td") for tr in rows]
        table = m.Table(head=tuple(self.cell(th) for th in head),
                        head_more=tuple(tuple(self.cell(th) for th in row) for row in more),
                        rows=tuple(tuple(self.cell(td) for td in tr.findall("td")) for tr in rows),
                        aligns=aligns + (None,) * (columns - len(aligns)),
                        widths=tuple(float(w) for w in element.get("data-widths", "").split()),
                        spans=tuple(m.CellSpan(number, column, *map(int, cell.get(rawhtml.SPAN, "").split()))
                                    for number, cells in enumerate(grid)
                                    for column, cell in enumerate(cells) if cell.get(rawhtml.SPAN)),
                        row_heads=tuple((number, column) for number, cells in enumerate(grid)
                                        for column, cell in enumerate(cells) if cell.get(rawhtml.ROW_HEAD)),
                        line=line)
        if caption is None:
            return table
        text, table_id = caption_parts(self.inlines(caption))
        return replace(table, caption=text, id=table_id or caption.get("id", ""),
                       caption_line=self.line(caption) or None)

    def cell(self, element: etree.Element) -> tuple[m.Block, ...]:
        """A cell's blocks: those of pandoc's multiline and grid tables, or
        one paragraph of a pipe or simple table's inlines; none in a place
        another cell spans."""
        if element.get(rawhtml.COVERED):
            return ()
        if any(child.tag in BLOCK_TAGS for child in element):
            return self.nested_blocks(list(element), 1)
        content = self.inlines(element)
        return (m.Paragraph(inlines=content, line=self.text_line(element) or self.line(element)),) \
            if content else ()

    def figure(self, img: etree.Element) -> m.Figure | m.Paragraph:
        src = img.get("src", "")
        line = self.line(img)
        if self.left_unread(src, line):  # its alt text in its place
            alt = plain_alt(img.get("alt", ""))
            if FIGURE_ID.match(img.get("id", "")):
                # A numbered figure (`{#fig-x}`) stays one, its caption and
                # number with it, a frame saying so in the picture's place:
                # the text's `@fig-x` and the numbers after it stay right.
                data = not_fetched(src).encode()
                return m.Figure(path="", mime="image/svg+xml", width=NOT_FETCHED[0], height=NOT_FETCHED[1],
                                data=data, alt=alt, caption=self.caption(" ".join(img.get("alt", "").split()), line),
                                id=img.get("id", ""), line=line)
            return m.Paragraph(inlines=(m.Text(text=alt),) if alt else (), line=line)
        if self.in_note:
            self.report("footnote.figure", line, "a footnote cannot hold a figure")
            return m.Paragraph(inlines=(), line=line)  # never rendered: the problem stops the build
        try:
            image = check_image(src, self.source.path.parent)
        except ImageProblem as problem:
            self.report("image.invalid", line, str(problem))
            return m.Paragraph(inlines=(), line=line)
        # Inline text, its line ends spaces: `![⏎    Words …⏎](x.png)` (a JOSS
        # paper's figures) read its indented line as a code block, no caption.
        alt = " ".join(img.get("alt", "").split())
        img.set("alt", alt)
        # An HTML <img> is a picture: its alt text describes it, no caption.
        caption = self.caption(alt, line) if not img.get(rawhtml.RAW) else ()
        width, height = self.display_size(img, line)
        return m.Figure(path=str(image.path), mime=image.mime, width=image.width, data=image.data,
                        height=image.height, alt=self.described(img, src, line), caption=caption,
                        id=img.get("id", ""), display_width=width, display_height=height, line=line)

    def left_unread(self, src: str, line: int) -> bool:
        """Whether an image is one briefing does not read, noting it for the
        warning that says so: on a server (one warning for them all,
        `remote`), or named by a site generator's template expression
        (NIST's `{{site.baseurl}}/…/media/x.png`), at its line."""
        if is_remote(src):
            self.remote.append((line, src))
            return True
        if LINK_TEMPLATE.search(src):
            self.warn("image.template", line, f"image '{excerpt(src, 60)}' is named by a template expression, "
                      "which only the site generator the page was written for fills in: shown as its alt text")
            return True
        return False

    def described(self, img: etree.Element, src: str, line: int) -> str:
        """An image's alternative text: Quarto's `fig-alt` where it has one
        (the caption being something else), else its Markdown alt text; said
        once where it has none, as a screen reader would say nothing of it."""
        alt = plain_alt(img.get("fig-alt") or img.get("alt") or "")
        if not alt.strip():
            self.warn("image.no-alt", line, f"image '{excerpt(src, 60)}' has no alternative text, which a screen "
                      "reader would say: describe it, ![what it shows](…)")
        return alt

    def display_size(self, img: etree.Element, line: int) -> tuple[m.Length | None, m.Length | None]:
        """The width and height an image's attributes set (`{width=50%}`)."""
        width, height, problems = display_size(img.get("width"), img.get("height"))
        for problem in problems:
            self.report("image.size", line, problem)
        return width, height

    def caption(self, alt: str, line: int) -> tuple[m.Inline, ...]:
        """The alt text read as Markdown, as pandoc reads a figure's caption."""
        if not alt.strip():
            return ()
        root, md, positions = markdown_tree(alt, line, self.lang, self.cites)
        paragraph = root.find("p")
        reader = Reader(source=self.source, md=md, positions=positions, problems=self.problems,
                        remote=self.remote, cites=self.cites, shortcodes=self.shortcodes)
        reader.garbled(line)
        return reader.inlines(paragraph) if paragraph is not None else ()

    def footnotes(self, notes: etree.Element) -> tuple[m.Footnote, ...]:
        """Footnote definitions, numbered by their first reference."""
        found = []
        self.in_note = True
        for li in notes.findall("ol/li"):
            label = li.get("id", "").removeprefix("fn:")
            line = self.line(li)
            if label not in self.notes:  # pandoc and GitHub leave it out too
                self.warn("footnote.unreferenced", line, f"footnote [^{label}] is never referenced: left out")
                continue
            drop_backlinks(li)
            found.append(m.Footnote(number=self.notes[label], line=line,
                                    blocks=self.nested_blocks(list(li), 1)))
        return tuple(sorted(found, key=lambda note: note.number))

    def definition_list(self, element: etree.Element, depth: int) -> m.DefinitionList:
        items: list[m.Definition] = []
        for child in element:
            if child.tag == "dt":
                term = self.inlines(child)
                if items and not items[-1].definitions and only_anchors(items[-1].term):
                    # `<a id="x"></a>` on the line above the term (google/styleguide's
                    # Python guide): the term's own place, not an empty term.
                    term, items = items[-1].term + term, items[:-1]
                items.append(m.Definition(term=term, definitions=(), line=self.line(child)))
            elif child.tag == "dd" and items:
                blocks = self.list_item(child, depth + 1)
                items[-1] = replace(items[-1], definitions=(*items[-1].definitions, blocks))
            else:
                self.report("definition.no-term", self.line(child), "a definition needs a term on the line above")
        return m.DefinitionList(items=tuple(items), line=self.line(element))

    def admonition(self, element: etree.Element, depth: int) -> m.Admonition:
        classes = [c for c in element.get("class", "").split() if c != "admonition"]
        children = list(element)
        title: tuple[m.Inline, ...] = ()
        if children and "admonition-title" in children[0].get("class", ""):
            title = self.inlines(children.pop(0))
        folded = {"closed": True, "open": False}.get(element.get("data-folded", ""))
        return m.Admonition(kind=admonition_kind(classes[0] if classes else "note"), title=title,
                            default_title=bool(element.get("data-default-title")) and not title,
                            folded=folded, blocks=self.nested_blocks(children, depth + 1),
                            line=self.line(element))

    def tab_set(self, element: etree.Element, depth: int) -> m.TabSet:
        """MkDocs' content tabs (read/tabs.py): each label the title of the
        content after it."""
        tabs: list[m.Tab] = []
        for child in element:
            if child.tag == "label":
                tabs.append(m.Tab(title=self.inlines(child), blocks=(), line=self.line(child)))
            elif child.tag == "div" and tabs:
                tabs[-1] = replace(tabs[-1], blocks=self.nested_blocks(list(child), depth + 1))
        return m.TabSet(tabs=tuple(tabs), line=self.line(element))

    def details(self, element: etree.Element, depth: int) -> m.Admonition:
        """MkDocs' `???` (closed) and `???+` (open) notes, by pymdownx.details,
        and raw HTML's <details> (a note, its <summary> the title)."""
        children = list(element)
        title: tuple[m.Inline, ...] = ()
        if children and children[0].tag == "summary":
            summary = children.pop(0)
            title = self.inlines(summary[0] if len(summary) and summary[0].tag in HEADING_TAGS
                                 else summary)
        kind = admonition_kind((element.get("class") or "note").split()[0])
        return m.Admonition(kind=kind, title=title, default_title=not title,
                            folded="open" not in element.attrib,
                            blocks=self.nested_blocks(children, depth + 1), line=self.line(element))

    def div(self, element: etree.Element, depth: int) -> m.Block:
        """A fenced div. One that holds only an image is a figure (with the
        div's id), as is Quarto's figure div, `{#fig-…}` round an image and
        a paragraph that captions it; round several images (and a caption)
        it is a figure of sub-figures (see `figure_group`)."""
        line = self.line(element)
        ident = element.get("id", "")
        side_by_side = self.images_apart(element) if ident.startswith("fig-") else 1
        blocks = self.nested_blocks(list(element), depth + 1)
        match blocks:
            case (m.Figure() as figure,):
                return replace(figure, id=figure.id or ident)
            case (m.Figure() as figure, m.Paragraph(inlines=caption)) if ident.startswith("fig-"):
                return replace(figure, id=figure.id or ident, caption=caption)
            case (m.Figure(), m.Figure(), *_) if ident.startswith("fig-"):
                *figures, last = blocks
                if not isinstance(last, m.Paragraph):
                    figures.append(last)
                if all(isinstance(figure, m.Figure) for figure in figures):
                    return self.figure_group(element, [f for f in figures if isinstance(f, m.Figure)],
                                             last.inlines if isinstance(last, m.Paragraph) else (),
                                             side_by_side)
        classes = tuple(element.get("class", "").split())
        return m.Div(classes=classes, id=ident, blocks=blocks, formats=shown_in(classes, element), line=line)

    def images_apart(self, element: etree.Element) -> int:
        """A figure div's paragraphs of images only (`![a](a.png) ![b](b.png)`)
        split into one paragraph per image, each a sub-figure, as Quarto
        reads them; the most images one paragraph held."""
        most = 1
        for index, child in reversed(list(enumerate(element))):
            images = [img for img in child if img.tag == "img"]
            if (child.tag != "p" or len(images) < 2 or len(images) != len(child)
                    or (child.text or "").strip() or any((img.tail or "").strip() for img in images)):
                continue
            most = max(most, len(images))
            element.remove(child)
            for offset, img in enumerate(images):
                paragraph = etree.Element("p")
                img.tail = None
                paragraph.append(img)
                self.positions.starts[paragraph] = self.positions.texts[paragraph] = self.line(img)
                element.insert(index + offset, paragraph)
        return most

    def figure_group(self, element: etree.Element, figures: list[m.Figure],
                     caption: tuple[m.Inline, ...], side_by_side: int) -> m.FigureGroup:
        """Quarto's figure div of several images: a figure of sub-figures
        lettered (a), (b) …, in the columns its `layout-ncol` (or
        `layout-nrow`, or `layout="[[1,1],[1]]"`) sets; without one, as
        many as stood side by side in one paragraph."""
        line = self.line(element)
        count = len(figures)
        columns = side_by_side
        ncol, nrow, layout = (element.get(f"data-{key}") for key in ("layout-ncol", "layout-nrow", "layout"))
        if ncol is not None or nrow is not None:
            key, value = ("layout-ncol", ncol) if ncol is not None else ("layout-nrow", nrow)
            if value is None or not value.strip().isdigit() or int(value) < 1:
                what = "columns" if key == "layout-ncol" else "rows"
                self.report("figure.layout", line, f"figure {key}={excerpt(value or '', 20)}: the number "
                            f"of {what} must be a whole number, 1 or more")
            elif ncol is not None:
                columns = int(value)
            else:
                columns = -(-count // int(value))
        elif layout is not None:
            rows = re.findall(r"\[([^\[\]]*)\]", layout)
            columns = max((len(re.findall(r"-?\d+(?:\.\d+)?", row)) for row in rows), default=0)
            if not columns:
                self.report("figure.layout", line, f"layout=\"{excerpt(layout, 30)}\": write rows of "
                            "columns, as Quarto does: layout=\"[[1,1],[1]]\"")
                columns = 1
        lettered = tuple(replace(figure, letter=sub_figure_letter(index), number=None)
                         for index, figure in enumerate(figures))
        return m.FigureGroup(figures=lettered, columns=max(1, min(columns, count)), caption=caption,
                             id=element.get("id", ""), line=line)

    # Inlines ---------------------------------------------------------------

    def inlines(self, element: etree.Element, refs: bool = True) -> tuple[m.Inline, ...]:
        """`refs`: whether `@sec-id` is a cross-reference here (not in link text).
        Markup nested past MAX_INLINE_DEPTH is refused, once, and read as its
        text: each level costs every backend's walk a few stack frames."""
        out: list[m.Inline] = self.text(element.text, self.text_line(element), refs)
        self.inline_depth += 1
        try:
            for child in element:
                if self.inline_depth > MAX_INLINE_DEPTH:
                    self.report("limit.depth", self.line(child) or self.text_line(element),
                                f"emphasis, links and spans nest deeper than {MAX_INLINE_DEPTH} levels")
                    out.append(m.Text(text="".join(child.itertext())))
                else:
                    out.extend(self.inline(child, refs))
                out.extend(self.text(child.tail, self.tail_line(child), refs))
        finally:
            self.inline_depth -= 1
        if len(element) and element[-1].tail and isinstance(out[-1], m.Text):
            out[-1] = self.closed(out[-1])
        return tuple(merged(hidden_spaced(out)))

    def closed(self, tail: m.Text) -> m.Text:
        """A quote alone after its parent's last element (`*"*The Art*"*`)
        closes, as pandoc reads it: smarty sees that tail on its own and
        opened it."""
        closing = syntax.closing_quotes(self.lang).get(tail.text)
        return m.Text(text=closing) if closing else tail

    def cross_refs(self, text: str, line: int) -> list[m.Inline]:
        """Text with Quarto's `@tbl-id` (pandoc-crossref's `@tbl:id`) split
        into Text and Ref nodes; several in brackets are joined by commas."""
        if "@" not in text:
            return [m.Text(text=text)]
        if "[" in text:
            text = BRACKETED_REFS.sub(lambda group: ", ".join(f"@{key}" for key in CROSS_REF.findall(group[0])),
                                      text)
        parts: list[m.Inline] = []
        position = 0
        for found in PREFIXED_REF.finditer(text) if "[" in text else ():
            parts += [*self.plain_refs(text[position:found.start()], line),
                      m.Ref(id=ref_key(found["key"]), prefix="" if found["none"] else found["prefix"], line=line)]
            position = found.end()
        return parts + self.plain_refs(text[position:], line)

    def plain_refs(self, text: str, line: int) -> list[m.Inline]:
        parts: list[m.Inline] = []
        position = 0
        for found in CROSS_REF.finditer(text):
            parts += [m.Text(text=text[position:found.start()]), m.Ref(id=ref_key(found[1]), line=line)]
            position = found.end()
        parts.append(m.Text(text=text[position:]))
        return parts

    def check_math(self, tex: str, display: bool, line: int) -> None:
        try:
            to_mathml(tex, display)
        except MathProblem as problem:
            shown = tex if len(tex) <= 40 else tex[:37] + "..."
            self.report("math.invalid", line, f"formula ${shown}$: {problem}")

    def inline_note(self, element: etree.Element, line: int, refs: bool) -> m.FootnoteRef:
        """`^[text]`: a note numbered with the others, in the order called."""
        if self.in_note:
            raise self.error("footnote.nested", line, "a footnote cannot refer to another footnote")
        number = len(self.notes) + 1
        self.notes[f" inline {number}"] = number  # a label no `[^label]` can have
        self.in_note = True
        try:
            text = self.inlines(element, refs)
        finally:
            self.in_note = False
        self.inline_notes.append(m.Footnote(number=number, line=line,
                                            blocks=(m.Paragraph(inlines=text, line=line),)))
        return m.FootnoteRef(number=number, first=True, line=line)

    def inline(self, element: etree.Element, refs: bool) -> tuple[m.Inline, ...]:
        line = self.line(element)
        if element.tag == syntax.NOTE_TAG:
            return (self.inline_note(element, line, refs),)
        if element.tag == rawhtml.ANCHOR_TAG:
            return (m.Anchor(id=element.get("id", ""), line=line),)
        if element.tag == critic.TAG:  # a reviewer's change (an error until resolved) or comment
            kind = element.get("kind", "")
            message = critic.said(kind, unmarked(element.get("raw", "")), unmarked(element.get("old", "")))
            if kind == "comment":
                self.warn("critic.comment", line, message)
            elif kind != "highlight":
                self.report("critic.change", line, message)
            return () if kind == "comment" else self.inlines(element, refs)
        if element.tag == rawhtml.TEXT_TAG:
            return (m.Text(text=element.text or ""),)
        if element.tag == syntax.SHORTCODE_TAG:
            written = element.text or ""
            erb = "<%" if written.startswith("<%") else ""  # ERB's tags: said once, whatever they say
            if (key := name_of(written, LIQUID_TAG) or erb) and key not in self.shortcodes:
                self.shortcodes.add(key)
                self.warn("markdown.shortcode", line, f"{kind_of(written)} {excerpt(written, 60)} shown as written: "
                          "briefing runs none")
            return (m.Text(text=written),)
        if element.tag == citations.CITE_TAG:
            return (citations.node(element, self.line, self.plain),)
        if element.tag == syntax.MATH_TAG:
            self.check_math(element.get("tex", "").strip(), element.get("display") == "1", line)
        if (node := syntax.node(element, lambda inner: self.inlines(inner, refs), line)) is not None:
            return (node,)
        match element.tag:
            case "em":
                return (m.Emph(children=self.inlines(element, refs)),)
            case "strong":
                return (m.Strong(children=self.inlines(element, refs)),)
            case "code":
                return (m.Code(text=SOFT_BREAK.sub(" ", html.unescape(element.text or ""))),)
            case "br":
                return (m.LineBreak(),)
            case "a":
                if element.text and AMP_SUBSTITUTE in element.text:  # an automatic mail link's
                    # A character reference in it may decode to what no output
                    # holds (`<a&#12;b@c.org>`): said once, by check_link, of the target.
                    element.text = XML_INVALID.sub("", decoded(element.text))
                # `[](#access){:name="access"}` (kramdown, NIST's glossary), `[x](y){#id}`:
                # the place the link names, before it.
                place = self.link_place(element, line)
                children = self.inlines(element, refs=False)
                if not children and (place or element.get(rawhtml.NAMING)):
                    return place  # `<a href="#x" name="x"></a>`: the place it names is all it is, as pandoc shows it
                href = element.get("href", "")
                checked = check_link(href, angled=f"(<{href}>" in self.source_line(line))
                children = children or (m.Text(text=checked.target),)
                if checked.problem is None:
                    return place + (m.Link(target=checked.target, children=children,
                                           title=element.get("title"), line=line),)
                if checked.severity == "warning":
                    self.warn(checked.code, line, checked.problem)
                else:
                    self.report(checked.code, line, checked.problem)
                if checked.code == LINK_WORDS:  # as GitHub shows it
                    title = f' "{element.get("title")}"' if element.get("title") else ""
                    return place + (m.Text(text="["), *children, m.Text(text=f"]({checked.target}{title})"))
                return place + children  # its words, as text
            case "abbr":
                return (m.Abbr(text=element.text or "", title=element.get("title", "")),)
            case "sup" if element.get("id", "").startswith("fnref"):
                if self.in_note:
                    self.report("footnote.nested", line, "a footnote cannot refer to another footnote")
                    return ()
                link = element.find("a")
                label = (link.get("href", "") if link is not None else "").removeprefix("#fn:")
                first = label not in self.notes
                number = self.notes.setdefault(label, len(self.notes) + 1)
                return (m.FootnoteRef(number=number, first=first, line=line),)
            case "img":
                return self.image(element, line)
            case "li":  # a list item amid a line's text (`text <li>item</li>`): its words on a line of their own
                return (m.LineBreak(), *self.inlines(element, refs))
            case tag:
                self.report("markdown.unsupported", line, f"unsupported inline element <{tag}>")
                return ()

    def link_place(self, link: etree.Element, line: int) -> tuple[m.Inline, ...]:
        """The place a Markdown link's own attributes name (`{#id}`, or
        kramdown's `{:name="id"}`), taken off it: an anchor, as raw HTML's
        `<a name>` is one."""
        ident = link.attrib.pop("id", None) or link.attrib.pop("name", None)
        return (m.Anchor(id=ident, line=line),) if ident and rawhtml.ID.fullmatch(ident) else ()

    def image(self, img: etree.Element, line: int) -> tuple[m.Inline, ...]:
        """An image in the line (a badge, an icon), checked as a figure is;
        a remote one shows its alt text, and is said once (`remote`)."""
        src, alt = img.get("src", ""), plain_alt(img.get("alt", ""))
        words: tuple[m.Inline, ...] = (m.Text(text=alt),) if alt else ()
        if self.left_unread(src, line):
            return words
        try:
            image = check_image(src, self.source.path.parent)
        except ImageProblem as problem:
            self.report("image.invalid", line, str(problem))
            return words
        width, height = self.display_size(img, line)
        return (m.Image(path=str(image.path), mime=image.mime, width=image.width, data=image.data,
                        height=image.height, alt=self.described(img, src, line), title=img.get("title"),
                        display_width=width, display_height=height, line=line),)


def drop_backlinks(li: etree.Element) -> None:
    """Python-Markdown's `↩` links and the placeholder before them."""
    for parent in li.iter():
        for child in list(parent):
            if "footnote-backref" in child.get("class", ""):
                parent.remove(child)
        if parent.text and NBSP_PLACEHOLDER in parent.text:
            parent.text = parent.text.replace(NBSP_PLACEHOLDER, "").rstrip() or None
        if parent.tail and NBSP_PLACEHOLDER in parent.tail:
            parent.tail = parent.tail.replace(NBSP_PLACEHOLDER, "").rstrip() or None


# Quarto's format names, as its `when-format` matches them, to ours.
QUARTO_FORMATS = {"html": "html", "html4": "html", "html5": "html", "pdf": "pdf", "latex": "pdf",
                  "beamer": "pdf", "typst": "pdf", "docx": "docx", "openxml": "docx"}


def shown_in(classes: tuple[str, ...], element: etree.Element) -> tuple[str, ...]:
    """The formats a Quarto `.content-visible` or `.content-hidden` div shows
    in, by its `when-format` or `unless-format` (another kind of condition,
    `when-meta`, is not known here: shown); () for every format."""
    visible, hidden = "content-visible" in classes, "content-hidden" in classes
    when, unless = element.get("data-when-format"), element.get("data-unless-format")
    if not (visible or hidden) or (when is None and unless is None):
        return ()
    named = {QUARTO_FORMATS.get(name.strip().lower(), "") for name in (when or unless or "").split(",")} - {""}
    if (visible and when is not None) or (hidden and unless is not None):
        return tuple(f for f in m.FORMATS if f in named) or ("none",)
    return tuple(f for f in m.FORMATS if f not in named) or ("none",)


SHORTCODE = re.compile(r"\{\{(?:<\s*(?P<name>[\w/-]+)(?:\s[^\n]*?)?\s*>|%\s*(?P<hugo>[\w/-]+)(?:\s[^\n]*?)?\s*%)\}\}"
                       # Jekyll's include of another file (read/liquid.py reads the tags it can)
                       r"|\{%-?\s*(?P<liquid>include(?:_relative|_cached)?|render)\s[^\n]*?-?%\}")


# MDX's one-line ES module statements: `import X from '@theme/X';`,
# `import {a, b} from "./c";`, `export const meta = {…};`.
MDX_ESM = re.compile(r"""import\s+(?:[\w$]+|\*\s+as\s+[\w$]+|\{[^}]*\})(?:\s*,\s*\{[^}]*\})?\s+from\s+(['"])[^'"]+\1;?"""
                     r"|import\s+(['\"])[^'\"]+\2;?|export\s+(?:const|let|var)\s+[\w$]+\s*=.*"
                     r"|export\s+default\s+[\w$.]+\s*;?|export\s+(?:async\s+)?function\s+[\w$]+\s*\(.*"
                     r"|export\s*\{[^}]*\}(?:\s*from\s+(['\"])[^'\"]+\3)?\s*;?")

SHORTCODE_ATTRIBUTE = re.compile(r'([A-Za-z][\w-]*)="([^"]*)"')  # `title="OMB Circular A-11"`

# A Jinja or Nunjucks expression over several lines, alone in its paragraph
# (not Hugo's `{{<`, `{{%`, which SHORTCODE reads): `{{ f('x', { … }) }}`.
TEMPLATE_CALL = re.compile(r"\{\{(?![<%])[\s\S]*\}\}")

# Fenced blocks GitHub draws as diagrams, by their language.
DIAGRAMS = {"mermaid": "Mermaid", "geojson": "GeoJSON", "topojson": "TopoJSON", "stl": "STL"}

LIQUID_TAG = re.compile(r"\{%-?\s*(?P<liquid>[A-Za-z_]\w*)[^%\n]*%\}")  # a Liquid tag in a line, by its name


def shortcodes(element: etree.Element) -> list[tuple[str, int]]:
    """The name of each shortcode a paragraph is made of, each alone on its
    line (`{{< pagebreak >}}`, Hugo's `{{% note %}}`, NIST's
    `{% include_relative sec1.md %}` line after line), and how many lines
    after the paragraph's first it stands; or none."""
    if not len(element):
        return [(name, 0)] if (name := name_of((element.text or "").strip())) else []
    if unmarked(element.text or "").strip():
        return []
    found, below = [], (element.text or "").count("\n")
    for index, child in enumerate(element):  # as the inline pattern took each
        tail = unmarked(child.tail or "")
        last = index == len(element) - 1
        if child.tag != syntax.SHORTCODE_TAG or tail.strip() or (not last and "\n" not in tail):
            return []
        if not (name := name_of(unmarked(child.text or "").strip())):
            return []
        found.append((name, below))
        below += tail.count("\n")
    return found


def name_of(written: str, also: re.Pattern[str] | None = None) -> str:
    """The name of the shortcode (or, with `also`, of the tag it matches)
    `written` is whole, or ""."""
    found = SHORTCODE.fullmatch(written) or (also.fullmatch(written) if also else None)
    return next((v for v in found.groupdict().values() if v), "") if found else ""


def kind_of(written: str) -> str:
    return "Liquid tag" if written.startswith("{%") else "ERB tag" if written.startswith("<%") else "shortcode"


def sub_figure_letter(index: int) -> str:
    """a, b … z, then aa, ab …: a sub-figure's letter, as Quarto's."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[index] if index < 26 else sub_figure_letter(index // 26 - 1) + letters[index % 26]


def is_equation(element: etree.Element) -> bool:
    """A paragraph holding one display formula (`$$…$$`) and nothing else."""
    return (len(element) == 1 and element[0].tag == syntax.MATH_TAG and element[0].get("display") == "1"
            and not (element.text or "").strip() and not (element[0].tail or "").strip())


def is_figure(element: etree.Element) -> bool:
    """A paragraph holding one image and nothing else."""
    return (len(element) == 1 and element[0].tag == "img" and not (element.text or "").strip()
            and not (element[0].tail or "").strip())


FIGURE_ID = re.compile(r"fig[-:]")
NOT_FETCHED = (480, 160)  # CSS pixels: the frame in a remote figure's place


def not_fetched(src: str) -> str:
    """An SVG frame that says the picture at `src` was not fetched, naming its host."""
    host = html.escape(urlsplit(src).netloc or src[:60])
    width, height = NOT_FETCHED
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}"><rect x="1" y="1" width="{width - 2}" height="{height - 2}" '
            'fill="#f2f2f2" stroke="#8c8c8c" stroke-width="2" stroke-dasharray="8 6"/>'
            f'<text x="{width // 2}" y="{height // 2 - 6}" text-anchor="middle" font-family="sans-serif" '
            'font-size="18" fill="#404040">Picture not fetched</text>'
            f'<text x="{width // 2}" y="{height // 2 + 20}" text-anchor="middle" font-family="sans-serif" '
            f'font-size="14" fill="#595959">{host}</text></svg>')


DIRECTIVE_OPTIONS = re.compile(r"(?:[ \t]*:[A-Za-z][\w-]*:[^\n]*\n)+")  # MyST's `:label: x` lines


def ref_key(written: str) -> str:
    """The id a reference points at: `@Fig-x` at `#fig-x`."""
    return written[0].lower() + written[1:]


def plain_alt(alt: str) -> str:
    """Alt text for readers and screen readers: without Markdown's marks
    (emphasis's stars and underscores, code's backquotes), the words inside
    code as written (`S_n`, pandoc's reading: `Sn` was read aloud)."""
    pieces, position = [], 0
    for found in ALT_CODE.finditer(alt):
        pieces += [EMPHASIS_MARKS.sub("", alt[position:found.start()]), found[2].strip()]
        position = found.end()
    pieces.append(EMPHASIS_MARKS.sub("", alt[position:]))
    return " ".join("".join(pieces).split())


ALT_CODE = re.compile(r"(`+)(.+?)\1")
# A run of stars or underscores that opens or closes emphasis: at a word's
# start or end, not inside one (`c_d`, `snake_case` keep theirs).
EMPHASIS_MARKS = re.compile(r"(?<![\w*_])[*_]+|[*_]+(?![\w*_])")


def split_attribution(blocks: tuple[m.Block, ...]) -> tuple[tuple[m.Block, ...], tuple[m.Inline, ...]]:
    """A quote whose last paragraph starts with `—` (or `--`) names its source."""
    match blocks:
        case (*rest, m.Paragraph(inlines=(m.Text(text=first), *more))) if rest and ATTRIBUTION.match(first):
            text = ATTRIBUTION.sub("", first, count=1)
            return tuple(rest), ((m.Text(text=text),) if text else ()) + tuple(more)
        case _:
            return blocks, ()


def cell_align(cell: etree.Element) -> str | None:
    # Python-Markdown writes the alignment row's colons as `text-align: x;`.
    style = cell.get("style", "").replace(" ", "")
    return next((align for align in m.ALIGNS if f"text-align:{align}" in style), None)


def caption_parts(inlines: tuple[m.Inline, ...]) -> tuple[tuple[m.Inline, ...], str]:
    """A caption without its `Table:` prefix and trailing `{#id}`, and the id."""
    parts = list(inlines)
    if parts and isinstance(parts[0], m.Text):
        parts[0] = m.Text(text=CAPTION.sub("", parts[0].text, count=1))
    table_id = ""
    if parts and isinstance(parts[-1], m.Text) and (found := CAPTION_ID.search(parts[-1].text)):
        table_id = found[1]
        parts[-1] = m.Text(text=parts[-1].text[:found.start()])
    return tuple(part for part in parts if not (isinstance(part, m.Text) and not part.text)), table_id


SPACE_RUN = re.compile(r"[ \t]+")


def hidden_spaced(inlines: list[m.Inline]) -> list[m.Inline]:
    """Text for screen readers alone after a space takes that space into
    it, where a space, a sign or its run's end follows: where the print and
    Word leave it out, one space stays ("the guidance  first" in Word, the
    MOD's "(opens in a new tab)" gone)."""
    out = list(inlines)
    for index in range(1, len(out)):
        item, before = out[index], out[index - 1]
        after = out[index + 1] if index + 1 < len(out) else None  # none: the run's end, a space after it
        if isinstance(item, m.Span) and m.VISUALLY_HIDDEN in item.classes and isinstance(before, m.Text) \
                and before.text.endswith(" ") \
                and (after is None or isinstance(after, m.Text) and not after.text[:1].isalnum()):
            out[index - 1] = m.Text(text=before.text[:-1])
            out[index] = replace(item, children=(m.Text(text=" "), *item.children))
    return out


def merged(inlines: list[m.Inline]) -> list[m.Inline]:
    """Runs of Text as one, without empty ones, one space where two met
    (`Then <x-tag></x-tag> here`: what stood between them is gone)."""
    out: list[m.Inline] = []
    for item in inlines:
        if isinstance(item, m.Text):
            if not item.text:
                continue
            if out and isinstance(out[-1], m.Text):
                joined = item.text[1:] if out[-1].text.endswith(" ") and item.text.startswith(" ") else item.text
                out[-1] = m.Text(text=out[-1].text + joined)
                continue
        out.append(item)
    return out


SPACES = " \t\n\r"


def trimmed(inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    """A paragraph's or heading's inlines without the spaces that raw HTML
    leaves at its start and end (a `<button>` indented on its own line inside
    an `<h2>`), which Word would show: pandoc drops them too. A no-break
    space stays: an author wrote it. So too the spaces beside a line break
    (`one<br>` and the next line: Word began that line with a space)."""
    return edge(edge(beside_breaks(inlines), first=True), first=False)


def beside_breaks(inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    out = []
    for index, item in enumerate(inlines):
        if isinstance(item, m.Text):
            text = item.text
            if index and isinstance(inlines[index - 1], m.LineBreak):
                text = text.lstrip(SPACES)
            if index + 1 < len(inlines) and isinstance(inlines[index + 1], m.LineBreak):
                text = text.rstrip(SPACES)
            if not text:
                continue
            item = m.Text(text=text) if text != item.text else item
        out.append(item)
    return tuple(out)


def edge(inlines: tuple[m.Inline, ...], first: bool) -> tuple[m.Inline, ...]:
    """`inlines` with the spaces at its start (or end) taken off, inside the
    span, emphasis or link that stands there too."""
    if not inlines:
        return inlines
    index = 0 if first else -1
    item, rest = inlines[index], inlines[1:] if first else inlines[:-1]
    match item:
        case m.Text(text=text):
            kept = text.lstrip(SPACES) if first else text.rstrip(SPACES)
            if not kept:
                return edge(rest, first)
            item = m.Text(text=kept)
        case m.Span() | m.Emph() | m.Strong() | m.Link():
            item = replace(item, children=edge(item.children, first))
    return (item, *rest) if first else (*rest, item)


# Section tree ----------------------------------------------------------------

@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    title: tuple[m.Inline, ...]
    line: int
    classes: tuple[str, ...] = ()


def anchors_carried(blocks: list[m.Block | Heading]) -> list[m.Block | Heading]:
    """A paragraph of anchors alone (`<a id="old_anchor"></a>` on its line,
    as google/eng-practices keeps old links working) put at the start of
    the paragraph or heading after it: alone it was an empty paragraph, a
    blank line in Word, and in print a heading above it stayed with it at a
    page's foot while the text went on over the page."""
    out: list[m.Block | Heading] = []
    for block in blocks:
        if out and isinstance(carried := out[-1], m.Paragraph) and only_anchors(carried.inlines):
            anchors = tuple(i for i in carried.inlines if isinstance(i, m.Anchor))
            if isinstance(block, m.Paragraph) and block.portion is None:
                out[-1] = replace(block, inlines=anchors + block.inlines)
                continue
            if isinstance(block, Heading):
                out[-1] = replace(block, title=anchors + block.title)
                continue
        out.append(block)
    return out


def only_anchors(inlines: tuple[m.Inline, ...]) -> bool:
    return any(isinstance(i, m.Anchor) for i in inlines) and all(
        isinstance(i, m.Anchor) or isinstance(i, m.Text) and not i.text.strip() for i in inlines)


def attachment_classes(div: etree.Element) -> None:
    """`::: {.annex}` round a heading and its text: the heading is the
    annex's (appendix's, tab's), as if written `# Title {.annex}`."""
    kinds = [c for c in div.get("class", "").split() if c in m.ATTACHMENT_KINDS]
    heading = next((child for child in div if child.tag in HEADING_TAGS), None)
    if kinds and heading is not None:
        heading.set("class", " ".join([*heading.get("class", "").split(), *kinds]))


def title_of(items: list[m.Block | Heading], source: Source, reader: Reader
             ) -> tuple[list[m.Block | Heading], tuple[m.Inline, ...], Heading | None]:
    """The title of a text whose front matter gives none (a README, a page
    written for GitHub): its opening heading (title_heading), the headings
    under it then a level higher, as pandoc's --shift-heading-level-by=-1
    makes a `#`; else the file's name, with a warning. The items without
    that heading, the title, and the heading (None: the file's name)."""
    if (index := title_heading(items)) is not None:
        first = items[index]
        assert isinstance(first, Heading)
        return lifted(items, index), first.title, first
    reader.warn("meta.title-from-name", 1, f"no title: the file's name, '{source.path.stem}', stands for it "
                "(give one with 'title:' in the front matter, or open the text with a '#' heading)")
    return items, (m.Text(text=source.path.stem),), None


def without_repeated_title(items: list[m.Block | Heading], title: str
                           ) -> tuple[list[m.Block | Heading], Heading | None]:
    """The items without an opening heading that says the front matter's
    title again (NIST's `title: Definitions and Abbreviations` over
    `# Definitions and Abbreviations {#def-and-acr}`, a Jekyll habit): the
    title showed twice. It goes as a heading taken for the title does
    (title_of); the title takes its id (transform/ids.py)."""
    index = title_heading(items)
    if index is None:
        return items, None
    first = items[index]
    if not isinstance(first, Heading) or not said_alike(m.plain_text(first.title), title):
        return items, None
    return lifted(items, index), first


def title_heading(items: list[m.Block | Heading]) -> int | None:
    """Where the heading a text opens with stands, when it is the one
    heading of its top level (`#`; `##` in a NIST section file): the text's
    title. A logo, a row of badges or a short label may stand before it
    (CISA's baselines open with `**TLP:CLEAR**`, many READMEs with their logo)."""
    index = next((i for i, item in enumerate(items) if isinstance(item, Heading)), None)
    if index is None or not all(furniture(item) for item in items[:index]):
        return None
    first = items[index]
    assert isinstance(first, Heading)
    top = min(item.level for item in items if isinstance(item, Heading))
    if first.level == top and first.title \
            and not any(isinstance(item, Heading) and item.level == top for item in items[index + 1:]):
        return index
    return None


def furniture(item: m.Block | Heading) -> bool:
    """Whether a block before a README's `#` is furniture, not text: pictures
    alone, or a label of a few words."""
    match item:
        case m.Figure() | m.FigureGroup():
            return True
        case m.Paragraph(inlines=inlines):
            words = m.plain_text(inlines).strip()
            return pictures_alone(inlines) or 0 < len(words) <= LABEL and not words.endswith(".")
    return False


LABEL = 40  # characters: a label before a README's title (TLP:CLEAR), not a sentence


def pictures_alone(inlines: tuple[m.Inline, ...]) -> bool:
    """Pictures, linked or not (a row of badges), and nothing else to read."""
    def bare(item: m.Inline) -> bool:
        match item:
            case m.Image() | m.Anchor() | m.LineBreak():
                return True
            case m.Text(text=text):
                return not text.strip()
            case m.Link(children=children):
                return all(bare(child) for child in children)
        return False
    return any(isinstance(item, (m.Image, m.Link)) for item in inlines) and all(bare(item) for item in inlines)


def lifted(items: list[m.Block | Heading], index: int) -> list[m.Block | Heading]:
    """The items without the title's heading (at `index`), the headings
    after it a level higher."""
    first = items[index]
    assert isinstance(first, Heading)
    return [*items[:index], *(replace(item, level=item.level - first.level) if isinstance(item, Heading) else item
                              for item in items[index + 1:])]


def said_alike(one: str, other: str) -> bool:
    return " ".join(one.split()).casefold() == " ".join(other.split()).casefold()


def section_tree(items: list[m.Block | Heading]) -> tuple[tuple[m.Block, ...], tuple[m.Section, ...]]:
    """Nest a flat run of blocks and headings: each heading owns what follows
    it up to the next heading of the same or a higher level."""
    preamble, index = blocks_until_heading(items, 0)
    sections, _ = sections_from(items, index, 0)
    return preamble, sections


def blocks_until_heading(items: list[m.Block | Heading], index: int) -> tuple[tuple[m.Block, ...], int]:
    start = index
    while index < len(items) and not isinstance(items[index], Heading):
        index += 1
    return tuple(items[start:index]), index  # type: ignore[arg-type]


def sections_from(items: list[m.Block | Heading], index: int, parent_level: int
                  ) -> tuple[tuple[m.Section, ...], int]:
    sections: list[m.Section] = []
    while index < len(items):
        heading = items[index]
        assert isinstance(heading, Heading)
        if heading.level <= parent_level:
            break
        blocks, index = blocks_until_heading(items, index + 1)
        children, index = sections_from(items, index, heading.level)
        sections.append(m.Section(level=heading.level, title=heading.title, id=heading.id,
                                  blocks=blocks, children=children, line=heading.line,
                                  classes=heading.classes))
    return tuple(sections), index


# Entry point -------------------------------------------------------------------

def check_shape(source: Source, first_line: int) -> None:
    """Refuse, before Python-Markdown meets them, what would make it recurse
    too deep or work for minutes: deep nesting, and runs of `[` in one block
    (its link patterns try every pair: 20,000 take it 100 s or more)."""
    brackets, block_start, divs = 0, first_line, 0
    fence = ""  # the fence of the code block the line is in
    for number in range(first_line, len(source.lines) + 1):
        line = source.lines[number - 1]
        if (after := syntax.fence_after(line, fence)) is not None or fence:
            # Code, however deep its lines stand in (an R data frame's
            # columns, 93 spaces): nothing in it nests.
            fence = fence if after is None else after
            continue
        expanded = line.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip(" "))
        divs = fence_depth(line, divs)  # fenced divs (read/divs.py) nest too
        # Lists nest by their items: text indented deep without a marker is
        # an item's text or code, one level.
        deep_item = indent // 4 > MAX_DEPTH and LIST_ITEM.match(expanded, indent)
        if quote_depth(line) > MAX_DEPTH or deep_item or divs > MAX_DEPTH:
            raise source.error(number, f"lists and quotes nest deeper than {MAX_DEPTH} levels",
                               "limit.depth")
        if not line.strip():
            brackets, block_start = 0, number + 1
            continue
        brackets += line.count("[") - line.count("\\[")
        if brackets > MAX_BRACKETS:
            raise source.error(block_start, f"more than {MAX_BRACKETS} '[' in one paragraph: "
                               "split it, or write \\[ for a literal bracket", "limit.brackets")


LIST_ITEM = re.compile(rf"{LIST_MARKER}(?:[ \t]|$)")


def quote_depth(line: str) -> int:
    depth = 0
    for char in line:
        if char == ">":
            depth += 1
        elif char not in " \t":
            break
    return depth


def trailing_metadata(lines: Sequence[str]) -> int | None:
    """Where a YAML metadata block that ends the text starts (`---`, a
    mapping, `---` or `...`, after a blank line, pandoc's syntax), or None."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    if end < 3 or lines[end - 1].rstrip() not in ("---", "..."):
        return None
    start = next((n for n in range(end - 2, -1, -1) if lines[n].rstrip() == "---"), None)
    if start is None or end - start < 3 or (start and lines[start - 1].strip()) or not lines[start + 1].strip():
        return None
    import yaml

    try:
        value = yaml.safe_load("\n".join(lines[start + 1:end - 1]))
    except yaml.YAMLError:
        return None
    return start if isinstance(value, dict) and value else None


def parse(source: Source, meta: m.Meta, body_line: int,
          problems: list[Problem] | None = None, fragment: bool = False) -> m.Document:
    """The document model of a source whose front matter is already read.
    Problems the reading can go on after are added to `problems`, for the
    later stages to report with their own; without it, they are raised here.
    A `fragment` (the abstract) leaves the bibliography to the body's reading."""
    check_shape(source, body_line)
    # The front matter (YAML) and abbreviations' expansions are never read
    # as Markdown: CriticMarkup there is found by its braces.
    critic_in_front = [number for number, text in enumerate(source.lines, 1)
                       if (number < body_line or critic.ABBREVIATION.match(text)) and critic.ANY.search(text)]
    lines = list(source.lines[body_line - 1:])
    if (block := trailing_metadata(lines)) is not None and not fragment:
        # pandoc's YAML metadata block at the document's end (openjournals'
        # papers keep their LaTeX settings there): settings, not text.
        (problems if problems is not None else []).append(Problem(
            source.name, body_line + block, "a YAML metadata block after the text (pandoc's, for "
            "another tool's settings): left out", code="meta.trailing-block", severity="warning"))
        lines = lines[:block]
    body = "\n".join(katex.unrendered(figure_shortcodes.figures(lines)))
    cites = bool(meta.bibliography)
    try:
        root, md, positions = markdown_tree(body, body_line, meta.lang, cites)
    except RecursionError:
        raise source.error(body_line, "the Markdown nests too deeply to read", "limit.depth") from None
    reader = Reader(source=source, md=md, positions=positions,
                    problems=[] if problems is None else problems, lang=meta.lang, cites=cites,
                    marked=meta.portion_marking)
    reader.garbled(body_line)
    for number in critic_in_front:  # front matter: YAML, which holds no markup
        reader.report("critic.change", number, "CriticMarkup in the front matter or an abbreviation: "
                      "resolve the change or comment, and take the markup out")
    notes = root.find("div[@class='footnote']")
    if notes is not None:
        root.remove(notes)
    items = reader.blocks(list(root), 0)
    derived: tuple[m.Inline, ...] = ()
    dropped: Heading | None = None  # the heading that is the title
    if not meta.title and meta.memo is None and not fragment:  # none in the front matter (or none at all)
        items, derived, dropped = title_of(items, source, reader)
    front_title = () if fragment or derived else read_title(source, meta, "title", meta.title)
    if meta.title and meta.memo is None and not fragment:
        items, dropped = without_repeated_title(items, m.plain_text(front_title) or meta.title)
    preamble, sections = section_tree(items)
    footnotes = reader.footnotes(notes) if notes is not None else ()
    footnotes = tuple(sorted((*footnotes, *reader.inline_notes), key=lambda note: note.number))
    abbreviations: dict[str, str] = next((ext.abbrs for ext in md.registeredExtensions
                          if isinstance(ext, AbbrExtension)), {})
    definitions: Abbreviation = md.parser.blockprocessors["abbr"]
    abstract = read_abstract(source, meta, reader.problems)
    title = () if fragment else derived or front_title
    if dropped is not None and dropped.id:  # its `{#id}` names the title now
        title = (*(title or (m.Text(text=meta.title),)), m.Anchor(id=dropped.id, line=dropped.line))
    subtitle = () if fragment else read_title(source, meta, "subtitle", meta.subtitle)
    read_authors = () if fragment else tuple(read_title(source, meta, "authors", author) for author in meta.authors)
    authors = tuple(inlines or (m.Text(text=author),) for inlines, author in zip(read_authors, meta.authors)) \
        if any(read_authors) else ()
    if title or subtitle or authors:  # their plain text is the metadata's, as pandoc's
        meta = replace(meta, title=m.plain_text(title) if title else meta.title,
                       subtitle=m.plain_text(subtitle) if subtitle else meta.subtitle,
                       authors=tuple(m.plain_text(author) for author in authors) if authors else meta.authors)
    enclosures = read_enclosures(meta, source.path.parent, source.name, reader.problems) \
        if meta.enclosures else ()
    sources = load_sources(source, meta, reader.problems) if cites and not fragment else None
    if reader.remote:
        reader.warn("image.remote", reader.remote[0][0], remote_images(reader.remote))
    unsupported = getattr(md, "raw_html_unsupported", None)
    for tag, shown in (unsupported.found.items() if unsupported else ()):
        line, _, raw = min((reader.line(element) or body_line, raw.startswith("</"), raw)
                           for raw, element in shown)
        reader.warn("html.unsupported", line,
                    f"HTML <{tag}> is not supported: it is shown as text, as written ({raw[:40]})")
    for name, places in (unsupported.components.items() if unsupported else ()):
        reader.warn("markdown.shortcode", min((place if isinstance(place, int) else reader.line(place)) or body_line
                                              for place in places),
                    f"the site's component <{name}> left out, what it holds kept: briefing runs none "
                    "(a Vue, MDX or Astro component, or a web component)")
    for tag, places in (unsupported.left_out.items() if unsupported else ()):
        reader.warn("html.left-out", min((place if isinstance(place, int) else reader.line(place)) or body_line
                                         for place in places),
                    f"HTML <{tag}> left out, with what it holds: code for a browser, which a reader never sees")
    if problems is None and any(not problem.warning for problem in reader.problems):
        raise BriefingError(sorted(reader.problems, key=lambda problem: problem.line or 0))
    return m.Document(meta=meta, blocks=preamble, sections=sections, path=source.name,
                      footnotes=footnotes, abbreviations=tuple(sorted(abbreviations.items())),
                      abbreviation_lines=tuple(sorted((short, definitions.lines[short])
                                                      for short in abbreviations
                                                      if short in definitions.lines)),
                      source=source.text, abstract=abstract, title=title, subtitle=subtitle, authors=authors,
                      enclosures=enclosures, sources=sources, title_heading=dropped is not None)
