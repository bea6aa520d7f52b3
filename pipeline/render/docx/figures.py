"""Figures: the picture in a paragraph of its own, the caption below."""

from __future__ import annotations

from pipeline.model import Figure
from pipeline.render.docx.inlines import numbered_caption, paragraph
from pipeline.render.docx.pictures import picture_run
from pipeline.render.docx.state import Env, State


def figure_xml(figure: Figure, env: Env, state: State) -> list:
    """The picture in its own paragraph, at most the text's width, with the
    alt text as its description; the caption below in Word's Caption style
    with a SEQ Figure field, as Word's own Insert Caption does."""
    holder = paragraph(env, state, "Figure", ())
    holder.append(picture_run(figure.path, figure.mime, figure.width, figure.height, figure.alt,
                              env, state, (figure.display_width, figure.display_height)))
    content = [holder]
    if figure.caption:
        content.append(numbered_caption(env, state, "figure", "Figure", figure.number,
                                        figure.caption, figure.id, figure.portion))
    return content
