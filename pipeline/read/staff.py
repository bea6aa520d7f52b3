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

TYPES = ("briefing", "memo", "info-paper", "decision-paper", "point-paper", "talking-paper")
PAPERS = ("info-paper", "decision-paper", "point-paper", "talking-paper")
# Tongue and Quill's papers: bullets on one page (a warning past it, weasy/typeset.py).
ONE_PAGE = ("point-paper", "talking-paper")
SEE_DISTRIBUTION = "SEE DISTRIBUTION"


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
    no rank or branch)."""
    expected = "a mapping with name and, as the signer has them, rank, branch and title"
    if not isinstance(value, dict) or set(value) - set(SIGNATURE_KEYS) or "name" not in value:
        raise TypeError(expected)
    try:
        return m.Signature(**{key: _text(value[key]) for key in SIGNATURE_KEYS if key in value})
    except TypeError:
        raise TypeError(expected + ", each text") from None


SCHEMA: dict[str, Callable[[Any], Any]] = {
    "type": document_type,
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
}
MEMO_KEYS = tuple(key for key in SCHEMA if key != "type")
# Which type each key belongs to; the others serve every staff product.
ONLY = {**{key: ("memo",) for key in ("letterhead", "memo_for", "from", "references", "signature",
                                      "distribution_list", "cf")},
        **{key: PAPERS for key in ("prepared_by", "approved_by")}}


# Memo keys other tools write too (pandoc's `subject`): in a briefing, ignored as theirs.
OTHER_TOOLS = ("subject",)


def gather(values: dict[str, Any], key_lines: dict[str, int],
           problem: Callable[[int, str, str], None], ignored: list[tuple[str, int]]) -> None:
    """Take the memo keys out of `values` into values["memo"]; the subject
    becomes the title. A memo key in a briefing, a memo without a subject or
    signature, and SEE DISTRIBUTION without a distribution list are errors
    at their lines."""
    kind = values.get("type", "briefing")
    if kind in PAPERS:
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
    memo_for = values.pop("memo_for", ())
    distribution = values.pop("distribution_list", ())
    if tuple(a.upper() for a in memo_for) == (SEE_DISTRIBUTION,):
        memo_for = (SEE_DISTRIBUTION,)
        if not distribution:
            problem(key_lines["memo_for"], "staff-key", "'memo_for: SEE DISTRIBUTION' needs a "
                    "'distribution_list' naming the addressees")
    listed = tuple(title for _, title, _ in values.get("enclosures", ()))
    values["memo"] = m.Memo(kind=kind, prepared_by=values.pop("prepared_by", ()),
                            approved_by=values.pop("approved_by", ()), letterhead=values.pop("letterhead", ()),
                            office_symbol=values.pop("office_symbol", None),
                            memo_for=memo_for, sender=values.pop("from", None),
                            references=values.pop("references", ()),
                            signature=values.pop("signature", None),
                            listed_enclosures=listed, distribution=distribution,
                            cf=values.pop("cf", ()))
    values.pop("subject", None)
    if "date" in values:
        values["date"] = memo_date(values["date"])


ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d$")


def memo_date(date: str) -> str:
    """An ISO date as AR 25-50 writes it in a memo: 3 December 2026; any
    other form (3 Dec 26) as written."""
    if ISO_DATE.match(date):
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            return date
        return f"{day.day} {day:%B %Y}"
    return date


def declared_type(root: Any) -> bool:
    """Whether a front matter's YAML nodes say `type:` a staff product."""
    for key, value in getattr(root, "value", None) or ():
        if getattr(key, "value", None) == "type" and isinstance(getattr(value, "value", None), str):
            return value.value.strip().lower() in TYPES[1:]
    return False
