"""pipeline/read/raster.py: a PNG or JPEG is what its name says, within
the pixel budget by its header, and decodes whole."""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image

from pipeline.read.raster import MAX_PIXELS, RasterProblem, check_raster, jpeg_size, png_size


def picture(fmt: str, size=(7, 5)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, fmt)
    return out.getvalue()


def test_a_sound_png_and_jpeg_give_their_size():
    assert check_raster(picture("PNG"), "image/png") == (7, 5)
    assert check_raster(picture("JPEG"), "image/jpeg") == (7, 5)
    assert jpeg_size(picture("JPEG", (300, 20))) == (300, 20)


def test_bytes_of_another_kind_are_refused_by_what_named_them():
    with pytest.raises(RasterProblem, match="is not the PNG its bytes says"):
        check_raster(picture("JPEG"), "image/png", said_by="its bytes")
    with pytest.raises(RasterProblem, match="is not the JPEG its name says"):
        check_raster(b"<svg/>", "image/jpeg")


def test_a_header_past_the_pixel_budget_is_refused_before_decoding():
    data = bytearray(picture("PNG"))
    data[16:24] = struct.pack(">II", 10_000, MAX_PIXELS // 10_000 + 1)  # the IHDR's size only
    with pytest.raises(RasterProblem, match="past the 40-megapixel limit"):
        check_raster(bytes(data), "image/png")
    data[16:24] = struct.pack(">II", 0, 5)
    with pytest.raises(RasterProblem, match="has no pixels"):
        check_raster(bytes(data), "image/png")


def test_a_truncated_or_damaged_file_does_not_decode():
    png = picture("PNG", (64, 64))
    with pytest.raises(RasterProblem, match="is damaged: the PNG does not decode"):
        check_raster(png[:len(png) // 2], "image/png")
    with pytest.raises(RasterProblem, match="cannot read the PNG's size"):
        png_size(png[:20])
    jpeg = picture("JPEG", (64, 64))
    with pytest.raises(RasterProblem, match="cannot read the JPEG's size"):
        jpeg_size(jpeg[:4])


def test_weasyprints_leniency_does_not_hide_a_truncated_file():
    """WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process:
    the check still refuses, and leaves the setting as it found it."""
    from PIL import ImageFile

    png = picture("PNG", (64, 64))
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = True
    try:
        with pytest.raises(RasterProblem, match="does not decode"):
            check_raster(png[:len(png) - 30], "image/png")
        assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before
