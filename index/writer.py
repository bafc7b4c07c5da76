"""Reindexing: load sources on both cores, diff against the index, write once.

A reindex is one pass:

1. take the write lock (``locking``): a second writer fails at once;
2. list candidate files and load them in a process pool -- each worker runs
   the loader, ``archive.extract_mentions`` and the story signature, the
   CPU-heavy parts -- while the main process only diffs and writes;
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

from . import stories
from .errors import SourceNotFound
from .results import ReindexSummary
from .schema import ENTITY_FIELDS, fold, keyword_value

LIMIT_MB = 256
PARALLEL_MIN_FILES = 2     # fewer candidate files than this: load in-process
PARALLEL_MIN_BYTES = 256 * 1024


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
    """Worker: load files, extract mentions and signatures.  Never raises."""
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
                sig = stories.signature(rec.body or "")
            except Exception:  # noqa: BLE001
                sig = None
            out.append((rec, mentions, sig))
    return out


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


def load_sources(sources, progress):
    """Yield loader outputs for every candidate file, using both cores when it pays."""
    files = list(_iter_files(sources))
    bar = _progress(progress, len(files))
    try:
        total_bytes = sum(os.path.getsize(f) for f, _ in files if os.path.isfile(f))
    except OSError:
        total_bytes = 0
    procs = min(os.cpu_count() or 1, 2)
    parallel = procs > 1 and len(files) >= PARALLEL_MIN_FILES and total_bytes >= PARALLEL_MIN_BYTES
    try:
        if not parallel:
            for f, root in files:
                yield from _load_batch([(str(f), str(root))])
                bar.update(1)
            return
        batches = _batches(files, procs * 8)
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(procs) as pool:
            for batch, out in zip(batches, pool.imap(_load_batch, batches)):
                yield from out
                bar.update(len(batch))
    finally:
        bar.close()


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
    roots = [s.resolve() for s in sources]
    summary = ReindexSummary(full=full)

    # 2. load
    chosen: dict[str, tuple] = {}
    for item in load_sources(sources, progress):
        if isinstance(item, Skipped):
            summary.skipped.append((item.path, item.reason))
            continue
        a = item[0]
        prev = chosen.get(a.id)
        if prev is None or (a.mtime, a.path) > (prev[0].mtime, prev[0].path):
            chosen[a.id] = item
    # 3. URL identity for records that carry their own id
    by_url = {}
    for aid, item in list(chosen.items()):
        url = item[0].url
        if not url:
            continue
        other = by_url.get(url)
        if other is None:
            by_url[url] = aid
            continue
        older, newer = sorted([other, aid], key=lambda i: (chosen[i][0].mtime, chosen[i][0].path))
        summary.skipped.append((chosen[older][0].path,
                                f"same URL as {chosen[newer][0].path} (the newer file wins)"))
        del chosen[older]
        by_url[url] = newer

    # 4. diff against the index
    existing = {}       # id -> (docnum, stored dict without body)
    with ix.searcher() as s:
        reader = s.reader()
        for docnum, fields in reader.iter_docs():
            existing[fields["id"]] = (docnum, fields)

        new_recs = {}
        added, updated, unchanged, removed = [], [], [], []
        for aid, (a, mentions, sig) in chosen.items():
            rec = record_from_article(a, mentions, sig)
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

        curated = curated_path(sources)
        resolver = archive.build_resolver((rec_of(i).get("mentions") or {} for i in final_ids),
                                          curated)
        groups = stories.group(final_ids, [rec_of(i).get("sig") for i in final_ids])
        relink = []
        for aid in final_ids:
            if aid in new_recs:
                continue
            old = existing[aid][1]
            ents = canonical(resolver, old.get("mentions"))
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

        # 6. write
        from whoosh.writing import CLEAR
        w = ix.writer(limitmb=LIMIT_MB)
        try:
            if not full:
                for aid in updated + removed + relink:
                    w.delete_by_term("id", aid)
            for aid in (added + updated) if not full else final_ids:
                rec = new_recs[aid]
                w.add_document(**document(rec, canonical(resolver, rec["mentions"]), groups[aid]))
            for aid in relink:
                rec = dict(reader.stored_fields(existing[aid][0]))
                w.add_document(**document(rec, canonical(resolver, rec.get("mentions")),
                                          groups[aid]))
            folder = Path(ix.storage.folder)
            write_json(folder / resolver_name(w.generation), resolver.to_json())
        except BaseException:
            w.cancel()
            raise
    if full:
        w.commit(mergetype=CLEAR)
    else:
        w.commit()
    prune_resolvers(folder, keep=ix.latest_generation())
    summary.seconds = time.monotonic() - t0
    write_meta(folder, summary)
    return summary


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
    for p in folder.glob("resolver-*.json"):
        try:
            gen = int(p.stem.split("-")[1])
        except (IndexError, ValueError):
            continue
        if gen < int(keep) - 1:
            try:
                p.unlink()
            except OSError:
                pass
