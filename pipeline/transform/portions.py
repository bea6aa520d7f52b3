"""The markings stage: portion marks read off the text, every marking
checked against the banner and the front matter, all problems at once, and
the banner's roll-up from its portions.

With `portion_marking: true`, every piece of author text is in a portion
(README, "Markings"):
- these carry their own mark, at the very start, whatever inline markup
  stands around or inside it (`**(U)**`, `*(S//NF)*`, a link, an
  abbreviation such as `*[CUI]: …`): the title, headings, paragraphs and
  list items, table and figure captions, admonition titles, definition
  terms, a quote's attribution (`— (U) Source`);
- a table's cells and a figure's alt text belong to the caption's portion;
  a cell may open with its own mark, which may not be above the caption's;
- a code block belongs to the paragraph directly before it, in the same
  list item, quote or note; one with no paragraph before it is an error;
  code that opens with a mark may not be above that paragraph's;
- the subtitle and the short title belong to the title's portion unless
  they carry their own mark;
- an abbreviation's expansion carries its own mark (`*[CUI]: (U) Controlled
  Unclassified Information`), or belongs to the portions that use it and is
  marked as their roll-up; one with neither is an error;
- a cited bibliography entry carries its own mark in its `portion` field
  (transform/cite_portions.py).

A mark moves out of the text into the node's `portion` field (the title's
into Meta), so every backend shows it the same way. The rules are in
markings/rules.py; the roll-up is stored on the document (`rollup`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import assert_never

from pipeline.markings import blocks as marking_blocks
from pipeline.markings import rules as markings
from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import Reporter
from pipeline.transform import cite_portions

# An attempt at a mark: capitals in brackets at the very start of the text.
MARK = re.compile(r"\(([A-Z][A-Z0-9 ,/\-]*)\)\s*")
LOWER_MARK = re.compile(r"\(([A-Za-z][A-Za-z0-9 ,/\-]*)\)")
EXAMPLES = {"us": "(U)", "nato": "(NU)", "uk": "(O)"}
Inlines = tuple[m.Inline, ...]


@dataclass
class Portions:
    reporter: Reporter
    scheme: str
    banner: markings.Marking | None  # None when the banner itself is wrong
    banner_text: str
    seen: list[markings.Portion] = field(default_factory=list)
    # The blocks in tables' cells (by identity): they belong to the
    # caption's portion, and carry no mark of their own.
    in_cells: set[int] = field(default_factory=set)
    # What a reader calls a paragraph that opens something else (a list
    # item, a footnote, a quote), by identity: said so in its problem.
    kinds: dict[int, str] = field(default_factory=dict)
    # Where each abbreviation is used: the portions it stands in.
    abbreviation_uses: dict[str, list[markings.Portion]] = field(default_factory=dict)

    def take(self, inlines: Inlines, line: int | None, what: str
             ) -> tuple[str | None, Inlines]:
        """The portion mark at the start of some text, and the text without
        it. The mark is found in the text a reader sees, so inline markup
        around or inside it (emphasis, a link, an abbreviation) is no
        obstacle; the markup is kept for what follows the mark."""
        text = leading_text(inlines)
        found = MARK.match(text)
        if found is None:
            self.missing(line, what, text)
            return None, inlines
        mark = " ".join(found.group(1).split())
        portion = self.read(mark, line, what)
        if portion is not None:
            self.note_abbreviations((inlines,), portion)
        return mark, drop(inlines, found.end())

    def take_text(self, text: str, line: int | None, what: str, required: bool = True
                  ) -> tuple[str | None, str]:
        """The same for front-matter text (the title) and expansions."""
        found = MARK.match(text)
        if found is None:
            if required:
                self.missing(line, what, text)
            return None, text
        mark = " ".join(found.group(1).split())
        self.read(mark, line, what)
        return mark, text[found.end():]

    def missing(self, line: int | None, what: str, text: str = "") -> None:
        self.reporter.error(line, "portion.missing", f"{what} has no portion mark such as "
                            f"{EXAMPLES[self.scheme]} (portion_marking is on){self.in_capitals(text)}")

    def in_capitals(self, text: str) -> str:
        """A hint for a mark written in small letters (`(u)`, `(cui)`), which
        reads as one in capitals; "" for anything else."""
        found = LOWER_MARK.match(text)
        if found is None or found[1] == found[1].upper():
            return ""
        mark = found[1].upper()
        return "" if isinstance(markings.read_portion(mark, self.scheme), str) else \
            f": ({found[1]}) is in small letters; did you mean ({mark})?"

    def read(self, mark: str, line: int | None, what: str) -> markings.Portion | None:
        marking = markings.read_portion(mark, self.scheme)
        if isinstance(marking, str):
            self.reporter.error(line, "portion.invalid", marking)
            return None
        portion = markings.Portion(mark, marking, line, what)
        self.seen.append(portion)
        return portion

    def note_abbreviations(self, runs: tuple[Inlines, ...], portion: markings.Portion) -> None:
        for run in runs:
            for item in walk.nested_inlines(run):
                if isinstance(item, m.Abbr):
                    self.abbreviation_uses.setdefault(item.text, []).append(portion)

    def last(self) -> markings.Portion | None:
        return self.seen[-1] if self.seen else None


def leading_text(inlines: Inlines, limit: int = 120) -> str:
    """The text a reader sees at the start of some inlines, through
    emphasis, links and abbreviations, up to the first other node."""
    parts: list[str] = []
    size = 0
    for item in inlines:
        match item:
            case m.Text(text=text) | m.Abbr(text=text):
                parts.append(text)
            case (m.Emph(children=children) | m.Strong(children=children) | m.Link(children=children)
                  | m.Strike(children=children) | m.Sub(children=children) | m.Sup(children=children)
                  | m.Span(children=children)):
                inner = leading_text(children, limit - size)
                parts.append(inner)
                if len(inner) < len(m.plain_text(children)):
                    break  # it stopped inside: so do we
            case m.Anchor():
                parts.append("")  # nothing to see: read on past it
            case m.Code() | m.LineBreak() | m.FootnoteRef() | m.Ref() | m.Image() | m.Math() | m.Cite():
                break
            case _:
                assert_never(item)
        size += len(parts[-1])
        if size >= limit:
            break
    return "".join(parts)


def drop(inlines: Inlines, count: int) -> Inlines:
    """The inlines without their first `count` characters of text; markup
    left empty by it (the `**` of `**(U)**`) goes too."""
    out: list[m.Inline] = []
    for index, item in enumerate(inlines):
        if count <= 0:
            return tuple(out) + inlines[index:]
        match item:
            case m.Text(text=text):
                if len(text) > count:
                    out.append(m.Text(text=text[count:]))
                count -= len(text)
            case m.Abbr(text=text):
                if len(text) > count:
                    out.append(dataclasses.replace(item, text=text[count:]))
                count -= len(text)
            case (m.Emph(children=children) | m.Strong(children=children) | m.Link(children=children)
                  | m.Strike(children=children) | m.Sub(children=children) | m.Sup(children=children)
                  | m.Span(children=children)):
                size = len(leading_text(children, 10**6))
                rest = drop(children, count)
                if rest:
                    out.append(dataclasses.replace(item, children=rest))
                count -= size
            case m.Anchor():
                out.append(item)
            case m.Code() | m.LineBreak() | m.FootnoteRef() | m.Ref() | m.Image() | m.Math() | m.Cite():
                return tuple(out) + inlines[index:]
            case _:
                assert_never(item)
    return tuple(out)


def mark_portions(doc: m.Document, reporter: Reporter) -> m.Document:
    """The document with portion marks in place and its roll-up; every
    marking problem of the front matter and of the text reported."""
    meta = doc.meta
    for key, code, message in meta_problems(meta):
        reporter.error(meta.line_of(key) or 1, code, message)
    banner = markings.read_banner(meta.classification, meta.marking_scheme)
    if not meta.portion_marking:
        return doc
    scheme = banner.scheme if banner else (meta.marking_scheme or "us")
    state = Portions(reporter, scheme, banner, meta.classification, kinds=paragraph_kinds(doc))
    doc = mark_meta(doc, state)
    doc = walk.map_document(doc, section=lambda s: mark_section(s, state),
                            block=lambda b: mark_block(b, state))
    check_code_blocks(doc, state)
    doc = mark_abbreviations(doc, state)
    doc = cite_portions.mark_entries(doc, reporter, scheme, EXAMPLES[scheme], state.seen)
    if meta.reference_section_title and doc.sources is not None and not meta.suppress_bibliography:
        # The bibliography's heading, when the author words it: a portion,
        # shown as written, mark and all.
        state.take_text(meta.reference_section_title, meta.line_of("reference-section-title"),
                        "reference-section-title")
    if banner is None:
        return doc
    _, rollup, findings = markings.roll_up(banner, meta.classification, state.seen)
    banner_line = meta.line_of("classification")
    for finding in findings:
        if finding.warning:
            reporter.warning(finding.line or banner_line, finding.code, finding.message, path=finding.path)
        else:
            reporter.error(finding.line or banner_line, finding.code, finding.message, path=finding.path)
    return dataclasses.replace(doc, rollup=rollup)


def paragraph_kinds(doc: m.Document) -> dict[int, str]:
    """What a reader calls each paragraph that opens a list item, a
    footnote or stands in a quote (a list item's problem was said of a
    "paragraph"), by identity."""
    kinds: dict[int, str] = {}
    for block in walk.blocks(doc):
        match block:
            case m.ListBlock(items=items):
                kinds.update((id(item.blocks[0]), "list item") for item in items
                             if item.blocks and isinstance(item.blocks[0], m.Paragraph))
            case m.Quote(blocks=blocks):
                kinds.update((id(inner), "quoted paragraph") for inner in blocks if isinstance(inner, m.Paragraph))
    kinds.update((id(note.blocks[0]), "footnote") for note in doc.footnotes
                 if note.blocks and isinstance(note.blocks[0], m.Paragraph))
    return kinds


def meta_problems(meta: m.Meta) -> list[tuple[str, str, str]]:
    """(front-matter key, code, message) for the banner and the first page's blocks."""
    if problem := markings.classification_problem(meta.classification, meta.marking_scheme):
        return [("classification", "marking.classification", problem)]
    return [(key, "marking.block", message) for key, message in marking_blocks.block_problems(meta)]


def mark_meta(doc: m.Document, state: Portions) -> m.Document:
    """The title's mark off the title (DoDM 5200.01 Vol 2 marks titles and
    subjects as portions); the subtitle's and short title's, if they have one.
    The title and subtitle read as Markdown lose the same leading text."""
    meta = doc.meta
    portion, title = state.take_text(meta.title, meta.line_of("title"), "the title")
    if portion and not title.strip():
        state.reporter.error(meta.line_of("title"), "portion.empty",
                             "the title has nothing after its portion mark")
        title = meta.title
    subtitle_portion, subtitle = (state.take_text(meta.subtitle, meta.line_of("subtitle"),
                                                  "the subtitle", required=False)
                                  if meta.subtitle else (None, None))
    short_portion, short = (state.take_text(meta.short_title, meta.line_of("short_title"),
                                            "the short title", required=False)
                            if meta.short_title else (None, None))
    shown_title = drop(doc.title, len(meta.title) - len(title)) if doc.title else ()
    shown_subtitle = (drop(doc.subtitle, len(meta.subtitle) - len(subtitle))
                      if doc.subtitle and meta.subtitle and subtitle else doc.subtitle)
    meta = dataclasses.replace(meta, title=title, title_portion=portion,
                               subtitle=subtitle or meta.subtitle, subtitle_portion=subtitle_portion,
                               short_title=short or meta.short_title, short_title_portion=short_portion)
    return dataclasses.replace(doc, meta=meta, title=shown_title, subtitle=shown_subtitle)


def mark_section(section: m.Section, state: Portions) -> m.Section:
    portion, title = state.take(section.title, section.line, "heading")
    return dataclasses.replace(section, portion=portion, title=title)


def mark_block(block: m.Block, state: Portions) -> m.Block:
    """The block's own marks taken off; the walk goes on into what is inside."""
    replace = dataclasses.replace
    if id(block) in state.in_cells:
        return block
    match block:
        case m.Paragraph(inlines=()):
            return block  # nothing to mark (a figure whose problem is reported)
        case m.Paragraph(inlines=inlines, line=line):
            portion, inlines = state.take(inlines, line, state.kinds.get(id(block), "paragraph"))
            return replace(block, portion=portion, inlines=inlines)
        case m.Admonition(title=()) if block.default_title or block.folded is not None:
            return block  # its title is the kind's name, the templates' wording
        case m.Admonition(title=title, line=line):
            portion, title = state.take(title, line, "admonition title")
            return replace(block, portion=portion, title=title)
        case m.FigureGroup(caption=caption, line=line):
            # Its caption is a portion; so is each sub-figure's (the walk goes on into them).
            if not caption:
                state.reporter.error(line, "portion.no-caption", "a figure needs a caption to "
                                     "carry its portion mark (portion_marking is on)")
                return block
            portion, caption = state.take(caption, line, "figure caption")
            return replace(block, portion=portion, caption=caption)
        case m.Table(caption=caption, line=line) | m.Figure(caption=caption, line=line):
            kind = "table" if isinstance(block, m.Table) else "figure"
            if not caption:
                state.reporter.error(line, "portion.no-caption", f"a {kind} needs a caption to "
                                     "carry its portion mark (portion_marking is on)")
                if isinstance(block, m.Table):
                    state.in_cells.update(id(inner) for inner in cell_blocks(block))
                return block
            before = len(state.seen)
            if isinstance(block, m.Table):
                line = block.caption_line or line  # a caption's problem at the caption
            portion, caption = state.take(caption, line, f"{kind} caption")
            own = state.last() if len(state.seen) > before else None
            if isinstance(block, m.Table):
                block = mark_cells(block, own, state)
                cells = cell_blocks(block)
                state.in_cells.update(id(inner) for inner in cells)
                if own:  # The cells belong to the caption's portion.
                    state.note_abbreviations(tuple(run for inner in cells
                                                   for run in walk.block_inlines(inner)), own)
            if isinstance(block, m.Figure) and portion:
                return replace(block, portion=portion, caption=caption, alt=without_mark(block.alt))
            return replace(block, portion=portion, caption=caption)
        case m.Quote(attribution=attribution, line=line) if attribution:
            portion, attribution = state.take(attribution, block.attribution_line or line,
                                              "quote's attribution (— …)")
            return replace(block, attribution=attribution, attribution_portion=portion)
        case m.DefinitionList(items=items, line=line):
            return replace(block, items=tuple(mark_term(item, item.line or line, state)
                                              for item in items))
        case m.TabSet(tabs=tabs):
            return replace(block, tabs=tuple(mark_tab(tab, state) for tab in tabs))
        case (m.ListBlock() | m.Quote() | m.CodeBlock() | m.Rule() | m.Div() | m.Equation() | m.PageBreak()
              | m.Bibliography()):
            return block
        case _:
            assert_never(block)


def mark_cells(table: m.Table, caption: markings.Portion | None, state: Portions) -> m.Table:
    """A cell belongs to its caption's portion, but one whose text opens
    with a mark of the scheme's levels (`(S)`, `(TS//NF)`, not `(A)`) is
    taken at its word: the mark is read and checked, and may not be above
    the caption's, whose portion the whole table is."""
    def cell(block: m.Block) -> m.Block:
        if not isinstance(block, m.Paragraph) or not (found := MARK.match(leading_text(block.inlines))):
            return block
        mark = " ".join(found.group(1).split())
        if mark.partition("//")[0].strip() not in markings.PORTION_LEVELS[state.scheme]:
            return block  # text such as (A) or (USA): no mark
        portion = state.read(mark, block.line, "table cell")
        if portion and caption and caption.marking.scheme == portion.marking.scheme and (
                problem := markings.portion_problem(mark, portion.marking, caption.marking,
                                                    f"({caption.mark})")):
            state.reporter.error(block.line, "portion.cell",
                                 f"table cell: {problem.replace('the banner', 'the caption')}, and the "
                                 "cells belong to the caption's portion: mark the caption as the table's "
                                 "highest")
        return dataclasses.replace(block, portion=mark, inlines=drop(block.inlines, found.end()))

    def cells(run: tuple[m.Block, ...]) -> tuple[m.Block, ...]:
        return tuple(walk.map_block(inner, cell) for inner in run)

    return dataclasses.replace(table, head=tuple(cells(c) for c in table.head),
                               head_more=tuple(tuple(cells(c) for c in row) for row in table.head_more),
                               rows=tuple(tuple(cells(c) for c in row) for row in table.rows))


def cell_blocks(table: m.Table) -> list[m.Block]:
    """Every block in a table's cells, nested ones too."""
    return [inner for cell in walk.block_children(table) for inner in walk.nested_blocks(cell)]


def mark_term(item: m.Definition, line: int, state: Portions) -> m.Definition:
    portion, term = state.take(item.term, line, "definition term")
    return dataclasses.replace(item, term=term, portion=portion)


def mark_tab(tab: m.Tab, state: Portions) -> m.Tab:
    if not tab.title:  # `=== ""`: no title, nothing to mark
        return tab
    portion, title = state.take(tab.title, tab.line, "tab title")
    return dataclasses.replace(tab, title=title, portion=portion)


def without_mark(text: str) -> str:
    found = MARK.match(text)
    return text[found.end():] if found else text


# Code blocks ------------------------------------------------------------------

def block_runs(doc: m.Document) -> Iterator[tuple[m.Block, ...]]:
    """Every run of sibling blocks: the abstract, before the first heading, in each
    section and footnote, and inside every list item, quote, note and
    definition; not in tables, whose cells are in the caption's portion."""
    yield doc.abstract
    yield doc.blocks
    for section in walk.sections(doc):
        yield section.blocks
    for note in doc.footnotes:
        yield note.blocks
    in_cells = {id(inner) for table in walk.blocks(doc) if isinstance(table, m.Table)
                for inner in cell_blocks(table)}
    for block in walk.blocks(doc):
        if not isinstance(block, m.Table) and id(block) not in in_cells:
            yield from walk.block_children(block)


def check_code_blocks(doc: m.Document, state: Portions) -> None:
    """A code block, or an equation, belongs to the paragraph directly
    before it. Code that opens with a mark of the scheme's levels (`(TS)
    …` on its first line) is taken at its word: the mark is read, rolled
    up, and may not be above the paragraph's."""
    for run in block_runs(doc):
        for before, block in zip((None, *run), run):
            if isinstance(block, (m.CodeBlock, m.Equation)) and not isinstance(before, m.Paragraph):
                what = "a code block" if isinstance(block, m.CodeBlock) else "an equation"
                state.reporter.error(block.line, "portion.code-block",
                                     f"{what} belongs to the portion of the paragraph "
                                     "directly before it, and this one has none: introduce it "
                                     f"with a marked paragraph, such as {EXAMPLES[state.scheme]} "
                                     "The commands:")
            if isinstance(block, m.CodeBlock):
                check_code_mark(block, before.portion if isinstance(before, m.Paragraph) else None,
                                state)


def check_code_mark(code: m.CodeBlock, owner: str | None, state: Portions) -> None:
    """The mark a code block's text opens with, if any, against the
    paragraph's it belongs to (`owner`)."""
    found = MARK.match(code.text)
    if not found or " ".join(found.group(1).split()).partition("//")[0].strip() \
            not in markings.PORTION_LEVELS[state.scheme]:
        return
    mark = " ".join(found.group(1).split())
    portion = state.read(mark, code.line, "code block")
    owned = markings.read_portion(owner, state.scheme) if owner else None
    if portion and isinstance(owned, markings.Marking) and (
            problem := markings.portion_problem(mark, portion.marking, owned, f"({owner})")):
        state.reporter.error(code.line, "portion.code-block",
                             f"code block: {problem.replace('the banner', 'the paragraph before it')}, "
                             "whose portion it belongs to: mark that paragraph as high as the code")


# Abbreviations ----------------------------------------------------------------

def mark_abbreviations(doc: m.Document, state: Portions) -> m.Document:
    """Each expansion's mark: its own (taken off it, and checked against
    every portion that shows it), or the roll-up of the portions using it."""
    if not doc.abbreviations:
        return doc
    expansions: dict[str, str] = {}
    marks: list[tuple[str, str]] = []
    lines = dict(doc.abbreviation_lines)
    for short, long in doc.abbreviations:
        # A problem of the expansion is told at its definition, `*[CUI]: …`.
        uses = state.abbreviation_uses.get(short, [])
        line = lines.get(short)
        mark, text = state.take_text(long, line, f"abbreviation {short}", required=False)
        expansions[short] = text
        if mark is not None:
            marks.append((short, mark))
            own = state.last()
            if own is None or own.mark != mark:
                continue  # the mark is invalid, and reported
            for use in uses:
                if use.marking.scheme == own.marking.scheme and markings.portion_problem(
                        mark, own.marking, use.marking, f"({use.mark})"):
                    state.reporter.error(use.line, "portion.abbreviation",
                                         f"{short} stands in a portion marked '({use.mark})', "
                                         f"but its expansion{f' (line {line})' if line else ''} "
                                         f"is marked '({mark})': the portion would show more "
                                         "than its mark allows")
        elif uses:
            marks.append((short, markings.derive(uses).portion()))
        else:
            state.reporter.error(line, "portion.missing",
                                 f"the expansion of abbreviation {short} (*[{short}]: …) has no "
                                 "portion mark, and no marked portion uses it: write "
                                 f"*[{short}]: {EXAMPLES[state.scheme]} {long}")

    def unmarked(item: m.Inline) -> m.Inline:
        if isinstance(item, m.Abbr) and item.text in expansions:
            return dataclasses.replace(item, title=expansions[item.text])
        return item

    doc = walk.map_document(doc, inline=unmarked)
    return dataclasses.replace(
        doc, abbreviations=tuple((short, expansions[short]) for short, _ in doc.abbreviations),
        abbreviation_marks=tuple(marks))
