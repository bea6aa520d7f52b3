"""Issue 15's block syntax, built through all three backends and read back
by independent readers: lxml on the HTML, pdftotext on the PDF, pandoc and
LibreOffice on the DOCX. One fixture per construct (tests/fixtures/lists.md,
tables.md's pandoc tables, divs.md)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import lxml.html
import pytest

from conftest import FIXTURES, ROOT, run_cli
from readers import docx_via_pandoc, pandoc_blocks, pandoc_text, pdf_text, soffice_to_pdf

pytestmark = pytest.mark.slow


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """build(name) -> the folder holding name's PDF, DOCX and HTML."""
    out = tmp_path_factory.mktemp("blocks")
    done: dict[str, Path] = {}

    def build(name: str) -> Path:
        if name not in done:
            result = run_cli("build", FIXTURES / name, "--out", out)
            assert result.returncode == 0, result.stderr
            assert "warning" not in result.stderr, result.stderr
            done[name] = out
        return out
    return build


# Lists -----------------------------------------------------------------------

def test_lists_html(built):
    page = lxml.html.fromstring((built("lists.md") / "lists.html").read_bytes())
    main = page.find(".//main")
    nesting = main.find("section")
    # Nested by two, three and four spaces: three levels deep.
    assert nesting.xpath("ul[1]/li[1]/ul/li[1]/ul/li/text()") == ["third level, four spaces"]
    assert nesting.xpath("ol[1]/li[1]/ul/li/text()") == ["nested bullet"]
    # The paragraph a list interrupts stays a paragraph, the list a list.
    assert nesting.xpath("p[1]/following-sibling::ul[1]/li/text()") == [
        "check the route;", "register with the operations desk."]
    lists = {flat(ol.xpath("string(li[1])")).split(":")[0]: ol for ol in main.iter("ol")}
    agenda = lists["Opening remarks."]
    assert agenda.get("type") == "a" and agenda.xpath("li[2]/ol/@type") == ["i"]
    assert lists["Terms of reference"].get("type") == "A"
    assert "numbering-upper-alpha-paren" in lists["Terms of reference"].get("class")
    assert "numbering-decimal-parens" in lists["Shaping"].get("class")
    assert (lists["Findings"].get("type"), lists["Findings"].get("start")) == ("I", "4")
    assert lists["Numbered by the reader."].get("start") is None
    assert lists["A third example."].get("start") == "3"
    assert "As example (1) shows" in main.text_content()
    tasks = main.xpath(".//li[contains(@class, 'task')]")
    assert [t.xpath("string(span[@class='task-box'])") for t in tasks] == ["☐", "☑", "☑", "☐"]
    assert [t.xpath("string(span/@aria-label)") for t in tasks] == ["to do", "done", "done", "to do"]
    # Portion marks stay at the start of their paragraphs.
    assert [p.text_content()[:3] for p in main.iter("p") if p.text_content().startswith("(")] == ["(C)", "(U)"]


def test_lists_pdf(built):
    text = flat(pdf_text(built("lists.md") / "lists.pdf"))
    for shown in ("a. Opening remarks.", "i. logistics;", "ii. communications.", "c. Any other business.",
                  "A) Terms of reference", "B) Membership", "(1) Shaping", "(2) Decisive",
                  "IV. Findings", "V. Recommendations", "1. Numbered by the reader.",
                  "(1) An example", "(2) A second example.", "(3) A third example.",
                  "☐ Draft the annex", "☑ Circulate the draft", "☑ logistics comments",
                  "(C) This paragraph starts"):
        assert shown in text, shown


def test_lists_docx_read_back_by_pandoc(built):
    ast = docx_via_pandoc(built("lists.md") / "lists.docx")
    numbering = [(block["c"][0][0], block["c"][0][1]["t"], block["c"][0][2]["t"])
                 for block in pandoc_blocks(ast, "OrderedList")]
    assert numbering == [(1, "Decimal", "Period"), (1, "LowerAlpha", "Period"), (1, "LowerRoman", "Period"),
                         (1, "UpperAlpha", "OneParen"), (1, "Decimal", "TwoParens"),
                         (4, "UpperRoman", "Period"), (1, "Decimal", "Period"),
                         (1, "Decimal", "TwoParens"), (3, "Decimal", "TwoParens")]
    texts = [pandoc_text(block["c"]) for block in pandoc_blocks(ast, "Para") + pandoc_blocks(ast, "Plain")]
    assert {"☐ Draft the annex", "☑ Circulate the draft"} <= set(texts)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is installed by make test")
def test_lists_docx_in_libreoffice(built, tmp_path):
    text = flat(pdf_text(soffice_to_pdf(built("lists.md") / "lists.docx", tmp_path)))
    for shown in ("a. Opening remarks.", "A) Terms of reference", "(2) Decisive", "IV. Findings",
                  "(3) A third example.", "☐ Draft the annex", "☑ Circulate the draft"):
        assert shown in text, shown


# Tables ----------------------------------------------------------------------

def test_pandoc_tables_html(built):
    page = lxml.html.fromstring((built("pandoc-tables.md") / "pandoc-tables.html").read_bytes())
    tables = page.findall(".//main//table")
    assert len(tables) == 4
    simple, headerless, multiline, grid = tables
    assert flat(simple.findtext("caption") or simple.find("caption").text_content()).startswith(
        "Table 1: Forces in theatre")
    assert simple.get("id") == "tbl-forces" and simple.xpath("thead/tr/th/@class") == [
        "align-center", "align-right", "align-center"]
    assert headerless.find("thead") is None and len(headerless.findall("tbody/tr")) == 2
    # Widths from the dashes: 12, 15 and 35 of 72 characters.
    assert multiline.get("style") == "width: 86.1%"
    assert multiline.xpath("colgroup/col/@style") == ["width: 19.4%", "width: 24.2%", "width: 56.4%"]
    assert flat(multiline.xpath("string(tbody/tr[1]/td[3])")) == \
        "Information activities and the deployment of enabling forces."
    # Blocks in grid cells: a list, two paragraphs.
    assert grid.xpath("tbody/tr[1]/td[3]/ul/li/text()") == ["Pre-position stocks", "Second route"]
    assert grid.xpath("tbody/tr[2]/td[3]/p/text()") == ["Plan alternate landing zones.", "Brief the crews."]
    assert grid.xpath("thead/tr/th/@class") == ["align-left", "align-right", "align-center"]
    assert "See Table 1, Table 2 and Table 3." in flat(page.find(".//main").text_content())


def test_pandoc_tables_pdf(built):
    text = flat(pdf_text(built("pandoc-tables.md") / "pandoc-tables.pdf"))
    for shown in ("Table 1: Forces in theatre, a caption before its table.", "1 Bde 4,200 North sector",
                  "Alpha 12 North", "Table 2: Phases of the operation.", "Table 3: Risks and their mitigation",
                  "Pre-position stocks", "Brief the crews.", "See Table 1, Table 2 and Table 3."):
        assert shown in text, shown
    assert "Table:" not in text and "+---" not in text and "-----" not in text


def test_pandoc_tables_docx_read_back_by_pandoc(built):
    ast = docx_via_pandoc(built("pandoc-tables.md") / "pandoc-tables.docx")
    tables = pandoc_blocks(ast, "Table")
    assert [len(t["c"][3][1]) for t in tables] == [1, 0, 1, 1]  # header rows: none for the headerless
    widths = [[round(w["c"], 2) for _, w in t["c"][2]] for t in tables[2:]]
    assert widths == [[0.17, 0.21, 0.49], [0.22, 0.22, 0.29]]  # the dashes' shares of the text width
    grid = json.dumps(tables[3])
    assert '"BulletList"' in grid and "Brief" in grid


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is installed by make test")
def test_pandoc_tables_docx_in_libreoffice(built, tmp_path):
    text = flat(pdf_text(soffice_to_pdf(built("pandoc-tables.md") / "pandoc-tables.docx", tmp_path)))
    for shown in ("Table 1: Forces in theatre", "Unit Strength Location", "Alpha 12 North",
                  "Table 2: Phases of the operation.", "Pre-position stocks", "Brief the crews."):
        assert shown in text, shown


# Notes, callouts and divs -------------------------------------------------------

def test_divs_html(built):
    page = lxml.html.fromstring((built("divs.md") / "divs.html").read_bytes())
    main = page.find(".//main")
    notes = main.xpath(".//aside[contains(@class, 'admonition')] | .//details[contains(@class, 'admonition')]")
    assert [(n.tag, n.get("class").split()[1], flat(n.xpath("string(*[1])"))) for n in notes] == [
        ("aside", "note", "Note"), ("aside", "warning", "Weather"), ("aside", "tip", "Packing list"),
        ("details", "caution", "Caution"),
        ("aside", "note", "Note"), ("aside", "important", "Important"), ("aside", "caution", "Caution"),
        ("aside", "caution", "Before you delete a project"),
        ("details", "note", "Why do we ask for a reason?"), ("details", "tip", "Shortcuts")]
    folds = [n.get("open") for n in notes if n.tag == "details"]
    assert folds == [None, None, ""]  # ??? and collapse="true" start closed, ???+ open
    assert notes[2].xpath("ul/li/text()") == ["radio and spare batteries;", "first-aid kit."]
    columns = main.get_element_by_id("layout")
    assert columns.get("class") == "columns" and len(columns.xpath("div[@class='column']")) == 2
    figure = main.get_element_by_id("fig-map")
    assert figure.tag == "figure" and flat(figure.findtext("figcaption") or figure.find("figcaption").text_content()) \
        == "Figure 1: The area of operations, from a Quarto figure div."
    text = flat(main.text_content())
    assert "See Figure 1 and the columns." in text
    assert ":::" not in text and "[!NOTE]" not in text and "???" not in text


def test_divs_pdf(built):
    text = flat(pdf_text(built("divs.md") / "divs.pdf"))
    for shown in ("Note Field teams must register", "Weather Check the marine forecast",
                  "Packing list • radio and spare batteries;", "Caution Samples left in the sun",
                  "Important Key information", "Before you delete a project Deleting",
                  "Why do we ask for a reason? Every request is reviewed",  # folded on screen, open in print
                  "The left column lists", "Figure 1: The area of operations, from a Quarto figure div."):
        assert shown in text, shown
    assert ":::" not in text and "[!" not in text


def test_divs_docx_read_back_by_pandoc(built):
    ast = docx_via_pandoc(built("divs.md") / "divs.docx")
    texts = [pandoc_text(block["c"]) for block in pandoc_blocks(ast, "Para") + pandoc_blocks(ast, "Plain")]
    for shown in ("Note", "Weather", "Packing list", "Caution", "Important", "Before you delete a project",
                  "Why do we ask for a reason?", "Every request is reviewed by the data owner.",
                  "The right column lists the measurements taken at each site."):
        assert shown in texts, shown
    assert not any(":::" in t or "[!" in t or "???" in t for t in texts)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is installed by make test")
def test_divs_docx_in_libreoffice(built, tmp_path):
    import docx
    document = docx.Document(str(built("divs.md") / "divs.docx"))
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles["Caution"] == "Caution Title" and styles["Weather"] == "Warning Title"
    assert styles["Samples left in the sun for more than an hour must be discarded."] == "Caution"
    text = flat(pdf_text(soffice_to_pdf(built("divs.md") / "divs.docx", tmp_path)))
    for shown in ("Weather Check the marine forecast", "Caution Advice about risks",
                  "Figure 1: The area of operations, from a Quarto figure div."):
        assert shown in text, shown


# In a browser --------------------------------------------------------------------

@pytest.mark.skipif(not (ROOT / "node_modules" / "axe-core").is_dir(), reason="make test installs axe-core")
@pytest.mark.parametrize("name", ["lists.md", "pandoc-tables.md", "divs.md"])
def test_no_serious_or_critical_accessibility_violations(built, name, tmp_path):
    """Task boxes, numbering, colgroups, callouts (light and dark), folded
    notes: axe-core in Chromium, at desktop and phone widths, light and dark."""
    import subprocess
    page = built(name) / name.replace(".md", ".html")
    result = subprocess.run(["node", ROOT / "tests" / "browser" / "check.mjs", page, tmp_path],
                            capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    for view, seen in json.loads(result.stdout)["views"].items():
        serious = [v for v in seen["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], (view, serious)


FENCES_IN_INDENTED_CODE = """---
title: Fences
classification: UNCLASSIFIED
---

Indented code holding fences, as pandoc's manual shows them:

    ~~~~~~~
    if (a > 3) {
      moveShip(5 * gravity, DOWN);
    }
    ~~~~~~~

- An item

    ```python
    print("fenced in the item")
    ```

- Another item

        ```
        indented code in an item
        ```

- A list

    - nested

        ```
        fenced in the nested item
        ```

Term
:   A definition

    ```
    fenced in the definition
    ```

Text before.
    ```
    lazy text
    ```

An indented YAML example, whose list holds a fence:

    header-includes:
    - |
      ```{=latex}
      \\let\\oldsection\\section
      ```
"""


def test_a_fence_four_columns_into_its_container_is_indented_code_as_pandoc_reads_it(tmp_path):
    """A fence line is text of an indented code block when it stands four
    columns or more into what holds it (pandoc's MANUAL.txt has several:
    their placeholders reached the DOCX writer as control characters)."""
    import pypandoc

    from pipeline.model import CodeBlock, walk
    from pipeline.run.build import load

    source = tmp_path / "fences.md"
    source.write_text(FENCES_IN_INDENTED_CODE, encoding="utf-8")
    ours = [(b.lang or "", b.text) for b in walk.blocks(load(source)) if isinstance(b, CodeBlock)]
    ast = json.loads(pypandoc.convert_file(str(source), "json", format="markdown"))
    theirs = [((block["c"][0][1] or [""])[0], block["c"][1]) for block in pandoc_blocks(ast, "CodeBlock")]
    assert ours == theirs
    assert ours[0][1].startswith("~~~~~~~\nif (a > 3)") and len(ours) == 6
    result = run_cli("build", source, "--to", "html,docx", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "lazy text" in (tmp_path / "out" / "fences.html").read_text()


FENCES_IN_GRID_CELLS = """---
title: Grid
classification: UNCLASSIFIED
---

+----------------------------------+-----------------------------------+
| command line                     | defaults file                     |
+==================================+===================================+
| ```                              | ``` yaml                          |
| foo.md                           | input-file: foo.md                |
| ```                              | ```                               |
+----------------------------------+-----------------------------------+
| ```                              | ``` yaml                          |
| --defaults file                  | defaults:                         |
| ```                              | - file                            |
|                                  | ```                               |
+----------------------------------+-----------------------------------+
"""


def test_fenced_code_in_a_grid_tables_cells_is_code_as_pandoc_reads_it(tmp_path):
    """pandoc's manual sets its options beside their defaults-file fields in
    such a table: the fences were left in the cells as text."""
    import pypandoc

    from pipeline.model import CodeBlock, walk
    from pipeline.run.build import load

    source = tmp_path / "grid.md"
    source.write_text(FENCES_IN_GRID_CELLS, encoding="utf-8")
    ours = [(b.lang or "", b.text, b.line) for b in walk.blocks(load(source)) if isinstance(b, CodeBlock)]
    ast = json.loads(pypandoc.convert_file(str(source), "json", format="markdown"))
    theirs = [((block["c"][0][1] or [""])[0], block["c"][1]) for block in pandoc_blocks(ast, "CodeBlock")]
    assert [(lang, text) for lang, text, _ in ours] == theirs
    assert [line for *_, line in ours] == [9, 9, 13, 13]  # each at its row's first line
    result = run_cli("build", source, "--to", "html", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = lxml.html.fromstring((tmp_path / "out" / "grid.html").read_bytes())
    assert [pre.text_content() for pre in page.iter("pre")] == [text for _, text in theirs]
    assert "```" not in page.text_content()


def test_a_quarto_cell_in_double_braces_is_shown_with_its_fences(write):
    """```` ```{{r}} ```` is how Quarto's own pages show a cell's syntax:
    the cell as written, its fences too, and no cell (its label names
    nothing). Only its body showed."""
    from pipeline import model as m
    from pipeline.model import walk
    from pipeline.run.build import load
    doc = load(write("Give the cell a label:\n\n```{{r}}\n#| label: tbl-iris\nkable(head(iris))\n```\n"))
    [code] = [b for b in walk.blocks(doc) if isinstance(b, m.CodeBlock)]
    assert (code.text, code.label, code.lang) == ("```{r}\n#| label: tbl-iris\nkable(head(iris))\n```", "", None)


INDENTED_OPENINGS = ("**Circle**\n ```json\n{\"a\": 1}\n```\nBoth shapes have `kind`.\n\n"
                     "## Common API Patterns\n\nText.\n\n  ~~~\nx = 1\n   ~~~\n\n   ```\n  y\n ```\n\nAfter.\n")


def test_a_fence_opened_up_to_three_spaces_in_closes_at_the_margin(tmp_path):
    """microsoft/api-guidelines opens ` ```json` one space in and closes it
    at the margin: the fence was not read, the stray closing one opened a
    block that swallowed 30 lines, two headings among them. CommonMark
    lets a closing fence stand anywhere up to three spaces in; the same
    code blocks and headings as pandoc's gfm reader."""
    import pypandoc

    from pipeline.model import CodeBlock, walk
    from pipeline.run.build import load

    source = tmp_path / "fences.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n" + INDENTED_OPENINGS, encoding="utf-8")
    doc = load(source)
    ours = [b.text for b in walk.blocks(doc) if isinstance(b, CodeBlock)]
    ast = json.loads(pypandoc.convert_text(INDENTED_OPENINGS, "json", format="gfm"))
    assert ours == [block["c"][1] for block in pandoc_blocks(ast, "CodeBlock")] == ['{"a": 1}', "x = 1", "y"]
    assert [walk.plain_text(s.title) for s in doc.sections] == ["Common API Patterns"]


LONGER_CLOSINGS = ("Intro\n\n```scala\n@import x._\n````\n\n## After\n\ntext\n\n~~~\ntilde\n~~~~~\n\n"
                   "```\nmore\n```~~\nstill code\n```\n\n### End\n")


def test_a_longer_closing_fence_closes_its_block_as_commonmark_has_it(tmp_path):
    """hmrc's component guide opens ```` ```scala ```` and closes with four
    backticks: the block ran on for 36 lines, over a heading, two lists
    and the next fence. A closing fence is as long as its opening or
    longer, of the same character, and nothing else on its line."""
    import pypandoc

    from pipeline.model import CodeBlock, walk
    from pipeline.run.build import load

    source = tmp_path / "fences.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n" + LONGER_CLOSINGS, encoding="utf-8")
    doc = load(source)
    ours = [b.text for b in walk.blocks(doc) if isinstance(b, CodeBlock)]
    ast = json.loads(pypandoc.convert_text(LONGER_CLOSINGS, "json", format="gfm"))
    assert ours == [block["c"][1] for block in pandoc_blocks(ast, "CodeBlock")] \
        == ["@import x._", "tilde", "more\n```~~\nstill code"]
    assert [walk.plain_text(s.title) for s in doc.sections] == ["After"]
    assert [walk.plain_text(s.title) for s in doc.sections[0].children] == ["End"]


CHAINED = "WCAG criteria:\n: First\n: Various others\nChecklist:\n: HTML is valid\n: Wave used\nGuidance:\n: How to test\n"


def test_lines_at_the_margin_after_a_definition_continue_it_as_pandoc_reads_them(tmp_path):
    """dwp's accessibility manual writes `Term:` then `: definitions`, the
    next term on the line after the last definition: Python-Markdown read
    what followed a definition as its blocks, a list nested a level deeper
    for each group (ten staircases). pandoc continues the definition with
    the line and reads the next `: ` as the same term's next definition;
    so do we: one term, five definitions, none nested."""
    import pypandoc

    from pipeline.model import DefinitionList, walk
    from pipeline.run.build import load

    source = tmp_path / "chained.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n" + CHAINED, encoding="utf-8")
    [dl] = [b for b in walk.blocks(load(source)) if isinstance(b, DefinitionList)]
    ours = [(walk.plain_text(item.term), [walk.block_text(b) for d in item.definitions for b in d])
            for item in dl.items]
    [theirs] = pandoc_blocks(json.loads(pypandoc.convert_text(CHAINED, "json", format="markdown")), "DefinitionList")
    assert len(theirs["c"]) == len(ours) == 1 and len(theirs["c"][0][1]) == 5
    assert ours == [("WCAG criteria:", ["First", "Various others Checklist:", "HTML is valid", "Wave used Guidance:",
                                        "How to test"])]


def test_a_yaml_metadata_block_ending_the_text_is_left_out_with_a_warning(tmp_path):
    """openjournals' inara example ends with pandoc's YAML metadata block
    (`---`, `latex: …`, `---`): it was printed as two rules round the YAML.
    pandoc reads it as metadata and shows nothing; so do we, with a warning
    at its line. A rule, text and a rule that are no YAML stay as they were."""
    from conftest import run_cli
    from pipeline.model import walk
    from pipeline.run.build import load

    front = "---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n"
    source = tmp_path / "paper.md"
    source.write_text(front + "Text.\n\n---\nlatex:\n  before-metadata: 'x'\n---\n", encoding="utf-8")
    doc = load(source)
    assert [walk.block_text(b) for b in doc.blocks] == ["Text."]
    result = run_cli("check", source)
    assert f"{source}:8: warning: a YAML metadata block after the text" in result.stderr
    kept = tmp_path / "rules.md"
    kept.write_text(front + "Text.\n\n---\n\nJust words.\n\n---\n", encoding="utf-8")
    assert [type(b).__name__ for b in load(kept).blocks] == ["Paragraph", "Rule", "Paragraph", "Rule"]
