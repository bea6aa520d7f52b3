"""PDF enclosures drawn into the briefing's PDF: the print markup ends with
an empty page, under the enclosure's banners and with its bookmark, for
each page of each enclosure; here each enclosure page becomes a form
XObject (qpdf, through pikepdf, copies it with its fonts and images) drawn
on its page, scaled to fit between the banners and centred. It is marked
as an artifact: its own text is not in the briefing's structure tree, and
its bookmark and running head say what it is.
"""

from __future__ import annotations

import io

MM = 72 / 25.4


def draw_enclosures(data: bytes, enclosures: tuple[bytes, ...], margins_mm: tuple[float, ...]) -> bytes:
    """The PDF with each enclosure's pages drawn on its last pages."""
    if not enclosures:
        return data
    import pikepdf

    top, right, bottom, left = (value * MM for value in margins_mm)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        sources = [pikepdf.open(io.BytesIO(enclosure)) for enclosure in enclosures]
        try:
            pages = [page for source in sources for page in source.pages]
            first = len(pdf.pages) - len(pages)
            for offset, page in enumerate(pages):
                target = pdf.pages[first + offset]
                form = pdf.copy_foreign(page.as_form_xobject())
                x0, y0, x1, y1 = (float(v) for v in target.mediabox)
                box = (x0 + left, y0 + bottom, x1 - right, y1 - top)
                bx0, by0, bx1, by1 = (float(v) for v in form.BBox)
                scale = min((box[2] - box[0]) / (bx1 - bx0), (box[3] - box[1]) / (by1 - by0))
                dx = box[0] + ((box[2] - box[0]) - scale * (bx1 - bx0)) / 2 - scale * bx0
                dy = box[1] + ((box[3] - box[1]) - scale * (by1 - by0)) / 2 - scale * by0
                name = target.add_resource(form, pikepdf.Name.XObject, prefix="Enc")
                drawn = (f"/Artifact BMC q {scale:.5f} 0 0 {scale:.5f} {dx:.3f} {dy:.3f} cm "
                         f"{name} Do Q EMC\n").encode("ascii")
                # The page's own drawing inside q … Q: it leaves WeasyPrint's
                # flipped coordinates in force, which would turn ours over.
                target.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
                target.contents_add(pikepdf.Stream(pdf, b"Q\n" + drawn), prepend=False)
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True)
        finally:
            for source in sources:
                source.close()
    return out.getvalue()
