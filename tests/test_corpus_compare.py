"""The corpus harness itself (tests/corpus_compare.py): what it counts on
each side, its adapters, and that a document both readers read alike
passes, so a failure in tests/test_corpus.py is ours and not the harness's."""

from __future__ import annotations

from collections import Counter

from corpus_compare import Seen, Source, compare_file, differences, kramdown, knitr, mkdocs, seen


def test_counts_what_a_reader_sees_on_pandocs_side():
    html = """<h1>Plan</h1><p>Two words <img alt="agency seal" src="x.png"></p>
    <ul><li>a</li><li>b<ul><li>c</li></ul></li></ul>
    <table><tr><th>x</th><td>y</td></tr></table>
    <p><span class="math inline">x^2</span> <math><mi>y</mi></math></p>
    <pre><code>$$ ::: [ ] ~~</code></pre>
    <section class="footnotes"><ol><li>A note.</li></ol></section>"""
    assert seen(html, ours=False) == Seen(list_items=3, tables=1, cells=2, headings=("Plan",),
                                          words=12, raw=Counter())


def test_leaves_out_our_title_block_banners_and_abbreviations():
    html = """<html><body><div class="banner">UNCLASSIFIED</div>
    <header class="title-block"><h1>Title</h1></header><main>
    <section><h2>Plan</h2><p>Text with ~~strike~~ shown.</p></section>
    <section class="abbreviations"><h2>Abbreviations</h2><dl><dt>A</dt></dl></section>
    </main></body></html>"""
    assert seen(html, ours=True) == Seen(list_items=0, tables=0, cells=0, headings=("Plan",),
                                         words=5, raw=Counter({"~~": 2}))


def test_raw_syntax_counts_only_beyond_pandocs():
    ref = Seen(list_items=0, tables=0, cells=0, headings=(), words=10, raw=Counter({":::": 1}))
    ours = Seen(list_items=0, tables=0, cells=0, headings=(), words=10, raw=Counter({":::": 1}))
    assert differences(ours, ref) == []
    ours = Seen(list_items=0, tables=0, cells=0, headings=(), words=10, raw=Counter({":::": 3}))
    assert differences(ours, ref) == ["raw syntax shown: ::: ×2"]


def test_adapters():
    assert knitr("```{r setup, include=FALSE}\nx\n```\n{{< pagebreak >}}\n```{=html}\n<p>\n```\n") \
        == "``` {.r}\nx\n```\n\n```{=html}\n<p>\n```\n"
    assert kramdown("Text.\n{: .lead}\n[a](/b){:target=\"_blank\"}\n{::comment}\nno\n{:/comment}\n") \
        == "Text.\n[a](/b)\n"
    assert mkdocs('!!! note\n    Body.\n\n??? tip "Hint"\n    More.\n') \
        == "::: {.admonition .note}\nNote\n\nBody.\n:::\n\n::: {.admonition .tip}\nHint\n\nMore.\n:::\n\n"


def test_a_document_both_read_alike_passes(tmp_path):
    path = tmp_path / "simple.md"
    path.write_text("---\ntitle: Simple\nclassification: UNCLASSIFIED\n---\n\n"
                    "# Situation\n\nThe GIUK gap is watched[^1] by three nations.\n\n"
                    "- first\n- second\n    - nested\n\n| Unit | Strength |\n|------|---------:|\n"
                    "| 1 Bde | 4,200 |\n\n## Assessment\n\nText with *emphasis*.\n\n"
                    "[^1]: By patrols.\n\n*[GIUK]: Greenland-Iceland-United Kingdom\n", encoding="utf-8")
    result = compare_file(path, Source("simple.md", "markdown"))
    assert result.ok, result.failures
