"""Whether the briefing opens with a title page, when its front matter does
not say (`title_page` unset): a title page when the text runs to more than
TITLE_PAGE_WORDS words (about two pages at briefing's measure), the title
block above the text otherwise, so a one-paragraph note does not get a
page that holds nothing but its title."""

from __future__ import annotations

import dataclasses
import itertools

from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import Reporter

TITLE_PAGE_WORDS = 1000


def choose_title_page(doc: m.Document, reporter: Reporter) -> m.Document:
    if doc.meta.title_page is not None:
        return doc
    return dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, title_page=longer_than(doc, TITLE_PAGE_WORDS)))


def longer_than(doc: m.Document, limit: int) -> bool:
    """Whether the text runs to more than `limit` words; counted until it does."""
    texts = itertools.chain(
        (m.block_text(block) for block in doc.blocks),
        (m.plain_text(section.title) for section in walk.sections(doc)),
        (m.block_text(block) for section in walk.sections(doc) for block in section.blocks),
        (m.block_text(block) for note in doc.footnotes for block in note.blocks))  # what they nest too
    words = 0
    for text in texts:
        words += len(text.split())
        if words > limit:
            return True
    return False
