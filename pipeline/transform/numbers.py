"""Numbers, in reading order: sections 1, 1.1, 1.1.1 when `numbering: true`;
captioned tables and figures 1, 2, 3 of their kind, always (a caption says
"Table 2"), a figure group counted as one figure and its sub-figures not
(they have their letters); equations with an id, as Quarto numbers them
("(1)")."""

from __future__ import annotations

import dataclasses

from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import Reporter


def number(doc: m.Document, reporter: Reporter) -> m.Document:
    counts = {m.Table: 0, m.Figure: 0, m.Equation: 0}

    def blocks(inner: tuple[m.Block, ...]) -> tuple[m.Block, ...]:
        return walk.map_blocks(inner, count)

    def count(block: m.Block) -> m.Block:
        match block:
            case m.Table(caption=caption) | m.Figure(caption=caption, letter="") if caption:
                counts[type(block)] += 1
                return dataclasses.replace(block, number=counts[type(block)])
            case m.FigureGroup(caption=caption, id=ident) if caption or ident:
                counts[m.Figure] += 1
                return dataclasses.replace(block, number=counts[m.Figure])
            case m.Equation(id=ident) if ident:
                counts[m.Equation] += 1
                return dataclasses.replace(block, number=counts[m.Equation])
        return block

    def section(node: m.Section, position: tuple[int, ...] | None) -> m.Section:
        # Blocks before subsections: a table under 1 comes before one under 1.1.
        own = blocks(node.blocks)
        children = numbered(node.children, position)
        label = ".".join(map(str, position)) if doc.meta.numbering and position else None
        return dataclasses.replace(node, number=label, blocks=own, children=children)

    def numbered(nodes: tuple[m.Section, ...], within: tuple[int, ...] | None) -> tuple[m.Section, ...]:
        """Sections under `within` (None: an unnumbered one's), counted but
        for those marked `{.unnumbered}` (`{-}`), which, with what they hold,
        have no number, as in pandoc."""
        out, index = [], 0
        for node in nodes:
            if within is None or "unnumbered" in node.classes:
                out.append(section(node, None))
            else:
                index += 1
                out.append(section(node, (*within, index)))
        return tuple(out)

    front = blocks(doc.blocks)
    sections = numbered(doc.sections, ())
    return dataclasses.replace(doc, blocks=front, sections=sections,
                               footnotes=tuple(dataclasses.replace(note, blocks=blocks(note.blocks))
                                               for note in doc.footnotes))
