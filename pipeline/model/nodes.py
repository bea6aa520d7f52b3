"""The document model: what every backend reads, and nothing else.

A small closed set of frozen node kinds, in the spirit of pandoc's
Text.Pandoc.Definition. Nodes carry no format knowledge. Every block keeps
`line`, its line in the source file, so later stages can say `file:line`.
This module imports nothing from the rest of the package; walk.py has the
walks over it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from collections.abc import Iterator
from typing import TypeAlias



# Inlines -------------------------------------------------------------------

@dataclass(frozen=True, slots=True, kw_only=True)
class Text:
    """Plain text."""

    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Emph:
    """Emphasis (`*text*`)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Strong:
    """Strong emphasis (`**text**`)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Code:
    """Inline code."""

    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    """A link; `#id` targets are internal."""

    target: str
    children: tuple[Inline, ...]
    title: str | None = None
    line: int | None = None  # its own source line, for messages

    @property
    def internal(self) -> bool:
        return self.target.startswith("#")


# A link's target as the reader writes it for pandoc's implicit heading
# references (`[General options]` for a heading of that text), with the
# heading's line after it: the references pass points it at the heading's
# id, which is known only once ids are assigned.
HEADING_AT_LINE = "#briefing:heading-at-line:"


@dataclass(frozen=True, slots=True, kw_only=True)
class LineBreak:
    """A hard line break."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Abbr:
    """An abbreviation defined with `*[TLA]: …`."""

    text: str
    title: str  # the expansion, from `*[GIUK]: Greenland-Iceland-UK`


@dataclass(frozen=True, slots=True, kw_only=True)
class FootnoteRef:
    """Where a footnote is called."""

    number: int  # in order of first reference, as pandoc numbers them
    first: bool  # the first reference to this note (later ones repeat the number)
    line: int | None = None  # its own source line, for messages


@dataclass(frozen=True, slots=True, kw_only=True)
class Ref:
    """A cross-reference, Quarto's `@sec-id`, `@tbl-id`, `@fig-id`; transforms
    fill in what it points at, backends word it ("Section 2.1", "Table 1")."""
    id: str
    kind: str = ""  # "section" or "table", once resolved
    number: str | None = None  # "2.1", "3"; a sub-figure's "3 (a)"
    title: tuple[Inline, ...] = ()  # the target's title, said when it has no number
    # A sub-figure's FigureGroup's id: Word's field repeats the group's
    # number from its caption, then the sub-figure's letter.
    within: str = ""
    # Said before the number in place of the kind's label, as Quarto writes
    # it: "" for the number alone (`[-@fig-x]`), "Fig." for `[Fig. @fig-x]`.
    prefix: str | None = None
    line: int


# The units of an image's width or height as pandoc and Quarto read them
# (`{width=50%}`, `{height=3in}`, `{width=300}`: a bare number is pixels).
# `%` is a share of the text width (a height's: of the text's height on a
# page, on screen of the window's); `em` the body text's size; `px` CSS
# pixels, 96 to the inch.
LENGTH_UNITS = ("px", "cm", "mm", "in", "pt", "pc", "em", "%")


@dataclass(frozen=True, slots=True, kw_only=True)
class Length:
    """A width or height an author set on an image."""

    value: float  # more than 0
    unit: str  # one of LENGTH_UNITS


@dataclass(frozen=True, slots=True, kw_only=True)
class Image:
    """An image inside a paragraph or a link (a badge, an icon), checked as
    a figure is: `path` is a file inside the source's folder and `data` its
    bytes, read once and really of type `mime`. Shown in the line at its
    own size, at most the text's width."""

    path: str
    mime: str
    width: int  # pixels
    height: int
    alt: str
    title: str | None = None
    # The size its author set (`{width=2cm}`), when not its own: with one
    # of the two, the other follows the picture's proportions.
    display_width: Length | None = None
    display_height: Length | None = None
    line: int | None = None
    data: bytes = field(repr=False)  # what every output embeds; never the file again

    @property
    def digest(self) -> str:
        """SHA-256 of the bytes used, for the manifest."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class Strike:
    """Struck-out text (`~~text~~`, `<del>`)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Sub:
    """Subscript (`H~2~O`, `<sub>`)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Sup:
    """Superscript (`2^10^`, `<sup>`)."""

    children: tuple[Inline, ...]


# The span classes every backend shows; a span of other classes keeps them
# and shows its text as it is.
SPAN_CLASSES = ("smallcaps", "underline", "mark", "kbd")


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """pandoc's bracketed span (`[text]{.smallcaps}`), and HTML's `<u>`,
    `<ins>`, `<mark>`, `<kbd>`, `<span>` read as one; `id` makes it a
    target for `#id` links."""

    classes: tuple[str, ...]
    children: tuple[Inline, ...]
    id: str = ""
    line: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Anchor:
    """A place `#id` links lead to, with nothing to show (`<a name="x"></a>`)."""

    id: str
    line: int | None = None
    # A heading's place where no heading can stand (in a quote or a list
    # item), before its title shown as a bold line: without an id of its
    # own it gets one as a heading does (transform/ids.py).
    heading: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Math:
    """TeX mathematics: `$x$`, or `$$x$$` (display) within a paragraph.
    The reader has checked that it converts; backends convert it again."""

    tex: str
    display: bool = False
    line: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CiteItem:
    """One source a citation names: `see @smith2020, p. 33` is the prefix
    "see", the key, the locator "33" (label "page") and no suffix."""

    key: str
    prefix: str = ""
    suffix: str = ""
    locator: str = ""
    label: str = ""  # the locator's CSL label: "page", "chapter" …
    suppress_author: bool = False  # `[-@key]`
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Cite:
    """A citation, pandoc's `[@key, p. 33]`, `[see @a; @b]` or `@key [p. 4]`
    (`in_text`); transform/citations.py sets the words the citation style
    gives it (`children`, links to the bibliography's entries among them),
    or, in a note style, makes it a footnote."""

    items: tuple[CiteItem, ...]
    in_text: bool = False
    children: tuple[Inline, ...] = ()
    id: str = ""  # where the bibliography's entries link back to ("cite-1")
    line: int


Inline: TypeAlias = Text | Emph | Strong | Code | Link | LineBreak | FootnoteRef | Ref | Abbr | Image \
    | Strike | Sub | Sup | Span | Anchor | Math | Cite


# Blocks --------------------------------------------------------------------

@dataclass(frozen=True, slots=True, kw_only=True)
class Paragraph:
    """A paragraph, with its portion mark when the document has them."""

    inlines: tuple[Inline, ...]
    # A portion mark such as "S//NF" (shown as "(S//NF)"), read off the
    # start of the text when `portion_marking: true`; so are the others.
    portion: str | None = None
    # `numbering: military` (transform/paragraphs.py): the paragraph's number
    # as shown ("1.", "a.", "(1)", "(a)", and "1", "a" underlined at levels
    # 5 and 6), and its level in the scheme, 1 to 6; 0 when unnumbered.
    number: str | None = None
    level: int = 0
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ListItem:
    """One item of a list: blocks, so items can hold paragraphs and lists."""

    blocks: tuple[Block, ...]
    # A task list's box: None for an ordinary item, False for `[ ]` (to
    # do), True for `[x]` (done).
    task: bool | None = None
    line: int


# How an ordered list numbers its items (pandoc's fancy lists): the
# numbers' style, and what stands around them.
LIST_STYLES = ("decimal", "lower-alpha", "upper-alpha", "lower-roman", "upper-roman")
LIST_DELIMITERS = ("period", "paren", "parens")  # 1.  1)  (1)


@dataclass(frozen=True, slots=True, kw_only=True)
class ListBlock:
    """A bullet or ordered list."""

    ordered: bool
    start: int = 1
    style: str = "decimal"  # one of LIST_STYLES (ordered lists)
    delimiter: str = "period"  # one of LIST_DELIMITERS (ordered lists)
    items: tuple[ListItem, ...]
    # pandoc's loose list: a blank line between two of its items, or between
    # two blocks of one item; each item's text is then a paragraph, spaced
    # as paragraphs are (tight: items set close, their text bare).
    loose: bool = False
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """A block quote."""

    blocks: tuple[Block, ...]
    attribution: tuple[Inline, ...] = ()  # from a last paragraph `— Source`
    attribution_portion: str | None = None  # its mark: `— (U) Source`
    attribution_line: int | None = None  # where the attribution's paragraph starts
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Definition:
    """A term and its definitions."""

    term: tuple[Inline, ...]
    definitions: tuple[tuple[Block, ...], ...]  # one or more, each some blocks
    portion: str | None = None  # the term's own portion mark
    line: int | None = None  # the term's line, when the reader knows it


@dataclass(frozen=True, slots=True, kw_only=True)
class DefinitionList:
    """A definition list."""

    items: tuple[Definition, ...]
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeBlock:
    """A fenced or indented code block."""

    lang: str | None
    text: str
    # A Quarto or R Markdown code cell's label (```` ```{r tbl-x} ````,
    # `#| label: tbl-x`): the cell is shown, never run, so a cross-reference
    # to what it would make is an error that says so.
    label: str = ""
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """A horizontal rule."""

    line: int


# The kinds of admonition (GitHub's alerts, Quarto's callouts); other
# tools' names are read as the one they mean (MkDocs' `danger`: caution).
ADMONITION_KINDS = ("note", "tip", "important", "warning", "caution")


@dataclass(frozen=True, slots=True, kw_only=True)
class Admonition:
    """A note, warning or other callout (`!!! note "Title"`, `> [!TIP]`,
    `::: {.callout-warning}`)."""

    kind: str  # one of ADMONITION_KINDS
    title: tuple[Inline, ...]
    blocks: tuple[Block, ...]
    portion: str | None = None  # the title's portion mark
    # No title of its own (`> [!TIP]`): backends show the kind's name, from
    # the templates' wording, which is no author text and carries no mark.
    default_title: bool = False
    # Collapsible (MkDocs' `???`, Quarto's `collapse=`): None when not;
    # True when it starts closed, False when open (`???+`). A <details> in
    # HTML, an admonition like any other in print and in Word.
    folded: bool | None = None
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Div:
    """A fenced div (`::: {.landscape #id}`) that is no callout: its blocks,
    with the classes and id it was given, for templates to style."""

    classes: tuple[str, ...]
    id: str = ""
    blocks: tuple[Block, ...]
    # Quarto's conditional content (`.content-visible when-format="html"`):
    # the formats it shows in, of FORMATS ("none": in none of ours); () for all.
    formats: tuple[str, ...] = ()
    line: int


FORMATS = ("html", "pdf", "docx")


@dataclass(frozen=True, slots=True, kw_only=True)
class Tab:
    """One tab of a TabSet: its title and its content."""

    title: tuple[Inline, ...]
    blocks: tuple[Block, ...]
    portion: str | None = None  # the title's portion mark
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class TabSet:
    """MkDocs' content tabs (`=== "Windows"`, pymdownx.tabbed): the same
    thing said several ways, one tab each. The screen shows each tab's
    title over its content (a page without scripts has no tabs to click);
    print and Word the same, one after the other."""

    tabs: tuple[Tab, ...]
    line: int


# A table's cell holds blocks: a paragraph, or (pandoc's grid tables) several
# paragraphs and lists.
Cell: TypeAlias = "tuple[Block, ...]"
ALIGNS = ("left", "center", "right")


@dataclass(frozen=True, slots=True)
class CellSpan:
    """A cell over more than one row or column (HTML's rowspan and colspan):
    it stands at `row`, `column` of its table's grid, whose rows are the
    header rows (`head`, then `head_more`) and then the body's, and covers
    `rows` rows and `columns` columns from there."""

    row: int
    column: int
    rows: int
    columns: int

    def covers(self) -> Iterator[tuple[int, int]]:
        """The grid's places the cell takes beside its own."""
        for row in range(self.row, self.row + self.rows):
            for column in range(self.column, self.column + self.columns):
                if (row, column) != (self.row, self.column):
                    yield row, column


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    """A table with header rows (its first in `head`), or none."""

    head: tuple[Cell, ...]  # the header row; () for a table without one
    rows: tuple[tuple[Cell, ...], ...]
    # Header rows after the first (an HTML table's <thead> of several rows).
    head_more: tuple[tuple[Cell, ...], ...] = ()
    aligns: tuple[str | None, ...]  # per column: one of ALIGNS, or None
    # Per column, its share of the text width (from the dashes of pandoc's
    # multiline and grid tables); () lets each format share it out.
    widths: tuple[float, ...] = ()
    caption: tuple[Inline, ...] = ()
    id: str = ""
    number: int | None = None  # set by transforms for captioned tables
    prefix: str = ""  # in an annex, before the number: "A-" (Table A-1, Figure A-1)
    portion: str | None = None  # the caption's portion mark
    caption_line: int | None = None  # the caption's own line (`Table: …`), before or after the table
    # Its cells over more than one place; each place a span covers beside
    # its own holds () in `head` or `rows`, shown by no format.
    spans: tuple[CellSpan, ...] = ()
    # (row, column) of each body cell that heads its row (an HTML table's
    # `<th>` in a body row), rows counted as the spans count them.
    row_heads: tuple[tuple[int, int], ...] = ()
    line: int

    def covered(self) -> frozenset[tuple[int, int]]:
        """(row, column) of every place a span covers beside its own, rows
        counted from the header row when there is one."""
        return frozenset(place for span in self.spans for place in span.covers())

    def across(self) -> frozenset[tuple[int, int]]:
        """(row, column) of each cell over more than one column: a column's
        own width is measured without them."""
        return frozenset((span.row, span.column) for span in self.spans if span.columns > 1)

    def head_rows(self) -> tuple[tuple[Cell, ...], ...]:
        """Every header row, the first first."""
        return ((self.head,) if self.head else ()) + self.head_more


@dataclass(frozen=True, slots=True, kw_only=True)
class Figure:
    """An image standing alone in its paragraph, already checked: `path` is
    a file inside the source's folder and `data` its bytes, read once and
    really of type `mime`."""
    path: str
    mime: str
    width: int  # pixels
    height: int
    alt: str
    caption: tuple[Inline, ...] = ()
    id: str = ""
    number: int | None = None  # set by transforms for captioned figures
    prefix: str = ""  # in an annex, before the number: "A-" (Table A-1, Figure A-1)
    portion: str | None = None  # the caption's portion mark
    # The size its author set (`{width=50%}`), as Image's.
    display_width: Length | None = None
    display_height: Length | None = None
    # A sub-figure's letter in its FigureGroup ("a", "b" …, shown "(a)");
    # "" for a figure of its own. A sub-figure is not numbered itself.
    letter: str = ""
    line: int
    data: bytes = field(repr=False)  # what every output embeds; never the file again

    @property
    def digest(self) -> str:
        """SHA-256 of the bytes used, for the manifest."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class FigureGroup:
    """One figure of several pictures, Quarto's figure div of sub-figures
    (`::: {#fig-sites layout-ncol=2}`, its images, then a caption): each
    picture a sub-figure lettered (a), (b) … under it, laid out in
    `columns` columns, the group's caption below them all. Numbered as a
    figure ("Figure 3"); a sub-figure is "Figure 3 (a)", as Quarto says it.

    A block of its own rather than a Figure with sub-figures: a Figure is
    one picture (its path, pixels, alt text and size are what every backend
    and the PDF's fetcher read), and a group has none of those, only
    pictures and a caption; one kind each keeps both simple and lets mypy
    name every walk that must learn groups."""

    figures: tuple[Figure, ...]  # each with its `letter`, its caption its own
    columns: int  # at least 1, at most len(figures)
    caption: tuple[Inline, ...] = ()
    id: str = ""
    number: int | None = None  # set by transforms, counted with the figures
    portion: str | None = None  # the caption's portion mark
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PageBreak:
    """A new page here (Quarto's `{{< pagebreak >}}`), in print and in
    Word; nothing on screen."""

    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Equation:
    """Display mathematics standing alone in its paragraph (`$$ … $$`),
    numbered when it has an id (`{#eq-id}`), as Quarto does."""

    tex: str
    id: str = ""
    number: int | None = None  # set by transforms for equations with an id
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class BibEntry:
    """One entry of a bibliography, as the citation style words it."""

    id: str  # "ref-smith2020": what citations link to
    inlines: tuple[Inline, ...]
    cited_by: tuple[str, ...] = ()  # the ids of the citations of it, for links back
    portion: str | None = None  # with portion marks: the entry's own (its `portion` field)


@dataclass(frozen=True, slots=True, kw_only=True)
class Bibliography:
    """The works cited (and `nocite`), made by transform/citations.py at the
    end of the document or where `::: {#refs}` stands."""

    entries: tuple[BibEntry, ...]
    hanging: bool = True  # the style's hanging indent
    line: int


Block: TypeAlias = (Paragraph | ListBlock | Quote | CodeBlock | Rule | Admonition | Table | Figure
                   | DefinitionList | Div | Equation | FigureGroup | TabSet | PageBreak | Bibliography)


# Structure -----------------------------------------------------------------

@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """A heading and everything up to the next heading of its level or above."""

    level: int
    title: tuple[Inline, ...]
    id: str
    number: str | None = None
    portion: str | None = None  # the heading's portion mark
    blocks: tuple[Block, ...]
    children: tuple[Section, ...]
    # Other ids links may use for it: GitHub's slug of its title, where that
    # is not `id` (pandoc's); backends add each as a second anchor.
    aliases: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()  # from `# Title {.annex}`: annex, appendix, tab
    # `numbering: military`: the heading's level in the scheme (1. a. (1) (a) 1 a),
    # its number then in `number`; 0 when unnumbered (transform/paragraphs.py).
    paragraph_level: int = 0
    attachment: Attachment | None = None  # set by transform/annexes.py
    line: int


# What a section marked `.annex`, `.appendix` or `.tab` is (transform/annexes.py).
ATTACHMENT_KINDS = ("annex", "appendix", "tab")
# A Span's class for text meant for screen readers alone (read/rawhtml.py
# gives it, whatever a site called it): the HTML keeps it out of sight,
# the print and the Word file, read by eye, leave it out.
VISUALLY_HIDDEN = "visually-hidden"


@dataclass(frozen=True, slots=True, kw_only=True)
class Attachment:
    """An annex, an appendix of an annex or a tab of an appendix, as FM 6-0
    attaches them to an order: lettered or numbered, on pages of its own."""

    kind: str  # one of ATTACHMENT_KINDS
    label: str  # "B" (annex; no I or O), "1" (appendix), "A" (tab)
    heading: str  # "ANNEX B (INTELLIGENCE) TO OPORD 3-26"
    name: str  # how the body names it: "Annex B", "Appendix 1 to Annex B"
    pages: str  # its page numbers' prefix: "B-", "B-1-", "B-1-A-"
    banner: str  # its classification: the highest of its portions


@dataclass(frozen=True, slots=True, kw_only=True)
class Enclosure:
    """A PDF appended to the briefing's PDF (front matter `enclosures`),
    checked by read/enclosures.py; its marking is declared, not read."""

    number: int
    path: str
    title: str
    classification: str
    pages: tuple[tuple[float, float], ...]  # each page's width and height, in points
    line: int


PAPER_SIZES = ("a4", "letter")


@dataclass(frozen=True, slots=True, kw_only=True)
class Signature:
    """A staff product's signature block (AR 25-50): the name as written
    (shown in capitals), rank and branch on the next line, then the title."""

    name: str
    rank: str | None = None
    branch: str | None = None
    title: str | None = None


SEE_DISTRIBUTION = "SEE DISTRIBUTION"
# `style:` the service whose layout a type follows where the services
# differ, the first its default; the look of each is the type folder's
# <style>.yaml and <style>.css in templates/. The memoranda differ (AR 25-50,
# DAFH 33-337 The Tongue and Quill, DoDM 5110.04); the information and
# decision papers are the Army's, the point and talking papers The Tongue
# and Quill's, the loose minute the MOD's (JSP 101).
STAFF_STYLES = {"memo": ("army", "usaf", "osd"), "info-paper": ("army",), "decision-paper": ("army",),
                "point-paper": ("usaf",), "talking-paper": ("usaf",), "loose-minute": ("mod",)}


@dataclass(frozen=True, slots=True, kw_only=True)
class Memo:
    """A staff product's parts beyond the body (front matter `type: memo`,
    `info-paper`, `decision-paper`), as AR 25-50 and the staff papers order
    them; the subject is Meta.title (its mark Meta.title_portion)."""

    kind: str = "memo"  # or "info-paper", "decision-paper", …, "loose-minute"
    style: str = "army"  # the service whose layout it follows: army, usaf, osd, mod
    reference: str | None = None  # a loose minute's file reference (JSP 101)
    letterhead: tuple[str, ...] = ()  # DEPARTMENT OF THE ARMY, the organization, address lines
    office_symbol: str | None = None
    memo_for: tuple[str, ...] = ()  # "SEE DISTRIBUTION" or each addressee (a loose minute's too)
    sender: str | None = None  # the FROM line
    references: tuple[str, ...] = ()  # lettered a., b. in paragraph 1
    signature: Signature | None = None
    listed_enclosures: tuple[str, ...] = ()  # the Encl list: each enclosure's title
    distribution: tuple[str, ...] = ()
    cf: tuple[str, ...] = ()  # copies furnished (a loose minute's Copy to)
    prepared_by: tuple[str, ...] = ()  # a paper's "Prepared by" block: name, office, phone
    approved_by: tuple[str, ...] = ()

    @property
    def see_distribution(self) -> bool:
        """Addressed to those the distribution lists."""
        return self.memo_for == (SEE_DISTRIBUTION,)

    @property
    def usual_style(self) -> bool:
        """The style its type has unless another is asked for."""
        return self.style == STAFF_STYLES[self.kind][0]


@dataclass(frozen=True, slots=True, kw_only=True)
class Meta:
    """The front matter, checked and typed."""

    title: str
    classification: str
    subtitle: str | None = None
    # With `portion_marking: true` the title carries its mark, read off it
    # as off any portion; the subtitle and short title may carry their own,
    # else they belong to the title's portion.
    title_portion: str | None = None
    subtitle_portion: str | None = None
    short_title_portion: str | None = None
    date: str | None = None
    version: str | None = None
    status: str | None = None
    authors: tuple[str, ...] = ()
    organization: str | None = None
    poc: str | None = None
    distribution: str | None = None  # a DoDI 5230.24 statement letter, A-F
    distribution_reason: str | None = None
    distribution_date: str | None = None
    controlling_office: str | None = None
    # The CUI designation indicator block.
    controlled_by: tuple[str, ...] = ()
    cui_category: tuple[str, ...] = ()
    dissemination: str | None = None
    # The classification authority block (E.O. 13526).
    classified_by: str | None = None
    derived_from: str | None = None
    classification_reason: str | None = None
    declassify_on: str | None = None
    short_title: str | None = None  # for the running header; the title when not given
    # Markdown, shown under the title (`abstract`, or another tool's
    # `description`); read into Document.abstract with the body.
    abstract: str | None = None
    keywords: tuple[str, ...] = ()  # document metadata, after the classification
    # The PDF and DOCX open with a page of their own; false: a title block.
    # None (unset) until transform/title_page.py decides by the text's length.
    title_page: bool | None = None
    toc: bool = False
    numbering: bool = False
    military: bool = False  # `numbering: military`: 1., a., (1), (a), 1, a (transform/paragraphs.py)
    # `enclosures:` as written: (file, title, classification, line) each.
    enclosures: tuple[tuple[str, str, str, int], ...] = ()
    portion_marking: bool = False
    lang: str = "en"
    paper: str = "a4"
    marking_scheme: str | None = None  # "us", "nato" or "uk"; None: US and NATO markings
    # Citations, as pandoc reads them (read/bibliography.py): the files, the
    # style (a file or a name briefing ships), and pandoc's options.
    bibliography: tuple[str, ...] = ()
    csl: str | None = None
    link_citations: bool = True
    link_bibliography: bool = True
    nocite: tuple[str, ...] = ()
    reference_section_title: str | None = None
    suppress_bibliography: bool = False
    type: str = "briefing"  # or a staff product: "memo"
    memo: Memo | None = None  # `type: memo`: its heading and closing
    # Source line of each key, so later checks can point at the front matter.
    key_lines: tuple[tuple[str, int], ...] = field(default=())

    @property
    def marked_title(self) -> str:
        """The title as plain text after its portion mark: "(U) Title"."""
        return f"({self.title_portion}) {self.title}" if self.title_portion else self.title

    @property
    def running_title(self) -> str:
        """The running header's title: the short title (the title when none)
        after its mark, or the title's when it has none of its own."""
        mark = self.short_title_portion or self.title_portion
        text = self.short_title or self.title
        return f"({mark}) {text}" if mark else text

    @property
    def draft(self) -> bool:
        """`status: draft` puts a DRAFT watermark on every page."""
        return (self.status or "").strip().lower() == "draft"

    def line_of(self, key: str) -> int | None:
        return dict(self.key_lines).get(key)


@dataclass(frozen=True, slots=True, kw_only=True)
class Footnote:
    """A footnote's text, numbered by its first reference."""

    number: int
    blocks: tuple[Block, ...]
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """A whole briefing: what every backend renders."""

    meta: Meta
    blocks: tuple[Block, ...]  # before the first heading
    sections: tuple[Section, ...]
    path: str  # as given by the user, for messages
    footnotes: tuple[Footnote, ...] = ()  # by number
    abbreviations: tuple[tuple[str, str], ...] = ()  # (abbreviation, expansion), sorted
    abbreviation_lines: tuple[tuple[str, int], ...] = ()  # (abbreviation, its `*[…]:` line)
    # With portion marks, each abbreviation's expansion's mark: its own, or
    # rolled up from the portions that use it.
    abbreviation_marks: tuple[tuple[str, str], ...] = ()
    source: str = ""  # the source text as read, which a PDF/A-3 carries as an attachment
    abstract: tuple[Block, ...] = ()  # Meta.abstract read as Markdown, shown under the title
    # Meta.title and Meta.subtitle read as Markdown where they hold markup
    # (their plain text is the Meta's); () where they read as their own text.
    title: tuple[Inline, ...] = ()
    subtitle: tuple[Inline, ...] = ()
    authors: tuple[tuple[Inline, ...], ...] = ()  # Meta.authors so read, one each, when one holds markup
    rollup: RollUp | None = None  # how the banner follows from the portion marks
    enclosures: tuple[Enclosure, ...] = ()  # PDFs appended to the PDF
    sources: Sources | None = None  # the bibliography and style read for the citations
    # The works cited, under "References" at the end (none when `::: {#refs}` has them).
    bibliography: Bibliography | None = None
    # The title was the text's first heading (a README's `#`): GitHub counts
    # it among the headings, so a later one of the same words is `#…-1` there.
    title_heading: bool = False

    def shown_title(self) -> tuple[Inline, ...]:
        """The title as a reader sees it on the page."""
        return self.title or (Text(text=self.meta.title),)

    def shown_subtitle(self) -> tuple[Inline, ...]:
        return self.subtitle or ((Text(text=self.meta.subtitle),) if self.meta.subtitle else ())

    def shown_authors(self) -> tuple[tuple[Inline, ...], ...]:
        return self.authors or tuple((Text(text=author),) for author in self.meta.authors)


@dataclass(frozen=True, slots=True, kw_only=True)
class Reference:
    """One bibliography entry as read, in CSL JSON (as text: the model is frozen)."""

    key: str
    csl: str  # the entry as CSL JSON
    path: str  # the file it came from, for messages
    line: int | None = None
    # Its `portion` field (BibTeX `portion = {U}`, CSL `portion: U`) as
    # written, kept out of `csl`: the entry's mark in a portion-marked briefing.
    portion: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Sources:
    """What the front matter's `bibliography`, `references` and `csl` gave."""

    references: tuple[Reference, ...]
    style: str  # the CSL style's XML, checked
    style_name: str
    note_style: bool  # `class="note"`: citations make footnotes


# The roll-up ----------------------------------------------------------------

@dataclass(frozen=True, slots=True, kw_only=True)
class RollUpSource:
    """A portion that calls for a part of the banner."""

    line: int | None
    mark: str  # as written, without brackets: "S//NF"
    what: str  # "paragraph", "title", "abbreviation CUI" ...
    path: str | None = None  # a portion in another file (a bibliography entry's): that file


@dataclass(frozen=True, slots=True, kw_only=True)
class RollUpPart:
    """One part of the banner and the portions it follows from."""

    part: str  # "level", "sci", "dissemination", "category" or "release"
    value: str  # as a banner writes it: "SECRET", "SI-G ABC", "NOFORN", "REL TO USA, GBR"
    rule: str  # the roll-up rule (markings/rules.py ROLL_UP), such as "level.highest"
    sources: tuple[RollUpSource, ...]
    # "ok": the banner says it; "missing": the portions need it and the
    # banner lacks it; "extra": the banner says more than the portions need.
    status: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RollUp:
    """How a banner follows from its portions, worked out by the portions
    pass for `briefing check --explain` and the build's report."""

    banner: str  # as the front matter gives it
    derived: str  # the banner the portions call for
    parts: tuple[RollUpPart, ...]
