"""Whether the briefing opens with a title page, when its front matter does
not say (`title_page` unset): a title page when the text runs to more than
TITLE_PAGE_WORDS words (about two pages at briefing's measure), the title
block above the text otherwise, so a one-paragraph note does not get a
page that holds nothing but its title."""

from __future__ import annotations

import dataclasses

from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import Reporter

TITLE_PAGE_WORDS = 1000


def choose_title_page(doc: m.Document, reporter: Reporter) -> m.Document:
    if doc.meta.title_page is not None:
        return doc
    top = [*doc.blocks, *(b for s in walk.sections(doc) for b in s.blocks),
           *(b for note in doc.footnotes for b in note.blocks)]  # block_text holds what they nest
    words = sum(len(m.block_text(block).split()) for block in top)
    words += sum(len(m.plain_text(section.title).split()) for section in walk.sections(doc))
    return dataclasses.replace(doc, meta=dataclasses.replace(doc.meta,
                                                             title_page=words > TITLE_PAGE_WORDS))
