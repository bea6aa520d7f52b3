"""The import tree as briefing Markdown: front matter, the body's blocks
nested as structure.py says, footnotes, abbreviations, pictures.

The Markdown is written in one way whatever the source looked like (ATX
headings, `-` bullets, fenced code, pipe tables where the cells allow,
grid tables where they hold blocks, a paragraph to a line), so that
importing the DOCX of an imported source gives the same text again;
`--against` (against.py) keeps the author's own text where nothing changed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from pipeline.docx_import import inline
from pipeline.docx_import.changes import plain, words
from pipeline.docx_import.inline import Context, code_span, comment_text, escape_text, render
from pipeline.docx_import.meta import front_matter, split_front, to_yaml
from pipeline.docx_import.staff import staff_body
from pipeline.docx_import.structure import (Container, Node, Unit, apply_hints, caption_inlines,
                                            guess_paths, tree, units_of, visible)
from pipeline.docx_import.tree import (Bookmark, Break, Change, Commented, CrossRef, Formula, Inline, Link,
                                       Media, NoteRef, Para, Picture, Read, RepeatedNoteRef, Sequence,
                                       TableBlock, Task, Text, Verbatim)
from pipeline.transform.ids import slug

ID = re.compile(r"[^\W\d_][\w:.-]*$")
HIDDEN = re.compile(r"_(Toc|Hlk|GoBack|Ref|bookmark)", re.IGNORECASE)
COLUMNS = 72  # pandoc's line for column shares (read/tables.py)


@dataclass
class Imported:
    """The Markdown, and the pictures to write beside it (path -> bytes)."""
    text: str
    media: dict[str, bytes]
    warnings: list[str] = field(default_factory=list)


@dataclass
class Writer:
    read: Read
    labels: dict[str, str]
    place: Callable[[Media, str], str]  # a picture -> its path beside the Markdown
    ours: bool
    notes: dict[str, str] = field(default_factory=dict)  # Word's footnote id -> label
    ids: dict[str, str] = field(default_factory=dict)  # bookmark -> id
    media_paths: dict[str, str] = field(default_factory=dict)  # part -> path written
    claimed: set[str] = field(default_factory=set)  # heading ids written or made
    unit_hints: dict = field(default_factory=dict)
    key_runs: list[bool] = field(default_factory=list)
    toc: bool = False
    abbreviations: list[tuple[str, str]] = field(default_factory=list)
    after_tabs: bool = False  # a tab set right after another starts with `===!`
    made_notes: set[str] = field(default_factory=set)  # notes a citation style made
    unnumbered: set[str] = field(default_factory=set)  # tables, figures whose caption is a label alone

    # Context for the inline writer -------------------------------------------

    def context(self, in_table: bool = False) -> Context:
        return Context(note_label=self.note_label, repeated_label=lambda n: self.note_label(str(n)),
                       bookmark_id=self.bookmark_id, picture_path=self.picture_path,
                       comment=self.comment, link_title=self.link_title, tex=self.tex,
                       span_classes=self.span_classes, image_size=self.image_size, cite=self.cite,
                       was_ref=self.was_ref, in_table=in_table, used_ids=self.claimed,
                       numbered=lambda ident: ident not in self.unnumbered)

    def was_ref(self, ident: str) -> bool:
        refs = self.unit_hints.get("refs")
        if isinstance(refs, list) and ident in refs and re.match(r"(sec|tbl|fig|eq)-", ident):
            refs.remove(ident)
            return True
        return False

    def cite(self, bookmark: str) -> str | None:
        cites = self.unit_hints.get("cites")
        found = cites.get(bookmark) if isinstance(cites, dict) else None
        return found if isinstance(found, str) and "\n" not in found else None

    def image_size(self) -> str:
        sizes = self.unit_hints.get("images")
        if not isinstance(sizes, list) or not sizes:
            return ""
        return size_attributes(sizes.pop(0), "")

    def span_classes(self, bookmark: str) -> list[str]:
        classes = self.unit_hints.get("spans", {}).get(bookmark, []) \
            if isinstance(self.unit_hints.get("spans"), dict) else []
        return [str(c) for c in classes] if isinstance(classes, list) else []

    def cited(self, inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        """A note a note style made of a citation: the citation as written
        in its place, without the author's name the style put before it."""
        notes = self.read.hints.get("cite_notes")
        if not isinstance(notes, dict) or not notes:
            return inlines
        out: list[Inline] = []
        for item in inlines:
            if isinstance(item, NoteRef) and isinstance(notes.get(item.key), str):
                citation = notes[item.key]
                if citation.startswith("@") and out and isinstance(out[-1], Link) \
                        and out[-1].target.startswith("#ref-"):
                    out.pop()  # the author's name, said in the text
                out.append(Verbatim(citation))
                self.made_notes.add(item.key)
                continue
            if isinstance(item, (Link, Bookmark, Commented, Change)):
                item = replace_children(item, self.cited(item.children))
            out.append(item)
        return tuple(out)

    def note_label(self, key: str) -> str:
        if key not in self.notes:
            self.notes[key] = str(len(self.notes) + 1)
        return self.notes[key]

    def bookmark_id(self, name: str) -> str | None:
        if name in self.ids:
            return self.ids[name]
        hinted = self.read.hints.get("ids", {})
        if isinstance(hinted, dict) and isinstance(hinted.get(name), str) and ID.match(hinted[name]):
            return hinted[name]
        if HIDDEN.match(name) or not ID.match(name):
            return None
        return name

    def picture_path(self, picture: Picture) -> str:
        if picture.media not in self.media_paths:
            media = self.read.media[picture.media]
            digest = hashlib.sha1(media.data).hexdigest()
            wanted = self.read.hints.get("images", {}).get(digest, "") if isinstance(
                self.read.hints.get("images"), dict) else ""
            self.media_paths[picture.media] = self.place(media, wanted if isinstance(wanted, str) else "")
        return self.media_paths[picture.media]

    def comment(self, ident: str) -> str:
        found = self.read.comments.get(ident)
        if found is None:
            return ""
        return comment_text(found.author, found.date, found.text)

    def link_title(self, target: str) -> str | None:
        for index, (wanted, title) in enumerate(self.unit_hints.get("links", [])):
            if wanted == target:
                del self.unit_hints["links"][index]
                return title
        return None

    # Inlines ------------------------------------------------------------------

    def inlines(self, inlines: tuple[Inline, ...], in_table: bool = False) -> str:
        inlines = self.cited(inlines)
        keys = list(self.unit_hints.get("keys", []))
        inlines = mark_keys(inlines, keys)
        inlines = mark_abbreviations(inlines, list(self.unit_hints.get("abbr", [])))
        text = render(strip_edges(inlines), self.context(in_table))
        return "\n".join(inline.lines(text))

    # Ids ------------------------------------------------------------------------

    def collect_ids(self, units: list[Unit]) -> None:
        """Bookmarks that stand for an element's id: a caption's label
        (`_Ref…`) is its table's or figure's, Word's own `_Ref`/`_Toc`
        bookmarks that a cross-reference names get an id of their kind."""
        referenced = referenced_bookmarks(self.read)
        counters = {"tbl": 0, "fig": 0, "sec": 0, "eq": 0}
        made: set[str] = set()  # ids given so far: two headings alike get two
        for unit in units:
            para = unit.caption if unit.kind in ("table", "figure", "figuregroup") and unit.caption else unit.para
            if para is None:
                continue
            names = [*para.bookmarks, *(b.name for b in bookmarks_in(para.inlines))]
            if unit.kind == "figure" and unit.para is not None and unit.caption is not None:
                names += [*unit.para.bookmarks]
            own = next((self.bookmark_id(n) for n in names if self.bookmark_id(n)), None)
            prefix = {"table": "tbl", "figure": "fig", "heading": "sec", "equation": "eq",
                      "figuregroup": "fig"}.get(unit.kind)
            if own is None and prefix and any(n in referenced for n in names):
                counters[prefix] += 1
                title = plain(caption_inlines(para) if unit.kind != "heading" else para.inlines)
                own = f"{prefix}-{short_slug(title)}" if prefix == "sec" else f"{prefix}-{counters[prefix]}"
                own = unused(own, made)
            if own is None:
                continue
            made.add(own)
            if unit.kind in ("table", "figure") and unit.caption is not None \
                    and not plain(caption_inlines(unit.caption)).strip():
                # Word's caption says "Table 1" and nothing else: the build
                # numbers captioned tables only, so a reference to it is a link.
                self.unnumbered.add(own)
            for name in names:
                if unit.kind in ("table", "figure", "equation", "figuregroup") or not HIDDEN.match(name) \
                        or name in referenced:
                    self.ids.setdefault(name, own)
            unit.attrs = {**unit.attrs, "id": own}

    # Blocks -------------------------------------------------------------------

    def body(self, blocks: list, hinted: list | None) -> list[str]:
        units = units_of(self.without_attachment_lists(blocks), self.ours)
        units = self.abbreviation_rows(units, blocks)
        guess_paths(units, self.read.numbering, self.read.instances)
        if hinted:
            apply_hints(units, hinted, self.read.hints.get("containers", {}))
        units = joined(units)
        self.collect_ids(units)
        return self.nodes(tree(units).children)

    def without_attachment_lists(self, blocks: list) -> list:
        """The blocks without the lists an order ends with, which the writer
        makes from the annexes and enclosures ("Annexes:", then "Annex A –
        Intelligence" …): they are no author text."""
        titles = {f"{self.labels.get(key, key.capitalize())}:" for key in ("annexes", "enclosures")}
        names = tuple(self.labels.get(key, key.capitalize()) + " " for key in ("annex", "enclosure"))
        out: list = []
        skipping = False
        for block in blocks:
            if isinstance(block, Para) and plain(block.inlines).strip() in titles and all(
                    "strong" in item.marks for item in walk_inlines(block.inlines)
                    if isinstance(item, Text) and item.text.strip()):
                skipping = True
                continue
            if skipping and isinstance(block, Para) and block.style.lower() == "compact" \
                    and plain(block.inlines).startswith(names):
                continue
            skipping = False
            out.append(block)
        return out

    def abbreviation_rows(self, units: list[Unit], blocks: list) -> list[Unit]:
        for block in blocks:
            if isinstance(block, Para) and block.style.lower() == "abbreviation":
                text = words(block.inlines)
                short, _, expansion = text.partition("\t")
                if short.strip() and expansion.strip():
                    self.abbreviations.append((short.strip(), " ".join(expansion.split())))
        return units

    def nodes(self, children: list) -> list[str]:
        chunks: list[str] = []
        previous = None
        for child in children:
            if isinstance(child, Node) and child.container is not None:
                if isinstance(previous, Node) and previous.container is not None \
                        and previous.container.kind == child.container.kind == "list":
                    chunks.append("<!-- -->")  # two lists side by side stay two
                self.after_tabs = isinstance(previous, Node) and previous.container is not None \
                    and previous.container.kind == "tabset"
                chunks.append(self.container(child))
            else:
                chunk = self.unit(child)
                if chunk is not None:
                    chunks.append(chunk)
            previous = child
        return [chunk for chunk in chunks if chunk is not None]

    def container(self, node: Node) -> str:
        container = node.container
        assert container is not None
        match container.kind:
            case "list":
                return self.list_block(node)
            case "quote":
                return prefixed(join(self.nodes(node.children)), "> ", ">")
            case "admonition":
                return self.admonition(node)
            case "div":
                return self.div(node)
            case "deflist":
                return self.definition_list(node)
            case "tabset":
                return self.tab_set(node)
            case _:  # an item or a term out of place: its content
                return join(self.nodes(node.children))

    def list_block(self, node: Node) -> str:
        container = node.container
        assert container is not None
        ordered = bool(container.attr("ordered"))
        style = str(container.attr("style", "decimal"))
        delimiter = str(container.attr("delimiter", "period"))
        start = int(container.attr("start", 1) or 1)
        items = [child for child in node.children if isinstance(child, Node)]
        strays = [child for child in node.children if not isinstance(child, Node)]
        if strays:  # units directly in a list (an edit Word made): an item each
            items = [Node(Container("item", f"stray-{i}"), [unit]) if not isinstance(unit, Node) else unit
                     for i, unit in enumerate(node.children)]
        rendered = []
        # A loose list is written with blank lines, so it reads loose again;
        # one items of several blocks make loose, as before.
        tight = not container.attr("loose") and all(tight_item(item) for item in items)
        for number, item in enumerate(items, start):
            marker = "-" if not ordered else list_marker(number, style, delimiter)
            task = item.container.attr("task") if item.container else None
            head, rest = self.item_head(item, task)
            # pandoc: a capital letter with a period needs two spaces after it.
            pad = "  " if ordered and style in ("upper-alpha", "upper-roman") and delimiter == "period" else " "
            lead = marker + pad
            indent = " " * len(lead)
            body_chunks = ([head] if head is not None else [""]) + rest
            text = lead + body_chunks[0].replace("\n", "\n" + indent) if body_chunks[0] else lead.rstrip()
            for chunk in body_chunks[1:]:
                separator = "\n" if tight else "\n\n"
                text += separator + indented(chunk, indent)
            rendered.append(text)
        return ("\n" if tight else "\n\n").join(rendered)

    def item_head(self, item: Node, task) -> tuple[str | None, list[str]]:
        children = list(item.children)
        head = None
        first = children[0] if children else None
        if isinstance(first, Unit) and first.kind in ("para", "empty"):
            children.pop(0)
            self.unit_hints = dict(first.attrs)
            inlines = first.para.inlines if first.para else ()
            found_task, inlines = take_task(inlines)
            if task is None:
                task = found_task
            head = self.inlines(inlines) if first.kind == "para" else ""
        box = "" if task is None else ("[x] " if task else "[ ] ")
        rest = self.nodes(children)
        if head is None:
            return (box.rstrip() or None), rest
        return box + head, rest

    def admonition(self, node: Node) -> str:
        container = node.container
        assert container is not None
        kind = str(container.attr("type", "note"))
        children = list(node.children)
        title = ""
        unit = children[0] if children else None
        if isinstance(unit, Unit) and unit.kind == "title":
            children.pop(0)
            self.unit_hints = dict(unit.attrs)
            title = self.inlines(unit.para.inlines).replace("\n", " ") if unit.para else ""
        body = join(self.nodes(children))
        folded = container.attr("folded")
        own_title = container.attr("own_title", True)
        if container.attr("default_title") and folded is None:
            return prefixed(f"[!{kind.upper()}]\n" + body if body else f"[!{kind.upper()}]", "> ", ">")
        if container.attr("default_title"):  # Quarto's callout folds without a title of its own
            fold = "true" if folded else "false"
            return f'::: {{.callout-{kind} collapse="{fold}"}}\n{body}\n:::'

        if folded is not None:
            head = "???" + ("" if folded else "+") + f" {kind}" + (f' "{title}"' if title and own_title else "")
        else:
            head = f'!!! {kind} "{title}"' if title or not container.attr("title", False) else f"!!! {kind}"
        return head + ("\n" + indented(body, "    ") if body else "")

    def div(self, node: Node) -> str:
        container = node.container
        assert container is not None
        classes = container.attr("classes", ()) or ()
        ident = container.attr("id", "") or ""
        formats = [f for f in (container.attr("formats", ()) or ()) if f in ("html", "pdf", "docx")]
        condition = []
        if formats and "content-visible" in classes:  # Quarto's conditional content, for Word among others
            condition = [f'when-format="{",".join(formats)}"']
        elif formats and "content-hidden" in classes:
            condition = [f'unless-format="{",".join(formats)}"']
        attributes = " ".join([*(f".{c}" for c in classes), *([f"#{ident}"] if ident else []), *condition])
        body = join(self.nodes(node.children))
        fence = ":" * (3 + div_depth(node))
        return f"{fence} {{{attributes}}}\n{body}\n{fence}" if attributes else f"{fence}\n{body}\n{fence}"

    def tab_set(self, node: Node) -> str:
        """MkDocs' content tabs: `=== "Title"`, the tab's blocks indented."""
        tabs: list[str] = []
        for tab in node.children:
            children = list(tab.children) if isinstance(tab, Node) else [tab]
            title = ""
            first = children[0] if children else None
            if isinstance(first, Unit) and first.kind == "tabtitle":
                children.pop(0)
                self.unit_hints = dict(first.attrs)
                title = self.inlines(first.para.inlines).replace("\n", " ") if first.para else ""
            body = join(self.nodes(children))
            opener = "===!" if not tabs and self.after_tabs else "==="
            tabs.append(f'{opener} "{title}"' + ("\n\n" + indented(body, "    ") if body else ""))
        return "\n\n".join(tabs)

    def definition_list(self, node: Node) -> str:
        entries = []
        for term in node.children:
            if not isinstance(term, Node):
                entries.append(self.unit(term) or "")
                continue
            parts = []
            for child in term.children:
                if isinstance(child, Unit) and child.kind == "term":
                    self.unit_hints = dict(child.attrs)
                    parts.append(self.inlines(child.para.inlines).replace("\n", " ") if child.para else "")
                elif isinstance(child, Node):
                    body = join(self.nodes(child.children))
                    parts.append(":   " + indented(body, "    ").lstrip(" ") if body else ":")
                else:
                    parts.append(self.unit(child) or "")
            text = parts[0] if parts else ""
            for part in parts[1:]:
                text += "\n" + part if part.startswith(":") and text.count("\n") == 0 else "\n\n" + part
            entries.append(text)
        return "\n\n".join(entries)

    # Units ------------------------------------------------------------------------

    def unit(self, unit: Unit | Node) -> str | None:
        if isinstance(unit, Node):
            return self.container(unit) if unit.container else join(self.nodes(unit.children))
        self.unit_hints = {k: (list(v) if isinstance(v, list) else v) for k, v in unit.attrs.items()}
        para = unit.para
        match unit.kind:
            case "para" | "attribution" | "term" | "title" | "empty":
                if para is None or not para.inlines:
                    return None
                text = self.inlines(para.inlines)
                ident = unit.attrs.get("id")
                if text and unit.kind == "para" and isinstance(ident, str) and ident not in self.claimed:
                    self.claimed.add(ident)  # a bookmark round the paragraph: a place links lead to
                    text = f"[]{{#{ident}}}{text}"
                return text or None
            case "heading":
                assert para is not None
                if not plain(para.inlines).strip() and all(isinstance(i, (Text, Break, Bookmark, Link, Commented,
                                                                           Change))
                                                             for i in walk_inlines(para.inlines)):
                    return None  # a heading of no words: a reader sees nothing there
                return self.heading(unit)
            case "code":
                assert para is not None
                return fenced(para.code or "", str(unit.attrs.get("lang") or ""),
                              str(unit.attrs.get("label") or ""))
            case "rule":
                return "---"
            case "table":
                return self.table(unit)
            case "figure":
                return self.figure(unit)
            case "equation":
                return self.equation(unit)
            case "pagebreak":
                return "{{< pagebreak >}}"
            case "bibliography":
                return None  # made again from the sources where it stood
            case "figuregroup":
                return self.figure_group(unit)
        return None

    def figure_group(self, unit: Unit) -> str:
        """Quarto's figure div of sub-figures: each picture with its own
        caption and id, then the group's caption."""
        table = unit.table
        assert table is not None
        columns = int(unit.attrs.get("columns") or max((len(r.cells) for r in table.rows), default=1))
        found = unit.attrs.get("figures")
        hinted: list = found if isinstance(found, list) else []
        pictures = []
        cells = [cell for row in table.rows for cell in row.cells if len(cell.blocks) == 2]
        for number, cell in enumerate(cells):
            holder, caption = cell.blocks
            assert isinstance(holder, Para) and isinstance(caption, Para)
            picture = next(i for i in walk_inlines(holder.inlines) if isinstance(i, Picture))
            hint = hinted[number] if number < len(hinted) and isinstance(hinted[number], dict) else {}
            words = list(caption.inlines)
            words = [w for w in words if not (isinstance(w, Bookmark) and HIDDEN.match(w.name))]
            if words and isinstance(words[0], Text):
                words[0] = Text(re.sub(r"^\(\w{1,3}\)\s*", "", words[0].text), words[0].marks)
            self.unit_hints = {}
            text = self.inlines(strip_edges(tuple(words))).replace("\n", " ")
            ident = next((self.bookmark_id(n) for n in caption.bookmarks if self.bookmark_id(n)), None)
            if ident:
                self.claimed.add(ident)
            path = inline.destination(self.picture_path(picture))
            pictures.append(f"![{text}]({path})" + size_attributes(hint.get("size"), ident or ""))
        self.unit_hints = {}
        caption_text = self.inlines(caption_inlines(unit.caption)).replace("\n", " ") if unit.caption else ""
        ident = str(unit.attrs.get("id", ""))
        if ident:
            self.claimed.add(ident)
        attributes = " ".join([*([f"#{ident}"] if ident else []), f"layout-ncol={columns}"])
        return f"::: {{{attributes}}}\n" + "\n\n".join(pictures) + (f"\n\n{caption_text}" if caption_text else "") + "\n:::"

    def heading(self, unit: Unit) -> str:
        para = unit.para
        assert para is not None
        written = unit.attrs.get("title")
        words = re.sub(r"^\([A-Z][A-Z0-9 ,/\-]*\)\s*", "", plain(para.inlines)).strip()
        ident = unit.attrs.get("id") or next((self.bookmark_id(b) for b in para.bookmarks
                                              if self.bookmark_id(b)), None)
        automatic = slug(words)
        suffix = ""
        if ident and (ident != automatic or automatic in self.claimed):
            suffix = f" {{#{ident}}}"
        if ident and ident in self.claimed:  # an id written before: the heading keeps its own
            ident, suffix = None, ""
        self.claimed.add(ident or automatic)
        title = self.inlines(para.inlines).replace("\n", " ")  # its bookmarks are the heading's id now
        if isinstance(written, str) and written.strip() and " ".join(
                written.split()).upper().split(") ", 1)[-1] in plain(para.inlines).upper():
            # An annex's heading is the one its order gives it ("ANNEX A
            # (INTELLIGENCE) TO …"); the source wrote its own title.
            title = escape_text(written, self.context())
        classes = [c for c in unit.attrs.get("classes", []) if isinstance(c, str) and re.fullmatch(r"[\w-]+", c)]
        if classes:  # an annex, an appendix, a tab
            attributes = " ".join([*(f".{c}" for c in classes), *([f"#{ident}"] if suffix else [])])
            suffix = f" {{{attributes}}}"
        level = min(max(unit.level, 1), 6)
        return "#" * level + " " + (title or escape_text(words, self.context())) + suffix

    def equation(self, unit: Unit) -> str:
        para = unit.para
        assert para is not None
        formula = next(i for i in para.inlines if isinstance(i, Formula))
        tex = self.tex(formula)
        ident = unit.attrs.get("id", "")
        if ident:
            self.claimed.add(str(ident))
            return f"$$\n{tex}\n$$ {{#{ident}}}"
        return f"$$\n{tex}\n$$"

    def tex(self, formula: Formula) -> str:
        hinted = self.read.hints.get("math", {})
        if isinstance(hinted, dict) and isinstance(hinted.get(formula.signature), str):
            return hinted[formula.signature]
        return formula.tex

    def figure(self, unit: Unit) -> str:
        para = unit.para
        assert para is not None
        picture = next(i for i in walk_inlines(para.inlines) if isinstance(i, Picture))
        path = inline.destination(self.picture_path(picture))
        ident = str(unit.attrs.get("id", ""))
        if ident:
            self.claimed.add(ident)
        if unit.caption is None:  # HTML's picture: its alt text describes it, no caption
            alt = picture.alt.replace('"', "&quot;").replace("<", "&lt;")
            size = unit.attrs.get("size")
            sized = "".join(f' {name}="{value[:-2]}"' for name, value in zip(("width", "height"), size)
                            if isinstance(value, str) and re.fullmatch(r"[0-9.]+px", value)) \
                if isinstance(size, list) else ""
            return f'<img src="{path}" alt="{alt}"{sized}>'
        self.unit_hints = {}
        caption = self.inlines(caption_inlines(unit.caption)).replace("\n", " ")
        alt = str(unit.attrs.get("alt", picture.alt))
        size = unit.attrs.get("size")
        if ident.startswith("fig-") and alt and alt != " ".join(plain(caption_inlines(unit.caption)).split()):
            return (f"::: {{#{ident}}}\n![{escape_text(alt, self.context())}]({path}){size_attributes(size, '')}"
                    f"\n\n{caption}\n:::")
        return f"![{caption}]({path})" + size_attributes(size, ident)

    def table(self, unit: Unit) -> str:
        table = unit.table
        assert table is not None
        widths = unit.attrs.get("widths")
        head_rows = [row for row in table.rows if row.header]
        body_rows = [row for row in table.rows if not row.header]
        if not head_rows and table.first_row and table.rows and not self.ours:
            head_rows, body_rows = table.rows[:1], table.rows[1:]
        if head_rows and not body_rows:  # a header alone would be given an empty row under it
            head_rows, body_rows = [], head_rows
        columns = max((len(row.cells) for row in table.rows), default=0)
        aligns = column_aligns(table, columns)
        if not self.read.hints and aligns and all(align == "left" for align in aligns):
            # LibreOffice sets every cell left: no column was aligned on purpose.
            aligns = [None] * columns
        # One header row is what a Markdown table has: the header rows after
        # the first (a header of two rows, in Word) are the body's first rows.
        cells = [[self.cell(unbolded(cell.blocks) if row in head_rows else cell.blocks) for cell in row.cells]
                 + [[]] * (columns - len(row.cells)) for row in [*head_rows, *body_rows]]
        head = cells[0] if head_rows else None
        rows = cells[1:] if head_rows else cells
        simple = all(len(cell) <= 1 and "\n" not in (cell[0] if cell else "") for row in cells for cell in row)
        if not widths and not simple:
            total = sum(table.widths) or 1
            widths = [w / total for w in table.widths[:columns]] if table.widths else [1 / columns] * columns
        if table.spans and [row.header for row in table.rows] == [row.header for row in [*head_rows, *body_rows]]:
            # Merged cells: a grid that spans them, as pandoc 3 and read/tables.py read one.
            shares = [float(w) for w in widths] if widths else None
            text = spanned_grid([[None if cell.covered else (lines, cell.down, cell.across)
                                  for cell, lines in zip(row.cells, made)]
                                 for row, made in zip([*head_rows, *body_rows], cells)],
                                len(head_rows), aligns, shares)
        elif widths:
            text = grid_table(head, rows, aligns, [float(w) for w in widths])
        else:  # no header: a header of empty cells, which pandoc (and read/markdown.py) reads as none
            text = pipe_table(head or [[] for _ in range(columns)], rows, aligns)
        if unit.caption is not None:
            self.unit_hints = {}
            caption = self.inlines(caption_inlines(unit.caption)).replace("\n", " ")
            ident = str(unit.attrs.get("id", ""))
            if ident:
                self.claimed.add(ident)
            if caption.strip() or ident:  # a label alone ("Table 1") has no words to keep
                text += "\n\nTable: " + " ".join(filter(None, [caption, f"{{#{ident}}}" if ident else ""]))
        return text

    def cell(self, blocks: list) -> list[str]:
        """A cell's blocks, as Markdown chunks."""
        units = units_of(blocks, self.ours)
        guess_paths(units, self.read.numbering, self.read.instances)
        saved = self.unit_hints
        chunks = []
        for child in tree(units).children:
            if isinstance(child, Unit) and child.kind == "figure" and child.caption is None:
                child.kind = "para"  # a picture in a cell is a picture in its line
            if isinstance(child, Unit) and child.kind == "para" and child.para is not None:
                self.unit_hints = {}
                text = render(strip_edges(child.para.inlines), self.context(in_table=True))
                chunks.append(text)
            else:
                chunk = self.unit(child) if isinstance(child, Unit) else self.container(child)
                if chunk:
                    chunks.append(chunk)
        self.unit_hints = saved
        return chunks

    # Footnotes and the end ----------------------------------------------------------

    def footnotes(self) -> list[str]:
        out = []
        written: set[str] = set()
        hinted = self.read.hints.get("notes", {})
        while len(written) < len(self.notes):
            for key, label in list(self.notes.items()):
                if key in written:
                    continue
                written.add(key)
                blocks = self.read.notes.get(key)
                if blocks is None:
                    continue
                note_hints = hinted.get(key) if isinstance(hinted, dict) and not key.startswith("e") else None
                chunks = self.body(note_blocks(blocks), note_hints if isinstance(note_hints, list) else None)
                body = join(chunks)
                out.append(f"[^{label}]: " + indented(body, "    ").lstrip(" "))
        return out


def unbolded(blocks: list) -> list:
    """A header cell's paragraphs without a bold that covers them whole:
    the table's look sets its header bold (LibreOffice writes it out)."""
    out = []
    for block in blocks:
        texts = [i for i in walk_inlines(block.inlines) if isinstance(i, Text) and i.text.strip()] \
            if isinstance(block, Para) else []
        if texts and all("strong" in t.marks for t in texts):
            block = replace_inlines(block, tuple(drop_mark(i, "strong") for i in block.inlines))
        out.append(block)
    return out


def drop_mark(item: Inline, mark: str) -> Inline:
    if isinstance(item, Text):
        return Text(item.text, item.marks - {mark})
    if isinstance(item, (Link, Bookmark, Commented, Change)):
        return replace_children(item, tuple(drop_mark(child, mark) for child in item.children))
    return item


def note_blocks(blocks: list) -> list:
    """A footnote's blocks without the space after its mark."""
    if blocks and isinstance(blocks[0], Para):
        first = blocks[0]
        inlines = list(first.inlines)
        if inlines and isinstance(inlines[0], Text):
            inlines[0] = Text(inlines[0].text.lstrip(" "), inlines[0].marks)
        blocks = [replace_inlines(first, tuple(inlines)), *blocks[1:]]
    return blocks


def replace_inlines(para: Para, inlines: tuple[Inline, ...]) -> Para:
    import dataclasses
    return dataclasses.replace(para, inlines=inlines)


def joined(units: list[Unit]) -> list[Unit]:
    """Paragraphs our DOCX split round a display formula, one again."""
    out: list[Unit] = []
    for unit in units:
        if unit.attrs.get("join") and out and out[-1].kind in ("para", "equation") and unit.kind in ("para", "equation"):
            previous = out[-1]
            mine = unit.para.inlines if unit.para else ()
            if unit.kind == "equation":
                mine = tuple(Formula(tex=i.tex, display=True, signature=i.signature)
                             if isinstance(i, Formula) else i for i in mine if not (isinstance(i, Text) and not i.text.strip()))
            theirs = previous.para.inlines if previous.para else ()
            if previous.kind == "equation":
                theirs = tuple(i for i in theirs if isinstance(i, Formula))
            merged_para = replace_inlines(previous.para, (*theirs, *mine)) if previous.para else None
            out[-1] = Unit(kind="para", para=merged_para, path=previous.path, attrs=previous.attrs,
                           style=previous.style)
        else:
            out.append(unit)
    return out


def mark_keys(inlines: tuple[Inline, ...], keys: list[bool]) -> tuple[Inline, ...]:
    """Code runs that were keys (`<kbd>`), as the hints say, in order."""
    if not any(keys):
        return inlines
    out: list[Inline] = []
    for item in inlines:
        if isinstance(item, Text) and "code" in item.marks and keys:
            if keys.pop(0):
                out.append(Text(item.text, (item.marks - {"code"}) | {"kbd"}))
                continue
        out.append(item)
    return tuple(out)


def size_attributes(size, ident: str) -> str:
    """`{#id width=50% height=4cm}` as the hints say it was written."""
    parts = [f"#{ident}"] if ident else []
    if isinstance(size, list) and len(size) == 2:
        for name, value in zip(("width", "height"), size):
            if isinstance(value, str) and re.fullmatch(r"[0-9.]+(px|cm|mm|in|pt|pc|em|%)?", value):
                parts.append(f"{name}={value}")
    return "{" + " ".join(parts) + "}" if parts else ""


def mark_abbreviations(inlines: tuple[Inline, ...], found: list) -> tuple[Inline, ...]:
    """Words that were `<abbr title>` in the source, as the hints say, in
    order: marked, so the writer says them as HTML's abbreviation again."""
    if not found:
        return inlines
    out: list[Inline] = []
    for item in inlines:
        while found and isinstance(item, Text) and isinstance(found[0], list) and len(found[0]) == 2:
            text, title = str(found[0][0]), str(found[0][1])
            where = re.search(rf"(?<!\w){re.escape(text)}(?!\w)", item.text) if text else None
            if where is None:
                break
            found.pop(0)
            if where.start():
                out.append(Text(item.text[:where.start()], item.marks))
            out.append(Text(text, item.marks | {f"abbr={title}"}))
            item = Text(item.text[where.end():], item.marks)
        if isinstance(item, (Link, Bookmark, Commented, Change)):
            item = replace_children(item, mark_abbreviations(item.children, found))
        if not (isinstance(item, Text) and not item.text):
            out.append(item)
    return tuple(out)


def replace_children(item, children):
    import dataclasses
    return dataclasses.replace(item, children=children)


def take_task(inlines: tuple[Inline, ...]) -> tuple[bool | None, tuple[Inline, ...]]:
    """A task item's box: our `Task Box` run, or a box typed as the item's
    first character (as LibreOffice writes pandoc's task lists)."""
    if inlines and isinstance(inlines[0], Task):
        rest = list(inlines[1:])
        if rest and isinstance(rest[0], Text):
            rest[0] = Text(rest[0].text.removeprefix(" "), rest[0].marks)
        return inlines[0].done, tuple(rest)
    if inlines and isinstance(inlines[0], Text) and re.match(r"[☐☒☑]\s", inlines[0].text):
        first = inlines[0]
        return first.text[0] != "☐", (Text(first.text[2:], first.marks), *inlines[1:])
    return None, inlines


def strip_edges(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """A paragraph's inlines without spaces at its ends (Markdown drops them)."""
    items = list(inlines)
    while items and isinstance(items[0], Text) and not items[0].text.strip() and not items[0].marks & {"code"}:
        items.pop(0)
    while items and isinstance(items[-1], Text) and not items[-1].text.strip() and not items[-1].marks & {"code"}:
        items.pop()
    if items and isinstance(items[0], Text) and "code" not in items[0].marks:
        items[0] = Text(items[0].text.lstrip(" \t"), items[0].marks)
    if items and isinstance(items[-1], Text) and "code" not in items[-1].marks:
        items[-1] = Text(items[-1].text.rstrip(" \t"), items[-1].marks)
    return tuple(items)


def short_slug(title: str, most: int = 40) -> str:
    """A heading's slug cut to at most `most` characters, at a word's end."""
    whole = slug(title)
    if len(whole) <= most:
        return whole
    cut = whole[:most + 1].rsplit("-", 1)[0]
    return cut if len(cut) >= most // 2 else whole[:most]


def unused(ident: str, taken: set[str]) -> str:
    """`ident`, or `ident-2`, `ident-3` … when it is taken."""
    candidate, counter = ident, 1
    while candidate in taken:
        counter += 1
        candidate = f"{ident}-{counter}"
    return candidate


def walk_inlines(inlines: tuple[Inline, ...]):
    for item in inlines:
        yield item
        if isinstance(item, (Link, Bookmark, Commented, Change)):
            yield from walk_inlines(item.children)


def bookmarks_in(inlines: tuple[Inline, ...]) -> list[Bookmark]:
    return [item for item in walk_inlines(inlines) if isinstance(item, Bookmark)]


def referenced_bookmarks(read: Read) -> set[str]:
    found: set[str] = set()

    def visit(blocks):
        for block in blocks:
            if isinstance(block, Para):
                for item in walk_inlines(block.inlines):
                    if isinstance(item, CrossRef):
                        found.add(item.bookmark)
                    elif isinstance(item, Link) and item.target.startswith("#"):
                        found.add(item.target[1:])
            else:
                for row in block.rows:
                    for cell in row.cells:
                        visit(cell.blocks)
    visit(read.body)
    for blocks in read.notes.values():
        visit(blocks)
    return found


# Markdown pieces ------------------------------------------------------------------

def join(chunks: list[str]) -> str:
    return "\n\n".join(chunk for chunk in chunks if chunk is not None)


def indented(text: str, indent: str) -> str:
    return "\n".join(indent + line if line.strip() else "" for line in text.split("\n"))


def prefixed(text: str, prefix: str, blank: str) -> str:
    return "\n".join(prefix + line if line.strip() else blank for line in text.split("\n"))


def tight_item(item: Node) -> bool:
    units = [c for c in item.children if isinstance(c, Unit)]
    nested = [c for c in item.children if isinstance(c, Node)]
    return len(units) <= 1 and all(u.kind in ("para", "empty") for u in units) \
        and all(n.container is not None and n.container.kind == "list" and all(
            tight_item(i) for i in n.children if isinstance(i, Node)) for n in nested) \
        and (not nested or item.children.index(nested[0]) == len(units))


ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
         (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def roman(number: int) -> str:
    out = ""
    for value, letters in ROMAN:
        while number >= value:
            out += letters
            number -= value
    return out


def list_marker(number: int, style: str, delimiter: str) -> str:
    match style:
        case "lower-alpha":
            value = alpha(number)
        case "upper-alpha":
            value = alpha(number).upper()
        case "lower-roman":
            value = roman(number) if number > 1 or True else "i"
        case "upper-roman":
            value = roman(number).upper()
        case _:
            value = str(number)
    if style in ("lower-roman", "upper-roman") and len(value) == 1 and value.lower() in "ivxlcdm":
        # One Roman letter reads as a letter (`i.` is the ninth letter to
        # pandoc only after `h.`): fine at the list's start, as pandoc reads `i.`.
        pass
    if delimiter == "parens" and style in ("upper-alpha", "upper-roman"):
        delimiter = "paren"  # `(C)` opening a paragraph is a portion mark, never a list's (read/lists.py)
    return {"period": f"{value}.", "paren": f"{value})", "parens": f"({value})"}.get(delimiter, f"{value}.")


def alpha(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters or "a"


def fenced(code: str, lang: str, label: str) -> str:
    longest = max((len(run) for run in re.findall(r"^[ \t]*(`{3,})", code, re.MULTILINE)), default=2)
    fence = "`" * max(3, longest + 1)
    info = lang
    if label and not re.search(r"^#\|\s*label:", code, re.MULTILINE):
        info = f"{{{lang} {label}}}" if lang else info
    elif label:
        info = f"{{{lang}}}" if lang else info
    return f"{fence}{info}\n{code}\n{fence}"


def div_depth(node: Node) -> int:
    depths = [1 + div_depth(child) if child.container is not None and child.container.kind == "div"
              else div_depth(child) for child in node.children if isinstance(child, Node)]
    return max(depths, default=0)


def column_aligns(table: TableBlock, columns: int) -> list[str | None]:
    aligns: list[str | None] = [None] * columns
    for column in range(columns):
        for row in table.rows:
            if column < len(row.cells):
                paras = [b for b in row.cells[column].blocks if isinstance(b, Para) and not b.numbering]
                if paras and paras[0].align:
                    aligns[column] = {"left": "left", "start": "left", "center": "center",
                                      "right": "right", "end": "right"}.get(paras[0].align)
                    break
    return aligns


def pipe_table(head: list[list[str]], rows: list[list[list[str]]], aligns: list[str | None]) -> str:
    def line(cells: list[list[str]]) -> str:
        return "| " + " | ".join((cell[0] if cell else "") for cell in cells) + " |"

    rule = {None: "---", "left": ":--", "right": "--:", "center": ":-:"}
    return "\n".join([line(head), "|" + "|".join(rule[a] for a in aligns) + "|", *(line(r) for r in rows)])


def grid_lengths(widths: list[float], needed: list[int]) -> list[int]:
    """Column lengths (with their `+`) whose shares of a 72-character line
    (or of the table, when wider) are `widths`, as read/tables.py reads them."""
    total = sum(widths)
    if total < 0.9999:  # narrower than the line: each its share of 72
        return [max(round(w * COLUMNS), 1) for w in widths]
    # As wide as the line or wider: any total with the same shares.
    for width in range(COLUMNS, 2000):
        lengths = [round(w * width) for w in widths]
        if sum(lengths) == width and all(abs(length / width - w) < 0.00005 for length, w in zip(lengths, widths)):
            if all(length - 1 >= n + 2 for length, n in zip(lengths, needed)) or width > 1500:
                return lengths
    return [max(round(w * COLUMNS), n + 3) for w, n in zip(widths, needed)]


def wrapped(lines: list[str], width: int) -> list[str]:
    """A cell's Markdown lines wrapped to its column: a list item's lines
    go on under its text; a code block is left as it is."""
    import textwrap

    out: list[str] = []
    fence = False
    for line in lines:
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if fence or line.lstrip().startswith(("```", "~~~")) or len(line) <= width or line.startswith("|"):
            out.append(line)
            continue
        marker = re.match(r"(\s*(?:[-+*]|\(?\w{1,9}[.)])\s+)", line)
        lead = marker[1] if marker else line[:len(line) - len(line.lstrip())]
        pieces = textwrap.wrap(line[len(lead):], max(width - len(lead), 8), break_long_words=False,
                               break_on_hyphens=False)
        hang = " " * len(lead)
        out.extend((lead if i == 0 else hang) + (piece if i == 0 else inline.escape_line_start(piece))
                   for i, piece in enumerate(pieces))
    return out or [""]


def grid_table(head: list[list[str]] | None, rows: list[list[list[str]]], aligns: list[str | None],
               widths: list[float]) -> str:
    """pandoc's grid table: cells that hold blocks, column shares as given."""
    columns = len(aligns)
    widths = (widths + [0.1] * columns)[:columns]
    all_rows = ([head] if head is not None else []) + rows
    words = [[("\n\n".join(cell)).split("\n") if cell else [""] for cell in row] for row in all_rows]
    needed = [max([1, *(len(word) for row in words for line in row[c] for word in line.split())])
              for c in range(columns)]
    lengths = grid_lengths(widths, needed)
    cell_lines = [[wrapped(row[c], lengths[c] - 3) for c in range(columns)] for row in words]
    needed = [max([1, *(len(line) for row in cell_lines for line in row[c])]) for c in range(columns)]
    inner = [length - 1 for length in lengths]
    if any(n > i - 2 for n, i in zip(needed, inner)):
        # The words do not fit the shares: the shares win (they are what
        # the reader keeps); the cell's lines are left as long as they are.
        inner = [max(i, n + 2) for i, n in zip(inner, needed)]
    def border(char: str, marks: bool = False) -> str:
        parts = []
        for index, width in enumerate(inner):
            piece = char * width
            if marks and aligns[index] in ("left", "center"):
                piece = ":" + piece[1:]
            if marks and aligns[index] in ("right", "center"):
                piece = piece[:-1] + ":"
            parts.append(piece)
        return "+" + "+".join(parts) + "+"

    out = [border("-", marks=head is None)]
    for index, row in enumerate(cell_lines):
        height = max(len(lines) for lines in row)
        for line in range(height):
            out.append("|" + "|".join(" " + (row[c][line] if line < len(row[c]) else "").ljust(inner[c] - 2) + " "
                                      for c in range(columns)) + "|")
        out.append(border("=", marks=True) if head is not None and index == 0 else border("-"))
    return "\n".join(out)


Spanned = tuple[list[str], int, int] | None  # a cell's lines, rows and columns; None where one spans


def spanned_grid(grid: list[list[Spanned]], heads: int, aligns: list[str | None],
                 widths: list[float] | None) -> str:
    """A grid table whose cells span rows and columns (Word's merged cells),
    drawn on a canvas: each cell's border round the places it takes, its
    lines at its top, the header's rule of `=` under the first `heads` rows.
    Without `widths` (the source's shares, from the hints), each column is
    as wide as its longest line, the table kept inside a 72-character line."""
    columns = len(aligns)
    # pandoc's `=` rule runs the table's width: a cell over the header's last
    # row and the next makes that row a header row too.
    while heads and any(cell is not None and r < heads < r + cell[1]
                        for r, row in enumerate(grid) for cell in row):
        heads += 1
    if heads >= len(grid):
        heads = 0
    placed: dict[tuple[int, int], tuple[list[str], int, int]] = {}  # (row, column): lines, rows, columns
    needed, longest = [1] * columns, [1] * columns
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell is not None and cell[2] == 1:
                needed[c] = max([needed[c], *(len(w) for line in cell[0] for w in line.split())])
                longest[c] = max([longest[c], *(len(line) for line in cell[0])])
    if widths is None:
        lengths = [n + 3 for n in longest]
        scale = min(1.0, (COLUMNS - 1) / sum(lengths))
        widths = [length * scale / COLUMNS for length in lengths]
    widths = (widths + [0.1] * columns)[:columns]
    inner = [max(length - 1, n + 2) for length, n in zip(grid_lengths(widths, needed), needed)]
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell is not None:
                lines, down, across = cell
                room = sum(inner[c:c + across]) + across - 1
                word = max([1, *(len(w) for line in lines for w in line.split())])
                if word > room - 2:  # its longest word widens its last column
                    inner[c + across - 1] += word - room + 2
    heights = [1] * len(grid)
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell is not None:
                lines, down, across = cell
                placed[r, c] = (wrapped(lines, sum(inner[c:c + across]) + across - 3), down, across)
                if down == 1:
                    heights[r] = max(heights[r], len(placed[r, c][0]))
    for (r, c), (lines, down, _) in placed.items():  # a cell over rows: the last of them takes what it lacks
        room = sum(heights[r:r + down]) + down - 1
        heights[r + down - 1] += max(len(lines) - room, 0)
    ys = [0]
    for height in heights:
        ys.append(ys[-1] + height + 1)
    xs = [0]
    for width in inner:
        xs.append(xs[-1] + width + 1)
    canvas = [[" "] * (xs[-1] + 1) for _ in range(ys[-1] + 1)]
    for (r, c), (lines, down, across) in placed.items():
        top, bottom, left, right = ys[r], ys[r + down], xs[c], xs[c + across]
        for y in (top, bottom):  # a neighbour's corner on its border stays a corner
            rule = "=" if heads and y == ys[heads] else "-"
            for x in range(left + 1, right):
                canvas[y][x] = "+" if canvas[y][x] == "+" else rule
        for y in range(top + 1, bottom):
            for x in (left, right):
                canvas[y][x] = "+" if canvas[y][x] == "+" else "|"
        for y, x in ((top, left), (top, right), (bottom, left), (bottom, right)):
            canvas[y][x] = "+"
        for number, line in enumerate(lines):
            canvas[top + 1 + number][left + 2:left + 2 + len(line)] = list(line)
    at = ys[heads] if heads else 0
    for c, align in enumerate(aligns):  # the columns' alignment, on the header's rule (or the top)
        if canvas[at][xs[c] + 1] in "-=":
            if align in ("left", "center"):
                canvas[at][xs[c] + 1] = ":"
            if align in ("right", "center"):
                canvas[at][xs[c + 1] - 1] = ":"
    return "\n".join("".join(line).rstrip() for line in canvas)


def document(read: Read, labels: dict[str, str], place: Callable[[Media, str], str]) -> Imported:
    """The whole Markdown of an imported DOCX."""
    ours = "Classification" in read.properties and "Portion Mark" in read.styles.values()
    writer = Writer(read=read, labels=labels, place=place, ours=ours)
    front, body = split_front(read.body, ours)
    body, staff = staff_body(front.staff, body, read.hints, labels)
    hinted = read.hints.get("units") if isinstance(read.hints.get("units"), list) else None
    abstract = None
    if front.abstract:
        abstract_hints = read.hints.get("abstract")
        abstract = join(writer.body(list(front.abstract), abstract_hints if isinstance(abstract_hints, list) else None))
    chunks = writer.body(body, hinted)
    toc = front.toc or any("TOC" in b.fields for b in body if isinstance(b, Para))
    notes = writer.footnotes()
    count = sum(len(visible(block.inlines).split()) for block in body if isinstance(block, Para)) \
        + sum(len(visible(p.inlines).split()) for blocks in read.notes.values() for p in blocks if isinstance(p, Para))
    pairs = front_matter(read, front, labels, ours, toc, abstract, count, staff)
    text = to_yaml(pairs) + "\n" + join(chunks)
    if notes:
        text += "\n\n" + "\n\n".join(notes)
    if writer.abbreviations:
        own = read.hints.get("marked_abbreviations")
        lines = []
        for short, long in writer.abbreviations:
            if isinstance(own, list) and short not in own:  # its mark was the portions' roll-up
                long = re.sub(r"^\([A-Z][A-Z0-9 ,/\-]*\)\s*", "", long)
            lines.append(f"*[{short}]: {long}")
        text += "\n\n" + "\n".join(lines)
    return Imported(text=text.rstrip("\n") + "\n", media={}, warnings=list(read.warnings))
