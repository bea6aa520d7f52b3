"""pipeline/render/docx/elements.py: an element made with the kept names is
python-docx's element, class, namespaces and attributes alike; and
pipeline/render/docx/paragraphs.py places a numbering among a paragraph's
properties where python-docx would."""

import docx.oxml
import pytest
from hypothesis import given, strategies as st
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from pipeline.render.docx.elements import OxmlElement


@pytest.mark.parametrize("tag, attrs, declared", [
    ("w:p", None, None),
    ("w:r", None, None),
    ("w:tbl", None, None),
    ("w:bookmarkStart", {qn("w:id"): "3", qn("w:name"): "_Ref1"}, None),
    ("m:oMath", None, None),
    ("wp:inline", None, {"wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
                         "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}),
    ("a:graphic", None, None),
])
def test_the_element_is_the_one_python_docx_makes(tag, attrs, declared):
    ours, theirs = OxmlElement(tag, attrs, declared), docx.oxml.OxmlElement(tag, attrs, declared)
    assert type(ours) is type(theirs)
    assert etree.tostring(ours) == etree.tostring(theirs)
    assert ours.nsmap == theirs.nsmap


def test_made_twice_the_elements_are_two():
    first, second = OxmlElement("w:p"), OxmlElement("w:p")
    first.append(OxmlElement("w:r"))
    assert first is not second and len(second) == 0
    assert 'xmlns:w=' in nsdecls("w") and second.nsmap == {"w": first.nsmap["w"]}


# CT_PPrBase's children in the schema's order (python-docx's CT_PPr._tag_seq).
P_PR_CHILDREN = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
                 "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing",
                 "w:ind", "w:contextualSpacing", "w:jc", "w:outlineLvl", "w:rPr", "w:sectPr")


@given(st.sets(st.sampled_from(P_PR_CHILDREN)))
def test_a_numbering_goes_where_python_docx_puts_it(present):
    from pipeline.render.docx.paragraphs import insert_numPr

    made = []
    for insert in (insert_numPr, lambda properties, num_pr: properties._insert_numPr(num_pr)):
        properties = OxmlElement("w:pPr")
        for tag in P_PR_CHILDREN:
            if tag in present:
                properties.append(OxmlElement(tag))
        insert(properties, OxmlElement("w:numPr"))
        made.append([child.tag for child in properties])
    assert made[0] == made[1]
