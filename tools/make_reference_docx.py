"""Generate templates/docx/reference.docx, the style sheet of every DOCX.

The DOCX backend (pipeline/render/docx/) only names styles; this script is
where they look like something. It starts from python-docx's default
template and redefines, by name, the styles the backend uses (pandoc's names
where pandoc has one, so the file also works as a pandoc reference doc).
Lists get real Word numbering: one bullet and one decimal abstractNum with
nine levels, bound to `List Bullet*` and `List Number*`.

Run it again after a change and commit the result:

    .venv/bin/python tools/make_reference_docx.py
"""

from __future__ import annotations

import datetime as dt
import pathlib
import sys


import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm

from pipeline.render.docx.package import save, stable_zip

OUT = pathlib.Path(__file__).resolve().parent.parent / "templates" / "docx" / "reference.docx"

BODY_FONT = "Noto Serif"
BODY_SIZE = 11  # points, as the PDF's body (print/print.css)
# The PDF's line height, 1.45 em, in Word's 240ths of a single line: Word's
# single line of Noto Serif is its win ascent and descent, 1.362 em.
LINE = 256
HEAD_FONT = "Noto Sans"
MONO_FONT = "Noto Sans Mono"
SYMBOL_FONT = "DejaVu Sans"
NAVY = "1F3864"
INK = "1A1A1A"
GREY = "595959"
MUTED = "5A6470"  # theme.css --muted
RULE = "C9D1DA"  # theme.css --rule

# The title page: the head set down into the upper third (the PDF pads it
# 38 mm), the details' values in a column 32 mm from the margin.
TITLE_PAGE_TOP = 108  # points
LABEL_COLUMN = 1814  # twips, 32 mm

# Word substitutes fonts it does not have by these hints (family, pitch,
# PANOSE), so a reader without Noto still gets a serif, a sans and a mono.
FONT_HINTS = {
    BODY_FONT: ("roman", "variable", "02020600060500020200"),
    HEAD_FONT: ("swiss", "variable", "020B0502040504020204"),
    MONO_FONT: ("modern", "fixed", "020B0509030804020204"),
}

TEXT_WIDTH = 7824  # twips between the margins of an A4 page: 21 cm less 2 x 3.6 cm

# One step of list indentation; numbers and bullets hang in it.
STEP = 425  # twips, 0.75 cm

ADMONITIONS = {  # kind: (border colour, shading)
    "Note": ("2E5C8A", "EAF1F8"),
    "Tip": ("2E7D32", "EBF5EC"),
    "Important": ("8E1B1B", "FBECEC"),
    "Warning": ("B26A00", "FFF4E0"),
    "Caution": ("AD1457", "FCE4EC"),  # GitHub's [!CAUTION], Quarto's callout-caution
}

# Banner colours by marking level (markings.level_class names them).
BANNER_COLOURS = {
    **dict.fromkeys(("unclassified", "nato-unclassified", "official"), ("007A33", "FFFFFF")),
    **dict.fromkeys(("cui", "official-sensitive"), ("502B85", "FFFFFF")),
    **dict.fromkeys(("confidential", "nato-confidential", "nato-restricted"), ("0033A0", "FFFFFF")),
    **dict.fromkeys(("secret", "nato-secret"), ("C8102E", "FFFFFF")),
    **dict.fromkeys(("top-secret", "cosmic-top-secret"), ("FF8C00", "000000")),
    "sci": ("FCE83A", "000000"),
}

# Bullets per level, all three in Noto Serif (a fallback glyph can vanish).
BULLETS = ("\u2022", "\u2013", "\u2023")
NUMBER_FORMATS = ("decimal", "lowerLetter", "lowerRoman")
BULLET_NUM, NUMBER_NUM = 1, 2  # the w:num ids the list styles point at


def main() -> int:
    document = docx.Document()
    page_setup(document)
    drop_extras(document)
    defaults(document)
    numbering(document)
    styles(document)
    font_table(document)
    blank_properties(document)
    data = stable_zip(save(document))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(data)
    print(f"{OUT} ({len(data)} bytes)")
    return 0


# Package ------------------------------------------------------------------

def page_setup(document: docx.document.Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    # The PDF's page (print/print.css): a 138 mm column, about 72 characters
    # of 11 pt Noto Serif to a line, the measure a reader's eye wants.
    section.top_margin, section.bottom_margin = Cm(2.4), Cm(2.2)
    section.left_margin = section.right_margin = Cm(3.6)
    # The header (banner, running head) and the footer (banner, page number)
    # stay inside the margins, so the body keeps the PDF's 711 pt.
    section.header_distance = section.footer_distance = Cm(1.0)


def drop_extras(document: docx.document.Document) -> None:
    """Drop parts that would contradict ours or leak python-docx's defaults."""
    # Word 2010 may read stylesWithEffects.xml instead of styles.xml, and the
    # thumbnail shows python-docx's sample page in file browsers.
    unwanted = {"http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
                RT.THUMBNAIL, RT.CUSTOM_XML}
    for owner in (document.part, document.part.package):
        for rid, rel in list(owner.rels.items()):
            if rel.reltype in unwanted:
                del owner.rels[rid]
    settings = document.settings.element
    for tag in ("w:savePreviewPicture", "w:proofState", "w:rsids"):
        for child in settings.findall(qn(tag)):
            settings.remove(child)
    # python-docx's template says Word 2010 (14): current Word then opens
    # every briefing in "Compatibility Mode", with newer features off.
    # 15 is what Word 2013 to 365 write.
    for mode in settings.iterfind(f"{qn('w:compat')}/{qn('w:compatSetting')}[@{qn('w:name')}='compatibilityMode']"):
        mode.set(qn("w:val"), "15")
    # Over a hundred table styles nobody will pick from a briefing template.
    keep = {"TableNormal", "TableGrid"}
    root = document.styles.element
    for style in root.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:styleId")) not in keep:
            root.remove(style)


def blank_properties(document: docx.document.Document) -> None:
    props = document.core_properties
    props.title = props.author = props.subject = props.keywords = ""
    props.comments = "Reference styles for briefing DOCX output"
    props.last_modified_by = ""
    props.revision = 1
    props.created = props.modified = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def font_table(document: docx.document.Document) -> None:
    part = next(rel.target_part for rel in document.part.rels.values()
                if rel.reltype == RT.FONT_TABLE)
    root = parse_xml(part.blob)
    for name, (family, pitch, panose) in FONT_HINTS.items():
        root.append(parse_xml(
            f'<w:font {nsdecls("w")} w:name="{name}"><w:panose1 w:val="{panose}"/>'
            f'<w:charset w:val="00"/><w:family w:val="{family}"/>'
            f'<w:pitch w:val="{pitch}"/></w:font>'))
    # A generic Part keeps its bytes; python-docx has no font table API.
    part._blob = serialize_part_xml(root)


# Numbering ----------------------------------------------------------------

def numbering(document: docx.document.Document) -> None:
    """Replace the template's numbering with one bullet and one decimal list."""
    root = document.part.numbering_part.element
    for child in list(root):
        root.remove(child)
    root.append(abstract_num(0, "1B2C3D4E", bullet_level))
    root.append(abstract_num(1, "2C3D4E5F", number_level))
    root.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{BULLET_NUM}">'
                          '<w:abstractNumId w:val="0"/></w:num>'))
    root.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{NUMBER_NUM}">'
                          '<w:abstractNumId w:val="1"/></w:num>'))


def abstract_num(ident: int, nsid: str, level) -> object:
    levels = "".join(level(i) for i in range(9))
    return parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{ident}">'
        f'<w:nsid w:val="{nsid}"/><w:multiLevelType w:val="multilevel"/>'
        f'{levels}</w:abstractNum>')


def level_indent(i: int) -> str:
    return f'<w:pPr><w:ind w:left="{STEP * (i + 1)}" w:hanging="{STEP}"/></w:pPr>'


def bullet_level(i: int) -> str:
    return (f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
            f'<w:lvlText w:val="{BULLETS[i % 3]}"/><w:lvlJc w:val="left"/>'
            f'{level_indent(i)}</w:lvl>')


def number_level(i: int) -> str:
    return (f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/>'
            f'<w:numFmt w:val="{NUMBER_FORMATS[i % 3]}"/>'
            f'<w:lvlText w:val="%{i + 1}."/><w:lvlJc w:val="left"/>'
            f'{level_indent(i)}</w:lvl>')


# Styles -------------------------------------------------------------------

# Chinese, Japanese and Korean text in the Noto CJK face of each (Word
# takes w:eastAsia for those characters).
EAST_ASIAN = {BODY_FONT: "Noto Serif CJK SC", HEAD_FONT: "Noto Sans CJK SC",
              MONO_FONT: "Noto Sans Mono CJK SC"}


def fonts(name: str) -> str:
    return (f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{EAST_ASIAN.get(name, name)}" '
            f'w:cs="{name}"/>')


def size(points: float) -> str:
    half = round(points * 2)
    return f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'


def border(side: str, colour: str, eighths: int = 4, space: int = 1) -> str:
    return f'<w:{side} w:val="single" w:sz="{eighths}" w:space="{space}" w:color="{colour}"/>'


def spacing(before: float = 0, after: float = 0, line: int | None = None) -> str:
    """Spacing in points; line in 240ths of a line."""
    rule = f' w:line="{line}" w:lineRule="auto"' if line else ""
    return f'<w:spacing w:before="{round(before * 20)}" w:after="{round(after * 20)}"{rule}/>'


def defaults(document: docx.document.Document) -> None:
    """Document defaults: body font and size, no theme fonts (they would win),
    and widow control (no line of a paragraph alone at a page's foot or
    head, as in the PDF): Word's default when the defaults do not say is off."""
    root = document.styles.element
    doc_defaults = root.find(qn("w:docDefaults"))
    if doc_defaults is not None:
        root.remove(doc_defaults)
    root.insert(0, parse_xml(
        f'<w:docDefaults {nsdecls("w")}><w:rPrDefault><w:rPr>{fonts(BODY_FONT)}'
        f'{size(BODY_SIZE)}<w:lang w:val="en-US" w:eastAsia="en-US" w:bidi="ar-SA"/>'
        f'</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl/>{spacing(0, 6, LINE)}'
        '</w:pPr></w:pPrDefault></w:docDefaults>'))


def styles(document: docx.document.Document) -> None:
    para = WD_STYLE_TYPE.PARAGRAPH
    char = WD_STYLE_TYPE.CHARACTER
    head = fonts(HEAD_FONT)

    define(document, "Normal", para, None, "", f'<w:color w:val="{INK}"/>')
    # 9.5 pt between paragraphs, as the PDF's 0.8 rem; split before and after
    # so a list (tight items, nothing before) still ends with most of a gap.
    define(document, "Body Text", para, "Normal", spacing(3, 6.5, LINE), "")
    define(document, "First Paragraph", para, "Body Text", "", "")

    # Admonitions: a bordered, shaded run of paragraphs under a label.
    for name, (line, fill) in ADMONITIONS.items():
        define(document, name, para, "Body Text",
               # Top and bottom borders in the fill colour pad the box.
               f'<w:pBdr>{border("top", fill, 4, 4)}{border("left", line, 24, 8)}'
               f'{border("bottom", fill, 4, 4)}</w:pBdr>'
               f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
               f'{spacing(0, 6, LINE)}<w:ind w:left="227" w:right="113"/>', "")
        # The title inside the same box: Word draws one box round consecutive
        # paragraphs whose borders and indents are the same, as these inherit.
        define(document, f"{name} Title", para, name, f'<w:keepNext/>{spacing(0, 2, LINE)}',
               f'{head}<w:b/><w:color w:val="{line}"/>{size(10)}', name)
    # MkDocs' content tabs, one after the other: each title over its
    # content, ruled as the tab's edge.
    define(document, "Tab Title", para, "Normal",
           f'<w:keepNext/><w:pBdr>{border("bottom", NAVY, 6, 2)}</w:pBdr>{spacing(8, 4)}',
           f'{head}<w:b/><w:color w:val="{NAVY}"/>{size(10)}', "Body Text")
    define(document, "Admonition Title", para, "Normal",
           f'<w:keepNext/>{spacing(8, 2)}',
           f'{head}<w:b/><w:color w:val="{NAVY}"/>{size(10)}', "Note")

    # Title page and title block, as the PDF's (print/title-page.html.j2):
    # the organization in spaced capitals in the upper third, a large title,
    # the subtitle over an accent rule, then the details, labels in a
    # column of their own (a tab stop) and muted.
    define(document, "Organization", para, "Normal",
           f'<w:keepNext/>{spacing(TITLE_PAGE_TOP, 17, 240)}',
           f'{head}<w:b/><w:caps/><w:color w:val="{MUTED}"/><w:spacing w:val="16"/>{size(10)}',
           "Title")
    # Noto Sans's own line is 1.36 em: 85 % of it is the PDF's 1.15.
    define(document, "Title", para, "Normal", f'<w:keepNext/>{spacing(0, 11, 204)}',
           f'{head}<w:b/><w:color w:val="{NAVY}"/>{size(26)}', "Subtitle")
    # First, so that the Subtitle can name it as its next style.
    define(document, "Title Details", para, "Normal",
           f'<w:keepNext/><w:tabs><w:tab w:val="left" w:pos="{LABEL_COLUMN}"/></w:tabs>'
           f'{spacing(0, 5, 336)}<w:ind w:left="{LABEL_COLUMN}" w:hanging="{LABEL_COLUMN}"/>',
           f'{head}{size(10)}')
    define(document, "Subtitle", para, "Normal",
           f'<w:keepNext/><w:pBdr>{border("bottom", NAVY, 16, 22)}</w:pBdr>{spacing(0, 32, 240)}',
           f'{head}<w:color w:val="{MUTED}"/>{size(15)}', "Title Details")
    # Pandoc's names for the rows it reads as the document's metadata.
    for name in ("Author", "Date"):
        define(document, name, para, "Title Details", "", "", "Title Details")
    define(document, "Detail Label", char, None, "", f'<w:color w:val="{MUTED}"/>')
    # The front matter's abstract under the title, in pandoc's style names
    # (its DOCX reader takes `Abstract` paragraphs for the abstract).
    define(document, "Abstract Title", para, "Normal", f'<w:keepNext/>{spacing(12, 3, 240)}',
           f'{head}<w:b/><w:color w:val="{MUTED}"/>{size(10)}', "Abstract")
    define(document, "Abstract", para, "Body Text", f'{spacing(0, 5, 276)}<w:ind w:left="{STEP}" w:right="{STEP}"/>',
           size(10))
    # The banner's type is the body's size, as in the PDF and HTML: a marking
    # is never the smallest thing on the page.
    define(document, "Classification", para, "Normal",
           f'<w:jc w:val="center"/>{spacing(0, 0)}',
           f'{head}<w:b/><w:caps/><w:color w:val="{INK}"/><w:spacing w:val="12"/>{size(BODY_SIZE)}')
    # The banner's colour by level, as in the HTML and PDF (style.css); the
    # DOCX backend picks `Classification <level>` and falls back to the above.
    for level, (fill, ink) in BANNER_COLOURS.items():
        define(document, f"Classification {level}", para, "Classification",
               f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>', f'<w:color w:val="{ink}"/>')
    # Marking blocks on the first page: the CUI designation indicator and the
    # classification authority block boxed (Word draws one box round
    # consecutive bordered paragraphs), the distribution statement plain.
    box = "".join(border(side, INK, 4, 4) for side in ("top", "left", "bottom", "right"))
    # Space above a box, none between its lines (contextual spacing).
    define(document, "Marking Block", para, "Normal",
           f'<w:keepNext/><w:keepLines/><w:pBdr>{box}</w:pBdr>{spacing(12, 0, 240)}'
           '<w:ind w:left="113" w:right="4536"/><w:contextualSpacing/>', f'{head}{size(8.5)}')
    define(document, "Distribution Statement", para, "Normal",
           f'<w:keepLines/>{spacing(8, 8, 240)}', f'{head}{size(8.5)}')
    # A memorandum (type: memo) as AR 25-50 lays it out on US Letter with
    # 1-inch margins (6.5 inches of text): the letterhead centred, the office
    # symbol with the date flush right (a right tab at the margin), MEMORANDUM
    # FOR with its addressees aligned after it, the signature block from the
    # middle of the column on the fifth line below the text, the Encl list
    # level with it at the left margin (a tab between them).
    memo_width, memo_middle, memo_for = 9360, 4680, 2880
    define(document, "Memo Department", para, "Normal", f'<w:jc w:val="center"/>{spacing(0, 0)}',
           f'{head}<w:b/><w:caps/>{size(12)}', "Memo Letterhead")
    define(document, "Memo Letterhead", para, "Normal", f'<w:jc w:val="center"/>{spacing(0, 0)}',
           f'{head}{size(12)}')  # as the PDF's (memo/print.css): the body's size
    define(document, "Memo Office Symbol", para, "Normal",
           f'<w:tabs><w:tab w:val="right" w:pos="{memo_width}"/></w:tabs>{spacing(28, 28)}',
           f'{head}{size(12)}', "Memo For")
    define(document, "Memo For", para, "Normal",
           f'<w:tabs><w:tab w:val="left" w:pos="{memo_for}"/></w:tabs>{spacing(0, 14)}'
           f'<w:ind w:left="{memo_for}" w:hanging="{memo_for}"/>', f'{head}{size(12)}', "Memo Subject")
    define(document, "Memo From", para, "Normal", spacing(0, 14), f'{head}{size(12)}', "Memo Subject")
    define(document, "Memo Subject", para, "Normal", f'<w:keepNext/>{spacing(0, 14)}',
           f'{head}{size(12)}', "Body Text")
    define(document, "Memo Signature", para, "Normal",
           f'<w:keepNext/><w:keepLines/><w:tabs><w:tab w:val="left" w:pos="{memo_middle}"/></w:tabs>'
           f'{spacing(0, 0)}', f'{head}{size(12)}')
    define(document, "Memo Signature First", para, "Memo Signature", spacing(56, 0), "", "Memo Signature")
    define(document, "Memo Distribution", para, "Normal", f'<w:keepNext/>{spacing(0, 0)}',
           f'{head}{size(12)}')
    define(document, "Memo Distribution Heading", para, "Memo Distribution", f'<w:keepNext/>{spacing(14, 0)}',
           "", "Memo Distribution")
    # The Tongue and Quill's and DoDM 5110.04's memoranda (style: usaf, osd):
    # the date alone, flush right; the attachments at the left margin below
    # the signature block.
    define(document, "Memo Date", para, "Normal", f'<w:jc w:val="right"/>{spacing(28, 28)}',
           f'{head}{size(12)}', "Memo For")
    define(document, "Memo Attachments Heading", para, "Normal", f'<w:keepNext/>{spacing(28, 0)}',
           f'{head}{size(12)}', "Memo Attachments")
    define(document, "Memo Attachments", para, "Normal", f'<w:keepNext/>{spacing(0, 0)}',
           f'{head}{size(12)}', "Memo Attachments")
    # Staff papers (information, decision): office symbol and date at the
    # top right, the paper's name centred, the decision line and who
    # prepared it at the foot.
    define(document, "Paper Symbol", para, "Normal", f'<w:jc w:val="right"/>{spacing(0, 0)}',
           f'{head}{size(12)}', "Paper Symbol")
    define(document, "Paper Title", para, "Normal", f'<w:keepNext/><w:jc w:val="center"/>{spacing(28, 0)}',
           f'{head}<w:b/><w:caps/>{size(12)}', "Memo Subject")
    define(document, "Paper For", para, "Normal", f'<w:keepNext/><w:jc w:val="center"/>{spacing(0, 14)}',
           f'{head}{size(12)}', "Memo Subject")
    define(document, "Paper Decision", para, "Normal", f'<w:keepNext/>{spacing(28, 14)}',
           f'{head}{size(12)}')
    define(document, "Paper Tab", para, "Normal", spacing(0, 0), f'{head}{size(12)}')
    define(document, "Paper Prepared Line", para, "Normal", spacing(14, 0), f'{head}{size(12)}')
    define(document, "Paper Prepared", para, "Normal", f'<w:jc w:val="right"/>{spacing(14, 0)}',
           f'{head}{size(12)}')
    # A loose minute (JSP 101) on A4 with 25 mm margins (160 mm of text): the
    # file reference and date a clear line below the protective marking, the
    # addressees, Copy to, the subject in bold capitals (not underlined),
    # the signature block from the middle of the column, four lines below
    # the text for the signature.
    minute_middle = 4535  # 80 mm in twips
    define(document, "Minute Reference", para, "Normal", spacing(14, 0), f'{head}{size(12)}', "Minute Date")
    define(document, "Minute Date", para, "Normal", spacing(0, 28), f'{head}{size(12)}', "Minute Addressee")
    define(document, "Minute Addressee", para, "Normal", spacing(0, 0), f'{head}{size(12)}', "Minute Addressee")
    define(document, "Minute Copy To Heading", para, "Normal", f'<w:keepNext/>{spacing(14, 0)}',
           f'{head}{size(12)}', "Minute Copy To")
    define(document, "Minute Copy To", para, "Normal", spacing(0, 0), f'{head}{size(12)}', "Minute Copy To")
    define(document, "Minute Subject", para, "Normal", f'<w:keepNext/>{spacing(14, 14)}',
           f'{head}<w:b/><w:caps/>{size(12)}', "Body Text")
    define(document, "Minute Signature", para, "Normal",
           f'<w:keepNext/><w:keepLines/>{spacing(0, 0)}<w:ind w:left="{minute_middle}"/>', f'{head}{size(12)}')
    define(document, "Minute Signature First", para, "Minute Signature", spacing(56, 0), "", "Minute Signature")
    define(document, "Minute Enclosures Heading", para, "Normal", f'<w:keepNext/>{spacing(28, 0)}',
           f'{head}{size(12)}', "Minute Enclosures")
    define(document, "Minute Enclosures", para, "Normal", spacing(0, 0), f'{head}{size(12)}')
    # A staff product's later pages (AR 25-50, JSP 101): under the banner the
    # office symbol (or file reference) and SUBJECT at the left margin, the
    # first 1 inch from the page's top (the header starts 1 cm down, the
    # banner's line above it), in the body's type; an empty one after them
    # is the blank line before the text. The page number centred at the
    # foot in the body's type, on later pages only.
    define(document, "Memo Continuation", para, "Normal", spacing(0, 0), f'{head}{size(12)}',
           "Memo Continuation")
    define(document, "Memo Continuation First", para, "Memo Continuation", spacing(28, 0), "",
           "Memo Continuation")
    define(document, "Memo Page Number", para, "Normal", f'<w:jc w:val="center"/>{spacing(2, 0)}',
           f'{head}{size(12)}')
    # The running head (the short title) under the top banner.
    define(document, "Header", para, "Normal", spacing(2, 0),
           f'{head}<w:color w:val="{GREY}"/>{size(8)}')
    # The page number line under the bottom banner.
    define(document, "Footer", para, "Normal",
           f'<w:jc w:val="center"/>{spacing(2, 0)}',
           f'{head}<w:color w:val="{GREY}"/>{size(8)}')

    # Headings: one sober family, size and space mark the level.
    # The PDF's and the HTML's (style.css, print.css): Heading 1 is their h2
    # (the title is their h1), its rule under it as theirs.
    sizes = (15, 12.5, 11, 11, 11, 11)
    before = (26, 22, 18, 14, 14, 14)
    after = (7, 6, 5, 4, 4, 4)
    for level, (points, space, below) in enumerate(zip(sizes, before, after), start=1):
        italic = "<w:i/>" if level == 6 else ""
        rule = f'<w:pBdr>{border("bottom", RULE, 6, 3)}</w:pBdr>' if level == 1 else ""
        define(document, f"Heading {level}", para, "Normal",
               f'<w:keepNext/><w:keepLines/>{rule}{spacing(space, below, 240)}'
               f'<w:outlineLvl w:val="{level - 1}"/>',
               f'{head}<w:b/>{italic}<w:color w:val="{NAVY}"/>{size(points)}',
               "Body Text")

    # Lists: the styles carry the numbering, paragraphs carry numId/ilvl.
    # Body text splits its space before and after, so a list (tight items,
    # nothing before) still ends with nearly a paragraph's gap.
    for depth in (1, 2, 3):
        suffix = "" if depth == 1 else f" {depth}"
        for kind, num in (("Bullet", BULLET_NUM), ("Number", NUMBER_NUM)):
            define(document, f"List {kind}{suffix}", para, "Body Text",
                   f'<w:numPr><w:ilvl w:val="{depth - 1}"/><w:numId w:val="{num}"/>'
                   f'</w:numPr>{spacing(0, 3)}', "")
        define(document, f"List Continue{suffix}", para, "Body Text",
               f'{spacing(0, 3)}<w:ind w:left="{STEP * depth}"/>', "")

    # `numbering: military` (AR 25-50): a paragraph style per level, each
    # a quarter inch further in on its first line only; the writer binds
    # them to one multilevel list (1. a. (1) (a) 1 a), and Enter after one
    # makes another, numbered too.
    for level in range(1, 7):
        define(document, f"Numbered Paragraph {level}", para, "Body Text",
               f'<w:ind w:left="0" w:firstLine="{360 * (level - 1)}"/>', "",
               f"Numbered Paragraph {level}")

    # Quotes as the HTML and PDF set them (style.css): upright, muted, a rule
    # at the left; the attribution right-aligned and italic.
    define(document, "Quote", para, "Body Text",
           f'<w:pBdr>{border("left", RULE, 18, 10)}</w:pBdr>'
           f'<w:ind w:left="{STEP}" w:right="{STEP}"/>',
           f'<w:color w:val="{MUTED}"/>')
    define(document, "Quote Attribution", para, "Body Text",
           f'<w:jc w:val="right"/><w:ind w:left="{STEP}" w:right="{STEP}"/>',
           f'<w:i/><w:color w:val="{MUTED}"/>')
    define(document, "Definition Term", para, "Body Text", f'<w:keepNext/>{spacing(4, 0)}',
           f'{head}<w:b/>', "Definition")
    define(document, "Definition", para, "Body Text", f'{spacing(0, 4)}<w:ind w:left="{STEP}"/>', "")
    # The list of abbreviations at the end of a briefing. Its heading is a
    # Heading 1 (outline level 1: the Navigation pane, the contents, and
    # pandoc reads it as a heading) that a numbered briefing does not number.
    define(document, "Abbreviations Heading", para, "Heading 1",
           '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>', "", "Abbreviation")
    define(document, "Abbreviation", para, "Body Text",
           f'<w:tabs><w:tab w:val="left" w:pos="1701"/></w:tabs>{spacing(0, 2)}'
           '<w:ind w:left="1701" w:hanging="1701"/>', "")
    # The bibliography (citations, pipeline/render/docx/bibliography.py):
    # Word's own `Bibliography` style, each entry hanging by 0.5 in as
    # Chicago, APA and Harvard set them; its heading as the abbreviations'.
    define(document, "Bibliography Heading", para, "Heading 1",
           '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>', "", "Bibliography")
    define(document, "Bibliography", para, "Body Text",
           f'{spacing(0, 6)}<w:ind w:left="720" w:hanging="720"/>', "")
    define(document, "Source Code", para, "Normal",
           f'<w:pBdr>{border("top", "D9D9D9", 4, 4)}{border("left", "D9D9D9", 4, 4)}'
           f'{border("bottom", "D9D9D9", 4, 4)}{border("right", "D9D9D9", 4, 4)}</w:pBdr>'
           f'<w:shd w:val="clear" w:color="auto" w:fill="F5F6F8"/>'
           f'{spacing(4, 10, 240)}<w:ind w:left="85" w:right="85"/>',
           f'{fonts(MONO_FONT)}{size(9)}')
    define(document, "Rule", para, "Normal",
           f'<w:pBdr>{border("bottom", "A6A6A6", 6, 1)}</w:pBdr>{spacing(6, 12, 240)}',
           size(4))

    # Tables: captions above them, cells in Compact, the look in "Table".
    # Figure and table captions in one style, as the HTML's and PDF's: the
    # words plain, the label ("Table 1:") bold in the accent colour.
    define(document, "Caption", para, "Normal", f'<w:keepNext/>{spacing(6, 6, 240)}',
           f'{head}<w:color w:val="{INK}"/>{size(9.5)}', "Body Text")
    define(document, "Caption Label", char, None, "", f'<w:b/><w:color w:val="{NAVY}"/>')
    define(document, "Compact", para, "Normal", spacing(1, 1, 240), "")
    # A figure's paragraph: at the left edge as its caption, kept with it.
    define(document, "Figure", para, "Normal", f'<w:keepNext/>{spacing(10, 2, 240)}', "")
    table_style(document)

    # Table of contents: Word's own TOC styles, dot leaders to the page number.
    # Not based on Heading 1: readers (pandoc) would take it for a heading.
    define(document, "TOC Heading", para, "Normal", f'<w:keepNext/>{spacing(12, 6, 240)}',
           f'{head}<w:b/><w:color w:val="{NAVY}"/>{size(13.5)}', "Body Text")
    for level in (1, 2, 3):
        bold = "<w:b/>" if level == 1 else ""
        define(document, f"TOC {level}", para, "Normal",
               f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
               f'{spacing(4 if level == 1 else 0, 2)}<w:ind w:left="{(level - 1) * 240}"/>',
               f'{head}{bold}{size(10)}', "Body Text")

    # Footnotes.
    define(document, "Footnote Text", para, "Normal", spacing(0, 2, 240), size(8.5))
    define(document, "Footnote Reference", char, None, "", '<w:vertAlign w:val="superscript"/>')

    # Character styles.
    define(document, "Emphasis", char, None, "", "<w:i/>")
    define(document, "Strong", char, None, "", "<w:b/>")
    define(document, "Portion Mark", char, None, "", f"{head}<w:b/>")
    # A task list's ☐ and ☑, in a font that has them (LibreOffice would
    # otherwise take ☑ from a colour emoji font and draw nothing).
    define(document, "Task Box", char, None, "", fonts(SYMBOL_FONT))
    define(document, "Verbatim Char", char, None, "",
           f'{fonts(MONO_FONT)}{size(9.5)}')
    define(document, "Hyperlink", char, None, "",
           '<w:color w:val="1F4E9A"/><w:u w:val="single"/>')


def table_style(document: docx.document.Document) -> None:
    """`Table`, pandoc's name: rules above, below and under the header row,
    hairlines between rows, the heading font at 9 pt."""
    root = document.styles.element
    for old in root.xpath('w:style[@w:styleId="Table"]'):
        root.remove(old)
    root.append(parse_xml(
        f'<w:style {nsdecls("w")} w:type="table" w:styleId="Table">'
        '<w:name w:val="Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
        '<w:qFormat/>'
        f'<w:pPr>{spacing(0, 0, 240)}</w:pPr>'
        f'<w:rPr>{fonts(HEAD_FONT)}{size(9)}</w:rPr>'
        '<w:tblPr><w:tblBorders>'
        f'{border("top", NAVY, 8, 0)}{border("bottom", NAVY, 8, 0)}'
        f'{border("insideH", "C9D1DA", 4, 0)}'
        '</w:tblBorders><w:tblCellMar>'
        '<w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
        '</w:tblCellMar></w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr>'
        f'<w:tcPr><w:tcBorders>{border("bottom", NAVY, 12, 0)}</w:tcBorders></w:tcPr>'
        '</w:tblStylePr>'
        '</w:style>'))


# The order CT_PPrBase and CT_RPr (ECMA-376 Part 1, 17.3.1.26 and 17.3.2.28)
# give their children: Word may refuse or "repair" a style whose properties
# stand in another order, so `define` sorts what it is given into this one.
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
             "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
             "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
             "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
             "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
             "sectPr", "pPrChange")
RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
             "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish",
             "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight",
             "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang",
             "eastAsianLayout", "specVanish", "oMath")


def in_schema_order(properties, order: tuple[str, ...]):
    """`properties` (a w:pPr or w:rPr) with its children in `order`."""
    rank = {qn(f"w:{name}"): index for index, name in enumerate(order)}
    children = sorted(properties, key=lambda child: rank[child.tag])  # stable; unknown: KeyError
    for child in children:
        properties.append(child)  # lxml moves it to the end
    return properties


def define(document, name: str, kind, based_on: str | None,
           ppr: str, rpr: str, next_style: str | None = None) -> None:
    """Create or redefine a style from scratch: no inherited theme leftovers."""
    styles = document.styles
    style = styles[name] if name in styles else styles.add_style(name, kind)
    element = style.element
    for tag in ("w:pPr", "w:rPr", "w:link", "w:next"):
        for child in element.findall(qn(tag)):
            element.remove(child)
    style.base_style = styles[based_on] if based_on else None
    if next_style:
        style.next_paragraph_style = styles[next_style] if next_style in styles else None
    style.hidden = style.unhide_when_used = False
    style.quick_style = True
    if kind == WD_STYLE_TYPE.PARAGRAPH:
        element.append(in_schema_order(parse_xml(f'<w:pPr {nsdecls("w")}>{ppr}</w:pPr>'), PPR_ORDER))
    element.append(in_schema_order(parse_xml(f'<w:rPr {nsdecls("w")}>{rpr}</w:rPr>'), RPR_ORDER))


if __name__ == "__main__":
    sys.exit(main())
