"""A colour font's cleaned subset kept between builds, not made again by
fontTools for every PDF.

WeasyPrint embeds a colour emoji font (Noto Color Emoji: PNG glyphs) as a
subset whose pictures it then strips with fontTools, the glyphs drawn as
images beside it: loading fontTools' table modules and rewriting the font
took 70 ms of the sample's PDF for its one emoji, 5 ms of it HarfBuzz's
subsetting. The stripped font depends only on the subset's bytes and the
hinting flag, so `install` wraps WeasyPrint's `Font.clean`: it subsets as
WeasyPrint does, then takes the stripped font from the cache folder, named
for a hash of the subset, fontTools' version and the flag; or has
WeasyPrint strip it, and keeps it there. Other fonts, and variable colour
fonts (their instancing depends on more than the bytes), are cleaned as
before.

Like pipeline/weasy/line_breaks.py this reaches into WeasyPrint's
internals, checked first (pipeline/weasy/versions.py).
"""

from __future__ import annotations

import hashlib

from pipeline import cache
from pipeline.weasy.versions import Need, Patch, Skipped, installed

PATCH = Patch("colour font cache", written_for={"weasyprint": "70.0"}, needs=(
    Need("weasyprint.pdf.fonts:Font", "clean", ("self", "to_unicode", "hinting"),
         uses=("subset", "png", "svg", "colr", "tables", "file_content")),
    Need("weasyprint.pdf.fonts:Font", "subset", ("self", "to_unicode", "hinting")),
), cost="a colour emoji font is rewritten by fontTools for every PDF (about 70 ms)")


def install() -> Skipped | None:
    """Patch WeasyPrint once (again is harmless); why not, if it does not fit."""
    if PATCH.applied:
        return None
    if skipped := PATCH.check():
        return skipped
    from weasyprint.pdf.fonts import Font

    clean = Font.clean

    def clean_from_cache(font, to_unicode, hinting):
        if not (font.png or font.svg or font.colr) or "fvar" in font.tables or not to_unicode:
            return clean(font, to_unicode, hinting)
        font.subset(to_unicode, hinting)  # what clean does first
        subset = font.file_content
        kept = kept_file(subset, hinting)
        if kept is not None:
            try:
                data = kept.read_bytes()
            except OSError:
                data = b""
            if data.startswith(SFNT_TAGS):
                font.file_content = data
                return None
        clean(font, {}, hinting)  # no glyphs given: WeasyPrint subsets nothing more
        if kept is not None and font.file_content != subset:  # stripped (else it warned)
            cache.keep(kept, font.file_content)
        return None

    PATCH.replace(Font, "clean", clean_from_cache)
    return None


SFNT_TAGS = (b"\x00\x01\x00\x00", b"OTTO", b"true")  # a TrueType or OpenType font's first bytes


def kept_file(subset: bytes, hinting: bool):
    folder = cache.folder("weasyprint")
    if folder is None:
        return None
    key = hashlib.sha256(subset + f"{installed('fonttools')} {bool(hinting)}".encode()).hexdigest()
    return folder / f"colour-font-{key[:32]}.ttf"
