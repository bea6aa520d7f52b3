"""`--against brief.md`: the import as a small change to the current source.

The author's file stays the author's wherever the reviewed Word file says
the same thing: their line breaks, their syntax (`_emph_`, `Table:` before
or after, reference links, a `%` title block, comments), their footnote
labels and where they put the notes. Only the blocks that read differently
are taken from the import, so `git diff` shows the reviewers' changes and
nothing else.

Both texts are read by our Markdown reader (before the passes), each into
its top-level blocks (a paragraph, a list, a table, a heading …) with the
lines it came from; blocks are compared by what they say (the model, not
the text) and the two sequences aligned. A paragraph that changed keeps the
author's line breaks where its words did not. Footnote and abbreviation
definitions are matched by what they say too; front-matter keys by value.
The result is read again and must say exactly what the import says; if it
does not, the import is written whole.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import model as m
from pipeline.docx_import.inline import escape_line_start
from pipeline.problems import BriefingError, Reporter

FOOTNOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*\S")
ABBREVIATION_DEFINITION = re.compile(r"^\*\[([^\]]+)\]:")
NOTE_REFERENCE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
FRONT_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
CRITIC = re.compile(r"\{(\+\+|--|~~|>>|==)")


@dataclass
class Parsed:
    path: Path
    text: str
    lines: list[str]
    doc: m.Document
    body_line: int  # 1-based
    yaml: tuple[int, int] | None  # first and last line of the YAML (1-based), without fences
    units: list[tuple[object, int, int]] = field(default_factory=list)  # (key, first line, last line)
    definitions: set[int] = field(default_factory=set)  # lines of note, abbreviation, link definitions


def read(text: str, path: Path) -> Parsed | None:
    """The read-level model of a text as if it were the file at `path`."""
    from pipeline.read.frontmatter import read_meta, split
    from pipeline.read.markdown import parse
    from pipeline.read.source import Source

    lines = text.split("\n")
    source = Source(path=path, name=str(path), text=text, lines=tuple(lines))
    try:
        meta, body_line = read_meta(source, Reporter(str(path)), stop=False)
        doc = parse(source, meta, body_line, [])
        parts = split(source)
    except (BriefingError, RecursionError, ValueError):
        return None
    yaml = (parts.yaml_line, parts.yaml_line + len(parts.yaml) - 1) if parts.yaml is not None else None
    return Parsed(path=path, text=text, lines=lines, doc=doc, body_line=body_line, yaml=yaml)


# What a block says -------------------------------------------------------------

def shape(value) -> object:
    """A node as a comparable value: what it says, not where it stood, and
    its footnote calls as calls (numbers shift when a note is added)."""
    if isinstance(value, m.FootnoteRef):
        return ("FootnoteRef",)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *((f.name, shape(getattr(value, f.name)))
                                         for f in dataclasses.fields(value)
                                         if f.name not in ("line", "key_lines", "source", "path")
                                         and not f.name.endswith(("_line", "_lines"))
                                         or (f.name == "path" and isinstance(value, (m.Figure, m.Image)))))
    if isinstance(value, tuple):
        return tuple(shape(item) for item in value)
    return value


def block_line(block: m.Block) -> int:
    first = block.line
    caption = getattr(block, "caption_line", None)
    return min(first, caption) if caption else first


def units(parsed: Parsed) -> list[tuple[object, int]]:
    """The top-level blocks and headings, each (what it says, its first line),
    in reading order; a heading by its depth in the outline."""
    found: list[tuple[object, int]] = [(shape(block), block_line(block)) for block in parsed.doc.blocks]

    def sections(items: tuple[m.Section, ...], depth: int) -> None:
        for section in items:
            found.append((("heading", depth, shape(section.title), heading_id(parsed, section), section.portion),
                          section.line))
            found.extend((shape(block), block_line(block)) for block in section.blocks)
            sections(section.children, depth + 1)

    sections(parsed.doc.sections, 1)
    return found


def heading_id(parsed: Parsed, section: m.Section) -> str:
    """The id a heading ends up with: its own `{#id}`, or the slug of its
    title without its portion mark (transform/ids.py), which `{#id}` may
    spell out or leave out alike."""
    from pipeline.model import walk
    from pipeline.transform.ids import slug

    if section.id:
        return section.id
    title = walk.plain_text(section.title)
    if parsed.doc.meta.portion_marking:
        title = re.sub(r"^\s*\([A-Z][A-Z0-9 ,/\-]*\)\s*", "", title)
    return slug(title)


def spans(parsed: Parsed) -> bool:
    """Each unit's lines: from its first line to the line before the next
    unit's, less blank lines and definitions at its end. False when the
    lines do not follow each other (nothing to rely on)."""
    found = units(parsed)
    starts = [line for _, line in found]
    if any(not line or line < parsed.body_line for line in starts) or starts != sorted(starts) \
            or len(set(starts)) != len(starts):
        return False
    parsed.definitions = definition_lines(parsed)
    ends = [*starts[1:], len(parsed.lines) + 1]
    for index, ((key, start), end) in enumerate(zip(found, ends)):
        last = end - 1
        while last > start and (not parsed.lines[last - 1].strip() or last in parsed.definitions
                                or is_definition_continuation(parsed, last)):
            last -= 1
        if any(CRITIC.search(line) for line in parsed.lines[start - 1:last]):
            # A comment or a highlight says nothing the model keeps: the
            # block is the import's, so they are not lost.
            key = ("critic", id(parsed), index)
        parsed.units.append((key, start, last))
    return True


def definition_lines(parsed: Parsed) -> set[int]:
    """Lines of footnote, abbreviation and link-reference definitions (with
    a footnote's indented continuation): out of the flow of blocks."""
    found: set[int] = set()
    in_note = False
    fence = False
    for number, line in enumerate(parsed.lines, 1):
        if number < parsed.body_line:
            continue
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if fence:
            in_note = False
            continue
        if FOOTNOTE_DEFINITION.match(line) or ABBREVIATION_DEFINITION.match(line) \
                or REFERENCE_DEFINITION.match(line):
            found.add(number)
            in_note = bool(FOOTNOTE_DEFINITION.match(line))
        elif in_note and (not line.strip() or line.startswith(("    ", "\t"))):
            found.add(number)
        else:
            in_note = False
    # A note's trailing blank lines belong to the gap after it, not to it.
    for number in sorted(found, reverse=True):
        if not parsed.lines[number - 1].strip() and number + 1 not in found:
            found.discard(number)
    return found


def is_definition_continuation(parsed: Parsed, line: int) -> bool:
    return line in parsed.definitions


# Paragraphs: the author's line breaks kept ---------------------------------------

def rewrap(old: list[str], new: str) -> str:
    """The new block with the old one's lines where its words are the old
    one's: an old line whose words all stay is kept as it was (its indent,
    its markers); words that changed take the place, and the line, of those
    they replace. A line of the new text that no old line holds is added
    after the one before it."""
    old_words: list[tuple[str, int]] = [(word, index) for index, line in enumerate(old)
                                        for word in line.split()]
    new_words = new.split()
    if not old_words or not new_words:
        return new
    lines: dict[int, list[str]] = {index: [] for index in range(len(old))}
    intact = {index: bool(line.split()) for index, line in enumerate(old)}
    matcher = difflib.SequenceMatcher(None, [w for w, _ in old_words], new_words, autojunk=False)
    last_line = old_words[0][1]
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                word, where = old_words[i1 + offset]
                lines[where].append(word)
                last_line = where
            continue
        for index in range(i1, i2):  # the old words' lines no longer hold what they held
            intact[old_words[index][1]] = False
        target = old_words[i1][1] if tag == "replace" else last_line
        intact[target] = False
        lines[target].extend(new_words[j1:j2])
        if tag == "replace":
            last_line = old_words[i2 - 1][1]
    out: list[str] = []
    for index, text in enumerate(old):
        if intact[index] and lines[index] == text.split():
            out.append(text)
        elif lines[index]:
            indent = text[:len(text) - len(text.lstrip())]
            out.append(indent + " ".join(lines[index]))
        elif not text.strip():
            out.append(text)
    return "\n".join(out)


# Front matter --------------------------------------------------------------------

def front_keys(parsed: Parsed) -> dict[str, tuple[int, int]]:
    """Each top-level key of the YAML: its first and last line."""
    if parsed.yaml is None:
        return {}
    first, last = parsed.yaml
    found: dict[str, tuple[int, int]] = {}
    current = None
    for number in range(first, last + 1):
        line = parsed.lines[number - 1]
        written = FRONT_KEY.match(line)
        if written and not line.startswith((" ", "\t")):
            current = written[1]
            found[current] = (number, number)
        elif current and (line.startswith((" ", "\t", "-")) or not line.strip()):
            found[current] = (found[current][0], number)
        else:
            current = None
    # Trailing blank lines belong to no key.
    for key, (start, end) in found.items():
        while end > start and not parsed.lines[end - 1].strip():
            end -= 1
        found[key] = (start, end)
    return found


def canonical(key: str) -> str:
    from pipeline.read.foreign import ALIASES
    return ALIASES.get(key, key)


def meta_value(parsed: Parsed, key: str) -> object:
    meta = parsed.doc.meta
    key = canonical(key)
    if key == "abstract":
        return shape(parsed.doc.abstract)
    return getattr(meta, key, None) if hasattr(meta, key) else ("other", key)


def front_matter(old: Parsed, new: Parsed) -> list[str] | None:
    """The old YAML's lines, each key kept where its value is the new one's;
    None when the old source has no YAML (a `%` title block alone) and the
    values differ: the new front matter is then written whole."""
    from pipeline.read.frontmatter import SCHEMA

    old_keys, new_keys = front_keys(old), front_keys(new)
    if old.yaml is None:
        return None
    first, last = old.yaml
    out: list[str] = []
    written: set[str] = set()
    number = first
    old_canonical = {canonical(k): k for k in old_keys}
    while number <= last:
        key = next((k for k, (a, _) in old_keys.items() if a == number), None)
        if key is None:
            out.append(old.lines[number - 1])  # a comment, a blank line
            number += 1
            continue
        start, end = old_keys[key]
        name = canonical(key)
        written.add(name)
        new_key = next((k for k in new_keys if canonical(k) == name), None)
        if name not in SCHEMA and name != "abstract" or meta_value(old, key) == meta_value(new, name):
            out.extend(old.lines[start - 1:end])  # another tool's key, or the same value
        elif new_key is not None:
            a, b = new_keys[new_key]
            out.extend(new.lines[a - 1:b])
        number = end + 1
    block = old.doc.meta  # keys the title block gave are in neither list: compare them too
    for key, (a, b) in new_keys.items():
        name = canonical(key)
        if name in written or canonical(key) in old_canonical:
            continue
        if hasattr(block, name) and getattr(block, name) == getattr(new.doc.meta, name, None) \
                and name in ("title", "authors", "date"):
            continue  # the `%` title block says it already
        out.extend(new.lines[a - 1:b])
    return out


# The whole -------------------------------------------------------------------------

def minimal(current: str, imported: str, current_path: Path, folder: Path) -> str:
    """`imported` written as a change to `current`: the current source's own
    text wherever it says the same. The import itself when the two cannot
    be lined up, or the result would not say what the import says."""
    old = read(current, current_path)
    new = read(imported, folder / current_path.name)
    if old is None or new is None or not spans(old) or not spans(new):
        return imported
    for refine in (True, False):
        merged = merge(old, new, refine)
        if merged is not None and says_the_same(merged, new, folder / current_path.name):
            return merged
    return imported


def says_the_same(text: str, new: Parsed, path: Path) -> bool:
    again = read(text, path)
    if again is None:
        return False
    a, b = without_hidden(again.doc), without_hidden(new.doc)
    return (shape(dataclasses.replace(a.meta, abstract=None)) == shape(dataclasses.replace(b.meta, abstract=None))
            and shape(a.abstract) == shape(b.abstract) and shape(a.blocks) == shape(b.blocks)
            and shape(with_ids(dataclasses.replace(again, doc=a))) == shape(with_ids(dataclasses.replace(new, doc=b)))
            and shape(a.footnotes) == shape(b.footnotes)
            and a.abbreviations == b.abbreviations)


def without_hidden(doc: m.Document) -> m.Document:
    """The document without what Word never had (content for other formats)."""
    def kept(blocks: tuple[m.Block, ...]) -> tuple[m.Block, ...]:
        return tuple(b for b in blocks if not (isinstance(b, m.Div) and b.formats and "docx" not in b.formats))

    def section(node: m.Section) -> m.Section:
        return dataclasses.replace(node, blocks=kept(node.blocks), children=tuple(section(c) for c in node.children))
    return dataclasses.replace(doc, blocks=kept(doc.blocks), sections=tuple(section(s) for s in doc.sections))


def with_ids(parsed: Parsed) -> tuple[m.Section, ...]:
    """The sections, each with the id it ends up with."""
    def one(section: m.Section) -> m.Section:
        return dataclasses.replace(section, id=heading_id(parsed, section),
                                   children=tuple(one(child) for child in section.children))
    return tuple(one(section) for section in parsed.doc.sections)


def invisible(parsed: Parsed) -> set[int]:
    """The units Word never had: Quarto's content for other formats
    (`.content-visible when-format="html"`), which the import cannot say
    anything of. They stay where they are."""
    found: set[int] = set()
    blocks = [*parsed.doc.blocks, *(b for s in sections_in_order(parsed.doc.sections) for b in (None, *s.blocks))]
    for index, block in enumerate(blocks):
        if isinstance(block, m.Div) and block.formats and "docx" not in block.formats:
            found.add(index)
    return found


def sections_in_order(sections: tuple[m.Section, ...]):
    for section in sections:
        yield section
        yield from sections_in_order(section.children)


def merge(old: Parsed, new: Parsed, refine: bool) -> str | None:
    hidden = invisible(old)
    visible_old = [index for index in range(len(old.units)) if index not in hidden]
    old_keys = [old.units[index][0] for index in visible_old]
    new_keys = [key for key, _, _ in new.units]
    labels = note_labels(old, new)
    chunks: list[tuple[str, int | None]] = []  # (text, the old unit it replaces or keeps)
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)

    def old_text(index: int) -> str:
        _, start, end = old.units[index]
        return "\n".join(line for number, line in enumerate(old.lines[start - 1:end], start)
                         if number not in old.definitions)

    def new_text(index: int) -> str:
        _, start, end = new.units[index]
        text = "\n".join(line for number, line in enumerate(new.lines[start - 1:end], start)
                         if number not in new.definitions)
        return NOTE_REFERENCE.sub(lambda found: f"[^{labels.get(found[1], found[1])}]", text)

    def keep_hidden(after: int) -> None:
        """The hidden units after old unit `after` (-1: before the first)."""
        following = [index for index in sorted(hidden) if index > after]
        for index in following:
            if any(after < other < index for other in visible_old):
                break
            chunks.append((old_text(index), index))

    keep_hidden(-1)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i in range(i1, i2):
                chunks.append((old_text(visible_old[i]), visible_old[i]))
                keep_hidden(visible_old[i])
        elif tag == "replace":
            for offset in range(max(i2 - i1, j2 - j1)):
                i, j = i1 + offset, j1 + offset
                if i < i2 and j < j2:
                    text = new_text(j)
                    if refine:
                        candidate = rewrap(old_text(visible_old[i]).split("\n"), text)
                        if candidate != text and says(candidate, new.path) == says(text, new.path):
                            text = candidate
                    chunks.append((text, visible_old[i]))
                    keep_hidden(visible_old[i])
                elif j < j2:
                    chunks.append((new_text(j), None))
                else:
                    keep_hidden(visible_old[i])
        elif tag == "insert":
            chunks.extend((new_text(j), None) for j in range(j1, j2))
        else:  # deleted: only what Word never had stays
            for i in range(i1, i2):
                keep_hidden(visible_old[i])
    body = join_chunks(old, chunks)
    front = front_matter(old, new)
    if front is None:
        head = "\n".join(new.lines[:new.body_line - 1])
    else:
        head = "\n".join([*old.lines[:old.yaml[0] - 1], *front, *old.lines[old.yaml[1]:old.body_line - 1]])  # type: ignore[index]
    text = head + "\n" + body
    return with_definitions(text, old, new, labels)


def says(text: str, path: Path) -> object:
    """What a block says, read alone."""
    parsed = read("---\ntitle: x\nclassification: UNCLASSIFIED\n---\n" + text, path)
    return None if parsed is None else (shape(parsed.doc.blocks), shape(parsed.doc.sections))


def join_chunks(old: Parsed, chunks: list[tuple[str, int | None]]) -> str:
    """The chunks, each kept block followed by the gap (and the definitions)
    that followed it in the old text; others by one blank line. Text before
    the first block (blank lines, a comment) stays."""
    out: list[str] = []
    first_start = old.units[0][1] if old.units else len(old.lines) + 1
    leading = old.lines[old.body_line - 1:first_start - 1]
    out.extend(line for line in leading)
    for text, index in chunks:
        out.append(text)
        if index is not None:
            _, _, end = old.units[index]
            next_start = old.units[index + 1][1] if index + 1 < len(old.units) else len(old.lines) + 1
            gap = old.lines[end:next_start - 1]
            out.extend(gap if gap else [""])
        else:
            out.append("")
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out) + "\n"


def note_labels(old: Parsed, new: Parsed) -> dict[str, str]:
    """The import's footnote labels (its numbers) -> the current source's,
    for the notes that say the same, in order; new notes get labels the
    source does not use."""
    old_notes = labelled_notes(old)
    new_notes = labelled_notes(new)
    found: dict[str, str] = {}
    matcher = difflib.SequenceMatcher(None, [k for _, k in old_notes], [k for _, k in new_notes], autojunk=False)
    used = {label for label, _ in old_notes}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                found[new_notes[j1 + offset][0]] = old_notes[i1 + offset][0]
    counter = 0
    for label, _ in new_notes:
        if label not in found:
            counter += 1
            while f"note-{counter}" in used:
                counter += 1
            found[label] = f"note-{counter}"
            used.add(found[label])
    return found


def labelled_notes(parsed: Parsed) -> list[tuple[str, object]]:
    """(label, what it says) of each footnote defined on a line of its own,
    in the order they are numbered."""
    out = []
    for note in parsed.doc.footnotes:
        line = parsed.lines[note.line - 1] if 0 < note.line <= len(parsed.lines) else ""
        found = FOOTNOTE_DEFINITION.match(line)
        if found:
            out.append((found[1], shape(note.blocks)))
    return out


def with_definitions(text: str, old: Parsed, new: Parsed, labels: dict[str, str]) -> str:
    """The footnote and abbreviation definitions: the old ones where they
    were while something still calls them and they say the same; changed
    and new ones at the end."""
    old_notes = dict(labelled_notes(old))
    new_by_old = {labels[label]: key for label, key in labelled_notes(new)}
    called = set(NOTE_REFERENCE.findall(strip_definitions(text)))
    lines = text.split("\n")
    kept: list[str] = []
    skipping = False
    for line in lines:
        found = FOOTNOTE_DEFINITION.match(line)
        if found:
            label = found[1]
            skipping = not (label in called and new_by_old.get(label) == old_notes.get(label))
            if not skipping:
                kept.append(line)
            continue
        if skipping and (line.startswith(("    ", "\t")) or not line.strip()):
            if not line.strip():
                kept.append(line)
                skipping = False
            continue
        skipping = False
        abbreviation = ABBREVIATION_DEFINITION.match(line)
        if abbreviation:
            short = abbreviation[1]
            wanted = dict(new.doc.abbreviations).get(short)
            if wanted is None:
                continue
            if dict(old.doc.abbreviations).get(short) != wanted:
                kept.append(new_abbreviation_line(new, short) or line)
                continue
        kept.append(line)
    text = "\n".join(kept)
    present = {found[1] for found in (FOOTNOTE_DEFINITION.match(line) for line in kept) if found}
    tail: list[str] = []
    for label, block in note_definitions(new).items():
        mapped = labels.get(label, label)
        if mapped in called and mapped not in present:
            tail.append(re.sub(r"^\[\^[^\]]+\]:", f"[^{mapped}]:", block, count=1))
    old_abbreviations = dict(old.doc.abbreviations)
    for short, _ in new.doc.abbreviations:
        if short not in old_abbreviations:
            added = new_abbreviation_line(new, short)
            if added:
                tail.append(added)
    text = re.sub(r"\n{3,}\Z", "\n", text.rstrip("\n") + "\n")
    if tail:
        text = text.rstrip("\n") + "\n\n" + "\n\n".join(tail) + "\n"
    return text


def strip_definitions(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not FOOTNOTE_DEFINITION.match(line))


def note_definitions(parsed: Parsed) -> dict[str, str]:
    """Each labelled note's definition as written (its first line and the
    indented lines after it)."""
    found: dict[str, str] = {}
    lines = parsed.lines
    index = 0
    while index < len(lines):
        match = FOOTNOTE_DEFINITION.match(lines[index])
        if not match:
            index += 1
            continue
        block = [lines[index]]
        index += 1
        while index < len(lines) and (lines[index].startswith(("    ", "\t")) or (
                not lines[index].strip() and index + 1 < len(lines) and lines[index + 1].startswith("    "))):
            block.append(lines[index])
            index += 1
        found[match[1]] = "\n".join(block).rstrip()
    return found


def new_abbreviation_line(parsed: Parsed, short: str) -> str | None:
    return next((line for line in parsed.lines if ABBREVIATION_DEFINITION.match(line)
                 and ABBREVIATION_DEFINITION.match(line)[1] == short), None)  # type: ignore[index]

