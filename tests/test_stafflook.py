"""pipeline/render/stafflook.py: a staff product's look comes from its
type's folder and its service's style files, which a house overrides."""

from __future__ import annotations

from pipeline import model as m
from pipeline.render import stafflook
from pipeline.render.templates import Templates


def test_each_type_has_its_folder():
    assert stafflook.folder(m.Memo(kind="memo")) == "memo"
    assert stafflook.folder(m.Memo(kind="decision-paper")) == "memo"
    assert stafflook.folder(m.Memo(kind="loose-minute", style="mod")) == "loose-minute"


def test_a_style_gives_its_wording_over_the_templates_and_its_font():
    base = {"memo_cf": "CF:", "memo_encl": "Encl"}
    usaf = m.Memo(kind="memo", style="usaf")
    worded = stafflook.labels(Templates(), usaf, base)
    assert (worded["memo_cf"], worded["memo_encl"], worded["memo_layout"]) == ("cc:", "Attachment:", "usaf")
    assert stafflook.font(Templates(), usaf) == "Times New Roman"
    assert stafflook.font(Templates(), m.Memo(kind="memo", style="army")) == "Arial"
    assert stafflook.font(Templates(), m.Memo(kind="loose-minute", style="mod")) == "Arial"
    assert stafflook.look(Templates(), None) == {}
    assert stafflook.labels(Templates(), None, base) == base


def test_a_style_without_files_keeps_the_types_own(tmp_path):
    # A paper has army.yaml's font but no army.css: its type's stylesheets alone.
    paper = m.Memo(kind="info-paper", style="army")
    assert stafflook.stylesheets(Templates(), paper, printing=False) == ("memo/style.css",)
    assert stafflook.stylesheets(Templates(), paper, printing=True) == (
        "memo/style.css", "memo/print.css", stafflook.FIRST_PAGE_CSS)
    osd = m.Memo(kind="memo", style="osd")
    assert stafflook.stylesheets(Templates(), osd, printing=False) == ("memo/style.css", "memo/osd.css")


def test_a_house_overrides_a_style_and_adds_its_css(tmp_path):
    (tmp_path / "memo").mkdir()
    (tmp_path / "memo" / "army.yaml").write_text("labels:\n  memo_cf: 'Copies:'\ndocx:\n  font: Calibri\n")
    (tmp_path / "memo" / "army.css").write_text("body { color: black; }\n")
    house, army = Templates(tmp_path), m.Memo(kind="memo", style="army")
    assert stafflook.labels(house, army, {"memo_cf": "CF:"}) == {"memo_cf": "Copies:"}
    assert stafflook.font(house, army) == "Calibri"
    assert stafflook.stylesheets(house, army, printing=False) == ("memo/style.css", "memo/army.css")


def test_signature_lines_leave_out_what_the_signer_lacks():
    officer = m.Signature(name="John Q. Public", rank="COL", branch="IN", title="Commanding")
    civilian = m.Signature(name="Jane Roe", title="Director")
    form = "{NAME}, {rank}, {branch}\n{title}"
    assert stafflook.signature_lines(officer, form) == ["JOHN Q. PUBLIC, COL, IN", "Commanding"]
    assert stafflook.signature_lines(civilian, form) == ["JANE ROE", "Director"]
    assert stafflook.signature_lines(civilian, "{name}\n{rank}\n{title}") == ["Jane Roe", "Director"]


def test_page_number_parts_for_counters_and_fields():
    assert stafflook.page_number_parts("{page}") == [("page", "")]
    assert stafflook.page_number_parts("Page {page} of {pages}") == [
        ("text", "Page "), ("page", ""), ("text", " of "), ("pages", "")]
