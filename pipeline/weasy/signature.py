"""A digital signature field at a memorandum's signature block: an
unsigned AcroForm signature widget (PDF 32000-1, 12.7.4.5), so the memo can
be signed with a CAC as AR 25-50 (2020) expects. WeasyPrint writes a named
destination for the signature block's id; the widget stands in the blank
lines above the signer's name, from the block's left edge."""

from __future__ import annotations

import io

FIELD_NAME = "Signature"
WIDTH, HEIGHT = 216, 40  # points: 3 inches wide, in the four blank lines above the name


def add_signature_field(data: bytes, anchor: str | None) -> bytes:
    if anchor is None:
        return data
    # pikepdf (50 ms to import) only for a staff product's PDF, not every PDF's.
    import pikepdf
    from pikepdf import Array, Dictionary, Name, NameTree, String

    pdf = pikepdf.open(io.BytesIO(data))
    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names or anchor not in NameTree(names.Dests):
        return data  # no signature block on the page
    destination = NameTree(names.Dests)[anchor]
    page, left, top = destination[0], float(destination[2]), float(destination[3])
    rect = [left, top + 2, left + WIDTH, top + 2 + HEIGHT]
    appearance = pdf.make_stream(b"", Type=Name.XObject, Subtype=Name.Form,
                                 BBox=Array([0, 0, WIDTH, HEIGHT]))
    widget = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Widget, FT=Name.Sig, T=String(FIELD_NAME),
        TU=String("Digital signature"), Rect=Array(rect), F=4, P=page,
        AP=Dictionary(N=appearance)))
    page_object = pikepdf.Page(page)
    if "/Annots" not in page_object.obj:
        page_object.obj.Annots = pdf.make_indirect(Array())
    page_object.obj.Annots.append(widget)
    pdf.Root.AcroForm = pdf.make_indirect(Dictionary(Fields=Array([widget])))
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()
