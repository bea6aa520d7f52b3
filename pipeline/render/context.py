"""What every backend needs besides the document, worked out once per
briefing before any backend runs, and handed to each as one read-only value:
the templates, their wording, the first page's marking blocks and the
markings as document properties, the time the build says it was made."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pipeline import model as m
from pipeline.markings.blocks import MarkingBlock, first_page_blocks, marking_properties
from pipeline.markings.rules import level_class
from pipeline.render.formats import PDF_VARIANTS
from pipeline.render.stafflook import labels as style_labels
from pipeline.render.templates import Templates


@dataclass(frozen=True, slots=True, kw_only=True)
class RenderContext:
    templates: Templates
    labels: dict[str, str]  # text/labels.yaml: "Contents", "Page", "of" …
    first_page: tuple[MarkingBlock, ...]  # CUI block, authority block, distribution
    properties: tuple[tuple[str, str], ...]  # the markings as document properties
    level: str  # the banner's CSS class: "secret", "unclassified" …
    made: dt.datetime  # the build's time (SOURCE_DATE_EPOCH when set)
    pdf_variant: str = PDF_VARIANTS[0]
    reference_doc: Path  # the DOCX's styles


def render_context(doc: m.Document, templates: Templates, made: dt.datetime, *,
                   pdf_variant: str = PDF_VARIANTS[0],
                   reference_doc: Path | None = None) -> RenderContext:
    first_page = tuple(first_page_blocks(doc.meta, templates))
    return RenderContext(
        templates=templates, labels=style_labels(templates, doc.meta.memo, templates.labels(doc.meta.lang)),
        first_page=first_page,
        properties=tuple(marking_properties(doc.meta, list(first_page))),
        level=level_class(doc.meta.classification), made=made, pdf_variant=pdf_variant,
        reference_doc=reference_doc or templates.path("docx/reference.docx"))
