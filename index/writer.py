"""Reindexing: load sources on both cores, diff against the index, write once.

A reindex is one pass:

1. take the write lock (``locking``): a second writer fails at once;
2. list candidate files and load them in a process pool -- each worker runs
   the loader, ``archive.extract_mentions`` and the story signature, the
   CPU-heavy parts, and sends back a compact record (never Article objects);
3. pick one version per article id (and per URL): the newer file wins;
4. diff by content hash against what the index holds: added / updated /
   unchanged; indexed articles whose file is gone, or that no longer come
   out of a source that was reindexed, are removed;
5. rebuild the corpus-wide entity resolver from the stored mentions of every
   article (new aliases can change old articles' canonical entities) and the
   story groups from every signature; unchanged articles whose canonical
   entities or story group changed are re-written from their stored fields
   ("relinked") -- so entity fields in the index are always canonical and a
   search needs no mapping at query time;
6. one Whoosh writer, one commit.  Whoosh commits by writing a new TOC
   generation after the segment files, and only deletes old segments after
   that, so a crash at any moment leaves the previous generation searchable.
   The title/body postings are computed by the pool's workers
   (``schema.index_items``, the analyzer chain's result without its
   per-token generator overhead) while the writer adds earlier documents;
   the posting pool is large enough to sort in memory at ~20k articles, and
   field lengths are read once per field at commit (``_Lengths``);
7. the per-document arrays of the new generation are built once and saved
   next to it (``docarrays.save_for``), so no reader has to rebuild them.

Measured on Reuters (19k, ``bench/search_bench.py``): Whoosh's own
``add_document`` + ``commit`` remain the largest part of the writer's time;
multiprocessing writers (``procs=2``) were slower on two shared cores.

A rerun with nothing changed opens no writer and writes nothing.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from pathlib import Path

import archive
from archive import Skipped

from archive import stories

from . import docarrays, generations
from .errors import SourceNotFound
from .results import ReindexSummary
from .schema import (ENTITY_FIELDS, FastTEXT, Prepared, fold, index_items, keyword_value,
                     make_schema)

LIMIT_MB = 1024           # posting pool held in memory before spilling sorted runs
PARALLEL_MIN_FILES = 2     # fewer candidate files than this: load in-process
PARALLEL_MIN_BYTES = 256 * 1024
POOL_PROCS = 2
WRITER_OPTIONS = {"limitmb": LIMIT_MB}


# -- loading (runs in worker processes) --------------------------------------

def _iter_files(sources):
    try:
        from archive.load import iter_files
    except ImportError:       # loader stub: .txt only
        iter_files = None
    if iter_files is not None:
        yield from iter_files(sources)
        return
    for p in sources:
        p = Path(p)
        if p.is_dir():
            for f in sorted(p.rglob("*.txt")):
                yield f, p
        else:
            yield p, p.parent


def _load_batch(batch):
    """Worker: load files, extract mentions and signatures.  Never raises.

    Returns Skipped records and the compact stored shape of each article
    (:func:`record_from_article`), so the parent never holds Article objects.
    """
    out = []
    for path, root in batch:
        try:
            recs = archive.load_file(path, root)
        except Exception as e:  # noqa: BLE001 -- a loader bug must not stop a reindex
            out.append(Skipped(str(path), f"could not be loaded: {type(e).__name__}: {e}"))
            continue
        for rec in recs:
            if isinstance(rec, Skipped):
                out.append(rec)
                continue
            try:
                mentions = archive.extract_mentions(rec)
            except Exception as e:  # noqa: BLE001
                mentions = {"error": f"{type(e).__name__}: {e}"}
            try:
                sig = stories.signature(rec.body or "", published=rec.published, title=rec.title)
            except Exception:  # noqa: BLE001
                sig = None
            out.append(record_from_article(rec, mentions, sig))
    return out


def _prepare_batch(pairs):
    """Worker: the title/body postings of ``(title, body)`` pairs (see
    :func:`schema.index_items`), so the writer process only adds them."""
    title, body = _FIELDS["title"], _FIELDS["body"]
    return [(index_items(title, t or ""), index_items(body, b or "")) for t, b in pairs]


_FIELDS = make_schema()
PREPARE_CHUNK = 200        # documents per task of the prepare pool


def _batches(files, nbatches):
    """Split files into batches of similar total size (large files alone)."""
    sized = []
    for f, root in files:
        try:
            size = os.path.getsize(f)
        except OSError:
            size = 0
        sized.append((size, str(f), str(root)))
    sized.sort(reverse=True)
    total = sum(s for s, _, _ in sized) or 1
    target = max(total // max(nbatches, 1), 1)
    batches, cur, cur_size = [], [], 0
    for size, f, root in sized:
        cur.append((f, root))
        cur_size += size
        if cur_size >= target or len(cur) >= 64:
            batches.append(cur)
            cur, cur_size = [], 0
    if cur:
        batches.append(cur)
    return batches


def _pool_wanted(files) -> bool:
    if (os.cpu_count() or 1) < 2 or len(files) < PARALLEL_MIN_FILES:
        return False
    try:
        total_bytes = sum(os.path.getsize(f) for f, _ in files if os.path.isfile(f))
    except OSError:
        total_bytes = 0
    return total_bytes >= PARALLEL_MIN_BYTES


def load_sources(files, progress, pool=None):
    """Yield loader outputs for every candidate file, on the pool's workers if given."""
    bar = _progress(progress, len(files))
    try:
        if pool is None:
            for f, root in files:
                yield from _load_batch([(str(f), str(root))])
                bar.update(1)
            return
        batches = _batches(files, POOL_PROCS * 8)
        for batch, out in zip(batches, pool.imap(_load_batch, batches)):
            yield from out
            bar.update(len(batch))
    finally:
        bar.close()


def prepared(pool, recs, fields):
    """(title, body) values for the writer, in the order of ``recs``:
    precomputed postings when the index's fields accept them (computed on the
    pool's workers while the writer consumes earlier ones), else the text."""
    fast = all(isinstance(fields[n], FastTEXT)
               and fields[n].format.field_boost == _FIELDS[n].format.field_boost
               and type(fields[n].format) is type(_FIELDS[n].format)
               for n in ("title", "body"))
    pairs = [(r.get("title") or "", r.get("body") or "") for r in recs]
    if not fast:
        yield from pairs
        return
    if pool is None or len(pairs) < PREPARE_CHUNK:
        yield from _prepare_batch(pairs)
        return
    chunks = [pairs[i:i + PREPARE_CHUNK] for i in range(0, len(pairs), PREPARE_CHUNK)]
    for out in pool.imap(_prepare_batch, chunks):
        yield from out


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


# -- documents ----------------------------------------------------------------

def record_from_article(a, mentions, sig) -> dict:
    """The stored shape of an article (everything needed to rebuild its document)."""
    return {
        "id": a.id, "url": a.url or "", "path": a.path, "title": a.title or "",
        "body": a.body or "", "source": a.source or "", "author": a.author or "",
        "dateline": a.dateline or "", "published": _iso(a.published),
        "date_source": a.date_source, "mentioned": keyword_value(a.mentioned_dates or []),
        "removed": [[r.kind, r.text] for r in (a.removed or [])],
        "content_hash": a.content_hash, "mtime": a.mtime, "sig": sig,
        "mentions": mentions, "fmt": a.format,
    }


STORED_KEYS = ("id", "url", "path", "title", "body", "source", "author", "dateline",
               "published", "date_source", "mentioned", "removed", "content_hash",
               "mtime", "sig", "mentions", "fmt")


def _iso(value):
    if not value:
        return None
    value = str(value)[:10]
    try:
        import datetime as dt
        dt.date.fromisoformat(value)
        return value
    except ValueError:
        return None


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
    return doc


def canonical(resolver, mentions) -> list:
    try:
        ems = resolver.apply(mentions or {})
    except Exception:  # noqa: BLE001
        return []
    return [[e.name, e.type, int(e.mentions)] for e in ems]


# -- the reindex ----------------------------------------------------------------

def curated_path(sources):
    for s in sources:
        p = Path(s)
        if p.is_dir():
            c = p / "aliases.toml"
            return c if c.is_file() else None
    return None


def _under(path: str, roots) -> bool:
    try:
        rp = Path(path).resolve()
    except (OSError, RuntimeError):
        return False
    for r in roots:
        if rp == r or r in rp.parents:
            return True
    return False


def run(ix, sources, full=False, progress=None) -> ReindexSummary:
    """Reindex ``sources`` into the Whoosh index ``ix`` (the caller holds the lock)."""
    t0 = time.monotonic()
    sources = [Path(s) for s in sources]
    for s in sources:
        if not s.exists():
            raise SourceNotFound(f"no such source: {s}")
    files = list(_iter_files(sources))
    pool = None
    if _pool_wanted(files):
        pool = multiprocessing.get_context("fork").Pool(POOL_PROCS)
    try:
        return _run(ix, sources, files, full, progress, pool, t0)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()


def _run(ix, sources, files, full, progress, pool, t0) -> ReindexSummary:
    roots = [s.resolve() for s in sources]
    summary = ReindexSummary(full=full)
    phase = _Phases(summary.phases)

    # 2. load
    chosen: dict[str, dict] = {}
    for rec in load_sources(files, progress, pool):
        if isinstance(rec, Skipped):
            summary.skipped.append((rec.path, rec.reason))
            continue
        prev = chosen.get(rec["id"])
        if prev is None or (rec["mtime"], rec["path"]) > (prev["mtime"], prev["path"]):
            chosen[rec["id"]] = rec
    phase("load")
    # 3. URL identity for records that carry their own id
    by_url = {}
    for aid, rec in list(chosen.items()):
        url = rec["url"]
        if not url:
            continue
        other = by_url.get(url)
        if other is None:
            by_url[url] = aid
            continue
        older, newer = sorted([other, aid], key=lambda i: (chosen[i]["mtime"], chosen[i]["path"]))
        summary.skipped.append((chosen[older]["path"],
                                f"same URL as {chosen[newer]['path']} (the newer file wins)"))
        del chosen[older]
        by_url[url] = newer

    # 4. diff against the index
    existing = {}       # id -> (docnum, stored dict)
    with ix.searcher() as s:
        reader = s.reader()
        for docnum, fields in reader.iter_docs():
            existing[fields["id"]] = (docnum, fields)

        new_recs = {}
        added, updated, unchanged, removed = [], [], [], []
        for aid, rec in chosen.items():
            old = existing.get(aid)
            if full or old is None:
                (added if old is None else updated).append(aid)
                new_recs[aid] = rec
            elif old[1].get("content_hash") != rec["content_hash"] or old[1].get("path") != rec["path"]:
                updated.append(aid)
                new_recs[aid] = rec
            else:
                unchanged.append(aid)
        for aid, (docnum, fields) in existing.items():
            if aid in chosen:
                continue
            path = fields.get("path") or ""
            if full or _under(path, roots) or not os.path.exists(path):
                removed.append(aid)

        # 5. corpus-wide derived values
        removed_set = set(removed)
        final_ids = sorted(set(chosen) | (set(existing) - removed_set)) if not full \
            else sorted(chosen)

        def rec_of(aid):
            return new_recs[aid] if aid in new_recs else existing[aid][1]

        phase("diff")
        curated = curated_path(sources)
        resolver = archive.build_resolver((rec_of(i).get("mentions") or {} for i in final_ids),
                                          curated)
        phase("entities")
        # canonical entities once per article: story grouping weighs them too
        ents_of = {aid: canonical(resolver, rec_of(aid).get("mentions")) for aid in final_ids}
        groups = stories.group(stories.Item(aid, rec_of(aid).get("sig"),
                                            tuple(e[0] for e in ents_of[aid]),
                                            rec_of(aid).get("source") or "")
                               for aid in final_ids)
        phase("stories")
        relink = []
        for aid in final_ids:
            if aid in new_recs:
                continue
            old = existing[aid][1]
            ents = ents_of[aid]
            if ents != old.get("entities") or groups[aid] != old.get("story"):
                relink.append(aid)

        summary.added, summary.updated = len(added), len(updated)
        summary.unchanged, summary.removed = len(unchanged), len(removed)
        summary.relinked = len(relink)
        summary.articles = len(final_ids)

        if not (added or updated or removed or relink or full):
            ix_folder = Path(ix.storage.folder)
            gen = ix.latest_generation()
            if not (ix_folder / resolver_name(gen)).exists():
                write_json(ix_folder / resolver_name(gen), resolver.to_json())
            summary.seconds = time.monotonic() - t0
            write_meta(ix_folder, summary)
            return summary

        # 6. write: postings are computed on the pool while the writer adds earlier ones
        from whoosh.writing import CLEAR
        w = ix.writer(**WRITER_OPTIONS)
        _cache_lengths(w)
        _lean_pool(w)
        try:
            if not full:
                for aid in updated + removed + relink:
                    w.delete_by_term("id", aid)
            todo = [new_recs[aid] for aid in ((added + updated) if not full else final_ids)]
            todo += [dict(existing[aid][1]) for aid in relink]
            existing.clear()
            chosen.clear()
            new_recs.clear()
            for rec, (title, body) in zip(todo, prepared(pool, todo, w.schema)):
                doc = document(rec, ents_of[rec["id"]], groups[rec["id"]])
                if isinstance(title, Prepared):
                    doc["title"], doc["_stored_title"] = title, doc["title"]
                    doc["body"], doc["_stored_body"] = body, doc["body"]
                w.add_document(**doc)
            folder = Path(ix.storage.folder)
            write_json(folder / resolver_name(w.generation), resolver.to_json())
            phase("add")
        except BaseException:
            _abandon(w)
            raise
    try:
        if full:
            w.commit(mergetype=CLEAR)
        else:
            w.commit()
    except BaseException:
        _abandon(w)       # e.g. disk full: the writer's lock must not outlive the failure
        raise
    phase("commit")
    try:
        with ix.searcher() as s:
            docarrays.save_for(folder, s.reader().generation(), s)
    except Exception:  # noqa: BLE001 -- e.g. disk full: readers build the arrays themselves
        pass
    phase("arrays")
    prune_resolvers(folder, keep=ix.latest_generation())
    summary.seconds = time.monotonic() - t0
    write_meta(folder, summary)
    return summary


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
    """Wall seconds of each reindex phase since the previous mark."""

    def __init__(self, out: dict):
        self.out, self.t = out, time.monotonic()

    def __call__(self, name):
        now = time.monotonic()
        self.out[name] = round(now - self.t, 3)
        self.t = now


class _Lengths:
    """Per-document field lengths, read once per field into a list.

    At commit Whoosh asks the segment's length column for every posting it
    writes (1.7 M calls at 19k articles, each a column-file read); reading the
    whole column once per field gives the same answers for a fraction of the time.
    """

    def __init__(self, pdr):
        self._pdr = pdr
        self._cols = {}

    def doc_field_length(self, docnum, fieldname, default=0):
        col = self._cols.get(fieldname)
        if col is None:
            from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
            from whoosh.util.numeric import byte_to_length
            reader = self._pdr._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if reader is None:
                col = self._cols[fieldname] = ()
            else:
                col = self._cols[fieldname] = [byte_to_length(b) if b else None for b in reader]
        if not col:
            return default
        return col[docnum]

    def __getattr__(self, name):
        return getattr(self._pdr, name)


def _lean_pool(w) -> None:
    """Swap the writer's posting pool for :class:`_LeanPool` (same storage,
    same spilling; ``add`` is called once per posting, 1.7 M times at 19k)."""
    from whoosh.writing import PostingPool
    pool = getattr(w, "pool", None)
    if type(pool) is PostingPool:
        pool.__class__ = _LeanPool


def _make_lean_pool():
    from whoosh.writing import PostingPool

    class LeanPool(PostingPool):
        """Whoosh's PostingPool without the per-posting type assertions; the
        size estimate (which decides when a sorted run spills to disk) is the
        same formula, folded into one expression."""

        def add(self, item):
            self.currentsize += 150 + len(item[0]) + 2 * len(item[1]) + len(item[4] or b"")
            if self.currentsize > self.limit:
                self.save()
            self.current.append(item)

    return LeanPool


def _cache_lengths(w) -> None:
    """Give a Whoosh SegmentWriter the cached lengths of :class:`_Lengths` at commit."""
    make = getattr(w, "per_document_reader", None)
    if make is None or not hasattr(w, "_flush_segment"):
        return

    def per_document_reader():
        pdr = make()
        return _Lengths(pdr) if hasattr(pdr, "_cached_reader") else pdr
    w.per_document_reader = per_document_reader


_LeanPool = _make_lean_pool()


def resolver_name(gen) -> str:
    return f"resolver-{int(gen)}.json"


def write_json(path: Path, data) -> None:
    """Atomic write: a reader never sees half a file."""
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    os.replace(tmp, path)


def write_meta(folder: Path, summary: ReindexSummary) -> None:
    meta = summary.to_dict()
    meta["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    meta["skipped"] = len(summary.skipped)
    try:
        write_json(folder / "last-reindex.json", meta)
    except OSError:
        pass


def prune_resolvers(folder: Path, keep) -> None:
    """Drop resolver files of generations older than the previous one."""
    generations.prune(folder, "resolver", "json", keep)
