"""pandoc's raw blocks and raw TeX page breaks, as Quarto and R Markdown
authors write them: ```` ```{=html} ```` is raw HTML, read through the
allowlist as any raw HTML is (never passed through) and shown in every
format; `\\newpage` alone, or in ```` ```{=latex} ````, is a new page; a raw
block for another tool's output (LaTeX, OpenXML, Typst) is left out, with
a warning at its line."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from conftest import run_cli
from pipeline import model as m
from pipeline.problems import Reporter
from pipeline.run.build import load
from readers import docx_via_pandoc, pandoc_blocks, pandoc_text, pdf_text

SOURCE = """---
title: Raw blocks
classification: UNCLASSIFIED
---

Before.

```{=html}
<p>Raw <b>HTML</b> with a note.</p>
<script>alert(1)</script>
<!-- a hidden reviewer's note -->
```

```{=latex}
\\newpage
```

\\newpage

```{=openxml}
<w:p><w:r><w:t>Word only</w:t></w:r></w:p>
```

After.
"""


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "raw.md"
    path.write_text(SOURCE, encoding="utf-8")
    return path


def test_the_model(source):
    reporter = Reporter(str(source))
    doc = load(source, reporter)
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Paragraph", "PageBreak", "PageBreak", "Paragraph"]
    assert m.plain_text(doc.blocks[1].inlines) == "Raw HTML with a note."
    assert isinstance(doc.blocks[1].inlines[1], m.Strong)
    assert [(b.line) for b in doc.blocks[2:4]] == [14, 18]
    # The script is left out, with its code, and said at its line.
    assert sorted((p.line, p.code) for p in reporter.problems) == [(10, "html.left-out"), (20, "markdown.raw-format")]


@pytest.mark.slow
def test_every_format_reads_it_and_none_gets_markup(source, tmp_path):
    result = run_cli("build", source, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    page = lxml.html.fromstring((tmp_path / "raw.html").read_bytes())
    main = page.find(".//main")
    assert main.find(".//script") is None and "hidden reviewer" not in lxml.html.tostring(page).decode()
    assert [" ".join(p.text_content().split()) for p in main.iter("p")] == [
        "Before.", "Raw HTML with a note.", "After."]
    text = pdf_text(tmp_path / "raw.pdf")
    assert "Raw HTML with a note." in text and "Word only" not in text and "newpage" not in text
    assert "After." in pdf_text(tmp_path / "raw.pdf", 3)  # two page breaks
    paragraphs = [pandoc_text(b["c"]) for b in pandoc_blocks(docx_via_pandoc(tmp_path / "raw.docx"), "Para")]
    assert "Raw HTML with a note." in paragraphs and not any("Word only" in p for p in paragraphs)


def test_a_tex_command_alone_is_raw_tex_left_out_with_a_warning(write):
    """pandoc-crossref's demo writes `\\listoffigures` alone: it was shown as
    text; raw TeX, as pandoc reads it, for LaTeX's output only."""
    from pipeline import model as m
    from pipeline.problems import Reporter
    from pipeline.run.build import load
    path = write("Lists:\n\n\\listoffigures\n\n\\setcounter{page}{1}\n\nC:\\Users stays.\n")
    reporter = Reporter(str(path))
    doc = load(path, reporter)
    assert [m.block_text(b) for b in doc.blocks] == ["Lists:", "C:\\Users stays."]
    assert [(p.line, p.code) for p in reporter.warnings] == [(7, "markdown.raw-format"), (9, "markdown.raw-format")]
