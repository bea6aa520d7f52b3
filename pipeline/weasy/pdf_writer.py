"""How pydyf, WeasyPrint's PDF writer, writes our PDFs: three changes that
leave the content as it is and take time or memory off the PDF worker.

- Streams are compressed at zlib's default level (6), not its slowest (9):
  on the 74-page benchmark briefing 0.07 s of compressing instead of
  0.24 s, for a file 4% larger (315 KB, not 303).
- A page's reference is looked up, not rebuilt with every other page's:
  WeasyPrint's tagging asks `pdf.page_references[n]` for each structure
  element, and pydyf made the tuple of all pages each time (74 pages,
  4,069 lookups: 300,000 references formatted).
- A page's content stream is compressed as soon as the page is drawn
  (`compress_now`), not when the file is written: pydyf held every
  operator of every page as a Python object until then, 44 MB at 980
  pages where the compressed streams take 3.5 MB. The bytes written are
  the same: the same deflate, the same dictionary.

`install` patches pydyf (and WeasyPrint's `Page.paint`), once, after
checking they fit (pipeline/weasy/versions.py); tests/test_pdf_writer.py
reads the result back.
"""

from __future__ import annotations

import functools
import zlib

from pipeline.weasy.versions import Need, Patch, Skipped

PATCH = Patch("PDF writer", written_for={"pydyf": "0.13.0", "weasyprint": "70.0"}, needs=(
    Need("pydyf", "zlib", has=("compressobj",)),
    Need("pydyf:Stream", "data", uses=("zlib", "compressobj")),
    Need("pydyf:PDF", "page_references", ("self",), uses=("pages",)),
    Need("pydyf:PDF", "add_page", ("self", "page")),
    # A page is painted into its own content stream, compressed when written.
    Need("weasyprint.document:Page", "paint", ("self", "stream", "scale")),
    Need("weasyprint.pdf", "generate_pdf", uses=("paint", "Stream")),
    Need("pydyf", "_to_bytes", ("item",)),
), cost="the PDF is the same, made more slowly and in more memory")

KNOWN = "_briefing_writer"  # where a pydyf.PDF keeps its page references


def install() -> Skipped | None:
    """Patch pydyf once (again is harmless); why not, if it does not fit."""
    if PATCH.applied:
        return None
    if skipped := PATCH.check():
        return skipped
    import pydyf

    from weasyprint import document

    PATCH.replace(pydyf, "zlib", DefaultLevelZlib())
    PATCH.replace(pydyf.PDF, "page_references", property(page_references))
    paint = document.Page.paint

    @functools.wraps(paint)  # so the other patches' checks still read WeasyPrint's own
    def paint_then_compress(page, stream, scale=1):
        paint(page, stream, scale)
        compress_now(stream)

    PATCH.replace(document.Page, "paint", paint_then_compress)
    return None


def compress_now(stream) -> None:
    """A stream's content deflated now, as pydyf would deflate it when the
    file is written (`Stream.data`): one item, already compressed, with the
    filter said in its dictionary where pydyf would add it."""
    import pydyf

    if not stream.compress:
        return
    content = b"\n".join(pydyf._to_bytes(item) for item in stream.stream)
    deflate = DefaultLevelZlib.compressobj()  # the level pydyf is given above
    stream.stream = [deflate.compress(content) + deflate.flush()]
    stream.extra["Filter"] = "/FlateDecode"
    stream.compress = False


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
