"""read/figure_shortcodes.py: Hugo's figure shortcode, which its sites and
blogdown write for every plot, is the captioned picture Hugo shows."""

from __future__ import annotations

import shutil

import pytest

from conftest import FIXTURES, FRONT, run_cli
from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import Reporter
from pipeline.read.figure_shortcodes import figures
from pipeline.run.build import load


def figures_of(tmp_path, body: str) -> tuple[list[m.Figure], Reporter]:
    source = tmp_path / "brief.md"
    source.write_text(FRONT + body, encoding="utf-8")
    shutil.copy(FIXTURES / "images" / "map.png", tmp_path / "map.png")
    reporter = Reporter(str(source))
    doc = load(source, reporter)
    return [b for b in walk.blocks(doc) if isinstance(b, m.Figure)], reporter


def test_a_figure_with_a_caption_and_alt_text(tmp_path):
    [figure], reporter = figures_of(tmp_path, 'Before.\n\n{{< figure src="map.png" alt="A map of the Sahel" '
                                              'caption="The *area* of operations" width="50%" >}}\n\nAfter.\n')
    assert m.plain_text(figure.caption) == "The area of operations"
    assert any(isinstance(i, m.Emph) for i in walk.nested_inlines(figure.caption))
    assert figure.alt == "A map of the Sahel" and not reporter.problems


def test_a_figure_without_a_caption_shows_none_and_says_its_alt_text(tmp_path):
    """rOpenSci's blog: `{{<figure src="data-1.png" alt="Line plot …">}}`,
    left out with a warning; Hugo shows the picture, its alt text unseen."""
    [figure], reporter = figures_of(tmp_path, '{{<figure src="map.png" alt="Line plot with a pink line">}}\n')
    assert figure.caption == () and figure.alt == "Line plot with a pink line"
    assert not reporter.problems


def test_a_figure_in_hugos_markdown_form_and_in_a_list_item(tmp_path):
    [first, second], _ = figures_of(tmp_path, '{{% figure src="map.png" title="Routes" %}}\n\n'
                                              '- An item:\n\n  {{< figure src="map.png" caption="In the item" >}}\n')
    assert m.plain_text(first.caption) == "Routes" and m.plain_text(second.caption) == "In the item"


@pytest.mark.parametrize("line", ['{{< figure src="a b.png" >}}', '{{< figure alt="no source" >}}',
                                  '{{< figure src="map.png" %}}', 'Text {{< figure src="map.png" >}}'])
def test_what_is_no_figure_stays_a_shortcode(line):
    assert figures([line]) == [line]


def test_quotes_and_brackets_in_its_words(tmp_path):
    assert figures(['{{< figure src="map.png" caption="A [draft] map" alt=\'The "red" line\' >}}']) == [
        '![A \\[draft\\] map](map.png){fig-alt=\'The "red" line\'}']
    [figure], _ = figures_of(tmp_path, '{{< figure src="map.png" caption="A [draft] map" alt=\'The "red" line\' >}}\n')
    assert m.plain_text(figure.caption) == "A [draft] map" and figure.alt == 'The "red" line'


def test_it_builds_in_all_three_formats(tmp_path):
    from readers import pdf_text

    source = tmp_path / "brief.md"
    source.write_text(FRONT + '{{< figure src="map.png" alt="A map" caption="Area of operations" >}}\n',
                      encoding="utf-8")
    shutil.copy(FIXTURES / "images" / "map.png", tmp_path / "map.png")
    result = run_cli("build", source, "--out", tmp_path / "out")
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    assert "Figure 1: Area of operations" in " ".join(pdf_text(tmp_path / "out" / "brief.pdf").split())
    assert 'alt="A map"' in (tmp_path / "out" / "brief.html").read_text(encoding="utf-8")
