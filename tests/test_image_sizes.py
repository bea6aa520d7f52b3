"""An image's width and height as pandoc and Quarto authors set them
(`{width=50%}`, `{width=3in}`, `{height=4cm}`, raw HTML's `width="40"` and
`style="width: 30px"`),
honoured in all three formats and measured there by independent readers:
lxml on the HTML, poppler (pdftohtml) on the PDF, python-docx and
LibreOffice on the DOCX. A value that is no length is an error at its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest

from conftest import FIXTURES, built_fixture, run_cli
from pipeline import model as m
from pipeline.read.frontmatter import read_meta
from pipeline.read.rawhtml import style_sizes
from pipeline.read.markdown import parse
from pipeline.read.sizes import SizeProblem, length
from pipeline.read.source import read_source
from readers import pdf_images, soffice_to_pdf

MM = 72 / 25.4  # points in a millimetre
TEXT_WIDTH = 138 * MM  # A4's text width, in the PDF and the DOCX
MAP = (640, 360)  # images/map.png, in pixels


@pytest.mark.parametrize("value, expected", [
    ("50%", (50, "%")), ("3in", (3, "in")), ("3inch", (3, "in")), ("300", (300, "px")),
    ("40px", (40, "px")), ("2.5cm", (2.5, "cm")), (".5in", (0.5, "in")), ("7mm", (7, "mm")),
    ("12pt", (12, "pt")), ("1pc", (1, "pc")), ("10em", (10, "em")), (" 2CM ", (2, "cm")),
])
def test_lengths_read_as_pandoc_reads_them(value, expected):
    assert length(value, "width") == m.Length(value=expected[0], unit=expected[1])


@pytest.mark.parametrize("value", ["big", "3 cm", "-2in", "0", "0%", "3furlongs", "50 %", "", "1e3px"])
def test_what_is_no_length_is_refused(value):
    with pytest.raises(SizeProblem):
        length(value, "width")


@pytest.mark.parametrize("style, sizes", [
    ("width: 100px;height: 100px;min-width:100px;min-height:100px;", {"width": "100px", "height": "100px"}),
    ("min-width: 5px; max-height: 3in", {}),
    ("width: auto; height: calc(1em + 2px)", {}),  # no plain length: left out, no error
    ("border: 1px solid; WIDTH:2cm", {"width": "2cm"}),
])
def test_an_img_keeps_the_plain_width_and_height_of_its_style(style, sizes):
    assert style_sizes(style) == sizes


def test_bad_sizes_are_errors_at_their_lines(tmp_path: Path):
    shutil.copytree(FIXTURES / "images", tmp_path / "images")
    source = tmp_path / "bad.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n"
                      "![a](images/map.png){width=big}\n\ntext\n\n"
                      "![b](images/map.png){width=\"3 cm\" height=-2in}\n\n"
                      "A ![c](images/badge.png){height=0} and <img src=\"images/badge.png\" alt=\"d\" "
                      "width=\"auto\">.\n", encoding="utf-8")
    result = run_cli("check", source)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [f"{source}:{n}" for n in (6, 10, 10, 12, 12)]
    assert "image width 'big' is not a length" in lines[0]
    assert "image height '0' must be more than 0" in lines[3]
    problems: list = []
    read = read_source(source)
    meta, body = read_meta(read)
    parse(read, meta, body, problems)
    assert {problem.code for problem in problems} == {"image.size"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return built_fixture(tmp_path_factory, "image-sizes.md")


@pytest.mark.slow
def test_html_sets_the_sizes(built):
    page = lxml.html.fromstring((built / "image-sizes.html").read_bytes())
    styles = [img.get("style") for img in page.iter("img")]
    assert styles == ["width: 50%; height: auto", "width: 3in; height: auto", "height: 4cm; width: auto",
                      None, "height: 2em; width: auto", "width: 40px; height: auto", "width: 30px; height: auto"]


def expected_points() -> list[tuple[float, float]]:
    """The four figures' and three badges' sizes, in points."""
    ratio = MAP[1] / MAP[0]
    return [(TEXT_WIDTH / 2, TEXT_WIDTH / 2 * ratio), (216, 216 * ratio), (40 * MM / ratio, 40 * MM),
            (TEXT_WIDTH, TEXT_WIDTH * ratio), (22 * 92 / 20, 22), (30, 30 * 20 / 92), (22.5, 22.5 * 20 / 92)]


@pytest.mark.slow
def test_pdf_draws_the_sizes(built):
    drawn = [(w, h) for _, _, _, w, h in pdf_images(built / "image-sizes.pdf")]
    assert len(drawn) == 7
    for (w, h), (want_w, want_h) in zip(drawn, expected_points()):
        assert w == pytest.approx(want_w, abs=1.5) and h == pytest.approx(want_h, abs=1.5)


@pytest.mark.slow
def test_docx_sets_the_sizes(built, tmp_path):
    import docx

    shapes = docx.Document(str(built / "image-sizes.docx")).inline_shapes
    sizes = [(shape.width.pt, shape.height.pt) for shape in shapes]
    assert len(sizes) == 7
    for (w, h), (want_w, want_h) in zip(sizes, expected_points()):
        assert w == pytest.approx(want_w, abs=0.5) and h == pytest.approx(want_h, abs=0.5)
    # LibreOffice lays the pictures out at those sizes.
    drawn = [(w, h) for _, _, _, w, h in pdf_images(soffice_to_pdf(built / "image-sizes.docx", tmp_path))]
    assert len(drawn) == 7
    for (w, h), (want_w, want_h) in zip(drawn, expected_points()):
        assert w == pytest.approx(want_w, abs=1.5) and h == pytest.approx(want_h, abs=1.5)


@pytest.mark.slow
def test_a_wide_image_in_a_table_shrinks_with_its_column(tmp_path):
    """NIST SP 800-63-3's decision trees put a 681-pixel-wide picture in a
    table cell: its width was the column's least, and the table ran off the
    PDF's page, the ends of its text lines cut off. The picture shrinks with
    its column now; one its author sized keeps its size."""
    from PIL import Image

    from readers import pdf_lines, pdf_page_size

    Image.new("RGB", (1362, 82), (30, 90, 160)).save(tmp_path / "step.png")
    Image.new("RGB", (40, 40), (200, 30, 30)).save(tmp_path / "dot.png")
    words = "A long text row that says what the step above means, long enough to wrap twice across the page."
    source = tmp_path / "wide.md"
    source.write_text("---\ntitle: Steps\nclassification: UNCLASSIFIED\n---\n\n"
                      f'<table style="width:100%">\n<tr><td><img src="step.png" alt="Step 3"/></td></tr>\n'
                      f"<tr><td>{words}</td></tr>\n</table>\n\n"
                      f"| Step | What |\n|---|---|\n| ![Step 3](step.png) | {words} |\n"
                      f"| ![Dot](dot.png){{width=1cm}} | Sized. |\n", encoding="utf-8")
    result = run_cli("build", source, "--to", "pdf", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "wide.pdf"
    page_width = pdf_page_size(pdf)[0]
    right = (page_width + TEXT_WIDTH) / 2 + 1  # the text's right edge (centred column), a point to spare
    drawn = pdf_images(pdf)
    assert len(drawn) == 3 and all(left + width <= right for _, left, _, width, _ in drawn)
    assert drawn[-1][3] == pytest.approx(10 * MM, abs=1)  # 1 cm, as its author set it
    text = " ".join(line for *_, line in pdf_lines(pdf))
    assert text.count("long enough to wrap twice across the page.") == 2
    assert all(x1 <= right for _, _, x1, _, _ in pdf_lines(pdf))
