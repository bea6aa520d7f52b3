"""Page furniture as PDF artifacts.

The banners, running title and page numbers live in WeasyPrint's margin
boxes; the contents list's leader dots are leader boxes, a hundred "."
each that a screen reader would read one by one; a caption that repeats
the alt text of its picture is marked `aria-hidden` (as pandoc marks it).
All three are artifacts here, drawn but outside the structure tree.

The margin boxes: PDF/UA (ISO 14289-1, 7.1) asks that such furniture be marked as
artifacts, outside the structure tree, so a screen reader does not read
"UNCLASSIFIED" twice a page. WeasyPrint 70 tags margin-box text as Span
marked content instead and builds structure elements for it that hang from
nothing (it notes the Artifact alternative in pdf/tags.py): content that is
neither real content nor an artifact. `install` paints that text inside
/Artifact marked content and keeps margin boxes out of the tree.

The same wrapper of WeasyPrint's tag builder mends two structure elements:

- A definition list: WeasyPrint makes each <dt> and each <dd> a list item of
  its own (its pdf/tags.py notes that a term should be tagged otherwise), so a reader
  hears terms and definitions as unrelated items. The templates group each
  term with its definitions in a <div> (as HTML allows); that <div> becomes
  the list item (LI), the term its label (Lbl) and each definition a body
  (LBody), a list with labels as PDF/UA (7.6) wants.
- A footnote: WeasyPrint tags the note floated to the page's foot as a
  Span; PDF/UA (7.9) asks for a Note, with an ID unique in the document.

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
         uses=("_build_box_tree", "_get_pdf_tag")),
    Need("weasyprint.pdf.tags", "_get_pdf_tag", ("tag",)),
    Need("weasyprint.formatting_structure.boxes", "MarginBox", has=("descendants",)),
    Need("weasyprint.formatting_structure.boxes", "Box", has=("is_leader",)),
), cost="banners, running title, page numbers and the contents' leader dots are tagged as "
        "text, not as artifacts, definition lists as unrelated items and footnotes as text: "
        "the PDF's accessibility tagging is degraded (screen readers read the furniture on "
        "every page, and do not announce terms with their definitions, nor notes)")

DEFINITION_TAGS = {"dt": "Lbl", "dd": "LBody"}


def install() -> Skipped | None:
    """Patch WeasyPrint once (again is harmless); why not, if it does not fit."""
    if PATCH.applied:
        return None
    if skipped := PATCH.check():
        return skipped
    from weasyprint import document
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import stream, tags

    import pydyf

    draw_page = document.draw_page
    marked = stream.Stream.marked
    build_box_tree = tags._build_box_tree
    get_pdf_tag = tags._get_pdf_tag
    notes: dict[int, int] = {}  # id of a PDF being written -> its last note's number

    def draw_page_with_furniture(page, on):
        # The boxes a page's margin boxes, leaders and hidden elements hold,
        # so `marked` knows them.
        on.furniture = {id(box) for artifact in artifacts(page) for box in artifact.descendants()}
        try:
            draw_page(page, on)
        finally:
            on.furniture = frozenset()

    @contextmanager
    def marked_unless_furniture(self, box, tag):
        with (self.artifact() if id(box) in getattr(self, "furniture", ()) else marked(self, box, tag)):
            yield

    def artifacts(page):
        for child in page.children:
            if isinstance(child, boxes.MarginBox):
                yield child
            else:
                yield from (box for box in child.descendants() if is_artifact(box))

    def is_artifact(box) -> bool:
        return (getattr(box, "is_leader", False) or isinstance(box, boxes.MarginBox)
                or (box.element is not None and box.element.get("aria-hidden") == "true"
                    and box.element_tag != "html"))

    def pdf_tag(tag):
        return DEFINITION_TAGS.get(tag) or get_pdf_tag(tag)

    def box_tree_without_margins(box, parent, pdf, *args):
        # Artifacts' text: no marked content to map, no elements.
        if is_artifact(box):
            return
        for element in build_box_tree(box, parent, pdf, *args):
            node = box.element
            if (node is not None and box.element_tag == "div" and element["S"] == "/Div"
                    and len(node) and all(child.tag in DEFINITION_TAGS for child in node)):
                element["S"] = "/LI"  # a term with its definitions (ElementTree: no parent)
            elif (node is not None and box.element_tag == "span"
                  and "footnote" in (node.get("class") or "").split()):
                number = notes[id(pdf)] = notes.get(id(pdf), 0) + 1
                element["S"] = "/Note"
                element["ID"] = pydyf.String(f"note-{number}")
            yield element

    PATCH.replace(document, "draw_page", draw_page_with_furniture)
    PATCH.replace(stream.Stream, "marked", marked_unless_furniture)
    PATCH.replace(tags, "_build_box_tree", box_tree_without_margins)  # also what its recursion calls
    PATCH.replace(tags, "_get_pdf_tag", pdf_tag)
    return None
