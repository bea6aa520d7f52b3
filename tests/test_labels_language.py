"""templates/text/labels.LL.yaml: the wording the outputs add (Contents,
Table, Page X of Y …) in the briefing's language, over the English."""

from __future__ import annotations

import zipfile

from conftest import run_cli
from readers import pdf_text
from pipeline.render.templates import Templates

FRENCH = """---
title: Note de synthèse
classification: UNCLASSIFIED
lang: {lang}
toc: true
---

# Contexte

Le tableau suivant résume la situation.[^1]

| Unité | Effectif |
|---|---|
| 1re brigade | 4 200 |

Table: Forces en présence

> [!WARNING]
> Attention aux délais.

[^1]: Une note.
"""


def test_a_french_briefing_is_labelled_in_french_in_all_three_formats(tmp_path):
    source = tmp_path / "note.md"
    source.write_text(FRENCH.format(lang="fr-CA"), encoding="utf-8")
    assert run_cli("build", source, "--out", tmp_path).returncode == 0
    printed = " ".join(pdf_text(tmp_path / "note.pdf").split())
    for words in ("Table des matières", "Tableau 1 : Forces en présence", "Avertissement", "Page 1 sur 1"):
        assert words in printed, words
    assert "Contents" not in printed and "Warning" not in printed
    with zipfile.ZipFile(tmp_path / "note.docx") as package:
        document = package.read("word/document.xml").decode()
        footers = "".join(package.read(name).decode() for name in package.namelist() if "footer" in name)
    assert "Table des matières" in document and ">Tableau </w:t>" in document and "Avertissement" in document
    assert "> sur <" in footers
    page = (tmp_path / "note.html").read_text(encoding="utf-8")
    assert "Table des matières" in page and "Retour au texte" in page and "Back to the text" not in page
    assert "Tableau 1\u202f:" in page  # French sets a narrow no-break space before a colon
    assert "> : </w:t>".replace(" ", "\u202f", 1) in document


def test_a_language_without_its_own_wording_keeps_the_english(tmp_path):
    source = tmp_path / "note.md"
    source.write_text(FRENCH.format(lang="de"), encoding="utf-8")
    assert run_cli("build", source, "--out", tmp_path, "--to", "html").returncode == 0
    page = (tmp_path / "note.html").read_text(encoding="utf-8")
    assert "Contents" in page and "Table 1" in page and "Table des matières" not in page


def test_a_house_style_words_a_language_its_own_way(tmp_path):
    own = tmp_path / "style" / "text"
    own.mkdir(parents=True)
    (own / "labels.fr.yaml").write_text("contents: Sommaire\n", encoding="utf-8")
    (own / "labels.nl.yaml").write_text("table: Tabel\n", encoding="utf-8")
    templates = Templates(tmp_path / "style")
    assert templates.labels("fr")["contents"] == "Sommaire"
    # File by file, as every template: the house's French replaces briefing's, over the English.
    assert templates.labels("fr")["table"] == "Table"
    assert templates.labels("nl-BE")["table"] == "Tabel" and templates.labels("nl")["contents"] == "Contents"
    assert templates.labels("en")["contents"] == "Contents" and templates.labels(None)["table"] == "Table"
