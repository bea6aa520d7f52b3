"""Tangled and deeply nested inline markup, through `check` and all three
backends: every letter the author wrote reaches every output (none lost, no
Python-Markdown placeholder in its place), and the only failure is a
problem line. Fixed cases first, then hypothesis's."""

from __future__ import annotations

import io
import json
import re
import zipfile
import xml.etree.ElementTree as etree
from pathlib import Path

import lxml.html
import pypandoc
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from conftest import FRONT, run_cli
from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import BriefingError
from pipeline.read import placeholders
from pipeline.read.markdown import MAX_INLINE_DEPTH, TEX_COMMANDS
from pipeline.run.build import load
from readers import docx_via_pandoc, pandoc_blocks, pandoc_text, pdf_text
from rendering import formats_of
from fuzzing import examples

PLACEHOLDER = re.compile("[\x02\x03]|klzzwxh|wzxhzdk")


def pandoc_ast(text: str, reader: str = "markdown") -> dict:
    return json.loads(pypandoc.convert_text(text, "json", format=reader))


def letters(text: str) -> str:
    """The capitals of a text: the words of these tests, never markup."""
    return re.sub("[^A-Z]", "", text)


def html_body_text(html: bytes) -> str:
    return lxml.html.fromstring(html).find(".//main").text_content()


# Python-Markdown 3.11's emphasis pairs a `**` with a lone `*` and loses the
# text between (`B` here), or leaves its placeholders (U+0002 klzzwxh:0001
# U+0003) in the text; a code span found in a link's text keeps an escape's.
TANGLED = ["*A**x*B**", "*A**_*B**", "_*\\`**" * 5 + " C", "[*`\\``*](#x) D",
           "[[*`\\``*]{.smallcaps}](#x) E", "**_*\\`**F", "*G _H* I_", "***J***"]


@pytest.mark.parametrize("text", TANGLED)
def test_tangled_emphasis_keeps_every_letter_in_every_output(text, tmp_path: Path):
    source = tmp_path / "tangled.md"
    source.write_text(FRONT + text + "\n", encoding="utf-8")
    result = run_cli("build", source, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "tangled.html").read_bytes()
    assert not PLACEHOLDER.search(html.decode())
    assert letters(html_body_text(html)) == letters(text)
    paragraphs = pandoc_blocks(docx_via_pandoc(tmp_path / "tangled.docx"), "Para")
    assert letters("".join(pandoc_text(p["c"]) for p in paragraphs)) == letters(text)
    with zipfile.ZipFile(tmp_path / "tangled.docx") as package:
        assert not PLACEHOLDER.search(package.read("word/document.xml").decode())
    assert letters(text) in letters(pdf_text(tmp_path / "tangled.pdf"))


@pytest.mark.parametrize("text", ["$`x`$", "*****$\\ $*****", "$``a`b``$"])
def test_a_formula_keeps_what_python_markdown_took_before_it(text, tmp_path: Path):
    """Code spans and escapes are taken before formulas: inside one they
    were placeholders in its TeX (an internal error, or a formula lost)."""
    source = tmp_path / "math.md"
    source.write_text(FRONT + text + "\n", encoding="utf-8")
    source_doc = load(source, stop=False)
    [formula] = [i for b in walk.blocks(source_doc) for run in walk.block_inlines(b)
                 for i in walk.nested_inlines(run) if isinstance(i, m.Math)]
    # `$`x`$` is GitHub's inline formula x, as pandoc's gfm reader reads it
    # (its markdown reader keeps the backquotes in the TeX).
    reader = "gfm" if text.startswith("$`") else "markdown"
    [pandoc] = pandoc_blocks(pandoc_ast(text, reader), "Math")
    assert formula.tex.strip() == pandoc["c"][1].strip()


@pytest.mark.parametrize("text", ["***x***", "___x___", "**_x_**", "_**x**_", "***x* y**", "***x** y*",
                                  "a ***b*** c"])
def test_bold_italic_nests_as_pandoc_nests_it(text, tmp_path: Path):
    """pandoc: `***x***` is Strong round Emph (CommonMark says the other
    way round); mixed delimiters nest as written."""
    source = tmp_path / "nest.md"
    source.write_text(FRONT + text + "\n", encoding="utf-8")
    [paragraph] = [b for b in walk.blocks(load(source)) if isinstance(b, m.Paragraph)]

    def shape(inlines) -> list:
        return [[type(i).__name__, shape(walk.inline_children(i))] if walk.inline_children(i)
                else type(i).__name__ for i in inlines]

    def pandoc_shape(inlines) -> list:
        out: list = []
        for node in inlines:
            if node["t"] in ("Strong", "Emph"):
                out.append([node["t"], pandoc_shape(node["c"])])
            elif node["t"] in ("Str", "Space"):
                if not out or out[-1] != "Text":
                    out.append("Text")
        return out
    [pandoc] = pandoc_blocks(pandoc_ast(text), "Para")
    assert shape(paragraph.inlines) == pandoc_shape(pandoc["c"])


def nested(depth: int) -> str:
    """`*A _A *A … x … A* A_ A*`: emphasis `depth` levels deep."""
    marks = ["*" if level % 2 == 0 else "_" for level in range(depth)]
    return "".join(f"{mark}A " for mark in marks) + "x" + "".join(f" A{mark}" for mark in reversed(marks))


def test_emphasis_as_deep_as_allowed_reaches_every_output(tmp_path: Path):
    source = tmp_path / "deep.md"
    source.write_text(FRONT + nested(MAX_INLINE_DEPTH) + "\n", encoding="utf-8")
    result = run_cli("build", source, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    html = lxml.html.fromstring((tmp_path / "deep.html").read_bytes())
    deepest = max(len(list(e.iterancestors("em", "strong"))) for e in html.iter("em"))
    assert deepest == MAX_INLINE_DEPTH - 1  # so many <em> round the innermost
    shown = "A" * MAX_INLINE_DEPTH + "x" + "A" * MAX_INLINE_DEPTH
    assert shown in re.sub(r"\s", "", pdf_text(tmp_path / "deep.pdf"))


@pytest.mark.parametrize("depth", [MAX_INLINE_DEPTH + 1, 100, 200])
def test_deeper_emphasis_is_one_problem_line(depth, tmp_path: Path):
    """It was a RecursionError (an internal error) in every backend past
    about 90 levels."""
    source = tmp_path / "deep.md"
    source.write_text(FRONT + "Before.\n\n" + nested(depth) + "\n", encoding="utf-8")
    for command in (("check",), ("build", "--out", tmp_path / "out")):
        result = run_cli(command[0], source, *command[1:])
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.splitlines()[0] == (
            f"{source}:7: emphasis, links and spans nest deeper than {MAX_INLINE_DEPTH} levels")
    assert not (tmp_path / "out").exists()


def test_placeholders_python_markdown_left_are_put_back_or_said(tmp_path: Path, monkeypatch):
    """What read/placeholders.py does with a tree holding what the reader
    never resolves: an escape comes back, a lost element is said, at the
    line of the element that lost it."""
    root = etree.Element("div")
    first = etree.SubElement(root, "p")
    first.text = "a\x0242\x03b"
    second = etree.SubElement(root, "p")
    em = etree.SubElement(second, "em")
    em.text, em.tail = "c", "klzzwxh:0001\x03d"
    code = etree.SubElement(second, "code")
    code.text, code.tail = "e\x0296\x03", " \x02wzxhzdk:0\x03 \x02amp\x03"
    assert placeholders.settle(root) == [em]
    assert first.text == "a*b"
    assert em.tail == "d"
    assert code.text == "e\\`"  # as the author wrote it, in code
    assert code.tail == " \x02wzxhzdk:0\x03 \x02amp\x03"  # the reader resolves these

    source = tmp_path / "lost.md"
    source.write_text(FRONT + "First.\n\nSecond *with* emphasis.\n", encoding="utf-8")
    settle = placeholders.settle
    monkeypatch.setattr(placeholders, "settle", lambda root: settle(root) + list(root.iter("em")))
    result = run_cli("check", source)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{source}:7: Python-Markdown lost part of this text")


# Hypothesis: nested markup of every kind the reader knows, and soups of
# delimiters, with words of X, Y and Z (in no label, banner or heading of
# ours); through `check` (load) and the three backends. Allowed: a
# BriefingError (problem lines). Required otherwise: no placeholder
# anywhere, and every X, Y and Z of the source in each output (an inline
# note's move to the end, so counted, not ordered).

words = st.text(alphabet="XYZ ", min_size=1, max_size=4)
soup = st.lists(st.sampled_from(["*", "**", "_", "__", "X", "Y", " ", "\\`", "`", "~", "^", "\\*",
                                 "\\", "[", "]", "$"]), max_size=16).map("".join)
PAIRS = ["*", "**", "_", "__", "***", "~~", "~", "^", "`", "=="]
STRAYS = ["*", "_", "\\*", "\\`", "**", "`", "\\", "["]


@st.composite
def inline_markup(draw, depth: int = 0) -> str:
    if depth > 12 or draw(st.integers(0, 3)) == 0:
        return draw(words | soup)
    inner = lambda: draw(inline_markup(depth + 1))
    match draw(st.integers(0, 6)):
        case 0:
            pair = draw(st.sampled_from(PAIRS))
            return pair + inner() + pair
        case 1:
            return inner() + inner()
        case 2:
            return inner() + draw(st.sampled_from(STRAYS)) + inner()
        case 3:
            return f"[{inner()}](#x)"
        case 4:
            return f"[{inner()}]{{.smallcaps}}"
        case 5:
            return f"^[{inner()}]"
        case _:
            return f"<em>{inner()}</em>"


def counted(text: str) -> list[str]:
    return sorted(re.sub("[^XYZ]", "", text))


def through_everything(tmp_path: Path, text: str, formats: tuple[str, ...]) -> None:
    # A paragraph of TeX commands alone (`\\X`) is raw TeX, left out with a
    # warning as pandoc leaves it out of all but LaTeX's output.
    assume(not TEX_COMMANDS.fullmatch(text.strip()))
    path = tmp_path / "fuzz.md"
    path.write_text(FRONT + text + "\n", encoding="utf-8")
    try:
        outputs = formats_of(load(path), formats)
    except BriefingError:
        return
    if "html" in outputs:
        html = outputs["html"].decode("utf-8")
        assert not PLACEHOLDER.search(html)
        assert counted(lxml.html.fromstring(outputs["html"]).find(".//body").text_content()) == counted(text)
    if "docx" in outputs:
        with zipfile.ZipFile(io.BytesIO(outputs["docx"])) as package:
            parts = [package.read(name).decode("utf-8") for name in package.namelist()
                     if name in ("word/document.xml", "word/footnotes.xml")]
        assert not any(PLACEHOLDER.search(part) for part in parts)
        shown = "".join(t for part in parts for t in re.findall(r"<[wm]:t(?: [^>]*)?>([^<]*)</[wm]:t>", part))
        assert counted(shown) == counted(text)
    if "pdf" in outputs and "$" not in text:  # a formula is drawn, not text the PDF's text holds
        assert counted(pdf_text_of(outputs["pdf"], tmp_path)) == counted(text)


def pdf_text_of(data: bytes, folder: Path) -> str:
    path = folder / "fuzz.pdf"
    path.write_bytes(data)
    return pdf_text(path)


@settings(max_examples=examples(40, 500), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=inline_markup())
@example(text="_*\\`**" * 5)
@example(text="*X**x*Y**")
@example(text="[[*`\\``*]{.smallcaps}](#x)")
@example(text="\\X")  # raw TeX alone: left out, not a loss
def test_nested_inline_markup_through_check_html_and_docx(tmp_path_factory, text):
    through_everything(tmp_path_factory.mktemp("fuzz"), text, ("html", "docx"))


@settings(max_examples=examples(4, 40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=inline_markup())
def test_nested_inline_markup_through_the_pdf(tmp_path_factory, text):
    through_everything(tmp_path_factory.mktemp("fuzz"), text, ("pdf",))
