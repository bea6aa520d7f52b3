"""Staff products (front matter `type: memo`): what the type makes of the
document before the other passes. A memorandum has no title page; its
references are its paragraph 1, "1. References:" with each reference
lettered a., b. under it (AR 25-50), or "1. Reference:" and the one reference
after it, so they are numbered, marked and checked as the body's other
paragraphs are."""

from __future__ import annotations

import dataclasses
import re

from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import Reporter

LEADING_MARK = re.compile(r"\(([A-Z][A-Z0-9/ -]*)\)\s")


def memo_parts(doc: m.Document, reporter: Reporter) -> m.Document:
    meta = doc.meta
    if meta.memo is None:
        return doc
    doc = dataclasses.replace(doc, meta=dataclasses.replace(meta, title_page=False))
    if meta.memo.kind == "decision-paper" and not recommends(doc):
        reporter.error(meta.line_of("type"), "staff.recommendation",
                       "a decision paper needs a recommendation: a heading '# Recommendation' "
                       "or a paragraph that opens 'Recommendation.'")
    if not meta.memo.references:
        return doc
    line = meta.line_of("references") or 1
    # With portion marks the lead-in carries the first reference's mark, as written.
    mark = LEADING_MARK.match(meta.memo.references[0]) if meta.portion_marking else None
    if len(meta.memo.references) == 1:
        # One reference is no subdivision (a paragraph is subdivided into
        # two or more, AR 25-50): it follows its lead-in on the line.
        ref = meta.memo.references[0]
        lead = (f"({mark[1]}) " if mark else "") + "Reference: " + (ref[mark.end():] if mark else ref)
        return dataclasses.replace(doc, blocks=(m.Paragraph(inlines=(m.Text(text=lead),), line=line),
                                                *doc.blocks))
    lead = (f"({mark[1]}) " if mark else "") + "References:"
    items = tuple(m.ListItem(blocks=(m.Paragraph(inlines=(m.Text(text=ref),), line=line),), line=line)
                  for ref in meta.memo.references)
    listed = m.ListBlock(ordered=True, style="lower-alpha", items=items, line=line)
    return dataclasses.replace(doc, blocks=(m.Paragraph(inlines=(m.Text(text=lead),), line=line),
                                            listed, *doc.blocks))


def recommends(doc: m.Document) -> bool:
    """A heading, or a paragraph's first word, that says Recommendation."""
    def says(text: str) -> bool:
        text = LEADING_MARK.sub("", text.strip(), count=1).lower()
        return text.startswith("recommendation")
    if any(says(m.plain_text(section.title)) for section in walk.sections(doc)):
        return True
    paragraphs = [*doc.blocks, *(b for s in walk.sections(doc) for b in s.blocks)]
    return any(isinstance(b, m.Paragraph) and says(m.plain_text(b.inlines)) for b in paragraphs)
