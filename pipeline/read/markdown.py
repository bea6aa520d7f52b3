"""Markdown body -> model.Document, through Python-Markdown's element tree.

The only module that knows Python-Markdown. We let it tokenise (block parser,
inline patterns), capture the finished ElementTree with a Treeprocessor that
runs after all of its own, and turn that tree into model nodes. We never let
it serialize HTML, and raw HTML in the source stays text: its `html_block`
preprocessor and `html` inline pattern are removed.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.admonition import AdmonitionExtension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.def_list import DefListExtension
from markdown.extensions.footnotes import NBSP_PLACEHOLDER, FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from pipeline import model as m
from pipeline.problems import BriefingError, Problem
from pipeline.read.images import ImageProblem, check_image
from pipeline.read.source import XML_INVALID, Source

MAX_DEPTH = 20  # lists and quotes; Python-Markdown recurses per level
MAX_TABLE_ROWS = 2000  # a 2,000-row table takes about 20 s to typeset; 10,000 over 2 min
MAX_BRACKETS = 1000  # `[` in one paragraph; past that, link matching grows slow
LINK_SCHEMES = ("http", "https", "mailto")
CROSS_REF = re.compile(r"(?<![\w@.])@((?:sec|tbl|fig)-[\w:.-]*\w)")  # Quarto's @sec-id
UNDEFINED_NOTE = re.compile(r"\[\^([^\]\s]+)\]")  # left as text when no definition
SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")
ATTRIBUTION = re.compile(r"^(?:—|―|--)\s*")  # a quote's last line `— Source`
CAPTION = re.compile(r"^(?:Table)?:\s+")  # pandoc's `Table: text` or `: text`
CAPTION_ID = re.compile(r"\s*\{#([A-Za-z][\w:.-]*)\}\s*$")
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
BLOCK_TAGS = {"p", "ul", "ol", "blockquote", "pre", "hr", "div", "table", "dl", *HEADING_TAGS}
NUMERIC_REFERENCE = re.compile(r"&#[xX]([0-9a-fA-F]+);|&#([0-9]+);")
RULE = re.compile(r" {0,3}([-*_])( *\1){2,} *$")
FENCE = re.compile(r"^(?P<indent>[ \t>]*)(?P<fence>`{3,}|~{3,})[ \t]*\{?\.?(?P<lang>[\w#+.-]*)[^\n]*\n"
                   r"(?P<code>.*?)(?<=\n)(?P=indent)(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL)


# Python-Markdown plumbing ---------------------------------------------------

class FencedCode(Preprocessor):
    """Fenced code blocks, kept as elements (not HTML) with their source line."""

    def __init__(self, md: markdown.Markdown, first_line: int) -> None:
        super().__init__(md)
        self.first_line = first_line

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        parts: list[str] = []
        position = 0
        for match in FENCE.finditer(text):
            line = self.first_line + text.count("\n", 0, match.start())
            pre = etree.Element("pre", {"data-line": str(line)})
            code = etree.SubElement(pre, "code", {"data-lang": match["lang"]})
            code.text = dedent(match["code"], match["indent"])
            # The placeholder keeps the fence's indent, so a fence inside a
            # list item or a note stays inside it.
            placeholder = match["indent"] + self.md.htmlStash.store(pre)
            parts += [text[position:match.start()], "\n", placeholder, "\n"]
            position = match.end()
        parts.append(text[position:])
        return "".join(parts).split("\n")


def dedent(code: str, indent: str) -> str:
    return "".join(line.removeprefix(indent) for line in code.splitlines(keepends=True))


class Capture(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        self.md.captured_tree = root  # type: ignore[attr-defined]


class Briefing(Extension):
    def __init__(self, first_line: int) -> None:
        super().__init__()
        self.first_line = first_line

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.preprocessors.register(FencedCode(md, self.first_line), "briefing_fenced", 25)
        md.treeprocessors.register(Capture(md), "briefing_capture", -100)


def markdown_tree(body: str, first_line: int) -> tuple[etree.Element, markdown.Markdown]:
    # Extension objects, not names: a name makes Python-Markdown scan every
    # installed package's entry points, 20 ms of each run.
    md = markdown.Markdown(extensions=[
        AttrListExtension(), AdmonitionExtension(), SaneListExtension(), TableExtension(),
        FootnoteExtension(), DefListExtension(), AbbrExtension(), Briefing(first_line)])
    md.convert(body)
    # Python-Markdown returns early, without running treeprocessors, on a blank body.
    return getattr(md, "captured_tree", etree.Element("div")), md


# Element tree -> model --------------------------------------------------------

@dataclass
class Reader:
    """Walks the captured tree in reading order, keeping a line cursor.

    The cursor only moves forward, so `locate` finds each block's own line
    even when the same words occur earlier in the source.
    """

    source: Source
    md: markdown.Markdown
    cursor: int
    notes: dict[str, int] = field(default_factory=dict)  # footnote label -> number
    in_note: bool = False  # reading a footnote's text
    # Problems the reading can go on after, reported together at the end.
    problems: list[Problem] = field(default_factory=list)

    def error(self, line: int, message: str) -> BriefingError:
        return self.source.error(line, message)

    def report(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.source.name, line, message, code="markdown.invalid"))

    def find_line(self, element: etree.Element) -> int:
        snippet = first_words(element)
        if snippet and (line := self.source.locate(snippet, self.cursor)):
            self.cursor = line
            return line
        return self.next_block_line()

    def next_block_line(self) -> int:
        """The first non-blank line from the cursor: a block never starts on a blank one."""
        lines = self.source.lines
        while self.cursor <= len(lines) and not lines[self.cursor - 1].strip():
            self.cursor += 1
        return self.cursor

    def rule_line(self) -> int:
        for number in range(self.cursor, len(self.source.lines) + 1):
            if RULE.match(self.source.lines[number - 1]):
                self.cursor = number + 1
                return number
        return self.cursor

    def stashed(self, text: str | None) -> etree.Element | str | None:
        match = HTML_PLACEHOLDER_RE.fullmatch((text or "").strip())
        return self.md.htmlStash.rawHtmlBlocks[int(match[1])] if match else None

    def text(self, text: str | None, line: int) -> str:
        """Tree text with stashed entities (`&amp;`, `&#233;`) turned into characters."""
        if not text:
            return ""
        text = SOFT_BREAK.sub(" ", text)  # a soft line break reads as one space
        for undefined in UNDEFINED_NOTE.finditer(text):
            self.report(self.source.locate(undefined[0], line) or line,
                        f"footnote {undefined[0]} has no definition ([{undefined[0][1:-1]}]: text)")
        return HTML_PLACEHOLDER_RE.sub(lambda match: self.entity(match, line), text)

    def entity(self, match: re.Match[str], line: int) -> str:
        stashed = self.md.htmlStash.rawHtmlBlocks[int(match[1])]
        if isinstance(stashed, etree.Element):  # a code block the block parser ran into text
            raise self.error(line, "a fenced code block must be separated from the text "
                             "before it by a blank line")
        reference = str(stashed)
        value = html.unescape(reference)
        # HTML quietly drops most control characters; we name every one.
        number = NUMERIC_REFERENCE.fullmatch(reference)
        code = (int(number[1], 16) if number[1] else int(number[2])) if number else None
        if code is not None and (code > 0x10FFFF or XML_INVALID.match(chr(code))):
            raise self.error(line, f"character reference {reference} is not a character "
                             "a briefing may contain")
        if bad := XML_INVALID.search(value):
            raise self.error(line, f"character reference {reference} stands for "
                             f"U+{ord(bad[0]):04X}, which is not allowed in a briefing")
        return value

    # Blocks ----------------------------------------------------------------

    def blocks(self, elements: list[etree.Element], depth: int) -> list[m.Block | Heading]:
        """Blocks of a container, with headings kept flat for `section_tree`."""
        out: list[m.Block | Heading] = []
        elements = list(elements)
        while elements:
            element = elements.pop(0)
            if element.tag == "table":
                caption = None
                if elements and is_caption(elements[0]):
                    caption = elements.pop(0)
                elif elements and starts_with_definition(elements[0]):
                    # def_list reads Quarto's `: caption` under a table as a
                    # definition without a term: take it back as the caption.
                    caption = elements[0][0]
                    elements[0].remove(caption)
                    if not len(elements[0]):
                        elements.pop(0)
                out.append(self.table(element, caption))
            elif element.tag in HEADING_TAGS:
                line = self.find_line(element)
                self.cursor = line + 1
                out.append(Heading(level=int(element.tag[1]), id=element.get("id", ""),
                                   title=self.inlines(element, line), line=line))
            else:
                out.append(self.block(element, depth))
        return out

    def nested_blocks(self, elements: list[etree.Element], depth: int) -> tuple[m.Block, ...]:
        """Blocks inside a list item, quote or note: a heading there reads as a bold line."""
        out = []
        for item in self.blocks(elements, depth):
            if isinstance(item, Heading):
                out.append(m.Paragraph(inlines=(m.Strong(children=item.title),), line=item.line))
            else:
                out.append(item)
        return tuple(out)

    def block(self, element: etree.Element, depth: int) -> m.Block:
        if depth > MAX_DEPTH:
            raise self.error(self.cursor, f"lists and quotes nest deeper than {MAX_DEPTH} levels")
        match element.tag:
            case "p":
                return self.paragraph(element)
            case "ul" | "ol":
                return self.list_block(element, depth)
            case "blockquote":
                line = self.find_line(element)
                blocks, attribution = split_attribution(self.nested_blocks(list(element), depth + 1))
                return m.Quote(blocks=blocks, attribution=attribution, line=line)
            case "dl":
                return self.definition_list(element, depth)
            case "pre":
                return self.code_block(element)
            case "hr":
                return m.Rule(line=self.rule_line())
            case "div" if "admonition" in element.get("class", "").split():
                return self.admonition(element, depth)
            case tag:
                raise self.error(self.find_line(element), f"unsupported element <{tag}>")

    def paragraph(self, element: etree.Element) -> m.Block:
        stashed = self.stashed(element.text) if len(element) == 0 else None
        if isinstance(stashed, etree.Element):
            return self.code_block(stashed)
        if is_figure(element):
            return self.figure(element[0])
        line = self.find_line(element)
        self.cursor = line + 1  # the next block starts below this one
        return m.Paragraph(inlines=self.inlines(element, line), line=line)

    def code_block(self, pre: etree.Element) -> m.CodeBlock:
        code = pre.find("code")
        fenced = "data-line" in pre.attrib  # kept raw by FencedCode, with its line
        if fenced:
            line = int(pre.get("data-line", "0"))
            text = code.text if code is not None else ""
            lang = code.get("data-lang") if code is not None else None
        else:  # an indented block: Python-Markdown has HTML-escaped its text
            line = self.find_line(pre)
            text = html.unescape(code.text or "") if code is not None else ""
            lang = None
        text = (text or "").rstrip("\n")
        # The next block starts below the code (and below a closing fence).
        self.cursor = max(self.cursor, line + text.count("\n") + (3 if fenced else 1))
        return m.CodeBlock(lang=lang or None, text=text, line=line)

    def list_block(self, element: etree.Element, depth: int) -> m.ListBlock:
        line = self.find_line(element)
        items = []
        for li in element.findall("li"):
            item_line = self.find_line(li)
            items.append(m.ListItem(blocks=self.list_item(li, depth + 1), line=item_line))
        start = int(element.get("start", "1")) if element.tag == "ol" else 1
        return m.ListBlock(ordered=element.tag == "ol", start=start, items=tuple(items), line=line)

    def list_item(self, li: etree.Element, depth: int) -> tuple[m.Block, ...]:
        """A tight item holds inlines then maybe a sub-list; a loose one holds blocks."""
        children = list(li)
        split = next((i for i, child in enumerate(children) if child.tag in BLOCK_TAGS), len(children))
        blocks: list[m.Block] = []
        if (li.text or "").strip() or split:
            lead = etree.Element("p")
            lead.text = li.text
            lead.extend(children[:split])  # the inline children, with their tails
            blocks.append(self.paragraph(lead))
        blocks.extend(self.nested_blocks(children[split:], depth))
        return tuple(blocks)

    def table(self, element: etree.Element, caption: etree.Element | None) -> m.Table:
        line = self.next_block_line()  # its header row; cell words could stand anywhere
        head = element.findall("thead/tr/th")
        rows = element.findall("tbody/tr")
        if len(rows) > MAX_TABLE_ROWS:
            raise self.error(line, f"a table of {len(rows):,} rows is past the limit of "
                             f"{MAX_TABLE_ROWS:,}: split it, or attach the data as a file")
        aligns = tuple(cell_align(th) for th in head)
        table = m.Table(head=tuple(self.inlines(th, line) for th in head),
                        rows=tuple(tuple(self.inlines(td, line) for td in tr.findall("td"))
                                   for tr in rows),
                        aligns=aligns, line=line)
        self.cursor = line + 2 + len(rows)  # header, delimiter row, rows
        if caption is None:
            return table
        caption_line = self.find_line(caption)
        self.cursor = caption_line + 1
        text, table_id = caption_parts(self.inlines(caption, caption_line))
        return replace(table, caption=text, id=table_id)

    def figure(self, img: etree.Element) -> m.Figure | m.Paragraph:
        src = img.get("src", "")
        line = self.source.locate(f"]({src}", self.cursor) or self.find_line(img)
        self.cursor = line + 1
        if self.in_note:
            self.report(line, "a footnote cannot hold a figure")
            return m.Paragraph(inlines=(), line=line)  # never rendered: the problem stops the build
        try:
            image = check_image(src, self.source.path.parent)
        except ImageProblem as problem:
            self.report(line, str(problem))
            return m.Paragraph(inlines=(), line=line)
        alt = img.get("alt", "")
        return m.Figure(path=str(image.path), mime=image.mime, width=image.width,
                        height=image.height, alt=plain_alt(alt), caption=self.caption(alt, line),
                        id=img.get("id", ""), line=line)

    def caption(self, alt: str, line: int) -> tuple[m.Inline, ...]:
        """The alt text read as Markdown, as pandoc reads a figure's caption."""
        if not alt.strip():
            return ()
        root, md = markdown_tree(alt, line)
        paragraph = root.find("p")
        return Reader(source=self.source, md=md, cursor=line, problems=self.problems).inlines(
            paragraph, line) if paragraph is not None else ()

    def footnotes(self, notes: etree.Element, body_line: int) -> tuple[m.Footnote, ...]:
        """Footnote definitions, numbered by their first reference; the
        definitions may stand anywhere, so each is looked for from the top."""
        found = []
        self.in_note = True
        for li in notes.findall("ol/li"):
            label = li.get("id", "").removeprefix("fn:")
            self.cursor = self.source.locate(f"[^{label}]:", body_line) or body_line
            line = self.cursor
            if label not in self.notes:
                self.report(line, f"footnote [^{label}] is never referenced")
                continue
            drop_backlinks(li)
            found.append(m.Footnote(number=self.notes[label], line=line,
                                    blocks=self.nested_blocks(list(li), 1)))
        return tuple(sorted(found, key=lambda note: note.number))

    def definition_list(self, element: etree.Element, depth: int) -> m.DefinitionList:
        line = self.find_line(element)
        items: list[m.Definition] = []
        for child in element:
            if child.tag == "dt":
                items.append(m.Definition(term=self.inlines(child, self.find_line(child)),
                                          definitions=()))
            elif child.tag == "dd" and items:
                blocks = self.list_item(child, depth + 1)
                items[-1] = replace(items[-1], definitions=(*items[-1].definitions, blocks))
            else:
                raise self.error(self.find_line(child), "a definition needs a term on the line above")
        return m.DefinitionList(items=tuple(items), line=line)

    def admonition(self, element: etree.Element, depth: int) -> m.Admonition:
        line = self.find_line(element)
        classes = [c for c in element.get("class", "").split() if c != "admonition"]
        children = list(element)
        title: tuple[m.Inline, ...] = ()
        if children and "admonition-title" in children[0].get("class", ""):
            title = self.inlines(children.pop(0), line)
        return m.Admonition(kind=(classes[0] if classes else "note").lower(), title=title,
                            blocks=self.nested_blocks(children, depth + 1), line=line)

    # Inlines ---------------------------------------------------------------

    def inlines(self, element: etree.Element, line: int | None = None,
                refs: bool = True) -> tuple[m.Inline, ...]:
        """`refs`: whether `@sec-id` is a cross-reference here (not in link text)."""
        line = line or self.cursor
        out: list[m.Inline] = []
        add_text(out, self.text(element.text, line))
        for child in element:
            out.extend(self.inline(child, line, refs))
            tail = child.tail or ""
            add_text(out, self.text(tail.removeprefix("\n") if child.tag == "br" else tail, line))
        return tuple(part for item in out for part in (self.cross_refs(item, line) if refs else (item,)))

    def cross_refs(self, item: m.Inline, line: int) -> tuple[m.Inline, ...]:
        """Text with Quarto's `@tbl-id` split into Text and Ref nodes."""
        if not isinstance(item, m.Text) or "@" not in item.text:
            return (item,)
        parts: list[m.Inline] = []
        position = 0
        for found in CROSS_REF.finditer(item.text):
            add_text(parts, item.text[position:found.start()])
            parts.append(m.Ref(id=found[1], line=self.source.locate(found[0], line) or line))
            position = found.end()
        add_text(parts, item.text[position:])
        return tuple(parts)

    def inline(self, element: etree.Element, line: int, refs: bool) -> tuple[m.Inline, ...]:
        match element.tag:
            case "em":
                return (m.Emph(children=self.inlines(element, line, refs)),)
            case "strong":
                return (m.Strong(children=self.inlines(element, line, refs)),)
            case "code":
                return (m.Code(text=SOFT_BREAK.sub(" ", html.unescape(element.text or ""))),)
            case "br":
                return (m.LineBreak(),)
            case "a":
                href = element.get("href", "").strip()
                # The link's own line, when the paragraph spans several.
                line = self.source.locate(f"]({href}", line) or self.source.locate(href, line) or line
                target = self.link_target(href, line)
                children = self.inlines(element, line, refs=False) or (m.Text(text=target),)
                return (m.Link(target=target, children=children, title=element.get("title"),
                               line=line),)
            case "abbr":
                return (m.Abbr(text=element.text or "", title=element.get("title", "")),)
            case "sup" if element.get("id", "").startswith("fnref"):
                if self.in_note:
                    raise self.error(line, "a footnote cannot refer to another footnote")
                label = element.find("a").get("href", "").removeprefix("#fn:")
                first = label not in self.notes
                number = self.notes.setdefault(label, len(self.notes) + 1)
                return (m.FootnoteRef(number=number, first=first),)
            case "img":
                raise self.error(line, "an image must stand alone in its paragraph, where it "
                                 f"becomes a figure: ![{element.get('alt', '')}]({element.get('src', '')})")
            case tag:
                raise self.error(line, f"unsupported inline element <{tag}>")

    def link_target(self, href: str, line: int) -> str:
        if href.startswith("#") and len(href) > 1:
            return href
        parts = urlsplit(href)
        shown = href if len(href) <= 60 else href[:57] + "..."
        if parts.scheme.lower() not in LINK_SCHEMES:
            self.report(line, f"link target '{shown}' is not allowed: use http, https, "
                        "mailto or #id")
        elif not (parts.netloc if parts.scheme.lower() != "mailto" else parts.path):
            self.report(line, f"link target '{shown}' has no "
                        f"{'address' if parts.scheme.lower() == 'mailto' else 'host'}")
        return href  # a refused one is never rendered: its problem stops the build


def drop_backlinks(li: etree.Element) -> None:
    """Python-Markdown's `↩` links and the placeholder before them."""
    for parent in li.iter():
        for child in list(parent):
            if "footnote-backref" in child.get("class", ""):
                parent.remove(child)
        if parent.text and NBSP_PLACEHOLDER in parent.text:
            parent.text = parent.text.replace(NBSP_PLACEHOLDER, "").rstrip() or None
        if parent.tail and NBSP_PLACEHOLDER in parent.tail:
            parent.tail = parent.tail.replace(NBSP_PLACEHOLDER, "").rstrip() or None


def is_figure(element: etree.Element) -> bool:
    """A paragraph holding one image and nothing else."""
    return (len(element) == 1 and element[0].tag == "img" and not (element.text or "").strip()
            and not (element[0].tail or "").strip())


def plain_alt(alt: str) -> str:
    """Alt text for readers and screen readers: without Markdown's marks."""
    return " ".join(re.sub(r"[*_`]", "", alt).split())


def starts_with_definition(element: etree.Element) -> bool:
    return element.tag == "dl" and len(element) > 0 and element[0].tag == "dd"


def split_attribution(blocks: tuple[m.Block, ...]) -> tuple[tuple[m.Block, ...], tuple[m.Inline, ...]]:
    """A quote whose last paragraph starts with `—` (or `--`) names its source."""
    match blocks:
        case (*rest, m.Paragraph(inlines=(m.Text(text=first), *more))) if rest and ATTRIBUTION.match(first):
            text = ATTRIBUTION.sub("", first, count=1)
            return tuple(rest), ((m.Text(text=text),) if text else ()) + tuple(more)
        case _:
            return blocks, ()


def is_caption(element: etree.Element) -> bool:
    return element.tag == "p" and bool(CAPTION.match(element.text or ""))


def cell_align(cell: etree.Element) -> str | None:
    # Python-Markdown writes the alignment row's colons as `text-align: x;`.
    style = cell.get("style", "").replace(" ", "")
    return next((align for align in m.ALIGNS if f"text-align:{align}" in style), None)


def caption_parts(inlines: tuple[m.Inline, ...]) -> tuple[tuple[m.Inline, ...], str]:
    """A caption without its `Table:` prefix and trailing `{#id}`, and the id."""
    parts = list(inlines)
    if parts and isinstance(parts[0], m.Text):
        parts[0] = m.Text(text=CAPTION.sub("", parts[0].text, count=1))
    table_id = ""
    if parts and isinstance(parts[-1], m.Text) and (found := CAPTION_ID.search(parts[-1].text)):
        table_id = found[1]
        parts[-1] = m.Text(text=parts[-1].text[:found.start()])
    return tuple(part for part in parts if not (isinstance(part, m.Text) and not part.text)), table_id


def add_text(out: list[m.Inline], text: str) -> None:
    if not text:
        return
    if out and isinstance(out[-1], m.Text):
        out[-1] = m.Text(text=out[-1].text + text)
    else:
        out.append(m.Text(text=text))


def first_words(element: etree.Element) -> str:
    """A short run of the element's first plain text, to find its source line."""
    for text in element.itertext():
        words = re.split(r"[*_`\[\]<>&\\\x02\x03\n]", text.strip(), maxsplit=1)[0].strip()
        if len(words) >= 3:
            return words[:40]
    return ""


# Section tree ----------------------------------------------------------------

@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    title: tuple[m.Inline, ...]
    line: int


def section_tree(items: list[m.Block | Heading]) -> tuple[tuple[m.Block, ...], tuple[m.Section, ...]]:
    """Nest a flat run of blocks and headings: each heading owns what follows
    it up to the next heading of the same or a higher level."""
    preamble, index = blocks_until_heading(items, 0)
    sections, _ = sections_from(items, index, 0)
    return preamble, sections


def blocks_until_heading(items: list[m.Block | Heading], index: int) -> tuple[tuple[m.Block, ...], int]:
    start = index
    while index < len(items) and not isinstance(items[index], Heading):
        index += 1
    return tuple(items[start:index]), index  # type: ignore[arg-type]


def sections_from(items: list[m.Block | Heading], index: int, parent_level: int
                  ) -> tuple[tuple[m.Section, ...], int]:
    sections: list[m.Section] = []
    while index < len(items):
        heading = items[index]
        assert isinstance(heading, Heading)
        if heading.level <= parent_level:
            break
        blocks, index = blocks_until_heading(items, index + 1)
        children, index = sections_from(items, index, heading.level)
        sections.append(m.Section(level=heading.level, title=heading.title, id=heading.id,
                                  blocks=blocks, children=children, line=heading.line))
    return tuple(sections), index


# Entry point -------------------------------------------------------------------

def check_shape(source: Source, first_line: int) -> None:
    """Refuse, before Python-Markdown meets them, what would make it recurse
    too deep or work for minutes: deep nesting, and runs of `[` in one block
    (its link patterns try every pair: 20,000 take it 100 s or more)."""
    brackets, block_start = 0, first_line
    for number in range(first_line, len(source.lines) + 1):
        line = source.lines[number - 1]
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))
        if quote_depth(line) > MAX_DEPTH or indent // 4 > MAX_DEPTH:
            raise source.error(number, f"lists and quotes nest deeper than {MAX_DEPTH} levels")
        if not line.strip():
            brackets, block_start = 0, number + 1
            continue
        brackets += line.count("[") - line.count("\\[")
        if brackets > MAX_BRACKETS:
            raise source.error(block_start, f"more than {MAX_BRACKETS} '[' in one paragraph: "
                               "split it, or write \\[ for a literal bracket")


def quote_depth(line: str) -> int:
    depth = 0
    for char in line:
        if char == ">":
            depth += 1
        elif char not in " \t":
            break
    return depth


def parse(source: Source, meta: m.Meta, body_line: int,
          problems: list[Problem] | None = None) -> m.Document:
    """The document model of a source whose front matter is already read.
    Problems the reading can go on after are added to `problems`, for the
    later stages to report with their own; without it, they are raised here."""
    check_shape(source, body_line)
    body = "\n".join(source.lines[body_line - 1:])
    try:
        root, md = markdown_tree(body, body_line)
    except RecursionError:
        raise source.error(body_line, "the Markdown nests too deeply to read") from None
    reader = Reader(source=source, md=md, cursor=body_line,
                    problems=[] if problems is None else problems)
    notes = root.find("div[@class='footnote']")
    if notes is not None:
        root.remove(notes)
    preamble, sections = section_tree(reader.blocks(list(root), 0))
    footnotes = reader.footnotes(notes, body_line) if notes is not None else ()
    abbreviations = next((ext.abbrs for ext in md.registeredExtensions
                          if isinstance(ext, AbbrExtension)), {})
    if problems is None and reader.problems:
        raise BriefingError(sorted(reader.problems, key=lambda problem: problem.line or 0))
    return m.Document(meta=meta, blocks=preamble, sections=sections, path=source.name,
                      footnotes=footnotes, abbreviations=tuple(sorted(abbreviations.items())),
                      source=source.text)
