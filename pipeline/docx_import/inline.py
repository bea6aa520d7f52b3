"""Inlines of the import tree as Markdown: runs of formatting as the
delimiters our reader (and pandoc) reads, links, notes, cross-references,
formulas, pictures; tracked changes and comments as CriticMarkup.

Text is escaped where, and only where, our reader would otherwise read
syntax in it (read/markdown.py, read/inlines.py, read/lists.py): a `*`, a
`[`, a `$` that could open a formula, `<b>` that would be raw HTML, a line
that would start a list or a heading.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.docx_import.changes import when
from pipeline.docx_import.tree import (Bookmark, Break, Change, Commented, CrossRef, Formula, Inline, Link,
                                       NoteRef, Picture, RepeatedNoteRef, Sequence, Task, Text, Verbatim)
from pipeline.read.lists import LIST_MARKER

# Outermost first: the order marks open in when a run starts several.
ORDER = ("smallcaps", "underline", "mark", "strong", "emph", "strike", "sup", "sub")
SPAN_MARKS = ("smallcaps", "underline", "mark")
DELIMITERS = {"strong": "**", "emph": "*", "strike": "~~", "sup": "^", "sub": "~"}

ESCAPED = re.compile(r"([\\`*_\[\]~^{}|])")
TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?])")
ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
EMOJI_LIKE = re.compile(r":(?=[\w+-]+:)")
BLOCK_START = re.compile(
    rf"^(?:(?P<marker>\(?{LIST_MARKER})(?=[ \t]|$)|(?P<hash>#)|(?P<quote>>)|(?P<fence>:::|!!!|\?\?\?)"
    r"|(?P<colon>:[ \t])|(?P<caption>Table:)|(?P<rule>[-=*_ ]{3,}$)|(?P<note>\[\^)|(?P<percent>%))")


@dataclass
class Context:
    """What the inline writer needs from the document: ids for bookmarks,
    footnote labels, picture paths, comments, and what to do with hints."""
    note_label: Callable[[str], str]  # a footnote key -> its label
    repeated_label: Callable[[int], str]  # our DOCX's repeated reference, by number
    bookmark_id: Callable[[str], str | None]  # a bookmark -> the id it stands for, or None
    picture_path: Callable[[Picture], str]
    comment: Callable[[str], str]  # a comment id -> its CriticMarkup
    link_title: Callable[[str], str | None] = lambda target: None
    tex: Callable[[Formula], str] = lambda formula: formula.tex
    span_classes: Callable[[str], list[str]] = lambda bookmark: []
    image_size: Callable[[], str] = lambda: ""  # the next picture's `{width=…}`, as written
    cite: Callable[[str], str | None] = lambda bookmark: None  # a citation's Markdown, by its bookmark
    was_ref: Callable[[str], bool] = lambda ident: False  # a link that was a cross-reference (to an annex)
    numbered: Callable[[str], bool] = lambda ident: True  # a table or figure the build numbers (a caption)
    in_table: bool = False
    used_ids: set[str] = field(default_factory=set)


def escape_text(text: str, ctx: Context) -> str:
    text = ESCAPED.sub(r"\\\1", text)
    text = ENTITY_LIKE.sub("&amp;", text)
    text = TAG_LIKE.sub("&lt;", text)
    text = EMOJI_LIKE.sub(r"\\:", text)
    return escape_dollars(text)


def escape_dollars(text: str) -> str:
    """A `$` that could open or close a formula (pandoc's rule: an opening
    `$` has a non-space after it, a closing one a non-space before it and
    no digit after it) as an entity; `$5 and $10` stays as written."""
    if "$" not in text:
        return text
    out = []
    for index, char in enumerate(text):
        if char == "$":
            after = text[index + 1:index + 2]
            before = text[index - 1:index] if index else ""
            if (after and not after.isspace() and not after.isdigit()) or (before and not before.isspace()):
                out.append("&#36;")
                continue
        out.append(char)
    return "".join(out)


def escape_line_start(line: str) -> str:
    """A line of paragraph text that our reader would take for a block's
    start (a list marker, a heading, a quote, a fence, a caption) escaped."""
    stripped = line.lstrip(" ")
    indent = line[:len(line) - len(stripped)]
    found = BLOCK_START.match(stripped)
    if not found:
        return line
    if found["marker"]:
        marker = found["marker"]
        if re.match(r"\([A-Z]+\)", marker):
            return line  # a capital letter in brackets is a portion mark, never a list's (read/lists.py)
        if marker[0] in "-+*(#":
            return indent + "\\" + stripped
        # `1.`, `a)`, `iv.`: the delimiter escaped.
        end = len(marker.rstrip(" []xX"))
        return indent + stripped[:end - 1] + "\\" + stripped[end - 1:]
    if found["caption"]:
        return indent + "Table\\:" + stripped[6:]
    if found["rule"]:
        return indent + "\\" + stripped
    if found["percent"]:
        return indent + "&#37;" + stripped[1:]
    return indent + "\\" + stripped


def code_span(text: str) -> str:
    text = text.replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.strip()) else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def marks_of(item: Inline) -> frozenset[str] | None:
    """The marks every text leaf inside has (None: no text inside, the
    node takes whatever is open around it)."""
    match item:
        case Text(text=text, marks=marks):
            return frozenset(mark for mark in marks if mark in ORDER)
        case Change(kind="format", children=children, old=old):  # each side its own marks
            return None
        case Link(children=children) | Bookmark(children=children) | Commented(children=children) \
                | Change(children=children):
            found = [m for m in (marks_of(child) for child in children
                                 if not (isinstance(child, Text) and not child.text.strip()))
                     if m is not None]
            if not found:
                return None
            common = found[0]
            for other in found[1:]:
                common = common & other
            return common
        case _:
            return None


def render(inlines: tuple[Inline, ...], ctx: Context, outer: frozenset[str] = frozenset()) -> str:
    """Markdown for some inlines; `outer` are the marks open around them.
    Marks open in ORDER and close innermost first; spaces at a run's ends
    stand outside the delimiters that open or close there, as Markdown
    needs (`**bold** text`, never `**bold **text`)."""
    out: list[str] = []
    stack: list[str] = []  # marks open, outermost first
    items = list(inlines)
    for index, item in enumerate(items):
        wanted = marks_of(item)
        if wanted is None:  # no text of its own: inside whatever is open
            out.append(leaf(item, ctx, frozenset(stack) | outer))
            continue
        wanted = wanted - frozenset(mark.removeprefix("html-") for mark in outer)
        blank = isinstance(item, Text) and not item.text.strip()
        while stack and not {m.removeprefix("html-") for m in stack} <= wanted:
            out.append(closer(stack.pop()))
        lead = trail = ""
        body: Inline = item
        if isinstance(item, Text):
            core = item.text.strip(" ")
            if core:
                lead = item.text[:len(item.text) - len(item.text.lstrip(" "))]
                trail = item.text[len(item.text.rstrip(" ")):]
                body = Text(core, item.marks)
        if blank:
            out.append(leaf(item, ctx, frozenset(stack) | outer))
            continue
        out.append(lead)
        opened = [mark for mark in ORDER if mark in wanted
                  and mark not in {m.removeprefix("html-") for m in stack}]
        for mark in opened:
            stack.append("html-" + mark if mark in ("sup", "sub") else mark)
        text = leaf(body, ctx, frozenset(stack) | outer)
        for mark in opened:
            if mark in ("sup", "sub") and not (text.startswith(("[", "<", "^", "~")) or " " in text
                                               or "\n" in text or not text):
                # `^10^`, `H~2~O`; where `^[` would open an inline note, or
                # spaces would need escaping, HTML's tags say it plainly.
                stack[stack.index("html-" + mark)] = mark
        if any(m in ("sup", "sub") for m in opened):
            text = leaf(body, ctx, frozenset(stack) | outer)
        for mark in opened:
            out.append(opener(next(m for m in stack if m.removeprefix("html-") == mark)))
        out.append(text)
        if trail:
            if not keeps(items[index + 1:], stack):
                while stack:
                    out.append(closer(stack.pop()))
            out.append(trail)
    while stack:
        out.append(closer(stack.pop()))
    return "".join(out)


def keeps(rest: list[Inline], stack: list[str]) -> bool:
    """Whether the next run with text keeps every mark open."""
    for after in rest:
        marks = marks_of(after)
        if marks is None:
            continue
        open_marks = {m.removeprefix("html-") for m in stack}
        if isinstance(after, Text) and not after.text.strip():
            if not open_marks <= marks:
                return False
            continue
        return open_marks <= marks
    return False


def opener(mark: str) -> str:
    if mark.startswith("html-"):
        return f"<{mark[5:]}>"
    return "[" if mark in SPAN_MARKS else DELIMITERS[mark]


def closer(mark: str) -> str:
    if mark.startswith("html-"):
        return f"</{mark[5:]}>"
    return "]{." + mark + "}" if mark in SPAN_MARKS else DELIMITERS[mark]


def leaf(item: Inline, ctx: Context, open_marks: frozenset[str]) -> str:
    match item:
        case Text(text=text, marks=marks):
            text = text.replace("\t", " ")
            if "kbd" in marks:
                return f"<kbd>{escape_text(text, ctx)}</kbd>"
            if "code" in marks:
                return code_span(text)
            escaped = escape_text(text, ctx)
            title = next((mark[5:] for mark in marks if mark.startswith("abbr=")), None)
            if title is not None:
                return f'<abbr title="{attribute(title)}">{escaped}</abbr>'
            if open_marks & {"sub", "sup"}:  # not within <sup>: spaces are fine there
                escaped = escaped.replace(" ", "\\ ")
            if ctx.in_table:
                escaped = escaped.replace("|", "\\|")
            return escaped
        case Break():
            return "<br>" if ctx.in_table else "\\\n"
        case Link(target=target, children=children):
            refs = [child for child in children if isinstance(child, CrossRef)]
            if refs and target.startswith("#") and all(
                    isinstance(child, (CrossRef, Text)) for child in children):
                # Our REF fields sit in a link to their target, after its label
                # ("Section ", "Equation "; a sub-figure's group, then its
                # letter): the cross-reference, as written.
                ident = ctx.bookmark_id(target[1:]) or ctx.bookmark_id(refs[0].bookmark)
                if ident and re.match(r"(sec|tbl|fig|eq)-", ident) and ctx.numbered(ident):
                    return f"@{ident}"
            if target.startswith("#"):
                ident = ctx.bookmark_id(target[1:])
                if ident is None:
                    return render(children, ctx, open_marks)  # a place nothing has any more
                if ctx.was_ref(ident):  # `@sec-annex-b`, which Word shows as a link: "Annex B"
                    return f"@{ident}"
                target = "#" + ident
            inner = render(children, ctx, open_marks)
            title = ctx.link_title(target)
            if not inner:
                inner = escape_text(target, ctx)
            if inner == escape_text(target, ctx) and re.match(r"(https?|ftp)://\S+$", target) and not title:
                return f"<{target}>"
            return f"[{inner}]({destination(target)}{quoted_title(title)})"
        case NoteRef(key=key):
            return f"[^{ctx.note_label(key)}]"
        case RepeatedNoteRef(number=number):
            return f"[^{ctx.repeated_label(number)}]"
        case CrossRef(bookmark=bookmark, shown=shown):
            ident = ctx.bookmark_id(bookmark)
            if ident and re.match(r"(sec|tbl|fig|eq)-", ident) and ctx.numbered(ident):
                return f"@{ident}"
            if ident:
                return f"[{escape_text(shown, ctx)}](#{ident})"
            return escape_text(shown, ctx)
        case Sequence(shown=shown):
            return escape_text(shown, ctx)
        case Picture(alt=alt) as picture:
            return f"![{escape_text(alt, ctx)}]({destination(ctx.picture_path(picture))}){ctx.image_size()}"
        case Formula(display=display) as formula:
            tex = ctx.tex(formula)
            tex = " ".join(tex.split()) if not display else tex
            return f"$${tex}$$" if display else f"${tex}$"
        case Bookmark(name=name, children=children):
            if name.startswith("_Cite_") and (citation := ctx.cite(name)):
                return citation  # the citation as written, not the words its style gave it
            ident = ctx.bookmark_id(name)
            inner = render(children, ctx, open_marks)
            if not ident or ident in ctx.used_ids:
                return inner
            ctx.used_ids.add(ident)
            if not children:
                return f'<a name="{attribute(ident)}"></a>'
            classes = "".join(f" .{c}" for c in ctx.span_classes(name) if re.fullmatch(r"[\w-]+", c))
            return f"[{inner}]{{#{ident}{classes}}}"
        case Commented(comment=comment, children=children, end=end):
            if end:
                return ctx.comment(comment)
            inner = render(children, ctx, open_marks)
            return f"{{=={inner}==}}" if inner.strip() else inner
        case Change(kind=kind, children=children, old=old, author=author, date=date):
            inner = render(children, ctx, open_marks)
            if kind == "ins":
                return f"{{++{inner}++}}"
            if kind == "del":
                return f"{{--{inner}--}}"
            return f"{{~~{render(old, ctx, open_marks)}~>{inner}~~}}"
        case Task(done=done):
            return "[x] " if done else "[ ] "
        case Verbatim(markdown=markdown):
            return markdown
        case _:
            return ""


def attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def destination(target: str) -> str:
    if re.search(r"[\s<>]", target) or target.count("(") != target.count(")"):
        return "<" + target.replace("<", "%3C").replace(">", "%3E") + ">"
    return target


def quoted_title(title: str | None) -> str:
    if not title:
        return ""
    return ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'


def comment_text(author: str, date: str, text: str) -> str:
    said = " ".join(text.replace("<<}", "<< }").split())
    stamp = f"{author}, {when(date)}" if date else author
    return f"{{>>{stamp}: {said}<<}}"


def lines(text: str) -> list[str]:
    """A paragraph's Markdown as lines (after hard breaks), each escaped
    at its start."""
    return [escape_line_start(line) for line in text.split("\n")]
