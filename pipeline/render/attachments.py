"""The print pages of annexes, appendices and tabs: each attachment's pages
are a named page (html.page_name) with its own banner (its classification,
in its level's colours), its heading as the running head, and its own page
numbers, B-1, B-2 (a page-based counter of its own, so it starts at 1
without resetting the document's `page`, which "Page X of Y" counts)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline import model as m
from pipeline.markings.rules import level_class
from pipeline.model import walk
from pipeline.render.html import page_name

COMMENT = re.compile(r"/\*.*?\*/", re.S)
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
DECLARATION = re.compile(r"(--banner-(?:bg|ink))\s*:\s*([^;{}]+?)\s*(?:;|$)")


@dataclass(frozen=True)
class AttachmentPage:
    name: str  # the CSS page name: att-b-1
    id: str  # its section's id
    counter: str  # its page counter
    prefix: str  # "B-1-"
    banner: str
    background: str
    ink: str
    running_head: str


def banner_colours(css: str, level: str) -> tuple[str, str]:
    """A level's banner colours, as the stylesheets' `.level-…` rules (and
    :root) give them."""
    colours = {"--banner-bg": "#4a5563", "--banner-ink": "#ffffff"}
    for selectors, body in RULE.findall(COMMENT.sub("", css)):
        names = {name.strip() for name in selectors.split(",")}
        if ":root" in names or f".level-{level}" in names:
            colours.update(DECLARATION.findall(body))
    return colours["--banner-bg"], colours["--banner-ink"]


def attachment_pages(doc: m.Document, css: str, shorten) -> list[AttachmentPage]:
    """`shorten(text)`: the running head, shortened to fit its box."""
    pages = []
    for section in walk.sections(doc):
        if (attachment := section.attachment) is None:
            continue
        name = page_name(attachment)
        background, ink = banner_colours(css, level_class(attachment.banner))
        mark = f"({section.portion}) " if section.portion else ""
        pages.append(AttachmentPage(name=name, id=section.id, counter=name, prefix=attachment.pages,
                                    banner=attachment.banner, background=background, ink=ink,
                                    running_head=shorten(mark + attachment.heading)))
    return pages


from pipeline.render.printjob import ENCLOSURE_MARGINS_MM  # noqa: E402,F401 - named here too


@dataclass(frozen=True)
class EnclosurePage:
    name: str  # the CSS page name: enc-1, or enc-1-landscape
    bookmark: str  # the first page's bookmark, else ""
    banner: str
    background: str
    ink: str
    running_head: str


def enclosure_pages(doc: m.Document, css: str) -> list[EnclosurePage]:
    """A page for each page of each enclosure, in order: its banner is the
    enclosure's declared marking."""
    out = []
    for enclosure in doc.enclosures:
        background, ink = banner_colours(css, level_class(enclosure.classification))
        words = f"Enclosure {enclosure.number}: {enclosure.title}"
        for index, (width, height) in enumerate(enclosure.pages):
            out.append(EnclosurePage(name=f"enc-{enclosure.number}" + ("-landscape" if width > height else ""),
                                     bookmark=words if index == 0 else "",
                                     banner=enclosure.classification, background=background, ink=ink,
                                     running_head=words))
    return out


def read_checked(path: str) -> bytes:
    """An enclosure read/enclosures.py checked, read once more, not through a link."""
    import os

    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(descriptor, "rb") as file:
        return file.read()
