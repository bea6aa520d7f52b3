"""Where the Word file's pages will break, worked out before Word or
LibreOffice lays it out, so the contents list shows page numbers the
moment the file opens: the cached results of its PAGEREF fields.

Word shows a field's cached result until fields are updated, and asking it
to update them on opening (settings.xml's `updateFields`) makes it ask the
reader, on every open, whether to update fields that "may refer to other
files". So the writer lays the body out itself, roughly as Word does:
lines filled word by word with the fonts' own widths (render/measure.py),
at each paragraph style's size, line spacing, space before and after and
indents (through the styles it is based on), headings kept with what
follows, no single line of a paragraph alone at a page's foot or head,
table rows whole with the header row repeated, pictures at their size,
footnotes at the foot of their page, page breaks where the body has them.
Word (F9) or LibreOffice (Tools > Update) can still update the fields; the
estimate only has to be right as often as can be, and is checked against
LibreOffice's own layout in tests/test_fidelity.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from docx.oxml.ns import qn
from lxml import etree

from pipeline.render import measure
from pipeline.render.docx.package import based_on_chain
from pipeline.render.docx.state import State

EMU_PER_TWIP = 635
CELL_MARGINS = 2 * 57  # twips above and below a cell's text, as the Table style's


@dataclass(frozen=True)
class Look:
    """What a paragraph style makes of a paragraph's box, in twips."""
    before: int
    after: int
    line: float  # the height of one line
    left: int
    right: int
    first: int  # the first line's indent, less its hanging part
    keep_next: bool
    break_before: bool
    contextual: bool
    face: measure.Face
    size: float  # points
    numbered: bool = False  # the style's list draws a number before the text (numbered headings)
    border: str = ""  # the style's w:pBdr as text: paragraphs alike are one box
    border_top: float = 0  # twips its top border takes, with its space
    border_bottom: float = 0


@dataclass
class Block:
    """A paragraph or table row as a stack of lines: heights of its lines
    (a picture is one tall line), space above and below, and what it carries."""
    lines: list[float]
    before: int
    after: int
    keep_next: bool = False
    keep_lines: bool = False
    break_before: bool = False
    break_after: bool = False
    bookmarks: tuple[str, ...] = ()
    notes: float = 0  # height its footnotes take at the page's foot
    style: str = ""
    contextual: bool = False
    repeat: float = 0  # a table row's: the header row's height, repeated on a new page
    border: str = ""  # its box's borders: consecutive paragraphs alike share one box
    border_top: float = 0
    border_bottom: float = 0


class Styles:
    """Paragraph styles resolved through `w:basedOn` and the document defaults."""

    def __init__(self, state: State) -> None:
        root = state.package.styles.element
        self.by_id = {s.get(qn("w:styleId")): s for s in root.findall(qn("w:style"))}
        defaults = root.find(qn("w:docDefaults"))
        self.default_ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}") if defaults is not None else None
        self.default_rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}") if defaults is not None else None
        self.looks: dict[tuple[str | None, str | None], Look] = {}
        self.normal = next((i for i, s in self.by_id.items()
                            if s.get(qn("w:default")) == "1" and s.get(qn("w:type")) == "paragraph"), None)

    def chain(self, style_id: str | None, kind: str, table: str | None = None) -> list:
        """The w:pPr or w:rPr of a style and those it is based on, nearest
        first, then those of the table style it sits in, then the defaults."""
        found = based_on_chain(self.by_id, style_id or self.normal or "", kind)
        if table is not None:
            found += [c for c in self.chain(table, kind)
                      if c is not self.default_ppr and c is not self.default_rpr]
        default = self.default_ppr if kind == "pPr" else self.default_rpr
        return [*found, *([default] if default is not None else [])]

    def look(self, style_id: str | None, table: str | None = None) -> Look:
        if (style_id, table) not in self.looks:
            self.looks[style_id, table] = self.resolve(style_id, table)
        return self.looks[style_id, table]

    def resolve(self, style_id: str | None, table: str | None) -> Look:
        ppr, rpr = self.chain(style_id, "pPr", table), self.chain(style_id, "rPr", table)

        def first(chain: list, tag: str, attribute: str):
            for properties in chain:
                element = properties.find(qn(f"w:{tag}"))
                if element is not None and element.get(qn(f"w:{attribute}")) is not None:
                    return element.get(qn(f"w:{attribute}"))
            return None

        def flag(tag: str) -> bool:
            for properties in ppr:
                element = properties.find(qn(f"w:{tag}"))
                if element is not None:
                    return element.get(qn("w:val")) not in ("0", "false")
            return False

        size = int(first(rpr, "sz", "val") or 20) / 2
        family = first(rpr, "rFonts", "ascii") or "Times New Roman"
        bold = next((b.get(qn("w:val")) not in ("0", "false") for b in
                     (properties.find(qn("w:b")) for properties in rpr) if b is not None), False)
        face = measure.face(family, bold=bold)
        line_value, rule = first(ppr, "spacing", "line"), first(ppr, "spacing", "lineRule") or "auto"
        single = face.line * size * 20
        if line_value is None:
            line = single
        elif rule == "auto":
            line = single * int(line_value) / 240
        elif rule == "exact":
            line = int(line_value)
        else:  # atLeast
            line = max(single, int(line_value))
        hanging = int(first(ppr, "ind", "hanging") or 0)
        return Look(before=int(first(ppr, "spacing", "before") or 0),
                    after=int(first(ppr, "spacing", "after") or 0), line=line,
                    left=int(first(ppr, "ind", "left") or first(ppr, "ind", "start") or 0),
                    right=int(first(ppr, "ind", "right") or first(ppr, "ind", "end") or 0),
                    first=int(first(ppr, "ind", "firstLine") or 0) - hanging,
                    keep_next=flag("keepNext"), break_before=flag("pageBreakBefore"),
                    contextual=flag("contextualSpacing"), face=face, size=size,
                    numbered=next((n.get(qn("w:val")) for n in (
                        properties.find(f"{qn('w:numPr')}/{qn('w:numId')}") for properties in ppr)
                        if n is not None), "0") != "0",
                    **borders(next((b for b in (p.find(qn("w:pBdr")) for p in ppr) if b is not None), None)))


def borders(pbdr) -> dict:
    """What a w:pBdr adds above and below its box of paragraphs, in twips:
    each border's width and the space between it and the text."""
    if pbdr is None:
        return {}

    def extent(side: str) -> float:
        found = pbdr.find(qn(f"w:{side}"))
        if found is None or found.get(qn("w:val")) in ("nil", "none"):
            return 0
        return int(found.get(qn("w:space")) or 0) * 20 + int(found.get(qn("w:sz")) or 0) * 20 / 8
    return {"border": etree.tostring(pbdr).decode(), "border_top": extent("top"),
            "border_bottom": extent("bottom")}


WORD_SPLIT = re.compile(r"(?<=[ \t\u00ad/-])")


def lines_of(text: str, width: float, first_width: float, look: Look) -> int:
    """How many lines Word fills with `text`, a word at a time."""
    if not text.strip():
        return 1
    lines, used, room = 1, 0.0, first_width
    for word in WORD_SPLIT.split(text):
        if not word:
            continue
        size = look.face.width(word.replace("\t", "  "), look.size) * 20  # to a tab stop: short
        trimmed = look.face.width(word.rstrip(), look.size) * 20
        if used and used + trimmed > room:
            lines, used, room = lines + 1, 0.0, width
            while size > room:  # a word longer than a line breaks where it must
                lines, size = lines + 1, size - room
        used += size
    return lines


def paragraph_text(p, numbers: dict[str, int] | None = None) -> str:
    """The text a paragraph shows; a PAGEREF field shows the page `numbers`
    gives its bookmark (a digit, before they are known)."""
    parts = []
    for node in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:instrText")):
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:tab"):
            parts.append("\t")
        elif node.tag == qn("w:br") and node.get(qn("w:type")) in (None, "textWrapping"):
            parts.append("\n")
        elif (words := (node.text or "").split())[:1] == ["PAGEREF"] and len(words) > 1:
            parts.append(str((numbers or {}).get(words[1], 0)))
    return "".join(parts)


def box_of(ppr, look: Look) -> dict:
    """A paragraph's borders: its own w:pBdr (a list in a note), else its style's."""
    own = ppr.find(qn("w:pBdr")) if ppr is not None else None
    if own is not None:
        return borders(own)
    return {"border": look.border, "border_top": look.border_top, "border_bottom": look.border_bottom}


class Layout:
    def __init__(self, state: State, width: int, height: int) -> None:
        self.styles = Styles(state)
        self.width, self.height = width, height
        self.notes = footnote_heights(state, self.styles, width)
        self.numbers: dict[str, int] = {}  # the contents' page numbers, once estimated

    def paragraph(self, p, width: int | None = None, table: str | None = None) -> Block:
        ppr = p.find(qn("w:pPr"))
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        style_id = style.get(qn("w:val")) if style is not None else None
        look = self.styles.look(style_id, table)
        left, right, first = look.left, look.right, look.first
        num = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num is not None and num.find(qn("w:ilvl")) is not None:  # a list item's indent
            level = int(num.find(qn("w:ilvl")).get(qn("w:val")) or 0)
            left, first = max(left, 425 * (level + 1)), -425
        room = (width or self.width) - left - right
        heights: list[float] = []
        text = paragraph_text(p, self.numbers)
        if look.numbered and num is None:  # "2.10 " that the list draws, not in the text
            text = "2.10 " + text
        for piece in text.split("\n"):
            heights += [look.line] * lines_of(piece, room, room - first, look)
        pictures = [int(e.get("cy")) / EMU_PER_TWIP for e in p.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")]
        if pictures:
            heights = [max(pictures) + look.line * 0.3] + heights[1:]
        breaks = [b for b in p.iter(qn("w:br")) if b.get(qn("w:type")) == "page"]
        notes = sum(self.notes.get(r.get(qn("w:id")), 0) for r in p.iter(qn("w:footnoteReference")))
        keep_lines = ppr is not None and ppr.find(qn("w:keepLines")) is not None
        return Block(lines=heights, before=look.before, after=look.after,
                     keep_next=look.keep_next, keep_lines=keep_lines or look.keep_next,
                     break_before=look.break_before, break_after=bool(breaks),
                     bookmarks=tuple(b.get(qn("w:name")) for b in p.iter(qn("w:bookmarkStart"))),
                     notes=notes, style=style_id or "", contextual=look.contextual,
                     **box_of(ppr, look))

    def table(self, tbl) -> Iterator[Block]:
        header = 0.0
        style = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
        table_style = style.get(qn("w:val")) if style is not None else None
        for index, tr in enumerate(tbl.findall(qn("w:tr"))):
            height = 0.0
            for tc in tr.findall(qn("w:tc")):
                width = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
                cell_width = int(width.get(qn("w:w"))) - 170 if width is not None else self.width // 3
                blocks = [self.paragraph(p, cell_width, table_style) for p in tc.findall(qn("w:p"))]
                height = max(height, sum(sum(b.lines) + b.before + b.after for b in blocks))
            height += CELL_MARGINS
            is_header = tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
            if is_header:
                header += height
            yield Block(lines=[height], before=0, after=0, keep_lines=True,
                        keep_next=is_header, repeat=0 if is_header else header,
                        bookmarks=tuple(b.get(qn("w:name")) for b in tr.iter(qn("w:bookmarkStart"))))

    def blocks(self, body) -> Iterator[Block]:
        made: list[Block] = []
        for child in body:
            if child.tag == qn("w:p"):
                made.append(self.paragraph(child))
            elif child.tag == qn("w:tbl"):
                rows = list(self.table(child))
                if len(rows) > 2:  # no row alone under the header, nor at the foot (tables.py)
                    rows[0].keep_next = rows[1].keep_next = rows[-2].keep_next = True
                made.extend(rows)
        # A box of bordered paragraphs: its top border and space above its
        # first paragraph's text, its bottom ones below its last's.
        for index, block in enumerate(made):
            if not block.border:
                continue
            if index == 0 or made[index - 1].border != block.border:
                block.lines[:1] = [block.lines[0] + block.border_top] if block.lines else []
            if index + 1 == len(made) or made[index + 1].border != block.border:
                block.lines[-1:] = [block.lines[-1] + block.border_bottom] if block.lines else []
        yield from made

    def pages(self, body) -> dict[str, int]:
        """The page each bookmark starts on."""
        found: dict[str, int] = {}
        blocks = list(self.blocks(body))
        page, used, notes = 1, 0.0, 0.0
        previous: Block | None = None
        index = 0
        while index < len(blocks):
            block = blocks[index]
            if block.break_before and used > 0:
                page, used, notes = page + 1, 0.0, 0.0
            # Between two paragraphs, the larger of the space after the one and
            # before the other (as LibreOffice lays out a Word file); none at a
            # page's head.
            before = 0 if used == 0 else max(block.before - (previous.after if previous else 0), 0)
            if previous and block.contextual and previous.style == block.style:
                before = 0
            # What must go onto this page with the block: the blocks it keeps
            # with, up to the first two lines of the last of them.
            need = before + self.kept_height(blocks, index)
            room = self.height - used - notes - block.notes
            if used > 0 and need > room:
                page, used, notes = page + 1, blocks[index].repeat, 0.0
                before = 0
                room = self.height - used - block.notes
            for name in block.bookmarks:
                found.setdefault(name, page)
            used += before
            notes += block.notes
            lines = list(block.lines)
            while lines:
                room = self.height - used - notes
                fit = 0
                total = 0.0
                for height in lines:
                    if total + height > room:
                        break
                    total, fit = total + height, fit + 1
                if fit == len(lines):
                    used += total
                    lines = []
                    continue
                fitting = fit
                if block.keep_lines or fit < 2:  # kept whole, or no orphan at the foot
                    fit = 0
                elif len(lines) - fit < 2:  # no widow at the head of the next page
                    fit = len(lines) - 2 if len(lines) - 2 >= 2 else 0
                if fit == 0 and used == 0:  # taller than a page: it runs over
                    fit = max(fitting, 1)
                used += sum(lines[:fit])
                lines = lines[fit:]
                page, used, notes = page + 1, 0.0, 0.0
            used += block.after
            if block.break_after:
                page, used, notes = page + 1, 0.0, 0.0
            previous = block
            index += 1
        return found

    def kept_height(self, blocks: list[Block], index: int) -> float:
        """The height the block at `index` needs on its page: all of it when
        kept whole, else its first two lines; with the blocks it is kept
        with (a heading and what follows), up to the first two lines of the
        last of them. Its own space before is the caller's."""
        height, at = 0.0, index
        while at < len(blocks):
            block = blocks[at]
            if at > index:
                height += max(block.before - blocks[at - 1].after, 0)
            shown = block.lines if block.keep_lines and block.keep_next else block.lines[:2]
            height += sum(shown)
            if not block.keep_next or at - index > 6 or at + 1 >= len(blocks):
                break
            height += block.after
            at += 1
        return height


def footnote_heights(state: State, styles: Styles, width: int) -> dict[str, float]:
    """Each footnote's height at the page's foot, by its id."""
    if state.notes is None:
        return {}
    layout = Layout.__new__(Layout)
    layout.styles, layout.width, layout.notes, layout.numbers = styles, width, {}, {}
    heights = {}
    for note in state.notes.element.findall(qn("w:footnote")):
        blocks = [layout.paragraph(p) for p in note.findall(qn("w:p"))]
        heights[note.get(qn("w:id"))] = sum(sum(b.lines) + b.before + b.after for b in blocks) + 60
    return heights


def fill_page_numbers(state: State, body) -> None:
    """Write the estimated page of each PAGEREF's bookmark as its result."""
    section = state.package.sections[0]
    width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
    height = (section.page_height or 0) - (section.top_margin or 0) - (section.bottom_margin or 0)
    if width <= 0 or height <= 0:
        return
    layout = Layout(state, width // EMU_PER_TWIP, height // EMU_PER_TWIP)
    # A header or footer taller than its margin pushes the body in, as in Word.
    for part, margin, distance in ((section.header, section.top_margin, section.header_distance),
                                   (section.footer, section.bottom_margin, section.footer_distance)):
        extent = sum(sum(b.lines) + b.before + b.after
                     for b in (layout.paragraph(p) for p in part._element.findall(qn("w:p"))))
        layout.height -= max(0, int((distance or 0) / EMU_PER_TWIP + extent - (margin or 0) / EMU_PER_TWIP))
    # Twice: the contents' own lines may wrap differently once their page
    # numbers are written in them.
    layout.numbers = layout.pages(body)
    pages = layout.pages(body)
    for instruction in body.iter(qn("w:instrText")):
        words = (instruction.text or "").split()
        if len(words) < 2 or words[0] != "PAGEREF" or words[1] not in pages:
            continue
        run = instruction.getparent()
        separate = run.getnext()
        if separate is None or separate.find(qn("w:fldChar")) is None:
            continue
        result = separate.makeelement(qn("w:r"), {})
        text = result.makeelement(qn("w:t"), {})
        text.text = str(pages[words[1]])
        result.append(text)
        separate.addnext(result)
