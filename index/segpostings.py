"""The keyword postings of each segment, decoded once and kept beside it.

The per-document arrays (:mod:`index.docarrays`) are rebuilt after every
commit from the postings of the keyword fields, which meant decoding every
posting of the archive even when a reindex added a handful of articles: at
95k articles, 4-5 s of a 24 s "+1%" rerun, the largest part of it that did
not follow the change.  A Whoosh segment never changes once written (a
deletion is a separate mask; a merge writes a new segment under a new id),
so what its postings decode to can be kept: ``segpostings-<segment id>.npz``
holds, per field, the segment's term texts and the (local docnum, term
number) pairs.  The writer builds the arrays from these files, decoding only
the segments it has not seen, and removes the files of segments that are
gone.  Readers never write them: they load the arrays the writer saved.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from . import _whoosh, generations

PREFIX, EXT = generations.SEGMENT_POSTINGS


def path(folder, segid: str) -> Path:
    return Path(folder) / f"{PREFIX}-{segid}.{EXT}"


def decode(reader, fields) -> dict | None:
    """``{field: (term texts, local docnums int64, term numbers int32)}`` of
    one segment, or None for a segment of another codec."""
    out = {}
    try:
        for field in fields:
            names, docs, vals, small_docs, small_vals = [], [], [], [], []
            for t, ids in _whoosh.field_postings(reader, field):
                i = len(names)
                names.append(t)
                if isinstance(ids, tuple):          # inlined: a few ints, kept as Python ints
                    small_docs.extend(ids)
                    small_vals.extend([i] * len(ids))
                else:
                    docs.append(ids)
                    vals.append(np.full(ids.size, i, dtype=np.int32))
            if small_docs:
                docs.append(np.array(small_docs, dtype=np.int64))
                vals.append(np.array(small_vals, dtype=np.int32))
            out[field] = (names,
                          np.concatenate(docs) if docs else np.zeros(0, np.int64),
                          np.concatenate(vals) if vals else np.zeros(0, np.int32))
    except _whoosh.NoFastPath:
        return None
    return out


def load(folder, segid: str, fields) -> dict | None:
    """The saved postings of segment ``segid``, or None if missing, unreadable
    or without one of ``fields``."""
    try:
        with np.load(path(folder, segid), allow_pickle=False) as z:
            return {f: (_names(z[f + ".text"], z[f + ".ends"]), z[f + ".docs"], z[f + ".vals"])
                    for f in fields}
    except (OSError, KeyError, ValueError, EOFError, UnicodeDecodeError):
        return None


def _names(text: np.ndarray, ends: np.ndarray) -> list:
    raw = text.tobytes()
    starts = [0, *ends[:-1].tolist()]
    return [raw[a:b].decode("utf-8") for a, b in zip(starts, ends.tolist())]


def save(folder, segid: str, data: dict) -> None:
    """Write ``data`` for segment ``segid`` (a temp file renamed into place)."""
    arrays = {}
    for f, (names, docs, vals) in data.items():
        # term texts as one UTF-8 blob and end offsets (a fixed-width string
        # array takes the longest name's width for every name)
        encoded = [t.encode("utf-8") for t in names]
        arrays[f + ".text"] = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        arrays[f + ".ends"] = np.cumsum([len(b) for b in encoded], dtype=np.int64)
        arrays[f + ".docs"], arrays[f + ".vals"] = docs, vals
    target = path(folder, segid)
    tmp = target.with_name(target.name + f".tmp{os.getpid()}.npz")
    try:
        np.savez(tmp, **arrays)
        os.replace(tmp, target)
    except OSError:                 # e.g. disk full: the next reindex decodes it again
        try:
            tmp.unlink()
        except OSError:
            pass


class Cache:
    """The postings of a searcher's segments, each from its file or decoded
    (then saved) once per build; :meth:`prune` then removes the files of
    segments the searcher no longer has."""

    def __init__(self, folder, fields):
        self.folder, self.fields = Path(folder), tuple(fields)
        self._got: dict = {}
        self.decoded: list = []       # segment ids decoded in this build (for tests and benches)

    def get(self, reader) -> dict | None:
        segid = _whoosh.segment_id(reader)
        if segid is None:
            return decode(reader, self.fields)
        got = self._got.get(segid)
        if got is None:
            got = load(self.folder, segid, self.fields)
            if got is None:
                got = decode(reader, self.fields)
                if got is None:
                    return None
                self.decoded.append(segid)
                save(self.folder, segid, got)
            self._got[segid] = got
        return got

    def prune(self) -> None:
        """Remove the files of every segment not read in this build."""
        for p in self.folder.glob(f"{PREFIX}-*.{EXT}"):
            if p.stem.split("-", 1)[1] not in self._got:
                try:
                    p.unlink()
                except OSError:
                    pass
