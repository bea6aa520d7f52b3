"""Check an image a source points at, once, before any backend sees it.

Figures are local files under the source's folder: no URLs, no absolute
paths, no way out through `..` or a symlink, a regular file whose bytes are
the type its name says, within a size and pixel budget, decoding whole; an
SVG must also pass pipeline.read.svg's safety checks, the images inside it
too. The file is read once, each part of its path opened without following
a link (O_NOFOLLOW), and the bytes checked are the bytes every backend
embeds: a link swapped in after the check cannot put another file in an
output.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from pipeline.problems import excerpt
from pipeline.read.raster import RasterProblem, check_raster

MAX_BYTES = 20 * 1024 * 1024
TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}


@dataclass(frozen=True, slots=True)
class Image:
    path: Path  # resolved, inside the source's folder
    mime: str
    width: int  # pixels
    height: int
    data: bytes  # the bytes checked, read once: what every output embeds

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


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
    shown = excerpt(src, 60)
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        raise ImageProblem(f"image '{shown}' is not a local file: images must be files "
                           "beside the source")
    relative = PurePosixPath(unquote(parts.path))
    if relative.is_absolute() or not relative.parts:
        raise ImageProblem(f"image '{shown}' must be a path relative to the source's folder")
    base = folder.resolve()
    if not (base / relative).resolve().is_relative_to(base):  # `..`, or a symlink out
        raise ImageProblem(f"image '{shown}' is outside the source's folder")
    try:
        path = (base / relative).resolve(strict=True)
    except (OSError, RuntimeError):
        raise ImageProblem(f"image '{shown}' does not exist{where_else(base, relative)}") from None
    if path == base:
        raise ImageProblem(f"image '{shown}' is not a regular file")
    mime = TYPES.get(path.suffix.lower())
    if mime is None and path.is_file():
        raise ImageProblem(f"image '{shown}' is not a PNG, JPEG or SVG file")
    data = read_inside(base, PurePosixPath(path.relative_to(base)), shown)  # refuses what is not a regular file
    if mime is None:  # a regular file only since the look above
        raise ImageProblem(f"image '{shown}' is not a PNG, JPEG or SVG file")
    if mime == "image/svg+xml":
        width, height = svg_size(shown, data)
    else:
        try:
            width, height = check_raster(data, mime)
        except RasterProblem as problem:
            raise ImageProblem(f"image '{shown}' {problem}") from None
    return Image(path=path, mime=mime, width=width, height=height, data=data)


def where_else(base: Path, relative: PurePosixPath) -> str:
    """What to add when an image is not where its path says: the file its
    path names from a folder above, when there is one (a site's pages name
    their pictures from the site's root, as NIST's SP 800-63 does)."""
    for folder in list(base.parents)[:4]:
        found = folder / relative
        if found.is_file():
            shown = os.path.relpath(found, base)
            return f" beside the source; '{excerpt(shown, 60)}' does: write the path from the source's folder"
    return ""


def read_inside(base: Path, relative: PurePosixPath, shown: str) -> bytes:
    """The bytes of `base/relative`, a path with no link in it (resolved
    already), read without following one: a link put in its place since
    fails to open, whatever it points at. A regular file only (not a FIFO
    that would wait, not a device), at most MAX_BYTES."""
    try:
        folder = os.open(base, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as error:
        raise ImageProblem(f"image '{shown}' cannot be read: {error.strerror}") from None
    handle = -1
    try:
        for part in relative.parts[:-1]:
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                            dir_fd=folder)
            os.close(folder)
            folder = inner
        handle = os.open(relative.parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                         dir_fd=folder)
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise ImageProblem(f"image '{shown}' is not a regular file")
        if info.st_size > MAX_BYTES:
            raise ImageProblem(f"image '{shown}' is larger than {MAX_BYTES // 2**20} MB")
        chunks, size = [], 0
        while size <= MAX_BYTES and (chunk := os.read(handle, min(1 << 20, MAX_BYTES + 1 - size))):
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_BYTES:  # it grew while read
            raise ImageProblem(f"image '{shown}' is larger than {MAX_BYTES // 2**20} MB")
        return b"".join(chunks)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR, errno.ENOENT):
            raise ImageProblem(f"image '{shown}' changed while it was read (a link or another file "
                               "took its place): build again") from None
        raise ImageProblem(f"image '{shown}' cannot be read: {error.strerror}") from None
    finally:
        if handle >= 0:
            os.close(handle)
        os.close(folder)


def svg_size(shown: str, data: bytes) -> tuple[int, int]:
    # Imported here: it loads lxml, which a build with no SVG never needs.
    from pipeline.read.svg import SvgProblem, check_svg

    try:
        return check_svg(data)
    except SvgProblem as problem:
        raise ImageProblem(f"image '{shown}' {problem}") from None
