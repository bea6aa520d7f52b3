import pytest

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
    ("title: [unclosed\nclassification: UNCLASSIFIED", "3: invalid YAML:"),
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
