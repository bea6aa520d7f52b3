"""Tracked changes: listed (the import refuses a file with unresolved
revisions by default, one line each), accepted, rejected, or kept for the
Markdown writer to show as CriticMarkup (`{++ ++}`, `{-- --}`, `{~~ ~> ~~}`).

Word keeps a change on the runs it touched (w:ins, w:del, w:rPrChange), on
a paragraph's mark (a paragraph inserted, or joined to the next), on a
table row and on a paragraph's properties (its style); each comes back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from pipeline.docx_import.tree import (Block, Bookmark, Break, Change, Comment, Commented, Inline, Link,
                                       Para, Read, Revision, Row, TableBlock, Text)

MODES = ("refuse", "accept", "reject", "critic")


def when(date: str) -> str:
    """Word's `2026-11-30T10:02:00Z` as a reader writes it."""
    if "T" not in date:
        return date
    day, _, time = date.partition("T")
    return f"{day} {time[:5]}" if time[:5] not in ("", "00:00") else day


def flat_text(inlines: tuple[Inline, ...], changes: str) -> str:
    """The text runs, through links, bookmarks and comments. A tracked
    change's text is kept as it stands ("keep"), marked as CriticMarkup
    ("mark": for what the Markdown holds as text, a front-matter value or
    an abbreviation, where the check then finds it), or taken as accepted
    ("accept": insertions in, deletions out)."""
    parts: list[str] = []
    for item in inlines:
        match item:
            case Text(text=text):
                parts.append(text)
            case Link(children=children) | Bookmark(children=children) | Commented(children=children):
                parts.append(flat_text(children, changes))
            case Change(kind="del") if changes == "accept":
                pass
            case Change(kind="ins" | "del" as kind, children=children) if changes == "mark":
                sign = "+" if kind == "ins" else "-"
                parts.append("{" + sign * 2 + flat_text(children, changes) + sign * 2 + "}")
            case Change(children=children):
                parts.append(flat_text(children, changes))
            case _:
                pass
    return "".join(parts)


def plain(inlines: tuple[Inline, ...]) -> str:
    return flat_text(inlines, "keep")


def words(inlines: tuple[Inline, ...]) -> str:
    return flat_text(inlines, "mark")


def code_of(inlines: tuple[Inline, ...]) -> str:
    """A code block's text from its runs (a line break is a new line)."""
    parts: list[str] = []
    for item in inlines:
        match item:
            case Text(text=text):
                parts.append(text)
            case Break():
                parts.append("\n")
            case Link(children=children) | Bookmark(children=children) | Commented(children=children) \
                    | Change(children=children):
                parts.append(code_of(children))
            case _:
                pass
    return "".join(parts)


def in_code(read: Read) -> list[str]:
    """Where a tracked change stands in a code block, which CriticMarkup
    cannot mark (code shows its braces as they are)."""
    found = []
    for block, where in blocks_with_places(read.body, "paragraph"):
        if isinstance(block, Para) and block.code is not None and list(inline_changes(block.inlines)):
            found.append(where)
    return found


def shown(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


# Listing --------------------------------------------------------------------

def revisions(read: Read) -> list[Revision]:
    """Every tracked change, in reading order: body, then notes."""
    found: list[Revision] = []
    for block, where in blocks_with_places(read.body, "paragraph"):
        found.extend(block_revisions(block, where))
    for key, blocks in read.notes.items():
        label = f"endnote {key[1:]}" if key.startswith("e") else f"footnote {key}"
        for block, where in blocks_with_places(blocks, f"{label}, paragraph"):
            found.extend(block_revisions(block, where))
    return found


def blocks_with_places(blocks: list[Block], label: str) -> Iterator[tuple[Block, str]]:
    for block in blocks:
        if isinstance(block, Para):
            yield block, f"{label} {block.index}"
        else:
            yield block, f"{label} {block.index} (a table)"
            for row in block.rows:
                for cell in row.cells:
                    yield from blocks_with_places(cell.blocks, label)


def block_revisions(block: Block, where: str) -> list[Revision]:
    if isinstance(block, TableBlock):
        return [Revision(kind="inserted table row" if row.change.kind == "ins" else "deleted table row",
                         author=row.change.author, date=when(row.change.date),
                         text=" | ".join(plain(cell_inlines(cell.blocks)) for cell in row.cells),
                         paragraph=block.index, context=where)
                for row in block.rows if row.change is not None]
    context = shown(plain(block.inlines), 40)
    out: list[Revision] = []
    changes = list(inline_changes(block.inlines))
    whole = block.change is not None and len(changes) == 1 and changes[0].kind == block.change.kind \
        and plain(changes[0].children).strip() == plain(block.inlines).strip()
    if block.change is not None and (whole or not block.inlines):
        kind = "inserted paragraph" if block.change.kind == "ins" else "deleted paragraph"
        out.append(Revision(kind=kind, author=block.change.author, date=when(block.change.date),
                            text=plain(block.inlines), paragraph=block.index, context=where))
        changes = []
    elif block.change is not None:
        kind = "inserted paragraph break" if block.change.kind == "ins" else \
            "deleted paragraph break (joins it to the next)"
        out.append(Revision(kind=kind, author=block.change.author, date=when(block.change.date),
                            text="", paragraph=block.index, context=where))
    for change in changes:
        kind = {"ins": "inserted", "del": "deleted", "format": "formatting change"}[change.kind]
        out.append(Revision(kind=kind, author=change.author, date=when(change.date),
                            text=plain(change.children), paragraph=block.index, context=where))
    if block.style_change is not None:
        change, old = block.style_change
        out.append(Revision(kind=f"style changed from {old} to {block.style}", author=change.author,
                            date=when(change.date), text="", paragraph=block.index, context=where))
    for revision in out:
        revision.context = f"{where} (\"{context}\")" if context else where
    return out


def cell_inlines(blocks: list[Block]) -> tuple[Inline, ...]:
    return tuple(item for block in blocks if isinstance(block, Para) for item in block.inlines)


def inline_changes(inlines: tuple[Inline, ...]) -> Iterator[Change]:
    for item in inlines:
        match item:
            case Change():
                yield item
            case Link(children=children) | Bookmark(children=children) | Commented(children=children):
                yield from inline_changes(children)
            case _:
                pass


def refusal(revision: Revision) -> str:
    """One line for the refusal: where, who, when, what."""
    what = f"{revision.kind} \"{shown(revision.text)}\"" if revision.text.strip() else revision.kind
    who = revision.author + (f", {revision.date}" if revision.date else "")
    return f"{revision.context}: {what} by {who}"


# Resolving ------------------------------------------------------------------

def resolve(read: Read, mode: str) -> Read:
    """The tree with every change accepted or rejected; with `critic`, the
    changes stay for the writer, and a paragraph's style change becomes a
    comment (CriticMarkup has no way to say it)."""
    body = resolve_blocks(read.body, mode, read.comments)
    notes = {key: resolve_blocks(blocks, mode, read.comments) for key, blocks in read.notes.items()}
    return dataclasses.replace(read, body=body, notes=notes)


def resolve_blocks(blocks: list[Block], mode: str, comments: dict[str, Comment]) -> list[Block]:
    out: list[Block] = []
    joining: Para | None = None  # a paragraph whose mark went: it joins the next one
    for block in blocks:
        if isinstance(block, TableBlock):
            rows = [resolve_row(row, mode, comments) for row in block.rows if keep_row(row, mode)]
            block = dataclasses.replace(block, rows=rows)
            if joining is not None:
                out.append(joining)
                joining = None
            out.append(block)
            continue
        para = dataclasses.replace(block, inlines=resolve_inlines(block.inlines, mode))
        if para.code is not None:
            para.code = code_of(para.inlines)
        if para.style_change is not None:
            change, old = para.style_change
            if mode == "reject":
                para.style = old
            elif mode == "critic":
                ident = f"style-{len(comments)}-{para.index}"
                comments[ident] = Comment(id=ident, author=change.author, date=change.date,
                                          text=f"changed this paragraph's style from {old} to {para.style}")
                para.inlines = (*para.inlines, Commented(comment=ident, children=(), end=True))
        if joining is not None:
            para = dataclasses.replace(para, inlines=(*joining.inlines, *para.inlines),
                                       style=joining.style if plain(joining.inlines).strip() else para.style,
                                       bookmarks=(*joining.bookmarks, *para.bookmarks),
                                       numbering=joining.numbering if plain(joining.inlines).strip()
                                       else para.numbering)
            joining = None
        joins = para.change is not None and mode != "critic" and (
            (mode == "accept" and para.change.kind == "del") or (mode == "reject" and para.change.kind == "ins"))
        if joins:
            joining = para
        else:
            out.append(para)
    if joining is not None and (plain(joining.inlines).strip() or joining.inlines):
        out.append(joining)
    return out


def keep_row(row: Row, mode: str) -> bool:
    if row.change is None or mode == "critic":
        return True
    return (row.change.kind == "ins") == (mode == "accept")


def resolve_row(row: Row, mode: str, comments: dict[str, Comment]) -> Row:
    cells = [dataclasses.replace(cell, blocks=resolve_blocks(cell.blocks, mode, comments))
             for cell in row.cells]
    if mode == "critic" and row.change is not None:  # each cell's words marked as the row was
        marked = Change(kind=row.change.kind, author=row.change.author, date=row.change.date,
                        children=())
        for cell in cells:
            cell.blocks = [dataclasses.replace(b, inlines=(dataclasses.replace(marked, children=b.inlines),))
                           if isinstance(b, Para) and b.inlines and not any(
                               isinstance(i, Change) for i in b.inlines) else b
                           for b in cell.blocks]
    return dataclasses.replace(row, cells=cells, change=None if mode != "critic" else row.change)


def resolve_inlines(inlines: tuple[Inline, ...], mode: str) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for item in inlines:
        match item:
            case Change(kind=kind, children=children, old=old):
                inner = resolve_inlines(children, mode)
                if mode == "critic":
                    out.append(dataclasses.replace(item, children=inner))
                elif kind == "ins":
                    out.extend(inner if mode == "accept" else ())
                elif kind == "del":
                    out.extend(inner if mode == "reject" else ())
                else:  # a formatting change: the runs now, or as they were
                    out.extend(inner if mode == "accept" else old)
            case Link(children=children) | Bookmark(children=children) | Commented(children=children):
                out.append(dataclasses.replace(item, children=resolve_inlines(children, mode)))
            case _:
                out.append(item)
    return tuple(out)
