"""The bibliography in Word: each entry a paragraph in the `Bibliography`
style (Word's own name for it; hanging in briefing's reference document),
bookmarked so that citations link to it; at the end of the document under
a heading in `Bibliography Heading` (a Heading 1 that is never numbered,
as the abbreviations' is)."""

from __future__ import annotations

from pipeline.model import Bibliography, Meta, Text
from pipeline.render.docx.fields import bookmark, bookmark_name
from pipeline.render.docx.inlines import paragraph
from pipeline.render.docx.state import Env, State

REFERENCES_ID = "references-title"  # as the HTML's (transform/ids.py reserves it)


def entries_xml(block: Bibliography, env: Env, state: State) -> list:
    out = []
    for entry in block.entries:
        p = paragraph(env, state, "Bibliography", entry.inlines, portion=entry.portion)
        bookmark(p, bookmark_name(entry.id), state.bookmark_id())
        out.append(p)
    return out


def references_title(meta: Meta, env: Env) -> str:
    return meta.reference_section_title or env.labels["references"]


def section_xml(block: Bibliography, meta: Meta, env: Env, state: State) -> list:
    heading = paragraph(env, state, "Bibliography Heading", (Text(text=references_title(meta, env)),))
    bookmark(heading, bookmark_name(REFERENCES_ID), state.bookmark_id())
    return [heading, *entries_xml(block, env, state)]
