"""Did-you-mean has a bounded cost whatever the query holds.

Counted, not timed: every candidate lookup goes through the lexicon (ours or
Whoosh's), so the number of lookups is the cost.  A query of 120 unknown
words used to look each one up (3.3 s at 19k articles; such a query is now
refused outright, see test_query_errors); a 1,000-letter word built a
Levenshtein automaton of its own (2 s)."""
from __future__ import annotations

import random
import string
import time

import pytest
from whoosh import reading

from index import expand, suggest


@pytest.fixture
def lookups(monkeypatch):
    """Counts candidate lookups, ours (Lexicon.within) and Whoosh's (terms_within)."""
    seen = []

    def counting(cls, name):
        real = getattr(cls, name)

        def wrapper(self, *a, **kw):
            seen.append(a[0] if a else None)
            return real(self, *a, **kw)
        monkeypatch.setattr(cls, name, wrapper)

    counting(expand.Lexicon, "within")
    counting(reading.SegmentReader, "terms_within")
    counting(reading.IndexReader, "terms_within")
    return seen


def _unknown_words(n, seed=0):
    rnd = random.Random(seed)
    return " ".join("zq" + "".join(rnd.choice(string.ascii_lowercase) for _ in range(4))
                    for _ in range(n))


def test_a_typo_still_gets_its_suggestion(seeds_ix):
    assert seeds_ix.search("ceasfire").suggestion == "ceasefire"
    assert seeds_ix.search("ceasefire").suggestion is None


def test_a_query_of_many_unknown_words_is_not_looked_up(seeds_ix, lookups):
    q = _unknown_words(30)           # queries may hold up to 32 different words
    t = time.perf_counter()
    r = seeds_ix.search(q)
    took = time.perf_counter() - t
    assert r.total == 0 and r.suggestion is None
    assert lookups == []
    assert took < 5.0          # generous: the bound is the count above


def test_a_few_unknown_words_cost_at_most_two_lookups_each(seeds_ix, lookups):
    seeds_ix.search(_unknown_words(suggest.MAX_WORDS, seed=1))
    assert 0 < len(lookups) <= 2 * suggest.MAX_WORDS, len(lookups)
    del lookups[:]
    seeds_ix.search(_unknown_words(suggest.MAX_WORDS + 1, seed=1))
    assert lookups == []


def test_a_thousand_letter_word_is_not_looked_up(seeds_ix, lookups):
    r = seeds_ix.search("k" * 1000)
    assert r.total == 0 and r.suggestion is None
    assert lookups == []


def test_edit_distance_follows_word_length():
    assert [suggest.max_edits("x" * n) for n in (3, 5, 6, 12)] == [1, 1, 2, 2]


def test_fewest_edits_win_then_the_commoner_word():
    lex = expand.Lexicon(sorted(["harbour", "harbours", "harvest"]))

    class Reader:
        def doc_frequency(self, field, term):
            return {"harbour": 1, "harbours": 9, "harvest": 5}[term]

    deadline = time.monotonic() + 10
    # "harbor" is one edit from "harbour", two from "harbours": distance first
    assert suggest._best(Reader(), lex, "harbor", deadline) == "harbour"
    # "harbourz" is one edit from both "harbour" and "harbours": the commoner wins
    assert suggest._best(Reader(), lex, "harbourz", deadline) == "harbours"


def test_the_time_budget_stops_lookups(seeds_ix, lookups):
    _snap = seeds_ix._state()
    s, arrays = _snap.searcher, _snap.arrays
    lex = expand.lexicon(arrays.lexicons, s.reader(), "body")
    assert suggest.suggest(s, _unknown_words(20), lex, budget=0.0) is None
    assert lookups == []
