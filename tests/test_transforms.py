import dataclasses
import re

import pytest
from hypothesis import given, strategies as st

from pipeline import model as m
from pipeline.problems import BriefingError, Reporter
from pipeline.read.frontmatter import read_meta
from pipeline.read.markdown import parse
from pipeline.read.source import read_source
from pipeline.transform.ids import slug
from pipeline.transform.passes import PASSES, finish


def finished(write, body: str, reporter: Reporter | None = None, **meta_changes) -> m.Document:
    source = read_source(write(body))
    reporter = reporter or Reporter(source.name)
    meta, body_line = read_meta(source, reporter)
    return finish(parse(source, dataclasses.replace(meta, **meta_changes), body_line), reporter)


def test_the_passes_run_in_the_order_they_depend_on():
    # Military paragraph numbers after the sections' own; annexes after
    # both (they restart them) and after the portions (their banners);
    # references to what they numbered; citations after the references.
    assert [name for name, _ in PASSES] == ["staff", "outline", "portions", "ids", "numbers", "paragraphs",
                                           "annexes", "references", "citations", "title page", "language"]


def test_section_levels_are_depths_in_the_tree(write):
    """Sections written from `##`, a `####` under a `##`: levels 1, 2, 2, 1."""
    doc = finished(write, "## One\n\n#### Two\n\n### Three\n\n## Four\n")
    levels = [(s.level, [c.level for c in s.children]) for s in doc.sections]
    assert levels == [(1, [2, 2]), (1, [])]


def test_slugs_are_unique_and_pandoc_like(write):
    doc = finished(write, "# NATO’s Role: 2026!\n\n# Intro\n\n# Intro\n\n# 1. Numbers first\n")
    assert [s.id for s in doc.sections] == ["natos-role-2026", "intro", "intro-1", "numbers-first"]


def test_slug_of_non_latin_text():
    assert slug("Привет мир") == "привет-мир"
    assert slug("!!!") == "section"


def test_numbering_only_when_asked(write):
    body = "# A\n\n## A1\n\n## A2\n\n### A2a\n\n# B\n"
    numbered = finished(write, body, numbering=True)
    assert [s.number for s in m.walk.sections(numbered)] == ["1", "1.1", "1.2", "1.2.1", "2"]
    plain = finished(write, body)
    assert [s.number for s in m.walk.sections(plain)] == [None] * 5


def test_internal_link_to_missing_id_is_a_warning_and_stays_text(write):
    reporter = Reporter("x.md")
    doc = finished(write, "# Real {#real}\n\nGo [there](#real) and [nowhere](#missing).\n",
                   reporter)
    assert [(p.line, p.code, p.severity) for p in reporter.problems] == [
        (7, "link.unknown-id", "warning")]
    assert reporter.problems[0].message.startswith("link to '#missing', which no heading or anchor")
    assert doc.sections[0].blocks[0].inlines == (
        m.Text(text="Go "), m.Link(target="#real", children=(m.Text(text="there"),), line=7),
        m.Text(text=" and "), m.Text(text="nowhere"), m.Text(text="."))


def test_every_problem_is_reported_at_once(write):
    with pytest.raises(BriefingError) as caught:
        finished(write, "# A {#x}\n\n# B {#x}\n\n@sec-nope1\n\n- [b](#nope2)\n")
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 3
    assert messages[0].startswith("duplicate id '#x'")
    assert "@sec-nope1" in messages[1] and "#nope2" in messages[2]


def test_links_to_generated_ids_resolve(write):
    doc = finished(write, "# Background Facts\n\nSee [above](#background-facts).\n")
    assert doc.sections[0].id == "background-facts"


def test_missing_id_reported_at_the_links_line(write):
    reporter = Reporter("x.md")
    finished(write, "# H\n\npara one\ncontinues [x](#nope)\n", reporter)
    assert reporter.problems[0].line == 8


def test_captioned_tables_are_numbered_in_reading_order_and_ids_checked(write):
    body = ("| a |\n|---|\n| 1 |\n\nTable: First {#tbl-a}\n\n# S\n\n- | b |\n  |---|\n  | 2 |\n\n"
            "| c |\n|---|\n| 3 |\n\n| d |\n|---|\n| 4 |\n\nTable: Last {#tbl-d}\n\nSee [it](#tbl-d).\n")
    doc = finished(write, body)
    first = doc.blocks[0]
    tables = [b for b in doc.sections[0].blocks if isinstance(b, m.Table)]
    assert first.number == 1 and first.id == "tbl-a"
    assert [t.number for t in tables] == [None, 2]


def test_duplicate_table_id(write):
    with pytest.raises(BriefingError, match=r"duplicate id '#x'"):
        finished(write, "# H {#x}\n\n| a |\n|---|\n| 1 |\n\nTable: T {#x}\n")


def test_cross_references_resolve_to_sections_and_tables(write):
    body = ("# Intro {#sec-intro}\n\nSee @sec-later and @tbl-t.\n\n# Later {#sec-later}\n\n"
            "| a |\n|---|\n| 1 |\n\nTable: Caption {#tbl-t}\n")
    refs = [i for i in finished(write, body, numbering=True).sections[0].blocks[0].inlines
            if isinstance(i, m.Ref)]
    assert [(r.kind, r.number) for r in refs] == [("section", "2"), ("table", "1")]
    plain = [i for i in finished(write, body).sections[0].blocks[0].inlines if isinstance(i, m.Ref)]
    assert plain[0].number is None and plain[0].title == (m.Text(text="Later"),)


def test_cross_reference_to_nothing_is_an_error_at_its_line(write):
    with pytest.raises(BriefingError) as caught:
        finished(write, "# A\n\nText\nthen @tbl-missing here.\n")
    assert str(caught.value).split(":", 1)[1] == \
        "8: cross-reference @tbl-missing points at no heading, table, figure or equation with that id"


def test_a_near_miss_gets_a_suggestion(write):
    body = "| a |\n|---|\n| 1 |\n\nTable: Forces {#tbl-forces}\n\nSee @tbl-force.\n"
    with pytest.raises(BriefingError, match=r"@tbl-force points at .*; did you mean @tbl-forces\?"):
        finished(write, body)


def test_figures_are_numbered_and_referable():
    from pipeline.run.build import load
    from conftest import FIXTURES
    doc = load(FIXTURES / "figures.md")
    first, paragraph, second = doc.sections[0].blocks
    assert (first.number, first.id, second.number) == (1, "fig-map", 2)
    ref = next(i for i in paragraph.inlines if isinstance(i, m.Ref))
    assert (ref.kind, ref.number) == ("figure", "1")


def test_ids_of_uncaptioned_figures_and_template_ids_are_claimed(write, tmp_path):
    (tmp_path / "map.png").write_bytes((__import__("conftest").FIXTURES / "images" / "map.png").read_bytes())
    with pytest.raises(BriefingError, match=r"duplicate id '#fig-x' \(first used on line 5\)"):
        finished(write, "# Fig x {#fig-x}\n\n![](map.png){#fig-x}\n")
    with pytest.raises(BriefingError, match=r"duplicate id '#toc-title' \(the templates use it\)"):
        finished(write, "# Contents {#toc-title}\n")
    doc = finished(write, "# TOC title\n")
    assert doc.sections[0].id == "toc-title-1"


def test_titles_said_again_drop_their_footnotes_and_links(write):
    doc = finished(write, "# Results[^n] and [links](https://x.org) {#sec-r}\n\nSee @sec-r.\n\n[^n]: Note.\n")
    ref = next(i for i in doc.sections[0].blocks[0].inlines if isinstance(i, m.Ref))
    assert ref.title == (m.Text(text="Results"), m.Text(text=" and "), m.Text(text="links"))


def test_a_title_page_only_for_long_briefings_unless_the_front_matter_says(write):
    """A one-paragraph note got a page holding only its title."""
    short = "# One\n\nA note of a paragraph.\n"
    long = "# One\n\n" + "Allied patrols rose again this year in the gap. " * 120 + "\n"
    assert finished(write, short).meta.title_page is False
    assert finished(write, long).meta.title_page is True
    assert finished(write, short, title_page=True).meta.title_page is True
    assert finished(write, long, title_page=False).meta.title_page is False


def test_the_words_a_title_page_counts_are_the_texts_titles_and_notes(write):
    from pipeline.transform.title_page import TITLE_PAGE_WORDS

    def source(words: int) -> str:  # a heading of 2, a note of 3, the rest a paragraph
        return ("# Two words\n\n" + "word " * (words - 5) + "[^n]\n\n[^n]: Three more words.\n")

    assert finished(write, source(TITLE_PAGE_WORDS)).meta.title_page is False
    assert finished(write, source(TITLE_PAGE_WORDS + 1)).meta.title_page is True


# GitHub's heading ids, code cells (issue 15) ----------------------------------------

HEADINGS = ["Step 1: Define the Agency Process", "Additional Notes & Questions", "1. Scope",
            "NATO’s Role: 2026!", "Über die Lage", "`code` and *emphasis*", "Intro", "Intro",
            "snake_case_name", "Dots. In. Title"]


def test_heading_ids_are_pandocs_and_githubs_are_aliases(write):
    import pypandoc

    source = "".join(f"# {title}\n\n" for title in HEADINGS)
    doc = finished(write, source)
    pandoc = re.findall(r'id="([^"]*)"', pypandoc.convert_text(source, "html", format="markdown"))
    github = re.findall(r'id="([^"]*)"', pypandoc.convert_text(source, "html", format="gfm"))
    assert [s.id for s in doc.sections] == pandoc
    for section, theirs in zip(doc.sections, github):
        assert theirs == section.id or theirs in section.aliases, (section.id, section.aliases, theirs)


@pytest.mark.parametrize("title, slug", [
    # github-slugger's cases (GitHub's own): an emoji goes, its spaces stay
    # (pandoc's gfm reader names the emoji instead).
    ("Emoji 🚀 launch", "emoji--launch"), ("Привет мир", "привет-мир"), ("a+b=c", "abc"),
    ("Heading with `code`", "heading-with-code"), ("trailing space ", "trailing-space")])
def test_github_slugs(title, slug):
    from pipeline.transform.ids import github_slug

    assert github_slug(title) == slug


def test_links_to_github_anchors_point_at_the_heading(write):
    doc = finished(write, "# Additional Notes & Questions\n\nSee [notes](#additional-notes--questions) "
                          "and [escaped](#additional-notes%2Dquestions).\n")
    links = [i for i in doc.sections[0].blocks[0].inlines if isinstance(i, m.Link)]
    assert [link.target for link in links] == ["#additional-notes-questions"] * 2


def test_links_with_githubs_user_content_prefix_point_at_the_id(write):
    """W3C's WCAG README linked `#user-content-success-criteria-format`, as
    GitHub shows every id of a page; an id that has the prefix itself keeps it."""
    doc = finished(write, "# Additional Notes & Questions\n\n[a](#user-content-additional-notes--questions) "
                          "[b](#user-content-additional-notes-questions) [c](#user-content-kept)\n\n"
                          "# Kept {#user-content-kept}\n")
    links = [i for i in doc.sections[0].blocks[0].inlines if isinstance(i, m.Link)]
    assert [link.target for link in links] == ["#additional-notes-questions"] * 2 + ["#user-content-kept"]


def test_a_fragment_in_another_case_finds_its_heading_as_on_github(write):
    """mitre/cti's USAGE.md links `[Python Recipes](#Python-Recipes)`: GitHub
    finds the heading `python-recipes` in any case, and here the five links
    were text, with a warning. Where two ids differ in case alone, neither
    is guessed."""
    reporter = Reporter("x.md")
    doc = finished(write, "# Python Recipes\n\n[a](#Python-Recipes) [b](#PYTHON-RECIPES) [c](#Twin)\n\n"
                          "# Twin {#twin}\n\n# Other {#TWIN}\n", reporter)
    links = [i for i in doc.sections[0].blocks[0].inlines if isinstance(i, m.Link)]
    assert [link.target for link in links] == ["#python-recipes"] * 2
    assert [p.code for p in reporter.problems] == ["link.unknown-id"]


def test_an_anchor_said_twice_is_left_out_with_a_warning(write):
    """Apache's maturity model writes the same `<a id>` twice: the build
    was refused. Links lead to the first, as in a browser; the second goes,
    said at its line. A heading's or table's id said twice is still an error."""
    reporter = Reporter("x.md")
    doc = finished(write, 'See <a id="note-1"></a>one.\n\nAnd <a id="note-1"></a>two, [back](#note-1).\n', reporter)
    from pipeline.model import walk
    anchors = [i for i in walk.inlines(doc) if isinstance(i, m.Anchor)]
    assert [a.line for a in anchors] == [5]
    assert [(p.line, p.code, p.warning) for p in reporter.problems] == [(7, "id.duplicate", True)]
    with pytest.raises(BriefingError, match="duplicate id '#same'"):
        finished(write, "# A {#same}\n\n# B {#same}\n")


def test_an_alias_never_takes_an_id_something_declares(write):
    doc = finished(write, "# 1. Intro\n\n# Other {#1-intro}\n\n[x](#1-intro)\n")
    assert doc.sections[0].aliases == () and doc.sections[1].id == "1-intro"


def test_a_reference_to_a_code_cell_says_the_cell_is_never_run(write):
    reporter = Reporter("x.md")
    with pytest.raises(BriefingError):
        finished(write, "```{r}\n#| label: tbl-counts\nknitr::kable(x)\n```\n\n"
                        "```{r fig-trend, echo=FALSE}\nplot(x)\n```\n\n"
                        "See @tbl-counts, @fig-trend and @eq-missing.\n", reporter)
    assert [(p.line, p.code, p.message) for p in reporter.errors] == [
        (14, "ref.code-cell", "@tbl-counts refers to a code cell's output, which briefing does not run: "
                              "the cell is shown as code"),
        (14, "ref.code-cell", "@fig-trend refers to a code cell's output, which briefing does not run: "
                              "the cell is shown as code"),
        (14, "ref.unknown-id", "cross-reference @eq-missing points at no heading, table, figure or "
                               "equation with that id")]


def kept_characters(text: str, also: str, marks: bool) -> str:
    """The slugs' filters as first written, a character at a time."""
    import unicodedata

    return "".join(c for c in text if c.isalnum() or c in also
                   or (marks and unicodedata.category(c).startswith("M")))


@given(st.text(max_size=40) | st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_the_slugs_drop_what_a_character_at_a_time_filter_drops(text):
    import unicodedata

    from pipeline.transform import ids

    normal = unicodedata.normalize("NFKC", text).lower()
    assert ids.NOT_IN_SLUG.sub("", normal) == kept_characters(normal, " _-.", marks=False)
    lowered = text.strip().lower()
    assert ids.github_slug(text) == kept_characters(lowered, " -_", marks=True).replace(" ", "-")
