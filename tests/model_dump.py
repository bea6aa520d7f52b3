"""A dump of the document model, as pandoc's `native` or docutils'
pseudo-XML: one line per node, what a reader of the model sees, without
what only says where the source had it (lines, the file's path, the
source text). A figure or an image is its file's bytes, by hash, not its
path: the same picture wherever it is written.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from pipeline import model as m

# Where a node stood in its source: no part of what it is (and any other
# field named `…_line` or `…_lines`).
PLACES = {"line", "key_lines", "source", "path"}


def dump(doc: m.Document) -> str:
    lines: list[str] = []
    node(normal(doc), 0, lines)
    return "\n".join(lines)


def normal(doc: m.Document) -> m.Document:
    """Ways of writing what a reader sees alike made one: adjacent texts as
    one text; a span of no classes and no id as its words; an anchor (a
    place, with nothing to show) at the start of formatting as the same
    place just before it. Word keeps none of these apart."""
    from pipeline.model import walk

    def flat(inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
        spliced: list[m.Inline] = []
        for item in inlines:
            if isinstance(item, m.Span) and not item.classes and not item.id:
                spliced.extend(flat(item.children))
                continue
            children = walk.inline_children(item)
            if children:
                children = flat(children)
                while children and isinstance(children[0], m.Anchor) and not isinstance(item, m.Link):
                    spliced.append(children[0])
                    children = children[1:]
                item = dataclasses.replace(item, children=children)
            spliced.append(item)
        out: list[m.Inline] = []
        for item in spliced:
            if isinstance(item, m.Text) and out and isinstance(out[-1], m.Text):
                out[-1] = m.Text(text=out[-1].text + item.text)
            elif not (isinstance(item, m.Text) and not item.text):
                out.append(item)
        return tuple(out)

    def block(node: m.Block) -> m.Block:
        match node:
            case m.Paragraph(inlines=inlines):
                return dataclasses.replace(node, inlines=flat(inlines))
            case m.Table(caption=caption) | m.Figure(caption=caption):
                return dataclasses.replace(node, caption=flat(caption))
            case m.Admonition(title=title):
                return dataclasses.replace(node, title=flat(title))
            case m.Quote(attribution=attribution):
                return dataclasses.replace(node, attribution=flat(attribution))
            case m.DefinitionList(items=items):
                return dataclasses.replace(node, items=tuple(dataclasses.replace(i, term=flat(i.term))
                                                             for i in items))
            case _:
                return node

    # An enclosure's last item is the line of the `enclosures` key: a place.
    doc = dataclasses.replace(doc, meta=dataclasses.replace(
        doc.meta, enclosures=tuple(item[:3] for item in doc.meta.enclosures)))
    return walk.map_document(doc, block=block,
                             section=lambda s: dataclasses.replace(s, title=flat(s.title)))


def node(value, depth: int, lines: list[str], name: str = "") -> None:
    pad = "  " * depth + (f"{name}=" if name else "")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = []
        children = []
        for field in dataclasses.fields(value):
            if (field.name in PLACES or field.name.endswith(("_line", "_lines"))) \
                    and not isinstance(value, (m.Figure, m.Image)):
                continue
            if isinstance(value, m.Meta) and field.name == "abstract":
                continue  # its Markdown as written; Document.abstract holds what it says
            item = getattr(value, field.name)
            if isinstance(value, (m.Figure, m.Image)) and field.name == "data":
                continue  # the path's hash below stands for the bytes
            if isinstance(value, (m.Figure, m.Image)) and field.name == "path":
                data = getattr(value, "data", None) or Path(item).read_bytes()
                item = "sha1:" + hashlib.sha1(data).hexdigest()[:16]
            elif isinstance(value, (m.Figure, m.Image)) and field.name == "line":
                continue
            if isinstance(item, tuple) and item and any(dataclasses.is_dataclass(i) or isinstance(i, tuple)
                                                        for i in item):
                children.append((field.name, item))
            elif dataclasses.is_dataclass(item):
                children.append((field.name, item))
            else:
                fields.append(f"{field.name}={item!r}")
        lines.append(f"{pad}{type(value).__name__}({', '.join(fields)})")
        for field_name, item in children:
            node(item, depth + 1, lines, field_name)
    elif isinstance(value, tuple):
        lines.append(f"{pad}[")
        for item in value:
            node(item, depth + 1, lines)
        lines.append("  " * depth + "]")
    else:
        lines.append(f"{pad}{value!r}")
