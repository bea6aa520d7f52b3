"""The PDF backend's product, in a module of its own: the PDF worker
(pipeline/run/worker.py) imports it with WeasyPrint while the build reads
the source, and nothing of the model, the templates or the HTML backend,
which it does not need (0.1 s of its start, on the critical path of a
short briefing)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class PrintJob:
    """Plain data that crosses to the PDF worker, where weasy/typeset.py
    makes the PDF of it; render/pdf.py makes it."""
    markup: str  # the print page, styles inline and images as data: URIs
    path: str  # the source, for messages
    variant: str  # of formats.PDF_VARIANTS
    lang: str
    classification: str
    markings: tuple[tuple[str, str], ...]  # the markings as document properties
    made: dt.datetime  # the build's time
    source: str  # the Markdown, attached to a PDF/A-3
    # PDF enclosures, appended: each one's bytes, drawn on the last pages,
    # which the markup leaves empty for them under the enclosure's banners.
    enclosures: tuple[bytes, ...] = ()
    # A memo's signature block's id: weasy/signature.py puts a signature field there.
    signature_field: str | None = None
    # A point or talking paper: one page; more is a warning at this line.
    page_limit: tuple[int, int | None] | None = None


# The margins of an enclosure's pages, top, right, bottom, left: its page
# drawn, scaled to fit, between the banners (weasy/enclosures.py).
ENCLOSURE_MARGINS_MM = (24, 15, 22, 15)
