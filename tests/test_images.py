"""Image checks: only real PNG/JPEG files inside the source's folder."""

import struct
import zlib
from pathlib import Path

import pytest

from pipeline.read import images
from pipeline.read.images import ImageProblem, check_image

from conftest import FIXTURES


def test_png_and_jpeg_with_their_sizes():
    png = check_image("images/map.png", FIXTURES)
    assert (png.mime, png.width, png.height) == ("image/png", 640, 360)
    assert png.path == (FIXTURES / "images" / "map.png").resolve()
    jpeg = check_image("images/wide-photo.jpg", FIXTURES)
    assert (jpeg.mime, jpeg.width, jpeg.height) == ("image/jpeg", 1600, 1200)


@pytest.mark.parametrize("src, message", [
    ("http://127.0.0.1/x.png", "is not a local file"),
    ("https://example.org/x.png", "is not a local file"),
    ("file:///etc/passwd", "is not a local file"),
    ("data:image/png;base64,AAAA", "is not a local file"),
    ("/etc/hostname", "must be a path relative"),
    ("images/missing.png", "does not exist"),
    ("../outside.png", "outside the source's folder"),
    ("images", "is not a regular file"),
])
def test_refused_references(tmp_path: Path, src, message):
    (tmp_path / "src" / "images").mkdir(parents=True)
    (tmp_path / "outside.png").write_bytes((FIXTURES / "images" / "map.png").read_bytes())
    with pytest.raises(ImageProblem, match=message):
        check_image(src, tmp_path / "src")


def test_symlink_out_of_the_folder(tmp_path: Path):
    (tmp_path / "src").mkdir()
    (tmp_path / "secret.png").write_bytes((FIXTURES / "images" / "map.png").read_bytes())
    (tmp_path / "src" / "link.png").symlink_to(tmp_path / "secret.png")
    with pytest.raises(ImageProblem, match="outside the source's folder"):
        check_image("link.png", tmp_path / "src")


def test_bytes_must_match_the_name(tmp_path: Path):
    (tmp_path / "fake.png").write_bytes(b"GIF89a not a png")
    with pytest.raises(ImageProblem, match="is not the PNG its name says"):
        check_image("fake.png", tmp_path)
    (tmp_path / "anim.gif").write_bytes(b"GIF89a")
    with pytest.raises(ImageProblem, match="is not a PNG, JPEG or SVG file"):
        check_image("anim.gif", tmp_path)


def test_svg_is_checked_and_sized(tmp_path: Path):
    image = check_image("images/routes.svg", FIXTURES)
    assert (image.mime, image.width, image.height) == ("image/svg+xml", 480, 270)
    (tmp_path / "drawing.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>')
    with pytest.raises(ImageProblem, match=r"image 'drawing.svg' has <script>, a script"):
        check_image("drawing.svg", tmp_path)


def test_decompression_bomb_and_size_limits(tmp_path: Path, monkeypatch):
    # A tiny file whose header claims 100000 x 100000 pixels.
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    bomb = (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)))
    (tmp_path / "bomb.png").write_bytes(bomb)
    with pytest.raises(ImageProblem, match="100000x100000 pixels, past the 40-megapixel limit"):
        check_image("bomb.png", tmp_path)
    monkeypatch.setattr(images, "MAX_BYTES", 100)
    with pytest.raises(ImageProblem, match="larger than"):
        check_image("images/map.png", FIXTURES)


def test_truncated_png_is_a_clear_problem(tmp_path: Path):
    (tmp_path / "short.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(ImageProblem, match="cannot read the PNG's size"):
        check_image("short.png", tmp_path)


def test_a_device_behind_a_symlink_is_refused(tmp_path: Path):
    (tmp_path / "zero.png").symlink_to("/dev/zero")
    with pytest.raises(ImageProblem, match="outside the source's folder"):
        check_image("zero.png", tmp_path)
