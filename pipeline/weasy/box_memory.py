"""A box's memory of the sides it lost to a page break, kept small.

WeasyPrint gives every box a set, `remove_decoration_sides`, of the sides
whose margin, padding and border a page or line break took away (so that a
percentage radius there resolves to 0), and gives the box it copies from a
new one each time it copies a box for the next page or for painting. A set
takes 216 bytes, and nearly all stay empty: at 980 pages, 18 MB of the PDF
worker's peak went to empty sets.

`install` has WeasyPrint make a `Sides` instead: 40 bytes, the same
operations (`add`, `in`), and shared between a box and its copy as the set
was, so a side taken off one is seen by the other exactly as before.

Like the other modules of pipeline/weasy, it checks first that WeasyPrint is
what it was written for (pipeline/weasy/versions.py); tests/test_box_memory.py
makes the same PDFs with and without it, byte for byte, boxes broken across
pages and lines among them.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.weasy.versions import Need, Patch, Skipped

PATCH = Patch("box memory", written_for={"weasyprint": "70.0"}, needs=(
    # Where a set is made: for each new box, and for the box copied from.
    Need("weasyprint.formatting_structure.boxes:Box", "__init__", ("self", "element_tag", "style", "element"),
         uses=("element_tag", "element", "style", "remove_decoration_sides", "children",
               "first_letter_style", "first_line_style", "set")),
    Need("weasyprint.formatting_structure.boxes:ParentBox", "copy_with_children", ("self", "new_children"),
         uses=("copy", "children", "remove_decoration_sides", "set")),
    # What is done with it: a side added, a side looked for.
    Need("weasyprint.formatting_structure.boxes:ParentBox", "_reset_spacing", ("self", "side"),
         uses=("remove_decoration_sides", "add")),
    Need("weasyprint.layout.percent", "resolve_radii_percentages", ("box",), uses=("remove_decoration_sides",)),
), cost="the PDF is the same; every box keeps a set of the sides it lost to page breaks")


class Sides:
    """The sides a box's margin, padding and border were taken off, as a
    set would hold them: once each, in the order taken."""

    __slots__ = ("taken",)

    def __init__(self) -> None:
        self.taken: tuple[str, ...] = ()

    def add(self, side: str) -> None:
        if side not in self.taken:
            self.taken = (*self.taken, side)

    def __contains__(self, side: object) -> bool:
        return side in self.taken

    def __iter__(self) -> Iterator[str]:
        return iter(self.taken)

    def __len__(self) -> int:
        return len(self.taken)

    def __repr__(self) -> str:
        return f"Sides{self.taken!r}"


def install() -> Skipped | None:
    """Patch WeasyPrint once (again is harmless); why not, if it does not fit."""
    if PATCH.applied:
        return None
    if skipped := PATCH.check():
        return skipped
    from weasyprint.formatting_structure import boxes

    def __init__(self, element_tag, style, element):  # WeasyPrint's own, but for Sides
        self.element_tag = element_tag
        self.element = element
        self.style = style
        self.remove_decoration_sides = Sides()
        self.children = []
        self.first_letter_style = None
        self.first_line_style = None

    def copy_with_children(self, new_children):
        new_box = self.copy()
        new_box.children = new_children
        # The copy keeps the sides taken so far, the box starts anew (as WeasyPrint has it).
        self.remove_decoration_sides = Sides()
        return new_box

    PATCH.replace(boxes.Box, "__init__", __init__)
    PATCH.replace(boxes.ParentBox, "copy_with_children", copy_with_children)
    return None
