"""The DOCX backend: a model.Document as Word paragraphs on a reference.docx.

Every look comes from the reference document's named styles (pandoc's names
where pandoc has one; see tools/make_reference_docx.py); this module only
picks style names, so a user's own reference.docx restyles the output.
Lists use real Word numbering: each ordered list gets its own `w:num` that
restarts at ListBlock.start, bullets share the `List Bullet` style's list.

The model is walked with `match`, one function per level, as in every
backend. The python-docx package is the one mutable thing passed down: it
collects hyperlink relationships and list instances as blocks are built.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import io
import itertools
import pathlib
from pathlib import Path
import re
import zipfile
# html's escape does quotes too, for attributes; xml.sax.saxutils's does not,
# and it imports urllib.request, http.client and ssl: 20 ms of a DOCX build.
from html import escape
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import assert_never

import docx
from docx.document import Document as Docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Inches
from docx.text.paragraph import Paragraph as DocxParagraph

from pipeline import model
from pipeline.run.clock import build_time
from pipeline.problems import BriefingError, Reporter
from pipeline.render.context import RenderContext
from pipeline.render.templates import BUILTIN
from pipeline.markings.blocks import MarkingBlock, marking_properties
from pipeline.markings.rules import level_class
from pipeline.model import (Abbr, Admonition, Block, Code, CodeBlock, DefinitionList, Emph, Figure,
                    Footnote, FootnoteRef, Inline,
                    LineBreak, Link, ListBlock, Paragraph, Quote, Ref, Rule, Section, Strong,
                    Table, Text)

ADMONITION_STYLES = ("Note", "Warning", "Important", "Tip")
PAGE_SIZES = {"a4": (Cm(21), Cm(29.7)), "letter": (Inches(8.5), Inches(11))}

# Run marks, innermost formatting first: a run gets the first one present as
# its character style, the rest as plain bold/italic, since a Word run can
# carry only one character style (pandoc, too, writes nested emphasis as w:i).
CHAR_STYLES = (("code", "Verbatim Char"), ("link", "Hyperlink"),
               ("strong", "Strong"), ("emph", "Emphasis"))


@dataclass(frozen=True, slots=True)
class Context:
    package: Docx  # mutable: gains hyperlink relationships and list instances
    path: str  # the reference document, for messages
    style_ids: dict[str, str]  # style name -> styleId
    bullet_num: int  # the w:num of `List Bullet`, shared by every bullet list
    number_abstract: int  # the w:abstractNum behind `List Number`
    bookmark_ids: Iterator[int]
    shape_ids: Iterator[int]  # wp:docPr ids, unique in the document
    labels: Mapping[str, str]  # the words of templates/text/labels.yaml
    # Styles the reference document lacked, taken from ours (in order of need).
    borrowed: list[str] = field(default_factory=list)
    part: XmlPart | None = None  # where hyperlinks are related: the body, or the notes
    numbered: bool = False  # sections numbered through the Heading styles

    def style(self, name: str) -> str:
        """A style's id. A style a user's reference document lacks is copied
        from ours, so the file still looks right, and named in a warning."""
        if name not in self.style_ids:
            added = borrow_style(self.package, name, self.path)
            self.style_ids.update(added)
            self.borrowed.extend(added)  # with the styles it is based on: they shape it
        return self.style_ids[name]


@dataclass(frozen=True, slots=True)
class Where:
    """Where a block sits: the style its paragraphs take and its list depth."""
    style: str = "Body Text"
    depth: int = 0


def render_docx(doc: model.Document, reference: pathlib.Path, labels: Mapping[str, str],
                marking_blocks: Sequence[MarkingBlock] = ()) -> bytes:
    """The DOCX file for `doc`, styled by the `reference` document; `labels`
    are the words of templates/text/labels.yaml, `marking_blocks` the
    worded blocks of the first page (marking_blocks.first_page_blocks)."""
    return make_docx(doc, reference, labels, marking_blocks)[0]


def make_docx(doc: model.Document, reference: pathlib.Path, labels: Mapping[str, str],
              marking_blocks: Sequence[MarkingBlock] = ()) -> tuple[bytes, list[str]]:
    """The DOCX file, and the names of the styles the reference lacked."""
    package = open_reference(reference)
    ctx = context(package, str(reference), labels)
    body = package.element.body
    clear_body(body)
    page_setup(package, doc.meta, ctx)  # first: figures scale to its text width
    if doc.meta.draft:
        add_watermark(package, ctx.labels["draft"])
    content = [*front_xml(doc.meta, ctx), *marking_blocks_xml(marking_blocks, ctx)]
    if doc.meta.title_page and (doc.blocks or doc.sections):
        content.append(page_break(ctx))
    if doc.meta.toc and doc.sections:
        content.extend(toc_xml(doc.sections, ctx))
    content.extend(blocks_xml(doc.blocks, ctx, Where()))
    if doc.meta.numbering:
        number_headings(ctx)
        ctx = replace(ctx, numbered=True)
    for section in doc.sections:
        content.extend(section_xml(section, ctx))
    append_body(body, content)
    if doc.abbreviations:
        append_body(body, abbreviations_xml(doc.abbreviations, ctx))
    if doc.footnotes:
        add_footnotes(doc.footnotes, ctx)
    set_language(package, doc.meta.lang)
    core_properties(package, doc.meta, build_time(doc.path))
    custom_properties(package, [*marking_properties(doc.meta, marking_blocks),
                                ("ShortTitle", short_title(doc.meta)),
                                ("Organization", doc.meta.organization or ""),
                                *([("DocumentDate", doc.meta.date)] if doc.meta.date else [])])
    return stable_zip(save(package)), ctx.borrowed


# Setup --------------------------------------------------------------------

def open_reference(reference: pathlib.Path) -> Docx:
    try:
        return docx.Document(str(reference))
    except (OSError, PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise BriefingError.one(str(reference), None, "docx.reference", f"cannot read reference.docx: {error}") from None


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
        package.styles.element.append(element)
        have.add(style.style_id)
        added[style.name] = style.style_id
        style = style.base_style
    return added


BUILTIN_REFERENCE = BUILTIN / "docx" / "reference.docx"


@functools.cache
def builtin_reference() -> Docx:
    """Our own reference document, read once, where missing styles come from."""
    return docx.Document(str(BUILTIN_REFERENCE))


def context(package: Docx, path: str, labels: Mapping[str, str]) -> Context:
    style_ids = {style.name: style.style_id for style in package.styles}
    return Context(package=package, path=path, style_ids=style_ids, labels=labels,
                   bullet_num=style_num(package, path, "List Bullet"),
                   number_abstract=abstract_of(package, style_num(package, path, "List Number")),
                   bookmark_ids=itertools.count(1), shape_ids=itertools.count(1))


def style_num(package: Docx, path: str, name: str) -> int:
    """The numId a list style is bound to: lists need real Word numbering."""
    ids = [] if name not in package.styles else \
        package.styles[name].element.xpath("w:pPr/w:numPr/w:numId/@w:val")
    if not ids:
        raise BriefingError.one(path, None, "docx.reference", f"reference.docx: style {name!r} has no list numbering")
    return int(ids[0])


def abstract_of(package: Docx, num_id: int) -> int:
    num = package.part.numbering_part.element.num_having_numId(num_id)
    return num.abstractNumId.val


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


# Front matter and properties ----------------------------------------------

def front_xml(meta: model.Meta, ctx: Context) -> list:
    """The title page's head (front matter `title_page`, the default) or a
    title block, as the PDF's: its print/title-page.html.j2 and the HTML's
    title block. Pandoc reads the leading paragraphs in its Title, Subtitle,
    Author and Date styles as the document's metadata, and stops at the
    first other paragraph with text in it; a paragraph holding only a simple
    field is blank to it. So the organization above the title is a field,
    and the rows pandoc reads come first, their labels fields too."""
    head = [paragraph(ctx, style, (Text(text=text),))
            for style, text in (("Title", meta.title), ("Subtitle", meta.subtitle)) if text]
    rows = [detail_row(ctx, "Date", ctx.labels["date"], meta_field=True, value=meta.date),
            detail_row(ctx, "Author", authors_label(meta, ctx), meta_field=True,
                       value=", ".join(meta.authors))]
    if meta.title_page:
        # Its style sets the head down the page, so it stands without an
        # organization too, ready for one (File > Properties > Custom).
        organization = styled_paragraph(ctx.style("Organization"))
        organization.append(simple_field(ctx, " DOCPROPERTY Organization \\* MERGEFORMAT ",
                                         meta.organization or ""))
        head.insert(0, organization)
    else:  # the HTML's title block names the organization among the details
        rows.append(detail_row(ctx, "Title Details", ctx.labels["organization"],
                               value=meta.organization))
    rows.extend([detail_row(ctx, "Title Details", ctx.labels["version"] if meta.version
                            else ctx.labels["status"], value=meta.version or meta.status,
                            note=meta.status if meta.version else None),
                 detail_row(ctx, "Title Details", ctx.labels["poc"], value=meta.poc)])
    return [*head, *(row for row in rows if row is not None)]


def authors_label(meta: model.Meta, ctx: Context) -> str:
    return ctx.labels["authors" if len(meta.authors) > 1 else "author"]


def detail_row(ctx: Context, style: str, label: str, value: str | None,
               meta_field: bool = False, note: str | None = None):
    """"Label<tab>value" in the label column of `style`, the label in its
    muted character style; None without a value. In a row pandoc reads as
    metadata the label is a QUOTE field, which pandoc leaves out of it."""
    if not value:
        return None
    p = styled_paragraph(ctx.style(style))
    label_run = run(ctx, label, frozenset())
    label_run.style = ctx.style("Detail Label")
    if meta_field:
        quoted = label.replace("\\", "\\\\").replace('"', '\\"')
        field = OxmlElement("w:fldSimple", {qn("w:instr"): f' QUOTE "{quoted}" '})
        field.append(label_run)
        p.append(field)
    else:
        p.append(label_run)
    p.extend([tab_run(), run(ctx, value, frozenset())])
    if note:  # the status after the version, muted as the labels
        p.append(run(ctx, " ", frozenset()))
        muted = run(ctx, f"({note})", frozenset())
        muted.style = ctx.style("Detail Label")
        p.append(muted)
    return p


def marking_blocks_xml(blocks: Sequence[MarkingBlock], ctx: Context) -> list:
    """The CUI indicator and authority blocks as boxed lines (Word draws one
    box round consecutive paragraphs with the same border), and the
    distribution statement as a paragraph of its own style."""
    styles = {"distribution": "Distribution Statement"}
    return [paragraph(ctx, styles.get(block.kind, "Marking Block"), (Text(text=line),))
            for block in blocks for line in block.lines]


def page_setup(package: Docx, meta: model.Meta, ctx: Context) -> None:
    section = package.sections[0]
    # A user's reference document brings its page size and margins; the
    # front matter's `paper`, when written, still wins.
    if meta.line_of("paper") is not None or BUILTIN_REFERENCE.samefile(ctx.path):
        section.page_width, section.page_height = PAGE_SIZES.get(meta.paper, PAGE_SIZES["a4"])
    # The classification banner on every page, top and bottom, as on paper,
    # coloured by level where the reference document has a style for it.
    coloured = f"Classification {level_class(meta.classification)}"
    banner_style = coloured if coloured in ctx.style_ids else "Classification"
    # Fields, so the banner and running head follow the document properties.
    # The first page (the title page, or the title block) has a header and
    # footer of its own: the banner, but no running head over the title.
    section.different_first_page_header_footer = True
    for part in (section.header, section.footer, section.first_page_header,
                 section.first_page_footer):
        part.is_linked_to_previous = True  # drops whatever the reference had
        part.is_linked_to_previous = False  # a fresh part with one paragraph
        banner = part.paragraphs[0]._p
        banner.style = ctx.style(banner_style)
        banner.append(simple_field(ctx, " DOCPROPERTY Classification \\* MERGEFORMAT ",
                                   meta.classification))
    running_head = styled_paragraph(ctx.style("Header"))
    running_head.append(simple_field(ctx, " DOCPROPERTY ShortTitle \\* MERGEFORMAT ",
                                     short_title(meta)))
    section.header._element.append(running_head)
    for footer in (section.footer, section.first_page_footer):
        footer._element.append(page_numbers(ctx))


def short_title(meta: model.Meta) -> str:
    return meta.short_title or meta.title


# Word's own "DRAFT" watermark (Design > Watermark): a WordArt text path in
# the header, centred on the page's margins, behind the text, rotated.
WATERMARK = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:w10="urn:schemas-microsoft-com:office:word"><w:rPr><w:noProof/></w:rPr><w:pict>
<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"
 path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/>
<v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/>
<v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/>
<v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/>
<v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>
<v:f eqn="sum @6 0 @5"/></v:formulas><v:path textpathok="t" o:connecttype="custom"
 o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>
<v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottom" xrange="6629,14971"/>
</v:handles><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>
<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136"
 style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:150pt;rotation:315;
 z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;
 mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f"
 fillcolor="#b3261e" stroked="f"><v:fill opacity=".15"/>
<v:textpath style="font-family:&quot;Noto Sans&quot;;font-size:1pt" string=""/>
<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>"""


def add_watermark(package: Docx, text: str) -> None:
    """`status: draft`: the watermark in every page header, as Word puts it."""
    headers = [header for section in package.sections
               for header in (section.header, section.first_page_header)]
    for number, header in enumerate(headers, start=1):
        shape = parse_xml(WATERMARK)
        drawn = shape.find(".//{urn:schemas-microsoft-com:vml}shape")
        # Each a shape of its own, numbered as Word numbers them.
        drawn.set("id", f"PowerPlusWaterMarkObject{number}")
        drawn.set("{urn:schemas-microsoft-com:office:office}spid", f"_x0000_s{2048 + number}")
        drawn.find("{urn:schemas-microsoft-com:vml}textpath").set("string", text)
        header.paragraphs[0]._p.append(shape)


def page_break(ctx: Context):
    """The title page ends here, as a writer ends one in Word (Ctrl+Enter)."""
    p = OxmlElement("w:p")
    p.style = ctx.style("Body Text")
    r = OxmlElement("w:r")
    r.append(OxmlElement("w:br", {qn("w:type"): "page"}))
    p.append(r)
    return p


def page_numbers(ctx: Context):
    """"Page X of Y" from Word fields, so Word keeps them right as text moves."""
    p = OxmlElement("w:p")
    p.style = ctx.style("Footer")
    p.extend([run(ctx, f"{ctx.labels['page']} ", frozenset()),
              simple_field(ctx, " PAGE \\* MERGEFORMAT ", "1"),
              run(ctx, f" {ctx.labels['of']} ", frozenset()),
              simple_field(ctx, " NUMPAGES \\* MERGEFORMAT ", "1")])
    return p


def simple_field(ctx: Context, instruction: str, shown: str):
    """A Word field with the result it shows until Word updates it."""
    field = OxmlElement("w:fldSimple", {qn("w:instr"): instruction})
    field.append(run(ctx, shown, frozenset()))
    return field


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
    props.title = clip(meta.title)
    props.author = clip("; ".join(meta.authors))
    props.subject = clip(meta.subtitle or meta.title)  # as the PDF's Subject
    props.keywords = clip(meta.classification)
    props.category = clip(meta.classification)
    props.language = meta.lang
    props.version = clip(meta.version or "")
    props.content_status = clip(meta.status or "")
    props.comments = props.last_modified_by = ""
    props.revision = 1
    props.created = props.modified = when


CUSTOM_PROPERTIES = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
# The format id Office gives every user-defined property.
USER_DEFINED = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def custom_properties(package: Docx, properties: list[tuple[str, str]]) -> None:
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


def clip(text: str) -> str:
    # python-docx refuses core properties longer than 255 characters.
    return text[:255]


def save(package: Docx) -> bytes:
    buffer = io.BytesIO()
    package.save(buffer)
    return buffer.getvalue()


def stable_zip(data: bytes) -> bytes:
    """The same zip with fixed entry times: zipfile stamps the current time."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# Sections and blocks ------------------------------------------------------

def section_xml(section: Section, ctx: Context, depth: int = 1) -> list:
    # Numbered sections take their number from the Heading styles' list
    # (see number_headings), so a heading added in Word is numbered too; the
    # style then follows the depth in the tree, as the model's numbers do.
    level = depth if ctx.numbered else section.level
    heading = paragraph(ctx, f"Heading {min(level, 6)}", section.title, section.portion)
    bookmark(heading, bookmark_name(section.id), next(ctx.bookmark_ids),
             skip=PORTION_RUNS if section.portion else 0)
    content = [heading, *blocks_xml(section.blocks, ctx, Where())]
    for child in section.children:
        content.extend(section_xml(child, ctx, depth + 1))
    return content


def number_headings(ctx: Context) -> None:
    """Bind Heading 1-6 to a multilevel list (1, 1.1, 1.1.1 ...): Word
    numbers every heading in those styles, including ones added later."""
    numbering = ctx.package.part.numbering_part.element
    ids = [int(i) for i in numbering.xpath("w:abstractNum/@w:abstractNumId")]
    abstract_id = max(ids, default=0) + 1
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:pStyle w:val="{ctx.style(f"Heading {i + 1}")}"/>'
        '<w:suff w:val="space"/>'  # schema order: start numFmt pStyle suff lvlText lvlJc pPr
        f'<w:lvlText w:val="{".".join(f"%{n}" for n in range(1, i + 2))}"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>' for i in range(6))
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
                         f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>')
    nums = numbering.findall(qn("w:num"))
    if nums:  # abstract definitions come before the w:num elements
        nums[0].addprevious(abstract)
    else:
        numbering.append(abstract)
    num_id = numbering.add_num(abstract_id).numId
    for level in range(1, 7):
        number(ctx.package.styles[f"Heading {level}"].element, num_id, level - 1)


def bookmark(p, name: str, ident: int, skip: int = 0) -> None:
    """Wrap the paragraph's text in a bookmark, the target of `#name` links,
    leaving out its first `skip` runs (a portion mark: a REF field that
    repeats a heading repeats its words, not its mark)."""
    start, end = bookmarked([], name, ident)
    p.pPr.addnext(start)
    for _ in range(skip):
        start.addprevious(start.getnext())
    p.append(end)


def bookmarked(elements: list, name: str, ident: int) -> list:
    """`elements` between the start and end of a bookmark."""
    return [OxmlElement("w:bookmarkStart", {qn("w:id"): str(ident), qn("w:name"): name}),
            *elements, OxmlElement("w:bookmarkEnd", {qn("w:id"): str(ident)})]


def label_bookmark_name(ident: str) -> str:
    """The hidden bookmark (a leading `_`, as Word's own `_Ref…`) around a
    caption's "Table 1", the text a REF field to that caption shows."""
    return f"_Ref{hashlib.sha1(ident.encode('utf-8')).hexdigest()[:12]}"


def bookmark_name(section_id: str) -> str:
    """A name Word keeps: at most 40 letters, digits, `_` or `-` (as pandoc
    writes them), starting with a letter; Word cuts longer names on save,
    which would break links. Other ids get a short hash to stay unique."""
    name = re.sub(r"[^\w-]", "_", section_id, flags=re.ASCII)
    if name == section_id and len(name) <= 40 and name[:1].isalpha():
        return name
    digest = hashlib.sha1(section_id.encode("utf-8")).hexdigest()[:8]
    return f"b{name[:30]}_{digest}"


def blocks_xml(blocks: tuple[Block, ...], ctx: Context, where: Where) -> list:
    return [element for block in blocks for element in block_xml(block, ctx, where)]


def block_xml(block: Block, ctx: Context, where: Where) -> list:
    match block:
        case Paragraph(inlines=inlines, portion=portion):
            return [paragraph(ctx, where.style, inlines, portion)]
        case ListBlock() as list_block:
            return list_xml(list_block, ctx, where)
        case Quote(blocks=blocks, attribution=attribution):
            said = [paragraph(ctx, "Quote Attribution", (Text(text="— "), *attribution))] if attribution else []
            return blocks_xml(blocks, ctx, replace(where, style="Quote")) + said
        case DefinitionList(items=items):
            return [element for item in items for element in (
                paragraph(ctx, "Definition Term", item.term),
                *(e for d in item.definitions for e in blocks_xml(d, ctx, replace(where, style="Definition"))))]
        case CodeBlock(text=text):
            return [code_xml(text, ctx)]
        case Rule():
            return [paragraph(ctx, "Rule", ())]
        case Admonition(kind=kind, title=title, blocks=blocks, portion=portion):
            style = kind.capitalize() if kind.capitalize() in ADMONITION_STYLES else "Note"
            # Its title in the box where the reference has a style for it.
            boxed_title = f"{style} Title" if f"{style} Title" in ctx.style_ids else "Admonition Title"
            head = [paragraph(ctx, boxed_title, title, portion)] if title else []
            return head + blocks_xml(blocks, ctx, replace(where, style=style))
        case Table() as table:
            return table_xml(table, ctx)
        case Figure() as figure:
            return figure_xml(figure, ctx)
        case _:
            assert_never(block)


# Figures ------------------------------------------------------------------

def figure_xml(figure: Figure, ctx: Context) -> list:
    """The picture in its own paragraph, at most the text's width, with the
    alt text as its description; the caption below in Word's Caption style
    with a SEQ Figure field, as Word's own Insert Caption does."""
    holder = paragraph(ctx, "Figure", ())
    width = min(Emu(int(figure.width * 914400 / 96)), text_width(ctx))  # 96 px to the inch
    svg = Path(figure.path).read_bytes() if figure.mime == "image/svg+xml" else None
    image = io.BytesIO(svg_fallback(svg, figure, width)) if svg else figure.path
    picture = DocxParagraph(holder, ctx.package.part).add_run().add_picture(image, width=width)
    if svg:
        attach_svg(picture, svg, ctx)
    doc_pr = picture._inline.docPr
    # python-docx counts shape ids in the body, which these are not in yet.
    doc_pr.set("id", str(next(ctx.shape_ids)))
    doc_pr.set("descr", figure.alt)
    doc_pr.set("name", Path(figure.path).name)
    content = [holder]
    if figure.caption:
        content.append(numbered_caption(ctx, "figure", "Figure", figure.number, figure.caption,
                                        figure.id, figure.portion))
    return content


# Word 2016 and later draw the SVG; older Word, LibreOffice and pandoc the PNG.
SVG_BLIP = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_MAIN = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
FALLBACK_SCALE = 2  # PNG pixels per CSS pixel shown, for a sharp print
FALLBACK_MAX = 4000  # pixels on the long side


def svg_fallback(svg: bytes, figure: Figure, width: Emu) -> bytes:
    """The PNG that Word needs beside an SVG, drawn by CairoSVG (imported
    here only: few briefings have SVG figures). The SVG was checked safe by
    pipeline.read.svg; CairoSVG's own safe mode refuses entities and fetching."""
    shown = width / 9525  # EMU per CSS pixel
    scale = min(FALLBACK_SCALE * shown / figure.width,
                FALLBACK_MAX / max(figure.width, figure.height))
    try:
        import cairosvg
        return cairosvg.svg2png(bytestring=svg, output_width=max(1, round(figure.width * scale)),
                                output_height=max(1, round(figure.height * scale)))
    except Exception as error:  # CairoSVG raises many kinds; all mean "cannot draw it"
        raise BriefingError.one(figure.path, None, "docx.figure", "DOCX: cannot draw the PNG that Word shows "
                            f"in place of this SVG: {type(error).__name__}: {error}") from None


def attach_svg(picture, svg: bytes, ctx: Context) -> None:
    """The SVG as its own media part, named in the picture's blip by the
    extension Word 2016 writes; the blip's own image stays the PNG."""
    package = ctx.package.part.package
    part = Part(package.next_partname("/word/media/image%d.svg"), "image/svg+xml", svg, package)
    rid = ctx.package.part.relate_to(part, RT.IMAGE)
    blip = picture._inline.xpath(".//a:blip")[0]
    blip.append(parse_xml(f'<a:extLst {nsdecls("a", "r")}><a:ext uri="{SVG_BLIP}">'
                          f'<asvg:svgBlip xmlns:asvg="{SVG_MAIN}" r:embed="{rid}"/>'
                          '</a:ext></a:extLst>'))


def text_width(ctx: Context) -> Emu:
    section = ctx.package.sections[0]
    return Emu(section.page_width - section.left_margin - section.right_margin)


def abbreviations_xml(items: tuple[tuple[str, str], ...], ctx: Context) -> list:
    """The automatic list at the end: each abbreviation, a tab, its meaning."""
    rows = [paragraph(ctx, "Abbreviations Heading", (Text(text=ctx.labels["abbreviations"]),))]
    for short, long in items:
        p = paragraph(ctx, "Abbreviation", (Text(text=short),))
        p.append(tab_run())
        p.append(run(ctx, long, frozenset()))
        rows.append(p)
    return rows


# Table of contents --------------------------------------------------------

TOC_DEPTH = 3


def toc_xml(sections: tuple[Section, ...], ctx: Context) -> list:
    """A real Word TOC field whose result is already filled in with an entry
    per heading, each linked to its bookmark, so the contents show before
    anyone updates fields. Page numbers are PAGEREF fields; Word is asked to
    update fields on opening (settings.xml), since only Word paginates."""
    entries = [toc_entry(section, depth, ctx) for section, depth in toc_sections(sections, 1)]
    # The field opens in the first entry, right after its properties (w:pPr).
    for r in reversed(field_start(f' TOC \\o "1-{TOC_DEPTH}" \\h \\z \\u ')):
        entries[0].pPr.addnext(r)
    entries[-1].append(field_char("end"))
    ask_word_to_update_fields(ctx.package.settings.element)
    return [paragraph(ctx, "TOC Heading", (Text(text=ctx.labels["contents"]),)), *entries]


# What follows w:updateFields in CT_Settings: it must stand before these.
SETTINGS_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
    "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
    "decimalSymbol", "listSeparator")


def ask_word_to_update_fields(settings) -> None:
    if settings.find(qn("w:updateFields")) is not None:
        return
    element = OxmlElement("w:updateFields", {qn("w:val"): "true"})
    successors = [qn(f"w:{name}") for name in SETTINGS_AFTER_UPDATE_FIELDS]
    later = next((child for child in settings if child.tag in successors), None)
    if later is None:
        settings.append(element)
    else:
        later.addprevious(element)


def toc_sections(sections: tuple[Section, ...], depth: int):
    for section in sections:
        yield section, depth
        if depth < TOC_DEPTH:
            yield from toc_sections(section.children, depth + 1)


def toc_entry(section: Section, depth: int, ctx: Context):
    title = ((Text(text=f"{section.number} "),) if section.number else ()) + model.reused(section.title)
    p = paragraph(ctx, f"TOC {depth}", ())
    name = bookmark_name(section.id)
    link = hyperlink(ctx, f"#{section.id}", [
        *inlines_xml(title, ctx, frozenset()), tab_run(),
        *complex_field(f" PAGEREF {name} \\h ", [])])
    p.append(link)
    return p


def complex_field(instruction: str, result: list) -> list:
    """The runs of a whole complex field, showing `result` until Word updates it."""
    return [*field_start(instruction), *result, field_char("end")]


def field_start(instruction: str) -> list:
    """The runs that open a complex field up to its (cached) result."""
    instr = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
    instr.text = instruction
    run_with_instr = OxmlElement("w:r")
    run_with_instr.append(instr)
    return [field_char("begin"), run_with_instr, field_char("separate")]


def field_char(kind: str):
    r = OxmlElement("w:r")
    r.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))
    return r


def tab_run():
    r = OxmlElement("w:r")
    r.append(OxmlElement("w:tab"))
    return r


# Footnotes ----------------------------------------------------------------

FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
    '<w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"/>'
    '</w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>')


def footnote_reference(number: int, first: bool, ctx: Context):
    """A real Word footnote reference; Word numbers them in order, as we do.
    A second reference to the same note repeats its number as text."""
    r = OxmlElement("w:r")
    r.style = ctx.style("Footnote Reference")
    if first:
        r.append(OxmlElement("w:footnoteReference", {qn("w:id"): str(number)}))
    else:
        t = OxmlElement("w:t")
        t.text = str(number)
        r.append(t)
    return r


def add_footnotes(notes: tuple[Footnote, ...], ctx: Context) -> None:
    """word/footnotes.xml with the notes, in place of any the reference had."""
    document_part = ctx.package.part
    for rid, rel in list(document_part.rels.items()):
        if rel.reltype == RT.FOOTNOTES:
            del document_part.rels[rid]
    element = parse_xml(f'<w:footnotes {nsdecls("w", "r")}>{SEPARATORS}</w:footnotes>')
    part = XmlPart(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, element, document_part.package)
    document_part.relate_to(part, RT.FOOTNOTES)
    note_ctx = replace(ctx, part=part)  # links in notes are the notes part's relationships
    for note in notes:
        footnote = OxmlElement("w:footnote", {qn("w:id"): str(note.number)})
        paragraphs = blocks_xml(note.blocks, note_ctx, Where(style="Footnote Text"))
        mark = OxmlElement("w:r")
        mark.style = ctx.style("Footnote Reference")
        mark.append(OxmlElement("w:footnoteRef"))
        if not paragraphs or paragraphs[0].tag != qn("w:p"):  # the mark needs a paragraph
            paragraphs.insert(0, paragraph(ctx, "Footnote Text", ()))
        paragraphs[0].pPr.addnext(mark)  # our paragraphs always have a style, so a pPr
        mark.addnext(run(ctx, " ", frozenset()))
        footnote.extend(paragraphs)
        element.append(footnote)


# Tables -------------------------------------------------------------------

def table_xml(table: Table, ctx: Context) -> list:
    """The caption above (Word's Caption style and a SEQ Table field, so Word
    renumbers tables and lists them in a Table of Figures), then the table
    in the reference's `Table` style with a header row that repeats."""
    content = ([numbered_caption(ctx, "table", "Table", table.number, table.caption, table.id,
                                 table.portion)] if table.caption else [])
    tbl = OxmlElement("w:tbl")
    tbl.append(parse_xml(
        f'<w:tblPr {nsdecls("w")}><w:tblStyle w:val="{ctx.style("Table")}"/>'
        '<w:tblW w:w="5000" w:type="pct"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'))
    widths = column_widths(table, int(text_width(ctx)) // 635)  # EMU -> twips
    grid = OxmlElement("w:tblGrid")
    for width in widths:
        grid.append(OxmlElement("w:gridCol", {qn("w:w"): str(width)}))
    tbl.append(grid)
    tbl.append(table_row(table.head, table.aligns, widths, ctx, header=True))
    for row in table.rows:
        tbl.append(table_row(row, table.aligns, widths, ctx, header=False))
    content.append(tbl)
    return content


def numbered_caption(ctx: Context, label: str, sequence: str, number: int | None,
                     caption: tuple[Inline, ...], ident: str, portion: str | None):
    """"Table 1: ..." in Word's Caption style; the number is a SEQ field, so
    Word renumbers and lists it in a Table of Figures."""
    p = styled_paragraph(ctx.style("Caption"))
    if number is not None:
        label_and_number = [run(ctx, f"{ctx.labels[label]} ", frozenset()),
                            simple_field(ctx, f" SEQ {sequence} \\* ARABIC ", str(number))]
        if ident:  # what a cross-reference's REF field repeats, as in Word
            label_and_number = bookmarked(label_and_number, label_bookmark_name(ident),
                                          next(ctx.bookmark_ids))
        p.extend([*label_and_number, run(ctx, ": ", frozenset())])
    if portion:
        p.extend(portion_run(ctx, portion))
    p.extend(inlines_xml(caption, ctx, frozenset()))
    if ident:
        bookmark(p, bookmark_name(ident), next(ctx.bookmark_ids))
    return p


def column_widths(table: Table, total: int) -> list[int]:
    """Each column's share of the text width, by the length of its longest
    cell (capped, so one long cell wraps rather than starving the rest), as
    a browser's automatic table layout shares it; Word and LibreOffice
    would otherwise make every column as wide, or the first one widest."""
    weights = [min(max(len(model.plain_text(cell)) for cell in column), 60) + 4
               for column in zip(table.head, *table.rows)]
    return [total * weight // sum(weights) for weight in weights]


def table_row(cells: tuple[tuple[Inline, ...], ...], aligns: tuple[str | None, ...],
              widths: list[int], ctx: Context, header: bool):
    tr = OxmlElement("w:tr")
    if header:  # repeats at the top of each page the table runs onto
        tr.append(parse_xml(f'<w:trPr {nsdecls("w")}><w:tblHeader/><w:cantSplit/></w:trPr>'))
    else:
        tr.append(parse_xml(f'<w:trPr {nsdecls("w")}><w:cantSplit/></w:trPr>'))
    for cell, align, width in zip(cells, aligns, widths):
        tc = OxmlElement("w:tc")
        tc.append(parse_xml(f'<w:tcPr {nsdecls("w")}><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'))
        p = paragraph(ctx, "Compact", cell)
        if align:  # the column's alignment is content, as in pandoc's writer
            p.get_or_add_pPr().append(OxmlElement("w:jc", {qn("w:val"): align}))  # same words
        tc.append(p)
        tr.append(tc)
    return tr


PORTION_RUNS = 2  # what portion_run makes: the mark, then a space


def portion_run(ctx: Context, portion: str):
    """A portion mark such as (S//NF), in its own character style, and the
    space after it (PORTION_RUNS runs)."""
    r = run(ctx, f"({portion})", frozenset())
    r.style = ctx.style("Portion Mark")
    return [r, run(ctx, " ", frozenset())]


def list_xml(list_block: ListBlock, ctx: Context, where: Where) -> list:
    """Numbered paragraphs; an item's later blocks continue it, unnumbered."""
    depth = where.depth + 1
    level = min(depth - 1, 8)  # w:ilvl counts from 0; Word has nine levels
    suffix = "" if depth == 1 else f" {min(depth, 3)}"
    style = f"List {'Number' if list_block.ordered else 'Bullet'}{suffix}"
    num_id = ordered_num(ctx, level, list_block.start) if list_block.ordered else ctx.bullet_num
    inner = Where(style=f"List Continue{suffix}", depth=depth)
    content = []
    for item in list_block.items:
        first, portion, rest = item_head(item.blocks)
        numbered = paragraph(ctx, style, first, portion)
        number(numbered, num_id, level)
        content.append(numbered)
        content.extend(blocks_xml(rest, ctx, inner))
    return content


def item_head(blocks: tuple[Block, ...]
              ) -> tuple[tuple[Inline, ...], str | None, tuple[Block, ...]]:
    """The inlines that carry the item's number, their portion mark, and
    the blocks after them."""
    match blocks:
        case (Paragraph(inlines=inlines, portion=portion), *rest):
            return inlines, portion, tuple(rest)
        case _:
            # An item that opens with a list or code still needs its number.
            return (), None, blocks


def ordered_num(ctx: Context, level: int, start: int) -> int:
    """A new list instance, so this list restarts at its own start."""
    num = ctx.package.part.numbering_part.element.add_num(ctx.number_abstract)
    num.add_lvlOverride(ilvl=level).add_startOverride(start)
    return num.numId


def number(p, num_id: int, level: int) -> None:
    num_pr = p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def code_xml(text: str, ctx: Context):
    """One paragraph, lines split by w:br, so spacing and border wrap the block."""
    p = styled_paragraph(ctx.style("Source Code"))
    r = OxmlElement("w:r")
    r.text = text.rstrip("\n")  # python-docx: \n -> w:br, \t -> w:tab, spaces kept
    p.append(r)
    return p


def paragraph(ctx: Context, style: str, inlines: tuple[Inline, ...], portion: str | None = None):
    p = styled_paragraph(ctx.style(style))
    if portion:
        p.extend(portion_run(ctx, portion))
    p.extend(inlines_xml(inlines, ctx, frozenset()))
    return p


def styled_paragraph(style_id: str):
    """An empty w:p in a style, built directly: python-docx's `p.style =`
    looks up the schema order for each element it adds, six times slower."""
    p = OxmlElement("w:p")
    properties = OxmlElement("w:pPr")
    properties.append(OxmlElement("w:pStyle", {qn("w:val"): style_id}))
    p.append(properties)
    return p


# Inlines ------------------------------------------------------------------

def inlines_xml(inlines: tuple[Inline, ...], ctx: Context, marks: frozenset[str]) -> list:
    return [element for inline in inlines for element in inline_xml(inline, ctx, marks)]


def inline_xml(inline: Inline, ctx: Context, marks: frozenset[str]) -> list:
    match inline:
        case Text(text=text):
            # A newline in source text is a soft break: a space, not a w:br.
            return [run(ctx, text.replace("\n", " "), marks)]
        case Emph(children=children):
            return inlines_xml(children, ctx, marks | {"emph"})
        case Strong(children=children):
            return inlines_xml(children, ctx, marks | {"strong"})
        case Code(text=text):
            return [run(ctx, text.replace("\n", " "), marks | {"code"})]
        case Link(target=target, children=children):
            return [hyperlink(ctx, target, inlines_xml(children, ctx, marks | {"link"}))]
        case LineBreak():
            line_break = OxmlElement("w:r")
            line_break.append(OxmlElement("w:br"))
            return [line_break]
        case FootnoteRef(number=number, first=first):
            return [footnote_reference(number, first, ctx)]
        case Abbr(text=text):
            return [run(ctx, text, marks)]  # Word has no abbreviation markup; the list explains
        case Ref() as ref:
            return [hyperlink(ctx, f"#{ref.id}", cross_reference(ref, ctx, marks | {"link"}))]
        case _:
            assert_never(inline)


def cross_reference(ref: Ref, ctx: Context, marks: frozenset[str]) -> list:
    """A REF field, as Word's Insert Cross-reference writes it, so Word
    updates the words when the target is renumbered; its cached result is
    what shows until then. A numbered section: "Section " and its heading's
    paragraph number (`\\r`); a table or figure: the bookmarked label and
    number of its caption ("Table 1"); anything unnumbered: its title."""
    target = bookmark_name(ref.id)
    if ref.kind == "section" and ref.number:
        return [run(ctx, f"{ctx.labels[ref.kind]} ", marks),
                *complex_field(f" REF {target} \\r ", [run(ctx, ref.number, marks)])]
    if ref.number:
        return complex_field(f" REF {label_bookmark_name(ref.id)} ",
                             [run(ctx, f"{ctx.labels[ref.kind]} {ref.number}", marks)])
    return complex_field(f" REF {target} ", inlines_xml(ref.title, ctx, marks))


def run(ctx: Context, text: str, marks: frozenset[str]):
    r = OxmlElement("w:r")
    styled = next((name for mark, name in CHAR_STYLES if mark in marks), None)
    if styled:
        r.style = ctx.style(styled)
    if "strong" in marks and styled != "Strong":
        r.get_or_add_rPr().get_or_add_b()
    if "emph" in marks and styled != "Emphasis":
        r.get_or_add_rPr().get_or_add_i()
    if "\t" in text or "\n" in text:
        r.text = text  # python-docx makes w:tab and w:br of these
    else:  # python-docx's setter walks the text a character at a time
        t = OxmlElement("w:t", {qn("xml:space"): "preserve"})
        t.text = text
        r.append(t)
    return r


def hyperlink(ctx: Context, target: str, runs: list):
    """`#id` jumps to the heading bookmark; anything else is an external URL."""
    link = OxmlElement("w:hyperlink")
    if target.startswith("#"):
        link.set(qn("w:anchor"), bookmark_name(target[1:]))
    else:
        rid = (ctx.part or ctx.package.part).relate_to(target, RT.HYPERLINK, is_external=True)
        link.set(qn("r:id"), rid)
    link.set(qn("w:history"), "1")
    link.extend(runs)
    return link


def render(doc: model.Document, ctx: RenderContext, reporter: Reporter) -> bytes:
    """The DOCX backend's entry point."""
    data, borrowed = make_docx(doc, ctx.reference_doc, ctx.labels, ctx.first_page)
    for name in borrowed:
        reporter.warning(None, "docx.reference-style", f"DOCX: the reference document has no "
                         f"style {name!r}; briefing's own was used", path=str(ctx.reference_doc))
    return data
