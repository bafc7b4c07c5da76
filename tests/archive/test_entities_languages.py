"""Entities in German and Spanish web pages (html-dev, read in place): the language's
function words and, in German, its capitalised nouns are no names; real names still are."""
import pytest

from archive import Article, extract_mentions
from archive.entities import annotate
from archive.gazetteer import language
from archive.load import load_file

PAGES = ["djz.de-amoklauf.html", "fr.de.nordkorea.html",
         "panamaamerica.com.pa-apropiarse.html", "elpais.com.ciencia.html"]


@pytest.fixture(scope="module")
def articles(shared_dir):
    root = shared_dir / "data" / "html-dev" / "pages"
    out = {}
    for name in PAGES:
        arts = [a for a in load_file(root / name, root) if isinstance(a, Article)]
        assert arts, name
        out[name] = arts[0]
    return out


@pytest.fixture(scope="module")
def entities(articles):
    annotate(list(articles.values()))
    return {name: {e.name for e in a.entities} for name, a in articles.items()}


def test_language_is_told_apart(articles):
    assert language(articles["djz.de-amoklauf.html"].body) == "de"
    assert language(articles["fr.de.nordkorea.html"].body) == "de"
    assert language(articles["elpais.com.ciencia.html"].body) == "es"
    assert language("The minister said on Tuesday that the talks with Pakistan would go on "
                    "for another week, and that both sides were hopeful of a deal.") == "en"


def test_german_function_words_and_nouns_are_not_entities(articles, entities):
    forms = set(extract_mentions(articles["djz.de-amoklauf.html"])["forms"])
    for junk in ("Das", "Die", "Der", "Es", "Und", "Tatwaffen", "Waffenbesitz", "Kaufbelege",
                 "Vollzugsdefizite", "Das Forum Waffenrecht", "Die Europäische Feuerwaffenrichtlinie"):
        assert junk not in forms, junk
    assert {"Heidelberg", "Gepperth", "Forum Waffenrecht"} <= forms
    ents = entities["djz.de-amoklauf.html"]
    assert "Heidelberg" in ents and not {"Das", "Die", "Tatwaffen", "Waffenbesitz"} & ents

    nk = entities["fr.de.nordkorea.html"]
    for junk in ("Das Land", "Die Zyste", "Der US-Präsident", "Das Regime", "Jahr", "Ende"):
        assert junk not in nk, junk
    assert {"Kim Jong Un", "Donald Trump", "Seoul"} <= nk


def test_spanish_function_words_are_not_entities(articles, entities):
    for name in ("panamaamerica.com.pa-apropiarse.html", "elpais.com.ciencia.html"):
        ents = entities[name]
        for junk in ("Los", "Las", "La", "El", "Se", "Cómo", "Para", "Como", "Del", "Que"):
            assert junk not in ents, (name, junk)
    assert {"Ricardo Martinelli", "Guatemala"} <= entities["panamaamerica.com.pa-apropiarse.html"]
    assert "Marcelo Leppe" in entities["elpais.com.ciencia.html"]


def test_function_words_of_any_language_are_never_a_single_word_name():
    m = extract_mentions(Article("t", "", "", "Die Anleger warteten. Los Angeles police said on "
                                 "Monday that Und and Cómo were words, and US officials agreed."))
    f = set(m["forms"])
    assert not {"Die", "Und", "Cómo", "Los"} & f
    assert {"Los Angeles", "US"} <= f
