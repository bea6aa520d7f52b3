"""The CSL processor: citeproc-py, driven as pandoc drives its citeproc.

citeproc-py renders a citation's items one by one, each between its prefix
and suffix; the prefix and suffix we hand it carry private marks around
them (author text never holds these: read/source.py refuses them), so
that each item's words can be found in what it returns and linked to its
entry. pandoc's suppress-author (`[-@key]`) and in-text (`@key [p. 4]`)
forms, which citeproc-py lacks, come from one more rendering in which the
item's authors are a single placeholder name: what stands in its place is
the author part, and without it the citation is the suppressed form. The
bibliography is rendered apart, from items without locators.
"""

from __future__ import annotations

import html
import io
import json
import re
from dataclasses import dataclass

from pipeline import model as m

# Around each item: its number, its prefix, its own words, its suffix.
ITEM_START, NUMBER_END, CORE_START, CORE_END, ITEM_END = "\ue010", "\ue011", "\ue012", "\ue013", "\ue014"
MARKS = re.compile("\ue010\\d+\ue011|[\ue010-\ue014]")
AUTHOR = "\ue030"  # the placeholder author
ITEM = re.compile(f"{ITEM_START}(\\d+){NUMBER_END}(.*?){CORE_START}(.*?){CORE_END}(.*?){ITEM_END}", re.DOTALL)
PLACEHOLDER = re.compile(f"{AUTHOR}(?:</[a-z]+>)*(?:[,.:;]?[ \u00a0])?")
# A closing quotation mark (and markup closing after it), then a period or
# comma; the quotation's own last character before it, when it ends a sentence.
CLOSE_QUOTE = re.compile("([.?!]?)([”’])((?:</[a-z]+>|[\ue010-\ue014])*)([.,])")
LABEL = re.compile(r"^(\[\d+\]|\d+\.)(?=\S)")  # a numeric style's label, set off from the entry
NAME_ROLES = ("author", "editor", "translator", "container-author", "collection-editor", "composer",
              "director", "interviewer", "illustrator", "original-author", "recipient", "reviewed-author")

Parts = list[tuple[str | None, tuple[m.Inline, ...]]]  # (the entry's key or None, its words)


@dataclass(frozen=True)
class Result:
    text: Parts  # the citation as it stands in the text
    note: Parts  # a note style's note: the citation without the in-text author
    author: Parts  # an in-text citation's author part ("Smith and Doe")


def locale_of(lang: str) -> str:
    tag = lang.replace("_", "-")
    primary = tag.split("-")[0].lower()
    regions = {"en": "en-US", "fr": "fr-FR", "de": "de-DE", "es": "es-ES", "it": "it-IT", "pt": "pt-PT",
               "nl": "nl-NL", "pl": "pl-PL", "sv": "sv-SE", "da": "da-DK", "nb": "nb-NO", "fi": "fi-FI"}
    return tag if "-" in tag else regions.get(primary, "en-US")


class Engine:
    def __init__(self, sources: m.Sources, lang: str) -> None:
        from citeproc import CitationStylesStyle
        from citeproc.source.json import CiteProcJSON

        from pipeline.transform import citeproc_patches

        citeproc_patches.apply()
        self.data = [json.loads(ref.csl) for ref in sources.references]
        self.keys = {str(item["id"]).lower(): str(item["id"]) for item in self.data}
        style_xml = sources.style.encode("utf-8")
        try:
            self.style = CitationStylesStyle(io.BytesIO(style_xml), validate=False,
                                             locale=None if b"default-locale" in style_xml else locale_of(lang))
        except ValueError:  # a language citeproc-py has no locale for
            self.style = CitationStylesStyle(io.BytesIO(style_xml), validate=False, locale="en-US")
        self.source = CiteProcJSON(self.data)
        bibliography = self.style.root.bibliography
        self.hanging = bibliography is not None and bibliography.get("hanging-indent") == "true"
        citation = self.style.root.citation
        self.punctuation_in_quote = (citation.get_locale_option("punctuation-in-quote") or "").lower() == "true"
        self.order: list[str] = []

    def cite(self, cites: list[m.Cite], in_notes: list[bool]) -> list[Result]:
        from citeproc import Citation, CitationItem, CitationStylesBibliography, Locator, formatter

        bib = CitationStylesBibliography(self.style, self.source, formatter.html)
        citations = []
        for cite in cites:
            items = []
            for index, item in enumerate(cite.items):
                options: dict = {
                    "prefix": f"{ITEM_START}{index}{NUMBER_END}{html.escape(spaced_prefix(item.prefix))}{CORE_START}",
                    "suffix": f"{CORE_END}{html.escape(spaced_suffix(item.suffix))}{ITEM_END}"}
                if item.locator:
                    options["locator"] = Locator(item.label or "page", item.locator)
                items.append(CitationItem(item.key, **options))
            # pandoc keeps the written order when an item has a prefix.
            citation = Citation(items)
            citation["unsorted"] = any(item.prefix.strip() for item in cite.items)
            bib.register(citation)
            citations.append(citation)
        bib.sort()
        self.order = [self.keys[key] for key in bib.keys]
        results = []
        for cite, citation in zip(cites, citations):
            suppressed = [item.suppress_author or cite.in_text for item in cite.items]
            placeholder = None
            if any(suppressed):
                before = len(bib._cites)
                saved = self.with_placeholder([item.key for item, s in zip(cite.items, suppressed) if s])
                try:
                    placeholder = str(bib.cite(citation, lambda item: None))
                finally:
                    self.restore(saved)
                del bib._cites[before:]
            normal = str(bib.cite(citation, lambda item: None))
            keys = [self.keys[item.key.lower()] for item in cite.items]
            if placeholder is None:
                parts = self.parts(normal, keys)
                results.append(Result(text=parts, note=parts, author=[]))
                continue
            shown = PLACEHOLDER.sub("", placeholder)
            author = ""
            if cite.in_text:
                start = common_prefix(normal, placeholder)
                end = common_prefix(normal[::-1], placeholder[::-1])
                author = normal[start:len(normal) - end]
            if cite.in_text and author:
                # "Smith and Doe (2020, 4)": the author part, then the rest.
                author_parts = self.parts(author_markup(normal, start, author), keys)
                rest = self.parts(shown, keys)
                results.append(Result(text=author_parts + [(None, (m.Text(text=" "),))] + rest,
                                      note=rest, author=author_parts))
            else:
                parts = self.parts(shown, keys)
                results.append(Result(text=parts, note=parts, author=[]))
        return results

    def with_placeholder(self, keys: list[str]) -> list[tuple[str, dict]]:
        from citeproc.source import Name

        saved = []
        for key in keys:
            reference = self.source[key.lower()]
            roles = {role.replace("-", "_"): reference[role.replace("-", "_")]
                     for role in NAME_ROLES if role.replace("-", "_") in reference}
            saved.append((key.lower(), roles))
            first = next(iter(roles), "author")
            for role in roles:
                del reference[role]
            reference[first] = [Name(family=AUTHOR)]
        return saved

    def restore(self, saved: list[tuple[str, dict]]) -> None:
        for key, roles in saved:
            reference = self.source[key]
            for role in NAME_ROLES:
                reference.pop(role.replace("-", "_"), None)
            reference.update(roles)

    def quoted(self, markup: str) -> str:
        """American punctuation: a period or comma right after a closing
        quotation mark goes inside it (the locale's punctuation-in-quote),
        but for a period after a title that ends its own sentence ("…in
        China.”", not "China..”"), as pandoc's citeproc has it. Quotation
        marks inside quotation marks are single (a title quoting a phrase)."""
        markup = alternated(markup)
        if not self.punctuation_in_quote:
            return markup

        def moved(found: re.Match[str]) -> str:
            end, quote, closing, mark = found.groups()
            return end + (mark if not (end and mark == ".") else "") + quote + closing
        return CLOSE_QUOTE.sub(moved, markup)

    def parts(self, markup: str, keys: list[str]) -> Parts:
        """Rendered markup as runs of inlines, each item's own words (not its
        prefix or suffix) with the key of its entry."""
        from pipeline.transform.citations import from_html

        markup = self.quoted(markup)
        out: Parts = []
        position = 0
        for found in ITEM.finditer(markup):
            out.append((None, from_html(unmarked(markup[position:found.start()] + found[2]))))
            out.append((keys[int(found[1])], from_html(unmarked(found[3]))))
            out.append((None, from_html(unmarked(found[4]))))
            position = found.end()
        out.append((None, from_html(unmarked(markup[position:]))))
        return [(key, words) for key, words in out if words]

    def bibliography(self, keys: list[str]) -> list[tuple[str, tuple[m.Inline, ...]]]:
        """Each key's entry, in the style's order."""
        from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter

        from pipeline.transform.citations import from_html

        if self.style.root.bibliography is None:
            return []
        ordered = [key for key in self.order if key in keys] + [key for key in keys if key not in self.order]
        bib = CitationStylesBibliography(self.style, self.source, formatter.html)
        for key in ordered:
            bib.register(Citation([CitationItem(key)]))
        bib.sort()
        entries = []
        for key, markup in zip(bib.keys, bib.bibliography()):
            text = LABEL.sub(r"\1 ", self.quoted(unmarked(str(markup))))
            entries.append((self.keys[key], from_html(text)))
        return entries


def alternated(markup: str) -> str:
    """“…“inner”…” as “…‘inner’…”, as pandoc's citeproc writes a title
    quoting a phrase inside the style's quotation marks."""
    if markup.count("\u201c") < 2:
        return markup
    out: list[str] = []
    open_marks: list[str] = []
    for char in markup:
        if char == "\u201c":
            open_marks.append("\u2018" if open_marks and open_marks[-1] == "\u201c" else "\u201c")
            char = open_marks[-1]
        elif char == "\u201d" and open_marks:
            char = "\u2019" if open_marks.pop() == "\u2018" else "\u201d"
        out.append(char)
    return "".join(out)


def spaced_prefix(prefix: str) -> str:
    """pandoc's prefix is followed by a space ("see Smith")."""
    prefix = prefix.strip()
    return f"{prefix} " if prefix else ""


def spaced_suffix(suffix: str) -> str:
    """A suffix that does not start with punctuation is set off by a space
    (", emphasis added" stays as it is)."""
    suffix = suffix.rstrip()
    if not suffix.strip():
        return ""
    stripped = suffix.lstrip()
    return stripped if stripped[0] in ",.;:)]" else f" {stripped}"


def unmarked(text: str) -> str:
    return MARKS.sub("", text)


def common_prefix(a: str, b: str) -> int:
    index = 0
    while index < min(len(a), len(b)) and a[index] == b[index]:
        index += 1
    return index


def author_markup(normal: str, start: int, author: str) -> str:
    """The author part with the item marks around it, so it links to its entry."""
    opened = normal.rfind(ITEM_START, 0, start)
    found = re.match(f"{ITEM_START}(\\d+){NUMBER_END}", normal[opened:]) if opened >= 0 else None
    if not found:
        return author
    return f"{ITEM_START}{found[1]}{NUMBER_END}{CORE_START}{MARKS.sub('', author)}{CORE_END}{ITEM_END}"
