"""A reviewed staff product comes back from Word (issues 21 and 22): a
memo built to DOCX, edited with python-docx as a reviewer edits it in Word,
imports with its memo front matter intact (read back with PyYAML, compared
with the fixture's) and only the reviewer's change in the body; what the
type generates (letterhead, SUBJECT, references, signature block, Encl,
DISTRIBUTION, CF) never lands in the body, and edits to the parts a
reviewer can see (the subject, a reference) come back as front matter."""

from __future__ import annotations

import difflib
from pathlib import Path

import docx
import pytest
import yaml

from conftest import FIXTURES, run_cli

pytestmark = pytest.mark.slow

MEMO = FIXTURES / "memo" / "memo.md"


def build_docx(source: Path, folder: Path) -> Path:
    result = run_cli("build", source, "--to", "docx", "--out", folder)
    assert result.returncode == 0, result.stderr
    return folder / (source.stem + ".docx")


def import_docx(path: Path, out: Path) -> str:
    result = run_cli("import", path, "-o", out, "--force")
    assert result.returncode == 0, result.stderr
    return out.read_text()


def front_of(text: str) -> dict:
    _, front, _ = text.split("---\n", 2)
    return yaml.safe_load(front)


def body_of(text: str) -> list[str]:
    return [line for line in text.split("---\n", 2)[2].splitlines() if line.strip()]


def edit(path: Path, starts: str, old: str, new: str) -> None:
    """Replace words in the paragraph that starts so, run by run, as Word
    keeps a reviewer's typing."""
    document = docx.Document(str(path))
    paragraph = next(p for p in document.paragraphs if p.text.startswith(starts))
    run = next(r for r in paragraph.runs if old in r.text)
    run.text = run.text.replace(old, new)
    document.save(str(path))


def test_a_reviewed_memo_keeps_its_front_matter_and_only_the_reviewers_change(tmp_path):
    built = build_docx(MEMO, tmp_path)
    unedited = import_docx(built, tmp_path / "unedited.md")
    edit(built, "(U) Each battalion appoints", "a range officer in charge", "an officer in charge")
    reviewed = import_docx(built, tmp_path / "reviewed.md")

    changed = [line for line in difflib.ndiff(unedited.splitlines(), reviewed.splitlines())
               if line[:2] in ("- ", "+ ")]
    assert changed == [
        "- (U) Each battalion appoints a range officer in charge and a range safety officer for every live-fire event.",
        "+ (U) Each battalion appoints an officer in charge and a range safety officer for every live-fire event."]
    # The memo's front matter as the author wrote it; the date as the memo shows it.
    assert front_of(reviewed) == {**front_of(MEMO.read_text()), "date": "3 December 2026"}
    # No generated part in the body: it opens with the purpose, ends with the point of contact.
    body = body_of(reviewed)
    assert body[0].startswith("(U) Purpose.") and body[-1].startswith("(U) The point of contact")
    for generated in ("DEPARTMENT OF THE ARMY", "MEMORANDUM FOR", "SUBJECT:", "References:", "JOHN Q. PUBLIC",
                      "Encls", "DISTRIBUTION:", "CF:", "1-12 IN"):
        assert not any(generated in line for line in body), generated

    # Built again, the memo has each part once, and the reviewer's words.
    again = build_docx(tmp_path / "reviewed.md", tmp_path / "again")
    paragraphs = docx.Document(str(again)).paragraphs
    assert [p.style.name for p in paragraphs].count("Memo Subject") == 1
    assert sum(p.text.endswith("References:") for p in paragraphs) == 1
    assert sum(p.text.startswith("2 Encls") for p in paragraphs) == 1
    assert any("appoints an officer in charge" in p.text for p in paragraphs)


def test_a_reviewers_subject_and_reference_come_back_as_front_matter(tmp_path):
    built = build_docx(MEMO, tmp_path)
    edit(built, "SUBJECT:", "Training Year 2027", "Training Year 2028")
    edit(built, "(U) AR 385-63", "15 January 2020", "1 March 2024")
    front = front_of(import_docx(built, tmp_path / "reviewed.md"))
    assert front["subject"] == "(U) Range Safety Procedures for Training Year 2028"
    assert front["references"] == ["(U) AR 385-63, Range Safety, 1 March 2024.",
                                   "(U) AR 25-50, Preparing and Managing Correspondence, 10 October 2020."]


@pytest.mark.parametrize("name", ["info-paper.md", "decision-paper.md", "point-paper.md", "talking-paper.md"])
def test_a_papers_generated_parts_stay_out_of_its_body(tmp_path, name):
    source = FIXTURES / "memo" / name
    imported = import_docx(build_docx(source, tmp_path), tmp_path / "imported.md")
    written = front_of(source.read_text())
    front = front_of(imported)
    assert {key: front.get(key) for key in written if key != "date"} == \
        {key: value for key, value in written.items() if key != "date"}
    for generated in ("PAPER", "SUBJECT:", "For DECISION", "DECISION:", "TAB A", "Prepared by:", "Approved by:"):
        assert not any(generated in line for line in body_of(imported)), generated


LOOSE_MINUTE = FIXTURES / "loose-minute" / "loose-minute.md"
USAF = FIXTURES / "memo" / "memo-usaf.md"


def osd_memo(folder: Path) -> Path:
    """The usaf fixture in the osd style (DoDM 5110.04): its date and
    signature block differ, its keys are the same."""
    path = folder / "memo-osd.md"
    path.write_text(USAF.read_text().replace("style: usaf", "style: osd"), encoding="utf-8")
    return path


@pytest.mark.parametrize("name, generated", [
    ("loose-minute", ("DSTL/CSD/12/3/4", "03 Dec 26", "Hd Capability Strategy", "Copy to", "SO1 Finance",
                      "REPLACEMENT OF THE TRAINING", "A B Smith", "SO1 J6 Plans", "Enclosures:", "Fleet Costs")),
    ("memo-usaf", ("DEPARTMENT OF THE AIR FORCE", "3 December 2026", "MEMORANDUM FOR", "FROM:", "SUBJECT:",
                   "References:", "JANE A. DOE", "Attachments:", "Flying Hour Allocation", "cc:", "56 FW/CV")),
    ("memo-osd", ("DEPARTMENT OF THE AIR FORCE", "December 3, 2026", "MEMORANDUM FOR", "SUBJECT:",
                  "References:", "Jane A. Doe", "Attachments:", "Flying Hour Allocation", "cc:", "56 FW/CV"))])
def test_a_loose_minute_and_the_services_memos_come_back_with_their_keys_and_style(tmp_path, name, generated):
    source = {"loose-minute": LOOSE_MINUTE, "memo-usaf": USAF}.get(name) or osd_memo(tmp_path)
    built = build_docx(source, tmp_path)
    w_t = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"  # fields' results too
    paragraphs = ["".join(t.text or "" for t in p._p.iter(w_t)) for p in docx.Document(str(built)).paragraphs]
    for part in generated:  # each generated part is on the page …
        assert any(part in text for text in paragraphs), part
    imported = import_docx(built, tmp_path / "imported.md")
    written = front_of(source.read_text())
    # … and comes back as the front matter's keys, the style with them; not in the body.
    assert {key: value for key, value in front_of(imported).items() if key != "date"} == \
        {key: value for key, value in written.items() if key != "date"}
    for part in generated:
        assert not any(part in line for line in body_of(imported)), part


def test_a_reviewers_loose_minute_subject_comes_back_as_typed(tmp_path):
    """The minute's SUBJECT is in capitals on the page: unedited it comes
    back as the author wrote it; edited, as the reviewer typed it."""
    built = build_docx(LOOSE_MINUTE, tmp_path)
    assert front_of(import_docx(built, tmp_path / "same.md"))["subject"] == \
        "(OS) Replacement of the Training Area Radio Fleet"
    edit(built, "(OS) REPLACEMENT", "RADIO FLEET", "RADIO AND SATCOM FLEET")
    assert front_of(import_docx(built, tmp_path / "reviewed.md"))["subject"] == \
        "(OS) REPLACEMENT OF THE TRAINING AREA RADIO AND SATCOM FLEET"
