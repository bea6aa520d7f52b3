"""What the DOCX reader finds, before it is Markdown: Word's paragraphs and
tables as they stand in the file (a style, a list level, runs), with the
reviewers' tracked changes and comments kept as nodes of their own.

This is not the document model: it holds what Word has and Markdown must
say (a change, a comment, a run's formatting), and the Markdown writer
(markdown.py) gives it structure: lists from numbering, notes from their
styles, captions beside their tables and figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

# Formatting a run carries, each a Markdown mark.
MARKS = ("code", "strong", "emph", "strike", "sub", "sup", "smallcaps", "underline", "mark")


# Inlines --------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Text:
    text: str
    marks: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Break:
    """A line break within a paragraph (w:br, w:cr)."""


@dataclass(frozen=True, slots=True)
class Link:
    target: str  # a URL, or `#bookmark` inside the document
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class NoteRef:
    """A footnote's reference; `key` is Word's footnote id ("e3" for an endnote)."""
    key: str


@dataclass(frozen=True, slots=True)
class RepeatedNoteRef:
    """Our DOCX's second reference to a note: its number as text."""
    number: int


@dataclass(frozen=True, slots=True)
class CrossRef:
    """A REF field: a cross-reference to a bookmark, with what it shows."""
    bookmark: str
    shown: str


@dataclass(frozen=True, slots=True)
class Sequence:
    """A SEQ field: where a caption's label and number end."""
    name: str  # "Table", "Figure"
    shown: str


@dataclass(frozen=True, slots=True)
class Picture:
    """An image in the line (or alone in a figure's paragraph)."""
    media: str  # the part name of the image (the SVG's when there is one)
    alt: str
    title: str = ""
    width: int = 0  # EMU, as drawn
    height: int = 0


@dataclass(frozen=True, slots=True)
class Formula:
    """Office Math, already TeX."""
    tex: str
    display: bool
    signature: str = ""  # its structure and text, to find its TeX among the hints


@dataclass(frozen=True, slots=True)
class Bookmark:
    """A bookmark around some of a paragraph's inlines (a span's id), or
    none (an anchor)."""
    name: str
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Change:
    """A tracked change: `ins` or `del` of its children, or `format`: its
    children as they are now, `old` as they were."""
    kind: str
    author: str
    date: str
    children: tuple[Inline, ...]
    old: tuple[Inline, ...] = ()


@dataclass(frozen=True, slots=True)
class Commented:
    """Inlines a comment is anchored on; `end` when the comment's range ends here."""
    comment: str  # Word's comment id
    children: tuple[Inline, ...]
    end: bool


@dataclass(frozen=True, slots=True)
class Verbatim:
    """Markdown written as it is (a citation the hints give back)."""
    markdown: str


@dataclass(frozen=True, slots=True)
class Task:
    done: bool


Inline: TypeAlias = (Text | Break | Link | NoteRef | RepeatedNoteRef | CrossRef | Sequence | Picture
                     | Formula | Bookmark | Change | Commented | Task | Verbatim)


# Blocks ---------------------------------------------------------------------

@dataclass(slots=True)
class Para:
    """One Word paragraph as it stands: its style's name, its list level
    (numbering definition and level) and its inlines."""
    style: str
    inlines: tuple[Inline, ...]
    index: int  # its number in the document, for messages
    numbering: tuple[str, int] | None = None  # (w:numId, w:ilvl)
    bookmarks: tuple[str, ...] = ()  # bookmarks round the whole paragraph, or at its start
    align: str | None = None  # w:jc: left, center, right …
    page_break: bool = False  # holds a page break and nothing else
    code: str | None = None  # a code block's text (Source Code), lines joined by \n
    caption_label: str = ""  # a caption's "Table"/"Figure" sequence (SEQ field), when it has one
    fields: tuple[str, ...] = ()  # field instructions met in it (TOC, DOCPROPERTY …)
    change: Change | None = None  # the paragraph's mark inserted or deleted
    style_change: tuple[Change, str] | None = None  # its style changed, and the style it had
    text_box: bool = False  # held drawings or objects that were left out
    rule: bool = False  # holds a horizontal line
    bold_style: bool = False  # its style sets its text bold
    heading: int | None = None  # another's file: the level its style's base or outline level gives
    quoted: bool = False  # another's file: a quotation's style, or indented more than its style says
    drop_cap: bool = False  # a frame holding the first letter of the paragraph after it
    unnumbered: bool = False  # numbering that names no list (w:numId 0): it goes on the item before
    loose_item: bool = False  # ours: spaced after as a loose list's item (roundtrip.LOOSE_AFTER_TWIPS)


@dataclass(slots=True)
class Cell:
    blocks: list[Block]
    across: int = 1  # grid columns it spans (w:gridSpan)
    down: int = 1  # rows it spans (w:vMerge, restarted here and continued below)
    covered: bool = False  # a place a cell to its left or above spans


@dataclass(slots=True)
class Row:
    cells: list[Cell]
    header: bool = False
    change: Change | None = None  # a row inserted or deleted


@dataclass(slots=True)
class TableBlock:
    rows: list[Row]
    widths: list[int]  # twips, from w:tblGrid
    index: int
    spans: bool = False  # cells merged across rows or columns
    first_row: bool = False  # its look sets the first row apart (w:tblLook firstRow)


Block: TypeAlias = Para | TableBlock


@dataclass(slots=True)
class Comment:
    id: str
    author: str
    date: str
    text: str


@dataclass(slots=True)
class Revision:
    """A tracked change, as the refusal lists it."""
    kind: str  # "insertion", "deletion", "formatting change" …
    author: str
    date: str
    text: str
    paragraph: int
    context: str  # the paragraph's first words


@dataclass(slots=True)
class Media:
    data: bytes
    mime: str
    name: str  # a file name for it: the picture's own name, or the part's
    width: int = 0  # pixels
    height: int = 0


@dataclass(slots=True)
class Read:
    """Everything the reader took from the package."""
    body: list[Block]
    notes: dict[str, list[Block]]  # Word's footnote id -> its blocks
    comments: dict[str, Comment]
    media: dict[str, Media]  # part name -> image
    styles: dict[str, str]  # styleId -> name
    properties: dict[str, str]  # custom document properties
    core: dict[str, str]  # core properties: title, creator, subject, keywords …
    hints: dict  # what our own DOCX left for its import (render/docx/roundtrip.py)
    revisions: list[Revision] = field(default_factory=list)
    numbered_headings: bool = False  # Heading styles bound to a list
    page: tuple[int, int] = (0, 0)  # twips
    warnings: list[str] = field(default_factory=list)
    numbering: dict[str, dict[int, tuple[str, str, int]]] = field(default_factory=dict)
    # numId -> level -> (numFmt, lvlText, start)
    instances: dict[str, tuple[str, frozenset[int]]] = field(default_factory=dict)
    # numId -> (abstractNumId, levels it restarts)
