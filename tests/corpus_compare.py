"""Read each document of tests/corpus/ with our pipeline and with pandoc, and
compare what a reader of the two HTML pages sees.

pandoc is the reference reader (issue 15): for one document, the number of
list items, tables and table cells, the headings (their text, in order) and
the number of words of visible text must match pandoc's within a small
tolerance, and our visible text (code left aside), in the HTML and in the
DOCX, must show no raw Markdown syntax that pandoc's does not (`<!--`, `:::`, `[!NOTE]`, `+---`, `[ ]`, `$$`, `===`,
`^[`, `~~` and a few more, below).

Each document is read by the pandoc reader its authors wrote for (`gfm` for
GitHub and Jekyll/11ty pages, `markdown` for pandoc, Quarto and R Markdown),
after an adapter where pandoc itself is not the whole toolchain: Quarto and
knitr turn ```` ```{r} ```` cells into code blocks and drop shortcodes before
pandoc sees the text; kramdown's `{: attribute lists}` are never shown;
MkDocs' admonitions are blocks with a title. SOURCES below says which reader
and adapter each document gets (tests/corpus/SOURCES.md says where it came
from).

Being fair to both sides: our title block, banners, table of contents,
captions' numbers ("Table 1:") and generated Abbreviations section are not
compared (pandoc, given no `-s`,
has none of them); footnote lists are not counted as list items on either
side, but their words are; an image counts as its alternative text on both
sides (what a screen reader says, and what we show for a remote image);
mathematics is left out of the words on both sides; a heading that opens
a Quarto callout is its title, as Quarto shows it, not a heading.

Run it as a script to see the table for the whole corpus or some files:

    PYTHONPATH=. .venv/bin/python tests/corpus_compare.py [--body] [tests/corpus/x.md ...]

(`--body` gives each document a front matter of its title and classification
alone, to show how its body reads when its own front matter is refused.)
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import lxml.html

CORPUS = Path(__file__).resolve().parent / "corpus"

WORD_TOLERANCE = 0.03  # "within a few percent" of pandoc's word count
WORD_SLACK = 8  # ... or this many words, for short documents: a note's title, a label


@dataclass(frozen=True)
class Source:
    name: str
    reader: str  # pandoc's reader, with extensions
    adapt: tuple[str, ...] = ()  # adapters applied to the text pandoc reads (ADAPTERS)


SOURCES: dict[str, Source] = {s.name: s for s in (
    Source("cisa-scuba-teams-baseline.md", "gfm"),
    Source("cisa-scuba-removed-policies.md", "gfm"),
    Source("cisa-scubagear-readme.md", "gfm"),
    Source("cisa-scubagear-update.md", "gfm"),
    Source("cisa-scubagear-noninteractive.md", "gfm"),
    Source("cms-ospo-review-checklist.md", "gfm"),
    Source("usds-playbook-play-01.md", "gfm"),
    Source("18f-resume-review.md", "gfm"),
    Source("18f-share-power.md", "gfm+attributes", ("kramdown",)),
    Source("armymarkdown-readme.md", "gfm"),
    Source("usgs-dataretrieval-readme.md", "markdown+emoji+autolink_bare_uris", ("knitr",)),
    Source("usgs-dataretrieval-slides.md", "markdown", ("knitr",)),
    Source("noaa-tech-memo-chapter.md", "markdown", ("knitr",)),
    Source("noaa-titlepages-article.md", "markdown", ("knitr",)),
    Source("army-memo.md", "markdown"),
    Source("pandoc-lists.md", "markdown"),
    Source("pandoc-tables.md", "markdown"),
    Source("pandoc-inlines.md", "markdown"),
    Source("pandoc-title-block.md", "markdown"),
    Source("quarto-callouts.md", "markdown", ("knitr",)),
    Source("mkdocs-admonitions.md", "markdown", ("mkdocs",)),
    Source("jekyll-kramdown.md", "gfm+attributes", ("kramdown",)),
    Source("github-raw-html.md", "gfm"),
    # Headings with quotation marks: GitHub shows them straight, we curl them, as pandoc's `smart` does.
    Source("18f-travel-guide-faq.md", "gfm+smart", ("kramdown",)),
    Source("uswds-migration-v3.md", "gfm+smart", ("kramdown",)),
    Source("nist-oscal-build-readme.md", "gfm"),
)}


# --- what pandoc reads -------------------------------------------------------

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def body_of(text: str) -> str:
    """The text after a YAML front matter (pandoc gets no front matter: its
    title is shown by neither side)."""
    match = FRONT_MATTER.match(text)
    return text[match.end():] if match else text


CHUNK = re.compile(r"^(\s*)(```+)\s*\{([A-Za-z]\w*)[^}\n]*\}\s*$", re.M)
SHORTCODE = re.compile(r"^\{\{<.*>\}\}[ \t]*$", re.M)


def knitr(text: str) -> str:
    """What Quarto and knitr hand pandoc: a ```` ```{r label, echo=FALSE} ````
    cell becomes a code block in that language, and a shortcode on its own
    line (`{{< pagebreak >}}`) is replaced (here: by nothing)."""
    return SHORTCODE.sub("", CHUNK.sub(r"\1\2 {.\3}", text))


IAL_LINE = re.compile(r"^[ \t]*\{:[^}\n]*\}[ \t]*\n", re.M)
IAL_INLINE = re.compile(r"\{:[^}\n]*\}")
KRAMDOWN_COMMENT = re.compile(r"^\{::comment\}.*?\{:/comment\}[ \t]*\n", re.M | re.S)


def kramdown(text: str) -> str:
    """kramdown never shows an attribute list (`{: .class}`, `{:#id}`) or a
    `{::comment}` block."""
    return IAL_INLINE.sub("", IAL_LINE.sub("", KRAMDOWN_COMMENT.sub("", text)))


MKDOCS_BLOCK = re.compile(r'^(!!!|\?\?\?\+?|===)[ \t]+(?:(\w[\w-]*)[ \t]*)?(?:"([^"\n]*)")?[ \t]*\n')


def mkdocs(text: str) -> str:
    """Python-Markdown's admonitions (`!!! note "Title"`, pymdownx's
    collapsible `???` and tabs `===`) as pandoc divs: the title, or the kind
    capitalised when there is none (as MkDocs shows it; `""` shows none),
    then the indented body."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = MKDOCS_BLOCK.match(lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        marker, kind, title = match.groups()
        if title is None:
            title = "" if marker == "===" else (kind or "").capitalize()
        body: list[str] = []
        i += 1
        while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
            body.append(lines[i][4:] if lines[i].startswith("    ") else lines[i])
            i += 1
        inner = mkdocs("".join(body))
        fence = ":" * (3 + inner.count(":::"))  # longer than any fence inside
        out.append(f"{fence} {{.admonition .{kind or 'tab'}}}\n")
        if title:
            out.append(f"{title}\n\n")
        out.append(inner.rstrip("\n") + "\n")
        out.append(f"{fence}\n\n")
    return "".join(out)


ADAPTERS = {"knitr": knitr, "kramdown": kramdown, "mkdocs": mkdocs}


def pandoc_html(source: Source, text: str) -> str:
    import pypandoc

    body = body_of(text)
    for name in source.adapt:
        body = ADAPTERS[name](body)
    # A document with a bibliography: pandoc's citeproc, in briefing's default style.
    cited = []
    if found := re.search(r"^bibliography:[ \t]*(\S+)[ \t]*$", FRONT_MATTER.match(text)[1] or "", re.M) \
            if FRONT_MATTER.match(text) else None:
        from pipeline.read.bibliography import DEFAULT_STYLE, styles_folder
        cited = ["--citeproc", f"--bibliography={CORPUS / found[1]}",
                 f"--csl={styles_folder() / (DEFAULT_STYLE + '.csl')}"]
    return pypandoc.convert_text(body, "html", format=source.reader,
                                 extra_args=["--mathml", "--wrap=none", *cited])


# --- what we make ------------------------------------------------------------

def shorten(message: str, limit: int = 140) -> str:
    return message if len(message) <= limit else message[:limit - 1] + "…"


def with_minimal_front(text: str, fallback_title: str) -> str:
    """`text` with a front matter of `title` and `classification` only: the
    title from its own front matter, else from a pandoc `%` title block,
    else `fallback_title`."""
    import yaml

    match = FRONT_MATTER.match(text)
    meta = (yaml.safe_load(match.group(1) or "") if match else None) or {}
    body = body_of(text)
    title = meta.get("title") if isinstance(meta, dict) else None
    if not title and body.startswith("% "):
        title = body.splitlines()[0][2:].strip()
    title = str(title or fallback_title).replace('"', "'")
    return f'---\ntitle: "{title}"\nclassification: UNCLASSIFIED\n---\n{body}'


@dataclass(frozen=True)
class Ours:
    html: str | None  # None: refused
    docx: bytes | None = None
    errors: tuple[str, ...] = ()  # "line: code: message", when refused


def our_html(path: Path, minimal_front: bool = False) -> Ours:
    """Our HTML for `path`, built in this process as `briefing build` builds
    it, or the errors it was refused with. `minimal_front`: with the
    document's own front matter replaced by its title and classification
    alone, to see how its body reads past a refused front matter."""
    from pipeline.problems import BriefingError, Reporter
    from pipeline.run.build import Options, context, load, render

    if minimal_front:
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / path.name
            copy.write_text(with_minimal_front(path.read_text(encoding="utf-8"), path.stem), encoding="utf-8")
            if (path.parent / "images").is_dir():
                shutil.copytree(path.parent / "images", Path(folder) / "images")
            return our_html(copy)
    reporter = Reporter(str(path))
    try:
        doc = load(path, reporter)
        ctx = context(doc, Options(formats=("html", "docx")))
        html = render(doc, "html", ctx, reporter).data
        docx = render(doc, "docx", ctx, reporter).data
    except BriefingError as error:
        problems = error.problems
        return Ours(None, errors=tuple(f"{p.line}: {p.code}: {shorten(p.message)}" for p in problems))
    except Exception as error:  # a crash is a refusal too, and the most telling one
        return Ours(None, errors=(f"crash: {type(error).__name__}: {shorten(str(error))}",))
    return Ours(html.decode("utf-8"), docx)


# --- what a reader sees ------------------------------------------------------

# Raw syntax that should never reach a reader as text (outside code); each
# counts only where our page shows it more often than pandoc's does.
RAW_SYNTAX: dict[str, re.Pattern[str]] = {
    "<!--": re.compile(re.escape("<!--")),
    ":::": re.compile(":::"),
    "[!NOTE]": re.compile(r"\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]", re.I),
    "+---": re.compile(r"\+[-=]{3,}"),
    "[ ]": re.compile(r"\[[ xX]\]"),
    "$$": re.compile(r"\$\$"),
    "^[": re.compile(r"\^\["),
    "~~": re.compile("~~"),
    "```": re.compile("```"),
    "{: }": re.compile(r"\{:"),
    "{.class}": re.compile(r"\{[.#=][\w-]"),
    "!!!": re.compile(r"(?<!\S)(?:!!!|\?\?\?\+?)(?!\S)"),
    "===": re.compile(r"(?<!\S)===[+!]{0,2}(?!\S)"),
    "#.": re.compile(r"(?<!\S)#\.(?!\S)"),
    "(@)": re.compile(r"\(@\w*\)"),
    "% title": re.compile(r"(?<!\S)%[ \t]+\S"),
    ":emoji:": re.compile(r"(?<![\w:/]):[a-z][a-z0-9_+-]*[a-z0-9]:(?![\w:/])"),
    "<tag>": re.compile(r"</?(?:a|br|sup|sub|img|details|summary|div|p|span|ol|li|hr)\b[^>]*>", re.I),
}

BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "div", "section", "dt", "dd",
          "br", "tr", "pre", "blockquote", "figcaption", "figure", "summary", "details", "aside",
          "ul", "ol", "dl", "table", "caption", "hr", "header", "footer", "nav", "main"}
CODE = {"pre", "code", "kbd", "samp"}
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
WORD = re.compile(r"\w")


@dataclass(frozen=True)
class Seen:
    """What a reader sees in one page's body."""
    list_items: int
    tables: int
    cells: int
    headings: tuple[str, ...]
    words: int
    raw: Counter[str] = field(default_factory=Counter)
    paragraph_items: int = 0  # list items holding paragraphs: a loose list's (pandoc's Para)


def classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def body_root(html: str, ours: bool):
    """The part of a page that both readers produce: for ours, <main>
    without the generated Abbreviations section and table of contents."""
    if ours:
        root = lxml.html.document_fromstring(html).find(".//main")
        assert root is not None, "our HTML has no <main>"
        for el in list(root.iter("section", "nav")):
            if el.tag == "nav" or "abbreviations" in classes(el):
                el.drop_tree()
        for el in list(root.iter("span")):
            if "caption-label" in classes(el):
                el.drop_tree()  # "Table 1:", which we number and pandoc does not
        return root
    return lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div")


def seen(html: str, ours: bool) -> Seen:
    root = body_root(html, ours)
    if not ours:
        for div in root.iter("div", "section"):  # pandoc makes a div that opens with a heading a section
            first = next(iter(div), None)
            if any(c.startswith("callout-") for c in classes(div)) and first is not None \
                    and first.tag in HEADINGS:
                first.tag = "p"  # Quarto makes a callout's opening heading its title
    for el in list(root.iter("math", "script", "style", "template")):
        el.drop_tree()  # mathematics (MathML on pandoc's side) is not counted as words
    for el in list(root.iter()):
        if isinstance(el.tag, str) and "math" in classes(el):
            el.drop_tree()
    for img in list(root.iter("img")):  # an image reads as its alternative text
        img.tail = f" {img.get('alt') or ''} {img.tail or ''}"
    for el in root.iter():  # block boundaries separate words
        if isinstance(el.tag, str) and el.tag in BLOCKS:
            el.text = " " + (el.text or "")
            el.tail = " " + (el.tail or "")

    def in_notes(el) -> bool:
        return any(a.tag == "section" and "footnotes" in classes(a) for a in el.iterancestors())

    items = [li for li in root.iter("li") if not in_notes(li)]
    headings = tuple(" ".join(h.text_content().split()) for h in root.iter(*HEADINGS) if not in_notes(h))
    text = root.text_content()
    words = sum(1 for token in text.split() if WORD.search(token))
    for el in list(root.iter(*CODE)):
        el.drop_tree()
    prose = root.text_content()
    raw = Counter({name: n for name, pattern in RAW_SYNTAX.items() if (n := len(pattern.findall(prose)))})
    return Seen(list_items=len(items), paragraph_items=sum(any(c.tag == "p" for c in li) for li in items),
                tables=len(list(root.iter("table"))),
                cells=len(list(root.iter("td", "th"))), headings=headings, words=words, raw=raw)


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_raw(data: bytes) -> Counter[str]:
    """Raw syntax in the DOCX's body and notes, as Word shows them, code
    (paragraphs in `Source Code`, runs in `Verbatim Char`) left aside. (The
    PDF needs no check of its own: it is typeset from the HTML backend's
    markup.)"""
    import io
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
        code_styles = {s.get(f"{W}styleId") for s in styles.iter(f"{W}style")
                       if (name := s.find(f"{W}name")) is not None
                       and name.get(f"{W}val") in ("Source Code", "Verbatim Char")}
        parts = [n for n in ("word/document.xml", "word/footnotes.xml") if n in package.namelist()]
        texts = []
        for part in parts:
            for para in etree.fromstring(package.read(part)).iter(f"{W}p"):
                style = para.find(f"{W}pPr/{W}pStyle")
                if style is not None and style.get(f"{W}val") in code_styles:
                    continue
                runs = []
                for run in para.iter(f"{W}r"):
                    rstyle = run.find(f"{W}rPr/{W}rStyle")
                    if rstyle is None or rstyle.get(f"{W}val") not in code_styles:
                        runs.append("".join(t.text or "" for t in run.iter(f"{W}t")))
                texts.append("".join(runs))
    prose = "\n".join(texts)
    return Counter({name: n for name, pattern in RAW_SYNTAX.items() if (n := len(pattern.findall(prose)))})


# --- the comparison ----------------------------------------------------------

@dataclass(frozen=True)
class Comparison:
    source: Source
    reference: Seen  # pandoc's
    ours: Seen | None  # None: refused
    errors: tuple[str, ...]  # why it was refused
    failures: tuple[str, ...]  # every way ours differs, one line each

    @property
    def ok(self) -> bool:
        return not self.failures


def differences(ours: Seen, ref: Seen, docx: Counter[str] | None = None) -> list[str]:
    found = []
    for what in ("list_items", "paragraph_items", "tables", "cells"):
        a, b = getattr(ours, what), getattr(ref, what)
        if a != b:
            found.append(f"{what.replace('_', ' ')}: {a}, pandoc {b}")
    if ours.headings != ref.headings:
        at = next((i for i, (a, b) in enumerate(zip(ours.headings, ref.headings)) if a != b),
                  min(len(ours.headings), len(ref.headings)))
        mine = ours.headings[at] if at < len(ours.headings) else "(none)"
        theirs = ref.headings[at] if at < len(ref.headings) else "(none)"
        found.append(f"headings: {len(ours.headings)}, pandoc {len(ref.headings)}; "
                     f"#{at + 1} is {mine!r}, pandoc {theirs!r}")
    if abs(ours.words - ref.words) > max(WORD_TOLERANCE * ref.words, WORD_SLACK):
        found.append(f"words: {ours.words}, pandoc {ref.words} "
                     f"({(ours.words - ref.words) / max(ref.words, 1):+.0%})")
    raw = {name: n - ref.raw[name] for name, n in ours.raw.items() if n > ref.raw[name]}
    if raw:
        found.append("raw syntax shown: " + ", ".join(f"{name} ×{n}" for name, n in sorted(raw.items())))
    raw = {name: n - ref.raw[name] for name, n in (docx or Counter()).items() if n > ref.raw[name]}
    if raw:
        found.append("raw syntax in the DOCX: " + ", ".join(f"{name} ×{n}" for name, n in sorted(raw.items())))
    return found


def compare(name: str, minimal_front: bool = False) -> Comparison:
    """The corpus document `name` (a key of SOURCES), ours against pandoc's."""
    return compare_file(CORPUS / name, SOURCES[name], minimal_front)


def compare_file(path: Path, source: Source, minimal_front: bool = False) -> Comparison:
    text = path.read_text(encoding="utf-8")
    reference = seen(pandoc_html(source, text), ours=False)
    built = our_html(path, minimal_front)
    if built.html is None:
        return Comparison(source, reference, None, built.errors,
                          (f"refused: {len(built.errors)} error(s): " + "; ".join(built.errors[:3])
                           + (" …" if len(built.errors) > 3 else ""),))
    ours = seen(built.html, ours=True)
    title = lxml.html.document_fromstring(built.html).xpath("string(//header//h1[@class='title'])")
    if [h.casefold() for h in reference.headings[:1]] == [" ".join(title.split()).casefold()] \
            and ours.headings[:1] != reference.headings[:1]:
        # A first heading that says the front matter's title again is our
        # title block's (read/markdown.py without_repeated_title).
        reference = replace(reference, headings=reference.headings[1:])
    docx = docx_raw(built.docx) if built.docx else None
    return Comparison(source, reference, ours, (), tuple(differences(ours, reference, docx)))


def table(comparisons: list[Comparison]) -> str:
    rows = [("document", "reader", "items", "tables", "cells", "heads", "words", "result")]
    for c in comparisons:
        o, r = c.ours, c.reference

        def pair(a, b) -> str:
            return f"{a}/{b}" if o else f"-/{b}"
        rows.append((c.source.name, "+".join((c.source.reader, *c.source.adapt)),
                     pair(o and o.list_items, r.list_items), pair(o and o.tables, r.tables),
                     pair(o and o.cells, r.cells), pair(o and len(o.headings), len(r.headings)),
                     pair(o and o.words, r.words), "ok" if c.ok else "FAIL"))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    details = [f"\n{c.source.name}:\n" + "\n".join(f"  {f}" for f in c.failures)
               + ("\n" + "\n".join(f"    {e}" for e in c.errors[3:]) if len(c.errors) > 3 else "")
               for c in comparisons if c.failures]
    return "\n".join(lines) + "\n(ours/pandoc)\n" + "".join(details)


def main(argv: list[str]) -> int:
    """`--body`: each document with a minimal front matter (see `our_html`)."""
    minimal_front = "--body" in argv
    names = [Path(a).name for a in argv if a != "--body"] or list(SOURCES)
    unknown = [n for n in names if n not in SOURCES]
    if unknown:
        print(f"not in the corpus: {', '.join(unknown)}", file=sys.stderr)
        return 2
    comparisons = [compare(n, minimal_front) for n in names]
    print(table(comparisons))
    return 0 if all(c.ok for c in comparisons) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
