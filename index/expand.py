"""Prefix, wildcard and fuzzy words: expanded once, counted, and bounded.

A multi-term word stands for every index term it matches.  Its cost is the
number of those terms (each one a posting list to read and score), plus, for
a fuzzy word, finding them: Whoosh compares the word with every term of the
field's lexicon in Python -- about 70 ms per field at 19k Reuters articles,
paid again by every code path that asks for the expansion.  A query of eight
``word~2`` terms took ~10 s.

So before anything runs, :func:`expand` works out every multi-term word's
terms exactly once and refuses the query, with a sentence the user can act on,
when

- it has more than ``fuzzy_words`` fuzzy or ``multiterms`` expanding words
  in all,
- one word matches more than ``expansion`` terms, or
- all of them together match more than ``total_expansion`` terms

(see :class:`index.limits.QueryLimits`).

A fuzzy word is then replaced by the OR of the terms it matched (which is
what Whoosh's own matcher runs), so the numpy paths in :mod:`index.query`
compute its matched set and BM25F scores like any boolean query; prefixes and
wildcards keep their node, and their term lists travel beside the query in
the :class:`index.query.Expansions` that :func:`expand` returns (nothing is
stored on the query nodes).

Fuzzy matching uses a :class:`Lexicon` per field and index generation
(shared by every thread): a character-count vector per term lets numpy rule
out in one pass every term that cannot be within the edit distance (each
edit changes at most one character's count each way), and only the few
candidates left get the exact Levenshtein distance -- the same distance the
Whoosh segment reader's automaton uses, so the terms are the ones Whoosh
would have matched.
"""
from __future__ import annotations

import itertools
import threading

import numpy as np
from whoosh import query as wq

from . import _whoosh, limits
from .query import Expansions, QueryError, leaves, multiterm_key, rewrite

# the limits (index.limits.LIMITS) are read at call time

_ASCII = np.full(128, -1, dtype=np.int16)
_ASCII[ord("a"):ord("z") + 1] = np.arange(26)
_ASCII[ord("0"):ord("9") + 1] = np.arange(26, 36)
_BUCKETS = 64               # a-z, 0-9, then everything else hashed into 28 buckets


def _buckets(codepoints: np.ndarray) -> np.ndarray:
    """Character bucket per code point.  Two characters sharing a bucket only
    make the count bound weaker, never wrong."""
    cp = codepoints.astype(np.int64)
    out = 36 + cp % (_BUCKETS - 36)
    small = cp < 128
    mapped = _ASCII[cp[small]]
    out[np.flatnonzero(small)[mapped >= 0]] = mapped[mapped >= 0]
    return out


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


class Lexicon:
    """The terms of one field with a character-count row each (for fuzzy)."""

    def __init__(self, terms: list[str]):
        self.terms = terms
        n = len(terms)
        self.lengths = np.fromiter((len(t) for t in terms), dtype=np.int64, count=n)
        self.starts = np.zeros(n, dtype=np.int64)
        if n:
            np.cumsum(self.lengths[:-1], out=self.starts[1:])
        self.cps = _code_points("".join(terms)) if n else np.zeros(0, dtype=np.uint32)
        counts = np.zeros((n, _BUCKETS), dtype=np.int16)
        if n:
            rows = np.repeat(np.arange(n), self.lengths)
            np.add.at(counts, (rows, _buckets(self.cps)), 1)
        self.counts = np.minimum(counts, 127).astype(np.int8)   # clipping keeps the bound valid

    def within(self, text: str, maxdist: int, prefix: int = 0) -> list[str]:
        """Terms within Levenshtein distance ``maxdist`` of ``text`` sharing its
        first ``prefix`` characters (Whoosh's ``terms_within``), in lexicon order."""
        if not self.terms:
            return []
        q = np.zeros(_BUCKETS, dtype=np.int16)
        word = _code_points(text)
        if text:
            np.add.at(q, _buckets(word), 1)
        q = np.minimum(q, 127)
        near = np.flatnonzero(np.abs(self.lengths - len(text)) <= maxdist)
        diff = self.counts[near].astype(np.int16) - q
        # each edit removes at most one surplus character and adds at most one
        # missing one: a distance of d needs both totals <= d
        surplus = np.where(diff > 0, diff, 0).sum(axis=1)
        missing = np.where(diff < 0, -diff, 0).sum(axis=1)
        ok = np.zeros(len(self.terms), dtype=bool)
        ok[near[(surplus <= maxdist) & (missing <= maxdist)]] = True
        head = word[:prefix]
        found = []
        for length in np.unique(self.lengths[ok]).tolist():
            idx = np.flatnonzero(ok & (self.lengths == length))
            chars = self.cps[self.starts[idx][:, None] + np.arange(length)]
            if head.size:
                keep = (chars[:, :head.size] == head).all(axis=1) if length >= head.size \
                    else np.zeros(idx.size, dtype=bool)
                idx, chars = idx[keep], chars[keep]
            if idx.size:
                found.append(idx[levenshtein_many(chars, word) <= maxdist])
        if not found:
            return []
        return [self.terms[i] for i in np.sort(np.concatenate(found)).tolist()]


def levenshtein_many(chars: np.ndarray, word: np.ndarray) -> np.ndarray:
    """Levenshtein distance from each row of ``chars`` (m x l code points) to
    ``word``, all rows at once: one vector step per character of the rows,
    with the insertion chain along a row done by a running minimum."""
    m, length = chars.shape
    n = word.size
    cols = np.arange(n + 1)
    prev = np.broadcast_to(cols, (m, n + 1))
    for i in range(length):
        neq = chars[:, i:i + 1] != word[None, :]
        best = np.minimum(prev[:, 1:] + 1, prev[:, :-1] + neq)      # deletion, substitution
        row = np.concatenate([np.full((m, 1), i + 1), best], axis=1)
        prev = np.minimum.accumulate(row - cols, axis=1) + cols     # insertions
    return prev[:, n] if m else np.zeros(0, dtype=np.int64)


_lex_lock = threading.Lock()


def lexicon(cache: dict, reader, fieldname: str) -> Lexicon:
    """The field's :class:`Lexicon`, built once per generation into ``cache``
    (a dict that lives as long as the generation's arrays)."""
    key = fieldname
    got = cache.get(key)
    if got is not None:
        return got
    with _lex_lock:
        got = cache.get(key)
        if got is None:
            try:
                terms = [b.decode("utf-8") for b in reader.lexicon(fieldname)]
            except Exception:  # noqa: BLE001 -- unknown field / empty index
                terms = []
            got = cache[key] = Lexicon(terms)
    return got


def multiterm_leaves(q):
    return [leaf for leaf in leaves(q) if isinstance(leaf, wq.MultiTerm)]


def _fuzzy_terms(leaf, reader, cache) -> list[str]:
    text = leaf.text.decode("utf-8") if isinstance(leaf.text, bytes) else leaf.text
    dist = min(int(leaf.maxdist), limits.LIMITS.fuzzy_distance)
    if cache is None:
        return list(_whoosh.multiterm_texts(leaf, reader))
    return lexicon(cache, reader, leaf.fieldname).within(text, dist, int(leaf.prefixlength or 0))


def _word(leaf) -> tuple:
    # one typed word searches title and body: count it once
    return (type(leaf), leaf.text, getattr(leaf, "maxdist", None))


def expand(q, reader, cache=None) -> tuple:
    """Check the multi-term words of ``q`` against the budgets and return
    ``(query, expansions)``: the query with fuzzy words replaced by the OR of
    their terms (see the module docstring), and the
    :class:`~index.query.Expansions` of every multi-term word, which the later
    steps are handed.  Raises ``QueryError`` when over budget."""
    if q is None:
        return None, Expansions()
    multi = multiterm_leaves(q)
    if not multi:
        return q, Expansions()
    words = {_word(leaf) for leaf in multi}
    fuzzy = {w for w in words if issubclass(w[0], wq.FuzzyTerm)}
    lim = limits.LIMITS
    if len(words) > lim.multiterms:
        raise QueryError(f"too many wildcard or fuzzy terms (more than {lim.multiterms}); "
                         "use fewer")
    if len(fuzzy) > lim.fuzzy_words:
        raise QueryError(f"too many fuzzy terms ({len(fuzzy)} words with ~; at most "
                         f"{lim.fuzzy_words} per query)")
    cap, budget = lim.expansion, lim.total_expansion
    found = {}
    total = 0
    for leaf in multi:
        key = multiterm_key(leaf)
        if key in found:          # the same word twice (title and body): counted once each
            total += len(found[key])
            continue
        try:
            if isinstance(leaf, wq.FuzzyTerm):
                terms = _fuzzy_terms(leaf, reader, cache)
                got = [t.encode("utf-8") for t in terms[:cap + 1]]
            else:
                got = list(itertools.islice(_whoosh.multiterm_texts(leaf, reader), cap + 1))
        except Exception:  # noqa: BLE001 -- an odd field: nothing to expand
            got = []
        if len(got) > cap:
            raise QueryError(f"{leaf} matches too many words (more than {cap}); "
                             "make it more specific")
        found[key] = got
        total += len(got)
    if total > budget:
        raise QueryError(f"too many words match the wildcard and fuzzy terms together "
                         f"({total:,}; the limit is {budget:,}): use fewer of them, "
                         "a longer prefix, or ~1 instead of ~2")
    exp = Expansions(found)
    return rewrite(q, lambda node: _as_or(node, exp) if isinstance(node, wq.FuzzyTerm)
                   else node), exp


def _as_or(leaf, exp):
    terms = []
    for b in exp.terms[multiterm_key(leaf)]:
        t = wq.Term(leaf.fieldname, b.decode("utf-8"), boost=leaf.boost)
        t.expanded_from = str(leaf)      # not a word the user typed (did-you-mean skips it)
        terms.append(t)
    return wq.Or(terms)
