"""A reindex whose posting pool spills to disk writes the same index as one
that keeps every posting in memory.

A full reindex of a large archive fills the posting pool (``limitmb``)
many times; each time a run of sorted terms with their postings goes to disk
and the commit merges them back, a term's postings joined in run order.
``index._whoosh`` writes those runs in chunks of postings, so chunk edges, runs
merged ahead of the commit (more than ``MAX_RUNS``) and the plain in-memory
path must all give the same postings and the same answers.
"""
from __future__ import annotations

import pytest

import index
from index import _whoosh, writer

from tests._index_helpers import write_wire

N_STORIES = 300


@pytest.fixture(scope="module")
def src(tmp_path_factory):
    root = tmp_path_factory.mktemp("spill")
    write_wire(root / "src" / "a.jsonl", N_STORIES, seed=5)
    return root / "src"


def _build(tmp, src, monkeypatch, limitmb, chunk, runs):
    """Index ``src`` with this pool limit and run chunk; return the index and
    how many runs the pool spilled (counted through the pool's own hook)."""
    monkeypatch.setattr(writer, "WRITER_OPTIONS", {"limitmb": limitmb})
    monkeypatch.setattr(_whoosh, "RUN_CHUNK", chunk)
    saved = _whoosh._TermPool.save

    def counting_save(self):
        if self.fields:
            runs.append(sum(map(len, self.fields.values())))
        return saved(self)
    monkeypatch.setattr(_whoosh._TermPool, "save", counting_save)
    ix = index.open_index(tmp)
    summary = ix.reindex([src], progress=False)
    assert summary.added == N_STORIES, summary.skipped
    monkeypatch.undo()
    return ix


def _postings(ix):
    """Every (field, term) -> [(docnum, value bytes)] of the index, read by
    Whoosh's own matchers, and every stored document."""
    out = {}
    with ix._ix.searcher() as s:
        r = s.reader()
        for field, text in r.all_terms():
            out[(field, text)] = list(r.postings(field, text).all_items())
        docs = [dict(f) for _n, f in r.iter_docs()]
    return out, docs


def test_spilled_runs_give_the_same_index(tmp_path, src, monkeypatch):
    mem_runs, spill_runs = [], []
    in_memory = _build(tmp_path / "mem", src, monkeypatch, 384, 8192, mem_runs)
    # a pool of a few KB spills hundreds of runs: more than are merged at
    # once (MAX_RUNS), so some are merged into new runs before the commit; a
    # chunk of 7 postings puts chunk edges everywhere, inside terms too
    spilled = _build(tmp_path / "spill", src, monkeypatch, 0.02, 7, spill_runs)
    assert len(mem_runs) <= 1
    assert len(spill_runs) > 2 * _whoosh.MAX_RUNS, len(spill_runs)
    a, b = _postings(in_memory), _postings(spilled)
    assert len(a[0]) > 1000
    assert a[0].keys() == b[0].keys()
    assert a[0] == b[0]
    assert a[1] == b[1]
    for q in ("oil", '"crude oil"', "wheat OR copper", "export*"):
        ra, rb = in_memory.search(q, per_page=50), spilled.search(q, per_page=50)
        assert ra.total == rb.total and ra.total > 0, q
        assert [h.id for h in ra.hits] == [h.id for h in rb.hits], q
