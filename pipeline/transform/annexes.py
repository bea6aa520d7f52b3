"""Annexes, appendices and tabs, as FM 6-0 (and ATTP 5-0.1 before it, and
TC 1-05's summary) attaches them to an order: annexes lettered in
capitals, A to Z without I and O (they read as one and nought);
appendices to an annex numbered 1, 2 …; tabs to an appendix lettered A,
B … like annexes. Each starts a new page headed "ANNEX B (INTELLIGENCE) TO
<short title>" (an appendix: "APPENDIX 1 (…) TO ANNEX B (…) TO …"), its
pages numbered B-1, B-2 (B-1-1 in appendix 1, B-1-A-1 in its tab A), its
tables and figures B-1, B-2, its running head naming it, and its banner
the highest of its own portions (the briefing's banner stays the highest
of all).

A section is marked `# Intelligence {.annex}` (`.appendix`, `.tab`), or
wrapped in `::: {.annex}`. An appendix stands inside an annex, a tab
inside an appendix; elsewhere it is an error at its heading
(`attachment.outside`). An annex the body never refers to (a link or a
cross-reference from outside it) is a warning, `attachment.unreferenced`:
FM 6-0 lists every annex and refers to each where it applies.
"""

from __future__ import annotations

import dataclasses

from pipeline import model as m
from pipeline.markings import rules as markings
from pipeline.model import walk
from pipeline.problems import Reporter

LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I, no O
PARENT = {"annex": None, "appendix": "annex", "tab": "appendix"}


def series(kind: str, n: int) -> str:
    """The n-th annex or tab letter (A … Z, then AA, BB …), or appendix number."""
    if kind == "appendix":
        return str(n)
    return LETTERS[(n - 1) % len(LETTERS)] * ((n - 1) // len(LETTERS) + 1)


def kind_of(node: m.Section) -> str | None:
    return next((kind for kind in m.ATTACHMENT_KINDS if kind in node.classes), None)


def attach(doc: m.Document, reporter: Reporter) -> m.Document:
    if not any(kind_of(s) for s in walk.sections(doc)):
        return doc
    to = doc.meta.short_title or doc.meta.title
    scheme = markings.read_banner(doc.meta.classification, doc.meta.marking_scheme)

    def banner(node: m.Section) -> str:
        """The highest of the attachment's portions; the briefing's banner
        when it has no portion marks."""
        if not doc.meta.portion_marking or scheme is None:
            return doc.meta.classification
        portions = []
        for mark, line in portion_marks(node):
            read = markings.read_portion(mark, scheme.scheme)
            if not isinstance(read, str):
                portions.append(markings.Portion(mark, read, line))
        return markings.derive(portions).banner() if portions else doc.meta.classification

    def sections(nodes: tuple[m.Section, ...], parent: m.Attachment | None) -> tuple[m.Section, ...]:
        counts = {kind: 0 for kind in m.ATTACHMENT_KINDS}
        out = []
        for node in nodes:
            kind = kind_of(node)
            if kind is None:
                out.append(dataclasses.replace(node, children=sections(node.children, parent)))
                continue
            if PARENT[kind] != (parent.kind if parent else None) or (kind == "annex" and node.level != 1):
                where = f"inside an {PARENT[kind]}" if PARENT[kind] else "a top-level section"
                reporter.error(node.line, "attachment.outside", f"{kind} '{m.plain_text(node.title)}' "
                               f"must be {where}: an order has annexes, an annex appendices, "
                               "an appendix tabs (FM 6-0)")
                out.append(node)
                continue
            counts[kind] += 1
            label = series(kind, counts[kind])
            title = m.plain_text(node.title).upper()
            heading = f"{kind.upper()} {label} ({title}) TO " + (parent.heading if parent else to)
            name = f"{kind.capitalize()} {label}" + (f" to {parent.name}" if parent else "")
            pages = f"{parent.pages if parent else ''}{label}-"
            attachment = m.Attachment(kind=kind, label=label, heading=heading, name=name, pages=pages,
                                      banner=banner(node))
            node = dataclasses.replace(node, attachment=attachment,
                                       children=sections(node.children, attachment))
            out.append(prefixed(node, pages))
        return tuple(out)

    doc = dataclasses.replace(doc, sections=sections(doc.sections, None))
    warn_unreferenced(doc, reporter)
    return doc


def prefixed(node: m.Section, pages: str) -> m.Section:
    """The attachment's own tables and figures (not its appendices'),
    numbered again from 1 after its prefix: Table B-1."""
    counts = {m.Table: 0, m.Figure: 0}

    def number(block: m.Block) -> m.Block:
        match block:
            case m.Table(number=int()) | m.Figure(number=int()):
                counts[type(block)] += 1
                return dataclasses.replace(block, number=counts[type(block)], prefix=pages)
        return block

    def inside(section: m.Section) -> m.Section:
        if kind_of(section) and section is not node:
            return section  # an appendix numbers its own
        return dataclasses.replace(section, blocks=walk.map_blocks(section.blocks, number),
                                   children=tuple(inside(child) for child in section.children))
    return inside(node)


def portion_marks(node: m.Section) -> list[tuple[str, int | None]]:
    """Every portion mark in a section and the sections below it."""
    marks: list[tuple[str, int | None]] = []

    def section(s: m.Section) -> None:
        if s.portion:
            marks.append((s.portion, s.line))
        for block in walk.nested_blocks(s.blocks):
            match block:
                case m.Paragraph(portion=str(mark)) | m.Admonition(portion=str(mark)) | \
                        m.Table(portion=str(mark)) | m.Figure(portion=str(mark)):
                    marks.append((mark, block.line))
                case m.Quote(attribution_portion=str(mark)):
                    marks.append((mark, block.line))
                case m.DefinitionList(items=items):
                    marks.extend((item.portion, item.line) for item in items if item.portion)
        for child in s.children:
            section(child)
    section(node)
    return marks


def warn_unreferenced(doc: m.Document, reporter: Reporter) -> None:
    """An annex no link or cross-reference outside it points at."""
    annexes = [s for s in doc.sections if s.attachment and s.attachment.kind == "annex"]
    for annex in annexes:
        ids = {annex.id, *annex.aliases}
        outside = [*walk.nested_blocks(doc.blocks),
                   *(b for s in doc.sections if s is not annex for b in blocks_under(s)),
                   *(b for note in doc.footnotes for b in walk.nested_blocks(note.blocks))]
        inlines = [i for b in outside for run in walk.block_inlines(b) for i in walk.nested_inlines(run)]
        inlines += [i for s in doc.sections if s is not annex for t in titles_under(s)
                    for i in walk.nested_inlines(t)]
        if not any((isinstance(i, m.Ref) and i.id in ids)
                   or (isinstance(i, m.Link) and i.target[1:] in ids and i.internal) for i in inlines):
            assert annex.attachment
            reporter.warning(annex.line, "attachment.unreferenced",
                             f"{annex.attachment.name} ({m.plain_text(annex.title)}) is never referred "
                             f"to: refer to it where it applies, as @{annex.id} or [{annex.attachment.name}]"
                             f"(#{annex.id})")


def blocks_under(section: m.Section) -> list[m.Block]:
    out = list(walk.nested_blocks(section.blocks))
    for child in section.children:
        out.extend(blocks_under(child))
    return out


def titles_under(section: m.Section) -> list[tuple[m.Inline, ...]]:
    return [section.title, *(t for child in section.children for t in titles_under(child))]
