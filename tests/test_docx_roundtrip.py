"""The Word round trip, whole: every fixture built to DOCX, imported, built
again gives the same document model (tests/model_dump.py); importing the
DOCX of the imported source gives the same Markdown again (a fixed point).
And Word files made elsewhere, by pandoc and by LibreOffice, come back as
pandoc itself reads them (its JSON, an independent reader)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, run_cli
from model_dump import dump
from pipeline.problems import Reporter
from readers import libreoffice_profile

pytestmark = pytest.mark.slow

# Every fixture that is a briefing (not the bad ones, nor a body another includes).
SOURCES = sorted(path for path in FIXTURES.rglob("*.md")
                 if not {"bad", "refused"} & set(path.relative_to(FIXTURES).parts)
                 and path.read_text().startswith(("---", "%")))


def model_and_docx(path: Path):
    """The final model of a source and its DOCX, as `briefing build` makes them."""
    from pipeline.run.build import Options, context, load, render

    doc = load(path)
    return doc, render(doc, "docx", context(doc, Options()), Reporter(str(path))).data


def import_to(docx: Path, out: Path, *options: str) -> str:
    result = run_cli("import", docx, "-o", out, "--force", *options)
    assert "refused" not in result.stderr, result.stderr
    return out.read_text()


def beside(source: Path, folder: Path) -> None:
    """What the source names, beside it in `folder`: its bibliography, its
    enclosures (its figures the import writes itself)."""
    for extra in source.parent.iterdir():
        if extra.suffix != ".md" and extra.name not in ("bad", "images") and not (folder / extra.name).exists():
            (shutil.copytree if extra.is_dir() else shutil.copy)(extra, folder / extra.name)


@pytest.mark.parametrize("source", SOURCES, ids=[str(p.relative_to(FIXTURES)) for p in SOURCES])
def test_build_import_build_gives_the_same_model_and_a_fixed_point(source, tmp_path):
    first, data = model_and_docx(source)
    docx = tmp_path / "first.docx"
    docx.write_bytes(data)
    beside(source, tmp_path)
    markdown = import_to(docx, tmp_path / "imported.md")
    again, data_again = model_and_docx(tmp_path / "imported.md")
    assert dump(again) == dump(first)
    (tmp_path / "second").mkdir()
    beside(source, tmp_path / "second")
    (tmp_path / "second" / "second.docx").write_bytes(data_again)
    assert import_to(tmp_path / "second" / "second.docx", tmp_path / "second" / "imported.md") == markdown


# Word files made elsewhere ---------------------------------------------------------

def pandoc() -> str:
    import pypandoc
    return pypandoc.get_pandoc_path()


def pandoc_json(path: Path) -> dict:
    """pandoc's reading of a DOCX, or of a Markdown source."""
    kind = "docx" if path.suffix == ".docx" else "markdown"
    return json.loads(subprocess.run([pandoc(), "-f", kind, "-t", "json", str(path)], capture_output=True,
                                     check=True, timeout=120, text=True).stdout)


def words(text: str) -> str:
    return " ".join(text.split())


def stringify(node) -> str:
    """pandoc's stringify of a JSON node: the text a reader sees."""
    if isinstance(node, list):
        return "".join(stringify(item) for item in node)
    if not isinstance(node, dict):
        return ""
    kind, content = node.get("t"), node.get("c")
    match kind:
        case "Str":
            return content
        case "Space" | "SoftBreak" | "LineBreak":
            return " "
        case "Code" | "Math":
            return content[1]
        case "Note":
            return ""
        case "Link" | "Image" | "Span":
            return stringify(content[1])
        case "Quoted" | "Cite":
            return stringify(content[1])
        case _:
            return stringify(content) if isinstance(content, list) else ""


def pandoc_features(document: dict) -> dict:
    found: dict[str, list] = {"headings": [], "lists": [], "cells": [], "notes": [], "emph": [],
                              "strong": [], "links": [], "images": 0}

    def inline(node) -> None:
        if isinstance(node, list):
            for item in node:
                inline(item)
            return
        if not isinstance(node, dict):
            return
        kind, content = node.get("t"), node.get("c")
        if kind == "Emph":
            found["emph"].append(words(stringify(content)))
        elif kind == "Strong":
            found["strong"].append(words(stringify(content)))
        elif kind == "Link" and not content[2][0].startswith("#"):
            found["links"].append(content[2][0].rstrip("/"))  # LibreOffice adds a host's slash
        elif kind == "Image":  # its alt text repeats a figure's caption: not read twice
            found["images"] += 1
            return
        elif kind == "Note":
            found["notes"].append(words(" ".join(stringify(b) for b in content)))
            block(content)
            return
        if isinstance(content, list):
            inline(content)

    def block(node) -> None:
        if isinstance(node, list):
            for item in node:
                block(item)
            return
        if not isinstance(node, dict):
            return
        kind, content = node.get("t"), node.get("c")
        if kind == "Header":
            if "TOCHeading" not in str(content[1]) and stringify(content[2]) != "Table of Contents":
                found["headings"].append(words(stringify(content[2])))  # a contents list is `toc: true`
            inline(content[2])
        elif kind in ("BulletList", "OrderedList"):
            items = content if kind == "BulletList" else content[1]
            # A task's box is its item's state to us, a character to pandoc.
            found["lists"].append([words(stringify(item[0])).lstrip("☐☒☑ ") if item else "" for item in items])
            for item in items:
                block(item)
        elif kind == "Table":
            head, bodies, foot = content[3], content[4], content[5]
            rows = [*head[1], *(row for body in bodies for row in (*body[2], *body[3])), *foot[1]]
            for row in rows:
                found["cells"].append([words(" ".join(stringify(b) for b in cell[4])) for cell in row[1]])
                for cell in row[1]:
                    block(cell[4])
        elif kind in ("Para", "Plain"):
            inline(content)
        elif isinstance(content, list):
            block(content)

    block(document["blocks"])
    return found


def our_features(path: Path) -> dict:
    """The same, from our reading of the imported Markdown (before the
    passes: a Word file from elsewhere has no classification yet)."""
    from pipeline import model as m
    from pipeline.docx_import.against import read
    from pipeline.model import walk

    parsed = read(path.read_text(), path)
    assert parsed is not None
    doc = parsed.doc
    found: dict[str, list] = {"headings": [words(m.plain_text(s.title)) for s in walk.sections(doc)],
                              "lists": [], "cells": [], "notes": [], "emph": [], "strong": [], "links": [],
                              "images": 0}
    for block in walk.blocks(doc):
        if isinstance(block, m.ListBlock):
            found["lists"].append([words(m.block_text(item.blocks[0])) if item.blocks else ""
                                   for item in block.items])
        elif isinstance(block, m.Table):
            for row in ((block.head,) if block.head else ()) + block.rows:
                found["cells"].append([words(" ".join(m.block_text(b) for b in cell)) for cell in row])
        elif isinstance(block, m.Figure):
            found["images"] += 1
    def no_pictures(item):  # pandoc cannot read its own footnotes' pictures back; we can
        return () if isinstance(item, m.Image) else item

    found["notes"] = [words(" ".join(m.block_text(b) for b in walk.map_blocks(note.blocks, inline=no_pictures)))
                      for note in doc.footnotes]
    for item in walk.inlines(doc):
        if isinstance(item, m.Emph):
            found["emph"].append(words(m.plain_text(item.children)))
        elif isinstance(item, m.Strong):
            found["strong"].append(words(m.plain_text(item.children)))
        elif isinstance(item, m.Link) and not item.internal:
            found["links"].append(item.target.rstrip("/"))
        elif isinstance(item, m.Image):
            found["images"] += 1
    return found


def same_as_pandoc(reference: Path, imported: Path) -> None:
    theirs, ours = pandoc_features(pandoc_json(reference)), our_features(imported)
    for feature in ("headings", "lists", "cells", "notes", "emph", "strong", "links", "images"):
        assert ours[feature] == theirs[feature], feature


# Not links-and-images.md: pandoc would try to fetch its remote images.
PANDOC_SOURCES = ("elements.md", "lists.md", "tables.md", "footnotes.md", "inlines.md", "figures.md")


@pytest.mark.parametrize("name", PANDOC_SOURCES)
def test_a_docx_pandoc_wrote_comes_back_as_pandoc_reads_it(name, tmp_path):
    shutil.copytree(FIXTURES / "images", tmp_path / "images")
    source = tmp_path / name
    shutil.copy(FIXTURES / name, source)
    docx = tmp_path / "pandoc.docx"
    subprocess.run([pandoc(), str(source), "-o", str(docx)], check=True, timeout=120, cwd=tmp_path)
    out = tmp_path / "imported.md"
    import_to(docx, out)
    same_as_pandoc(docx, out)


def libreoffice(source: Path, folder: Path, filter_name: str = "docx:MS Word 2007 XML") -> Path:
    """LibreOffice Writer's DOCX of a file, in `folder`: `outside` pytest's
    folders, where the suite validates every DOCX that carries our
    properties as one of ours (LibreOffice keeps them, and writes what
    openxml-audit calls invalid)."""
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{libreoffice_profile()}",
                    "--convert-to", filter_name, "--outdir", str(folder / "lo"), str(source)],
                   check=True, capture_output=True, timeout=180)
    return folder / "lo" / (source.stem + ".docx")


@pytest.mark.parametrize("name", ("information-paper.md", "markings/us-secret.md", "lists.md"))
def test_libreoffice_saving_our_docx_changes_nothing_the_import_says(name, tmp_path, outside):
    """A reviewer who opens the DOCX in LibreOffice and saves it: LibreOffice
    keeps no document variables (the import's hints), so the import reads
    its styles alone, and still writes the same Markdown."""
    shutil.copytree(FIXTURES / "images", tmp_path / "images")
    _, data = model_and_docx(FIXTURES / name)
    docx = tmp_path / "brief.docx"
    docx.write_bytes(data)
    ours = import_to(docx, tmp_path / "ours.md")
    elsewhere = outside
    saved = libreoffice(docx, elsewhere)
    assert b"briefing.import" not in zipfile_member(saved, "word/settings.xml")
    shutil.copytree(FIXTURES / "images", elsewhere / "images")
    assert import_to(saved, elsewhere / "saved.md") == ours


def zipfile_member(path: Path, name: str) -> bytes:
    import zipfile
    with zipfile.ZipFile(path) as package:
        return package.read(name)


@pytest.mark.parametrize("name", ("elements.md", "tables.md", "lists.md", "footnotes.md", "figures.md"))
def test_a_docx_libreoffice_wrote_from_a_fixture_comes_back_as_pandoc_reads_it(name, outside):
    """LibreOffice Writer's own Word file of a fixture: the fixture as an
    OpenDocument text (pandoc's), opened and saved as DOCX by LibreOffice,
    so every part of the DOCX is of LibreOffice's making: its styles, its
    numbering, its tables, notes and pictures. What comes back is what
    pandoc reads in the fixture itself (pandoc's DOCX reader groups
    LibreOffice's list numbering otherwise than Word shows it)."""
    elsewhere = outside
    shutil.copytree(FIXTURES / "images", elsewhere / "images")
    shutil.copy(FIXTURES / name, elsewhere / name)
    odt = elsewhere / name.replace(".md", ".odt")
    subprocess.run([pandoc(), name, "-o", odt.name], check=True, timeout=120, cwd=elsewhere)
    docx = libreoffice(odt, elsewhere)
    out = elsewhere / "imported.md"
    import_to(docx, out)
    same_as_pandoc(elsewhere / name, out)


def letters_and_digits_hash(kind: str, text: str) -> str:
    """A fingerprint as its definition says it, character by character."""
    import hashlib

    letters = "".join(c for c in text.lower() if c.isalnum())
    return f"{kind}:{hashlib.sha1(letters.encode('utf-8')).hexdigest()[:10] if letters else ''}"


def test_a_fingerprint_hashes_the_letters_and_digits_of_any_text():
    from hypothesis import given, settings, strategies as st

    from pipeline.docx_import import structure
    from pipeline.render.docx import roundtrip

    assert structure.fingerprint is roundtrip.fingerprint  # the writer's and the importer's

    @settings(max_examples=300, deadline=None)
    @given(st.one_of(st.text(), st.text(alphabet=st.characters(max_codepoint=127))))
    def same(text):
        assert roundtrip.fingerprint("para", text) == letters_and_digits_hash("para", text)

    same()
    for text in ("Ünïcödé 2nd", "İstanbul", "ß and ½ and ٣", "a_b-c d", "", "___"):
        assert roundtrip.fingerprint("para", text) == letters_and_digits_hash("para", text)
