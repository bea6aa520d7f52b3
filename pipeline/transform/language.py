"""A briefing written in French, German, Spanish, Portuguese or Italian
that does not say so.

`lang` chooses the hyphenation, the quotation marks and the wording the
outputs add (Table des matières, Tableau, Page X sur Y: templates/text/
labels.fr.yaml). Left to its default, English, a French text is hyphenated
as English ("collectiv-ité", "ordin-ateurs" in a Government of Canada page
a new user built) and labelled in English. Its most frequent words tell:
when those of French far outnumber those of English in its first words,
a warning says to set `lang: fr`. So for German (the Contributor
Covenant's translation, hyphenated "polit-ische", quoted “…” for „…“) and
Spanish. A `lang` the front matter gives, of any language, is never
questioned.
"""

from __future__ import annotations

import re

from pipeline import model as m
from pipeline.model import walk
from pipeline.problems import Reporter

FIRST_WORDS = 600  # enough to tell, and the cost stays the same for 1,000 pages
ENGLISH = frozenset("the and of to is in that for with on are this be as by or an it from at was".split())
# Each language's most frequent short words (rare in English text),
# and what setting it gives.
LANGUAGES = {
    "fr": ("French", frozenset("le la les des du et est une pour dans que qui sur pas avec au aux ce cette "
                               "sont par ou plus leur nous vous être été".split()),
           "French hyphenation, quotation marks and labels (Table des matières, Page 1 sur 2)"),
    "de": ("German", frozenset("der die das und ist nicht mit den dem des ein eine einer sich auf für "
                               "von zu auch werden wird sind oder wir sie als bei".split()),
           "German hyphenation and quotation marks („…“)"),
    "es": ("Spanish", frozenset("el la los las del y es una por para con que se al su sus lo como más "
                                "pero este esta son entre".split()),
           "Spanish hyphenation"),
    # Its neighbours, which share some of Spanish's words: told apart, not
    # taken for it (a Portuguese text was told to set Spanish).
    "pt": ("Portuguese", frozenset("o os as do da dos das e é um uma não em no na nos nas ao com que se por "
                                   "para mais como são".split()),
           "Portuguese hyphenation"),
    "it": ("Italian", frozenset("il lo gli le di del della che è e un una non per con sono come più anche "
                                "nel nella alla".split()),
           "Italian hyphenation"),
}
AHEAD = 1.5  # how many times the next language's words the first's must be, to be told
LEAST = 25  # of a language's words among the first, for a text to read as written in it
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def check_language(doc: m.Document, reporter: Reporter) -> m.Document:
    if doc.meta.lang != "en" or doc.meta.line_of("lang"):
        return doc
    words: list[str] = []
    for block in walk.blocks(doc):
        words += [word.lower() for word in WORD.findall(m.block_text(block))]
        if len(words) >= FIRST_WORDS:
            break
    english = sum(word in ENGLISH for word in words[:FIRST_WORDS])
    counts = {tag: sum(word in own for word in words[:FIRST_WORDS]) for tag, (_, own, _) in LANGUAGES.items()}
    tag, runner_up = sorted(counts, key=counts.__getitem__, reverse=True)[:2]
    if counts[tag] >= LEAST and counts[tag] > 3 * english and counts[tag] >= AHEAD * counts[runner_up]:
        name, _, gives = LANGUAGES[tag]
        reporter.warning(1, "meta.lang", f"the text reads as {name}, but it says no language, so it is set as "
                         f"English: add 'lang: {tag}' to the front matter for {gives}")
    return doc
