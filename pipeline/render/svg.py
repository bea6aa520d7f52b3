"""An SVG figure as the backends hand it to what draws it.

SVG editors leave attributes without a value (Method Draw, which the
Software Carpentry lessons' diagrams were drawn with, writes
`stroke-opacity="null"`): a browser ignores such an attribute, while
WeasyPrint left the figure out of the PDF and CairoSVG, which draws the
DOCX's PNG, stopped the build. The reader checked the file and keeps it
as written (read/svg.py); what is drawn leaves those attributes out, as a
browser does.
"""

from __future__ import annotations

import re

JUNK_VALUE = re.compile(rb'\s[\w:-]+="(?:null|undefined|NaN)"')


def drawable(svg: bytes) -> bytes:
    """`svg` without the attributes whose value is no value at all."""
    return JUNK_VALUE.sub(b"", svg) if b'="' in svg else svg
