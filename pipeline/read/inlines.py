"""pandoc's inline syntax, as Python-Markdown extensions, and the model
nodes the elements they make become.

- `~~struck~~`, `H~2~O`, `2^10^`: pymdownx's tilde and caret (their pandoc
  rules: no unescaped space inside a sub- or superscript);
- `[text]{.smallcaps #id}`: a bracketed span;
- `^[an inline note]`: a footnote written where it is called;
- `$x$` and `$$x$$` (with pandoc's rule for dollars: `$5 and $10` is text),
  `$$ … $$ {#eq-id}` standing alone being a numbered equation;
- a backslash at the end of a line: a hard line break;
- `:smile:`: GitHub's emoji shortcodes (pymdownx's gemoji index), as the
  character itself;
- curly quotes, dashes (`--`, `---`) and ellipses by the briefing's `lang`
  (Python-Markdown's smarty), never inside code;
- kramdown's attribute lines (`{: .class}` alone on a line) and
  `{::comment}` blocks, dropped;
- a bare `https://…`, `www.…` or e-mail address: a link, as GitHub makes
  it (pymdownx's magiclink, which follows GFM's rules for where it ends).

Each pattern makes an element whose tag the reader knows (see `node`);
the TeX of a formula is kept in an attribute, where no later pattern, and
no smart quote, can touch it.
"""

from __future__ import annotations

import functools
import html
import re
import string
import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown
from markdown.extensions import Extension
from markdown.extensions.smarty import SmartyExtension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.util import INLINE_PLACEHOLDER_RE, AtomicString
from pymdownx import magiclink
from pymdownx.betterem import BetterEmExtension
from pymdownx.caret import InsertSupExtension
from pymdownx.delimiterprocessor import Delimiter, DelimiterProcessor
from pymdownx.emoji import EmojiExtension
from pymdownx.tilde import DeleteSubExtension

from pipeline import model as m

MATH_TAG = "briefing-math"
NOTE_TAG = "briefing-note"
SPAN_TAG = "briefing-span"
SHORTCODE_TAG = "briefing-shortcode"  # a Hugo shortcode in a line, as written
# Hugo's `{{< x >}}` and `{{% x %}}`, Liquid's tags (`{% image "x.png" %}`,
# read/liquid.py took those it reads) and any other template's `{{ … }}`
# (MDN's `{{HTTPHeader("CSP")}}`, `{{ site.baseurl }}`): as written, their
# quotes never curled.
INLINE_SHORTCODE = (r"\{\{(?:<[^<>\n]*>|%[^%\n]*%|[^{}<%\n][^{}\n]*)[\ue000-\uf8ff\t]*\}\}|\{%-?\s*[A-Za-z_][^%\n]*%[\ue000-\uf8ff\t]*\}"
    # Middleman's ERB (`.html.md.erb`: `# <%= current_page.data.title %>`)
    r"|<%[=#-]?[^%\n]*%[\ue000-\uf8ff\t]*>")
# `{#eq-id}` after display math; a line marker may stand before its `}`.
MATH_ID = re.compile(r"[ \t]*\{#([A-Za-z][\w:.-]*)(?P<marks>[\ue000-\uf8ff\t]*)\}")

# Quotation marks by the briefing's `lang` (its primary subtag); others get English's.
# French sets its guillemets off with a narrow no-break space (U+202F).
QUOTES = {
    "fr": {"left-double-quote": "«\u202f", "right-double-quote": "\u202f»"},
    "de": {"left-double-quote": "„", "right-double-quote": "“",
           "left-single-quote": "‚", "right-single-quote": "‘"},
}
ENGLISH_QUOTES = {"left-double-quote": "“", "right-double-quote": "”",
                  "left-single-quote": "‘", "right-single-quote": "’"}


@functools.cache
def closing_quotes(lang: str) -> dict[str, str]:
    """The language's opening quotes, each with its closing one."""
    quotes = {**ENGLISH_QUOTES, **QUOTES.get(lang.split("-")[0].lower(), {})}
    return {quotes[f"left-{kind}-quote"]: quotes[f"right-{kind}-quote"] for kind in ("double", "single")}


# Inline patterns ----------------------------------------------------------------

def balanced(data: str, start: int) -> int | None:
    """The index of the `]` closing the `[` before `start`, or None."""
    depth = 1
    index = start
    while index < len(data):
        char = data[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


class InlineNote(InlineProcessor):
    """`^[text]`: the note's text, read as Markdown, inside a NOTE_TAG."""

    def handleMatch(self, found: re.Match[str], data: str):
        end = balanced(data, found.end())
        if end is None:
            return None, None, None
        note = etree.Element(NOTE_TAG)
        note.text = data[found.end():end]
        return note, found.start(), end + 1


class BracketedSpan(InlineProcessor):
    """`[text]{.class #id key=value}`: a span of classes and an id."""

    ATTRIBUTES = re.compile(r"\{([^{}\n]*)\}")

    def handleMatch(self, found: re.Match[str], data: str):
        end = balanced(data, found.end())
        if end is None:
            return None, None, None
        attributes = self.ATTRIBUTES.match(data, end + 1)
        if not attributes:
            return None, None, None
        span = etree.Element(SPAN_TAG)
        span.text = data[found.end():end]
        words = attributes[1].split()
        span.set("class", " ".join(word[1:] for word in words if word.startswith(".") and len(word) > 1))
        span.set("id", next((word[1:] for word in words if word.startswith("#")), ""))
        return span, found.start(), attributes.end()


# pandoc's tex_math_dollars: display `$$…$$`; inline `$…$` whose opening `$`
# has a non-space right after it, and whose closing `$` a non-space right
# before it and no digit right after it.
DISPLAY_MATH = r"(?<!\\)\$\$(?P<display>.+?)(?<!\\)\$\$"
INLINE_MATH = r"(?<![\\$])\$(?P<inline>[^\s$](?:[^$\\]|\\.)*?)(?<![\s\\])\$(?!\d)"


ESCAPED = re.compile("\x02([0-9]{1,6})\x03")


class MathPattern(InlineProcessor):
    def handleMatch(self, found: re.Match[str], data: str):
        element = etree.Element(MATH_TAG)
        end = found.end()
        if found["display"] is not None:
            element.set("tex", stripped(self.as_written(found["display"])))
            element.set("display", "1")
            if label := MATH_ID.match(data, end):
                element.set("id", label[1])
                if label["marks"]:
                    element.set("data-end", label["marks"])  # read by the line markers' walk
                end = label.end()
        else:
            element.set("tex", self.github(found["inline"]) or self.as_written(found["inline"]))
        return element, found.start(), end

    def github(self, tex: str) -> str:
        """GitHub's inline formula, `` $`\\sqrt{3}`$ ``: a code span alone
        between the dollars is the formula (pandoc's gfm reader reads it so)."""
        if not (found := INLINE_PLACEHOLDER_RE.fullmatch(tex.strip())):
            return ""
        node = self.md.treeprocessors["inline"].stashed_nodes.get(found[1])
        return html.unescape(node.text or "").strip() if isinstance(node, etree.Element) and node.tag == "code" else ""

    def as_written(self, tex: str) -> str:
        """The TeX with what Python-Markdown took before us put back as
        written: code spans (`$`x`$` is the formula `x` in backquotes, as
        pandoc reads it), and backslash escapes when emphasis round the
        formula has it read again (`**$\\ $**`). In an attribute, its
        placeholders would stay."""
        return as_written(self, tex)


def as_written(pattern: InlineProcessor, text: str) -> str:
    """`text` a pattern matched, with the code spans and backslash escapes
    Python-Markdown took before it put back as written (anything else it
    stashed as its words)."""
    if "\x02" not in text:
        return text
    stash = pattern.md.treeprocessors["inline"].stashed_nodes

    def written(placeholder: re.Match[str]) -> str:
        node = stash.get(placeholder[1])
        if isinstance(node, str):  # an escape: STX, the character's number, ETX
            return ESCAPED.sub(lambda escape: "\\" + chr(int(escape[1])), node)
        if isinstance(node, etree.Element) and node.tag == "code":
            code = html.unescape(node.text or "")
            fence = "`" * (max(map(len, re.findall("`+", code)), default=0) + 1)
            return fence + code + fence
        return pattern.unescape(placeholder[0])
    return INLINE_PLACEHOLDER_RE.sub(written, text)


EDGE = re.compile(r"^[\s\ue000-\uf8ff]+|[\s\ue000-\uf8ff]+$")


def stripped(text: str) -> str:
    """Text without the spaces at its ends, keeping the line markers among them."""
    return EDGE.sub(lambda edge: "".join(re.findall("[\ue000-\uf8ff]", edge[0])), text)


class InlineShortcode(InlineProcessor):
    """A Hugo shortcode inside a line (`gsoc{{< current_year >}}`): shown as
    written, as pandoc shows it, but kept from smart quotes and emphasis,
    and said (the reader warns once for each): briefing runs none."""

    def handleMatch(self, found: re.Match[str], data: str):
        element = etree.Element(SHORTCODE_TAG)
        # Its text as written: code spans inside (`{% assign x = "the `H3`" %}`,
        # VA's design system) were read before, and their placeholders
        # leaked into every output, the rest of the tag lost.
        element.text = AtomicString(as_written(self, found[0]))
        return element, found.start(), found.end()


class UnseenTex(InlineProcessor):
    """Raw TeX that shows nothing outside LaTeX (`\\index{YAML}`,
    `\\label{x}`, `\\vspace{1em}`, `\\noindent`), which R Markdown books
    sprinkle through their text: gone, as pandoc leaves it out of HTML and
    Word. LaTeX's text commands are TexText's; any other command stays text."""

    def handleMatch(self, found: re.Match[str], data: str):
        return "", found.start(), found.end()


class TexText(InlineProcessor):
    r"""LaTeX's text commands in a line (`\textbf{Replication.}`, `\emph{x}`,
    `\LaTeX`, `\url{…}`), as academic Markdown written for a PDF through
    LaTeX has them: what LaTeX shows, bold, italic, code, underlined, in
    small capitals or a link; pandoc leaves them out of HTML and Word, text
    and all. What they enclose is read as any text is (two levels of braces
    in it)."""

    TAGS = {"textbf": "strong", "textit": "em", "emph": "em", "textsl": "em", "texttt": "code",
            "underline": "u", "textsc": SPAN_TAG}
    NAMES = {"LaTeX": "LaTeX", "TeX": "TeX", "LaTeXe": "LaTeX2ε", "BibTeX": "BibTeX"}

    def handleMatch(self, found: re.Match[str], data: str):
        if found["name"] in self.NAMES:
            return self.NAMES[found["name"]], found.start(), found.end()
        return self.made(found), found.start(), found.end()

    def made(self, found: re.Match[str]) -> etree.Element:
        r"""The command's element, a command inside it (`\emph{very \textbf{much}}`) its child;
        `\url{…}` and `\href{…}{words}` are links, checked as any link is."""
        if found["url"]:
            element = etree.Element("a", {"href": found["url"]})
            element.text = AtomicString(found["url"])
            return element
        if found["href"]:
            element = etree.Element("a", {"href": found["href"]})
        else:
            element = etree.Element(self.TAGS[found["command"]])
        if element.tag == SPAN_TAG:
            element.set("class", "smallcaps")
        text = found["text"]
        if element.tag == "code":
            element.text = AtomicString(text)
            return element
        element.text, last = "", None
        position = 0
        for inner in self.compiled_re.finditer(text):
            before = text[position:inner.start()] + (self.NAMES[inner["name"]] if inner["name"] else "")
            if last is None:
                element.text += before
            else:
                last.tail = (last.tail or "") + before
            if not inner["name"]:
                last = self.made(inner)
                element.append(last)
            position = inner.end()
        if last is None:
            element.text += text[position:]
        else:
            last.tail = (last.tail or "") + text[position:]
        return element


class BackslashBreak(InlineProcessor):
    """A backslash ending a line (pandoc's escaped_line_breaks)."""

    def handleMatch(self, found: re.Match[str], data: str):
        return etree.Element("br"), found.start(), found.end()


def emoji_index(options, md) -> dict:
    """pymdownx's GitHub (gemoji) index, shared: its own `gemoji` deep-copies
    the whole index for every Markdown instance, 60 ms each (the index is
    only ever read)."""
    from pymdownx import gemoji_db

    return {"name": gemoji_db.name, "emoji": gemoji_db.emoji, "aliases": gemoji_db.aliases}


def emoji_character(index, shortname, alias, uc, alt, title, category, options, md):
    """A shortcode as the emoji character itself (the fonts draw it)."""
    return AtomicString(alt)


# Kramdown's lines ---------------------------------------------------------------

# An attribute list alone on a line (`{: .class}`, `{:#id}`), not an
# extension such as `{::comment}`. Line markers may stand in it.
MARKS = "[\ue000-\uf8ff\t]*"
IAL_LINE = re.compile(rf"^(?P<indent>[ ]*)\{{:(?!:)(?P<body>[^{{}}\n]*)\}}{MARKS}[ ]*{MARKS}$")
IAL_ID = re.compile(r"(?:^|\s)#([A-Za-z][\w:.-]*)")
IAL_OPEN = re.compile(r"^[ ]*\{:(?!:)[^{}\n]*$")  # an attribute list not closed on its line
ATX_HEADING = re.compile(r"^[ ]{0,3}#{1,6}(?:[ \t]|$)")
COMMENT_START = re.compile(r"^\{::comment\}")
COMMENT_END = re.compile(r"\{:/comment\}|\{:/\}")


OPENS_MATH = re.compile(r"\s*(?<!\\)\$\$(?!.*(?<!\\)\$\$)")  # `$$` starts the line and closes nothing on it
# A line that would start a block: a list item, a quote, a heading, a table
# row, a definition, a setext underline or rule.
BLOCK_START = re.compile(r"[ ]*(?:[-+*>#|:=_~]|\d+[.)])")
MAX_MATH_LINES = 200  # a formula longer is not looked for (TeX of a page or more)
# A line marker, a stashed element's start, a backslash or `>` (never in an
# address: `https://x.org/YAML),\index{YAML}` ends at YAML, as in pandoc;
# `\<https://x.org>` at the `>`).
ADDRESS_STOP = re.compile("[\ue000-\uf8ff\x02\\\\>]")
TEX_TEXT = (r"(?<!\\)\\(?:(?P<command>textbf|textit|emph|textsl|texttt|underline|textsc|href\{(?P<href>[^{}\s]+)\})"
            r"\{(?P<text>(?:[^{}\n]|\{(?:[^{}\n]|\{[^{}\n]*\})*\})*)\}|(?P<name>LaTeXe|LaTeX|TeX|BibTeX)(?![A-Za-z])(?:\{\})?"
            r"|url\{(?P<url>[^{}\s]+)\})")
UNSEEN_TEX = (r"(?<!\\)\\(?:(?:index|label|vspace\*?|hspace\*?)\{[^{}\n]*\}"
              r"|(?:noindent|medskip|smallskip|bigskip|phantomsection)(?![A-Za-z]))")


def unmarked(line: str) -> str:
    return re.sub("[\ue000-\uf8ff]", "", line)


class KramdownLines(Preprocessor):
    """kramdown never shows an attribute list or a comment: an `{: …}`
    line goes (its `#id` given to a heading on the line above), and so does
    a `{::comment}` … `{:/comment}` block."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        in_comment = False
        index = 0
        while index < len(lines):
            line = lines[index]
            plain = unmarked(line)
            index += 1
            if in_comment:
                in_comment = not COMMENT_END.search(plain)
                continue
            if COMMENT_START.match(plain):
                in_comment = not COMMENT_END.search(plain)
                continue
            if IAL_OPEN.match(plain) and (end := ial_end(lines, index)) is not None:
                # Over several lines (an IETF draft's `{: #id title="Initial
                # contents of the` then `registry."}`): joined, then as one.
                indent = plain[:len(plain) - len(plain.lstrip(" "))]
                plain = indent + " ".join(unmarked(part).strip() for part in (line, *lines[index:end]))
                index = end
            if (found := IAL_LINE.match(plain)) and not in_code(out, found["indent"]):
                ident = IAL_ID.search(found["body"])
                if ident and out and ATX_HEADING.match(unmarked(out[-1])):
                    out[-1] = with_id(out[-1], ident[1])
                continue
            out.append(line)
        return out


def ial_end(lines: list[str], start: int) -> int | None:
    """Where an attribute list left open at line `start - 1` closes
    (exclusive): a line ending in `}` within the next three, none of them
    blank or holding a brace; None when it does not."""
    for number in range(start, min(start + 3, len(lines))):
        text = unmarked(lines[number]).strip()
        if not text or "{" in text or "}" in text[:-1]:
            return None
        if text.endswith("}"):
            return number + 1
    return None


def in_code(before: list[str], indent: str) -> bool:
    """Whether a line `indent` in, after the lines `before`, is a line of
    an indented code block (a `{: …}` line or a `{% highlight %}` tag there
    is text); one four spaces into a list item is the item's (USWDS's pages)."""
    if len(indent) < 4:
        return False
    from pipeline.read.markdown import in_indented_code  # the block structure's rule (it imports us)

    text = "".join(f"{line}\n" for line in before)
    return in_indented_code(text, len(text), indent)


FENCE_LINE = re.compile(r"[ \t>]*(?P<fence>`{3,}(?![^\n]*`)|~{3,})")  # no other backtick on its line


def fence_after(plain: str, fence: str) -> str | None:
    """The fence of the code block a line (its marker taken off) leaves the
    text in, when it opens or closes one ("" once closed); None for a line
    that does neither. `fence`: the block's the line is in, if any."""
    found = FENCE_LINE.match(plain)
    if not found:
        return None
    mark = found["fence"]
    if not fence:
        return mark
    if mark[0] == fence[0] and len(mark) >= len(fence) and not plain[found.end():].strip():
        return ""
    return None


class DisplayMathLines(Preprocessor):
    """A display formula written over lines (`$$`, its TeX, `$$`, as
    Quarto's pages write it) is one formula, as pandoc reads it: a line of
    its TeX that starts as a block would (`  + r S \\frac…`, `> 0`) was
    read as a list item or a quote and broke it. Such a line is set four
    spaces further in, where no block starts (its TeX the same but for
    spaces); a blank line ends a paragraph, and with it any formula."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        index = 0
        while index < len(lines):
            line = lines[index]
            out.append(line)
            index += 1
            if OPENS_MATH.match(unmarked(line)) and (end := math_end(lines, index - 1)) is not None \
                    and not in_code(out[:-1], line[:len(line) - len(line.lstrip(" "))]):  # an indented block's text
                indent = " " * (len(line) - len(line.lstrip(" ")) + 4)
                out += [indent + inner.lstrip(" ") if BLOCK_START.match(inner) else inner
                        for inner in lines[index:end + 1]]
                index = end + 1
        return out


def math_end(lines: list[str], start: int) -> int | None:
    """The line that closes a formula opened on line `start`, if one does
    before a blank line."""
    for index in range(start + 1, min(len(lines), start + MAX_MATH_LINES)):
        line = unmarked(lines[index])
        if not line.strip():
            return None
        if "$$" in line:
            return index
    return None


def with_id(heading: str, ident: str) -> str:
    """An ATX heading line with `{#id}` at its end, its line marker inside
    the braces, where the markers' preprocessor puts one before a `}`."""
    body = heading.rstrip()
    marks = re.search(r"[\ue000-\uf8ff\t]*$", body)
    cut = marks.start() if marks else len(body)
    return f"{body[:cut].rstrip().rstrip('#').rstrip()} {{#{ident}{body[cut:]}}}"


class BareLink(magiclink.MagiclinkPattern):
    """magiclink's bare address, which ends at a line's end: at the line
    marker there (and before a stashed element), not past it. The marker
    stands before the closing brackets that end a line (read/markdown.py):
    an address there is read as if they stood before it (GFM's balanced
    `…Mercury_(planet)`), and the marker goes in the link's words, where
    the line is read off it."""

    def handleMatch(self, m: re.Match, data: str):
        stop = ADDRESS_STOP.search(data, m.end(0))
        if stop is None:
            return super().handleMatch(m, data)
        closing = MARKED_CLOSERS.match(data, stop.start())
        if closing is None:
            return super().handleMatch(m, data[:stop.start()])
        mark, closers = closing.groups()
        element, start, end = super().handleMatch(m, data[:stop.start()] + closers)
        if element is None or end <= stop.start():
            return element, start, end
        element.text = AtomicString(element.text + mark)
        return element, start, end + len(mark)


# A line's marker, then the closing characters that end the line after it
# (read/markdown.py's CLOSERS, and `]`; not `>`, where an address stops
# anyway: ADDRESS_STOP).
MARKED_CLOSERS = re.compile(r"(\t?[\ue000-\uf8ff]{2})([)\]}|#\"']+)(?=\s|$)")


class PandocDelimiters(DelimiterProcessor):
    """pymdownx's delimiter processor (emphasis, ~ and ^), with pandoc's
    nesting for a run of three of one character: `***x***` is strong round
    emphasis in pandoc, emphasis round strong in CommonMark. Mixed runs
    (`_**x**_`) nest as written in both."""

    def build_cache(self, data: str) -> None:
        regions = self.regions
        for index in range(len(regions) - 1):
            outer, inner = regions[index], regions[index + 1]
            if (outer[5] == 1 and inner[5] == 2 and outer[4] == inner[4] == ("strong", "em")
                    and inner[0] == outer[1] and inner[3] == outer[2]
                    and data[outer[0]] == data[inner[0]] == data[outer[2]] == data[inner[2]]):
                a, d = outer[0], outer[3]
                regions[index] = (a, a + 2, d - 2, d, outer[4], 2)
                regions[index + 1] = (a + 2, a + 3, d - 3, d - 2, inner[4], 1)
        super().build_cache(data)


# The extension ----------------------------------------------------------------

class InlineSyntax(Extension):
    def __init__(self, lang: str = "en") -> None:
        super().__init__()
        self.lang = lang

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After fenced code is stashed (25), so a code block keeps its lines.
        md.preprocessors.register(KramdownLines(md), "briefing_kramdown", 24)
        md.preprocessors.register(DisplayMathLines(md), "briefing_display_math", 23)
        # pandoc's escapes: a backslash before any ASCII punctuation (`\$5`,
        # `5\%`, `\@ref`) shows the character alone; Python-Markdown's
        # own list left the backslash before some.
        md.ESCAPED_CHARS = [*md.ESCAPED_CHARS, *(c for c in string.punctuation if c not in md.ESCAPED_CHARS)]
        # Math before backslash escapes (180): TeX is all backslashes; after
        # code spans (190), where a dollar is only a dollar.
        md.inlinePatterns.register(MathPattern(f"{DISPLAY_MATH}|{INLINE_MATH}", md), "briefing_math", 186)
        md.inlinePatterns.register(InlineNote(r"(?<!\\)\^\[", md), "briefing_inline_note", 185)
        md.inlinePatterns.register(BracketedSpan(r"(?<![\\!\]])\[(?!\^)", md), "briefing_span", 172)
        md.inlinePatterns.register(BackslashBreak(r"\\\n", md), "briefing_backslash_break", 179)
        md.inlinePatterns.register(UnseenTex(UNSEEN_TEX, md), "briefing_unseen_tex", 178)
        md.inlinePatterns.register(TexText(TEX_TEXT, md), "briefing_tex_text", 177.5)
        md.inlinePatterns.register(InlineShortcode(INLINE_SHORTCODE, md), "briefing_inline_shortcode", 177)
        # Where magiclink has them: after links and code, before emphasis
        # (`www.x.org/a_b_c` is one address).
        bare = BareLink(magiclink.RE_LINK, md)
        bare.config = {"hide_protocol": False, "repo_url_shortener": False}
        md.inlinePatterns.register(bare, "briefing_bare_link", 85)
        md.inlinePatterns.register(magiclink.MagiclinkMailPattern(magiclink.RE_MAIL, md), "briefing_bare_mail", 84.9)
        # Ours first, so that the extensions below add their delimiters to it.
        md.inlinePatterns.register(PandocDelimiters(Delimiter("*", "strong,em"), md), "delimiter", 60)
        for extension in self.extensions():
            extension.extendMarkdown(md)

    def extensions(self) -> list[Extension]:
        quotes = QUOTES.get(self.lang.split("-")[0].lower(), {})
        # Emphasis by pymdownx's delimiter processor, the one that already
        # reads ~ and ^: Python-Markdown 3.11's own pairs a `**` with a lone
        # `*`, losing the text between and leaking its placeholders
        # (`*A**x*B**`, `_*\`**` repeated). `_` stays intraword-safe.
        return [BetterEmExtension(smart_enable="underscore"),
                DeleteSubExtension(smart_delete=True),
                InsertSupExtension(insert=False),
                EmojiExtension(emoji_index=emoji_index, emoji_generator=emoji_character, alt="unicode"),
                Smarty(smart_angled_quotes=False, substitutions=quotes)]


class Smarty(SmartyExtension):
    """Python-Markdown's smart quotes, and pandoc's opening quote after an
    equals sign or a slash: `type="module"` is type=“module”, and
    `"master"/"release"` “master”/“release”, where smarty closed both
    quotes (its closing pattern takes any quote after a letter or a sign
    but a few); an empty pair `""` is “”."""

    def educateQuotes(self, md: markdown.Markdown) -> None:
        super().educateQuotes(md)
        opening = ((r"(?<=[=/])'(?=\w)", (self.substitutions["left-single-quote"],)),
                   (r'(?<=[=/])"(?=\w)', (self.substitutions["left-double-quote"],)))
        self._addPatterns(md, opening, "opening-after-equals", 32)
        # An empty pair (`= ""`, `set it to ""`) opens then closes, as pandoc
        # has it; smarty read it closing then opening at a line's end.
        empty = ((r'(?:(?<=[\s=(\[{\ue000-\uf8ff])|^)""(?=[\s.,;:!?)\]}\ue000-\uf8ff]|$)',
                  (self.substitutions["left-double-quote"], self.substitutions["right-double-quote"])),)
        self._addPatterns(md, empty, "empty-pair", 32.5)
        # After an escaped character (`"List of \<Type\>").`), stashed by
        # now, a quote before a space, a sign or the end closes: smarty's
        # closing patterns never look past a stash's end, and opened it.
        closing = ((r"(?<=\x03)'(?=[\s.,;:!?)\]]|$)", (self.substitutions["right-single-quote"],)),
                   (r'(?<=\x03)"(?=[\s.,;:!?)\]]|$)', (self.substitutions["right-double-quote"],)))
        self._addPatterns(md, closing, "closing-after-escape", 31.5)


# Elements -> model ----------------------------------------------------------------

Children = Callable[[etree.Element], tuple[m.Inline, ...]]

INLINE_TAGS = frozenset(("del", "s", "strike", "sub", "sup", "ins", "u", "mark", "kbd", SPAN_TAG, MATH_TAG))


def node(element: etree.Element, children: Children, line: int) -> m.Inline | None:
    """The model node of an element these extensions (or the raw HTML
    allowlist) make; None for one they do not."""
    match element.tag:
        case "del" | "s" | "strike":
            return m.Strike(children=children(element))
        case "sub":
            return m.Sub(children=children(element))
        case "sup" if not element.get("id", "").startswith("fnref"):  # not a footnote's call
            return m.Sup(children=children(element))
        case "ins" | "u":
            return m.Span(classes=("underline",), children=children(element))
        case "mark":
            return m.Span(classes=("mark",), children=children(element))
        case "kbd":
            return m.Span(classes=("kbd",), children=children(element))
        case tag if tag == SPAN_TAG:
            classes = tuple(element.get("class", "").split())
            return m.Span(classes=classes, children=children(element), id=element.get("id", ""), line=line)
        case tag if tag == MATH_TAG:
            return m.Math(tex=element.get("tex", "").strip(), display=element.get("display") == "1", line=line)
    return None
