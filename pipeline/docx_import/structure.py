"""Word's flat run of paragraphs back into nested blocks.

Word has no containers: a list is paragraphs with numbering, a note is
paragraphs in the `Note` style, a quote inside a quote is just more `Quote`
paragraphs. Each block the Markdown will hold becomes a *unit* (a
paragraph, a heading, a code block, a table with its caption, a figure …)
with a *path*: the containers it stands in, outermost first (a list, its
item, a quote, a note, a fenced div, a definition).

The path comes from our DOCX's import hints where the file is ours
(render/docx/roundtrip.py keeps each unit's path under a fingerprint of its
text; the two sequences are aligned, so an edited or added paragraph takes
the path of the unit it replaces or follows), and is worked out from the
styles and numbering otherwise, as pandoc reads a Word file.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass, field

from pipeline.docx_import.changes import flat_text
from pipeline.docx_import.tree import (Block, Bookmark, Break, Change, Commented, Formula, Inline, Link,
                                       Para, Picture, Sequence, TableBlock, Text)
from pipeline.render.docx.roundtrip import fingerprint  # the same on both sides

ADMONITIONS = ("note", "tip", "important", "warning", "caution")
QUOTE_STYLES = ("quote", "block text", "intense quote")
CAPTION_STYLES = ("caption", "table caption", "image caption")
FIGURE_STYLES = ("figure", "captioned figure")
HEADING = re.compile(r"heading ([1-9])$")
CONTINUE = re.compile(r"list continue(?: (\d))?$")
SKIPPED_STYLES = ("toc heading", "abstract title", "abbreviations heading", "abbreviation",
                  "bibliography heading")


@dataclass(frozen=True, slots=True)
class Container:
    kind: str  # list, item, quote, admonition, div, deflist, term, definition
    key: str
    attrs: tuple[tuple[str, object], ...] = ()

    def attr(self, name: str, default=None):
        return dict(self.attrs).get(name, default)


@dataclass
class Unit:
    kind: str  # para, heading, code, rule, table, figure, equation, term, attribution, title, empty
    para: Para | None = None
    table: TableBlock | None = None
    caption: Para | None = None  # a table's or a figure's
    level: int = 0  # a heading's
    path: tuple[Container, ...] = ()
    guess: tuple[Container, ...] = ()
    attrs: dict = field(default_factory=dict)  # from the hints: a code block's language …
    style: str = ""

    @property
    def key(self) -> str:
        return fingerprint(self.kind, self.text())

    def text(self) -> str:
        match self.kind:
            case "table":  # its caption, and its shape
                rows = self.table.rows if self.table else []
                columns = max((len(row.cells) for row in rows), default=0)
                return visible(caption_inlines(self.caption)) + f" r{len(rows)}c{columns}"
            case "figure":
                if self.caption is not None:
                    return visible(caption_inlines(self.caption))
                return " ".join(p.alt for p in self.para.inlines if isinstance(p, Picture)) if self.para else ""
            case "code":
                return self.para.code or "" if self.para else ""
            case "figuregroup":
                return visible(caption_inlines(self.caption))
            case "equation" | "rule" | "empty" | "pagebreak":
                return ""
            case _:
                return visible(self.para.inlines) if self.para else ""


def visible(inlines: tuple[Inline, ...]) -> str:
    """The words a unit's fingerprint is made of: text runs, not what fields,
    notes, formulas and pictures show; tracked changes as accepted."""
    return flat_text(inlines, "accept")


def caption_inlines(caption: Para | None) -> tuple[Inline, ...]:
    """A caption's own words: what follows its label and number (the SEQ
    field) and the `: ` after them."""
    if caption is None:
        return ()
    items = list(caption.inlines)
    where = next((i for i, item in enumerate(items) if contains_sequence(item)), None)
    if where is None:
        return tuple(items)
    rest = items[where + 1:]
    while rest and isinstance(rest[0], Text) and re.match(r"^\s*[:.\-–—]?\s*$", rest[0].text):
        rest.pop(0)
    if rest and isinstance(rest[0], Text):
        rest[0] = Text(re.sub(r"^\s*[:.\-–—]\s*", "", rest[0].text), rest[0].marks)
    return tuple(rest)


def contains_sequence(item: Inline) -> bool:
    match item:
        case Sequence():
            return True
        case Bookmark(children=children) | Link(children=children) | Commented(children=children) \
                | Change(children=children):
            return any(contains_sequence(child) for child in children)
        case _:
            return False


# DOCX blocks -> units ---------------------------------------------------------

def style_of(para: Para) -> str:
    return para.style.lower()


def heading_level(para: Para, outline: dict[str, int] | None = None) -> int | None:
    found = HEADING.match(style_of(para))
    if found:
        return int(found[1])
    return para.heading


def is_caption(para: Para) -> bool:
    return style_of(para) in CAPTION_STYLES or bool(para.caption_label)


def picture_only(para: Para) -> bool:
    def flat(inlines: tuple[Inline, ...]):
        for item in inlines:  # a bookmark round the picture (Word's _GoBack) is no text
            yield from flat(item.children) if isinstance(item, Bookmark) else (item,)
    meaningful = [i for i in flat(para.inlines) if not (isinstance(i, Text) and not i.text.strip())]
    return len(meaningful) == 1 and isinstance(meaningful[0], Picture)


def equation_only(para: Para) -> bool:
    """A display formula alone in its paragraph, or a numbered one: a
    formula, then its number in brackets at the right margin."""
    meaningful = [i for i in para.inlines if not (isinstance(i, Text) and not i.text.strip())]
    formulas = [i for i in meaningful if isinstance(i, Formula)]
    if len(formulas) != 1:
        return False
    rest = [i for i in meaningful if not isinstance(i, Formula)]
    if not rest:
        return formulas[0].display
    words = "".join(visible((i,)) if not isinstance(i, Bookmark) else visible(i.children) for i in rest)
    return bool(re.fullmatch(r"\s*\(\s*\d+\s*\)\s*", words))


def units_of(blocks: list[Block], ours: bool = True) -> list[Unit]:
    """The units of a run of blocks (the body, a footnote, a table's cell).
    In our DOCX the bibliography is made from the sources, and made again;
    in another's, its entries are the author's paragraphs."""
    out: list[Unit] = []
    pending_caption: Para | None = None
    index = 0
    while index < len(blocks):
        block = blocks[index]
        index += 1
        if isinstance(block, TableBlock) and figure_group(block) and index < len(blocks) \
                and isinstance(blocks[index], Para) and is_caption(blocks[index]):  # type: ignore[arg-type]
            out.append(Unit(kind="figuregroup", table=block, caption=blocks[index]))  # type: ignore[arg-type]
            index += 1
            continue
        if isinstance(block, TableBlock):
            caption = pending_caption
            pending_caption = None
            if caption is None and index < len(blocks) and isinstance(blocks[index], Para) \
                    and blocks[index].caption_label.lower() == "table":  # type: ignore[union-attr]
                caption = blocks[index]  # type: ignore[assignment]
                index += 1
            out.append(Unit(kind="table", table=block, caption=caption))
            continue
        if pending_caption is not None:  # a caption with no table after it
            out.append(Unit(kind="para", para=pending_caption, style=style_of(pending_caption)))
            pending_caption = None
        para = block
        style = style_of(para)
        if style.startswith("numbered paragraph") and para.numbering:
            # `numbering: military`: Word numbers these paragraphs from their
            # style's level; the source said them as (nested) ordered lists.
            para = dataclasses.replace(para, numbering=None)
        if style == "bibliography" and ours:  # made from the sources: one unit for where it stands
            if not (out and out[-1].kind == "bibliography"):
                out.append(Unit(kind="bibliography", para=para, style=style))
            continue
        if para.page_break and not visible(para.inlines).strip():
            out.append(Unit(kind="pagebreak", para=para, style=style))
            continue
        if "TOC" in para.fields or style.startswith("toc ") or style in SKIPPED_STYLES:
            continue
        if is_caption(para) and index < len(blocks) and isinstance(blocks[index], TableBlock) \
                and para.caption_label.lower() != "figure":
            pending_caption = para
            continue
        if is_caption(para) and out and out[-1].kind == "figure" and out[-1].caption is None:
            out[-1].caption = para
            continue
        level = heading_level(para)
        if level is not None:
            out.append(Unit(kind="heading", para=para, level=level, style=style))
        elif para.code is not None:
            if not ours and out and out[-1].kind == "code" and out[-1].para is not None \
                    and out[-1].para.code is not None and not para.numbering and not out[-1].para.numbering:
                # Another's file: a code block is a paragraph a line, one after another (pandoc reads so).
                out[-1].para = dataclasses.replace(out[-1].para, code=out[-1].para.code + "\n" + para.code)
                continue
            out.append(Unit(kind="code", para=para, style=style))
        elif style == "rule" or (para.rule and not visible(para.inlines).strip()):
            out.append(Unit(kind="rule", para=para, style=style))
        elif picture_only(para) and not para.numbering:
            out.append(Unit(kind="figure", para=para, style=style))
        elif equation_only(para):
            out.append(Unit(kind="equation", para=para, style=style))
        elif style == "definition term":
            out.append(Unit(kind="term", para=para, style=style))
        elif style == "quote attribution":
            out.append(Unit(kind="attribution", para=para, style=style))
        elif style == "tab title":
            out.append(Unit(kind="tabtitle", para=para, style=style))
        elif style.endswith(" title") and style[:-6] in (*ADMONITIONS, "admonition"):
            out.append(Unit(kind="title", para=para, style=style))
        elif para.numbering and not para.inlines:
            out.append(Unit(kind="empty", para=para, style=style))
        else:
            out.append(Unit(kind="para", para=para, style=style))
    if pending_caption is not None:
        out.append(Unit(kind="para", para=pending_caption, style=style_of(pending_caption)))
    return out


def figure_group(table: TableBlock) -> bool:
    """Our figure of sub-figures: a table whose every cell holds a picture
    over its lettered caption, or nothing."""
    cells = [cell for row in table.rows for cell in row.cells]
    filled = [cell for cell in cells if any(isinstance(b, Para) and (b.inlines or b.code) for b in cell.blocks)]
    return bool(filled) and all(
        len(cell.blocks) == 2 and isinstance(cell.blocks[0], Para) and picture_only(cell.blocks[0])
        and isinstance(cell.blocks[1], Para) and style_of(cell.blocks[1]) in CAPTION_STYLES
        for cell in filled)


# Paths from styles -------------------------------------------------------------

@dataclass
class Guesser:
    """Containers worked out from styles and numbering, as for a Word
    file made elsewhere."""
    numbering: dict[str, dict[int, tuple[str, str, int]]]
    instances: dict[str, tuple[str, frozenset[int]]] = field(default_factory=dict)
    count: int = 0
    lists: list[tuple[int, str, Container, Container]] = field(default_factory=list)  # level, numId, list, item
    previous: tuple[Container, ...] = ()
    base: int = 1  # `numbering: military`: the level of the paragraph subparagraphs hang from
    military: list[tuple[int, Container, Container]] = field(default_factory=list)  # level, list, item

    def new(self, kind: str, **attrs) -> Container:
        self.count += 1
        return Container(kind=kind, key=f"g{self.count}", attrs=tuple(sorted(attrs.items())))

    def path(self, unit: Unit) -> tuple[Container, ...]:
        found = self.guess(unit)
        self.previous = found
        return found

    def guess(self, unit: Unit) -> tuple[Container, ...]:
        para = unit.para
        style = unit.style
        if unit.kind == "heading":  # its level in an order (an annex counts again from 1.)
            self.military = []
            self.base = (para.numbering[1] + 1) if para is not None and para.numbering else unit.level
        if style.startswith("numbered paragraph ") and style[-1:].isdigit():
            return self.subparagraph(int(style[-1]))
        self.military = []
        if para is not None and para.numbering and unit.kind in ("para", "empty", "figure", "code"):
            return self.list_item(para)
        if para is not None and para.unnumbered and self.lists and unit.kind in ("para", "figure", "code"):
            # Numbering that names no list: a paragraph of the item before
            # (pandoc reads it so), as deep as that item stands.
            return tuple(c for _, _, lst, item in self.lists for c in (lst, item))
        if para is not None and (found := CONTINUE.match(style)) and self.lists:
            depth = int(found[1] or 1)
            kept = self.lists[:depth]
            return tuple(c for _, _, lst, item in kept for c in (lst, item))
        self.lists = []
        last = self.previous[-1] if self.previous else None
        if style in QUOTE_STYLES or unit.kind == "attribution" or (
                para is not None and para.quoted and unit.kind in ("para", "code", "figure", "equation")):
            if last is not None and last.kind == "quote":
                return self.previous
            return (self.new("quote"),)
        kind = style.removesuffix(" title")
        if kind == "admonition":
            kind = "note"
        if kind in ADMONITIONS:
            if unit.kind != "title" and last is not None and last.kind == "admonition" \
                    and last.attr("type") == kind:
                return self.previous
            return (self.new("admonition", type=kind, title=unit.kind == "title"),)
        if unit.kind == "tabtitle":
            tabset = self.previous[0] if self.previous and self.previous[0].kind == "tabset" else self.new("tabset")
            return (tabset, self.new("tab", titled=True))
        if unit.kind == "term":
            deflist = self.previous[0] if self.previous and self.previous[0].kind == "deflist" else self.new("deflist")
            return (deflist, self.new("term"))
        if style == "definition":
            if len(self.previous) >= 2 and self.previous[0].kind == "deflist":
                if len(self.previous) == 2:
                    return (*self.previous, self.new("definition"))
                return self.previous[:3]
            deflist = self.new("deflist")
            return (deflist, self.new("term"), self.new("definition"))
        return ()

    def subparagraph(self, level: int) -> tuple[Container, ...]:
        """A military paragraph below the one it hangs from: an item of an
        ordered list nested as deep as its level is below; at that level
        itself (a memorandum's 1., 2.), a paragraph."""
        depth = level - self.base
        if depth <= 0:
            self.military = []
            return ()
        while self.military and self.military[-1][0] > level:
            self.military.pop()
        if self.military and self.military[-1][0] == level:
            _, listed, _ = self.military.pop()
        else:
            listed = self.new("list", ordered=True, style="decimal", delimiter="period", start=1)
        while len(self.military) < depth - 1:  # a level skipped: an empty item holds it
            self.military.append((self.base + len(self.military) + 1,
                                  self.new("list", ordered=True, style="decimal", delimiter="period", start=1),
                                  self.new("item")))
        self.military.append((level, listed, self.new("item")))
        return tuple(c for _, lst, item in self.military for c in (lst, item))

    def list_item(self, para: Para) -> tuple[Container, ...]:
        num_id, level = para.numbering  # type: ignore[misc]
        while self.lists and self.lists[-1][0] > level:
            self.lists.pop()
        fmt, text, start = self.numbering.get(num_id, {}).get(level, ("bullet", "", 1))
        if fmt == "bullet" and not text.strip() and self.lists and self.lists[-1][0] == level \
                and self.numbering.get(num_id, {}).get(level):
            # A bullet of nothing after an item: the item's next paragraph
            # (pandoc writes an item of several paragraphs so).
            return tuple(c for _, _, lst, item in self.lists for c in (lst, item))
        if self.lists and self.lists[-1][0] == level:
            _, same_num, lst, _ = self.lists.pop()
            if same_num != num_id and not (lst.attr("ordered") is False and fmt == "bullet") \
                    and not self.continues(same_num, num_id, level):
                lst = self.list_container(fmt, text, start, para.loose_item)
        else:
            lst = self.list_container(fmt, text, start, para.loose_item)
        # A bullet drawn as a box (pandoc's task lists): a task, done or to do.
        task = {"☐": False, "☒": True, "☑": True}.get(text.strip()) if fmt == "bullet" else None
        self.lists.append((level, num_id, lst, self.new("item", task=task) if task is not None else self.new("item")))
        return tuple(c for _, _, lst, item in self.lists for c in (lst, item))

    def continues(self, before: str, now: str, level: int) -> bool:
        """Another numbering instance of the same definition that does not
        restart this level goes on counting (as LibreOffice writes lists)."""
        first, second = self.instances.get(before), self.instances.get(now)
        return first is not None and second is not None and first[0] == second[0] and level not in second[1]

    def list_container(self, fmt: str, text: str, start: int, loose: bool = False) -> Container:
        said = {"loose": True} if loose else {}  # else as its items show (markdown.tight_item)
        if fmt in ("bullet", "none", ""):
            return self.new("list", ordered=False, **said)
        style = {"decimal": "decimal", "lowerLetter": "lower-alpha", "upperLetter": "upper-alpha",
                 "lowerRoman": "lower-roman", "upperRoman": "upper-roman"}.get(fmt, "decimal")
        delimiter = "parens" if text.startswith("(") else "paren" if text.endswith(")") else "period"
        return self.new("list", ordered=True, style=style, delimiter=delimiter, start=start, **said)


def guess_paths(units: list[Unit], numbering: dict, instances: dict | None = None) -> None:
    guesser = Guesser(numbering=numbering, instances=instances or {})
    for unit in units:
        unit.guess = unit.path = guesser.path(unit)


# Paths from hints ----------------------------------------------------------------

def apply_hints(units: list[Unit], hinted: list, containers: dict) -> None:
    """Each unit aligned with our DOCX's hint for it takes the hint's path
    and attributes; one the hints do not know (added in Word) takes the
    path of the unit before it when it is styled as that one, else its guess."""
    if not hinted:
        return
    made: dict[str, Container] = {}

    def container(key: str) -> Container:
        if key not in made:
            data = containers.get(key, {})
            kind = data.get("kind", "div") if isinstance(data, dict) else "div"
            attrs = tuple(sorted((k, v if not isinstance(v, list) else tuple(v))
                                 for k, v in data.items() if k != "kind")) if isinstance(data, dict) else ()
            made[key] = Container(kind=str(kind), key=key, attrs=attrs)
        return made[key]

    def hint_path(entry) -> tuple[Container, ...]:
        return tuple(container(str(key)) for key in entry[1]) if isinstance(entry, list) and len(entry) > 1 else ()

    def attrs(entry) -> dict:
        return entry[2] if isinstance(entry, list) and len(entry) > 2 and isinstance(entry[2], dict) else {}

    ours = [u.key for u in units]
    theirs = [str(entry[0]) if isinstance(entry, list) and entry else "" for entry in hinted]
    known = [False] * len(units)
    matcher = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or tag == "replace":
            for offset in range(min(i2 - i1, j2 - j1)):
                unit, entry = units[i1 + offset], hinted[j1 + offset]
                if tag == "replace" and unit.kind != theirs[j1 + offset].split(":")[0]:
                    continue
                if not unit.style.startswith("numbered paragraph "):  # numbered from their style
                    unit.path = hint_path(entry)
                unit.attrs = attrs(entry)
                if tag == "replace":  # an edited unit: what still holds of it
                    unit.attrs = {k: v for k, v in unit.attrs.items() if k in (
                        "join", "lang", "label", "widths", "classes", "title", "links", "keys", "spans",
                        "abbr", "images", "cites", "refs")}
                known[i1 + offset] = True
    for index, unit in enumerate(units):
        if known[index] or index == 0:
            continue
        before = units[index - 1]
        if unit.style == before.style and unit.kind in ("para", "code", "figure", "table", "equation"):
            unit.path = before.path
            if unit.para is not None and unit.para.numbering and before.path and unit.kind == "para":
                # A list item added in Word: a new item of the list before it.
                lists = [i for i, c in enumerate(before.path) if c.kind == "list"]
                depth = min(unit.para.numbering[1], len(lists) - 1) if lists else 0
                if lists:
                    cut = lists[depth] + 1
                    unit.path = (*before.path[:cut], Container(kind="item", key=f"added-{index}"))


# The tree --------------------------------------------------------------------------

@dataclass
class Node:
    container: Container | None
    children: list[Node | Unit] = field(default_factory=list)


def tree(units: list[Unit]) -> Node:
    """Units nested by their paths. A path back into a container already
    closed (a list item's sub-list, after a paragraph added in Word between
    the item and it) goes into the one open in its place instead: Word shows
    the sub-list under the paragraph before it."""
    root = Node(None)
    open_nodes: list[Node] = [root]
    closed: set[str] = set()
    for unit in units:
        path = unit.path
        depth = 0
        while depth < len(path) and depth + 1 < len(open_nodes):
            current = open_nodes[depth + 1].container
            assert current is not None
            if current.key == path[depth].key or (path[depth].key in closed and current.kind == path[depth].kind):
                depth += 1
            else:
                break
        for node in open_nodes[depth + 1:]:
            if node.container is not None:
                closed.add(node.container.key)
        del open_nodes[depth + 1:]
        for container in path[depth:]:
            node = Node(container)
            open_nodes[-1].children.append(node)
            open_nodes.append(node)
        open_nodes[-1].children.append(unit)
    return root


def line_break_only(inlines: tuple[Inline, ...]) -> bool:
    return all(isinstance(i, Break) or (isinstance(i, Text) and not i.text.strip()) for i in inlines)
