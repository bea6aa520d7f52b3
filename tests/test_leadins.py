"""render/leadins.py: a label or a line ending in a colon stays on the page
of the block it announces, in the PDF and in Word."""

from __future__ import annotations

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
    source = folder / "announced.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\ntitle_page: false\n---\n\n"
                      + "\n\n".join(parts) + "\n", encoding="utf-8")
    result = run_cli("build", source, "--to", "pdf,docx", "--out", folder)
    assert result.returncode == 0, result.stderr
    return folder / "announced"


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
