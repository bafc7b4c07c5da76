"""Reindexing: a rerun costs what changed, memory stays flat, no article is lost.

A reindex is one pass (the caller holds the write lock, ``locking``):

1. **Walk** the sources (``archive.load.walk``): absolute paths, symlinks
   only inside their source folder.  Each source folder has an id prefix from
   the manifest's registry (two folders of the same name: ``corpus``,
   ``corpus-2``, reported as a clash).
2. **Skip what did not change, before loading it** (``manifest``): a file
   whose size and ``mtime_ns`` match the manifest is not opened; a touched
   file is hashed and, if its bytes are the same, not parsed; a changed JSONL
   file is read by the parent and only its changed lines (by line hash) go to
   the workers.  Everything that is not loaded stays in the plan as a *stub*
   -- the manifest's record of it (id, URL, version time, status).
3. **Load** the rest on the pool (``loading``): records, not files, are the
   unit of work; results are spooled to a temporary file in the index folder
   as they arrive, and the parent keeps only each record's small metadata.
4. **Choose one version per article** among the loaded records and the
   stubs: the newest by the record's own time (scrape/crawl/modified), then
   file mtime, then path.  Records of one absolute URL are one article too.
   Every other version is *superseded*: reported with the id it belongs to
   and kept as the article's page history (``history`` stored field).  A
   stub that wins without being in the index (its newer version's file was
   deleted) is loaded again, alone.
5. **Diff** by ids and content hashes against the manifest (never against
   stored bodies): added / updated / unchanged / removed.
6. **Archive-wide passes** only when some document changes, and only over
   what changed (``archive_state``): the saved mention pool loses the
   replaced and removed articles' mentions and gains the new ones, and the
   resolver's join reruns over the pool (forms, not articles); only articles
   mentioning a form whose entity changed are looked at again.  The saved
   story state is updated by ``stories.assign`` with the new articles, the
   removed ids and the articles whose entity names changed.  An unchanged
   article is rewritten only if its canonical entities or story group
   changed ("relinked").  The result equals a full rebuild.
7. **Write** with one Whoosh writer and one commit.  The manifest, the
   resolver, the mention pool and the story state of the new generation are
   saved before the TOC that publishes it, so a crash at any moment leaves a
   matching index + side files.

A rerun with nothing changed opens no writer and writes nothing but (if a
file was touched) the current manifest.  An index built before manifests
existed needs ``reindex --full`` once: an incremental reindex says so.
"""
from __future__ import annotations

import gc
import json
import logging
import multiprocessing
import os
import pickle
import resource
import shutil
import sys
import threading
import time
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import archive
from archive import Skipped, identity, stories
from archive.mention_pool import MentionPool
from archive.sigfile import SigFile
from archive.load import _fs_text, _read_problem, base_id, missing_source, outside_problem, walk

from . import (_whoosh, archive_state, articles, docarrays, generations, loading,
               manifest as mf, prepool, segfiles, segpostings)
from .errors import IndexError_, SourceNotFound
from .forked import die_with_parent, sendable
from .results import ReindexSummary
from .schema import (ENTITY_FIELDS, SCHEMA_VERSION, FastID, FastKEYWORD, FastTEXT, Prepared,
                     fold, index_items, keyword_value, make_schema, sig_reader)

log = logging.getLogger(__name__)

LIMIT_MB = 256            # posting pool held in memory before spilling sorted runs (was 1024:
                          # the pool was most of a full reindex's peak memory)
PARALLEL_MIN_BYTES = 256 * 1024
POOL_PROCS = 2
WRITER_OPTIONS = {"limitmb": LIMIT_MB}
WRITER_MEMORY_MB = 560    # a writing process's budget: its posting pool gets what is left ...
LIMIT_MIN_MB = 48         # ... but never less than this (see writer_options)
POOL_ESTIMATE = 1.2       # what a pool holds over Whoosh's estimate of it (ru_maxrss, x5 and x10)
FILES_PER_TASK = 16
LINES_PER_TASK = 50        # JSONL lines per loader task: the last tasks of a small increment
                           # leave one worker idle for up to a task (200 lines: 0.3 s of 1%)
HISTORY_MAX = 20           # older versions kept per article (the newest ones)
PAUSE_GC_IN_ADD = True     # see _collector_paused
ENCODE_AHEAD = True       # the pre-pool process also encodes the terms it pooled (index.prepool)
PARALLEL_ADD_MIN = 1000    # documents to write before a second segment is written in parallel

NEEDS_FULL = ("this index was built by an older version of newsarchive (its ids, manifest or "
              "fields changed); run `newsarchive reindex --full` once to rebuild it")


class NeedsFullReindex(IndexError_):
    """The index predates manifests and the current ids, or its schema version
    (:data:`index.schema.SCHEMA_VERSION`) is older than this code's."""


STORED_KEYS = ("id", "url", "path", "title", "body", "source", "author", "authors", "dateline",
               "published", "date_source", "mentioned", "removed", "content_hash",
               "mtime", "sig", "mentions", "fmt", "vtime")


def needs_full(ix) -> bool:
    """True for an index with documents but no manifest, or one written with an
    older schema version (built by an older version: an incremental run would
    leave its unchanged articles without the new fields)."""
    try:
        if ix.doc_count_all() == 0:
            return False
    except Exception:  # noqa: BLE001
        return False
    m = mf.load(ix.storage.folder, ix.latest_generation())
    return m is None or m.schema != SCHEMA_VERSION


# -- documents ----------------------------------------------------------------

def document(rec: dict, entities: list, story: str) -> dict:
    """Whoosh fields for a record plus its derived (corpus-wide) values."""
    doc = {k: rec.get(k) for k in STORED_KEYS}
    for k in ("url", "title", "body", "source", "author", "dateline", "mentioned"):
        doc[k] = doc[k] or ""
    if not doc["url"]:
        del doc["url"]
    if rec.get("published"):
        doc["ymd"] = rec["published"]
    if rec.get("source"):
        doc["source_id"] = rec["source"]
    authors = doc.pop("authors", None)     # a list when loaded, the stored string when rewritten
    authors = keyword_value(authors) if isinstance(authors, (list, tuple)) else authors
    if authors:
        doc["authors"] = authors
    by_type = {t: [] for t in ENTITY_FIELDS}
    for name, etype, _count in entities:
        by_type.get(etype, by_type["other"]).append(name)
    for t, names in by_type.items():
        if names:
            doc[t] = keyword_value(names)
    if entities:
        doc["entity"] = keyword_value(fold(n) for n, _, _ in entities)
    doc["entities"] = entities
    doc["story"] = story
    doc["history"] = rec.get("history") or []
    return doc


def canonical(resolver, mentions) -> list:
    """``[name, type, mentions]`` of an article's entities (``Resolver.counts``)."""
    try:
        return resolver.counts(mentions or {})
    except Exception:  # noqa: BLE001
        return []


def curated_path(sources):
    for s in sources:
        p = Path(s)
        if p.is_dir():
            c = p / "aliases.toml"
            return c if c.is_file() else None
    return None


# -- the plan -------------------------------------------------------------------

class _Version:
    """One version of an article: a loaded record (``spool`` offset) or a
    stub from the manifest (``spool`` None)."""

    __slots__ = ("id", "kind", "url", "time", "mtime", "path", "line", "h", "chash",
                 "spool", "was")

    def __init__(self, id, kind, url, time_, mtime, path, line, h, chash, spool, was):
        self.id, self.kind, self.url, self.time, self.mtime = id, kind, url, time_, mtime
        self.path, self.line, self.h, self.chash, self.spool, self.was = \
            path, line, h, chash, spool, was

    @property
    def key(self):
        return (self.time if self.time is not None else self.mtime, self.mtime, self.path,
                self.line)

    @property
    def where(self):
        if self.line and loading.is_jsonl(self.path):
            return f"{self.path}#L{self.line}"
        return f"{self.path}#{self.line}" if self.line else self.path

    def rec(self, status, note=None):
        return [self.line, self.h, self.id, self.kind, self.url, self.time, self.mtime,
                status, note if note is not None else self.chash]


class _Spool:
    """Loaded records on disk (pickled one after another), read back by
    offset: this process's own file, and the files the pool's workers wrote
    (``loading.spool_to``), whose records are known by ``(path, offset)``."""

    def __init__(self, folder: Path):
        self.path = folder / f".spool-{os.getpid()}.tmp"
        self.fh = open(self.path, "w+b")
        self.others: dict = {}        # a worker's spool path -> a read handle (or None)

    def put(self, rec) -> int:
        self.fh.seek(0, 2)
        off = self.fh.tell()
        loading.spool_write(self.fh, rec)
        return off

    def known(self, where) -> tuple:
        """Take note of a worker's spooled record at ``(path, offset)``."""
        path = where[0]
        if path not in self.others:
            self.others[path] = None
        return where

    def reopen(self) -> None:
        """A handle of this process's own (a forked process must not move the
        parent's file offset).  The inherited handle stays referenced: closing
        it here could flush or seek on the parent's file."""
        self._inherited, self.fh = self.fh, open(self.path, "rb")
        self._inherited_others = self.others
        self.others = dict.fromkeys(self.others)

    def light(self, off) -> dict:
        """Only the record's ``loading.LIGHT_KEYS`` (mentions, signature, outlet)."""
        return self.get(off, light=True)

    def get(self, off, light: bool = False, postings: bool = True):
        """The record at ``off``: only its light part, or all of it, with or
        without its title and body postings (``loading.POSTING_KEYS``)."""
        return loading.spool_read(self._at(off), light, postings)

    def postings(self, off) -> dict:
        """Only the record's title and body postings (``loading.POSTING_KEYS``)."""
        return loading.spool_postings(self._at(off))

    def _at(self, off):
        """The spool file holding ``off``, positioned there."""
        if isinstance(off, tuple):
            path, off = off
            fh = self.others.get(path)
            if fh is None:
                fh = self.others[path] = open(path, "rb")
        else:
            fh = self.fh
        fh.seek(off)
        return fh

    def close(self):
        try:
            self.fh.close()
            for fh in self.others.values():
                if fh is not None:
                    fh.close()
        finally:
            for p in [self.path, *self.others]:
                try:
                    os.unlink(p)
                except OSError:
                    pass


def run(ix, sources, full=False, progress=None, budget=None) -> ReindexSummary:
    """Reindex ``sources`` into the Whoosh index ``ix`` (the caller holds the lock).

    The writer reads the index through plain files, not ``ix``'s shared maps
    (see :func:`index.segfiles.open_for_writing`)."""
    t0 = time.monotonic()
    ix = segfiles.open_for_writing(ix.storage.folder)
    sources = [Path(s) for s in sources]
    missing = missing_source(sources)
    if missing is not None:
        raise SourceNotFound(f"no such source: {missing}")
    if not full and needs_full(ix):
        raise NeedsFullReindex(NEEDS_FULL)
    folder = Path(ix.storage.folder)
    _clear_leftovers(folder, ix.latest_generation())
    spool = _Spool(folder)
    pool = None
    frozen = _freeze_callers_objects()
    try:
        plan = _Plan(ix, sources, full, budget, spool)
        if plan.load_bytes >= PARALLEL_MIN_BYTES and (os.cpu_count() or 1) >= 2:
            _warm_shared()
            pool = multiprocessing.get_context("fork").Pool(
                POOL_PROCS, initializer=loading.spool_to, initargs=(str(folder),))
        return plan.execute(pool, progress, t0)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        spool.close()
        if frozen:
            gc.unfreeze()


#: see _freeze_callers_objects
FREEZE_CALLER = True


def _freeze_callers_objects() -> bool:
    """Take what the calling process already holds out of the cyclic garbage
    collector for the reindex (``gc.freeze``; ``gc.unfreeze`` after).

    The library runs in its caller's process, which may hold millions of
    objects (the search benchmark holds its whole corpus: 190k stories):
    every full collection the reindex's own allocations set off walked them
    all, in the writer and in each loader worker it forks (which also copies
    the pages those walks write to).  Python's documentation recommends
    ``gc.freeze`` before ``fork`` for the second.  Nothing the reindex
    creates is frozen, so its own garbage is collected as before; what the
    caller dropped meanwhile is collected after ``unfreeze``.  False when
    the collector was already frozen by the caller (left as it is)."""
    if not FREEZE_CALLER or gc.get_freeze_count():
        return False
    gc.freeze()
    return True


def _warm_shared() -> None:
    """Before the loader workers fork: what this process needs later anyway
    -- wordfreq's modules (0.2 s to import), its small English list (the
    resolver's common words) and its large one (story rarity, 30 MB) -- is
    loaded once here, and the workers inherit it.  Each worker used to load
    them itself, on both cores, in every reindex that loads anything: the
    large list alone took each worker a quarter of a second of a 1%
    increment.  Loaded here, the large list raises that increment's peak by
    about 30 MB (313 -> 347 MB at Reuters x5), still far under a full
    build's."""
    from archive import gazetteer
    try:
        import wordfreq  # noqa: F401
        gazetteer.is_common_word("the")
        stories.zipf_en("the")
    except Exception:  # noqa: BLE001 -- a warm-up: the workers load what is missing
        pass


def _clear_leftovers(folder: Path, gen) -> None:
    """Remove what a killed writer left (the caller holds the write lock, so no
    other writer owns them): spool files, half-written side files, and the
    manifest of a generation that was never committed."""
    for p in folder.glob(".spool-*.tmp"):
        _unlink(p)
    for p in folder.glob(".prepool-*"):
        shutil.rmtree(p, ignore_errors=True)
    generations.clear_uncommitted(folder, gen)


def _unlink(p) -> None:
    try:
        p.unlink()
    except OSError:
        pass


class _Plan:
    def __init__(self, ix, sources, full, budget, spool):
        self.ix, self.full, self.budget, self.spool = ix, full, budget, spool
        self.folder = Path(ix.storage.folder)
        self.summary = ReindexSummary(full=full)
        self.phase = _Phases(self.summary.phases)
        gen = ix.latest_generation()
        old = mf.load(self.folder, gen) if gen is not None and gen >= 0 else None
        self.old = old or mf.Manifest()
        self.new = mf.Manifest(sources=dict(self.old.sources))
        old_files = {} if full else self.old.files
        self.sources = sources
        roots = []
        for s in sources:
            a = Path(os.path.abspath(s))
            roots.append(a if a.is_dir() else a.parent)
        real = {str(r): os.path.realpath(r) for r in roots}
        self.prefix, clashes = mf.prefixes(self.new, sorted(set(real.values())),
                                           identity.source_name)
        for r, given, other in clashes:
            self.summary.clashes.append({"source": r, "prefix": given, "clashes_with": other})
        # what this run speaks for: a folder source covers everything under it, a
        # file source only itself (files of the folder it sits in are not gone)
        self.scopes = [(os.path.abspath(s), os.path.isdir(s)) for s in sources]

        # walk; each file once (a link to a file that is also walked is reported, not reread)
        items, walked_real = [], {}
        for item in walk(sources):
            if isinstance(item, Skipped):
                self.summary.skipped.append((item.path, item.reason))
                continue
            path, root = item
            items.append((str(path), str(root)))
        for path, root in items:
            if not os.path.islink(path):
                walked_real.setdefault(os.path.realpath(path), path)
        self.unchanged_files, self.to_load, seen = [], [], set()
        self.load_bytes = 0
        for path, root in items:
            if path in seen:
                continue
            seen.add(path)
            rp = os.path.realpath(path)
            if os.path.islink(path) and walked_real.get(rp, path) != path:
                self.summary.skipped.append((path, f"a link to {walked_real[rp]} (indexed there)"))
                continue
            problem = outside_problem(path, root) or _read_problem(Path(path))
            if problem:
                self._skip_file(path, root, problem)
                continue
            size, mtime_ns, mtime = loading.stat_key(path)
            entry = old_files.get(path)
            prefix = self.prefix[real[root]]
            if (entry and entry.get("size") == size and entry.get("mtime_ns") == mtime_ns
                    and entry.get("prefix") == prefix):
                self.unchanged_files.append(path)
                self.new.files[path] = _copy(entry)
            else:
                self.to_load.append((path, root, prefix, size, mtime_ns, mtime, entry))
                self.load_bytes += size
        # files of other sources stay as they are; files gone from a reindexed source go
        self.gone, self.carried = [], list(self.unchanged_files)
        for path, entry in self.old.files.items():
            if path in seen:
                continue
            if full or self._in_scope(path) or not os.path.exists(path):
                self.gone.append(path)
            else:
                self.new.files[path] = _copy(entry)      # another source's file: kept as is
                self.carried.append(path)
        # the curated aliases rule every article's entities: a change to them is a change
        cur = curated_path(sources)
        if cur is not None:
            st = os.stat(cur)
            self.new.curated = {str(Path(os.path.abspath(cur))): [st.st_size, st.st_mtime_ns]}
        self.curated_changed = self.new.curated != self.old.curated and not (
            not self.new.curated and not self.old.curated)
        self.loading_paths = {t[0] for t in self.to_load}
        self.old_entry = {t[0]: t[6] for t in self.to_load}

    def _skip_file(self, path, root, reason):
        self.summary.skipped.append((path, reason))
        try:
            size, mtime_ns, _ = loading.stat_key(path)
        except OSError:
            size = mtime_ns = None
        self.new.files[path] = {"root": str(root), "prefix": None, "size": size,
                                "mtime_ns": mtime_ns, "sha": None,
                                "recs": [[0, None, None, None, None, None, None, mf.SKIPPED,
                                          reason]]}

    # -- loading ----------------------------------------------------------------

    def _tasks(self, versions, entries):
        """Tasks for the pool, yielded lazily; stubs of reused JSONL lines are
        recorded as a side effect."""
        small = []
        budget = self.budget
        for path, root, prefix, size, mtime_ns, mtime, entry in self.to_load:
            e = {"root": str(root), "prefix": prefix, "size": size,
                 "mtime_ns": mtime_ns, "sha": None, "recs": []}
            entries[path] = e
            if not loading.is_jsonl(path):
                small.append((path, root, prefix, (entry or {}).get("sha")))
                if len(small) >= FILES_PER_TASK:
                    yield ("files", small, budget)
                    small = []
                continue
            yield from self._jsonl_tasks(path, root, prefix, mtime, entry, e, versions, budget)
        if small:
            yield ("files", small, budget)

    def _jsonl_tasks(self, path, root, prefix, mtime, entry, e, versions, budget):
        old_recs = (entry or {}).get("recs") or []
        by_line = {r[mf.LINE]: r for r in old_recs if r[mf.HASH]}
        by_hash = {}
        for r in old_recs:
            if r[mf.HASH] and r[mf.KIND] != identity.PATH:
                by_hash.setdefault(r[mf.HASH], []).append(r)
        rel = base_id(path, root, prefix)
        chunk = []
        try:
            lines = loading.jsonl_lines(path)
            for n, raw, h in lines:
                if n is None:
                    e["sha"] = h
                    break
                old = by_line.get(n)
                if old is not None and old[mf.HASH] == h:
                    reuse = old
                else:
                    cands = by_hash.get(h)
                    reuse = cands.pop() if cands else None
                if reuse is not None and not self.full:
                    r = list(reuse)
                    r[mf.LINE] = n
                    e["recs"].append(r)
                    if r[mf.STATUS] == mf.SKIPPED:
                        self.summary.skipped.append((f"{path}#L{n}", r[mf.NOTE]))
                    else:
                        versions.append(self._stub(path, r))
                    continue
                chunk.append((n, raw, h))
                if len(chunk) >= LINES_PER_TASK:
                    yield ("lines", (path, rel, mtime, chunk), budget)
                    chunk = []
        except OSError as err:
            e["recs"] = [[0, None, None, None, None, None, None, mf.SKIPPED,
                          f"unreadable: {err.strerror or err}"]]
            self.summary.skipped.append((path, f"unreadable: {err.strerror or err}"))
            return
        if chunk:
            yield ("lines", (path, rel, mtime, chunk), budget)
        if not e["recs"] and not chunk and e["sha"]:
            pass

    def _stub(self, path, r):
        return _Version(r[mf.ID], r[mf.KIND], r[mf.URL], r[mf.TIME], r[mf.MTIME], path,
                        r[mf.LINE], r[mf.HASH], r[mf.NOTE] if r[mf.STATUS] == mf.INDEXED
                        else None, None, r[mf.STATUS])

    def _take(self, path, item, entries, versions):
        """One loader output into the spool and the plan."""
        e = entries[path]
        if isinstance(item, Skipped):
            self.summary.skipped.append((item.path, item.reason))
            line = 0
            if "#L" in item.path:
                try:
                    line = int(item.path.rsplit("#L", 1)[1])
                except ValueError:
                    line = 0
            e["recs"].append([line, None, None, None, None, None, None, mf.SKIPPED, item.reason])
            return
        where = item.get("_spool")
        off = self.spool.known(where) if where is not None else self.spool.put(item)
        v = _Version(item["id"], item["_kind"], item["url"] if identity.is_absolute_url(item["url"])
                     else "", item["vtime"], item["mtime"], path, item["_line"], item["_h"] or
                     e.get("sha"), item["content_hash"], off, None)
        versions.append(v)
        e["recs"].append(None)      # placeholder, filled once statuses are known
        e.setdefault("_versions", []).append(v)

    def load(self, pool, progress):
        versions = []
        unchanged = set(self.unchanged_files)
        for path in self.carried:
            e = self.new.files[path]
            for r in e.get("recs") or []:
                if r[mf.STATUS] == mf.SKIPPED:
                    if path in unchanged:
                        where = f"{path}#L{r[mf.LINE]}" if r[mf.LINE] else path
                        self.summary.skipped.append((where, r[mf.NOTE]))
                else:
                    versions.append(self._stub(path, r))
        entries = {}
        bar = _progress(progress, len(self.to_load))
        try:
            for task, result in loading.run_tasks(pool, self._tasks(versions, entries)):
                if task[0] == "files":
                    for res in result:
                        path = res["path"]
                        e = entries[path]
                        e["sha"] = res["sha"]
                        old = self.old_entry.get(path) if res["same"] else None
                        if res["same"] and old:
                            bar.update(1)
                            e["recs"] = [list(r) for r in old.get("recs") or []]
                            for r in e["recs"]:
                                if r[mf.STATUS] == mf.SKIPPED:
                                    self.summary.skipped.append((path, r[mf.NOTE]))
                                else:
                                    versions.append(self._stub(path, r))
                            continue
                        for item in res["items"]:
                            self._take(path, item, entries, versions)
                        bar.update(1)
                else:
                    path = task[1][0]
                    for item in result:
                        self._take(path, item, entries, versions)
        finally:
            bar.close()
        for path, e in entries.items():
            if not e["recs"] and not e.get("_versions"):
                reason = "empty file"
                e["recs"] = [[0, None, None, None, None, None, None, mf.SKIPPED, reason]]
                self.summary.skipped.append((path, reason))
            self.new.files[path] = e
        self.versions = versions
        self.phase("load")

    # -- choosing versions ----------------------------------------------------------

    def choose(self):
        """One winning version per article id, then per absolute URL; the rest
        are its ``losers`` (older versions, newest first).  Only ids and URLs
        seen more than once get a list: one per article would be most of the
        plan's memory in a big archive where nearly every article has one
        version."""
        winners, multi = {}, {}
        for v in self.versions:
            first = winners.setdefault(v.id, v)
            if first is not v:
                multi.setdefault(v.id, [first]).append(v)
        losers = {}            # winner id -> [versions], for ids with older versions only
        for aid, vs in multi.items():
            vs.sort(key=lambda v: v.key, reverse=True)
            winners[aid] = vs[0]
            losers[aid] = vs[1:]
        del multi
        first_of, same_url = {}, {}
        for aid, v in winners.items():
            if v.url:
                first = first_of.setdefault(v.url, aid)
                if first != aid:
                    same_url.setdefault(v.url, [first]).append(aid)
        del first_of
        for url, ids in same_url.items():
            ids.sort(key=lambda i: winners[i].key, reverse=True)
            keep = ids[0]
            kept = losers.setdefault(keep, [])
            for other in ids[1:]:
                kept.append(winners.pop(other))
                kept.extend(losers.pop(other, ()))
            kept.sort(key=lambda v: v.key, reverse=True)
        self.winners, self.losers = winners, losers
        self.phase("choose")

    # -- the diff -----------------------------------------------------------------

    def diff(self):
        s = self.summary
        old_ids = {}         # id -> content hash, for what the index holds now
        old_hist = {}        # id -> {(path, line, hash)}
        if True:
            for path, e in self.old.files.items():
                for r in e.get("recs") or []:
                    if r[mf.STATUS] == mf.INDEXED:
                        old_ids[r[mf.ID]] = (path, r[mf.LINE], r[mf.NOTE])
                    elif r[mf.STATUS] == mf.SUPERSEDED:
                        old_hist.setdefault(r[mf.NOTE], set()).add((path, r[mf.LINE], r[mf.HASH]))
        self.old_ids = old_ids
        self.write, self.promote = {}, []
        added = updated = unchanged = 0
        for aid, w in self.winners.items():
            hist = {(v.path, v.line, v.h) for v in self.losers.get(aid, ())}
            old = old_ids.get(aid)
            same_hist = hist == old_hist.get(aid, set())
            if w.spool is None and w.was == mf.INDEXED and old is not None \
                    and old[2] == w.chash and not self.full:
                if same_hist:
                    if self._in_scope(w.path):
                        unchanged += 1
                    continue
                updated += 1
                self.write[aid] = "history"
                continue
            if w.spool is None:
                self.promote.append(w)
            if old is None:
                added += 1
            elif (w.spool is not None and old == (w.path, w.line, w.chash) and same_hist
                  and not self.full):
                if self._in_scope(w.path):
                    unchanged += 1
                continue
            else:
                updated += 1
            self.write[aid] = "new"
        removed = [aid for aid in old_ids if aid not in self.winners]
        self.removed = removed
        s.added, s.updated, s.unchanged, s.removed = added, updated, unchanged, len(removed)
        for aid in self.winners:
            for v in self.losers.get(aid, ()):
                if self._in_scope(v.path):
                    s.superseded.append((v.where, aid))
        self.phase("diff")

    def _in_scope(self, path) -> bool:
        """Is ``path`` one of the files this run's sources name or hold?"""
        for s, is_dir in self.scopes:
            if path == s or (is_dir and path.startswith(s.rstrip(os.sep) + os.sep)):
                return True
        return False

    # -- records of a version ------------------------------------------------------

    def _full_record(self, v):
        """The loaded record of ``v``, loading it now if it was a stub."""
        if v.spool is not None:
            return self.spool.get(v.spool)
        e = (self.new.files if self.new is not None else self.roots).get(v.path) or {}
        root, prefix = e.get("root"), e.get("prefix")
        try:
            if loading.is_jsonl(v.path):
                with open(v.path, "rb") as fh:
                    for n, raw in enumerate(fh, 1):
                        if n == v.line:
                            got = loading.load_lines((v.path, base_id(v.path, root, prefix),
                                                      os.stat(v.path).st_mtime,
                                                      [(n, raw, v.h)]), self.budget)
                            break
                    else:
                        got = []
            else:
                res = loading.load_files([(v.path, root, prefix, None)], self.budget)
                got = [r for r in res[0]["items"] if not isinstance(r, Skipped)]
                got = [r for r in got if r["_line"] == v.line] or got
        except OSError:
            got = []
        for r in got:
            if not isinstance(r, Skipped) and r["id"] == v.id:
                return r
        return None

    def _history(self, aid, stored_history, srch):
        """Page history of ``aid``: its superseded versions, newest first."""
        known = {(h.get("path"), h.get("line")): h for h in stored_history or []}
        out = []
        for v in self.losers.get(aid, ())[:HISTORY_MAX]:
            h = known.get((v.path, v.line))
            if h is None:
                rec = None
                if v.spool is None and v.was == mf.INDEXED:
                    rec = srch.document(id=v.id)       # the version the index held
                    if rec and rec.get("path") != v.path:
                        rec = None
                if rec is None:
                    rec = self._full_record(v)
                if rec is None:
                    continue
                h = {"path": v.path, "line": v.line, "title": rec.get("title") or "",
                     "text": rec.get("body") or "",
                     "time": articles.iso_time(v.time if v.time is not None else v.mtime)}
            out.append(h)
        return out

    # -- the manifest of the new generation ---------------------------------------

    def finish_manifest(self):
        status = {}
        for aid, w in self.winners.items():
            status[id(w)] = (mf.INDEXED, w.chash)
            for v in self.losers.get(aid, ()):
                status[id(v)] = (mf.SUPERSEDED, aid)
        for path, e in self.new.files.items():
            vs = e.pop("_versions", None)
            recs = e.get("recs") or []
            if vs is not None:
                it = iter(vs)
                recs = [r if r is not None else next(it).rec(mf.INDEXED) for r in recs]
            e["recs"] = recs
        by_key = {}
        for v in self.versions:
            by_key[(v.path, v.line, v.id)] = v
        for path, e in self.new.files.items():
            for r in e["recs"]:
                if r[mf.STATUS] == mf.SKIPPED:
                    continue
                v = by_key.get((path, r[mf.LINE], r[mf.ID]))
                if v is None:
                    continue
                st, note = status.get(id(v), (mf.SUPERSEDED, r[mf.ID]))
                r[mf.STATUS] = st
                r[mf.NOTE] = note if st == mf.SUPERSEDED else v.chash

    # -- executing ----------------------------------------------------------------

    def execute(self, pool, progress, t0):
        # an increment reads the saved archive state (mention pool, story
        # groups: seconds at 100k articles) while the workers load the files
        self.early = None
        if not self.full and self.to_load:
            self.early = _Background(archive_state.load, self.folder,
                                     self.ix.latest_generation())
        try:
            return self._execute(pool, progress, t0)
        finally:
            if self.early is not None:
                self.early.wait()
            s = self.summary
            s.skipped = [(_fs_text(p), r) for p, r in s.skipped]
            s.superseded = [(_fs_text(p), i) for p, i in s.superseded]

    def _execute(self, pool, progress, t0):
        self.load(pool, progress)
        if pool is not None:      # the workers' memory is not needed by the writer
            pool.terminate()
            pool.join()
        self.choose()
        self.diff()
        # a promoted stub (older version now the newest left) is loaded again; its
        # content hash is then known
        for w in self.promote:
            rec = self._full_record(w)
            if rec is None:
                self.summary.skipped.append((w.where, "could not be loaded again"))
                self.write.pop(w.id, None)
                continue
            w.spool, w.chash = self.spool.put(rec), rec["content_hash"]
        self.finish_manifest()
        s = self.summary
        folder = self.folder
        if not (self.write or self.removed or self.full or self.curated_changed):
            gen = self.ix.latest_generation()
            s.articles = self.ix.doc_count()
            if self.new.to_json() != self.old.to_json() or mf.load(folder, gen) is None:
                mf.save(folder, gen, self.new)
            s.seconds = time.monotonic() - t0
            write_meta(folder, s, self.phase)
            return s
        # the old manifest and the list of every version are not read again
        # (winners and losers keep the versions): a record list per article
        self.old = self.old_entry = self.versions = self.promote = None
        self._let_go_of_the_plan()
        return self._write(pool, t0)

    def _let_go_of_the_plan(self):
        """Save the new manifest now, for the generation the write will commit,
        and keep only what the write reads later: the spool offsets of the
        loaded articles, which of them replace one the index holds, the older
        versions (page history) and where their files sit.  The manifest, a
        version per article and the index's id list were a few hundred bytes
        per article, held under the story pass and the posting pool."""
        self.manifest_gen = self.ix.latest_generation() + 1
        mf.save(self.folder, self.manifest_gen, self.new)
        self.spool_of = {aid: self.winners[aid].spool for aid, how in self.write.items()
                         if how == "new"}
        self.replaced = {aid for aid in self.spool_of if aid in self.old_ids}
        self.roots = {}
        for vs in self.losers.values():
            for v in vs:
                e = self.new.files.get(v.path) or {}
                self.roots[v.path] = {"root": e.get("root"), "prefix": e.get("prefix")}
        self.first = not self.old_ids            # nothing indexed before this reindex
        self.new = self.winners = self.old_ids = None
        gc.collect()
        _trim()

    def _write(self, pool, t0):
        pre = self._pool_ahead()
        try:
            return self._write_with(pool, t0, pre)
        finally:
            if pre is not None:
                pre.stop()

    def _pool_ahead(self):
        """A :class:`~index.prepool.PrePool` for the title and body postings
        of a full reindex or a first one (while the archive-wide passes keep
        one core), or None: for an increment (relinked articles join the
        documents after the story pass), a small archive or one core."""
        order = sorted(self.write)
        if not ((self.full or self.first) and len(order) >= PARALLEL_ADD_MIN and (os.cpu_count() or 1) >= 2
                and _fast_fields(self.ix.schema)
                and all(self.write[aid] == "new" for aid in order)):
            return None
        offsets = [self.spool_of[aid] for aid in order]
        half = _first_half(len(order))
        segments = [offsets[:half], offsets[half:]] if half else [offsets]
        return prepool.PrePool(self.spool, segments, self.folder / f".prepool-{os.getpid()}",
                               writer_options()["limitmb"],
                               prepool.encoding(self.ix.schema) if ENCODE_AHEAD else None)

    def _ahead(self, pre, jobs, half):
        """The segments' :class:`~index.prepool.Ahead`, ``(side, main)``, if
        ``pre`` pooled exactly these jobs; else (or if it failed) ``(None,
        None)``: the writers then pool those postings themselves."""
        if pre is None or any(how != "new" for _aid, how in jobs) \
                or [a for a, _ in jobs] != sorted(self.write):
            return None, None
        try:
            got = pre.result()
        except Exception as e:  # noqa: BLE001 -- only time is lost
            log.warning("title and body postings were not pooled ahead (%s)", e)
            return None, None
        return (got[0], got[1]) if half else (None, got[0])

    def _write_with(self, pool, t0, pre):
        from whoosh.writing import CLEAR, MERGE_SMALL
        s, folder, ix = self.summary, self.folder, self.ix
        write_ids = set(self.write)
        new_ids = sorted(aid for aid in write_ids if self.write[aid] == "new")
        removed = sorted(self.removed)
        with ix.searcher() as srch:
            mpool, state, relink = self._archive_state(srch)
            self.phase("state")
            # the pool loses what the index held of replaced and removed articles ...
            if not self.full:
                for aid in removed + new_ids:
                    num = srch.document_number(id=aid)
                    if num is not None:
                        mpool.remove(aid, srch.reader().stored_fields(num).get("mentions"))
            # ... and gains the new versions
            for aid in new_ids:
                rec = self.spool.light(self.spool_of[aid])
                mpool.add(aid, rec.get("mentions"))
            resolver = mpool.resolver(curated_path(self.sources))
            changed = mpool.changed(mpool.lookup(resolver))
            self.phase("entities")
            # canonical entities change only for articles mentioning a form whose
            # entity changed; story grouping weighs the entities, so those items change
            items, relink_ents, kept = [], set(relink), {}
            reader = srch.reader()
            for aid in sorted(mpool.articles_with(changed) - set(new_ids)):
                num = srch.document_number(id=aid)
                if num is None:
                    continue
                f = reader.stored_fields(num)
                ents = canonical(resolver, f.get("mentions"))
                if ents == f.get("entities"):
                    continue
                if aid not in write_ids:
                    relink_ents.add(aid)
                    kept[aid] = num
                names = tuple(e[0] for e in ents)
                old = state.items.get(aid)
                if old is not None and tuple(old.entities) != names:
                    items.append(stories.Item(aid, old.sig, names, old.source))
            # new signatures wait in a scratch file, not in memory, until a
            # pass compares them (see archive.sigfile)
            sigs = SigFile.scratch(folder)
            for aid in new_ids:
                rec = self.spool.light(self.spool_of[aid])
                items.append(stories.Item(aid, stories.filed(rec.get("sig"), sigs),
                                          tuple(e[0] for e in canonical(resolver,
                                                                        rec.get("mentions"))),
                                          sys.intern(rec.get("source") or "")))
            # the pool is saved and let go before the story pass (what grows
            # with the archive should not sit under the pass's vectors)
            gen = ix.latest_generation() + 1
            archive_state.save_pool(folder, gen, mpool)
            del mpool
            _trim()
            self.phase("relink")
            changes = stories.assign(items, state, removed=removed)
            del items
            self.phase("stories")
            relink = sorted((set(changes) | relink_ents) - write_ids - set(removed))
            for aid in relink:
                if aid not in kept:
                    num = srch.document_number(id=aid)
                    if num is not None:
                        kept[aid] = num
            relink = [aid for aid in relink if aid in kept]
        s.relinked = len(relink)
        groups = state.group

        w = ix.writer(**WRITER_OPTIONS)
        _whoosh.cache_lengths(w)
        _whoosh.lean_pool(w)
        _whoosh.fast_postings(w)
        side = None
        try:
            _with_new_fields(w, self.full)
            fast = _fast_fields(w.schema)
            # the side files first: then the story state (what grows with the
            # archive; the pool went before the story pass) is let go before
            # Whoosh's posting pool fills
            write_json(folder / resolver_name(w.generation), resolver.to_json())
            if w.generation != gen:            # not expected: the caller holds the lock
                os.replace(archive_state.POOL.path(folder, gen),
                           archive_state.POOL.path(folder, w.generation))
            archive_state.save_stories(folder, w.generation, state)
            if w.generation != self.manifest_gen:     # likewise not expected
                os.replace(Path(folder) / mf.name(self.manifest_gen),
                           Path(folder) / mf.name(w.generation))
            del state
            _trim()
            # the pool is sized now that the state is gone (see writer_options)
            _whoosh.pool_limit(w, writer_options()["limitmb"])
            self.phase("save")
            jobs = [(aid, self.write[aid]) for aid in sorted(write_ids)]
            jobs += [(aid, kept[aid]) for aid in relink]
            half = _first_half(len(jobs))
            ahead_side, ahead = self._ahead(pre, jobs, half) if fast else (None, None)
            if half:
                # the first half goes to a second segment written by a forked
                # process (its docnums then come first, as in one segment)
                side = _SideSegment(self, jobs[:half], resolver, groups, fast, ahead_side)
                jobs = jobs[half:]
            with ix.searcher() as srch:
                if not self.full:
                    for aid in sorted(write_ids | set(self.removed)):
                        w.delete_by_term("id", aid)
                    # a relinked article's number is known (the writer reads the
                    # generation ``srch`` read): no term lookup for it
                    for aid in relink:
                        w.delete_document(kept[aid])
                self._add_jobs(w, jobs, resolver, groups, fast, srch, ahead)
            self.phase("add")
            # one commit lists the side segment (finished meanwhile) before this one's
            _whoosh.commit_with(w, CLEAR if self.full else MERGE_SMALL,
                                side.segments if side is not None else list)
        except BaseException:
            if side is not None:
                side.stop()
            _abandon(w)       # e.g. disk full: the writer's lock must not outlive the failure
            raise
        # the committed writer still holds its posting pool's lists: let them
        # and their heap go before the arrays are built on top
        w = None
        gc.collect()      # (the writer and its length cache refer to each other)
        _trim()
        self.phase("commit")
        try:
            with ix.searcher() as srch:
                cache = segpostings.Cache(folder, docarrays.FIELDS)
                if side is not None:
                    # this segment's postings are decoded while the side
                    # process decodes its own; its file is read once it is done
                    for sub, _ in srch.leaf_searchers():
                        if _whoosh.segment_id(sub.reader()) not in side.ids:
                            cache.get(sub.reader())
                    side.wait()
                    side = None
                docarrays.save_for(folder, srch.reader().generation(), srch, cache)
                s.articles = srch.doc_count()
        except Exception:  # noqa: BLE001 -- e.g. disk full: readers build the arrays themselves
            pass
        if side is not None:
            side.wait()
        self.phase("arrays")
        keep = ix.latest_generation()
        generations.prune_all(folder, keep)
        s.seconds = time.monotonic() - t0
        write_meta(folder, s, self.phase)
        return s

    def _archive_state(self, srch):
        """``(mention pool, story state, ids to relink)`` of the index as it is
        now: the side files of its generation, or for an index without them
        (built before they existed, or their files lost) rebuilt once from the
        stored fields -- then articles whose stored group differs from the
        rebuilt one are relinked, so the result is still a full build's."""
        if self.full:
            return MentionPool(), stories.StoryState(), set()
        gen = self.ix.latest_generation()
        early, self.early = self.early, None
        got = early.result() if early is not None else archive_state.load(self.folder, gen)
        if got is not None:
            return got[0], got[1], set()
        mpool, items, old_story = MentionPool(), [], {}
        sigs = SigFile.scratch(self.folder)
        sig_of = sig_reader(srch.reader())
        for docnum, f in srch.reader().iter_docs():
            aid = f.get("id")
            mpool.add(aid, f.get("mentions"))
            items.append(stories.Item(aid, stories.filed(sig_of(docnum), sigs),
                                      tuple(e[0] for e in f.get("entities") or ()),
                                      sys.intern(f.get("source") or "")))
            old_story[aid] = f.get("story")
        state = stories.StoryState()
        stories.assign(items, state)
        del items
        old = _load_resolver(self.folder, gen)
        if old is not None:
            try:
                mpool.table = mpool.lookup(archive.Resolver.from_json(old))
            except Exception:  # noqa: BLE001 -- then every article is checked
                mpool.table = {}
        return mpool, state, {a for a, g in old_story.items() if state.group.get(a) != g}

    def _add_jobs(self, w, jobs, resolver, groups, fast, srch, ahead=None):
        """Add ``jobs`` to ``w``: ``(id, "new")`` (the loaded record),
        ``(id, "history")`` (the stored article with its page history renewed)
        or ``(id, docnum)`` (an unchanged article relinked: its stored fields)."""
        prepare = _Prepare(w.schema, fast)
        if ahead is not None:
            # the terms encoded ahead stand in for the runs if this writer
            # encodes as they were encoded
            same = ahead.encoded is not None and \
                _whoosh.encoding_of(w, list(ahead.encoding["fixed"])) == ahead.encoding
            _whoosh.add_runs(w, ahead.runs, ahead.settle if same else None)
        with _collector_paused(PAUSE_GC_IN_ADD):
            self._add_each(w, jobs, resolver, groups, fast, srch, prepare, ahead)

    def _add_each(self, w, jobs, resolver, groups, fast, srch, prepare, ahead):
        sig_of = sig_reader(srch.reader())
        lengths = None
        for n, (aid, how) in enumerate(jobs):
            if ahead is not None:
                # the runs number the documents in job order: so must the writer
                if how != "new" or w.docnum != n:
                    raise IndexError_(f"documents out of step with their postings pooled "
                                      f"ahead ({aid}: {how}, number {w.docnum}, expected {n})")
                lengths = ahead.lengths["title"][n], ahead.lengths["body"][n]
            if how == "new":
                rec = self.spool.get(self.spool_of[aid], postings=ahead is None)
                old = srch.document(id=aid) if aid in self.replaced else None
            else:
                # the stored article: its page history renewed, or relinked
                num = srch.document_number(id=aid) if how == "history" else how
                if num is None:
                    continue
                rec = dict(srch.reader().stored_fields(num))
                rec["sig"] = sig_of(num)
                old = rec if how == "history" else None
            if not rec:
                continue
            if old is not None or how == "new":
                rec["history"] = self._history(aid, (old or {}).get("history"), srch)
            self._add(w, rec, resolver, groups, fast, prepare, lengths)

    def _add(self, w, rec, resolver, groups, fast, prepare, lengths=None):
        doc = document(rec, canonical(resolver, rec.get("mentions")), groups.get(rec["id"], rec["id"]))
        pt, pb = rec.get("_pt"), rec.get("_pb")
        if lengths is not None and lengths[0] >= 0:
            # title and body postings pooled ahead (index.prepool): one
            # placeholder each, whose frequency is the field's length
            doc["title"], doc["_stored_title"] = _ahead(lengths[0]), doc["title"]
            doc["body"], doc["_stored_body"] = _ahead(lengths[1]), doc["body"]
        elif fast and pt is not None:
            doc["title"], doc["_stored_title"] = Prepared(pt), doc["title"]
            doc["body"], doc["_stored_body"] = Prepared(pb), doc["body"]
        prepare(doc)
        w.add_document(**doc)


def _ahead(length: int) -> Prepared:
    """A field's placeholder posting for postings pooled ahead (see :mod:`index.prepool`)."""
    return Prepared([(_whoosh.PREPOOLED, length, 0.0, None)])


class _Prepare:
    """Prepared postings for a document's short fields, given to Whoosh in
    place of their text (``_stored_<field>`` keeps the text stored).

    Title and body come prepared from the loader's workers.  The other
    indexed fields went through Whoosh's analyzer chain per document (a
    tokenizer, token objects, a set or counter: 70 µs a document, a fifth of
    adding it).  :class:`~index.schema.FastID` and
    :class:`~index.schema.FastKEYWORD` give their postings directly, and a
    plain text field (outlet, author, dateline: a few values repeated across
    the archive) is analyzed once per distinct value.  A field of another
    class (an index built before these existed) is left to Whoosh.

    With ``text`` (the schema's title and body take prepared postings, see
    :func:`_fast_fields`), a title or body still in text -- an article
    rewritten from its stored fields, when a new alias or story merge changes
    it -- gets :func:`~index.schema.index_items`, the workers' analysis, not
    Whoosh's chain (1-2 ms a Reuters article: most of relinking one)."""

    CACHED = 50_000          # distinct values kept per text field

    def __init__(self, schema, text: bool = False):
        self.fields = []
        for name in schema.names():
            f = schema[name]
            if not f.indexed:
                continue
            if name in ("title", "body"):
                if text:
                    self.fields.append((name, partial(index_items, f), "_stored_" + name))
                continue
            if isinstance(f, (FastID, FastKEYWORD)):
                fn = f.prepare
            elif isinstance(f, FastTEXT):
                fn = self._cached(f)
            else:
                continue
            self.fields.append((name, fn, "_stored_" + name if f.stored else None))

    def _cached(self, field):
        cache: dict = {}

        def prepare(value):
            got = cache.get(value)
            if got is None:
                if len(cache) >= self.CACHED:
                    cache.clear()
                got = cache[value] = Prepared(field.index(value))
            return got
        return prepare

    def __call__(self, doc: dict) -> None:
        for name, fn, stored in self.fields:
            value = doc.get(name)
            if type(value) is not str:
                continue
            doc[name] = fn(value)
            if stored is not None and stored not in doc:
                doc[stored] = value


@contextmanager
def _collector_paused(pause: bool = True):
    """Python's cyclic garbage collector off for a block, as it was after.

    Adding documents creates a container per new term in the posting pool
    (``_whoosh._TermPool``: hundreds of thousands per segment) and frees
    none: each generation-2 collection those allocations trigger walks
    every object the writer holds (pool, resolver, story groups), to find
    no cycle.  Reference counting still frees everything the loop drops."""
    was = gc.isenabled()
    if pause:
        gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def writer_options(rss_mb=None) -> dict:
    """Whoosh writer options, with the posting pool sized to what the process
    budget (:data:`WRITER_MEMORY_MB`) leaves beside what the process already
    holds, between :data:`LIMIT_MIN_MB` and :data:`WRITER_OPTIONS`' limit.

    What a writer holds before it adds documents (the plan, the resolver, the
    story groups) grows with the archive; a fixed pool on top of it made the
    peak grow by the same amount.  A smaller pool only spills sorted runs
    sooner (cheap: see ``_whoosh.RUN_CHUNK``), so the peak stays near the
    budget while what the writer holds is under it.  Whoosh's estimate of
    its pool's size runs about a fifth low (:data:`POOL_ESTIMATE`): what is
    left is divided by that, or the peak would overshoot by as much.  The
    limit is high enough not to bind where the budget leaves much room: with
    a cap of 192 MB binding at both x5 and x10, the peak followed what the
    writer holds (498 -> 575 MB)."""
    opts = dict(WRITER_OPTIONS)
    rss = _rss_mb() if rss_mb is None else rss_mb
    if rss is not None and "limitmb" in opts:
        room = (WRITER_MEMORY_MB - rss) / POOL_ESTIMATE
        opts["limitmb"] = min(opts["limitmb"], max(LIMIT_MIN_MB, room))
    return opts


class _Background:
    """``fn(*args)`` on a daemon thread, started at once; :meth:`result`
    waits for it and gives its value or raises its exception.

    Started before the writer forks anything else (the loader pool is forked
    first, the side segment after the result is taken), so no fork copies a
    thread's half-held locks."""

    def __init__(self, fn, *args):
        self._value = self._error = None
        self._thread = threading.Thread(target=self._run, args=(fn, args), daemon=True,
                                        name="newsarchive-early-state")
        self._thread.start()

    def _run(self, fn, args):
        try:
            self._value = fn(*args)
        except BaseException as e:  # noqa: BLE001 -- handed to result()
            self._error = e

    def wait(self) -> None:
        self._thread.join()

    def result(self):
        self.wait()
        if self._error is not None:
            raise self._error
        return self._value


def _with_new_fields(w, full: bool = False) -> None:
    """Fields added since the index was created, added to the writer's
    schema; in a full rebuild (nothing of the old segments is kept) a field
    whose type changed since (the signature, stored before version 3) gets
    the current type."""
    ref = make_schema()
    for name in ("history", "vtime", "authors"):
        if name not in w.schema:
            w.add_field(name, ref[name])
    if full and "sig" in w.schema and type(w.schema["sig"]) is not type(ref["sig"]):
        w.remove_field("sig")
        w.add_field("sig", ref["sig"])


class _SideSegment:
    """The first part of a reindex's documents, written as a segment of their
    own by a forked process while the writer adds the rest.

    Adding documents and committing them are one core's work (a third of a
    full reindex at 190k articles); with two segments built at once both
    cores work.  The process inherits the plan, the resolver and the story
    groups (fork), reads records from its own handle on the spool, and sends
    back its finished, unpublished segment, which the writer's one commit
    lists before its own (Whoosh's ``MpWriter`` does the same with its
    sub-writers).  It dies with the writer (``PR_SET_PDEATHSIG``), so a killed
    reindex leaves only unreferenced files, which the next commit removes; an
    error in it is raised by :meth:`segments` and fails the reindex as one in
    the writer would."""

    def __init__(self, plan, jobs, resolver, groups, fast, ahead=None):
        self.ids: set = set()           # its segment's id, once handed over
        ctx = multiprocessing.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_side_main, daemon=True,
                                args=(plan, jobs, resolver, groups, fast, send, ahead))
        self.proc.start()
        send.close()

    def segments(self) -> list:
        """The finished segment.  The process goes on decoding the segment's
        keyword postings for the doc arrays (:func:`_save_postings`): join it
        with :meth:`wait` before the arrays are built."""
        try:
            kind, value = self._recv.recv()
        except EOFError:
            self.proc.join()
            raise IndexError_("the second writer process stopped without a result "
                              f"(exit code {self.proc.exitcode})") from None
        finally:
            self._recv.close()
        if kind == "error":
            self.proc.join()
            raise value
        self.ids = {value.segment_id()}
        return [value]

    def wait(self) -> None:
        self.proc.join()

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()


def _side_main(plan, jobs, resolver, groups, fast, conn, ahead=None) -> None:
    """Body of a :class:`_SideSegment` process."""
    die_with_parent()
    w = None
    try:
        plan.spool.reopen()
        ix = segfiles.open_for_writing(plan.folder)
        w = _whoosh.side_writer(ix, **writer_options())
        _whoosh.cache_lengths(w)
        _whoosh.lean_pool(w)
        _whoosh.fast_postings(w)
        _with_new_fields(w, plan.full)
        with ix.searcher() as srch:
            plan._add_jobs(w, jobs, resolver, groups, fast, srch, ahead)
        seg = _whoosh.finish_segment(w)
        conn.send(("ok", seg))
    except BaseException as e:  # noqa: BLE001 -- reported to the writer, which raises it
        if w is not None:
            _whoosh.drop_side_writer(w)
        conn.send(("error", sendable(e)))
        return
    finally:
        conn.close()
    _save_postings(ix, w.schema, seg, plan.folder)


def _save_postings(ix, schema, seg, folder) -> None:
    """Decode the keyword postings of segment ``seg`` and save them beside it
    (:mod:`index.segpostings`), while the writer commits: the arrays phase
    after the commit then decodes only the writer's own segment, not both
    (half of that single-core phase).  A failure here costs nothing but
    that: the writer decodes what it does not find."""
    from whoosh.reading import SegmentReader
    try:
        reader = SegmentReader(ix.storage, schema, seg)
        try:
            segpostings.Cache(folder, docarrays.FIELDS).get(reader)
        finally:
            reader.close()
    except Exception:  # noqa: BLE001
        pass


def _first_half(n: int) -> int:
    """How many of ``n`` documents a second segment, written by a forked
    process, takes (:class:`_SideSegment`): half of them, or none for a few
    or on one core."""
    return n // 2 if n >= PARALLEL_ADD_MIN and (os.cpu_count() or 1) >= 2 else 0


def _copy(entry: dict) -> dict:
    """A manifest entry whose records can be changed without touching the old manifest."""
    return {**entry, "recs": [list(r) for r in entry.get("recs") or []]}


def _fast_fields(schema) -> bool:
    ref = make_schema()
    return all(isinstance(schema[n], FastTEXT)
               and schema[n].format.field_boost == ref[n].format.field_boost
               and type(schema[n].format) is type(ref[n].format)
               for n in ("title", "body"))


def _load_resolver(folder, gen):
    try:
        return json.loads((Path(folder) / resolver_name(gen)).read_text("utf-8"))
    except (OSError, ValueError, TypeError):
        return None


class _NoBar:
    def update(self, n):
        pass

    def close(self):
        pass


def _progress(progress, total):
    show = sys.stderr.isatty() if progress is None else bool(progress)
    if not show:
        return _NoBar()
    from tqdm import tqdm
    return tqdm(total=total, unit="file", desc="reindex", file=sys.stderr, leave=False)


def _abandon(w) -> None:
    """Give up a Whoosh writer whose commit failed, releasing its lock.

    A failed commit leaves the writer open and its ``MAIN_WRITELOCK`` held, so
    every later reindex in this process would fail with a bare ``LockError``;
    ``cancel()`` itself may fail again (closing files on a full disk)."""
    try:
        w.cancel()
    except Exception:  # noqa: BLE001
        pass
    lock = getattr(w, "writelock", None)
    if lock is not None and not getattr(w, "is_closed", True):
        try:
            lock.release()
        except Exception:  # noqa: BLE001
            pass
        w.is_closed = True


class _Phases:
    """Wall seconds of each reindex phase since the previous mark, this
    process's CPU seconds (``cpu``: on a shared machine wall time says little)
    its resident memory in MB at the end of the phase (``mb``: which phase
    holds what grows with the archive) and its peak so far (``peak``: the
    phase where it rises is the one whose transient is the peak)."""

    def __init__(self, out: dict):
        self.out, self.t = out, time.monotonic()
        self.cpu, self.c = {}, time.process_time()
        self.mb: dict = {}
        self.peak: dict = {}

    def __call__(self, name):
        now, c = time.monotonic(), time.process_time()
        self.out[name] = round(now - self.t, 3)
        self.cpu[name] = round(c - self.c, 3)
        self.mb[name] = _rss_mb()
        self.peak[name] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        self.t, self.c = now, c


def _trim() -> None:
    """Hand freed heap memory back to the system (glibc ``malloc_trim``).

    The story pass and the mention pool leave hundreds of MB of freed memory
    in the heap, which the allocator keeps; Whoosh's posting pool would then
    grow on top of it, so the peak would be their sum.  A no-op elsewhere."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _rss_mb():
    """This process's resident memory in MB now (None where /proc is missing)."""
    try:
        with open("/proc/self/statm") as fh:
            return round(int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20, 1)
    except (OSError, ValueError, IndexError):
        return None


def resolver_name(gen) -> str:
    return generations.RESOLVER.name(gen)


def write_json(path: Path, data) -> None:
    """Atomic write: a reader never sees half a file."""
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    os.replace(tmp, path)


def write_meta(folder: Path, summary: ReindexSummary, phases: "_Phases | None" = None) -> None:
    meta = summary.to_dict()
    meta["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    meta["skipped"] = len(summary.skipped)
    meta["superseded"] = len(summary.superseded)
    meta["phases"] = dict(summary.phases)
    meta["phases_cpu"] = dict(phases.cpu) if phases else {}
    meta["phases_mb"] = dict(phases.mb) if phases else {}
    meta["phases_peak_mb"] = dict(phases.peak) if phases else {}
    try:
        write_json(folder / "last-reindex.json", meta)
    except OSError:
        pass
