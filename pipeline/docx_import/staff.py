"""A staff product's DOCX (front matter `type: memo`, `info-paper`,
`decision-paper`, `point-paper`, `talking-paper`; render/docx/memo.py)
brought back: the parts the type generates (letterhead, office symbol and
date, MEMORANDUM FOR, FROM, SUBJECT, a loose minute's reference, date,
addressees, Copy to and SUBJECT, the references as paragraph 1, the
signature block and Encl list, DISTRIBUTION, CF, the paper's name, the
decision line, the tabs, Prepared by) are known by their styles and left
out of the body; the typed front-matter keys they were made from come back
instead: from the page where a reviewer can edit them (the subject, the
references, the office symbol's document property), the others from the
import hints (render/docx/memo.py import_hints)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.docx_import.changes import words
from pipeline.docx_import.tree import Para

# The generated parts' paragraph styles (tools/make_reference_docx.py), lower case.
HEAD_STYLES = ("memo department", "memo letterhead", "memo office symbol", "memo date", "memo for",
               "memo from", "memo subject", "paper symbol", "paper title", "paper for",
               "minute reference", "minute date", "minute addressee", "minute copy to heading",
               "minute copy to", "minute subject")
CLOSING_STYLES = ("memo signature", "memo signature first", "memo attachments heading", "memo attachments",
                  "memo distribution", "memo distribution heading", "paper decision", "paper tab",
                  "paper prepared line", "paper prepared", "minute signature", "minute signature first",
                  "minute enclosures heading", "minute enclosures")
SUBJECT_STYLES = ("memo subject", "minute subject")
# The typed keys (read/staff.py SCHEMA), as the hints keep them.
KEYS = ("type", "style", "subject", "reference", "letterhead", "office_symbol", "memo_for", "addressees",
        "from", "references", "signature", "distribution_list", "cf", "copy_to", "prepared_by",
        "approved_by")
ONE_PAGE = ("point-paper", "talking-paper")  # bullets: no military numbering by default
REFERENCES = re.compile(r"(\([A-Z][A-Z0-9/ -]*\)\s*)?References:\s*$")
REFERENCE = re.compile(r"(\([A-Z][A-Z0-9/ -]*\)\s*)?Reference:\s+(\S.*)$")  # one, on its line


@dataclass
class Staff:
    """What the page says of a staff product's typed keys."""
    subject: str | None = None
    references: list[str] = field(default_factory=list)


def staff_hints(hints: dict) -> dict:
    front = hints.get("front")
    return front if isinstance(front, dict) and isinstance(front.get("type"), str) else {}


def staff_body(head: list[Para], body: list, hints: dict, labels: dict[str, str]) -> tuple[list, Staff]:
    """The body without the generated parts, and what the head and the
    references say."""
    found = Staff()
    label = labels.get("memo_subject", "SUBJECT:")
    for para in head:
        if para.style.lower() in SUBJECT_STYLES:
            text = " ".join(words(para.inlines).split())
            found.subject = text.removeprefix(label).strip() or None
    body = [b for b in body if not (isinstance(b, Para) and b.style.lower() in CLOSING_STYLES)]
    if "references" in staff_hints(hints) and body and isinstance(body[0], Para) \
            and body[0].numbering is not None and REFERENCES.match(words(body[0].inlines).strip()):
        numbered, level = body[0].numbering
        index = 1
        while index < len(body) and isinstance(item := body[index], Para) and item.numbering is not None \
                and item.numbering[0] == numbered and item.numbering[1] > level:
            found.references.append(" ".join(words(item.inlines).split()))
            index += 1
        if found.references:
            body = body[index:]
    elif "references" in staff_hints(hints) and body and isinstance(body[0], Para) \
            and body[0].numbering is not None \
            and (one := REFERENCE.match(" ".join(words(body[0].inlines).split()))):
        found.references.append((one[1] or "") + one[2])
        body = body[1:]
    return body, found


def staff_front(found: dict[str, object], hints: dict, properties: dict[str, str], staff: Staff) -> None:
    """A staff product's keys in place of what a briefing has: its title is
    its subject; the paper and the paragraph numbering its type gives it
    (read/staff.py gather) are not written."""
    typed = staff_hints(hints)
    if not typed:
        return
    for key in KEYS:
        if key in typed:
            found[key] = typed[key]
    title = found.pop("title", None)
    hinted = typed.get("subject")
    if staff.subject and isinstance(hinted, str) and staff.subject == " ".join(hinted.split()).upper():
        staff.subject = hinted  # a loose minute's SUBJECT in capitals, as written in the source
    found["subject"] = staff.subject or hinted or title
    if staff.references:
        found["references"] = staff.references
    if properties.get("OfficeSymbol"):
        found["office_symbol"] = properties["OfficeSymbol"]
    if found.get("paper") == ("a4" if typed["type"] == "loose-minute" else "letter") \
            and "paper" not in hints.get("front", {}):
        found.pop("paper")
    if found.get("numbering") == "military" and typed["type"] not in ONE_PAGE:
        found.pop("numbering")
