"""pipeline/render/docx/elements.py: an element made with the kept names is
python-docx's element, class, namespaces and attributes alike."""

import docx.oxml
import pytest
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
