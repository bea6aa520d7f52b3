"""A staff product's look, as the templates give it: the folder of its
type (templates/memo/ for the memorandum and the US staff papers,
templates/loose-minute/ for the UK's loose minute), and in it the
service's style (`style:` army, usaf, osd, mod) as `<style>.yaml`
(wording under `labels:` over text/labels.yaml's, numbers for Word under
`docx:`) and `<style>.css` after the type's own stylesheets. A house
overrides any of these files in its --templates folder, as every other."""

from __future__ import annotations

import re

from pipeline import model as m
from pipeline.render.templates import Templates

FOLDERS = {"loose-minute": "loose-minute"}  # the others: memo/


def folder(memo: m.Memo) -> str:
    return FOLDERS.get(memo.kind, "memo")


def look(templates: Templates, memo: m.Memo | None) -> dict:
    """The style's file read ({} when the style has none)."""
    if memo is None:
        return {}
    name = f"{folder(memo)}/{memo.style}.yaml"
    return templates.wording(name) if templates.has(name) else {}


def labels(templates: Templates, memo: m.Memo | None, base: dict[str, str]) -> dict[str, str]:
    """The wording, the style's over the templates' own."""
    return {**base, **look(templates, memo).get("labels", {})}


# Every staff type's first-page marking blocks in print: the CAB at the
# lower left, the CUI designation indicator at the lower right, the
# distribution statement under them, above the bottom banner.
FIRST_PAGE_CSS = "print/staff-markings.css"


def stylesheets(templates: Templates, memo: m.Memo, printing: bool) -> tuple[str, ...]:
    """The type's stylesheets, then the style's."""
    base = folder(memo)
    names = ((f"{base}/style.css", f"{base}/print.css", FIRST_PAGE_CSS) if printing
             else (f"{base}/style.css",))
    style = f"{base}/{memo.style}.css"
    return (*names, style) if templates.has(style) else names


def signature_lines(signature: m.Signature, form: str) -> list[str]:
    """The signature block's lines as the style writes them: `form` holds a
    line each, of fields {NAME} (the name in capitals), {name}, {rank},
    {branch} and {title}, parts a comma apart; a part whose field the signer
    lacks is left out, and a line left empty."""
    fields = {"NAME": signature.name.upper(), "name": signature.name, "rank": signature.rank or "",
              "branch": signature.branch or "", "title": signature.title or ""}
    lines = []
    for line in form.splitlines():
        parts = [part.strip().format(**fields) for part in line.split(",")]
        if text := ", ".join(part for part in parts if part):
            lines.append(text)
    return lines


PAGE_FIELDS = re.compile(r"\{(page|pages)\}")


def page_number_parts(form: str) -> list[tuple[str, str]]:
    """A later page's number as the style writes it (`memo_page_number`,
    "{page}" or "Page {page} of {pages}"): ("text", words) and ("page", "")
    or ("pages", "") in order, for CSS counters and Word fields alike."""
    parts: list[tuple[str, str]] = []
    for index, piece in enumerate(PAGE_FIELDS.split(form)):
        if index % 2:
            parts.append((piece, ""))
        elif piece:
            parts.append(("text", piece))
    return parts


def font(templates: Templates, memo: m.Memo) -> str | None:
    """The font the style's regulation names (its `docx: font`), for Word."""
    value = (look(templates, memo).get("docx") or {}).get("font")
    return value if isinstance(value, str) and value.strip() else None
