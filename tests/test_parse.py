"""Markdown -> model, checked on the model itself (no backend involved)."""

import dataclasses
import json
import re
import pytest

from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import BriefingError
from pipeline.read.frontmatter import read_meta
from pipeline.read.markdown import MAX_DEPTH, parse
from pipeline.read.source import read_source

from conftest import FIXTURES


def parsed(write, body: str, problems: list | None = None) -> m.Document:
    source = read_source(write(body))
    meta, body_line = read_meta(source)
    return parse(source, meta, body_line, problems)


def test_section_tree_nests_by_level(write):
    doc = parsed(write, "Intro.\n\n# One\n\nA.\n\n## One.One\n\n### Deep\n\n# Two {#two}\n\nB text.\n")
    assert [type(b) for b in doc.blocks] == [m.Paragraph]
    one, two = doc.sections
    assert m.plain_text(one.title) == "One" and one.level == 1
    assert [m.plain_text(c.title) for c in one.children] == ["One.One"]
    assert m.plain_text(one.children[0].children[0].title) == "Deep"
    assert two.id == "two" and two.blocks[0].inlines == (m.Text(text="B text."),)


def test_lines_point_at_the_source(write):
    doc = parsed(write, "First para.\n\n# Heading\n\nSecond para\nsecond line.\n\n- item\n")
    # front matter is 4 lines, so the body starts on line 5
    assert doc.blocks[0].line == 5
    section = doc.sections[0]
    assert section.line == 7
    assert [b.line for b in section.blocks] == [9, 12]


def test_inlines(write):
    doc = parsed(write, 'Say *a* **b** `c<d>` [e](https://x.org "T") &amp; \\*f\\*  \nnext\n')
    assert doc.blocks[0].inlines == (
        m.Text(text="Say "), m.Emph(children=(m.Text(text="a"),)), m.Text(text=" "),
        m.Strong(children=(m.Text(text="b"),)), m.Text(text=" "), m.Code(text="c<d>"),
        m.Text(text=" "), m.Link(target="https://x.org", children=(m.Text(text="e"),), title="T", line=5),
        m.Text(text=" & *f*"), m.LineBreak(), m.Text(text="next"))


def test_lists_nested_and_start_numbers(write):
    doc = parsed(write, "- a\n- b\n    - b1\n    - b2\n\n3. three\n4. four\n")
    bullets, numbers = doc.blocks
    assert not bullets.ordered and len(bullets.items) == 2
    nested = bullets.items[1].blocks[1]
    assert isinstance(nested, m.ListBlock) and len(nested.items) == 2
    assert numbers.ordered and numbers.start == 3
    assert [m.plain_text(i.blocks[0].inlines) for i in numbers.items] == ["three", "four"]


def test_quote_code_rule_admonition(write):
    doc = parsed(write, '> q\n>\n> > qq\n\n```python\nx = "<b>" & 1\n```\n\n    indented <i>\n\n'
                        '***\n\n!!! warning "Careful"\n    Body *text*.\n')
    quote, fenced, indented, rule, note = doc.blocks
    assert isinstance(quote, m.Quote) and isinstance(quote.blocks[1], m.Quote)
    assert fenced == m.CodeBlock(lang="python", text='x = "<b>" & 1', line=9)
    assert indented.text == "indented <i>" and indented.lang is None
    assert rule == m.Rule(line=15)
    assert note.kind == "warning" and m.plain_text(note.title) == "Careful"
    assert isinstance(note.blocks[0], m.Paragraph)


def test_raw_html_and_template_syntax_stay_text(write):
    doc = parsed(write, "<div>block</div>\n\nA <script>x()</script> {{ y }} {% z %}\n")
    assert doc.blocks[0].inlines == (m.Text(text="block"),)  # a <div> wraps nothing of its own
    # A script is left out (tests/test_raw_html.py), one space kept where it stood.
    assert doc.blocks[1].inlines == (m.Text(text="A {{ y }} {% z %}"),)


@pytest.mark.parametrize("target", [
    "javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "vbscript:x",
    # as a browser reads them: any case, references decoded, tabs and spaces dropped
    "JaVaScRiPt:alert(1)", "DATA:text/html,x", "javascript&#58;alert(1)", "java&#x09;script:x",
    "jav&#9;ascript:x", "<javascript:x>", "<  vbscript:x>", "%20javascript:x"[3:],
    # network and drive paths, which open files
    "\\\\\\\\server\\share", "//server/share", "C:\\Users\\x.doc"])  # `\\\\` is one `\\` in Markdown
def test_disallowed_link_targets(write, target):
    with pytest.raises(BriefingError, match=r":7: link target .* (is not allowed|is a network path|"
                                            r"is a path on a local drive)"):
        parsed(write, f"Fine.\n\nSee [this]({target}).\n")


@pytest.mark.parametrize("target, made", [("//www.gov.uk/guidance/content-design/",
                                            "https://www.gov.uk/guidance/content-design/"),
                                           ("//example.org", "https://example.org"),
                                           ("//cdn.example.org:8080/a?b#c", "https://cdn.example.org:8080/a?b#c")])
def test_a_web_address_without_its_scheme_is_given_https(write, target, made):
    """The MOD's service manual links `<a href="//www.gov.uk/…">`: refused
    as a network path, the whole page with it. A host named as on the web
    is one: the address gets https, as the site's pages had it."""
    doc = parsed(write, f"See [this]({target}).\n")
    assert doc.blocks[0].inlines[1] == m.Link(target=made, children=(m.Text(text="this"),), line=5)


@pytest.mark.parametrize("target", ["other.md", "/url", "../x.html", "other.md#part", "docs/guide/",
                                    "tel:+1-555-0100", "https://x.org/?a=1&not=2", "ftp://x.org/f"])
def test_relative_and_telephone_links_stay_links(write, target):
    doc = parsed(write, f"See [this]({target}).\n")
    assert doc.blocks[0].inlines[1] == m.Link(target=target, children=(m.Text(text="this"),), line=5)


def test_autolinks_web_and_mail(write):
    doc = parsed(write, "Write to <a.b@example.org> or see <https://x.org/a?b=1&c=2>.\n")
    assert doc.blocks[0].inlines[1:4:2] == (
        m.Link(target="mailto:a.b@example.org", children=(m.Text(text="a.b@example.org"),), line=5),
        m.Link(target="https://x.org/a?b=1&c=2", children=(m.Text(text="https://x.org/a?b=1&c=2"),),
               line=5))


def test_deep_nesting_is_refused_before_parsing(write):
    body = "".join("    " * depth + "- level\n" for depth in range(MAX_DEPTH + 5))
    with pytest.raises(BriefingError, match="nest deeper than"):
        parsed(write, body)
    with pytest.raises(BriefingError, match=r":5: lists and quotes nest deeper"):
        parsed(write, ">" * 300 + " deep\n")


@pytest.mark.parametrize("body", [
    "R prints:\n\n```\n" + " " * 93 + "author\nrefmanager   Mathew\n```\n",
    "R prints:\n\n" + " " * 97 + "author\n    refmanager   Mathew\n",
    "- item\n\n" + " " * 100 + "deep text of the item\n",
])
def test_deep_indentation_without_nesting_is_read(write, body):
    """rOpenSci's blog shows an R data frame in a code block, a line 93
    spaces in: it was refused as 23 levels of lists. Lists nest by their
    items; code and an item's text stand in as deep as they like."""
    doc = parsed(write, body)
    code = [b for b in m.walk.blocks(doc) if isinstance(b, m.CodeBlock)]
    assert any("author" in c.text or "deep text" in c.text for c in code)


@pytest.mark.parametrize("reference", ["&#12;", "&#x1F;", "&#0;", "&#xD800;", "&#1114112;"])
def test_character_references_are_checked_after_decoding(write, reference):
    with pytest.raises(BriefingError, match=rf":7: character reference {reference} is not a character"):
        parsed(write, f"Fine.\n\nbad {reference} here\n")


def test_good_character_references_decode(write):
    doc = parsed(write, "&eacute; &#233; &#x1F6F0; &amp;\n")
    assert doc.blocks[0].inlines == (m.Text(text="é é \U0001F6F0 &"),)


@pytest.mark.parametrize("body", ["", "\n\n   \n"])
def test_front_matter_with_no_body(write, body):
    doc = parsed(write, body)
    assert doc.blocks == () and doc.sections == ()


def test_fenced_code_inside_list_items_and_notes(write):
    doc = parsed(write, "- Run:\n\n    ```sh\n    make\n      make test\n    ```\n\n"
                        '!!! note "N"\n    ```\n    x < 1\n    ```\n')
    items, note = doc.blocks
    assert items.items[0].blocks == (
        m.Paragraph(inlines=(m.Text(text="Run:"),), line=5),
        m.CodeBlock(lang="sh", text="make\n  make test", line=7))
    assert note.blocks == (m.CodeBlock(lang=None, text="x < 1", line=13),)


def test_links_to_data_stores_are_links(write):
    """California's data footprints listed 116 `[URL](s3://…)` links that
    kept only the word "URL", their addresses nowhere."""
    doc = parsed(write, "[URL](s3://dse-snowflake/footprints.parquet) and [b](gs://bucket/x) and "
                        "[repo](git://example.org/a.git)\n")
    assert [i.target for i in doc.blocks[0].inlines if isinstance(i, m.Link)] == [
        "s3://dse-snowflake/footprints.parquet", "gs://bucket/x", "git://example.org/a.git"]


def test_link_errors_point_at_the_links_own_line(write):
    with pytest.raises(BriefingError, match=r":7: link target 'javascript:x\(\)'"):
        parsed(write, "A paragraph\nthat runs on\nto [a bad link](javascript:x()).\n")


@pytest.mark.parametrize("target, code", [("http://", "link.no-host"), ("https:///path", "link.no-host"),
                                          ("mailto:", "link.no-address"), ("ms-msdt:x", "link.scheme"),
                                          ("smb://host/share", "link.scheme"),
                                          # cloud.gov's relational-database page (Jekyll), and Hugo's
                                          ("<{{ site.support_email }}>", "link.template"),
                                          ("{{< ref \"docs/x.md\" >}}", "link.template"),
                                          ("/x/{% link a.md %}", "link.template"),
                                          ("{wcagify}", "link.template")])  # dwp's accessibility manual
def test_links_a_reader_would_regret_are_warnings_and_text(write, target, code):
    problems: list = []
    doc = parsed(write, f"[x]({target})\n", problems)
    assert [(p.line, p.code, p.severity) for p in problems] == [(5, code, "warning")]
    assert doc.blocks[0].inlines == (m.Text(text="x"),)


def test_pipe_table_with_alignment_and_caption(write):
    doc = parsed(write, "Intro.\n\n| Unit | Strength |\n|:-----|---------:|\n| A *1* | 100 |\n| B | 20 |\n\n"
                        "Table: (U) Forces in *theatre* {#tbl-forces}\n\nAfter.\n")
    table = doc.blocks[1]
    assert table.line == 7 and table.aligns == ("left", "right")
    assert table.head == ((m.Paragraph(inlines=(m.Text(text="Unit"),), line=7),),
                          (m.Paragraph(inlines=(m.Text(text="Strength"),), line=7),))
    assert [[m.block_text(b) for cell in row for b in cell] for row in table.rows] == [["A 1", "100"], ["B", "20"]]
    assert table.rows[0][0][0].inlines == (m.Text(text="A "), m.Emph(children=(m.Text(text="1"),)))
    assert table.caption == (m.Text(text="(U) Forces in "), m.Emph(children=(m.Text(text="theatre"),)))
    assert table.id == "tbl-forces"
    assert doc.blocks[2] == m.Paragraph(inlines=(m.Text(text="After."),), line=14)


def test_table_without_caption_and_colon_caption(write):
    doc = parsed(write, "| a |\n|---|\n| 1 |\n\n| b |\n|---|\n| 2 |\n\n: Short form\n")
    plain, captioned = doc.blocks
    assert plain.caption == () and plain.aligns == (None,)
    assert captioned.caption == (m.Text(text="Short form"),) and captioned.id == ""


def test_footnotes_numbered_by_first_reference(write):
    doc = parsed(write, "One.[^b] Two.[^a] Again.[^b]\n\n[^a]: Note *a*.\n\n[^b]: Note b.\n\n"
                        "    Its second paragraph.\n")
    assert [i for i in doc.blocks[0].inlines if isinstance(i, m.FootnoteRef)] == [
        m.FootnoteRef(number=1, first=True, line=5), m.FootnoteRef(number=2, first=True, line=5),
        m.FootnoteRef(number=1, first=False, line=5)]
    first, second = doc.footnotes
    assert first.number == 1 and first.line == 9 and len(first.blocks) == 2
    assert first.blocks[0].inlines == (m.Text(text="Note b."),)
    assert second.number == 2 and second.line == 7
    assert second.blocks[0].inlines == (m.Text(text="Note "), m.Emph(children=(m.Text(text="a"),)),
                                        m.Text(text="."))


def test_footnote_without_definition_or_reference(write):
    """A marker with no note is shown as written, as pandoc and GitHub show
    it, with a warning (rust-lang/rfcs: refused, where it was meant as
    text); escaped, it is text without a word."""
    problems: list = []
    doc = parsed(write, "Fine.\n\nSee [^gone], \\[^kept] and [\\^too].\n", problems)
    assert [b.inlines for b in walk.blocks(doc)][1] == (m.Text(text="See [^gone], [^kept] and [^too]."),)
    assert [(p.line, p.message, p.warning) for p in problems] == [
        (7, "footnote [^gone] has no definition: shown as written ([^gone]: text defines it; "
            "\\[^gone] writes it as text)", True)]
    problems = []
    doc = parsed(write, "Fine.\n\n[^spare]: Unused.\n", problems)  # left out, as pandoc and GitHub do
    assert doc.footnotes == () and [(p.line, p.message, p.warning) for p in problems] == [
        (7, "footnote [^spare] is never referenced: left out", True)]


def test_quarto_cross_references_become_ref_nodes(write):
    doc = parsed(write, "See @sec-intro, (@tbl-a) and *@fig-map*; not a@sec-x.org or [@sec-y](#y).\n")
    inlines = doc.blocks[0].inlines
    refs = [item for item in inlines if isinstance(item, m.Ref)]
    assert [r.id for r in refs] == ["sec-intro", "tbl-a"] and refs[0].line == 5
    assert inlines[5] == m.Emph(children=(m.Ref(id="fig-map", line=5),))
    # An e-mail address is a link (as GitHub makes it), not a reference.
    mail, link = [item for item in inlines if isinstance(item, m.Link)]
    assert (mail.target, mail.children) == ("mailto:a@sec-x.org", (m.Text(text="a@sec-x.org"),))
    assert link.children == (m.Text(text="@sec-y"),)


@pytest.mark.parametrize("bibliography", [False, True])
def test_pandoc_crossref_references_in_all_their_forms(write, tmp_path, bibliography):
    """phd_thesis_markdown, ReScience and Manubot papers write pandoc-crossref's
    `@sec:intro`, `[@eq:one]`, `@Fig:map` and `[@fig:map; @tbl:t]`: with a
    bibliography each was refused as a citation in none, without one it was
    text. They point at `{#sec:intro}` and the like as Quarto's do, the
    brackets the syntax's; built, each is a live link in the HTML."""
    import lxml.html
    from conftest import FIXTURES, run_cli

    (tmp_path / "refs.bib").write_text("@article{smith2020, author={Smith, J.}, title={A study}, "
                                       "journal={J}, year={2020}}\n", encoding="utf-8")
    (tmp_path / "map.png").write_bytes((FIXTURES / "images" / "map.png").read_bytes())
    front = "---\ntitle: T\nclassification: UNCLASSIFIED\n" + ("bibliography: refs.bib\n" if bibliography else "")
    path = write("# Introduction {#sec:intro}\n\nAs @sec:intro shows, see [@eq:one], @Fig:map and "
                 "[@fig:map; @tbl:t].\n\n$$ a = b $$ {#eq:one}\n\n![A map](map.png){#fig:map}\n\n"
                 "| A | B |\n|---|---|\n| 1 | 2 |\n\n: Numbers {#tbl:t}\n", front=front + "---\n")
    [paragraph] = [b for b in parsed(write, path.read_text().split("---\n", 2)[2]).sections[0].blocks[:1]]
    refs = [item.id for item in paragraph.inlines if isinstance(item, m.Ref)]
    assert refs == ["sec:intro", "eq:one", "fig:map", "fig:map", "tbl:t"]
    assert "[" not in m.plain_text(paragraph.inlines)
    result = run_cli("build", path, "--out", tmp_path / "out", "--to", "html")
    assert result.returncode == 0, result.stderr
    page = lxml.html.parse(str(tmp_path / "out" / "brief.html"))
    assert [a.text_content() for a in page.xpath("//a[@class='xref']")] == \
        ["Introduction", "Equation 1", "Figure 1", "Figure 1", "Table 1"]


def test_quartos_own_prefix_or_none_for_a_reference(write, tmp_path):
    """Quarto's `[-@fig-x]` says the number alone and `[Fig. @fig-x]` its own
    word before it: they read "[-Figure 1]" and "[Fig. Figure 1]". In the
    HTML and in Word (as words there: Word's REF field would bring the
    caption's label back on update)."""
    import pypandoc
    from conftest import FIXTURES, run_cli

    (tmp_path / "map.png").write_bytes((FIXTURES / "images" / "map.png").read_bytes())
    path = write("![A map](map.png){#fig-map}\n\nSee [-@fig-map], [Fig. @fig-map], [-@fig-map] and @fig-map.\n")
    [_, paragraph] = parsed(write, path.read_text().split("---\n", 2)[2]).blocks
    refs = [(item.id, item.prefix) for item in paragraph.inlines if isinstance(item, m.Ref)]
    assert refs == [("fig-map", ""), ("fig-map", "Fig."), ("fig-map", ""), ("fig-map", None)]
    result = run_cli("build", path, "--out", tmp_path / "out", "--to", "html,docx")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "brief.html").read_text(encoding="utf-8")
    assert re.search(r'See <a class="xref" href="#fig-map">1</a>, <a class="xref" href="#fig-map">Fig\. 1</a>', html)
    word = " ".join(pypandoc.convert_file(str(tmp_path / "out" / "brief.docx"), "plain", format="docx").split())
    assert "See 1, Fig. 1, 1 and Figure 1." in word


def test_a_line_of_triple_backtick_code_is_code_in_a_line_not_a_fence(write):
    """NCSC's mail-check README writes ```` ```env.BUCKET = readFile(…)``` ````
    on a line: it opened a code block that took the next heading, its text
    and 35 list items. A backtick fence's line holds no other backtick
    (CommonMark): as pandoc's gfm reader reads it, code in a line."""
    import pypandoc

    body = ("Modify this line:\n\n```env.BUCKET = readFile(env.FILE).trim()```\n\n## Next section\n\n"
            "Text.\n\n```\na real code block\n```\n")
    doc = parsed(write, body)
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Paragraph"]
    assert doc.blocks[1].inlines == (m.Code(text="env.BUCKET = readFile(env.FILE).trim()"),)
    [section] = doc.sections
    assert [type(b).__name__ for b in section.blocks] == ["Paragraph", "CodeBlock"]
    theirs = json.loads(pypandoc.convert_text(body, "json", format="gfm"))["blocks"]
    assert [b["t"] for b in theirs] == ["Para", "Para", "Header", "Para", "CodeBlock"]


def test_image_alone_is_a_checked_figure(tmp_path):
    source_dir = tmp_path / "brief"
    (source_dir / "images").mkdir(parents=True)
    (source_dir / "images" / "map.png").write_bytes((FIXTURES / "images" / "map.png").read_bytes())
    path = source_dir / "brief.md"
    path.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\nIntro.\n\n"
                    "![The *area*](images/map.png){#fig-area}\n")
    source = read_source(path)
    meta, body_line = read_meta(source)
    figure = parse(source, meta, body_line).blocks[1]
    assert figure == m.Figure(path=str((source_dir / "images" / "map.png").resolve()), mime="image/png",
                              width=640, height=360, alt="The area",
                              caption=(m.Text(text="The "), m.Emph(children=(m.Text(text="area"),))),
                              id="fig-area", line=7,
                              data=(FIXTURES / "images" / "map.png").read_bytes())


def test_image_problems_are_errors_at_their_line(write):
    with pytest.raises(BriefingError, match=r":7: image 'x.png' does not exist"):
        parsed(write, "Intro.\n\nText ![x](x.png) inline.\n")
    with pytest.raises(BriefingError, match=r":5: image 'data:image/png;base64,AAAA.*' is not a local file"):
        parsed(write, "![x](data:image/png;base64,AAAA)\n")


def test_remote_images_show_their_alt_text_with_one_warning(write):
    problems: list = []
    doc = parsed(write, "Intro ![build status](https://img.shields.io/b.svg).\n\n"
                        "![The area](http://example.org/x.png)\n\n[![](https://x.org/c.png)](https://x.org)\n",
                 problems)
    assert doc.blocks[0].inlines == (m.Text(text="Intro build status."),)
    assert doc.blocks[1] == m.Paragraph(inlines=(m.Text(text="The area"),), line=7)
    assert [(p.line, p.code, p.severity) for p in problems] == [(5, "image.remote", "warning")]
    assert problems[0].message.startswith("3 remote images not fetched")


def test_an_image_in_a_paragraph_or_a_link_is_an_inline_image(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "map.png").write_bytes((FIXTURES / "images" / "map.png").read_bytes())
    path = tmp_path / "brief.md"
    path.write_text("---\ntitle: T\nclassification: UNCLASSIFIED\n---\n"
                    "See ![the map](images/map.png \"Map\") and [![badge](images/map.png)](https://x.org).\n")
    source = read_source(path)
    meta, body_line = read_meta(source)
    inlines = parse(source, meta, body_line).blocks[0].inlines
    image = m.Image(path=str((tmp_path / "images" / "map.png").resolve()), mime="image/png",
                    width=640, height=360, alt="the map", title="Map", line=5,
                    data=(FIXTURES / "images" / "map.png").read_bytes())
    assert inlines[:2] == (m.Text(text="See "), image)
    assert inlines[3] == m.Link(target="https://x.org", line=5, children=(
        dataclasses.replace(image, alt="badge", title=None),))


def test_definition_lists(write):
    doc = parsed(write, "GIUK gap\n:   The sea passage between *Greenland*, Iceland and the UK.\n\n"
                        "SLOC\n:   Sea line of communication.\n:   Also a supply route.\n")
    (deflist,) = doc.blocks
    assert [m.plain_text(item.term) for item in deflist.items] == ["GIUK gap", "SLOC"]
    assert len(deflist.items[1].definitions) == 2
    assert deflist.items[0].definitions[0][0].inlines[1] == m.Emph(children=(m.Text(text="Greenland"),))


def test_a_tilde_opens_a_definition_as_in_pandoc(write):
    import json

    import pypandoc

    text = ("Term\n~ Definition.\n\nOther\n  ~ First.\n  ~ Second.\n\n"
            "`ibooks`\n  ~ Metadata:\n\n    - `version`\n    - `binding`\n")
    (theirs,) = [b for b in json.loads(pypandoc.convert_text(text, "json", format="markdown"))["blocks"]
                 if b["t"] == "DefinitionList"]
    (deflist,) = parsed(write, text).blocks
    assert [m.plain_text(item.term) for item in deflist.items] == ["Term", "Other", "ibooks"]
    assert [len(item.definitions) for item in deflist.items] == [len(item[1]) for item in theirs["c"]] == [1, 2, 1]
    assert isinstance(deflist.items[2].definitions[0][-1], m.ListBlock)


def test_abbreviations_inline_and_listed(write):
    doc = parsed(write, "The GIUK gap and the GIUK line.\n\n*[GIUK]: Greenland-Iceland-United Kingdom\n"
                        "*[SLOC]: Sea line of communication\n")
    assert doc.blocks[0].inlines[1] == m.Abbr(text="GIUK", title="Greenland-Iceland-United Kingdom")
    assert doc.abbreviations == (("GIUK", "Greenland-Iceland-United Kingdom"),
                                 ("SLOC", "Sea line of communication"))


def test_abbreviation_definitions_keep_their_lines(write):
    """The line of each `*[X]:`, its title on it or on the next line, in a
    quote too; a later definition replaces an earlier one, `""` removes it."""
    doc = parsed(write, "GIUK, SLOC, TLA and RAF.\n\n*[GIUK]: Greenland-Iceland-United Kingdom\n"
                        "*[SLOC]:\n    Sea line (of communication)\n\n> *[TLA]: Three letters\n\n"
                        "*[RAF]: Royal Air Force\n\n*[GIUK]: The gap\n\n*[RAF]: \"\"\n")
    assert doc.abbreviation_lines == (("GIUK", 15), ("SLOC", 8), ("TLA", 11))
    assert dict(doc.abbreviations) == {"GIUK": "The gap", "SLOC": "Sea line (of communication)",
                                       "TLA": "Three letters"}


def test_quote_attribution(write):
    doc = parsed(write, "> We shall defend our island.\n>\n> — W. S. Churchill, *1940*\n\nThen:\n\n> -- Anon\n")
    quote, _, lone = doc.blocks
    assert quote.blocks == (m.Paragraph(inlines=(m.Text(text="We shall defend our island."),), line=5),)
    assert quote.attribution == (m.Text(text="W. S. Churchill, "), m.Emph(children=(m.Text(text="1940"),)))
    assert lone.attribution == () and len(lone.blocks) == 1  # a quote of only a dash line stays text


def test_a_blank_line_ends_a_quote(write):
    """Two quotes one after the other are two, each with its attribution,
    as pandoc reads them (Python-Markdown would make them one, the first
    attribution a paragraph of it); a `>` line between paragraphs does not
    end a quote, nor in a nested one."""
    import json
    import pypandoc
    from readers import pandoc_blocks
    body = ("> We shall defend our island.\n>\n> — W. S. Churchill\n\n> Never give in.\n>\n> — Again\n\n"
            "> One\n>\n> two\n>\n> > inner\n> >\n> > inner too\n")
    doc = parsed(write, body)
    first, second, third = doc.blocks
    assert [m.plain_text(q.attribution) for q in (first, second)] == ["W. S. Churchill", "Again"]
    assert [len(q.blocks) for q in (first, second)] == [1, 1] and second.line == 9
    assert [type(b).__name__ for b in third.blocks] == ["Paragraph", "Paragraph", "Quote"]
    assert len(third.blocks[2].blocks) == 2
    ast = json.loads(pypandoc.convert_text(body, "json", format="markdown"))
    assert len([q for q in ast["blocks"] if q["t"] == "BlockQuote"]) == 3
    assert len(pandoc_blocks(ast, "BlockQuote")) == 4


def test_review_regressions_in_parsing(write):
    # A footnote holding a list is one note; fenced code in a quote stays a block;
    # a definition list in a list item; soft breaks lose the next line's indent.
    doc = parsed(write, "Claim.[^a]\n\n[^a]: Sources:\n\n    - one\n    - two\n\n"
                        "> ```\n> x = 1\n> ```\n\n- item\n\n    Term\n    :   Def\n\n"
                        "A long line\n    that continues `a\n  b`.\n")
    assert len(doc.footnotes) == 1 and isinstance(doc.footnotes[0].blocks[1], m.ListBlock)
    quote = doc.blocks[1]
    assert quote.blocks == (m.CodeBlock(lang=None, text="x = 1", line=12),)
    assert isinstance(doc.blocks[2].items[0].blocks[1], m.DefinitionList)
    assert doc.blocks[3].inlines == (m.Text(text="A long line that continues "), m.Code(text="a b"),
                                     m.Text(text="."))


def test_notes_may_not_nest_or_hold_figures(write):
    with pytest.raises(BriefingError, match=r":7: a footnote cannot refer to another footnote"):
        parsed(write, "A.[^a]\n\n[^a]: See [^b].\n\n[^b]: B.\n")


def test_a_block_after_a_table_or_code_is_found_below_it(write):
    doc = parsed(write, "| a |\n|---|\n| x |\n| x |\n\nx\n\n```\nx\n```\n\nx\n")
    table, after_table, code, after_code = doc.blocks
    assert (after_table.line, code.line, after_code.line) == (10, 12, 16)


def test_runs_of_brackets_are_refused_before_they_get_slow(write):
    with pytest.raises(BriefingError, match=r":7: more than 1000 '\[' in one paragraph"):
        parsed(write, "Fine.\n\n" + "[^" * 1500 + "\n")
    assert parsed(write, "\\[" * 1500 + "\n").blocks[0].inlines == (m.Text(text="[" * 1500),)


@pytest.mark.parametrize("fence, label", [
    ("```{r}\n#| label: tbl-x\n#| echo: false\nkable(x)\n```", "tbl-x"),
    ("```{python}\n#| label: 'fig-y'\nplot()\n```", "fig-y"),
    ("```{r fig-z, echo=FALSE}\nplot(x)\n```", "fig-z"),
    ("```{r, label=\"tbl-w\"}\nx\n```", "tbl-w"),
    ("```{r warning=FALSE, echo=FALSE}\nx\n```", ""),
    ("```r\n#| label: not-a-cell\n```", ""),
])
def test_code_cells_are_code_with_their_label(write, fence, label):
    (code,) = parsed(write, fence + "\n").blocks
    assert isinstance(code, m.CodeBlock) and code.label == label and code.lang in ("r", "python")


def test_one_remote_image_is_named_in_its_warning(write):
    problems: list = []
    parsed(write, "A ![seal](https://www.example.gov/seal.png) here.\n", problems)
    assert [p.message for p in problems] == [
        "remote image 'https://www.example.gov/seal.png' not fetched (briefing never fetches anything), "
        "shown as its alt text"]


def test_a_colon_line_after_a_code_block_is_a_paragraph_as_pandoc_reads_it(write):
    """The thesis template phd_thesis_markdown puts pandoc-crossref's listing
    caption after its code (`: Code caption {#lst:code}`): the code block was
    read as a definition's term and the build refused ("a fenced code block
    must be separated from the text before it"). As pandoc reads it without
    the filter: the code, then a paragraph; and a term over a definition
    stays one."""
    import pypandoc

    body = "Some text.\n\n```python\nmood = 'happy'\n```\n\n: Code caption\n\nTerm\n\n: Its definition\n"
    doc = parsed(write, body)
    ours = [type(b).__name__ for b in doc.blocks]
    theirs = [b["t"] for b in json.loads(pypandoc.convert_text(body, "json", format="markdown"))["blocks"]]
    assert ours == ["Paragraph", "CodeBlock", "Paragraph", "DefinitionList"]
    assert theirs == ["Para", "CodeBlock", "Para", "DefinitionList"]
    assert m.plain_text(doc.blocks[2].inlines) == ": Code caption"
