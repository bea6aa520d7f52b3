"""Mathematics: `$…$` and `$$…$$` (with `{#eq-id}`), read by pandoc's
dollar rule, converted once and checked (read/tex.py), shown in every
format and never raw: MathML in the HTML, SVG in the PDF, Office Math in
Word. A formula that cannot be read is a `math.invalid` problem at its line."""

from __future__ import annotations

import json
import re
import zipfile

import lxml.html
import pypandoc
from lxml import etree
import pytest

from conftest import FIXTURES, run_cli
from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import BriefingError, Reporter
from pipeline.read.tex import MATHML, MathProblem, to_mathml
from pipeline.render.math import drawing
from pipeline.render.omml import OMML, omml
from pipeline.run.build import load
from readers import docx_via_pandoc, pdf_text, soffice_to_pdf
from rendering import html_of

MATH = FIXTURES / "math.md"
NS = {"m": OMML}


def formulas(doc: m.Document) -> list[tuple[str, str]]:
    """(kind, TeX) of every formula in reading order, as pandoc names them."""
    found = []
    for block in walk.blocks(doc):
        if isinstance(block, m.Equation):
            found.append(("DisplayMath", block.tex))
        for run in walk.block_inlines(block):
            found += [("DisplayMath" if i.display else "InlineMath", i.tex)
                      for i in walk.nested_inlines(run) if isinstance(i, m.Math)]
    return found


def pandoc_formulas(text: str) -> list[tuple[str, str]]:
    return pandoc_formulas_of(text, "markdown")


def pandoc_formulas_of(text: str, reader: str) -> list[tuple[str, str]]:
    found = []

    def visit(node):
        if isinstance(node, dict):
            if node.get("t") == "Math":
                found.append((node["c"][0]["t"], node["c"][1].strip()))
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)
    visit(json.loads(pypandoc.convert_text(text, "json", format=reader))["blocks"])
    return found


def test_formulas_are_those_pandoc_reads():
    doc = load(MATH)
    body = MATH.read_text(encoding="utf-8").split("---", 2)[2]
    assert formulas(doc) == pandoc_formulas(body)


@pytest.mark.parametrize("text", ["It costs $5 and $10.", "From $20 to $ 30$.", "A $x $ y$ z",
                                  "Escaped \\$x\\$ dollars.", "Code `$x$` stays.", "$x$5 is not math."])
def test_dollar_signs_follow_pandocs_rule(write, text):
    doc = load(write(text + "\n"))
    assert formulas(doc) == pandoc_formulas(text)


def test_a_formula_over_lines_starting_with_signs_is_one_formula(write):
    """Quarto's Black-Scholes equation: a line of its TeX starting with `+`
    was read as a list item, the formula broken into a paragraph and a
    list, its `{#eq-…}` lost and the reference to it refused. One formula,
    as pandoc reads it, at its first line."""
    text = ("The model (@eq-black-scholes):\n\n$$\n\\frac{\\partial C}{\\partial t} + \\frac{1}{2}\\sigma^{2} S^{2}\n"
            "  + r S \\frac{\\partial C}{\\partial S}\n  - r C\n> 0\n$$ {#eq-black-scholes}\n\nDone.\n")
    reporter = Reporter("x.md")
    doc = load(write(text), reporter)
    assert not reporter.errors
    assert [type(b) for b in doc.blocks] == [m.Paragraph, m.Equation, m.Paragraph]
    equation = doc.blocks[1]
    assert equation.id == "eq-black-scholes" and equation.line == 7 and equation.number == 1
    spaced = lambda found: [(kind, " ".join(tex.split())) for kind, tex in found]  # noqa: E731
    assert spaced(formulas(doc)) == spaced(pandoc_formulas(text))  # the TeX's line ends are spaces


def test_a_formula_in_an_indented_code_block_stays_code_as_written(write):
    """The formula over lines is one only where a paragraph is: four
    spaces in at the margin its lines are code, unchanged; in a list item,
    a formula."""
    doc = load(write("Code:\n\n    $$\n    + x\n    $$\n\n1.  Item:\n\n    $$\n    a\n    + b\n    $$\n"))
    code = next(b for b in walk.blocks(doc) if isinstance(b, m.CodeBlock))
    assert code.text == "$$\n+ x\n$$"
    assert [b.tex for b in walk.blocks(doc) if isinstance(b, m.Equation)] == ["a\n    + b"]


def test_githubs_math_fence_and_inline_formula_are_formulas(write):
    """CDC's model definition wrote its formulas as GitHub does, a ```math
    block and `$`…`$`: shown as code and with backquotes; formulas now, as
    pandoc's gfm reader reads them."""
    text = "Mass:\n\n```math\n\\delta(\\tau) = \\frac{1}{2}\n```\n\nInline $`\\sqrt{3}`$ here.\n"
    doc = load(write(text))
    assert formulas(doc) == pandoc_formulas_of(text, "gfm") == [
        ("DisplayMath", "\\delta(\\tau) = \\frac{1}{2}"), ("InlineMath", "\\sqrt{3}")]
    assert not [b for b in walk.blocks(doc) if isinstance(b, m.CodeBlock)]


def test_a_display_formula_alone_is_a_numbered_equation_and_referable():
    doc = load(MATH)
    blocks = doc.sections[0].blocks
    mean = next(b for b in blocks if isinstance(b, m.Equation) and b.id)
    assert (mean.id, mean.number, mean.line) == ("eq-mean", 1, 13)
    ref = next(i for b in blocks for run in walk.block_inlines(b) for i in run if isinstance(i, m.Ref))
    assert (ref.id, ref.kind, ref.number) == ("eq-mean", "equation", "1")
    within = next(b for b in blocks if isinstance(b, m.Paragraph) and "Pythagoras" in m.block_text(b))
    assert [type(i).__name__ for i in within.inlines] == ["Text", "Math", "Text"]


@pytest.mark.parametrize("tex, why", [
    (r"\frac{1}{", "a { without its }"),
    (r"\frac{1}", "a fraction without all its parts"),
    (r"\frac", "ends too early"),
    (r"\foo{x}", r"\foo is not a command it knows"),
    (r"\def\a{\a}\a", r"\def is not supported"),
    (r"x^", "a ^ or _ with nothing after it"),
    ("{" * 60 + "x" + "}" * 60, "nest deeper"),
    (r"a & b", "an & outside an environment"),
])
def test_a_formula_that_cannot_be_read_is_refused(tex, why):
    with pytest.raises(MathProblem, match=re.escape(why)):
        to_mathml(tex)


def test_an_unreadable_formula_is_a_problem_at_its_line(write):
    path = write("Fine $x^2$ here.\n\nThen a bad one,\nhere: $\\frac{1}{$ and\n\n$$\n\\unknown\n$$\n")
    reporter = Reporter(str(path))
    with pytest.raises(BriefingError):
        load(path, reporter)
    assert [(p.line, p.code) for p in reporter.errors] == [(8, "math.invalid"), (10, "math.invalid")]
    assert "formula $\\frac{1}{$: cannot read it" in reporter.errors[0].message


def test_mathml_is_allowlisted_no_link_no_style():
    written = to_mathml(r"\href{javascript:alert(1)}{x} + \style{position:fixed}{y} + \color{red}{z}")
    assert "javascript" not in written and "href" not in written and "position" not in written
    assert written.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"')


def test_html_shows_mathml_and_never_the_tex():
    tree = lxml.html.fromstring(html_of(load(MATH)))
    main = tree.xpath("//main")[0]
    maths = main.xpath(".//*[local-name()='math']")
    assert len(maths) == len(formulas(load(MATH))) == 7
    assert [x.get("display") for x in maths].count("block") == 4
    assert main.xpath(".//div[@class='equation' and @id='eq-mean']/span[@class='equation-number']/text()") == ["(1)"]
    assert main.xpath(".//a[@href='#eq-mean']/text()") == ["Equation 1"]
    visible = main.text_content()
    assert "$" not in visible.replace("$5", "").replace("$10", "") and "\\frac" not in visible


def test_word_gets_office_math_that_mends_mathml2omml():
    written = omml(r"\sqrt{x} + \hat{a} + \bar{x} + \overline{ab}", False)
    assert written is not None and "<m:deg/>" in written and "<m:degHide" in written
    assert written.count("<m:acc>") == 2 and "<m:bar>" in written and "groupChr" not in written


def test_a_power_of_a_bracket_is_a_bracketed_group_in_word():
    """`(a+b)^2` as Word writes it (m:d under the superscript), not a
    superscript on a lone `)`, which LibreOffice shows as "¿"."""
    written = omml(r"(a+b)^2 + [f(x)]_i + x^2", False)
    assert written is not None
    root = etree.fromstring(f'<w xmlns:m="{OMML}">{written}</w>')
    groups = root.findall(".//m:sSup/m:e/m:d", NS) + root.findall(".//m:sSub/m:e/m:d", NS)
    assert [(d.find("m:dPr/m:begChr", NS).get(f"{{{OMML}}}val"), "".join(d.itertext())) for d in groups] == [
        ("(", "a+b"), ("[", "f(x)")]
    assert not [e for e in root.iterfind(".//m:sSup/m:e", NS) if "".join(e.itertext()) in (")", "]")]


@pytest.mark.slow
def test_libreoffice_shows_a_raised_bracket(tmp_path):
    source = tmp_path / "powers.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n"
                      "$$(a+b)^2 = [f(x)]_i^2$$\n", encoding="utf-8")
    assert run_cli("build", source, "--out", tmp_path, "--to", "docx").returncode == 0
    text = pdf_text(soffice_to_pdf(tmp_path / "powers.docx", tmp_path))
    assert "¿" not in text and "a+b" in text.replace(" ", "")


def test_the_pdf_drawing_sits_on_the_baseline():
    drawn = drawing(r"\frac{1}{n}", False)
    assert drawn.svg.startswith("<svg") and 0 < drawn.depth < drawn.height
    assert "<script" not in drawn.svg and "href=\"http" not in drawn.svg


def test_a_sign_that_starts_a_term_is_set_close_to_it():
    """`f(-1)` was drawn "f( − 1)", its minus spaced as between two terms;
    a sign after an opening bracket, an operator or nothing is a prefix,
    as TeX sets it (pandoc writes it as an identifier for the same end)."""
    ns = {"m": "http://www.w3.org/1998/Math/MathML"}

    def forms(tex: str) -> list[str | None]:
        root = etree.fromstring(to_mathml(tex))
        return [mo.get("form") for mo in root.iterfind(".//m:mo", ns) if mo.text in ("\u2212", "+")]
    assert forms("f(-1) = -x") == ["prefix", "prefix"]
    assert forms("[-1, 1] + x^{-2}") == ["prefix", None, "prefix"]
    assert forms("a - b + (a)-b + |x|-1") == [None, None, None, None, None]
    # ziamath draws the PDF's formula: the prefix minus takes less room than the infix one.
    assert drawing("f(-1)", False).width < drawing("f(1-1)", False).width - drawing("1", False).width


@pytest.mark.slow
def test_mathematics_in_all_three_formats(tmp_path):
    result = run_cli("build", MATH, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    expected = formulas(load(MATH))
    # PDF: each formula an image described by its TeX; none of it as text.
    text = pdf_text(tmp_path / "math.pdf")
    assert "costs $5 and the second $10" in re.sub(r"\s+", " ", text)
    assert "\\frac" not in text and "$$" not in text and "(1)" in text
    assert text.count("Equation 1") == 1
    # Word: real equations, which pandoc reads back as mathematics.
    ast = docx_via_pandoc(tmp_path / "math.docx")
    theirs = []

    def visit(node):
        if isinstance(node, dict):
            if node.get("t") == "Math":
                theirs.append(node["c"][1])
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)
    visit(ast["blocks"])
    assert len(theirs) == len(expected)
    for tex in ("\\frac", "\\sum", "\\sqrt", "pmatrix", "\\hat", "\\bar"):
        assert any(tex in t for t in theirs) or tex in ("\\hat",) and any("widehat" in t for t in theirs), tex
    document = zipfile.ZipFile(tmp_path / "math.docx").read("word/document.xml").decode()
    assert "<w:drawing>" not in document  # no formula fell back to a picture
    assert "$" not in re.sub(r"\$(5|10)", "", "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", document)))


@pytest.mark.parametrize("tex, shown", [
    (r"S = \big\{ x : x > 0 \big\}", ["{", "}"]),
    (r"\bigl\langle a, b \bigr\rangle", ["⟨", "⟩"]),
    (r"\Bigg\| x \Bigg\|", ["‖", "‖"]),
    (r"\Big\lfloor x \Big\rfloor + \big\lvert y \big\rvert", ["⌊", "⌋", "|", "|"]),
])
def test_a_sized_delimiter_written_as_a_command_is_its_character(tex, shown):
    """phd_thesis_markdown writes `\\Big\\{ … \\Big\\}`: refused, "\\{ is not a
    command it knows" (latex2mathml leaves the delimiter after `\\big` as
    written). It is the delimiter, at the size `\\big` gives it; the PDF's
    drawing and Word's equation are made from it."""
    root = etree.fromstring(to_mathml(tex))
    sized = [mo.text for mo in root.iter(f"{{{MATHML}}}mo") if mo.get("maxsize")]
    assert sized == shown
    assert drawing(tex, False).width > 0 and omml(tex, False) is not None


def test_a_myst_math_directive_takes_its_label_and_leaves_its_options_out(write):
    """jupyter-book writes ```` ```{math} ```` with `:label: eq_my_label` (and
    other options) on its first lines: they were typeset as part of the
    formula. The label is the equation's id, which numbers it; the other
    options go."""
    path = write("```{math}\n:label: eq_my_label\n:nowrap: true\nw_{t+1} = (1 + r_{t+1}) s(w_t)\n```\n\n"
                 "```math\na = b\n```\n")
    reporter = Reporter(str(path))
    doc = load(path, reporter)
    assert not reporter.errors
    first, second = doc.blocks
    assert (first.id, first.number, first.tex) == ("eq_my_label", 1, "w_{t+1} = (1 + r_{t+1}) s(w_t)")
    assert (second.id, second.tex) == ("", "a = b")


def test_a_formula_wider_than_its_line_is_drawn_to_fit_it(write, tmp_path):
    """A sum of 24 terms ran off the PDF's page after a₁₉ (an inline formula
    is one picture, which no line can break). It is drawn smaller, inside
    the text's width: its last term is on the page."""
    from readers import tool

    terms = " + ".join(f"a_{{{n}}}" for n in range(1, 25))
    path = write(f"Paragraph: ${terms}$ end.\n")
    result = run_cli("build", path, "--out", tmp_path / "out", "--to", "pdf")
    assert result.returncode == 0, result.stderr
    from PIL import Image

    tool("pdftoppm", "-png", "-r", "72", "-f", "1", "-l", "1", tmp_path / "out" / "brief.pdf", tmp_path / "page")
    [png] = tmp_path.glob("page*.png")
    page = Image.open(png).convert("L")
    margin = range(page.width - 60, page.width)  # the right margin's last 60 points (of 102 on A4)
    assert all(page.getpixel((x, y)) > 200 for x in margin for y in range(page.height))


@pytest.mark.parametrize("tex", [r"R^\mathrm{u}", r"R^{\mathrm{u}}", r"\mathrm{d}x", r"a \sim b", r"a \pm b",
                                 r"\neg p", r"\langle x, y \rangle", r"a, \ldots, b", r"a \mp b"])
def test_letters_and_operators_are_those_pandoc_writes(tex):
    """CDC's wastewater model (built by a new user): `R^\\mathrm{u}` came out
    an italic u, and `a \\sim b` an ASCII tilde set as a letter ("a~b"), which
    Word's equation showed as nothing. latex2mathml writes a lone upright
    letter as a plain one, `\\sim` as `~` and `\\pm`, `\\neg`, `\\langle` …
    as identifiers; each is now what pandoc (texmath) writes."""
    def tokens(mathml: str) -> list[tuple[str, str, str]]:
        root = etree.fromstring(mathml.encode()) if mathml.startswith("<math") else lxml.html.fromstring(mathml)
        return [(etree.QName(e).localname, (e.text or "").strip(), e.get("mathvariant", ""))
                for e in root.iter() if etree.QName(e).localname in ("mi", "mo", "mn")]

    theirs = pypandoc.convert_text(f"${tex}$", "html", format="markdown", extra_args=["--mathml"])
    [math] = re.findall(r"<math.*?</math>", theirs, re.S)
    math = re.sub(r"<annotation.*?</annotation>", "", math, flags=re.S)
    assert tokens(to_mathml(tex)) == tokens(math.replace("<math ", '<math xmlns:x="x" ', 1))
