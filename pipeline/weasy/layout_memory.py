"""WeasyPrint's layout state, let go as soon as the last page is laid out.

The layout context holds every element's cascaded and computed styles, every
page's state for repagination, the table and image caches. It refers to
itself (`get_image_from_uri` is a partial with the context bound to it), so
when the layout ends, counting references cannot free it: it waits, as
garbage, for the collector's next full pass, which a build makes rarely
(collector.py), and stays while the PDF is drawn, when the process is at its
largest: 33 MB of the 296-page benchmark (224 MB at the peak instead of
257), 0.11 MB a page. And an SVG image (a formula, an SVG figure) keeps the
context to draw with, so there it is not even garbage.

So once the last page is laid out, `install` has the context keep only what
drawing an SVG asks of it (the fonts, the hyphenation dictionaries, the
image lookup, which no longer holds the context itself): without SVG images
it is freed at once, with them it is small.

And once the PDF's objects are made, `let_pages_go` (WeasyPrint's
documented `finisher`, called before the file is written) lets the pages'
boxes go and gives their memory back to the system (collector.give_back):
writing makes the file's cross-reference and object streams from pydyf's
objects alone, and at 980 pages it needed 43 MB more than drawing had, on
top of every laid-out page. Now the worker is at its largest when the last
page is drawn, not while the file is written: 473 MB instead of 538 for
the 980-page benchmark typeset in one process, with the pages' streams
compressed as they are drawn (pipeline/weasy/pdf_writer.py).

Like the other modules of pipeline/weasy, it checks first that WeasyPrint is
what it was written for (pipeline/weasy/versions.py); tests/test_layout_memory.py
makes the same PDFs with and without it, byte for byte, formulas and SVG
figures (with images and text inside) among them.
"""

from __future__ import annotations

import weakref

from pipeline import collector
from pipeline.weasy.versions import Need, Patch, Skipped

PATCH = Patch("layout memory", written_for={"weasyprint": "70.0"}, needs=(
    Need("weasyprint.document", "layout_document", ("html", "root_box", "context", "max_loops")),
    # Its caller goes through the module's global, which we replace.
    Need("weasyprint.document:Document", "_render", uses=("layout_document",)),
    # The cycle: the context keeps a partial of a function, bound to itself.
    Need("weasyprint.layout:LayoutContext", "__init__",
         ("self", "style_for", "get_image_from_uri", "font_config", "counter_style", "target_collector"),
         uses=("get_image_from_uri", "partial", "dictionaries")),
    # What drawing asks of the context once the pages are laid out: an SVG
    # image keeps it, and its text and images use these.
    Need("weasyprint.images:SVGImage", "draw", uses=("_context",)),
    Need("weasyprint.svg.images", "image", uses=("get_image_from_uri",)),
    Need("weasyprint.text.line_break", "split_first_line", uses=("dictionaries",)),
), cost="the PDF is the same; the layout's memory is kept while the PDF is drawn")

PAGES = Patch("pages let go", written_for={"weasyprint": "70.0"}, needs=(
    Need("weasyprint.document:Document", "write_pdf", ("self", "target", "zoom", "finisher", "options"),
         uses=("generate_pdf",)),
    # Where the boxes are held once the PDF's objects are made: by each page
    # and its links (the tags took theirs from the content streams).
    Need("weasyprint.document:Page", "__init__", uses=("_page_box", "links")),
    Need("weasyprint.pdf.tags", "add_tags", uses=("_tags",)),  # and empties each (its assert)
), cost="the PDF is the same; its pages' boxes are kept while the file is written")

KEPT = ("font_config", "dictionaries")  # with get_image_from_uri: what drawing an SVG uses


def install() -> Skipped | None:
    """Patch WeasyPrint once (again is harmless); why not, if it does not fit."""
    if PATCH.applied:
        return None
    if skipped := PATCH.check():
        return skipped
    from weasyprint import document

    lay_out = document.layout_document

    def lay_out_then_let_go(html, root_box, context, max_loops=8):
        yield from lay_out(html, root_box, context, max_loops)
        let_go(context)

    PATCH.replace(document, "layout_document", lay_out_then_let_go)
    return None


def let_go(context) -> None:
    """The context as drawing needs it, and nothing of the layout."""
    # The document's lookup (a partial: its cache, fetcher and options) but
    # for the context, which it now finds through a weak reference.
    look_up = context.get_image_from_uri
    function, given = look_up.func, look_up.args
    bound = {k: v for k, v in look_up.keywords.items() if k != "context"}
    itself = weakref.ref(context)
    kept = {name: getattr(context, name) for name in KEPT}
    vars(context).clear()
    vars(context).update(kept)
    context.get_image_from_uri = lambda *args, **kwargs: function(
        *given, *args, context=itself(), **bound, **kwargs)


def let_pages_go(document, pdf) -> None:
    """A finisher for `Document.write_pdf`: the PDF's objects are made, the
    tags too, so nothing but the number of pages is asked of the boxes."""
    for page in document.pages:
        page._page_box = None
        page.links = []  # (type, target, rectangle, box): made into the PDF's annotations
    # Their dictionaries were the C heap's: given back, not kept for buffers
    # of another size (the file's streams are made outside the heap).
    collector.give_back()
