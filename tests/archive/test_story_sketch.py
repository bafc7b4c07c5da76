"""The bound on shared words that lets the story pass skip counting most
candidate pairs exactly (archive/stories.py, ``_Sketch``): it must never be
below the true count, or a pair the exact test keeps would be dropped."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from archive import stories

from .test_stories import _generated_items


def _wide_rows(rng, n, vocab, max_len, long_row=0):
    """A wide CSR matrix (32-bit hashes as columns, as the body vectors
    are): every fifth row empty, a few common words in most rows, and
    optionally one row of ``long_row`` words."""
    words = np.unique(rng.integers(0, 1 << 32, vocab, dtype=np.uint64)).astype(np.uint32)
    common = words[:20]
    rows, weights = [], []
    for k in range(n):
        m = 0 if k % 5 == 0 else int(rng.integers(1, max_len))
        h = rng.choice(words, size=m)
        if m:
            h = np.concatenate([h, common[rng.random(common.size) < 0.7]])
        if k == 1 and long_row:
            h = rng.choice(words, size=long_row, replace=False)
        h = np.unique(h).astype(np.uint32)
        rows.append(h)
        weights.append(rng.uniform(0.1, 9.0, h.size).astype(np.float16))
    return stories._wide(rows, weights)


def _exact_shared(M, I, J):
    return stories._rowdot_count(M, I, J)[1]


@pytest.mark.parametrize("seed,vocab,max_len,long_row", [
    (0, 300, 60, 0),            # fewer distinct words than the sketch's common bits
    (1, 5000, 200, 0),
    (2, 50000, 400, 20000),     # a row with more than 255 words in a bucket
])
def test_sketch_bounds_the_shared_words(seed, vocab, max_len, long_row):
    rng = np.random.default_rng(seed)
    M = _wide_rows(rng, 200, vocab, max_len, long_row)
    sk = stories._Sketch(M)
    I = rng.integers(0, M.shape[0], 5000)
    J = rng.integers(0, M.shape[0], 5000)
    I[:50] = J[:50]                                    # a row with itself
    I[50:100], J[50:100] = I[100:150], J[100:150]      # repeated pairs
    I[150:160] = 0                                     # an empty row
    bound = sk.shared_at_most(I, J)
    exact = _exact_shared(M, I, J)
    assert (bound >= exact).all()
    assert (bound[:50] == exact[:50]).all()            # a row shares all its words with itself
    assert (bound[150:160] == 0).all()
    assert (bound < np.diff(M.indptr)[I] + 1).all()    # and never more than a row has
    if long_row:
        assert sk.counts.dtype == np.int64


@pytest.mark.parametrize("n", [0, 3])
def test_sketch_of_no_words(n):
    sk = stories._Sketch(sparse.csr_matrix((n, stories._WIDE), dtype=np.float32))
    assert sk.shared_at_most(np.zeros(0, np.int64), np.zeros(0, np.int64)).size == 0
    if n:
        assert sk.shared_at_most(np.array([0, 2]), np.array([1, 2])).tolist() == [0, 0]


def test_popcount_rows_without_bitwise_count(monkeypatch):
    rng = np.random.default_rng(4)
    words = rng.integers(0, 1 << 63, (50, 3), dtype=np.int64).astype(np.uint64)
    want = [sum(bin(int(w)).count("1") for w in row) for row in words]
    assert stories._popcount_rows(words).tolist() == want
    monkeypatch.delattr(np, "bitwise_count", raising=False)
    assert stories._popcount_rows(words).tolist() == want


@pytest.mark.parametrize("min_shared", [30, 5, 60])
def test_cheap_pass_keeps_what_exact_counts_keep(monkeypatch, min_shared):
    """The cheap tests with the bound keep exactly the pairs they keep when
    every pair is counted exactly (a bound that never drops anything)."""
    monkeypatch.setattr(stories, "OWN_MIN_SHARED", min_shared)
    items = [it for it in _generated_items() if stories.parse(it.sig) is not None]
    v = stories._Vectors([stories.parse(it.sig) for it in items], [it.entities for it in items],
                         [it.source for it in items])
    every = np.arange(v.n)
    I, J = stories._candidates(v, every, every)
    kept = stories._cheap_pass(v, I, J)
    bound = v.sketch.shared_at_most(I, J)
    assert (bound >= _exact_shared(v.X, I, J)).all()
    monkeypatch.setattr(stories._Sketch, "shared_at_most",
                        lambda self, I, J: np.full(len(I), 1 << 40))
    assert np.array_equal(stories._cheap_pass(v, I, J), kept)
    assert kept.size > 10
