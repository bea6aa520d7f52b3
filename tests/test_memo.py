"""`type: memo` (issue 21): a memorandum as AR 25-50 lays it out, built
from tests/fixtures/memo/memo.md in all three formats and read back with
poppler (word positions), pypdf (the signature field), lxml (the HTML),
python-docx and LibreOffice (the DOCX)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from conftest import built_fixture, run_cli
from readers import pdf_text, soffice_to_pdf
from staff_readers import pdf_pages

LINE = 14.4  # points: 12-point type, 1.2 lines (memo/print.css)
MARGIN, PAGE_WIDTH = 72, 612  # 1 inch on US Letter


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return built_fixture(tmp_path_factory, "memo/memo.md")


def word(page, text: str, nth: int = 0) -> tuple[float, float]:
    found = [(x, y) for x, y, t in page.words if t == text]
    assert len(found) > nth, f"{text!r} not on page {page.number}"
    return found[nth]


def test_pdf_heading_as_ar_25_50_lays_it_out(built):
    pages = pdf_pages(built / "memo.pdf")
    first = pages[0]
    assert (first.width, first.height) == (612, 792)  # US Letter
    text = " ".join(pdf_text(built / "memo.pdf", 1).split())
    # The letterhead, then office symbol and date on one line, then the addressees.
    assert text.index("DEPARTMENT OF THE ARMY") < text.index("AFZS-XY") < text.index("MEMORANDUM FOR")
    assert "MEMORANDUM FOR Commander, 1st Battalion" in text
    assert "FROM: Commander, 1st Brigade Combat Team" in text
    assert "SUBJECT: (U) Range Safety Procedures for Training Year 2027" in text
    symbol_x, symbol_y = word(first, "AFZS-XY")
    assert symbol_x == pytest.approx(MARGIN, abs=0.5)
    # The date ends at the right margin, on the office symbol's line.
    xml = [w for w in pdf_words_with_right_edge(built / "memo.pdf", 1) if w[2] == "2026"]
    assert xml and xml[0][1] == pytest.approx(PAGE_WIDTH - MARGIN, abs=1)
    assert word(first, "3")[1] == pytest.approx(symbol_y, abs=0.5)
    # The two addressees aligned after MEMORANDUM FOR.
    first_x, _ = word(first, "Commander,", 0)
    second_x, _ = word(first, "Commander,", 1)
    assert first_x == pytest.approx(second_x, abs=0.5) and first_x > MARGIN + 50
    # Paragraph 1 is the references, lettered a. and b.
    assert "1. (U) References: a. (U) AR 385-63" in text and "b. (U) AR 25-50" in text
    assert "2. (U) Purpose." in text
    # No page number on the first page; the banner top and bottom.
    assert "Page 1" not in text
    assert first.band(True).startswith("UNCLASSIFIED") and first.band(False) == "UNCLASSIFIED"


def pdf_words_with_right_edge(path: Path, page: int) -> list[tuple[float, float, str]]:
    """(xMin, xMax, text) of each word of a page, as pdftotext -bbox gives them."""
    import re
    import subprocess

    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [(float(a), float(b), t) for a, b, t in
            re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', out)]


def test_pdf_closing_and_continuation_page(built):
    pages = pdf_pages(built / "memo.pdf")
    assert len(pages) == 2
    last = pages[-1]
    # The continuation header: office symbol, then the subject, above the text
    # (1 inch from the top, in the body's size: test_staff_fidelity.py).
    assert last.band(True, 100).startswith("UNCLASSIFIED AFZS-XY SUBJECT: (U) Range")  # under the banner
    assert last.band(False, 80) == "UNCLASSIFIED 2"  # the page's number under the bottom banner
    name_x, name_y = word(last, "JOHN")
    # The signature block from the middle of the page, on the fifth line
    # below the last line of text.
    assert name_x == pytest.approx(PAGE_WIDTH / 2, abs=1)
    _, last_text_y = word(last, "555-0100.")
    assert name_y - last_text_y == pytest.approx(5 * LINE, abs=1.5)
    assert "JOHN Q. PUBLIC COL, IN Commanding" in " ".join(
        t for x, y, t in sorted(last.words, key=lambda w: (w[1], w[0])) if x >= name_x - 1)
    # The Encl list at the left margin, level with the signer's name.
    encls_x, encls_y = word(last, "Encls")
    assert encls_x == pytest.approx(MARGIN + 10, abs=1) and encls_y == pytest.approx(name_y, abs=0.5)
    text = " ".join(pdf_text(built / "memo.pdf", 2).split())
    assert "1. Range Schedule" in text and "2. Safety Certification Roster" in text
    assert text.index("Commanding") < text.index("DISTRIBUTION: 1-12 IN 2-8 CAV") < text.index(
        "CF: S3, 1st Brigade Combat Team")


def test_pdf_signature_field_is_an_unsigned_acroform_widget_at_the_block(built):
    reader = PdfReader(built / "memo.pdf")
    fields = reader.get_fields()
    assert list(fields) == ["Signature"] and fields["Signature"]["/FT"] == "/Sig"
    assert "/V" not in fields["Signature"]  # unsigned
    widgets = [(number, a.get_object()) for number, page in enumerate(reader.pages, 1)
               for a in page.get("/Annots", ()) if a.get_object().get("/FT") == "/Sig"]
    assert len(widgets) == 1
    number, widget = widgets[0]
    assert number == 2 and widget["/Subtype"] == "/Widget"
    left, bottom, right, top = (float(v) for v in widget["/Rect"])
    # Above the signer's name (PDF space counts up from the foot), from its left edge.
    name_x, name_y = word(pdf_pages(built / "memo.pdf")[1], "JOHN")
    assert left == pytest.approx(name_x, abs=1) and right - left >= 200
    assert 792 - name_y < bottom < top < 792 - name_y + 5 * LINE


def cls(name: str) -> str:
    return f"contains(concat(' ', @class, ' '), ' {name} ')"


XPATHS = {".memo-letterhead p": f"//*[{cls('memo-letterhead')}]/p",
          ".memo-office-symbol": f"//*[{cls('memo-office-symbol')}]",
          ".memo-date": f"//*[{cls('memo-date')}]",
          ".memo-addressees p": f"//*[{cls('memo-addressees')}]/p",
          "h1.memo-subject": f"//h1[{cls('memo-subject')}]",
          "#memo-signature p": "//*[@id='memo-signature']/p",
          ".memo-enclosures p": f"//*[{cls('memo-enclosures')}]/p",
          ".memo-cf p": f"//*[{cls('memo-cf')}]/p"}


def test_html_parts(built):
    tree = lxml_html.fromstring((built / "memo.html").read_bytes())
    tree.cssselect = lambda selector: tree.xpath(XPATHS[selector])
    assert [p.text_content() for p in tree.cssselect(".memo-letterhead p")][0] == "DEPARTMENT OF THE ARMY"
    assert tree.cssselect(".memo-office-symbol")[0].text_content() == "AFZS-XY"
    assert tree.cssselect(".memo-date")[0].text_content() == "3 December 2026"
    assert [p.text_content() for p in tree.cssselect(".memo-addressees p")] == [
        "Commander, 1st Battalion, 12th Infantry Regiment", "Commander, 2nd Battalion, 8th Cavalry Regiment"]
    assert " ".join(tree.cssselect("h1.memo-subject")[0].text_content().split()) == \
        "SUBJECT: (U) Range Safety Procedures for Training Year 2027"
    assert [p.text_content() for p in tree.cssselect("#memo-signature p")] == [
        "JOHN Q. PUBLIC", "COL, IN", "Commanding"]
    assert [p.text_content() for p in tree.cssselect(".memo-enclosures p")] == [
        "2 Encls", "1. Range Schedule", "2. Safety Certification Roster"]
    assert [p.text_content() for p in tree.cssselect(".memo-cf p")] == ["CF:", "S3, 1st Brigade Combat Team"]


def shown(p) -> str:
    """A Word paragraph's text as shown, fields' results included."""
    parts = {W + "t": lambda e: e.text or "", W + "tab": lambda e: "\t", W + "br": lambda e: "\n"}
    return "".join(parts[e.tag](e) for e in p.iter() if e.tag in parts)


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def instructions(xml: bytes) -> list[str]:
    """The instructions of a part's simple fields."""
    from lxml import etree

    return [e.get(W + "instr") for e in etree.fromstring(xml).iter(W + "fldSimple")]


def test_docx_named_styles_and_fields(built):
    document = docx.Document(str(built / "memo.docx"))
    styled = [(p.style.name, shown(p._p)) for p in document.paragraphs if shown(p._p).strip()]
    assert styled[0] == ("Memo Department", "DEPARTMENT OF THE ARMY")
    assert ("Memo Office Symbol", "AFZS-XY\t3 December 2026") in styled
    assert ("Memo For", "MEMORANDUM FOR\tCommander, 1st Battalion, 12th Infantry Regiment\n"
            "Commander, 2nd Battalion, 8th Cavalry Regiment") in styled
    assert ("Memo Subject", "SUBJECT: (U) Range Safety Procedures for Training Year 2027") in styled
    assert ("Memo Signature First", "2 Encls\tJOHN Q. PUBLIC") in styled
    assert ("Memo Signature", "1. Range Schedule\tCOL, IN") in styled
    assert ("Memo Distribution Heading", "DISTRIBUTION:") in styled
    with zipfile.ZipFile(built / "memo.docx") as package:
        body = " ".join(instructions(package.read("word/document.xml")))
        headers = " ".join(i for n in package.namelist() if n.startswith("word/header")
                           for i in instructions(package.read(n)))
        custom = package.read("docProps/custom.xml").decode()
    assert "DOCPROPERTY OfficeSymbol" in body and "DOCPROPERTY DocumentDate" in body
    assert "DOCPROPERTY OfficeSymbol" in headers and 'STYLEREF "Memo Subject"' in headers
    assert 'name="OfficeSymbol"' in custom and "AFZS-XY" in custom
    section = document.sections[0]
    assert round(section.page_width.inches, 2) == 8.5 and round(section.left_margin.inches, 2) == 1


def test_docx_through_libreoffice(built, tmp_path):
    pages = pdf_pages(soffice_to_pdf(built / "memo.docx", tmp_path))
    assert len(pages) >= 2
    assert "AFZS-XY" in pages[0].text and "MEMORANDUM FOR" in pages[0].text
    # LibreOffice shows the continuation header on the second page.
    assert pages[1].band(True, 100).count("AFZS-XY") == 1 and "SUBJECT:" in pages[1].band(True, 100)
    name_x, name_y = word(pages[-1], "JOHN")
    assert name_x == pytest.approx(PAGE_WIDTH / 2, abs=2)
    assert word(pages[-1], "Encls")[1] == pytest.approx(name_y, abs=1)  # 2 Encls, level with the name
    # The text's last line (Word may break the number after its hyphen).
    last_line = max(y for x, y, t in pages[-1].words if t.endswith("0100."))
    assert name_y - last_line == pytest.approx(5 * LINE, abs=1.5)


MEMO = """---
type: memo
classification: UNCLASSIFIED
office_symbol: ABC-D
date: 2026-12-03
subject: Test
signature: {name: A. B. Signer, title: Director}
"""


@pytest.mark.parametrize("front, line, code, words", [
    ("memo_for: 5\n", 8, "meta.type", "'memo_for' must be text or a list of text"),
    ("signature2: x\n", 8, "meta.unknown-key", "did you mean 'signature'?"),
    ("memo_for: SEE DISTRIBUTION\n", 8, "meta.staff-key", "needs a 'distribution_list'"),
    ("title: Other\n", 8, "meta.staff-key", "a memo's title is its 'subject'"),
])
def test_bad_memo_front_matter_at_its_line(write, front, line, code, words):
    path = write("Text.\n", front=MEMO + front + "---\n\n")
    result = run_cli("check", path)
    assert result.returncode == 1, result.stderr
    assert f"{path}:{line}: " in result.stderr and words in result.stderr


def test_memo_keys_need_type_memo_and_a_memo_needs_subject_and_signature(write):
    path = write("Text.\n", front="---\ntitle: T\nclassification: UNCLASSIFIED\ncf: [A]\n---\n")
    result = run_cli("check", path)
    assert result.returncode == 1 and f"{path}:4: 'cf' belongs to a staff product" in result.stderr
    path = write("Text.\n", front="---\ntype: memo\nclassification: UNCLASSIFIED\n---\n")
    result = run_cli("check", path)
    assert result.returncode == 1
    assert f"{path}:2: a memo needs 'subject'" in result.stderr
    assert f"{path}:2: a memo needs 'signature'" in result.stderr
    path = write("Text.\n", front=MEMO.replace("signature: {name: A. B. Signer, title: Director}",
                                                "signature: {name: A, grade: O6}") + "---\n")
    result = run_cli("check", path)
    assert result.returncode == 1 and f"{path}:7: 'signature' must be a mapping with name" in result.stderr


@pytest.mark.parametrize("references, shown", [
    ('["(U) AR 385-63, Range Safety, 15 January 2020."]',
     "1. (U) Reference: AR 385-63, Range Safety, 15 January 2020. 2. (U) Purpose."),
    ('["(U) AR 385-63, Range Safety.", "(U) DA Pam 385-63, 10 April 2014."]',
     "1. (U) References: a. (U) AR 385-63, Range Safety. b. (U) DA Pam 385-63, 10 April 2014. "
     "2. (U) Purpose."),
])
def test_references_then_paragraphs_numbered_as_a_list(write, tmp_path, references, shown):
    """One reference follows its lead-in (no lone a.); the author's own
    "1. Purpose" list after the references is paragraphs 2. and 3., not
    more of the references' subparagraphs. Read back by poppler and pandoc,
    and brought back by `briefing import`."""
    front = (MEMO.replace("classification: UNCLASSIFIED", "classification: UNCLASSIFIED\nportion_marking: true")
             .replace("subject: Test", "subject: (U) Test") + f"references: {references}\n---\n")
    path = write("1. (U) Purpose. To set range safety procedures.\n\n2. (U) Point of contact is the S3.\n",
                 front=front)
    result = run_cli("build", path, "--out", tmp_path / "out")
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    text = " ".join(pdf_text(tmp_path / "out" / "brief.pdf").split())
    assert shown in text and "3. (U) Point of contact" in text
    import pypandoc
    word = " ".join(pypandoc.convert_file(str(tmp_path / "out" / "brief.docx"), "plain", format="docx").split())
    assert shown.split(" 2. ")[0].replace("1. ", "", 1) in word
    result = run_cli("import", tmp_path / "out" / "brief.docx", "-o", tmp_path / "back.md")
    assert result.returncode == 0, result.stderr
    back = (tmp_path / "back.md").read_text()
    for ref in re.findall(r'"([^"]+)"', references):
        assert f"  - {ref}" in back
    assert "Reference:" not in back and "References:" not in back


def test_starter_memo_builds(tmp_path):
    result = run_cli("new", tmp_path / "range-safety", "--type", "memo")
    assert result.returncode == 0, result.stderr
    source = tmp_path / "range-safety.md"
    assert "type: memo" in source.read_text() and "subject: \"Range safety\"" in source.read_text()
    result = run_cli("build", source, "--out", tmp_path / "out")
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    text = " ".join(pdf_pages(tmp_path / "out" / "range-safety.pdf")[0].text.split())
    assert "SUBJECT: Range safety" in text and "FIRSTNAME M. LASTNAME" in text
    assert "MEMORANDUM FOR Commander, Unit Name" in text


# Information and decision papers ---------------------------------------------

@pytest.fixture(scope="module")
def papers(tmp_path_factory) -> dict[str, Path]:
    return {kind: built_fixture(tmp_path_factory, f"memo/{kind}.md") for kind in ("info-paper", "decision-paper")}


@pytest.mark.parametrize("kind, title", [("info-paper", "INFORMATION PAPER"), ("decision-paper", "DECISION PAPER")])
def test_paper_heading_and_foot_in_pdf(papers, kind, title):
    pdf = papers[kind] / f"{kind}.pdf"
    text = " ".join(pdf_text(pdf, 1).split())
    assert text.index("AFZS-GT 3 December 2026") < text.index(title) < text.index("SUBJECT: (U)")
    # Office symbol and date at the top right: each ends at the right margin.
    right: dict[str, float] = {}
    for _, x1, t in pdf_words_with_right_edge(pdf, 1):
        right.setdefault(t, x1)
    assert right["AFZS-GT"] == pytest.approx(PAGE_WIDTH - MARGIN, abs=1)
    assert right["2026"] == pytest.approx(PAGE_WIDTH - MARGIN, abs=1)
    assert "Prepared by: CPT Jane Doe / S3 Plans / (254) 555-0101" in text
    assert text.index("1. (U) Purpose.") < text.index("Prepared by:")
    assert not PdfReader(pdf).get_fields()  # no signature block, no signature field


def test_decision_paper_has_its_decision_line_and_tabs(papers):
    pdf = papers["decision-paper"] / "decision-paper.pdf"
    text = " ".join(pdf_text(pdf, 1).split())
    assert "DECISION PAPER For DECISION SUBJECT: (U) Move of the Brigade Gunnery Window" in text
    assert "2. (U) Recommendation. That the Commander approves" in text
    assert "DECISION: Approved __________ Disapproved __________ See me __________" in text
    assert "TAB A – Current and proposed gunnery schedules TAB B – Range control's availability letter" in text
    assert text.index("4. (U) Discussion.") < text.index("DECISION:") < text.index("TAB A")
    tree = lxml_html.fromstring((papers["decision-paper"] / "decision-paper.html").read_bytes())
    assert [" ".join(c.text_content().split()) for c in tree.xpath(f"//*[{cls('paper-choice')}]")] == [
        "Approved __________", "Disapproved __________", "See me __________"]


@pytest.mark.parametrize("kind", ["info-paper", "decision-paper"])
def test_paper_docx_styles_and_libreoffice(papers, kind, tmp_path):
    document = docx.Document(str(papers[kind] / f"{kind}.docx"))
    styled = [(p.style.name, shown(p._p)) for p in document.paragraphs if shown(p._p).strip()]
    assert styled[:3] == [("Paper Symbol", "AFZS-GT"), ("Paper Symbol", "3 December 2026"),
                          ("Paper Title", "INFORMATION PAPER" if kind == "info-paper" else "DECISION PAPER")]
    assert ("Paper Prepared", "Prepared by: CPT Jane Doe / S3 Plans / (254) 555-0101") in styled
    if kind == "decision-paper":
        assert ("Paper For", "For DECISION") in styled
        assert ("Paper Decision", "DECISION:   Approved ________   Disapproved ________   See me ________") in styled
        assert ("Paper Tab", "TAB A – Current and proposed gunnery schedules") in styled
    text = " ".join(pdf_text(soffice_to_pdf(papers[kind] / f"{kind}.docx", tmp_path)).split())
    assert "AFZS-GT 3 December 2026" in text and "SUBJECT: (U)" in text and "Prepared by: CPT Jane Doe" in text


PAPER = """---
type: decision-paper
classification: UNCLASSIFIED
subject: Test
"""


def test_a_decision_paper_without_a_recommendation_is_an_error(write):
    path = write("Purpose. To decide.\n\nDiscussion. Two options.\n", front=PAPER + "---\n\n")
    result = run_cli("check", path)
    assert result.returncode == 1 and f"{path}:2: a decision paper needs a recommendation" in result.stderr
    path = write("# Purpose\n\nTo decide.\n\n# Recommendation\n\nApprove.\n", front=PAPER + "---\n\n")
    assert run_cli("check", path).returncode == 0


def test_a_memo_key_in_a_paper_is_an_error_at_its_line(write):
    path = write("Recommendation. Approve.\n\nMore.\n", front=PAPER + "cf: [A]\n---\n\n")
    result = run_cli("check", path)
    assert result.returncode == 1 and f"{path}:5: 'cf' belongs to a memo, not a decision-paper" in result.stderr


@pytest.mark.parametrize("kind, shown", [("info-paper", "INFORMATION PAPER"), ("decision-paper", "DECISION PAPER")])
def test_paper_starters_check_and_build(tmp_path, kind, shown):
    result = run_cli("new", tmp_path / "x", "--type", kind)
    assert result.returncode == 0, result.stderr
    result = run_cli("build", tmp_path / "x.md", "--to", "html", "--out", tmp_path / "out")
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    tree = lxml_html.fromstring((tmp_path / "out" / "x.html").read_bytes())
    assert tree.xpath(f"//*[{cls('paper-title')}]")[0].text_content() == shown


# Point and talking papers ----------------------------------------------------

@pytest.mark.parametrize("kind, shown", [("point-paper", "POINT PAPER ON"), ("talking-paper", "TALKING PAPER ON")])
def test_point_and_talking_papers_in_three_formats(tmp_path_factory, tmp_path, kind, shown):
    out = built_fixture(tmp_path_factory, f"memo/{kind}.md")
    pdf = out / f"{kind}.pdf"
    assert len(pdf_pages(pdf)) == 1
    text = " ".join(pdf_text(pdf).split())
    assert f"{shown} (U) BRIGADE GUNNERY WINDOW" in text
    assert "3 Dec 26" not in text.split(shown)[0]  # the date closes the prepared-by line instead
    assert text.index("Recommend the Commander") < text.index("Capt Doe/1 BCT S3/555-0101/jd/3 Dec 26")
    assert "1." not in text.split("WINDOW")[1].split("Capt Doe")[0]  # bullets, not numbered paragraphs
    tree = lxml_html.fromstring((out / f"{kind}.html").read_bytes())
    assert " ".join(tree.xpath("//h1")[0].text_content().split()) == f"{shown} (U) BRIGADE GUNNERY WINDOW"
    assert len(tree.xpath("//main//ul/li")) == 6
    document = docx.Document(str(out / f"{kind}.docx"))
    styled = [(p.style.name, shown_text) for p in document.paragraphs if (shown_text := shown_of(p))]
    assert styled[0] == ("Paper Title", f"{shown} (U) BRIGADE GUNNERY WINDOW")
    assert styled[-1] == ("Paper Prepared Line", "Capt Doe/1 BCT S3/555-0101/jd/3 Dec 26")
    office = " ".join(pdf_text(soffice_to_pdf(out / f"{kind}.docx", tmp_path)).split())
    assert f"{shown} (U) BRIGADE GUNNERY WINDOW" in office and "Capt Doe/1 BCT S3" in office


def shown_of(p) -> str:
    return shown(p._p).strip()


def test_a_point_paper_past_one_page_is_a_warning_with_its_page_count(write, tmp_path):
    body = "".join(f"- Point {n}: " + "a line of text that the paper carries " * 4 + "\n" for n in range(60))
    path = write(body, front="---\ntype: point-paper\nclassification: UNCLASSIFIED\nsubject: Long\n---\n\n")
    result = run_cli("build", path, "--to", "pdf", "--out", tmp_path / "out")
    pages = len(pdf_pages(tmp_path / "out" / "brief.pdf"))
    assert result.returncode == 0 and pages > 1
    assert f"{path}:2: warning: the paper runs to {pages} pages; a point or talking paper keeps to 1" \
        in result.stderr


def test_pdf_banners_run_across_the_memos_text_width(built, tmp_path):
    """The banners were as wide as a briefing's text (36 mm margins), 410
    points on a memo whose text, inside its 1-inch margins, is 468: centred,
    short of both margins. Read off the page's pixels (72 to the inch): the
    top banner's coloured band from the left margin to the right one."""
    import subprocess

    from PIL import Image

    subprocess.run(["pdftoppm", "-png", "-r", "72", "-f", "1", "-l", "1", str(built / "memo.pdf"),
                    str(tmp_path / "page")], check=True)
    [png] = tmp_path.glob("page*.png")
    image = Image.open(png).convert("RGB")
    row = next(y for y in range(60) if sum(image.getpixel((306, y))) < 400)  # the band under the page's middle
    coloured = [x for x in range(image.width) if sum(image.getpixel((x, row))) < 600]
    assert min(coloured) == pytest.approx(MARGIN, abs=2) and max(coloured) == pytest.approx(PAGE_WIDTH - MARGIN, abs=2)
