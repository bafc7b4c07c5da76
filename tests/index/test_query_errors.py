"""The library's failures a caller can act on: a malformed query raises
``index.QueryError`` (a ValueError with a readable message); a reader asking for
an index that is not there gets ``index.IndexMissing`` and nothing is created."""
from __future__ import annotations

import string

import pytest

import index
from index import LIMITS, query as qmod


def test_query_error_is_a_value_error_exported_by_the_package():
    assert issubclass(index.QueryError, ValueError)
    assert index.QueryError is qmod.QueryError


@pytest.mark.parametrize("q, message", [
    ('"ceasefire', "unbalanced quotes"),
    ("x" * 5000, "too long"),
    ("(" * 40 + "talks" + ")" * 40, "nested too deeply"),
])
def test_malformed_queries_raise_query_error_with_the_message(seeds_ix, q, message):
    with pytest.raises(index.QueryError, match=message):
        seeds_ix.search(q)


@pytest.mark.parametrize("kw, message", [
    (dict(since="2025-13"), "invalid date"), (dict(since="2025-02-30"), "no such day"),
    (dict(since="2026", until="2025"), "'since' is after 'until'"),
    (dict(page="x"), "page must be a whole number"), (dict(sort="sideways"), "sort must be"),
])
def test_malformed_filters_raise_query_error(seeds_ix, kw, message):
    with pytest.raises(index.QueryError, match=message):
        seeds_ix.search("talks", **kw)


def test_a_good_query_still_returns_a_result_without_error(seeds_ix):
    r = seeds_ix.search("ceasefire")
    assert r.total == 4 and r.error is None and "error" not in r.to_dict()


def test_too_many_phrases_are_refused_before_running(seeds_ix):
    ok = " OR ".join(f'"talks {w}"' for w in string.ascii_lowercase[:LIMITS.phrases])
    assert seeds_ix.search(ok).total >= 0
    with pytest.raises(index.QueryError, match="too many phrases"):
        seeds_ix.search(ok + ' OR "one more"')


def test_reader_open_of_a_missing_index_raises_and_creates_nothing(tmp_path):
    where = tmp_path / "no" / "such" / "index"
    with pytest.raises(index.IndexMissing) as err:
        index.open_index(where, create=False)
    assert str(err.value) == f"no index at {where} (run newsarchive reindex)"
    assert not (tmp_path / "no").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(index.IndexMissing):
        index.open_index(empty, create=False)
    assert list(empty.iterdir()) == []


def test_default_open_still_creates_as_the_contract_says(tmp_path):
    ix = index.open_index(tmp_path / "new")
    assert ix.search("").total == 0
    assert index.open_index(tmp_path / "new", create=False).search("").total == 0


def test_too_many_different_words_are_refused_repeats_are_not(seeds_ix):
    words = [f"{a}{b}" for a in string.ascii_lowercase for b in string.ascii_lowercase]
    assert seeds_ix.search(" ".join(words[:LIMITS.words])).total == 0
    with pytest.raises(index.QueryError, match="too many different words"):
        seeds_ix.search(" ".join(words[:LIMITS.words + 1]))
    assert seeds_ix.search("talks " * 160).total == seeds_ix.search("talks").total
