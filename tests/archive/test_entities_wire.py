"""Entities on real Reuters-21578 stories (read in place from ../shared), through
the loader exactly as the indexer sees them.  Regression tests for the defects
seen on the 19k-story index: countries swallowed by longer names, and ordinary
words opening a sentence taken for names."""
import pytest

import archive
from archive.gazetteer import is_common_word
from bench.reuters_data import iter_stories, write_jsonl

#: 1: Bahia cocoa review ("Showers continued ...", "Arrivals for the week ...").
#: 5: a USDA price table ("Dlrs/Bu-Sorghum Cwt", "X-1986 rates", "per CWT").
#: 450: "..., Statistics Canada said."   3246: "Jerry Jordan" beside the country Jordan.
#: 10642: "Shoichi Saba, Chairman of the Electronic Industries Association of Japan".
#: 16131: "Prime Ministers Zhao Ziyang of China and Anibal Cavaco Silva of Portugal".
#: 17307: "Pat Carney of Canada said ...".
IDS = ["reuters-1", "reuters-5", "reuters-450", "reuters-3246", "reuters-10642",
       "reuters-16131", "reuters-17307"]


@pytest.fixture(scope="module")
def reuters(tmp_path_factory, shared_dir):
    wanted = set(IDS)
    stories = [s for s in iter_stories(limit=17400) if s["id"] in wanted]
    assert {s["id"] for s in stories} == wanted
    folder = tmp_path_factory.mktemp("reuters")
    write_jsonl(stories, folder)
    arts = {a.id: a for a in archive.load_paths([folder]) if isinstance(a, archive.Article)}
    mentions = {i: archive.extract_mentions(a) for i, a in arts.items()}
    resolver = archive.build_resolver(mentions.values())
    ents = {i: {e.name: e for e in resolver.apply(m)} for i, m in mentions.items()}
    return resolver, mentions, ents


def test_a_country_is_never_absorbed_into_a_longer_name(reuters):
    resolver, _, ents = reuters
    assert resolver.resolve("Japan") == ("Japan", "place")
    assert resolver.resolve("Canada") == ("Canada", "place")
    assert resolver.resolve("China") == ("China", "place")
    for name in ("Electronic Industries Association of Japan", "Industries Association of Japan",
                 "Pat Carney of Canada", "Pat Carney", "Statistics Canada", "Zhao Ziyang"):
        r = resolver.resolve(name)
        assert r is None or (r[1] != "place" and r[0] not in ("Japan", "Canada", "China")), name
    # The place facet of each story lists the country itself, with its own mentions.
    assert ents["reuters-10642"]["Japan"].type == "place"
    assert ents["reuters-10642"]["Electronic Industries Association of Japan"].type == "org"
    assert "Japan" not in ents["reuters-10642"]["Electronic Industries Association of Japan"].forms
    assert ents["reuters-17307"]["Canada"].type == "place"
    assert ents["reuters-17307"]["Pat Carney"].type == "person"      # "Pat Carney of Canada" split
    assert ents["reuters-16131"]["Zhao Ziyang"].type == "person"
    assert {"China", "Portugal"} <= set(ents["reuters-16131"])
    assert "Canada" in ents["reuters-450"]
    # Only a country's own names carry its code: "Canada" is one place everywhere.
    assert set(resolver.forms("Canada")) >= {"Canada"}
    assert not any("Canada" in f and f != "Canada" for f in resolver.forms("Canada"))


def test_a_person_named_like_a_country_does_not_take_the_country(reuters):
    resolver, mentions, ents = reuters
    assert ents["reuters-3246"]["Jerry Jordan"].type == "person"
    assert resolver.resolve("Jerry Jordan")[0] != "Jordan"


def test_ordinary_words_opening_a_sentence_are_not_entities(reuters):
    resolver, mentions, ents = reuters
    forms = mentions["reuters-1"]["forms"]
    for word in ("Showers", "Bean", "New", "Routine", "Destinations", "Buyers", "Cake",
                 "Liquor", "Final"):
        assert is_common_word(word)              # the lexicon knows them ...
        assert word not in forms, word           # ... so they are not even candidates
        assert resolver.resolve(word) is None, word
    # "Arrivals" is rarer in English, but the story itself says "the arrivals figures".
    assert not is_common_word("Arrivals") and "Arrivals" not in forms
    assert {"Bahia", "Comissaria Smith", "New York", "Uruguay", "Argentina"} <= set(ents["reuters-1"])
    assert "Total Bahia" not in ents["reuters-1"]        # "Total Bahia sales are ..."
    assert ents["reuters-1"]["Bahia"].mentions >= 5


def test_tables_units_and_sign_offs_are_not_entities(reuters):
    resolver, mentions, ents = reuters
    forms = mentions["reuters-5"]["forms"]
    for junk in ("Bu-Sorghum Cwt", "X-1986", "CWT", "Level", "Reserves", "Avge Rate-X Level Price"):
        assert junk not in forms, junk
    assert "United States" in ents["reuters-5"]              # "The U.S. Agriculture Department"
    assert "Agriculture Department" in ents["reuters-5"]
    assert all(resolver.resolve(w) is None for w in ("REUTER", "Reuter"))


def test_stored_mentions_of_an_older_extractor_are_repaired_by_the_resolver():
    """An index keeps each story's mentions; one built before the fix still says "Japan"
    belongs to "Industries Association of Japan" (code JP).  The resolver must not merge them."""
    old = [{"forms": {"Industries Association of Japan": {"n": 8, "t": {"person": 3.0, "place": 21.0},
                                                          "g": "JP"},
                      "Japan": {"n": 5, "t": {"place": 5.0}, "g": "JP"},
                      "Showers": {"n": 1, "i": 1}}, "hints": []},
           {"forms": {"Japan": {"n": 2, "t": {"place": 6.0}, "g": "JP"},
                      "Showers": {"n": 2, "i": 1}}, "hints": []}]
    r = archive.build_resolver(old)
    assert r.resolve("Japan") == ("Japan", "place")
    assert r.resolve("Industries Association of Japan") == ("Industries Association of Japan",
                                                            "person")   # its borrowed place votes are dropped
    assert r.resolve("Showers") is None        # mostly a sentence opener, an ordinary word
