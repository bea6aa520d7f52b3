"""`briefing import`: a Word file back into briefing Markdown, as a user
runs it. What comes back is read with our own reader only where it is the
thing under test (the imported source, checked as any source); the Word
files are built by briefing and changed with python-docx's XML
(tests/word_review.py), as a reviewer's Word changes them."""

from __future__ import annotations

import difflib
import io
import re
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from conftest import FIXTURES, run_cli
from word_review import AUTHOR, Review


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Our DOCX of a few fixtures, built once, each in a folder of its own
    with the fixture's source and pictures beside it (as an author has them)."""
    found = {}
    for name in ("markings/us-secret", "markings/cui", "information-paper", "elements"):
        folder = tmp_path_factory.mktemp(name.replace("/", "-"))
        source = folder / f"{Path(name).name}.md"
        shutil.copy(FIXTURES / f"{name}.md", source)
        shutil.copytree(FIXTURES / "images", folder / "images")
        result = run_cli("build", source, "--to", "docx", "--out", folder)
        assert result.returncode == 0, result.stderr
        found[Path(name).name] = folder / f"{Path(name).name}.docx"
    return found


def copy_of(docx: Path, folder: Path) -> Path:
    """The DOCX and its source's pictures in a fresh folder."""
    target = folder / docx.name
    shutil.copy(docx, target)
    if not (folder / "images").exists():
        shutil.copytree(FIXTURES / "images", folder / "images")
    return target


def imported(docx: Path, *options: str | Path):
    return run_cli("import", docx, *options)


# Our own DOCX: the source comes back -------------------------------------------

def test_a_briefing_comes_back_with_its_markings_fields_and_notes(built, tmp_path):
    docx = copy_of(built["us-secret"], tmp_path)
    result = imported(docx)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{docx} -> {docx.with_suffix('.md')}: written\n"
    text = docx.with_suffix(".md").read_text()
    front = text.split("---\n")[1]
    # The front matter, from the document properties: every marking key.
    for line in ("title: (U) Northern Flank Posture", "classification: SECRET//NOFORN",
                 "portion_marking: true", "classified_by: J. Smith, Director of Plans",
                 "derived_from: Multiple Sources", 'declassify_on: "20511231"', "distribution: E",
                 "distribution_reason: Operations Security", "controlling_office: Plans Division, J5",
                 "organization: Plans Division", "date: 2026-11-25", "toc: true", "numbering: true",
                 "title_page: true", "subtitle: Options for the spring exercise cycle"):
        assert line in front.splitlines(), line
    body = text.split("---\n", 2)[2]
    # Portion marks from the Portion Mark style, as the author wrote them.
    assert "# (U) Background" in body and "\n(S//NF) Allied air policing" in body
    assert "- (C) Rotation two is not yet sourced." in body
    assert '!!! warning "(U) Handling"\n    (U) Do not forward' in body
    # The table's caption and id (its bookmark), the REF field as the
    # cross-reference it was, the footnote with its text.
    assert "Table: (C) Options and their cost {#tbl-options}" in body
    assert re.search(r"see @tbl-options\.\[\^(\w+)\]", body)
    label = re.search(r"see @tbl-options\.\[\^(\w+)\]", body)[1]
    assert f"[^{label}]: (U) Tanker availability is reported monthly." in body
    # Nothing of the contents list, the marking blocks or the title page.
    assert "Contents" not in body and "Classified By" not in body and "DISTRIBUTION" not in body
    check = run_cli("check", docx.with_suffix(".md"))
    assert check.returncode == 0, check.stderr


def test_cui_blocks_keys_come_back_from_the_properties(built, tmp_path):
    docx = copy_of(built["cui"], tmp_path)
    assert imported(docx).returncode == 0
    front = docx.with_suffix(".md").read_text().split("---\n")[1].splitlines()
    source = (FIXTURES / "markings/cui.md").read_text()
    for key in ("controlled_by", "cui_category", "dissemination", "poc", "classification"):
        assert any(line.startswith(f"{key}:") for line in front), key
    assert "classification: CUI" in front
    assert re.search(r"^dissemination: FEDCON", source, re.MULTILINE) and "dissemination: FEDCON" in front


def test_figures_are_written_beside_the_markdown_where_the_source_had_them(built, tmp_path):
    docx = tmp_path / "reviewed.docx"
    shutil.copy(built["information-paper"], docx)
    result = imported(docx, "-o", tmp_path / "brief.md")
    assert result.returncode == 0, result.stderr
    assert "1 picture" in result.stdout
    written = tmp_path / "images" / "map.png"
    assert written.read_bytes() == (FIXTURES / "images" / "map.png").read_bytes()
    assert "](images/map.png){#fig-routes}" in (tmp_path / "brief.md").read_text()
    # A second import finds the picture there: nothing written twice.
    again = imported(docx, "-o", tmp_path / "brief.md", "--force")
    assert again.returncode == 0 and "picture" not in again.stdout


def test_a_different_picture_of_the_same_name_is_never_replaced(built, tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "map.png").write_bytes(b"the author's own file")
    docx = tmp_path / "reviewed.docx"
    shutil.copy(built["information-paper"], docx)
    assert imported(docx, "-o", tmp_path / "brief.md").returncode == 0
    assert (tmp_path / "images" / "map.png").read_bytes() == b"the author's own file"
    assert "](images/map-1.png){#fig-routes}" in (tmp_path / "brief.md").read_text()


def test_an_added_paragraph_without_a_portion_mark_is_reported_at_its_line(built, tmp_path):
    docx = copy_of(built["us-secret"], tmp_path)
    review = Review(docx)
    paragraph = review.paragraph("Allied air policing rotations")
    import copy
    added = copy.deepcopy(paragraph)
    for run in added.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"):
        run.text = ""
    added.findall(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")[-1].text = \
        "A sentence a reviewer typed without a mark."
    paragraph.addnext(added)
    review.save(docx)
    result = imported(docx)
    out = docx.with_suffix(".md")
    assert result.returncode == 1  # written, but the source is not yet good
    lines = out.read_text().splitlines()
    number = lines.index("A sentence a reviewer typed without a mark.") + 1
    assert f"{out}:{number}: " in result.stderr and "portion" in result.stderr


def test_an_existing_markdown_is_replaced_only_against_itself_or_with_force(built, tmp_path):
    docx = copy_of(built["elements"], tmp_path)
    out = tmp_path / "brief.md"
    out.write_text("the author's file\n")
    refused = imported(docx, "-o", out)
    assert refused.returncode == 2 and "--against" in refused.stderr
    assert out.read_text() == "the author's file\n"
    assert imported(docx, "-o", tmp_path / "brief.txt").returncode == 2
    assert imported(docx, "-o", out, "--force").returncode == 0
    assert out.read_text().startswith("---\ntitle: Elements of a briefing\n")


# A reviewer's Word file ----------------------------------------------------------

def reviewed(built, tmp_path) -> Path:
    """The information paper as a reviewer sends it back: an insertion, a
    deletion, a word made bold, a paragraph added, all tracked; a comment
    from a quote to the note after it."""
    docx = copy_of(built["information-paper"], tmp_path)
    review = Review(docx)
    review.insert("rose again in 2026.", " Sharply.")
    review.delete("and the forces in")
    review.embolden("Sustain the rotation.")
    review.insert_paragraph("Share the picture with partners.", "Brief the ministers.")
    review.comment("The sea is the great highway", "Cable routes cross the gap", "Is this the right quote?")
    return review.save(tmp_path / "reviewed.docx")


def test_tracked_changes_are_refused_one_line_each(built, tmp_path):
    docx = reviewed(built, tmp_path)
    result = imported(docx)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 5, lines
    assert all(line.startswith(f"{docx}: unresolved tracked change: paragraph ") for line in lines[:4])
    assert all(f"by {AUTHOR}, 2026-11-30 10:02" in line for line in lines[:4])
    assert 'inserted " Sharply." by' in lines[0] or 'inserted "Sharply." by' in lines[0]
    assert '("Allied patrols in the GIUK gap rose aga…")' in lines[0]
    assert any('deleted "and the forces in"' in line for line in lines)
    assert any('formatting change "Sustain the rotation."' in line for line in lines)
    assert any('inserted paragraph "Brief the ministers."' in line for line in lines)
    assert lines[4] == f"{docx}: 4 tracked changes: import with --accept, --reject or --changes critic"
    assert not docx.with_suffix(".md").exists()


def test_accept_takes_every_change_and_reject_none(built, tmp_path):
    docx = reviewed(built, tmp_path)
    assert imported(docx, "--accept", "-o", tmp_path / "accepted.md").returncode == 0
    accepted = (tmp_path / "accepted.md").read_text()
    assert "rose again in 2026. Sharply." in accepted
    assert "and the forces in" not in accepted
    assert "1. **Sustain the rotation.**\n2. Share the picture with partners.\n3. Brief the ministers.\n" \
        "   - Norway and Iceland first." in accepted
    assert imported(docx, "--reject", "-o", tmp_path / "rejected.md").returncode == 0
    rejected = (tmp_path / "rejected.md").read_text()
    assert "Sharply" not in rejected and "Brief the ministers" not in rejected
    assert "and the forces in @tbl-forces" in rejected
    assert "1. Sustain the rotation.\n2. Share the picture" in rejected
    # The comment comes back either way: it is no change.
    for text in (accepted, rejected):
        assert "{>>R. Viewer, 2026-11-30 10:02: Is this the right quote?<<}" in text


def test_changes_as_criticmarkup_which_check_lists_and_build_refuses(built, tmp_path):
    docx = reviewed(built, tmp_path)
    out = tmp_path / "critic.md"
    result = imported(docx, "--changes", "critic", "-o", out)
    assert result.returncode == 1  # the changes are errors until resolved
    text = out.read_text()
    assert "rose again in 2026.{++ Sharply.++}" in text
    assert "{--and the forces in--}" in text
    assert "1. {~~Sustain the rotation.~>**Sustain the rotation.**~~}" in text
    assert "3. {++Brief the ministers.++}" in text
    # The comment spans from the quote to the note: each paragraph of its
    # range highlighted, the comment with its author and date at its end.
    assert "> {==The sea is the great highway of the world.==}" in text
    assert "{==Cable routes cross the gap==}{>>R. Viewer, 2026-11-30 10:02: Is this the right quote?<<}" in text
    lines = text.splitlines()
    check = run_cli("check", out)
    assert check.returncode == 1
    problems = check.stderr.splitlines()
    changes = [p for p in problems if "tracked change not resolved" in p]
    assert len(changes) == 4
    for problem in changes:
        number = int(problem.split(":")[1])
        assert re.search(r"\{(\+\+|--|~~)", lines[number - 1]), problem
    comment = next(p for p in problems if "warning: comment:" in p)
    assert comment.endswith("R. Viewer, 2026-11-30 10:02: Is this the right quote?")
    build = run_cli("build", out, "--to", "html", "--out", tmp_path / "out")
    assert build.returncode == 1 and not (tmp_path / "out" / "critic.html").exists()


def test_a_change_inside_a_code_block_cannot_be_criticmarkup(built, tmp_path):
    docx = copy_of(built["elements"], tmp_path)
    review = Review(docx)
    review.insert("def threat(level: int)", " -> None")
    review.save(docx)
    result = imported(docx, "--changes", "critic")
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1
    assert "a tracked change inside a code block cannot be kept as CriticMarkup" in result.stderr
    assert imported(docx, "--accept").returncode == 0


def test_comments_are_never_rendered(tmp_path, write):
    source = write("Words {==worth==}{>>A. Reviewer: really?<<} keeping, and `{>>code<<}` kept.\n")
    build = run_cli("build", source, "--to", "html", "--out", tmp_path / "out")
    assert build.returncode == 0
    assert f"{source}:5: warning: comment: A. Reviewer: really?" in build.stderr
    html = (tmp_path / "out" / "brief.html").read_text()
    assert "really" not in html and "Words worth keeping" in html and "{&gt;&gt;code&lt;&lt;}" in html
    silenced = run_cli("check", source, "--silence", "critic.comment")
    assert silenced.returncode == 0 and silenced.stderr == ""


def test_criticmarkup_in_front_matter_is_found_too(write):
    source = write("Text.\n", front="---\ntitle: A {++new++} title\nclassification: UNCLASSIFIED\n---\n")
    check = run_cli("check", source)
    assert check.returncode == 1 and f"{source}:2: CriticMarkup in the front matter" in check.stderr


# --against: the reviewers' changes, and nothing else ---------------------------------

def test_against_writes_only_what_changed(built, tmp_path):
    source = tmp_path / "information-paper.md"
    shutil.copy(FIXTURES / "information-paper.md", source)
    shutil.copytree(FIXTURES / "images", tmp_path / "images")
    before = source.read_text()
    docx = tmp_path / "reviewed.docx"
    shutil.copy(built["information-paper"], docx)
    unchanged = imported(docx, "--against", source)
    assert unchanged.returncode == 0, unchanged.stderr
    assert unchanged.stdout == f"{docx} -> {source}: unchanged\n"
    assert source.read_text() == before
    review = Review(docx)
    review.insert("rose again in 2026.", " Sharply.")
    review.insert("Sustain the rotation", " through 2027")
    review.save(docx)
    result = imported(docx, "--against", source, "--accept")
    assert result.returncode == 0, result.stderr
    after = source.read_text()
    changed = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == [
        "-Allied patrols in the GIUK gap rose again in 2026.[^patrols] The main",
        "+Allied patrols in the GIUK gap rose again in 2026. Sharply.[^patrols] The main",
        "-1. Sustain the rotation.",
        "+1. Sustain the rotation through 2027.",
    ]


def test_against_keeps_the_authors_syntax_around_a_new_paragraph(tmp_path, built):
    source = tmp_path / "elements.md"
    shutil.copy(FIXTURES / "elements.md", source)
    before = source.read_text()
    docx = tmp_path / "reviewed.docx"
    shutil.copy(built["elements"], docx)
    review = Review(docx)
    review.insert_paragraph("The situation is described here", "A paragraph the reviewer added.")
    review.save(docx)
    assert imported(docx, "--against", source, "--accept").returncode == 0
    after = source.read_text()
    diff = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert diff == ["+", "+A paragraph the reviewer added."]
    # The author's own forms stand: the link's title, the indented nested
    # list, the `---` rule, the two-space hard break.
    for kept in ('[link to the alliance](https://www.nato.int "NATO")', "    - Nested point one",
                 "Line one  \nline two."):
        assert kept in after


# Hostile files: one clear line, nothing written -----------------------------------------

def rewritten(docx: Path, target: Path, change) -> Path:
    """A copy of `docx` with its members passed through `change(name, data)`,
    which returns the new (name, data) pairs for that member."""
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            for name, data in change(info.filename, source.read(info.filename)):
                out.writestr(name, data)
    return target


def png_of(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b""))


BOMB = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' \
    + b" " * 8_000_000 + b"</w:body></w:document>"
ENTITIES = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
            b'<w:t>&b;</w:t></w:r></w:p></w:body></w:document>')
HOSTILE = {
    "zip bomb": (lambda n, d: [(n, BOMB if n == "word/document.xml" else d)], "a zip bomb"),
    "entities": (lambda n, d: [(n, ENTITIES if n == "word/document.xml" else d)], "declares a DOCTYPE or entities"),
    "a ../ name": (lambda n, d: [(n, d)] + ([("../../evil.sh", b"echo")] if n == "word/document.xml" else []),
                   "points outside the package"),
    "a huge image": (lambda n, d: [(n, png_of(50_000, 50_000) if n.startswith("word/media/") else d)],
                     "50000x50000 pixels, past the 40-megapixel limit"),
    "no main document": (lambda n, d: [] if n == "word/document.xml" else [(n, d)],
                         "the main document word/document.xml is missing"),
    "a missing picture": (lambda n, d: [] if n.startswith("word/media/") else [(n, d)],
                          "which the file lacks"),
    "a target out of the package": (
        lambda n, d: [(n, d.replace(b'Target="media/', b'Target="../../../media/')
                       if n == "word/_rels/document.xml.rels" else d)], "climbs out of the package"),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_docx_is_refused_with_one_line(built, outside, kind):
    folder = outside
    change, said = HOSTILE[kind]
    docx = rewritten(built["information-paper"], folder / "hostile.docx", change)
    result = imported(docx)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"{docx}: ") and said in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["hostile.docx"]


def test_a_file_that_is_not_a_docx(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_text("plain text")
    result = imported(path)
    assert result.returncode == 1 and result.stderr == f"{path}: not a Word file (.docx): File is not a zip file\n"
    (tmp_path / "empty.docx").write_bytes(io.BytesIO().getvalue())
    assert imported(tmp_path / "empty.docx").returncode == 1


# A colleague's own Word file ---------------------------------------------------------

def test_a_colleagues_own_word_file_becomes_markdown(tmp_path):
    """A Word file briefing never saw (python-docx's own template): its
    headings, lists, table, emphasis and picture become Markdown, and the
    front matter is started from its core properties; no classification is
    guessed, and the check asks for one."""
    import docx
    from docx.shared import Inches

    document = docx.Document()
    properties = document.core_properties
    properties.title, properties.author, properties.subject = "Harbour survey", "A. Colleague", "Notes"
    properties.keywords, properties.language = "harbour, survey", "en-GB"
    document.add_heading("Findings", level=1)
    paragraph = document.add_paragraph("The quay is ")
    paragraph.add_run("sound").bold = True
    paragraph.add_run(", the crane ")
    paragraph.add_run("is not").italic = True
    paragraph.add_run(".")
    document.add_paragraph("first point", style="List Bullet")
    document.add_paragraph("second point", style="List Bullet")
    document.add_paragraph("step one", style="List Number")
    document.add_heading("Detail", level=2)
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, (("Berth", "Depth"), ("North", "9 m"))):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    document.add_picture(str(FIXTURES / "images" / "map.png"), width=Inches(2))
    docx_path = tmp_path / "survey.docx"
    document.save(str(docx_path))
    result = imported(docx_path)
    assert result.returncode == 1
    said = result.stderr.strip().splitlines()
    assert said[0].endswith("front matter lacks 'classification', which every briefing needs "
                            "(or give it with --classification)")
    assert said[1:] == [f"{docx_path.with_suffix('.md')}:{said[1].split(':')[1]}: warning: image "
                        "'survey-images/Picture-1.png' has no alternative text, which a screen reader would say: "
                        "describe it, ![what it shows](…)"]  # Word's picture had no description
    text = docx_path.with_suffix(".md").read_text()
    assert text.startswith("---\ntitle: Harbour survey\nsubtitle: Notes\nauthors: [A. Colleague]\n"
                           "keywords: [harbour, survey]\nlang: en-GB\npaper: letter\n"
                           "# classification: the Word file names none; give the briefing's marking here\n---\n")
    body = text.split("---\n", 2)[2]
    assert "# Findings\n\nThe quay is **sound**, the crane *is not*." in body
    assert "- first point\n- second point" in body and "1. step one" in body
    assert "## Detail" in body and "| Berth | Depth |\n|---|---|\n| North | 9 m |" in body
    assert '<img src="survey-images/Picture-1.png" alt="">' in body  # Word's own name for it
    pictures = list((tmp_path / "survey-images").glob("*.png"))
    assert len(pictures) == 1 and pictures[0].read_bytes() == (FIXTURES / "images" / "map.png").read_bytes()
    # Given a classification, it is a briefing.
    fixed = text.replace("# classification: the Word file", "classification: UNCLASSIFIED\n# the Word file")
    docx_path.with_suffix(".md").write_text(fixed)
    assert run_cli("check", docx_path.with_suffix(".md")).returncode == 0


def test_the_command_is_in_the_help():
    assert "import" in run_cli("--help").stdout
    helptext = run_cli("import", "--help").stdout
    for option in ("--against", "--accept", "--reject", "--changes", "-o"):
        assert option in helptext


def test_against_keeps_what_word_never_had(tmp_path, write):
    """Content for other formats (Quarto's conditional content) is not in
    the DOCX: the import cannot say anything of it, and it stays."""
    source = write("# Plan\n\nThe first step is set.\n\n"
                   '::: {.content-visible when-format="html"}\nOnly on the screen: a map to click.\n:::\n\n'
                   "The last step follows.\n")
    before = source.read_text()
    assert run_cli("build", source, "--to", "docx", "--out", tmp_path).returncode == 0
    docx = tmp_path / "brief.docx"
    review = Review(docx)
    review.insert("The last step", " always")
    review.save(docx)
    result = imported(docx, "--against", source, "--accept")
    assert result.returncode == 0, result.stderr
    after = source.read_text()
    assert after == before.replace("The last step follows.", "The last step always follows.")


def test_content_for_word_comes_back_with_its_condition(tmp_path, write):
    from model_dump import dump
    from pipeline.problems import Reporter
    from pipeline.run.build import Options, context, load, render

    source = write('# Plan\n\n::: {.content-visible when-format="docx"}\nOnly in Word.\n:::\n\n'
                   '::: {.content-hidden when-format="html"}\nNot on the screen.\n:::\n')
    doc = load(source)
    docx = tmp_path / "brief.docx"
    docx.write_bytes(render(doc, "docx", context(doc, Options()), Reporter(str(source))).data)
    result = imported(docx, "-o", tmp_path / "again.md")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "again.md").read_text()
    assert '::: {.content-visible when-format="docx"}\nOnly in Word.\n:::' in text
    assert '::: {.content-hidden unless-format="pdf,docx"}\nNot on the screen.\n:::' in text
    assert dump(load(tmp_path / "again.md")) == dump(doc)


def test_a_later_reference_to_a_note_comes_back_as_a_reference(tmp_path):
    """A second reference to a note is Word's NOTEREF field now (a number
    typed in the reference's style before): the import reads it back as a
    reference to that note, as it read the typed number."""
    source = tmp_path / "brief.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\nFirst[^a], second[^b], first again[^a].\n\n"
                      "[^a]: Note A.\n\n[^b]: Note B.\n", encoding="utf-8")
    assert run_cli("build", source, "--to", "docx", "--out", tmp_path).returncode == 0
    result = run_cli("import", tmp_path / "brief.docx", "-o", tmp_path / "back.md")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "back.md").read_text(encoding="utf-8")
    assert "First[^1], second[^2], first again[^1]." in text
