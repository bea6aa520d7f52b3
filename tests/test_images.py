"""Image checks: only real PNG/JPEG files inside the source's folder."""

import hashlib
import io
import os
import re
import struct
import zipfile
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


def test_a_path_named_from_a_folder_above_says_where_the_file_is(tmp_path: Path):
    """NIST's SP 800-63 section files, in sp800-63b/, name their pictures
    `sp800-63b/media/x.png`, from the site's root: refused as missing, with
    nothing to say where the file is, or what was looked for."""
    (tmp_path / "sp800-63b" / "media").mkdir(parents=True)
    (tmp_path / "sp800-63b" / "media" / "x.png").write_bytes((FIXTURES / "images" / "map.png").read_bytes())
    with pytest.raises(ImageProblem) as refused:
        check_image("sp800-63b/media/x.png", tmp_path / "sp800-63b")
    assert str(refused.value) == ("image 'sp800-63b/media/x.png' does not exist beside the source; "
                                  "'media/x.png' does: write the path from the source's folder")
    with pytest.raises(ImageProblem) as refused:
        check_image("media/nothing.png", tmp_path / "sp800-63b")
    assert str(refused.value) == "image 'media/nothing.png' does not exist"
    assert check_image("media/x.png", tmp_path / "sp800-63b").mime == "image/png"


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


def png(width: int, height: int, idat: bytes | None = None) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    if idat is None:  # a gradient: it compresses, but not to nothing
        idat = zlib.compress(b"".join(b"\0" + bytes((x * 7 + y) % 256 for x in range(3 * width))
                                      for y in range(height)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


@pytest.mark.parametrize("data, message", [
    # Cut inside its pixels: python-docx failed on it (an internal error), browsers show half.
    (png(40, 30)[:200], "is damaged: the PNG does not decode (image file is truncated)"),
    # A damaged IDAT was shipped: no reader's program can draw it.
    (png(40, 30, idat=b"x\x9c" + b"garbage!" * 10), "is damaged: the PNG does not decode"),
    (png(0, 10, idat=b""), "has no pixels: its PNG header says 0x10"),
    ((FIXTURES / "images" / "wide-photo.jpg").read_bytes()[:5000], "is damaged: the JPEG does not decode"),
])
def test_an_image_must_decode_whole(tmp_path: Path, data, message):
    name = "picture.jpg" if data.startswith(b"\xff\xd8") else "picture.png"
    (tmp_path / name).write_bytes(data)
    with pytest.raises(ImageProblem, match=re.escape(f"image '{name}' {message}")):
        check_image(name, tmp_path)


def test_a_truncated_image_is_refused_after_weasyprint_is_loaded(tmp_path: Path):
    """WeasyPrint tells Pillow, for the whole process, to draw truncated
    files: a build that made a PDF before must still refuse one."""
    import weasyprint.images  # noqa: F401  (sets ImageFile.LOAD_TRUNCATED_IMAGES)
    from PIL import ImageFile
    assert ImageFile.LOAD_TRUNCATED_IMAGES
    (tmp_path / "cut.png").write_bytes(png(40, 30)[:200])
    with pytest.raises(ImageProblem, match="image file is truncated"):
        check_image("cut.png", tmp_path)
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # left as WeasyPrint wants it


def test_the_bytes_checked_are_the_bytes_returned(tmp_path: Path):
    data = png(40, 30)
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "map.png").write_bytes(data)
    image = check_image("images/map.png", tmp_path)
    assert image.data == data and (image.width, image.height) == (40, 30)
    assert image.digest == hashlib.sha256(data).hexdigest()


def test_a_link_inside_the_folder_is_followed(tmp_path: Path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "map.png").write_bytes(png(4, 3))
    (tmp_path / "current.png").symlink_to("images/map.png")
    assert check_image("current.png", tmp_path).data == png(4, 3)


def test_a_link_swapped_in_while_reading_is_refused(tmp_path: Path, monkeypatch):
    """The race: the path is checked, then a link out of the folder takes
    the file's place before it is opened. Opened without following links,
    it is refused, whatever the link points at."""
    (tmp_path / "secret.png").write_bytes(png(4, 3))
    folder = tmp_path / "src"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "map.png").write_bytes(png(40, 30))
    read_inside = images.read_inside

    def swapped(base, relative, shown):
        (folder / "images" / "map.png").unlink()
        (folder / "images" / "map.png").symlink_to(tmp_path / "secret.png")
        return read_inside(base, relative, shown)
    monkeypatch.setattr(images, "read_inside", swapped)
    with pytest.raises(ImageProblem, match="image 'images/map.png' changed while it was read"):
        check_image("images/map.png", folder)

    def folder_swapped(base, relative, shown):  # a folder on the way becomes a link
        (folder / "images").rename(folder / "old")
        (folder / "images").symlink_to(tmp_path)
        return read_inside(base, relative, shown)
    (folder / "images" / "map.png").unlink()
    (folder / "images" / "map.png").write_bytes(png(40, 30))
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "map.png").write_bytes(png(4, 3))
    monkeypatch.setattr(images, "read_inside", folder_swapped)
    with pytest.raises(ImageProblem, match="changed while it was read"):
        check_image("images/map.png", folder)


def test_a_fifo_does_not_hang_the_build(tmp_path: Path):
    os.mkfifo(tmp_path / "pipe.png")
    with pytest.raises(ImageProblem, match="is not a regular file"):
        check_image("pipe.png", tmp_path)


def test_a_device_behind_a_symlink_is_refused(tmp_path: Path):
    (tmp_path / "zero.png").symlink_to("/dev/zero")
    with pytest.raises(ImageProblem, match="outside the source's folder"):
        check_image("zero.png", tmp_path)


def test_the_outputs_embed_the_bytes_that_were_checked(tmp_path: Path):
    """Read once: a link to a file outside the folder, swapped in after the
    source was read, reaches no output (each backend read the file again)."""
    import base64
    import subprocess
    import lxml.html
    from pipeline.run.build import load
    from rendering import formats_of

    checked, secret = png(40, 30), png(4, 3)
    (tmp_path / "secret.png").write_bytes(secret)
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "map.png").write_bytes(checked)
    (folder / "brief.md").write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n"
                                     "![A map](map.png)\n\nA badge ![b](map.png) in a line.\n")
    doc = load(folder / "brief.md")
    (folder / "map.png").unlink()
    (folder / "map.png").symlink_to(tmp_path / "secret.png")
    outputs = formats_of(doc, ("html", "docx", "pdf"))
    sources = [img.get("src") for img in lxml.html.fromstring(outputs["html"]).iter("img")]
    assert [base64.b64decode(src.split(",", 1)[1]) for src in sources] == [checked, checked]
    with zipfile.ZipFile(io.BytesIO(outputs["docx"])) as package:
        media = [package.read(n) for n in package.namelist() if n.startswith("word/media/")]
    assert media == [checked]
    (tmp_path / "brief.pdf").write_bytes(outputs["pdf"])
    listed = subprocess.run(["pdfimages", "-list", tmp_path / "brief.pdf"], capture_output=True,
                            text=True, check=True).stdout.splitlines()[2:]
    assert [tuple(row.split()[3:5]) for row in listed] == [("40", "30"), ("40", "30")]


def test_quartos_fig_alt_describes_the_image_and_none_is_said_once(tmp_path):
    """Quarto's `fig-alt` was ignored (an empty alt, or the caption again);
    an image with no alternative text got WeasyPrint's warning with no line
    and the image's base64 in it. `fig-alt` is the HTML's alt and Word's
    description; a missing one is one warning at the image's line."""
    import lxml.html
    from conftest import run_cli
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "map.png").write_bytes((FIXTURES / "images" / "map.png").read_bytes())
    source = tmp_path / "alt.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n"
                      "![](images/map.png){fig-alt=\"A map of the harbour's berths.\" width=\"80%\"}\n\n"
                      "![Berths by depth](images/map.png){fig-alt=\"Four berths, two deep.\"}\n\n"
                      "![](images/map.png)\n", encoding="utf-8")
    result = run_cli("build", source, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warnings == [f"{source}:10: warning: image 'images/map.png' has no alternative text, which a screen "
                        "reader would say: describe it, ![what it shows](…)"]
    page = lxml.html.parse(str(tmp_path / "out" / "alt.html")).getroot()
    assert [img.get("alt") for img in page.iter("img")] == [
        "A map of the harbour's berths.", "Four berths, two deep.", ""]
    with zipfile.ZipFile(tmp_path / "out" / "alt.docx") as package:
        described = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', package.read("word/document.xml").decode())
    assert described[:2] == ["A map of the harbour's berths.", "Four berths, two deep."]


def test_a_caption_written_over_lines_is_the_figures_caption(tmp_path):
    """A JOSS paper writes `![⏎    Words …⏎](x.png)`: its indented line was
    read as a code block, and the figure had no caption and no number."""
    from pipeline import model as m
    from pipeline.run.build import load
    (tmp_path / "map.png").write_bytes((FIXTURES / "images" / "map.png").read_bytes())
    source = tmp_path / "fig.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n![\n    Speed of the original\n"
                      "    and *ours*.\n](map.png)\n", encoding="utf-8")
    [figure] = load(source).blocks
    assert isinstance(figure, m.Figure) and figure.number == 1
    assert m.plain_text(figure.caption) == "Speed of the original and ours."


def test_code_in_alt_text_keeps_its_characters(tmp_path):
    """Go's GC pacer design names its formulas in alt text, `` ![`S_n`](x.png) ``:
    read aloud as "Sn", as pandoc reads it "S_n"; emphasis's marks still go."""
    from pipeline import model as m
    from pipeline.model import walk
    from pipeline.run.build import load
    (tmp_path / "map.png").write_bytes((FIXTURES / "images" / "map.png").read_bytes())
    source = tmp_path / "alt.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n"
                      "Secondly, ![`S_n`](map.png) may vary, and ![a *b* `c_d` snake_case](map.png) too.\n",
                      encoding="utf-8")
    doc = load(source)
    assert [i.alt for i in walk.inlines(doc) if isinstance(i, m.Image)] == ["S_n", "a b c_d snake_case"]


def test_a_remote_numbered_figure_stays_a_figure_with_a_frame(tmp_path: Path):
    """Quarto's lessons write `![An Elephant](https://…/elephant.png){#fig-elephant}`
    and cite it, `@fig-elephant`: the picture was shown as its alt text and
    the reference refused ("points at no … figure"). It is never fetched
    still; it stays Figure 1, its caption under a frame that says so, in
    all three formats, and the build is up to date the next time. A remote
    picture that is no numbered figure is its alt text, as before."""
    import subprocess

    import lxml.html
    import pypandoc

    from conftest import run_cli
    from readers import pdf_text

    source = tmp_path / "brief.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n"
                      "![An Elephant](https://quarto.org/docs/authoring/elephant.png){#fig-elephant}\n\n"
                      "This is illustrated by @fig-elephant.\n\n![build passing](https://img.shields.io/x.svg)\n",
                      encoding="utf-8")
    result = run_cli("build", source, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("warning") == 1 and "2 remote images not fetched" in result.stderr
    page = lxml.html.parse(str(tmp_path / "out" / "brief.html"))
    [figure] = page.xpath("//figure[@id='fig-elephant']")
    assert figure.xpath("img/@src")[0].startswith("data:image/svg+xml")
    assert " ".join(figure.xpath("string(figcaption)").split()) == "Figure 1: An Elephant"
    assert page.xpath("//a[@class='xref']/text()") == ["Figure 1"]
    assert page.xpath("//main/p[last()]/text()") == ["build passing"]
    text = " ".join(pdf_text(tmp_path / "out" / "brief.pdf").split())
    assert "Picture not fetched quarto.org Figure 1: An Elephant This is illustrated by Figure 1." in text
    import docx
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "out" / "brief.docx")).paragraphs]
    # The caption's number is a SEQ field, whose result python-docx does not read.
    assert "Figure : An Elephant" in paragraphs and "This is illustrated by Figure 1." in paragraphs
    word = pypandoc.convert_file(str(tmp_path / "out" / "brief.docx"), "json", format="docx")
    assert '"Image"' in word  # the frame, a picture to pandoc
    again = run_cli("build", source, "--out", tmp_path / "out")
    assert "up to date" in again.stdout + again.stderr
