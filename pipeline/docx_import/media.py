"""Pictures inside a DOCX, checked by their bytes as a figure beside a
source is (read/images.py): PNG, JPEG or SVG (safe by read/svg.py), at
most 20 MB and 40 megapixels, decoding whole. A picture past those limits,
or damaged, is refused with the file; one of another kind (EMF, GIF …) is
left out with a warning."""

from __future__ import annotations

import posixpath
import re

from pipeline.docx_import.package import MAX_MEDIA, Package, refused
from pipeline.docx_import.tree import Media
from pipeline.read.raster import SIGNATURES, RasterProblem, check_raster

SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "image/svg+xml": ".svg"}


def read_media(package: Package, part: str, name: str) -> Media | None:
    data = package.read(part, limit=MAX_MEDIA)
    mime = kind(data)
    if mime is None:
        return None
    where = f"refused: the picture {part}"
    if mime == "image/svg+xml":
        from pipeline.read.svg import SvgProblem, check_svg

        try:
            width, height = check_svg(data)
        except SvgProblem as problem:
            raise refused(package.path, f"{where} {problem}", "docx.unsafe") from None
    else:  # as a figure's file is checked (read/raster.py): its size, then decoded whole
        try:
            width, height = check_raster(data, mime, said_by="its bytes")
        except RasterProblem as problem:
            raise refused(package.path, f"{where} {problem}", "docx.invalid") from None
    return Media(data=data, mime=mime, name=file_name(name, part, mime), width=width, height=height)


def kind(data: bytes) -> str | None:
    for mime, signature in SIGNATURES.items():
        if data.startswith(signature):
            return mime
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:4096]):
        return "image/svg+xml"
    return None


def file_name(name: str, part: str, mime: str) -> str:
    """A plain file name for the picture: the name Word gave it (our
    writer gives the figure's own file name), else the part's."""
    stem = posixpath.splitext(posixpath.basename(name or part))[0]
    stem = SAFE_NAME.sub("-", stem).strip(".-") or posixpath.splitext(posixpath.basename(part))[0]
    stem = SAFE_NAME.sub("-", stem).strip(".-") or "image"
    return stem[:60] + EXTENSIONS[mime]
