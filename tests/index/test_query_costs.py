"""What bounds the cost of a search, and what a searcher costs to hold.

- Fuzzy and wildcard words are expanded once, against a budget, by
  ``index.expand`` -- with the same terms Whoosh's own lexicon scan finds, but
  without running that scan (it cost ~70 ms per field per word at 19k
  articles; eight ``word~2`` took ~10 s).
- Searchers of every thread share the segment file's bytes: whoosh-reloaded's
  ``BufferFile`` copied almost the whole segment into each one (1.5 GB for
  ``newsarchive serve`` over 19k articles).

Runs on synthetic wire stories (archive.synthetic).
"""
from __future__ import annotations

import io
from dataclasses import replace
import threading
import tracemalloc

import pytest
from hypothesis import given, settings, strategies as st
from whoosh import reading
from whoosh.support.levenshtein import levenshtein

import index
from index import expand, limits, query as qmod, segfiles

from tests._index_helpers import write_wire

N_STORIES = 400


@pytest.fixture(scope="module")
def wire_ix(tmp_path_factory):
    root = tmp_path_factory.mktemp("wire-costs")
    write_wire(root / "src" / "a.jsonl", N_STORIES, seed=12)
    ix = index.open_index(root / "ix")
    assert ix.reindex([root / "src"], progress=False).added == N_STORIES
    return ix


# -- fuzzy expansion ------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(a=st.text("abcdeé", max_size=7), b=st.text("abcdeé", min_size=1, max_size=7))
def test_vector_levenshtein_equals_whoosh(a, b):
    chars = expand._code_points(a).reshape(1, -1)
    got = expand.levenshtein_many(chars, expand._code_points(b))
    assert int(got[0]) == levenshtein(a, b)


@pytest.mark.parametrize("word,dist,prefix", [("oil", 2, 0), ("rate", 1, 0), ("compani", 2, 0),
                                              ("pric", 2, 2), ("x", 2, 0), ("tonn", 1, 1)])
def test_fuzzy_terms_are_the_ones_whoosh_finds(wire_ix, word, dist, prefix):
    _snap = wire_ix._state()
    s, arrays = _snap.searcher, _snap.arrays
    reader = s.reader()
    for field in ("title", "body"):
        ours = expand.lexicon({}, reader, field).within(word, dist, prefix)
        assert set(ours) == set(reader.terms_within(field, word, dist, prefix)), (field, word)


@pytest.mark.parametrize("text", ["crude~2", "oil~ OR bank~2", "pric~2/2 AND NOT gold",
                                  "tonne~1 export*", "title:wheat~1"])
def test_expanded_fuzzy_query_matches_and_ranks_as_whoosh(wire_ix, text, monkeypatch):
    _snap = wire_ix._state()
    s, arrays = _snap.searcher, _snap.arrays
    plain = qmod.parse(wire_ix._parser, text)
    whoosh = s.search(plain, limit=None, terms=False)
    want = sorted(d for d in (h.docnum for h in whoosh) if arrays.alive[d])

    # the search itself never runs Whoosh's per-field lexicon scan
    def refuse(*a, **k):
        raise AssertionError("Whoosh's terms_within scan ran")
    monkeypatch.setattr(reading.SegmentReader, "terms_within", refuse)
    monkeypatch.setattr(reading.IndexReader, "terms_within", refuse)
    q, exp = expand.expand(qmod.parse(wire_ix._parser, text), s.reader(), {})
    assert not any(isinstance(leaf, qmod.wq.FuzzyTerm) for leaf in qmod.leaves(q))
    got = qmod.matched_docs(q, s, arrays.alive, {}, exp)
    assert got.tolist() == want
    r = wire_ix.search(text, per_page=100)
    assert r.error is None and r.total == len(want)


def test_eight_fuzzy_words_are_refused_with_a_reason(wire_ix):
    words = ["oil", "bank", "rates", "trade", "japan", "crude", "wheat", "dollar"]
    with pytest.raises(index.QueryError, match="too many fuzzy terms"):
        wire_ix.search(" OR ".join(w + "~2" for w in words))
    ok = wire_ix.search(" OR ".join(w + "~2" for w in words[:limits.LIMITS.fuzzy_words]))
    assert ok.error is None and ok.total > 0


def test_total_expansion_budget_counts_every_multiterm_word(wire_ix, monkeypatch):
    _snap = wire_ix._state()
    s, _ = _snap.searcher, _snap.arrays
    q = qmod.parse(wire_ix._parser, "oil~2 OR ex*")
    leaves = expand.multiterm_leaves(q)
    expanded, exp = expand.expand(q, s.reader(), {})
    total = exp.total
    # the expansions travel beside the query: nothing is stored on its nodes
    assert len(exp) == len({qmod.multiterm_key(leaf) for leaf in leaves}) == 4
    assert not any(hasattr(leaf, "_na_terms") for leaf in qmod.leaves(expanded))
    assert total > 10
    monkeypatch.setattr(limits, "LIMITS", replace(limits.LIMITS, total_expansion=total - 1))
    with pytest.raises(index.QueryError) as err:
        wire_ix.search("oil~2 OR ex*")
    assert "too many words match the wildcard and fuzzy terms together" in str(err.value)
    assert f"{total:,}" in str(err.value)
    monkeypatch.setattr(limits, "LIMITS", replace(limits.LIMITS, total_expansion=total))
    assert wire_ix.search("oil~2 OR ex*").error is None


def test_fuzzy_expansions_do_not_feed_did_you_mean(wire_ix):
    q, _ = expand.expand(qmod.parse(wire_ix._parser, "oil~1 zzzqqq"),
                         wire_ix._state().searcher.reader(), {})
    assert [w for _, w in qmod.plain_words(q)] == ["zzzqqq", "zzzqqq"]


# -- searchers share the segment's bytes -------------------------------------------------

def test_viewfile_reads_like_bytesio():
    data = b"first line\nsecond\n\nlast without newline"
    a, b = segfiles.ViewFile(memoryview(data)), io.BytesIO(data)
    for op in [("read", 5), ("readline",), ("tell",), ("seek", 3), ("read", 0), ("read", -1),
               ("seek", -4, io.SEEK_END), ("read", 100), ("seek", 0), ("readline",),
               ("readline",), ("readline",), ("readline",), ("readline",), ("tell",)]:
        assert getattr(a, op[0])(*op[1:]) == getattr(b, op[0])(*op[1:]), op
    a.seek(0)
    assert list(a) == data.splitlines(keepends=True)


def test_another_threads_searcher_does_not_copy_the_segment(wire_ix):
    seg = max(wire_ix.path.glob("*.seg"), key=lambda p: p.stat().st_size)
    size = seg.stat().st_size
    hit = wire_ix.search("oil").hits[0].id

    def work():
        wire_ix.search("oil")
        wire_ix.search("wheat OR gold", sort="date")
        wire_ix.get(hit)
        wire_ix.more_like_this(hit)

    work()                       # this thread's searcher and the shared arrays exist
    done, release = threading.Event(), threading.Event()

    def other():
        work()
        done.set()
        release.wait(30)         # keep the searcher alive while we measure

    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        t = threading.Thread(target=other)
        t.start()
        assert done.wait(60)
        after = tracemalloc.take_snapshot()
    finally:
        release.set()
        tracemalloc.stop()
    t.join(30)
    grown = sum(st.size_diff for st in after.compare_to(before, "filename"))
    # the copying BufferFile made this at least ~the segment's size
    assert grown < size * 0.25, (grown, size)


def test_matching_reads_the_expansions_it_is_handed(wire_ix):
    """The expand step's result is the only channel to matching: hand the
    matcher fewer terms for a prefix and it matches exactly those terms' docs."""
    _snap = wire_ix._state()
    s, arrays = _snap.searcher, _snap.arrays
    q, exp = expand.expand(qmod.parse(wire_ix._parser, "body:ex*"), s.reader(), {})
    (key,) = exp.terms
    assert len(exp.terms[key]) > 1
    full = qmod.matched_docs(q, s, arrays.alive, {}, exp)
    first = exp.terms[key][0]
    part = qmod.matched_docs(q, s, arrays.alive, {}, qmod.Expansions({key: [first]}))
    want = qmod.term_ids(s, "body", first)
    assert part.tolist() == sorted(d for d in want.tolist() if arrays.alive[d])
    assert 0 < part.size < full.size
