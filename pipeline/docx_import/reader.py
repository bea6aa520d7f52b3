"""A DOCX package -> the import tree (tree.py): paragraphs with their
style names and list levels, runs with their formatting, fields read for
what they mean (REF, SEQ, HYPERLINK …), footnotes, comments and pictures,
and every tracked change kept as a node, resolved later (changes.py).

Word's XML is read with lxml straight from the checked package
(package.py), never through a library that would fetch, expand or trust
what it finds.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from lxml import etree

from pipeline.docx_import import omml
from pipeline.docx_import.package import NS, W, Package, refused
from pipeline.docx_import.symbols import in_font, private, symbol_char
from pipeline.docx_import.tree import (Block, Break, Bookmark, Cell, Change, Comment, Commented,
                                       CrossRef, Formula, Inline, Link, Media, NoteRef, Para, Picture,
                                       Read, RepeatedNoteRef, Row, Sequence, TableBlock, Task, Text)
from pipeline.render.docx.roundtrip import LOOSE_AFTER_TWIPS, hints_part

M = "{%s}" % NS["m"]
R_ID = "{%s}id" % NS["r"]
R_EMBED = "{%s}embed" % NS["r"]
R_LINK = "{%s}link" % NS["r"]
MC = "{%s}" % NS["mc"]

# Fonts that mean code in a run of a Word file made elsewhere.
MONOSPACE = ("courier", "consolas", "menlo", "monaco", "lucida console", "source code", "noto sans mono",
             "dejavu sans mono", "liberation mono", "fira code", "fira mono", "cascadia")
# Our own character styles (and pandoc's) and what they mean.
CHAR_STYLE_MARKS = {"emphasis": "emph", "strong": "strong", "verbatim char": "code",
                    "source code char": "code", "html code": "code", "html keyboard": "code",
                    "html typewriter": "code", "intense emphasis": "emph", "subtle emphasis": "emph",
                    "book title": "emph",
                    # Ours, whose look says nothing the Markdown says.
                    "portion mark": "", "caption label": "", "detail label": "", "task box": "",
                    "footnote reference": "", "hyperlink": "", "page number": ""}
FIELD_WORD = re.compile(r'^\s*(\w+)')
QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"|(\S+)')
TRUE_VALUES = ("", "1", "true", "on")


def on(element: etree._Element | None) -> bool:
    """A toggle property (w:b, w:i …) that is there and not switched off."""
    return element is not None and element.get(f"{W}val", "") in TRUE_VALUES


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


@dataclass
class Styles:
    names: dict[str, str]  # styleId -> name
    based_on: dict[str, str]  # styleId -> styleId
    numbering: dict[str, tuple[str, int]]  # paragraph styleId -> (numId, ilvl)
    outline: dict[str, int]  # paragraph styleId -> outline level (0-8)
    run_marks: dict[str, frozenset[str]]  # character styleId -> marks it gives
    default_paragraph: str = ""
    bold: set[str] = field(default_factory=set)  # paragraph styles whose text is bold
    indent: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)  # styleId -> left, hanging

    def indentation(self, style_id: str | None) -> tuple[int, int]:
        """A paragraph style's left and hanging indents (twips), through its bases."""
        left = hanging = None
        for ident in self.chain(style_id or self.default_paragraph):
            own_left, own_hanging = self.indent.get(ident, (None, None))
            left = own_left if left is None else left
            hanging = own_hanging if hanging is None else hanging
        return left or 0, hanging or 0

    def quote(self, style_id: str | None) -> bool:
        """A style that is, or is based on, one of the quotation styles (as pandoc reads them)."""
        return any(self.names.get(ident, "").lower() in QUOTE_NAMES for ident in self.chain(style_id))

    def bold_style(self, style_id: str | None) -> bool:
        """A paragraph style that sets its text bold (a heading, a title):
        a run's own bold says nothing more there (LibreOffice writes it)."""
        return any(ident in self.bold for ident in self.chain(style_id or self.default_paragraph))

    def name(self, style_id: str | None) -> str:
        if not style_id:
            return self.names.get(self.default_paragraph, "Normal")
        return self.names.get(style_id, style_id)

    def chain(self, style_id: str | None) -> list[str]:
        seen: list[str] = []
        while style_id and style_id not in seen and len(seen) < 20:
            seen.append(style_id)
            style_id = self.based_on.get(style_id)
        return seen

    def style_numbering(self, style_id: str | None) -> tuple[str, int] | None:
        for ident in self.chain(style_id):
            if ident in self.numbering:
                return self.numbering[ident]
        return None

    def heading_level(self, style_id: str | None) -> int | None:
        """The heading level a style says by what it is based on (a
        "Myheading2" based on "heading 2"), or by the outline level it or
        its base sets, first found; None for body text, or past level 6."""
        for ident in self.chain(style_id):
            if ident in self.outline:
                return self.outline[ident] + 1 if self.outline[ident] < 6 else None
            found = re.fullmatch(r"heading ([1-9])", self.names.get(ident, "").lower())
            if found:
                return int(found[1]) if int(found[1]) <= 6 else None
        return None

    def outline_level(self, style_id: str | None) -> int | None:
        for ident in self.chain(style_id):
            if ident in self.outline:
                return self.outline[ident]
        return None


def read_styles(root: etree._Element | None) -> Styles:
    styles = Styles({}, {}, {}, {}, {})
    if root is None:
        return styles
    for style in root.iter(f"{W}style"):
        ident = style.get(f"{W}styleId", "")
        name = style.find(f"{W}name")
        styles.names[ident] = name.get(f"{W}val", ident) if name is not None else ident
        based = style.find(f"{W}basedOn")
        if based is not None:
            styles.based_on[ident] = based.get(f"{W}val", "")
        kind = style.get(f"{W}type")
        if kind == "paragraph":
            if style.get(f"{W}default") in ("1", "true"):
                styles.default_paragraph = ident
            num = style.find(f"{W}pPr/{W}numPr")
            if num is not None:
                num_id = num.find(f"{W}numId")
                level = num.find(f"{W}ilvl")
                if num_id is not None:
                    styles.numbering[ident] = (num_id.get(f"{W}val", "0"),
                                               int(level.get(f"{W}val", "0")) if level is not None else 0)
            if on(style.find(f"{W}rPr/{W}b")):
                styles.bold.add(ident)
            ind = style.find(f"{W}pPr/{W}ind")
            if ind is not None:
                styles.indent[ident] = indents(ind)
            outline = style.find(f"{W}pPr/{W}outlineLvl")
            if outline is not None and outline.get(f"{W}val", "9").isdigit():
                styles.outline[ident] = int(outline.get(f"{W}val", "9"))
        elif kind == "character":
            rpr = style.find(f"{W}rPr")
            marks = set()
            lowered = styles.names[ident].lower()
            if lowered in CHAR_STYLE_MARKS:
                marks |= {CHAR_STYLE_MARKS[lowered]} - {""}
            elif rpr is not None:
                marks |= run_properties(rpr)
            styles.run_marks[ident] = frozenset(marks)
    return styles


QUOTE_NAMES = ("quote", "block text", "block quote", "block quotation", "intense quote")


def twips(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def indents(ind: etree._Element) -> tuple[int | None, int | None]:
    """A w:ind's left (or start) and hanging indents, in twips; None where not set."""
    left = twips(ind.get(f"{W}left") or ind.get(f"{W}start"))
    hanging = twips(ind.get(f"{W}hanging"))
    if hanging is None and ind.get(f"{W}firstLine") is not None:
        hanging = 0
    return left, hanging


def switched_off(rpr: etree._Element) -> set[str]:
    """Marks a run's own properties turn off (`<w:b w:val="0"/>`)."""
    off: set[str] = set()
    for tag, mark in (("b", "strong"), ("i", "emph"), ("strike", "strike"), ("smallCaps", "smallcaps")):
        found = rpr.find(f"{W}{tag}")
        if found is not None and not on(found):
            off.add(mark)
    return off


def run_properties(rpr: etree._Element | None) -> set[str]:
    """The marks a w:rPr gives its run, by direct formatting."""
    marks: set[str] = set()
    if rpr is None:
        return marks
    if on(rpr.find(f"{W}b")):
        marks.add("strong")
    if on(rpr.find(f"{W}i")):
        marks.add("emph")
    if on(rpr.find(f"{W}strike")) or on(rpr.find(f"{W}dstrike")):
        marks.add("strike")
    if on(rpr.find(f"{W}smallCaps")):
        marks.add("smallcaps")
    underline = rpr.find(f"{W}u")
    if underline is not None and underline.get(f"{W}val", "single") != "none":
        marks.add("underline")
    highlight = rpr.find(f"{W}highlight")
    if highlight is not None and highlight.get(f"{W}val", "none") != "none":
        marks.add("mark")
    align = rpr.find(f"{W}vertAlign")
    if align is not None:
        value = align.get(f"{W}val")
        if value == "superscript":
            marks.add("sup")
        elif value == "subscript":
            marks.add("sub")
    fonts = rpr.find(f"{W}rFonts")
    if fonts is not None:
        face = (fonts.get(f"{W}ascii") or fonts.get(f"{W}hAnsi") or "").lower()
        if face.startswith(MONOSPACE):
            marks.add("code")
    return marks


def read_numbering(root: etree._Element | None, instances: dict[str, tuple[str, frozenset[int]]] | None = None
                   ) -> dict[str, dict[int, tuple[str, str, int]]]:
    """numId -> level -> (number format, level text, start); and in
    `instances`, numId -> (its abstractNumId, the levels it restarts)."""
    if root is None:
        return {}
    abstracts: dict[str, dict[int, tuple[str, str, int]]] = {}
    links: dict[str, str] = {}  # abstractNumId -> the style it takes its levels from
    owners: dict[str, str] = {}  # style name -> abstractNumId that defines it
    for abstract in root.iter(f"{W}abstractNum"):
        ident = abstract.get(f"{W}abstractNumId", "")
        levels: dict[int, tuple[str, str, int]] = {}
        for lvl in abstract.findall(f"{W}lvl"):
            level = int(lvl.get(f"{W}ilvl", "0") or 0)
            fmt = lvl.find(f"{W}numFmt")
            text = lvl.find(f"{W}lvlText")
            start = lvl.find(f"{W}start")
            levels[level] = (fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
                             text.get(f"{W}val", "") if text is not None else "",
                             int(start.get(f"{W}val", "1") or 1) if start is not None else 1)
        abstracts[ident] = levels
        link = abstract.find(f"{W}numStyleLink")
        if link is not None:
            links[ident] = link.get(f"{W}val", "")
        owner = abstract.find(f"{W}styleLink")
        if owner is not None:
            owners[owner.get(f"{W}val", "")] = ident
    found: dict[str, dict[int, tuple[str, str, int]]] = {}
    for num in root.iter(f"{W}num"):
        ident = num.get(f"{W}numId", "")
        abstract_id = num.find(f"{W}abstractNumId")
        key = abstract_id.get(f"{W}val", "") if abstract_id is not None else ""
        if key in links and links[key] in owners:
            key = owners[links[key]]
        levels = dict(abstracts.get(key, {}))
        if instances is not None:
            instances[ident] = (key, frozenset(int(o.get(f"{W}ilvl", "0") or 0) for o in num.findall(f"{W}lvlOverride")
                                               if o.find(f"{W}startOverride") is not None))
        for override in num.findall(f"{W}lvlOverride"):
            level = int(override.get(f"{W}ilvl", "0") or 0)
            start = override.find(f"{W}startOverride")
            if start is not None and level in levels:
                fmt, text, _ = levels[level]
                levels[level] = (fmt, text, int(start.get(f"{W}val", "1") or 1))
        found[ident] = levels
    return found


# Reading paragraphs -------------------------------------------------------------

@dataclass
class Event:
    """One thing in a paragraph, in reading order, with the ranges open
    around it: the link, the tracked change."""
    kind: str  # "leaf", "bookmark-start", "bookmark-end", "comment-start", "comment-end"
    node: Inline | None = None
    name: str = ""
    link: str | None = None
    change: Change | None = None  # without children: kind, author, date
    old: Inline | None = None  # a format change's leaf as it was


@dataclass
class FieldFrame:
    instruction: str = ""
    separated: bool = False
    result: list[Event] = field(default_factory=list)


@dataclass
class Reader:
    package: Package
    part: str
    styles: Styles
    read: Read
    ours: bool  # made by briefing: its styles say exactly what they mean
    paragraphs: int = 0
    fields: list[FieldFrame] = field(default_factory=list)
    bookmark_names: dict[str, str] = field(default_factory=dict)  # w:id -> name
    in_toc: int = 0  # open TOC fields
    open_comments: list[str] = field(default_factory=list)  # comment ranges open across paragraphs
    boxes: list[Block] = field(default_factory=list)  # text boxes' blocks, to follow their paragraph

    # Blocks -----------------------------------------------------------------

    def blocks(self, container: etree._Element) -> list[Block]:
        out: list[Block] = []
        for child in container:
            name = local(child)
            if name == "p":
                para = self.paragraph(child)
                if out and isinstance(out[-1], Para) and out[-1].drop_cap:
                    # A drop cap is a frame of its own before its paragraph: one word again.
                    para.inlines = (*out.pop().inlines, *para.inlines)  # type: ignore[union-attr]
                out.append(para)
                out.extend(self.boxes)
                self.boxes = []
            elif name == "tbl":
                out.append(self.table(child))
            elif name == "sdt":  # a content control: its content
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    out.extend(self.blocks(content))
            elif name in ("customXml", "ins", "moveTo", "del", "moveFrom"):  # wrappers of blocks
                out.extend(self.blocks(child))
            elif name == "AlternateContent":
                out.extend(self.blocks(alternative(child)))
        return out

    def table(self, tbl: etree._Element) -> TableBlock:
        self.paragraphs += 1
        index = self.paragraphs
        widths = [int(col.get(f"{W}w", "0") or 0) for col in tbl.findall(f"{W}tblGrid/{W}gridCol")]
        rows: list[Row] = []
        spans = False
        for tr in tbl.findall(f"{W}tr"):
            trpr = tr.find(f"{W}trPr")
            header = trpr is not None and on(trpr.find(f"{W}tblHeader"))
            change = None
            if trpr is not None:
                for kind, tag in (("ins", "ins"), ("del", "del")):
                    mark = trpr.find(f"{W}{tag}")
                    if mark is not None:
                        change = change_of(kind, mark)
            # Each cell in its grid column: cells skipped before and after
            # the row (w:gridBefore, w:gridAfter) are empty cells; the columns
            # a cell spans past its first, and the places a merge down
            # continues it (w:vMerge), are covered.
            cells = [Cell(blocks=[]) for _ in range(grid_count(trpr, "gridBefore"))]
            for tc in tr.iter(f"{W}tc"):
                if tc.getparent() is not tr and local(tc.getparent()) not in ("sdtContent", "customXml"):
                    continue
                tcpr = tc.find(f"{W}tcPr")
                across = min(grid_count(tcpr, "gridSpan") or 1, 64)
                down, aside = ((tcpr.find(f"{W}vMerge"), tcpr.find(f"{W}hMerge")) if tcpr is not None
                               else (None, None))
                spans = spans or across > 1 or down is not None or aside is not None
                if continues(aside) and (left := next((c for c in reversed(cells) if not c.covered), None)):
                    left.across += 1  # Word 97's merge across: the cell to its left takes the place
                    cells.append(Cell(blocks=[], covered=True))
                    continue
                above = merged_above(rows, len(cells)) if continues(down) else None
                if above is not None:
                    above.down += 1
                cells.append(Cell(blocks=[] if above else self.blocks(tc), across=across, covered=above is not None))
                cells.extend(Cell(blocks=[], covered=True) for _ in range(across - 1))
            cells.extend(Cell(blocks=[]) for _ in range(grid_count(trpr, "gridAfter")))
            rows.append(Row(cells=cells, header=header, change=change))
        look = tbl.find(f"{W}tblPr/{W}tblLook")
        first_row = look is not None and (look.get(f"{W}firstRow") in ("1", "true", "on") or (
            look.get(f"{W}firstRow") is None and int(look.get(f"{W}val", "0") or "0", 16) & 0x20 != 0))
        return TableBlock(rows=rows, widths=widths, index=index, spans=spans, first_row=first_row)

    def paragraph(self, p: etree._Element) -> Para:
        self.paragraphs += 1
        ppr = p.find(f"{W}pPr")
        style_id = None
        numbering = None
        align = None
        change = None
        style_change: tuple[Change, str] | None = None
        if ppr is not None:
            pstyle = ppr.find(f"{W}pStyle")
            style_id = pstyle.get(f"{W}val") if pstyle is not None else None
            num = ppr.find(f"{W}numPr")
            if num is not None:
                num_id = num.find(f"{W}numId")
                level = num.find(f"{W}ilvl")
                if num_id is not None:
                    numbering = (num_id.get(f"{W}val", "0"),
                                 int(level.get(f"{W}val", "0") or 0) if level is not None else 0)
            jc = ppr.find(f"{W}jc")
            align = jc.get(f"{W}val") if jc is not None else None
            for kind in ("ins", "del"):
                mark = ppr.find(f"{W}rPr/{W}{kind}")
                if mark is not None:
                    change = change_of(kind, mark)
            old = ppr.find(f"{W}pPrChange")
            if old is not None:
                before = old.find(f"{W}pPr/{W}pStyle")
                old_style = self.styles.name(before.get(f"{W}val") if before is not None else None)
                if old_style != self.styles.name(style_id):
                    style_change = (change_of("style", old), old_style)
        # Its own numbering naming no list (w:numId 0, or one not defined).
        unnumbered = numbering is not None and (numbering[0] == "0" or numbering[0] not in self.read.numbering)
        if numbering is None:
            numbering = self.styles.style_numbering(style_id)
        if numbering is not None and (unnumbered or numbering[0] == "0"):
            numbering = None
        style = self.styles.name(style_id)
        quoted = False
        if not self.ours:  # pandoc's reading: a quotation style, or indented more than its style
            base_left, base_hanging = self.styles.indentation(style_id)
            ind = ppr.find(f"{W}ind") if ppr is not None else None
            left, hanging = indents(ind) if ind is not None else (None, None)
            relative = ((base_left if left is None else left) - (base_hanging if hanging is None else hanging)) \
                - (base_left - base_hanging)
            quoted = self.styles.quote(style_id) or (relative > 0 and numbering is None and not unnumbered)
        para = Para(style=style, inlines=(), index=self.paragraphs, numbering=numbering, align=align,
                    change=change, style_change=style_change, bold_style=self.styles.bold_style(style_id),
                    unnumbered=unnumbered, heading=None if self.ours else self.styles.heading_level(style_id),
                    quoted=quoted)
        spacing = ppr.find(f"{W}spacing") if ppr is not None and self.ours else None
        para.loose_item = spacing is not None and spacing.get(f"{W}after") == str(LOOSE_AFTER_TWIPS)
        frame = ppr.find(f"{W}framePr") if ppr is not None else None
        para.drop_cap = frame is not None and frame.get(f"{W}dropCap", "none") in ("drop", "margin")
        if self.in_toc:
            para.fields = ("TOC",)
        events: list[Event] = []
        self.children(p, events, link=None, change=None, para=para)
        if self.in_toc and "TOC" not in para.fields:
            para.fields = (*para.fields, "TOC")
        for frame in self.fields:  # a field that goes on past this paragraph shows its result here
            if frame.separated and field_word(frame.instruction) != "TOC":
                events.extend(frame.result)
                frame.result = []
        if is_code_style(style):
            para.code = code_text(events)
        para.page_break = para.page_break and not any(
            e.kind == "leaf" and not (isinstance(e.node, Text) and not e.node.text.strip())
            for e in events)
        para.inlines, para.bookmarks = nest(events, self.open_comments)
        return para

    # Runs and what holds them --------------------------------------------------

    def children(self, parent: etree._Element, events: list[Event], link: str | None,
                 change: Change | None, para: Para) -> None:
        for child in parent:
            name = local(child)
            namespace = etree.QName(child).namespace
            if namespace == NS["m"]:
                if name in ("oMath", "oMathPara"):
                    self.emit(events, Formula(tex=omml.to_tex(child), display=name == "oMathPara",
                                              signature=omml.signature(child)), link, change)
                continue
            if namespace != NS["w"] and name != "AlternateContent":
                continue
            match name:
                case "pPr" | "proofErr" | "permStart" | "permEnd" | "lastRenderedPageBreak":
                    pass
                case "r":
                    self.run(child, events, link, change, para)
                case "hyperlink":
                    self.children(child, events, self.hyperlink(child), change, para)
                case "fldSimple":
                    self.field_begin(child.get(f"{W}instr", ""))
                    self.fields[-1].separated = True
                    self.children(child, events, link, change, para)
                    self.field_end(events, para)
                case "ins" | "moveTo":
                    self.children(child, events, link, change_of("ins", child), para)
                case "del" | "moveFrom":
                    self.children(child, events, link, change_of("del", child), para)
                case "smartTag" | "customXml" | "dir" | "bdo":
                    self.children(child, events, link, change, para)
                case "sdt":
                    content = child.find(f"{W}sdtContent")
                    if content is not None:
                        self.children(content, events, link, change, para)
                case "bookmarkStart" if NOTE_MARK.fullmatch(child.get(f"{W}name", "")):
                    self.bookmark_names[child.get(f"{W}id", "")] = ""  # ours, round a note's first reference
                case "bookmarkStart":
                    self.bookmark_names[child.get(f"{W}id", "")] = child.get(f"{W}name", "")
                    self.add(events, Event("bookmark-start", name=child.get(f"{W}name", "")))
                case "bookmarkEnd" if not self.bookmark_names.get(child.get(f"{W}id", ""), "?"):
                    pass  # the end of one of ours, said nothing of
                case "bookmarkEnd":
                    bookmark = self.bookmark_names.get(child.get(f"{W}id", ""), "")
                    self.add(events, Event("bookmark-end", name=bookmark))
                case "commentRangeStart":
                    self.add(events, Event("comment-start", name=child.get(f"{W}id", "")))
                case "commentRangeEnd":
                    self.add(events, Event("comment-end", name=child.get(f"{W}id", "")))
                case "AlternateContent":
                    self.children(alternative(child), events, link, change, para)
                case _:
                    pass

    def add(self, events: list[Event], event: Event) -> None:
        """An event, or a field's result while a field is open."""
        if self.fields and self.fields[-1].separated:
            self.fields[-1].result.append(event)
        elif self.fields:
            pass  # inside a field's instruction: nothing shows
        else:
            events.append(event)

    def emit(self, events: list[Event], node: Inline, link: str | None, change: Change | None,
             old: Inline | None = None) -> None:
        self.add(events, Event("leaf", node=node, link=link, change=change, old=old))

    def hyperlink(self, element: etree._Element) -> str | None:
        anchor = element.get(f"{W}anchor")
        rid = element.get(R_ID)
        target = ""
        if rid:
            rel = self.package.relationships(self.part).get(rid)
            target = rel.target if rel is not None and rel.external else ""
        if anchor:
            target += "#" + anchor
        return target or None

    def run(self, r: etree._Element, events: list[Event], link: str | None, change: Change | None,
            para: Para) -> None:
        rpr = r.find(f"{W}rPr")
        marks = set(run_properties(rpr))
        style_name = ""
        if rpr is not None:
            rstyle = rpr.find(f"{W}rStyle")
            if rstyle is not None:
                ident = rstyle.get(f"{W}val", "")
                style_name = self.styles.name(ident).lower()
                marks |= self.styles.run_marks.get(ident, frozenset())
                marks -= switched_off(rpr)  # the run's own w:i="0" over its style's italic
            if on(rpr.find(f"{W}vanish")) or on(rpr.find(f"{W}specVanish")):
                return  # hidden text: a reader never sees it
        old_marks = None
        if rpr is not None and (before := rpr.find(f"{W}rPrChange")) is not None:
            old_rpr = before.find(f"{W}rPr")
            old_marks = set(run_properties(old_rpr))
            if old_rpr is not None and (old_style := old_rpr.find(f"{W}rStyle")) is not None:
                old_marks |= self.styles.run_marks.get(old_style.get(f"{W}val", ""), frozenset())
            if old_marks != marks and change is None:
                change = change_of("format", before)
            else:
                old_marks = None
        if para.bold_style:
            marks.discard("strong")
            if old_marks is not None:
                old_marks.discard("strong")
        frozen, old_frozen = frozenset(marks), frozenset(old_marks) if old_marks is not None else None
        task = style_name == "task box"
        for child in r:
            name = local(child)
            match name:
                case "t" | "delText" | "instrText" | "delInstrText":
                    text = child.text or ""
                    if name in ("instrText", "delInstrText"):
                        if self.fields and not self.fields[-1].separated:
                            self.fields[-1].instruction += text
                        continue
                    if task and text.strip() in ("☐", "☑", "☒"):
                        self.emit(events, Task(done=text.strip() != "☐"), link, change)
                        continue
                    if style_name == "footnote reference" and text.strip().isdigit():
                        self.emit(events, RepeatedNoteRef(int(text.strip())), link, change)
                        continue
                    if any(private(char) for char in text):
                        text = self.in_font(text, run_font(rpr), para)
                    self.emit(events, Text(text, frozen), link, change,
                              Text(text, old_frozen) if old_frozen is not None else None)
                case "tab" | "ptab":
                    self.emit(events, Text("\t", frozen), link, change)
                case "br" | "cr":
                    kind = child.get(f"{W}type", "textWrapping")
                    if kind in ("page", "column"):
                        para.page_break = True
                    else:
                        self.emit(events, Break(), link, change)
                case "noBreakHyphen":
                    self.emit(events, Text("-", frozen), link, change)
                case "softHyphen":
                    pass
                case "sym":
                    char = symbol(child)
                    if char:
                        self.emit(events, Text(char, frozen), link, change)
                    else:
                        font = child.get(f"{W}font", "")
                        self.read.warnings.append(
                            f"paragraph {para.index}: a symbol (code {child.get(f'{W}char', '')}"
                            f"{f' of the font {font!r}' if font else ''}), which has no Unicode character "
                            "briefing knows, is left out")
                case "fldChar":
                    kind = child.get(f"{W}fldCharType")
                    if kind == "begin":
                        self.field_begin("")
                    elif kind == "separate" and self.fields:
                        self.fields[-1].separated = True
                        self.field_separated()
                    elif kind == "end" and self.fields:
                        self.field_end(events, para)
                case "footnoteReference" | "endnoteReference":
                    key = child.get(f"{W}id", "")
                    self.emit(events, NoteRef(key if name == "footnoteReference" else f"e{key}"), link, change)
                case "footnoteRef" | "endnoteRef" | "separator" | "continuationSeparator":
                    pass
                case "commentReference" | "annotationRef":
                    pass
                case "drawing":
                    picture = self.drawing(child, para)
                    if picture is not None:
                        self.emit(events, picture, link, change)
                case "pict":
                    picture = self.vml(child, para)
                    if picture is not None:
                        self.emit(events, picture, link, change)
                case "object":  # an embedded object (OLE): the picture Word shows of it, as pandoc reads it
                    picture = self.vml(child, para)
                    if picture is not None:
                        self.emit(events, picture, link, change)
                    else:
                        para.text_box = True
                case "AlternateContent":
                    chosen = alternative(child)
                    for inner in chosen:
                        wrapper = etree.Element(f"{W}r")
                        wrapper.append(inner.__copy__())
                        if rpr is not None:
                            wrapper.insert(0, rpr.__copy__())
                        self.run(wrapper, events, link, change, para)
                case _:
                    if etree.QName(child).namespace == NS["m"]:
                        self.emit(events, Formula(tex=omml.to_tex(child), display=False,
                                                  signature=omml.signature(child)), link, change)

    def in_font(self, text: str, font: str, para: Para) -> str:
        """A run's text with its private-use characters (a symbol font's
        codes) replaced by what the font shows, or left out with a warning."""
        shown, lost = in_font(text, font)
        if lost:
            self.read.warnings.append(
                f"paragraph {para.index}: {', '.join(lost)}{f' of the font {font!r}' if font else ''} "
                "(private use: no meaning outside one font) left out")
        return shown

    # Fields ------------------------------------------------------------------

    def field_begin(self, instruction: str) -> None:
        self.fields.append(FieldFrame(instruction=instruction))

    def field_separated(self) -> None:
        frame = self.fields[-1]
        if field_word(frame.instruction) == "TOC":
            # A table of contents: its result runs through paragraphs of its own.
            self.in_toc += 1

    def field_end(self, events: list[Event], para: Para) -> None:
        frame = self.fields.pop()
        word = field_word(frame.instruction)
        para.fields = (*para.fields, word)
        result = frame.result
        if word == "TOC":
            self.in_toc = max(0, self.in_toc - 1)
            return
        args = field_args(frame.instruction)
        shown = "".join(e.node.text for e in result if e.kind == "leaf" and isinstance(e.node, Text))
        match word:
            case "NOTEREF" if any(e.kind == "leaf" and isinstance(e.node, RepeatedNoteRef) for e in result):
                for event in result:  # ours: a later reference to a note, its number as a reference
                    self.add(events, event)
            case "REF" | "NOTEREF" if len(args) > 1:
                first = next((e for e in result if e.kind == "leaf"), None)
                self.add(events, Event("leaf", node=CrossRef(bookmark=args[1], shown=shown),
                                       link=first.link if first else None,
                                       change=first.change if first else None))
            case "SEQ" if len(args) > 1:
                para.caption_label = args[1]
                self.add(events, Event("leaf", node=Sequence(name=args[1], shown=shown)))
            case "PAGEREF" | "QUOTE" | "PAGE" | "NUMPAGES" | "SECTIONPAGES" | "DOCPROPERTY" | "TC" | "XE":
                pass
            case "HYPERLINK" if len(args) > 1:
                target = args[1]
                if "\\l" in args:
                    place = args[args.index("\\l") + 1] if args.index("\\l") + 1 < len(args) else ""
                    target = (target if target != "\\l" else "") + "#" + place
                for event in result:
                    event.link = event.link or target
                    self.add(events, event)
            case _:
                for event in result:
                    self.add(events, event)

    # Pictures ------------------------------------------------------------------

    def drawing(self, drawing: etree._Element, para: Para) -> Picture | None:
        frame = drawing.find(f"{{{NS['wp']}}}inline")
        if frame is None:
            frame = drawing.find(f"{{{NS['wp']}}}anchor")
        if frame is None:
            return None
        if self.text_boxes(frame):
            return None
        properties = frame.find(f"{{{NS['wp']}}}docPr")
        alt = (properties.get("descr") or "") if properties is not None else ""
        title = (properties.get("title") or "") if properties is not None else ""
        name = (properties.get("name") or "") if properties is not None else ""
        extent = frame.find(f"{{{NS['wp']}}}extent")
        width = int(extent.get("cx", "0") or 0) if extent is not None else 0
        height = int(extent.get("cy", "0") or 0) if extent is not None else 0
        blip = frame.find(f".//{{{NS['a']}}}blip")
        if blip is None:
            para.text_box = True  # a chart, a shape, a text box: left out
            return None
        svg = blip.find(f".//{{{NS['asvg']}}}svgBlip")
        rid = (svg.get(R_EMBED) if svg is not None else None) or blip.get(R_EMBED)
        if rid is None:
            self.read.warnings.append(f"paragraph {para.index}: a linked picture (not in the file) "
                                      "is left out: briefing never fetches anything")
            return None
        media = self.media(rid, name)
        if media is None and svg is not None and blip.get(R_EMBED):
            media = self.media(blip.get(R_EMBED, ""), name)
        if media is None:
            return None
        return Picture(media=media, alt=alt, title=title, width=width, height=height)

    def text_boxes(self, shape: etree._Element) -> bool:
        """The paragraphs of the text boxes in a shape, kept to follow the
        paragraph it is anchored in (pandoc reads them so); whether it had any."""
        found = [box for box in shape.iter(f"{W}txbxContent")
                 if not any(local(up) == "txbxContent" for up in box.iterancestors()
                            if up is not shape and shape in up.iterancestors())]
        if not found:
            return False
        saved_fields, saved_boxes = self.fields, self.boxes
        self.fields, self.boxes = [], []
        try:
            inner = [block for box in found for block in self.blocks(box)]
        finally:
            self.fields, self.boxes = saved_fields, saved_boxes
        self.boxes.extend(inner)
        return True

    def vml(self, pict: etree._Element, para: Para) -> Picture | None:
        if self.text_boxes(pict):
            return None
        image = pict.find(f".//{{{NS['v']}}}imagedata")
        if image is None:
            if any(shape.get("{urn:schemas-microsoft-com:office:office}hr") in ("t", "true")
                   for shape in pict.iter(f"{{{NS['v']}}}rect")):
                para.rule = True  # Word's horizontal line (pandoc writes a rule so)
            return None
        rid = image.get(R_ID)
        media = self.media(rid, "") if rid else None
        if media is None:
            return None
        return Picture(media=media, alt=image.get("{urn:schemas-microsoft-com:office:office}title", ""))

    def media(self, rid: str, name: str) -> str | None:
        from pipeline.docx_import.media import read_media

        rel = self.package.relationships(self.part).get(rid)
        if rel is None and self.part != self.package.main:
            # pandoc relates a footnote's picture from the document, not the notes.
            rel = self.package.relationships(self.package.main).get(rid)
        if rel is None:
            raise refused(self.package.path, f"refused: {self.part} names a picture by the "
                          f"relationship {rid[:20]}, which it does not have", "docx.missing-part")
        if rel.external:
            self.read.warnings.append("a linked picture (not in the file) is left out: briefing "
                                      "never fetches anything")
            return None
        if rel.target not in self.read.media:
            found = read_media(self.package, rel.target, name)
            if found is None:
                self.read.warnings.append(f"{rel.target}: a picture of a kind briefing cannot show "
                                          "(not PNG, JPEG or SVG) is left out")
                return None
            self.read.media[rel.target] = found
        return rel.target


def grid_count(properties: etree._Element | None, name: str) -> int:
    """A row's w:gridBefore/w:gridAfter or a cell's w:gridSpan: grid columns, 0 when not set."""
    found = properties.find(f"{W}{name}") if properties is not None else None
    value = found.get(f"{W}val", "0") if found is not None else "0"
    return min(int(value), 64) if value.isdigit() else 0


def alternative(element: etree._Element) -> etree._Element:
    """mc:AlternateContent: the fallback, which any reader understands."""
    fallback = element.find(f"{MC}Fallback")
    if fallback is not None:
        return fallback
    choice = element.find(f"{MC}Choice")
    return choice if choice is not None else etree.Element("empty")


def change_of(kind: str, element: etree._Element) -> Change:
    return Change(kind=kind, author=element.get(f"{W}author", "") or "unknown",
                  date=element.get(f"{W}date", ""), children=())


def symbol(element: etree._Element) -> str:
    """A w:sym's character as Unicode (symbols.py); "" when not known."""
    code = element.get(f"{W}char", "")
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    if value >= 0x110000:
        return ""
    return symbol_char(element.get(f"{W}font", ""), value) or ""


def run_font(rpr: etree._Element | None) -> str:
    fonts = rpr.find(f"{W}rFonts") if rpr is not None else None
    if fonts is None:
        return ""
    return fonts.get(f"{W}ascii") or fonts.get(f"{W}hAnsi") or fonts.get(f"{W}cs") or ""


# The bookmark round a note's first reference, which a later reference's
# NOTEREF field names (render/docx/inlines.py): no place of the text's.
NOTE_MARK = re.compile(r"_Note\d+")


def field_word(instruction: str) -> str:
    found = FIELD_WORD.match(instruction)
    return found[1].upper() if found else ""


def field_args(instruction: str) -> list[str]:
    return [quoted.replace('\\"', '"') if quoted else bare for quoted, bare in QUOTED.findall(instruction)]


def is_code_style(style: str) -> bool:
    lowered = style.lower()
    return lowered in ("source code", "code", "html preformatted", "plain text", "code block")


def code_text(events: list[Event]) -> str:
    parts = []
    for event in events:
        if event.kind != "leaf":
            continue
        if isinstance(event.node, Text):
            parts.append(event.node.text)
        elif isinstance(event.node, Break):
            parts.append("\n")
    return "".join(parts)


# Events -> nested inlines ---------------------------------------------------

def nest(events: list[Event], open_comments: list[str]) -> tuple[tuple[Inline, ...], tuple[str, ...]]:
    """The paragraph's inlines, with its links, tracked changes, bookmarks
    and comment ranges as nodes round the leaves they cover; and the
    bookmarks that cover the whole paragraph (a heading's, a caption's) or
    start in it and end in a later one. `open_comments` are the comment
    ranges open when the paragraph starts, and are left open at its end."""
    leaves = [i for i, e in enumerate(events) if e.kind == "leaf"]
    first, last = (leaves[0], leaves[-1]) if leaves else (len(events), -1)
    whole: list[str] = []
    spans: dict[str, tuple[int, int]] = {}  # bookmark -> (start event, end event)
    starts: dict[str, int] = {}
    for index, event in enumerate(events):
        if event.kind == "bookmark-start":
            starts[event.name] = index
        elif event.kind == "bookmark-end" and event.name in starts:
            spans[event.name] = (starts.pop(event.name), index)
    whole.extend(starts)  # they end in a later paragraph
    after_mark = leading_portion(events)
    for name, (start, end) in list(spans.items()):
        covered = [i for i in leaves if start < i < end]
        if covered and start <= (after_mark if after_mark is not None else first) and end > last:
            whole.append(name)
            del spans[name]
    items: list[Item] = []
    active: list[str] = []
    for event in events:
        if event.kind == "comment-start":
            open_comments.append(event.name)
            continue
        if event.kind == "comment-end":
            if event.name in open_comments:
                open_comments.remove(event.name)
            items.append(Item((tuple(open_comments), (), None, None), None, end=event.name))
            continue
        if event.kind == "bookmark-start" and event.name in spans:
            start, end = spans[event.name]
            if not any(start < i < end for i in leaves):  # an anchor: a place, no text
                items.append(Item((tuple(open_comments), tuple(active), event.link, None),
                                  Bookmark(name=event.name, children=())))
            else:
                active.append(event.name)
            continue
        if event.kind == "bookmark-end":
            if event.name in active:
                active.remove(event.name)
            continue
        if event.kind != "leaf" or event.node is None:
            continue
        change = event.change
        key = (change.kind, change.author, change.date) if change is not None else None
        items.append(Item((tuple(open_comments), tuple(active), event.link, key), event.node,
                          old=event.old if event.old is not None else event.node))
    return group(items, 0), tuple(dict.fromkeys(whole))


@dataclass
class Item:
    context: tuple  # (comment ranges open, bookmarks open, link, (change kind, author, date))
    leaf: Inline | None
    old: Inline | None = None  # a format change's leaf as it was
    end: str | None = None  # a comment range ends here


def leading_portion(events: list[Event]) -> int | None:
    """The index of the first leaf after a leading portion mark and its
    space, as our writer sets a heading's bookmark after the mark."""
    leaves = [(i, e) for i, e in enumerate(events) if e.kind == "leaf"]
    if len(leaves) >= 2 and isinstance(leaves[0][1].node, Text) and re.fullmatch(
            r"\([A-Z][A-Z0-9 ,/\-]*\)", leaves[0][1].node.text) and isinstance(leaves[1][1].node, Text) \
            and leaves[1][1].node.text == " ":
        return leaves[2][0] if len(leaves) > 2 else None
    return None


def group(items: list[Item], level: int) -> tuple[Inline, ...]:
    """Nest leaves by their context, outermost first: comment ranges,
    bookmarks, links, changes."""
    if level == 4:
        return merge_texts([item.leaf for item in items if item.leaf is not None])
    out: list[Inline] = []
    index = 0
    used_bookmarks: set[str] = set()
    while index < len(items):
        item = items[index]
        if item.end is not None:  # a comment's end: its marker, at this place
            if level == 0:
                out.append(Commented(comment=item.end, children=(), end=True))
                index += 1
                continue
        key = item.context[level] if level >= 2 else (item.context[level][0] if item.context[level] else None)
        end = index
        while end < len(items) and items[end].end is None and outer(items[end], level) == key:
            end += 1
        if end == index:  # an end marker below the top: pass it up
            out.append(Commented(comment=item.end or "", children=(), end=True))
            index += 1
            continue
        run = items[index:end]
        inner = group([reduced(i, level) for i in run], level + 1)
        out.extend(wrap(key, inner, run, level, used_bookmarks))
        index = end
    return tuple(out)


def outer(item: Item, level: int):
    value = item.context[level]
    if level < 2:
        return value[0] if value else None
    return value


def reduced(item: Item, level: int) -> Item:
    if level >= 2:
        return item
    context = list(item.context)
    context[level] = context[level][1:]
    return Item(tuple(context), item.leaf, item.old, item.end)


def wrap(key, inner: tuple[Inline, ...], run: list[Item], level: int, used: set[str]) -> list[Inline]:
    if key is None:
        return list(inner)
    match level:
        case 0:
            return [Commented(comment=key, children=inner, end=False)]
        case 1:
            if key in used:
                return list(inner)
            used.add(key)
            return [Bookmark(name=key, children=inner)]
        case 2:
            return [Link(target=key, children=inner)]
        case _:
            kind, author, date = key
            old = merge_texts([i.old for i in run if i.old is not None]) if kind == "format" else ()
            return [Change(kind=kind, author=author, date=date, children=inner, old=old)]


def merge_texts(leaves: list[Inline]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for leaf in leaves:
        if isinstance(leaf, Text) and not leaf.text:
            continue
        if out and isinstance(leaf, Text) and isinstance(out[-1], Text) and out[-1].marks == leaf.marks:
            out[-1] = Text(out[-1].text + leaf.text, leaf.marks)
        else:
            out.append(leaf)
    return tuple(out)


# The whole package ------------------------------------------------------------

def read_package(package: Package) -> Read:
    """Everything the importer uses, read from a checked package."""
    main = package.main
    styles = read_styles(package.optional_xml(package.related(main, "styles")))
    instances: dict[str, tuple[str, frozenset[int]]] = {}
    numbering = read_numbering(package.optional_xml(package.related(main, "numbering")), instances)
    properties = custom_properties(package)
    read = Read(body=[], notes={}, comments={}, media={}, styles=styles.names, properties=properties,
                core=core_properties(package), hints=hints(package), numbering=numbering,
                instances=instances)
    ours = "Classification" in properties and "Portion Mark" in styles.names.values()
    root = package.xml(main)
    body = root.find(f"{W}body")
    reader = Reader(package=package, part=main, styles=styles, read=read, ours=ours)
    if body is not None:
        read.body = reader.blocks(body)
        size = body.find(f"{W}sectPr/{W}pgSz")
        if size is not None:
            read.page = (int(size.get(f"{W}w", "0") or 0), int(size.get(f"{W}h", "0") or 0))
    heading = next((ident for ident, name in styles.names.items() if name.lower() == "heading 1"), None)
    read.numbered_headings = heading is not None and heading in styles.numbering
    for kind, prefix in (("footnotes", ""), ("endnotes", "e")):
        part = package.related(main, kind)
        notes = package.optional_xml(part)
        if notes is None or part is None:
            continue
        note_reader = Reader(package=package, part=part, styles=styles, read=read, ours=ours,
                             paragraphs=0)
        for note in notes:
            if local(note) not in ("footnote", "endnote"):
                continue
            if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            read.notes[prefix + note.get(f"{W}id", "")] = note_reader.blocks(note)
    comments = package.optional_xml(package.related(main, "comments"))
    if comments is not None:
        for comment in comments.iter(f"{W}comment"):
            paragraphs = [" ".join("".join(t.text or "" for t in p.iter(f"{W}t")).split())
                          for p in comment.iter(f"{W}p")]
            ident = comment.get(f"{W}id", "")
            read.comments[ident] = Comment(id=ident, author=comment.get(f"{W}author", "") or "unknown",
                                           date=comment.get(f"{W}date", ""),
                                           text=" / ".join(p for p in paragraphs if p))
    return read


def core_properties(package: Package) -> dict[str, str]:
    part = package.related("", "core-properties")
    root = package.optional_xml(part)
    if root is None:
        return {}
    return {local(child): (child.text or "").strip() for child in root if (child.text or "").strip()}


def custom_properties(package: Package) -> dict[str, str]:
    part = package.related("", "custom-properties")
    root = package.optional_xml(part)
    if root is None:
        return {}
    found = {}
    for prop in root:
        name = prop.get("name")
        if name and len(prop):
            found[name] = (prop[0].text or "").strip()
    return found


MAX_HINTS = 8 * 1024 * 1024


def hints(package: Package) -> dict:
    """The import hints our DOCX keeps in a document variable (render/docx/
    roundtrip.py); none from any other file, or from a damaged value."""
    root = package.optional_xml(package.related(package.main, "settings"))
    if root is None:
        return {}
    parts = {}
    for var in root.iter(f"{W}docVar"):
        if number := hints_part(var.get(f"{W}name")):
            parts[number] = var.get(f"{W}val", "")
    # In the order of their numbers (Word may sort variables by name), none missing.
    if sorted(parts) != list(range(1, len(parts) + 1)) or sum(map(len, parts.values())) > MAX_HINTS:
        return {}
    try:
        found = json.loads("".join(parts[number] for number in sorted(parts)))
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def continues(merge: etree._Element | None) -> bool:
    """Whether a w:vMerge or w:hMerge continues the merge before it (its
    value "continue", or none) rather than starting one ("restart")."""
    return merge is not None and merge.get(f"{W}val", "continue") == "continue"


def merged_above(rows: list[Row], column: int) -> Cell | None:
    """The cell a vertical merge continues at `column`: the one in the
    rows above that starts the merge there, if any."""
    for row in reversed(rows):
        if column >= len(row.cells):
            return None
        if not row.cells[column].covered:
            return row.cells[column]
    return None
