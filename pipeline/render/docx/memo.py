"""A memorandum (type: memo) in Word, as AR 25-50 lays it out: every part a
named style (Memo Department, Memo Letterhead, Memo Office Symbol, Memo For,
Memo From, Memo Subject, Memo Signature, Memo Distribution) and what the
document's properties hold a field: the office symbol and the date as
DOCPROPERTY fields, the continuation header of every later page the office
symbol's field and a STYLEREF to the Memo Subject paragraph, so an edited
subject shows in the header once Word updates its fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from itertools import zip_longest

from docx.shared import Inches

from pipeline import model
from pipeline.model import Text
from pipeline.render.docx import minute, staffpage
from pipeline.render.docx.elements import OxmlElement
from pipeline.render.docx.fields import simple_field, styled_paragraph, tab_run, text_run
from pipeline.render.docx.inlines import paragraph, portion_run
from pipeline.render.docx.state import Env, State
from pipeline.render.stafflook import signature_lines

OFFICE_SYMBOL = "OfficeSymbol"  # the custom document property


def memo_page(state: State, meta: model.Meta, memo: model.Memo, labels: Mapping[str, str],
              font: str | None = None) -> None:
    """1-inch margins; on later pages the office symbol and subject under
    the banner in place of the running head, in the body's type (Memo
    Continuation), and their number (staffpage.py); the regulation's font."""
    staffpage.staff_font(state, font)
    staffpage.later_pages_numbered(state, labels)
    if memo.kind == "loose-minute":
        return minute.minute_page(state, memo)
    section = state.package.sections[0]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))
    header = section.header._element
    head = header.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")[-1]
    header.remove(head)  # the running head: the short title
    lines = []
    if memo.office_symbol:
        symbol = OxmlElement("w:p")
        symbol.append(simple_field(f" DOCPROPERTY {OFFICE_SYMBOL} \\* MERGEFORMAT ", memo.office_symbol))
        lines.append(symbol)
    subject = OxmlElement("w:p")
    subject.append(simple_field(' STYLEREF "Memo Subject" \\* MERGEFORMAT ',
                                f"{labels['memo_subject']} {meta.marked_title}"))
    lines.append(subject)
    staffpage.continuation(state, header, lines)


def head_xml(meta: model.Meta, memo: model.Memo, env: Env, state: State) -> list:
    labels = env.labels
    if memo.kind == "loose-minute":
        return minute.head_xml(meta, memo, env, state)
    if memo.kind != "memo":
        return paper_head_xml(meta, memo, env, state)
    out = []
    for index, line in enumerate(memo.letterhead):
        out.append(paragraph(env, state, "Memo Department" if index == 0 else "Memo Letterhead",
                             (Text(text=line),)))
    layout = labels["memo_layout"]  # the style's: army, usaf or osd
    if layout == "army":  # the office symbol, the date flush right on its line
        symbol = styled_paragraph(state.style("Memo Office Symbol"))
        if memo.office_symbol:
            symbol.append(simple_field(f" DOCPROPERTY {OFFICE_SYMBOL} \\* MERGEFORMAT ", memo.office_symbol))
        if meta.date:
            symbol.extend([tab_run(), simple_field(" DOCPROPERTY DocumentDate \\* MERGEFORMAT ", meta.date)])
        out.append(symbol)
    else:  # The Tongue and Quill, DoDM 5110.04: the date alone, flush right
        date = styled_paragraph(state.style("Memo Date"))
        if meta.date:
            date.append(simple_field(" DOCPROPERTY DocumentDate \\* MERGEFORMAT ", meta.date))
        out.append(date)
    addressed = styled_paragraph(state.style("Memo For"))
    if memo.memo_for:
        addressed.append(text_run(labels["memo_for"]))
        for index, addressee in enumerate(memo.memo_for):
            addressed.append(line_break() if index else tab_run())
            addressed.append(text_run(addressee))
    else:
        addressed.append(text_run(labels["memo_for_record"]))
    out.append(addressed)
    sender = memo.sender or (memo.office_symbol if layout == "usaf" else None)  # FROM: the office symbol
    if sender:
        out.append(paragraph(env, state, "Memo From", (Text(text=f"{labels['memo_from']} {sender}"),)))
    out.append(subject_xml(meta, labels, state))
    return out


def subject_xml(meta: model.Meta, labels: Mapping[str, str], state: State):
    subject = styled_paragraph(state.style("Memo Subject"))
    subject.append(text_run(f"{labels['memo_subject']} "))
    if meta.title_portion:
        subject.extend(portion_run(state, meta.title_portion))
    subject.append(text_run(meta.title))
    return subject


def paper_head_xml(meta: model.Meta, memo: model.Memo, env: Env, state: State) -> list:
    """An information or decision paper: office symbol and date at the top
    right (fields), the paper's name, For DECISION, SUBJECT."""
    labels = env.labels
    out = []
    if memo.office_symbol:
        symbol = styled_paragraph(state.style("Paper Symbol"))
        symbol.append(simple_field(f" DOCPROPERTY {OFFICE_SYMBOL} \\* MERGEFORMAT ", memo.office_symbol))
        out.append(symbol)
    if meta.date and memo.kind not in ONE_PAGE:  # theirs closes the prepared-by line
        date = styled_paragraph(state.style("Paper Symbol"))
        date.append(simple_field(" DOCPROPERTY DocumentDate \\* MERGEFORMAT ", meta.date))
        out.append(date)
    if memo.kind in ONE_PAGE:  # "POINT PAPER ON" and the subject, in capitals
        title = styled_paragraph(state.style("Paper Title"))
        title.append(text_run(f"{labels[f'paper_{memo.kind}']} "))
        if meta.title_portion:
            title.extend(portion_run(state, meta.title_portion))
        title.append(text_run(meta.title.upper()))
        return [*out, title]
    out.append(paragraph(env, state, "Paper Title", (Text(text=labels[f"paper_{memo.kind}"]),)))
    if memo.kind == "decision-paper":
        out.append(paragraph(env, state, "Paper For", (Text(text=labels["paper_for_decision"]),)))
    out.append(subject_xml(meta, labels, state))
    return out


ONE_PAGE = ("point-paper", "talking-paper")


def paper_closing_xml(memo: model.Memo, env: Env, state: State, date: str | None) -> list:
    """The principal's decision line (a decision paper), the tabs, and who
    prepared and approved the paper."""
    labels = env.labels
    out = []
    if memo.kind == "decision-paper":
        choices = "   ".join(f"{labels[k]} ________" for k in ("paper_approved", "paper_disapproved",
                                                                "paper_see_me"))
        out.append(paragraph(env, state, "Paper Decision",
                             (Text(text=f"{labels['paper_decision']}   {choices}"),)))
    out.extend(paragraph(env, state, "Paper Tab",
                         (Text(text=f"{labels['paper_tab']} {TAB_LETTERS[n]} – {title}"),))
               for n, title in enumerate(memo.listed_enclosures))
    if memo.kind in ONE_PAGE:
        if memo.prepared_by:
            dated = [*memo.prepared_by, *([date] if date else [])]
            out.append(paragraph(env, state, "Paper Prepared Line", (Text(text="/".join(dated)),)))
        return out
    for key, lines in (("paper_prepared_by", memo.prepared_by), ("paper_approved_by", memo.approved_by)):
        if lines:
            out.append(paragraph(env, state, "Paper Prepared",
                                 (Text(text=f"{labels[key]} {' / '.join(lines)}"),)))
    return out


def indented(p, twips: int) -> None:
    """A paragraph's own left indent, in twips."""
    from pipeline.render.docx.elements import OxmlElement
    from docx.oxml.ns import qn

    ppr = p.get_or_add_pPr()
    ind = OxmlElement("w:ind")
    ind.set(qn("w:left"), str(twips))
    ppr.append(ind)


TAB_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # without I and O, as annexes are lettered


def line_break():
    from pipeline.render.docx.elements import OxmlElement

    r = OxmlElement("w:r")
    r.append(OxmlElement("w:br"))
    return r


def closing_xml(memo: model.Memo, env: Env, state: State, date: str | None = None,
                look: Mapping[str, Any] | None = None) -> list:
    """The signature block and, level with it at the left margin, the Encl
    list (a tab apart); then DISTRIBUTION and CF. In the usaf and osd
    styles the block stands in by the style's `docx: signature_indent`
    (look, its <style>.yaml) and the attachments follow it."""
    labels: Mapping[str, str] = env.labels
    block = signature_lines(memo.signature, labels["memo_signature_lines"]) if memo.signature else []
    if memo.kind == "loose-minute":
        return minute.closing_xml(memo, env, state, block)
    if memo.kind != "memo":
        return paper_closing_xml(memo, env, state, date)
    listed = memo.listed_enclosures
    encl = ([labels["memo_encl"], listed[0]] if len(listed) == 1 else
            [f"{len(listed)} {labels['memo_encls']}", *(f"{n}. {t}" for n, t in enumerate(listed, 1))]
            if listed else [])
    out = []
    if labels["memo_layout"] != "army":
        indent = int(((look or {}).get("docx") or {}).get("signature_indent", "4680"))
        for index, line in enumerate(block):
            p = styled_paragraph(state.style("Memo Signature First" if index == 0 else "Memo Signature"))
            p.append(text_run(line))
            indented(p, indent)
            out.append(p)
        for index, line in enumerate(encl):
            out.append(paragraph(env, state, "Memo Attachments Heading" if index == 0 else "Memo Attachments",
                                 (Text(text=line),)))
        block, encl = [], []
    for index, (left, right) in enumerate(zip_longest(encl, block, fillvalue="")):
        p = styled_paragraph(state.style("Memo Signature First" if index == 0 else "Memo Signature"))
        if left:
            p.append(text_run(left))
        if right:
            p.extend([tab_run(), text_run(right)])
        out.append(p)
    for heading, lines in ((labels["memo_distribution"], memo.distribution), (labels["memo_cf"], memo.cf)):
        if lines:
            out.append(paragraph(env, state, "Memo Distribution Heading", (Text(text=heading),)))
            out.extend(paragraph(env, state, "Memo Distribution", (Text(text=line),)) for line in lines)
    return out


def import_hints(meta: model.Meta) -> dict:
    """A staff product's front-matter keys as `briefing import` writes them
    back (render/docx/roundtrip.py keeps them in the hints' "front"): the
    type, its style when not the type's default, the subject (the title,
    with its mark) and each typed key the memo has, the way read/staff.py
    reads it (a loose minute's addressees, copy_to and signature
    appointment by JSP 101's names)."""
    memo = meta.memo
    if memo is None:
        return {}
    subject = f"({meta.title_portion}) {meta.title}" if meta.title_portion else meta.title
    sig = memo.signature
    minute = memo.kind == "loose-minute"  # JSP 101's words for the memo's keys
    pairs: list[tuple[str, object]] = [
        ("type", memo.kind), ("style", None if memo.usual_style else memo.style),
        ("subject", subject), ("reference", memo.reference), ("letterhead", list(memo.letterhead)),
        ("office_symbol", memo.office_symbol), ("addressees" if minute else "memo_for", list(memo.memo_for)),
        ("from", memo.sender), ("references", list(memo.references)),
        ("signature", {("appointment" if minute and key == "title" else key): getattr(sig, key)
                       for key in ("name", "rank", "branch", "title") if getattr(sig, key)} if sig else None),
        ("distribution_list", list(memo.distribution)), ("copy_to" if minute else "cf", list(memo.cf)),
        ("prepared_by", list(memo.prepared_by)), ("approved_by", list(memo.approved_by))]
    return {key: value for key, value in pairs if value not in (None, "", [])}


def without_references(doc: model.Document) -> tuple[model.Block, ...]:
    """The body's blocks without a memo's references (transform/staff.py
    makes them paragraph 1 from the front matter's `references`, which the
    import writes back as that key, not as body)."""
    if doc.meta.memo is None or not doc.meta.memo.references or len(doc.blocks) < 2:
        return doc.blocks
    lead, listed = doc.blocks[:2]
    if isinstance(lead, model.Paragraph) and isinstance(listed, model.ListBlock):
        return doc.blocks[2:]
    return doc.blocks
