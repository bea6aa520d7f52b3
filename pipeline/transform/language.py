"""A briefing written in French that does not say so.

`lang` chooses the hyphenation, the quotation marks and the wording the
outputs add (Table des matières, Tableau, Page X sur Y: templates/text/
labels.fr.yaml). Left to its default, English, a French text is hyphenated
as English ("collectiv-ité", "ordin-ateurs" in a Government of Canada page
a new user built) and labelled in English. Its most frequent words tell:
when those of French far outnumber those of English in its first words,
a warning says to set `lang: fr`. A `lang` the front matter gives, of any
language, is never questioned.
"""

from __future__ import annotations

import re

from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import Reporter

FIRST_WORDS = 600  # enough to tell, and the cost stays the same for 1,000 pages
FRENCH = frozenset("le la les des du et est une pour dans que qui sur pas avec au aux ce cette sont par "
                   "ou plus leur nous vous être été".split())
ENGLISH = frozenset("the and of to is in that for with on are this be as by or an it from at was".split())
LEAST = 25  # French words among the first, for a text to read as French
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def check_language(doc: m.Document, reporter: Reporter) -> m.Document:
    if doc.meta.lang != "en" or doc.meta.line_of("lang"):
        return doc
    words: list[str] = []
    for block in walk.blocks(doc):
        words += [word.lower() for word in WORD.findall(m.block_text(block))]
        if len(words) >= FIRST_WORDS:
            break
    french = sum(word in FRENCH for word in words[:FIRST_WORDS])
    english = sum(word in ENGLISH for word in words[:FIRST_WORDS])
    if french >= LEAST and french > 3 * english:
        reporter.warning(1, "meta.lang", "the text reads as French, but it says no language, so it is set as "
                         "English: add 'lang: fr' to the front matter for French hyphenation, quotation "
                         "marks and labels (Table des matières, Page 1 sur 2)")
    return doc
