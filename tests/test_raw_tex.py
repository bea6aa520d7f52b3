"""Raw LaTeX in Markdown written for a PDF made through LaTeX (a thesis
template, ReScience articles, jupyter-book's mathematics page), as pandoc
and Quarto read it: environments as blocks (pipeline/read/texenv.py:
mathematics shown, the rest left out with a warning), commands alone in a paragraph left out, and
LaTeX's text commands in a line shown as what LaTeX shows. Checked against
the model, and built: no TeX reaches the HTML, the PDF or the DOCX."""

from __future__ import annotations

import pypandoc
import pytest

from conftest import run_cli
from pipeline import model as m
from pipeline.problems import Reporter
from pipeline.run.build import load
from readers import pdf_text

FIGURE = """\
\\setcounter{page}{1}
\\doublespacing

Before the figure.

\\begin{figure}
\\includegraphics[width=0.5\\textwidth]{deltaW.png}
\\caption{\\textbf{Replication.} Left, the STDP window.}
\\label{Fig_exp}
\\end{figure}

The window is \\textbf{left}, \\emph{very \\textbf{much}} so, in \\LaTeX{} and `\\textbf{code}`.

\\begin{align}
a_{11} &= b_{11} \\\\
a_{21} &= b_{21} + c_{21}
\\end{align}

```latex
\\begin{figure}
\\end{figure}
```

\\begin{theorem}
Never closed.
"""


def loaded(write) -> tuple[m.Document, Reporter]:
    path = write(FIGURE)
    reporter = Reporter(str(path))
    return load(path, reporter), reporter


def test_environments_commands_and_text_commands(write):
    doc, reporter = loaded(write)
    assert not reporter.errors
    assert [(w.line, w.code) for w in reporter.warnings] == [(5, "markdown.raw-format"),
                                                             (10, "markdown.raw-format")]
    assert "\\setcounter{page}{1} \\doublespacing" in reporter.warnings[0].message
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Paragraph", "Equation", "CodeBlock", "Paragraph"]
    before, text, formula, code, unclosed = doc.blocks
    assert m.plain_text(before.inlines) == "Before the figure."
    assert text.inlines[1] == m.Strong(children=(m.Text(text="left"),))
    assert text.inlines[3] == m.Emph(children=(m.Text(text="very "), m.Strong(children=(m.Text(text="much"),))))
    assert m.Code(text="\\textbf{code}") in text.inlines and "LaTeX and" in m.plain_text(text.inlines)
    assert formula.tex.strip().startswith("\\begin{align}") and formula.line == 18
    assert code.text == "\\begin{figure}\n\\end{figure}"  # code stays as written
    assert m.plain_text(unclosed.inlines).startswith("\\begin{theorem}")  # never closed: as written


def test_no_tex_reaches_any_format(write, tmp_path):
    path = write(FIGURE.replace("\\begin{theorem}\nNever closed.\n", "").replace(
        "```latex\n\\begin{figure}\n\\end{figure}\n```\n", ""))
    result = run_cli("build", path, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "brief.html").read_text(encoding="utf-8")
    main = html[html.index("<main"):html.index("</main>")]
    assert "\\begin" not in main and "\\setcounter" not in main and "\\emph" not in main
    assert "<math" in main and "<strong>left</strong>" in main
    for text in (pdf_text(tmp_path / "out" / "brief.pdf"),
                 pypandoc.convert_file(str(tmp_path / "out" / "brief.docx"), "plain", format="docx")):
        assert "\\includegraphics" not in text and "\\textbf{left}" not in text
        assert "The window is left, very much so, in LaTeX and" in " ".join(text.split())


@pytest.mark.parametrize("environment", ["multline", "flalign*", "eqnarray", "alignat"])
def test_every_amsmath_display_environment_is_a_formula(write, environment):
    body = {"multline": "a + b \\\\\n+ c", "alignat": "{2} a &= b", "eqnarray": "a &=& b"}.get(environment, "a &= b")
    path = write(f"\\begin{{{environment}}}\n{body}\n\\end{{{environment}}}\n")
    reporter = Reporter(str(path))
    doc = load(path, reporter)
    assert not reporter.errors and not reporter.warnings
    [formula] = doc.blocks
    assert isinstance(formula, m.Equation) and environment.rstrip("*") in formula.tex


def test_url_and_href_are_links_checked_as_any(write):
    """`\\url{…}` and `\\href{…}{words}` showed as written: they are links,
    inside a command too, and a link's rules hold (no javascript:)."""
    path = write("See \\url{https://example.org/a_b} and \\href{https://x.org}{the \\emph{site}}, "
                 "\\textbf{bold \\url{https://y.org}}.\n")
    reporter = Reporter(str(path))
    [paragraph] = load(path, reporter).blocks
    links = [item for item in m.walk.nested_inlines(paragraph.inlines) if isinstance(item, m.Link)]
    assert [(link.target, m.plain_text(link.children)) for link in links] == [
        ("https://example.org/a_b", "https://example.org/a_b"), ("https://x.org", "the site"),
        ("https://y.org", "https://y.org")]
    assert m.Emph(children=(m.Text(text="site"),)) in links[1].children
    bad = write("Run \\url{javascript:alert(1)}.\n", name="bad.md")
    result = run_cli("check", bad)
    assert result.returncode == 1 and f"{bad}:5: link target 'javascript:alert(1)' is not allowed" in result.stderr


def test_texenv_finds_an_environments_end_and_rewrites_its_lines():
    """pipeline/read/texenv.py on lines as read/markdown.py marks them: the
    end of an environment, nested ones of its name counted; none for one
    never closed or ended amid a line; a formula's lines and a raw block's."""
    from pipeline.read import texenv

    mark = "\ue000\ue005"
    lines = ["\\begin{figure}" + mark, "\\begin{figure}", "x", "\\end{figure}", "\\end{figure}", "after"]
    assert texenv.closing(lines, 0, "figure") == 4
    assert texenv.closing(lines[:4], 0, "figure") is None
    assert texenv.closing(["\\begin{align}", "a \\end{align} b"], 0, "align") is None
    assert texenv.block(["\\begin{align}", "a &= b", "\\end{align}"], math=True) == \
        ["$$\\begin{align}", "a &= b", "\\end{align}$$", ""]
    assert texenv.block(["\\begin{figure}" + mark, "\\end{figure}"], math=False) == \
        ["```{=latex}" + mark, "\\begin{figure}" + mark, "\\end{figure}", "```", ""]
    assert texenv.opens_block([]) and texenv.opens_block(["text", ""]) and not texenv.opens_block(["text"])
