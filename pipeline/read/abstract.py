"""The front matter's `abstract` (or another tool's `description`) read as
Markdown, as pandoc reads it: paragraphs with emphasis, links, code.

It is read by the same reader as the body, at the lines where it stands in
the front matter, so its problems point there. It holds no headings and
no footnotes: both belong to the body.
"""

from __future__ import annotations

import dataclasses

from pipeline import model as m
from pipeline.problems import Problem
from pipeline.read.source import Source


def read_abstract(source: Source, meta: m.Meta, problems: list[Problem]) -> tuple[m.Block, ...]:
    if not meta.abstract:
        return ()
    from pipeline.read.markdown import parse  # the body's reader; it calls us

    line = meta.line_of("abstract") or 1
    text = meta.abstract
    # The abstract's own lines where the front matter has them, so that the
    # reader's line for each block is the source's.
    lines = ("",) * (line - 1) + tuple(text.split("\n"))
    fragment = Source(path=source.path, name=source.name, text=text, lines=lines)
    doc = parse(fragment, dataclasses.replace(meta, abstract=None), line, problems, fragment=True)
    if doc.sections:
        problems.append(Problem(source.name, line, "the abstract cannot hold a heading: "
                                "headings belong to the body", code="meta.abstract"))
    if doc.footnotes:
        problems.append(Problem(source.name, line, "the abstract cannot hold a footnote: "
                                "footnotes belong to the body", code="meta.abstract"))
    return doc.blocks
