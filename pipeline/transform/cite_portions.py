"""Portion marks on what citations add to a portion-marked briefing
(README, "Markings"): the bibliography's entries and the notes a note
style makes.

- Each entry that is cited (or `nocite`d) carries its own mark in the
  bibliography file, in a `portion` field (BibTeX `portion = {U}`, CSL
  JSON `"portion": "U"`, CSL YAML `portion: U`), which pandoc ignores. It
  is read and checked like any portion of the scheme, and counted in the
  banner's roll-up; a problem is told at the entry's line in its file.
  Entries nobody cites are not read: a shared file may hold works of any
  level.
- The bibliography shows each entry after its mark: `(U) Smith, John …`.
- A note made for a citation carries the roll-up of the cited entries'
  marks and of the citing portion's (its locator, prefix and suffix are
  that portion's text), shown in front of the note.

The entries' marks are read by the portions pass (portions.py calls
`mark_entries`), before the citations pass words anything; the notes'
marks are set by the citations pass (citations.py calls `mark_notes`).
"""

from __future__ import annotations

import dataclasses
from typing import assert_never

from pipeline import model as m
from pipeline.markings import rules as markings
from pipeline.model import walk


def cited_keys(doc: m.Document) -> set[str]:
    """The keys (lower case) of the entries a reader will see: cited, or
    named by `nocite` ("*": all of them)."""
    keys = {item.key.lower() for cite in walk.inlines(doc) if isinstance(cite, m.Cite) for item in cite.items}
    if "*" in doc.meta.nocite and doc.sources is not None:
        keys |= {ref.key.lower() for ref in doc.sources.references}
    return keys | {key.lower() for key in doc.meta.nocite if key != "*"}


def written(mark: str) -> str:
    """A mark as the text around it writes it: `U`, `(U)` or ` s//nf ` is U, (U), S//NF."""
    mark = " ".join(mark.split())
    if mark.startswith("(") and mark.endswith(")"):
        mark = mark[1:-1].strip()
    return mark


def mark_entries(doc: m.Document, reporter, scheme: str, example: str,
                 seen: list[markings.Portion]) -> m.Document:
    """Each shown entry's mark read off its `portion` field and checked
    (into `seen`, for the roll-up); the sources with the marks as read."""
    if doc.sources is None:
        return doc
    shown = cited_keys(doc)
    references: list[m.Reference] = []
    for ref in doc.sources.references:
        if ref.key.lower() not in shown:
            references.append(ref)
            continue
        what = f"bibliography entry {ref.key}"
        if ref.portion is None or not written(ref.portion):
            reporter.error(ref.line, "portion.missing",
                           f"{what} has no portion mark (portion_marking is on, and the briefing cites it): "
                           f"give it a field such as portion = {{{example.strip('()')}}} "
                           f"(in CSL JSON \"portion\": \"{example.strip('()')}\")", path=ref.path)
            references.append(dataclasses.replace(ref, portion=None))
            continue
        mark = written(ref.portion)
        marking = markings.read_portion(mark, scheme)
        if isinstance(marking, str):
            reporter.error(ref.line, "portion.invalid", f"{what}: {marking}", path=ref.path)
            references.append(dataclasses.replace(ref, portion=None))
            continue
        seen.append(markings.Portion(mark, marking, ref.line, what, path=ref.path))
        references.append(dataclasses.replace(ref, portion=mark))
    return dataclasses.replace(doc, sources=dataclasses.replace(doc.sources, references=tuple(references)))


def citing_portions(doc: m.Document) -> dict[int, str]:
    """For each footnote call in the text, the mark of the portion it
    stands in: a paragraph's, a heading's, a caption's (a table's cells
    are in the caption's portion unless they carry their own), a term's …"""
    found: dict[int, str] = {}

    def claim(runs: tuple[tuple[m.Inline, ...], ...], portion: str | None) -> None:
        if portion is None:
            return
        for run in runs:
            for item in walk.nested_inlines(run):
                if isinstance(item, m.FootnoteRef):
                    found[item.number] = portion

    for section in walk.sections(doc):
        claim((section.title,), section.portion)
    for block in walk.blocks(doc):  # outer blocks first: a marked cell overrides its caption
        match block:
            case m.Paragraph(portion=portion) | m.Admonition(portion=portion) | m.Figure(portion=portion) \
                    | m.FigureGroup(portion=portion):
                claim(walk.block_inlines(block), portion)
            case m.Table(portion=portion):
                claim((block.caption,), portion)
                claim(tuple(run for cell in walk.block_children(block) for inner in walk.nested_blocks(cell)
                            for run in walk.block_inlines(inner)), portion)
            case m.Quote(attribution=attribution, attribution_portion=portion):
                claim((attribution,), portion)
            case m.DefinitionList(items=items):
                for item in items:
                    claim((item.term,), item.portion)
            case m.TabSet(tabs=tabs):
                for tab in tabs:
                    claim((tab.title,), tab.portion)
            case m.ListBlock() | m.CodeBlock() | m.Rule() | m.Div() | m.Equation() | m.PageBreak() \
                    | m.Bibliography():
                pass
            case _:
                assert_never(block)
    return found


def note_mark(marks: list[str], scheme: str) -> str | None:
    """The roll-up of some marks (already checked), as a portion mark."""
    read = [markings.Portion(mark, marking, None)
            for mark in marks if isinstance(marking := markings.read_portion(mark, scheme), markings.Marking)]
    return markings.derive(read).portion() if read else None


def scheme_of(meta: m.Meta) -> str:
    banner = markings.read_banner(meta.classification, meta.marking_scheme)
    return banner.scheme if banner else (meta.marking_scheme or "us")


def mark_notes(doc: m.Document, made: dict[int, list[str]], references: dict[str, m.Reference]) -> m.Document:
    """The notes made for citations (`made`: number -> the keys cited),
    each marked with the roll-up of its entries' marks and its citing
    portion's."""
    if not doc.meta.portion_marking or not made:
        return doc
    scheme = scheme_of(doc.meta)
    citing = citing_portions(doc)

    def marked(note: m.Footnote) -> m.Footnote:
        if note.number not in made:
            return note
        marks = [mark for key in made[note.number] if (mark := references[key.lower()].portion)]
        if note.number in citing:
            marks.append(citing[note.number])
        mark = note_mark(marks, scheme)
        return dataclasses.replace(note, blocks=tuple(
            dataclasses.replace(block, portion=mark) if isinstance(block, m.Paragraph) else block
            for block in note.blocks))

    return dataclasses.replace(doc, footnotes=tuple(marked(note) for note in doc.footnotes))
