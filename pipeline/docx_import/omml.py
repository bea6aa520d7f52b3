"""Office Math (OMML) back to TeX, and a formula's signature.

Our own DOCX keeps each formula's TeX among its import hints, found again
by the formula's signature (its structure and text, which Word keeps when
it saves): a formula nobody edited comes back exactly as written. A formula
a reviewer edited, or one from a Word file made elsewhere, is turned into
TeX here, element by element, as pandoc's texmath reads OMML.
"""

from __future__ import annotations

import unicodedata

from lxml import etree

from pipeline.docx_import.package import NS
from pipeline.render.docx.roundtrip import math_signature

M = "{%s}" % NS["m"]
W = "{%s}" % NS["w"]

SYMBOLS = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\epsilon", "ϵ": r"\epsilon",
    "ζ": r"\zeta", "η": r"\eta", "θ": r"\theta", "ϑ": r"\vartheta", "ι": r"\iota", "κ": r"\kappa",
    "λ": r"\lambda", "μ": r"\mu", "ν": r"\nu", "ξ": r"\xi", "π": r"\pi", "ρ": r"\rho", "σ": r"\sigma",
    "ς": r"\varsigma", "τ": r"\tau", "υ": r"\upsilon", "φ": r"\phi", "ϕ": r"\phi", "χ": r"\chi",
    "ψ": r"\psi", "ω": r"\omega", "Γ": r"\Gamma", "Δ": r"\Delta", "Θ": r"\Theta", "Λ": r"\Lambda",
    "Ξ": r"\Xi", "Π": r"\Pi", "Σ": r"\Sigma", "Υ": r"\Upsilon", "Φ": r"\Phi", "Ψ": r"\Psi",
    "Ω": r"\Omega", "≤": r"\le", "≥": r"\ge", "≠": r"\ne", "≈": r"\approx", "×": r"\times",
    "⋅": r"\cdot", "·": r"\cdot", "±": r"\pm", "∓": r"\mp", "→": r"\to", "←": r"\leftarrow",
    "⇒": r"\Rightarrow", "⇐": r"\Leftarrow", "⇔": r"\Leftrightarrow", "↔": r"\leftrightarrow",
    "∞": r"\infty", "∂": r"\partial", "∇": r"\nabla", "∈": r"\in", "∉": r"\notin", "⊂": r"\subset",
    "⊆": r"\subseteq", "⊃": r"\supset", "⊇": r"\supseteq", "∪": r"\cup", "∩": r"\cap",
    "∀": r"\forall", "∃": r"\exists", "¬": r"\neg", "∧": r"\wedge", "∨": r"\vee", "…": r"\ldots",
    "⋯": r"\cdots", "∼": r"\sim", "≡": r"\equiv", "∝": r"\propto", "∅": r"\emptyset",
    "−": "-", "∗": "*", "′": "'", "″": "''", "°": r"^\circ", "÷": r"\div", "∘": r"\circ",
    "⟨": r"\langle", "⟩": r"\rangle", "‖": r"\|", "ℏ": r"\hbar", "ℓ": r"\ell", "√": r"\surd",
    "\u2061": "", "\u2062": "", "\u2063": "", "\u200b": "",
    "{": r"\{", "}": r"\}", "#": r"\#", "%": r"\%", "&": r"\&", "_": r"\_", "$": r"\$",
}
NARY = {"∑": r"\sum", "∏": r"\prod", "∐": r"\coprod", "∫": r"\int", "∬": r"\iint", "∭": r"\iiint",
        "∮": r"\oint", "⋃": r"\bigcup", "⋂": r"\bigcap", "⋁": r"\bigvee", "⋀": r"\bigwedge"}
ACCENTS = {"\u0302": r"\hat", "\u0303": r"\tilde", "\u0304": r"\bar", "\u0305": r"\bar",
           "\u20d7": r"\vec", "\u0307": r"\dot", "\u0308": r"\ddot", "\u0301": r"\acute",
           "\u0300": r"\grave", "\u0306": r"\breve", "\u030c": r"\check", "^": r"\hat", "~": r"\tilde",
           "¯": r"\bar", "→": r"\vec"}
FUNCTIONS = {"sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh", "log", "ln", "lg",
             "exp", "lim", "max", "min", "sup", "inf", "det", "dim", "ker", "arg", "deg", "gcd",
             "arcsin", "arccos", "arctan", "Pr"}
DELIMITERS = {"(": "(", ")": ")", "[": "[", "]": "]", "{": r"\{", "}": r"\}", "|": "|", "‖": r"\|",
              "⟨": r"\langle", "⟩": r"\rangle", "⌈": r"\lceil", "⌉": r"\rceil", "⌊": r"\lfloor",
              "⌋": r"\rfloor", "": "."}
MATRIX_FENCES = {("(", ")"): "pmatrix", ("[", "]"): "bmatrix", ("{", "}"): "Bmatrix",
                 ("|", "|"): "vmatrix", ("‖", "‖"): "Vmatrix"}


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


def prop(element: etree._Element, properties: str, name: str, default: str | None = None) -> str | None:
    found = element.find(f"{M}{properties}/{M}{name}")
    if found is None:
        return default
    return found.get(f"{M}val", default if default is not None else "")


def part(element: etree._Element, name: str) -> etree._Element | None:
    return element.find(f"{M}{name}")


def to_tex(element: etree._Element) -> str:
    """The TeX of an m:oMath or m:oMathPara."""
    if local(element) == "oMathPara":
        lines = [tex(child) for child in element if local(child) == "oMath"]
        return r" \\ ".join(line for line in lines if line)
    return tex(element).strip()


def tex(element: etree._Element | None) -> str:
    """The TeX of an element's children, in order."""
    if element is None:
        return ""
    out: list[str] = []
    for child in element:
        if etree.QName(child).namespace != NS["m"]:
            continue
        out.append(node(child))
    return join(out)


def join(parts: list[str]) -> str:
    text = ""
    for piece in parts:
        if not piece:
            continue
        # A command followed by a letter needs a space between: \alpha x.
        if text and text[-1].isalpha() and piece[0].isalpha() and "\\" in text.rsplit(" ", 1)[-1]:
            text += " "
        text += piece
    return text


def group(content: str) -> str:
    return content if len(content) == 1 else "{" + content + "}"


def node(element: etree._Element) -> str:
    name = local(element)
    match name:
        case "r":
            return run(element)
        case "f":
            num, den = tex(part(element, "num")), tex(part(element, "den"))
            kind = prop(element, "fPr", "type", "bar")
            if kind == "lin":
                return f"{group(num)}/{group(den)}"
            if kind == "noBar":
                return rf"\binom{{{num}}}{{{den}}}"
            return rf"\frac{{{num}}}{{{den}}}"
        case "sSup":
            return f"{group(tex(part(element, 'e')))}^{{{tex(part(element, 'sup'))}}}"
        case "sSub":
            return f"{group(tex(part(element, 'e')))}_{{{tex(part(element, 'sub'))}}}"
        case "sSubSup":
            return (f"{group(tex(part(element, 'e')))}_{{{tex(part(element, 'sub'))}}}"
                    f"^{{{tex(part(element, 'sup'))}}}")
        case "sPre":
            return (f"{{}}_{{{tex(part(element, 'sub'))}}}^{{{tex(part(element, 'sup'))}}}"
                    f"{group(tex(part(element, 'e')))}")
        case "rad":
            degree = tex(part(element, "deg"))
            hidden = prop(element, "radPr", "degHide") in ("1", "on", "true", "")
            body = tex(part(element, "e"))
            return rf"\sqrt[{degree}]{{{body}}}" if degree and not hidden else rf"\sqrt{{{body}}}"
        case "nary":
            char = prop(element, "naryPr", "chr", "∫") or "∫"
            command = NARY.get(char, SYMBOLS.get(char, char))
            lower, upper = tex(part(element, "sub")), tex(part(element, "sup"))
            limits = (f"_{{{lower}}}" if lower else "") + (f"^{{{upper}}}" if upper else "")
            return f"{command}{limits} {tex(part(element, 'e'))}".rstrip()
        case "d":
            return delimited(element)
        case "acc":
            char = prop(element, "accPr", "chr", "\u0302") or "\u0302"
            command = ACCENTS.get(char, ACCENTS["^"])
            return f"{command}{{{tex(part(element, 'e'))}}}"
        case "bar":
            position = prop(element, "barPr", "pos", "bot")
            command = r"\overline" if position == "top" else r"\underline"
            return f"{command}{{{tex(part(element, 'e'))}}}"
        case "func":
            function = tex(part(element, "fName")).strip()
            command = f"\\{function}" if function in FUNCTIONS else rf"\operatorname{{{function}}}"
            if function.startswith("\\"):
                command = function
            return f"{command} {group(tex(part(element, 'e')))}"
        case "limLow":
            base = tex(part(element, "e")).strip()
            below = tex(part(element, "lim"))
            bare = base.lstrip("\\")
            if bare in FUNCTIONS:
                return "\\" + bare + "_{" + below + "}"
            return rf"\underset{{{below}}}{{{base}}}"
        case "limUpp":
            return rf"\overset{{{tex(part(element, 'lim'))}}}{{{tex(part(element, 'e'))}}}"
        case "m":
            return matrix(element, "matrix")
        case "eqArr":
            rows = [tex(e) for e in element.findall(f"{M}e")]
            return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"
        case "groupChr":
            brace = prop(element, "groupChrPr", "chr", "\u23df")
            command = r"\overbrace" if brace == "\u23de" else r"\underbrace"
            return f"{command}{{{tex(part(element, 'e'))}}}"
        case "box" | "borderBox" | "phant" | "e" | "oMath":
            return tex(part(element, "e")) if name != "e" and name != "oMath" else tex(element)
        case _:
            return "" if name.endswith("Pr") else tex(element)


def run(element: etree._Element) -> str:
    text = "".join(t.text or "" for t in element.iter(f"{M}t", f"{W}t"))
    plain = element.find(f"{M}rPr/{M}nor") is not None or element.find(f"{M}rPr/{M}sty") is not None \
        and element.find(f"{M}rPr/{M}sty").get(f"{M}val") == "p"
    text = unicodedata.normalize("NFKC", text) if not any(c in SYMBOLS for c in text) else text
    if plain and text.isalpha() and len(text) > 1:
        return f"\\{text}" if text in FUNCTIONS else rf"\text{{{text}}}"
    out = []
    for char in text:
        if char in SYMBOLS:
            out.append(SYMBOLS[char] + (" " if SYMBOLS[char][-1:].isalpha() else ""))
        elif char in NARY:
            out.append(NARY[char] + " ")
        else:
            normal = unicodedata.normalize("NFKC", char)
            out.append(SYMBOLS.get(normal, normal))
    return "".join(out).replace(" \\", "\\").rstrip() if out else ""


def delimited(element: etree._Element) -> str:
    begin = prop(element, "dPr", "begChr", "(")
    end = prop(element, "dPr", "endChr", ")")
    separator = prop(element, "dPr", "sepChr", "|")
    parts = element.findall(f"{M}e")
    begin, end = begin if begin is not None else "(", end if end is not None else ")"
    if len(parts) == 1 and len(parts[0]) and all(local(c) == "m" for c in parts[0]
                                                  if not local(c).endswith("Pr")):
        environment = MATRIX_FENCES.get((begin, end))
        if environment:
            matrix_element = next(c for c in parts[0] if local(c) == "m")
            return matrix(matrix_element, environment)
    if len(parts) == 1 and begin == "{" and end == "" and len(parts[0]) and any(
            local(c) == "eqArr" for c in parts[0]):
        arr = next(c for c in parts[0] if local(c) == "eqArr")
        rows = [tex(e) for e in arr.findall(f"{M}e")]
        return r"\begin{cases}" + r" \\ ".join(rows) + r"\end{cases}"
    inner = f" {SYMBOLS.get(separator or '|', separator or '|')} ".join(tex(e) for e in parts)
    return (rf"\left{DELIMITERS.get(begin, begin)}" + inner
            + rf"\right{DELIMITERS.get(end, end)}")


def matrix(element: etree._Element, environment: str) -> str:
    rows = [" & ".join(tex(e) for e in row.findall(f"{M}e")) for row in element.findall(f"{M}mr")]
    return rf"\begin{{{environment}}}" + r" \\ ".join(rows) + rf"\end{{{environment}}}"


def signature(element: etree._Element) -> str:
    """A formula's signature: computed as the writer computes the one it
    keeps in the hints (render/docx/roundtrip.py), so the two always agree."""
    return math_signature(element)

