"""What the DOCX writer reads, apart from what it changes (pandoc's WriterEnv
and WriterState): `Env` holds the inputs, fixed for a walk and passed down;
`State` is the one mutable value, the package being filled and its counters.
`Where` is the block walk's position, as `marks` is the inline walk's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from types import MappingProxyType

from docx.document import Document as Docx
from docx.opc.part import XmlPart
from docx.styles import BabelFish

from pipeline import model
from pipeline.render.docx.package import (abstract_of, borrow_style, style_font, style_num, text_height,
                                          text_width)


@dataclass(frozen=True, slots=True, kw_only=True)
class Env:
    labels: Mapping[str, str]  # the words of templates/text/labels.yaml, read-only
    bullet_num: int  # the w:num of `List Bullet`, shared by every bullet list
    number_abstract: int  # the w:abstractNum behind `List Number`
    text_width: int  # EMU between the margins: figures and tables fit in it
    text_height: int = 0  # EMU between the top and bottom margins: no picture is taller
    body_size: float = 11.0  # points, Body Text's: what an image's `em` is
    numbered: bool = False  # sections numbered through the Heading styles
    military: bool = False  # `numbering: military`: render/docx/paragraphs.py
    # With it, each numbered heading's id -> the (id, "b") of it and the
    # headings above it: a cross-reference's field per level.
    cited: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    date: str | None = None  # the distribution statement's date, kept on one line
    in_note: bool = False  # walking a footnote: its links are the notes part's


def environment(state: State, labels: Mapping[str, str], meta: model.Meta) -> Env:
    """The inputs every walk reads, once the page is set up (its text width)."""
    package, path = state.package, state.reference
    return Env(labels=MappingProxyType(dict(labels)),  # a copy no caller can change
               bullet_num=style_num(package, path, "List Bullet"),
               number_abstract=abstract_of(package, style_num(package, path, "List Number")),
               text_width=text_width(package), text_height=text_height(package),
               body_size=style_font(package, "Body Text")[1], numbered=meta.numbering, military=meta.military,
               date=meta.distribution_date or meta.date)


@dataclass(frozen=True, slots=True)
class Where:
    """Where a block sits: the style its paragraphs take and its list depth."""
    style: str = "Body Text"
    depth: int = 0


@dataclass(slots=True, kw_only=True)
class State:
    package: Docx  # gains parts, relationships, styles and list instances
    reference: str  # the file the package was read from, for messages
    style_ids: dict[str, str]  # style name -> styleId
    # Styles the reference document lacked, taken from ours (in order of need).
    borrowed: list[str] = field(default_factory=list)
    bookmarks: int = 0  # the last w:bookmarkStart id given
    shapes: int = 0  # the last wp:docPr id given: unique in the document
    notes: XmlPart | None = None  # word/footnotes.xml, once made
    # The w:abstractNum made for each way of numbering a list ("lower-alpha paren").
    list_abstracts: dict[str, int] = field(default_factory=dict)
    # Code's size in half-points in a paragraph style larger than the body's
    # (a heading, the title), by style name: render/docx/inlines.py.
    code_sizes: dict[str, int | None] = field(default_factory=dict)
    # The w:sectPr of the Word section being written, once the body has more
    # than one (a landscape page, an annex): render/docx/sections.py.
    section: Any = None

    def style(self, name: str) -> str:
        """A style's id. A style a user's reference document lacks is copied
        from ours, so the file still looks right, and named in a warning."""
        if name not in self.style_ids:
            added = borrow_style(self.package, name, self.reference)
            self.style_ids.update(added)
            self.borrowed.extend(added)  # with the styles it is based on: they shape it
        return self.style_ids[name]

    def bookmark_id(self) -> int:
        self.bookmarks += 1
        return self.bookmarks

    def shape_id(self) -> int:
        self.shapes += 1
        return self.shapes


def start(package: Docx, reference: str) -> State:
    # Each style's name as python-docx gives it (Style.name), without making
    # a Style object of every one of the reference's 160 styles.
    ui = BabelFish.internal2ui
    return State(package=package, reference=reference,
                 style_ids={ui(name): style.styleId for style in package.styles.element.style_lst
                            if (name := style.name_val) is not None})
