"""Issue 23: citations and bibliographies as pandoc users write them.

pandoc (pypandoc's binary, with --citeproc) is the reference reader: the
same body, `.bib` and CSL style give the same words, in the same order, in
the text, the notes and the bibliography, for the five styles briefing
names. Then the syntax, the bad input (each problem at its line), and the
three formats end to end (tests marked slow).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import FIXTURES, run_cli
from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import BriefingError
from pipeline.read.bibliography import styles_folder
from pipeline.run.build import load

CITATIONS = FIXTURES / "citations"
PANDOC = None


def pandoc() -> str:
    import pypandoc
    return pypandoc.get_pandoc_path()


def front(style: str, bibliography: str = "sources.bib", extra: str = "") -> str:
    return (f"---\ntitle: Citations\nclassification: UNCLASSIFIED\nbibliography: {bibliography}\n"
            f"csl: {style}\n{extra}---\n\n")


def copy_sources(folder: Path) -> None:
    for name in ("sources.bib", "sources.json", "sources.yaml"):
        shutil.copy(CITATIONS / name, folder / name)


def words(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def inline_text(inlines: tuple[m.Inline, ...]) -> str:
    """What a reader sees, a note's call as pandoc's plain writer shows it: [n]."""
    out = []
    for item in inlines:
        if isinstance(item, m.FootnoteRef):
            out.append(f"[{item.number}]")
        elif walk.inline_children(item):
            out.append(inline_text(walk.inline_children(item)))
        else:
            out.append(walk.plain_text((item,)))
    return "".join(out)


def ours(path: Path) -> tuple[list[str], list[str], list[str]]:
    """The text's paragraphs, the notes and the bibliography's entries."""
    doc = load(path)
    paragraphs = [words(inline_text(b.inlines)) for b in walk.blocks(doc)
                  if isinstance(b, m.Paragraph) and b not in [x for n in doc.footnotes for x in n.blocks]]
    notes = [f"[{note.number}] " + words(m.block_text(note.blocks[0])) for note in doc.footnotes]
    bibliography = doc.bibliography or next(b for b in walk.blocks(doc) if isinstance(b, m.Bibliography))
    entries = [words(walk.plain_text(entry.inlines)) for entry in bibliography.entries]
    return paragraphs, notes, entries


def theirs(path: Path, style: str) -> tuple[list[str], list[str], list[str]]:
    """The same from pandoc's plain text: paragraphs, then the entries, then the notes."""
    text = subprocess.run([pandoc(), "--citeproc", "--csl", str(styles_folder() / f"{style}.csl"),
                           "-t", "plain", "--wrap=none", path.name], cwd=path.parent,
                          capture_output=True, text=True, check=True).stdout
    blocks = [words(block) for block in text.split("\n\n") if block.strip()]
    notes = [b for b in blocks if re.match(r"\[\d+\] ", b)] if "notes" in style else []
    rest = [b for b in blocks if b not in notes and b != "Situation"]
    paragraphs = rest[:1]
    return paragraphs, notes, rest[1:]


# What citeproc-py still says otherwise than pandoc's citeproc, per style:
# (ours, pandoc's), each a few words of one entry or citation.
KNOWN = {
    "apa": [("In T. Green (ed.)", "In T. Green (Ed.)"), ("the state (Publication) [PhD", "the state [PhD")],
    "ieee": [("2021. [Online]. Available:", "2021. Available:"), ("[2], ch. 2", "[2, Ch. 2]")],
}
STYLES = ["chicago-notes-bibliography", "chicago-author-date", "apa", "harvard-cite-them-right", "ieee"]


@pytest.mark.parametrize("style", STYLES)
def test_the_same_words_as_pandocs_citeproc(tmp_path, style):
    copy_sources(tmp_path)
    source = tmp_path / "brief.md"
    source.write_text(front(style) + (CITATIONS / "body.md").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "pandoc.md").write_text("---\nbibliography: sources.bib\n---\n\n"
                                        + (CITATIONS / "body.md").read_text(encoding="utf-8"), encoding="utf-8")
    our_text, our_notes, our_entries = ours(source)
    their_text, their_notes, their_entries = theirs(tmp_path / "pandoc.md", style)

    def known(text: str) -> str:
        for mine, pandocs in KNOWN.get(style, []):
            text = text.replace(mine, pandocs)
        return text

    assert [known(t) for t in our_text] == their_text
    assert our_notes == their_notes
    assert [known(e) for e in our_entries] == their_entries
    assert len(our_entries) == 8
    if style.startswith("chicago-notes"):
        assert len(our_notes) == 12 and our_notes[3] == "[4] “Border Security in West Africa – NATO and the EU.”"
    else:
        assert not our_notes


def test_known_differences_are_still_there(tmp_path):
    """KNOWN is no excuse that outlives its cause: each is still seen."""
    copy_sources(tmp_path)
    for style, pairs in KNOWN.items():
        source = tmp_path / f"{style}.md"
        source.write_text(front(style) + (CITATIONS / "body.md").read_text(encoding="utf-8"), encoding="utf-8")
        text = " ".join(" ".join(part) for part in ours(source))
        for mine, _ in pairs:
            assert mine in text, (style, mine)


def bibliographies(folder, style: str, entries: list[dict], body: str) -> tuple[list[str], list[str]]:
    """Our bibliography's entries and pandoc's citeproc's, for `entries` (CSL
    JSON) cited by `body`."""
    (folder / "refs.json").write_text(json.dumps(entries), encoding="utf-8")
    (folder / "brief.md").write_text(front(style, "refs.json") + body, encoding="utf-8")
    (folder / "pandoc.md").write_text("---\nbibliography: refs.json\n---\n\n" + body, encoding="utf-8")
    return ours(folder / "brief.md")[2], theirs(folder / "pandoc.md", style)[2]


@pytest.mark.parametrize("style", ["chicago-author-date", "chicago-notes-bibliography"])
def test_a_title_ending_its_sentence_takes_no_second_period(tmp_path, style):
    """A Manubot manuscript's reference titled "… in China." read "…in
    China..”": the style's period moved inside the quotation marks after
    the title's own. As pandoc's citeproc has it: one. And its "ever-larger"
    is "Ever-Larger" in title case, as there."""
    entries = [{"id": "wu2020", "type": "article-journal", "author": [{"family": "Wu", "given": "Fan"}],
                "title": "A new coronavirus associated with human respiratory disease in China.",
                "container-title": "Nature", "issued": {"date-parts": [[2020]]}},
               {"id": "why", "type": "article-journal", "author": [{"family": "Roe", "given": "Jo"}],
                "title": "Why borders?", "container-title": "Survival", "issued": {"date-parts": [[2021]]}},
               {"id": "perkel", "type": "article-journal", "author": [{"family": "Perkel", "given": "Jeffrey"}],
                "title": "The microscope makers putting ever-larger samples under the spotlight",
                "container-title": "Nature", "issued": {"date-parts": [[2019]]}, "language": "en"}]
    our_entries, their_entries = bibliographies(tmp_path, style, entries, "See @wu2020, @why and @perkel.\n")
    assert our_entries == their_entries
    assert any("in China.” Nature" in entry for entry in our_entries)
    if style == "chicago-author-date":
        assert any("Ever-Larger Samples" in entry for entry in our_entries)


@pytest.mark.parametrize("style", ["chicago-author-date", "chicago-notes-bibliography"])
def test_a_work_without_an_author_shows_its_title_once(tmp_path, style):
    """openjournals' inara cites the YAML web site, which has no author: the
    title stands in the author's place (CSL's substitute), and citeproc-py
    printed it there and again in its own (“The Official YAML Web Site.”
    twice). As pandoc's citeproc has it: once."""
    entries = [{"id": "yaml", "type": "webpage", "title": "The Official YAML Web Site",
                "URL": "https://yaml.org/", "issued": {"date-parts": [[2022, 4, 19]]}},
               {"id": "upper", "type": "article-journal", "author": [{"family": "Upper", "given": "D."}],
                "title": "The unsuccessful self-treatment of a case", "container-title": "Journal of Applied "
                "Behavior Analysis", "issued": {"date-parts": [[1974]]}}]
    our_entries, their_entries = bibliographies(tmp_path, style, entries, "See @yaml and @upper.\n")
    [yaml_entry] = [entry for entry in our_entries if "YAML" in entry]
    assert yaml_entry.count("Official YAML Web Site") == 1
    # The same entries; pandoc sorts the one without an author by its title, first here.
    assert sorted(our_entries) == sorted(their_entries)


@pytest.mark.parametrize("style", ["chicago-author-date", "chicago-notes-bibliography", "apa"])
def test_a_work_without_an_author_is_filed_under_its_title(tmp_path, style):
    """A report and a web page without authors came before every author: the
    sort key was their italic title's markup (`<i>Alpha…`). Pandoc files
    each under its title, among the authors; so do we, in pandoc's order."""
    entries = [{"id": "zeta", "type": "book", "author": [{"family": "Adams", "given": "Zed"}],
                "title": "Zeta book", "publisher": "P", "issued": {"date-parts": [[2001]]}},
               {"id": "alpha", "type": "report", "title": "Alpha report on things", "publisher": "Office",
                "issued": {"date-parts": [[2003]]}},
               {"id": "beta", "type": "book", "author": [{"family": "Brown", "given": "Bea"}],
                "title": "Beta book", "publisher": "P", "issued": {"date-parts": [[2002]]}},
               {"id": "mid", "type": "webpage", "title": "Mid web page", "URL": "https://example.org",
                "issued": {"date-parts": [[2020]]}}]
    our_entries, their_entries = bibliographies(tmp_path, style, entries, "See @beta, @alpha, @zeta and @mid.\n")
    assert [entry.split()[0] for entry in our_entries] == [entry.split()[0] for entry in their_entries]
    assert [entry.lstrip("“")[:2] for entry in our_entries] == ["Ad", "Al", "Br", "Mi"]


# The bibliography files ----------------------------------------------------------------------

def test_bibtex_is_converted_as_pandoc_converts_it():
    from pipeline.read import bibtex

    references, problems = bibtex.read((CITATIONS / "sources.bib").read_text(encoding="utf-8"), "sources.bib")
    assert not problems
    pandocs = json.loads(subprocess.run([pandoc(), "-f", "bibtex", "-t", "csljson", "sources.bib"],
                                        cwd=CITATIONS, capture_output=True, text=True, check=True).stdout)
    assert {ref.key: json.loads(ref.csl) for ref in references} == {item["id"]: item for item in pandocs}


@pytest.mark.parametrize("name", ["sources.json", "sources.yaml"])
def test_csl_json_and_yaml_give_what_the_bib_gives(tmp_path, name):
    copy_sources(tmp_path)
    body = (CITATIONS / "body.md").read_text(encoding="utf-8")
    (tmp_path / "a.md").write_text(front("apa") + body, encoding="utf-8")
    (tmp_path / "b.md").write_text(front("apa", name) + body, encoding="utf-8")
    assert ours(tmp_path / "a.md") == ours(tmp_path / "b.md")


@pytest.mark.parametrize("name, content", [
    ("dates.yaml", "references:\n- id: a\n  type: book\n  title: Plain year\n  author: [{family: Ames, given: Ann}]\n"
                   "  issued: 2020\n- id: b\n  type: book\n  title: Month as text\n"
                   "  author: [{family: Birch, given: Bo}]\n  issued: '2019-05'\n"),
    ("dates.json", '[{"id": "a", "type": "book", "title": "Plain year", "author": [{"family": "Ames", '
                   '"given": "Ann"}], "issued": "2020"}, {"id": "b", "type": "book", "title": "Month as text", '
                   '"author": [{"family": "Birch", "given": "Bo"}], "issued": "2019-05"}]'),
])
def test_dates_written_as_text_or_numbers_read_as_pandoc_reads_them(tmp_path, name, content):
    """`issued: 2020` is a date to pandoc; citeproc-py failed on it with an internal error."""
    (tmp_path / name).write_text(content, encoding="utf-8")
    source = tmp_path / "brief.md"
    source.write_text(front("chicago-author-date", name) + "Text [@a; @b].\n", encoding="utf-8")
    paragraphs, _, entries = ours(source)
    assert entries == theirs(source, "chicago-author-date")[2]
    assert "2020" in entries[0] and "2019" in entries[1] and "Ames 2020" in paragraphs[0]


def test_a_list_of_bibliographies(tmp_path):
    (tmp_path / "one.bib").write_text("@book{a, author = {Ames, Ann}, title = {One}, year = 2001}\n")
    (tmp_path / "two.json").write_text('[{"id": "b", "type": "book", "title": "Two", '
                                       '"author": [{"family": "Bell", "given": "Bo"}], "issued": {"date-parts": [[2002]]}}]')
    source = tmp_path / "brief.md"
    source.write_text(front("apa", "[one.bib, two.json]") + "Both [@a; @b].\n", encoding="utf-8")
    text, _, entries = ours(source)
    assert text == ["Both (Ames, 2001; Bell, 2002)."]
    assert [e.split(".")[0] for e in entries] == ["Ames, A", "Bell, B"]


# The syntax -------------------------------------------------------------------------------------

def cites_of(tmp_path: Path, body: str, style: str = "chicago-author-date") -> list[m.Cite]:
    from pipeline.read.frontmatter import read_meta
    from pipeline.read.markdown import parse
    from pipeline.read.source import read_source

    copy_sources(tmp_path)
    path = tmp_path / "brief.md"
    path.write_text(front(style) + body, encoding="utf-8")
    source = read_source(path)
    meta, line = read_meta(source)
    doc = parse(source, meta, line)
    return [item for item in walk.inlines(doc) if isinstance(item, m.Cite)]


def test_every_form_of_citation(tmp_path):
    body = ("A [@smith2020, p. 33].\n\nB [see @smith2020; @jones2019, ch. 2, emphasis added].\n\n"
            "C @smith2020 [p. 4] says.\n\nD [-@jones2019].\n\nE @nato2021 alone.\n\n"
            "F [@brown2018, pp. 3--5; @un2022, chapter 7].\n\nG [@{lee2017}, 12].\n")
    a, b, c, d, e, f, g = cites_of(tmp_path, body)
    assert a.items == (m.CiteItem(key="smith2020", locator="33", label="page", line=8),)
    assert [(i.key, i.prefix, i.locator, i.label, i.suffix) for i in b.items] == [
        ("smith2020", "see", "", "", ""), ("jones2019", "", "", "", ", ch. 2, emphasis added")]
    assert c.in_text and c.items[0].locator == "4" and c.items[0].line == 12
    assert d.items[0].suppress_author and not d.in_text
    assert e.in_text and e.items[0].key == "nato2021" and not e.items[0].suffix
    assert [(i.locator, i.label) for i in f.items] == [("3–5", "page"), ("7", "chapter")]
    assert (g.items[0].key, g.items[0].locator) == ("lee2017", "12")


def test_what_is_no_citation(tmp_path):
    body = ("Mail name@example.org, a [link](https://example.org/@smith2020), `@smith2020`, "
            "\\@smith2020, @sec-x and a span [@x]{.smallcaps}.\n\n# X {#sec-x}\n")
    assert cites_of(tmp_path, body) == []


def test_without_a_bibliography_an_at_is_text(write):
    path = write("Ping @someone and [@x] too.\n")
    doc = load(path)
    assert walk.plain_text(doc.blocks[0].inlines) == "Ping @someone and [@x] too."


def test_a_citation_on_a_later_line_of_its_paragraph(tmp_path):
    cites = cites_of(tmp_path, "One line\nand another [@smith2020]\nand [see\n@jones2019].\n")
    assert [c.line for c in cites] == [9, 10]


# Notes, numbering, placement ---------------------------------------------------------------------

def test_notes_are_numbered_with_the_authors_own(tmp_path):
    copy_sources(tmp_path)
    source = tmp_path / "brief.md"
    source.write_text(front("chicago-notes-bibliography") + "Mine first.[^a] Then [@smith2020].\n\n"
                      "A cited note.[^b] Last [@jones2019].\n\n[^a]: Own.\n[^b]: Own, citing [@nato2021].\n")
    doc = load(source)
    assert [words(m.block_text(n.blocks[0])) for n in doc.footnotes] == [
        "Own.", "John Smith and Jane Doe, The Politics of the Sahel: A Study (Oxford University Press, 2020).",
        "Own, citing North Atlantic Treaty Organization, Strategic Concept, no. 7 (NATO, 2021), "
        "https://www.nato.int/strategic-concept.",
        "Mary Jones et al., “Border Security in West Africa – NATO and the EU,” Journal of Security Studies 12, "
        "no. 3 (2019): 45–67, https://doi.org/10.1000/xyz123."]
    assert inline_text(doc.blocks[0].inlines) == "Mine first.[1] Then.[2]"


def test_a_notes_doi_and_url_are_links_as_in_the_bibliography(tmp_path):
    """A citation made a note (Chicago's notes style): its DOI and URL were
    text there, while the bibliography's were links (a new user's JOSS
    paper). With link-citations on, the whole note links to its entry."""
    from pipeline.model import walk
    copy_sources(tmp_path)
    source = tmp_path / "brief.md"
    source.write_text(front("chicago-notes-bibliography", extra="link-citations: false\n")
                      + "Seen [@jones2019] and [@nato2021].\n", encoding="utf-8")
    doc = load(source)
    targets = [i.target for note in doc.footnotes for block in note.blocks for run in walk.block_inlines(block)
               for i in walk.nested_inlines(run) if isinstance(i, m.Link)]
    assert targets == ["https://doi.org/10.1000/xyz123", "https://www.nato.int/strategic-concept"]


def test_the_bibliography_where_refs_stands(tmp_path):
    copy_sources(tmp_path)
    source = tmp_path / "brief.md"
    source.write_text(front("apa", extra="nocite: '@lee2017'\n") + "Text [@smith2020].\n\n# Sources\n\n"
                      "::: {#refs}\n:::\n\n# Annex\n\nMore.\n")
    doc = load(source)
    assert doc.bibliography is None
    sources = doc.sections[0]
    assert isinstance(sources.blocks[0], m.Div) and isinstance(sources.blocks[0].blocks[0], m.Bibliography)
    assert [e.id for e in sources.blocks[0].blocks[0].entries] == ["ref-lee2017", "ref-smith2020"]


def test_reference_section_title_and_suppress(tmp_path):
    copy_sources(tmp_path)
    source = tmp_path / "brief.md"
    source.write_text(front("apa", extra="reference-section-title: Works cited\nnocite: '@*'\n") + "T.\n")
    html = run_cli("build", source, "--to", "html", "--out", tmp_path)
    assert html.returncode == 0, html.stderr
    page = lxml_html.fromstring((tmp_path / "brief.html").read_bytes())
    assert page.xpath("string(//section[@class='references']/h2)") == "Works cited"
    assert len(page.xpath("//div[@class='csl-entry']")) == 8
    source.write_text(front("apa", extra="suppress-bibliography: true\n") + "T [@lee2017].\n")
    assert load(source).bibliography is None


# Bad input ------------------------------------------------------------------------------------------

def problems(source: Path) -> list[tuple[str, int | None, str, str]]:
    with pytest.raises(BriefingError) as error:
        load(source)
    return [(Path(p.path).name, p.line, p.code, p.message) for p in error.value.problems if not p.warning]


def test_an_unknown_key_is_an_error_at_its_line_with_the_nearest(tmp_path):
    copy_sources(tmp_path)
    source = tmp_path / "brief.md"
    source.write_text(front("apa") + "Fine [@smith2020].\n\nWrong [@smith2002] and\n@jonse2019 too.\n")
    found = problems(source)
    assert [(name, line, code) for name, line, code, _ in found] == [
        ("brief.md", 10, "cite.unknown-key"), ("brief.md", 11, "cite.unknown-key")]
    assert found[0][3].endswith("did you mean @smith2020?")
    assert found[1][3].endswith("did you mean @jones2019?")


def test_a_missing_bibliography_is_an_error_at_its_key(tmp_path):
    source = tmp_path / "brief.md"
    source.write_text(front("apa", "missing.bib") + "T [@a].\n")
    found = problems(source)
    assert found[0][:3] == ("brief.md", 4, "cite.bibliography")
    assert "does not exist" in found[0][3]


@pytest.mark.parametrize("name, said", [
    ("https://example.org/refs.bib", "never fetches"), ("/etc/refs.bib", "relative to the source"),
    ("../refs.bib", "outside the source's folder"), ("refs.txt", "not a .bib, .json or .yaml"),
])
def test_a_bibliography_outside_the_folder_or_remote_is_refused(tmp_path, name, said):
    folder = tmp_path / "inner"
    folder.mkdir()
    (tmp_path / "refs.bib").write_text("@book{a, title = {A}, year = 2000}\n")
    (folder / "refs.txt").write_text("@book{a, title = {A}, year = 2000}\n")
    source = folder / "brief.md"
    source.write_text(front("apa", name) + "T [@a].\n")
    found = problems(source)
    assert found[0][1:3] == (4, "cite.bibliography") and said in found[0][3]


def test_a_malformed_bib_entry_is_an_error_at_its_line_in_the_bib(tmp_path):
    (tmp_path / "refs.bib").write_text("% sources\n@book{good, title = {Good}, year = 2000}\n\n"
                                       "@article{bad,\n  title = {Bad},\n  year 2001\n}\n\n"
                                       "@book{open, title = {Never closed, year = 2002}\n")
    source = tmp_path / "brief.md"
    source.write_text(front("apa", "refs.bib") + "T [@good].\n")
    found = problems(source)
    assert [(name, line, code) for name, line, code, _ in found] == [
        ("refs.bib", 6, "bib.syntax"), ("refs.bib", 9, "bib.syntax")]
    assert "field 'year' needs '='" in found[0][3]


def test_a_duplicate_key_and_bad_json_and_yaml(tmp_path):
    (tmp_path / "a.bib").write_text("@book{k, title = {A}, year = 2000}\n@book{k, title = {B}, year = 2001}\n")
    (tmp_path / "b.json").write_text('[\n  {"id": "j", "title": "J"\n')
    (tmp_path / "c.yaml").write_text("references:\n- id: y\n  title: [unclosed\n")
    source = tmp_path / "brief.md"
    source.write_text(front("apa", "[a.bib, b.json, c.yaml]") + "T [@k].\n")
    found = {(name, code) for name, _, code, _ in problems(source)}
    assert found == {("a.bib", "bib.duplicate-key"), ("b.json", "bib.json"), ("c.yaml", "bib.yaml")}


@pytest.mark.parametrize("csl, said", [
    ("chicago-notes-bibliografy", "did you mean 'chicago-notes-bibliography'?"),
    ("https://www.zotero.org/styles/apa", "not a local file"),
    ("dependent.csl", "which briefing does not ship and never fetches"),
    ("entities.csl", "DOCTYPE or entities"),
])
def test_a_style_with_external_references_is_refused(tmp_path, csl, said):
    copy_sources(tmp_path)
    (tmp_path / "dependent.csl").write_text(
        '<?xml version="1.0"?><style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" class="in-text">'
        '<info><link href="https://example.org/styles/house-style" rel="independent-parent"/></info></style>')
    (tmp_path / "entities.csl").write_text(
        '<?xml version="1.0"?><!DOCTYPE style [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0">&x;</style>')
    source = tmp_path / "brief.md"
    source.write_text(front(csl) + "T [@smith2020].\n")
    found = problems(source)
    assert found[0][1:3] == (5, "cite.style") and said in found[0][3]


def test_a_dependent_style_takes_its_shipped_parent(tmp_path):
    copy_sources(tmp_path)
    (tmp_path / "house.csl").write_text(
        '<?xml version="1.0"?><style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" class="in-text">'
        '<info><link href="http://www.zotero.org/styles/apa" rel="independent-parent"/></info></style>')
    source = tmp_path / "brief.md"
    source.write_text(front("house.csl") + "T [@smith2020].\n")
    assert ours(source)[0] == ["T (Smith & Doe, 2020)."]


# The three formats ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("citations")
    result = run_cli("build", CITATIONS / "notes.md", CITATIONS / "author-date.md", "--out", out)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    return out


@pytest.mark.slow
def test_pdf_notes_at_the_foot_and_a_hanging_bibliography(built):
    from readers import pdf_text

    text = words(pdf_text(built / "notes.pdf"))
    assert "as Smith and Doe3 argues" in text
    assert "1. John Smith and Jane Doe, The Politics of the Sahel: A Study (Oxford University Press, 2020), 33." in text
    assert "4. Written by the author, not generated." in text
    assert text.index("References Brown, Alice.") < text.index("1. John Smith")
    from readers import pdf_objects

    objects = json.dumps(pdf_objects(built / "notes.pdf"))
    # The notes' citations link to the entries: internal links, named after them.
    assert objects.count('"/Subtype": "/Link"') >= 12 and "ref-smith2020" in objects


@pytest.mark.slow
def test_docx_real_footnotes_bibliography_style_and_links_to_bookmarks(built):
    with zipfile.ZipFile(built / "notes.docx") as package:
        document = package.read("word/document.xml").decode()
        notes = package.read("word/footnotes.xml").decode()
        styles = package.read("word/styles.xml").decode()
    assert document.count("<w:footnoteReference") == 8
    assert "The Politics of the Sahel: A Study" in notes and "Written by the author" in notes
    bibliography_id = re.search(r'w:styleId="([^"]+)"[^>]*>\s*<w:name w:val="Bibliography"/>', styles)[1]
    assert document.count(f'<w:pStyle w:val="{bibliography_id}"/>') == 4
    bookmarks = set(re.findall(r'<w:bookmarkStart [^>]*w:name="([^"]+)"', document))
    anchors = set(re.findall(r'w:anchor="([^"]+)"', notes + document))
    assert anchors and anchors <= bookmarks
    from readers import docx_via_pandoc, pandoc_blocks
    ast = docx_via_pandoc(built / "notes.docx")
    assert len(pandoc_blocks(ast, "Note")) == 8


@pytest.mark.slow
def test_docx_in_libreoffice(built, tmp_path):
    from readers import pdf_text, soffice_to_pdf

    text = words(pdf_text(soffice_to_pdf(built / "author-date.docx", tmp_path)))
    assert "as Smith and Doe (2020, 4) argues" in text
    assert "Smith, John, and Jane Doe. 2020. The Politics of the Sahel: A Study. Oxford University Press." in text


@pytest.mark.slow
def test_html_links_both_ways_and_clickable_dois(built):
    page = lxml_html.fromstring((built / "author-date.html").read_bytes())
    citations = page.xpath("//span[@class='citation']")
    assert [c.text_content() for c in citations][:2] == ["(Smith and Doe 2020, 33)",
                                                         "(see Smith and Doe 2020; Jones et al. 2019, ch. 2)"]
    assert citations[1].xpath(".//a/@href") == ["#ref-smith2020", "#ref-jones2019"]
    assert citations[1].xpath(".//a/text()") == ["Smith and Doe 2020", "Jones et al. 2019"]
    entry = page.get_element_by_id("ref-jones2019")
    assert entry.xpath(".//a[@class='citation-back']/@href") == ["#cite-2", "#cite-4"]
    assert "https://doi.org/10.1000/xyz123" in entry.xpath(".//a/@href")
    for back in page.xpath("//a[@class='citation-back']/@href"):
        assert page.get_element_by_id(back[1:]) is not None
    toc_free = page.xpath("//section[@class='references']/h2/text()")
    assert toc_free == [] or toc_free == ["References"]


def test_a_quoted_title_quoting_a_phrase_has_single_marks_inside(tmp_path):
    """A BibTeX title with ``a phrase'' in it, set in the style's quotation
    marks, read “…“phrase”.”; pandoc's citeproc makes the inner ones single,
    as Chicago has it."""
    from pipeline.transform.citeproc import alternated

    (tmp_path / "refs.bib").write_text(
        "@article{kennan,\n  author = {Kennan, George},\n  journal = {Foreign Affairs},\n  year = {1947},\n"
        "  title = {The Sources of ``Soviet'' Conduct},\n}\n", encoding="utf-8")
    source = tmp_path / "brief.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\nbibliography: refs.bib\n---\n\n"
                      "As argued [@kennan].\n", encoding="utf-8")
    assert run_cli("build", source, "--to", "html", "--out", tmp_path).returncode == 0
    page = lxml_html.fromstring((tmp_path / "brief.html").read_bytes())
    entries = [" ".join(e.text_content().split()) for e in page.iter("li", "p", "div")
               if "Sources of" in e.text_content() and len(e) <= 3]
    assert entries and all("\u2018Soviet\u2019" in e and "\u201cSoviet" not in e for e in entries), entries  # capital, too
    assert alternated("“A “b” and “c”.” “d”") == "“A ‘b’ and ‘c’.” “d”"
    assert alternated("“plain”") == "“plain”"
