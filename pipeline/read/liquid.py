"""Jekyll's Liquid tags in a page's text, read as Jekyll leaves them.

Government sites built with Jekyll (18F's, USWDS's, CFPB's) write their
code samples as `{% highlight html %}` … `{% endhighlight %}`, show Liquid
itself between `{% raw %}` and `{% endraw %}`, and hide notes in
`{% comment %}` … `{% endcomment %}`. pandoc and GitHub show all of it as
text, which ran a page's code together into one paragraph. Here:

- a highlight block is a fenced code block in its language, standing
  where the tag stood (in a list item, right after text); one indented
  past its container, where a fence would be an indented block's text
  (deep in raw HTML), stays text, as pandoc shows it;
- the raw tags go, and what they enclose is shown as written;
- a comment goes, from every output.

Inside a fenced code block everything stays as written (a page about
Jekyll shows its tags there). Anything else (`{% include … %}`, `{% if %}`)
runs a template, which briefing never does: an include alone on its line
is left out with a warning (markdown.py, with Quarto's and Hugo's
shortcodes); the rest stays text. Lines carry read/markdown.py's markers
by now, which stay with them.
"""

from __future__ import annotations

import re

from markdown.preprocessors import Preprocessor

from pipeline.read.inlines import fence_after, in_code

MARK = "\t?[\ue000-\uf8ff]{2}"  # read/markdown.py's line marker, maybe after a tab
TAG = r"\{{%-?[ \t]*{name}[ \t]*-?%\}}"
# Matched on a line without its marker, which may stand before a tag's `}`.
HIGHLIGHT = re.compile(r"(?P<indent>[ \t]*)\{%-?[ \t]*highlight[ \t]+(?P<lang>[\w#+.-]+)[^%\n]*?-?%\}[ \t]*")
END_HIGHLIGHT = re.compile(rf"[ \t]*{TAG.format(name='endhighlight')}[ \t]*")
# On a line with its marker, which may stand before the tag's `}`: the tag
# goes, its marker stays.
RAW = re.compile(rf"\{{%-?[ \t]*(?:end)?raw[ \t]*-?%(?P<marks>(?:{MARK})*)\}}")
ALONE = re.compile(rf"[ \t]*(?:{TAG.format(name='(?:end)?raw')}[ \t]*)+")
COMMENT = re.compile(TAG.format(name="comment"))
END_COMMENT = re.compile(TAG.format(name="endcomment"))
BACKTICKS = re.compile(r"`+")
MARKS = re.compile(MARK)


class LiquidTags(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if not any("{%" in line for line in lines):
            return lines  # most pages: no tag to read
        out: list[str] = []
        fence = ""  # the fence of the code block the line is in, if any: its text is as written
        index = 0
        while index < len(lines):
            line, plain = lines[index], MARKS.sub("", lines[index])
            if (after := fence_after(plain, fence)) is not None or fence:
                fence = fence if after is None else after
                out.append(line)
                index += 1
            elif (opening := HIGHLIGHT.fullmatch(plain)) and (end := closing(lines, index + 1)) is not None \
                    and not in_code(out, opening["indent"]):
                out += fenced(opening, lines[index:end + 1])
                index = end + 1
            elif COMMENT.search(plain):
                index = self.comment(lines, index, out)
            else:
                if not ALONE.fullmatch(plain):
                    out.append(RAW.sub(r"\g<marks>", line))
                index += 1
        return out

    def comment(self, lines: list[str], index: int, out: list[str]) -> int:
        """Leave out a comment from its tag to its end tag (the text before
        and after them on their lines stays); the next line's index. One
        never closed is shown as written (Jekyll would refuse the page)."""
        opening = COMMENT.search(lines[index])
        assert opening is not None
        before, rest = lines[index][:opening.start()], lines[index][opening.end():]
        last = index
        while not (end := END_COMMENT.search(rest)):
            last += 1
            if last == len(lines):
                out.append(lines[index])
                return index + 1
            rest = lines[last]
        after = rest[end.end():]
        kept = f"{before.rstrip()} {after.lstrip()}" if before.strip() and MARKS.sub("", after).strip() \
            else before + after
        if MARKS.sub("", kept).strip():
            out.append(kept)
        return last + 1


def fenced(opening: re.Match, lines: list[str]) -> list[str]:
    """A highlight block's lines (its tags' too) as a fenced code block in
    its language, where the tag stood (in a list item, say), each line with
    its marker; a block of its own, as Jekyll makes it even right after
    text, so blank lines (which carry no marker) stand round it."""
    code = lines[1:-1]
    longest = max((len(run) for text in code for run in BACKTICKS.findall(text)), default=0)
    fence = opening["indent"] + "`" * max(3, longest + 1)
    return ["", f"{fence}{opening['lang']}{marks(lines[0])}", *code, f"{fence}{marks(lines[-1])}", ""]


def closing(lines: list[str], start: int) -> int | None:
    """The index of the line that ends a highlight block opened before `start`."""
    for index in range(start, len(lines)):
        if END_HIGHLIGHT.fullmatch(MARKS.sub("", lines[index])):
            return index
    return None


def marks(line: str) -> str:
    """A line's marker (its number, for read/markdown.py), to end a line made for it."""
    return "".join(MARKS.findall(line))
