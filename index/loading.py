"""Loading for a reindex: the work that runs on the pool's workers.

Records, not files, are the unit of parallel work: a task is either a batch
of small files (``.txt``/``.html``/``.json``) or a chunk of JSONL *lines*
that the parent has already read and found changed (see ``writer``), so one
big export keeps both cores busy.  Tasks are handed out through a bounded
window (:func:`run_tasks`) -- ``Pool.imap`` would read the whole input ahead
and hold it -- and each result is a list of compact records (plain dicts)
that the parent spools to disk at once: nothing holds the archive's bodies.

Each record carries everything the writer needs: the stored fields, the
title/body postings (``schema.index_items``, computed here so the single
writer process only adds them), the entity mentions and the story signature.

**Time budget.**  Every file (and every JSONL line) gets
:data:`FILE_BUDGET` seconds of loading; one that takes longer -- a
pathological file that makes some text pass crawl -- becomes a Skipped with
the reason instead of stalling the run.  The budget is a ``SIGALRM`` timer,
so it works in the pool's workers and in the main thread; loading in-process
from another thread runs without one.
"""
from __future__ import annotations

import collections
import hashlib
import os
import pickle
import signal
import struct
import threading
from pathlib import Path

import archive
from archive import Skipped, identity, stories
from archive.load import base_id, load_file, load_line

from .schema import index_items, make_schema

FILE_BUDGET = float(os.environ.get("NEWSARCHIVE_FILE_BUDGET", "60"))
_FIELDS = make_schema()


class _OverBudget(Exception):
    pass


def _alarm(signum, frame):
    raise _OverBudget()


def with_budget(seconds, fn, *args):
    """``fn(*args)``, or raise :class:`_OverBudget` after ``seconds``."""
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread():
        return fn(*args)
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _over(seconds) -> str:
    return f"took longer than the {seconds:g} s loading budget per file (skipped)"


def line_hash(raw: bytes) -> str:
    return hashlib.sha1(raw.rstrip(b"\r\n")).hexdigest()[:20]


def file_sha(path) -> str:
    h = hashlib.sha1()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def record(a, kind: str, line: int, h: str) -> dict:
    """The compact record of an article: :meth:`archive.Article.to_record`
    (its stored fields and version time) plus what the workers compute for
    the writer -- mentions, signature, title/body postings -- and where it
    came from (``_kind``, ``_line``, ``_h``)."""
    try:
        mentions = archive.extract_mentions(a)
    except Exception as e:  # noqa: BLE001 -- an extractor bug must not stop a reindex
        mentions = {"error": f"{type(e).__name__}: {e}"}
    try:
        sig = stories.signature(a.body or "", published=a.published, title=a.title)
    except Exception:  # noqa: BLE001
        sig = None
    return {
        **a.to_record(),
        "sig": sig, "mentions": mentions, "_kind": kind, "_line": line, "_h": h,
        "_pt": index_items(_FIELDS["title"], a.title or ""),
        "_pb": index_items(_FIELDS["body"], a.body or ""),
    }


def _file_records(path, root, prefix):
    out = []
    recs = load_file(path, root, prefix)
    many = len(recs) > 1
    for k, r in enumerate(recs, 1):
        if isinstance(r, Skipped):
            out.append(r)
            continue
        line = k if many else 0
        kind = _kind(r, base_id(path, root, prefix))
        out.append(record(r, kind, line, ""))
    return out


def _kind(a, rel: str) -> str:
    if a.id == rel or a.id.startswith(rel + "#"):
        return identity.PATH
    if a.url and a.id == identity.link_safe(identity.squeeze(a.url) or ""):
        return identity.URL
    return identity.RECORD


def load_files(batch, budget=None):
    """Worker: ``[(path, root, prefix, old_sha)]`` -> one result per file:
    ``{"path", "sha", "same", "items"}``; ``same`` when the raw bytes hash as
    before (a touched file: not parsed).  Never raises."""
    budget = FILE_BUDGET if budget is None else budget
    out = []
    for path, root, prefix, old_sha in batch:
        res = {"path": path, "sha": None, "same": False, "items": []}
        try:
            res["sha"] = file_sha(path)
        except OSError as e:
            res["items"] = [Skipped(path, f"unreadable: {e.strerror or e}")]
            out.append(res)
            continue
        if old_sha and res["sha"] == old_sha:
            res["same"] = True
            out.append(res)
            continue
        try:
            res["items"] = with_budget(budget, _file_records, path, root, prefix)
        except _OverBudget:
            res["items"] = [Skipped(path, _over(budget))]
        except Exception as e:  # noqa: BLE001 -- a loader bug must not stop a reindex
            res["items"] = [Skipped(path, f"could not be loaded: {type(e).__name__}: {e}")]
        out.append(res)
    return out


def _line_record(raw, n, path, rel, mtime, h):
    a = load_line(raw, n, path, rel, mtime)
    if isinstance(a, Skipped):
        return a
    return record(a, _kind(a, rel), n, h)


def load_lines(task, budget=None):
    """Worker: ``(path, rel, mtime, [(n, raw, hash)])`` -> records and Skipped,
    in line order, each line within the budget.  Never raises."""
    budget = FILE_BUDGET if budget is None else budget
    path, rel, mtime, lines = task
    out = []
    for n, raw, h in lines:
        try:
            out.append(with_budget(budget, _line_record, raw, n, path, rel, mtime, h))
        except _OverBudget:
            out.append(Skipped(f"{path}#L{n}", _over(budget)))
        except Exception as e:  # noqa: BLE001
            out.append(Skipped(f"{path}#L{n}", f"could not be loaded: {type(e).__name__}: {e}"))
    return out


def work(task):
    """Pool entry point: ``("files", batch, budget)`` or ``("lines", task, budget)``.

    In a pool worker started with :func:`spool_to`, each loaded record goes
    to the worker's own spool file and the parent gets its :func:`brief`
    instead: the parent then neither unpickles a record's body, mentions and
    postings from the pipe nor pickles them again into its spool (a tenth
    of the load phase's CPU, taken from the workers' cores)."""
    kind, payload, budget = task
    if kind == "files":
        out = load_files(payload, budget)
        if _spool_dir is not None:
            for res in out:
                res["items"] = [_spooled(it) for it in res["items"]]
        return out
    out = load_lines(payload, budget)
    return [_spooled(it) for it in out] if _spool_dir is not None else out


#: the loader's built tables, kept in the index folder between reindexes
TABLES_FILE = ".loader-tables.pickle"

#: this worker's spool: ``[path, binary file]`` (see :func:`spool_to`)
_spool = None
_spool_dir = None

#: the keys of a record the parent plans with (``brief``)
BRIEF_KEYS = ("id", "_kind", "url", "vtime", "mtime", "_line", "_h", "content_hash")


def spool_to(folder) -> None:
    """Pool initializer: this worker writes its records to
    ``folder/.spool-<pid>.tmp`` (opened on first use; removed by the writer,
    or as a killed run's leftover by the next one)."""
    global _spool_dir
    _spool_dir = str(folder)
    try:      # the loader's tables, read back instead of built (see archive.gazetteer)
        from archive import gazetteer
        gazetteer.warm_tables(os.path.join(_spool_dir, TABLES_FILE))
    except Exception:  # noqa: BLE001 -- a cache: never a reason to fail a reindex
        pass
    worker_gc()


def worker_gc() -> None:
    """Freeze what a pool worker holds once it is ready (this process only):
    what it inherited from the writer at the fork and the tables it just
    read stay for good, and ``gc.freeze`` takes them out of the collector,
    so the full collections a worker's records set off no longer walk them
    (each took 0.1-0.15 s; GC went from 4% of a worker's CPU on Reuters to
    under 2%).  Nothing is collected first: a collection would write to every inherited
    object and so copy the writer's pages into the worker.  A higher
    first-generation threshold gained nothing measurable on top of that, so
    the thresholds stay Python's."""
    import gc
    gc.freeze()


def _spooled(item):
    global _spool
    if isinstance(item, Skipped) or _spool_dir is None:
        return item
    if _spool is None:
        path = os.path.join(_spool_dir, f".spool-{os.getpid()}.tmp")
        _spool = [path, open(path, "ab")]
    path, fh = _spool
    off = fh.tell()
    spool_write(fh, item)
    fh.flush()            # the parent may read it as soon as the task is back
    return brief(item, (path, off))


#: what the archive-wide passes read of a record (mentions for the resolver,
#: signature and outlet for the story groups)
LIGHT_KEYS = ("mentions", "sig", "source")
#: the title's and body's prepared postings (:func:`index.schema.index_items`)
POSTING_KEYS = ("_pt", "_pb")
_PARTS = struct.Struct("<III")


def spool_write(fh, rec: dict) -> None:
    """A record as three pickles after their lengths: its
    :data:`LIGHT_KEYS`, the rest, then its :data:`POSTING_KEYS`.  The
    archive-wide passes read only the first (8 us a Reuters record, where the
    whole record -- body, postings -- takes 136 us to unpickle); the title
    and body postings can be read, or skipped, on their own
    (:mod:`index.prepool`)."""
    light = {k: rec[k] for k in LIGHT_KEYS if k in rec}
    post = {k: rec[k] for k in POSTING_KEYS if k in rec}
    rest = {k: v for k, v in rec.items() if k not in light and k not in post}
    parts = [pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL) for part in (light, rest, post)]
    fh.write(b"".join([_PARTS.pack(*map(len, parts)), *parts]))


def spool_read(fh, light: bool = False, postings: bool = True) -> dict:
    """The record :func:`spool_write` wrote where ``fh`` stands: only its
    light part, or all of it, with or without its postings."""
    n1, n2, n3 = _PARTS.unpack(fh.read(_PARTS.size))
    if light:
        return pickle.loads(fh.read(n1))
    data = memoryview(fh.read(n1 + n2 + (n3 if postings else 0)))
    rec = pickle.loads(data[:n1])
    rec.update(pickle.loads(data[n1:n1 + n2]))
    if postings:
        rec.update(pickle.loads(data[n1 + n2:]))
    return rec


def spool_postings(fh) -> dict:
    """Only the :data:`POSTING_KEYS` of the record :func:`spool_write` wrote
    where ``fh`` stands."""
    n1, n2, n3 = _PARTS.unpack(fh.read(_PARTS.size))
    fh.seek(n1 + n2, 1)
    return pickle.loads(fh.read(n3))


def brief(item: dict, where) -> dict:
    """What the parent keeps of a spooled record: its identity and version
    keys and where it is (``_spool``: path and offset)."""
    out = {k: item.get(k) for k in BRIEF_KEYS}
    out["_spool"] = where
    return out


def run_tasks(pool, tasks, window=8):
    """Yield ``(task, result)`` in order, with at most ``window`` tasks in
    flight (so the input is read only as fast as the workers consume it)."""
    if pool is None:
        for t in tasks:
            yield t, work(t)
        return
    pending = collections.deque()
    for t in tasks:
        pending.append((t, pool.apply_async(work, (t,))))
        if len(pending) >= window:
            t0, r = pending.popleft()
            yield t0, r.get()
    while pending:
        t0, r = pending.popleft()
        yield t0, r.get()


def jsonl_lines(path):
    """``(n, raw, hash)`` of each non-blank line of a JSONL file, and the
    file's sha1 at the end (as ``(None, None, sha)``)."""
    h = hashlib.sha1()
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, 1):
            h.update(raw)
            if raw.strip():
                yield n, raw, line_hash(raw)
    yield None, None, h.hexdigest()


def stat_key(path):
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns, st.st_mtime


def is_jsonl(path) -> bool:
    return Path(path).suffix.lower() in (".jsonl", ".ndjson")
