"""The markings stage: portion marks read off the text, and every marking
checked against the banner and the front matter, all problems at once.

With `portion_marking: true`, a mark such as `(S//NF)` at the start of a
paragraph, list item, heading, caption or admonition title moves out of the
text into the node's `portion` field, so every backend shows it the same
way, and every portion must have one. The rules are in markings/rules.py.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import assert_never

from pipeline.markings import blocks as marking_blocks
from pipeline.markings import rules as markings
from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import Reporter

# An attempt at a mark: capitals in brackets at the very start of the text.
MARK = re.compile(r"\(([A-Z][A-Z0-9 ,/\-]*)\)\s*")


@dataclass
class Portions:
    reporter: Reporter
    scheme: str
    banner: markings.Marking | None  # None when the banner itself is wrong
    banner_text: str
    seen: list[tuple[str, markings.Marking]] = field(default_factory=list)

    def take(self, inlines: tuple[m.Inline, ...], line: int, what: str
             ) -> tuple[str | None, tuple[m.Inline, ...]]:
        """The portion mark at the start of some text, and the text without it."""
        first = inlines[0] if inlines else None
        found = MARK.match(first.text) if isinstance(first, m.Text) else None
        if found is None or not isinstance(first, m.Text):
            example = {"us": "(U)", "nato": "(NU)", "uk": "(O)"}[self.scheme]
            self.reporter.error(line, "portion.missing", f"{what} has no portion mark such as "
                                f"{example} (portion_marking is on)")
            return None, inlines
        mark = " ".join(found.group(1).split())
        rest = first.text[found.end():]
        inlines = ((m.Text(text=rest),) if rest else ()) + inlines[1:]
        self.check(mark, line)
        return mark, inlines

    def check(self, mark: str, line: int) -> None:
        portion = markings.read_portion(mark, self.scheme)
        if isinstance(portion, str):
            self.reporter.error(line, "portion.invalid", portion)
            return
        self.seen.append((mark, portion))
        if self.banner and (problem := markings.portion_problem(mark, portion, self.banner,
                                                                self.banner_text)):
            self.reporter.error(line, "portion.above-banner", problem)


def mark_portions(doc: m.Document, reporter: Reporter) -> m.Document:
    """The document with portion marks in place; every marking problem of
    the front matter and of the text reported."""
    meta = doc.meta
    for key, code, message in meta_problems(meta):
        reporter.error(meta.line_of(key) or 1, code, message)
    banner = markings.read_banner(meta.classification, meta.marking_scheme)
    if not meta.portion_marking:
        return doc
    scheme = banner.scheme if banner else (meta.marking_scheme or "us")
    state = Portions(reporter, scheme, banner, meta.classification)
    doc = walk.map_document(doc, section=lambda s: mark_section(s, state),
                            block=lambda b: mark_block(b, state))
    for message in (markings.banner_warnings(banner, meta.classification, state.seen)
                    if banner else []):
        reporter.warning(meta.line_of("classification"), "marking.banner-above-portions", message)
    return doc


def meta_problems(meta: m.Meta) -> list[tuple[str, str, str]]:
    """(front-matter key, code, message) for the banner and the first page's blocks."""
    if problem := markings.classification_problem(meta.classification, meta.marking_scheme):
        return [("classification", "marking.classification", problem)]
    return [(key, "marking.block", message) for key, message in marking_blocks.block_problems(meta)]


def mark_section(section: m.Section, state: Portions) -> m.Section:
    portion, title = state.take(section.title, section.line, "heading")
    return dataclasses.replace(section, portion=portion, title=title)


def mark_block(block: m.Block, state: Portions) -> m.Block:
    """The block's own mark taken off; the walk goes on into what is inside."""
    replace = dataclasses.replace
    match block:
        case m.Paragraph(inlines=()):
            return block  # nothing to mark (a figure whose problem is reported)
        case m.Paragraph(inlines=inlines, line=line):
            portion, inlines = state.take(inlines, line, "paragraph")
            return replace(block, portion=portion, inlines=inlines)
        case m.Admonition(title=title, line=line):
            portion, title = state.take(title, line, "admonition title")
            return replace(block, portion=portion, title=title)
        case m.Table(caption=caption, line=line) | m.Figure(caption=caption, line=line):
            kind = "table" if isinstance(block, m.Table) else "figure"
            if not caption:
                state.reporter.error(line, "portion.no-caption", f"a {kind} needs a caption to "
                                     "carry its portion mark (portion_marking is on)")
                return block
            portion, caption = state.take(caption, line, f"{kind} caption")
            if isinstance(block, m.Figure) and portion:
                return replace(block, portion=portion, caption=caption, alt=without_mark(block.alt))
            return replace(block, portion=portion, caption=caption)
        case m.ListBlock() | m.Quote() | m.DefinitionList() | m.CodeBlock() | m.Rule():
            return block
        case _:
            assert_never(block)


def without_mark(text: str) -> str:
    found = MARK.match(text)
    return text[found.end():] if found else text
