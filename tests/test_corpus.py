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
    "cisa-scuba-teams-baseline.md": "refused: a badge (an image inside a link, in a paragraph) "
                                    "must stand alone as a figure",
    "cisa-scuba-removed-policies.md": "<details>/<summary> shown as text, and the lists inside them "
                                      "not read (8 list items, pandoc 38)",
    "cisa-scubagear-readme.md": "refused: badges (reference-style images inside links)",
    "cisa-scubagear-update.md": "refused: a badge after a <br> in a paragraph",
    "cisa-scubagear-noninteractive.md": "refused: links to other files (serviceprincipal-workflows.md#…)",
    "cms-ospo-review-checklist.md": "refused: GitHub heading anchors (#additional-notes--questions, "
                                    "#review-commit-history) and a link to another file",
    "usds-playbook-play-01.md": "refused: its own Jekyll front matter (play_number)",
    "18f-resume-review.md": "refused: its own 11ty front matter (permalink, layout, tags, "
                            "eleventyNavigation …)",
    "18f-share-power.md": "refused: its own front matter (description, layout, subnav …)",
    "armymarkdown-readme.md": "refused: badges (images inside links)",
    "usgs-dataretrieval-readme.md": "refused: its own R Markdown front matter (output, editor_options)",
    "usgs-dataretrieval-slides.md": "refused: its own Quarto front matter (author, format, execute …); "
                                    "past it, fenced divs (::: footer, .panel-tabset) shown as text",
    "noaa-tech-memo-chapter.md": "refused: a cross-reference to a table made by a code cell "
                                 "(@tbl-CRchum-rawdata)",
    "noaa-titlepages-article.md": "refused: its own Quarto front matter (author mappings, abstract, "
                                  "format, bibliography); past it, $$ … $$ {#eq-clt} shown as text",
    "army-memo.md": "refused: its own memo front matter (address1, author, subject …); past it, "
                    "a tel: link",
    "pandoc-lists.md": "fancy lists (a., i., A)), #. items, example lists (@) and task lists not "
                       "read as lists; lists nested by 2 or 3 spaces flattened",
    "pandoc-tables.md": "simple, multiline, grid and headerless tables not read as tables",
    "pandoc-inlines.md": "refused: an inline remote image must stand alone as a figure",
    "pandoc-title-block.md": "refused: no title, the % title block not read",
    "quarto-callouts.md": "refused: its own Quarto front matter (author, format, bibliography, execute)",
    "mkdocs-admonitions.md": "MkDocs ??? collapsible blocks and === tabs shown as text",
    "jekyll-kramdown.md": "refused: its own Jekyll front matter (layout, permalink, description, author)",
    "github-raw-html.md": "refused: badges (images inside links)",
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
