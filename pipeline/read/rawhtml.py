"""Raw HTML, read safely: parsed into the elements the reader knows, through
an allowlist, and never passed through.

Python-Markdown stashes raw HTML and leaves a placeholder where it stood:
each inline tag (`<sup>`, `</sup>`) on its own, and here each HTML block as
CommonMark delimits it (`HtmlBlocks`: a block tag such as `<details>` runs
to the next blank line, a comment to its `-->`), so the Markdown between
`<details>` and `</details>` is still read as Markdown, as GitHub and
pandoc read it. `RawHtml` then puts each element's content back together,
its text, its Markdown children and the stashed tags between them, and
rebuilds what the tags open and close with Python's html.parser:

- comments go, from every output (a reviewer's hidden note never reaches
  a reader); so do `<!DOCTYPE …>` and `<?…?>`;
- the allowlist (TAGS) becomes the elements Python-Markdown itself makes
  (`<b>` is `strong`, `<a href>` a link the reader checks as any link,
  `<img>` an image checked as any image), with no attribute but the few
  each needs; an `id` or `<a name>` becomes an anchor, so `#x` finds it;
- any other tag is shown as text, as written, and named once per kind in
  a warning (`html.unsupported`): `<script>` is text, `onerror=` is
  nowhere, a `javascript:` link is refused by the reader, and nothing is
  fetched.

Block elements that land in a paragraph split it; inline content that
lands among blocks is made a paragraph; `<div>`, `<center>` and
`<picture>` wrap nothing of their own (their content stays). A container's
tag alone on its line right above Markdown (`<div id="fig:pair">` then
`![a](p.png)`) is a block of that line alone, what follows read as
Markdown, as pandoc reads it; an HTML block indented into a list item
stays the item's.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Set as AbstractSet
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from pipeline import model as m
from pipeline.read.inlines import SPAN_TAG
from pipeline.read.lists import LIST_MARKER
from pipeline.read.sizes import SizeProblem, length

ANCHOR_TAG = "briefing-anchor"  # an `id` or `<a name>`: a place links lead to
NAMING = "data-naming"  # a link that names a place too (`<a href name>`): empty, it is the place alone
TEXT_TAG = "briefing-text"  # a tag not on the list, as text
RAW = "data-raw"  # on an element made from raw HTML (an <img> is a picture, not a captioned figure)
MARKER = re.compile("[\ue000-\uf8ff]")  # the line markers a preprocessor may have added
MARKS = re.compile("\t?[\ue000-\uf8ff]{2}")  # a marker, with the tab that may stand before it

# Raw tag -> the element the reader knows.
INLINE = {"b": "strong", "strong": "strong", "i": "em", "em": "em", "code": "code", "br": "br",
          "sup": "sup", "sub": "sub", "del": "del", "s": "del", "strike": "del", "ins": "ins",
          "u": "u", "mark": "mark", "kbd": "kbd", "abbr": "abbr", "a": "a", "img": "img",
          "span": SPAN_TAG, "cite": "em", "var": "em", "dfn": "em", "small": SPAN_TAG, "q": SPAN_TAG,
          "tt": "code", "samp": "code",
          # A control's or a date's words are what a reader of the page sees.
          "button": SPAN_TAG, "label": SPAN_TAG, "time": SPAN_TAG, "data": SPAN_TAG, "bdi": SPAN_TAG}
BLOCK = {"p": "p", "details": "details", "summary": "summary", "blockquote": "blockquote",
         "ul": "ul", "ol": "ol", "li": "li", "dl": "dl", "dt": "dt", "dd": "dd", "pre": "pre",
         "hr": "hr", "table": "table", "thead": "thead", "tbody": "tbody", "tfoot": "tbody",
         "tr": "tr", "th": "th", "td": "td", "caption": "caption",
         "figcaption": "p", "address": "p",  # their words, as a paragraph
         **{f"h{n}": f"h{n}" for n in range(1, 7)}}
TRANSPARENT = frozenset(("div", "center", "picture", "figure", "section", "article", "main",
                         "header", "footer", "aside", "nav", "font", "big"))
# Empty, nothing to show; a <colgroup> (pandoc writes one into every wide
# table it exports as HTML) holds only <col>s.
DROPPED = frozenset(("source", "wbr", "col", "colgroup"))
# A checklist's `<input type="checkbox">` (opensource.guide's), as its box
# shows, as a task list item's box: (type, checked) -> the character.
BOXES = {("checkbox", False): "\u2610", ("checkbox", True): "\u2612",
         ("radio", False): "\u25cb", ("radio", True): "\u25c9"}
VOID = frozenset(("br", "img", "hr", "source", "wbr", "col", "input", "meta", "link", "area",
                  "base", "embed", "param", "track"))
TAGS = frozenset((*INLINE, *BLOCK, *TRANSPARENT, *DROPPED))
BLOCK_ELEMENTS = frozenset(("p", "details", "blockquote", "ul", "ol", "dl", "pre", "hr", "table",
                            *(f"h{n}" for n in range(1, 7))))
# Where only inline content may stand.
PHRASING = frozenset(("p", "summary", "th", "td", "dt", "caption", "em", "strong", "code", "a",
                      "sup", "sub", "del", "ins", "u", "mark", "kbd", "abbr", SPAN_TAG,
                      *(f"h{n}" for n in range(1, 7))))
# An id as HTML5 has it: any characters but spaces (the Apache bylaws' `id="2.1"`;
# OpenSSF's compiler guide's `id="-D_FORTIFY_SOURCE=3"`, `id="-Wl,-z,relro"`).
ID = re.compile(r"[^\s\"'<>]+")
LANGUAGE = re.compile(r"(?:^|\s)(?:language|lang)-([\w#+.-]+)")  # `<code class="language-bash">`
LANGUAGE_ATTRIBUTE = "data-raw-lang"  # on a raw `<pre>`'s code, for the reader
WHITESPACE = re.compile(r"\s*")


# Tokens ------------------------------------------------------------------------

@dataclass
class Start:
    tag: str
    attrs: dict[str, str]
    raw: str
    closed: bool = False  # `<br/>`
    line: int = 0  # in an HTML block: its source line (inline, the markers around it say)


@dataclass
class End:
    tag: str
    raw: str
    line: int = 0


@dataclass
class Node:
    element: etree.Element  # made by Python-Markdown


Token = str | Start | End | Node


class Tokens(HTMLParser):
    """Raw HTML as tokens: text (with character references decoded), start
    and end tags; comments, declarations and processing instructions dropped."""

    def __init__(self, first_line: int) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[Token] = []
        self.first_line = first_line  # 0: not known (an inline tag)

    def line(self) -> int:
        return self.first_line + self.getpos()[0] - 1 if self.first_line else 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(Start(tag, {k: v or "" for k, v in attrs}, self.get_starttag_text() or f"<{tag}>",
                              line=self.line()))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(Start(tag, {k: v or "" for k, v in attrs}, self.get_starttag_text() or f"<{tag}/>",
                              closed=True, line=self.line()))

    def parse_endtag(self, i: int) -> int:
        self.end_start = i  # where the end tag handle_endtag is given starts, to show it as written
        return super().parse_endtag(i)

    def handle_endtag(self, tag: str) -> None:
        start = getattr(self, "end_start", -1)
        end = self.rawdata.find(">", start) + 1 if start >= 0 else 0
        written = self.rawdata[start:end] if end and self.rawdata[start:start + 2] == "</" else f"</{tag}>"
        self.out.append(End(tag, written, line=self.line()))

    def handle_data(self, data: str) -> None:
        self.out.append(self.marked(data))

    def unknown_decl(self, data: str) -> None:  # <![CDATA[text]]>
        self.out.append(self.marked(data.removeprefix("CDATA[")))

    def marked(self, data: str) -> str:
        """Text of an HTML block with the line markers its source lines had
        (taken off to parse it), so its words keep their lines."""
        if not self.first_line or not data.strip():
            return data
        from pipeline.read.markdown import marker  # the markers' one encoding; it imports us

        line = self.line()
        parts = data.split("\n")
        # At each line's end, where the source had its marker (not after the
        # last part, which the next tag's own line follows).
        return "\n".join(part + (marker(line + index) if part.strip() and index < len(parts) - 1 else "")
                         for index, part in enumerate(parts))


# A Hugo shortcode as an attribute's value (digital.gov's cards link
# `href="{{< ref "2015-03-02-persona….md" >}}"`): its own quotes ended the
# value, and its `>` the tag, so the tag's words came out as `}}">Persona…`.
SHORTCODE_VALUE = re.compile(r'(<[A-Za-z][^<>]*?=")(\{\{[<%][^\n]*?[>%]\}\})(?=")')  # in a start tag only


def tokens(raw: str, first_line: int = 0) -> list[Token]:
    parser = Tokens(first_line)
    if '="{{' in raw:  # its quotes as single ones: the value is the shortcode, whole
        raw = SHORTCODE_VALUE.sub(lambda found: found[1] + found[2].replace('"', "'"), raw)
    parser.feed(raw)
    parser.close()
    return parser.out


# Block raw HTML, as CommonMark delimits it ----------------------------------------

BLOCK_STARTS = (
    (re.compile(r"<(?:script|pre|style|textarea)(?:\s|>|$)", re.I), re.compile(r"</(?:script|pre|style|textarea)>", re.I)),
    (re.compile(r"<!--"), re.compile(r"-->")),
    (re.compile(r"<\?"), re.compile(r"\?>")),
    (re.compile(r"<![A-Za-z]"), re.compile(r">")),
    (re.compile(r"<!\[CDATA\["), re.compile(r"\]\]>")),
)
BLOCK_TAG_START = re.compile(
    r"</?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|"
    r"dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|"
    r"html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|picture|search|"
    r"section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:\s|/?>|$)", re.I)
ATTRIBUTE = r"""\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?"""
# An opening tag alone on its line of an element that only holds others.
CONTAINER_OPEN = re.compile(rf"<(?:div|section|article|aside|header|footer|main|nav|center|figure)"
                            rf"(?:{ATTRIBUTE})*\s*>\s*$", re.I)
# An opening tag alone on its line that asks for Markdown inside (kramdown).
MARKDOWN_OPEN = re.compile(rf"<[A-Za-z][A-Za-z0-9-]*(?:{ATTRIBUTE})*?\s+markdown\s*=\s*[\"']?(?:1|block|span)"
                           rf"[\"']?(?:{ATTRIBUTE})*\s*>\s*$", re.I)
# A tag of running text (`<img>`, `<b>`) opening a line.
INLINE_START = re.compile(r"<(?:%s)(?=[\s>/])" % "|".join(sorted(INLINE, key=len, reverse=True)), re.I)
LONE_TAG = re.compile(rf"(?:<[A-Za-z][A-Za-z0-9-]*(?:{ATTRIBUTE})*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)\s*$")
INDENT = re.compile(r"[ ]{0,3}(?=<)")
# A list item or a definition whose content opens with a tag (`- <details>`,
# as the ONS design system's migration guides write them; `: <dl>`, an
# IETF draft's media type registration): the HTML is the item's.
ITEM = re.compile(rf"[ ]*(?:{LIST_MARKER}|[:~])[ ]+(?=<)")
ITEM_LINE = re.compile(rf"([ ]*{LIST_MARKER}[ ]+)\S")
DEEPER = re.compile(r"[ ]+(?=<)")
LIST_OPEN = re.compile(r"<(?:table|ul|ol|dl)(?=[\s>/])", re.I)
LIST_CLOSE = re.compile(r"</(?:table|ul|ol|dl)\s*>", re.I)


def opening(lines: list[str], index: int, plain: str) -> str | None:
    """What stands before a tag that may open an HTML block on this line:
    up to three spaces, a list item's marker, or the indent of the list
    item the line is in (`-   Example:`, a blank line, then `<details>`
    four spaces in, which is no code block there); None when no tag may."""
    if found := INDENT.match(plain) or ITEM.match(plain):
        return found[0]
    deeper = DEEPER.match(plain)
    if deeper is None:
        return None
    column = item_column(lines, index, len(deeper[0]))
    return deeper[0] if column is not None and column <= len(deeper[0]) <= column + 3 else None


def item_column(lines: list[str], index: int, indent: int) -> int | None:
    """Where the content of the list item holding line `index` starts: the
    first line above it less indented, when that is the item's first."""
    for number in range(index - 1, max(index - 200, -1), -1):
        above = MARKER.sub("", lines[number]).replace("\t", "")
        if not above.strip():
            continue
        if len(above) - len(above.lstrip(" ")) < indent:
            item = ITEM_LINE.match(above)
            return len(item[1]) if item else None
    return None


@dataclass
class RawBlock:
    """A block of raw HTML, kept in the stash until RawHtml reads it."""
    text: str
    mark: str  # the line marker of its first line

    def __str__(self) -> str:  # what Python-Markdown's serializer would write: nothing of it
        return ""


class HtmlBlocks(Preprocessor):
    """CommonMark's HTML blocks, each stashed whole (its line markers taken
    off) and left as a placeholder paragraph of its own, with the marker of
    its first line."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        index = 0
        open_lists = 0  # tables and lists opened in raw HTML and not yet closed
        while index < len(lines):
            plain = MARKER.sub("", lines[index]).replace("\t", "")
            prefix = opening(lines, index, plain)
            placed = prefix
            if prefix is None and open_lists > 0 and (deeper := DEEPER.match(plain)):
                # A cell or an item four spaces in, after a blank line, inside a
                # table or list left open (a CMS's export: digitalgov.gov lost
                # 2,300 words of three tables): the table's, not indented code;
                # its placeholder at the margin, where no code block starts.
                prefix, placed = deeper[0], ""
            end = self.block_end(lines, index, plain[len(prefix):], bool(out) and bool(out[-1].strip()),
                                 len(prefix)) if prefix is not None else None
            if prefix is None or end is None:
                out.append(lines[index])
                index += 1
                continue
            block = [MARKS.sub("", line) for line in lines[index:end]]
            block[0] = block[0][len(prefix):]  # a list item's marker is the item's, not the HTML's
            for line in block:
                open_lists = max(0, open_lists + len(LIST_OPEN.findall(line)) - len(LIST_CLOSE.findall(line)))
            first_mark = "".join(MARKER.findall(lines[index]))[:2]
            if out and out[-1].strip():
                out.append("")
            # Where it stood: indented into a list item (a `<details>` under
            # an item's text), or opening one, it stays the item's.
            out += [(placed or "") + self.md.htmlStash.store(RawBlock("\n".join(block), first_mark)) + first_mark, ""]
            index = end
        return out

    @staticmethod
    def block_end(lines: list[str], index: int, line: str, in_paragraph: bool, indent: int = 0) -> int | None:
        """Where the HTML block starting at `index` ends (exclusive), or None.
        One `indent` spaces in (in a list item) ends, too, at a line less
        indented, which its container does not hold (`- next item`)."""
        for start, end in BLOCK_STARTS:
            if start.match(line):
                for number in range(index, len(lines)):
                    if end.search(MARKER.sub("", lines[number])):
                        return number + 1
                return len(lines)
        if (CONTAINER_OPEN.match(line) or MARKDOWN_OPEN.match(line)) and index + 1 < len(lines) \
                and (after := MARKER.sub("", lines[index + 1]).strip()) \
                and (not after.startswith("<") or INLINE_START.match(after)):
            # `<div id="fig:pair">` right above Markdown (pandoc-crossref's
            # demo): the tag alone, its content read as Markdown, as pandoc
            # reads it; as a CommonMark block it showed `![…](…)` as written.
            # So too when its first line opens with a tag of running text
            # (opensource.guide's `<aside>`, a picture then a line of links),
            # and for any tag that asks for it, as kramdown's `markdown="1"`
            # does (Jekyll's sites: `<p markdown="1">`).
            return index + 1
        if LONE_TAG.match(line) and INLINE_START.match(line) and index + 1 < len(lines) \
                and (after := MARKER.sub("", lines[index + 1]).strip()) and after[0].isalnum():
            return None  # `<img …>` above a line of text: the paragraph's, as pandoc reads it
        if BLOCK_TAG_START.match(line) or (LONE_TAG.match(line) and not in_paragraph):
            number = index + 1  # its first line is its own, a list item's marker before it or not
            while number < len(lines) and (text := MARKER.sub("", lines[number])).strip() \
                    and len(text) - len(text.lstrip(" ")) >= indent:
                number += 1
            return number
        return None


# Rebuilding the tree ------------------------------------------------------------

@dataclass
class Unsupported:
    """Each kind of tag shown as text, for one warning each: tag -> its raw
    texts and the elements that hold them (whose lines the reader knows;
    the first in the source is named)."""
    found: dict[str, list[tuple[str, etree.Element]]] = field(default_factory=dict)
    left_out: dict[str, list[int | etree.Element]] = field(default_factory=dict)  # LEFT_OUT's: where each stood
    components: dict[str, list[int | etree.Element]] = field(default_factory=dict)  # a site's own, by name


class RawHtml(Treeprocessor):
    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.unsupported = Unsupported()

    def run(self, root: etree.Element) -> None:
        self.unsupported = Unsupported()
        setattr(self.md, "raw_html_unsupported", self.unsupported)
        # The footnotes Python-Markdown put at the end are no content of a
        # tag left open before them (`<dl>` never closed): they stay apart.
        notes = root.find("div[@class='footnote']")
        if notes is not None:
            root.remove(notes)
        self.rebuild(root, flow=True)
        if notes is not None:
            self.rebuild(notes, flow=True)  # the notes' own tags, closed within them
            root.append(notes)

    # The stash

    def raw(self, text: str | None) -> list[Token]:
        """Text as tokens: its placeholders of stashed tags parsed, the
        others (character references, emoji, code) left in the text."""
        if not text:
            return []
        if "\x02" not in text:
            return [text]
        out: list[Token] = []
        position = search = 0
        while found := HTML_PLACEHOLDER_RE.search(text, search):
            search = found.end()
            stashed = self.md.htmlStash.rawHtmlBlocks[int(found[1])]
            if not isinstance(stashed, str) or not stashed.startswith("<"):
                continue
            before = text[position:found.start()]
            if stashed.startswith("<!--") and before.endswith((" ", "\t")):
                # `a <!-- x --> b`: one space stays between the words
                spaces = len(text[found.end():]) - len(text[found.end():].lstrip(" \t"))
                text = text[:found.end()] + text[found.end() + spaces:]
            out.append(before)
            # A tag ending a line holds its marker (`<br<m>>`): parsed without
            # it, the marker kept in the text after it for the line it gives.
            out.extend(tokens(MARKS.sub("", stashed)))
            out.append("".join(MARKER.findall(stashed)))
            out.append(Start("", {}, ""))  # a mark that raw HTML stood here, taken out by nest()
            position = found.end()
        out.append(text[position:])
        return [token for token in out if token != ""]

    def block(self, element: etree.Element) -> list[Token] | None:
        """A paragraph holding only a stashed HTML block: its tokens."""
        if element.tag != "p" or len(element):
            return None
        found = HTML_PLACEHOLDER_RE.fullmatch(MARKER.sub("", element.text or "").strip())
        if not found:
            return None
        stashed = self.md.htmlStash.rawHtmlBlocks[int(found[1])]
        # A block ends where it ends: what follows starts a paragraph of its own.
        if not isinstance(stashed, RawBlock):
            return None
        from pipeline.read.markdown import marked_line  # the markers' one encoding; it imports us

        first = marked_line(stashed.mark) if len(stashed.mark) == 2 else 0
        return [*tokens(stashed.text, first), Start("", {}, BREAK)]

    # Putting an element's content back together

    def rebuild(self, element: etree.Element, flow: bool) -> bool:
        """Whether raw HTML was found in the element's own content."""
        content: list[Token] = self.raw(element.text)
        emptied = False
        for child in element:
            block = self.block(child)
            if block is not None:
                content += block
                continue
            if self.rebuild(child, flow=is_flow(child)) and child.tag == "p" and not len(child) \
                    and not (child.text or "").strip():
                emptied = True  # a paragraph of nothing but a comment or a stray end tag
            else:
                content.append(Node(child))
            content += self.raw(child.tail)
        raw = emptied or any(isinstance(token, Start) for token in content)
        split = any(child.tag == "p" and any(is_block(inner) for inner in child) for child in element)
        if not raw and not (split and flow):
            return False  # nothing of raw HTML here: the element stays as it is
        for child in list(element):
            element.remove(child)
            child.tail = None
        element.text = None
        for token in self.nest(content):
            if isinstance(token, str):
                append_text(element, token)
            elif isinstance(token, Node):
                element.append(token.element)
        self.tidy(element, flow)
        return raw

    def nest(self, content: list[Token]) -> list[Token]:
        """Tokens to nodes: what each allowed tag opens, closed by its end
        tag, by a sibling that closes it implicitly (`<li>` after `<li>`),
        or by the end of the content around it."""
        top = etree.Element("top")
        stack = [top]
        closing = {token.tag for token in content if isinstance(token, End)}  # what an end tag closes here
        skipping = ""  # the LEFT_OUT tag whose content is passed over
        spaced = False  # a space stood before the one just passed over: one after it goes
        for token in content:
            if skipping:
                skipping = "" if isinstance(token, End) and token.tag == skipping else skipping
                continue
            if spaced and isinstance(token, str):
                token, spaced = token[1:] if token[:1] == " " else token, False
            elif spaced and not (isinstance(token, Start) and not token.tag):  # raw HTML's own marks aside
                spaced = False
            if isinstance(token, Start) and token.tag in LEFT_OUT and not token.closed:
                spaced = ends_in_space(stack[-1])
                # Its line; in a line of text, where it stood (an empty text the reader places).
                where = token.line or etree.SubElement(stack[-1], TEXT_TAG)
                self.unsupported.left_out.setdefault(token.tag, []).append(where)
                skipping = token.tag
                continue
            parent = stack[-1]
            if isinstance(token, str):
                append_text(parent, token)
            elif isinstance(token, Node):
                parent.append(token.element)
            elif isinstance(token, Start):
                if not token.tag:
                    if token.raw == BREAK:
                        etree.SubElement(parent, BREAK)
                    continue
                if token.tag in IMPLIED_END and stack[-1].get(OPENED_BY) in IMPLIED_END[token.tag]:
                    stack.pop()
                if token.tag in ("td", "th") and stack[-1].get(OPENED_BY) in TABLE_PARTS:
                    # A cell after `</tr>` with no `<tr>` (EUDI's wallet attestation
                    # tables): HTML's parser opens its row, which the next `</tr>` closes.
                    if (row := self.element(Start("tr", {}, "", line=token.line), stack[-1])) is not None:
                        stack.append(row)
                # `A <Badge/> word`, a component that goes: one space between.
                spaced = token.closed and token.tag not in TAGS and bool(COMPONENT.match(token.raw)) \
                    and ends_in_space(stack[-1])
                made = self.element(token, stack[-1], closing)
                if made is not None and token.tag not in VOID and not token.closed:
                    stack.append(made)
            elif token.tag in TAGS or COMPONENT.match(token.raw):
                for depth in range(len(stack) - 1, 0, -1):
                    if stack[depth].get(OPENED_BY) == token.tag:
                        del stack[depth:]
                        break
                else:
                    # An end tag that closes nothing open is dropped, as browsers do;
                    # a component's (`List<String>`'s type, in a line) shows as written.
                    if token.tag not in TAGS:
                        self.shown(parent, token)
            else:
                self.shown(parent, token)
        for element in top.iter():
            element.attrib.pop(OPENED_BY, None)
        out: list[Token] = [top.text] if top.text else []
        for child in list(top):
            top.remove(child)
            tail, child.tail = child.tail, None
            out.append(Node(child))
            if tail:
                out.append(tail)
        return out

    def element(self, token: Start, parent: etree.Element,
                closing: AbstractSet[str] = frozenset()) -> etree.Element | None:
        """The element a start tag opens in `parent` (None: nothing to open)."""
        tag, attrs = token.tag, token.attrs
        ident = attrs.get("id") or (attrs.get("name") if tag == "a" else None)
        anchor = etree.Element(ANCHOR_TAG, {"id": ident}) if ident and ID.fullmatch(ident) else None
        if anchor is not None and token.line:
            from pipeline.read.markdown import OWN_MARK, marker  # it imports us

            anchor.set(OWN_MARK, marker(token.line))
        if anchor is not None and (tag in VOID or tag in TRANSPARENT or tag == "a" or tag not in TAGS):
            parent.append(anchor)  # before it: it has no content of its own to hold the anchor
            anchor = None
        if tag in DROPPED:
            return None
        if tag == "input" and (box := BOXES.get(((attrs.get("type") or "").lower(), "checked" in attrs))):
            etree.SubElement(parent, TEXT_TAG).text = box  # what the page shows: a box, ticked or not
            return None
        if tag not in TAGS and (name := COMPONENT.match(token.raw)) and name[1] not in NOT_COMPONENTS \
                and (token.closed or token.line or tag in closing):
            # A site's own component (VuePress's `<Content …/>`, MDX's `<Tabs>` on
            # its line): what it holds stays, the tags go, said once by name.
            # In a line of text, only one its end tag closes: `Promise<Response>`
            # is a type and `<file-name>.txt` a placeholder, shown as written.
            self.unsupported.components.setdefault(name[1], []).append(
                token.line or etree.SubElement(parent, TEXT_TAG))
            if token.closed:
                return None
            made = etree.SubElement(parent, TRANSPARENT_TAG)
            made.set(OPENED_BY, tag)
            return made
        if tag not in TAGS:
            self.shown(parent, token)
            return None
        if tag in TRANSPARENT or (tag == "a" and not attrs.get("href")):
            made = etree.SubElement(parent, TRANSPARENT_TAG)  # its content stays, in its place
        else:
            made = etree.SubElement(parent, INLINE.get(tag) or BLOCK[tag])
        made.set(OPENED_BY, tag)
        made.set(RAW, "1")
        if tag == "tfoot":
            made.set(FOOT, "1")
        if token.line:
            from pipeline.read.markdown import OWN_MARK, marker  # it imports us

            made.set(OWN_MARK, marker(token.line))  # its line, read before its text
        match tag:
            case "a" if attrs.get("href"):
                made.set("href", attrs["href"].strip())
                if ident:
                    made.set(NAMING, "1")
                if attrs.get("title"):
                    made.set("title", attrs["title"])
            case "img":
                made.set("src", attrs.get("src", "").strip())
                made.set("alt", attrs.get("alt", ""))
                styled = style_sizes(attrs.get("style") or "")
                for side in ("width", "height"):  # read/sizes.py reads them
                    if (value := attrs.get(side, styled.get(side))) is not None:
                        made.set(side, value)
            case "abbr":
                made.set("title", attrs.get("title", ""))
            case "ol" if (attrs.get("start") or "").isdigit():
                made.set("start", attrs["start"])
            case "h1" | "h2" | "h3" | "h4" | "h5" | "h6" if ident and ID.fullmatch(ident):
                made.set("id", ident)
            case "span":
                classes = attrs.get("class", "").split()
                # Text for screen readers alone, by any site's name for it: one name.
                made.set("class", " ".join(m.VISUALLY_HIDDEN if name in SCREEN_READER_ONLY else name
                                           for name in classes))
            case "code" | "pre" if language := LANGUAGE.search(attrs.get("class") or ""):
                made.set(LANGUAGE_ATTRIBUTE, language[1])  # kept by a <pre> (make_pre)
            case "td" | "th":
                for key in ("rowspan", "colspan"):  # make_table places the cell by them
                    if attrs.get(key):
                        made.set(key, attrs[key])
        if anchor is not None and tag not in HEADINGS:
            made.append(anchor)  # its first content, where `#id` leads
        return made

    def resolved(self, text: str) -> str:
        """Text with the stash's character references (`&lt;`) as characters."""
        def value(found: re.Match[str]) -> str:
            stashed = self.md.htmlStash.rawHtmlBlocks[int(found[1])]
            return html.unescape(stashed) if isinstance(stashed, str) and stashed.startswith("&") else ""
        return HTML_PLACEHOLDER_RE.sub(value, text)

    def shown(self, parent: etree.Element, token: Start | End) -> None:
        """A tag not on the list, shown as text, as written."""
        text = etree.SubElement(parent, TEXT_TAG)
        text.text = token.raw
        if token.line:
            from pipeline.read.markdown import OWN_MARK, marker  # it imports us

            text.set(OWN_MARK, marker(token.line))
        self.unsupported.found.setdefault(token.tag, []).append((token.raw, text))

    # The content model: blocks among blocks, inlines in paragraphs

    def tidy(self, element: etree.Element, flow: bool) -> None:
        unwrap_transparent(element)
        if not flow:
            drop_breaks(element)
        for child in list(element):
            if not child.get(RAW):
                continue
            # A table or definition list left open (an Ember RFC's `<dl>`
            # never closed) took in the Markdown after it: what it cannot
            # hold goes after it, not away.
            moved = strays(child, STRAYS_OUT[child.tag]) if child.tag in STRAYS_OUT else []
            index = list(element).index(child)
            for offset, stray in enumerate(moved):
                element.insert(index + 1 + offset, stray)
            self.tidy(child, is_flow(child))
            if (child.tag == "table" and child.find(".//tr") is None) or \
                    (child.tag == "dl" and child.find(".//dt") is None and child.find(".//dd") is None):
                element.remove(child)  # nothing of a table or list was left in it
            for stray in moved:
                if stray.get(RAW):
                    self.tidy(stray, is_flow(stray))
        match element.tag:
            case "pre":
                make_pre(element, self.resolved)
            case "code" | "abbr":
                flatten(element, self.resolved)
            case "table":
                make_table(element)
            case "ul" | "ol":
                make_list(element)
            case "dl":
                make_definitions(element)
            case tag if flow:
                paragraphs(element)
                unfold_sections(element)
            case "td" | "th" if any(child.tag in ("ul", "ol") for child in element):
                # A list in a cell, as GitHub READMEs have them: the cell
                # holds blocks, as a grid table's may (pandoc reads it so).
                paragraphs(element)
            case tag if tag in PHRASING and tag != "p":
                inline_only(element)
        if element.tag != "img":
            element.attrib.pop(RAW, None)


OPENED_BY = "data-opened-by"
# A page's scripts and styles: code for a browser, which GitHub strips and
# a reader never sees (OpenSSF's baseline printed a paragraph of JavaScript).
LEFT_OUT = frozenset(("script", "style", "template"))
TABLE_PARTS = frozenset(("table", "thead", "tbody", "tfoot"))
FOOT = "data-foot"  # a <tfoot>, read as a body whose rows come last
BREAK = "briefing-break"  # where an HTML block ended
TRANSPARENT_TAG = "briefing-transparent"
# Sites' names for a span of text for screen readers alone (the MOD's
# "(opens in a new tab)", in GOV.UK's class): model.VISUALLY_HIDDEN.
SCREEN_READER_ONLY = frozenset(("govuk-visually-hidden", "visually-hidden", "visuallyhidden", "sr-only",
                                "usa-sr-only", "screen-reader-text", "screen-reader-only", "nhsuk-u-visually-hidden"))
# A tag named in mixed case, a capital first (`<Content>`, `<TabItem>`): a
# component of the site generator's (Vue, MDX, Astro). HTML's own names
# have no case (`<IFRAME>` is `<iframe>`), and are written in one. Or a
# custom element, whose name holds a hyphen (VA's `<va-tabs>`, a web
# component): its script draws it, which a briefing never runs.
COMPONENT = re.compile(r"</?([A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*|[a-z][a-z0-9]*-[a-z0-9-]*)(?=[\s/>])")
# Names with a hyphen that SVG and MathML keep for their own elements.
NOT_COMPONENTS = frozenset(("annotation-xml", "color-profile", "font-face", "font-face-src", "font-face-uri",
                            "font-face-format", "font-face-name", "missing-glyph"))
HEADINGS = frozenset(f"h{n}" for n in range(1, 7))
# A start tag that closes an open element of these kinds, as HTML's parser does.
IMPLIED_END = {"li": ("li",), "dt": ("dt", "dd"), "dd": ("dt", "dd"), "tr": ("tr", "td", "th"),
               "td": ("td", "th"), "th": ("td", "th"), "p": ("p",)}
# Containers whose content is blocks (a leading run of text, in a list item).
FLOW = frozenset(("top", "div", "blockquote", "details", "li", "dd"))


def is_flow(element: etree.Element) -> bool:
    return element.tag in FLOW


# Helpers over ElementTree -----------------------------------------------------------

def ends_in_space(element: etree.Element) -> bool:
    """Whether the text so far in `element` (its last child's tail, else its
    own text, markers aside) ends in a space."""
    last = element[-1].tail if len(element) else element.text
    return MARKER.sub("", last or "").endswith(" ")


def append_text(element: etree.Element, text: str) -> None:
    if not text:
        return
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


def drop_breaks(element: etree.Element) -> None:
    for child in [child for child in element if child.tag == BREAK]:
        index = list(element).index(child)
        if child.tail:
            append_after(element, index - 1, child.tail)
        element.remove(child)


def unwrap_transparent(element: etree.Element) -> None:
    """`<div>`, `<center>`, `<picture>`, `<a name>`: their content in their place."""
    index = 0
    while index < len(element):
        child = element[index]
        if child.tag != "briefing-transparent":
            index += 1
            continue
        inner = list(child)
        if child.text:
            if index:
                element[index - 1].tail = (element[index - 1].tail or "") + child.text
            else:
                element.text = (element.text or "") + child.text
        tail = child.tail
        element.remove(child)
        for offset, grandchild in enumerate(inner):
            element.insert(index + offset, grandchild)
        end = index + len(inner)
        if tail:
            if end:
                element[end - 1].tail = (element[end - 1].tail or "") + tail
            else:
                element.text = (element.text or "") + tail
        # `index` stays: what came out may be transparent too (`<div><div>`).


# What a flow container holds apart from paragraphs: a stray item or row
# stays itself (the reader refuses what it cannot place).
STRUCTURE = frozenset(("li", "dt", "dd", "summary", "tr", "thead", "tbody", "div", "caption"))


def is_block(element: etree.Element) -> bool:
    return element.tag in BLOCK_ELEMENTS


def paragraphs(element: etree.Element) -> None:
    """A flow container's content as blocks: a run of inline content
    becomes a paragraph, a paragraph with blocks in it is split around them."""
    content: list[etree.Element | str] = []
    if element.text:
        content.append(element.text)
    for child in list(element):
        if child.tag == "p" and any(is_block(grandchild) for grandchild in child):
            content.extend(split_paragraph(child))
        else:
            content.append(child)
        if child.tail:
            content.append(child.tail)
            child.tail = None
        element.remove(child)
    element.text = None

    def stands_alone(piece: etree.Element | str) -> bool:
        return not isinstance(piece, str) and (is_block(piece) or piece.tag in STRUCTURE or piece.tag == BREAK)

    if element.tag in ("li", "dd"):  # these hold a leading run of inline content themselves
        lead = 0
        while lead < len(content) and not stands_alone(content[lead]):
            lead += 1
        for piece in content[:lead]:
            if isinstance(piece, str):
                append_text(element, piece)
            else:
                element.append(piece)
        content = content[lead:]
    run: list[etree.Element | str] = []
    ends: list[etree.Element | str | None] = [*content, None]
    for end in ends:
        if end is None or stands_alone(end):
            if any(not isinstance(part, str) or part.strip() for part in run):
                paragraph = etree.SubElement(element, "p")
                for part in run:
                    if isinstance(part, str):
                        append_text(paragraph, part if paragraph.text or len(paragraph) else part.lstrip())
                    else:
                        paragraph.append(part)
                strip_end(paragraph)
            run = []
            if isinstance(end, etree.Element) and end.tag != BREAK:
                element.append(end)
        elif not (not isinstance(end, str) and end.tag == "br" and not run):
            run.append(end)
    wrap_items(element)


def wrap_items(element: etree.Element) -> None:
    """List items standing outside a list (`<li>` after a line of text, as
    pages written for a browser have them): a list of their own, as a
    browser shows them with their bullets."""
    index = 0
    while index < len(element):
        if element[index].tag != "li":
            index += 1
            continue
        items = etree.Element("ul")
        while index < len(element) and element[index].tag == "li":
            item = element[index]
            element.remove(item)
            items.append(item)
        element.insert(index, items)
        index += 1


def unfold_sections(element: etree.Element) -> None:
    """A `<details>` that holds headings holds sections, which no note can:
    its summary stays as a bold line, its content in its place (as pandoc,
    which passes the tags through, shows the headings)."""
    for index, child in reversed(list(enumerate(element))):
        if child.tag != "details" or not any(inner.tag in HEADINGS for inner in child):
            continue
        element.remove(child)
        content = list(child)
        summary = child.find("summary")
        if summary is not None:
            content.remove(summary)
            line = etree.Element("p")
            strong = etree.SubElement(line, "strong")
            strong.text, strong[:] = summary.text, list(summary)
            content.insert(0, line)
        for offset, inner in enumerate(content):
            element.insert(index + offset, inner)


def split_paragraph(paragraph: etree.Element) -> list[etree.Element | str]:
    out: list[etree.Element | str] = []
    current = etree.Element("p")
    current.text = paragraph.text
    for child in list(paragraph):
        paragraph.remove(child)
        if is_block(child):
            out.append(current)
            tail, child.tail = child.tail, None
            out.append(child)
            current = etree.Element("p")
            current.text = tail
        else:
            current.append(child)
    out.append(current)
    return [p for p in out if not (isinstance(p, etree.Element) and p.tag == "p" and not len(p)
                                   and not (p.text or "").strip())]


def strip_end(paragraph: etree.Element) -> None:
    if len(paragraph):
        last = paragraph[-1]
        last.tail = (last.tail or "").rstrip() or None
    else:
        paragraph.text = (paragraph.text or "").strip() or None


def inline_only(element: etree.Element) -> None:
    """Blocks in a cell, a heading or a summary: their inline content, line by line."""
    for index, child in enumerate(list(element)):
        if child.tag == "pre" and "".join(child.itertext()).strip():
            replace_with_code_lines(element, child)
        elif child.tag == "p":
            unwrap(element, child, separator=index > 0 or bool(MARKER.sub("", element.text or "").strip()))
        elif is_block(child):
            replace_with_content(element, child, separator=index > 0)


def unwrap(parent: etree.Element, child: etree.Element, separator: bool) -> None:
    """A paragraph where only inlines may stand (beta.gouv.fr's table cells):
    its inline content in its place, links and emphasis kept."""
    splice(parent, child, child.text or "", list(child), separator)


def replace_with_code_lines(parent: etree.Element, pre: etree.Element) -> None:
    """A `<pre>` where only inlines may stand (GitHub tables hold them): a
    line of code for each of its lines, as a browser shows them, apart."""
    lines = "".join(pre.itertext()).strip("\n").split("\n")  # its text is escaped already (make_pre)
    codes: list[etree.Element] = []
    for number, line in enumerate(lines):
        if number:
            codes.append(etree.Element("br"))
        codes.append(etree.Element("code"))
        codes[-1].text = line
    separator = bool(list(parent).index(pre)) or bool(MARKER.sub("", parent.text or "").strip())
    if MARKER.sub("", pre.tail or "").strip() or list(parent).index(pre) + 1 < len(parent):
        codes.append(etree.Element("br"))  # what follows a block starts a line (GovTech's `Prefer` tokens)
    splice(parent, pre, "", codes, separator)


def replace_with_content(parent: etree.Element, child: etree.Element, separator: bool) -> None:
    splice(parent, child, " ".join(WHITESPACE_RUN.split(" ".join(child.itertext()).strip())), [], separator)


def splice(parent: etree.Element, child: etree.Element, text: str, elements: list[etree.Element],
           separator: bool) -> None:
    """`text`, then `elements`, in `child`'s place in `parent`, a line break
    before them when `separator` (something stands before them); the
    child's tail after them."""
    index = list(parent).index(child)
    parent.remove(child)
    pieces: list[etree.Element] = [etree.Element("br")] if separator else []
    if pieces:
        pieces[0].tail = text or None
    elif text:
        append_after(parent, index - 1, text)
    pieces += elements
    for offset, piece in enumerate(pieces):
        parent.insert(index + offset, piece)
    if child.tail:
        append_after(parent, index + len(pieces) - 1, child.tail)


WHITESPACE_RUN = re.compile(r"\s+")


def append_after(parent: etree.Element, index: int, text: str) -> None:
    if index >= 0 and index < len(parent):
        parent[index].tail = (parent[index].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def flatten(element: etree.Element, resolved: Callable[[str], str]) -> None:
    """Code and abbreviations hold text only."""
    text = resolved("".join(element.itertext()))
    for child in list(element):
        element.remove(child)
    element.text = html.escape(text, quote=False) if element.tag == "code" else text


def make_pre(pre: etree.Element, resolved: Callable[[str], str]) -> None:
    """`<pre>`: code, as Python-Markdown makes an indented block, in the
    language its `<code class="language-x">` names (as highlighters write
    it). A `<code>` in it has its text HTML-escaped already (flatten)."""
    language = pre.get(LANGUAGE_ATTRIBUTE) or next(
        (inner.get(LANGUAGE_ATTRIBUTE) for inner in pre.iter("code") if inner.get(LANGUAGE_ATTRIBUTE)), None)
    for inner in pre.iter("code"):
        inner.text = html.unescape(inner.text or "")
    for line_break in pre.iter("br"):  # a line of its own, as a browser shows it
        line_break.tail = "\n" + (line_break.tail or "")
    text = resolved("".join(pre.itertext())).removeprefix("\n")
    for child in list(pre):
        pre.remove(child)
    pre.text = None
    code = etree.SubElement(pre, "code")
    code.text = html.escape(text, quote=False)
    if language:
        code.set(LANGUAGE_ATTRIBUTE, language)


def make_list(element: etree.Element) -> None:
    """A list holds items: anything else in it joins the item before it."""
    items: list[etree.Element] = []
    if MARKER.sub("", element.text or "").strip():
        items.append(etree.Element("li"))
        items[-1].text = element.text
        element.text = None
    for child in list(element):
        element.remove(child)
        tail, child.tail = child.tail, None
        if child.tag != "li":
            if not items:
                items.append(etree.Element("li"))
            items[-1].append(child)
        else:
            items.append(child)
        if tail and tail.strip():
            append_text(items[-1], tail)
    element.extend(items)


# A width or height declared in a style attribute (`style="width: 100px"`),
# not a min-width or max-width.
STYLE_SIZE = re.compile(r"(?:^|;)\s*(width|height)\s*:\s*([^;]*?)\s*(?=;|$)", re.IGNORECASE)


def style_sizes(style: str) -> dict[str, str]:
    """The width and height an `<img>`'s style gives as plain lengths: the
    one part of a style a picture keeps (a browser would size it so; the
    rest of the style, and any other value, is left out as before)."""
    found = {}
    for side, value in STYLE_SIZE.findall(style):
        try:
            length(value, side)
        except SizeProblem:
            continue
        found[side.lower()] = value
    return found


# What a table and a definition list hold; anything else in one is a stray.
# A cell written without its row is held: make_table puts it in one.
STRAYS_OUT = {"table": frozenset(("thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col")),
              "dl": frozenset(("dt", "dd", "div"))}


def strays(element: etree.Element, holds: frozenset[str]) -> list[etree.Element]:
    """The children of `element` it cannot hold, taken out, in their order;
    its text and their tails as paragraphs of their own, where it has any."""
    out: list[etree.Element] = []
    if MARKER.sub("", element.text or "").strip():
        out.append(paragraph_of(element.text or ""))
        element.text = None
    for child in list(element):
        if child.tag in holds:
            if MARKER.sub("", child.tail or "").strip():
                out.append(paragraph_of(child.tail or ""))
                child.tail = None
            continue
        element.remove(child)
        tail, child.tail = child.tail, None
        out.append(child)
        if MARKER.sub("", tail or "").strip():
            out.append(paragraph_of(tail or ""))
    return out


def paragraph_of(text: str) -> etree.Element:
    made = etree.Element("p")
    made.text = text.strip()
    return made


def make_definitions(element: etree.Element) -> None:
    element.text = None
    for child in list(element):
        child.tail = None
        if child.tag not in ("dt", "dd"):
            element.remove(child)


def make_table(table: etree.Element) -> None:
    """A table as Python-Markdown makes one: a head row of `th` (when the
    first row is one, as pandoc reads it: in `thead`, or all `th`; the rows
    after it in the `thead` too), body rows of `td`, every row as wide as
    the widest. A cell over more rows or
    columns (`rowspan`, `colspan`) takes its places on the grid as a
    browser gives them, and notes its size (SPAN); each place it covers
    beside its own holds a cell marked COVERED."""
    implied_rows(table)
    rows = [(row, [cell for cell in row if cell.tag in ("th", "td")]) for row in table.iter("tr")]
    rows = [(row, cells) for row, cells in rows if cells]
    # A <tfoot> may be written before the body (HTML 4 had it so): its rows go last, as a browser shows them.
    foot = {row for part in table.iter("tbody") if part.get(FOOT) for row in part.iter("tr")}
    rows = [entry for entry in rows if entry[0] not in foot] + [entry for entry in rows if entry[0] in foot]
    caption = table.find("caption")
    heads = header_rows(rows, {row for thead in table.iter("thead") for row in thead.iter("tr")})
    for child in list(table):
        table.remove(child)
    table.text = None
    if not rows:
        return
    grid = placed([cells for _, cells in rows])
    width = max(len(cells) for cells in grid)
    head = etree.SubElement(table, "thead") if heads else None
    body = etree.SubElement(table, "tbody")
    for number, cells in enumerate(grid):
        in_head = number < heads
        tr = etree.SubElement(head if head is not None and in_head else body, "tr")
        for cell in cells + [etree.Element("td") for _ in range(width - len(cells))]:
            if cell.tag == "th" and not in_head:
                cell.set(ROW_HEAD, "1")  # heads its row: kept for screen readers
            cell.tag = "th" if in_head else "td"
            cell.tail = None
            tr.append(cell)
    if caption is not None:  # the reader takes it as a Markdown table's `Table:` caption
        caption.tail = None
        table.insert(0, caption)


def header_rows(rows: list[tuple[etree.Element, list[etree.Element]]], in_thead: set[etree.Element]) -> int:
    """How many of the rows head the table, as pandoc reads them: those of
    its <thead>, when it opens with one; without one, the first rows of
    `th` alone (18F's header of two rows, "Height" over "Feet" and
    "Inches", which fell into the body)."""
    if rows and rows[0][0] in in_thead:
        return next((number for number, (row, _) in enumerate(rows) if row not in in_thead), len(rows))
    return next((number for number, (_, cells) in enumerate(rows) if any(c.tag != "th" for c in cells)),
                len(rows))


def implied_rows(table: etree.Element) -> None:
    """Cells written without their row (`<thead><th>…</th></thead>`, as
    LLNL's merlin guide has them) put in one, as HTML's parser puts them:
    they were lost."""
    for section in [table, *(child for child in table if child.tag in ("thead", "tbody", "tfoot"))]:
        row = None
        for child in list(section):
            if child.tag not in ("th", "td"):
                row = None
                continue
            if row is None:
                row = etree.Element("tr")
                section.insert(list(section).index(child), row)
            section.remove(child)
            row.append(child)


SPAN = "data-span"  # "rows columns" of a cell over more than one place
ROW_HEAD = "data-row-head"  # a body cell written `<th>`: it heads its row
COVERED = "data-covered"  # a place a spanning cell covers
MAX_SPAN = 1000  # as browsers cap colspan; a rowspan stops at the table's end


def placed(rows: list[list[etree.Element]]) -> list[list[etree.Element]]:
    """Each row's cells on the table's grid, as HTML's table model places
    them: a cell goes to the first place in its row no cell above still
    covers, and covers `rowspan` rows (to the table's end at most) and
    `colspan` columns."""
    grid: list[dict[int, etree.Element]] = [{} for _ in rows]
    for number, cells in enumerate(rows):
        column = 0
        for cell in cells:
            while column in grid[number]:
                column += 1
            down = min(span_of(cell.get("rowspan")), len(rows) - number)
            across = span_of(cell.get("colspan"))
            for key in ("rowspan", "colspan"):
                cell.attrib.pop(key, None)
            if down > 1 or across > 1:
                cell.set(SPAN, f"{down} {across}")
            for row in range(number, number + down):
                for offset in range(across):
                    grid[row][column + offset] = cell if (row, offset) == (number, 0) else covered()
            column += across
    width = max((max(places) + 1 for places in grid if places), default=0)
    return [[places[column] if column in places else etree.Element("td") for column in range(width)]
            for places in grid]


def covered() -> etree.Element:
    return etree.Element("td", {COVERED: "1"})


def span_of(value: str | None) -> int:
    """A rowspan's or colspan's count, as browsers read it: 1 unless it is a
    number from 1 up (0 or junk are 1 here)."""
    found = re.match(r"\s*(\d+)", value or "")
    return min(max(int(found[1]), 1), MAX_SPAN) if found else 1


# Registration ----------------------------------------------------------------------

# Python-Markdown's pattern for an inline tag or comment, letting a line's
# marker stand before its closing `>` (where the markers' preprocessor puts
# one at a line's end).
if not HTML_RE.endswith(")>)"):
    raise RuntimeError(f"Python-Markdown {markdown.__version__} changed its HTML pattern: {HTML_RE}")
TAG_RE = HTML_RE[:-2] + "[\ue000-\uf8ff]{0,2}>)"

def register(md: markdown.Markdown) -> None:
    """Raw HTML read into the stash (blocks as CommonMark delimits them,
    tags inline), then rebuilt through the allowlist once every inline
    pattern, smart quote and abbreviation has run."""
    md.preprocessors.register(HtmlBlocks(md), "briefing_html_blocks", 20)
    md.inlinePatterns.register(HtmlInlineProcessor(TAG_RE, md), "html", 90)
    md.treeprocessors.register(RawHtml(md), "briefing_raw_html", 4)
