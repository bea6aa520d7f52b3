"""Check an SVG figure before any backend sees it, and read its size.

An SVG is a program of sorts: it can carry scripts, event handlers, HTML in
a foreignObject, entities that read files or explode, and references that
fetch from anywhere. A figure needs none of that, so the file is parsed once
with a hardened parser (no DTD declarations, no entities, no network, the
parser's own depth and size limits) and refused with the reason and the
SVG's line when it holds any of it. Nothing is stripped: what the author
sees in their editor is what every output shows, or the build stops.
References may point only inside the file (`#id`) or at an embedded PNG or
JPEG (`data:`); `<use>` chains that would multiply into millions of shapes
are refused too. An embedded image is checked by its bytes as any figure
is (pipeline.read.raster): really the PNG or JPEG its URL says (not an SVG
in disguise, which a renderer would draw as one), within the pixel limit,
decoding whole; and all the images the SVG draws, each <use> of one
counted, stay within that limit together.
"""

from __future__ import annotations

import base64
import binascii
import math
import re

from lxml import etree

from pipeline.read.raster import MAX_PIXELS, RasterProblem, check_raster

MAX_BYTES = 5 * 1024 * 1024
MAX_ELEMENTS = 50_000  # in the file
MAX_DRAWN = 200_000  # once every <use> is expanded
MAX_DEPTH = 100  # of elements, counting what each <use> draws
SVG_NS = "http://www.w3.org/2000/svg"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
XINCLUDE_NS = "http://www.w3.org/2001/XInclude"

# Elements that run code, embed other documents or animate attributes
# (an <animate> or <set> can turn an href into a script URL).
REFUSED = {
    "script": "a script", "handler": "a script", "listener": "an event listener",
    "foreignObject": "content foreign to SVG (HTML)", "iframe": "an embedded document",
    "embed": "an embedded document", "object": "an embedded document",
    "audio": "media", "video": "media", "animation": "an embedded animation",
    "set": "animation", "animate": "animation", "animateMotion": "animation",
    "animateTransform": "animation", "animateColor": "animation", "discard": "animation",
}
# A reference that stays in the file, or an image carried inside it.
LOCAL = re.compile(r"#|data:image/(png|jpeg);base64,", re.IGNORECASE)
DATA = re.compile(r"data:(image/(?:png|jpeg));base64,(.*)", re.IGNORECASE | re.DOTALL)
MAX_LENGTH = 1_000_000  # CSS pixels (10 metres): past any drawing, short of an overflow
CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
CSS_FETCH = re.compile(r"@import|\bsrc\(|image-set\(|\bimage\(", re.IGNORECASE)
UNITS = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54,
         "in": 96.0, "em": 16.0, "ex": 8.0}
LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([a-z]*)\s*$")


class SvgProblem(ValueError):
    """What is wrong with an SVG, said to the author (with the SVG's line)."""


def check_svg(data: bytes) -> tuple[int, int]:
    """The SVG's size in CSS pixels, once it is known to be safe."""
    if len(data) > MAX_BYTES:
        raise SvgProblem(f"is larger than {MAX_BYTES // 2**20} MB, the limit for an SVG")
    root = parse(data)
    if root.tag != f"{{{SVG_NS}}}svg":
        raise SvgProblem(f"is not an SVG: its root element is <{etree.QName(root).localname}> "
                         f'in no SVG namespace (xmlns="{SVG_NS}")')
    images = check_nodes(root)
    check_expansion(root, images)
    return size(root)


def parse(data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise SvgProblem(f"is not well-formed XML: {error.msg} (line {error.lineno} of the SVG)") from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and (list(dtd.iterentities()) or list(dtd.iterelements())):
        raise SvgProblem("declares entities or elements in its DOCTYPE, which can read files "
                         "or multiply without end: remove the DOCTYPE")
    return root


def check_nodes(root: etree._Element) -> dict[etree._Element, int]:
    """Refuse what a figure may not hold; return the pixels of the image
    each element carries (an <image>'s href, a data: URL in its CSS)."""
    images: dict[etree._Element, int] = {}
    count = 0
    for node in root.iter():
        count += 1
        if count > MAX_ELEMENTS:
            raise SvgProblem(f"has more than {MAX_ELEMENTS:,} elements")
        if isinstance(node, etree._Entity):
            raise at(node, f"uses the entity &{node.name};, and entities are not allowed")
        if isinstance(node, etree._ProcessingInstruction):
            raise at(node, f"has a processing instruction <?{node.target} ...?>, which may "
                     "load a stylesheet")
        name = etree.QName(node)
        if name.localname in REFUSED or name.namespace == XINCLUDE_NS:
            what = REFUSED.get(name.localname, "an XInclude")
            raise at(node, f"has <{name.localname}>, {what}, which a figure may not hold")
        for attribute, value in node.attrib.items():
            check_attribute(node, etree.QName(attribute).localname, attribute, value)
            images[node] = images.get(node, 0) + embedded_pixels(node, value)
        if name.localname == "style":
            check_css(node, node.text or "")
            images[node] = images.get(node, 0) + embedded_pixels(node, node.text or "")
    return {node: pixels for node, pixels in images.items() if pixels}


def embedded_pixels(node: etree._Element, value: str) -> int:
    """The pixels of the images a value carries as data: URLs (an href, a
    url() in CSS), each checked by its bytes as a figure is."""
    urls = [value.strip()] if DATA.match(value.strip()) else []
    urls += [found[2].strip() for found in CSS_URL.finditer(value) if DATA.match(found[2].strip())]
    pixels = 0
    for url in urls:
        found = DATA.match(url)
        assert found is not None
        mime = found[1].lower()
        try:
            data = base64.b64decode(re.sub(r"[\t\n\f\r ]+", "", found[2]), validate=True)
        except (binascii.Error, ValueError):
            raise at(node, "embeds an image whose base64 data is damaged") from None
        try:
            width, height = check_raster(data, mime, said_by="its data: URL")
        except RasterProblem as problem:
            raise at(node, f"embeds an image that {problem}") from None
        pixels += width * height
    return pixels


def check_attribute(node: etree._Element, local: str, attribute: str, value: str) -> None:
    if local.lower().startswith("on"):
        raise at(node, f"has the event handler {local}=\"...\", which runs a script")
    if attribute == XML_BASE:
        raise at(node, "has xml:base, which points references elsewhere")
    if local in ("href", "src") and not LOCAL.match(value.strip()):
        raise at(node, f"refers to {shorten(value)!r}: a figure may refer only to its own "
                 "parts (#id) or to a PNG or JPEG inside it (data:)")
    check_css(node, value)


def check_css(node: etree._Element, css: str) -> None:
    """Style sheets, style attributes and presentation attributes alike may
    name a URL; escapes could hide one from these checks, so none are allowed."""
    if "\\" in css:
        raise at(node, "uses a CSS escape (\\), which could hide a URL")
    if found := CSS_FETCH.search(css):
        raise at(node, f"uses {found[0]} in its CSS, which loads from elsewhere")
    for match in CSS_URL.finditer(css):
        if not LOCAL.match(match[2].strip()):
            raise at(node, f"refers to url({shorten(match[2])}): a figure may refer only to "
                     "its own parts (#id) or to a PNG or JPEG inside it (data:)")


def check_expansion(root: etree._Element, images: dict[etree._Element, int]) -> None:
    """Refuse <use> references that loop, or that multiply into too many
    shapes (ten levels of ten <use> each draw ten billion), too deep a
    nesting for a renderer, or too many pixels of embedded images (a
    40-megapixel PNG drawn ten times). A walk without recursion, over the
    elements and what each <use> draws: how many each draws, how deep, and
    the pixels of the images among them."""
    ids = {node.get("id"): node for node in root.iter(etree.Element) if node.get("id")}

    def drawn_with(node: etree._Element) -> list[etree._Element]:
        children = list(node.iterchildren(etree.Element))
        target = ids.get(use_target(node)) if etree.QName(node).localname == "use" else None
        return children if target is None else [*children, target]

    drawn: dict[etree._Element, tuple[int, int, int]] = {}  # node -> (elements, depth, pixels)
    open_nodes: set[etree._Element] = set()
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        if finished:
            parts = [drawn[part] for part in drawn_with(node)]
            drawn[node] = (min(1 + sum(n for n, _, _ in parts), MAX_DRAWN + 1),
                           1 + max((d for _, d, _ in parts), default=0),
                           min(images.get(node, 0) + sum(p for _, _, p in parts), MAX_PIXELS + 1))
            open_nodes.discard(node)
        elif node in open_nodes:  # reached again from inside itself
            raise at(node, "is drawn by a <use> inside itself: the references loop")
        elif node not in drawn:
            open_nodes.add(node)
            stack.append((node, True))
            stack.extend((part, False) for part in drawn_with(node) if part not in drawn)
    elements, depth, pixels = drawn[root]
    if pixels > MAX_PIXELS:
        raise SvgProblem(f"draws embedded images of more than {MAX_PIXELS // 1_000_000} megapixels "
                         "in all, counting each <use> of one")
    if elements > MAX_DRAWN:
        raise SvgProblem(f"draws more than {MAX_DRAWN:,} elements once its <use> references "
                         "are expanded")
    if depth > MAX_DEPTH:
        raise SvgProblem(f"nests elements deeper than {MAX_DEPTH} levels (through <use> too)")


def use_target(node: etree._Element) -> str:
    href = node.get("href") or node.get("{http://www.w3.org/1999/xlink}href") or ""
    return href[1:] if href.startswith("#") else ""


def size(root: etree._Element) -> tuple[int, int]:
    """Width and height in CSS pixels: the root's width and height, else its
    viewBox, else the 300 x 150 a browser gives an SVG of no size."""
    view_width, view_height = view_box_size(root.get("viewBox") or "")
    width, height = length(root.get("width")), length(root.get("height"))
    match width, height:
        case None, None:
            width, height = view_width, view_height
        case None, float():
            width = height * view_width / view_height
        case float(), None:
            height = width * view_height / view_width
    assert width is not None and height is not None
    if not (math.isfinite(width) and math.isfinite(height)) or max(width, height) > MAX_LENGTH:
        raise SvgProblem(f"is drawn at a size past the {MAX_LENGTH:,}-pixel limit (its width, "
                         "height and viewBox)")
    return max(1, round(width)), max(1, round(height))


def view_box_size(view_box: str) -> tuple[float, float]:
    try:
        numbers = [float(n) for n in re.split(r"[\s,]+", view_box.strip())]
    except ValueError:
        numbers = []
    if len(numbers) == 4 and numbers[2] > 0 and numbers[3] > 0:
        if not all(math.isfinite(n) and abs(n) <= MAX_LENGTH for n in numbers):
            raise SvgProblem(f"has the viewBox {shorten(view_box)!r}, past the "
                             f"{MAX_LENGTH:,}-pixel limit for a size")
        return numbers[2], numbers[3]
    return 300.0, 150.0


def length(value: str | None) -> float | None:
    """A length in CSS pixels; None for a percentage or nothing."""
    match = LENGTH.match(value or "")
    if not match or match[2] not in UNITS or float(match[1]) <= 0:
        return None
    pixels = float(match[1]) * UNITS[match[2]]
    if not math.isfinite(pixels) or pixels > MAX_LENGTH:
        raise SvgProblem(f"is {shorten(value or '')} wide or high, past the {MAX_LENGTH:,}-pixel "
                         "limit for a size")
    return pixels


def at(node: etree._Element, message: str) -> SvgProblem:
    return SvgProblem(f"{message} (line {node.sourceline} of the SVG)")


def shorten(value: str) -> str:
    return value if len(value) <= 60 else value[:57] + "..."
