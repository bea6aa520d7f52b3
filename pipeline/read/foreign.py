"""Front matter written for other tools: pandoc, Quarto, R Markdown, Jekyll,
Hugo, Eleventy, MkDocs, GitHub's and Microsoft's documentation sites.

A document written for one of them carries keys of its own (`format`,
`layout`, `tags` …). Those a briefing can use are mapped onto ours
(`author` is `authors`, `description` an abstract when there is none);
the rest are ignored with one warning naming them all. A key that is one
of ours misspelt (`authr`, `clasification`) is still an error with the
key it was meant to be: ignoring it would drop what the author asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# Other tools' keys with a meaning of ours: their values are read as ours.
ALIASES = {"author": "authors", "description": "abstract"}

# Keys other tools define, some close in spelling to ours (`description`,
# `tags`, `date-format`, VA design system's `anchors`): known, so they are never taken
# for a misspelling.
FOREIGN = frozenset("""
abstract-title affiliation affiliations aliases always_allow_html appendix-style author-meta
categories citation citation-style citecolor classoption code-fold code-tools
colorlinks comments copyright cover crossref css cascade date-format date-meta date-modified
documentclass draft editor editor_options eleventyComputed eleventyExcludeFromCollections
eleventyNavigation engine excerpt excerpt_separator execute expiryDate filters fontfamily
fontsize format funding geometry grand_parent has_children header-includes headless hide
highlight-style image images include-after include-before institute jupyter keep-md keep-tex
knit knitr last_modified_at lastmod layout license linkTitle linkcolor
linestretch lof lot mainfont margin-bottom margin-left margin-right margin-top markup menu
monofont nav_order notes-after-punctuation number-depth number-sections numbersections
output outputs pagetitle pagination papersize params parent permalink publishDate published
redirect_from references resources runtime sansfont search
secnumdepth series site sitemap slug subject summary tags template
thanks title-block-banner title-prefix toc-depth toc-expand toc-location toc-title toccolor
type url urlcolor vignette weight
anchor anchors children contentType defaultPlatform featuredLinks intro learningTracks product
shortTitle topics versions
manager ms.author ms.collection ms.custom ms.date ms.reviewer ms.service ms.subservice ms.topic
titleSuffix
""".split())


def foreign_or_typo(key: str, ours: Iterable[str]) -> str | None:
    """The key of ours that `key` misspells, or None when it is another
    tool's: known to be one (FOREIGN), or not close to any of ours. Close:
    the same but for case and `-`/`_`, or a letter or two apart (one in a
    short key, and two only with the first letter right), a swap of two
    counting as one."""
    if key in FOREIGN:
        return None
    normal = key.lower().replace("-", "_")
    candidates = {name: name for name in ours} | {alias: ALIASES[alias] for alias in ALIASES}
    best: tuple[int, str] | None = None
    for name, canonical in candidates.items():
        if normal == name:
            return canonical
        distance = edits(normal, name)
        if distance > 1 and normal[:1] != name[:1]:
            continue  # two slips and the first letter too: another word (`sub_category`, not `cui_category`)
        if distance <= allowed_edits(len(name)) and (best is None or distance < best[0]):
            best = (distance, canonical)
    return best[1] if best else None


def other_tools_value(value: str, ours: Iterable[str]) -> bool:
    """Whether `value` of a key we share with other tools (`type`: Hugo's
    content type, GOV.UK's `type: learn`) is theirs: none of ours, nor one
    misspelt (`memmo` is still an error, naming `memo`)."""
    normal = value.strip().lower()
    return all(normal != name and edits(normal, name) > allowed_edits(len(name)) for name in ours)


def allowed_edits(length: int) -> int:
    return 1 if length <= 5 else 2  # "a letter or two" (README): three took `subcategory` for `cui_category`


def edits(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment)."""
    if abs(len(a) - len(b)) > 3:
        return 4  # more than any key is allowed
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = char_a != char_b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def names(value: Any) -> tuple[str, ...]:
    """Authors in every form pandoc, Quarto and R Markdown accept: a name,
    a list of names, a mapping with `name` (itself text, or `given` and
    `family`, or `literal`), or a list of those. Only the names are kept;
    affiliations, e-mail addresses and ORCIDs are the other tools' business."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise TypeError(EXPECTED)
    return tuple(name_of(item) for item in items)


EXPECTED = "a name, a list of names, or a list of mappings with 'name'"


def name_of(item: Any) -> str:
    if isinstance(item, str) and item.strip():
        return item.strip()
    if isinstance(item, dict):
        name = item.get("name")
        if isinstance(name, str) and name.strip():
            return name.strip()
        if isinstance(name, dict):
            if isinstance(literal := name.get("literal"), str) and literal.strip():
                return literal.strip()
            parts = [name.get(part) for part in ("given", "dropping-particle", "non-dropping-particle",
                                                  "family", "suffix")]
            joined = " ".join(part.strip() for part in parts if isinstance(part, str) and part.strip())
            if joined:
                return joined
    raise TypeError(EXPECTED)


def listed(keys: list[str], limit: int = 8) -> str:
    """Key names for a message: the first few, then how many more."""
    shown = ", ".join(keys[:limit])
    return shown + (f" and {len(keys) - limit} more" if len(keys) > limit else "")
