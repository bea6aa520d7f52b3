"""Mathematics for Word: an Office Math equation (OMML), converted from the
checked MathML of read/tex.py by mathml2omml, so Word can edit it. Its one
known defect in the version pinned (an accent's properties closed by the
wrong tag) is mended here, with the shapes Word gives accents, radicals and
delimiters; the result must parse, else the equation is a picture of the
SVG (render/docx/math.py)."""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from pipeline.render.math import to_mathml

OMML = "http://schemas.openxmlformats.org/officeDocument/2006/math"


@lru_cache(maxsize=512)
def omml(tex: str, display: bool) -> str | None:
    """`<m:oMath>…</m:oMath>` for Word, or None when it cannot be made."""
    import mathml2omml  # only for a briefing with mathematics

    try:
        written = mathml2omml.convert(to_mathml(tex, display))
    except Exception:  # a construct mathml2omml does not handle
        return None
    # mathml2omml 0.0.2 closes an accent's <m:groupChrPr> with </m:groupChr>.
    written = GROUP_CHR.sub(r"\1</m:groupChrPr>", written)
    try:
        root = etree.fromstring(f'<m:r xmlns:m="{OMML}">{written}</m:r>')
    except etree.XMLSyntaxError:
        return None
    mend_accents(root)
    mend_radicals(root)
    mend_delimiters(root)
    drop_empty_runs(root)
    return "".join(etree.tostring(child, encoding="unicode") for child in root)


GROUP_CHR = re.compile(r'(<m:groupChrPr><m:chr m:val="[^"]*"/><m:pos m:val="(?:top|bot)"/>)</m:groupChr>')

# mathml2omml writes an accent (`\hat{a}`, `\bar{x}`) as a limit above its
# base or a group character; Word's own is m:acc (m:bar for a line over
# several letters), with the combining character pandoc writes too.
ACCENTS = {"^": "\u0302", "~": "\u0303", "\u02d9": "\u0307", "\u00a8": "\u0308", "\u02c7": "\u030c",
           "\u02d8": "\u0306", "\u00b4": "\u0301", "`": "\u0300", "\u2192": "\u20d7", "\u00af": "\u203e"}
LINES = ("\u2015", "\u203e")


def m(name: str) -> str:
    return f"{{{OMML}}}{name}"


def mend_accents(root: etree._Element) -> None:
    for node in list(root.iter(m("limUpp"), m("limLow"), m("groupChr"))):
        base = node.find(m("e"))
        if node.tag == m("groupChr"):
            char = node.find(f"{m('groupChrPr')}/{m('chr')}")
            position = node.find(f"{m('groupChrPr')}/{m('pos')}")
            accent = char.get(m("val"), "") if char is not None else ""
            above = position is None or position.get(m("val")) != "bot"
        else:
            runs = node.findall(f"{m('lim')}/{m('r')}")
            texts = [t.text or "" for t in node.iter(m("t"))] if len(runs) == 1 else []
            accent = texts[-1] if len(runs) == 1 and len(node.find(m("lim"))) == 1 else ""
            above = node.tag == m("limUpp")
        if base is None or (accent not in ACCENTS and accent not in LINES):
            continue
        if accent in LINES:
            new = etree.Element(m("bar"))
            etree.SubElement(etree.SubElement(new, m("barPr")), m("pos")).set(m("val"), "top" if above else "bot")
        elif above:
            new = etree.Element(m("acc"))
            etree.SubElement(etree.SubElement(new, m("accPr")), m("chr")).set(m("val"), ACCENTS[accent])
        else:
            continue
        new.append(base)
        new.tail = node.tail
        node.getparent().replace(node, new)


def mend_radicals(root: etree._Element) -> None:
    """A square root as OMML has it: a hidden, empty degree (mathml2omml
    leaves the degree out, which the schema requires and Word refuses)."""
    for rad in root.iter(m("rad")):
        if rad.find(m("deg")) is None:
            properties = rad.find(m("radPr"))
            if properties is None:
                properties = etree.Element(m("radPr"))
                rad.insert(0, properties)
            if properties.find(m("degHide")) is None:
                etree.SubElement(properties, m("degHide")).set(m("val"), "1")
            properties.addnext(etree.Element(m("deg")))


PAIRS = {")": "(", "]": "[", "}": "{", "\u27e9": "\u27e8", "|": "|", "\u2016": "\u2016"}


def mend_delimiters(root: etree._Element) -> None:
    """`(a+b)^2` as Word writes it: a superscript on a bracketed group
    (m:d), not on a lone `)` after some runs, which LibreOffice cannot
    read (it shows "¿" for the whole formula) and Word's editor treats
    as unbalanced."""
    for script in list(root.iter(m("sSup"), m("sSub"), m("sSubSup"))):
        base = script.find(m("e"))
        closing = run_text(base[0]) if base is not None and len(base) == 1 else None
        parent = script.getparent()
        if closing not in PAIRS or parent is None or base is None:
            continue
        before = list(parent)[:parent.index(script)]
        depth, start = 0, None
        for index in range(len(before) - 1, -1, -1):
            text = run_text(before[index])
            if text == closing and PAIRS[closing] != closing:
                depth += 1
            elif text == PAIRS[closing]:
                if depth == 0:
                    start = index
                    break
                depth -= 1
        if start is None:
            continue
        group = etree.Element(m("d"))
        properties = etree.SubElement(group, m("dPr"))
        etree.SubElement(properties, m("begChr")).set(m("val"), PAIRS[closing])
        etree.SubElement(properties, m("endChr")).set(m("val"), closing)
        inner = etree.SubElement(group, m("e"))
        opening = before[start]
        for element in before[start + 1:]:
            inner.append(element)  # moves it out of the parent
        parent.remove(opening)
        base.remove(base[0])
        base.append(group)


def run_text(element: etree._Element) -> str | None:
    """The text of an m:r, None for anything else."""
    if element.tag != m("r"):
        return None
    return "".join(t.text or "" for t in element.findall(m("t")))


def drop_empty_runs(root: etree._Element) -> None:
    """Runs of no text (a `\\,` space, an alignment's empty cell start), which
    some readers show as a missing character; Word spaces mathematics itself."""
    for run in list(root.iter(m("r"))):
        texts = run.findall(m("t"))
        parent = run.getparent()
        if texts and not any(t.text for t in texts) and parent is not None and len(parent) > 1:
            parent.remove(run)
