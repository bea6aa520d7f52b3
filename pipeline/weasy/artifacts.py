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
`marked`, the tag builder), checked first (pipeline/weasy/versions.py);
tests/test_pdf_artifacts.py reads the result back with qpdf and poppler.
"""

from __future__ import annotations

from contextlib import contextmanager

from pipeline.weasy.versions import Need, Patch, Skipped

# Not only a speed-up, yet skipped too when it does not fit: the PDF is then
# tagged as WeasyPrint tags it, its furniture read aloud on every page, but
# it prints the same, markings included. A briefing that cannot be made at
# all, because WeasyPrint was upgraded, would help no reader; a warning on
# every PDF makes the lost accessibility plain until the patch is brought
# up to date.
PATCH = Patch("page furniture artifacts", written_for={"weasyprint": "70.0"}, needs=(
    Need("weasyprint.document", "draw_page", ("page", "stream")),
    Need("weasyprint.document:Page", "paint", uses=("draw_page",)),
    Need("weasyprint.pdf.stream:Stream", "marked", ("self", "box", "tag")),
    Need("weasyprint.pdf.stream:Stream", "artifact", ("self",)),
    # Its recursion goes through the module's global, which we replace.
    Need("weasyprint.pdf.tags", "_build_box_tree",
         ("box", "parent", "pdf", "page_number", "nums", "annotations", "tags"),
         uses=("_build_box_tree",)),
    Need("weasyprint.formatting_structure.boxes", "MarginBox", has=("descendants",)),
), cost="banners, running title and page numbers are tagged as text, not as artifacts: "
        "the PDF's accessibility tagging of page furniture is degraded "
        "(screen readers read them on every page)")


def install() -> Skipped | None:
    """Patch WeasyPrint once (again is harmless); why not, if it does not fit."""
    if PATCH.applied:
        return None
    if skipped := PATCH.check():
        return skipped
    from weasyprint import document
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import stream, tags

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

    PATCH.replace(document, "draw_page", draw_page_with_furniture)
    PATCH.replace(stream.Stream, "marked", marked_unless_furniture)
    PATCH.replace(tags, "_build_box_tree", box_tree_without_margins)  # also what its recursion calls
    return None
