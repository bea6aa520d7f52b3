"""The walks over the model, written once, as pandoc's `walk` and `query`.

Only `map_block`, `map_children`, `block_children` and `inline_children` know
where nodes nest; every pass (numbering, marking, resolving references) and
every query (figures, plain text) hands them a function. A new node kind is
added here, and mypy names every `match` that forgot it.

Maps are pre-order: a function sees a node before its children, and the
children of what it returned are mapped next, in reading order, so a pass
that numbers or claims ids meets them as a reader does.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from typing import TypeVar, assert_never

from pipeline.model.nodes import (Abbr, Admonition, Anchor, Bibliography, Block, Cell, Cite, Code, CodeBlock,
                                  DefinitionList, Div, Document, Emph, Equation, Figure, FigureGroup,
                                  FootnoteRef, PageBreak,
                                  Image, Inline, LineBreak, Link, ListBlock, Math, Paragraph, Quote,
                                  Ref, Rule, Section, Span, Strike, Strong, Sub, Sup, Table, TabSet, Text)

BlockFn = Callable[[Block], Block]
# An inline function returns a node, or a run of them to splice in its place.
InlineFn = Callable[[Inline], Inline | tuple[Inline, ...]]
SectionFn = Callable[[Section], Section]
Inlines = tuple[Inline, ...]
N = TypeVar("N")
T = TypeVar("T")


def same(node):
    return node


# Maps ------------------------------------------------------------------------

def map_document(doc: Document, *, block: BlockFn = same, inline: InlineFn = same,
                 section: SectionFn = same) -> Document:
    """The document with `section`, `block` and `inline` applied to every
    node of their kind: the title, subtitle and authors read as Markdown, the abstract,
    the blocks before the first heading, the sections
    (each heading before its blocks, its blocks before its subsections),
    then the footnotes. What a map leaves as it was is the same object
    (a pass that changes one heading does not copy every block)."""
    def one_section(node: Section) -> Section:
        node = section(node)
        return rebuilt(node, title=map_inlines(node.title, inline),
                       blocks=map_blocks(node.blocks, block, inline),
                       children=kept(tuple(one_section(child) for child in node.children), node.children))

    return rebuilt(
        doc, title=map_inlines(doc.title, inline), subtitle=map_inlines(doc.subtitle, inline),
        authors=kept(tuple(map_inlines(author, inline) for author in doc.authors), doc.authors),
        abstract=map_blocks(doc.abstract, block, inline),
        blocks=map_blocks(doc.blocks, block, inline),
        sections=kept(tuple(one_section(node) for node in doc.sections), doc.sections),
        footnotes=kept(tuple(rebuilt(note, blocks=map_blocks(note.blocks, block, inline))
                             for note in doc.footnotes), doc.footnotes))


def rebuilt(node: N, **fields: object) -> N:
    """`node` with `fields`: itself when each is what it has already."""
    if all(getattr(node, name) is value for name, value in fields.items()):
        return node
    return dataclasses.replace(node, **fields)  # type: ignore[type-var]  # N: a model dataclass


def kept(new: tuple[T, ...], old: tuple[T, ...]) -> tuple[T, ...]:
    """`old` when `new` holds the same objects: nothing in it changed."""
    if len(new) == len(old) and all(a is b for a, b in zip(new, old)):
        return old
    return new


def map_blocks(blocks: tuple[Block, ...], fn: BlockFn = same, inline: InlineFn = same
               ) -> tuple[Block, ...]:
    if fn is same and inline is same:  # a pass over headings only
        return blocks
    return kept(tuple(map_block(block, fn, inline) for block in blocks), blocks)


def map_block(block: Block, fn: BlockFn = same, inline: InlineFn = same) -> Block:
    """`fn` on the block, then on every block inside what it returned;
    `inline` on every inline of them all."""
    block = fn(block)

    def blocks(inner: tuple[Block, ...]) -> tuple[Block, ...]:
        return map_blocks(inner, fn, inline)

    def inlines(inner: Inlines) -> Inlines:
        return map_inlines(inner, inline)

    match block:
        case Paragraph(inlines=content):
            return rebuilt(block, inlines=inlines(content))
        case ListBlock(items=items):
            return rebuilt(block, items=kept(tuple(rebuilt(item, blocks=blocks(item.blocks))
                                                   for item in items), items))
        case Quote(blocks=content, attribution=attribution):
            return rebuilt(block, blocks=blocks(content), attribution=inlines(attribution))
        case DefinitionList(items=entries):
            return rebuilt(block, items=kept(tuple(
                rebuilt(entry, term=inlines(entry.term),
                        definitions=kept(tuple(blocks(d) for d in entry.definitions), entry.definitions))
                for entry in entries), entries))
        case Admonition(title=title, blocks=content):
            return rebuilt(block, title=inlines(title), blocks=blocks(content))
        case Div(blocks=content):
            return rebuilt(block, blocks=blocks(content))
        case Figure(caption=caption):
            return rebuilt(block, caption=inlines(caption))
        case FigureGroup(figures=figures, caption=caption):
            return rebuilt(block, caption=inlines(caption), figures=sub_figures(blocks(figures)))
        case TabSet(tabs=tabs):
            return rebuilt(block, tabs=kept(tuple(rebuilt(tab, title=inlines(tab.title), blocks=blocks(tab.blocks))
                                                  for tab in tabs), tabs))
        case Table(head=head, head_more=more, rows=rows, caption=caption):
            def cells(table_rows: tuple[tuple[Cell, ...], ...]) -> tuple[tuple[Cell, ...], ...]:
                return kept(tuple(kept(tuple(blocks(cell) for cell in row), row) for row in table_rows), table_rows)
            return rebuilt(block, caption=inlines(caption), head=kept(tuple(blocks(cell) for cell in head), head),
                           head_more=cells(more), rows=cells(rows))
        case Bibliography(entries=entries):
            return rebuilt(block, entries=kept(tuple(rebuilt(entry, inlines=inlines(entry.inlines))
                                                     for entry in entries), entries))
        case CodeBlock() | Rule() | Equation() | PageBreak():
            return block
        case _:
            assert_never(block)


def sub_figures(blocks: tuple[Block, ...]) -> tuple[Figure, ...]:
    """A group's sub-figures once mapped: a function may change a figure,
    never make it another kind of block."""
    assert all(isinstance(block, Figure) for block in blocks), "a sub-figure mapped to another block"
    return blocks  # type: ignore[return-value]  # checked just above


def map_inlines(inlines: Inlines, fn: InlineFn = same) -> Inlines:
    if fn is same:  # most passes touch only blocks: leave the inlines as they are
        return inlines
    out: list[Inline] = []
    for item in inlines:
        mapped = fn(item)
        if isinstance(mapped, tuple):
            # Some inlines in its place (a link undone into its words):
            # they are mapped as if they had stood there.
            out.extend(map_inlines(mapped, fn))
        else:
            out.append(map_children(mapped, fn))
    return kept(tuple(out), inlines)


def map_inline(item: Inline, fn: InlineFn) -> Inline:
    """`fn` on one inline, then on every inline inside what it returned."""
    mapped = fn(item)
    assert not isinstance(mapped, tuple), "an inline in a place for one"
    return map_children(mapped, fn)


def map_children(item: Inline, fn: InlineFn) -> Inline:
    match item:
        case (Link(children=children) | Emph(children=children) | Strong(children=children)
              | Strike(children=children) | Sub(children=children) | Sup(children=children)
              | Span(children=children) | Cite(children=children)):
            return rebuilt(item, children=map_inlines(children, fn))
        case Text() | Code() | LineBreak() | FootnoteRef() | Ref() | Abbr() | Image() | Anchor() | Math():
            return item
        case _:
            assert_never(item)


# Queries ---------------------------------------------------------------------

def sections(doc: Document) -> Iterator[Section]:
    """Every section, depth first, in reading order."""
    def below(nodes: tuple[Section, ...]) -> Iterator[Section]:
        for node in nodes:
            yield node
            yield from below(node.children)
    yield from below(doc.sections)


def blocks(doc: Document) -> Iterator[Block]:
    """Every block, nested ones included, in reading order: the abstract,
    before the first heading, in sections, in footnotes."""
    yield from nested_blocks(doc.abstract)
    yield from nested_blocks(doc.blocks)
    for section in sections(doc):
        yield from nested_blocks(section.blocks)
    for note in doc.footnotes:
        yield from nested_blocks(note.blocks)


def nested_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    for block in blocks:
        yield block
        for inner in block_children(block):
            yield from nested_blocks(inner)


def block_children(block: Block) -> tuple[tuple[Block, ...], ...]:
    """The runs of blocks directly inside a block."""
    match block:
        case ListBlock(items=items):
            return tuple(item.blocks for item in items)
        case Quote(blocks=content) | Admonition(blocks=content) | Div(blocks=content):
            return (content,)
        case FigureGroup(figures=figures):
            return (figures,)
        case TabSet(tabs=tabs):
            return tuple(tab.blocks for tab in tabs)
        case DefinitionList(items=entries):
            return tuple(d for entry in entries for d in entry.definitions)
        case Table(head=head, head_more=more, rows=rows):
            return (*head, *(cell for row in (*more, *rows) for cell in row))
        case Paragraph() | CodeBlock() | Rule() | Figure() | Equation() | PageBreak() | Bibliography():
            return ()
        case _:
            assert_never(block)


def block_inlines(block: Block) -> tuple[Inlines, ...]:
    """The runs of inlines directly in a block (not in its nested blocks)."""
    match block:
        case Paragraph(inlines=content):
            return (content,)
        case Quote(attribution=attribution):
            return (attribution,)
        case DefinitionList(items=entries):
            return tuple(entry.term for entry in entries)
        case TabSet(tabs=tabs):
            return tuple(tab.title for tab in tabs)
        case Admonition(title=title):
            return (title,)
        case Figure(caption=caption):
            return (caption,)
        case Table(caption=caption) | FigureGroup(caption=caption):
            return (caption,)
        case Bibliography(entries=entries):
            return tuple(entry.inlines for entry in entries)
        case ListBlock() | CodeBlock() | Rule() | Div() | Equation() | PageBreak():
            return ()
        case _:
            assert_never(block)


def inline_children(item: Inline) -> Inlines:
    match item:
        case (Link(children=children) | Emph(children=children) | Strong(children=children)
              | Strike(children=children) | Sub(children=children) | Sup(children=children)
              | Span(children=children) | Cite(children=children)):
            return children
        case Text() | Code() | LineBreak() | FootnoteRef() | Ref() | Abbr() | Image() | Anchor() | Math():
            return ()
        case _:
            assert_never(item)


def nested_inlines(inlines: Inlines) -> Iterator[Inline]:
    for item in inlines:
        yield item
        yield from nested_inlines(inline_children(item))


def inlines(doc: Document) -> Iterator[Inline]:
    """Every inline, nested ones included: the title's and authors', the
    headings' and every block's."""
    yield from nested_inlines(doc.title)
    yield from nested_inlines(doc.subtitle)
    for author in doc.authors:
        yield from nested_inlines(author)
    for section in sections(doc):
        yield from nested_inlines(section.title)
    for block in blocks(doc):
        for run in block_inlines(block):
            yield from nested_inlines(run)


# Text ------------------------------------------------------------------------

def plain_text(inlines: Inlines) -> str:
    """What a reader sees of some inlines, without formatting."""
    parts: list[str] = []
    for item in inlines:
        match item:
            case Text(text=text) | Code(text=text) | Abbr(text=text) | Image(alt=text):
                parts.append(text)
            case Math(tex=tex):
                parts.append(tex)
            case FootnoteRef() | Anchor():
                pass
            case Ref(number=number, title=title):
                parts.append(number or plain_text(title))
            case Emph() | Strong() | Link() | Strike() | Sub() | Sup() | Span():
                parts.append(plain_text(inline_children(item)))
            case Cite(children=children, items=items):
                parts.append(plain_text(children) if children else "; ".join(f"@{i.key}" for i in items))
            case LineBreak():
                parts.append(" ")
            case _:
                assert_never(item)
    return "".join(parts)


def block_text(block: Block) -> str:
    """What a reader sees of a block and everything in it, as one line."""
    match block:
        case CodeBlock(text=text) | Equation(tex=text):
            own = [text]
        case Figure(caption=caption, alt=alt):
            own = [plain_text(caption) or alt]
        case DefinitionList(items=entries):  # each term before its definitions
            return " ".join(" ".join([plain_text(entry.term), *(
                block_text(b) for d in entry.definitions for b in d)]) for entry in entries)
        case TabSet(tabs=tabs):  # each title before its content
            return " ".join(" ".join([plain_text(tab.title), *(block_text(b) for b in tab.blocks)])
                            for tab in tabs)
        case _:
            own = [plain_text(run) for run in block_inlines(block)]
    inner = [block_text(b) for run in block_children(block) for b in run]
    return " ".join(part for part in (*own, *inner) if part)


def caption_repeats_alt(figure: Figure) -> bool:
    """Whether a figure's caption says what its picture's alt text says, as
    `![caption](…)` writes both in one: a reader should hear it once. A
    caption of its own (Quarto's figure div, its picture's alt text apart)
    says something else, and is read as well."""
    def words(text: str) -> str:
        return " ".join(re.sub(r"[*_`]", "", text).split())
    said = words(plain_text(figure.caption))
    alt = words(figure.alt)
    if figure.portion and alt.startswith(f"({figure.portion})"):
        alt = alt[len(figure.portion) + 2:].lstrip()
    return bool(said) and said == alt


def reused(inlines: Inlines) -> Inlines:
    """A title said again elsewhere (a contents entry, a cross-reference):
    without its footnote calls, and with its links and references as plain
    words and without its anchors, so nothing is called, linked or claimed
    twice."""
    out: list[Inline] = []
    for item in inlines:
        match item:
            case FootnoteRef() | Anchor():
                pass
            case Link(children=children):
                out.extend(reused(children))
            case Ref():
                out.append(Text(text=plain_text((item,))))
            case Emph(children=children):
                out.append(Emph(children=reused(children)))
            case Strong(children=children):
                out.append(Strong(children=reused(children)))
            case Strike() | Sub() | Sup():
                out.append(dataclasses.replace(item, children=reused(item.children)))
            case Span(children=children):
                out.append(dataclasses.replace(item, children=reused(children), id=""))
            case Cite(children=children):
                out.extend(reused(children))
            case Text() | Code() | LineBreak() | Abbr() | Image() | Math():
                out.append(item)
            case _:
                assert_never(item)
    return tuple(out)
