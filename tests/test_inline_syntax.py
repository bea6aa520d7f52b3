"""Issue 15's inline syntax, read as pandoc reads it: strikethrough, sub- and
superscript, spans, inline notes, smart punctuation by `lang`, backslash
line breaks, emoji shortcodes, kramdown's attribute lines. pandoc (pypandoc)
reads the same Markdown as the reference; each fixture is built through all
three backends and read back with independent tools."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import lxml.html
import pypandoc
import pytest

from conftest import FIXTURES, run_cli
from pipeline import model as m
from pipeline.model import walk
from pipeline.read.frontmatter import read_meta
from pipeline.read.markdown import parse
from pipeline.problems import Reporter
from pipeline.read.source import read_source
from pipeline.run.build import load
from readers import docx_via_pandoc, pandoc_blocks, pandoc_text, pdf_text

INLINES = FIXTURES / "inlines.md"


def parsed(path: Path) -> m.Document:
    source = read_source(path)
    meta, body_line = read_meta(source)
    return parse(source, meta, body_line)


def body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---", 2)[2]


def pandoc_ast(text: str, reader: str = "markdown") -> dict:
    return json.loads(pypandoc.convert_text(text, "json", format=reader))


def pandoc_kinds(ast: dict) -> list[str]:
    """Every node kind pandoc read, depth first (a Span as `Span.class`)."""
    found: list[str] = []

    def visit(node):
        if isinstance(node, dict):
            if "t" in node:
                kind = node["t"]
                if kind == "Span":
                    kind += "." + ".".join(node["c"][0][1])
                found.append(kind)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)
    visit(ast["blocks"])
    return found


def our_kinds(doc: m.Document) -> list[str]:
    runs = [s.title for s in walk.sections(doc)] + [run for b in walk.blocks(doc) for run in walk.block_inlines(b)]
    found: list[str] = []
    for run in runs:
        for item in walk.nested_inlines(run):
            name = type(item).__name__
            if isinstance(item, m.Span):
                name += "." + ".".join(item.classes)
            found.append(name)
    return found


def all_text(doc: m.Document) -> str:
    return " ".join([m.plain_text(s.title) for s in walk.sections(doc)] + [m.block_text(b) for b in doc.blocks]
                    + [m.block_text(b) for s in walk.sections(doc) for b in s.blocks])


def test_marks_and_spans_are_what_pandoc_reads():
    doc = parsed(INLINES)
    theirs = pandoc_kinds(pandoc_ast(body(INLINES)))
    ours = our_kinds(doc)
    for pandoc_kind, our_kind in [("Strikeout", "Strike"), ("Subscript", "Sub"), ("Superscript", "Sup"),
                                  ("SmallCaps", "Span.smallcaps"), ("Underline", "Span.underline"),
                                  ("Span.mark", "Span.mark"), ("Span.aside", "Span.aside"),
                                  ("Note", "FootnoteRef"), ("LineBreak", "LineBreak")]:
        assert theirs.count(pandoc_kind) == ours.count(our_kind) > 0, (pandoc_kind, theirs, ours)
    [span] = [i for run in walk.block_inlines(doc.sections[0].blocks[0]) for i in walk.nested_inlines(run)
              if isinstance(i, m.Span) and "aside" in i.classes]
    assert span.id == "aside-span" and m.plain_text(span.children) == "span of another class"


def test_smart_punctuation_as_pandoc_writes_it_and_never_in_code():
    doc = parsed(INLINES)
    theirs = pypandoc.convert_text(body(INLINES), "plain", format="markdown", extra_args=["--wrap=none"])
    quoted = next(b for b in doc.sections[0].blocks if "Curly" in m.block_text(b))
    ours = m.block_text(quoted)
    assert ours in theirs
    assert "“Curly quotes”, ‘single ones’" in ours and "it’s" in ours and "– en" in ours and "— em" in ours
    assert "ellipsis…" in ours
    [code] = [i for i in quoted.inlines if isinstance(i, m.Code)]
    assert code.text == '"straight" -- quotes...'


def test_a_quote_after_an_equals_sign_opens_as_in_pandoc(write):
    """GOV.UK's decision record set `type="module"` with two closing quotes."""
    text = "## Using type=\"module\"\n\nSet lang=\"en\" or width='wide', or x=\"1\".\n"
    doc = parsed(write(text))
    ours = [m.plain_text(doc.sections[0].title), m.block_text(doc.sections[0].blocks[0])]
    assert ours == ["Using type=“module”", "Set lang=“en” or width=‘wide’, or x=“1”."]
    theirs = pypandoc.convert_text(text, "plain", format="markdown", extra_args=["--wrap=none"])
    assert all(line in theirs for line in ours)


def test_a_quote_after_a_slash_opens_as_in_pandoc(write):
    """The Census Bureau's engine notes wrote `"master"/"release"`: the second
    quote closed, ”release”."""
    text = "Set the desired \"master\"/\"release\" value, a/b, \"x/y\" and it's/'ok'.\n"
    ours = m.block_text(parsed(write(text)).blocks[0])
    assert ours == "Set the desired “master”/“release” value, a/b, “x/y” and it’s/‘ok’."
    theirs = pypandoc.convert_text(text, "plain", format="markdown", extra_args=["--wrap=none"])
    assert ours in theirs


def test_an_empty_pair_of_quotes_opens_then_closes_as_in_pandoc(write):
    """NCSC's mail-check README: `replace these lines with = ""` read ”“,
    closing then opening, at a line's end."""
    text = 'Replace with = ""\n\nSet it to "" then.\n\nLast: ""\nnext.\n\nA "quote" and "x".\n'
    doc = parsed(write(text))
    ours = [m.block_text(b) for b in doc.blocks]
    assert ours == ["Replace with = “”", "Set it to “” then.", "Last: “” next.", "A “quote” and “x”."]
    theirs = pypandoc.convert_text(text, "plain", format="markdown", extra_args=["--wrap=none"])
    assert all(paragraph in theirs for paragraph in ours)


def test_emphasis_closes_before_a_bracket_that_ends_a_line(write):
    """`(*e.g.*)` at a line's end showed its stars: the line's marker stood
    between the closing star and the bracket, where a star after a full
    stop may not close. As pandoc reads it, at a line's end and within."""
    text = "text (*e.g.*)\nthen (**Note:**)\nand \"*quoted.*\"\nand *a(*)\nin (*e.g.*) a line.\n"
    doc = parsed(write(text))
    ours = [m.plain_text(i.children) for i in walk.inlines(doc) if isinstance(i, (m.Emph, m.Strong))]
    theirs = [pandoc_text(e["c"]) for e in pandoc_blocks(pandoc_ast(text), ("Emph", "Strong"))]
    assert ours == theirs == ["e.g.", "Note:", "quoted.", "a(", "e.g."]
    assert "*" not in all_text(doc)


def test_escapes_unseen_tex_and_an_address_before_tex_as_pandoc_reads_them(write):
    """R Markdown's book wrote `\\$5`, `5\\%`, `\\@ref(…)` and kept the
    backslashes; its 27 `\\index{…}` showed, and a bare address ran on
    into one (`…/YAML),\\index{YAML}`)."""
    text = ("It costs \\$5 (5\\% more); see \\@ref(fig:trend), a\\<b, x\\=y \\? \\/ \\; \\, \\&.\n\n"
            "YAML (https://en.wikipedia.org/wiki/YAML),\\index{YAML} so\\label{x} indent\\vspace{1em} it."
            "\\noindent Done, C:\\Users and \\emph{kept}.\n")
    doc = parsed(write(text))
    ours = [m.block_text(b) for b in doc.blocks]
    assert ours == ["It costs $5 (5% more); see @ref(fig:trend), a<b, x=y ? / ; , &.",
                    "YAML (https://en.wikipedia.org/wiki/YAML), so indent it. Done, C:\\Users and kept."]
    assert [i.target for i in walk.inlines(doc) if isinstance(i, m.Link)] == ["https://en.wikipedia.org/wiki/YAML"]
    theirs = pypandoc.convert_text(text, "plain", format="markdown+autolink_bare_uris", extra_args=["--wrap=none"])
    assert ours[0] in theirs and "YAML (https://en.wikipedia.org/wiki/YAML), so indent it." in theirs


BARE = ("Code `https://x.org/a` and [the site](https://b.org) and <https://c.org>.\n"
        "(see https://d.org/a_(b)) and *https://e.org* and **www.f.gov**.\n"
        "A line ending https://g.org/path\ncontinues, then ftp://h.org/file and x@y.org. and foo@bar.\n\n"
        "| a | https://i.org/q?x=1&y=2 |\n|---|---|\n| www.j.gov, | k@l.gov |\n\n"
        "Trailing https://m.org/a.b?, and 'https://n.org' and \"www.o.gov\" done.\n")


def test_bare_addresses_are_links_where_github_makes_them(write):
    """The Kubernetes enhancement proposal on API priority lost 11 links,
    W3C's WCAG README and 18F's travel guide theirs: a bare `https://…`,
    `www.…` or e-mail address is a link in GFM. The same targets as pandoc's
    gfm reader, in the same order; the text around them kept."""
    doc = parsed(write(BARE))
    ours = [i.target for i in walk.inlines(doc) if isinstance(i, m.Link)]
    theirs = [link["c"][2][0] for link in pandoc_blocks(pandoc_ast(BARE, "gfm"), "Link")]
    assert ours == theirs == [
        "https://b.org", "https://c.org", "https://d.org/a_(b)", "https://e.org", "http://www.f.gov",
        "https://g.org/path", "ftp://h.org/file", "mailto:x@y.org", "https://i.org/q?x=1&y=2",
        "http://www.j.gov", "mailto:k@l.gov", "https://m.org/a.b", "https://n.org", "http://www.o.gov"]
    assert "Trailing https://m.org/a.b?, and ‘https://n.org’" in all_text(doc)
    # Never a link inside a link (pandoc's AST nests one; its HTML shows none).
    [link] = [i for i in walk.inlines(parsed(write("[https://a.org](https://b.org)\n")))
              if isinstance(i, m.Link)]
    assert link.target == "https://b.org" and m.plain_text(link.children) == "https://a.org"


ENDING = ("See https://example.org/wiki/Mercury_(planet)\n\n- https://example.org/wiki/Venus_(planet)\n\n"
          "(see https://example.org/a)\n\nx https://example.org/b_(c)).\nnext\n\n"
          "| https://example.org/wiki/Mars_(planet) | x |\n|---|---|\n| 1 | 2 |\n\n"
          "[https://example.org/wiki/Earth_(planet)]\n\nLast [broken](#nowhere).\n")


def test_a_bare_address_ending_a_line_keeps_its_balanced_bracket(write):
    """usds/justice40's DATASETS.md: an address ending in `(…)` at a line's
    end (a paragraph's, a list item's, a cell's) lost its `)` to the text
    after the link. The same targets as pandoc's gfm reader; the lines
    after them still known."""
    doc = parsed(write(ENDING))
    ours = [i.target for i in walk.inlines(doc) if isinstance(i, m.Link)]
    theirs = [link["c"][2][0] for link in pandoc_blocks(pandoc_ast(ENDING, "gfm"), "Link")]
    assert ours[:-1] == theirs[:-1] == [
        "https://example.org/wiki/Mercury_(planet)", "https://example.org/wiki/Venus_(planet)",
        "https://example.org/a", "https://example.org/b_(c)", "https://example.org/wiki/Mars_(planet)",
        "https://example.org/wiki/Earth_(planet)"]
    text = all_text(doc)
    assert "https://example.org/b_(c)). next" in text and "(planet)]" in text
    assert not re.search("[\ue000-\uf8ff]", text)
    from conftest import run_cli
    path = write(ENDING)
    lines = path.read_text().splitlines()
    told = run_cli("check", path).stderr
    assert f"{path}:{lines.index('Last [broken](#nowhere).') + 1}: warning: link to '#nowhere'" in told


def test_a_quote_after_an_escaped_character_closes(write):
    """quarto-web wrote `"List of \\<Type\\>").`: the quote after the escape
    opened again (“List of <Type>“); pandoc closes it."""
    text = 'The form (that is "List of \\<Type\\>").\n\nAlso "a \\<b\\>" and "x\\*".\n'
    doc = parsed(write(text))
    ours = [m.block_text(b) for b in doc.blocks]
    assert ours == ["The form (that is \u201cList of <Type>\u201d).", "Also \u201ca <b>\u201d and \u201cx*\u201d."]
    theirs = pypandoc.convert_text(text, "plain", format="markdown", extra_args=["--wrap=none"])
    assert all(line in theirs for line in ours)


def test_a_quote_after_the_last_emphasis_inside_emphasis_closes(write):
    """`*"*The Art of War*"*` closed its title with an opening quote: smarty
    sees the quote after the inner emphasis alone. Pandoc closes it."""
    text = ('He read *"*The Art*"* twice, **"*Nested*"** too, *\'*One*\'* and '
            '"*Emphasis* inside" here.\n')
    ours = m.block_text(parsed(write(text)).blocks[0])
    assert ours == "He read “The Art” twice, “Nested” too, ‘One’ and “Emphasis inside” here."
    assert ours == pypandoc.convert_text(text, "plain", format="markdown", extra_args=["--wrap=none"]).strip()


def test_a_german_quote_alone_after_emphasis_closes_with_the_german_mark(tmp_path):
    source = tmp_path / "de.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\nlang: de\n---\n\n"
                      "Er las *\"*Faust*\"* gern.\n", encoding="utf-8")
    assert m.block_text(load(source).blocks[0]) == "Er las „Faust“ gern."


def test_a_run_of_spaces_or_a_tab_is_one_space_in_word_and_html(tmp_path):
    """Typewriter habit, two spaces after a full stop, and a tab in a heading
    showed as written in Word, one space in the PDF and the HTML. Pandoc
    reads each run as one space; a no-break space stays."""
    source = tmp_path / "spaces.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n"
                      "## Heading\twith tab\n\nEnd of one.  Start of two,    then&nbsp;&nbsp;kept.\n",
                      encoding="utf-8")
    assert run_cli("build", source, "--out", tmp_path).returncode == 0
    said = ["Heading with tab", "End of one. Start of two, then\u00a0\u00a0kept."]
    words = zipfile.ZipFile(tmp_path / "spaces.docx").read("word/document.xml").decode()
    texts = ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in re.findall(r"<w:p[ >].*?</w:p>", words)]
    assert all(line in texts for line in said)
    page = lxml.html.fromstring((tmp_path / "spaces.html").read_bytes())
    assert [page.xpath("string(//main//h2)"), page.xpath("string(//main//p)")] == said
    theirs = pypandoc.convert_text(source.read_text(encoding="utf-8"), "plain", format="markdown",
                                   extra_args=["--wrap=none"])
    assert all(line in theirs for line in said)


def test_a_link_label_defined_twice_keeps_its_first_definition_as_on_github(write):
    """A Kubernetes KEP defined [KEP-3453] twice, its README first: both uses
    linked the second address. CommonMark (GitHub, pandoc's gfm reader)
    keeps the first, in a block of definitions as across blocks."""
    text = ("See [KEP-3453], [other] and [third].\n\n[KEP-3453]: https://first.example/a\n\n"
            "[other]: https://o.example\n[other]: https://o-again.example\n\nText.\n\n"
            "[KEP-3453]: https://second.example/b\n[third]: https://t.example\n")
    doc = parsed(write(text))
    ours = [node.target for node in walk.inlines(doc) if isinstance(node, m.Link)]
    theirs = re.findall(r'href="([^"]+)"', pypandoc.convert_text(text, "html", format="gfm"))
    assert ours == theirs == ["https://first.example/a", "https://o.example", "https://t.example"]


def test_a_links_own_id_or_kramdown_name_is_a_place_links_lead_to(tmp_path):
    """NIST's glossary defines each term as `Access [](#access){:name="access"}`:
    the attribute was dropped, so the term read "Access #access" and eleven
    links to it were shown as text, with a warning each. The name is now a
    place (as raw HTML's `<a name>` is), the empty link nothing more."""
    source = tmp_path / "glossary.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n"
                      'Access [](#access){:name="access"}\n: To make contact with a service.\n\n'
                      "See [access](#access) and [the term](#term){#term}.\n", encoding="utf-8")
    result = run_cli("build", source, "--out", tmp_path)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    page = lxml.html.fromstring((tmp_path / "glossary.html").read_bytes())
    assert page.xpath("string(//dt)").strip() == "Access"
    assert [a.get("href") for a in page.xpath("//main//a")] == ["#access", "#term"]
    assert page.xpath("//main//*[@id='access']") and page.xpath("//main//*[@id='term']")
    document = zipfile.ZipFile(tmp_path / "glossary.docx").read("word/document.xml").decode()
    assert '<w:bookmarkStart w:id="' in document and 'w:name="access"' in document
    assert "#access" not in re.sub(r"<[^>]+>", "", document)
    # A note inside such a link is read once: numbered 1, 2, 3 in order, each called once.
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n"
                      "See [note^[an inline note]](https://y.example){#two}, [text[^a]](https://z.example){#three}"
                      " and a last^[second note].\n\n[^a]: The note.\n", encoding="utf-8")
    doc = load(source)
    assert [(ref.number, ref.first) for ref in walk.inlines(doc) if isinstance(ref, m.FootnoteRef)] == [
        (1, True), (2, True), (3, True)]
    assert [m.block_text(note.blocks[0]) for note in doc.footnotes] == ["an inline note", "The note.", "second note"]


def test_words_where_an_address_stands_are_shown_as_written(tmp_path):
    """va.gov's onboarding checklist: `[CMS Collab Cycle documentation](LINK
    TBD on CMS provision …)`, a note to itself. It became a link to
    `LINK%20TBD…` and the note was gone from every format. GitHub makes no
    link of it and shows it as written; so do we, with a warning. A file's
    name with a space (`a b.md`) still links, as pandoc links it."""
    source = tmp_path / "words.md"
    source.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n"
                      "- [ ] [CMS Collab Cycle documentation](LINK TBD on CMS provision of access)\n\n"
                      "See [x](a b.md).\n", encoding="utf-8")
    result = run_cli("build", source, "--out", tmp_path)
    assert result.returncode == 0
    assert result.stderr.strip() == (f"{source}:6: warning: link target 'LINK TBD on CMS provision of access' is "
                                      "words, not an address (GitHub makes no link of it): shown as written, "
                                      "brackets and all")
    said = "[CMS Collab Cycle documentation](LINK TBD on CMS provision of access)"
    page = lxml.html.fromstring((tmp_path / "words.html").read_bytes())
    assert said in page.xpath("string(//main//li)") and page.xpath("//main//a/@href") == ["a%20b.md"]
    assert said in re.sub(r"\s+", " ", pdf_text(tmp_path / "words.pdf"))
    document = zipfile.ZipFile(tmp_path / "words.docx").read("word/document.xml").decode()
    assert said in "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", document))


def test_french_quotation_marks_with_narrow_no_break_spaces():
    doc = parsed(FIXTURES / "french.md")
    assert "«\u202fLa coopération continue\u202f» – et l’état-major l’a confirmé…" in all_text(doc)


def test_emoji_shortcodes_are_the_characters_pandoc_gives():
    doc = parsed(INLINES)
    ast = pandoc_ast(body(INLINES), "markdown+emoji")
    theirs = [node["c"][1][0]["c"] for node in _spans(ast, "emoji")]
    assert theirs == ["😄", "✅", "⚠️"]
    text = all_text(doc)
    assert all(emoji in text for emoji in theirs) and ":smile:" not in text


def _spans(ast: dict, cls: str) -> list[dict]:
    found = []

    def visit(node):
        if isinstance(node, dict):
            if node.get("t") == "Span" and cls in node["c"][0][1]:
                found.append(node)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)
    visit(ast["blocks"])
    return found


def test_inline_notes_are_numbered_with_the_labelled_ones():
    doc = parsed(INLINES)
    refs = [i for b in walk.blocks(doc) for run in walk.block_inlines(b) for i in walk.nested_inlines(run)
            if isinstance(i, m.FootnoteRef)]
    assert [r.number for r in refs] == [1, 2] and refs[0].line == 20
    assert [m.block_text(n.blocks[0]) for n in doc.footnotes] == [
        "An inline note, with emphasis, numbered with the others.", "A labelled note."]
    assert isinstance(doc.footnotes[0].blocks[0].inlines[1], m.Emph)


def test_kramdown_attribute_lines_are_never_shown_and_give_ids():
    doc = parsed(INLINES)
    assert doc.sections[0].children[0].id == "kramdown-id"
    assert "{:" not in all_text(doc)


def test_a_kramdown_attribute_line_in_a_list_item_goes_and_in_code_stays(write):
    """USWDS's migration guide indents `{: .site-note }` into a numbered
    step: kramdown never shows it. Four spaces in at the margin it is a
    line of an indented code block, shown as written."""
    doc = parsed(write("1. Item text.\n\n    {: .site-note }\n    **Note:** inside.\n\n"
                       "Code:\n\n    {: .kept }\n    code line\n"))
    listing, _, code = doc.blocks
    assert [m.block_text(b) for b in listing.items[0].blocks] == ["Item text.", "Note: inside."]
    assert isinstance(code, m.CodeBlock) and code.text == "{: .kept }\ncode line"


def test_a_kramdown_attribute_list_over_two_lines_goes_too(write):
    """An IETF draft (draft-ietf-ppm-dap) follows five tables with `{: #id
    title="Initial contents of the` and `registry."}` on the next line: the
    two lines were rows of the table. kramdown reads them as one attribute
    list; one left open with a blank line after it is text."""
    doc = parsed(write("| Value | Name |\n|:--|:--|\n| 0x00 | reserved |\n{: #mode-id title=\"Initial contents "
                       "of the\nregistry.\"}\n\nAfter.\n\n{: left open\n\nText.\n"))
    table, after, left, text = doc.blocks
    assert [[m.block_text(cell[0]) for cell in row] for row in table.rows] == [["0x00", "reserved"]]
    assert [m.block_text(b) for b in (after, left, text)] == ["After.", "{: left open", "Text."]


def test_emphasis_ending_in_punctuation_closes_before_a_backslash_break(write):
    """github/roadmap's README labels each stage `**in design:**\\` then the
    text on the next line: the stars showed as written (the line's marker
    stood between them and the backslash). The same strong and emphasis as
    pandoc's gfm reader."""
    text = "- **in design:**\\\n  Feature in discovery.\n\n*note:*\\\nEmphasis too.\n"
    doc = parsed(write(text))
    item = doc.blocks[0].items[0].blocks[0]
    assert item.inlines[:2] == (m.Strong(children=(m.Text(text="in design:"),)), m.LineBreak())
    assert doc.blocks[1].inlines[:2] == (m.Emph(children=(m.Text(text="note:"),)), m.LineBreak())
    theirs = pypandoc.convert_text(text, "html", format="gfm")
    assert "<strong>in design:</strong><br />" in theirs and "<em>note:</em><br />" in theirs


def test_a_backslash_at_a_line_end_breaks_it_but_not_at_a_paragraphs_end(write):
    doc = parsed(write("One\\\ntwo.\n\nLast\\\n"))
    assert doc.blocks[0].inlines == (m.Text(text="One"), m.LineBreak(), m.Text(text="two."))
    assert doc.blocks[1].inlines == (m.Text(text="Last\\"),)  # as pandoc: a backslash


def test_sub_and_superscripts_need_escaped_spaces_as_in_pandoc(write):
    text = "a~b c~ and H~2~O, about ~5 km.\n\n2^a b^ but x^2\\ y^ and 10^3^.\n"
    doc = parsed(write(text))
    theirs = pandoc_kinds(pandoc_ast(text))
    ours = our_kinds(doc)
    assert theirs.count("Subscript") == ours.count("Sub") == 1
    assert theirs.count("Superscript") == ours.count("Sup") == 2


def test_unknown_span_classes_stay_on_the_span_and_an_id_is_a_target(write):
    path = write("A [word]{.house-term #term} here; see [it](#term).\n")
    doc = load(path)
    span = doc.blocks[0].inlines[1]
    assert span == m.Span(classes=("house-term",), children=(m.Text(text="word"),), id="term", line=5)


@pytest.mark.slow
def test_every_construct_in_all_three_formats(tmp_path):
    result = run_cli("build", INLINES, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    tree = lxml.html.fromstring((tmp_path / "inlines.html").read_bytes())
    main = tree.xpath("//main")[0]
    assert main.xpath(".//del/text()") == ["cancelled"]
    assert main.xpath(".//sub/text()") == ["2"] and main.xpath(".//sup[not(@class)]/text()") == ["nd", "3"]
    assert main.xpath(".//span[@class='smallcaps']/text()") == ["phrase in small capitals"]
    assert main.xpath(".//u/text()") == ["underlined phrase"] and main.xpath(".//mark/text()") == ["highlighted phrase"]
    assert main.xpath(".//span[@id='aside-span']/@data-class") == ["aside"]
    assert not main.xpath(".//span[@class='aside']")  # an author's class never meets our styles
    assert main.xpath(".//a[@href='#aside-span']") and main.xpath(".//a[@href='#kramdown-id']")
    visible = main.text_content()
    for raw in ("~~", "^[", "]{", "{:", ":smile:", '"Curly'):
        assert raw not in visible, raw
    pdf = pdf_text(tmp_path / "inlines.pdf")
    assert "“Curly quotes”" in pdf and "H2O" in pdf and "😄" in pdf and "{:" not in pdf
    assert "1. An inline note, with emphasis" in pdf
    document = zipfile.ZipFile(tmp_path / "inlines.docx").read("word/document.xml").decode()
    for run_property in ("<w:strike/>", '<w:vertAlign w:val="subscript"/>', '<w:vertAlign w:val="superscript"/>',
                         "<w:smallCaps/>", '<w:u w:val="single"/>', '<w:highlight w:val="yellow"/>'):
        assert run_property in document, run_property
    ast = docx_via_pandoc(tmp_path / "inlines.docx")
    kinds = pandoc_kinds(ast)
    assert {"Strikeout", "Subscript", "Superscript", "SmallCaps", "Underline", "Note"} <= set(kinds)
    assert kinds.count("Note") == 2


@pytest.mark.slow
def test_french_quotes_in_every_format(tmp_path):
    assert run_cli("build", FIXTURES / "french.md", "--out", tmp_path).returncode == 0
    said = "«\u202fLa coopération continue\u202f»"
    assert said in lxml.html.fromstring((tmp_path / "french.html").read_bytes()).text_content()
    assert "« La coopération continue »" in re.sub("[\u202f ]+", " ", pdf_text(tmp_path / "french.pdf"))
    assert said in zipfile.ZipFile(tmp_path / "french.docx").read("word/document.xml").decode()


def test_link_targets_are_escaped_as_pandoc_escapes_them(tmp_path):
    """`[x](a b.md)` links `a%20b.md` in pandoc's reading; a space or `|`
    left in an href is no URL (the DOCX's relationship, the PDF's URI)."""
    targets = ["a b.md", "é.md", "<c d.md>", "a|b{c}", "a%20b", "http://x.org/a b", "q^x[1]", "#top"]
    text = " ".join(f"[{n}]({target})" for n, target in enumerate(targets))
    theirs = [link["c"][2][0] for link in pandoc_blocks(pandoc_ast(text), "Link")]
    source = tmp_path / "links.md"
    source.write_text(f"---\ntitle: Links\nclassification: UNCLASSIFIED\n---\n\n# Top {{#top}}\n\n{text}\n",
                      encoding="utf-8")
    ours = [i.target for i in walk.inlines(load(source)) if isinstance(i, m.Link)]
    assert ours == theirs and ours[0] == "a%20b.md"



def test_reference_labels_holding_code_spans_link_as_in_pandoc(tmp_path):
    """`[text][`label`]`, `[`label`]` and an image's `![alt][`label`]` find
    the definition `[`label`]: target`, in pandoc's reading and ours."""
    text = ("See [LaTeX beamer][`beamer`], [`beamer`], [`Beamer`][] and [twice][``a`b``] and "
            "![logo][`logo`].\n\n[`beamer`]: https://ctan.org/pkg/beamer\n[``a`b``]: https://example.org/ab\n"
            "[`logo`]: images/badge.png\n")
    theirs = [link["c"][2][0] for link in pandoc_blocks(pandoc_ast(text), "Link")]
    source = tmp_path / "labels.md"
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "badge.png").write_bytes((FIXTURES / "images" / "badge.png").read_bytes())
    source.write_text(f"---\ntitle: Labels\nclassification: UNCLASSIFIED\n---\n\n{text}", encoding="utf-8")
    doc = load(source)
    ours = [i.target for i in walk.inlines(doc) if isinstance(i, m.Link)]
    assert ours == theirs == ["https://ctan.org/pkg/beamer"] * 3 + ["https://example.org/ab"]
    assert [i.path for i in walk.inlines(doc) if isinstance(i, m.Image)] == [str(tmp_path / "images" / "badge.png")]
    assert "[" not in m.plain_text(tuple(walk.inlines(doc)))


def test_implicit_heading_references_link_as_in_pandoc(tmp_path):
    """pandoc's implicit heading references: a heading's text is a label,
    full, collapsed or short, as written or as its words; a label over two
    lines; an explicit definition wins; the first of two like headings.
    A label is matched as written (`[x][Extension: native_divs]` finds no
    heading written with backticks, in pandoc either)."""
    text = ("# General options\n\nSee [General options], [the options][General options], "
            "[General options][] and [native divs][Extension:\n`native_divs`], [divs][Extension: native_divs],\n"
            "[Given] and [Twice].\n\n## Extension: `native_divs` {#divs-ext}\n\nText.\n\n## Given\n\n"
            "## Twice\n\nOne.\n\n## Twice\n\nTwo.\n\n[Given]: https://example.org/given\n")
    theirs = [link["c"][2][0] for link in pandoc_blocks(pandoc_ast(text), "Link")]
    source = tmp_path / "implicit.md"
    source.write_text(f"---\ntitle: Implicit\nclassification: UNCLASSIFIED\n---\n\n{text}", encoding="utf-8")
    ours = [i.target for i in walk.inlines(load(source)) if isinstance(i, m.Link)]
    assert ours == theirs == ["#general-options"] * 3 + ["#divs-ext", "https://example.org/given", "#twice"]


def test_an_implicit_reference_to_a_heading_that_starts_no_section_is_its_words(write):
    reporter = Reporter("x")
    doc = load(write("> ## Quoted heading\n\nSee [Quoted heading] and [the quote][Quoted heading].\n"), reporter)
    assert not [i for i in walk.inlines(doc) if isinstance(i, m.Link)] and not reporter.problems
    assert "See Quoted heading and the quote." in [m.plain_text(b.inlines) for b in walk.blocks(doc)
                                                   if isinstance(b, m.Paragraph)]


@pytest.mark.parametrize("text", ["Set ``--fail-swap-on=false` and restart.\n", "A `` `x` `` b and ```y`` z.\n",
                                  "Both ``a`` and `b` and ``c` d``.\n"])
def test_a_run_of_backticks_closed_by_a_shorter_one_opens_with_its_last(write, text):
    """Kubernetes' node swap proposal writes "``--fail-swap-on=false`": the
    code span showed one backtick of the two inside it. pandoc opens the
    code with the last backtick of the run, the first one text before it."""
    doc = parsed(write(text))
    ours = [(type(i).__name__, i.text) for i in next(walk.blocks(doc)).inlines if isinstance(i, m.Code)]
    theirs = [(b["t"], b["c"][1]) for b in json.loads(pypandoc.convert_text(text, "json", format="markdown"))
              ["blocks"][0]["c"] if b["t"] == "Code"]
    assert [text for _, text in ours] == [text for _, text in theirs]
