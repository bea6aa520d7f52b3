"""The DOCX backend, read back by readers that are not ours.

Documents are built by hand from model nodes (no parser involved), rendered,
written to disk and opened with python-docx, pandoc, plain zip + lxml and,
where installed, LibreOffice: the tests assert what those readers see.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import shutil
import struct
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pypandoc
import pytest
from docx.shared import Cm, Inches
from docx.enum.text import WD_TAB_ALIGNMENT
from lxml import etree

from pipeline.problems import BriefingError, Reporter
from readers import libreoffice_profile, pdf_band, pdf_text, soffice_to_pdf
from pipeline.model import (Admonition, Code, CodeBlock, Document, Emph, LineBreak, Link,
                            ListBlock, ListItem, Meta, Paragraph, Quote, Rule, Section,
                            Strong, Table, Text, Footnote, FootnoteRef, Ref)
from pipeline.render.templates import Templates
from pipeline.run import build

ROOT = Path(__file__).resolve().parent.parent
from conftest import FIXTURES, run_cli  # noqa: E402
REFERENCE = ROOT / "templates" / "docx" / "reference.docx"
LABELS = Templates().labels()
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}


# Building documents by hand ------------------------------------------------

def text(value: str) -> Text:
    return Text(text=value)


def para(*parts, portion: str | None = None) -> Paragraph:
    inlines = tuple(text(p) if isinstance(p, str) else p for p in parts)
    return Paragraph(inlines=inlines, portion=portion, line=1)


def item(*blocks) -> ListItem:
    return ListItem(blocks=blocks, line=1)


def bullets(*items) -> ListBlock:
    return ListBlock(ordered=False, items=items, line=1)


def numbered(*items, start: int = 1) -> ListBlock:
    return ListBlock(ordered=True, start=start, items=items, line=1)


def section(level, title, ident, *blocks, number=None, children=()) -> Section:
    return Section(level=level, title=(text(title),), id=ident, number=number,
                   blocks=blocks, children=children, line=1)


META = Meta(title="Regional Logistics Outlook", subtitle="Quarterly briefing",
            classification="OFFICIAL-SENSITIVE", authors=("Ada Author", "Ben Writer"),
            organization="Directorate of Planning", date="12 March 2025", lang="en-GB",
            title_page=True)

PREAMBLE = para("See ", Link(target="#risks", children=(text("the risks"),)), " and ",
                Link(target="https://example.org/report", children=(text("the report"),)), ".")

SUMMARY = section(
    1, "Summary", "summary",
    para("Text with ", Emph(children=(text("stress"),)), ", ",
         Strong(children=(text("weight "), Emph(children=(text("and both"),)))), ", ",
         Code(text="run()"), " and a", LineBreak(), "break.", portion="U"),
    bullets(item(para("First bullet")),
            item(para("Second bullet"),
                 numbered(item(para("Nested one")),
                          item(para("Nested two"),
                               bullets(item(para("Third level"),
                                            bullets(item(para("Fourth level")))))))),
            item(para("Third bullet"), para("Continuation of the third bullet."))),
    para("Between lists."),
    numbered(item(para("One")), item(para("Two"))),
    para("Then a list that starts at five."),
    numbered(item(para("Five")), item(para("Six")), start=5),
    bullets(item(bullets(item(para("Item opening with a list"))))),
    number="1",
    children=(section(
        2, "Details", "details",
        Quote(blocks=(para("Quoted words."), para("More quoted words.")), line=1),
        CodeBlock(lang="python", text="def f(x):\n    return x + 1\n\n\tprint(f(2))\n", line=1),
        Rule(line=1),
        para("After the rule."),
        number="1.1"),))

RISKS = section(
    1, "Risks", "risks",
    Admonition(kind="warning", title=(text("Mind the gap"),),
               blocks=(para("Supply may fall short."), para("Second warning paragraph.")),
               line=1),
    Admonition(kind="danger", title=(), blocks=(para("Unknown kind."),), line=1),
    Admonition(kind="tip", title=(text("Tip"),), blocks=(para("A tip."),), line=1),
    para("Back to ", Link(target="#summary", children=(text("the summary"),)), "."),
    number="2",
    children=(section(3, "Deep", "deep", para("x"),
                      children=(section(8, "Too deep", "too-deep", para("y")),)),))

DOC = Document(meta=META, blocks=(PREAMBLE,), sections=(SUMMARY, RISKS), path="brief.md")


def docx_of(doc: Document, reference: Path = REFERENCE,
            labels: dict[str, str] | None = None) -> tuple[bytes, list[str]]:
    """The DOCX as `briefing build` makes it (build.context, build.render),
    and the names of the styles it warned the reference lacks."""
    ctx = build.context(doc, build.Options(reference_doc=reference))
    if labels is not None:
        ctx = replace(ctx, labels=labels)
    reporter = Reporter(doc.path)
    data = build.render(doc, "docx", ctx, reporter).data
    return data, [re.fullmatch(r"DOCX: the reference document has no style '(.+)'; .*",
                               warning.message)[1] for warning in reporter.warnings]


def render(tmp_path: Path, doc: Document = DOC, name: str = "brief.docx") -> Path:
    path = tmp_path / name
    path.write_bytes(docx_of(doc)[0])
    return path


@pytest.fixture
def rendered(tmp_path: Path) -> Path:
    return render(tmp_path)


# Independent readers -------------------------------------------------------

def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def by_text(path: Path) -> dict[str, docx.text.paragraph.Paragraph]:
    return {p.text: p for p in docx.Document(str(path)).paragraphs}


def num_pr(paragraph) -> tuple[int, int] | None:
    """(numId, ilvl) set directly on a paragraph, as a reader sees it."""
    found = paragraph._p.xpath("w:pPr/w:numPr")
    if not found:
        return None
    return (int(found[0].xpath("w:numId/@w:val")[0]), int(found[0].xpath("w:ilvl/@w:val")[0]))


def pandoc_json(path: Path) -> dict:
    return json.loads(pypandoc.convert_file(str(path), "json"))


def nodes(tree, kind: str) -> list:
    """Every pandoc AST node of type `kind`, depth first."""
    found = []
    if isinstance(tree, dict):
        if tree.get("t") == kind:
            found.append(tree)
        for value in tree.values():
            found.extend(nodes(value, kind))
    elif isinstance(tree, list):
        for value in tree:
            found.extend(nodes(value, kind))
    return found


def stringify(inlines) -> str:
    out = []
    for node in inlines:
        match node.get("t"):
            case "Str" | "Code":
                out.append(node["c"] if node["t"] == "Str" else node["c"][1])
            case "Space" | "SoftBreak" | "LineBreak":
                out.append(" ")
            case "Link":
                out.append(stringify(node["c"][1]))
            case "Emph" | "Strong" | "Span" | "Underline":
                out.append(stringify(node["c"] if node["t"] != "Span" else node["c"][1]))
    return "".join(out)


# Styles as python-docx reads them back -------------------------------------

def test_paragraph_styles_read_back(rendered):
    paragraphs = by_text(rendered)
    expected = {
        "Regional Logistics Outlook": "Title",
        "Quarterly briefing": "Subtitle",
        "See the risks and the report.": "Body Text",
        "Summary": "Heading 1",
        "Details": "Heading 2",
        "Deep": "Heading 3",
        "Too deep": "Heading 6",  # level 8 is capped at the last heading style
        "First bullet": "List Bullet",
        "Nested one": "List Number 2",
        "Third level": "List Bullet 3",
        "Fourth level": "List Bullet 3",  # styles stop at 3, w:ilvl goes on
        "Continuation of the third bullet.": "List Continue",
        "One": "List Number",
        "Quoted words.": "Quote",
        "More quoted words.": "Quote",
        "Mind the gap": "Warning Title",
        "Supply may fall short.": "Warning",
        "Second warning paragraph.": "Warning",
        "Unknown kind.": "Note",
        "A tip.": "Tip",
    }
    for content, style in expected.items():
        assert paragraphs[content].style.name == style, content
    code = [p for p in paragraphs.values() if p.text.startswith("def f(x):")]
    assert [p.style.name for p in code] == ["Source Code"]
    rules = [p for p in paragraphs.values() if p.style.name == "Rule"]
    assert len(rules) == 1 and rules[0].text == ""


def test_body_starts_with_title_and_keeps_page_setup(rendered):
    document = docx.Document(str(rendered))
    assert [p.style.name for p in document.paragraphs[:2]] == ["Organization", "Title"]
    section = document.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.05)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.05)
    # The PDF's 138 mm column: about 72 characters of 11 pt to a line.
    assert abs(section.left_margin - Cm(3.6)) < Cm(0.05)
    assert abs(section.page_width - section.left_margin - section.right_margin - Cm(13.8)) < Cm(0.05)
    body = part(rendered, "word/document.xml").find("w:body", NS)
    assert body[-1].tag == f"{{{W}}}sectPr"


def test_letter_paper(tmp_path):
    letter = Document(meta=Meta(title="T", classification="C", paper="letter"),
                      blocks=(), sections=(), path="x.md")
    section = docx.Document(str(render(tmp_path, letter))).sections[0]
    assert (section.page_width, section.page_height) == (Inches(8.5), Inches(11))


def shown(paragraph) -> str:
    """A paragraph's text as Word shows it, field results included
    (python-docx's .text leaves out what stands inside w:fldSimple)."""
    return "".join("\t" if node.tag == f"{{{W}}}tab" else node.text or ""
                   for node in paragraph._p.xpath(".//w:t | .//w:tab"))


BANNER_FIELD = " DOCPROPERTY Classification \\* MERGEFORMAT "
SHORT_TITLE_FIELD = " DOCPROPERTY ShortTitle \\* MERGEFORMAT "


def test_classification_banner_on_every_page(rendered):
    section = docx.Document(str(rendered)).sections[0]
    # The banner and the running head are fields over document properties.
    assert [shown(p) for p in section.header.paragraphs] == ["OFFICIAL-SENSITIVE", "Regional Logistics Outlook"]
    assert [p._p.xpath("w:fldSimple/@w:instr") for p in section.header.paragraphs] == [
        [BANNER_FIELD], [SHORT_TITLE_FIELD]]
    assert section.header.paragraphs[1].style.name == "Header"
    # The first page's own header: the banner over the title, no running head.
    assert section.different_first_page_header_footer
    (first,) = section.first_page_header.paragraphs
    assert first._p.xpath("w:fldSimple/@w:instr") == [BANNER_FIELD] and shown(first) == "OFFICIAL-SENSITIVE"
    assert not section.first_page_header._element.xpath(f".//w:fldSimple[@w:instr='{SHORT_TITLE_FIELD}']")
    for footer in (section.footer, section.first_page_footer):
        banner, numbers = footer.paragraphs
        assert shown(banner) == "OFFICIAL-SENSITIVE"
        assert first.style.name == banner.style.name == "Classification official-sensitive"
        # Page X of Y from Word fields (python-docx does not read field results).
        assert numbers.text == "Page  of " and numbers.style.name == "Footer"
        assert numbers._p.xpath("w:fldSimple/@w:instr") == [" PAGE \\* MERGEFORMAT ", " NUMPAGES \\* MERGEFORMAT "]
    assert section.header.paragraphs[0].style.name == "Classification official-sensitive"


def test_portion_mark_prefixes_paragraph(rendered):
    first = [p for p in docx.Document(str(rendered)).paragraphs if "Text with" in p.text][0]
    assert first.text.startswith("(U) Text with ")


def test_inline_formatting(rendered):
    paragraph = [p for p in docx.Document(str(rendered)).paragraphs if "Text with" in p.text][0]
    runs = {run.text: run for run in paragraph.runs}
    assert runs["stress"].style.name == "Emphasis"
    assert runs["weight "].style.name == "Strong"
    # Nested: the outer mark as character style, the inner one as italic.
    assert runs["and both"].style.name == "Strong" and runs["and both"].italic
    assert runs["run()"].style.name == "Verbatim Char"
    assert paragraph._p.xpath(".//w:br"), "LineBreak must become w:br"
    assert "a\nbreak." in paragraph.text


def test_every_used_style_exists_in_reference(rendered):
    defined = {(s.get(f"{{{W}}}type"), s.get(f"{{{W}}}styleId"))
               for s in part(REFERENCE, "word/styles.xml").findall("w:style", NS)}
    with zipfile.ZipFile(rendered) as package:
        names = [n for n in package.namelist()
                 if n.startswith("word/") and n.endswith(".xml")
                 and ("document" in n or "header" in n or "footer" in n)]
    used = set()
    for name in names:
        root = part(rendered, name)
        used |= {("paragraph", v) for v in root.xpath("//w:pStyle/@w:val", namespaces=NS)}
        used |= {("character", v) for v in root.xpath("//w:rStyle/@w:val", namespaces=NS)}
    assert ("paragraph", "Heading1") in used and ("character", "Hyperlink") in used
    assert used - defined == set()


# Numbering ------------------------------------------------------------------

def numbering(path: Path) -> etree._Element:
    return part(path, "word/numbering.xml")


def start_override(path: Path, num_id: int, level: int) -> int | None:
    found = numbering(path).xpath(
        f"w:num[@w:numId='{num_id}']/w:lvlOverride[@w:ilvl='{level}']/w:startOverride/@w:val",
        namespaces=NS)
    return int(found[0]) if found else None


def test_list_paragraphs_carry_numbering(rendered):
    paragraphs = by_text(rendered)
    for content, level in [("First bullet", 0), ("Second bullet", 0), ("Nested one", 1),
                           ("Third level", 2), ("Fourth level", 3), ("One", 0), ("Five", 0)]:
        pr = num_pr(paragraphs[content])
        assert pr is not None, content
        assert pr[1] == level, content
    assert num_pr(paragraphs["Continuation of the third bullet."]) is None
    assert num_pr(paragraphs["Between lists."]) is None


def test_a_bound_paragraph_holds_one_numbering_in_the_schemas_place():
    from pipeline.render.docx.paragraphs import bind
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    p = parse_xml(f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="ListNumber"/><w:keepNext/>'
                  '<w:spacing w:after="0"/><w:jc w:val="left"/></w:pPr></w:p>')
    bind(p, 7, 2)
    children = [child.tag.split("}")[1] for child in p.pPr]
    assert children == ["pStyle", "keepNext", "numPr", "spacing", "jc"]  # CT_PPr's order
    assert [(c.tag.split("}")[1], c.get(qn("w:val"))) for c in p.pPr.numPr] == [("ilvl", "2"), ("numId", "7")]
    bind(p, 9, 0)  # bound again: the same numPr, its values changed
    assert len(p.pPr.findall(qn("w:numPr"))) == 1
    assert [(c.tag.split("}")[1], c.get(qn("w:val"))) for c in p.pPr.numPr] == [("ilvl", "0"), ("numId", "9")]
    bare = parse_xml(f'<w:p {nsdecls("w")}/>')
    bind(bare, 3, 1)  # no pPr yet
    assert [c.tag.split("}")[1] for c in bare.pPr] == ["numPr"]


def test_each_ordered_list_restarts(rendered):
    paragraphs = by_text(rendered)
    one, two = num_pr(paragraphs["One"]), num_pr(paragraphs["Two"])
    five, six = num_pr(paragraphs["Five"]), num_pr(paragraphs["Six"])
    nested = num_pr(paragraphs["Nested one"])
    assert one[0] == two[0] and five[0] == six[0]  # one list, one instance
    assert len({one[0], five[0], nested[0]}) == 3
    assert start_override(rendered, one[0], 0) == 1
    assert start_override(rendered, five[0], 0) == 5
    assert start_override(rendered, nested[0], 1) == 1
    # All ordered lists are instances of one decimal list definition.
    abstract = {numbering(rendered).xpath(f"w:num[@w:numId='{n}']/w:abstractNumId/@w:val",
                                          namespaces=NS)[0] for n in (one[0], five[0], nested[0])}
    assert len(abstract) == 1
    formats = numbering(rendered).xpath(
        f"w:abstractNum[@w:abstractNumId='{abstract.pop()}']/w:lvl[@w:ilvl='0']/w:numFmt/@w:val",
        namespaces=NS)
    assert formats == ["decimal"]


def test_bullets_use_bullet_numbering(rendered):
    num_id, _ = num_pr(by_text(rendered)["First bullet"])
    root = numbering(rendered)
    abstract = root.xpath(f"w:num[@w:numId='{num_id}']/w:abstractNumId/@w:val", namespaces=NS)[0]
    fmt = root.xpath(f"w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl[@w:ilvl='0']"
                     "/w:numFmt/@w:val", namespaces=NS)
    assert fmt == ["bullet"]


def test_item_opening_with_a_list_still_gets_its_marker(rendered):
    paragraphs = docx.Document(str(rendered)).paragraphs
    index = next(i for i, p in enumerate(paragraphs) if p.text == "Item opening with a list")
    marker, nested = paragraphs[index - 1], paragraphs[index]
    assert marker.text == "" and num_pr(marker)[1] == 0
    assert num_pr(nested)[1] == 1


# Links ----------------------------------------------------------------------

def test_internal_links_jump_to_heading_bookmarks(rendered):
    root = part(rendered, "word/document.xml")
    anchors = root.xpath("//w:hyperlink/@w:anchor", namespaces=NS)
    bookmarks = set(root.xpath("//w:bookmarkStart/@w:name", namespaces=NS))
    assert sorted(anchors) == ["risks", "summary"]
    assert set(anchors) <= bookmarks
    assert {"summary", "details", "risks", "deep", "too-deep"} <= bookmarks
    # The bookmark sits in the heading it names.
    heading = root.xpath("//w:p[w:bookmarkStart/@w:name='risks']", namespaces=NS)[0]
    assert heading.xpath("w:pPr/w:pStyle/@w:val", namespaces=NS) == ["Heading1"]
    starts = root.xpath("//w:bookmarkStart/@w:id", namespaces=NS)
    assert len(starts) == len(set(starts)) == len(root.xpath("//w:bookmarkEnd", namespaces=NS))


def test_external_link_is_a_relationship(rendered):
    root = part(rendered, "word/document.xml")
    links = root.xpath("//w:hyperlink[@r:id]", namespaces=NS)
    assert len(links) == 1
    rels = part(rendered, "word/_rels/document.xml.rels")
    rid = links[0].get(f"{{{R}}}id")
    rel = [r for r in rels if r.get("Id") == rid][0]
    assert rel.get("Target") == "https://example.org/report"
    assert rel.get("TargetMode") == "External"
    assert links[0].xpath("w:r/w:rPr/w:rStyle/@w:val", namespaces=NS) == ["Hyperlink"]


# Code -----------------------------------------------------------------------

def test_code_block_keeps_lines_and_spaces(rendered):
    root = part(rendered, "word/document.xml")
    code = root.xpath("//w:p[w:pPr/w:pStyle/@w:val='SourceCode']", namespaces=NS)
    assert len(code) == 1
    texts = code[0].xpath(".//w:t", namespaces=NS)
    indented = [t for t in texts if t.text == "    return x + 1"]
    assert indented and indented[0].get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    assert len(code[0].xpath(".//w:br", namespaces=NS)) == 3  # 4 lines, trailing \n dropped
    assert code[0].xpath(".//w:tab", namespaces=NS)


# Core properties and reproducibility ---------------------------------------

def test_core_properties(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    props = docx.Document(str(render(tmp_path))).core_properties
    assert props.title == "Regional Logistics Outlook"
    assert props.author == "Ada Author; Ben Writer"
    assert props.subject == "Quarterly briefing"
    assert "OFFICIAL-SENSITIVE" in props.keywords
    assert props.language == "en-GB"
    when = dt.datetime.fromtimestamp(1700000000, dt.timezone.utc)
    assert props.created == when and props.modified == when
    assert props.last_modified_by == "" and props.comments == ""


def test_every_entry_is_dated_1980_and_reads_back_whole(tmp_path, monkeypatch):
    import io
    import time

    from pipeline.render.docx.package import stable_zip

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the document's own dates fixed

    first = render(tmp_path).read_bytes()
    time.sleep(2.1)  # a zip's clock counts in two seconds: a later build would be stamped later
    assert render(tmp_path).read_bytes() == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.testzip() is None  # every entry's data matches its checksum
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        local = [struct.unpack_from("<HH", first, info.header_offset + 10) for info in archive.infolist()]
    assert set(local) == {(0, 0x21)}  # the local headers too, not only the central directory
    # Any zip, as zipfile stamps it: its content kept, its dates fixed.
    made = io.BytesIO()
    with zipfile.ZipFile(made, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xml", "<a/>" * 100)
        archive.writestr(zipfile.ZipInfo("b/c.txt", (2030, 5, 6, 7, 8, 10)), "c", zipfile.ZIP_STORED)
    with zipfile.ZipFile(io.BytesIO(stable_zip(made.getvalue()))) as archive:
        assert [(i.filename, i.date_time) for i in archive.infolist()] == [
            ("a.xml", (1980, 1, 1, 0, 0, 0)), ("b/c.txt", (1980, 1, 1, 0, 0, 0))]
        assert archive.read("a.xml") == b"<a/>" * 100 and archive.read("b/c.txt") == b"c"
        second = archive.infolist()[1].header_offset
    damaged = made.getvalue()[:second] + b"PK\x00\x00" + made.getvalue()[second + 4:]
    with pytest.raises(ValueError, match="not a zip header"):
        stable_zip(damaged)


def test_subject_falls_back_to_the_title_as_in_the_pdf(tmp_path):
    plain = Document(meta=Meta(title="T", classification="SECRET"), blocks=(), sections=(),
                     path="x.md")
    assert docx.Document(str(render(tmp_path, plain))).core_properties.subject == "T"


def test_title_block_details_use_the_labels(tmp_path):
    labels = {**LABELS, "version": "Fassung", "poc": "Ansprechpartner", "authors": "Verfasser"}
    meta = Meta(title="T", classification="U", version="1.2", status="draft", poc="J. Doe",
                authors=("A", "B"), title_page=True)
    path = tmp_path / "labels.docx"
    path.write_bytes(docx_of(Document(meta=meta, blocks=(), sections=(), path="x.md"),
                             labels=labels)[0])
    assert [shown(p) for p in docx.Document(str(path)).paragraphs] == [
        "", "T", "Verfasser\tA, B", "Fassung\t1.2 (draft)", "Ansprechpartner\tJ. Doe"]


# The title page --------------------------------------------------------------

TITLE_PAGE = replace(META, version="1.2", status="final", poc="C. Contact, ext. 4471",
                     short_title="Logistics outlook")


def title_page_doc(**changes) -> Document:
    return replace(DOC, meta=replace(TITLE_PAGE, **changes))


def test_title_page_head_in_named_styles(tmp_path):
    """The PDF's title page, the Word way: each line a paragraph style, the
    labels a character style, the label column a tab stop."""
    paragraphs = docx.Document(str(render(tmp_path, title_page_doc()))).paragraphs
    head = [(p.style.name, shown(p)) for p in paragraphs[:7]]
    assert head == [
        ("Organization", "Directorate of Planning"),
        ("Title", "Regional Logistics Outlook"),
        ("Subtitle", "Quarterly briefing"),
        ("Date", "Date\t12 March 2025"),
        ("Author", "Authors\tAda Author, Ben Writer"),  # one line, as in the PDF
        ("Title Details", "Version\t1.2 (final)"),
        ("Title Details", "Point of contact\tC. Contact, ext. 4471")]
    for p in paragraphs[3:7]:
        label = p._p.xpath(".//w:r")[0]
        assert label.style == "DetailLabel"
    assert [r.text for r in paragraphs[5].runs if r.style.name == "Detail Label"] == ["Version", "(final)"]
    # The organization follows the document's properties, as the banner does.
    assert paragraphs[0]._p.xpath("w:fldSimple/@w:instr") == [" DOCPROPERTY Organization \\* MERGEFORMAT "]
    assert paragraphs[7].text == "" and paragraphs[7]._p.xpath("w:r/w:br[@w:type='page']")


def test_title_page_has_no_direct_formatting(tmp_path):
    """Every look of the title page comes from its styles: its paragraphs
    and runs name a style and set nothing else."""
    path = render(tmp_path, title_page_doc())
    body = part(path, "word/document.xml").find("w:body", NS)
    for p in list(body)[:7]:
        assert [etree.QName(c).localname for c in p.find("w:pPr", NS)] == ["pStyle"]
        for properties in p.iterfind(".//w:rPr", NS):
            assert [etree.QName(c).localname for c in properties] == ["rStyle"]


def test_title_page_styles_set_it_out_as_the_pdf(tmp_path):
    styles = docx.Document(str(REFERENCE)).styles
    organization = styles["Organization"]
    assert organization.font.all_caps and organization.paragraph_format.space_before > Cm(3)
    assert styles["Subtitle"].element.xpath("w:pPr/w:pBdr/w:bottom/@w:sz") == ["16"]  # the 2 pt accent rule
    details = styles["Title Details"].paragraph_format
    assert [(stop.position, stop.alignment) for stop in details.tab_stops] == [
        (details.left_indent, docx.enum.text.WD_TAB_ALIGNMENT.LEFT)]
    assert abs(details.left_indent - Cm(3.2)) < Cm(0.01) and details.first_line_indent == -details.left_indent
    assert styles["Author"].base_style.name == styles["Date"].base_style.name == "Title Details"
    assert str(styles["Detail Label"].font.color.rgb) == "5A6470"


def test_pandoc_reads_the_title_page_as_metadata(tmp_path):
    """Pandoc takes the leading Title, Subtitle, Date and Author paragraphs
    as metadata: the organization above them (a field) and the labels (fields)
    do not get in its way or into its values."""
    markdown = pypandoc.convert_file(str(render(tmp_path, title_page_doc())), "markdown",
                                     format="docx", extra_args=["--standalone"])
    front, _, body = markdown.partition("\n---\n")
    assert "title: Regional Logistics Outlook" in front and "subtitle: Quarterly briefing" in front
    assert re.search(r"author: +Ada Author, Ben Writer\n", front)
    assert re.search(r"date: +12 March 2025\n", front)
    assert "Authors" not in front and "Date 12" not in front
    assert body.lstrip().startswith("Version 1.2 (final)\n\nPoint of contact C. Contact, ext. 4471")


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_libreoffice_shows_the_title_page(tmp_path):
    pdf = soffice_to_pdf(render(tmp_path, title_page_doc()), tmp_path / "lo")
    lines = [" ".join(line.split()) for line in pdf_text(pdf, page=1).splitlines() if line.strip()]
    assert lines[:8] == ["OFFICIAL-SENSITIVE", "DIRECTORATE OF PLANNING", "Regional Logistics Outlook",
                         "Quarterly briefing", "Date 12 March 2025", "Authors Ada Author, Ben Writer",
                         "Version 1.2 (final)", "Point of contact C. Contact, ext. 4471"]
    # The running head (the short title) is on the next page, not over the title.
    assert "Logistics outlook" not in pdf_text(pdf, page=1)
    assert "Logistics outlook" in pdf_band(pdf, 2, top=True, height_pt=75)
    assert "OFFICIAL-SENSITIVE" in pdf_band(pdf, 1, top=False)


def test_title_block_instead_of_a_page(tmp_path):
    """`title_page: false`: the title block of the HTML page, the
    organization among the labelled details, no page break after it."""
    paragraphs = docx.Document(str(render(tmp_path, title_page_doc(title_page=False)))).paragraphs
    assert [(p.style.name, shown(p)) for p in paragraphs[:6]] == [
        ("Title", "Regional Logistics Outlook"),
        ("Subtitle", "Quarterly briefing"),
        ("Date", "Date\t12 March 2025"),
        ("Author", "Authors\tAda Author, Ben Writer"),
        ("Title Details", "Organization\tDirectorate of Planning"),
        ("Title Details", "Version\t1.2 (final)")]
    assert paragraphs[7].text == "See the risks and the report."


def test_language_set_for_spelling(rendered):
    lang = part(rendered, "word/styles.xml").xpath(
        "w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val", namespaces=NS)
    assert lang == ["en-GB"]


def test_same_input_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert docx_of(DOC)[0] == docx_of(DOC)[0]


def test_bad_source_date_epoch_is_a_briefing_error(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(BriefingError, match="SOURCE_DATE_EPOCH"):
        docx_of(DOC)


# Reference problems are user errors, not tracebacks ------------------------

def test_missing_reference(tmp_path):
    with pytest.raises(BriefingError, match="cannot read reference.docx"):
        docx_of(DOC, tmp_path / "nothing.docx")


def test_reference_without_our_styles(tmp_path):
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))  # python-docx's own template: no Rule, no Note ...
    data, borrowed = docx_of(DOC, plain)
    assert {"Classification", "Note", "Warning", "Verbatim Char"} <= set(borrowed)
    # The title page's own styles too, each named once in the warning.
    assert {"Organization", "Title Details", "Detail Label", "Author", "Date"} <= set(borrowed)
    assert len(borrowed) == len(set(borrowed))
    assert "Heading 1" not in borrowed and "List Bullet" not in borrowed  # it has those
    (tmp_path / "out.docx").write_bytes(data)
    names = {style.name for style in docx.Document(str(tmp_path / "out.docx")).styles}
    assert set(borrowed) <= names
    # A style neither it nor ours has stays an error.
    no_lists = tmp_path / "no-lists.docx"
    package = docx.Document()
    element = package.styles["List Bullet"].element
    element.getparent().remove(element)
    package.save(str(no_lists))
    with pytest.raises(BriefingError, match="List Bullet"):
        docx_of(DOC, no_lists)


# Valid OOXML ------------------------------------------------------------------
# conftest.py validates every DOCX a test builds; these say so where it matters.

def test_reference_and_a_full_briefing_are_valid_ooxml(tmp_path):
    from conftest import ooxml_errors_of
    assert ooxml_errors_of(REFERENCE) == []  # the generator writes schema order
    out = tmp_path / "out"
    assert run_cli("build", FIXTURES / "information-paper.md", "--to", "docx",
                   "--out", out).returncode == 0
    assert ooxml_errors_of(out / "information-paper.docx") == []


def test_a_word_2010_reference_gives_a_valid_docx(tmp_path):
    """python-docx's template, as Word 2010 saved it, has stylesWithEffects.xml:
    a copy of the styles that would no longer match ours."""
    from conftest import ooxml_errors_of
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))
    data, _ = docx_of(DOC, plain)
    (tmp_path / "out.docx").write_bytes(data)
    assert ooxml_errors_of(tmp_path / "out.docx") == []


# The committed reference document -------------------------------------------

def test_reference_is_small_and_complete():
    assert REFERENCE.stat().st_size < 100_000
    reference = docx.Document(str(REFERENCE))
    names = {style.name for style in reference.styles}
    wanted = {"Title", "Subtitle", "Body Text", "First Paragraph", "Quote", "Source Code",
              "Verbatim Char", "Hyperlink", "Rule", "Note", "Warning", "Important", "Tip",
              "Admonition Title", "Classification", "Emphasis", "Strong",
              *(f"Heading {n}" for n in range(1, 7)),
              *(f"List {kind}{suffix}" for kind in ("Bullet", "Number", "Continue")
                for suffix in ("", " 2", " 3"))}
    assert wanted - names == set()
    assert reference.paragraphs == []
    section = reference.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.05)
    assert abs(section.top_margin - Cm(2.4)) < Cm(0.05)
    assert reference.styles["Heading 1"].font.name == "Noto Sans"


# Pandoc reads the document back -------------------------------------------

def test_pandoc_reads_structure(rendered):
    tree = pandoc_json(rendered)
    headers = [(h["c"][0], stringify(h["c"][2])) for h in nodes(tree["blocks"], "Header")]
    assert headers == [(1, "Summary"), (2, "Details"), (1, "Risks"),
                       (3, "Deep"), (6, "Too deep")]
    assert stringify(tree["meta"]["title"]["c"]) == "Regional Logistics Outlook"
    ordered = nodes(tree["blocks"], "OrderedList")
    starts = [o["c"][0][0] for o in ordered]
    assert 5 in starts and starts.count(1) >= 2
    five = [o for o in ordered if o["c"][0][0] == 5][0]
    assert [stringify(i[0]["c"]) for i in five["c"][1]] == ["Five", "Six"]
    assert len(nodes(tree["blocks"], "BulletList")) >= 3
    assert nodes(tree["blocks"], "BlockQuote")
    code = nodes(tree["blocks"], "CodeBlock")
    assert code and "    return x + 1" in code[0]["c"][1]


def test_pandoc_reads_inlines_and_links(rendered):
    tree = pandoc_json(rendered)
    links = {node["c"][2][0]: stringify(node["c"][1]) for node in nodes(tree["blocks"], "Link")}
    assert links["https://example.org/report"] == "the report"
    assert links["#risks"] == "the risks" and links["#summary"] == "the summary"
    assert "stress" in [stringify(e["c"]) for e in nodes(tree["blocks"], "Emph")]
    assert any("weight" in stringify(s["c"]) for s in nodes(tree["blocks"], "Strong"))
    assert [c["c"][1] for c in nodes(tree["blocks"], "Code")] == ["run()"]


# LibreOffice lays the numbering out --------------------------------------

@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_numbers_lists(rendered, tmp_path):
    subprocess.run(["soffice", f"-env:UserInstallation={libreoffice_profile().as_uri()}", "--headless",
                    "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(tmp_path),
                    str(rendered)], check=True, capture_output=True, timeout=120)
    lines = [line.strip() for line in
             (tmp_path / "brief.txt").read_text(encoding="utf-8-sig").splitlines()]
    assert "1. One" in lines and "2. Two" in lines
    assert "5. Five" in lines and "6. Six" in lines
    assert "a. Nested one" in lines


def test_long_and_non_ascii_ids_become_word_safe_bookmarks(tmp_path):
    long_id = "the-role-of-military-diplomacy-in-enhancing-counter-terrorism-strategies"
    sections = tuple(
        Section(level=1, title=(Text(text=title),), id=ident, blocks=(), children=(), line=n)
        for n, (title, ident) in enumerate([("Long", long_id), ("Cyrillic", "привет"), ("Short", "short")]))
    links = tuple(Link(target=f"#{s.id}", children=(Text(text=s.id),)) for s in sections)
    doc = replace(DOC, blocks=(Paragraph(inlines=links, line=1),), sections=sections)
    path = tmp_path / "ids.docx"
    path.write_bytes(docx_of(doc)[0])
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    anchors = root.xpath("//w:hyperlink/@w:anchor", namespaces=NS)
    names = root.xpath("//w:bookmarkStart/@w:name", namespaces=NS)
    assert anchors == names and len(set(names)) == 3
    assert names[2] == "short"
    assert all(len(name) <= 40 and name[0].isalpha() and name.isascii() for name in names)


def test_lists_deeper_than_word_allows_stay_at_its_last_level(tmp_path):
    deepest = bullets(item(para("Level 12")))
    for depth in range(11, 0, -1):
        deepest = bullets(item(para(f"Level {depth}"), deepest))
    doc = Document(meta=Meta(title="T", classification="U"), blocks=(deepest,), sections=(),
                   path="x.md")
    levels = {p.text: num_pr(p)[1] for p in docx.Document(str(render(tmp_path, doc))).paragraphs
              if num_pr(p)}
    assert [levels[f"Level {n}"] for n in range(1, 13)] == [*range(9), 8, 8, 8]


TABLE_DOC = Document(
    meta=Meta(title="T", classification="U"), sections=(), path="x.md",
    blocks=(Table(head=((para("Unit"),), (para("Strength"),)),
                  rows=tuple(((para(f"Unit {n}"),), (para(str(n * 10)),)) for n in range(1, 4)),
                  aligns=("left", "right"), caption=(text("(U) Forces"),), id="tbl-forces",
                  number=1, line=1),
            Table(head=((para("Plain"),),), rows=(((para("cell"),),),), aligns=(None,), line=2)))


def test_tables_are_word_tables_with_style_header_and_caption(tmp_path):
    path = render(tmp_path, TABLE_DOC)
    document = docx.Document(str(path))
    first, second = document.tables
    assert first.style.name == second.style.name == "Table"
    assert [c.text for c in first.rows[0].cells] == ["Unit", "Strength"]
    assert [c.text for c in first.rows[3].cells] == ["Unit 3", "30"]
    assert first.rows[0]._tr.xpath("w:trPr/w:tblHeader") and not first.rows[1]._tr.xpath("w:trPr/w:tblHeader")
    assert first.rows[1].cells[1].paragraphs[0]._p.xpath("w:pPr/w:jc/@w:val") == ["right"]
    caption = next(p for p in document.paragraphs if p.style.name == "Caption")
    assert caption.text == "Table : (U) Forces"  # python-docx does not read field results
    assert caption._p.xpath("w:fldSimple/@w:instr") == [" SEQ Table \\* ARABIC "]
    assert caption._p.xpath("w:fldSimple//w:t/text()") == ["1"]
    assert caption._p.xpath("w:bookmarkStart/@w:name")[0] == "tbl-forces"  # then "Table 1"'s
    assert len([p for p in document.paragraphs if p.style.name == "Caption"]) == 1


def test_tables_read_back_by_pandoc(tmp_path):
    ast = pandoc_json(render(tmp_path, TABLE_DOC))
    tables = [block for block in ast["blocks"] if block["t"] == "Table"]
    assert len(tables) == 2
    body_rows = tables[0]["c"][4][0][3]
    assert len(body_rows) == 3


NOTES_DOC = Document(
    meta=Meta(title="T", classification="U"), sections=(), path="x.md",
    blocks=(para("Claim.", FootnoteRef(number=1, first=True), " Other.",
                 FootnoteRef(number=2, first=True), " Again.", FootnoteRef(number=1, first=False)),),
    footnotes=(Footnote(number=1, line=3, blocks=(
                   para("Source ", Link(target="https://example.org/src", children=(text("here"),)), "."),
                   para("More."))),
               Footnote(number=2, line=4, blocks=(para("Second note."),))))


def test_footnotes_are_word_footnotes(tmp_path):
    path = render(tmp_path, NOTES_DOC)
    document = part(path, "word/document.xml")
    assert document.xpath("//w:footnoteReference/@w:id", namespaces=NS) == ["1", "2"]
    notes = part(path, "word/footnotes.xml")
    ids = notes.xpath("//w:footnote[not(@w:type)]/@w:id", namespaces=NS)
    assert ids == ["1", "2"]
    first = notes.xpath("//w:footnote[@w:id='1']/w:p", namespaces=NS)
    assert [p.xpath("w:pPr/w:pStyle/@w:val", namespaces=NS) for p in first] == [["FootnoteText"]] * 2
    assert first[0].xpath("w:r[1]/w:footnoteRef", namespaces=NS)
    rid = notes.xpath("//w:hyperlink/@r:id", namespaces=NS)[0]
    rels = etree.fromstring(zipfile.ZipFile(path).read("word/_rels/footnotes.xml.rels"))
    assert rels.xpath(f"//*[@Id='{rid}']/@Target") == ["https://example.org/src"]


def test_a_second_reference_to_a_note_is_a_noteref_field_to_the_first(tmp_path):
    """OpenSSF's compiler guide refers to notes more than once: the later
    references were the number typed in the Footnote Reference style, which
    went stale when Word renumbered the notes. Now Word's NOTEREF field to a
    bookmark round the first reference, formatted as a reference (`\\f`)."""
    path = render(tmp_path, NOTES_DOC)
    document = part(path, "word/document.xml")
    [start] = document.xpath("//w:bookmarkStart[@w:name='_Note1']", namespaces=NS)
    assert start.getnext().xpath("w:footnoteReference/@w:id", namespaces=NS) == ["1"]
    assert document.xpath("//w:instrText/text()", namespaces=NS) == [" NOTEREF _Note1 \\f \\h "]
    shown = " ".join(pdf_text(soffice_to_pdf(path, tmp_path / "lo")).split())
    assert "Claim.1 Other.2 Again.1" in shown


def test_footnotes_read_back_by_pandoc(tmp_path):
    ast = pandoc_json(render(tmp_path, NOTES_DOC))
    notes = [node for node in ast["blocks"][0]["c"] if node["t"] == "Note"]
    assert len(notes) == 2
    assert json.dumps(notes[0]).count('"Para"') == 2 and "example.org/src" in json.dumps(notes[0])


REFS_DOC = replace(
    DOC, meta=replace(META, numbering=True),
    blocks=(*TABLE_DOC.blocks, para(
        "See ", Ref(id="tbl-forces", kind="table", number="1", line=3), ", ",
        Ref(id="details", kind="section", number="1.1", line=3), " and ",
        Ref(id="deep", kind="section", title=(text("Deep"),), line=3), ".")))


def test_cross_references_are_ref_fields_inside_links(tmp_path):
    root = part(render(tmp_path, REFS_DOC), "word/document.xml")
    links = root.xpath("//w:hyperlink[w:r/w:instrText[starts-with(., ' REF')]]", namespaces=NS)
    assert [link.get(f"{{{W}}}anchor") for link in links] == ["tbl-forces", "details", "deep"]
    # What Word shows until it updates the fields, and what it updates them from.
    assert ["".join(link.xpath(".//w:t/text()", namespaces=NS)) for link in links] == [
        "Table 1", "Section 1.1", "Deep"]
    label = root.xpath("//w:bookmarkStart[starts-with(@w:name, '_Ref')]", namespaces=NS)
    assert len(label) == 1
    instructions = [link.xpath("string(.//w:instrText)", namespaces=NS).split() for link in links]
    assert instructions == [["REF", label[0].get(f"{{{W}}}name")], ["REF", "details", "\\r"],
                            ["REF", "deep"]]
    # The caption's hidden bookmark holds just its label and number: "Table 1".
    between = label[0].xpath("following-sibling::*[following-sibling::w:bookmarkEnd[@w:id=$id]]",
                             id=label[0].get(f"{{{W}}}id"), namespaces=NS)
    assert "".join(e.xpath("string(.)") for e in between) == "Table 1"
    assert {link.get(f"{{{W}}}anchor") for link in links} <= set(
        root.xpath("//w:bookmarkStart/@w:name", namespaces=NS))


def test_pandoc_reads_cross_references_as_links(tmp_path):
    ast = pandoc_json(render(tmp_path, REFS_DOC))
    links = [(stringify(link["c"][1]), link["c"][2][0]) for link in nodes(ast, "Link")]
    assert [text for text, _ in links if text in {"Table 1", "Section 1.1", "Deep"}] == [
        "Table 1", "Section 1.1", "Deep"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_updates_cross_reference_fields(tmp_path):
    """Stale cached results, as after an edit in Word: LibreOffice works the
    REF fields out again from the bookmarks, so they are live fields."""
    path = render(tmp_path, REFS_DOC)
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["word/document.xml"] = (parts["word/document.xml"].replace(b">Table 1<", b">Table 9<")
                                  .replace(b">1.1<", b">7.7<"))
    stale = tmp_path / "stale.docx"
    with zipfile.ZipFile(stale, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    text = " ".join(pdf_text(soffice_to_pdf(stale, tmp_path)).split())
    assert "See Table 1, Section 1.1 and Deep." in text


def test_table_of_contents_is_a_word_field_with_cached_entries(tmp_path):
    doc = replace(DOC, meta=replace(META, toc=True))
    path = render(tmp_path, doc)
    document = docx.Document(str(path))
    toc = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("TOC")]
    # Entries: title, a tab to the page number (a PAGEREF field whose result
    # is the page the writer expects: render/docx/pages.py).
    # (LibreOffice lays the summary out on page 2, the risks on page 3.)
    assert toc == [("TOC Heading", "Contents"), ("TOC 1", "1 Summary\t2"), ("TOC 2", "1.1 Details\t2"),
                   ("TOC 1", "2 Risks\t3"), ("TOC 2", "Deep\t3"), ("TOC 3", "Too deep\t3")]
    root = part(path, "word/document.xml")
    instructions = [t.strip() for t in root.xpath("//w:instrText/text()", namespaces=NS)]
    assert instructions[0] == 'TOC \\o "1-3" \\h \\z \\u'
    assert instructions[1:] == ["PAGEREF summary \\h", "PAGEREF details \\h", "PAGEREF risks \\h",
                                "PAGEREF deep \\h", "PAGEREF too-deep \\h"]
    assert root.xpath("count(//w:fldChar[@w:fldCharType='begin'])", namespaces=NS) == \
        root.xpath("count(//w:fldChar[@w:fldCharType='end'])", namespaces=NS) == 6
    # Word is not asked to update fields on opening: it would ask the reader each time.
    assert not part(path, "word/settings.xml").xpath("//w:updateFields", namespaces=NS)



def test_numbered_sections_come_from_the_heading_styles_list(tmp_path):
    from pipeline.transform.outline import outline
    # The model's levels are depths in the tree once transform/outline.py ran.
    doc = outline(replace(DOC, meta=replace(META, numbering=True)), Reporter("brief.md"))
    path = render(tmp_path, doc)
    document = docx.Document(str(path))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    # No number typed into the text: Word draws it, for added headings too;
    # styles follow the depth in the tree, as the numbers do.
    assert headings == [("Heading 1", "Summary"), ("Heading 2", "Details"), ("Heading 1", "Risks"),
                        ("Heading 2", "Deep"), ("Heading 3", "Too deep")]
    styles = part(path, "word/styles.xml")
    num_ids = {styles.xpath(f"//w:style[@w:styleId='Heading{n}']/w:pPr/w:numPr/w:numId/@w:val",
                            namespaces=NS)[0] for n in range(1, 7)}
    assert len(num_ids) == 1
    numbering = part(path, "word/numbering.xml")
    abstract = numbering.xpath(f"//w:num[@w:numId='{num_ids.pop()}']/w:abstractNumId/@w:val", namespaces=NS)[0]
    texts = numbering.xpath(f"//w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl/w:lvlText/@w:val",
                            namespaces=NS)
    assert texts[:3] == ["%1", "%1.%2", "%1.%2.%3"]
    plain = part(render(tmp_path, DOC, "plain.docx"), "word/styles.xml")
    assert not plain.xpath("//w:style[@w:styleId='Heading1']/w:pPr/w:numPr", namespaces=NS)


def test_figures_are_word_pictures_with_description_and_caption(tmp_path):
    from pipeline.run.build import load
    path = tmp_path / "figures.docx"
    path.write_bytes(docx_of(load(ROOT / "tests" / "fixtures" / "figures.md"))[0])
    document = docx.Document(str(path))
    shapes = document.inline_shapes
    assert len(shapes) == 2
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    assert shapes[1].width == text_width  # 1600 px is wider than the page: scaled down
    assert shapes[0].width == min(640 * 9525, text_width)  # 96 pixels to the inch, at most the text width
    root = part(path, "word/document.xml")
    # Each caption says what its picture's alt text says: the pictures are
    # decorative, the captions read (tests/test_fidelity.py).
    pictures = root.xpath("//wp:docPr", namespaces={
        "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"})
    assert [p.get("descr") for p in pictures] == [None, None]
    assert all(p.xpath(".//*[local-name()='decorative']/@val") == ["1"] for p in pictures)
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    assert [p._p.xpath("w:fldSimple/@w:instr") for p in captions] == [[" SEQ Figure \\* ARABIC "]] * 2
    assert captions[0].text == "Figure : (U) The area of operations"
    assert captions[0]._p.xpath("w:bookmarkStart/@w:name")[0] == "fig-map"
    ids = root.xpath("//wp:docPr/@id", namespaces={
        "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"})
    assert len(set(ids)) == 2


def test_svg_figure_is_the_svg_with_a_png_for_older_readers(tmp_path):
    from pipeline.run.build import load
    path = tmp_path / "svg.docx"
    path.write_bytes(docx_of(load(ROOT / "tests" / "fixtures" / "svg-figure.md"))[0])
    svg = (ROOT / "tests" / "fixtures" / "images" / "routes.svg").read_bytes()
    with zipfile.ZipFile(path) as package:
        media = {name: package.read(name) for name in package.namelist() if name.startswith("word/media/")}
        types = etree.fromstring(package.read("[Content_Types].xml"))
    assert sorted(media) == ["word/media/image1.png", "word/media/image1.svg"]
    assert media["word/media/image1.svg"] == svg
    png = media["word/media/image1.png"]
    assert png.startswith(b"\x89PNG") and struct.unpack(">II", png[16:24]) == (960, 540)  # twice 480 x 270
    assert types.xpath("//*[@PartName='/word/media/image1.svg']/@ContentType") == ["image/svg+xml"]
    # The picture's blip shows the PNG and names the SVG in Word 2016's extension.
    document = docx.Document(str(path))
    blip = document.inline_shapes[0]._inline.xpath(".//a:blip")[0]
    rels = document.part.rels
    assert rels[blip.get(f"{{{R}}}embed")].target_part.partname == "/word/media/image1.png"
    svg_blip = blip.xpath("a:extLst/a:ext[@uri='{96DAC541-7B7A-43D3-8B79-37D633B846F1}']/*")[0]
    assert etree.QName(svg_blip).localname == "svgBlip"
    assert rels[svg_blip.get(f"{{{R}}}embed")].target_part.partname == "/word/media/image1.svg"
    assert document.inline_shapes[0].width == 480 * 9525  # 480 CSS pixels
    # pandoc knows Word's extension: it reads the SVG, and its caption (the
    # picture is decorative: the caption says its alt text).
    ast = pandoc_json(path)
    images = nodes(ast, "Image")
    assert len(images) == 1 and images[0]["c"][2][0] == "media/image1.svg"
    assert stringify(images[0]["c"][1]) == ""
    # (pandoc drops a caption's "Figure 1" label with its SEQ field; the text stays)
    assert any(stringify(p["c"]).endswith(": (U) Patrol routes through the gap")
               for p in nodes(ast, "Para"))


def test_word_rejects_nothing_in_numbering_and_settings_order(tmp_path):
    doc = replace(DOC, meta=replace(META, numbering=True, toc=True))
    path = render(tmp_path, doc)
    numbering = part(path, "word/numbering.xml")
    for level in numbering.xpath("//w:abstractNum/w:lvl[w:suff]", namespaces=NS):
        tags = [etree.QName(child).localname for child in level]
        assert tags.index("suff") < tags.index("lvlText") < tags.index("lvlJc")
    # settings.xml's order is the schema's: the validator in conftest.py checks it.


def test_current_word_opens_it_without_compatibility_mode(tmp_path):
    settings = part(render(tmp_path, DOC), "word/settings.xml")
    mode = settings.xpath("//w:compat/w:compatSetting[@w:name='compatibilityMode']/@w:val", namespaces=NS)
    assert mode == ["15"]  # Word 2013 to 365; 14 and below open in "Compatibility Mode"


def test_draft_watermark_in_the_page_header(tmp_path):
    draft = render(tmp_path, replace(DOC, meta=replace(META, status="Draft")), "draft.docx")
    package = docx.Document(str(draft))
    header = package.sections[0].header
    vml = "urn:schemas-microsoft-com:vml"
    shapes = header._element.findall(f".//{{{vml}}}shape")
    assert [s.find(f"{{{vml}}}textpath").get("string") for s in shapes] == ["DRAFT"]
    assert "rotation:315" in shapes[0].get("style") and "z-index:-" in shapes[0].get("style")
    assert shown(header.paragraphs[0]) == "OFFICIAL-SENSITIVE"  # the banner is unchanged
    # The first page's own header has it too, as a shape of its own.
    first = package.sections[0].first_page_header._element.findall(f".//{{{vml}}}shape")
    assert [s.find(f"{{{vml}}}textpath").get("string") for s in first] == ["DRAFT"]
    assert first[0].get("id") != shapes[0].get("id")
    final = docx.Document(str(render(tmp_path)))
    assert not final.sections[0].header._element.findall(f".//{{{vml}}}shape")


def test_title_page_ends_with_a_page_break_and_date_is_a_property(tmp_path):
    def breaks(path: Path) -> list[int]:
        body = docx.Document(str(path)).paragraphs
        return [i for i, p in enumerate(body) if p._p.xpath("w:r/w:br[@w:type='page']")]
    with_page = render(tmp_path, name="page.docx")
    paragraphs = docx.Document(str(with_page)).paragraphs
    (index,) = breaks(with_page)
    # After the title page's head (the authors come last here), before the text.
    assert shown(paragraphs[index - 1]) == "Authors\tAda Author, Ben Writer"
    assert paragraphs[index + 1].text == "See the risks and the report."
    block = render(tmp_path, replace(DOC, meta=replace(META, title_page=False)), "block.docx")
    assert breaks(block) == []
    props = part(with_page, "docProps/custom.xml")
    names = {p.get("name"): p[0].text for p in props}
    assert names["DocumentDate"] == "12 March 2025" and names["Classification"] == "OFFICIAL-SENSITIVE"


def test_table_columns_share_the_width_by_their_content(tmp_path):
    """A short column stays narrow, a wordy one gets the room; a table whose
    cells fit on one line each is as wide as they are, a wordier one fills
    the text width (Word and LibreOffice read tcW)."""
    cell = lambda text: (para(text),)
    table = Table(head=(cell("Unit"), cell("Remarks")), aligns=(None, None), line=1,
                  rows=((cell("A1"), cell("In reserve, available at thirty days' notice to move")),))
    doc = Document(meta=Meta(title="T", classification="UNCLASSIFIED"), blocks=(table,),
                   sections=(), path="x.md")
    document = docx.Document(str(render(tmp_path, doc)))
    grid = [int(w) for w in document.tables[0]._tbl.xpath("w:tblGrid/w:gridCol/@w:w")]
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    assert grid[0] * 4 < grid[1]
    assert sum(grid) * 635 < text_width * 0.8  # one line each: as wide as they are
    cells = document.tables[0]._tbl.xpath("w:tr[1]/w:tc/w:tcPr/w:tcW/@w:w")
    assert [int(w) for w in cells] == grid
    wordy = replace(table, rows=((cell("A1"), cell("In reserve, available at thirty days' notice "
                                                    "to move, or at seven when the plan says so")),))
    document = docx.Document(str(render(tmp_path, replace(doc, blocks=(wordy,)), "wordy.docx")))
    grid = [int(w) for w in document.tables[0]._tbl.xpath("w:tblGrid/w:gridCol/@w:w")]
    assert grid[0] * 4 < grid[1]
    assert abs(sum(grid) * 635 - text_width) < 635 * 3


def house_reference(tmp_path: Path, drop: str = "Caption") -> Path:
    """A user's reference document: Letter paper, one-inch margins, a red
    Heading 1, and no `drop` style."""
    from docx.shared import RGBColor
    package = docx.Document(str(REFERENCE))
    section = package.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))
    package.styles["Heading 1"].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    dropped = package.styles[drop].element
    dropped.getparent().remove(dropped)
    path = tmp_path / "house.docx"
    package.save(str(path))
    return path


def test_a_users_reference_brings_styles_page_size_and_margins(tmp_path):
    from pipeline.run.build import load
    reference = house_reference(tmp_path)
    data, borrowed = docx_of(load(FIXTURES / "information-paper.md"), reference)
    assert borrowed == ["Caption"]
    path = tmp_path / "paper.docx"
    path.write_bytes(data)
    out, ref = docx.Document(str(path)), docx.Document(str(reference))
    section = out.sections[0]
    assert (section.page_width, section.page_height) == (Inches(8.5), Inches(11))
    assert section.left_margin == section.top_margin == Inches(1)
    # Every style the text uses is the reference's own, byte for byte, but the borrowed one.
    body = part(path, "word/document.xml")
    used = set(body.xpath("//w:pStyle/@w:val | //w:rStyle/@w:val | //w:tblStyle/@w:val",
                          namespaces={"w": W}))
    ours = {s.style_id: s for s in out.styles}
    theirs = {s.style_id: s for s in ref.styles}
    assert used <= set(ours)
    assert {ours[i].name for i in used if i not in theirs} == {"Caption"}
    def without_numbering(style):  # numbered headings gain their list in the style
        element = copy.deepcopy(style.element)
        for num_pr in element.iter(f"{{{W}}}numPr"):
            num_pr.getparent().remove(num_pr)
        return etree.tostring(element)
    for style_id in used & set(theirs):
        assert without_numbering(ours[style_id]) == without_numbering(theirs[style_id]), style_id
    assert out.styles["Heading 1"].font.color.rgb == docx.shared.RGBColor(0xC0, 0x00, 0x00)


def test_a_borrowed_contents_style_keeps_its_page_numbers_at_this_pages_margin(tmp_path):
    """A contents style the user's reference lacks comes from ours, whose
    right tab stop (the page numbers, after the dot leaders) is at an A4
    page's margin: it moves to the margin of the reference's own page."""
    from pipeline.run.build import load
    reference = house_reference(tmp_path, drop="TOC 2")
    data, borrowed = docx_of(load(FIXTURES / "information-paper.md"), reference)
    assert "TOC 2" in borrowed
    (tmp_path / "paper.docx").write_bytes(data)
    out = docx.Document(str(tmp_path / "paper.docx"))
    section = out.sections[0]
    margin = section.page_width - section.left_margin - section.right_margin
    [stop] = out.styles["TOC 2"].paragraph_format.tab_stops
    assert stop.alignment == WD_TAB_ALIGNMENT.RIGHT and abs(stop.position - margin) <= Inches(0.01)


def test_front_matter_paper_overrides_the_references_page_size(tmp_path):
    reference = house_reference(tmp_path)
    meta = replace(META, paper="a4", key_lines=(("paper", 5),))
    data, _ = docx_of(replace(DOC, meta=meta), reference)
    (tmp_path / "a4.docx").write_bytes(data)
    section = docx.Document(str(tmp_path / "a4.docx")).sections[0]
    assert (section.page_width, section.page_height) == pytest.approx((Cm(21), Cm(29.7)), abs=Cm(0.01))
    assert section.left_margin == Inches(1)  # the margins stay the reference's


def test_a_reference_without_a_page_size_gets_the_front_matters(tmp_path):
    """A section with no w:pgSz (its size is then up to the application) gets
    `paper`'s, and tables still fit between the margins."""
    package = docx.Document(str(REFERENCE))
    sect_pr = package.sections[0]._sectPr
    sect_pr.remove(sect_pr.find(f"{{{W}}}pgSz"))
    reference = tmp_path / "sizeless.docx"
    package.save(str(reference))
    meta = replace(TABLE_DOC.meta, paper="letter")
    data, borrowed = docx_of(replace(TABLE_DOC, meta=meta), reference)
    assert borrowed == []
    (tmp_path / "letter.docx").write_bytes(data)
    document = docx.Document(str(tmp_path / "letter.docx"))
    section = document.sections[0]
    assert (section.page_width, section.page_height) == (Inches(8.5), Inches(11))
    grid = [int(w) for w in document.tables[0]._tbl.xpath("w:tblGrid/w:gridCol/@w:w")]
    width = section.page_width - section.left_margin - section.right_margin
    assert 0 < sum(grid) * 635 <= width
