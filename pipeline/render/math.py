"""Mathematics for each format, from the checked MathML of read/tex.py.

- HTML: the MathML itself (browsers lay it out: MathML Core).
- PDF: WeasyPrint has no MathML layout, so ziamath (pure Python, with its
  own STIX Two Math font) draws the MathML as an SVG of outlines, embedded
  as an image whose baseline sits on the text's.
- Word: an Office Math equation (OMML): render/omml.py.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from functools import lru_cache


SVG_SIZE = 16.0  # ziamath's font size (px) for the PDF's SVGs; the image is sized in em
VIEWBOX = re.compile(r'viewBox="([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)"')


@dataclass(frozen=True)
class Drawing:
    """A formula drawn as an SVG: its size and how far below the baseline it reaches, in em."""
    svg: str
    width: float
    height: float
    depth: float

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode("utf-8")).decode("ascii")


def to_mathml(tex: str, display: bool) -> str:
    # Reading's conversion, imported when a formula is shown: loading the
    # reading stage (Python-Markdown) would slow a process that only renders.
    from pipeline.read.tex import to_mathml as converted

    return converted(tex, display)


def mathml(tex: str, display: bool) -> str:
    return to_mathml(tex, display)


@lru_cache(maxsize=512)
def drawing(tex: str, display: bool) -> Drawing:
    import ziamath  # a third of a second to import: only for a briefing with mathematics

    ziamath.config.svg2 = False  # xlink:href, which every SVG reader knows
    svg = ziamath.Math(to_mathml(tex, display), size=SVG_SIZE).svg()
    found = VIEWBOX.search(svg)
    assert found, "ziamath writes a viewBox"
    _, top, width, height = (float(v) for v in found.groups())
    return Drawing(svg=svg, width=width / SVG_SIZE, height=height / SVG_SIZE,
                   depth=(height + top) / SVG_SIZE)
