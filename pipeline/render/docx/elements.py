"""python-docx's `OxmlElement`, with each tag's names worked out once.

python-docx parses the prefixed tag (`w:p`) into its namespace and Clark
name for every element it makes; the DOCX of the 71-page benchmark makes
some 4,000, and that parsing was a third of making them. Here the names of
each tag are kept, and the element is made by python-docx's own parser, so
that it is of python-docx's element class for the tag, as before.
"""

from __future__ import annotations

import functools

from docx.oxml.ns import NamespacePrefixedTag
from docx.oxml.parser import oxml_parser


def OxmlElement(nsptag_str: str, attrs: dict[str, str] | None = None,  # noqa: N802 - python-docx's name
                nsdecls: dict[str, str] | None = None):
    """As docx.oxml.OxmlElement: the element for `w:tag`, with `attrs`,
    declaring `nsdecls` (else the tag's own namespace)."""
    clark, nsmap = names(nsptag_str)
    return oxml_parser.makeelement(clark, attrib=attrs, nsmap=nsmap if nsdecls is None else nsdecls)


@functools.cache
def names(nsptag_str: str) -> tuple[str, dict[str, str]]:
    tag = NamespacePrefixedTag(nsptag_str)
    return tag.clark_name, tag.nsmap
