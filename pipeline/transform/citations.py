"""Citations resolved, worded and numbered once for every format.

Every key must be in the bibliography: one that is not is an error at its
line, with the nearest key. The words come from the CSL style, through
citeproc-py (a CSL 1.0 processor): in an author-date or numeric style a
citation keeps its place in the text, worded ("(Smith and Doe 2020, 33)"),
each item linked to its entry; in a note style (Chicago's notes) it becomes
a footnote, numbered with the author's own footnotes, in the order a
reader meets them (a citation inside a footnote stays in its words there,
as in pandoc). The bibliography, every work cited and those `nocite`
names, sorted as the style says, stands where `::: {#refs}` is, or at the
end of the document (Document.bibliography), under "References".
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser

from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import Reporter
from pipeline.transform import cite_portions
from pipeline.transform.ids import known_ids

URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:)\]]")
DOI = re.compile(r"\b(?:doi:\s*)?(10\.\d{4,9}/[^\s<>\"]+[^\s<>\".,;:)\]])")


def cite(doc: m.Document, reporter: Reporter) -> m.Document:
    sources = doc.sources
    if sources is None:
        return doc
    references = {ref.key.lower(): ref for ref in sources.references}
    found = [item for item in walk.inlines(doc) if isinstance(item, m.Cite)]
    missing = False
    for citation in found:
        for item in citation.items:
            if item.key.lower() not in references:
                missing = True
                reporter.error(item.line, "cite.unknown-key", f"citation @{item.key} is in no bibliography "
                               f"({', '.join(doc.meta.bibliography)})" + nearest(item.key, references, doc))
    nocite = [key for key in doc.meta.nocite if key != "*"]
    for key in nocite:
        if key.lower() not in references:
            missing = True
            reporter.error(doc.meta.line_of("nocite"), "cite.unknown-key", f"nocite @{key} is in no "
                           "bibliography" + nearest(key, references, doc))
    if missing:
        return doc
    from pipeline.transform.citeproc import Engine

    engine = Engine(sources, doc.meta.lang)
    return Citer(doc, engine, references).run()


def nearest(key: str, references: dict[str, m.Reference], doc: m.Document) -> str:
    import difflib

    keys = [ref.key for ref in references.values()]
    close = difflib.get_close_matches(key, keys, n=1, cutoff=0.6)
    return f"; did you mean @{close[0]}?" if close else ""


@dataclasses.dataclass
class Visit:
    """One citation or author's footnote call met in reading order."""
    cite: m.Cite | None
    note: int | None  # the author's footnote it stands in, or, for a call, the note it calls
    call: bool = False  # a FootnoteRef (first call) in the main text


class Citer:
    def __init__(self, doc: m.Document, engine, references: dict[str, m.Reference]) -> None:
        self.doc = doc
        self.engine = engine
        self.references = references
        self.ids = set(known_ids(doc))

    def visits(self) -> list[Visit]:
        """What map_document meets, in its order: the main text, then each footnote."""
        seen: list[Visit] = []
        note: list[int | None] = [None]

        def inline(node: m.Inline) -> m.Inline:
            if isinstance(node, m.Cite):
                seen.append(Visit(node, note[0]))
            elif isinstance(node, m.FootnoteRef):
                seen.append(Visit(None, node.number, call=node.first))
            return node

        doc = self.doc
        walk.map_document(dataclasses.replace(doc, footnotes=()), inline=inline)
        for footnote in doc.footnotes:
            note[0] = footnote.number
            walk.map_blocks(footnote.blocks, inline=inline)
        return seen

    def run(self) -> m.Document:
        doc, engine = self.doc, self.engine
        visits = self.visits()
        # The order citations are numbered and positioned in (ibid., short
        # forms): as read, each author's note where it is called.
        in_note: dict[int, list[int]] = {}
        for index, visit in enumerate(visits):
            if visit.cite is not None and visit.note is not None:
                in_note.setdefault(visit.note, []).append(index)
        order: list[int] = []
        for index, visit in enumerate(visits):
            if visit.cite is not None and visit.note is None:
                order.append(index)
            elif visit.call and visit.note is not None:
                order.extend(in_note.get(visit.note, []))
        cites = [visits[index].cite for index in order]
        note_style = doc.sources is not None and doc.sources.note_style
        words = engine.cite([c for c in cites if c is not None],
                            in_notes=[visits[index].note is not None for index in order])
        rendered = dict(zip(order, words))
        cited = list(dict.fromkeys(ref_key for c in cites if c is not None for item in c.items
                                   if (ref_key := self.references[item.key.lower()].key)))
        nocite = doc.meta.nocite
        if "*" in nocite:
            cited += [ref.key for ref in self.references.values() if ref.key not in cited]
        else:
            cited += [self.references[key.lower()].key for key in nocite
                      if self.references[key.lower()].key not in cited]
        entry_ids = {key: self.unique(f"ref-{key}") for key in cited}
        back: dict[str, list[str]] = {key: [] for key in cited}

        # Second walk, in the same order as the first: each citation worded,
        # each footnote numbered anew in reading order.
        counter = iter(range(len(visits)))
        renumbered: dict[int, int] = {}
        made: list[m.Footnote] = []
        made_keys: dict[int, list[str]] = {}  # a note made for a citation: the keys it cites
        next_number = [0]
        current_note: list[int | None] = [None]
        cite_number = [0]

        def linked(parts: list[tuple[str | None, tuple[m.Inline, ...]]]) -> tuple[m.Inline, ...]:
            out: list[m.Inline] = []
            for key, content in parts:
                if key and doc.meta.link_citations and key in entry_ids:
                    out.append(m.Link(target=f"#{entry_ids[key]}", children=content))
                else:
                    out.extend(content)
            return tuple(out)

        def inline(node: m.Inline) -> m.Inline | tuple[m.Inline, ...]:
            if isinstance(node, m.FootnoteRef):
                if node.number < 0:  # a note just made for a citation
                    return node
                next(counter)
                if current_note[0] is None and node.first:
                    next_number[0] += 1
                    renumbered[node.number] = next_number[0]
                return dataclasses.replace(node, number=renumbered.get(node.number, node.number))
            if not isinstance(node, m.Cite):
                return node
            index = next(counter)
            result = rendered[index]
            keys = [self.references[item.key.lower()].key for item in node.items]
            if note_style and current_note[0] is None:
                next_number[0] += 1
                number = next_number[0]
                for key in keys:
                    back[key].append(f"fnref-{number}")
                text = capitalized(linked(result.note))
                if doc.meta.link_bibliography:  # its URL or DOI a link, as in the bibliography
                    text = linkified(text)
                made_keys[number] = keys
                made.append(m.Footnote(number=-number, line=node.line,
                                       blocks=(m.Paragraph(inlines=text, line=node.line),)))
                ref = m.FootnoteRef(number=-number, first=True, line=node.line)
                return (*linked(result.author), ref) if result.author else ref
            cite_number[0] += 1
            ident = self.unique(f"cite-{cite_number[0]}")
            for key in keys:
                back[key].append(ident)
            return dataclasses.replace(node, children=linked(result.text), id=ident)

        main = walk.map_document(dataclasses.replace(doc, footnotes=()), inline=inline, block=one_period)
        if note_style:
            main = walk.map_document(main, block=notes_after_punctuation)
        notes: list[m.Footnote] = []
        for footnote in doc.footnotes:
            current_note[0] = footnote.number
            blocks = walk.map_blocks(walk.map_blocks(footnote.blocks, inline=inline), one_period)
            notes.append(dataclasses.replace(footnote, blocks=blocks,
                                             number=renumbered.get(footnote.number, footnote.number)))
        # The notes made for citations were numbered as met: -n is n.
        main = walk.map_document(main, inline=lambda node: dataclasses.replace(node, number=-node.number)
                                 if isinstance(node, m.FootnoteRef) and node.number < 0 else node)
        notes += [dataclasses.replace(note, number=-note.number) for note in made]
        footnotes = tuple(sorted(notes, key=lambda note: note.number))

        main = cite_portions.mark_notes(dataclasses.replace(main, footnotes=footnotes), made_keys, self.references)
        footnotes = main.footnotes
        entries = tuple(m.BibEntry(id=entry_ids[key], inlines=self.entry_inlines(words), cited_by=tuple(back[key]),
                                   portion=self.references[key.lower()].portion if doc.meta.portion_marking else None)
                        for key, words in engine.bibliography(cited))
        bibliography = m.Bibliography(entries=entries, hanging=engine.hanging,
                                      line=doc.meta.line_of("bibliography") or 1)
        placed = [False]

        def block(node: m.Block) -> m.Block:
            if isinstance(node, m.Div) and node.id == "refs" and not doc.meta.suppress_bibliography:
                placed[0] = True
                return dataclasses.replace(node, blocks=(*node.blocks, bibliography))
            return node

        main = walk.map_document(main, block=block)
        if not placed[0] and not doc.meta.suppress_bibliography and not doc.meta.reference_section_title \
                and entries and main.sections and not main.sections[-1].blocks and not main.sections[-1].children:
            # A last heading with nothing under it (`# References`, as pandoc
            # users end a paper) is where the bibliography goes.
            placed[0] = True
            last = dataclasses.replace(main.sections[-1], blocks=(bibliography,))
            main = dataclasses.replace(main, sections=(*main.sections[:-1], last))
        at_end = None if placed[0] or doc.meta.suppress_bibliography or not entries else bibliography
        return dataclasses.replace(main, footnotes=footnotes, bibliography=at_end)

    def entry_inlines(self, words: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
        return linkified(words) if self.doc.meta.link_bibliography else words

    def unique(self, ident: str) -> str:
        candidate, counter = ident, 1
        while candidate in self.ids:
            counter += 1
            candidate = f"{ident}-{counter}"
        self.ids.add(candidate)
        return candidate


PUNCTUATION = ".,;:!?"


def one_period(block: m.Block) -> m.Block:
    """A citation that ends with a period (a note style's, in a footnote)
    followed by the author's own: one period."""
    if not isinstance(block, m.Paragraph):
        return block
    out = list(block.inlines)
    for index, item in enumerate(out[:-1]):
        after = out[index + 1]
        if isinstance(item, m.Cite) and isinstance(after, m.Text) and after.text[:1] in (".", ","):
            text = walk.plain_text(item.children)
            if text.endswith(".") and item.children and isinstance(item.children[-1], m.Text):
                last = item.children[-1]
                assert isinstance(last, m.Text)
                out[index] = dataclasses.replace(item, children=(*item.children[:-1], m.Text(text=last.text[:-1])))
    return dataclasses.replace(block, inlines=tuple(out))


def notes_after_punctuation(block: m.Block) -> m.Block:
    """A citation's note stands after the punctuation that follows it, and
    without the space before it ("First.¹" for `First [@a].`), as pandoc
    sets notes (its notes-after-punctuation)."""
    if not isinstance(block, m.Paragraph):
        return block
    out: list[m.Inline] = list(block.inlines)
    index = 0
    while index < len(out):
        item = out[index]
        if isinstance(item, m.FootnoteRef) and item.number < 0:
            if index and isinstance(out[index - 1], m.Text):
                before = out[index - 1]
                assert isinstance(before, m.Text)
                out[index - 1] = m.Text(text=before.text.rstrip(" "))
            after = out[index + 1] if index + 1 < len(out) else None
            if isinstance(after, m.Text) and after.text[:1] and after.text[0] in PUNCTUATION:
                mark = after.text[0]
                out[index + 1] = m.Text(text=after.text[1:])
                out.insert(index, m.Text(text=mark))
                index += 1
        index += 1
    return dataclasses.replace(block, inlines=tuple(i for i in out if not (isinstance(i, m.Text) and not i.text)))


def capitalized(inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    """A note starts with a capital ("See Smith …"), as pandoc writes it."""
    if not inlines:
        return inlines
    first = inlines[0]
    match first:
        case m.Text(text=text) if text[:1].islower():
            return (m.Text(text=text[:1].upper() + text[1:]), *inlines[1:])
        case m.Link(children=children) | m.Emph(children=children) | m.Span(children=children):
            return (dataclasses.replace(first, children=capitalized(children)), *inlines[1:])
    return inlines


def linkified(inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    """An entry's URLs and DOIs as links (pandoc's link-bibliography)."""
    out: list[m.Inline] = []
    for item in inlines:
        if not isinstance(item, m.Text):
            out.append(dataclasses.replace(item, children=linkified(item.children))
                       if isinstance(item, (m.Emph, m.Strong, m.Span, m.Sup, m.Sub)) else item)
            continue
        position = 0
        text = item.text
        for found in sorted([*URL.finditer(text), *DOI.finditer(text)], key=lambda f: f.start()):
            if found.start() < position:
                continue
            out.append(m.Text(text=text[position:found.start()]))
            if found.re is URL:
                target = found[0]
            else:
                target = f"https://doi.org/{found[1]}"
            out.append(m.Link(target=target, children=(m.Text(text=found[0]),)))
            position = found.end()
        out.append(m.Text(text=text[position:]))
    return tuple(part for part in out if not (isinstance(part, m.Text) and not part.text))


# citeproc-py's HTML -> inlines -------------------------------------------------

class Inlines(HTMLParser):
    """The markup citeproc-py's HTML formatter writes: <i>, <b>, <sup>,
    <sub>, <u>, small capitals; the text between."""

    TAGS = {"i": "emph", "b": "strong", "sup": "sup", "sub": "sub", "u": "underline"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, list[m.Inline]]] = [("", [])]

    def handle_starttag(self, tag, attrs):
        kind = self.TAGS.get(tag, "")
        if tag == "span" and "small-caps" in (dict(attrs).get("style") or ""):
            kind = "smallcaps"
        self.stack.append((kind, []))

    def handle_endtag(self, tag):
        if len(self.stack) == 1:
            return
        kind, children = self.stack.pop()
        content = tuple(children)
        node: m.Inline | None = None
        match kind:
            case "emph":
                node = m.Emph(children=content)
            case "strong":
                node = m.Strong(children=content)
            case "sup":
                node = m.Sup(children=content)
            case "sub":
                node = m.Sub(children=content)
            case "underline" | "smallcaps":
                node = m.Span(classes=(kind,), children=content)
        if node is None:
            self.stack[-1][1].extend(content)
        else:
            self.stack[-1][1].append(node)

    def handle_data(self, data):
        self.stack[-1][1].append(m.Text(text=data))

    def result(self) -> tuple[m.Inline, ...]:
        while len(self.stack) > 1:
            self.handle_endtag("")
        return tuple(merged(self.stack[0][1]))


def from_html(markup: str) -> tuple[m.Inline, ...]:
    parser = Inlines()
    parser.feed(markup)
    parser.close()
    return parser.result()


def merged(inlines: list[m.Inline]) -> Iterator[m.Inline]:
    text = ""
    for item in inlines:
        if isinstance(item, m.Text):
            text += item.text
            continue
        if text:
            yield m.Text(text=text)
            text = ""
        yield item
    if text:
        yield m.Text(text=text)


def csl_data(reference: m.Reference) -> dict:
    return json.loads(reference.csl)
