"""`style:` (issue 21): where the services lay a staff product out
differently, the style picks the layout: the memorandum as the Army (AR
25-50), the Air Force (DAFH 33-337, The Tongue and Quill) and the Office of
the Secretary of Defense (DoDM 5110.04) write it. The memo fixture is built
in each style and read back with poppler, lxml, python-docx and LibreOffice."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import docx
import pytest
from lxml import html as lxml_html

from conftest import FIXTURES, run_cli
from readers import pdf_text, soffice_to_pdf
from staff_readers import pdf_pages

MARGIN, PAGE_WIDTH = 72, 612  # 1 inch on US Letter
MEMO = (FIXTURES / "memo" / "memo.md").read_text(encoding="utf-8")


def styled(tmp: Path, style: str, templates: Path | None = None) -> Path:
    """The memo fixture in `style`, built into all three formats."""
    source = tmp / f"memo-{style}.md"
    source.write_text(MEMO.replace("type: memo\n", f"type: memo\nstyle: {style}\n", 1), encoding="utf-8")
    extra = ["--templates", templates] if templates else []
    result = run_cli("build", source, "--out", tmp / "out", *extra)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    return tmp / "out"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    return {style: styled(tmp_path_factory.mktemp(style), style) for style in ("usaf", "osd")}


def words(path: Path, page: int) -> list[tuple[float, float, float, str]]:
    """(xMin, xMax, yMin, text) of each word of a page, as pdftotext -bbox gives them."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [(float(a), float(b), float(y), t) for a, y, b, t in re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', out)]


def line(found, y: float) -> str:
    return " ".join(t for x0, _, wy, t in sorted(found) if abs(wy - y) < 2)


def first(found, text: str) -> tuple[float, float, float, str]:
    return next(w for w in found if w[3] == text)


@pytest.mark.parametrize("style, date", [("usaf", "3 December 2026"), ("osd", "December 3, 2026")])
def test_pdf_date_alone_flush_right(built, style, date):
    pdf = built[style] / f"memo-{style}.pdf"
    found = words(pdf, 1)
    year = first(found, "2026")
    assert line(found, year[2]) == date  # alone on its line: no office symbol beside it
    assert max(x1 for _, x1, y, _ in found if abs(y - year[2]) < 2) == pytest.approx(PAGE_WIDTH - MARGIN, abs=1)
    text = " ".join(pdf_text(pdf, 1).split())
    assert text.index(date) < text.index("MEMORANDUM FOR") < text.index("FROM:") < text.index("SUBJECT:")


@pytest.mark.parametrize("style, signer, block, x", [
    ("usaf", "JOHN", ["JOHN Q. PUBLIC, COL, IN", "Commanding"], MARGIN + 3.5 * 72),  # 4.5 in from the edge
    ("osd", "John", ["John Q. Public", "Commanding"], PAGE_WIDTH / 2),
])
def test_pdf_signature_block_and_attachments_below_it(built, style, signer, block, x):
    pdf = built[style] / f"memo-{style}.pdf"
    found = words(pdf, len(pdf_pages(pdf)))
    name = first(found, signer)
    assert name[0] == pytest.approx(x, abs=1.5)
    assert [line(found, name[2]), line(found, name[2] + 14.4)] == block
    attachments = first(found, "Attachments:")
    assert attachments[2] > name[2] + 14.4 and line(found, attachments[2]) == "2 Attachments:"
    assert min(x0 for x0, _, y, _ in found if abs(y - attachments[2]) < 2) == pytest.approx(MARGIN, abs=1)
    assert "cc: S3, 1st Brigade Combat Team" in " ".join(pdf_text(pdf, 2).split())


def test_usaf_from_line_takes_the_office_symbol_without_from(tmp_path):
    source = tmp_path / "m.md"
    source.write_text(MEMO.replace("type: memo\n", "type: memo\nstyle: usaf\n", 1)
                      .replace("from: Commander, 1st Brigade Combat Team\n", ""), encoding="utf-8")
    assert run_cli("build", source, "--to", "html", "--out", tmp_path).returncode == 0
    tree = lxml_html.fromstring((tmp_path / "m.html").read_bytes())
    assert " ".join(tree.xpath("//p[contains(@class, 'memo-from')]")[0].text_content().split()) == "FROM: AFZS-XY"


def shown(p) -> str:
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    parts = {W + "t": lambda e: e.text or "", W + "tab": lambda e: "\t", W + "br": lambda e: "\n"}
    return "".join(parts[e.tag](e) for e in p._p.iter() if e.tag in parts)


def test_docx_styles_and_libreoffice_positions(built, tmp_path):
    document = docx.Document(str(built["usaf"] / "memo-usaf.docx"))
    paragraphs = [(p.style.name, shown(p)) for p in document.paragraphs if shown(p).strip()]
    assert ("Memo Date", "3 December 2026") in paragraphs
    assert not any(style == "Memo Office Symbol" for style, _ in paragraphs)
    assert ("Memo Signature First", "JOHN Q. PUBLIC, COL, IN") in paragraphs
    assert ("Memo Attachments Heading", "2 Attachments:") in paragraphs
    assert ("Memo Distribution Heading", "cc:") in paragraphs
    pages = pdf_pages(soffice_to_pdf(built["usaf"] / "memo-usaf.docx", tmp_path))
    last = pages[-1]
    name = next((x, y) for x, y, t in last.words if t == "JOHN")
    assert name[0] == pytest.approx(MARGIN + 3.5 * 72, abs=2)
    attachments = next((x, y) for x, y, t in last.words if t == "Attachments:")
    assert attachments[1] > name[1]
    assert next(x for x, y, t in last.words if abs(y - attachments[1]) < 2) == pytest.approx(MARGIN, abs=2)
    date = next((x, y) for x, y, t in pages[0].words if t == "December")
    assert date[0] > PAGE_WIDTH / 2  # flush right


def test_a_house_overrides_a_style(tmp_path):
    house = tmp_path / "house" / "memo"
    house.mkdir(parents=True)
    house.joinpath("usaf.yaml").write_text('labels:\n  memo_layout: usaf\n  memo_cf: "Copies to:"\n'
                                           '  memo_signature_lines: "{NAME}\\n{title}"\n', encoding="utf-8")
    house.joinpath("usaf.css").write_text(".memo-signature { margin-left: 50%; }\n", encoding="utf-8")
    out = styled(tmp_path, "usaf", tmp_path / "house")
    found = words(out / "memo-usaf.pdf", 2)
    name = first(found, "JOHN")
    assert name[0] == pytest.approx(PAGE_WIDTH / 2, abs=1.5)
    assert line(found, name[2]) == "JOHN Q. PUBLIC" and line(found, name[2] + 14.4) == "Commanding"
    assert "Copies to: S3" in " ".join(pdf_text(out / "memo-usaf.pdf", 2).split())


@pytest.mark.parametrize("kind, style, words_", [
    ("info-paper", "usaf", "an info-paper has no 'usaf' style: its style is army"),
    ("point-paper", "army", "a point-paper has no 'army' style: its style is usaf"),
    ("memo", "mod", "a memo has no 'mod' style: its styles are army, usaf, osd"),
    ("memo", "marines", "unknown style 'marines': the styles are army, usaf, osd, mod (a memo's: army, usaf, osd)"),
])
def test_a_style_that_does_not_fit_is_an_error_at_its_line(write, tmp_path, kind, style, words_):
    import json

    front = (f"---\ntype: {kind}\nclassification: UNCLASSIFIED\nsubject: T\nsignature: {{name: A}}\n"
             if kind == "memo" else f"---\ntype: {kind}\nclassification: UNCLASSIFIED\nsubject: T\n")
    path = write("Recommendation. Text.\n", front=front + f"style: {style}\n---\n\n")
    result = run_cli("check", path, "--report", tmp_path / "r.json")
    line_no = front.count("\n") + 1
    assert result.returncode == 1 and f"{path}:{line_no}: {words_}" in result.stderr, result.stderr
    errors = json.loads((tmp_path / "r.json").read_text())["briefings"][0]["errors"]
    assert (line_no, "meta.staff-style") in [(e["line"], e["code"]) for e in errors]


def test_style_in_a_briefing_is_an_error(write):
    path = write("Text.\n", front="---\ntitle: T\nclassification: UNCLASSIFIED\nstyle: usaf\n---\n\n")
    result = run_cli("check", path)
    assert result.returncode == 1 and f"{path}:4: 'style' belongs to a staff product" in result.stderr
