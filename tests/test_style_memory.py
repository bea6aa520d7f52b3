"""pipeline/weasy/style_memory.py: pseudo-elements' styles computed when
asked for, the cascade's declarations shared, with the same PDF as
WeasyPrint makes on its own."""

from pipeline.run.build import load
from pipeline.render.templates import Templates
from pipeline.weasy import style_memory
from pipeline.weasy.typeset import import_weasyprint, offline_fetcher, typeset
from rendering import job_of, markup_pdfs_with_and_without, pdf_digests_with_and_without

from conftest import FIXTURES, SEED

PSEUDO = ("marker", "footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback")


def cascade_of(markup):
    """WeasyPrint's style cascade of `markup`, as a PDF's layout starts with it."""
    weasyprint = import_weasyprint()
    from weasyprint.css import get_all_computed_styles
    from weasyprint.text.fonts import FontConfiguration

    html = weasyprint.HTML(string=markup, url_fetcher=offline_fetcher(weasyprint))
    return get_all_computed_styles(html, font_config=FontConfiguration(), presentational_hints=True)


def test_a_pseudo_elements_style_is_computed_when_the_layout_asks_for_it():
    typeset(job_of(load(FIXTURES / "lists.md"), Templates()))  # installs the patch, as every build does
    style_for = cascade_of("<ul><li>one</li><li>two</li></ul><p>Text <em>here</em>.</p>")
    computed = style_for._computed_styles
    assert not [key for key in computed if key[1] in PSEUDO]  # none computed yet
    item = next(element for element, _ in computed if getattr(element, "tag", None) == "li")
    marker = style_for(item, "marker")  # as the box builder asks for a list item's marker
    assert marker is not None and computed[item, "marker"] is marker
    assert marker.parent_style is computed[item, None] and marker["display"] == ("inline", "flow")
    assert style_for(item, "marker") is marker  # once
    assert [key for key in computed if key[1] in PSEUDO] == [(item, "marker")]


def test_each_declaration_is_kept_once_for_every_element_it_applies_to():
    typeset(job_of(load(FIXTURES / "lists.md"), Templates()))
    style_for = cascade_of("".join(f"<p>Paragraph {n} <em>in</em> <strong>it</strong>.</p>" for n in range(50)))
    pairs = [pair for key, style in style_for._computed_styles.items() if key[1] is None
             for pair in getattr(style, "cascaded", {}).values()]
    pairs += [pair for entry in vars(style_for)[style_memory.DEFERRED].values() for pair in entry[0].values()]
    assert len(pairs) > 10 * len({id(pair) for pair in pairs})
    assert {id(pair) for pair in pairs} == {id(p) for p in {(id(p[0]), p[1]): p for p in pairs}.values()}


def test_the_pdfs_are_the_same_byte_for_byte_with_and_without():
    # Lists (markers), footnotes (calls and markers), a contents list
    # (anchors and target-counter), tables, SVG, staff papers, markings.
    sources = [SEED, FIXTURES / "lists.md", FIXTURES / "footnotes.md", FIXTURES / "elements.md",
               FIXTURES / "tables.md", FIXTURES / "svg-figure.md", FIXTURES / "information-paper.md",
               FIXTURES / "markings" / "us-secret.md", FIXTURES / "divs.md", FIXTURES / "cjk.md"]
    digests = pdf_digests_with_and_without("pipeline.weasy.style_memory", sources)
    assert len(digests["with"]) == len(sources) and digests["with"] == digests["without"]


ODD = """<style>
li::marker { color: red; font-weight: bold }
p::before { content: "[" attr(id) "] "; -weasy-anchor: attr(id) }
p::after { content: " (end)" }
.note::footnote-call { color: blue }
.note::footnote-marker { content: "(" counter(footnote) ") " }
.note { float: footnote }
</style>
<h2 id="top">Heading</h2>
<p id="noted">Noted text<span class="note">A note.</span> goes on.</p>
<ul><li>one</li><li>two<ol><li>nested</li></ol></li></ul>
<p id="first">First <a href="#second">to the second</a>.</p>
<p id="second">Second <a href="#first">back</a>.</p>
"""

def test_stylesheets_beyond_ours_make_the_same_pdf_too():
    """Pseudo-elements of other stylesheets: markers styled, ::before and
    ::after with content and anchors, a footnote's call."""
    made = markup_pdfs_with_and_without("pipeline.weasy.style_memory", ODD)
    assert made["with"] == made["without"]
