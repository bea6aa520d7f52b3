"""Quarto's shortcodes on a line of their own: `{{< pagebreak >}}` starts a
new page in the PDF and in Word (nothing on screen); any other (Quarto's
`{{< include … >}}`, Hugo's `{{% note %}}`) would run code or read another
file, which briefing never does: it is left out, with a warning at its
line. None is ever shown raw."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from conftest import built_fixture
from pipeline.problems import Reporter
from pipeline.run.build import load
from readers import pdf_text, soffice_to_pdf


def test_a_page_break_and_a_shortcode_left_out(tmp_path: Path):
    source = tmp_path / "brief.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\nText.\n\n{{< pagebreak >}}\n\n"
                      "More.\n\n{{< include _part.qmd >}}\n\n{{% note %}}\n\nEnd.\n", encoding="utf-8")
    reporter = Reporter(str(source))
    doc = load(source, reporter)
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "PageBreak", "Paragraph", "Paragraph"]
    assert doc.blocks[1].line == 8
    assert [(p.line, p.code, p.severity) for p in reporter.problems] == [
        (12, "markdown.shortcode", "warning"), (14, "markdown.shortcode", "warning")]
    assert "{{< include _part.qmd >}}" in reporter.problems[0].message


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return built_fixture(tmp_path_factory, "page-break.md")


@pytest.mark.slow
def test_print_and_word_start_a_new_page_and_the_screen_shows_nothing(built, tmp_path):
    pdf = built / "page-break.pdf"
    assert "On the first page." in pdf_text(pdf, 1) and "On the second page." not in pdf_text(pdf, 1)
    assert "On the second page." in pdf_text(pdf, 2)
    word = soffice_to_pdf(built / "page-break.docx", tmp_path)
    assert "On the second page." not in pdf_text(word, 1) and "On the second page." in pdf_text(word, 2)
    page = lxml.html.fromstring((built / "page-break.html").read_bytes())
    assert len(page.xpath("//div[@class='page-break']")) == 1
    assert "{{" not in page.find(".//main").text_content() and "{{" not in pdf_text(pdf)


def test_a_shortcode_left_out_is_named_as_written(tmp_path: Path):
    """Its quotes as typed, not the smart quotes' placeholders of the tree."""
    source = tmp_path / "brief.md"
    source.write_text('---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n{{< youtube id="w7Ft2ymGmfc" >}}\n',
                      encoding="utf-8")
    reporter = Reporter(str(source))
    load(source, reporter)
    (problem,) = reporter.problems
    assert problem.message.startswith('shortcode {{< youtube id="w7Ft2ymGmfc" >}} left out')


def test_a_shortcode_inside_a_line_is_shown_as_written_and_said_once(tmp_path: Path):
    """Apache's mentoring guide writes `gsoc{{< current_year >}}` and
    `{{< param "deadline" >}}` in its lines: shown as written, as pandoc
    shows them, but never with curled quotes or emphasis of their own,
    and said once for each shortcode (they were said nowhere)."""
    from pipeline import model as m
    from pipeline.model import walk
    source = tmp_path / "brief.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n"
                      "Label it gsoc{{< current_year >}} now.\n\nThe deadline is {{< param \"deadline\" >}}, "
                      "and again {{< current_year >}}.\n\n{{< current_year >}}\n", encoding="utf-8")
    reporter = Reporter(str(source))
    doc = load(source, reporter)
    assert [m.block_text(b) for b in walk.blocks(doc)] == [
        "Label it gsoc{{< current_year >}} now.",
        'The deadline is {{< param "deadline" >}}, and again {{< current_year >}}.']
    assert [(p.line, p.message) for p in reporter.problems] == [
        (6, "shortcode {{< current_year >}} shown as written: briefing runs none"),
        (8, 'shortcode {{< param "deadline" >}} shown as written: briefing runs none'),
        (10, "shortcode {{< current_year >}} left out: briefing runs none (Quarto's {{< pagebreak >}} aside)")]


def test_other_templates_double_braces_are_shown_as_written(tmp_path: Path):
    """MDN's `{{HTTPHeader("CSP")}}` and Liquid's `{{ site.baseurl }}`: shown
    as written (their quotes were curled), and said by no warning: no tool
    of ours would run them either way."""
    from pipeline import model as m
    doc, reporter = read(tmp_path, 'See {{HTTPHeader("Content-Security-Policy")}} and {{ site.baseurl }} and '
                                   '"quoted".\n')
    assert m.block_text(doc.blocks[0]) == \
        'See {{HTTPHeader("Content-Security-Policy")}} and {{ site.baseurl }} and \u201cquoted\u201d.'
    assert reporter.problems == []


def test_a_liquid_tag_inside_a_line_is_shown_as_written_and_said_once(tmp_path: Path):
    """18F's travel guide: `{% image "x.png" "alt" %}` at an item's end was
    shown with curled quotes, and said nowhere."""
    from pipeline import model as m
    doc, reporter = read(tmp_path, 'Click search. {% image "2-choose.png" "choosing a city" %}\n\n'
                                   'And {% image "3.png" %}.\n')
    assert [m.block_text(b) for b in doc.blocks] == ['Click search. {% image "2-choose.png" "choosing a city" %}',
                                                    'And {% image "3.png" %}.']
    assert [(p.line, p.code) for p in reporter.problems] == [(6, "markdown.shortcode")]


def test_an_erb_tag_is_shown_as_written_and_said_once(tmp_path: Path):
    """The Ministry of Justice's guidance is Middleman's `.html.md.erb`:
    `# <%= current_page.data.title %>` was shown as a heading's words, its
    quotes curled and nothing said. As a Liquid tag: as written, said once."""
    from pipeline import model as m
    doc, reporter = read(tmp_path, '## <%= current_page.data.title %>\n\n'
                                   'See <%= link_to "the guide", "/guide" %> and <% if ready %>.\n')
    [section] = doc.sections
    assert m.plain_text(section.title) == "<%= current_page.data.title %>"
    assert [m.block_text(b) for b in section.blocks] == ['See <%= link_to "the guide", "/guide" %> and <% if ready %>.']
    assert [(p.line, p.code) for p in reporter.problems] == [(6, "markdown.shortcode")]
    assert "ERB tag <%= current_page.data.title %>" in reporter.problems[0].message


def read(folder: Path, body: str):
    """A briefing of `body` read, and what its reading said."""
    source = folder / "brief.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n" + body, encoding="utf-8")
    reporter = Reporter(str(source))
    return load(source, reporter), reporter


def test_mdx_import_lines_are_left_out_and_said_once(tmp_path):
    """Docusaurus pages import their components (`import Tabs from
    '@theme/Tabs';`): a paragraph of code the site's build reads and never
    shows, printed with curled quotes. Left out, with a warning; the same
    line in a code block stays."""
    from pipeline import model as m
    from pipeline.model import walk

    source = tmp_path / "page.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n# Admonitions\n\n"
                      "import BrowserWindow from '@site/src/components/BrowserWindow';\n"
                      "import Tabs from '@theme/Tabs';\nimport {A, B} from \"./x\";\n\n"
                      "In addition to the basic syntax.\n\n```jsx\nimport Tabs from '@theme/Tabs';\n```\n\n"
                      "export default settings are kept when you upgrade.\n",
                      encoding="utf-8")
    reporter = Reporter(str(source))
    doc = load(source, reporter)
    assert [m.block_text(b) for b in walk.blocks(doc)] == ["In addition to the basic syntax.",
                                                          "import Tabs from '@theme/Tabs';",
                                                          "export default settings are kept when you upgrade."]
    assert [(p.line, p.code) for p in reporter.problems] == [(8, "markdown.shortcode")]


def test_a_template_call_over_several_lines_is_shown_as_written_as_code(tmp_path):
    """The MOD's service manual, on how to mark information: its Do and
    Don't lists are Nunjucks calls over a dozen lines. They ran together
    into a paragraph with curled quotes and no warning; they are code now,
    their lines and quotes as written, said at their line."""
    from pipeline import model as m
    from pipeline.model import walk

    call = ("{{ modukcomponent('do-dont-list', {\n  'title': 'Do',\n  'items': [\n"
            "    { 'item': 'Write security classifications in all capitals' }\n  ]\n}) }}")
    source = tmp_path / "mark.md"
    source.write_text(f"---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\nYou need to mark it.\n\n{call}\n\n"
                      "{{ a }} and text\nover {{ b }} lines.\n", encoding="utf-8")
    reporter = Reporter(str(source))
    blocks = list(walk.blocks(load(source, reporter)))
    assert isinstance(blocks[1], m.CodeBlock) and blocks[1].text == call
    assert m.block_text(blocks[2]) == "{{ a }} and text over {{ b }} lines."
    assert (8, "markdown.shortcode") in [(p.line, p.code) for p in reporter.problems]


def test_a_shortcode_left_out_keeps_the_link_it_carries(tmp_path):
    """digital.gov introduces each policy with `{{< card-policy src="https://…"
    title="OMB Circular A-11, Part 6" >}}` alone on its line: left out, the
    reader lost the policy's address and name. Its link stays, said so."""
    from pipeline import model as m
    from pipeline.model import walk

    source = tmp_path / "policy.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n"
                      '{{< card-policy src="https://www.whitehouse.gov/a11.pdf" kicker="Policy" '
                      'title="OMB Circular A-11, Part 6" >}}\n\nText.\n\n{{< youtube id="x" >}}\n', encoding="utf-8")
    reporter = Reporter(str(source))
    [card, text] = list(walk.blocks(load(source, reporter)))
    assert card.inlines == (m.Link(target="https://www.whitehouse.gov/a11.pdf",
                                   children=(m.Text(text="OMB Circular A-11, Part 6"),), line=6),)
    assert m.block_text(text) == "Text."
    assert ["left out, its link kept" in p.message for p in reporter.problems] == [True, False]
    # In a marked briefing the link is no paragraph of the author's, which a mark would need: left out.
    source.write_text(source.read_text(encoding="utf-8").replace("classification: UNCLASSIFIED\n",
                      "classification: UNCLASSIFIED\nportion_marking: true\n").replace("Text.", "(U) Text.")
                      .replace("title: T", "title: (U) T"),
                      encoding="utf-8")
    reporter = Reporter(str(source))
    assert [m.block_text(b) for b in walk.blocks(load(source, reporter))] == ["Text."]
