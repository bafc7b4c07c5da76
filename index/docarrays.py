"""Per-document arrays for filters, sorting, facets and story collapsing.

Whoosh's ``groupedby`` facets walk the matched documents through Python
objects on every query (30-250 ms at 20k articles).  Instead, once per index
generation, we read the postings of the few keyword fields that describe a
document (date, source, entities by type, story group) into numpy arrays
indexed by docnum.  A query then only needs its matched docnums: filters are
boolean masks, date sort is an argsort, and facet counts are ``bincount`` over
the matched rows -- exact for the whole result set at numpy speed.

Arrays are immutable after loading and shared by every thread's searcher
of the same generation.
"""
from __future__ import annotations

import datetime as dt
import threading

import numpy as np

from .schema import ENTITY_FIELDS


class MultiValued:
    """docnum -> several value ids (CSR layout), plus the flat pairs for counting."""

    def __init__(self, names: list[str], docs: np.ndarray, vals: np.ndarray, ndocs: int):
        self.names = names
        order = np.lexsort((vals, docs))
        self.docs = docs[order].astype(np.int32)
        self.vals = vals[order].astype(np.int32)
        self.indptr = np.zeros(ndocs + 1, dtype=np.int64)
        np.add.at(self.indptr, self.docs + 1, 1)
        np.cumsum(self.indptr, out=self.indptr)
        self.index = {n: i for i, n in enumerate(names)}

    def of(self, docnum: int) -> list[str]:
        return [self.names[v] for v in self.vals[self.indptr[docnum]:self.indptr[docnum + 1]]]

    def count(self, mask: np.ndarray, nmatched: int) -> np.ndarray:
        """Counts per value over the docs where ``mask`` is true."""
        if not self.names:
            return np.zeros(0, dtype=np.int64)
        sel = mask[self.docs]
        return np.bincount(self.vals[sel], minlength=len(self.names))

    def docs_with(self, value_ids) -> np.ndarray:
        """Boolean mask per value id (docs having any of the ids)."""
        ids = np.asarray(list(value_ids), dtype=np.int32)
        hit = np.isin(self.vals, ids)
        out = np.zeros(len(self.indptr) - 1, dtype=bool)
        out[self.docs[hit]] = True
        return out


def _postings(reader, field):
    """(term texts, docnum array, value-id array) for a keyword field."""
    names, docs, vals = [], [], []
    try:
        terms = list(reader.lexicon(field))
    except Exception:  # noqa: BLE001 -- empty index / unknown field
        terms = []
    for i, t in enumerate(terms):
        ids = np.fromiter(reader.postings(field, t).all_ids(), dtype=np.int64)
        names.append(t.decode("utf-8") if isinstance(t, bytes) else t)
        docs.append(ids)
        vals.append(np.full(ids.size, i, dtype=np.int32))
    if docs:
        return names, np.concatenate(docs), np.concatenate(vals)
    return names, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)


class DocArrays:
    """Everything per-document a query needs, for one index generation."""

    def __init__(self, searcher):
        reader = searcher.reader()
        n = reader.doc_count_all()
        self.ndocs = n
        self.alive = np.zeros(n, dtype=bool)
        alive_ids = np.fromiter(reader.all_doc_ids(), dtype=np.int64)
        self.alive[alive_ids] = True
        self.count = int(alive_ids.size)

        # dates: ordinal per doc, 0 = undated
        names, docs, vals = _postings(reader, "ymd")
        ords = np.array([dt.date.fromisoformat(s).toordinal() for s in names], dtype=np.int32)
        self.day = np.zeros(n, dtype=np.int32)
        if docs.size:
            self.day[docs] = ords[vals]
        # year and month derived from the day ordinal via a small lookup table
        self.year = np.zeros(n, dtype=np.int32)
        self.month = np.zeros(n, dtype=np.int32)   # year*12 + (month-1)
        if names:
            y = np.array([int(s[:4]) for s in names], dtype=np.int32)
            m = np.array([int(s[:4]) * 12 + int(s[5:7]) - 1 for s in names], dtype=np.int32)
            self.year[docs] = y[vals]
            self.month[docs] = m[vals]

        # single-valued: source and story group (-1 = none)
        self.source_names, self.source = self._single(reader, "source_id", n)
        self.story_names, self.story = self._single(reader, "story", n)
        # story members: docnums per group id, alive only
        order = np.argsort(self.story, kind="stable")
        self._story_sorted = order
        self._story_bounds = np.searchsorted(self.story[order],
                                             np.arange(len(self.story_names) + 1))

        self.entities = {}
        for f in ENTITY_FIELDS:
            names, docs, vals = _postings(reader, f)
            self.entities[f] = MultiValued(names, docs, vals, n)

    @staticmethod
    def _single(reader, field, n):
        names, docs, vals = _postings(reader, field)
        arr = np.full(n, -1, dtype=np.int32)
        if docs.size:
            arr[docs] = vals
        return names, arr

    def story_members(self, docnum: int) -> np.ndarray:
        g = self.story[docnum]
        if g < 0:
            return np.zeros(0, dtype=np.int64)
        members = self._story_sorted[self._story_bounds[g]:self._story_bounds[g + 1]]
        return members[self.alive[members]]


_cache: dict = {}
_cache_lock = threading.Lock()


def arrays_for(key, searcher) -> DocArrays:
    """The DocArrays of an index generation, built once (thread-safe)."""
    with _cache_lock:
        got = _cache.get(key)
        if got is not None:
            return got
    built = DocArrays(searcher)
    with _cache_lock:
        # keep only a few generations (a reader mid-refresh may still need the old one)
        for k in list(_cache)[:-2]:
            if k[0] == key[0]:
                del _cache[k]
        _cache[key] = built
    return built
