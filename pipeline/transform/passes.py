"""The passes over the model, in the order they run, and `finish`, which
runs them. Each pass takes the document and the reporter and returns a new
document; backends only read the result.

The order matters: portion marks come off headings before ids are slugged
from their titles; ids and numbers exist before references are resolved to
them.
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline import model as m
from pipeline.problems import Reporter
from pipeline.transform.annexes import attach
from pipeline.transform.citations import cite
from pipeline.transform.ids import assign_ids
from pipeline.transform.language import check_language
from pipeline.transform.numbers import number
from pipeline.transform.outline import outline
from pipeline.transform.paragraphs import number_paragraphs
from pipeline.transform.portions import mark_portions
from pipeline.transform.references import resolve
from pipeline.transform.staff import memo_parts
from pipeline.transform.title_page import choose_title_page

Pass = Callable[[m.Document, Reporter], m.Document]

PASSES: tuple[tuple[str, Pass], ...] = (
    ("staff", memo_parts),          # type: memo: no title page; references as paragraph 1
    ("outline", outline),          # section levels by depth: one outline everywhere
    ("portions", mark_portions),    # marks off the text, markings checked
    ("ids", assign_ids),            # heading ids, every id claimed once
    ("numbers", number),            # sections, tables, figures
    ("paragraphs", number_paragraphs),  # numbering: military (1., a., (1), (a), 1, a)
    ("annexes", attach),            # annexes, appendices, tabs: letters, pages, banners
    ("references", resolve),        # cross-references and #links
    ("citations", cite),            # worded by the CSL style; notes numbered with the author's
    ("title page", choose_title_page),  # unset: a title page for long briefings only
    ("language", check_language),   # a French text that says no language: said
)


def finish(doc: m.Document, reporter: Reporter, stop: bool = True,
           skip: tuple[str, ...] = ()) -> m.Document:
    """The final model. Every pass runs (but those named in `skip`), so
    every problem of the document is reported at once; any error then ends
    the build (unless `stop` is false: `briefing check --explain` explains a
    banner that is wrong)."""
    for name, run in PASSES:
        if name not in skip:
            doc = run(doc, reporter)
    if stop:
        reporter.check()
    return doc
