"""A loose minute (type: loose-minute) in Word, as JSP 101 lays it out:
every part a named style (Minute Reference, Minute Date, Minute Addressee,
Minute Copy To, Minute Subject, Minute Signature, Minute Enclosures) and
what the document's properties hold a field: the file reference
(DOCPROPERTY FileReference) and the date (DOCPROPERTY DocumentDate). The
protective marking and descriptor stand top and bottom of every page as
every document's banner does (render/docx/page.py); later pages carry the
file reference under it in place of the running head."""

from __future__ import annotations

from collections.abc import Mapping

from docx.shared import Mm

from pipeline import model
from pipeline.model import Text
from pipeline.render.docx import staffpage
from pipeline.render.docx.elements import OxmlElement
from pipeline.render.docx.fields import simple_field, styled_paragraph, text_run
from pipeline.render.docx.inlines import paragraph, portion_run
from pipeline.render.docx.state import Env, State

FILE_REFERENCE = "FileReference"  # the custom document property
MARGIN_MM = 25  # loose-minute/print.css's @page margin


def minute_page(state: State, memo: model.Memo) -> None:
    """25 mm margins; on later pages the file reference under the banner."""
    section = state.package.sections[0]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    header = section.header._element
    head = header.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")[-1]
    header.remove(head)  # the running head: the short title
    if memo.reference:
        reference = OxmlElement("w:p")
        reference.append(simple_field(f" DOCPROPERTY {FILE_REFERENCE} \\* MERGEFORMAT ", memo.reference))
        staffpage.continuation(state, header, [reference])


def head_xml(meta: model.Meta, memo: model.Memo, env: Env, state: State) -> list:
    labels: Mapping[str, str] = env.labels
    out = []
    if memo.reference:
        reference = styled_paragraph(state.style("Minute Reference"))
        reference.append(simple_field(f" DOCPROPERTY {FILE_REFERENCE} \\* MERGEFORMAT ", memo.reference))
        out.append(reference)
    if meta.date:
        date = styled_paragraph(state.style("Minute Date"))
        date.append(simple_field(" DOCPROPERTY DocumentDate \\* MERGEFORMAT ", meta.date))
        out.append(date)
    addressees = ((labels["minute_see_distribution"],) if memo.see_distribution
                  else memo.memo_for)
    out.extend(paragraph(env, state, "Minute Addressee", (Text(text=line),)) for line in addressees)
    if memo.cf:
        out.append(paragraph(env, state, "Minute Copy To Heading", (Text(text=labels["minute_copy_to"]),)))
        out.extend(paragraph(env, state, "Minute Copy To", (Text(text=line),)) for line in memo.cf)
    subject = styled_paragraph(state.style("Minute Subject"))
    if meta.title_portion:
        subject.extend(portion_run(state, meta.title_portion))
    subject.append(text_run(meta.title.upper()))
    out.append(subject)
    return out


def closing_xml(memo: model.Memo, env: Env, state: State, signature: list[str]) -> list:
    """The signature block from the middle of the column, the space for the
    signature above it; then the enclosures at the left margin."""
    out = [paragraph(env, state, "Minute Signature First" if index == 0 else "Minute Signature",
                     (Text(text=line),)) for index, line in enumerate(signature)]
    if memo.listed_enclosures:
        out.append(paragraph(env, state, "Minute Enclosures Heading",
                             (Text(text=env.labels["minute_enclosures"]),)))
        out.extend(paragraph(env, state, "Minute Enclosures", (Text(text=f"{n}. {title}"),))
                   for n, title in enumerate(memo.listed_enclosures, 1))
    if memo.distribution:  # 'See Distribution': the addressees after the signature and enclosures
        out.append(paragraph(env, state, "Minute Enclosures Heading",
                             (Text(text=env.labels["minute_distribution"]),)))
        out.extend(paragraph(env, state, "Minute Enclosures", (Text(text=line),)) for line in memo.distribution)
    return out
