"""read/katex.py: formulas a site generator rendered with KaTeX before the
Markdown was written are read back as the TeX they were made from."""

from __future__ import annotations

from conftest import FRONT, run_cli
from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import Reporter
from pipeline.read.katex import unrendered
from pipeline.run.build import load

# As rOpenSci's blog has them (the drawing cut short: twenty levels of spans there).
INLINE = ('<span class="katex"><span class="katex-mathml"><math xmlns="http://www.w3.org/1998/Math/MathML">'
          '<semantics><mrow><msub><mi>z</mi><mi>t</mi></msub></mrow><annotation encoding="application/x-tex">'
          'z_t</annotation></semantics></math></span><span class="katex-html" aria-hidden="true"><span class="base">'
          '<span class="mord"><span class="mord mathnormal">z</span></span></span></span></span>')
DISPLAY = ('<span class="katex-display"><span class="katex"><span class="katex-mathml"><math display="block">'
           '<semantics><mtable><mtr><mtd><mi>x</mi></mtd></mtr></mtable><annotation encoding="application/x-tex">'
           '\\begin{aligned}\nx_t &amp; \\sim N(0, 1)\\\\\ny_t &amp; \\sim N(x_t, 0.3^2)\n\\end{aligned}'
           '</annotation></semantics></math></span><span class="katex-html" aria-hidden="true">'
           '<span class="base"><span class="strut"></span></span></span></span></span>')


def test_the_tex_is_read_inline_and_on_display(tmp_path):
    source = tmp_path / "brief.md"
    source.write_text(FRONT + f"Variable {INLINE} is the intervention.\n\nThe process:\n\n{DISPLAY}\n\n"
                      "After [a link](#nowhere).\n", encoding="utf-8")
    reporter = Reporter(str(source))
    doc = load(source, reporter, stop=False)
    formulas = [i.tex for b in walk.blocks(doc) for run in walk.block_inlines(b)
                for i in walk.nested_inlines(run) if isinstance(i, m.Math)]
    equations = [b.tex for b in walk.blocks(doc) if isinstance(b, m.Equation)]
    assert formulas == ["z_t"]
    assert equations == ["\\begin{aligned}\nx_t & \\sim N(0, 1)\\\\\ny_t & \\sim N(x_t, 0.3^2)\n\\end{aligned}"]
    # The source keeps its lines: the link after the three-line formula is named at its own.
    [problem] = [p for p in reporter.problems if "nowhere" in p.message]
    assert problem.line == source.read_text(encoding="utf-8").splitlines().index("After [a link](#nowhere).") + 1


def test_a_page_of_them_builds_where_it_was_refused(tmp_path):
    source = tmp_path / "brief.md"
    source.write_text(FRONT + "".join(f"Term {n}: {INLINE}.\n\n" for n in range(13)) + DISPLAY + "\n",
                      encoding="utf-8")
    result = run_cli("build", source, "--out", tmp_path / "out")
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    page = (tmp_path / "out" / "brief.html").read_text(encoding="utf-8")
    assert "katex" not in page and page.count("<math") == 14


def test_what_cannot_be_read_back_stays_as_written():
    no_tex = '<span class="katex"><span class="katex-html">x</span></span>'
    moved = DISPLAY.replace('<span class="base">', '\n<span class="base">')  # a line more than its TeX
    unclosed = '<span class="katex"><span>'
    for written in (no_tex, unclosed, "No formula here."):
        assert unrendered([written]) == [written]
    assert unrendered(moved.split("\n")) == moved.split("\n")  # the lines after it would move
    assert unrendered(DISPLAY.split("\n"))[0] == "$$\\begin{aligned}"
    assert unrendered(["a " + INLINE + " b"]) == ["a $z_t$ b"]
