"""`numbering: military`: paragraphs numbered as Army staff documents
number them (AR 25-50, Preparing and Managing Correspondence, and the
orders of FM 6-0): 1., then a., (1), (a), then 1 and a underlined, each
level's count starting again under each paragraph above it.

What is numbered, so that an order and a memorandum both come out right:

- headings: `# Situation` is "1.", its `## Enemy forces` "a." (an annex,
  appendix or tab is an order of its own: its headings start again at 1.);
  the text right under a heading is that paragraph's text, unnumbered
  ("3. EXECUTION. Commander's intent ...");
- a briefing without headings is a memorandum: its paragraphs are 1., 2. …
  (one paragraph alone is not numbered, as AR 25-50 says);
- ordered lists in the body (`1.`, `a.`, `(1)` as the author wrote them)
  are subparagraphs: each item a paragraph of the next level, its sub-list
  the level after; bullet lists and lists in notes, quotes and tables stay
  lists.

The portion mark follows the number (`1. (U) Text`, DoDM 5200.01). A
paragraph subdivided into one subparagraph alone (an `a.` with no `b.`) is
a warning, `numbering.lone`: AR 25-50 subdivides into two or more. A
paragraph deeper than the sixth level is an error at its line,
`numbering.depth`. A cross-reference to a numbered heading reads as the
regulation writes it, "paragraph 3b(2)" (`cites`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import Reporter

LEVELS = 6  # 1.  a.  (1)  (a)  1  a
UNDERLINED = (5, 6)  # the levels whose number is underlined
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def letter(n: int) -> str:
    """a … z, then aa, bb … as the sequence goes on."""
    return LETTERS[(n - 1) % 26] * ((n - 1) // 26 + 1)


def label(level: int, n: int) -> str:
    """The number as it stands before the paragraph's text."""
    return {1: f"{n}.", 2: f"{letter(n)}.", 3: f"({n})", 4: f"({letter(n)})",
            5: str(n), 6: letter(n)}[level]


def cite_part(number: str) -> str:
    """A level's part of a citation: "3." is 3, "b." b, "(2)" stays (2)."""
    return number.rstrip(".")


@dataclass
class Siblings:
    """The paragraphs numbered under one parent, at one level."""
    level: int
    lines: list[int] = field(default_factory=list)

    def next(self, line: int) -> int:
        self.lines.append(line)
        return len(self.lines)


@dataclass
class Numberer:
    reporter: Reporter

    def check(self, siblings: Siblings) -> None:
        if len(siblings.lines) == 1 and siblings.level >= 2:
            shown = label(siblings.level, 1)
            self.reporter.warning(siblings.lines[0], "numbering.lone",
                                  f"subparagraph {shown} stands alone: a paragraph is subdivided "
                                  f"into two or more (AR 25-50); add {label(siblings.level, 2)} "
                                  "or make it part of the paragraph above")

    def deeper(self, level: int, line: int) -> bool:
        if level <= LEVELS:
            return False
        self.reporter.error(line, "numbering.depth", f"a paragraph {level} levels deep: "
                            "military numbering has six (1., a., (1), (a), 1, a); "
                            "make it part of the paragraph above or move it up a level")
        return True

    # Runs of blocks -----------------------------------------------------------

    def run(self, blocks: tuple[m.Block, ...], level: int, siblings: Siblings,
            paragraphs: bool, closed: int = 0) -> tuple[m.Block, ...]:
        """Blocks at `level`: with `paragraphs`, each paragraph is numbered
        (a memorandum's) and an ordered list after one is its subparagraphs,
        but for the first `closed` paragraphs (a memo's one reference);
        else only ordered lists are, at `level`, under `siblings`' parent."""
        out: list[m.Block] = []
        under: Siblings | None = None  # the subparagraphs of the last numbered paragraph
        for block in blocks:
            match block:
                case m.Paragraph(line=line) if paragraphs and block.inlines:
                    if under is not None:
                        self.check(under)
                    if self.deeper(level, line):
                        out.append(block)
                        continue
                    n = siblings.next(line)
                    out.append(dataclasses.replace(block, number=label(level, n), level=level))
                    under = Siblings(level + 1) if n > closed else None
                case m.ListBlock(ordered=True) if not any(item.task is not None for item in block.items):
                    if paragraphs and under is not None:
                        out.extend(self.items(block, level + 1, under))
                        # Its subparagraphs end with the list: a list right
                        # after it (a memo's "1. Purpose" after its
                        # references) is numbered at this level.
                        self.check(under)
                        under = None
                    else:
                        out.extend(self.items(block, level, siblings))
                case m.Div(classes=classes) if "landscape" in classes or not classes:
                    out.append(dataclasses.replace(block, blocks=self.run(block.blocks, level, siblings,
                                                                          paragraphs)))
                case _:
                    out.append(block)
        if under is not None:
            self.check(under)
        return tuple(out)

    def items(self, block: m.ListBlock, level: int, siblings: Siblings) -> list[m.Block]:
        """A list's items as numbered paragraphs at `level`: an item's first
        paragraph carries the number, its other blocks follow it, a sub-list
        the next level."""
        out: list[m.Block] = []
        for item in block.items:
            if self.deeper(level, item.line):
                out.append(dataclasses.replace(block, items=(item,)))
                continue
            n = siblings.next(item.line)
            under = Siblings(level + 1)
            first, *rest = item.blocks or (m.Paragraph(inlines=(), line=item.line),)
            if isinstance(first, m.Paragraph):
                out.append(dataclasses.replace(first, number=label(level, n), level=level))
            else:  # an item that opens with code or a table: its number on a line of its own
                out += [m.Paragraph(inlines=(), number=label(level, n), level=level, line=item.line), first]
            for inner in rest:
                if isinstance(inner, m.ListBlock) and inner.ordered:
                    out.extend(self.items(inner, level + 1, under))
                else:
                    out.append(inner)
            self.check(under)
        return out

    # Sections -------------------------------------------------------------------

    def sections(self, nodes: tuple[m.Section, ...], level: int, siblings: Siblings
                 ) -> tuple[m.Section, ...]:
        return tuple(self.section(node, level, siblings) for node in nodes)

    def section(self, node: m.Section, level: int, siblings: Siblings) -> m.Section:
        if any(kind in node.classes for kind in m.ATTACHMENT_KINDS):
            # An annex, appendix or tab is an order of its own: from 1. again.
            return self.order(node)
        if self.deeper(level, node.line):
            return node
        number = label(level, siblings.next(node.line))
        under = Siblings(level + 1)
        blocks = self.run(node.blocks, level + 1, under, paragraphs=False)
        children = self.sections(node.children, level + 1, under)
        self.check(under)
        return dataclasses.replace(node, number=number, paragraph_level=level, blocks=blocks,
                                   children=children)

    def order(self, node: m.Section) -> m.Section:
        top = Siblings(1)
        blocks = self.run(node.blocks, 1, top, paragraphs=not node.children)
        if not node.children and len(top.lines) == 1:
            blocks = node.blocks  # one paragraph alone is not numbered
        children = self.sections(node.children, 1, top)
        return dataclasses.replace(node, number=None, blocks=blocks, children=children)


def number_paragraphs(doc: m.Document, reporter: Reporter) -> m.Document:
    if not doc.meta.military:
        return doc
    numberer = Numberer(reporter)
    top = Siblings(1)
    # With headings, the text before the first one (references, time zone,
    # task organization) is the order's heading, unnumbered; without, the
    # briefing is a memorandum and its paragraphs are numbered.
    memo = doc.meta.memo
    # A memo's one reference is its paragraph 1 whole (transform/staff.py).
    closed = 1 if memo is not None and len(memo.references) == 1 else 0
    blocks = numberer.run(doc.blocks, 1, top, paragraphs=not doc.sections, closed=closed)
    if not doc.sections and len(top.lines) == 1 and not any(
            isinstance(block, m.Paragraph) and block.level > 1 for block in blocks):
        blocks = doc.blocks  # a one-paragraph memorandum is not numbered
    sections = numberer.sections(doc.sections, 1, top)
    return dataclasses.replace(doc, blocks=blocks, sections=sections)


def cites(doc: m.Document) -> dict[str, str]:
    """How the body cites each numbered heading: "3b(2)", its number after
    those of the paragraphs above it, up to its order (the briefing, or its
    annex)."""
    return {ident: "".join(part for _, part in chain) for ident, chain in chains(doc).items()}


def chains(doc: m.Document) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each numbered heading's id, with the ids and citation parts of the
    headings from its order's top down to it: (("situation", "1"),
    ("enemy", "b"), ("composition", "(1)")); Word cites it with a field
    per level."""
    found: dict[str, tuple[tuple[str, str], ...]] = {}

    def below(nodes: tuple[m.Section, ...], above: tuple[tuple[str, str], ...]) -> None:
        for node in nodes:
            if node.number and node.paragraph_level:
                found[node.id] = (*above, (node.id, cite_part(node.number)))
                below(node.children, found[node.id])
            else:
                below(node.children, ())
    below(doc.sections, ())
    return found


def numbered_blocks(doc: m.Document) -> list[m.Paragraph]:
    """The numbered paragraphs, for tests and reports."""
    return [block for block in walk.blocks(doc) if isinstance(block, m.Paragraph) and block.number]
