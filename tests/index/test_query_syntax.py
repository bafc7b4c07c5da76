"""Hostile and malformed queries: a result or a QueryError with a message, never another exception."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import index
from tests._index_helpers import search_outcome


@pytest.fixture(scope="module")
def ix(tmp_path_factory, corpus_dir):
    ix = index.open_index(tmp_path_factory.mktemp("q-ix"))
    ix.reindex([corpus_dir], progress=False)
    return ix


BAD = ['"unbalanced quotes', 'title:', 'body:', 'entity:', '*', '?', 'x' * 5000,
       'tali\x00ban', '\x00', '((((((((((((((((((((((a))))))))))))))))))))', '(', ')', 'AND',
       'OR OR', 'NOT', 'a AND', '"', '~', 'taliban~9', 'title:(', 'unknownfield:foo', ':',
       '\ud800', '*:*', '[a TO z]', 'a^3', '\\', '""', "'", 'taliban' * 300]


@pytest.mark.parametrize("q", BAD)
def test_bad_queries_never_raise(ix, q):
    r = search_outcome(ix, q)
    assert isinstance(r, index.SearchResult)
    assert (r.error is None) or (isinstance(r.error, str) and r.error and r.total == 0)
    assert not (r.error or "").startswith("search failed")
    d = r.to_dict()
    assert ("error" in d) == bool(r.error)


def test_specific_messages(ix):
    assert "unbalanced" in search_outcome(ix, '"ceasefire').error
    assert "too long" in search_outcome(ix, "x" * 5000).error
    # a control character inside a word is dropped by the query cleaner, not an error; the
    # word it leaves ("taliban" split as "tali", "ban") is not in the seeds
    r = search_outcome(ix, "tali\x00ban")
    assert (r.error, r.total) == (None, 0)
    assert search_outcome(ix, "*").total == 5            # a lone star browses


@pytest.mark.parametrize("kw", [dict(page=0), dict(page="x"), dict(per_page=-1),
                                dict(sort="sideways"), dict(since="2025-99"),
                                dict(until="tomorrow"), dict(since="2026", until="2025")])
def test_bad_parameters_give_errors(ix, kw):
    r = search_outcome(ix, "taliban", **kw)
    assert r.error and r.total == 0


def test_huge_page_is_empty_not_an_error(ix):
    r = search_outcome(ix, "taliban", page=10**9)
    assert r.error is None and r.hits == [] and r.total == 5


def test_expansion_cap(ix, monkeypatch):
    from dataclasses import replace
    from index import limits
    monkeypatch.setattr(limits, "LIMITS", replace(limits.LIMITS, expansion=3))
    r = search_outcome(ix, "a*")
    assert r.error and "too many" in r.error


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=80), ent=st.lists(st.text(max_size=20), max_size=2),
       since=st.one_of(st.none(), st.text(max_size=12)), until=st.one_of(st.none(), st.text(max_size=12)),
       sort=st.sampled_from(["relevance", "date", "x"]), page=st.integers(-3, 50))
def test_property_search_never_raises(ix, q, ent, since, until, sort, page):
    r = search_outcome(ix, q, entities=ent, since=since, until=until, sort=sort, page=page)
    if r.error is None:
        # a page holds exactly the entries left from its offset, and the hits with
        # their same-story versions never count more articles than the total
        assert len(r.hits) == max(0, min(r.per_page, r.entries - (r.page - 1) * r.per_page))
        assert sum(1 + len(h.same_story) for h in r.hits) <= r.total
        assert r.entries <= r.total
    else:
        assert (r.total, r.hits) == (0, [])
    assert not (r.error or "").startswith("search failed")   # only deliberate messages
    r.to_dict()
