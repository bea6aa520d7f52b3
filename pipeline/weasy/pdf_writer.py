"""How pydyf, WeasyPrint's PDF writer, writes our PDFs: two changes that
leave the content as it is and take time off the PDF worker.

- Streams are compressed at zlib's default level (6), not its slowest (9):
  on the 74-page benchmark briefing 0.07 s of compressing instead of
  0.24 s, for a file 4% larger (315 KB, not 303).
- A page's reference is looked up, not rebuilt with every other page's:
  WeasyPrint's tagging asks `pdf.page_references[n]` for each structure
  element, and pydyf made the tuple of all pages each time (74 pages,
  4,069 lookups: 300,000 references formatted).

`install` patches pydyf, once, after checking it fits
(pipeline/weasy/versions.py); tests/test_pdf_writer.py reads the result
back.
"""

from __future__ import annotations

import zlib

from pipeline.weasy.versions import Need, Patch, Skipped

PATCH = Patch("PDF writer", written_for={"pydyf": "0.13.0"}, needs=(
    Need("pydyf", "zlib", has=("compressobj",)),
    Need("pydyf:Stream", "data", uses=("zlib", "compressobj")),
    Need("pydyf:PDF", "page_references", ("self",), uses=("pages",)),
    Need("pydyf:PDF", "add_page", ("self", "page")),
), cost="the PDF is the same, made more slowly")

KNOWN = "_briefing_writer"  # where a pydyf.PDF keeps its page references


def install() -> Skipped | None:
    """Patch pydyf once (again is harmless); why not, if it does not fit."""
    if PATCH.applied:
        return None
    if skipped := PATCH.check():
        return skipped
    import pydyf

    PATCH.replace(pydyf, "zlib", DefaultLevelZlib())
    PATCH.replace(pydyf.PDF, "page_references", property(page_references))
    return None


class DefaultLevelZlib:
    """zlib as pydyf sees it: the same, but for compressobj's level."""

    def __getattr__(self, name: str):
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs):
        return zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs)


def page_references(pdf) -> tuple[bytes, ...]:
    """pydyf's `PDF.page_references`, made again only when a page was added
    (pages are only ever appended: three entries each in Kids)."""
    kids = pdf.pages["Kids"]
    known = vars(pdf).get(KNOWN)
    if known is None or known[0] != len(kids):
        known = len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        vars(pdf)[KNOWN] = known
    return known[1]
