"""Search over the seed corpus and a small dated corpus: filters, sort, totals,
phrases, highlighting, aliases, story groups."""
from __future__ import annotations

import html
import re

import pytest

import index
from tests._index_helpers import DATED, all_ids, write_jsonl

SEEDS = {"corpus/000_059658d8d1ad82e8.txt", "corpus/001_e6784222def0b975.txt", "corpus/002_87aeffe32afe1305.txt",
         "corpus/003_c6473db4c8a03bd4.txt", "corpus/004_efd84228dc31cb02.txt"}


@pytest.fixture(scope="module")
def dated_ix(tmp_path_factory):
    root = tmp_path_factory.mktemp("dated")
    write_jsonl(root / "src" / "news.jsonl", DATED)
    ix = index.open_index(root / "ix")
    summary = ix.reindex([root / "src"], progress=False)
    assert summary.added == len(DATED), summary.skipped
    return ix


@pytest.mark.parametrize("alias", ["TTP", "Tehreek-e-Taliban Pakistan", "Fitna-al-Khawarij",
                                   "FaK", "tehreek-e-taliban pakistan"])
def test_every_alias_of_ttp_finds_all_five_seeds(seeds_ix, alias):
    r = seeds_ix.search("", entities=[alias])
    assert r.error is None
    assert r.total == 5
    assert all_ids(r) == SEEDS


def test_entity_query_syntax_resolves_aliases(seeds_ix):
    r = seeds_ix.search('entity:FaK')
    assert r.total == 5
    assert seeds_ix.search('entity:"Tehreek-e-Taliban Pakistan"').total == 5


@pytest.mark.parametrize("alias", ["FaK", "TTP", "Fitna-al-Khawarij", '"Fitna-al-Khawarij"',
                                   "fak", "Tehreek-e-Taliban Pakistan"])
def test_a_query_that_names_an_entity_finds_its_articles(seeds_ix, alias):
    """The literal word FaK is in two seeds; the group it names is in all five."""
    literal = seeds_ix.search("body:FaK")
    assert literal.total == 2
    r = seeds_ix.search(alias)
    assert r.error is None and r.total == 5 and all_ids(r) == SEEDS


def test_alias_expansion_keeps_field_queries_and_composes(seeds_ix):
    assert seeds_ix.search("body:FaK").total == 2            # explicit field: as typed
    assert seeds_ix.search("title:FaK").total == 0
    assert seeds_ix.search("NOT FaK").total == 0             # every seed is about the TTP
    both = seeds_ix.search("FaK AND Istanbul")
    assert both.total == seeds_ix.search("Istanbul").total
    # a person named by a shorter form: seed 003 says only "Khawaja Asif"
    asif = seeds_ix.search('"Khawaja Muhammad Asif"')
    assert any(i.startswith("corpus/003_") for i in all_ids(asif))
    # hits that only have the entity still get a snippet, and matches are marked
    marked = [h for h in seeds_ix.search("FaK").hits if "<mark>FaK</mark>" in h.snippet]
    assert marked


def test_get_gives_the_forms_each_entity_takes_in_the_article(seeds_ix):
    def forms(doc_id):
        doc = seeds_ix.get(doc_id)
        return {e["name"]: e["forms"] for e in doc["entities"]}, doc["body"]
    f003, body003 = forms("corpus/003_c6473db4c8a03bd4.txt")
    assert "Khawaja Asif" in f003["Khawaja Muhammad Asif"]
    assert {"TTP", "FaK"} <= set(f003["Tehreek-e-Taliban Pakistan"])
    f001, body001 = forms("corpus/001_e6784222def0b975.txt")
    assert {"TTP", "FaK", "Fitna-al-Khawarij"} <= set(f001["Tehreek-e-Taliban Pakistan"])
    for fs, body in ((f003, body003), (f001, body001)):
        for name, surfaces in fs.items():
            assert surfaces == sorted(surfaces, key=lambda x: (-len(x), x))   # longest first
            assert all(f in body for f in surfaces), (name, surfaces)        # seen in this text


def test_entity_facets_use_canonical_names(seeds_ix):
    r = seeds_ix.search("")
    names = {v["value"] for t in ("person", "org", "place", "other") for v in r.facets[t]}
    canonical, _type = seeds_ix.resolve_entity("FaK")
    assert canonical in names
    assert "FaK" not in names or canonical == "FaK"


def test_since_until_filter_exactly(dated_ix):
    def ids(**kw):
        r = dated_ix.search("", per_page=100, **kw)
        assert r.error is None, r.error
        assert r.total == len(r.hits)
        return {h.id for h in r.hits}

    assert ids(since="2025-01-01") == {"d2", "d3", "d4", "d5"}
    assert ids(until="2024-12-31") == {"d1"}
    assert ids(since="2025-01", until="2025-01") == {"d2", "d3"}          # whole month, inclusive
    assert ids(since="2025", until="2025") == {"d2", "d3", "d4", "d5"}     # whole year
    assert ids(since="2025-01-31", until="2025-02-01") == {"d3", "d4"}
    assert ids(since="2025-02-02", until="2025-11-14") == set()
    # with a text query too
    r = dated_ix.search("wheat", since="2025-01-01", until="2025-01-31")
    assert {h.id for h in r.hits} == {"d2", "d3"} and r.total == 2


@pytest.mark.parametrize("bad", ["2025-13", "2025-02-30", "yesterday", "25-01-01", "2025/01/01"])
def test_invalid_dates_give_an_error_not_an_exception(dated_ix, bad):
    with pytest.raises(index.QueryError, match="date"):
        dated_ix.search("wheat", since=bad)


def test_sort_by_date_is_newest_first_and_undated_last(dated_ix):
    r = dated_ix.search("wheat", sort="date", per_page=100)
    assert [h.id for h in r.hits] == ["d5", "d3", "d2", "d1", "d6"]
    r = dated_ix.search("", sort="date", per_page=100)
    dates = [h.published for h in r.hits]
    assert dates[-1] is None
    assert dates[:-1] == sorted(dates[:-1], reverse=True)


def test_total_is_exact_with_a_limit_of_one(dated_ix, seeds_ix):
    full = dated_ix.search("wheat", per_page=100)
    one = dated_ix.search("wheat", per_page=1)
    assert full.total == 5 == one.total
    assert len(one.hits) == 1
    # pages of one cover every article exactly once
    seen = [dated_ix.search("wheat", per_page=1, page=p).hits[0].id for p in range(1, 6)]
    assert sorted(seen) == sorted(h.id for h in full.hits)
    assert seeds_ix.search("taliban", per_page=1).total == 5


def test_facets_are_exact_over_the_whole_result_set(dated_ix):
    r = dated_ix.search("wheat", per_page=1)
    assert {v["value"]: v["count"] for v in r.facets["year"]} == {"2024": 1, "2025": 3}
    assert {v["value"]: v["count"] for v in r.facets["month"]} == \
        {"2024-12": 1, "2025-01": 2, "2025-11": 1}
    assert [v["value"] for v in r.facets["month"]] == ["2024-12", "2025-01", "2025-11"]
    assert {v["value"]: v["count"] for v in r.facets["source"]} == \
        {"Farm Daily": 3, "Market Wire": 2}


def test_source_filter(dated_ix):
    r = dated_ix.search("", source="market wire", per_page=100)
    assert {h.id for h in r.hits} == {"d3", "d4", "d5"}
    assert dated_ix.search("source:farm", per_page=100).total == 3


def test_phrase_query_finds_only_the_phrase(seeds_ix):
    phrase = seeds_ix.search('"hollow promises"')
    words = seeds_ix.search("hollow promises")
    assert phrase.total >= 1
    for h in phrase.hits:
        body = seeds_ix.get(h.id)["body"].lower()
        assert "hollow promises" in body
    # every article that has both words but not the phrase is excluded
    for doc_id in all_ids(words) - all_ids(phrase):
        assert "hollow promises" not in seeds_ix.get(doc_id)["body"].lower()


def test_phrase_excludes_articles_with_the_words_apart(dated_ix):
    assert dated_ix.search('"wheat prices"').total == 1
    assert dated_ix.search("wheat prices").total == 1
    assert dated_ix.search('"prices wheat"').total == 0


def test_boolean_operators_prefix_and_fuzzy(dated_ix):
    assert dated_ix.search("wheat AND rain").total == 1
    assert dated_ix.search("strike OR rain").total == 2
    assert dated_ix.search("wheat NOT rain").total == 4
    assert dated_ix.search("NOT wheat").total == 1
    assert dated_ix.search("harv*").total == 1
    assert dated_ix.search("wheet~").total == 5
    assert dated_ix.search("title:strike").total == 1


def test_stemming_and_accent_folding(seeds_ix):
    assert seeds_ix.search("Türkiye").total == seeds_ix.search("turkiye").total > 0
    assert seeds_ix.search("negotiation").total == seeds_ix.search("negotiations").total > 0


def test_snippets_mark_matches_and_escape_html(tmp_path):
    write_jsonl(tmp_path / "src" / "x.jsonl", [
        {"id": "evil", "title": "Ceasefire <b>talks</b>",
         "body": "Before <script>alert('x')</script> the ceasefire & the talks <img src=x "
                 "onerror=alert(1)> went on. " * 2}])
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([tmp_path / "src"], progress=False)
    r = ix.search("ceasefire")
    assert r.total == 1
    snip = r.hits[0].snippet
    assert "<mark>ceasefire</mark>" in snip
    assert "<script>" not in snip and "<img" not in snip
    assert "&lt;script&gt;" in snip
    # nothing but <mark> tags survives as markup
    assert set(re.findall(r"</?(\w+)", snip)) <= {"mark"}
    assert "ceasefire" in html.unescape(re.sub(r"</?mark>", "", snip))


def test_seed_snippets_contain_marks(seeds_ix):
    r = seeds_ix.search("ceasefire")
    assert r.total > 0
    for h in r.hits:
        assert "<mark>" in h.snippet.lower()


def test_story_group_of_the_foreign_office_statement(seeds_ix):
    g = {i: seeds_ix.get(i)["story"] for i in SEEDS}
    assert g["corpus/000_059658d8d1ad82e8.txt"] == g["corpus/001_e6784222def0b975.txt"] \
        == g["corpus/003_c6473db4c8a03bd4.txt"]
    assert g["corpus/002_87aeffe32afe1305.txt"] != g["corpus/000_059658d8d1ad82e8.txt"]
    assert g["corpus/004_efd84228dc31cb02.txt"] != g["corpus/000_059658d8d1ad82e8.txt"]
    others = {d["id"] for d in seeds_ix.same_story("corpus/001_e6784222def0b975.txt")}
    assert others == {"corpus/000_059658d8d1ad82e8.txt", "corpus/003_c6473db4c8a03bd4.txt"}


def test_results_collapse_a_story_group_into_one_hit(seeds_ix):
    r = seeds_ix.search("taliban", per_page=10)
    assert r.total == 5                      # total counts articles
    assert len(r.hits) == 3                  # one hit per story group
    group = next(h for h in r.hits if h.same_story)
    assert len(group.same_story) == 2


def test_search_json_shape_matches_the_contract(seeds_ix):
    d = seeds_ix.search("taliban", per_page=2).to_dict()
    assert list(d) == ["query", "total", "stories", "page", "per_page", "hits", "facets", "suggestion"]
    assert set(d["facets"]) >= {"person", "org", "place", "other", "year", "month", "source"}
    for h in d["hits"]:
        assert set(h) == {"id", "title", "published", "source", "url", "snippet", "score",
                          "entities", "same_story"}
        assert isinstance(h["score"], float)
        for e in h["entities"]:
            assert set(e) == {"name", "type"}


def test_did_you_mean(seeds_ix):
    r = seeds_ix.search("ceasfire")
    assert r.total == 0
    assert r.suggestion == "ceasefire"
    assert seeds_ix.search("ceasefire").suggestion is None


def test_get_more_like_this_and_unknown_ids(seeds_ix):
    doc = seeds_ix.get("corpus/002_87aeffe32afe1305.txt")
    assert doc["id"] == "corpus/002_87aeffe32afe1305.txt" and doc["body"]
    assert set(doc) >= {"id", "title", "body", "url", "published", "date_source", "dateline",
                        "source", "author", "path", "entities", "removed", "mentioned_dates"}
    similar = seeds_ix.more_like_this("corpus/002_87aeffe32afe1305.txt", n=3)
    assert 0 < len(similar) <= 3
    assert "corpus/002_87aeffe32afe1305.txt" not in {d["id"] for d in similar}
    assert seeds_ix.get("no-such-id") is None
    assert seeds_ix.more_like_this("no-such-id") == []
    assert seeds_ix.same_story("no-such-id") == []


def test_stats(seeds_ix):
    st = seeds_ix.stats()
    assert st["articles"] == 5
    assert st["story_groups"] == 3
    assert st["index_size_bytes"] > 0
    assert st["last_reindex"]["added"] == 5
