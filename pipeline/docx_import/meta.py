"""The front matter of an imported DOCX.

From our own DOCX: what a reviewer sees and may have edited comes from the
page (the Title, Subtitle, Date, Author paragraphs and the detail rows);
the classification and every marking key from the custom document
properties (File > Properties > Custom) the writer set; the rest from the
core properties, the page size, the contents and the heading numbering;
what nothing shows (`marking_scheme` as written, `title_page`,
`short_title`) from the import hints.

From any other Word file: the core properties (title, author, subject,
keywords, language) and pandoc's Title, Subtitle, Author and Date
paragraphs start it; a classification comes from a `Classification`
property, or a category that is a marking, never from a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from pipeline.docx_import.changes import words
from pipeline.docx_import.staff import HEAD_STYLES, Staff, staff_front
from pipeline.docx_import.structure import visible
from pipeline.docx_import.tree import Para, Read

# Paragraph styles that belong to the front of the document (lower case).
FRONT_STYLES = ("organization", "title", "subtitle", "date", "author", "title details", "marking block",
                "distribution statement", "abstract title", "abstract", "toc heading")
# The custom properties our writer sets, and the keys they are.
PROPERTY_KEYS = (("Classification", "classification"), ("ClassifiedBy", "classified_by"),
                 ("DerivedFrom", "derived_from"), ("ClassificationReason", "classification_reason"),
                 ("DeclassifyOn", "declassify_on"), ("Dissemination", "dissemination"),
                 ("Distribution", "distribution"), ("DistributionReason", "distribution_reason"),
                 ("DistributionDate", "distribution_date"), ("ControllingOffice", "controlling_office"))
# The order keys are written in: the schema's (read/frontmatter.py).
ORDER = ("type", "style", "title", "subject", "reference", "subtitle", "short_title", "classification", "marking_scheme", "portion_marking",
         "date", "letterhead", "office_symbol", "memo_for", "addressees", "from", "references", "signature", "version", "status", "authors", "organization", "poc", "classified_by", "derived_from",
         "classification_reason", "declassify_on", "controlled_by", "cui_category", "dissemination",
         "distribution", "distribution_reason", "distribution_date", "controlling_office", "keywords",
         "lang", "paper", "title_page", "toc", "numbering", "bibliography", "csl", "link_citations",
         "link_bibliography", "nocite", "reference_section_title", "suppress_bibliography", "enclosures",
         "distribution_list", "cf", "copy_to", "prepared_by", "approved_by", "abstract")
LETTER_WIDTH = 12240  # twips: 8.5 in
TITLE_PAGE_WORDS = 1000  # transform/title_page.py's choice


@dataclass
class Front:
    """The paragraphs before the body, by what they hold."""
    title: Para | None = None
    subtitle: Para | None = None
    date: Para | None = None
    authors: list[Para] = field(default_factory=list)
    details: list[Para] = field(default_factory=list)
    organization: Para | None = None
    abstract: list[Para] = field(default_factory=list)
    toc: bool = False
    staff: list[Para] = field(default_factory=list)  # a staff product's heading (docx_import/staff.py)
    title_page: bool = False  # a page break ended the front


def split_front(body: list, ours: bool) -> tuple[Front, list]:
    """The leading paragraphs in the front's styles, and the body after them."""
    front = Front()
    index = 0
    while index < len(body):
        block = body[index]
        if not isinstance(block, Para):
            break
        style = block.style.lower()
        if block.page_break and not visible(block.inlines).strip():
            front.title_page = True
        elif "TOC" in block.fields or style.startswith("toc "):
            front.toc = True
        elif style == "title" and front.title is None:
            front.title = block
        elif style == "subtitle" and front.subtitle is None:
            front.subtitle = block
        elif style == "date" and front.date is None:
            front.date = block
        elif style == "author":
            front.authors.append(block)
        elif style == "title details":
            front.details.append(block)
        elif style == "organization":
            front.organization = block
        elif style == "abstract":
            front.abstract.append(block)
        elif style in HEAD_STYLES:
            front.staff.append(block)
        elif style in FRONT_STYLES:
            pass
        elif not visible(block.inlines).strip() and not block.inlines and not ours and not block.numbering:
            pass  # an empty paragraph among a title page's
        else:
            break
        index += 1
    return front, body[index:]


def value_after_label(para: Para) -> str:
    """A detail row's value: what follows the tab after its label (the
    label is a QUOTE field or in `Detail Label`, already left out)."""
    text = words(para.inlines)
    return (text.split("\t", 1)[1] if "\t" in text else text).strip()


def front_matter(read: Read, front: Front, labels: dict[str, str], ours: bool, toc: bool,
                 abstract: str | None, word_count: int = 0, staff: Staff | None = None) -> list[tuple[str, object]]:
    """(key, value) in the schema's order."""
    props, core, hints = read.properties, read.core, read.hints.get("front", {})
    found: dict[str, object] = {}
    title = words(front.title.inlines).strip() if front.title else ""
    found["title"] = " ".join(title.split()) or core.get("title", "")
    if front.subtitle is not None and visible(front.subtitle.inlines).strip():
        found["subtitle"] = " ".join(words(front.subtitle.inlines).split())
    elif not ours and core.get("subject") and core.get("subject") != found["title"]:
        found["subtitle"] = core["subject"]
    for name, key in PROPERTY_KEYS:
        if props.get(name):
            found[key] = props[name]
    if "classification" not in found and not ours:
        found.update(foreign_classification(read))
    if props.get("CUICategory"):
        found["cui_category"] = [part.strip() for part in props["CUICategory"].split(",") if part.strip()]
    if props.get("ControlledBy"):
        found["controlled_by"] = [part.strip() for part in props["ControlledBy"].split(";") if part.strip()]
    if props.get("PortionMarking") == "true":
        found["portion_marking"] = True
    if "marking_scheme" in hints:
        found["marking_scheme"] = hints["marking_scheme"]
    if front.date is not None and value_after_label(front.date):
        found["date"] = value_after_label(front.date)
    elif props.get("DocumentDate"):
        found["date"] = props["DocumentDate"]
    authors = authors_of(front, core, ours)
    if authors:
        found["authors"] = authors
    details = details_of(front, labels)
    if front.organization is not None and visible(front.organization.inlines).strip():
        found["organization"] = words(front.organization.inlines).strip()
    elif "organization" in details:
        found["organization"] = details["organization"]
    elif props.get("Organization"):
        found["organization"] = props["Organization"]
    for key in ("version", "status", "poc"):
        if key in details:
            found[key] = details[key]
    if "version" not in found and core.get("version"):
        found["version"] = core["version"]
    if "status" not in found and core.get("contentStatus"):
        found["status"] = core["contentStatus"]
    if "poc" not in found and props.get("PointOfContact"):
        found["poc"] = props["PointOfContact"]
    written = core.get("keywords", "")
    classification = str(found.get("classification", ""))
    if ours and classification and written.startswith(classification):  # it has commas of its own
        written = written[len(classification):].lstrip(", ")
    keywords = [k.strip() for k in written.split(",") if k.strip()]
    if keywords:
        found["keywords"] = keywords
    language = hints.get("lang") or core.get("language", "")
    if language and (language != "en" or "lang" in hints) and re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", language):
        found["lang"] = language
    if "paper" in hints:
        found["paper"] = hints["paper"]
    elif abs(read.page[0] - LETTER_WIDTH) < 20:
        found["paper"] = "letter"
    if "short_title" in hints:
        found["short_title"] = hints["short_title"]
    if "title_page" in hints:
        found["title_page"] = hints["title_page"]
    elif ours and front.title_page != (word_count > TITLE_PAGE_WORDS):
        # No hints (LibreOffice keeps none): the page break after the title
        # says it, where the length alone would choose otherwise.
        found["title_page"] = front.title_page
    if toc:
        found["toc"] = True
    if isinstance(hints.get("numbering"), str):
        found["numbering"] = hints["numbering"]  # military
    elif read.numbered_headings:
        found["numbering"] = True
    for key in ("bibliography", "csl", "link_citations", "link_bibliography", "nocite",
                "reference_section_title", "suppress_bibliography", "enclosures"):
        if key in hints:
            found[key] = hints[key]
    enclosures = found.get("enclosures")
    if isinstance(enclosures, list):  # one only listed (a memo's Encl) is its title
        found["enclosures"] = [item["title"] if isinstance(item, dict) and not item.get("file")
                               and isinstance(item.get("title"), str) else item for item in enclosures]
    if abstract:
        found["abstract"] = abstract
    staff_front(found, read.hints, props, staff or Staff())
    return [(key, found[key]) for key in ORDER if key in found and found[key] not in ("", [], None)]


def authors_of(front: Front, core: dict[str, str], ours: bool) -> list[str]:
    """The authors as written: our Author row joins them with ", ", the
    core property with "; " (a name may hold a comma: "Smith, J.")."""
    rows = [value_after_label(p) for p in front.authors if value_after_label(p)]
    creator = [name.strip() for name in core.get("creator", "").split(";") if name.strip()]
    if ours and rows:
        if creator and ", ".join(creator) == rows[0]:
            return creator
        return [name.strip() for name in rows[0].split(", ") if name.strip()]
    if rows:  # pandoc writes an Author paragraph per author
        return rows
    return creator


def details_of(front: Front, labels: dict[str, str]) -> dict[str, str]:
    """The title block's rows by their label: organization, version (and
    status after it, in brackets), status, point of contact."""
    by_label = {labels.get(key, key).lower(): key for key in ("organization", "version", "status", "poc")}
    found: dict[str, str] = {}
    for para in front.details:
        text = words(para.inlines)
        label, _, value = text.partition("\t")
        key = by_label.get(label.strip().lower())
        value = value.strip()
        if key is None or not value:
            continue
        if key == "version" and (status := re.search(r"\s*\(([^()]*)\)$", value)):
            found["status"] = status[1]
            value = value[:status.start()]
        found[key] = value
    # The label is a field or a character style we left out: the value alone.
    return found


def foreign_classification(read: Read) -> dict[str, object]:
    from pipeline.markings.rules import read_banner

    for candidate in (read.properties.get("Classification", ""), read.core.get("category", "")):
        if candidate and read_banner(candidate.strip().upper(), None) is not None:
            return {"classification": candidate.strip().upper()}
    return {}


# YAML ------------------------------------------------------------------------------

TIMESTAMP = "tag:yaml.org,2002:timestamp"


def scalar(value: object) -> str:
    """A value as YAML our front matter reads back the same: plain where
    that is safe, quoted otherwise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if plain(text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def plain(text: str) -> bool:
    if not text or text != text.strip() or "\n" in text or text.startswith(("#", "- ", "? ", ": ")):
        return False
    resolver = yaml.resolver.Resolver()
    tag = resolver.resolve(yaml.ScalarNode, text, (True, False))
    if tag == TIMESTAMP:
        return True  # read as written (read/frontmatter.py written_value)
    try:
        return yaml.safe_load(f"key: {text}") == {"key": text}
    except yaml.YAMLError:
        return False


def to_yaml(pairs: list[tuple[str, object]]) -> str:
    lines = ["---"]
    for key, value in pairs:
        if key == "classification" and not value:
            continue
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            lines.append(f"{key}:")  # a list of mappings (enclosures)
            for item in value:
                pairs_of = [(k, v) for k, v in item.items() if isinstance(k, str) and isinstance(v, (str, bool))]
                for index, (name, entry) in enumerate(pairs_of):
                    lines.append(("  - " if index == 0 else "    ") + f"{name}: {scalar(entry)}")
        elif isinstance(value, dict):  # a mapping of text (a memo's signature)
            lines.append(f"{key}:")
            lines.extend(f"  {name}: {scalar(entry)}" for name, entry in value.items()
                         if isinstance(name, str) and isinstance(entry, (str, bool)))
        elif isinstance(value, list):
            items = [scalar(item) for item in value]
            flow = f"[{', '.join(items)}]"
            if all(plain(str(item)) and "," not in str(item) and not str(item).startswith(("[", "{"))
                   for item in value) and len(flow) + len(key) < 90:
                lines.append(f"{key}: {flow}")
            else:
                lines.append(f"{key}:")
                lines.extend(f"  - {item}" for item in items)
        elif key == "abstract":
            lines.append("abstract: |")
            lines.extend(("  " + line) if line else "" for line in str(value).split("\n"))
        else:
            lines.append(f"{key}: {scalar(value)}")
    if not any(key == "classification" and value for key, value in pairs):
        lines.append("# classification: the Word file names none; give the briefing's marking here")
    lines.append("---")
    return "\n".join(lines) + "\n"
