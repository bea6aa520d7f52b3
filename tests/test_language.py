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


GERMAN = ("Wir als Mitglieder, Beitragende und Leitende verpflichten uns, die Teilnahme an unserer "
          "Community für alle Menschen zu einer belästigungsfreien Erfahrung zu machen, unabhängig von "
          "Alter, Körpergröße, sichtbarer oder unsichtbarer Behinderung, ethnischer Zugehörigkeit und "
          "der Herkunft. Wir verpflichten uns, auf eine Weise zu handeln, die zu einer offenen und "
          "gesunden Gemeinschaft beiträgt, und das ist nicht immer einfach. ") * 3
SPANISH = ("El gobierno de la ciudad publica los datos abiertos para que las personas puedan usarlos en "
           "sus proyectos. Este portal es una herramienta para la transparencia y se actualiza con más "
           "frecuencia que los informes del año pasado, pero los datos son públicos. ") * 3


PORTUGUESE = ("O governo da cidade publica os dados abertos para que as pessoas possam usá-los nos seus "
              "projetos. Este portal é uma ferramenta para a transparência e se atualiza com mais frequência "
              "que os relatórios do ano passado, e os dados são públicos. O pedido não precisa de "
              "justificativa, e a resposta deve ser clara. ") * 3
ITALIAN = ("Il governo della città pubblica i dati aperti perché le persone possano usarli nei loro "
           "progetti. Questo portale è uno strumento per la trasparenza e si aggiorna più spesso dei "
           "rapporti dell'anno scorso, e i dati sono pubblici. La richiesta non ha bisogno di una "
           "giustificazione, e la risposta deve essere chiara anche per chi non conosce il sistema. ") * 3


@pytest.mark.parametrize("body, tag", [(GERMAN, "de"), (SPANISH, "es"), (FRENCH, "fr"), (PORTUGUESE, "pt"),
                                       (ITALIAN, "it")])
def test_a_german_or_spanish_text_without_a_language_is_told_to_say_it(tmp_path, body, tag):
    """The Contributor Covenant's German translation was hyphenated as
    English ("polit-ische") and quoted “…”, not „…“: no warning said so.
    Portuguese and Italian, which share words with Spanish, are told apart
    from it (both were told to set Spanish)."""
    source = tmp_path / "brief.md"
    source.write_text(f"---\ntitle: T\nclassification: UNCLASSIFIED\n---\n\n{body}\n", encoding="utf-8")
    reporter = Reporter(str(source))
    load(source, reporter)
    [problem] = reporter.problems
    assert (problem.line, problem.code) == (1, "meta.lang") and f"add 'lang: {tag}'" in problem.message
    source.write_text(f"---\ntitle: T\nclassification: UNCLASSIFIED\nlang: {tag}\n---\n\n{body}\n", encoding="utf-8")
    reporter = Reporter(str(source))
    load(source, reporter)
    assert reporter.problems == []


def test_no_document_of_the_corpus_or_the_fixtures_reads_as_another_language():
    """Each of them is English, or says its language."""
    from conftest import FIXTURES, ROOT

    flagged = []
    for path in sorted([*(ROOT / "tests" / "corpus").glob("*.md"), *FIXTURES.glob("*.md"),
                        *(ROOT / "source").glob("*.md")]):
        reporter = Reporter(str(path))
        try:
            load(path, reporter, stop=False, marking="UNCLASSIFIED")
        except Exception:  # noqa: BLE001 - a fixture refused for its own reasons says nothing of its language
            continue
        flagged += [path.name for p in reporter.problems if p.code == "meta.lang"]
    assert flagged == []
