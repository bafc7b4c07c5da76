"""Entities in German and Spanish articles (written for the test): the
language's function words and, in German, its capitalised nouns are no names;
real names still are."""
import pytest

from archive import Article, extract_mentions
from archive.entities import annotate
from archive.gazetteer import language

GERMAN = (
    "Nach der Tat in Heidelberg fordert das Forum Waffenrecht strengere Kontrollen. Die "
    "Ermittler prüfen, wie der Täter an die Tatwaffen gelangen konnte. Das Forum Waffenrecht "
    "verweist auf Vollzugsdefizite bei den Behörden. Es gebe zu wenige Kontrollen, und der "
    "Waffenbesitz werde kaum überprüft, sagte Sprecherin Anna Gepperth am Montag.\n\n"
    "Die Polizei in Heidelberg sicherte Kaufbelege und mehrere Festplatten. Der Innenminister "
    "kündigte an, die Regeln für Waffenbesitz noch in diesem Jahr zu überarbeiten. Gepperth "
    "sagte, die Europäische Feuerwaffenrichtlinie sei in Deutschland nur halb umgesetzt worden. "
    "Und die Vereine wollen sich an der Debatte beteiligen, sagte sie.")
GERMAN_2 = (
    "Nordkorea hat erneut Raketen getestet. Das Land feuerte nach Angaben aus Seoul zwei "
    "Geschosse ins Meer. Der US-Präsident, Donald Trump, nannte den Test eine Provokation. Das "
    "Regime hatte bereits im vergangenen Jahr mehrere Tests angekündigt, sagte Kim Jong Un. Die "
    "Zyste am Handgelenk des Machthabers sorgte für Spekulationen über seine Gesundheit. Am Ende "
    "des Jahres will die Regierung in Seoul mit Washington über neue Sanktionen beraten.")
SPANISH = (
    "El expresidente Ricardo Martinelli viajó a Guatemala para una reunión con empresarios. Los "
    "abogados del exmandatario dijeron que la visita era privada. Las autoridades de Panamá "
    "investigan cómo se financió el viaje. Para la fiscalía, el caso sigue abierto y se espera "
    "una decisión del tribunal la próxima semana. Como otros exmandatarios, Martinelli niega "
    "cualquier delito y dice que la investigación es política.")
SPANISH_2 = (
    "Un equipo dirigido por el paleobotánico Marcelo Leppe encontró fósiles de plantas en la "
    "Antártida. La expedición, que duró tres meses, recogió más de cien muestras. Se cree que "
    "los bosques cubrían la región hace millones de años. Según Leppe, el hallazgo ayuda a "
    "entender el clima del pasado. Que los fósiles estén tan bien conservados sorprendió a los "
    "investigadores del instituto.")

TEXTS = {"de": GERMAN, "de2": GERMAN_2, "es": SPANISH, "es2": SPANISH_2}


@pytest.fixture(scope="module")
def articles():
    return {k: Article(f"{k}.txt", "", "", body) for k, body in TEXTS.items()}


@pytest.fixture(scope="module")
def entities(articles):
    annotate(list(articles.values()))
    return {name: {e.name for e in a.entities} for name, a in articles.items()}


def test_language_is_told_apart(articles):
    assert language(articles["de"].body) == "de"
    assert language(articles["de2"].body) == "de"
    assert language(articles["es"].body) == "es"
    assert language(articles["es2"].body) == "es"
    assert language("The minister said on Tuesday that the talks with Pakistan would go on "
                    "for another week, and that both sides were hopeful of a deal.") == "en"


def test_german_function_words_and_nouns_are_not_entities(articles, entities):
    forms = set(extract_mentions(articles["de"])["forms"])
    for junk in ("Das", "Die", "Der", "Es", "Und", "Tatwaffen", "Waffenbesitz", "Kaufbelege",
                 "Vollzugsdefizite", "Das Forum Waffenrecht", "Die Europäische Feuerwaffenrichtlinie"):
        assert junk not in forms, junk
    assert {"Heidelberg", "Gepperth", "Forum Waffenrecht"} <= forms
    ents = entities["de"]
    assert "Heidelberg" in ents and not {"Das", "Die", "Tatwaffen", "Waffenbesitz"} & ents

    nk = entities["de2"]
    for junk in ("Das Land", "Die Zyste", "Der US-Präsident", "Das Regime", "Jahr", "Ende"):
        assert junk not in nk, junk
    assert {"Kim Jong Un", "Donald Trump", "Seoul"} <= nk


def test_spanish_function_words_are_not_entities(articles, entities):
    for name in ("es", "es2"):
        ents = entities[name]
        for junk in ("Los", "Las", "La", "El", "Se", "Cómo", "Para", "Como", "Del", "Que"):
            assert junk not in ents, (name, junk)
    assert {"Ricardo Martinelli", "Guatemala"} <= entities["es"]
    assert "Marcelo Leppe" in entities["es2"]


def test_function_words_of_any_language_are_never_a_single_word_name():
    m = extract_mentions(Article("t", "", "", "Die Anleger warteten. Los Angeles police said on "
                                 "Monday that Und and Cómo were words, and US officials agreed."))
    f = set(m["forms"])
    assert not {"Die", "Und", "Cómo", "Los"} & f
    assert {"Los Angeles", "US"} <= f
