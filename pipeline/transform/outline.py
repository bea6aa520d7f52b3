"""One outline for every format: a section's level is its depth in the
tree, whatever its number of `#`.

A briefing whose sections start at `##` (common in files written for
GitHub or Quarto, where `#` is the title) would otherwise open at level 2
under the title, and a `####` right under a `##` would skip a level. The
top sections are level 1, their subsections level 2, and so on; what the
formats make of a level is theirs to say once (HTML `<h2>` under the
title's `<h1>` and PDF tag `H2`, Word `Heading 1`), and the sections the
templates add (Contents, Abbreviations, Notes) stand at level 1 beside the
top sections."""

from __future__ import annotations

import dataclasses

from pipeline import model as m
from pipeline.problems import Reporter


def outline(doc: m.Document, reporter: Reporter) -> m.Document:
    def at(node: m.Section, level: int) -> m.Section:
        return dataclasses.replace(node, level=level,
                                   children=tuple(at(child, level + 1) for child in node.children))

    return dataclasses.replace(doc, sections=tuple(at(node, 1) for node in doc.sections))
