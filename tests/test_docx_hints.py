"""The import hints of a long briefing: render/docx/roundtrip.py splits them
over document variables of at most 65,280 characters (Word's limit, and
the OOXML schema's, which every DOCX the tests make is checked against),
and docx_import/reader.py joins them again, whatever order Word saves the
variables in."""

from __future__ import annotations

import re
import zipfile

from lxml import etree

from conftest import FRONT, run_cli

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PARAGRAPHS = 4000  # each a unit of the hints, of 25 characters: 100,000 of them


def long_briefing(write):
    body = "\n\n".join(f"Paragraph {n} of a long briefing." for n in range(PARAGRAPHS))
    # What only the hints bring back, at the end: a code block's language.
    return write(body + "\n\n```python\nprint('last')\n```\n", front=FRONT)


def variables(docx) -> list[tuple[str, str]]:
    with zipfile.ZipFile(docx) as package:
        settings = etree.fromstring(package.read("word/settings.xml"))
    return [(var.get(f"{W}name"), var.get(f"{W}val")) for var in settings.iter(f"{W}docVar")]


def build_docx(source, tmp_path):
    result = run_cli("build", source, "--to", "docx", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    return tmp_path / "out" / f"{source.stem}.docx"


def test_long_hints_are_split_within_words_limit(write, tmp_path):
    found = variables(build_docx(long_briefing(write), tmp_path))
    assert [name for name, _ in found] == ["briefing.import", "briefing.import.2"]
    assert len(found[0][1]) == 65_280 and 0 < len(found[1][1]) <= 65_280
    assert found[1][1].endswith("}")  # the JSON's end, in the last part


def test_a_long_briefing_comes_back_with_every_hint(write, tmp_path):
    docx = build_docx(long_briefing(write), tmp_path)
    markdown = imported(docx, tmp_path / "back.md")
    assert "```python\nprint('last')\n```" in markdown
    assert markdown.count("of a long briefing.") == PARAGRAPHS


def test_variables_sorted_by_name_are_joined_by_number(write, tmp_path):
    docx = build_docx(long_briefing(write), tmp_path)
    # The second part first, as a save that sorts the variables could leave them.
    reordered = with_settings(docx, tmp_path / "reordered.docx",
                              lambda xml: re.sub(rb"(<w:docVar [^>]*/>)(<w:docVar [^>]*/>)", rb"\2\1", xml))
    assert [name for name, _ in variables(reordered)] == ["briefing.import.2", "briefing.import"]
    assert "```python\nprint('last')\n```" in imported(reordered, tmp_path / "back.md")


def test_a_missing_part_gives_no_hints_and_still_an_import(write, tmp_path):
    docx = build_docx(long_briefing(write), tmp_path)
    cut = with_settings(docx, tmp_path / "cut.docx",
                        lambda xml: re.sub(rb'<w:docVar w:name="briefing.import.2"[^>]*/>', b"", xml))
    markdown = imported(cut, tmp_path / "back.md")
    assert "print('last')" in markdown and "```python" not in markdown  # the code, not its language


def imported(docx, out) -> str:
    result = run_cli("import", docx, "-o", out, "--force")
    assert result.returncode == 0, result.stderr
    return out.read_text(encoding="utf-8")


def with_settings(docx, target, change):
    """A copy of `docx` at `target` with word/settings.xml changed by `change` (bytes to bytes)."""
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            copy.writestr(item, change(data) if item.filename == "word/settings.xml" else data)
    return target
