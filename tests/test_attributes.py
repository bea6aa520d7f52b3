"""read/attributes.py: attribute lists where pandoc reads them (a heading's
line, after an inline element), and text everywhere else, as pandoc shows it."""

from __future__ import annotations

import pypandoc

from pipeline import model as m
from pipeline.read.frontmatter import read_meta
from pipeline.read.markdown import parse
from pipeline.read.source import read_source

def parsed(write, body: str) -> m.Document:
    source = read_source(write(body))  # the fixture gives the front matter
    meta, body_line = read_meta(source)
    return parse(source, meta, body_line)


def words(doc: m.Document) -> str:
    """The document's visible words, in reading order."""
    found: list[str] = []

    def walk(value) -> None:
        if isinstance(value, m.Text):
            found.append(value.text)
        elif isinstance(value, tuple):
            for item in value:
                walk(item)
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                walk(getattr(value, name))
    walk(doc.blocks)
    walk(doc.sections)
    return " ".join(" ".join(found).split())


def pandoc_words(body: str) -> str:
    return " ".join(pypandoc.convert_text(body, "plain", format="markdown",
                                          extra_args=["--wrap=none"]).split())


def test_a_last_line_in_braces_is_text_as_pandoc_shows_it(write):
    """18F's travel guide lost its `{% image … %}` lines, and a how-to its
    `{YOUR_API_KEY}`: the last line of a paragraph or an item."""
    body = ("Replace the value with your own\n{YOUR_API_KEY}\n\n"
            "4. Type your destination and click search.\n"
            '   {% image "_img/travel/2.png" "choosing destination city" %}\n')
    doc = parsed(write, body)
    assert words(doc) == ('Replace the value with your own {YOUR_API_KEY} Type your destination and '
                          'click search. {% image "_img/travel/2.png" "choosing destination city" %}')
    assert "{YOUR_API_KEY}" in pandoc_words(body) and "{% image" in pandoc_words(body)


def test_braces_in_cells_terms_and_definitions_are_text(write):
    body = ("| a {.x} | b |\n|---|---|\n| cell {#y} | 2 |\n\n"
            "Term {.z}\n: Definition\n{TEMPLATE_NAME}\n")
    doc = parsed(write, body)
    for kept in ("a {.x}", "cell {#y}", "Term {.z}", "Definition {TEMPLATE_NAME}"):
        assert kept in words(doc)
        assert kept in pandoc_words(body)


def test_a_heading_and_an_inline_element_still_take_their_attributes(write):
    doc = parsed(write, "## Findings {#found .lead}\n\nSee [the plan]{.smallcaps} now.\n\n"
                        "## Plan ##\n\nText {.k}\n")
    findings, plan = doc.sections
    assert findings.id == "found" and m.plain_text(findings.title) == "Findings"
    assert m.plain_text(plan.title) == "Plan"
    paragraph = findings.blocks[0]
    assert any(isinstance(i, m.Span) and "smallcaps" in i.classes for i in paragraph.inlines)
    assert words(doc).endswith("Text {.k}")


def test_an_unfinished_list_in_a_heading_stays_text(write):
    """`{a}b}` does not read as attributes whole: pandoc keeps the heading's text."""
    doc = parsed(write, "## Costs {a}b}\n\nText.\n")
    assert m.plain_text(doc.sections[0].title) == "Costs {a}b}"


def test_braces_pandoc_does_not_read_as_attributes_stay_in_a_heading(write):
    """GitHub's docs end headings in `{% data variables.x %}`, which lost
    its words (`## Managing` alone); pandoc reads only ids, classes and
    key=value pairs as attributes."""
    doc = parsed(write, "## Managing {% data variables.product.alerts %}\n\n## Budget for {FY25}\n\n"
                       "## Options {A, B or C}\n\n## Kept {#kept .a.b data-x=\"1 2\"}\n")
    assert [m.plain_text(s.title) for s in doc.sections] == [
        "Managing {% data variables.product.alerts %}", "Budget for {FY25}", "Options {A, B or C}", "Kept"]
    assert doc.sections[-1].id == "kept" and doc.sections[-1].classes == ("a.b",)  # as pandoc reads it
    theirs = pandoc_words("## Budget for {FY25}\n\n## Options {A, B or C}\n")
    assert "Budget for {FY25}" in theirs and "Options {A, B or C}" in theirs


def test_unnumbered_headings_as_pandoc_marks_them(write):
    """`{-}` and `{.unnumbered}`: no number, and none for what they hold;
    the next heading takes the number the unnumbered one would have had."""
    from pipeline.problems import Reporter
    from pipeline.run.build import load
    path = write("## Preface {-}\n\n### Inside\n\n## Findings\n\n### Sub\n\n"
                 "## References {.unnumbered}\n\n## Actions\n", front="---\ntitle: T\n"
                 "classification: UNCLASSIFIED\nnumbering: true\n---\n")
    doc = load(path, Reporter(str(path)))
    numbers = [(m.plain_text(s.title), s.number) for s in walk_sections(doc)]
    assert numbers == [("Preface", None), ("Inside", None), ("Findings", "1"), ("Sub", "1.1"),
                       ("References", None), ("Actions", "2")]


def walk_sections(doc: m.Document):
    from pipeline.model import walk
    return walk.sections(doc)


def test_an_attribute_value_holding_code_is_read_whole(write, tmp_path):
    """quarto-web: `![Stopping distance](chart.png){fig-alt="… `cars` …"
    width="80%"}` was an image in the line followed by its attributes as
    text: the backquotes had made a code span of part of them. A figure
    now, its attributes read, as pandoc reads them."""
    import shutil
    from conftest import FIXTURES
    shutil.copy(FIXTURES / "images" / "map.png", tmp_path / "map.png")
    doc = parsed(write, '![Stopping distance](map.png){fig-alt="Speed against distance for the `cars` data." '
                        'width="80%"} \n\nA [term]{.term title="see `x`"} here.\n')
    figure, paragraph = doc.blocks
    assert isinstance(figure, m.Figure) and figure.alt == "Speed against distance for the cars data."
    assert figure.display_width is not None and m.plain_text(figure.caption) == "Stopping distance"
    assert words(doc).endswith("A term here.")
