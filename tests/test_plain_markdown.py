"""Markdown written for GitHub, with no front matter (a README, a design
proposal, a standard's page): built as it is, its classification given
with `--classification`, its title taken from its one first-level heading
(the headings under it a level higher, as pandoc's
--shift-heading-level-by=-1 makes them) or from its file's name."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from conftest import run_cli

README = "# Sahel Partnership\n\nWhat it is.\n\n## Install\n\nRun it.\n\n### Details\n\nMore.\n\n## Use\n\nUse it.\n"


def written(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []


def test_without_front_matter_the_marking_is_asked_for(tmp_path):
    source = tmp_path / "README.md"
    source.write_text(README, encoding="utf-8")
    result = run_cli("build", source, "--out", tmp_path / "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == (
        f"{source}:1: no front matter: a briefing starts with '---', then YAML with at least its "
        "classification, then '---' (or give it with --classification)")
    assert written(tmp_path / "out") == []


def test_a_bad_marking_is_a_usage_error(tmp_path):
    source = tmp_path / "README.md"
    source.write_text(README, encoding="utf-8")
    result = run_cli("build", source, "--classification", "SECRTE", "--out", tmp_path / "out")
    assert result.returncode == 2 and "not 'SECRTE'" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_readme_builds_titled_by_its_heading(tmp_path):
    from docx import Document

    from readers import pdf_band, pdf_headings

    source = tmp_path / "README.md"
    source.write_text(README, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", source, "--classification", "UNCLASSIFIED", "--out", out)
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    page = lxml.html.fromstring((out / "README.html").read_bytes())
    assert page.findtext(".//title").startswith("Sahel Partnership")
    assert [h.text_content() for h in page.iter("h1", "h2", "h3") if h.text_content() != "Contents"][:4] == [
        "Sahel Partnership", "Install", "Details", "Use"]
    assert [h.tag for h in page.iter("h2", "h3")][-3:] == ["h2", "h3", "h2"]  # ## is a section now
    word = Document(str(out / "README.docx"))
    assert word.core_properties.title == "Sahel Partnership"
    assert [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith(("Title", "Heading"))] == [
        ("Title", "Sahel Partnership"), ("Heading 1", "Install"), ("Heading 2", "Details"), ("Heading 1", "Use")]
    assert [text for _, text in pdf_headings(out / "README.pdf")] == ["Sahel Partnership", "Install", "Details", "Use"]
    assert "UNCLASSIFIED" in pdf_band(out / "README.pdf", 1, top=True)


def test_several_first_level_headings_leave_the_title_to_the_files_name(tmp_path):
    source = tmp_path / "sp800-63b.md"
    source.write_text("# Purpose\n\nText.\n\n# Scope\n\nMore.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", source, "--classification", "UNCLASSIFIED", "--to", "html", "--out", out)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{source}:1: warning: no title: the file's name, 'sp800-63b', stands for it (give one with "
        "'title:' in the front matter, or open the text with a '#' heading)"]
    page = lxml.html.fromstring((out / "sp800-63b.html").read_bytes())
    assert page.findtext(".//title").startswith("sp800-63b")
    assert [h.text_content() for h in page.iter("h2")][:2] == ["Purpose", "Scope"]


def test_front_matter_without_a_title_takes_the_heading_and_its_own_marking_wins(tmp_path):
    source = tmp_path / "brief.md"
    source.write_text("---\nclassification: SECRET//NOFORN\nclassified_by: J. Smith, J2\n"
                      "derived_from: Multiple Sources\ndeclassify_on: '20511231'\n---\n\n"
                      "# Sahel Partnership\n\nText.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("check", source, "--classification", "UNCLASSIFIED", "--report", tmp_path / "r.json")
    assert result.returncode == 0, result.stderr
    [entry] = json.loads((tmp_path / "r.json").read_text())["briefings"]
    assert entry["markings"] == "SECRET//NOFORN"
    result = run_cli("build", source, "--to", "html", "--out", out)
    assert result.returncode == 0, result.stderr
    assert lxml.html.fromstring((out / "brief.html").read_bytes()).findtext(".//title").startswith(
        "Sahel Partnership")


def test_another_marking_rebuilds(tmp_path):
    source = tmp_path / "README.md"
    source.write_text(README, encoding="utf-8")
    out = tmp_path / "out"
    for marking, expected in (("UNCLASSIFIED", "README.html"), ("UNCLASSIFIED", "up to date"), ("CONFIDENTIAL", None)):
        result = run_cli("build", source, "--classification", marking, "--to", "html", "--out", out)
        if expected:
            assert result.returncode == 0 and expected in result.stdout, result.stdout
    # CONFIDENTIAL asks for its authority block, which a README cannot give: refused, not up to date.
    assert result.returncode == 1 and "needs 'classified_by'" in result.stderr


def test_a_section_file_opening_with_its_one_second_level_heading_takes_it(tmp_path):
    """NIST's SP 800-63 section files each open with one `##` heading, the
    rest under it: it is the title, the `###` headings its sections."""
    from docx import Document

    source = tmp_path / "sec6_xAL.md"
    source.write_text("## 6 Selecting Assurance Levels\n\nText.\n\n### 6.1 IAL\n\nMore.\n\n#### Deep\n\nx\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", source, "--classification", "UNCLASSIFIED", "--to", "docx", "--out", out)
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    word = Document(str(out / "sec6_xAL.docx"))
    assert [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith(("Title", "Heading"))] == [
        ("Title", "6 Selecting Assurance Levels"), ("Heading 1", "6.1 IAL"), ("Heading 2", "Deep")]


def test_a_heading_that_repeats_the_title_is_linked_as_github_numbers_it(tmp_path):
    """swift-evolution 0304 opens with `# Structured concurrency` (now the
    title) and links its later `## Structured concurrency` as
    `#structured-concurrency-1`, as GitHub counts them: the link was
    refused (a warning) and shown as plain text."""
    source = tmp_path / "0304.md"
    source.write_text("# Structured concurrency\n\nSee [the section](#structured-concurrency-1).\n\n"
                      "## Structured concurrency\n\nText.\n", encoding="utf-8")
    result = run_cli("build", source, "--classification", "UNCLASSIFIED", "--to", "html", "--out", tmp_path)
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    page = lxml.html.fromstring((tmp_path / "0304.html").read_bytes())
    [link] = [a for a in page.iter("a") if a.text_content() == "the section"]
    [heading] = [h for h in page.iter("h2") if h.text_content() == "Structured concurrency"]
    target = page.get_element_by_id(link.get("href")[1:])
    assert target is heading.getparent() or target in heading.iter()  # its section, or in the heading
