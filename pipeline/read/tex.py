"""TeX mathematics -> MathML, checked: the one conversion every backend
starts from (HTML shows the MathML, the PDF an SVG drawn from it, Word an
equation converted from it).

latex2mathml does the conversion. What it writes is parsed again and kept
only if it is well-formed MathML of the elements and attributes listed
below (no links, no styles, nothing that loads), and only if every command
was understood: latex2mathml leaves a command it does not know as text
(`<mi>\\foo</mi>`), which would show the TeX raw. A formula that fails is a
MathProblem, which the reader reports at the formula's line.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml import etree

MATHML = "http://www.w3.org/1998/Math/MathML"
MAX_TEX = 4000  # characters in one formula
MAX_DEPTH = 40  # nested groups `{…}` in one formula

ELEMENTS = frozenset((
    "math", "mrow", "mi", "mn", "mo", "mtext", "mspace", "ms", "msub", "msup", "msubsup",
    "munder", "mover", "munderover", "mfrac", "msqrt", "mroot", "mstyle", "mpadded",
    "mphantom", "mfenced", "menclose", "mtable", "mtr", "mtd", "mlabeledtr", "merror",
    "mmultiscripts", "mprescripts", "none", "semantics", "annotation",
))
ATTRIBUTES = frozenset((
    "display", "mathvariant", "mathsize", "mathcolor", "mathbackground", "stretchy", "fence",
    "form", "separator", "separators", "lspace", "rspace", "largeop", "movablelimits", "accent",
    "accentunder", "columnalign", "columnspacing", "rowspacing", "columnlines", "rowlines",
    "frame", "displaystyle", "scriptlevel", "width", "height", "depth", "linethickness",
    "notation", "minsize", "maxsize", "symmetric", "align", "linebreak", "open", "close",
    "rowalign", "bevelled", "voffset", "encoding", "columnspan", "rowspan",
))

# What latex2mathml lacks, said in what it has: amsmath's `aligned` is
# `split` in display, and so are its numbered environments (and
# `eqnarray`), whose numbers the model gives; `\arg` is an operator name
# like `\sin`; labels and `\nonumber` only steer LaTeX's own numbering,
# which the model does.
REWRITES = (
    (re.compile(r"\\(begin|end)\{aligned\}"), r"\\\1{split}"),
    (re.compile(r"\\(begin|end)\{(align|equation|gather|multline|flalign|eqnarray)\*?\}"), r"\\\1{split}"),
    (re.compile(r"\\begin\{alignat\*?\}\s*\{\d+\}"), r"\\begin{split}"),
    (re.compile(r"\\end\{alignat\*?\}"), r"\\end{split}"),
    (re.compile(r"\\arg(?![A-Za-z])"), r"\\operatorname{arg}"),
    (re.compile(r"\\label\{[^{}]*\}|\\nonumber(?![A-Za-z])|\\notag(?![A-Za-z])"), ""),
    # latex2mathml writes `\sim` as an ASCII tilde, a letter (`a~b`); TeX's
    # is the relation ∼, which its `\thicksim` gives.
    (re.compile(r"\\sim(?![A-Za-z])"), r"\\thicksim"),
    # One letter upright (`R^\mathrm{u}`, `\mathrm{d}x`): latex2mathml writes
    # it as a plain letter, which is italic; with spaces round it, upright.
    (re.compile(r"\\mathrm\{([A-Za-z])\}"), r"\\mathrm{ \1 }"),
)
# Macro definitions can expand without end (or exponentially): refused.
MACROS = re.compile(r"\\(?:def|newcommand|renewcommand|providecommand|let|DeclareMathOperator)(?![A-Za-z])")

ERRORS = {
    "NumeratorNotFoundError": "a \\frac without its numerator",
    "DenominatorNotFoundError": "a \\frac without its denominator",
    "ExtraLeftOrMissingRightError": "a \\left without its \\right",
    "MissingSuperScriptOrSubscriptError": "a ^ or _ with nothing after it",
    "DoubleSubscriptsError": "two subscripts in a row (write x_{a b}, or {x_a}_b)",
    "DoubleSuperscriptsError": "two superscripts in a row (write x^{a b}, or {x^a}^b)",
    "NoAvailableTokensError": "it ends too early: a { without its }, or a command without its argument",
    "MissingEndError": "a \\begin{…} without its \\end{…}",
    "InvalidStyleForGenfracError": "a \\genfrac with a style it does not know",
    "InvalidAlignmentError": "an array's column alignment it does not know",
    "InvalidWidthError": "a width it does not understand",
    "LimitsMustFollowMathOperatorError": "\\limits after something that is not an operator",
}


BRACES = re.compile(r"(?<!\\)[{}]|(?<=\\\\)[{}]")  # not `\{`, a literal brace (but `\\{` opens)


# Elements of a fixed number of parts: a `\frac{1}` has one.
ARITY = {"mfrac": 2, "mroot": 2, "msub": 2, "msup": 2, "munder": 2, "mover": 2, "msubsup": 3,
         "munderover": 3}
WHAT = {"mfrac": "a fraction", "mroot": "a root", "msub": "a subscript", "msup": "a superscript",
        "munder": "an under-script", "mover": "an over-script", "msubsup": "a sub- and superscript",
        "munderover": "a limit"}


class MathProblem(Exception):
    """Why a formula cannot be shown."""


def prepared(tex: str) -> str:
    for pattern, replacement in REWRITES:
        tex = pattern.sub(replacement, tex)
    return tex


@lru_cache(maxsize=1024)
def to_mathml(tex: str, display: bool = False) -> str:
    """The formula as a `<math>` element, checked; MathProblem if it cannot be."""
    if not tex.strip():
        raise MathProblem("the formula is empty")
    if len(tex) > MAX_TEX:
        raise MathProblem(f"a formula of {len(tex):,} characters is past the limit of {MAX_TEX:,}")
    if found := MACROS.search(tex):
        raise MathProblem(f"{found[0]} is not supported: write the formula out in full")
    depth = 0
    for char in BRACES.findall(tex):
        depth += 1 if char == "{" else -1
        if depth > MAX_DEPTH:
            raise MathProblem(f"groups {{…}} nest deeper than {MAX_DEPTH} levels")
        if depth < 0:
            raise MathProblem("cannot read it: a } without its {")
    if depth:
        raise MathProblem("cannot read it: a { without its }")  # which latex2mathml would let pass
    import latex2mathml.converter  # only for a briefing with mathematics
    from lxml import etree

    try:
        written = latex2mathml.converter.convert(prepared(tex), display="block" if display else "inline")
    except RecursionError:
        raise MathProblem("the formula nests too deeply to read") from None
    except Exception as error:  # latex2mathml has one exception class per mistake
        reason = ERRORS.get(type(error).__name__, f"{type(error).__name__} {error}".strip())
        raise MathProblem(f"cannot read it: {reason}") from None
    try:
        root = etree.fromstring(written, etree.XMLParser(resolve_entities=False, no_network=True,
                                                         load_dtd=False))
    except etree.XMLSyntaxError:
        # latex2mathml writes `&` raw for an alignment mark it does not
        # place (outside an environment that has columns).
        raise MathProblem("cannot read it: an & outside an environment with columns "
                          "(such as aligned, cases or matrix)") from None
    sized_delimiters(root)
    check(root)
    operators(root)
    mark_signs(root)
    return etree.tostring(root, encoding="unicode")


# What latex2mathml leaves as written after `\big`, `\Bigl` and the like
# (`\big\{`): the delimiter each command names, as `\left` would give it.
DELIMITERS = {
    "\\{": "{", "\\}": "}", "\\lbrace": "{", "\\rbrace": "}", "\\|": "‖", "\\Vert": "‖",
    "\\lVert": "‖", "\\rVert": "‖", "\\vert": "|", "\\lvert": "|", "\\rvert": "|",
    "\\langle": "⟨", "\\rangle": "⟩", "\\lfloor": "⌊", "\\rfloor": "⌋", "\\lceil": "⌈",
    "\\rceil": "⌉", "\\lbrack": "[", "\\rbrack": "]", "\\backslash": "∖", "\\uparrow": "↑",
    "\\downarrow": "↓", "\\updownarrow": "↕", "\\Uparrow": "⇑", "\\Downarrow": "⇓",
    "\\Updownarrow": "⇕", "\\lgroup": "⟮", "\\rgroup": "⟯", "\\lmoustache": "⎰",
    "\\rmoustache": "⎱",
}


def sized_delimiters(root: etree._Element) -> None:
    for element in root.iter(f"{{{MATHML}}}mo"):
        if "maxsize" in element.attrib and element.text in DELIMITERS:
            element.text = DELIMITERS[element.text]


SIGNS = frozenset("−+-±∓")
CLOSING = frozenset(")]}⟩⌉⌋|‖!′″")  # after one of these a sign is between two terms


# Operators latex2mathml writes as identifiers (`\pm`, `\neg`,
# `\langle`, `\iff` …): set as operators, spaced as TeX spaces them, as
# pandoc writes them; "a±b" stood cramped.
OPERATORS = frozenset("±∓¬⊥⟂•∖⧵⟺⟹⟸⟨⟩")


def operators(root: etree._Element) -> None:
    for element in root.iter(f"{{{MATHML}}}mi"):
        if element.text in OPERATORS and not len(element):
            element.tag = f"{{{MATHML}}}mo"


def mark_signs(root: etree._Element) -> None:
    """A sign that starts a term (`f(-1)`, `= -x`, `[-1, 1]`) is a prefix
    operator, set close to what follows, as TeX sets it; latex2mathml
    leaves it infix, which browsers and the PDF's drawing space as in
    `a − b`: "f( − 1)"."""
    for sign in root.iter(f"{{{MATHML}}}mo"):
        if sign.text not in SIGNS or "form" in sign.attrib:
            continue
        before = sign.getprevious()
        if before is None or (before.tag == f"{{{MATHML}}}mo" and (before.text or "") not in CLOSING):
            sign.set("form", "prefix")


def check(root: etree._Element) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str):  # a comment or processing instruction
            raise MathProblem("cannot read it")
        namespace, _, name = element.tag.rpartition("}")
        if namespace.lstrip("{") != MATHML or name not in ELEMENTS:
            raise MathProblem(f"cannot show its <{name}>")
        for attribute in list(element.attrib):
            if attribute not in ATTRIBUTES:
                del element.attrib[attribute]  # href, style …: nothing that links or restyles the page
        if name in ("mi", "mo") and (element.text or "").startswith("\\"):
            raise MathProblem(f"{element.text} is not a command it knows")
        if name in ARITY and len(element) != ARITY[name]:
            raise MathProblem(f"cannot read it: {WHAT[name]} without all its parts")
