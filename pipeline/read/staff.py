"""Staff products' front matter (`type: memo`): the typed keys of a
memorandum's heading and closing, checked where they are written and
gathered into one model.Memo. A memo's `subject` is its title, so the
title's portion mark, roll-up and checks are the subject's."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from pipeline import model as m

TYPES = ("briefing", "memo", "info-paper", "decision-paper", "point-paper", "talking-paper",
         "loose-minute")
PAPERS = ("info-paper", "decision-paper", "point-paper", "talking-paper")
# Tongue and Quill's papers: bullets on one page (a warning past it, weasy/typeset.py).
ONE_PAGE = ("point-paper", "talking-paper")
SEE_DISTRIBUTION = m.SEE_DISTRIBUTION
STYLES = m.STAFF_STYLES  # each type's styles, its default first
ALL_STYLES = ("army", "usaf", "osd", "mod")
# How each style writes an ISO date (strftime, with %-d the day without its
# leading zero): AR 25-50 and The Tongue and Quill 3 December 2026, DoDM
# 5110.04 December 3, 2026, JSP 101 03 Dec 26.
DATE_FORMS = {"army": "%-d %B %Y", "usaf": "%-d %B %Y", "osd": "%B %-d, %Y", "mod": "%d %b %y"}
# The Tongue and Quill's point and talking papers close their prepared-by
# line with the date short: 3 Dec 26.
SHORT_DATE = "%-d %b %y"
# JSP 101's date as a loose minute writes it, when it is not given as ISO.
MOD_DATE = re.compile(r"\d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d\d$")


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError("text")
    return value.strip()


def _lines(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (_text(value),)
    if not isinstance(value, list) or not value:
        raise TypeError("text or a list of text")
    try:
        return tuple(_text(item) for item in value)
    except TypeError:
        raise TypeError("a list of text") from None


def document_type(value: Any) -> str:
    if not isinstance(value, str) or value.strip().lower() not in TYPES:
        raise TypeError(" or ".join(TYPES))
    return value.strip().lower()


SIGNATURE_KEYS = ("name", "rank", "branch", "title")


def signature(value: Any) -> m.Signature:
    """`signature: {name: …, rank: COL, branch: IN, title: Commanding}`:
    the name is needed; the others as the signer has them (a civilian has
    no rank or branch). A loose minute's signer has an `appointment` (JSP
    101's word for the title)."""
    expected = ("a mapping with name and, as the signer has them, rank, branch and title "
                "(or appointment)")
    if isinstance(value, dict) and "appointment" in value and "title" not in value:
        value = {("title" if key == "appointment" else key): item for key, item in value.items()}
    if not isinstance(value, dict) or set(value) - set(SIGNATURE_KEYS) or "name" not in value:
        raise TypeError(expected)
    try:
        return m.Signature(**{key: _text(value[key]) for key in SIGNATURE_KEYS if key in value})
    except TypeError:
        raise TypeError(expected + ", each text") from None


SCHEMA: dict[str, Callable[[Any], Any]] = {
    "type": document_type,
    "style": _text,
    "letterhead": _lines,
    "office_symbol": _text,
    "memo_for": _lines,
    "from": _text,
    "subject": _text,
    "references": _lines,
    "signature": signature,
    "distribution_list": _lines,
    "cf": _lines,
    "prepared_by": _lines,
    "approved_by": _lines,
    "reference": _text,
    "addressees": _lines,
    "copy_to": _lines,
}
MEMO_KEYS = tuple(key for key in SCHEMA if key != "type")
# Which type each key belongs to; the others serve every staff product.
ONLY = {**{key: ("memo",) for key in ("letterhead", "memo_for", "from", "references", "cf")},
        "distribution_list": ("memo", "loose-minute"),
        "signature": ("memo", "loose-minute"), "office_symbol": ("memo", *PAPERS),
        **{key: PAPERS for key in ("prepared_by", "approved_by")},
        **{key: ("loose-minute",) for key in ("reference", "addressees", "copy_to")}}
# The memo's key each loose-minute key stands for in the model.
MINUTE_KEYS = {"addressees": "memo_for", "copy_to": "cf"}


# Memo keys other tools write too (pandoc's `subject`): in a briefing, ignored as theirs.
OTHER_TOOLS = ("subject",)


def gather(values: dict[str, Any], key_lines: dict[str, int],
           problem: Callable[[int, str, str], None], ignored: list[tuple[str, int]]) -> None:
    """Take the memo keys out of `values` into values["memo"]; the subject
    becomes the title. A memo key in a briefing, a memo without a subject or
    signature, and SEE DISTRIBUTION without a distribution list are errors
    at their lines."""
    kind = values.get("type", "briefing")
    if kind != "briefing":
        for key, kinds in ONLY.items():
            if key in values and kind not in kinds:
                problem(key_lines[key], "staff-key", f"'{key}' belongs to a {' or '.join(kinds)}, "
                        f"not a {kind}")
                values.pop(key)
    if kind == "briefing":
        for key in MEMO_KEYS:
            if key in values and key in OTHER_TOOLS:
                ignored.append((key, key_lines.pop(key)))
                values.pop(key)
            elif key in values:
                problem(key_lines[key], "staff-key", f"'{key}' belongs to a staff product: "
                        "add 'type: memo' (or another type) or leave it out")
                values.pop(key)
        return
    type_line = key_lines.get("type", 1)
    style = values.pop("style", STYLES[kind][0])
    if style not in STYLES[kind]:
        fits = ", ".join(STYLES[kind])
        if style in ALL_STYLES:
            message = f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} has no '{style}' style: its style{'s are' if len(STYLES[kind]) > 1 else ' is'} {fits}"
        else:
            message = (f"unknown style '{style}': the styles are {', '.join(ALL_STYLES)} "
                       f"({'an' if kind[0] in 'aeiou' else 'a'} {kind}'s: {fits})")
        problem(key_lines["style"], "staff-style", message)
        style = STYLES[kind][0]
    if kind == "loose-minute":
        for key, model_key in MINUTE_KEYS.items():
            if key in values:
                values[model_key] = values.pop(key)
                key_lines[model_key] = key_lines[key]
        values.setdefault("paper", "a4")  # a UK minute is on A4
        values.setdefault("marking_scheme", "uk")  # its protective marking is the UK's
    values.setdefault("paper", "letter")  # 8 1/2 by 11 inches
    if kind not in ONE_PAGE:  # bullets, not numbered paragraphs, in a point or talking paper
        values.setdefault("numbering", "military")  # its paragraphs are 1., a., (1) (AR 25-50)
    if "subject" not in values:
        problem(type_line, "required", f"a {kind} needs 'subject', its SUBJECT line")
    elif "title" in values:
        problem(key_lines["title"], "staff-key", f"a {kind}'s title is its 'subject': leave 'title' out")
    else:
        values["title"] = values.pop("subject")
        key_lines["title"] = key_lines["subject"]
    if "signature" not in values and kind == "memo":
        problem(type_line, "required", "a memo needs 'signature' (name, rank, branch, title): "
                "its signature block")
    if "signature" not in values and kind == "loose-minute":
        problem(type_line, "required", "a loose minute needs 'signature' (name, rank, appointment): "
                "its signature block")
    if kind == "loose-minute" and "memo_for" not in values:
        problem(type_line, "required", "a loose minute needs 'addressees', each by appointment")
    memo_for = values.pop("memo_for", ())
    distribution = values.pop("distribution_list", ())
    if tuple(a.upper() for a in memo_for) == (SEE_DISTRIBUTION,):
        memo_for = (SEE_DISTRIBUTION,)
        if not distribution:
            key = "addressees" if kind == "loose-minute" else "memo_for"
            problem(key_lines["memo_for"], "staff-key", f"'{key}: SEE DISTRIBUTION' needs a "
                    "'distribution_list' naming the addressees")
    listed = tuple(title for _, title, _ in values.get("enclosures", ()))
    values["memo"] = m.Memo(kind=kind, style=style, reference=values.pop("reference", None),
                            prepared_by=values.pop("prepared_by", ()),
                            approved_by=values.pop("approved_by", ()), letterhead=values.pop("letterhead", ()),
                            office_symbol=values.pop("office_symbol", None),
                            memo_for=memo_for, sender=values.pop("from", None),
                            references=values.pop("references", ()),
                            signature=values.pop("signature", None),
                            listed_enclosures=listed, distribution=distribution,
                            cf=values.pop("cf", ()))
    values.pop("subject", None)
    if "date" in values:
        if kind == "loose-minute" and not (ISO_DATE.match(values["date"]) or MOD_DATE.match(values["date"])):
            problem(key_lines["date"], "staff-date", f"a loose minute's date is written DD MMM YY "
                    f"(03 Dec 26) or as an ISO date (2026-12-03), not '{values['date']}'")
        values["date"] = memo_date(values["date"], SHORT_DATE if kind in ONE_PAGE else DATE_FORMS[style])


ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d$")


def memo_date(date: str, form: str = DATE_FORMS["army"]) -> str:
    """An ISO date as the style writes it: 3 December 2026 (AR 25-50),
    December 3, 2026 (DoDM 5110.04), 03 Dec 26 (JSP 101); any other form
    (3 Dec 26) as written."""
    if ISO_DATE.match(date):
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            return date
        return day.strftime(form.replace("%-d", str(day.day)))  # portable: no %-d on every libc
    return date


def declared_type(root: Any) -> bool:
    """Whether a front matter's YAML nodes say `type:` a staff product."""
    for key, value in getattr(root, "value", None) or ():
        if getattr(key, "value", None) == "type" and isinstance(getattr(value, "value", None), str):
            return value.value.strip().lower() in TYPES[1:]
    return False
