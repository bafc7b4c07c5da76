"""Per-document arrays for filters, sorting, facets and story collapsing.

Whoosh's ``groupedby`` facets walk the matched documents through Python
objects on every query (30-250 ms at 20k articles).  Instead, once per index
generation, we read the postings of the few keyword fields that describe a
document (date, source, entities by type, story group) into numpy arrays
indexed by docnum.  A query then only needs its matched docnums: filters are
boolean masks, date sort is an argsort, and facet counts are ``bincount`` over
the matched rows -- exact for the whole result set at numpy speed.

Arrays are immutable after loading and shared by every thread's searcher
of the same generation (``snapshot.Snapshots`` keeps them, one per generation).
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np

from . import _whoosh, generations, segpostings
from .schema import ENTITY_FIELDS


def name_rank(names) -> np.ndarray:
    """rank[i] = position of names[i] in Python's sorted order (facet tie-break)."""
    rank = np.zeros(len(names), dtype=np.int64)
    rank[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
    return rank


class MultiValued:
    """docnum -> several value ids (CSR layout), plus the flat pairs for counting."""

    @classmethod
    def from_saved(cls, names, docs, vals, indptr, rank):
        self = cls.__new__(cls)
        self.names, self.docs, self.vals, self.indptr, self.rank = names, docs, vals, indptr, rank
        return self

    def __init__(self, names: list[str], docs: np.ndarray, vals: np.ndarray, ndocs: int):
        self.names = names
        order = np.lexsort((vals, docs))
        self.docs = docs[order].astype(np.int32)
        self.vals = vals[order].astype(np.int32)
        self.indptr = np.zeros(ndocs + 1, dtype=np.int64)
        np.add.at(self.indptr, self.docs + 1, 1)
        np.cumsum(self.indptr, out=self.indptr)
        self.rank = name_rank(names)

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


def _merged(searcher, field, cache=None):
    """(term texts, docnum array, value-id array) of ``field`` over every
    segment: each segment's postings from ``cache`` (an
    :class:`index.segpostings.Cache`) or decoded here, merged by term text.
    Raises :class:`index._whoosh.NoFastPath` for a segment of another codec."""
    index_of, names, docs, vals = {}, [], [], []
    for sub, offset in searcher.leaf_searchers():
        got = cache.get(sub.reader()) if cache is not None \
            else segpostings.decode(sub.reader(), (field,))
        if got is None:
            raise _whoosh.NoFastPath
        seg_names, seg_docs, seg_vals = got[field]
        ids = np.empty(len(seg_names), dtype=np.int32)
        for k, t in enumerate(seg_names):
            i = index_of.get(t)
            if i is None:
                i = index_of[t] = len(names)
                names.append(t)
            ids[k] = i
        if seg_docs.size:
            docs.append(seg_docs + offset if offset else seg_docs)
            vals.append(ids[seg_vals])
    # value ids in sorted-name order, as the generic path gives
    order = sorted(range(len(names)), key=names.__getitem__)
    remap = np.empty(len(names), dtype=np.int32)
    remap[order] = np.arange(len(names), dtype=np.int32)
    names = [names[i] for i in order]
    if docs:
        return names, np.concatenate(docs).astype(np.int64), remap[np.concatenate(vals)]
    return names, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)


def _postings(reader, field, searcher=None, cache=None):
    """(term texts, docnum array, value-id array) for a keyword field.

    Walks each segment's term index once and decodes posting blocks with
    numpy (see :func:`_merged` and :func:`index._whoosh.field_postings`);
    tens of thousands of entity and story terms made the generic per-term
    ``reader.postings`` path cost seconds on the first search after every
    reindex.
    """
    if searcher is not None:
        try:
            return _merged(searcher, field, cache)
        except _whoosh.NoFastPath:
            pass
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

    def __init__(self, searcher, cache=None):
        """``cache``: an :class:`index.segpostings.Cache` (the writer's), so
        segments whose postings were decoded before are not decoded again."""
        reader = searcher.reader()
        n = reader.doc_count_all()
        self._lengths: dict = {}
        self.term_cache: dict = {}     # (field, term bytes) -> docnum array (query.term_ids)
        self.lexicons: dict = {}       # field -> expand.Lexicon (fuzzy words)
        self.ndocs = n
        self.alive = np.zeros(n, dtype=bool)
        alive_ids = np.fromiter(reader.all_doc_ids(), dtype=np.int64)
        self.alive[alive_ids] = True
        self.count = int(alive_ids.size)

        # dates: ordinal per doc, 0 = undated
        names, docs, vals = _postings(reader, "ymd", searcher, cache)
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
        self.source_names, self.source = self._single(reader, "source_id", n, searcher, cache)
        self.source_rank = name_rank(self.source_names)
        self.story_names, self.story = self._single(reader, "story", n, searcher, cache)
        # story members: docnums per group id, alive only
        order = np.argsort(self.story, kind="stable")
        self._story_sorted = order
        self._story_bounds = np.searchsorted(self.story[order],
                                             np.arange(len(self.story_names) + 1))

        self.entities = {}
        for f in ENTITY_FIELDS:
            names, docs, vals = _postings(reader, f, searcher, cache)
            self.entities[f] = MultiValued(names, docs, vals, n)
        # authors: several per article, exact names (an index from before the
        # field has none: ``_postings`` of a field not in the schema is empty)
        self.authors = MultiValued(*_postings(reader, "authors", searcher, cache), n)

    @staticmethod
    def _single(reader, field, n, searcher=None, cache=None):
        names, docs, vals = _postings(reader, field, searcher, cache)
        arr = np.full(n, -1, dtype=np.int32)
        if docs.size:
            arr[docs] = vals
        return names, arr

    def lengths(self, searcher, field: str) -> np.ndarray:
        """Per-document length of ``field`` as Whoosh's scorer sees it (lossy
        byte-encoded), loaded on first use by a relevance query."""
        got = self._lengths.get(field)
        if got is not None:
            return got
        out = np.ones(self.ndocs, dtype=np.float64)
        for sub, offset in searcher.leaf_searchers():
            r = sub.reader()
            n = r.doc_count_all()
            vals = _whoosh.field_lengths(r, field)
            if vals is not None:
                out[offset:offset + n] = np.where(vals > 0, vals, 1)
            else:
                out[offset:offset + n] = [r.doc_field_length(d, field, 1) or 1 for d in range(n)]
        self._lengths[field] = out
        return out

    # -- persisted per generation -------------------------------------------
    #
    # Building the arrays means reading every posting of ~60k keyword terms
    # (about a second at 19k articles).  The writer builds them once right
    # after its commit and saves them next to the segment files, so the first
    # search of every process (web workers, the CLI) only loads a file.

    _ARRAYS = ("alive", "day", "year", "month", "source", "source_rank", "story",
               "_story_sorted", "_story_bounds")

    def save(self, path: Path) -> None:
        data = {k: getattr(self, k) for k in self._ARRAYS}
        data["ndocs"] = np.array([self.ndocs, self.count], dtype=np.int64)
        data["source_names"] = _str_array(self.source_names)
        data["story_names"] = _str_array(self.story_names)
        for f, mv in (*self.entities.items(), ("authors", self.authors)):
            data[f + ".names"] = _str_array(mv.names)
            for k in ("docs", "vals", "indptr", "rank"):
                data[f"{f}.{k}"] = getattr(mv, k)
        tmp = path.with_name(path.name + f".tmp{os.getpid()}.npz")
        try:
            np.savez(tmp, **data)
            os.replace(tmp, path)
        except BaseException:
            try:
                tmp.unlink()
            except OSError:
                pass
            raise

    @classmethod
    def load(cls, path: Path, ndocs: int) -> "DocArrays | None":
        """The saved arrays, or None if missing, unreadable or for another doc count."""
        try:
            with np.load(path, allow_pickle=False) as z:
                n, count = (int(v) for v in z["ndocs"])
                if n != ndocs:
                    return None
                self = cls.__new__(cls)
                self.ndocs, self.count = n, count
                for k in cls._ARRAYS:
                    setattr(self, k, z[k])
                self.source_names = z["source_names"].tolist()
                self.story_names = z["story_names"].tolist()
                saved = {
                    f: MultiValued.from_saved(z[f + ".names"].tolist(), z[f + ".docs"],
                                              z[f + ".vals"], z[f + ".indptr"], z[f + ".rank"])
                    for f in (*ENTITY_FIELDS, "authors")}     # a file without authors: rebuilt
                self.authors = saved.pop("authors")
                self.entities = saved
        except (OSError, KeyError, ValueError):
            return None
        self._lengths = {}
        self.term_cache = {}
        self.lexicons = {}
        return self

    def story_members(self, docnum: int) -> np.ndarray:
        g = self.story[docnum]
        if g < 0:
            return np.zeros(0, dtype=np.int64)
        members = self._story_sorted[self._story_bounds[g]:self._story_bounds[g + 1]]
        return members[self.alive[members]]

    def within_days(self, docs: np.ndarray, since: int | None, until: int | None) -> np.ndarray:
        """The ``docs`` dated within ``since..until`` (day ordinals, inclusive;
        ``None`` leaves that end open).  Undated documents never pass a date
        filter."""
        day = self.day[docs]
        keep = day > 0
        if since:
            keep &= day >= since
        if until:
            keep &= day <= until
        return docs[keep]


def saved_name(gen) -> str:
    return generations.DOCARRAYS.name(gen)


def _str_array(names) -> np.ndarray:
    return np.array(list(names), dtype=str) if names else np.zeros(0, dtype="<U1")


#: the keyword fields the arrays are built from (what :mod:`index.segpostings` keeps)
FIELDS = ("ymd", "source_id", "story", *ENTITY_FIELDS, "authors")


def save_for(folder, gen, searcher, cache=None) -> DocArrays:
    """Build the arrays of generation ``gen`` and save them in the index folder
    (the writer calls this after its commit); older files are pruned.

    Segments are read through :mod:`index.segpostings`: a segment decoded by
    an earlier reindex is loaded from its file, so an increment decodes only
    its new segment; the files of segments merged away are removed.
    ``cache``: a :class:`~index.segpostings.Cache` the caller has already
    filled with some segments (the writer's own, see ``index.writer``)."""
    folder = Path(folder)
    cache = cache if cache is not None else segpostings.Cache(folder, FIELDS)
    arrays = DocArrays(searcher, cache)
    cache.prune()
    arrays.save(folder / saved_name(gen))
    generations.prune(folder, generations.DOCARRAYS.prefix, generations.DOCARRAYS.ext, keep=gen)
    return arrays


def load_or_build(folder, gen, searcher) -> DocArrays:
    """The DocArrays of generation ``gen``: the file the writer saved, else
    built from the postings.  Not cached here: each generation's arrays are
    built once and kept by ``snapshot.Snapshots``."""
    built = None
    if gen is not None and gen >= 0:
        built = DocArrays.load(Path(folder) / saved_name(gen), searcher.reader().doc_count_all())
    return built if built is not None else DocArrays(searcher)
