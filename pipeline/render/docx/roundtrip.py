"""What a DOCX keeps so that `briefing import` can bring it back to the
Markdown it was made from (pipeline/docx_import/).

Word has a place for most of a briefing: styles say a note or a quote,
numbering says a list, fields say a cross-reference, bookmarks say ids, the
document properties say the markings. What it has no place for is kept
here, out of sight, in a document variable (`w:docVar`, which Word keeps
as it saves and never shows; a long briefing's take several):

- each block's *path*, the containers it stands in (a list and its item, a
  quote in a quote, a note, a fenced div, a definition), under a
  fingerprint of the block's words: the importer aligns the reviewed file's
  blocks with these, so an unedited block comes back where it was and an
  edited one takes the place of the one it replaces;
- what Word cannot say: a code block's language, a div's classes, a
  table's column shares as written, a link's title, a formula's TeX (by the
  formula's structure), an id Word's bookmark names could not hold, the
  file a figure came from, front-matter keys nobody sees (`marking_scheme`
  as written, `title_page`, `short_title`).

Fingerprints are hashes of letters and digits: the variable repeats none
of the document's words. The marking keys that have no property of their
own yet are added to the custom properties (File > Properties), where a
reviewer can see and change them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import assert_never

from docx.oxml.ns import qn

from pipeline import model as m
from pipeline.model import walk
from pipeline.render.docx.elements import OxmlElement
from pipeline.render.docx.fields import bookmark_name, label_bookmark_name
from pipeline.render.docx.inlines import cite_bookmark
from pipeline.render.docx.memo import without_references, import_hints

HINTS = "briefing.import"  # the document variable's name
# Word keeps at most 65,280 characters in a document variable, and the OOXML
# schema allows no more (a briefing of about 90 pages has more; 320 pages, 223,000):
# longer hints go on in HINTS.2, HINTS.3 … (hints_part reads the number).
VALUE_MOST = 65_280
# The space after each paragraph of a loose list's items, in twips (Body
# Text's): render/docx/blocks.py writes it, and the import reads a list as
# loose by it where the hints are gone (LibreOffice keeps no document
# variables, but keeps the spacing).
LOOSE_AFTER_TWIPS = 130
VERSION = 1


NOT_LETTERS = re.compile(r"[\W_]+")  # all but what str.isalnum() calls letters and digits
NOT_ASCII_LETTERS = bytes(c for c in range(128) if not chr(c).isalnum())


def fingerprint(kind: str, text: str) -> str:
    """A unit's kind and a hash of the letters and digits of its words;
    pipeline/docx_import/structure.py asks the same of Word's runs."""
    lowered = text.lower()
    if lowered.isascii():  # most text: a byte table is ten times quicker
        letters = lowered.encode("ascii").translate(None, NOT_ASCII_LETTERS)
    else:
        letters = NOT_LETTERS.sub("", lowered).encode("utf-8")
    short = hashlib.sha1(letters).hexdigest()[:10] if letters else ""
    return f"{kind}:{short}"


def words(inlines: tuple[m.Inline, ...]) -> str:
    """What Word shows of some inlines as runs of text: not what fields,
    footnote references, formulas and pictures show."""
    parts: list[str] = []
    for item in inlines:
        match item:
            case m.Text(text=text) | m.Code(text=text) | m.Abbr(text=text):
                parts.append(text)
            case m.Emph() | m.Strong() | m.Link() | m.Strike() | m.Sub() | m.Sup() | m.Span():
                parts.append(words(walk.inline_children(item)))
            case m.Cite(children=children):
                parts.append(words(children))  # as the style words it
            case m.LineBreak() | m.FootnoteRef() | m.Ref() | m.Image() | m.Anchor() | m.Math():
                pass  # a field, a note's number, a formula, a picture: no run of words
            case _:
                assert_never(item)
    return "".join(parts)


def marked(portion: str | None, inlines: tuple[m.Inline, ...]) -> str:
    return (f"({portion}) " if portion else "") + words(inlines)


@dataclass
class Hints:
    labels: Mapping[str, str]
    source_folder: Path | None
    containers: dict[str, dict] = field(default_factory=dict)
    math: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    images: dict[str, str] = field(default_factory=dict)
    defined: frozenset[str] = frozenset()  # abbreviations defined with `*[X]: …`
    count: int = 0

    def container(self, what: str, **attrs) -> str:
        """A new container's key; its kind and attributes kept under it."""
        self.count += 1
        key = f"{what[0]}{self.count}"
        self.containers[key] = {"kind": what, **attrs}
        return key

    def claim(self, ident: str) -> None:
        """An id whose bookmark name is not the id itself."""
        if ident and bookmark_name(ident) != ident:
            self.ids[bookmark_name(ident)] = ident
            self.ids[label_bookmark_name(ident)] = ident

    # Units ---------------------------------------------------------------------

    def blocks(self, blocks: tuple[m.Block, ...], path: list[str]) -> list[list]:
        out: list[list] = []
        for block in blocks:
            out.extend(self.block(block, path))
        return out

    def block(self, block: m.Block, path: list[str]) -> list[list]:
        match block:
            case m.Paragraph(inlines=inlines, portion=portion):
                if any(isinstance(i, m.Math) and i.display for i in inlines):
                    return self.display_split(inlines, portion, path)
                return [self.unit("para", marked(portion, inlines), path, self.inline_hints(inlines))]
            case m.ListBlock() as listed:
                key = self.container("list", ordered=listed.ordered, start=listed.start,
                                     style=listed.style, delimiter=listed.delimiter, loose=listed.loose)
                out: list[list] = []
                for item in listed.items:
                    item_key = self.container("item", task=item.task)
                    inner = [*path, key, item_key]
                    first, *rest = item.blocks or (None,)
                    if isinstance(first, m.Paragraph):
                        out.append(self.unit("para", marked(first.portion, first.inlines), inner,
                                             self.inline_hints(first.inlines)))
                    else:
                        out.append(self.unit("empty", "", inner))
                        rest = list(item.blocks)
                    out.extend(self.blocks(tuple(b for b in rest if b is not None), inner))
                return out
            case m.Quote(blocks=blocks, attribution=attribution, attribution_portion=portion):
                inner = [*path, self.container("quote")]
                out = self.blocks(blocks, inner)
                if attribution:
                    out.append(self.unit("attribution", "— " + marked(portion, attribution), inner,
                                         self.inline_hints(attribution)))
                return out
            case m.DefinitionList(items=entries):
                key = self.container("deflist")
                out = []
                for entry in entries:
                    term = self.container("term")
                    out.append(self.unit("term", marked(entry.portion, entry.term), [*path, key, term],
                                         self.inline_hints(entry.term)))
                    for definition in entry.definitions:
                        out.extend(self.blocks(definition, [*path, key, term, self.container("definition")]))
                return out
            case m.CodeBlock(text=text, lang=lang, label=label):
                attrs = {k: v for k, v in (("lang", lang), ("label", label)) if v}
                return [self.unit("code", text.rstrip("\n"), path, attrs)]
            case m.Rule():
                return [self.unit("rule", "", path)]
            case m.Admonition(kind=kind, title=title, portion=portion, blocks=blocks):
                shown = title
                if not title and (block.default_title or block.folded is not None):
                    shown = (m.Text(text=self.labels.get(f"admonition_{kind}", kind.capitalize())),)
                key = self.container("admonition", type=kind, title=bool(shown),
                                     default_title=block.default_title, folded=block.folded,
                                     own_title=bool(title))
                inner = [*path, key]
                out = [self.unit("title", marked(portion, shown), inner, self.inline_hints(shown))] \
                    if shown else []
                return out + self.blocks(blocks, inner)
            case m.Div(formats=formats) if formats and "docx" not in formats:
                return []  # content for other formats: not in the DOCX, and nothing of it here
            case m.Div(classes=classes, id=ident, blocks=blocks, formats=formats):
                self.claim(ident)
                return self.blocks(blocks, [*path, self.container("div", classes=list(classes), id=ident,
                                                                  formats=list(formats))])
            case m.Table() as table:
                self.claim(table.id)
                cells = [*table.head, *(cell for row in (*table.head_more, *table.rows) for cell in row)]
                for cell in cells:  # ids in cells, formulas, pictures
                    for nested in walk.nested_blocks(cell):
                        self.note_ids(nested)
                rows = len(table.rows) + len(table.head_rows())
                columns = len(table.aligns)
                shares: dict = {"widths": list(table.widths)} if table.widths else {}
                return [self.unit("table", marked(table.portion, table.caption) + f" r{rows}c{columns}",
                                  path, shares)]
            case m.Figure() as figure:
                self.claim(figure.id)
                self.image(figure.path, figure.data)
                text = marked(figure.portion, figure.caption) if figure.caption else figure.alt
                said: dict = {"alt": figure.alt} if figure.caption else {}
                if figure.display_width or figure.display_height:
                    said["size"] = sizes(figure.display_width, figure.display_height)
                return [self.unit("figure", text, path, said)]
            case m.Equation(tex=tex, id=ident):
                self.claim(ident)
                self.formula(tex, display=not block.number)
                return [self.unit("equation", "", path)]
            case m.PageBreak():
                return [self.unit("pagebreak", "", path)]
            case m.Bibliography():  # made from the sources: its place only
                return [self.unit("bibliography", "", path)]
            case m.TabSet(tabs=tabs):
                key = self.container("tabset")
                out = []
                for tab in tabs:
                    inner = [*path, key, self.container("tab", titled=bool(tab.title))]
                    if tab.title:
                        out.append(self.unit("tabtitle", marked(tab.portion, tab.title), inner,
                                             self.inline_hints(tab.title)))
                    out.extend(self.blocks(tab.blocks, inner))
                return out
            case m.FigureGroup() as group:
                self.claim(group.id)
                figures = []
                for figure in group.figures:
                    self.claim(figure.id)
                    self.image(figure.path, figure.data)
                    figures.append({"alt": figure.alt, "size": sizes(figure.display_width, figure.display_height)})
                return [self.unit("figuregroup", marked(group.portion, group.caption), path,
                                  {"columns": group.columns, "figures": figures})]
            case _:
                assert_never(block)

    def display_split(self, inlines: tuple[m.Inline, ...], portion: str | None, path: list[str]) -> list[list]:
        """As render/docx/blocks.py display_split writes it: the text before
        a display formula, the formula, the text after, each its own
        paragraph; all but the first say they join the one before."""
        out: list[list] = []
        run: list[m.Inline] = []
        for item in (*inlines, None):
            if item is None or (isinstance(item, m.Math) and item.display):
                if run and not (len(run) == 1 and isinstance(run[0], m.Text) and not run[0].text.strip()):
                    unit = self.unit("para", marked(None if out else portion, tuple(run)), path,
                                     self.inline_hints(tuple(run)))
                    if out:
                        unit[2]["join"] = True
                    out.append(unit)
                run = []
                if item is not None:
                    self.formula(item.tex, display=True)
                    unit = self.unit("equation", "", path)
                    if out:
                        unit[2]["join"] = True
                    out.append(unit)
            else:
                run.append(item)
        return out

    def unit(self, kind: str, text: str, path: list[str], attrs: dict | None = None) -> list:
        return [fingerprint(kind, text), list(path), dict(attrs or {})]

    def inline_hints(self, inlines: tuple[m.Inline, ...]) -> dict:
        """A unit's inlines' hints, in reading order: link titles; which
        code runs were keys (`<kbd>`); spans' classes by their bookmark."""
        links: list[list[str]] = []
        keys: list[bool] = []
        spans: dict[str, list[str]] = {}
        abbreviations: list[list[str]] = []
        images: list[list[str]] = []
        cites: dict[str, str] = {}
        refs: list[str] = []
        for item in walk.nested_inlines(inlines):
            match item:
                case m.Link(target=target, title=title) if title:
                    links.append([target, title])
                case m.Code():
                    keys.append(False)
                case m.Span(classes=classes, id=ident):
                    if "kbd" in classes:
                        keys.append(True)
                    if ident:
                        self.claim(ident)
                        if classes:
                            spans[bookmark_name(ident)] = list(classes)
                case m.Anchor(id=ident):
                    self.claim(ident)
                case m.Cite(id=ident) as citation if ident:
                    cites[cite_bookmark(ident)] = cite_markdown(citation)
                case m.Ref(id=ident):
                    refs.append(ident)
                case m.Abbr(text=text, title=title) if text not in self.defined:
                    abbreviations.append([text, title])
                case m.Math(tex=tex, display=display):
                    self.formula(tex, display)
                case m.Image(path=path) as image:
                    self.image(path, image.data)
                    images.append(sizes(image.display_width, image.display_height))
                case _:
                    pass
        found: dict = {}
        if links:
            found["links"] = links
        if any(keys):
            found["keys"] = keys
        if spans:
            found["spans"] = spans
        if abbreviations:
            found["abbr"] = abbreviations
        if any(any(size) for size in images):
            found["images"] = images
        if cites:
            found["cites"] = cites
        if refs:
            found["refs"] = refs
        return found

    def note_ids(self, block: m.Block) -> None:
        for run in walk.block_inlines(block):
            self.inline_hints(run)

    def formula(self, tex: str, display: bool) -> None:
        """The formula's TeX under its signature: its structure as Office
        Math, as render/docx/math.py writes it."""
        from pipeline.render.omml import omml

        written = omml(tex, display)
        if written is None:
            return
        self.math[signature(written)] = tex

    def image(self, path: str, data: bytes) -> None:
        """The figure's file, as a path from the source's folder, under the
        hash of its bytes: the import writes it back where it was."""
        if self.source_folder is None or not path:  # no file: a remote figure's frame
            return
        try:
            relative = Path(path).resolve().relative_to(self.source_folder)
        except (OSError, ValueError):
            return
        self.images[hashlib.sha1(data).hexdigest()] = relative.as_posix()


def cite_markdown(citation: m.Cite) -> str:
    """A citation as pandoc's syntax says it, from what the reader took of
    it: `[see @smith2020, {page 33}]`, `@smith2020 [{page 4}]`."""
    def item(one: m.CiteItem, bare: bool = False) -> tuple[str, str]:
        said = "" if bare else (f"{one.prefix} " if one.prefix else "") + ("-" if one.suppress_author else "")
        said += f"@{one.key}"
        rest = ""
        if one.locator:
            rest += "{" + (f"{one.label} " if one.label else "") + one.locator + "}"
        if one.suffix:
            rest += one.suffix if rest or one.suffix[:1] in (",", " ") else f" {one.suffix}"
        return said, rest

    if citation.in_text and len(citation.items) == 1:
        said, rest = item(citation.items[0], bare=True)
        return said + (f" [{rest.lstrip(', ')}]" if rest else "")
    parts = []
    for one in citation.items:
        said, rest = item(one)
        parts.append(said + (f", {rest.lstrip(', ')}" if rest and not rest.startswith(",") else rest))
    return "[" + "; ".join(parts) + "]"


def sizes(width: m.Length | None, height: m.Length | None) -> list[str]:
    """An image's size as its author wrote it (`50%`, `3in`), or ""."""
    return [f"{length.value:g}{length.unit}" if length else "" for length in (width, height)]


M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def signature(written: str) -> str:
    """The signature of the formula we write (OMML markup), as the import
    computes it from Word's copy."""
    from lxml import etree

    from pipeline.render.docx.package import W_NS

    return math_signature(etree.fromstring(f'<m:wrap xmlns:m="{M_NS}" xmlns:w="{W_NS}">{written}</m:wrap>'))


def math_signature(element) -> str:
    """A formula's structure and text, which Word keeps when it saves the
    file (it may add run properties, never change the structure): what the
    import knows a formula by, whoever wrote it."""
    from lxml import etree

    maths = [element] if etree.QName(element).localname == "oMath" else list(element.iter(f"{{{M_NS}}}oMath"))
    return "|".join(shape(math) for math in maths)


def shape(element) -> str:
    from lxml import etree

    parts: list[str] = []
    text: list[str] = []
    for child in element:
        if etree.QName(child).namespace != M_NS:
            continue
        name = etree.QName(child).localname
        if name.endswith("Pr"):
            continue
        if name == "r":
            text.append("".join(t.text or "" for t in child.iter(f"{{{M_NS}}}t")))
            continue
        if text:
            parts.append(repr("".join(text)))
            text = []
        parts.append(name + "(" + shape(child) + ")")
    if text:
        parts.append(repr("".join(text)))
    return ",".join(parts)


def hints(doc: m.Document, labels: Mapping[str, str]) -> dict:
    """Everything the import needs that Word has no place for."""
    folder = Path(doc.path).resolve().parent if doc.path else None
    found = Hints(labels=labels, source_folder=folder,
                  defined=frozenset(short for short, _ in doc.abbreviations))
    units: list[list] = []
    units.extend(found.blocks(without_references(doc), []))
    for section in walk.sections(doc):
        found.claim(section.id)
        said = found.inline_hints(section.title)
        shown = section.title
        if section.attachment is not None:  # Word shows the heading the order gives it
            shown = (m.Text(text=section.attachment.heading),)
        if section.classes:
            said["classes"] = list(section.classes)
        if section.attachment is not None and all(isinstance(i, m.Text) for i in section.title):
            # Word shows the heading the order gives an annex: the title as written.
            said["title"] = marked(section.portion, section.title)
        units.append(found.unit("heading", marked(section.portion, shown), [], said))
        units.extend(found.blocks(section.blocks, []))
    notes = {str(note.number): found.blocks(note.blocks, []) for note in doc.footnotes}
    abstract = found.blocks(doc.abstract, [])
    meta = doc.meta
    written = dict(meta.key_lines)
    front = {key: value for key, value in (
        ("marking_scheme", meta.marking_scheme if "marking_scheme" in written else None),
        ("title_page", meta.title_page if "title_page" in written else None),
        ("short_title", f"({meta.short_title_portion}) {meta.short_title}" if meta.short_title_portion
         and meta.short_title else meta.short_title),
        ("lang", meta.lang if "lang" in written else None),
        ("paper", meta.paper if "paper" in written else None),
        ("numbering", "military" if meta.military else None),
        ("bibliography", list(meta.bibliography) if "bibliography" in written else None),
        ("csl", meta.csl if "csl" in written else None),
        ("link_citations", meta.link_citations if "link_citations" in written else None),
        ("link_bibliography", meta.link_bibliography if "link_bibliography" in written else None),
        ("nocite", ", ".join(f"@{key}" for key in meta.nocite) if "nocite" in written else None),
        ("reference_section_title", meta.reference_section_title if "reference_section_title" in written else None),
        ("suppress_bibliography", meta.suppress_bibliography if "suppress_bibliography" in written else None),
        ("enclosures", [{"file": file, "title": title, "classification": classification}
                        for file, title, classification, _ in meta.enclosures] if meta.enclosures else None))
        if value is not None}
    front.update(import_hints(meta))  # a staff product's typed keys
    # An expansion's own mark is a portion of the roll-up; one it shows
    # without is the roll-up of the portions that use it.
    own = sorted({source.what.removeprefix("abbreviation ") for part in (doc.rollup.parts if doc.rollup else ())
                  for source in part.sources if source.what.startswith("abbreviation ")})
    return {"v": VERSION, "units": units, "notes": notes, "abstract": abstract,
            "containers": found.containers, "math": found.math, "ids": found.ids,
            "images": found.images, "front": front, "marked_abbreviations": own,
            "cite_notes": cite_notes(doc)}


def cite_notes(doc: m.Document) -> dict[str, str]:
    """In a note style, each citation of the text became a footnote (and,
    said in the text, its author's name before it): the notes' numbers and
    the citations as written. The final model keeps only their words, so
    the source is read again (before the passes) for the citations, which
    stand in the same order as the notes made of them."""
    generated = {int(back.removeprefix("fnref-")) for entry in (
        doc.bibliography.entries if doc.bibliography else ()) for back in entry.cited_by
        if back.startswith("fnref-")}
    for block in walk.blocks(doc):
        if isinstance(block, m.Bibliography):
            generated |= {int(back.removeprefix("fnref-")) for entry in block.entries for back in entry.cited_by
                          if back.startswith("fnref-")}
    if not generated or not doc.source:
        return {}
    from pipeline.problems import BriefingError, Reporter
    from pipeline.read.frontmatter import read_meta
    from pipeline.read.markdown import parse
    from pipeline.read.source import Source

    source = Source(path=Path(doc.path), name=doc.path, text=doc.source, lines=tuple(doc.source.split("\n")))
    try:
        meta, body_line = read_meta(source, Reporter(doc.path), stop=False)
        written = parse(source, meta, body_line, [])
    except (BriefingError, RecursionError):
        return {}
    cites: list[m.Cite] = []
    numbers: list[int] = []

    def citations(item: m.Inline) -> m.Inline:
        if isinstance(item, m.Cite):
            cites.append(item)
        return item

    def notes(item: m.Inline) -> m.Inline:
        if isinstance(item, m.FootnoteRef) and item.number in generated and item.first:
            numbers.append(item.number)
        return item

    import dataclasses
    walk.map_document(dataclasses.replace(written, footnotes=()), inline=citations)
    walk.map_document(dataclasses.replace(doc, footnotes=()), inline=notes)
    if len(cites) != len(numbers):
        return {}
    return {str(number): cite_markdown(cite) for number, cite in zip(numbers, cites)}


def marking_properties(meta: m.Meta) -> list[tuple[str, str]]:
    """The marking keys that have no document property yet (markings/blocks.py
    gives the statement's words, not its letter and parts)."""
    pairs = [("Distribution", meta.distribution), ("DistributionReason", meta.distribution_reason),
             ("DistributionDate", meta.distribution_date), ("ControllingOffice", meta.controlling_office),
             ("ControlledBy", "; ".join(meta.controlled_by)), ("PointOfContact", meta.poc)]
    return [(name, value) for name, value in pairs if value]


def add_hints(package, data: dict) -> None:
    """The hints as the document variable HINTS in word/settings.xml, after
    w:compat (CT_Settings' order: … compat, docVars, rsids …)."""
    settings = package.settings.element
    variables = settings.find(qn("w:docVars"))
    if variables is None:
        variables = OxmlElement("w:docVars")
        anchor = settings.find(qn("w:compat"))
        if anchor is not None:
            anchor.addnext(variables)
        else:
            later = next((settings.find(qn(f"w:{name}")) for name in (
                "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
                "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
                "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
                "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")
                if settings.find(qn(f"w:{name}")) is not None), None)
            if later is not None:
                later.addprevious(variables)
            else:
                settings.append(variables)
    for old in variables.findall(qn("w:docVar")):
        if hints_part(old.get(qn("w:name"))):
            variables.remove(old)
    value = json.dumps(data, separators=(",", ":"), ensure_ascii=True)  # ASCII: a character a byte
    for number, start in enumerate(range(0, len(value), VALUE_MOST), start=1):
        variables.append(OxmlElement("w:docVar", {qn("w:name"): HINTS if number == 1 else f"{HINTS}.{number}",
                                                  qn("w:val"): value[start:start + VALUE_MOST]}))


def hints_part(name: str | None) -> int:
    """Which part of the hints a document variable named `name` holds (1
    for HINTS, n for HINTS.n); 0 for any other variable."""
    if name == HINTS:
        return 1
    number = (name or "").removeprefix(f"{HINTS}.")
    if number == name or not (number.isascii() and number.isdigit() and len(number) < 7):
        return 0
    return int(number) if int(number) > 1 else 0
