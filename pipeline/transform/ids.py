"""Every heading gets an id (its `{#id}`, else a slug of its title as pandoc
makes them, made unique), and GitHub's slug of its title as an alias where
that differs; every id a heading, table, figure, equation, fenced div, span or
anchor claims is checked once: two of one name, or one the templates use, is
an error (an anchor, `<a id>`, said again is left out, with a warning). An anchor in a heading with the heading's own id (`# <a
name="x"></a>X`, as GitHub READMEs write) says it again: it goes."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable

from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import Reporter

# Ids the templates give elements of their own: an author's id may not take
# them. The footnotes' (`fn-N`, `fnref-N`) are reserved for every N, however
# many notes there are: a 1,001st note would take `#fn-1001` from a heading.
RESERVED_IDS = ("toc-title", "abbreviations-title", "notes-title", "references-title")
FOOTNOTE_ID = re.compile(r"fn(?:ref)?-[0-9]+")


def reserved(ident: str) -> bool:
    """An id the templates use, which no author's id may take."""
    return ident in RESERVED_IDS or FOOTNOTE_ID.fullmatch(ident) is not None


def assign_ids(doc: m.Document, reporter: Reporter) -> m.Document:
    seen: dict[str, int] = dict.fromkeys(RESERVED_IDS, 0)  # id -> its line; 0: the templates'

    dropped: set[int] = set()  # anchors whose id something before them has (by identity)

    def claim(ident: str, line: int | None, item: object = None) -> None:
        if ident in seen or reserved(ident):
            where = (f"first used on line {seen[ident]}" if seen.get(ident) else
                     "the footnotes use fn-N and fnref-N" if FOOTNOTE_ID.fullmatch(ident) else
                     "the templates use it")
            if isinstance(item, m.Anchor) and seen.get(ident):
                # A hand-written `<a id>` said twice (Apache's notes): links
                # lead to the first, as in a browser; this one goes.
                reporter.warning(line, "id.duplicate", f"duplicate id '#{ident}' ({where}): left out here")
                dropped.add(id(item))
            else:
                reporter.error(line, "id.duplicate", f"duplicate id '#{ident}' ({where})")
        seen.setdefault(ident, line or 0)

    def section(node: m.Section) -> m.Section:
        ident = node.id or unique(slug(walk.plain_text(node.title)), seen, reserved)
        claim(ident, node.line)
        title = tuple(item for item in node.title
                      if not (isinstance(item, m.Anchor) and item.id == ident))
        for item in walk.nested_inlines(title):  # `## <a name="step-1"></a>Step 1: …`
            if declared := declared_id(item):
                claim(declared, getattr(item, "line", None) or node.line, item)
        return dataclasses.replace(node, id=ident, title=title)

    def block(node: m.Block) -> m.Block:
        match node:
            case m.Paragraph(inlines=(m.Anchor(id="", heading=True) as anchor, *title)):
                # A heading in a quote or list item: its id as a heading's.
                ident = unique(slug(walk.plain_text(tuple(title))), seen, reserved)
                node = dataclasses.replace(node, inlines=(dataclasses.replace(anchor, id=ident), *title))
        if ident := declared_id(node):
            claim(ident, node.line)
        for run in walk.block_inlines(node):
            for item in walk.nested_inlines(run):
                if ident := declared_id(item):
                    claim(ident, getattr(item, "line", None) or node.line, item)
        return node

    doc = dataclasses.replace(doc, title=title_place(doc, seen, claim))  # first in the text, first to its id
    doc = walk.map_document(doc, section=section, block=block)
    if dropped:
        doc = walk.map_document(doc, inline=lambda item: () if id(item) in dropped else item)
    return github_aliases(doc, seen)


def title_place(doc: m.Document, seen: dict[str, int], claim: Callable[..., None]) -> tuple[m.Inline, ...]:
    """The title, as a place links lead to when it was the text's opening
    heading: by that heading's `{#id}` (read/markdown.py put it there), else
    by the id the heading would have had (a README's "back to top" link,
    `#guide` for its `# Guide`)."""
    title = doc.title
    for item in walk.nested_inlines(title):
        if ident := declared_id(item):
            claim(ident, getattr(item, "line", None), item)
    if not doc.title_heading or any(isinstance(item, m.Anchor) for item in title):
        return title
    ident = unique(slug(walk.plain_text(doc.shown_title())), seen, reserved)
    claim(ident, None)
    return (*(title or doc.shown_title()), m.Anchor(id=ident))


def declared_id(node: m.Block | m.Inline) -> str:
    """The id a node declares for links to point at: a table's, a figure's,
    an anchor's (`<a name>`, `[]{#id}`) … A reference's `id` names its
    target, which is not a declaration."""
    if isinstance(node, m.Ref):
        return ""
    ident = getattr(node, "id", "")
    return ident if isinstance(ident, str) else ""


def github_aliases(doc: m.Document, seen: dict[str, int]) -> m.Document:
    """Each heading's id as GitHub makes it, where it differs from pandoc's
    (`#additional-notes--questions` for pandoc's `#additional-notes-questions`,
    `#1-scope` for `#scope`), kept as an alias: a link written for GitHub
    finds the heading too. An alias never takes an id something declares."""
    github_seen: dict[str, int] = {}
    if doc.title_heading:  # swift-evolution 0304 links its second "Structured concurrency" as `-1`
        github_seen[github_slug(walk.plain_text(doc.title))] = 1

    def section(node: m.Section) -> m.Section:
        alias = unique(github_slug(walk.plain_text(node.title)), github_seen)
        github_seen[alias] = node.line
        if alias == node.id or alias in seen or reserved(alias) or not alias:
            return node
        seen[alias] = node.line
        return dataclasses.replace(node, aliases=(*node.aliases, alias))

    return walk.map_document(doc, section=section)


def known_ids(doc: m.Document) -> list[str]:
    """Every id a link may point at, the templates' own first, then what
    the document declares: headings, tables, figures, anchors."""
    notes = range(1, len(doc.footnotes) + 1)
    ids = [*RESERVED_IDS, *(f"fn-{n}" for n in notes), *(f"fnref-{n}" for n in notes),
           *(s.id for s in walk.sections(doc))]
    ids += [ident for title in (doc.title, *(s.title for s in walk.sections(doc)))
            for item in walk.nested_inlines(title) if (ident := declared_id(item))]
    for block in walk.blocks(doc):
        ids += [ident for ident in [declared_id(block)] if ident]
        ids += [ident for run in walk.block_inlines(block) for item in walk.nested_inlines(run)
                if (ident := declared_id(item))]
    return ids


def aliases(doc: m.Document) -> dict[str, str]:
    """GitHub's heading ids, each to the id the heading has."""
    return {alias: s.id for s in walk.sections(doc) for alias in s.aliases}


# What a slug drops: \w is what str.isalnum() keeps, and the underscore.
NOT_IN_SLUG = re.compile(r"[^\w .\-]")
NOT_IN_ASCII_GITHUB_SLUG = re.compile(r"[^a-z0-9 \-_]")  # of lower-cased ASCII


def slug(text: str) -> str:
    """pandoc's auto identifier: lower case, letters, digits, `_-.`, spaces to `-`."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = NOT_IN_SLUG.sub("", text)
    text = re.sub(r"\s+", "-", text.strip())
    text = text.lstrip("0123456789_-.")
    return text or "section"


def github_slug(text: str) -> str:
    """GitHub's heading id (github-slugger, as pandoc's gfm_auto_identifiers):
    lower case; letters, digits, marks, `-` and `_` kept, every other
    character dropped; each space a `-`, none merged; digits may lead."""
    text = text.strip().lower()
    if text.isascii():  # no marks: what a regular expression can say
        kept = NOT_IN_ASCII_GITHUB_SLUG.sub("", text)
    else:
        kept = "".join(c for c in text if c.isalnum() or c in " -_"
                       or unicodedata.category(c).startswith("M"))
    return kept.replace(" ", "-")


def unique(base: str, ids: dict[str, int], also: Callable[[str], bool] = lambda _: False) -> str:
    """`base`, or `base-1`, `base-2` … : the first not in `ids` nor `also` taken."""
    candidate, counter = base, 0
    while candidate in ids or also(candidate):
        counter += 1
        candidate = f"{base}-{counter}"
    return candidate
