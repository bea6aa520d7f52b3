"""transform/language.py: a French text that says no language is said to
be set as English; a text that says its language, or reads as English, is
left alone."""

from __future__ import annotations

import pytest

from pipeline.problems import Reporter
from pipeline.run.build import load

FRENCH = ("Le gouvernement du Canada utilise des logiciels libres pour ses services. Les ministères "
          "doivent évaluer les options et choisir la solution qui répond le mieux aux besoins des "
          "utilisateurs, avec une attention particulière pour la sécurité et la protection des "
          "renseignements personnels dans les systèmes qui sont exploités par les équipes. ") * 3
ENGLISH = ("The government of Canada uses open source software for its services. Departments must "
           "assess the options and choose the one that best meets the needs of users, with attention "
           "to security and privacy in the systems that are run by the teams. ") * 3


def problems_of(tmp_path, front: str, body: str) -> list:
    source = tmp_path / "brief.md"
    source.write_text(f"---\ntitle: T\nclassification: UNCLASSIFIED\n{front}---\n\n{body}\n", encoding="utf-8")
    reporter = Reporter(str(source))
    load(source, reporter)
    return [(p.line, p.code) for p in reporter.problems]


def test_a_french_text_without_a_language_is_told_to_say_it(tmp_path):
    """The Government of Canada's Open First guide in French (a new user's
    build) was hyphenated as English: "collectiv-ité", "ordin-ateurs"."""
    assert problems_of(tmp_path, "", FRENCH) == [(1, "meta.lang")]


@pytest.mark.parametrize("front, body", [("lang: fr\n", FRENCH), ("lang: en\n", FRENCH), ("", ENGLISH),
                                         ("", "Quelques mots en français. " + ENGLISH)])
def test_a_language_given_or_an_english_text_is_left_alone(tmp_path, front, body):
    assert problems_of(tmp_path, front, body) == []
