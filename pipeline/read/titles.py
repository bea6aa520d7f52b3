"""The front matter's title, subtitle and authors read as Markdown inlines,
as pandoc reads them: `title: "Analysis of *E. coli*"` shows its emphasis on
the title page, `author: Matthew Seal ([@MSeal](https://github.com/MSeal))`
its link, and their plain text ("Analysis of E. coli") is the metadata's.

A title that does not read as one paragraph (`1. Introduction` reads as a
list, `# Plan` as a heading) keeps its text as written; pandoc would show
the list or heading in the title's place, which no reader of a title wants.
"""

from __future__ import annotations

import dataclasses
import re

from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import Problem
from pipeline.read.source import Source

NUMBERED = (m.FootnoteRef, m.Cite, m.Ref)
# A title without any of these reads as its own text: no reading needed
# (markup, an entity, smart quotes and dashes, an ellipsis, an address).
MARKUP = re.compile(r"""[*_`\[\]<>&\\$~^'"@]|--|\.\.\.|://""")


def read_title(source: Source, meta: m.Meta, key: str, text: str | None) -> tuple[m.Inline, ...]:
    """The inlines of `text` (the front matter's `key`); () when it reads as
    its own text, as no single paragraph, or with a problem (a link to no
    heading): then it is shown as written, and the body's problems stand."""
    if not text or not MARKUP.search(text):
        return ()
    from pipeline.read.markdown import parse  # the body's reader; it calls us

    line = meta.line_of(key) or 1
    lines = ("",) * (line - 1) + tuple(text.split("\n"))
    fragment = Source(path=source.path, name=source.name, text=text, lines=lines)
    read: list[Problem] = []
    doc = parse(fragment, dataclasses.replace(meta, abstract=None, title=text, subtitle=None),
                line, read, fragment=True)
    match doc.blocks:
        case (m.Paragraph(inlines=inlines),) if not (doc.sections or doc.footnotes or read):
            if any(isinstance(item, NUMBERED) for item in walk.nested_inlines(inlines)):
                return ()  # numbered in the body's order, which a title is not part of
            return () if inlines == (m.Text(text=text),) else inlines
    return ()
