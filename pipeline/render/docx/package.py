"""The Word package: the reference document read, its styles and numbering
looked up, its parts replaced (footnotes, custom properties), its document
properties set, and the whole written out as a reproducible zip. Nothing
here knows the model's blocks.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import pathlib
import struct
import zipfile
from collections.abc import Sequence
# html's escape does quotes too, for attributes; xml.sax.saxutils's does not,
# and it imports urllib.request, http.client and ssl: 20 ms of a DOCX build.
from html import escape

import docx
from lxml import etree
from docx.document import Document as Docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from pipeline import model
from pipeline.problems import BriefingError
from pipeline.render.docx.elements import OxmlElement
from pipeline.render.templates import BUILTIN

BUILTIN_REFERENCE = BUILTIN / "docx" / "reference.docx"
EMU_PER_TWIP = 635
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FONT_FAMILY = etree.XPath("w:rPr/w:rFonts/@w:ascii", namespaces={"w": W_NS})
FONT_SIZE = etree.XPath("w:rPr/w:sz/@w:val", namespaces={"w": W_NS})
BOLD = etree.XPath("w:rPr/w:b", namespaces={"w": W_NS})
BOLD_VALUE = etree.XPath("w:rPr/w:b/@w:val", namespaces={"w": W_NS})


# Word 2010's copy of styles.xml with its text effects. We add and change
# styles; a copy that no longer matches them is a fault Word may "repair".
# Word 2013 and later write none and rebuild it from styles.xml.
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def open_reference(reference: pathlib.Path, cleaned: bytes) -> Docx:
    """The reference document as python-docx reads it, from the package
    that pipeline/render/docx/reference.py rebuilt of its needed parts."""
    try:
        package = docx.Document(io.BytesIO(cleaned))
    except (OSError, PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError,
            etree.XMLSyntaxError) as error:
        raise BriefingError.one(str(reference), None, "docx.reference",
                                f"cannot read reference.docx: {error}") from None
    for rid, rel in list(package.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            del package.part.rels[rid]
    return package


@functools.cache
def builtin_reference() -> Docx:
    """Our own reference document, read once, where missing styles come from."""
    return docx.Document(str(BUILTIN_REFERENCE))


def borrow_style(package: Docx, name: str, path: str) -> dict[str, str]:
    """Copy the style `name` from our reference document into `package`, with
    the styles it is based on that `package` lacks; return name -> id of
    those copied."""
    ours = {style.name: style for style in builtin_reference().styles}
    if name not in ours or BUILTIN_REFERENCE.samefile(path):
        raise BriefingError.one(path, None, "docx.reference", f"reference.docx has no style {name!r}")
    have = {style.style_id for style in package.styles}
    added: dict[str, str] = {}
    style = ours[name]
    while style is not None and style.style_id not in have:
        element = copy.deepcopy(style.element)
        for link in element.findall(qn("w:link")):  # its linked character style may not exist
            element.remove(link)
        # Set for our page; on this one, a right tab at our margin stands at its margin.
        fit_right_tabs(element, text_width(builtin_reference()), text_width(package))
        package.styles.element.append(element)
        have.add(style.style_id)
        added[style.name] = style.style_id
        style = style.base_style
    return added


def fit_right_tabs(style, old: int, new: int) -> None:
    """Move the right tab stops a paragraph style sets at the right margin
    of a text `old` EMU wide (the contents' page numbers, at the end of
    their dot leaders) to that of a text `new` EMU wide: a page of another
    size (US Letter, on our A4 reference) keeps them at its margin."""
    if old == new or old <= 0 or new <= 0:
        return
    margin, moved = old // EMU_PER_TWIP, new // EMU_PER_TWIP
    for tab in style.iterfind(f"{qn('w:pPr')}/{qn('w:tabs')}/{qn('w:tab')}"):
        if tab.get(qn("w:val")) in ("right", "end") and abs(int(tab.get(qn("w:pos"), 0)) - margin) <= 57:
            tab.set(qn("w:pos"), str(moved))  # within a millimetre: it was set at the margin


def style_num(package: Docx, path: str, name: str) -> int:
    """The numId a list style is bound to: lists need real Word numbering."""
    ids = [] if name not in package.styles else \
        package.styles[name].element.xpath("w:pPr/w:numPr/w:numId/@w:val")
    if not ids:
        raise BriefingError.one(path, None, "docx.reference",
                                f"reference.docx: style {name!r} has no list numbering")
    return int(ids[0])


def abstract_of(package: Docx, num_id: int) -> int:
    num = package.part.numbering_part.element.num_having_numId(num_id)
    return num.abstractNumId.val


def text_width(package: Docx) -> int:
    """The width between the margins, in EMU. A margin the reference leaves
    out counts as none; page_setup has made sure of a page width."""
    section = package.sections[0]
    return (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)


def text_height(package: Docx) -> int:
    """The height between the top and bottom margins, in EMU."""
    section = package.sections[0]
    return (section.page_height or 0) - (section.top_margin or 0) - (section.bottom_margin or 0)


def based_on_chain(styles: dict, style_id: str, kind: str) -> list:
    """The w:pPr (or w:rPr) of the style `style_id` and of those it is based
    on, nearest first; `styles`: the w:style elements by id."""
    found, seen = [], set()
    style = styles.get(style_id)
    while style is not None and style.get(qn("w:styleId")) not in seen:
        seen.add(style.get(qn("w:styleId")))
        properties = style.find(qn(f"w:{kind}"))
        if properties is not None:
            found.append(properties)
        based = style.find(qn("w:basedOn"))
        style = styles.get(based.get(qn("w:val"))) if based is not None else None
    return found


def style_font(package: Docx, name: str) -> tuple[str, float, bool]:
    """The font family, size (points) and boldness a paragraph style gives
    its text, through the styles it is based on and the document defaults."""
    family, half_points, bold = None, None, None
    style = package.styles[name] if name in package.styles else None
    chain = []
    while style is not None:
        chain.append(style.element)
        style = style.base_style
    defaults = package.styles.element.findall(f"{{{W_NS}}}docDefaults/{{{W_NS}}}rPrDefault")
    for element in [*chain, *defaults]:
        family = family or next(iter(FONT_FAMILY(element)), None)
        half_points = half_points or next(iter(FONT_SIZE(element)), None)
        if bold is None and BOLD(element):
            bold = BOLD_VALUE(element) not in (["0"], ["false"])
    return family or "Times New Roman", int(half_points or 20) / 2, bool(bold)


def clear_body(body) -> None:
    """Drop the reference's sample content but keep its page setup (sectPr)."""
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def append_body(body, content: list) -> None:
    # The final sectPr must stay the body's last child.
    sect_pr = body.find(qn("w:sectPr"))
    for element in content:
        if sect_pr is None:
            body.append(element)
        else:
            sect_pr.addprevious(element)


FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
    '<w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"/>'
    '</w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>')


def footnotes_part(package: Docx) -> XmlPart:
    """An empty word/footnotes.xml (only Word's separators), in place of any
    the reference had."""
    document_part = package.part
    for rid, rel in list(document_part.rels.items()):
        if rel.reltype == RT.FOOTNOTES:
            del document_part.rels[rid]
    element = parse_xml(f'<w:footnotes {nsdecls("w", "r")}>{SEPARATORS}</w:footnotes>')
    part = XmlPart(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, element, document_part.package)
    document_part.relate_to(part, RT.FOOTNOTES)
    return part


def set_language(package: Docx, lang: str) -> None:
    """Spelling and hyphenation language for the whole document."""
    for rpr in package.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr"):
        lang_element = rpr.find(qn("w:lang"))
        if lang_element is None:
            lang_element = OxmlElement("w:lang")
            rpr.append(lang_element)
        lang_element.set(qn("w:val"), lang)


def core_properties(package: Docx, meta: model.Meta, when: dt.datetime) -> None:
    props = package.core_properties
    props.title = clip(meta.marked_title)
    props.author = clip("; ".join(meta.authors))
    props.subject = clip(meta.subtitle or meta.marked_title)  # as the PDF's Subject
    props.keywords = clip(", ".join((meta.classification, *meta.keywords)))
    props.category = clip(meta.classification)
    props.language = meta.lang
    props.version = clip(meta.version or "")
    props.content_status = clip(meta.status or "")
    props.comments = props.last_modified_by = ""
    props.revision = 1
    props.created = props.modified = when


def clip(text: str) -> str:
    # python-docx refuses core properties longer than 255 characters.
    return text[:255]


CUSTOM_PROPERTIES = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
# The format id Office gives every user-defined property.
USER_DEFINED = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def custom_properties(package: Docx, properties: Sequence[tuple[str, str]]) -> None:
    """docProps/custom.xml: File > Properties > Custom in Word, and where
    data-loss-prevention tools read a document's markings."""
    xml = "".join(
        f'<property fmtid="{USER_DEFINED}" pid="{pid}" name="{escape(name)}">'
        f'<vt:lpwstr>{escape(value)}</vt:lpwstr></property>'
        for pid, (name, value) in enumerate(properties, start=2))  # Office starts at 2
    blob = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f'{xml}</Properties>').encode("utf-8")
    opc = package.part.package
    for rel in list(opc.rels.values()):  # a reference document's own custom properties
        if rel.reltype == RT.CUSTOM_PROPERTIES:
            opc.rels.pop(rel.rId)
    part = Part(PackURI("/docProps/custom.xml"), CUSTOM_PROPERTIES, blob, opc)
    opc.relate_to(part, RT.CUSTOM_PROPERTIES)


def save(package: Docx) -> bytes:
    buffer = io.BytesIO()
    package.save(buffer)
    return buffer.getvalue()


# A zip entry's time and date as DOS writes them (ZIP's APPNOTE 4.4.6):
# 1980-01-01 00:00, the first it can hold; where each header keeps them.
FIXED_TIME_DATE = struct.pack("<HH", 0, (0 << 9) | (1 << 5) | 1)
LOCAL_HEADER, LOCAL_TIME = b"PK\x03\x04", 10
CENTRAL_HEADER, CENTRAL_TIME = b"PK\x01\x02", 12


def stable_zip(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01: zipfile stamps the
    time of the build, and two builds of one source would differ. The dates
    are written over in the headers; the compressed data stays as it is
    (compressing it again took as long as making it)."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
        central = archive.start_dir  # where the central directory begins
    for info in entries:
        stamp(out, info.header_offset, LOCAL_HEADER, LOCAL_TIME)
        stamp(out, central, CENTRAL_HEADER, CENTRAL_TIME)
        name, extra, comment = struct.unpack_from("<HHH", out, central + 28)
        central += 46 + name + extra + comment
    return bytes(out)


def stamp(out: bytearray, offset: int, signature: bytes, at: int) -> None:
    if out[offset:offset + 4] != signature:
        raise ValueError(f"not a zip header at {offset}")
    out[offset + at:offset + at + 4] = FIXED_TIME_DATE
