"""SVG checks: a figure's SVG is drawn, never run, fetched or expanded without end."""

import pytest

from pipeline.read import svg
from pipeline.read.svg import SvgProblem, check_svg

from conftest import FIXTURES

NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


def drawing(body: str, attributes: str = 'width="100" height="50"') -> bytes:
    return f"<svg {NS} {attributes}>\n{body}\n</svg>".encode()


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
                   '<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>')
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
