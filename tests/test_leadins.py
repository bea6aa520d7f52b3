"""render/leadins.py: a label or a line ending in a colon stays on the page
of the block it announces, in the PDF and in Word."""

from __future__ import annotations

import re

import pytest

from conftest import run_cli
from pipeline import model as m
from pipeline.render.leadins import lead_in


def paragraph(*inlines: m.Inline) -> m.Paragraph:
    return m.Paragraph(inlines=inlines, line=1)


@pytest.mark.parametrize("made, expected", [
    (paragraph(m.Strong(children=(m.Text(text="Template"),))), True),
    (paragraph(m.Emph(children=(m.Text(text="Example"),)), m.Text(text=" ")), True),
    (paragraph(m.Text(text="For example:")), True),
    (paragraph(m.Text(text="The steps are "), m.Strong(children=(m.Text(text="these"),)), m.Text(text=":")), True),
    (paragraph(m.Text(text="A sentence.")), False),
    (paragraph(m.Strong(children=(m.Text(text="Bold"),)), m.Text(text=" then words.")), False),
    (paragraph(m.Text(text="x" * 130 + ":")), False),  # a paragraph of its own, however it ends
    (paragraph(), False),
])
def test_what_is_a_lead_in(made, expected):
    assert lead_in(made) is expected


FILL = "Filler words that take room on the page and push the next things down a little further."


@pytest.fixture(scope="module")
def announced(tmp_path_factory):
    """Labels and their code at many places down the page: some would
    stand at a page's foot."""
    folder = tmp_path_factory.mktemp("leadins")
    parts = []
    for count in range(36):
        parts.append(" ".join([FILL] * (1 + count % 5)))
        parts.append(f"For example {count}:\n\n**Template {count}**\n\n```\nline one {count}\nline two\n```")
    return built(folder, "announced", parts)


def built(folder, name: str, parts: list[str]):
    """The PDF and DOCX of a briefing of `parts`, as folder/name without its suffix."""
    source = folder / f"{name}.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\ntitle_page: false\n---\n\n"
                      + "\n\n".join(parts) + "\n", encoding="utf-8")
    result = run_cli("build", source, "--to", "pdf,docx", "--out", folder)
    assert result.returncode == 0, result.stderr
    return folder / name


def pages_of(pdf) -> list[str]:
    from readers import pdf_text

    return pdf_text(pdf).split("\f")


@pytest.mark.slow
def test_a_label_and_its_lead_in_share_the_page_of_their_code(announced):
    from readers import soffice_to_pdf

    for pdf in (announced.with_suffix(".pdf"), soffice_to_pdf(announced.with_suffix(".docx"), announced.parent)):
        pages = pages_of(pdf)
        assert len(pages) > 4
        for count in range(36):
            where = {what: [n for n, page in enumerate(pages) if f"{what} {count}" in page]
                     for what in ("For example", "Template", "line one")}
            assert where["For example"] == where["Template"] == where["line one"], (pdf.name, count, where)


@pytest.fixture(scope="module")
def fields(tmp_path_factory):
    """The OCI image spec's field list (`- **author** _string_, OPTIONAL`
    over its description) after ever more lines of text, so that an item
    meets a page's foot at every height: PDF and Word."""
    folder = tmp_path_factory.mktemp("fields")
    parts = []
    for count in range(40):
        parts.append(" ".join([FILL] * (1 + count % 4)))
        parts.append(f"- **field{count}** _string_, OPTIONAL\n\n  Gives the name of the person or entity "
                     f"that made entry {count} and keeps it up to date, in one line or two.\n\n"
                     f"- **other{count}** _string_, REQUIRED\n\n  The architecture entry {count} runs on.")
    return built(folder, "fields", parts)


def test_what_is_an_items_lead():
    from pipeline.render.leadins import item_lead

    lead = m.Paragraph(inlines=(m.Strong(children=(m.Text(text="author"),)), m.Text(text=" string, OPTIONAL")),
                       line=1)
    more = m.Paragraph(inlines=(m.Text(text="Its description."),), line=2)
    assert item_lead((lead, more)) and not item_lead((lead,)) and not item_lead((more,))
    long = m.Paragraph(inlines=(m.Text(text="word " * 30),), line=1)
    assert not item_lead((long, more))


@pytest.mark.slow
def test_a_list_items_first_line_shares_the_page_of_its_description(fields):
    """In the PDF, each field's line is on its description's page. In Word
    each is kept with its next (`w:keepNext`); LibreOffice's layout honours
    it for 79 of the 80 here (field16 is left at a page's foot, without the
    numbering or with `keepLines` on the description too), so the Word file
    is read for the property, not through LibreOffice."""
    import zipfile

    pages = [" ".join(page.split()) for page in pages_of(fields.with_suffix(".pdf"))]
    assert len(pages) > 4
    for count in range(40):
        for field, description in ((f"field{count} string", f"made entry {count} "),
                                   (f"other{count} string", f"entry {count} runs")):
            where = {what: [n for n, page in enumerate(pages) if what in page] for what in (field, description)}
            assert where[field] == where[description], (count, where)
    with zipfile.ZipFile(fields.with_suffix(".docx")) as package:
        document = package.read("word/document.xml").decode()
    leads = re.findall(r'<w:p><w:pPr><w:pStyle w:val="ListBullet"/>(<w:keepNext/>)?', document)
    assert len(leads) == 80 and all(leads)


def test_a_lead_in_that_ends_its_table_cell_keeps_no_row_with_the_next(tmp_path):
    """ASVS numbers its requirements `**2.1.1**`, a bold label, a lead-in:
    kept with its next paragraph in every row's first cell, it tied each row
    to the next in Word, so LibreOffice moved the whole table to the next
    page and left one row alone after it. Only the rows the table keeps
    together (the header, the first body row, the one before the last)
    keep with the next."""
    rows = "".join(f"| **2.1.{n}** | Verify that the password rule number {n} holds. | ✓ |\n" for n in range(1, 13))
    source = tmp_path / "asvs.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n| # | Description | L1 |\n|---|---|---|\n"
                      + rows + "\nNote: the next paragraph.\n", encoding="utf-8")
    assert run_cli("build", source, "--to", "docx", "--out", tmp_path).returncode == 0
    import zipfile

    document = zipfile.ZipFile(tmp_path / "asvs.docx").read("word/document.xml").decode()
    [table] = re.findall(r"<w:tbl>.*?</w:tbl>", document, re.S)
    kept = ["K" if "<w:keepNext/>" in row else "-" for row in re.findall(r"<w:tr>.*?</w:tr>", table, re.S)]
    assert "".join(kept) == "KK" + "-" * 9 + "K-"
