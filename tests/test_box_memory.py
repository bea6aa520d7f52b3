"""pipeline/weasy/box_memory.py: a box's sides lost to breaks kept in a
small `Sides`, shared with its copies as WeasyPrint's set was, with the
same PDF as WeasyPrint makes on its own."""

from pipeline.weasy import box_memory
from pipeline.weasy.box_memory import Sides
from pipeline.weasy.typeset import import_weasyprint
from rendering import markup_pdfs_with_and_without, pdf_digests_with_and_without

from conftest import FIXTURES, SEED


def test_sides_hold_each_side_once_in_the_order_taken():
    sides = Sides()
    assert not sides and "top" not in sides and list(sides) == []
    for side in ("bottom", "top", "bottom"):
        sides.add(side)
    assert list(sides) == ["bottom", "top"] and len(sides) == 2
    assert "top" in sides and "left" not in sides


def test_a_box_and_its_copies_share_their_sides_as_they_shared_the_set():
    import_weasyprint()
    assert box_memory.install() is None and box_memory.PATCH.applied
    from weasyprint.formatting_structure import boxes

    box = boxes.BlockBox("div", {}, None, [])  # a style the box only keeps
    assert isinstance(box.remove_decoration_sides, Sides)
    twin = box.copy()  # shares, as a copy shared the set
    twin.remove_decoration_sides.add("top")
    assert "top" in box.remove_decoration_sides
    fragment = box.copy_with_children([])
    # The fragment keeps what was taken; the box it came from starts anew.
    assert list(fragment.remove_decoration_sides) == ["top"]
    assert isinstance(box.remove_decoration_sides, Sides) and list(box.remove_decoration_sides) == []
    assert twin.remove_decoration_sides is fragment.remove_decoration_sides


def test_the_pdfs_are_the_same_byte_for_byte_with_and_without():
    # Boxes broken across pages: tables, long lists, divs, a staff paper.
    sources = [SEED, FIXTURES / "tables.md", FIXTURES / "pandoc-tables.md", FIXTURES / "lists.md",
               FIXTURES / "divs.md", FIXTURES / "boxes.md", FIXTURES / "information-paper.md",
               FIXTURES / "page-break.md", FIXTURES / "markings" / "us-secret.md"]
    digests = pdf_digests_with_and_without("pipeline.weasy.box_memory", sources)
    assert len(digests["with"]) == len(sources) and digests["with"] == digests["without"]


# What reads the sides: percentage radii on the sides a break took off, on
# block, inline, table and flex boxes broken across pages and lines, with
# decoration sliced (the sides taken) and cloned (none taken).
BROKEN = """<style>
@page { size: 120mm 90mm; margin: 10mm }
.box { border: 3px solid; border-radius: 20% / 10%; padding: 6px; margin: 8px 0 }
.clone { box-decoration-break: clone }
span.box { line-height: 2; border-radius: 30% }
.flex { display: flex; flex-direction: column }
td { border: 1px solid; border-radius: 15% }
</style>
<div class="box">{paragraphs}</div>
<div class="box clone">{paragraphs}</div>
<p>{inline}</p>
<p class="clone">{inline}</p>
<div class="flex box">{paragraphs}</div>
<table class="box">{rows}</table>
"""

def test_boxes_broken_across_pages_and_lines_make_the_same_pdf_too():
    paragraphs = "".join(f"<p>Paragraph {n} of a box that runs over pages.</p>" for n in range(30))
    inline = " ".join(f'<span class="box">span {n} that wraps over lines</span>' for n in range(12))
    rows = "".join(f"<tr><td>row {n}</td><td>cell</td></tr>" for n in range(40))
    markup = (BROKEN.replace("{paragraphs}", paragraphs).replace("{inline}", inline)
              .replace("{rows}", rows))
    made = markup_pdfs_with_and_without("pipeline.weasy.box_memory", markup)
    assert made["with"][0] > 5  # broken over pages
    assert made["with"] == made["without"]
