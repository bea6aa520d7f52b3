"""Check an image a source points at, once, before any backend sees it.

Figures are local files under the source's folder: no URLs, no absolute
paths, no way out through `..` or a symlink, a regular file whose bytes are
the type its name says, within a size and pixel budget; an SVG must also
pass pipeline.read.svg's safety checks. Backends get the checked path, type and
size and never look at the author's string again.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from pipeline.problems import excerpt

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; far past any figure, short of a bomb
TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
SIGNATURES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}


@dataclass(frozen=True, slots=True)
class Image:
    path: Path  # resolved, inside the source's folder
    mime: str
    width: int  # pixels
    height: int


class ImageProblem(ValueError):
    """What is wrong with an image reference, said to the author."""


def is_remote(src: str) -> bool:
    """An image on a server (`https://…`, `//host/…`): never fetched, its
    alt text shown in its place, with a warning."""
    parts = urlsplit(src.strip())
    return parts.scheme.lower() in ("http", "https", "ftp") or (not parts.scheme and bool(parts.netloc))


def remote_images(found: list[tuple[int, str]]) -> str:
    """The one warning for a document's remote images, however many."""
    lines = ", ".join(str(line) for line, _ in found[:8]) + (" …" if len(found) > 8 else "")
    first = excerpt(found[0][1], 60)
    if len(found) == 1:
        return (f"remote image '{first}' not fetched (briefing never fetches anything), "
                "shown as its alt text")
    return (f"{len(found)} remote images not fetched (briefing never fetches anything), each "
            f"shown as its alt text: '{first}' and {len(found) - 1} more, on lines {lines}")


def check_image(src: str, folder: Path) -> Image:
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        raise ImageProblem(f"image '{excerpt(src, 60)}' is not a local file: images must be files "
                           "beside the source")
    relative = PurePosixPath(unquote(parts.path))
    if relative.is_absolute() or not relative.parts:
        raise ImageProblem(f"image '{excerpt(src, 60)}' must be a path relative to the source's folder")
    base = folder.resolve()
    if not (base / relative).resolve().is_relative_to(base):  # `..`, or a symlink out
        raise ImageProblem(f"image '{excerpt(src, 60)}' is outside the source's folder")
    try:
        path = (base / relative).resolve(strict=True)
    except (OSError, RuntimeError):
        raise ImageProblem(f"image '{excerpt(src, 60)}' does not exist") from None
    if not path.is_file():
        raise ImageProblem(f"image '{excerpt(src, 60)}' is not a regular file")
    mime = TYPES.get(path.suffix.lower())
    if mime is None:
        raise ImageProblem(f"image '{excerpt(src, 60)}' is not a PNG, JPEG or SVG file")
    if path.stat().st_size > MAX_BYTES:
        raise ImageProblem(f"image '{excerpt(src, 60)}' is larger than {MAX_BYTES // 2**20} MB")
    if mime == "image/svg+xml":
        return svg_image(src, path)
    with path.open("rb") as file:
        head = file.read(1024 * 1024)  # a JPEG's size can follow large EXIF or ICC data
    if not head.startswith(SIGNATURES[mime]):
        raise ImageProblem(f"image '{excerpt(src, 60)}' is not the {mime.split('/')[1].upper()} its name says")
    width, height = png_size(head, src) if mime == "image/png" else jpeg_size(head, src)
    if width * height > MAX_PIXELS or not width or not height:
        raise ImageProblem(f"image '{excerpt(src, 60)}' is {width}x{height} pixels, past the "
                           f"{MAX_PIXELS // 1_000_000}-megapixel limit")
    return Image(path=path, mime=mime, width=width, height=height)


def svg_image(src: str, path: Path) -> Image:
    # Imported here: it loads lxml, which a build with no SVG never needs.
    from pipeline.read.svg import SvgProblem, check_svg

    try:
        width, height = check_svg(path.read_bytes())
    except SvgProblem as problem:
        raise ImageProblem(f"image '{excerpt(src, 60)}' {problem}") from None
    return Image(path=path, mime="image/svg+xml", width=width, height=height)


def png_size(head: bytes, src: str) -> tuple[int, int]:
    # The IHDR chunk always comes first: width and height at bytes 16-24.
    if len(head) < 24 or head[12:16] != b"IHDR":
        raise ImageProblem(f"image '{excerpt(src, 60)}': cannot read the PNG's size")
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def jpeg_size(head: bytes, src: str) -> tuple[int, int]:
    """Width and height from the first start-of-frame marker."""
    index = 2
    while index + 9 < len(head):
        if head[index] != 0xFF:
            break
        marker = head[index + 1]
        length = struct.unpack(">H", head[index + 2:index + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", head[index + 5:index + 9])
            return width, height
        index += 2 + length
    raise ImageProblem(f"image '{excerpt(src, 60)}': cannot read the JPEG's size")
