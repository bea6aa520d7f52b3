"""An image's size as each format shows it: its own (at 96 pixels to the
inch), or the one its author set (`{width=50%}`, `{height=3in}`, model
Length), with the other side following the picture's proportions; never
wider than the space it stands in nor taller than a page's text.

HTML and the PDF (typeset from the same markup) say it in CSS; Word in
EMU, worked out here."""

from __future__ import annotations

from pipeline import model as m

EMU = {"px": 9525, "cm": 360000, "mm": 36000, "in": 914400, "pt": 12700, "pc": 152400}


def css(width: m.Length | None, height: m.Length | None) -> str:
    """The `style` of an <img> with the size its author set ("" for its own).
    A height in % is a share of the text's height on a page: `vh`, which
    WeasyPrint takes as the page area and a browser as the window."""
    parts = []
    if width is not None:
        parts.append(f"width: {number(width.value)}{width.unit}")
    if height is not None:
        unit = "vh" if height.unit == "%" else height.unit
        parts.append(f"height: {number(height.value)}{unit}")
    if parts and height is None:
        parts.append("height: auto")
    elif parts and width is None:
        parts.append("width: auto")
    return "; ".join(parts)


def number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def emu(length: m.Length, whole: int, em_pt: float) -> int:
    """A length in EMU; `whole` is what 100% is."""
    match length.unit:
        case "%":
            return round(whole * length.value / 100)
        case "em":
            return round(length.value * em_pt * EMU["pt"])
        case unit:
            return round(length.value * EMU[unit])


def emu_size(own: tuple[int, int], width: m.Length | None, height: m.Length | None,
             space: tuple[int, int], em_pt: float) -> tuple[int, int]:
    """The width and height in EMU of a picture of `own` pixels, set to
    `width` and `height` (each None: from the other, or its own), scaled
    down, proportions kept, to fit `space` (EMU: the text's width, or a
    column's, and the page's text height)."""
    own_w, own_h = max(own[0], 1), max(own[1], 1)
    w = emu(width, space[0], em_pt) if width is not None else None
    h = emu(height, space[1], em_pt) if height is not None else None
    if w is None and h is None:
        w, h = own_w * EMU["px"], own_h * EMU["px"]
    elif w is None:
        assert h is not None
        w = round(h * own_w / own_h)
    elif h is None:
        h = round(w * own_h / own_w)
    scale = min(1.0, space[0] / w, space[1] / h if space[1] else 1.0)
    return max(1, int(w * scale)), max(1, int(h * scale))
