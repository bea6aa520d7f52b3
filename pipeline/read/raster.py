"""Check a PNG or JPEG by its bytes: a figure's file, or an image an SVG
figure carries inside it (`data:image/png;base64,…`), with the same limits.

The bytes must be what they are said to be (a PNG's signature for a PNG:
an SVG named PNG is drawn as an SVG by some renderers), within the pixel
budget by their header, and then decode whole: a truncated file or a
damaged IDAT would otherwise ship, and fail in a reader's program or in
python-docx. Decoding is bounded: the header's size is checked first.
"""

from __future__ import annotations

import io
import struct
import threading
import zlib

MAX_PIXELS = 40_000_000  # a 40-megapixel photo; far past any figure, short of a bomb
SIGNATURES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
NAMES = {"image/png": "PNG", "image/jpeg": "JPEG"}
# WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process; a
# check must see a truncated file as one, so it sets it back while it decodes.
STRICT = threading.Lock()


class RasterProblem(ValueError):
    """What is wrong with the bytes, said after the image's name:
    "image 'x.png' <message>"."""


def check_raster(data: bytes, mime: str, said_by: str = "its name") -> tuple[int, int]:
    """The width and height of a PNG or JPEG whose bytes decode whole."""
    name = NAMES[mime]
    if not data.startswith(SIGNATURES[mime]):
        raise RasterProblem(f"is not the {name} {said_by} says")
    width, height = png_size(data) if mime == "image/png" else jpeg_size(data)
    if not width or not height:
        raise RasterProblem(f"has no pixels: its {name} header says {width}x{height}")
    if width * height > MAX_PIXELS:
        raise RasterProblem(f"is {width}x{height} pixels, past the {MAX_PIXELS // 1_000_000}-megapixel limit")
    decode(data, name)
    return width, height


def png_size(data: bytes) -> tuple[int, int]:
    # The IHDR chunk always comes first: width and height at bytes 16-24.
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise RasterProblem("is damaged: cannot read the PNG's size")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def jpeg_size(data: bytes) -> tuple[int, int]:
    """Width and height from the first start-of-frame marker."""
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            break
        marker = data[index + 1]
        length = struct.unpack(">H", data[index + 2:index + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[index + 5:index + 9])
            return width, height
        index += 2 + length
    raise RasterProblem("is damaged: cannot read the JPEG's size")


def decode(data: bytes, name: str) -> None:
    """Decode every pixel, as a renderer will; Pillow is imported here
    only (a briefing without pictures never needs it)."""
    from PIL import Image, ImageFile

    with STRICT:
        truncated, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
        try:
            with Image.open(io.BytesIO(data), formats=[name]) as picture:
                picture.load()
        # Pillow's decoders raise these kinds; each means "damaged". Named,
        # so that nothing else (a time limit) is taken for a damaged file.
        except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error, zlib.error,
                Image.DecompressionBombError) as error:
            reason = str(error) or type(error).__name__
            raise RasterProblem(f"is damaged: the {name} does not decode ({reason})") from None
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = truncated
