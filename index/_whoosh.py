"""Every reach into Whoosh's private parts, in one place, for one version.

The fast paths (posting arrays in numpy, BM25F as vectors, lengths as one
array, zero-copy segment files, the commit's postings written a term at a
time) read and write Whoosh's data structures where its public API would
walk them one posting at a time in Python.  Those reads and writes depend
on how whoosh-reloaded 2.7.5 lays out its blocks and attributes, so they
all live here, behind :func:`check_version`: a different Whoosh fails at
``import index`` with a message saying what to check, instead of answering
wrongly.  The oracle tests (``tests/index/test_fastpath.py`` and
``test_fast_postings.py``: the fast path equals plain Whoosh) are what to
run after moving the pin.

Everything else in ``index/`` uses Whoosh's public API only
(``tests/index/test_whoosh_boundary.py`` greps for it).
"""
from __future__ import annotations

import heapq
import os
import pickle
import zlib
from array import array
from contextlib import suppress
from importlib import metadata
from itertools import groupby, islice
from operator import lt, sub
from pickle import dumps

import numpy as np

#: The Whoosh distribution and version this module's reaches were written for.
WRITTEN_FOR = ("whoosh-reloaded", "2.7.5")


class WhooshVersionError(ImportError):
    """The installed Whoosh is not the one :mod:`index._whoosh` was written for."""


def installed_version() -> str | None:
    try:
        return metadata.version(WRITTEN_FOR[0])
    except metadata.PackageNotFoundError:
        return None


def check_version(found: str | None = None) -> None:
    """Raise :class:`WhooshVersionError` unless ``found`` (default: the
    installed ``whoosh-reloaded``) is exactly :data:`WRITTEN_FOR`."""
    found = installed_version() if found is None else found
    if found != WRITTEN_FOR[1]:
        raise WhooshVersionError(
            f"index/_whoosh.py was written for {WRITTEN_FOR[0]}=={WRITTEN_FOR[1]} but "
            f"{'no ' + WRITTEN_FOR[0] + ' is installed' if found is None else found + ' is'}: "
            "its reads of Whoosh's private posting blocks, length columns and BM25 "
            "parameters must be checked against that version (run tests/index/"
            "test_fastpath.py) before changing WRITTEN_FOR")


check_version()

# Imported after the check: a different Whoosh may not even have these names.
from whoosh.codec.base import OutOfOrderError  # noqa: E402
from whoosh.codec.whoosh3 import (LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3Codec,  # noqa: E402
                                  W3FieldWriter, W3LeafMatcher, W3TermInfo, W3TermsReader,
                                  _lenfield)
from whoosh.filedb.structfile import BufferFile, StructFile  # noqa: E402
from whoosh.index import _DEF_INDEX_NAME, TOC  # noqa: E402
from whoosh.matching.wrappers import FilterMatcher  # noqa: E402
from whoosh.scoring import BM25F  # noqa: E402
from whoosh.system import pack_int, pack_long, pack_ushort  # noqa: E402
from whoosh.util.numeric import byte_to_length, length_to_byte  # noqa: E402
from whoosh.writing import PostingPool  # noqa: E402

#: Whoosh's default index name (the ``MAIN`` in ``_MAIN_3.toc``).
INDEX_NAME = _DEF_INDEX_NAME


class NoFastPath(Exception):
    """A segment this module cannot decode (another codec, byte ids): the
    caller uses Whoosh's public API instead."""


# -- the index's generation ------------------------------------------------------

def latest_generation(storage, indexname: str = INDEX_NAME) -> int:
    """The newest TOC generation in ``storage`` (-1: no index there)."""
    return TOC._latest_generation(storage, indexname)


def write_empty_toc(schema, generation: int, storage, indexname: str = INDEX_NAME) -> None:
    """Commit an index with no segments as ``generation`` (rebuilding a damaged index)."""
    TOC(schema, [], generation).write(storage, indexname)


# -- segment files -----------------------------------------------------------------

class _ViewBufferFile(BufferFile):
    """Whoosh's ``BufferFile`` (its random reads slice ``_buf`` directly) with
    the sequential reads served by ``wrap(buf)`` instead of a ``BytesIO``
    copy of the buffer, and parts (``subset``) that are views, not copies."""

    def __init__(self, buf, wrap, name=None):
        StructFile.__init__(self, wrap(buf), name=name)
        self._buf = buf
        self._wrap = wrap

    def subset(self, position, length, name=None):
        return _ViewBufferFile(self._buf[position:position + length], self._wrap,
                               name=name or self._name)


def view_buffer_file(buf, wrap, name=None) -> BufferFile:
    """A Whoosh segment file over ``buf`` that never copies it (``wrap``
    turns the buffer into a file object, e.g. :class:`index.segfiles.ViewFile`)."""
    return _ViewBufferFile(buf, wrap, name=name)


# -- posting lists -----------------------------------------------------------------
#
# A W3 posting list is a chain of blocks; each block holds its docnums as
# deltas (``_data[0]``) and its weights (``_data[1]``: an array, one float
# for the whole block, or None meaning 1.0).  A matcher may already stand
# inside its current block (``_i``).  One decoder reads the rest of a list.

def _w3(m):
    """The bare W3 block matcher under ``m``, or None."""
    if isinstance(m, FilterMatcher):        # the deletion filter: callers mask instead
        m = m.child
    return m if type(m) is W3LeafMatcher and not m._byteids else None


def _decode(m, weights: bool = True):
    """(docnums, weights or None) from ``m``'s position to the end of its list."""
    ids_parts, w_parts = [], []
    while m.is_active():
        if m._data is None:
            m._read_data()
        ids = np.cumsum(np.asarray(m._data[0], dtype=np.int64))
        if m._i:
            ids = ids[m._i:]
        ids_parts.append(ids)
        if weights:
            w = m._data[1]
            if w is None or isinstance(w, float):
                w = np.full(ids.size, 1.0 if w is None else w)
            else:
                w = np.asarray(w, dtype=np.float64)[m._i:] if m._i \
                    else np.asarray(w, dtype=np.float64)
            w_parts.append(w)
        m._next_block()
    if not ids_parts:
        return np.zeros(0, dtype=np.int64), (np.zeros(0) if weights else None)
    ids = np.concatenate(ids_parts) if len(ids_parts) > 1 else ids_parts[0]
    if not weights:
        return ids, None
    return ids, np.concatenate(w_parts) if len(w_parts) > 1 else w_parts[0]


def leaf_postings(reader, fieldname: str, btext: bytes):
    """(sorted docnums, weights) of one term in one segment reader (deleted
    documents included: callers mask them out)."""
    try:
        m = reader.postings(fieldname, btext)
    except Exception:  # noqa: BLE001 -- TermNotFound and friends
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    w3 = _w3(m)
    if w3 is not None:
        return _decode(w3)
    if isinstance(m, FilterMatcher):
        m = m.child
    ids, ws = [], []
    while m.is_active():
        ids.append(m.id())
        ws.append(m.weight())
        m.next()
    return np.array(ids, dtype=np.int64), np.array(ws, dtype=np.float64)


def leaf_values(reader, fieldname: str, btext: bytes) -> list:
    """Encoded posting values (positions) of one term in one segment, in docnum order."""
    try:
        m = reader.postings(fieldname, btext)
    except Exception:  # noqa: BLE001
        return []
    if isinstance(m, FilterMatcher):
        m = m.child
    out = []
    if type(m) is W3LeafMatcher:
        while m.is_active():
            m._read_values()
            vals = m._values
            out.extend(vals[m._i:] if m._i else vals)
            m._next_block()
        return out
    while m.is_active():
        out.append(m.value())
        m.next()
    return out


def segment_id(reader) -> str | None:
    """The id of the one segment a leaf ``reader`` reads (unique and never
    reused: a merge writes a new segment), or None for another reader."""
    seg = getattr(reader, "segment", None)
    try:
        return seg().segment_id() if seg is not None else None
    except (AttributeError, TypeError):
        return None


def field_postings(reader, field: str):
    """(term text, docnums) for every term of ``field`` in one segment, read
    by walking its term index once (deleted docs included).  Inlined
    postings come as a tuple of ints, the others as an int64 array.  Raises
    :class:`NoFastPath` for a segment of another codec."""
    terms = getattr(reader, "_terms", None)
    if field not in reader.schema:
        return
    if not isinstance(terms, W3TermsReader):
        raise NoFastPath
    fmt = reader.schema[field].format
    for (fname, btext), info in terms.items_from(field, b""):
        if fname != field:
            break
        if info.is_inlined():
            ids = tuple(info.inlined_postings()[0])
        else:
            m = _w3(reader._codec.postings_reader(terms._postfile, info, fmt))
            if m is None:
                raise NoFastPath
            ids = _decode(m, weights=False)[0]
        yield btext.decode("utf-8"), ids


def multiterm_texts(leaf, reader):
    """The index terms (bytes) a prefix, wildcard or fuzzy leaf matches, in
    lexicon order (Whoosh's own expansion)."""
    return leaf._btexts(reader)


# -- field lengths -----------------------------------------------------------------

#: Whoosh stores a field's length per document in one byte, lossily.
BYTE_TO_LENGTH = np.array([byte_to_length(b) if b else 0 for b in range(256)],
                          dtype=np.float64)


def length_bytes(reader, field: str):
    """The raw length bytes of ``field`` in one segment (a sequence indexed by
    docnum), or None (another codec, no lengths stored)."""
    try:
        return reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    except Exception:  # noqa: BLE001 -- another codec / reader type
        return None


def field_lengths(reader, field: str) -> np.ndarray | None:
    """``field``'s length per document of one segment as Whoosh's scorer sees
    it (decoded from the byte column; 0 where none), or None."""
    col = length_bytes(reader, field)
    if col is None:
        return None
    n = reader.doc_count_all()
    try:
        raw = bytes(bytearray(col[d] for d in range(n)))
    except Exception:  # noqa: BLE001
        return None
    return BYTE_TO_LENGTH[np.frombuffer(raw, dtype=np.uint8)[:n]]


# -- BM25F -------------------------------------------------------------------------

def bm25_params(weighting):
    """(K1, B) when ``weighting`` is Whoosh's plain BM25F with one B for every
    field -- the formula the numpy scorer reproduces -- else None."""
    if type(weighting) is not BM25F or weighting._field_B:
        return None
    return weighting.K1, weighting.B


# -- the writer: lengths read once per field, a lean posting pool ----------------

class _Lengths:
    """Per-document field lengths, read once per field into a list.

    At commit Whoosh asks the segment's length column for every posting it
    writes (1.7 M calls at 19k articles, each a column-file read); reading the
    whole column once per field gives the same answers for a fraction of the time.
    """

    def __init__(self, pdr):
        self._pdr = pdr
        self._cols = {}

    def column(self, fieldname) -> list | tuple:
        """``fieldname``'s length per docnum (None for 0), or () if it stores none."""
        col = self._cols.get(fieldname)
        if col is None:
            reader = self._pdr._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if reader is None:
                col = self._cols[fieldname] = ()
            else:
                col = self._cols[fieldname] = [byte_to_length(b) if b else None for b in reader]
        return col

    def doc_field_length(self, docnum, fieldname, default=0):
        col = self.column(fieldname)
        if not col:
            return default
        return col[docnum]

    def __getattr__(self, name):
        return getattr(self._pdr, name)


def lean_pool(w) -> None:
    """Swap the writer's posting pool for :class:`_TermPool` (same storage,
    same limit; ``add`` is called once per posting, 1.7 M times at 19k).
    A schema with separate spelling fields keeps Whoosh's pool (its spelling
    words are postings of docnum -1 that a term's list does not hold)."""
    pool = getattr(w, "pool", None)
    schema = getattr(w, "schema", None)
    if type(pool) is PostingPool and schema is not None \
            and not any(f.separate_spelling() for _n, f in schema.items()):
        pool.__class__ = _TermPool
        pool.fields = {}


#: The term of a field's one placeholder posting in a document whose postings
#: of that field a :class:`_TermPool` has from a run written ahead
#: (:func:`add_runs`): its frequency is the field's length in the document,
#: which Whoosh's ``add_document`` sums from the postings it is given, and
#: the pool drops it (matched by identity: no term is this object).
PREPOOLED = bytes(b"\x00prepooled")


def term_pool(folder, limitmb: float) -> "_TermPool":
    """A :class:`_TermPool` of its own, spilling its runs into ``folder``."""
    from whoosh.filedb.filestore import FileStorage
    pool = PostingPool(FileStorage(str(folder)), None, limitmb=limitmb)
    pool.__class__ = _TermPool
    pool.fields = {}
    return pool


def write_ahead(pool) -> list[str]:
    """Spill what a :func:`term_pool` holds and give the absolute paths of its
    runs, for another process's writer (:func:`add_runs`); the runs are
    the caller's to remove if they are never added."""
    pool.save()
    folder = pool.tempstore.folder
    return [os.path.join(folder, p) for p in pool.runs]


def add_runs(w, paths, settle=None) -> None:
    """Give a writer's :class:`_TermPool` runs written ahead by another
    process (:func:`write_ahead`): sorted terms of fields whose postings
    the writer's documents leave out (a :data:`PREPOOLED` placeholder
    each), merged in at commit with the pool's own.  (Should a key be in
    both, its joined lists are put in docnum order at commit.)

    ``settle``, if given, is called once at commit: it may return the path
    of one run holding the same terms already encoded (:func:`encode_runs`),
    which then stands in for ``paths`` (removed); or None, and ``paths``
    are merged as they are."""
    if type(w.pool) is not _TermPool:
        raise TypeError("add_runs needs the term pool (lean_pool)")
    w.pool.runs.extend(paths)
    if settle is not None and paths:
        w.pool.ahead = [*w.pool.ahead, (list(paths), settle)]


def encoding_of(w, fields) -> dict | None:
    """How writer ``w`` encodes the postings of ``fields`` (as
    :func:`index.prepool.encoding` gives it), or None if its field writer
    cannot take encoded terms (not :class:`_FastFieldWriter`)."""
    fw = getattr(w, "fieldwriter", None)
    if type(fw) is not _FastFieldWriter:
        return None
    return {"step": fw._codec._blocklimit, "comp": fw._codec._compression,
            "fixed": {f: w.schema[f].format.fixed_value_size() for f in fields}}


def encode_runs(paths, out: str, lengths: dict, step: int, comp: int, fixed: dict) -> None:
    """Merge the runs ``paths`` (left in place) and write their terms to the
    run ``out``, each as the ``(row, blocks)`` :func:`encode_term` makes of
    it: a writer given ``out`` by :func:`add_runs`'s ``settle`` writes those
    bytes as they are.  ``lengths``: per field, each document's length (as
    the writer's placeholder postings give it); ``fixed``: per field, its
    format's ``fixed_value_size()``.  Written under a temporary name and
    renamed: ``out`` exists only once it is whole."""
    def lookup(values):
        col = []
        for n in values:
            b = length_to_byte(n) if n > 0 else 0
            col.append(byte_to_length(b) if b else None)
        return col.__getitem__

    looks = {f: lookup(v) for f, v in lengths.items()}
    tmp = out + ".tmp"
    with open(tmp, "wb") as f:
        dump = _fast_pickler(f).dump
        chunk, size = [], 0
        merged = heapq.merge(*(_iter_run(p) for p in paths), key=_first)
        for key, lst in _joined(merged):
            fieldname = key[0]
            enc = encode_list(lst, looks[fieldname], step, comp, fixed[fieldname])
            chunk.append((key, enc))
            size += len(enc[1]) + 64
            if size >= ENCODED_CHUNK:
                dump(chunk)
                chunk, size = [], 0
        if chunk:
            dump(chunk)
    os.replace(tmp, out)


#: Bytes per pickle of an encoded run (:func:`encode_runs`).
ENCODED_CHUNK = 1 << 20


def _iter_run(path):
    """The ``(key, list)`` items of a run, the file left in place."""
    with open(path, "rb") as f:
        yield from _iter_file(f)


def _iter_file(f):
    while True:
        try:
            chunk = pickle.load(f)
        except EOFError:
            return
        yield from chunk


def _joined(merged):
    """(key, list) of merged runs' items, each key once, its lists joined in
    run order; a term encoded ahead (a ``(row, blocks)`` tuple) stands alone:
    joining it with anything would lose postings, so that raises."""
    for key, group in groupby(merged, key=_first):
        lst = next(group)[1]
        for _key, more in group:
            if type(lst) is not list or type(more) is not list:
                raise ValueError(f"the postings of {key!r} were both encoded ahead and pooled")
            lst += more
        yield key, lst


#: Postings per pickle in a spilled run of :class:`_TermPool` (a merge holds
#: one such chunk per run).
RUN_CHUNK = 8192
#: Runs merged at once: more are first merged in order, this many at a time.
MAX_RUNS = 64
#: What a posting and a new term cost in the pool, in bytes (a list slot each
#: for docnum, weight and value, the weight's float; a term's key, list and
#: dict entry), for the limit that decides when a run spills.
POSTING_BYTES = 48
TERM_BYTES = 260


class _TermPool(PostingPool):
    """Whoosh's posting pool, its postings gathered by term as they come.

    Whoosh's pool keeps one ``(field, term, docnum, weight, value)`` tuple
    per posting, sorts them all (spilling sorted runs to disk past its limit,
    then merging every run posting by posting at commit), and the field
    writer walks the sorted stream a posting at a time.  At Reuters x10 the
    spills were some 40% of adding documents and the merge some 37% of the
    commit; the sort alone costs more per posting than adding it.  Here each
    field's terms map to one flat list ``[docnum, weight, value, docnum,
    ...]``: documents come in docnum order, so a
    term's postings are already in order, and only the terms are sorted;
    a spilled run is the sorted terms with their lists, and runs are merged
    term by term, a term's lists joined in run order (the runs' docnums
    ascend).  :meth:`iter_postings` gives Whoosh's posting stream, whose
    ``terms`` the fast field writer takes a term at a time.
    """

    #: ``(paths, settle)`` of runs written ahead (see :func:`add_runs`)
    ahead = ()

    def add(self, item):
        fieldname, btext, docnum, weight, value = item
        if btext is PREPOOLED:
            return
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        lst = terms.get(btext)
        if lst is None:
            terms[btext] = [docnum, weight, value]
            self.currentsize += TERM_BYTES + len(btext)
        else:
            lst += (docnum, weight, value)
        self.currentsize += POSTING_BYTES + 33 + len(value) if value else POSTING_BYTES
        if self.currentsize > self.limit:
            self.save()

    def _sorted_terms(self):
        """``((field, term), list)`` of what is in memory, in term order; the
        pool is then empty."""
        fields, self.fields = self.fields, {}
        self.currentsize = 0
        for fieldname in sorted(fields):
            terms = fields[fieldname]
            for btext in sorted(terms):
                yield (fieldname, btext), terms[btext]

    def save(self):
        if self.fields:
            self.runs.append(self._write_run(self._sorted_terms()))

    def _write_run(self, items):
        """Write ``((field, term), list)`` items in term order as a new run,
        in pickles of about :data:`RUN_CHUNK` postings (a term with more
        is split over several, in order): a merge holds one per run."""
        path, f = self._new_run()
        dump = _fast_pickler(f).dump
        most = 3 * RUN_CHUNK
        chunk, size = [], 0
        for key, lst in items:
            for at in range(0, len(lst), most):
                piece = lst[at:at + most] if len(lst) > most else lst
                chunk.append((key, piece))
                size += len(piece)
                if size >= most:
                    dump(chunk)
                    chunk, size = [], 0
        if chunk:
            dump(chunk)
        f.close()
        return path

    def _open_run(self, path):
        # (a run written ahead by another process: see add_runs)
        return open(path, "rb") if os.path.isabs(path) else super()._open_run(path)

    def _remove_run(self, path):
        if os.path.isabs(path):
            with suppress(FileNotFoundError):
                os.remove(path)
        else:
            super()._remove_run(path)

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            yield from _iter_file(f)
        finally:
            f.close()
            self._remove_run(path)

    def _merge(self, paths):
        """(key, list) of the runs ``paths`` (in docnum order), by key, each
        key once: its lists joined in run order."""
        return _joined(heapq.merge(*map(self._read_run, paths), key=_first))

    def _settle(self):
        """Put the encoded run of each group of runs written ahead in their
        place, where its ``settle`` gives one (see :func:`add_runs`)."""
        ahead, self.ahead = self.ahead, ()
        for paths, settle in ahead:
            got = settle()
            if not got or paths[0] not in self.runs:
                continue
            at = self.runs.index(paths[0])
            if self.runs[at:at + len(paths)] != paths:
                continue
            self.runs[at:at + len(paths)] = [got]
            for p in paths:
                self._remove_run(p)

    def iter_terms(self):
        """``(field, term, [docnum, weight, value, ...])`` in term order (or
        ``(field, term, (row, blocks))`` for a term encoded ahead)."""
        self._settle()
        if not self.runs:
            return ((k[0], k[1], v) for k, v in self._sorted_terms())
        self.save()
        while len(self.runs) > MAX_RUNS:
            # (neighbouring runs, so the lists stay in docnum order)
            self.runs[:MAX_RUNS] = [self._write_run(self._merge(self.runs[:MAX_RUNS]))]
        runs, self.runs = self.runs, []
        return ((k[0], k[1], v) for k, v in self._merge(runs))

    def iter_postings(self):
        return _TermStream(self.iter_terms())

    def cleanup(self):
        for path in self.runs:
            try:
                self._remove_run(path)
            except OSError:
                pass
        self.runs = []
        self.fields = {}


def _first(pair):
    return pair[0]


def _fast_pickler(f) -> pickle.Pickler:
    """A pickler without the memo (``fast``): a run's chunks are lists of
    plain values, none shared or self-referring, and memoizing each of their
    value strings made pickling a run three times slower (1.5 -> 0.5 ms a
    chunk); the pickles read back with ``pickle.load`` as any other."""
    p = pickle.Pickler(f, pickle.HIGHEST_PROTOCOL)
    p.fast = True
    return p


class _TermStream:
    """The postings of a :class:`_TermPool`: Whoosh's sorted
    ``(field, term, docnum, weight, value)`` stream when iterated, and
    ``terms``, the same a term at a time, for :class:`_FastFieldWriter`."""

    def __init__(self, terms):
        self.terms = terms

    def __iter__(self):
        for fieldname, btext, lst in self.terms:
            for at in range(0, len(lst), 3):
                yield fieldname, btext, lst[at], lst[at + 1], lst[at + 2]


def cache_lengths(w) -> None:
    """Give a Whoosh SegmentWriter the cached lengths of :class:`_Lengths` at commit."""
    make = getattr(w, "per_document_reader", None)
    if make is None or not hasattr(w, "_flush_segment"):
        return

    def per_document_reader():
        pdr = make()
        return _Lengths(pdr) if hasattr(pdr, "_cached_reader") else pdr
    w.per_document_reader = per_document_reader


# -- writing the postings at commit ------------------------------------------------

def fast_postings(w) -> None:
    """Swap the writer's field writer for :class:`_FastFieldWriter`: the
    segment files Whoosh writes, byte for byte but for small blocks left
    uncompressed (:data:`COMPRESS_MIN`), for some 15% less CPU spent writing
    them (what remains is mostly the pickle and zlib calls that make the bytes).
    At commit Whoosh's ``FieldWriter.add_postings`` makes three calls per
    posting (the length lookup, ``add`` and ``add_posting``, which checks
    four types and updates the block's statistics: 1.7 M postings at 19k
    articles) and some thirty per term (122k terms, two in three with one
    posting), filling a block object, a term info and three "minified" lists.
    Another Whoosh field writer or codec (settings) keeps Whoosh's method."""
    fw = getattr(w, "fieldwriter", None)
    if type(fw) is W3FieldWriter and type(fw._codec) is W3Codec \
            and fw._codec._blocklimit >= 1 and fw._codec._inlinelimit <= 1:
        # (with inlinelimit <= 1 Whoosh never inlines a posting list)
        fw.__class__ = _FastFieldWriter


class _FastFieldWriter(W3FieldWriter):
    """``W3FieldWriter`` whose ``add_postings`` gathers each term's postings in
    one loop and writes the term's blocks and term info in one function."""

    def add_postings(self, schema, lengths, items):
        if type(items) is _TermStream:
            return self._add_terms(schema, lengths, items.terms)
        # FieldWriter.add_postings's order checks, field starts and skipped
        # spelling words (docnum -1), run where the (field, term) changes or
        # a spelling word comes: between two postings of one term none applies.
        lastfn = lasttext = length = None
        term = []                                   # the current term's postings
        for item in items:
            if item[1] == lasttext and item[0] == lastfn and item[2] != -1:
                term.append(item)
                continue
            fieldname, btext, docnum = item[0], item[1], item[2]
            if lastfn is not None and fieldname < lastfn:
                raise OutOfOrderError("Field %r .. %r" % (lastfn, fieldname))
            if fieldname == lastfn and lasttext and btext < lasttext:
                raise OutOfOrderError(
                    "Term %s:%r .. %s:%r" % (lastfn, lasttext, fieldname, btext))
            if fieldname != lastfn:
                if term:
                    self._write_term(lasttext, term, length)
                    term = []
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                length = _length_lookup(lengths, fieldname)
                lastfn, lasttext = fieldname, None
            if docnum == -1:                        # a spelling word, not a posting
                continue
            if btext != lasttext:
                if term:
                    self._write_term(lasttext, term, length)
                    term = []
                lasttext = btext
            term.append(item)
        if term:
            self._write_term(lasttext, term, length)
        if lastfn is not None:
            self.finish_field()

    def _add_terms(self, schema, lengths, terms):
        """:meth:`add_postings` from a :class:`_TermPool`'s terms, each with
        its postings as one list ``[docnum, weight, value, ...]``."""
        lastfn = lasttext = length = None
        for fieldname, btext, lst in terms:
            if lastfn is not None and fieldname < lastfn:
                raise OutOfOrderError("Field %r .. %r" % (lastfn, fieldname))
            if fieldname == lastfn and lasttext and btext <= lasttext:
                raise OutOfOrderError(
                    "Term %s:%r .. %s:%r" % (lastfn, lasttext, fieldname, btext))
            if fieldname != lastfn:
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                length = _length_lookup(lengths, fieldname)
                lastfn = fieldname
            lasttext = btext
            if type(lst) is not tuple:              # (a tuple: encoded ahead, encode_runs)
                codec = self._codec
                lst = encode_list(lst, length, codec._blocklimit, codec._compression,
                                  self._format.fixed_value_size())
            self._write_encoded(btext, lst)
        if lastfn is not None:
            self.finish_field()

    def _write_term(self, btext, term, length):
        """:meth:`_write_columns` of ``(field, term, docnum, weight, value)`` postings."""
        if len(term) == 1:
            _, _, docnum, w, v = term[0]
            return self._write_one(btext, docnum, w, v, length)
        _, _, ids, ws, vs = zip(*term)
        self._write_columns(btext, ids, ws, vs, length)

    def _write_one(self, btext, docnum, w, v, length):
        """One term with one posting (:func:`encode_one`), written."""
        codec = self._codec
        self._write_encoded(btext, encode_one(docnum, w, v, length, codec._compression,
                                              self._format.fixed_value_size()))

    def _write_columns(self, btext, all_ids, all_ws, all_vs, length):
        """One term's postings (:func:`encode_term`), written."""
        codec = self._codec
        self._write_encoded(btext, encode_term(all_ids, all_ws, all_vs, length,
                                               codec._blocklimit, codec._compression,
                                               self._format.fixed_value_size()))

    def _write_encoded(self, btext, encoded):
        """A term's ``(row, blocks)`` (:func:`encode_term`): the blocks to the
        postings file, the row, with where they start and their size, to the
        term index."""
        row, blocks = encoded
        post = self._postfile
        start = post.tell()
        post.write(blocks)
        self._tindex.add(pack_ushort(self._fieldid) + btext,
                         row + pack_long(start) + pack_int(len(blocks)))


def encode_list(lst, length, step: int, comp: int, fixed):
    """:func:`encode_term` of a :class:`_TermPool` term's list ``[docnum,
    weight, value, ...]`` (:func:`encode_one` for one posting)."""
    if len(lst) == 3:
        return encode_one(lst[0], lst[1], lst[2], length, comp, fixed)
    ids, ws, vs = lst[0::3], lst[1::3], lst[2::3]
    if not all(map(lt, ids, islice(ids, 1, None))):
        # not in docnum order (never from add_document or add_reader):
        # as Whoosh's sort of the postings would have them
        ids, ws, vs = map(list, zip(*sorted(zip(ids, ws, vs))))
    return encode_term(ids, ws, vs, length, step, comp, fixed)


def encode_term(all_ids, all_ws, all_vs, length, step: int, comp: int, fixed):
    """One term's posting list as ``(row, blocks)``: the bytes Whoosh's
    ``start_term`` / ``add`` / ``finish_term`` write to the postings file
    (blocks of ``step`` postings as ``W3PostingsWriter._write_block`` writes
    them, the last one's length negative), and its term index row as
    ``W3TermInfo.to_bytes`` packs it but for the offset and size that follow
    (never inlined: see fast_postings); the statistics gathered as
    ``add_posting`` and ``W3TermInfo.add_block`` gather them; a block under
    :data:`COMPRESS_MIN` bytes is left uncompressed.  ``length``: docnum ->
    the field's length as the segment stores it (or None: none stored);
    ``comp``: the codec's zlib level; ``fixed``: the format's
    ``fixed_value_size()``.  A pure function, so that another process can
    encode a term ahead of the writer (:mod:`index.prepool`)."""
    out = [WHOOSH3_HEADER_MAGIC]
    weight = df = maxlength = maxweight = 0
    minlength = None
    total = len(all_ids)
    for at in range(0, total, step):
        ids, ws, vs = (tuple(all_ids[at:at + step]), all_ws[at:at + step],
                       all_vs[at:at + step])
        # the block's statistics (add_posting), then the term's (add_block)
        fws = array("f", ws)                    # the weights as the block keeps them
        bmaxweight = max(0, *ws)
        lens = [n for n in map(length, ids) if n] if length else None
        bmin, bmax = (min(lens), max(0, *lens)) if lens else (None, 0)
        weight += sum(fws)
        df += len(ids)
        minlength = bmin if minlength is None else min(minlength, bmin)
        maxlength = max(maxlength, bmax)
        maxweight = max(maxweight, bmaxweight)
        # the block (_write_block, _mini_ids, _mini_weights, _mini_values)
        n = len(ids)
        mweights = (None if fws.count(1.0) == n else
                    fws[0] if fws.count(fws[0]) == n else tuple(fws))
        values = [v for v in vs if v]           # add_posting keeps the non-empty ones
        mvalues = (tuple(values) if fixed is None or fixed < 0 else
                   None if fixed == 0 else b"".join(values))
        data = dumps((tuple(map(sub, ids, (0,) + ids[:-1])), mweights, mvalues), 2)
        bcomp = comp if len(data) >= COMPRESS_MIN else 0
        if bcomp:
            data = zlib.compress(data, bcomp)
        info = dumps((n, ids[-1], bmaxweight, bcomp,
                      length_to_byte(bmin), length_to_byte(bmax)), 2)
        size = len(info) + len(data)
        out += (pack_int(-size if at + step >= total else size), info, data)
    row = _TERMINFO.pack(False, weight, df,
                         0 if minlength is None else length_to_byte(minlength),
                         length_to_byte(maxlength), maxweight, all_ids[0], all_ids[-1])
    return row, b"".join(out)


def encode_one(docnum, w, v, length, comp: int, fixed):
    """:func:`encode_term` of a term with one posting, as two terms in three
    are (ids, URLs, rare words): the same bytes, each statistic taken as the
    general loop takes it of one posting, without the loop's arrays, counts
    and slices."""
    fw = array("f", (w,))[0]                    # the weight as the block keeps it
    bmaxweight = max(0, w)
    n = length(docnum) if length else None
    bmin, bmax = (n, max(0, n)) if n else (None, 0)
    mweights = None if fw == 1.0 else fw if fw == fw else (fw,)   # (NaN counts as no match)
    values = (v,) if v else ()
    mvalues = (values if fixed is None or fixed < 0 else
               None if fixed == 0 else b"".join(values))
    data = dumps(((docnum - 0,), mweights, mvalues), 2)
    bcomp = comp if len(data) >= COMPRESS_MIN else 0
    if bcomp:
        data = zlib.compress(data, bcomp)
    info = dumps((1, docnum, bmaxweight, bcomp, length_to_byte(bmin), length_to_byte(bmax)), 2)
    blocks = b"".join((WHOOSH3_HEADER_MAGIC, pack_int(-(len(info) + len(data))), info, data))
    row = _TERMINFO.pack(False, 0 + (0 + fw), 1,
                         0 if bmin is None else length_to_byte(bmin),
                         length_to_byte(max(0, bmax)), max(0, bmaxweight), docnum, docnum)
    return row, blocks


_TERMINFO = W3TermInfo._struct

#: A block whose pickle is shorter than this many bytes is written as it is,
#: its info saying so (compression 0), as the readers expect of any block.
#: Whoosh compresses every block (its own "under 20 bytes, don't bother"
#: test is overwritten on the next line of ``_write_block``): two terms in
#: three have one posting, zlib makes such a block no smaller (its setup
#: alone costs more than the pickle), and it was a sixth to a fifth of the
#: commit.  At 19k Reuters articles: segment 100.9 -> 101.6 MB (+0.7%),
#: commit CPU 6.4 -> 5.0 s.
COMPRESS_MIN = 256


def _length_lookup(lengths, fieldname):
    """docnum -> ``fieldname``'s length as ``add_postings`` asks ``lengths``
    for it, or None where every answer is 0 (no lengths, or none stored)."""
    if not lengths:
        return None
    if type(lengths) is _Lengths:
        col = lengths.column(fieldname)
        return col.__getitem__ if col else None
    return lambda docnum: lengths.doc_field_length(docnum, fieldname)


# -- a second segment written beside the index's writer ---------------------------

def side_writer(ix, **options):
    """A ``SegmentWriter`` for one more segment of the generation the index's
    own writer is preparing, as Whoosh's ``MpWriter`` gives its sub-processes:
    it takes no lock (``_lk=False``; the parent writer holds it) and publishes
    nothing -- :func:`finish_segment` hands its segment to the parent, whose
    commit lists it (:func:`commit_with`)."""
    from whoosh.writing import SegmentWriter
    return SegmentWriter(ix, _lk=False, **options)


def finish_segment(w):
    """Write out a :func:`side_writer`'s segment (postings, lengths, stored
    fields, compound file) and return its ``Segment``, unpublished: what
    ``MpWriter``'s multisegment sub-task does with ``_finalize_segment``."""
    return w._finalize_segment()


def drop_side_writer(w) -> None:
    """Give up a :func:`side_writer` after a failure: close its files and remove
    its spilled runs, but not the temporary folder it shares with the parent
    writer (``cancel`` would destroy that).  Its half-written segment files are
    unreferenced and go at the next commit (Whoosh's ``clean_files``)."""
    for part in (getattr(w, "perdocwriter", None), getattr(w, "fieldwriter", None)):
        try:
            if part is not None and not part.is_closed:
                part.close()
        except Exception:  # noqa: BLE001
            pass
    try:
        w.pool.cleanup()
    except Exception:  # noqa: BLE001
        pass


def commit_with(w, mergetype, more) -> None:
    """``w.commit(mergetype=mergetype)`` with more segments listed before
    ``w``'s own: ``more()`` is called once ``w``'s segment is written, so a
    :func:`side_writer` in another process finishes its segment while this
    one does (``SegmentWriter.commit``'s steps, as ``MpWriter._commit`` runs
    them for its sub-writers' segments)."""
    w._check_state()
    final = list(w._merge_segments(mergetype, None, None))
    own = w._finalize_segment() if w._added else None
    if own is None:
        w._close_segment()
    final += list(more())
    if own is not None:
        final.append(own)
    w._commit_toc(final)
    w._finish()


def pool_limit(w, limitmb: float) -> None:
    """Resize a writer's posting pool (``limitmb`` as ``SegmentWriter`` takes
    it) before documents are added: the budget is known only once the writer's
    other state is let go."""
    w.pool.limit = int(limitmb * 1024 * 1024)
