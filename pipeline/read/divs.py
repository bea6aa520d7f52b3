"""Fenced divs, callouts and alerts for Python-Markdown.

- pandoc's and Quarto's fenced divs, `::: {.class #id key="value"}` to a
  line of colons, nested with longer or shorter fences as pandoc nests
  them. No extension reads them (pymdownx.blocks has its own `///`
  syntax), so a block processor of ours does: a Quarto callout
  (`.callout-note`, `-tip`, `-important`, `-warning`, `-caution`) becomes
  an admonition, titled by its `title=` or by a heading that opens it,
  folded by `collapse=`; any other div keeps its classes and id for the
  templates to style.
- GitHub's alerts, `> [!NOTE]` (`[!TIP]`, `[!IMPORTANT]`, `[!WARNING]`,
  `[!CAUTION]`), a quote whose first line names its kind: a tree
  processor of ours makes the quote an admonition. (markdown-callouts has
  one too, but reads the tag's line with a pattern our line markers
  break, and names caution "danger".)
- MkDocs' collapsible notes, `???` and `???+` (open): pymdownx.details,
  whose first-line pattern is widened to let a line marker end it.

What they make is the tree Python-Markdown's admonitions make
(`div.admonition <kind>` with a `p.admonition-title`), plus `data-`
attributes the reader turns into the model: `data-folded` (a collapsible
note: "closed" or "open"), `data-default-title` (no title of its own: the
kind's name, from the templates' wording), and `div[data-div]` for a
plain fenced div.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import nearing_recursion_limit
from pymdownx.details import DetailsProcessor

# read/markdown.py marks each source line with two Private Use Area
# characters (its number), maybe after a tab; never text.
LINE_MARK = "\ue000-\uf8ff"
MARK = f"\t?[{LINE_MARK}]{{2}}"
MARKS = re.compile(MARK)
# `::: {.class}` or `::: word`, pandoc's; and Docusaurus's and VuePress's
# notes, `:::tip Title`, `:::warning[Title]` (a title only after a kind of
# note: see opening).
OPENING = re.compile(r"[ ]{0,3}:{3,}[ \t]*(?:\{(?P<attrs>[^}\n]*)\}|(?P<word>[^\s{}:\[][^\s{}\[]*)"
                     r"(?:\[(?P<bracketed>[^\]\n]*)\]|[ \t]+(?P<title>[^\s:{}][^\n{}]*?))?)[ \t]*:*[ \t]*$")
CLOSING = re.compile(r"[ ]{0,3}:{3,}[ \t]*$")
ATTRIBUTE = re.compile(r"""\s*(?:\#(?P<id>[^\s}]+)|\.(?P<cls>[^\s}]+)|(?P<key>[\w-]+)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s}]+)))""")
NAME = re.compile(r"[A-Za-z][\w-]*$")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
LAYOUT_KEYS = frozenset(("layout-ncol", "layout-nrow", "layout",  # Quarto's figure layout
                         "when-format", "unless-format"))  # and conditional content

# Our admonitions' kinds, and the names other tools give them (MkDocs
# Material, pymdownx): each is shown as the kind it means.
KINDS = ("note", "tip", "important", "warning", "caution")
ALIASES = {
    **dict.fromkeys(("abstract", "summary", "tldr", "info", "todo", "question", "help", "faq",
                     "example", "quote", "cite", "seealso"), "note"),
    **dict.fromkeys(("hint", "success", "check", "done"), "tip"),
    **dict.fromkeys(("attention",), "warning"),
    **dict.fromkeys(("danger", "error", "failure", "fail", "missing", "bug"), "caution"),
}
ALERT = re.compile(rf"[ \t]*\[!(?P<kind>NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(?P<mark>{MARK})?[ \t]*(?:\n|$)",
                   re.IGNORECASE)


def opening(line: str) -> re.Match[str] | None:
    """A fenced div's opening line (without its marker), or None. A word
    with a title after it opens one only when the word names a kind of note
    (`::: tip Malware scanning`): `::: some words` is text, as in pandoc."""
    found = OPENING.match(line)
    if found and (found["bracketed"] is not None or found["title"]) and not is_note(found["word"]):
        return None
    return found


def is_note(word: str) -> bool:
    return word.lower() in KINDS or word.lower() in ALIASES


def admonition_kind(name: str) -> str:
    """One of KINDS for a note's class (`danger` is a caution); note when unknown."""
    name = name.lower()
    return name if name in KINDS else ALIASES.get(name, "note")


def bare(line: str) -> str:
    """A line without its line marker."""
    return MARKS.sub("", line) if MARKS.search(line) else line


def fence_depth(line: str, depth: int) -> int:
    """How deep fenced divs nest after `line`, `depth` before it (for the
    reader's check of nesting before Python-Markdown recurses)."""
    if ":::" not in line:
        return depth
    if opening(line):
        return depth + 1
    return max(depth - 1, 0) if CLOSING.match(line) else depth


def attributes(text: str) -> tuple[str, list[str], dict[str, str]]:
    """pandoc's attributes `{#id .class key="value"}`: the id, the classes,
    the other keys."""
    ident, classes, keys = "", [], {}
    for found in ATTRIBUTE.finditer(text):
        if found["id"]:
            ident = found["id"]
        elif found["cls"]:
            classes.append(found["cls"])
        elif found["key"]:
            keys[found["key"]] = next(v for v in (found["dq"], found["sq"], found["bare"]) if v is not None)
    return ident, classes, keys


class FencedDiv(BlockProcessor):
    """`::: {…}` to its closing line of colons, over blank lines (or, never
    closed, to the end of what holds it): the blocks between, parsed as the
    div's content."""

    def test(self, parent: etree.Element, block: str) -> bool:
        first = block.split("\n", 1)[0]
        if ":" not in first:  # most blocks: no fence, and no need to look further
            return False
        return bool(opening(bare(first))) and not nearing_recursion_limit()

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        lines: list[str] = []
        depth, end, taken = 0, None, 0
        for block in blocks:
            if taken:
                lines.append("")
            start = len(lines)
            lines.extend(block.split("\n"))
            taken += 1
            for index in range(start, len(lines)):
                line = bare(lines[index])
                if opening(line):
                    depth += 1
                elif CLOSING.match(line):
                    depth -= 1
                    if depth == 0:
                        end = index
                        break
            if end is not None:
                break
        if end is None:
            end = len(lines)  # never closed: it runs to the end, as pandoc reads it
        del blocks[:taken]
        if rest := lines[end + 1:]:
            blocks.insert(0, "\n".join(rest))
        first = opening(bare(lines[0]))
        assert first
        ident, classes, keys = attributes(first["attrs"] or "")
        if first["word"] and is_note(first["word"]):  # Docusaurus's and VuePress's `:::tip Title`
            classes = [f"callout-{admonition_kind(first['word'])}"]
            if title := (first["bracketed"] or first["title"] or "").strip():
                keys["title"] = title
        elif first["word"]:
            classes = [first["word"]]
        element = self.element(parent, ident, classes, keys)
        if mark := MARKS.search(lines[0]):
            element.set("data-mark", mark[0].lstrip("\t"))  # the opening line's, read first
        self.parser.parseChunk(element, "\n".join(lines[1:end]))
        if element.get("data-default-title") and len(element) and element[0].tag in HEADINGS:
            # A callout's title may be the heading that opens it.
            heading = element[0]
            if not bare(heading.text or "").strip() and not len(heading):
                element.remove(heading)  # `#` alone: no title after all
                return None
            heading.tag = "p"
            heading.set("class", "admonition-title")
            heading.attrib.pop("id", None)
            del element.attrib["data-default-title"]
        return None

    @staticmethod
    def element(parent: etree.Element, ident: str, classes: list[str], keys: dict[str, str]) -> etree.Element:
        callout = next((c.removeprefix("callout-") for c in classes
                        if c.startswith("callout-") and c.removeprefix("callout-") in KINDS), None)
        if callout is None:
            names = [c for c in classes if NAME.match(c)]
            attrs = {"data-div": "1", **({"class": " ".join(names)} if names else {})}
            if ident and NAME.match(ident):
                attrs["id"] = ident
            for key in LAYOUT_KEYS & keys.keys():  # a figure group's columns (read/markdown.py)
                attrs[f"data-{key}"] = keys[key]
            return etree.SubElement(parent, "div", attrs)
        element = etree.SubElement(parent, "div", {"class": f"admonition {callout}"})
        if keys.get("collapse") in ("true", "false"):
            element.set("data-folded", "closed" if keys["collapse"] == "true" else "open")
        if keys.get("title"):
            title = etree.SubElement(element, "p", {"class": "admonition-title"})
            title.text = keys["title"]
        else:
            element.set("data-default-title", "1")
        return element


class Alerts(Treeprocessor):
    """GitHub's `> [!NOTE]`: a quote whose first line is the tag alone.
    Python-Markdown makes one quote of quotes parted by a blank line, as
    GitHub does not: a paragraph that opens with a tag starts an alert of
    its own."""

    def run(self, root: etree.Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        for quote in list(root.iter("blockquote")):
            starts = [index for index, child in enumerate(quote)
                      if child.tag == "p" and child.text and ALERT.match(child.text)]
            if not starts:
                continue
            parent = parents[quote]
            at = list(parent).index(quote)
            children = list(quote)
            pieces: list[tuple[etree.Element | None, list[etree.Element]]] = \
                [(None, children[:starts[0]])] if starts[0] else []
            pieces += [(children[start], children[start:end])
                       for start, end in zip(starts, [*starts[1:], len(children)])]
            parent.remove(quote)
            for offset, (first, content) in enumerate(pieces):
                element = quote if offset == 0 else etree.Element("blockquote")
                if offset:
                    element.tail = None
                for child in list(element):
                    element.remove(child)
                element.extend(content)
                if first is not None:
                    self.alert(element, first)
                parent.insert(at + offset, element)
            pieces_tail = quote.tail
            quote.tail = None
            parent[at + len(pieces) - 1].tail = pieces_tail

    @staticmethod
    def alert(element: etree.Element, first: etree.Element) -> None:
        found = ALERT.match(first.text or "")
        assert found
        element.tag = "div"
        element.set("class", f"admonition {found['kind'].lower()}")
        element.set("data-default-title", "1")
        if found["mark"]:
            element.set("data-mark", found["mark"].lstrip("\t"))  # the tag's line
        first.text = (first.text or "")[found.end():]
        if not first.text.strip() and not len(first):
            element.remove(first)


class Details(DetailsProcessor):
    """pymdownx.details, its first line allowed to end in a line marker."""

    if DetailsProcessor.START.pattern.count(" *(?:\\n|$)") != 1:
        raise RuntimeError("pymdownx.details changed the pattern of its first line")
    START = re.compile(DetailsProcessor.START.pattern.replace(
        " *(?:\\n|$)", f" *(?P<mark>{MARK})? *(?:\\n|$)"))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        found = self.START.search(blocks[0])
        before = len(parent)
        super().run(parent, blocks)
        if found and found["mark"] and len(parent) > before and parent[-1].tag == "details":
            parent[-1].set("data-mark", found["mark"].lstrip("\t"))


class Divs(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        parser = md.parser.blockprocessors
        parser.register(FencedDiv(md.parser), "briefing_fenced_div", 86)
        parser.register(Details(md.parser), "details", 105)
        # Before the inline patterns read `[!NOTE]`.
        md.treeprocessors.register(Alerts(md), "briefing_alerts", 25)
