"""Cross-references and internal links, resolved once for every format.

A Ref (`@sec-id`, `@tbl-id`, `@fig-id`, `@eq-id`) learns what it points
at: its kind, number and title; one that points at nothing is an error at
its line (one naming a code cell's label says the cell is never run). An
internal link (`#id`) to a GitHub alias of a heading's id, or to an id
with the `user-content-` GitHub gives every id of a page it shows, or to
an id in another case (GitHub finds `#Python-Recipes` at `python-recipes`,
where one id alone matches it so), is
pointed at the id itself; one that no element declares is a warning, and its words stay
as text: pandoc keeps such a link, but a reader would follow it nowhere."""

from __future__ import annotations

import dataclasses
from urllib.parse import unquote

from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import Reporter, excerpt
from pipeline.transform.ids import aliases, known_ids, reserved
from pipeline.transform.paragraphs import cites

Target = tuple[str, str | None, tuple[m.Inline, ...], str]  # kind, number, title, group's id

GITHUB_PREFIX = "user-content-"  # before every id of a page GitHub shows: `#user-content-scope` works there


def resolve(doc: m.Document, reporter: Reporter) -> m.Document:
    targets = referable(doc)
    known = known_ids(doc)
    ids = set(known)
    alias_of = aliases(doc)
    cells = {block.label for block in walk.blocks(doc) if isinstance(block, m.CodeBlock) and block.label}
    authors_ids = [name for name in known if not reserved(name)]
    # GitHub finds `#Python-Recipes` at the heading `python-recipes`: a
    # fragment in any case, where one id alone matches it so.
    folded: dict[str, str | None] = {}
    for name, target in [*((name, name) for name in ids), *alias_of.items()]:
        folded[name.casefold()] = target if folded.get(name.casefold(), target) == target else None

    heading_ids: dict[int | None, str] = {}  # line -> id, for implicit heading references
    for section in walk.sections(doc):
        heading_ids.setdefault(section.line, section.id)

    def inline(node: m.Inline) -> m.Inline | tuple[m.Inline, ...]:
        match node:
            case m.Link(target=target) if target.startswith(m.HEADING_AT_LINE):
                # A heading that starts no section (in a list, a quote): its words.
                line = int(target.removeprefix(m.HEADING_AT_LINE))
                return dataclasses.replace(node, target=f"#{heading_ids[line]}") if line in heading_ids \
                    else node.children
            case m.Link(target=target, line=line) if node.internal:
                ident = unquote(target[1:])
                if ident.startswith(GITHUB_PREFIX) and ident not in ids and ident not in alias_of:
                    ident = ident.removeprefix(GITHUB_PREFIX)
                if ident in ids:
                    return node if ident == target[1:] else dataclasses.replace(node, target=f"#{ident}")
                if ident in alias_of:
                    return dataclasses.replace(node, target=f"#{alias_of[ident]}")
                if found := folded.get(ident.casefold()):
                    return dataclasses.replace(node, target=f"#{found}")
                hint = nearest(ident, [*authors_ids, *alias_of], "#")
                if not hint:
                    shown = ", ".join(f"#{name}" for name in authors_ids[:5])
                    hint = f" (ids: {shown}{', …' if len(authors_ids) > 5 else ''})" if shown else ""
                reporter.warning(line, "link.unknown-id", f"link to '{excerpt(target)}', which no "
                                 f"heading or anchor has as its id, shown as text{hint}")
                return node.children
            case m.Ref(id=ident, line=line) if ident not in targets and ident in cells:
                reporter.error(line, "ref.code-cell", f"@{ident} refers to a code cell's output, "
                               "which briefing does not run: the cell is shown as code")
            case m.Ref(id=ident, line=line) if ident not in targets:
                reporter.error(line, "ref.unknown-id", f"cross-reference @{ident} points at no "
                               "heading, table, figure or equation with that id" + nearest(ident, targets, "@"))
            case m.Ref(id=ident):
                kind, number, title, within = targets[ident]
                return dataclasses.replace(node, kind=kind, number=number, title=title, within=within)
        return node

    return walk.map_document(doc, inline=inline)


def referable(doc: m.Document) -> dict[str, Target]:
    """What a cross-reference may point at: sections, captioned tables and
    figures, figure groups and their sub-figures ("Figure 3 (a)", as Quarto
    says it)."""
    targets: dict[str, Target] = {s.id: ("section", s.number, walk.reused(s.title), "")
                                  for s in walk.sections(doc)}
    # `numbering: military`: a numbered heading is cited "paragraph 3b(2)".
    targets.update({ident: ("paragraph", cite, targets[ident][2], "") for ident, cite in cites(doc).items()})
    # An annex, appendix or tab: "Annex B", "Appendix 1 to Annex B".
    targets.update({s.id: (s.attachment.kind, s.attachment.name.split(" ", 1)[1], walk.reused(s.title), "")
                    for s in walk.sections(doc) if s.attachment})
    for block in walk.blocks(doc):
        match block:
            case m.Table(id=str(ident), number=int(n), caption=caption) | \
                    m.Figure(id=str(ident), number=int(n), caption=caption) if ident:
                kind = "table" if isinstance(block, m.Table) else "figure"
                targets[ident] = (kind, f"{block.prefix}{n}", walk.reused(caption), "")
            case m.FigureGroup(id=str(ident), number=int(n), caption=caption, figures=figures):
                if ident:
                    targets[ident] = ("figure", str(n), walk.reused(caption), "")
                for figure in figures:
                    if figure.id:
                        targets[figure.id] = ("figure", f"{n}\u00a0({figure.letter})",
                                              walk.reused(figure.caption), ident)
            case m.Equation(id=str(ident), number=int(n)) if ident:
                targets[ident] = ("equation", str(n), (), "")
    return targets


def nearest(ident: str, known, sign: str) -> str:
    import difflib  # slow to import: only for a mistake

    close = difflib.get_close_matches(ident, list(known), n=1, cutoff=0.75)
    return f"; did you mean {sign}{close[0]}?" if close else ""
