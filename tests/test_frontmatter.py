import pytest

from pipeline import model as m
from pipeline.problems import BriefingError
from pipeline.read.frontmatter import read_meta
from pipeline.read.source import read_source


def meta_of(write, yaml_text: str):
    path = write("Body\n", front=f"---\n{yaml_text}\n---\n")
    return read_meta(read_source(path))


def error_of(write, yaml_text: str) -> str:
    with pytest.raises(BriefingError) as caught:
        meta_of(write, yaml_text)
    assert len(caught.value.problems) == 1
    return str(caught.value).split(":", 1)[1]  # drop the path


def test_typed_meta_and_body_line(write):
    meta, body_line = meta_of(write, "title: T\nclassification: SECRET\ndate: 2026-11-25\n"
                                     "authors: [A, B]\ntoc: true\npaper: Letter\nlang: en-GB")
    assert (meta.title, meta.classification, meta.date) == ("T", "SECRET", "2026-11-25")
    assert meta.authors == ("A", "B") and meta.toc is True
    assert meta.paper == "letter" and meta.lang == "en-GB"
    assert meta.line_of("date") == 4
    assert body_line == 10  # line 1 and 9 are the fences


def test_single_author_as_text(write):
    meta, _ = meta_of(write, "title: T\nclassification: UNCLASSIFIED\nauthors: Jane Roe")
    assert meta.authors == ("Jane Roe",)


@pytest.mark.parametrize("yaml_text, expected", [
    ("title: T\nclassification: UNCLASSIFIED\ntilte: x", "4: unknown front-matter key 'tilte'; did you mean 'title'?"),
    ("title: T\nclassification: UNCLASSIFIED\nversion: 1.10",
     "4: 'version' must be text, not the number 1.1 (quote it to keep it as written)"),
    ("title: T\nclassification: UNCLASSIFIED\nsubtitle: NO", "4: 'subtitle' must be text, not the boolean false"),
    ("title: T\nclassification: UNCLASSIFIED\ntoc: maybe", "4: 'toc' must be true or false, not 'maybe'"),
    ("title: T\nclassification: UNCLASSIFIED\npaper: a5", "4: 'paper' must be a4 or letter, not 'a5'"),
    ("title: T", "1: front matter lacks 'classification'"),
    ("title: &x T\nclassification: *x", "3: invalid YAML: YAML aliases (*name) are not allowed"),
    ("title: T\ntitle: U\nclassification: UNCLASSIFIED", "3: duplicate key 'title' (first on line 2)"),
    ("title: !!python/object/apply:os.system [ls]\nclassification: UNCLASSIFIED",
     "2: 'title': YAML tags such as !!python/object are not allowed"),
    ("title: T\nclassification: UNCLASSIFIED\nauthors: [{a: 1, a: 2}]", "4: 'authors': duplicate key 'a'"),
    ("title: T\nclassification: UNCLASSIFIED\nauthors: [{? [a] : x}]",
     "4: 'authors': a key must be a plain value, not a list or mapping"),
    ("title: [unclosed\nclassification: UNCLASSIFIED", "2: invalid YAML: while parsing a flow sequence that starts here"),
    ('title: "bad \\x0c char"\nclassification: UNCLASSIFIED', "2: character U+000C"),
])
def test_bad_front_matter(write, yaml_text, expected):
    assert error_of(write, yaml_text).startswith(expected)


def test_no_front_matter(write):
    path = write("# Just Markdown\n", front="")
    with pytest.raises(BriefingError, match=r":1: no front matter"):
        read_meta(read_source(path))


def test_unclosed_front_matter(write):
    path = write("title: T\nclassification: UNCLASSIFIED\n", front="---\n")
    with pytest.raises(BriefingError, match=r":1: front matter is not closed"):
        read_meta(read_source(path))


def test_empty_front_matter(write):
    path = write("body\n", front="---\n---\n")
    with pytest.raises(BriefingError, match="front matter is empty"):
        read_meta(read_source(path))


def test_dates_and_times_stay_as_written(write):
    meta, _ = meta_of(write, "title: T\nclassification: UNCLASSIFIED\ndate: 2026-11-25 10:00:00")
    assert meta.date == "2026-11-25 10:00:00"
    meta, _ = meta_of(write, "title: 2001-12-14t21:59:43.10-05:00\nclassification: UNCLASSIFIED")
    assert meta.title == "2001-12-14t21:59:43.10-05:00"


def test_classification_checked_against_the_marking_scheme(write):
    meta, _ = meta_of(write, "title: T\nclassification: OFFICIAL-SENSITIVE\nmarking_scheme: uk")
    assert (meta.classification, meta.marking_scheme) == ("OFFICIAL-SENSITIVE", "uk")
    assert error_of(write, "title: T\nclassification: SECRET\nmarking_scheme: swiss").startswith(
        "4: 'marking_scheme' must be us or nato or uk")


def test_title_page_short_title_and_draft(write):
    meta, _ = meta_of(write, "title: A long title for the running header\nclassification: UNCLASSIFIED\n"
                             "short_title: Long title\ntitle_page: false\nstatus: Draft")
    assert (meta.short_title, meta.title_page, meta.draft) == ("Long title", False, True)
    meta, _ = meta_of(write, "title: T\nclassification: UNCLASSIFIED\nstatus: final")
    # Unset: transform/title_page.py decides by the text's length.
    assert (meta.short_title, meta.title_page, meta.draft) == (None, None, False)
    assert "'title_page' must be true or false" in error_of(
        write, "title: T\nclassification: UNCLASSIFIED\ntitle_page: 'no'")


# Front matter of other tools (issue 15) -------------------------------------------

def meta_and_problems(write, text: str, front: bool = True):
    from pipeline.problems import Reporter

    path = write("Body\n", front=f"---\n{text}\n---\n" if front else text)
    reporter = Reporter(str(path))
    try:
        meta, body_line = read_meta(read_source(path), reporter)
    except BriefingError:
        return None, [(p.line, p.code, p.severity, p.message) for p in reporter.problems]
    return meta, [(p.line, p.code, p.severity, p.message) for p in reporter.problems]


@pytest.mark.parametrize("authors, names", [
    ("author: Jane Roe", ("Jane Roe",)),
    ("author: [A. Analyst, B. Officer]", ("A. Analyst", "B. Officer")),
    ("author:\n  - name: Eli Holmes\n    affiliations:\n      - name: NOAA\n    email: e@x.gov\n"
     "  - name:\n      given: Jane\n      family: Roe\n  - name:\n      literal: The Team",
     ("Eli Holmes", "Jane Roe", "The Team")),
    ("author:\n  name: Solo Writer\n  affiliation: Somewhere", ("Solo Writer",)),
    ("authors:\n  - name: Quarto Style", ("Quarto Style",)),
])
def test_authors_in_every_form_other_tools_write(write, authors, names):
    meta, problems = meta_and_problems(write, f"title: T\nclassification: UNCLASSIFIED\n{authors}")
    assert meta.authors == names and problems == []


def test_author_and_authors_together_is_an_error(write):
    _, problems = meta_and_problems(write, "title: T\nclassification: UNCLASSIFIED\nauthors: [A]\nauthor: B")
    assert problems == [(5, "meta.duplicate-key", "error",
                         "'author' and 'authors' (line 4) both name the authors: keep one")]


def test_an_author_without_a_name_is_a_type_error(write):
    _, problems = meta_and_problems(write, "title: T\nclassification: UNCLASSIFIED\nauthor:\n  - email: x@y.org")
    assert problems[0][:2] == (4, "meta.type")
    assert "'author' must be a name, a list of names, or a list of mappings with 'name'" in problems[0][3]


def test_other_tools_keys_are_ignored_with_one_warning_naming_them_all(write):
    meta, problems = meta_and_problems(write, (
        "title: T\nclassification: UNCLASSIFIED\nlayout: post\npermalink: /x/\nformat:\n  html:\n"
        "    toc: true\ntags: [a]\neleventyNavigation:\n  key: x\nplay_number: 1\ndescription: Short.\n"
        "output: html_document\neditor_options:\n  chunk_output_type: console\nrank: CPT\nsubject: S"))
    assert meta.abstract == "Short."  # `description`, ours when there is no abstract
    assert problems == [(4, "meta.foreign-keys", "warning",
                         "front-matter keys briefing does not use, ignored (other tools' settings): "
                         "layout, permalink, format, tags, eleventyNavigation, play_number, output, "
                         "editor_options and 2 more")]


def test_keys_of_githubs_and_microsofts_docs_and_jekyll_sites_are_theirs(write):
    """GitHub's docs (`versions`, `shortTitle`), Microsoft's (`ms.date`) and
    NIST's Jekyll site (`anchor`) were refused as misspellings of ours
    (version, short_title, date, author)."""
    _, problems = meta_and_problems(write, "title: T\nclassification: UNCLASSIFIED\nversions:\n  fpt: '*'\n"
                                           "shortTitle: Quickstart\nms.date: 2025-01-01\nanchor: ial\n")
    assert [(p[1], p[2]) for p in problems] == [("meta.foreign-keys", "warning")]


def test_a_type_of_another_tools_is_theirs_and_a_misspelt_one_ours(write):
    """Hugo's content type (`type: roadmap`) and GOV.UK's `type: learn`
    refused the page; they are ignored with the other tools' keys now.
    `type: memmo` is still an error."""
    meta, problems = meta_and_problems(write, "title: T\nclassification: UNCLASSIFIED\ntype: roadmap\nlayout: x")
    assert meta.memo is None and [(p[1], p[2]) for p in problems] == [("meta.foreign-keys", "warning")]
    assert "type, layout" in problems[0][3]
    _, problems = meta_and_problems(write, "title: T\nclassification: UNCLASSIFIED\ntype: memmo")
    assert [(p[1], p[2]) for p in problems] == [("meta.type", "error")]


@pytest.mark.parametrize("key, meant", [("authr", "authors"), ("clasification", "classification"),
                                        ("subtitel", "subtitle"), ("Title", "title"), ("portion-marking",
                                        "portion_marking"), ("numberng", "numbering"), ("data", "date")])
def test_a_key_close_to_ours_is_still_an_error_with_its_suggestion(write, key, meant):
    _, problems = meta_and_problems(write, f"title: T\nclassification: UNCLASSIFIED\n{key}: x")
    assert problems == [(4, "meta.unknown-key", "error",
                         f"unknown front-matter key '{key}'; did you mean '{meant}'?")]


@pytest.mark.parametrize("key", ["subcategory", "sub_category", "anchors"])
def test_a_key_three_letters_from_ours_is_another_tools(write, key):
    """GSA-TTS's identity handbook (Jekyll) has `subcategory:`: three
    letters from `cui_category`, it was refused as a misspelling of it. A
    misspelling is a letter or two off; the key is ignored with the other
    tools' keys. VA's design system lists its page's `anchors:`, two
    letters from `authors`: four of its five pages were refused."""
    _, problems = meta_and_problems(write, f"title: T\nclassification: UNCLASSIFIED\n{key}: x")
    assert [(p[1], p[2]) for p in problems] == [("meta.foreign-keys", "warning")] and key in problems[0][3]


def test_an_unknown_key_message_no_longer_lists_every_key(write):
    _, problems = meta_and_problems(write, "title: T\nclassification: UNCLASSIFIED\ntitel: x")
    assert len(problems[0][3]) < 80 and "known keys" not in problems[0][3]


def test_abstract_and_description_and_keywords(write):
    meta, problems = meta_and_problems(write, "title: T\nclassification: UNCLASSIFIED\n"
                                              "abstract: The *long* one.\ndescription: The short one.\n"
                                              "keywords: [a, b]")
    assert (meta.abstract, meta.keywords) == ("The *long* one.", ("a", "b"))
    assert [p[1] for p in problems] == ["meta.foreign-keys"] and problems[0][3].endswith(": description")


def test_abstract_read_as_markdown_at_its_lines(write):
    from pipeline.read.markdown import parse

    path = write("Body\n", front="---\ntitle: T\nclassification: UNCLASSIFIED\nabstract: |\n"
                                 "  One *emphasis*.\n\n  Two [link](https://x.org).\n---\n")
    source = read_source(path)
    meta, body_line = read_meta(source)
    doc = parse(source, meta, body_line)
    assert [type(b).__name__ for b in doc.abstract] == ["Paragraph", "Paragraph"]
    assert doc.abstract[0].inlines[1] == m.Emph(children=(m.Text(text="emphasis"),))
    assert doc.abstract[1].inlines[1] == m.Link(target="https://x.org", children=(m.Text(text="link"),),
                                                line=doc.abstract[1].line)


@pytest.mark.parametrize("text, title, authors, date, body_line", [
    ("% The Title\n% A. One; B. Two\n% 1 October 2026\n\n---\nclassification: UNCLASSIFIED\n---\nBody\n",
     "The Title", ("A. One", "B. Two"), "1 October 2026", 8),
    ("---\nclassification: UNCLASSIFIED\n---\n% The Title\n% A. One\n  B. Two\n%\n\nBody\n",
     "The Title", ("A. One", "B. Two"), None, 8),
    ("---\nclassification: UNCLASSIFIED\n---\n\n% A title that goes\n  on a second line\n\nBody\n",
     "A title that goes on a second line", (), None, 7),
])
def test_pandoc_title_block_before_or_after_the_yaml(write, text, title, authors, date, body_line):
    path = write(text, front="")
    meta, line = read_meta(read_source(path))
    assert (meta.title, meta.authors, meta.date, line) == (title, authors, date, body_line)


def test_a_title_block_alone_needs_a_classification_and_says_how(write):
    _, problems = meta_and_problems(write, "% The Title\n% A. Author\n\n# Body\n", front=False)
    assert problems == [(2, "meta.required", "error",
                         "a briefing needs a classification, which a % title block cannot give: below "
                         "it, add front matter of three lines: '---', 'classification: UNCLASSIFIED' "
                         "(or the briefing's marking), '---'")]


def test_a_title_in_both_the_title_block_and_the_yaml_is_a_duplicate(write):
    _, problems = meta_and_problems(write, "% One\n\n---\ntitle: Two\nclassification: UNCLASSIFIED\n---\n",
                                    front=False)
    assert problems == [(4, "meta.duplicate-key", "error", "duplicate key 'title' (in the % title block)")]


def test_a_rule_after_a_title_block_is_not_front_matter(write):
    _, problems = meta_and_problems(write, "% The Title\n\n---\n\nText.\n", front=False)
    assert [p[1] for p in problems] == ["meta.required"]  # no YAML: the rule is the body's


@pytest.mark.parametrize("line", ['description: ""', "description:", "abstract:", 'subtitle: ""', "toc:"])
def test_an_empty_optional_key_is_none(write, line):
    """OMB's policy memos (Jekyll) carry `description: ""`: the build was
    refused ("must be text, not ''"). An optional key left empty is none,
    as pandoc reads it (a title too: the text gives it); the classification
    must still say something."""
    meta, problems = meta_and_problems(write, f"title: T\nclassification: UNCLASSIFIED\n{line}")
    assert problems == [] and meta.subtitle is None and meta.abstract is None
    meta, problems = meta_and_problems(write, 'title: ""\nclassification: UNCLASSIFIED')
    assert problems == [] and meta.title == ""
    _, problems = meta_and_problems(write, 'title: T\nclassification: ""')
    assert [(p[1], p[2]) for p in problems] == [("meta.type", "error")]


def test_an_ietf_drafts_parts_are_named_when_its_front_matter_does_not_close(tmp_path):
    """The TLS working group's ECH draft is kramdown-rfc: YAML, then
    `--- abstract`, `--- middle`, `--- back` and no closing `---`. The
    message named no reason; it now says what the line is."""
    from conftest import run_cli

    source = tmp_path / "draft.md"
    source.write_text("---\ntitle: TLS Encrypted Client Hello\nabbrev: ECH\ncategory: std\n\n"
                      "--- abstract\n\nThis document describes a mechanism.\n\n--- middle\n\n# Introduction\n",
                      encoding="utf-8")
    result = run_cli("build", source, "--classification", "UNCLASSIFIED", "--out", tmp_path / "out")
    assert result.returncode == 1 and not (tmp_path / "out").exists()
    assert result.stderr.splitlines()[0] == (
        f"{source}:1: front matter is not closed: line 6's '--- abstract' is kramdown-rfc's (an IETF draft), "
        "which briefing does not read; put a line '---' after the front matter")
