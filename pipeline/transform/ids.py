"""Every heading gets an id (its `{#id}`, else a slug of its title as pandoc
makes them, made unique); every id a heading, table or figure claims is
checked once: two of one name, or one the templates use, is an error."""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import Reporter

# Ids the templates give elements of their own: an author's id may not take them.
RESERVED_IDS = ("toc-title", "abbreviations-title", "notes-title", *(f"fn-{n}" for n in range(1, 1000)),
                *(f"fnref-{n}" for n in range(1, 1000)))


def assign_ids(doc: m.Document, reporter: Reporter) -> m.Document:
    seen: dict[str, int] = dict.fromkeys(RESERVED_IDS, 0)  # id -> its line; 0: the templates'

    def claim(ident: str, line: int) -> None:
        if ident in seen:
            where = f"first used on line {seen[ident]}" if seen[ident] else "the templates use it"
            reporter.error(line, "id.duplicate", f"duplicate id '#{ident}' ({where})")
        seen.setdefault(ident, line)

    def section(node: m.Section) -> m.Section:
        ident = node.id or unique(slug(walk.plain_text(node.title)), seen)
        claim(ident, node.line)
        return dataclasses.replace(node, id=ident)

    def block(node: m.Block) -> m.Block:
        match node:
            case m.Table(id=str(ident), line=line) | m.Figure(id=str(ident), line=line) if ident:
                claim(ident, line)
        return node

    return walk.map_document(doc, section=section, block=block)


def known_ids(doc: m.Document) -> list[str]:
    """Every id a link may point at, the templates' own first."""
    ids = [*RESERVED_IDS, *(s.id for s in walk.sections(doc))]
    ids += [b.id for b in walk.blocks(doc) if isinstance(b, (m.Table, m.Figure)) and b.id]
    return ids


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
