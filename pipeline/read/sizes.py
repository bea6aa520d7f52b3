"""An image's width and height as its author set them: pandoc's and
Quarto's attributes (`![](map.png){width=50%}`, `{height=3in}`) and raw
HTML's (`<img width="300">`), read as pandoc reads them (its
`lengthToDim`): a number, then px, cm, mm, in (or inch), pt, pc, em or %,
with no space between; a bare number is pixels. A value pandoc would drop
in silence is an error here, so the author learns the picture would not
have the size they meant."""

from __future__ import annotations

import re

from pipeline import model as m
from pipeline.problems import excerpt

LENGTH = re.compile(r"(?P<value>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?P<unit>[a-z%]*)")
UNITS = {unit: unit for unit in m.LENGTH_UNITS} | {"inch": "in", "": "px"}


class SizeProblem(ValueError):
    """Why a width or height cannot be read."""


def length(value: str, what: str) -> m.Length:
    """`value` (of the attribute `what`, "width" or "height") as a Length."""
    text = value.strip()
    found = LENGTH.fullmatch(text.lower())
    if found is None or found["unit"] not in UNITS:
        units = ", ".join(u for u in m.LENGTH_UNITS if u != "%") + " or %"
        raise SizeProblem(f"image {what} '{excerpt(value, 40)}' is not a length: write a number "
                          f"and one of {units}, with no space between ({what}=50%, {what}=3in; "
                          "a number alone is pixels)")
    number = float(found["value"])
    if number <= 0:
        raise SizeProblem(f"image {what} '{excerpt(value, 40)}' must be more than 0")
    return m.Length(value=number, unit=UNITS[found["unit"]])


def display_size(width: str | None, height: str | None
                 ) -> tuple[m.Length | None, m.Length | None, list[str]]:
    """The width and height an image's attributes set (None: not set), and
    what is wrong with them."""
    problems: list[str] = []
    sizes: list[m.Length | None] = []
    for what, value in (("width", width), ("height", height)):
        if value is None:
            sizes.append(None)
            continue
        try:
            sizes.append(length(value, what))
        except SizeProblem as problem:
            problems.append(str(problem))
            sizes.append(None)
    return sizes[0], sizes[1], problems
