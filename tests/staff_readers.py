"""Readers for the staff-document tests (issue 20): each page of a PDF as
poppler reads it, its size and its words with their boxes, so a test can
ask what stands in a page's margins, as a reader sees them."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: tuple[tuple[float, float, str], ...]  # (x, y of the word's top, text)

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def band(self, top: bool, depth: float = 60) -> str:
        """The words in the top or bottom `depth` points, in reading order."""
        inside = [(y, x, text) for x, y, text in self.words
                  if (y < depth if top else y > self.height - depth)]
        return " ".join(text for _, _, text in sorted(inside))

    @property
    def text(self) -> str:
        return " ".join(text for _, _, text in sorted((y, x, t) for x, y, t in self.words))


def pdf_pages(path: Path) -> list[Page]:
    """Every page of a PDF: pdftotext -bbox's words and boxes."""
    xhtml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True,
                           check=True, timeout=120).stdout
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xhtml))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pages = []
    for number, page in enumerate(root.iterfind(".//h:page", ns), start=1):
        words = tuple((float(w.get("xMin")), float(w.get("yMin")), w.text or "")
                      for w in page.iterfind("h:word", ns))
        pages.append(Page(number, float(page.get("width")), float(page.get("height")), words))
    return pages

