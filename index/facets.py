"""Facet counts over a matched set, from the per-document arrays.

All counts are exact over the whole result set (not just the shown page).
Entity, source and author facets give the top :data:`TOP_N` values by count; date
histograms list every bucket, ascending by value.
"""
from __future__ import annotations

import datetime as dt

import numpy as np

from .schema import ENTITY_FIELDS

TOP_N = 50      # the web shows 10 and "show more" up to 50


def _top(names, counts, n=TOP_N, rank=None):
    """Top ``n`` values by count desc, then name asc -- selected with numpy
    (argpartition) so only the few candidates are ever touched in Python.
    ``rank[i]`` is the position of ``names[i]`` in sorted order."""
    counts = np.asarray(counts)
    nz = np.flatnonzero(counts)
    if nz.size == 0:
        return []
    if nz.size > n:
        c = counts[nz]
        kth = np.partition(c, c.size - n)[c.size - n]     # the n-th largest count
        nz = nz[c >= kth]                                  # ties at the cut included
    if rank is None:
        order = sorted(nz.tolist(), key=lambda i: (-int(counts[i]), names[i]))[:n]
    else:
        order = nz[np.lexsort((rank[nz], -counts[nz]))][:n].tolist()
    return [{"value": names[i], "count": int(counts[i])} for i in order]


def _hist(values: np.ndarray, label):
    values = values[values > 0]
    if values.size == 0:
        return []
    uniq, counts = np.unique(values, return_counts=True)
    return [{"value": label(int(v)), "count": int(c)} for v, c in zip(uniq, counts)]


def compute(arrays, matched: np.ndarray, top_n: int = TOP_N) -> dict:
    """Facets for the docnums in ``matched`` (int array)."""
    mask = np.zeros(arrays.ndocs, dtype=bool)
    mask[matched] = True
    out = {}
    for f in ENTITY_FIELDS:
        mv = arrays.entities[f]
        out[f] = _top(mv.names, mv.count(mask, matched.size), top_n, mv.rank)
    out["year"] = _hist(arrays.year[matched], lambda y: f"{y:04d}")
    out["month"] = _hist(arrays.month[matched], lambda m: f"{m // 12:04d}-{m % 12 + 1:02d}")
    out["day"] = _hist(arrays.day[matched], lambda o: dt.date.fromordinal(o).isoformat())
    src = arrays.source[matched]
    src = src[src >= 0]
    counts = np.bincount(src, minlength=len(arrays.source_names)) if arrays.source_names \
        else np.zeros(0, dtype=np.int64)
    out["source"] = _top(arrays.source_names, counts, top_n, arrays.source_rank)
    au = arrays.authors
    out["author"] = _top(au.names, au.count(mask, matched.size), top_n, au.rank)
    return out
