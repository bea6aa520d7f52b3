"""Other people's Word files imported, built, and compared with pandoc's
reading of the same file. A helper of tests/test_docx_import_foreign.py,
and a script for a whole folder (not part of the suite):

    PYTHONPATH=$PWD .venv/bin/python tests/docx_foreign.py DIR [NAME…] [-v] [--to html,docx]

Each DIR/*.docx is imported (`briefing import`, tracked changes accepted)
into OUT/NAME.md, given a title and a classification (a Word file names
neither), then checked and built as any source. Our HTML (read with lxml)
is then compared with pandoc's reading of the DOCX: the headings in order,
the list items, the table cells, the footnotes, the words, and every link
inside the page leading to an id the page has. One line per file: `ok`,
`warn` (built, with warnings), `differs` (built, but not what pandoc
reads), `fail` (the problems' codes), `refused`, and a count at the end.
It was written for pandoc's own DOCX reader test files (test/docx/ in
jgm/pandoc, 97 files).
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from pipeline.problems import BriefingError, Problem  # noqa: E402
from pipeline.run import importer  # noqa: E402
from pipeline.run.build import Options, make  # noqa: E402


@dataclass
class Reading:
    """What a reader sees of a document, in a form both readers give."""
    headings: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # each list item's own text (not its sub-lists')
    cells: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)  # links leaving the document
    words: collections.Counter[str] = field(default_factory=collections.Counter)
    broken: list[str] = field(default_factory=list)  # links inside that lead nowhere
    marked: collections.Counter[str] = field(default_factory=collections.Counter)  # "strong: text" …
    quotes: list[str] = field(default_factory=list)  # block quotes' text
    code: list[str] = field(default_factory=list)  # code blocks' text
    pictures: int = 0


def mark_words(marked: collections.Counter[str], mark: str, text: str) -> None:
    """The words set in a mark (`strong: word`): how a run is split in marks
    (two runs or one) does not count, which words are bold does."""
    for word in words(text):
        marked[f"{mark}: {word}"] += 1


def squash(text: str) -> str:
    """Text as compared: spaces as one, a ticked box as one character."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u00ad", "").replace("☑", "☒").replace("...", "…")
    return " ".join(text.split())


WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> collections.Counter[str]:
    return collections.Counter(word.lower() for word in WORD.findall(text))


# pandoc's JSON ------------------------------------------------------------

MARKS = {"Emph": "emph", "Strong": "strong", "Code": "code", "Strikeout": "strike", "Superscript": "sup",
         "Subscript": "sub"}


def pandoc_inlines(inlines: list, notes: list[str] | None = None, urls: list[str] | None = None,
                   marked: collections.Counter[str] | None = None) -> str:
    parts: list[str] = []
    for node in inlines:
        kind, content = node.get("t"), node.get("c")
        match kind:
            case "Str":
                parts.append(content)
            case "Space" | "SoftBreak" | "LineBreak":
                parts.append(" ")
            case "Emph" | "Strong" | "Underline" | "Strikeout" | "SmallCaps" | "Superscript" | "Subscript":
                inner = pandoc_inlines(content, notes, urls, marked)
                if marked is not None and kind in MARKS:
                    mark_words(marked, MARKS[kind], inner)
                parts.append(inner)
            case "Quoted":
                quote = "\u201c\u201d" if content[0]["t"] == "DoubleQuote" else "\u2018\u2019"
                parts.append(quote[0] + pandoc_inlines(content[1], notes, urls, marked) + quote[1])
            case "Link":
                if urls is not None and not content[2][0].startswith("#"):
                    urls.append(content[2][0])
                parts.append(pandoc_inlines(content[1], notes, urls, marked))
            case "Span" | "Cite":
                parts.append(pandoc_inlines(content[1], notes, urls, marked))
            case "Code" | "Math":
                if marked is not None and kind == "Code":
                    mark_words(marked, "code", content[1])
                parts.append(content[1])
            case "Note":
                if notes is not None:
                    notes.append(squash(" ".join(pandoc_block_text(b, Reading(urls=urls if urls is not None else []))
                                                 for b in content)))
            case "Image":
                if marked is not None:  # the walk of the text itself, not of a note's or a term's
                    marked["picture"] += 1
            case "RawInline":
                pass
    return "".join(parts)


def pandoc_block_text(block: dict, reading: Reading | None = None) -> str:
    """A block's text; with `reading`, its headings, items, cells, notes
    and links gathered into it as well."""
    notes = reading.notes if reading else None
    urls = reading.urls if reading else None
    marked = reading.marked if reading else None
    kind, content = block.get("t"), block.get("c")
    match kind:
        case "Para" | "Plain":
            return pandoc_inlines(content, notes, urls, marked)
        case "Header":  # bold of itself: its strong runs are no emphasis
            heading_marks: collections.Counter[str] = collections.Counter()
            text = pandoc_inlines(content[2], notes, urls, heading_marks)
            if marked is not None:
                marked += collections.Counter({k: v for k, v in heading_marks.items() if not k.startswith("strong:")})
            if reading is not None and squash(text):
                reading.headings.append(squash(text))
            return text
        case "CodeBlock":
            if reading is not None:
                reading.code.append(content[1].strip("\n"))
            return content[1]
        case "BlockQuote":
            text = " ".join(pandoc_block_text(b, reading) for b in content)
            if reading is not None:
                reading.quotes.append(squash(text))
            return text
        case "Div":
            return " ".join(pandoc_block_text(b, reading) for b in content[1])
        case "LineBlock":
            return " ".join(pandoc_inlines(line, notes, urls) for line in content)
        case "BulletList" | "OrderedList":
            items = content if kind == "BulletList" else content[1]
            texts = []
            for item in items:
                own = " ".join(pandoc_block_text(b, reading) for b in item
                               if b.get("t") not in ("BulletList", "OrderedList"))
                if reading is not None:
                    reading.items.append(squash(own))
                nested = " ".join(pandoc_block_text(b, reading) for b in item
                                  if b.get("t") in ("BulletList", "OrderedList"))
                texts.append(own + " " + nested)
            return " ".join(texts)
        case "DefinitionList":
            return " ".join(pandoc_inlines(term, notes, urls, marked) + " " + " ".join(
                pandoc_block_text(b, reading) for blocks in definitions for b in blocks)
                for term, definitions in content)
        case "Table":
            caption = " ".join(pandoc_block_text(b, reading) for b in content[1][1])
            texts = [caption]
            head, bodies, foot = content[3], content[4], content[5]
            rows = head[1] + [row for body in bodies for row in body[2] + body[3]] + foot[1]
            # The grid a reader sees: a cell spanning columns or rows fills
            # its first place, the others it covers are empty (as in a table
            # that cannot span), each row as wide as the table.
            grid: list[list[str]] = []
            below: dict[int, int] = {}  # column -> rows a cell above still covers
            for row in rows:
                line: list[str] = []
                for cell in row[1]:
                    while below.get(len(line), 0) > 0:
                        below[len(line)] -= 1
                        line.append("")
                    in_head = any(row is head_row for head_row in head[1])
                    saved = reading.marked if reading is not None else None
                    if reading is not None and in_head:
                        reading.marked = collections.Counter()  # a header cell is bold of itself
                    text = " ".join(pandoc_block_text(b, reading) for b in cell[4])
                    if reading is not None and saved is not None:
                        head_marks, reading.marked = reading.marked, saved
                        if in_head:
                            reading.marked += collections.Counter(
                                {k: v for k, v in head_marks.items() if not k.startswith("strong:")})
                    texts.append(text)
                    for offset in range(cell[3]):
                        if cell[2] > 1:
                            below[len(line)] = cell[2] - 1
                        line.append(squash(text) if offset == 0 else "")
                while below.get(len(line), 0) > 0:
                    below[len(line)] -= 1
                    line.append("")
                grid.append(line)
            width = max((len(line) for line in grid), default=0)
            if reading is not None:
                reading.cells.extend(text for line in grid for text in line + [""] * (width - len(line)))
            return " ".join(texts)
        case "Figure":
            return " ".join(pandoc_block_text(b, reading) for b in content[1][1])
    return ""


def toc_entry(block: dict) -> bool:
    """A paragraph of Word's table of contents as pandoc reads it: a link
    to a heading holding the link to its page number."""
    if block.get("t") not in ("Para", "Plain"):
        return False
    inlines = [i for i in block["c"] if i.get("t") not in ("Space", "SoftBreak")]
    if squash(pandoc_inlines(inlines)) in ("No table of figures entries found.",
                                           "No table of contents entries found."):
        return True  # what Word writes in a table of contents that finds nothing
    last = inlines[-1] if inlines else {}
    return last.get("t") == "Link" and last["c"][2][0].startswith("#") and (
        any(i.get("t") == "Link" for i in last["c"][1])  # the whole entry a link, its page one inside
        or bool(re.fullmatch(r"\d+|[ivxlc]+", squash(pandoc_inlines(last["c"][1])), re.I)))  # the page a link


def pandoc_reading(docx: Path, toc: bool = False) -> Reading:
    """pandoc's reading of a DOCX; with `toc`, without Word's table of
    contents (its heading and entries), which our build makes itself."""
    import pypandoc

    ast = json.loads(pypandoc.convert_file(str(docx), "json", format="docx",
                                           extra_args=["--track-changes=accept"]))
    blocks = ast["blocks"]
    if toc:
        blocks = [b for b in blocks if not toc_entry(b) and not (
            b.get("t") == "Header" and "TOC-Heading" in b["c"][1][1])]
    reading = Reading()
    text = " ".join(pandoc_block_text(block, reading) for block in blocks)
    reading.pictures = reading.marked.pop("picture", 0)
    reading.words = words(text) + words(" ".join(reading.notes))
    abstract = ast["meta"].get("abstract")  # pandoc's, from the Abstract style: the title block's for us
    if abstract:  # shown once more above the text, as pandoc's standalone HTML does
        reading.words += words("Abstract " + meta_text(abstract))
    return reading


def meta_text(value: dict) -> str:
    match value.get("t"):
        case "MetaInlines":
            return pandoc_inlines(value["c"])
        case "MetaBlocks":
            return " ".join(pandoc_block_text(b) for b in value["c"])
        case "MetaString":
            return value["c"]
        case "MetaList":
            return " ".join(meta_text(v) for v in value["c"])
    return ""


# our HTML -----------------------------------------------------------------

BLOCKS = {"p", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "div", "section", "pre", "br",
          "figcaption", "caption", "dt", "dd", "blockquote", "figure", "aside", "table"}


def html_reading(markup: bytes) -> Reading:
    from lxml import html

    root = html.fromstring(markup)
    main = root.find(".//main")
    assert main is not None
    reading = Reading()
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    for link in main.iter("a"):
        href = link.get("href") or ""
        if href.startswith("#"):
            if href[1:] not in ids:
                reading.broken.append(href)
        elif href and "footnote" not in (link.get("class") or ""):
            reading.urls.append(href)
    # What no author wrote: the note references and back links, the notes'
    # heading, the numbers of captions ("Table 1:") and of sections.
    for element in list(main.iter()):
        classes = (element.get("class") or "").split()
        if element.tag == "sup" and "footnote-ref" in classes or "footnote-back" in classes or \
                element.get("id") == "notes-title" or "label" in classes or "number" in classes or \
                "caption-label" in classes or "caption-number" in classes:
            element.drop_tree()
    reading.pictures = sum(1 for _ in main.iter("img"))
    reading.code = [pre.text_content().strip("\n") for pre in main.iter("pre")]
    for element in main.iter():  # blocks apart, as a reader sees them
        if element.tag in BLOCKS:
            element.text = " " + (element.text or "")
            element.tail = " " + (element.tail or "")
    notes = main.find(".//section[@class='footnotes']")
    if notes is not None:
        reading.notes = [squash(li.text_content()) for li in notes.iter("li")]
        notes.drop_tree()
    for heading in main.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        if squash(heading.text_content()):
            reading.headings.append(squash(heading.text_content()))
    for item in main.iter("li"):
        own = [child for child in item if child.tag not in ("ul", "ol")]
        text = (item.text or "") + " ".join(html.tostring(c, method="text", encoding="unicode",
                                                          with_tail=True) for c in own)
        reading.items.append(squash(text))
    for cell in main.iter("td", "th"):
        reading.cells.append(squash(cell.text_content()))
    for tag, mark in (("em", "emph"), ("strong", "strong"), ("code", "code"), ("del", "strike"), ("s", "strike"),
                      ("sup", "sup"), ("sub", "sub")):
        for element in main.iter(tag):
            if element.getparent() is not None and element.getparent().tag == "pre":
                continue  # a code block's
            if mark == "strong" and any(up.tag in ("th", "h1", "h2", "h3", "h4", "h5", "h6")
                                        for up in element.iterancestors()):
                continue  # a header cell is bold of itself (pandoc's side skips the head's too)
            mark_words(reading.marked, mark, element.text_content())
    for quote in main.iter("blockquote"):
        reading.quotes.append(squash(quote.text_content()))
    abstract = root.find(".//section[@class='abstract']")  # the title block's, from the front matter
    extra = " ".join(p.text_content() for p in abstract.iter("p")) if abstract is not None else ""
    reading.words = words(main.text_content()) + words(" ".join(reading.notes)) + words(extra)
    return reading


def differences(expected: Reading, ours: Reading) -> list[str]:
    """What a reader of our HTML finds otherwise than pandoc's reader does."""
    found = []
    for name in ("headings", "items", "cells", "notes", "quotes", "code", "pictures"):
        mine, theirs = getattr(ours, name), getattr(expected, name)
        if mine != theirs:
            found.append(f"{name}: pandoc {theirs!r}, ours {mine!r}")
    if sorted(set(ours.urls)) != sorted(set(expected.urls)):
        found.append(f"urls: pandoc {sorted(set(expected.urls))}, ours {sorted(set(ours.urls))}")
    if ours.broken:
        found.append(f"links leading nowhere: {ours.broken}")
    if ours.marked != expected.marked:
        found.append(f"emphasis: pandoc only {dict(expected.marked - ours.marked)}, "
                     f"ours only {dict(ours.marked - expected.marked)}")
    lost, added = expected.words - ours.words, ours.words - expected.words
    if lost or added:
        found.append(f"words: lost {dict(lost)}, added {dict(added)}")
    return found


# the import ---------------------------------------------------------------

def titled(text: str, name: str) -> str:
    """The imported Markdown given a title and a classification, where the
    Word file did not say them."""
    front, body = "", text
    if text.startswith("---\n"):
        end = text.index("\n---\n", 3)
        front, body = text[4:end + 1], text[end + 5:]
    keys = {line.split(":")[0] for line in front.splitlines() if ":" in line and not line.startswith(" ")}
    added = ("" if "title" in keys else f"title: \"{name}\"\n") + \
        ("" if "classification" in keys else "classification: UNCLASSIFIED\n")
    return f"---\n{added}{front}---\n{body}"


@dataclass
class Outcome:
    status: str  # ok, warn, differs, fail, refused, crash
    problems: list[Problem]
    markdown: str = ""
    html: bytes = b""
    differences: list[str] = field(default_factory=list)


def import_and_build(docx: Path, out: Path, formats: tuple[str, ...] = ("html", "docx")) -> Outcome:
    target = out / (docx.stem + ".md")
    try:
        done = importer.run(importer.Request(docx, target, changes="accept", force=True))
    except BriefingError as error:
        return Outcome("refused", list(error.problems))
    problems: list[Problem] = [p for p in done.problems if p.code == "import.left-out"]
    markdown = titled(target.read_text(encoding="utf-8"), docx.stem)
    target.write_text(markdown, encoding="utf-8")
    try:
        made = make(target, Options(formats=tuple(dict.fromkeys(("html",) + formats)),
                                    out_dir=out / "build"))
    except BriefingError as error:
        return Outcome("fail", problems + list(error.problems), markdown)
    problems += list(made.warnings)
    page = next(data for path, data in made.files.items() if path.suffix == ".html")
    return Outcome("warn" if problems else "ok", problems, markdown, page)


def compare(docx: Path, out: Path, formats: tuple[str, ...] = ("html", "docx")) -> Outcome:
    outcome = import_and_build(docx, out, formats)
    if outcome.html:
        try:
            expected = pandoc_reading(docx, toc=bool(re.search(r"^toc: true$", outcome.markdown, re.M)))
        except RuntimeError as error:  # pandoc cannot read it: nothing to compare with
            outcome.differences = [f"pandoc: {str(error)[:200]}"]
            return outcome
        outcome.differences = differences(expected, html_reading(outcome.html))
        if outcome.differences and outcome.status == "ok":
            outcome.status = "differs"
    return outcome


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("names", nargs="*")
    parser.add_argument("--out", type=Path, default=Path("/tmp/docx-foreign-out"))
    parser.add_argument("--to", default="html,docx")
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    counts: collections.Counter[str] = collections.Counter()
    codes: collections.Counter[str] = collections.Counter()
    for docx in sorted(args.folder.glob("*.docx")):
        if args.names and docx.stem not in args.names:
            continue
        try:
            outcome = compare(docx, args.out, tuple(args.to.split(",")))
        except Exception as error:  # noqa: BLE001 - a bug of ours is a finding too
            outcome = Outcome("crash", [Problem(str(docx), None, f"{type(error).__name__}: {error}",
                                                code="internal")])
        counts[outcome.status] += 1
        codes.update({p.code for p in outcome.problems})
        print(f"{outcome.status:8} {docx.stem}: {' '.join(sorted({p.code for p in outcome.problems}))}")
        if args.verbose:
            for problem in outcome.problems:
                print(f"           {problem.line}: {problem.message}")
            for difference in outcome.differences:
                print(f"           ≠ {difference[:600]}")
    print(" ".join(f"{k}={v}" for k, v in sorted(counts.items())), "| codes:",
          " ".join(f"{k}={v}" for k, v in codes.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
