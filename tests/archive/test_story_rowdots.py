"""The sparse helpers of the story pass that replace a simpler scipy form
(archive/stories.py): each must give the same numbers, bit for bit, since the
groups compare floats against bars."""
from __future__ import annotations

import numpy as np
import pytest

from archive import stories


def _hash_rows(rng, n, vocab, max_len, empty_every=5):
    """Sorted distinct uint32 hashes per row (as a signature keeps them),
    some rows empty, hashes spread over the whole 32-bit range."""
    words = np.unique(rng.integers(0, 1 << 32, vocab, dtype=np.uint64)).astype(np.uint32)
    rows, weights = [], []
    for k in range(n):
        m = 0 if k % empty_every == 0 else int(rng.integers(1, max_len))
        h = np.unique(rng.choice(words, size=m))
        rows.append(h.astype(np.uint32))
        weights.append(rng.uniform(0.1, 9.0, h.size).astype(np.float16))
    return rows, weights


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ranked_matches_wide_bit_for_bit(seed):
    rng = np.random.default_rng(seed)
    rows, weights = _hash_rows(rng, 300, 400, 60)
    wide = stories._wide(rows, weights)
    ranked = stories._ranked(rows, weights)
    assert ranked.indices.dtype == np.int32
    assert np.array_equal(wide.indptr, ranked.indptr)
    assert np.array_equal(wide.data, ranked.data)        # same norms, same order
    # the rank keeps each row's order
    order = np.argsort(wide.indices, kind="stable")
    assert np.array_equal(np.argsort(ranked.indices, kind="stable"), order)
    I = rng.integers(0, len(rows), 2000)
    J = rng.integers(0, len(rows), 2000)
    I[:50] = J[:50]                                      # a row with itself
    I[50:100], J[50:100] = I[100:150], J[100:150]        # repeated pairs
    for a, b in zip(stories._rowdot_count(wide, I, J), stories._rowdot_count(ranked, I, J)):
        assert np.array_equal(a, b)
    assert np.array_equal(stories._rowdot(wide, wide, I, J),
                          stories._rowdot(ranked, ranked, I, J))


def test_ranked_of_nothing():
    m = stories._ranked([], [])
    assert m.shape[0] == 0 and m.nnz == 0
    m = stories._ranked([np.zeros(0, np.uint32)] * 3, [np.zeros(0, np.float16)] * 3)
    assert m.shape[0] == 3 and m.nnz == 0
    I = np.array([0, 1, 2, 2])
    assert not stories._rowdot_count(m, I, I[::-1])[0].any()
