"""Cross-references and internal links, resolved once for every format.

A Ref (`@sec-id`, `@tbl-id`, `@fig-id`) learns what it points at: its kind,
number and title. A Ref or an internal link (`#id`) that points at no id is
an error at its own line."""

from __future__ import annotations

import dataclasses

from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import Reporter
from pipeline.transform.ids import RESERVED_IDS, known_ids

Target = tuple[str, str | None, tuple[m.Inline, ...]]  # kind, number, title


def resolve(doc: m.Document, reporter: Reporter) -> m.Document:
    targets = referable(doc)
    ids = set(known_ids(doc))
    authors_ids = [name for name in known_ids(doc) if name not in RESERVED_IDS]

    def inline(node: m.Inline) -> m.Inline:
        match node:
            case m.Link(target=target, line=line) if node.internal and target[1:] not in ids:
                shown = ", ".join(f"#{name}" for name in authors_ids[:8])
                reporter.error(line, "link.unknown-id", f"link to '{target}', which no heading "
                               f"has as its id (ids: {shown or 'none'})")
            case m.Ref(id=ident, line=line) if ident not in targets:
                reporter.error(line, "ref.unknown-id", f"cross-reference @{ident} points at no "
                               "heading, table or figure with that id" + nearest(ident, targets))
            case m.Ref(id=ident):
                kind, number, title = targets[ident]
                return dataclasses.replace(node, kind=kind, number=number, title=title)
        return node

    return walk.map_document(doc, inline=inline)


def referable(doc: m.Document) -> dict[str, Target]:
    """What a cross-reference may point at: sections, captioned tables and figures."""
    targets: dict[str, Target] = {s.id: ("section", s.number, walk.reused(s.title))
                                  for s in walk.sections(doc)}
    for block in walk.blocks(doc):
        match block:
            case m.Table(id=str(ident), number=int(n), caption=caption) | \
                    m.Figure(id=str(ident), number=int(n), caption=caption) if ident:
                kind = "table" if isinstance(block, m.Table) else "figure"
                targets[ident] = (kind, str(n), walk.reused(caption))
    return targets


def nearest(ident: str, known) -> str:
    import difflib  # slow to import: only for a mistake

    close = difflib.get_close_matches(ident, list(known), n=1, cutoff=0.75)
    return f"; did you mean @{close[0]}?" if close else ""
