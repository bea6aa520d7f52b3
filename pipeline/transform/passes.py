"""What every format needs, computed once on the model.

Portion marks and marking checks (portions.py), heading ids (explicit `{#id}` kept, others slugged as pandoc does, made
unique), section numbers when `numbering: true`, table and figure numbers,
cross-references resolved, and a check
that every internal link points at an id that exists. Backends only read the result.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
import unicodedata
from typing import assert_never

from pipeline import model as m
from pipeline.problems import BriefingError, Problem
from pipeline.transform.portions import apply_markings


# Ids the templates give elements of their own: an author's id may not take them.
RESERVED_IDS = {"toc-title": 0, **{f"fn-{n}": 0 for n in range(1, 1000)},
                **{f"fnref-{n}": 0 for n in range(1, 1000)}}


@dataclass
class Numbering:
    """What the walk has seen so far: ids with their lines, tables, problems."""
    path: str
    numbered_sections: bool
    ids: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # tables and figures so far
    problems: list[Problem] = field(default_factory=list)
    # What a cross-reference may point at: id -> (kind, number, title).
    targets: dict[str, tuple[str, str | None, tuple[m.Inline, ...]]] = field(default_factory=dict)

    def count(self, kind: str) -> int:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return self.counts[kind]

    def claim(self, ident: str, line: int) -> None:
        if ident in self.ids:
            where = (f"first used on line {self.ids[ident]}" if self.ids[ident]
                     else "the templates use it")
            self.problems.append(Problem(self.path, line, f"duplicate id '#{ident}' ({where})"))
        self.ids.setdefault(ident, line)


def nearest_id(ident: str, known) -> str:
    import difflib  # slow to import: only for a mistake

    close = difflib.get_close_matches(ident, list(known), n=1, cutoff=0.75)
    return f"; did you mean @{close[0]}?" if close else ""


def finish(doc: m.Document, earlier: list[Problem] | tuple[Problem, ...] = ()) -> m.Document:
    """The final model: portion marks, ids, numbers, checked references.
    Every problem found on the way, and those `earlier` stages could read
    past, is reported at once."""
    # Marks come off the headings first: they are no part of an id's slug.
    doc, problems, warnings = apply_markings(doc)
    problems = [*earlier, *problems]
    state = Numbering(path=doc.path, numbered_sections=doc.meta.numbering, problems=problems)
    state.ids.update(RESERVED_IDS)
    blocks = number_blocks(doc.blocks, state)
    sections = tuple(number_section(section, (index,), state)
                     for index, section in enumerate(doc.sections, start=1))
    doc = resolve_refs(dataclasses.replace(doc, blocks=blocks, sections=sections), state)
    if state.problems:
        raise BriefingError.of(sorted(state.problems, key=lambda problem: problem.line or 0))
    return dataclasses.replace(doc, warnings=tuple(warnings))


def number_section(section: m.Section, position: tuple[int, ...], state: Numbering) -> m.Section:
    section_id = section.id or unique(slug(m.plain_text(section.title)), state.ids)
    state.claim(section_id, section.line)
    blocks = number_blocks(section.blocks, state)
    children = tuple(number_section(child, (*position, index), state)
                     for index, child in enumerate(section.children, start=1))
    number = ".".join(map(str, position)) if state.numbered_sections else None
    state.targets[section_id] = ("section", number, m.reused(section.title))
    return dataclasses.replace(section, id=section_id, number=number, blocks=blocks,
                               children=children)


def number_blocks(blocks: tuple[m.Block, ...], state: Numbering) -> tuple[m.Block, ...]:
    return tuple(number_block(block, state) for block in blocks)


def number_block(block: m.Block, state: Numbering) -> m.Block:
    """Captioned tables and figures get the next number of their kind, in
    reading order; an id on one is claimed, captioned or not."""
    match block:
        case m.Table(caption=caption, id=ident, line=line) | m.Figure(caption=caption, id=ident, line=line):
            if ident:
                state.claim(ident, line)
            if not caption:
                return block
            kind = "table" if isinstance(block, m.Table) else "figure"
            number = state.count(kind)
            if ident:
                state.targets[ident] = (kind, str(number), m.reused(caption))
            return dataclasses.replace(block, number=number)
        case m.ListBlock(items=items):
            return dataclasses.replace(block, items=tuple(
                dataclasses.replace(item, blocks=number_blocks(item.blocks, state)) for item in items))
        case m.Quote(blocks=blocks) | m.Admonition(blocks=blocks):
            return dataclasses.replace(block, blocks=number_blocks(blocks, state))
        case m.DefinitionList(items=items):
            return dataclasses.replace(block, items=tuple(
                dataclasses.replace(item, definitions=tuple(number_blocks(d, state) for d in item.definitions))
                for item in items))
        case m.Paragraph() | m.CodeBlock() | m.Rule():
            return block
        case _:
            assert_never(block)


# Cross-references ------------------------------------------------------------

def resolve_refs(doc: m.Document, state: Numbering) -> m.Document:
    """Every Ref told what it points at; a Ref or an internal link to an
    unknown id is an error at its line."""
    def resolve(node: m.Ref | m.Link) -> m.Ref | m.Link:
        match node:
            case m.Link(target=target, line=line) if node.internal and target[1:] not in state.ids:
                known = ", ".join(f"#{name}" for name in [n for n, at in state.ids.items() if at][:8])
                state.problems.append(Problem(state.path, line, f"link to '{target}', which no "
                                              f"heading has as its id (ids: {known or 'none'})"))
            case m.Ref(id=ident, line=line) if ident not in state.targets:
                state.problems.append(Problem(state.path, line, f"cross-reference @{ident} "
                                              "points at no heading, table or figure with that id"
                                              + nearest_id(ident, state.targets)))
            case m.Ref(id=ident):
                kind, number, title = state.targets[ident]
                return dataclasses.replace(node, kind=kind, number=number, title=title)
        return node

    def section(node: m.Section) -> m.Section:
        return dataclasses.replace(node, title=map_inlines(node.title, resolve),
                                   blocks=map_blocks(node.blocks, resolve),
                                   children=tuple(section(child) for child in node.children))

    return dataclasses.replace(
        doc, blocks=map_blocks(doc.blocks, resolve),
        sections=tuple(section(node) for node in doc.sections),
        footnotes=tuple(dataclasses.replace(note, blocks=map_blocks(note.blocks, resolve))
                        for note in doc.footnotes))


def map_blocks(blocks: tuple[m.Block, ...], fix) -> tuple[m.Block, ...]:
    return tuple(map_block(block, fix) for block in blocks)


def map_block(block: m.Block, fix) -> m.Block:
    """The block with `fix` applied to each Ref and Link in it."""
    replace = dataclasses.replace
    match block:
        case m.Paragraph(inlines=inlines):
            return replace(block, inlines=map_inlines(inlines, fix))
        case m.ListBlock(items=items):
            return replace(block, items=tuple(replace(item, blocks=map_blocks(item.blocks, fix))
                                              for item in items))
        case m.Quote(blocks=blocks, attribution=attribution):
            return replace(block, blocks=map_blocks(blocks, fix),
                           attribution=map_inlines(attribution, fix))
        case m.DefinitionList(items=items):
            return replace(block, items=tuple(
                replace(item, term=map_inlines(item.term, fix),
                        definitions=tuple(map_blocks(d, fix) for d in item.definitions))
                for item in items))
        case m.Admonition(title=title, blocks=blocks):
            return replace(block, title=map_inlines(title, fix), blocks=map_blocks(blocks, fix))
        case m.Figure(caption=caption):
            return replace(block, caption=map_inlines(caption, fix))
        case m.Table(head=head, rows=rows, caption=caption):
            return replace(block, head=tuple(map_inlines(cell, fix) for cell in head),
                           rows=tuple(tuple(map_inlines(cell, fix) for cell in row) for row in rows),
                           caption=map_inlines(caption, fix))
        case m.CodeBlock() | m.Rule():
            return block
        case _:
            assert_never(block)


def map_inlines(inlines: tuple[m.Inline, ...], fix) -> tuple[m.Inline, ...]:
    return tuple(map_inline(item, fix) for item in inlines)


def map_inline(item: m.Inline, fix) -> m.Inline:
    match item:
        case m.Ref():
            return fix(item)
        case m.Link(children=children):
            return fix(dataclasses.replace(item, children=map_inlines(children, fix)))
        case m.Emph(children=children) | m.Strong(children=children):
            return dataclasses.replace(item, children=map_inlines(children, fix))
        case m.Text() | m.Code() | m.LineBreak() | m.FootnoteRef() | m.Abbr():
            return item
        case _:
            assert_never(item)


def slug(text: str) -> str:
    """pandoc's auto identifier: lower case, letters, digits, `_-.`, spaces to `-`."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(c for c in text if c.isalnum() or c in " _-.")
    text = re.sub(r"\s+", "-", text.strip())
    text = text.lstrip("0123456789_-.")
    return text or "section"


def unique(base: str, ids: dict[str, int]) -> str:
    candidate, counter = base, 0
    while candidate in ids:
        counter += 1
        candidate = f"{base}-{counter}"
    return candidate
