"""Page furniture as PDF artifacts.

The banners, running title and page numbers live in WeasyPrint's margin
boxes. PDF/UA (ISO 14289-1, 7.1) asks that such furniture be marked as
artifacts, outside the structure tree, so a screen reader does not read
"UNCLASSIFIED" twice a page. WeasyPrint 70 tags margin-box text as Span
marked content instead and builds structure elements for it that hang from
nothing (it notes the Artifact alternative in pdf/tags.py): content that is
neither real content nor an artifact. `install` paints that text inside
/Artifact marked content and keeps margin boxes out of the tree.

This reaches into WeasyPrint's internals (a drawing function, the stream's
`marked`, the tag builder) of the pinned version: an upgrade that moves
them fails at import, and tests/test_pdf_artifacts.py reads the result
back with qpdf and poppler.
"""

from __future__ import annotations

from contextlib import contextmanager

PATCHED = "_briefing_artifacts"


def install() -> None:
    """Patch WeasyPrint once (again is harmless)."""
    from weasyprint import document
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import stream, tags

    if getattr(stream.Stream, PATCHED, False):
        return
    draw_page = document.draw_page
    marked = stream.Stream.marked
    build_box_tree = tags._build_box_tree

    def draw_page_with_furniture(page, on):
        # The boxes a page's margin boxes hold, so `marked` knows them.
        on.furniture = {id(box) for margin in page.children if isinstance(margin, boxes.MarginBox)
                        for box in margin.descendants()}
        try:
            draw_page(page, on)
        finally:
            on.furniture = frozenset()

    @contextmanager
    def marked_unless_furniture(self, box, tag):
        with (self.artifact() if id(box) in getattr(self, "furniture", ()) else marked(self, box, tag)):
            yield

    def box_tree_without_margins(box, *args):
        # Its text is artifacts now: no marked content to map, no elements.
        return iter(()) if isinstance(box, boxes.MarginBox) else build_box_tree(box, *args)

    document.draw_page = draw_page_with_furniture
    stream.Stream.marked = marked_unless_furniture
    tags._build_box_tree = box_tree_without_margins  # also what its recursion calls
    setattr(stream.Stream, PATCHED, True)
