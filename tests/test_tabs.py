"""MkDocs' content tabs (`=== "Windows"`, pymdownx.tabbed), read into the
model and never shown raw: the screen shows each tab's title over its
content, print and Word each title followed by its content. Read back by
lxml (HTML), pdftotext (PDF), python-docx and LibreOffice (DOCX)."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from conftest import FIXTURES, FRONT, built_fixture, run_cli
from pipeline import model as m
from pipeline.problems import BriefingError, Reporter
from pipeline.run.build import load
from readers import pdf_text, soffice_to_pdf


def flat(text: str) -> str:
    return " ".join(text.split())


def loaded(tmp_path: Path, body: str, front: str = "title: T\n") -> m.Document:
    source = tmp_path / "brief.md"
    source.write_text(f"---\n{front}classification: UNCLASSIFIED\n---\n\n{body}", encoding="utf-8")
    return load(source, Reporter(str(source)))


def summary(block: m.Block):
    assert isinstance(block, m.TabSet)
    return [(m.plain_text(tab.title), tab.line, [type(b).__name__ for b in tab.blocks]) for tab in block.tabs]


def test_the_model_has_one_set_of_titled_tabs():
    doc = load(FIXTURES / "tabs.md")
    first, second, end = doc.sections[0].blocks
    assert summary(first) == [("Windows", 8, ["Paragraph", "ListBlock"]), ("Linux", 15, ["CodeBlock"])]
    assert summary(second) == [("macOS", 21, ["Paragraph"])]  # `===!` starts a set of its own
    assert m.plain_text(end.inlines) == "The end."


def test_a_tab_shown_first_and_an_untitled_one(tmp_path):
    doc = loaded(tmp_path, '=== "A"\n\n    one\n\n===+ "B"\n\n    two\n\n=== ""\n\n    three\n')
    assert summary(doc.blocks[0]) == [("A", 6, ["Paragraph"]), ("B", 10, ["Paragraph"]), ("", 14, ["Paragraph"])]


def test_tab_titles_carry_portion_marks(tmp_path):
    front = "title: (U) T\nportion_marking: true\n"
    doc = loaded(tmp_path, '(U) Text.\n\n=== "(U) Windows"\n\n    (U) Open it.\n', front)
    tab = doc.blocks[1].tabs[0]
    assert (tab.portion, m.plain_text(tab.title), tab.blocks[0].portion) == ("U", "Windows", "U")
    with pytest.raises(BriefingError) as raised:
        loaded(tmp_path, '(U) Text.\n\n=== "Windows"\n\n    (U) Open it.\n', front)
    assert [(p.line, p.code) for p in raised.value.problems] == [(9, "portion.missing")]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return built_fixture(tmp_path_factory, "tabs.md")


@pytest.mark.slow
def test_html(built):
    page = lxml.html.fromstring((built / "tabs.html").read_bytes())
    sets = page.xpath("//div[@class='tab-set']")
    assert [[flat(t.text_content()) for t in s.xpath("div[@class='tab']/p[@class='tab-title']")] for s in sets] == [
        ["Windows", "Linux"], ["macOS"]]
    windows = sets[0].xpath("div[@class='tab']/div[@class='tab-content']")[0]
    assert [child.tag for child in windows] == ["p", "ol"] and windows.find("p/em").text == "prompts"
    assert "===" not in page.find(".//main").text_content()


@pytest.mark.slow
def test_pdf(built):
    text = flat(pdf_text(built / "tabs.pdf"))
    assert ("Windows Open the installer and follow the prompts. 1. Download it. 2. Run it. "
            "Linux apt install briefing macOS A set of its own. The end.") in text
    assert "===" not in text


@pytest.mark.slow
def test_docx(built, tmp_path):
    import docx

    document = docx.Document(str(built / "tabs.docx"))
    styled = [(p.style.name, flat(p.text)) for p in document.paragraphs][2:]
    assert styled == [("Tab Title", "Windows"), ("Body Text", "Open the installer and follow the prompts."),
                      ("List Number", "Download it."), ("List Number", "Run it."), ("Tab Title", "Linux"),
                      ("Source Code", "apt install briefing"), ("Tab Title", "macOS"),
                      ("Body Text", "A set of its own."), ("Body Text", "The end.")]
    text = flat(pdf_text(soffice_to_pdf(built / "tabs.docx", tmp_path)))
    assert "Windows Open the installer and follow the prompts." in text and "===" not in text
    assert "Linux apt install briefing macOS A set of its own. The end." in text


def test_a_tabs_title_is_never_alone_at_a_pages_foot(tmp_path):
    """LLNL's merlin guide: "LSF" stood alone at the foot of a page, its
    code on the next. The screen's tab title is an inline block, whose
    `break-after: avoid` WeasyPrint does not look at; in print it is a
    block. Whatever the text above it, each title is on its code's page."""
    from readers import tool

    tabs = ('=== "Slurm"\n\n    ```bash\n    #!/bin/bash\n    #SBATCH -N 1\n    #SBATCH -t 10\n'
            '    srun hostname\n    ```\n\n=== "LSF"\n\n    ```bash\n    #!/bin/bash\n    #BSUB -n 1\n'
            '    #BSUB -W 10\n    jsrun hostname\n    ```\n')
    for count in range(10, 19):
        filler = "".join(f"Paragraph {n} of text that runs on for a while, so that the page fills up with "
                         "ordinary prose lines.\n\n" for n in range(count))
        source = tmp_path / f"tabs-{count}.md"
        source.write_text(FRONT + filler + tabs, encoding="utf-8")
        assert run_cli("build", source, "--to", "pdf", "--out", tmp_path).returncode == 0
        pages = tool("pdftotext", tmp_path / f"tabs-{count}.pdf", "-").split("\f")
        for title, code in (("Slurm", "srun"), ("LSF", "jsrun")):
            assert [title in page.split() for page in pages] == [code in page.split() for page in pages], (count, title)
