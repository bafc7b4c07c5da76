"""Same-story grouping: articles that carry the same statement or wire copy.

Each article gets a MinHash signature (datasketch) over word shingles of its
clean body, computed in the loading workers.  At the end of every reindex the
signatures of all documents are banded (LSH) to find candidate pairs, pairs
whose estimated similarity clears :data:`THRESHOLD` are joined with a
union-find, and each connected group is named after its smallest article id
-- a name that is stable as long as the group keeps that member.

The threshold and shingle size were tuned on the seeds: 000, 001 and 003
(the Foreign Office statement of 9 November, reported by three outlets in
their own words with shared quotations) must group; 002 and 004 (other
briefings on the same subject) must not.  See ``tests/test_index_stories.py``.
"""
from __future__ import annotations

import re
from collections import defaultdict

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
SHINGLE = 1          # words per shingle (outlets rewrite sentences; they keep the words)
BANDS, ROWS = 64, 2  # BANDS * ROWS == NUM_PERM; low rows = sensitive candidate finding
THRESHOLD = 0.16     # exact Jaccard of the word sets needed to join two articles
MAX_GROUP = 25       # a "story" with more versions than this is a template, not a story
MIN_SHINGLES = 40    # texts with fewer distinct words never group (templated briefs)

_WORD = re.compile(r"\w+", re.UNICODE)
_STOP = frozenset("""a an and are as at be by for from has have he in is it its of on or
that the their they this to was were will with said says""".split())


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    words = [w for w in _WORD.findall(text.casefold()) if w not in _STOP]
    return {" ".join(words[i:i + k]) for i in range(max(0, len(words) - k + 1))}


def signature(text: str) -> bytes | None:
    """MinHash signature (uint32 x NUM_PERM) followed by the sorted uint32
    hashes of the shingle set, as bytes; None if the text is too short.

    The MinHash part finds candidate pairs cheaply (banding); the exact set
    part verifies them, because a 128-permutation estimate is too noisy
    (+-0.03) for the narrow margin between "same story in other words" and
    "same subject" that news needs.
    """
    sh = shingles(text)
    if len(sh) < MIN_SHINGLES:
        return None
    encoded = [s.encode("utf-8") for s in sh]
    m = MinHash(num_perm=NUM_PERM, seed=1)
    m.update_batch(encoded)
    feats = np.unique(np.array([_h32(b) for b in encoded], dtype=np.uint32))
    return m.hashvalues.astype(np.uint32).tobytes() + feats.tobytes()


def _h32(b: bytes) -> int:
    import zlib
    return zlib.crc32(b)


def _split(sig: bytes):
    arr = np.frombuffer(sig, dtype=np.uint32)
    return arr[:NUM_PERM], arr[NUM_PERM:]


def similarity(a: bytes, b: bytes) -> float:
    """Exact Jaccard of the two word sets (from the stored hashes)."""
    x, y = _split(a)[1], _split(b)[1]
    inter = np.intersect1d(x, y, assume_unique=True).size
    union = x.size + y.size - inter
    return inter / union if union else 0.0


def group(ids: list[str], sigs: list[bytes | None]) -> dict[str, str]:
    """Map every id to its story group name (the smallest id in its group).

    Grouping is *complete-linkage*: an article joins a group only if it is
    similar enough to every member.  Plain connected components chain
    (A~B, B~C, C~D ...) and on Reuters glued 1,263 unrelated wire items into
    one "story"; complete linkage keeps groups to real versions of one text.
    """
    n = len(ids)
    rows = [i for i, s in enumerate(sigs) if s is not None]
    sets = {}

    def fset(i):
        got = sets.get(i)
        if got is None:
            got = sets[i] = frozenset(_split(sigs[i])[1].tolist())
        return got

    sim_cache = {}

    def sim(i, j):
        key = (i, j) if i < j else (j, i)
        v = sim_cache.get(key)
        if v is None:
            a, b = fset(i), fset(j)
            inter = len(a & b)
            v = sim_cache[key] = inter / (len(a) + len(b) - inter) if (a or b) else 0.0
        return v

    candidates = defaultdict(set)
    if len(rows) > 1:
        mat = np.stack([_split(sigs[i])[0] for i in rows])
        for b in range(BANDS):
            band = mat[:, b * ROWS:(b + 1) * ROWS].astype(np.uint64)
            keys = band[:, 0] << np.uint64(32) | band[:, 1]
            order = np.argsort(keys, kind="stable")
            sk = keys[order]
            cuts = np.flatnonzero(np.diff(sk)) + 1
            for chunk in np.split(order, cuts):
                if len(chunk) < 2 or len(chunk) > 200:   # huge buckets: template words
                    continue
                members = [rows[k] for k in chunk.tolist()]
                for x in members:
                    candidates[x].update(members)
    group_of = {}
    groups = {}
    # visit articles in id order so group names and membership are deterministic
    for i in sorted(range(n), key=lambda k: ids[k]):
        best, best_score = None, 0.0
        tried = set()
        for j in candidates.get(i, ()):
            g = group_of.get(j)
            if g is None or j == i or g in tried:
                continue
            tried.add(g)
            members = groups[g]
            if len(members) >= MAX_GROUP:
                continue
            if sim(i, members[0]) < THRESHOLD:      # cheap reject on the first member
                continue
            sims = [sim(i, m) for m in members]
            if min(sims) >= THRESHOLD and sum(sims) / len(sims) > best_score:
                best, best_score = g, sum(sims) / len(sims)
        if best is None:
            best = i
            groups[i] = []
        groups[best].append(i)
        group_of[i] = best
    out = {}
    for members in groups.values():
        name = min(ids[k] for k in members)
        for k in members:
            out[ids[k]] = name
    return out
