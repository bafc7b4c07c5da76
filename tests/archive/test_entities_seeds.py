"""Entities on the seed corpus, checked against tests/seed_expectations.py."""
import json

import pytest

import archive
from archive.names import fold


@pytest.fixture(scope="module")
def seeds(corpus_dir):
    """The seed articles annotated twice: with corpus/aliases.toml and with the text alone."""
    arts = [a for a in archive.load_paths([corpus_dir]) if isinstance(a, archive.Article)]
    bare = [a for a in archive.load_paths([corpus_dir]) if isinstance(a, archive.Article)]
    curated = archive.annotate(arts, corpus_dir / "aliases.toml")
    learned = archive.annotate(bare, None)
    return {"curated": (curated, {a.id.split("/")[-1]: a for a in arts}),
            "learned": (learned, {a.id.split("/")[-1]: a for a in bare})}


MODES = ["curated", "learned"]


@pytest.mark.parametrize("mode", MODES)
def test_gold_groups_resolve_to_one_entity_of_the_article(seeds, gold, mode):
    resolver, by_file = seeds[mode]
    assert set(gold) <= set(by_file)
    for fname, g in gold.items():
        names = {e.name for e in by_file[fname].entities}
        for group in g["entities"]:
            resolved = {resolver.resolve(form) for form in group}
            assert None not in resolved, (fname, group, resolved)
            assert len(resolved) == 1, (fname, group, resolved)
            (canonical, _), = resolved
            assert canonical in names, (fname, group, canonical)


@pytest.mark.parametrize("mode", MODES)
def test_no_junk_is_an_entity(seeds, gold, mode):
    resolver, by_file = seeds[mode]
    for fname, g in gold.items():
        names = {fold(e.name) for e in by_file[fname].entities}
        forms = {fold(f) for e in by_file[fname].entities for f in e.forms}
        for junk in g["junk"]:
            assert fold(junk) not in names | forms, (fname, junk)
            assert resolver.resolve(junk) is None, (fname, junk)


@pytest.mark.parametrize("mode", MODES)
def test_ttp_is_one_entity_in_all_five_seeds(seeds, mode):
    resolver, by_file = seeds[mode]
    for alias in ("TTP", "ttp", "FaK", "Fitna-al-Khawarij", "Tehreek-e-Taliban Pakistan",
                  "TTP/FaK".split("/")[1], "tehreek–e–taliban pakistan"):
        assert resolver.resolve(alias) == ("Tehreek-e-Taliban Pakistan", "org"), alias
    for fname, art in by_file.items():
        assert "Tehreek-e-Taliban Pakistan" in {e.name for e in art.entities}, fname
    assert resolver.display("FaK") == "Tehreek-e-Taliban Pakistan (TTP)"
    # The display form and the canonical name are both valid filter values.
    assert resolver.resolve(resolver.display("TTP"))[0] == "Tehreek-e-Taliban Pakistan"


def test_learned_aliases_without_curation(seeds):
    resolver, _ = seeds["learned"]
    same = lambda *names: len({resolver.resolve(n) for n in names}) == 1  # noqa: E731
    assert same("BLA", "FaH", "Fitna-al-Hindustan", "Baloch Liberation Army",
                "Balochistan Liberation Army")
    assert resolver.resolve("BLA")[0] == "Balochistan Liberation Army"
    assert same("Khawaja Asif", "Khawaja Muhammad Asif", "Khawaja M. Asif")
    assert resolver.resolve("Khawaja Asif") == ("Khawaja Muhammad Asif", "person")
    assert same("Pashtun", "Pashtoon", "Pashtuns")
    assert same("Turkiye", "Türkiye", "TURKIYE", "Turkey")
    assert same("ISIS-K", "ISIS–Khorasan", "isis-khorasan")
    assert same("UN", "United Nations") and same("FO", "Foreign Office")
    assert same("MoFA", "Ministry of Foreign Affairs")
    assert resolver.resolve("Foreign Office") != resolver.resolve("Ministry of Foreign Affairs")


def test_types(seeds):
    resolver, _ = seeds["curated"]
    expect = {"Zabihullah Mujahid": "person", "Shafqat Ali Khan": "person", "Ishaq Dar": "person",
              "Mohsin Naqvi": "person", "Siraj-ud-Din Haqqani": "person",
              "Amir Khan Muttaqi": "person", "Ministry of Foreign Affairs": "org",
              "Majeed Brigade": "org", "Taliban": "org", "Afghanistan International": "org",
              "Ghazni": "place", "Kabul": "place", "Khyber Pakhtunkhwa": "place",
              "Spin Boldak": "place", "Chaman": "place", "Kandahar": "place", "Qatar": "place"}
    for name, typ in expect.items():
        assert resolver.resolve(name) == (name, typ), name


def test_demonyms_count_for_the_country_but_are_not_entities(seeds):
    resolver, by_file = seeds["learned"]
    for word in ("Pakistani", "Afghan", "Afghans", "Indian"):
        assert resolver.resolve(word) is None
    # "Indian involvement" is the only mention of India in 003.
    ents = {e.name: e for e in by_file["003_c6473db4c8a03bd4.txt"].entities}
    assert ents["India"].type == "place"
    assert "Afghan Taliban" not in {e.name for a in by_file.values() for e in a.entities}


def test_person_surname_alone_counts_for_the_person(seeds):
    _, by_file = seeds["learned"]
    ents = {e.name: e for e in by_file["002_87aeffe32afe1305.txt"].entities}
    assert ents["Shafqat Ali Khan"].mentions == 3        # full name once, "Khan" twice
    assert "Khan" not in ents


def test_entities_sorted_and_json_round_trip(seeds):
    resolver, by_file = seeds["curated"]
    for art in by_file.values():
        counts = [e.mentions for e in art.entities]
        assert counts == sorted(counts, reverse=True)
    data = json.loads(json.dumps(resolver.to_json()))
    again = archive.Resolver.from_json(data)
    for form in ("FaK", "bla", "Khawaja Asif", "UN", "Spin Boldak", "Türkiye"):
        assert again.resolve(form) == resolver.resolve(form)
    canonical = resolver.resolve("TTP")[0]
    assert set(again.forms(canonical)) >= {"TTP", "FaK", "Fitna-al-Khawarij"}
    for name in {e.name for a in by_file.values() for e in a.entities}:
        assert resolver.resolve(name)[0] == name       # canonical names are filter values


def test_mentions_are_json_and_rebuild_the_same_resolver(seeds, corpus_dir):
    arts = [a for a in archive.load_paths([corpus_dir]) if isinstance(a, archive.Article)]
    mentions = [json.loads(json.dumps(archive.extract_mentions(a))) for a in arts]
    r = archive.build_resolver(mentions, corpus_dir / "aliases.toml")
    for a, m in zip(arts, mentions):
        got = [(e.name, e.type, e.mentions) for e in r.apply(m)]
        want = [(e.name, e.type, e.mentions) for e in seeds["curated"][1][a.id.split("/")[-1]].entities]
        assert got == want


def test_counts_are_apply_without_the_forms(corpus_dir):
    """``Resolver.counts`` (what the writer stores per article) is ``apply``'s
    entities, in its order: most mentioned first, ties by name; and nothing
    for no mentions."""
    arts = [a for a in archive.load_paths([corpus_dir]) if isinstance(a, archive.Article)]
    mentions = [archive.extract_mentions(a) for a in arts]
    r = archive.build_resolver(mentions, corpus_dir / "aliases.toml")
    seen = 0
    for m in mentions:
        want = [[e.name, e.type, e.mentions] for e in r.apply(m)]
        assert r.counts(m) == want
        seen += len(want) > 2
    assert seen >= 3
    assert r.counts({}) == [] and r.counts({"forms": {"Nowhere Known": {"n": 2}}}) == []
