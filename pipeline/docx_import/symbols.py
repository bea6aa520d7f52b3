"""Word's symbol-font characters as the Unicode characters they show.

Word writes a character of the Symbol font either as `w:sym` (font and
code) or as text in a run set in that font, its code moved into the
private-use area (U+F020 … U+F0FF: Symbol's "(" is U+F028). A private-use
character means nothing outside the one font, so the import writes what the
font draws there, and leaves out (with a warning) what it cannot say: a
glyph of Wingdings or another picture font, a code Symbol has nothing at.

The table is the Adobe Symbol encoding: the codes of Symbol.afm (Adobe's
Core 14 AFM files, free to use with their notice kept) with the values the
Adobe Glyph List (Copyright 2002-2019 Adobe, BSD-style licence) gives their
glyph names, except where the list itself answers with a private-use code:
the pieces of tall brackets (U+239B …), the arrow and radical extenders
and the serif and sans-serif ®, © and ™ are given their Unicode
characters; Delta and Omega are the Greek letters (U+0394, U+03A9), not
the increment and ohm signs, as Word's Symbol font means them.
"""

from __future__ import annotations

# Codes 0x20 … 0xFF of the Symbol font; NUL where it has no glyph.
SYMBOL = (
    " !∀#∃%&∋()∗+,−./0123456789:;<=>?"
    "≅ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ[∴]⊥_"
    "‾αβχδεφγηιϕκλμνοπθρστυϖωξψζ{|}∼\x00"
    + "\x00" * 32
    + "€ϒ′≤⁄∞ƒ♣♦♥♠↔←↑→↓°±″≥×∝∂•÷≠≡≈…⏐⎯↵"
    "ℵℑℜ℘⊗⊕∅∩∪⊃⊇⊄⊂⊆∈∉∠∇®©™∏√⋅¬∧∨⇔⇐⇑⇒⇓"
    "◊〈®©™∑⎛⎜⎝⎡⎢⎣⎧⎨⎩⎪\x00〉∫⌠⎮⌡⎞⎟⎠⎤⎥⎦⎫⎬⎭\x00"
)
assert len(SYMBOL) == 0xE0


def private(char: str) -> bool:
    return 0xE000 <= ord(char) <= 0xF8FF or 0xF0000 <= ord(char)


def symbol_char(font: str, code: int, sym: bool = True) -> str | None:
    """What `code` of `font` shows, as Unicode; None when not known. The
    code is a byte of the font or its private-use twin (0xF000 + byte).
    A `w:sym` (`sym`) of another font, not a picture font, shows the
    Latin-1 twin of its code, as Word draws it."""
    byte = code - 0xF000 if 0xF020 <= code <= 0xF0FF else code
    if font.strip().lower() == "symbol" and 0x20 <= byte <= 0xFF:
        char = SYMBOL[byte - 0x20]
        return char if char != "\x00" else None
    if font.strip().lower() in PICTURE_FONTS:
        return None
    if sym and 0xF020 <= code <= 0xF0FF:  # another font's private code: its Latin-1 twin, as Word shows it
        return chr(byte) if byte >= 0x20 and not 0x7F <= byte < 0xA0 else None
    return None if private(chr(code)) or code < 0x20 else chr(code)


PICTURE_FONTS = {"wingdings", "wingdings 2", "wingdings 3", "webdings", "zapf dingbats", "marlett",
                 "ms outlook", "bookshelf symbol 7", "ms reference specialty"}


def in_font(text: str, font: str) -> tuple[str, list[str]]:
    """Text of a run set in `font`, its private-use characters replaced by
    what the font shows; and the characters left out, as U+XXXX."""
    out: list[str] = []
    lost: list[str] = []
    for char in text:
        if not private(char):
            out.append(char)
            continue
        shown = symbol_char(font, ord(char), sym=False) if font else None
        if shown is None:
            lost.append(f"U+{ord(char):04X}")
        else:
            out.append(shown)
    return "".join(out), lost
