"""SVG checks: a figure's SVG is drawn, never run, fetched or expanded without end."""

import base64
import struct
import zlib

import pytest

from pipeline.read import svg
from pipeline.read.svg import SvgProblem, check_svg

from conftest import FIXTURES

NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


def drawing(body: str, attributes: str = 'width="100" height="50"') -> bytes:
    return f"<svg {NS} {attributes}>\n{body}\n</svg>".encode()


def png(width: int, height: int, idat: bytes | None = None) -> bytes:
    """A real PNG of one-bit grey pixels (so a huge one stays small), or
    one whose IDAT is `idat`."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    if idat is None:
        idat = zlib.compress(bytes(height * (1 + (width + 7) // 8)), 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def data_url(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def test_the_fixture_is_safe_and_sized():
    assert check_svg((FIXTURES / "images" / "routes.svg").read_bytes()) == (480, 270)


@pytest.mark.parametrize("attributes, size", [
    ('width="100" height="50"', (100, 50)),
    ('width="100px" height="2in"', (100, 192)),
    ('width="72pt" height="25.4mm"', (96, 96)),
    ('viewBox="0 0 400 100"', (400, 100)),
    ('width="200" viewBox="0,0,400,100"', (200, 50)),  # height from the viewBox's ratio
    ('width="100%" height="100%" viewBox="0 0 40 30"', (40, 30)),
    ('', (300, 150)),  # what a browser gives an SVG of no size
    ('width="-5" height="oops" viewBox="0 0 0 0"', (300, 150)),
])
def test_sizes_in_css_pixels(attributes, size):
    assert check_svg(drawing("", attributes)) == size


def test_what_a_figure_may_hold():
    safe = drawing('<defs><g id="a"><rect width="1" height="1"/></g>'
                   '<linearGradient id="g"/></defs>'
                   '<use xlink:href="#a"/><use href="#a"/>'
                   '<rect fill="url(#g)" style="stroke: url(\'#g\')"/>'
                   '<style>rect { fill: url(#g) }</style>'
                   f'<image href="{data_url(png(2, 2))}" width="1" height="1"/>'
                   f'<rect style="fill: url({data_url(png(1, 1))})"/>')
    assert check_svg(safe) == (100, 50)
    public = (b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
              b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">' + drawing(""))
    assert check_svg(public) == (100, 50)  # a plain DOCTYPE, as old editors write, loads nothing


@pytest.mark.parametrize("body, message", [
    ("<script>alert(1)</script>", "has <script>, a script"),
    ('<rect onclick="alert(1)"/>', 'event handler onclick="..."'),
    ('<rect ONMOUSEOVER="alert(1)"/>', "event handler ONMOUSEOVER"),
    ("<foreignObject><p>x</p></foreignObject>", "has <foreignObject>"),
    ('<set attributeName="href" to="javascript:alert(1)"/>', "has <set>, animation"),
    ('<animate attributeName="fill" values="red;blue"/>', "has <animate>, animation"),
    ('<x:include xmlns:x="http://www.w3.org/2001/XInclude" href="/etc/passwd"/>', "an XInclude"),
    ('<image href="https://example.org/x.png"/>', "refers to 'https://example.org/x.png'"),
    ('<image xlink:href="file:///etc/passwd"/>', "refers to 'file:///etc/passwd'"),
    ('<image href="other.png"/>', "refers to 'other.png'"),
    ('<image href="data:image/svg+xml;base64,PHN2Zy8+"/>', "refers to 'data:image/svg+xml"),
    ('<use href="other.svg#a"/>', "refers to 'other.svg#a'"),
    ('<a href="https://example.org"><rect/></a>', "refers to 'https://example.org'"),
    ('<a href="javascript:alert(1)"><rect/></a>', "refers to 'javascript:alert(1)'"),
    ('<rect fill="url(https://example.org/p.svg#p)"/>', "refers to url(https://example.org"),
    ('<rect style="fill: url( \'//example.org/p#p\' )"/>', "refers to url(//example.org/p#p)"),
    ("<style>@import 'https://example.org/x.css';</style>", "uses @import"),
    ("<style>rect { fill: u\\72l(https://example.org/x) }</style>", "CSS escape"),
    ('<g xml:base="https://example.org/"><use href="#a"/></g>', "xml:base"),
    ('<?xml-stylesheet href="https://example.org/x.css"?><rect/>', "processing instruction"),
])
def test_refused_with_the_line_in_the_svg(body, message):
    with pytest.raises(SvgProblem, match="line 2 of the SVG") as caught:
        check_svg(drawing(body))
    assert message in str(caught.value)


@pytest.mark.parametrize("data, message", [
    (b"<svg", "is not well-formed XML"),
    (b"<svg/>", "its root element is <svg> in no SVG namespace"),
    (b'<html xmlns="http://www.w3.org/1999/xhtml"/>', "its root element is <html>"),
    (b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     b'<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>', "declares entities"),
    (b'<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
     b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>', "declares entities"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><text>&undefined;</text></svg>', "not well-formed"),
])
def test_refused_documents(data, message):
    with pytest.raises(SvgProblem, match=message):
        check_svg(data)


def test_use_that_loops_is_refused():
    with pytest.raises(SvgProblem, match="references loop"):
        check_svg(drawing('<g id="a"><g><use href="#b"/></g></g><g id="b"><use href="#a"/></g>'))
    with pytest.raises(SvgProblem, match="references loop"):
        check_svg(drawing('<use id="self" href="#self"/>'))


def test_use_that_multiplies_is_refused():
    levels = ['<rect id="l0"/>'] + [
        f'<g id="l{n}">' + f'<use href="#l{n - 1}"/>' * 10 + "</g>" for n in range(1, 7)]
    with pytest.raises(SvgProblem, match="draws more than 200,000 elements"):
        check_svg(drawing("".join(levels)))
    assert check_svg(drawing("".join(levels[:5]))) == (100, 50)  # ten thousand is fine


def test_deep_nesting_through_use_is_refused():
    chain = '<rect id="u0"/>' + "".join(f'<g id="u{n}"><use href="#u{n - 1}"/></g>' for n in range(1, 60))
    with pytest.raises(SvgProblem, match="deeper than 100 levels"):
        check_svg(drawing(chain))
    deep = "<g>" * 120 + "</g>" * 120
    with pytest.raises(SvgProblem, match="deeper than 100 levels"):
        check_svg(drawing(deep))


def test_limits_on_size_and_elements(monkeypatch):
    monkeypatch.setattr(svg, "MAX_BYTES", 2**20)
    with pytest.raises(SvgProblem, match="larger than 1 MB"):
        check_svg(drawing("<rect/>" * 200_000))
    monkeypatch.setattr(svg, "MAX_ELEMENTS", 10)
    with pytest.raises(SvgProblem, match="more than 10 elements"):
        check_svg(drawing("<rect/>" * 10))


def test_an_embedded_image_is_checked_by_its_bytes():
    """What a data: URL says is not what a renderer believes: WeasyPrint
    and CairoSVG sniff the bytes, and drew a <use> bomb sent as a PNG."""
    bomb = drawing("".join(['<rect id="l0"/>'] + [f'<g id="l{n}">' + f'<use href="#l{n - 1}"/>' * 10
                                                  + "</g>" for n in range(1, 9)]))
    with pytest.raises(SvgProblem, match=r"embeds an image that is not the PNG its data: URL says "
                                         r"\(line 2 of the SVG\)"):
        check_svg(drawing(f'<image href="{data_url(bomb)}" width="10" height="10"/>'))
    with pytest.raises(SvgProblem, match="embeds an image that is not the JPEG"):
        check_svg(drawing(f'<image href="{data_url(png(2, 2), "image/jpeg")}"/>'))


def test_a_huge_png_inside_a_small_svg_is_refused():
    """13,000 x 13,000 pixels (169 megapixels) in an SVG of a few KB."""
    huge = drawing(f'<image href="{data_url(png(13_000, 13_000))}" width="10" height="10"/>')
    assert len(huge) < 40_000
    with pytest.raises(SvgProblem, match="embeds an image that is 13000x13000 pixels, past the "
                                         "40-megapixel limit"):
        check_svg(huge)


def test_embedded_images_count_together_and_each_use_of_one():
    seven = png(7_000, 1_000)  # 7 megapixels, fine alone
    fine = drawing(f'<image id="p" href="{data_url(seven)}"/>' + '<use href="#p"/>' * 4)
    assert check_svg(fine) == (100, 50)
    with pytest.raises(SvgProblem, match="draws embedded images of more than 40 megapixels in all"):
        check_svg(drawing(f'<image id="p" href="{data_url(seven)}"/>' + '<use href="#p"/>' * 5))
    with pytest.raises(SvgProblem, match="more than 40 megapixels in all"):
        check_svg(drawing(f'<image href="{data_url(seven)}"/>' * 6))


@pytest.mark.parametrize("href, message", [
    (data_url(png(10, 10, idat=b"x\x9c" + b"not zlib" * 4)), "is damaged: the PNG does not decode"),
    (data_url(png(10, 10)[:45]), "is damaged: the PNG does not decode"),  # cut inside its IDAT
    (data_url(png(0, 10)), "has no pixels: its PNG header says 0x10"),
    ("data:image/png;base64,iVBOR!!", "whose base64 data is damaged"),
])
def test_a_damaged_embedded_image_is_refused(href, message):
    with pytest.raises(SvgProblem, match=message):
        check_svg(drawing(f'<image href="{href}"/>'))
    with pytest.raises(SvgProblem, match=message):  # in CSS too
        check_svg(drawing(f"<style>rect {{ fill: url('{href}') }}</style>"))


@pytest.mark.parametrize("attributes", ['width="1e999" height="10"', 'width="10" height="1e400px"',
                                        'viewBox="0 0 1e999 10"', 'width="2000000" height="1"',
                                        'height="10" viewBox="0 0 1e6 1e-300"'])
def test_a_size_past_any_page_is_refused(attributes):
    """`width="1e999"` is infinity to Python: it was an OverflowError."""
    with pytest.raises(SvgProblem, match="past the 1,000,000-pixel limit"):
        check_svg(drawing("", attributes))


def test_an_attribute_an_editor_left_without_a_value_is_drawn_as_a_browser_draws_it(tmp_path):
    """Software Carpentry's shell lesson draws its diagrams with Method Draw,
    which writes `stroke-opacity="null"`: the DOCX was refused (CairoSVG
    stopped at it) and the PDF left the figure out, with a warning naming a
    base64 address. A browser ignores such an attribute; every format now
    draws the figure, and the source file is kept as written."""
    import zipfile

    from conftest import FRONT, run_cli
    from pipeline.render.svg import drawable

    svg = (b'<svg width="200" height="100" xmlns="http://www.w3.org/2000/svg">\n <rect x="10" y="10" '
           b'width="100" height="50" fill="#9b59b6" stroke="#000" stroke-opacity="null" opacity="NaN"/>\n</svg>')
    assert drawable(svg) == svg.replace(b' stroke-opacity="null"', b"").replace(b' opacity="NaN"', b"")
    (tmp_path / "pic.svg").write_bytes(svg)
    source = tmp_path / "brief.md"
    source.write_text(FRONT + "\n![Redirects and pipes](pic.svg)\n", encoding="utf-8")
    result = run_cli("build", source, "--out", tmp_path / "out")
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    with zipfile.ZipFile(tmp_path / "out" / "brief.docx") as package:
        assert any(name.endswith(".png") for name in package.namelist())
    assert (tmp_path / "pic.svg").read_bytes() == svg
