"""The story pass works on bounded chunks of pairs, and the chunks change nothing.

The pair products gather the rows of each pair; a chunk of a fixed number
of pairs gathered as many entries as its rows held (the story pass's peak,
hundreds of MB, on a dense archive).  Chunks are now cut by entries
(``CHUNK_NNZ``) and the cheap link tests and the full evidence go
``LINK_CHUNK`` pairs at a time: the groups must be the same for any sizes.
"""
from __future__ import annotations

import numpy as np
from scipy import sparse

from archive import stories

from tests.archive.test_story_state import _items


def test_chunks_hold_at_most_the_budget_and_cover_every_pair():
    rng = np.random.default_rng(3)
    lens = rng.integers(0, 40, size=50)
    indptr = np.concatenate([[0], np.cumsum(lens)])
    M = sparse.csr_matrix((np.ones(indptr[-1]), rng.integers(0, 1000, indptr[-1]), indptr),
                          shape=(50, 1000))
    I, J = rng.integers(0, 50, 3000), rng.integers(0, 50, 3000)
    cuts = list(stories._chunks(M, M, I, J, budget=100))
    assert cuts[0][0] == 0 and cuts[-1][1] == len(I)
    assert all(a[1] == b[0] for a, b in zip(cuts, cuts[1:]))           # no gap, no overlap
    for s, e in cuts:
        held = max(lens[I[s:e]].sum(), lens[J[s:e]].sum())
        assert held <= 100 or e - s == 1, (s, e, held)
    assert len(cuts) > 100
    # the products are the same whatever the chunks
    exact = np.asarray(M[I].multiply(M[J]).sum(axis=1)).ravel()
    assert np.array_equal(stories._rowdot(M, M, I, J), exact)


def test_groups_do_not_depend_on_the_chunk_sizes(monkeypatch):
    items = _items(300, seed=31)
    whole = stories.group(items)
    assert sum(1 for a, g in whole.items() if a != g) > 5
    monkeypatch.setattr(stories, "CHUNK_NNZ", 60)
    monkeypatch.setattr(stories, "LINK_CHUNK", 7)
    calls = []
    real = stories._cheap_pass

    def counting(v, I, J):
        calls.append(len(I))
        return real(v, I, J)
    monkeypatch.setattr(stories, "_cheap_pass", counting)
    assert stories.group(items) == whole
    assert max(calls) <= 7 and len(calls) > 10
    a, b = items[0], items[1]
    monkeypatch.undo()
    ev = stories.pair_evidence(a, b)
    monkeypatch.setattr(stories, "CHUNK_NNZ", 5)
    assert stories.pair_evidence(a, b) == ev
