"""pandoc's citation syntax, as a Python-Markdown extension, and the model
nodes the elements it makes become.

- `[@smith2020]`, `[@smith2020, p. 33]`, `[see @smith2020; @jones2019, ch. 2]`:
  a citation of one or more items, each with a prefix before its key and a
  suffix after it (`;` between items);
- `[-@smith2020]`: the author suppressed ("(2020)");
- `@smith2020` and `@smith2020 [p. 4]`: in the text ("Smith (2020, 4)");
- `@{odd key}`: a key with characters a plain key may not hold.

A suffix that starts with a locator (`p. 33`, `pp. 3-5`, `chapter 2`,
`33`: a page) gives the item its locator and label, as pandoc reads them
with its English terms; `{…}` around it says where it ends. Quarto's
cross-references (`@sec-id`, `@fig-id` …) are not citations. The
extension is only registered when the front matter names a bibliography:
without one an `@` is only an `@`, as before.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from pipeline import model as m
from pipeline.read.inlines import balanced

CITE_TAG = "briefing-cite"
ITEM_TAG = "briefing-cite-item"
MARKS = "\t?[\ue000-\uf8ff]{2}"
MARK_CHARS = re.compile("\t?[\ue000-\uf8ff]{2}|[\ue000-\uf8ff]")

# pandoc's citation key: a letter, digit or `_`, then those and single
# internal punctuation among `:.#$%&-+?<>~/`; or anything within `{…}`.
KEY = r"(?:\{(?P<braced>[^{}\n\ue000-\uf8ff]+)\}|(?P<plain>[\w](?:[\w]|[:.#$%&+?<>~/-](?=[\w]))*))"
# Quarto's cross-references (pandoc-crossref's `sec:`), which read/markdown.py reads.
CROSS_REF_KEY = re.compile(r"(?:[Ss]ec|[Tt]bl|[Ff]ig|[Ee]q)[-:]")
ITEM = re.compile(rf"(?P<prefix>(?:.*?(?<![\w@.\\]))??)(?P<suppress>-)?@{KEY}(?P<suffix>.*)", re.DOTALL)
IN_TEXT = re.compile(rf"(?<![\w@.\\/:~\[-])@{KEY}(?:(?P<space>[ ]?)\[)?")


def key_of(found: re.Match[str]) -> str:
    return found["braced"] or found["plain"]


def split_items(content: str) -> list[str]:
    """The `;`-separated parts of a bracket's content (none inside braces)."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(content):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == ";" and depth == 0:
            parts.append(content[start:index])
            start = index + 1
    parts.append(content[start:])
    return parts


class BracketedCitation(InlineProcessor):
    """`[see @a, p. 3; @b]`: a citation element with an item per key."""

    def handleMatch(self, found: re.Match[str], data: str):
        end = balanced(data, found.end())
        if end is None or data[end + 1:end + 2] in ("(", "[", "{"):  # a link or a span
            return None, None, None
        content = data[found.end():end]
        items = []
        for part in split_items(content):
            item = ITEM.fullmatch(part)
            if item is None or CROSS_REF_KEY.match(key_of(item)) or "@" in MARK_CHARS.sub("", item["prefix"]):
                return None, None, None
            items.append(item)
        cite = etree.Element(CITE_TAG)
        for item in items:
            cite.append(item_element(item))
        # What stands between the items (`;`, line ends with their markers)
        # stays in the tree, as tails nobody shows, so lines keep counting.
        for element, found_item in zip(cite, items):
            element.tail = ";" if found_item is not items[-1] else None
        return cite, found.start(), end + 1


def item_element(item: re.Match[str]) -> etree.Element:
    element = etree.Element(ITEM_TAG)
    element.set("key", key_of(item))
    element.set("prefix", item["prefix"])
    element.set("suffix", item["suffix"])
    if item["suppress"]:
        element.set("suppress", "1")
    return element


class InTextCitation(InlineProcessor):
    """`@smith2020`, or `@smith2020 [p. 4]` with its suffix in brackets."""

    def handleMatch(self, found: re.Match[str], data: str):
        key = key_of(found)
        if CROSS_REF_KEY.match(key):
            return None, None, None
        element = etree.Element(ITEM_TAG)
        element.set("key", key)
        element.set("prefix", "")
        element.set("suffix", "")
        end = found.end()
        if found.group(0).endswith("["):
            close = balanced(data, found.end())
            if close is None or data[close + 1:close + 2] in ("(", "[", "{") or "@" in data[found.end():close]:
                end = found.end() - 1 - len(found["space"] or "")  # the bracket is not ours
            else:
                element.set("suffix", data[found.end():close])
                end = close + 1
        cite = etree.Element(CITE_TAG, {"in-text": "1"})
        cite.append(element)
        return cite, found.start(), end


class Citations(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        if "@" not in md.ESCAPED_CHARS:  # `\@smith2020` is an @, no citation, as in pandoc
            md.ESCAPED_CHARS = [*md.ESCAPED_CHARS, "@"]
        # After code spans (190) and inline notes (185); before spans (172),
        # links (160) and emphasis, which would take the brackets' text.
        md.inlinePatterns.register(BracketedCitation(r"(?<![\\!\]])\[(?=[^\]]*@)", md),
                                   "briefing_citation", 176)
        md.inlinePatterns.register(InTextCitation(IN_TEXT.pattern, md), "briefing_in_text_citation", 175)


# Locators ----------------------------------------------------------------------

# The English terms of CSL's locator labels, long and short, singular and
# plural, as pandoc recognises them at the start of a suffix.
LABELS: dict[str, str] = {}
for label, words in {
    "book": "book books bk. bks.", "chapter": "chapter chapters chap. chaps.",
    "column": "column columns col. cols.", "figure": "figure figures fig. figs.",
    "folio": "folio folios fol. fols.", "issue": "number numbers no. nos.",
    "line": "line lines l. ll.", "note": "note notes n. nn.", "opus": "opus opera op. opp.",
    "page": "page pages p. pp.", "paragraph": "paragraph paragraphs para. paras. ¶ ¶¶",
    "part": "part parts pt. pts.", "section": "section sections sec. secs. § §§",
    "sub-verbo": "sub verbo s.v. s.vv.", "verse": "verse verses v. vv.",
    "volume": "volume volumes vol. vols.", "act": "act acts", "appendix": "appendix appendices",
    "article-locator": "article articles art. arts.", "canon": "canon canons",
    "equation": "equation equations eq. eqs.", "rule": "rule rules", "scene": "scene scenes sc. scs.",
    "table": "table tables tbl. tbls.", "title-locator": "title titles tit. tits.",
    "supplement": "supplement supplements supp. supps.",
}.items():
    for word in words.split():
        LABELS[word] = label
TERM = "|".join(sorted((re.escape(word) for word in LABELS), key=len, reverse=True))
# A locator's value: numbers (arabic or roman), ranges and lists of them.
VALUE = r"[\w]+(?:(?:[-–—]|,[ ]?(?=[\w]*\d)|&[ ]?)[\w]+)*"
LOCATOR = re.compile(rf"(?P<label>(?:{TERM}))?[ \u00a0]*(?P<value>{VALUE})(?=$|[,;:. )\]]|\s)", re.IGNORECASE)
BRACED = re.compile(rf"\{{(?:(?P<label>(?:{TERM}))[ \u00a0]*)?(?P<value>[^{{}}]*)\}}", re.IGNORECASE)


def locator(suffix: str) -> tuple[str, str, str]:
    """The locator, its label and what remains of a suffix (`, p. 33,
    emphasis added`: "33", "page", ", emphasis added")."""
    rest = suffix.lstrip()
    if rest.startswith(","):
        rest = rest[1:].lstrip()
    if found := BRACED.match(rest):
        label = LABELS.get((found["label"] or "").lower(), "page")
        return found["value"].strip(), label, rest[found.end():]
    found = LOCATOR.match(rest)
    if not found or (not found["label"] and not found["value"][0].isdigit()):
        return "", "", suffix
    label = LABELS[found["label"].lower()] if found["label"] else "page"
    return found["value"], label, rest[found.end():]


# Elements -> model ------------------------------------------------------------

def node(element: etree.Element, line_of: Callable[[etree.Element], int],
         text: Callable[[str], str]) -> m.Cite:
    """The Cite of a citation element; `text` turns a prefix's or suffix's
    source into what a reader sees (entities, smart punctuation)."""
    items = []
    for item in element.iter(ITEM_TAG):
        loc, label, suffix = locator(text(item.get("suffix", "")))
        items.append(m.CiteItem(key=item.get("key", ""), prefix=text(item.get("prefix", "")).strip(),
                                suffix=suffix, locator=loc, label=label,
                                suppress_author=item.get("suppress") == "1",
                                line=line_of(item) or line_of(element)))
    return m.Cite(items=tuple(items), in_text=element.get("in-text") == "1", line=line_of(element))
