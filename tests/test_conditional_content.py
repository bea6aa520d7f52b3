"""Quarto's conditional content: `::: {.content-visible when-format="html"}`
shows only on screen, `when-format="pdf"` only in the PDF, and
`.content-hidden` the other way round; each output is checked by its own
reader (lxml, pdftotext, pandoc on the DOCX)."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from conftest import run_cli
from pipeline import model as m
from pipeline.run.build import load
from readers import docx_via_pandoc, pandoc_blocks, pandoc_text, pdf_text

SOURCE = """---
title: Conditional content
classification: UNCLASSIFIED
---

Everywhere.

::: {.content-visible when-format="html"}
Only on screen.
:::

::: {.content-visible when-format="pdf"}
Only in the PDF.
:::

::: {.content-hidden when-format="html"}
Everywhere but the screen.
:::

::: {.content-visible unless-format="docx"}
Not in Word.
:::

::: {.content-visible when-format="revealjs"}
In none of ours.
:::

::: {.content-visible when-meta="draft"}
Shown: a condition on metadata is not known here.
:::
"""


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "conditional.md"
    path.write_text(SOURCE, encoding="utf-8")
    return path


def test_the_model_says_where_each_shows(source):
    divs = [b for b in load(source).blocks if isinstance(b, m.Div)]
    assert [d.formats for d in divs] == [("html",), ("pdf",), ("pdf", "docx"), ("html", "pdf"), ("none",), ()]


@pytest.mark.slow
def test_each_format_shows_its_own(source, tmp_path):
    assert run_cli("build", source, "--out", tmp_path).returncode == 0
    screen = " ".join(lxml.html.fromstring((tmp_path / "conditional.html").read_bytes())
                      .find(".//main").text_content().split())
    printed = " ".join(pdf_text(tmp_path / "conditional.pdf").split())
    word = " ".join(pandoc_text(b["c"]) for b in pandoc_blocks(docx_via_pandoc(tmp_path / "conditional.docx"), "Para"))
    shown = {"Everywhere.": "hpw", "Only on screen.": "h", "Only in the PDF.": "p",
             "Everywhere but the screen.": "pw", "Not in Word.": "hp", "In none of ours.": "",
             "Shown: a condition on metadata is not known here.": "hpw"}
    for words, where in shown.items():
        assert (words in screen, words in printed, words in word) == tuple(c in where for c in "hpw"), words
