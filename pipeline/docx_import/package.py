"""A DOCX opened as untrusted input: the zip checked before anything in it
is read, and each XML part parsed without entities, DTDs or the network.

A Word file comes from a reviewer, or from anyone: it is read as a source
is, with limits. Refused, each with one line that says why, before any
output is written:
- a member name that is absolute or climbs out (`../`, `C:\\`, `\\`);
- a zip bomb: a member that unpacks past its limit (counted while it is
  read, never trusted from the zip's header), or too many members;
- an XML part with a DOCTYPE (entity declarations, billion laughs, XXE):
  Word never writes one (defusedxml's rule);
- a part the document names but the zip lacks (the main document, an
  image, the footnotes), or no main document at all;
- an image past the limits a figure has (20 MB, 40 megapixels).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

from pipeline.problems import BriefingError

MAX_FILE = 200 * 1024 * 1024  # the .docx itself
MAX_MEMBERS = 5000
MAX_XML = 64 * 1024 * 1024  # one XML part, unpacked (a 10 MB source makes far less)
MAX_MEDIA = 20 * 1024 * 1024  # one image, as read/images.py allows a figure
MAX_TOTAL = 512 * 1024 * 1024  # everything unpacked
MAX_RATIO = 200  # unpacked / packed for a member past 1 MB: text compresses 10 to 30 times

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "v": "urn:schemas-microsoft-com:vml",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "custom": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "asvg": "http://schemas.microsoft.com/office/drawing/2016/SVG/main",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
}
W = "{%s}" % NS["w"]
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICE_DOCUMENT = f"{REL}/officeDocument"
# Strict OOXML (ISO 29500 strict) names the same relationships differently.
STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
DRIVE = re.compile(r"^[A-Za-z]:")


def refused(path: str, message: str, code: str = "docx.refused") -> BriefingError:
    return BriefingError.one(path, None, code, message)


def parser() -> etree.XMLParser:
    # No entities resolved, no DTD loaded, nothing fetched, no huge trees.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


@dataclass(frozen=True, slots=True)
class Relationship:
    id: str
    type: str
    target: str  # a part name inside the package, or an external URL
    external: bool


@dataclass
class Package:
    """The zip's members, read on demand within their limits."""

    path: str  # as the user named the file, for messages
    zip: zipfile.ZipFile
    names: dict[str, zipfile.ZipInfo]  # part name (no leading /) -> member
    main: str  # the main document part: word/document.xml, usually
    unpacked: int = 0
    cache: dict[str, etree._Element] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str, limit: int = MAX_XML) -> bytes:
        """A member's bytes, counted as they unpack: refused past `limit`."""
        info = self.names.get(name)
        if info is None:
            raise refused(self.path, f"refused: the document names the part {name}, "
                          "which the file lacks", "docx.missing-part")
        try:
            with self.zip.open(info) as member:
                data = member.read(limit + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
            raise refused(self.path, f"refused: cannot unpack {name}: {error}", "docx.invalid") from None
        if len(data) > limit:
            raise refused(self.path, f"refused: {name} unpacks to more than {limit // 2**20} MB "
                          "(a zip bomb, or far past any briefing)", "docx.too-large")
        if len(data) > 2**20 and len(data) > MAX_RATIO * max(info.compress_size, 1):
            raise refused(self.path, f"refused: {name} unpacks {len(data) // max(info.compress_size, 1)} "
                          "times its packed size (a zip bomb)", "docx.too-large")
        self.unpacked += len(data)
        if self.unpacked > MAX_TOTAL:
            raise refused(self.path, f"refused: the file unpacks to more than {MAX_TOTAL // 2**20} MB "
                          "(a zip bomb)", "docx.too-large")
        return data

    def xml(self, name: str) -> etree._Element:
        """A part parsed safely: a DOCTYPE (entity declarations) is refused."""
        if name in self.cache:
            return self.cache[name]
        data = self.read(name)
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise refused(self.path, f"refused: {name} declares a DOCTYPE or entities, which Word "
                          "never writes (an entity expansion or external entity attack)", "docx.unsafe")
        try:
            root = etree.fromstring(data, parser())
        except etree.XMLSyntaxError as error:
            raise refused(self.path, f"refused: {name} is not well-formed XML: {error.msg}",
                          "docx.invalid") from None
        tree = root.getroottree()
        if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
            raise refused(self.path, f"refused: {name} declares a DOCTYPE, which Word never writes",
                          "docx.unsafe")
        self.cache[name] = root
        return root

    def optional_xml(self, name: str | None) -> etree._Element | None:
        return self.xml(name) if name and self.has(name) else None

    def relationships(self, part: str) -> dict[str, Relationship]:
        """A part's relationships by id, each target resolved to a part name
        (checked like a member name) unless external."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(rels_name):
            return {}
        found: dict[str, Relationship] = {}
        for rel in self.xml(rels_name).iter(f"{{{NS['rel']}}}Relationship"):
            target = rel.get("Target", "")
            external = rel.get("TargetMode") == "External"
            if not external:
                target = resolved(self.path, folder, target)
            found[rel.get("Id", "")] = Relationship(rel.get("Id", ""), rel.get("Type", ""), target, external)
        return found

    def related(self, part: str, kind: str) -> str | None:
        """The part `part` relates to by a relationship type ending in `kind`."""
        for rel in self.relationships(part).values():
            if rel.type.endswith("/" + kind) and not rel.external:
                return rel.target
        return None


def resolved(path: str, folder: str, target: str) -> str:
    """A relationship's target as a part name; one that climbs out of the
    package is refused, as a member name that does."""
    if target.startswith("/"):
        joined = target.lstrip("/")
    else:
        joined = posixpath.join(folder, target)
    parts: list[str] = []
    for piece in joined.split("/"):
        if piece in ("", "."):
            continue
        if piece == "..":
            if not parts:
                raise refused(path, f"refused: a relationship's target '{target[:60]}' climbs out "
                              "of the package", "docx.unsafe")
            parts.pop()
            continue
        parts.append(piece)
    return "/".join(parts)


def open_package(path: Path, name: str | None = None) -> Package:
    """The DOCX at `path`, its member names and sizes checked; the main
    document found through the package's relationships."""
    shown = name or str(path)
    try:
        if not path.is_file():
            raise refused(shown, "no such file" if not path.exists() else "not a file", "docx.missing")
        if path.stat().st_size > MAX_FILE:
            raise refused(shown, f"refused: larger than {MAX_FILE // 2**20} MB", "docx.too-large")
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise refused(shown, f"not a Word file (.docx): {error}", "docx.invalid") from None
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise refused(shown, f"refused: {len(infos):,} members in the zip, past the limit of "
                      f"{MAX_MEMBERS:,}", "docx.too-large")
    names: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        member = info.filename
        pure = PurePosixPath(member)
        if ("\\" in member or "\x00" in member or member.startswith("/") or DRIVE.match(member)
                or ".." in pure.parts):
            raise refused(shown, f"refused: the zip holds a member named '{member[:80]}', which "
                          "points outside the package", "docx.unsafe")
        if info.flag_bits & 0x1:
            raise refused(shown, f"refused: {member} is encrypted", "docx.invalid")
        if member in names:
            raise refused(shown, f"refused: the zip holds {member} twice", "docx.unsafe")
        names[member] = info
    package = Package(path=shown, zip=archive, names=names, main="")
    if "[Content_Types].xml" not in names:
        raise refused(shown, "not a Word file: it has no [Content_Types].xml", "docx.missing-part")
    main = next((rel.target for rel in package.relationships("").values()
                 if rel.type in (OFFICE_DOCUMENT, STRICT_OFFICE_DOCUMENT) and not rel.external), None)
    if main is None:
        raise refused(shown, "not a Word file: its relationships name no main document",
                      "docx.missing-part")
    if not package.has(main):
        raise refused(shown, f"refused: the main document {main} is missing from the file",
                      "docx.missing-part")
    package.main = main
    root = package.xml(main)
    if root.tag != f"{W}document":
        raise refused(shown, f"not a Word document: {main} is a <{etree.QName(root).localname}>"
                      + (" (Strict OOXML: save it from Word as a Word Document)"
                         if "purl.oclc.org" in root.tag else ""), "docx.invalid")
    return package
