"""Issue 15: real public documents, each read by pandoc as the reference.

For every document of tests/corpus/ (SOURCES.md says where each comes from
and what it exercises), our HTML must show what pandoc's does: the same list
items, tables, cells and headings, the same words within a few percent, and
no raw Markdown syntax in the HTML's or the DOCX's visible text (see
tests/corpus_compare.py, which also prints the whole table:
`PYTHONPATH=. .venv/bin/python tests/corpus_compare.py`).

A document that fails today is marked xfail with what fails; the marks are
strict, so the fix that makes a document pass must remove its mark.
"""

from __future__ import annotations

import re

import pytest

from corpus_compare import CORPUS, SOURCES, compare

# What fails today, per document (the baseline of issue 15).
FAILING = {
    "cisa-scuba-teams-baseline.md": "<!-- comments shown as text",
    "cisa-scuba-removed-policies.md": "<details>/<summary> shown as text",
    "cisa-scubagear-readme.md": "a heading indented by one space not read",
    "cisa-scubagear-update.md": "<br> shown as text",
    "cisa-scubagear-noninteractive.md": "raw HTML tags shown as text",
    "cms-ospo-review-checklist.md": "an :emoji: and a raw tag shown as text",
    "18f-resume-review.md": "raw HTML tags shown as text",
    "18f-share-power.md": "a kramdown {: } attribute list shown",
    "armymarkdown-readme.md": "raw tags shown as text",
    "usgs-dataretrieval-readme.md": "an <img> in a heading and :emoji: shown as text",
    "noaa-tech-memo-chapter.md": "refused, as issue 15 asks: @tbl-CRchum-rawdata names the table of a "
                                 "code cell, which briefing never runs (ref.code-cell)",
    "noaa-titlepages-article.md": "refused: @eq-clt, as $$ … $$ {#eq-clt} is not read as an equation",
    "pandoc-inlines.md": "$$ math, ^[inline notes], {.class} spans and ~~strike~~ shown as text",
    "quarto-callouts.md": "refused: @fig-sites names a fenced-div figure (::: {#fig-sites}), not read",
    "jekyll-kramdown.md": "kramdown {: } attribute lists shown as text; a table of 10 cells, pandoc 8",
    "github-raw-html.md": "raw HTML (<a name>, <details>, tags) shown as text; 27 list items, pandoc 28",
}


def marked(name: str):
    if name in FAILING:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=f"issue 15: {FAILING[name]}"))
    return name


@pytest.mark.parametrize("name", [marked(name) for name in SOURCES])
def test_reads_as_pandoc_does(name):
    result = compare(name)
    assert result.ok, f"{name}:\n  " + "\n  ".join(result.failures + result.errors[3:])


def test_every_corpus_document_is_compared_and_has_its_source():
    documents = {p.name for p in CORPUS.glob("*.md")} - {"SOURCES.md"}
    assert documents == set(SOURCES)
    listed = set(re.findall(r"^## `([^`]+)`", (CORPUS / "SOURCES.md").read_text(encoding="utf-8"), re.M))
    assert listed == set(SOURCES)
    assert set(FAILING) <= set(SOURCES)
