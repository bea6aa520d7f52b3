"""A reference document is an input too: what of it reaches an output.

A `--reference-doc` (or a templates folder's docx/reference.docx) comes
from anyone, and a DOCX is a zip of parts that Word acts on: macros
(vbaProject.bin), a template fetched on open (attachedTemplate), pictures
and content linked from servers, ActiveX and OLE objects, fields that read
files or run commands (INCLUDETEXT, DDEAUTO). Before python-docx sees it,
the package is rebuilt from the parts a briefing's DOCX needs, found by
following relationships from the main document:

- styles, numbering, settings, theme, fonts (the font table and the fonts
  it embeds), web settings, headers and footers, foot- and endnotes, and
  the pictures those (and numbering's picture bullets) show;
- no relationship to anything outside the package, and no part of any
  other kind; an element left pointing at what was dropped goes too (a
  link keeps its text), so does a field that fetches or runs something,
  and the settings that attach a template or a mail-merge source.

Every part is read with a size limit, never trusting the sizes the zip
claims (a 2 MB bomb claims little and inflates to gigabytes), and the zip
as a whole has limits on its size and its number of parts. What cannot be
read is one problem line for the reference document. What was left out
that a user might have meant (macros, a template, linked content) is said
once, as a warning.
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline.problems import BriefingError
from pipeline.render.templates import BUILTIN

BUILTIN_REFERENCE = BUILTIN / "docx" / "reference.docx"

MAX_FILE = 50 * 2**20  # the reference document itself
MAX_PARTS = 1000
MAX_PART = 32 * 2**20  # one part, inflated: an embedded CJK font runs to 20 MB
MAX_TOTAL = 100 * 2**20  # every kept part, inflated

RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"

# What the package's own relationships may keep: the document and its properties.
ROOT_KEPT = {OFFICE + "officeDocument", PACKAGE + "core-properties", OFFICE + "extended-properties"}
# Relationship types kept, by the kind of part they go from; pictures only
# where something shows them (a header's logo, a picture bullet).
KEPT = {
    "document": {OFFICE + kind for kind in ("styles", "numbering", "settings", "theme", "fontTable",
                                            "webSettings", "header", "footer", "footnotes", "endnotes")},
    "fontTable": {OFFICE + "font"},
    "header": {OFFICE + "image"},
    "footer": {OFFICE + "image"},
    "footnotes": {OFFICE + "image"},
    "endnotes": {OFFICE + "image"},
    "numbering": {OFFICE + "image"},
}
KINDS = {OFFICE + kind: kind for kind in ("styles", "numbering", "settings", "theme", "fontTable",
                                          "webSettings", "header", "footer", "footnotes", "endnotes",
                                          "font", "image")}
KINDS |= {OFFICE + "officeDocument": "document", PACKAGE + "core-properties": "core",
          OFFICE + "extended-properties": "app"}
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
MAIN = WML + "document.main+xml"
# The content type each kind of XML part must have. The main document may
# be a template's or a macro-enabled one's: it is written as a document's.
XML_TYPES = {kind: {WML + kind + "+xml"} for kind in ("styles", "numbering", "settings", "fontTable",
                                                      "webSettings", "header", "footer", "footnotes",
                                                      "endnotes")}
XML_TYPES |= {
    "document": {MAIN, WML + "template.main+xml", "application/vnd.ms-word.document.macroEnabled.main+xml",
                 "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"},
    "theme": {"application/vnd.openxmlformats-officedocument.theme+xml"},
    "core": {"application/vnd.openxmlformats-package.core-properties+xml"},
    "app": {"application/vnd.openxmlformats-officedocument.extended-properties+xml"},
}
# Content types a kept part may have (a relationship's type says what a part
# is for, its content type what it is: both must fit).
IMAGE_TYPES = re.compile(r"image/(png|jpeg|gif|bmp|tiff|x-emf|x-wmf|svg\+xml)$")
FONT_TYPES = {"application/vnd.openxmlformats-officedocument.obfuscatedFont",
              "application/x-font-ttf", "application/vnd.ms-opentype"}
# What, when dropped, a user may have meant to keep: said in a warning.
NOTABLE = {"vbaProject": "macros (vbaProject.bin)", "attachedTemplate": "an attached template",
           "oleObject": "embedded objects", "control": "ActiveX controls",
           "aFChunk": "imported content (altChunk)", "subDocument": "subdocuments"}
# Field instructions that read a file or a server, or run a program.
FETCHING_FIELD = re.compile(r"^\s*(INCLUDEPICTURE|INCLUDETEXT|IMPORT|LINK|DDE|DDEAUTO|DATABASE|"
                            r"INCLUDE|EMBED|AUTOTEXTLIST|ADDIN|MACROBUTTON|GOTOBUTTON)\b", re.IGNORECASE)
# Settings that tie the document to something outside it.
OUTSIDE_SETTINGS = ("attachedTemplate", "mailMerge", "linkStyles", "saveThroughXslt",
                    "attachedSchema", "docVars")


class ReferenceProblem(ValueError):
    """Why a reference document cannot be used, said to the user."""


@dataclass
class Cleaned:
    data: bytes  # the rebuilt package
    dropped: list[str] = field(default_factory=list)  # the notable things left out


def clean_reference(path: Path) -> Cleaned:
    """The reference document rebuilt from what a briefing needs; a
    BriefingError (docx.reference) when it cannot be read."""
    try:
        if path.resolve() == BUILTIN_REFERENCE.resolve():  # ours, made by tools/make_reference_docx.py
            return Cleaned(path.read_bytes())
        info = path.stat()
        return cached(str(path), info.st_size, info.st_mtime_ns)
    except OSError as error:
        raise BriefingError.one(str(path), None, "docx.reference",
                                f"cannot read reference.docx: {error.strerror}") from None
    except ReferenceProblem as problem:
        raise BriefingError.one(str(path), None, "docx.reference",
                                f"cannot use this reference document: {problem}") from None


@functools.lru_cache(maxsize=8)
def cached(path: str, size: int, mtime: int) -> Cleaned:
    """Cleaned once per file and version: a batch uses one reference."""
    if size > MAX_FILE:
        raise ReferenceProblem(f"it is larger than {MAX_FILE // 2**20} MB")
    with open(path, "rb") as file:
        data = file.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        raise ReferenceProblem(f"it is larger than {MAX_FILE // 2**20} MB")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return Package(package).rebuilt()
    except ReferenceProblem:
        raise
    except zipfile.BadZipFile as error:
        raise ReferenceProblem(f"it is not a DOCX (a zip of parts): {error}") from None
    # What zipfile and zlib raise for a damaged zip: its entries, their
    # compression, their encryption.
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, RuntimeError, ValueError,
            OSError, zlib.error, struct.error) as error:
        raise ReferenceProblem(f"its zip cannot be read: {error}") from None


class Package:
    """One reference document's zip, read part by part as needed."""

    def __init__(self, package: zipfile.ZipFile) -> None:
        entries = package.infolist()
        if len(entries) > MAX_PARTS:
            raise ReferenceProblem(f"it has more than {MAX_PARTS:,} parts")
        self.zip = package
        self.entries = {entry.filename: entry for entry in entries}
        self.read_so_far = 0
        self.kept: dict[str, bytes] = {}  # part name (no leading /) -> bytes
        self.types = self.content_types()
        self.dropped: list[str] = []

    def part(self, name: str) -> bytes:
        """A part's bytes, inflated at most to the limits, whatever its
        header claims."""
        entry = self.entries.get(name)
        if entry is None:
            raise ReferenceProblem(f"its part /{name} is missing")
        with self.zip.open(entry) as stream:
            data = stream.read(MAX_PART + 1)
        if len(data) > MAX_PART:
            raise ReferenceProblem(f"its part /{name} is larger than {MAX_PART // 2**20} MB "
                                   "once inflated")
        self.read_so_far += len(data)
        if self.read_so_far > MAX_TOTAL:
            raise ReferenceProblem(f"its parts are larger than {MAX_TOTAL // 2**20} MB once inflated")
        return data

    def xml(self, name: str) -> etree._Element:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                 huge_tree=False)
        try:
            root = etree.fromstring(self.part(name), parser)
        except etree.XMLSyntaxError as error:
            raise ReferenceProblem(f"its part /{name} is not well-formed XML: {error.msg}") from None
        if root.getroottree().docinfo.doctype:  # entities that read files or multiply
            raise ReferenceProblem(f"its part /{name} has a DOCTYPE, which no part of a DOCX has")
        return root

    def content_types(self) -> dict[str, str]:
        """Part name -> content type, from [Content_Types].xml."""
        root = self.xml("[Content_Types].xml")
        defaults = {d.get("Extension", "").lower(): d.get("ContentType", "")
                    for d in root.iter(f"{{{TYPES_NS}}}Default")}
        types = {name: defaults.get(posixpath.splitext(name)[1][1:].lower(), "")
                 for name in self.entries}
        for override in root.iter(f"{{{TYPES_NS}}}Override"):
            types[override.get("PartName", "").lstrip("/")] = override.get("ContentType", "")
        return types

    def rebuilt(self) -> Cleaned:
        kept_rels = self.follow("", "package", ROOT_KEPT)
        if not any(kind == "document" for kind in kept_rels.values()):
            raise ReferenceProblem("it has no main document (word/document.xml)")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rebuilt:
            types = etree.Element(f"{{{TYPES_NS}}}Types", nsmap={None: TYPES_NS})
            etree.SubElement(types, f"{{{TYPES_NS}}}Default", Extension="rels",
                             ContentType="application/vnd.openxmlformats-package.relationships+xml")
            for name in self.kept:
                if not name.endswith(".rels"):
                    content_type = self.types.get(name, "")
                    etree.SubElement(types, f"{{{TYPES_NS}}}Override", PartName="/" + name,
                                     ContentType=MAIN if content_type in XML_TYPES["document"]
                                     else content_type)
            rebuilt.writestr("[Content_Types].xml", etree.tostring(types, xml_declaration=True,
                                                                   encoding="UTF-8", standalone=True))
            for name, data in self.kept.items():
                rebuilt.writestr(name, data)
        return Cleaned(out.getvalue(), sorted(set(self.dropped)))

    def follow(self, source: str, kind: str, allowed: set[str]) -> dict[str, str]:
        """Keep `source`'s relationships of the `allowed` types to parts in
        the package, and (depth first) the parts they lead to; return the
        kept relationships' ids and the kinds of part they lead to."""
        folder, base = posixpath.split(source)
        rels_name = posixpath.join(folder, "_rels", f"{base}.rels")
        if rels_name not in self.entries:
            return {}
        rels = self.xml(rels_name)
        kept: dict[str, str] = {}
        for rel in list(rels):
            rel_type, target = rel.get("Type", ""), rel.get("Target", "")
            short = rel_type.rsplit("/", 1)[-1]
            name = posixpath.normpath(target.lstrip("/") if target.startswith("/")
                                      else posixpath.join(folder, target))
            part_kind = KINDS.get(rel_type)
            if (rel.get("TargetMode") == "External" or rel_type not in allowed or part_kind is None
                    or name not in self.entries or name.startswith("../")
                    or not self.fits(name, part_kind)):
                rels.remove(rel)
                if short in NOTABLE:
                    self.dropped.append(NOTABLE[short])
                elif rel.get("TargetMode") == "External":
                    self.dropped.append(f"a link to {target[:60]}")
                continue
            kept[rel.get("Id", "")] = part_kind
            if name not in self.kept:
                self.keep(name, part_kind)
        self.kept[rels_name] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8",
                                              standalone=True)
        return kept

    def fits(self, name: str, kind: str) -> bool:
        """Whether the part's content type is what its relationship says."""
        content_type = self.types.get(name, "")
        if kind == "image":
            return bool(IMAGE_TYPES.match(content_type))
        if kind == "font":
            return content_type in FONT_TYPES
        return content_type in XML_TYPES.get(kind, set())

    def keep(self, name: str, kind: str) -> None:
        self.kept[name] = b""  # taken, so that a loop of relationships ends
        if kind in ("image", "font"):
            self.kept[name] = self.part(name)
            return
        ids = set(self.follow(name, kind, KEPT.get(kind, set())))
        root = self.xml(name)
        self.kept[name] = etree.tostring(clean_xml(root, ids, kind, self.dropped),
                                         xml_declaration=True, encoding="UTF-8", standalone=True)


def clean_xml(root: etree._Element, ids: set[str], kind: str, dropped: list[str]) -> etree._Element:
    """A part's XML without what points outside what was kept: elements
    naming a dropped relationship (a hyperlink keeps its text), fields that
    fetch or run, and settings tied to something outside."""
    for element in list(root.iter(etree.Element)):
        if element.getparent() is None and element is not root:
            continue  # inside an element already taken out
        named = [(key, value) for key, value in element.attrib.items()
                 if key.startswith(f"{{{R_NS}}}") and value not in ids]
        if named:
            if etree.QName(element).localname == "hyperlink":
                unwrap(element)
            elif etree.QName(element).localname == "blip" and all(
                    etree.QName(key).localname == "link" for key, _ in named):
                for key, _ in named:  # a picture linked from a server: drawn from its copy only
                    del element.attrib[key]
            else:
                remove(element)
            continue
        if element.tag == f"{{{W_NS}}}fldSimple" and FETCHING_FIELD.match(element.get(f"{{{W_NS}}}instr", "")):
            dropped.append("fields that fetch or run something")
            unwrap(element)  # the field's last result stays, as text
        elif element.tag == f"{{{W_NS}}}instrText" and FETCHING_FIELD.match(element.text or ""):
            dropped.append("fields that fetch or run something")
            element.text = ""
        elif kind == "settings" and element.getparent() is root and \
                etree.QName(element).localname in OUTSIDE_SETTINGS:
            remove(element)
    return root


def unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)


def remove(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)
