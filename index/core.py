"""The :class:`Index`: one archive on disk, searched and written through here.

Reading is lock-free and concurrent: each thread keeps its own Whoosh
searcher (Whoosh readers hold file positions and are not safe to share),
checks at most every :data:`REFRESH_SECONDS` whether a newer index
generation was committed, and refreshes itself if so -- a running web app
sees a reindex without a restart.  What a thread reads through is one
:class:`~index.snapshot.Snapshot`: the searcher, the per-document arrays
(with the term cache and lexicons) and the entity resolver of the same
generation; the arrays, the resolver and the entity id table are built once
per generation by the index's :class:`~index.snapshot.Snapshots` registry
and shared between threads.

A search never walks Whoosh's matcher tree one posting at a time where numpy
can do it (see ``query.matched_docs`` / ``query.score_docs``): the exact
matched set comes from cached posting arrays, filters and facets are masks
and ``bincount`` over per-document arrays, and relevance is Whoosh's own
BM25F computed over the matched set as vectors.  Only the shown hits read
stored fields and get snippets.
"""
from __future__ import annotations

import functools
import json
import logging
import os
import pickle
import struct
import threading
import time
import zlib
from pathlib import Path
from typing import Optional

import numpy as np
from whoosh import index as windex
from whoosh.filedb.filestore import FileStorage

from archive.names import fold

from . import _whoosh, articles, facets as facetmod, limits
from . import entity_page
from . import expand as expandmod, generations, highlight, query as qmod, segfiles, suggest as suggestmod, writer
from .snapshot import Snapshots
from .errors import IndexDamaged, IndexError_, IndexLocked, IndexMissing, IndexUnreadable
from .locking import WriteLock, is_locked
from .results import ReindexSummary, SearchResult
from .schema import ENTITY_FIELDS, make_schema, sig_reader

log = logging.getLogger(__name__)

REFRESH_SECONDS = 0.5
SORTS = ("relevance", "date", "oldest")
SUGGEST_BELOW = 3          # offer did-you-mean when fewer hits than this

#: What reading a truncated or corrupt segment raises (Whoosh reads pickles,
#: structs and zlib blocks straight from the files; a short file is an
#: EOFError, a bad offset a struct.error or an mmap/OS error).
CORRUPT_ERRORS = (EOFError, struct.error, zlib.error, pickle.UnpicklingError)
READ_ERRORS = (OSError,) + CORRUPT_ERRORS


def default_index_dir() -> Path:
    """``$NEWSARCHIVE_INDEX``, else ``$XDG_DATA_HOME/newsarchive/index``
    (``~/.local/share/newsarchive/index``)."""
    env = os.environ.get("NEWSARCHIVE_INDEX")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "newsarchive" / "index"


def open_index(path=None, create: bool = True) -> "Index":
    """Open the index at ``path`` (default :func:`default_index_dir`), creating it if missing.

    Readers pass ``create=False``: a path that holds no index then raises
    :class:`IndexMissing` and nothing is written (a typo in ``--index`` must
    not leave an empty index behind that answers "no articles found").
    """
    return Index(path if path is not None else default_index_dir(), create=create)


def _has_index(path: Path) -> bool:
    """Whether ``path`` holds an index (a TOC file), readable or not."""
    try:
        return path.is_dir() and _whoosh.latest_generation(FileStorage(str(path))) > -1
    except Exception:  # noqa: BLE001 -- an unreadable folder holds no index we can use
        return False


def _problem(e: BaseException) -> str:
    """``EOFError: Ran out of input`` -- a low-level failure in a few words."""
    text = str(e).strip()
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


def _reads(method):
    """A method that reads the index: a truncated or corrupt file becomes
    :class:`IndexDamaged` (one line naming the index) instead of a traceback."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except READ_ERRORS as e:
            raise IndexDamaged(self.path, _problem(e)) from None
    return wrapper


class Index:
    def __init__(self, path, create: bool = True):
        self.path = Path(path)
        if not create:
            if not _has_index(self.path):
                raise IndexMissing(self.path)
        else:
            try:
                self.path.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise IndexUnreadable(f"cannot create index folder {self.path}: "
                                      f"{e.strerror}") from None
        try:
            self._ix = self._open_or_create()
        except IndexDamaged:
            # opened anyway: every read then says the index is damaged (the web
            # answers 503, the CLI one line) and ``reindex --full`` rebuilds it
            self._ix = None
        self._parser = qmod.make_parser(self._ix.schema if self._ix is not None
                                        else make_schema())
        self._local = threading.local()
        self._snapshots = Snapshots(self.path)

    # -- opening ---------------------------------------------------------------

    def _open_or_create(self):
        try:
            if windex.exists_in(str(self.path)):
                return segfiles.open_dir(self.path)
        except Exception as e:  # noqa: BLE001 -- a truncated TOC, a foreign file
            raise IndexDamaged(self.path, _problem(e)) from None
        try:
            with WriteLock(self.path):
                if not windex.exists_in(str(self.path)):
                    return segfiles.create_in(self.path, make_schema())
        except OSError as e:    # disk full, read-only: one clear line, not a traceback
            raise IndexUnreadable(f"cannot create an index in {self.path}: "
                                  f"{e.strerror or e}") from None
        except IndexLocked:
            # someone else is creating/writing it; wait for their first commit
            for _ in range(100):
                time.sleep(0.05)
                if windex.exists_in(str(self.path)):
                    break
        try:
            return segfiles.open_dir(self.path)
        except Exception as e:  # noqa: BLE001
            raise IndexUnreadable(f"cannot read the index at {self.path}: {e}") from None

    def _open_searcher(self):
        """A new Whoosh searcher; :class:`IndexDamaged` when the segments cannot be read.

        One retry with the index reopened: a commit may have replaced the
        generation whose files this handle knew.
        """
        try:
            if self._ix is not None:
                return self._ix.searcher()
        except Exception:  # noqa: BLE001
            pass
        try:
            self._ix = segfiles.open_dir(self.path)
            return self._ix.searcher()
        except Exception as e:  # noqa: BLE001 -- anything a short or corrupt file raises
            raise IndexDamaged(self.path, _problem(e)) from None

    # -- searcher state per thread --------------------------------------------

    def _state(self):
        """The :class:`~index.snapshot.Snapshot` (searcher, arrays, resolver of one
        generation) for this thread, refreshed when the index changed."""
        tl = self._local
        now = time.monotonic()
        s = getattr(tl, "searcher", None)
        if s is None:
            s = tl.searcher = self._open_searcher()
            tl.checked = now
        elif now - tl.checked >= REFRESH_SECONDS:
            tl.checked = now
            try:
                if not s.up_to_date():
                    # a new searcher, not s.refresh(): whoosh-reloaded's refresh reuses
                    # segment readers by segment id with their OLD deletions and keeps
                    # segments the new generation dropped (updated articles twice,
                    # everything twice after --full)
                    old, s = s, self._ix.searcher()
                    tl.searcher = s
                    old.close()
            except Exception:  # noqa: BLE001 -- a half-written generation: keep the old one
                log.debug("refresh failed", exc_info=True)
        try:
            return self._snapshots.snapshot(s)
        except READ_ERRORS as e:
            self._reset()
            raise IndexDamaged(self.path, _problem(e)) from None

    def _reset(self):
        s = getattr(self._local, "searcher", None)
        self._local.searcher = None
        if s is not None:
            try:
                s.close()
            except Exception:  # noqa: BLE001
                pass

    # -- writing ---------------------------------------------------------------

    def reindex(self, sources, full: bool = False, progress=None) -> ReindexSummary:
        """Bring the index up to date with ``sources`` (see :mod:`index.writer`)."""
        with WriteLock(self.path):
            damage = self._damage()
            if damage and not full:
                raise IndexDamaged(self.path, damage)
            if damage:
                self._ix = self._recreate()
            try:
                try:
                    return writer.run(self._ix, sources, full=full, progress=progress)
                except CORRUPT_ERRORS as e:
                    # a bad block deeper in the files (stored fields, postings)
                    if not full or damage:
                        raise IndexDamaged(self.path, _problem(e)) from None
                    self._ix = self._recreate()
                    return writer.run(self._ix, sources, full=full, progress=progress)
            except OSError as e:
                raise IndexError_(f"reindex failed, previous index kept: {e.strerror or e}"
                                  f"{' (' + e.filename + ')' if getattr(e, 'filename', None) else ''}") from None
            finally:
                self._local.checked = 0.0

    def _damage(self):
        """None when the index opens and its segments can be read, else the problem."""
        try:
            self._ix = segfiles.open_dir(self.path)
            with self._ix.searcher() as s:
                s.reader().doc_count_all()
            return None
        except Exception as e:  # noqa: BLE001
            return _problem(e)

    def _recreate(self):
        """An empty index in place of a damaged one (``reindex --full``; the
        caller holds the write lock).

        Its first generation comes after the damaged one's, so nothing keyed
        by generation (cached arrays, side files) can be mistaken for the new
        index's; the old side files are derived data and are removed.
        """
        storage = FileStorage(str(self.path))
        old = _whoosh.latest_generation(storage)
        generations.remove_all(self.path)
        _whoosh.write_empty_toc(make_schema(), max(old, 0) + 1, storage)
        log.warning("index at %s was damaged; rebuilding it from scratch", self.path)
        return segfiles.open_dir(self.path)

    # -- searching -------------------------------------------------------------

    def entity_evidence(self, name: str) -> list[dict]:
        """Why the entity ``name`` (any alias) has its names: one dict per form with
        ``form``, ``canonical``, ``rule``, ``article`` (id or None), ``sentence`` (or
        None) and ``curated`` (``{"file", "entry"}`` or None).  [] for an unknown name."""
        name = qmod.clean_text(name)
        if not name:
            return []
        try:
            return self._state().resolver.evidence(name)
        except Exception:  # noqa: BLE001 -- an older resolver file without evidence
            return []

    def resolve_entity(self, name: str):
        """(canonical, type) for any surface form, or None."""
        name = qmod.clean_text(name)
        if not name:
            return None
        return self._state().resolve(name)

    def search(self, query: str = "", entities=(), since=None, until=None,
               sort: str = "relevance", page=1, per_page=10, source=None,
               collapse: bool = True, exclude=(), suggest: bool = True, author=None,
               exclude_sources=(), exclude_authors=()) -> SearchResult:
        """Search.

        A malformed query or filter raises :class:`index.QueryError` (a
        ``ValueError``) whose message says what to fix; an index whose files
        cannot be read raises :class:`index.IndexDamaged`.

        With ``collapse`` (the default) a page shows one hit per story group
        (the best-ranked version; the others are in its ``same_story``);
        ``collapse=False`` gives one hit per article (CSV export).
        ``exclude`` names entities the articles must not mention (any alias);
        ``sort="oldest"`` is date order, oldest first.
        ``source`` and ``author`` keep the articles of that source / by that
        author (exact name, case- and accent-insensitive: the facet values);
        ``exclude_sources`` and ``exclude_authors`` leave theirs out.
        ``suggest=False`` skips did-you-mean (feeds and exports show none).
        """
        text = qmod.clean_text(query)
        res = SearchResult(query=text, sort=sort if sort in SORTS else "relevance")
        res.page, res.per_page = _int(page, 1, 1, limits.LIMITS.page, "page"), \
            _int(per_page, 10, 1, limits.LIMITS.per_page, "per_page")
        if sort not in (None, "", *SORTS):
            raise qmod.QueryError("sort must be 'relevance', 'date' or 'oldest'")
        for attempt in (1, 2):
            try:
                self._search(res, text, entities, since, until, bool(collapse),
                             exclude, bool(suggest),
                             _NameFilters(source, author, exclude_sources, exclude_authors))
                break
            except READ_ERRORS as e:
                # files of an old generation vanished under us: reopen once;
                # failing again, the files themselves are bad
                self._reset()
                if attempt == 2:
                    raise IndexDamaged(self.path, _problem(e)) from None
                res.total, res.stories, res.hits, res.suggestion = 0, 0, [], None
        return res

    def _search(self, res, text, entities, since, until, collapse=True, exclude=(),
                suggest=True, names=None):
        since_o = qmod.parse_date(since)
        until_o = qmod.parse_date(until, end=True)
        if since_o and until_o and since_o > until_o:
            raise qmod.QueryError("'since' is after 'until'")
        snap = self._state()
        s, arrays = snap.searcher, snap.arrays
        q = qmod.parse(self._parser, text, snap.resolve, snap.resolve_curated)
        q, exp = expandmod.expand(q, s.reader(), arrays.lexicons)

        # 1. matched docnums (exact, unscored)
        ranked_all = None      # every match in rank order, when one Whoosh pass gives it
        scores = {}
        if q is None:
            matched = np.flatnonzero(arrays.alive)
        elif qmod.set_computable(q):
            matched = qmod.matched_docs(q, s, arrays.alive, arrays.term_cache, exp)
        else:
            # phrases, fuzzy terms: their matcher is the cost, so run it once,
            # scored, and take both the exact set and the ranking from it
            results = s.search(q, limit=None, terms=False)
            ranked_all = np.fromiter((d for _, d in results.top_n), dtype=np.int64,
                                     count=len(results.top_n))
            scores = {d: sc for sc, d in results.top_n}
            matched = np.sort(ranked_all[arrays.alive[ranked_all]])
        filtered = False
        # 2. filters as masks
        if isinstance(entities, str):
            entities = [entities]
        for name in entities or ():
            name = qmod.clean_text(name)
            if not name:
                continue
            key = qmod.entity_key(name, snap.resolve)
            ids = qmod.term_ids(s, "entity", key, arrays.term_cache)
            matched = np.intersect1d(matched, ids, assume_unique=True)
            filtered = True
        if isinstance(exclude, str):
            exclude = [exclude]
        for name in exclude or ():
            name = qmod.clean_text(name)
            if name:
                key = qmod.entity_key(name, snap.resolve)
                ids = qmod.term_ids(s, "entity", key, arrays.term_cache)
                matched = np.setdiff1d(matched, ids, assume_unique=True)
                filtered = True
        if since_o or until_o:
            matched = arrays.within_days(matched, since_o, until_o)
            filtered = True
        if names:
            matched = names.apply(matched, arrays)
            filtered = True
        matched.sort()
        res.total = int(matched.size)
        res.stories = _entries(matched, arrays)
        res.entries = res.stories if collapse else res.total
        res.facets = facetmod.compute(arrays, matched)

        # 3. order, collapse story groups, slice the page
        want_groups = res.page * res.per_page
        if q is None or res.sort in ("date", "oldest"):
            day = arrays.day[matched]
            # undated last either way
            key = np.where(day > 0, day, np.iinfo(np.int32).max) if res.sort == "oldest" \
                else np.where(day > 0, -day, 1)
            order = np.lexsort((matched, key))
            ranked = matched[order]
            shown = _collapse(ranked.tolist(), arrays, want_groups, collapse)
        elif ranked_all is not None:
            ranked = ranked_all[np.isin(ranked_all, matched)] if filtered else ranked_all
            shown = _collapse(ranked.tolist(), arrays, want_groups, collapse)
        elif qmod.scorable_fast(q, s):
            sc = qmod.score_docs(q, s, matched, lambda f: arrays.lengths(s, f), arrays.term_cache,
                                 arrays.alive, exp)
            shown, scores = _top_collapsed(matched, sc, arrays, want_groups, collapse)
        else:
            limit = max(want_groups * 2, 20)
            fset = set(matched.tolist()) if filtered else None
            shown = []          # an empty filter set would mean "no filter" to Whoosh
            while res.total:
                results = s.search(q, limit=min(limit, max(res.total, 1)), filter=fset,
                                   terms=False)
                ranked = [h.docnum for h in results]
                scores = {h.docnum: h.score for h in results}
                shown = _collapse(ranked, arrays, want_groups, collapse)
                if len(shown) >= want_groups or len(ranked) >= res.total:
                    break
                limit *= 4
        page_docs = shown[(res.page - 1) * res.per_page: res.page * res.per_page]

        terms = _highlight_terms(q, s, exp)
        for docnum in page_docs:
            f = s.stored_fields(docnum)
            members = [m for m in arrays.story_members(docnum).tolist()
                       if m != docnum][:limits.LIMITS.same_story]
            versions = articles.newest_first(articles.brief(s.stored_fields(m)) for m in members)
            res.hits.append(articles.hit(f, highlight.snippet(f.get("body") or "", terms),
                                         scores.get(docnum), versions))
        if suggest and q is not None and res.total < SUGGEST_BELOW:
            res.suggestion = self._suggest(s, arrays, text, res.total)

    def _suggest(self, s, arrays, text, total):
        try:
            lexicon = expandmod.lexicon(arrays.lexicons, s.reader(), "body")
            alt = suggestmod.suggest(s, text, lexicon)
            if not alt or alt == text:
                return None
            q = qmod.parse(self._parser, alt)
            if q is None:
                return None
            q, exp = expandmod.expand(q, s.reader(), arrays.lexicons)
            n = int(qmod.matched_docs(q, s, arrays.alive, arrays.term_cache, exp).size) \
                if qmod.set_computable(q) else sum(1 for _ in s.docs_for_query(q))
            return alt if n > total else None
        except Exception:  # noqa: BLE001 -- a suggestion is a nicety
            return None

    # -- single articles ---------------------------------------------------------

    def _docnum(self, s, doc_id):
        doc_id = qmod.clean_text(doc_id)
        if not doc_id:
            return None
        try:
            return s.document_number(id=doc_id)
        except Exception:  # noqa: BLE001
            return None

    @_reads
    def get(self, doc_id: str) -> Optional[dict]:
        """The full stored article, or None."""
        snap = self._state()
        s, arrays = snap.searcher, snap.arrays
        docnum = self._docnum(s, doc_id)
        if docnum is None:
            return None
        f = s.stored_fields(docnum)
        forms = _forms_by_entity(f.get("mentions"), snap.resolve)
        same = sorted(s.stored_fields(m)["id"]
                      for m in arrays.story_members(docnum).tolist() if m != docnum)
        return articles.full(f, forms, same)

    def history(self, doc_id: str) -> list[dict]:
        """The article's page history: its older versions (superseded by a newer
        scrape or file), newest first, each ``{path, title, text, time}``."""
        s = self._state().searcher
        docnum = self._docnum(s, doc_id)
        if docnum is None:
            return []
        return [{"path": h.get("path"), "title": h.get("title") or "",
                 "text": h.get("text") or "", "time": h.get("time")}
                for h in (s.stored_fields(docnum).get("history") or [])]

    @_reads
    def same_story(self, doc_id: str) -> list[dict]:
        """Other versions of the same story (other outlets, reposts)."""
        snap = self._state()
        s, arrays = snap.searcher, snap.arrays
        docnum = self._docnum(s, doc_id)
        if docnum is None:
            return []
        members = arrays.story_members(docnum).tolist()
        if docnum not in members:
            members.append(docnum)
        fields = {m: s.stored_fields(m) for m in members}
        sig_of = sig_reader(s.reader())
        relation = _relations((f, sig_of(m)) for m, f in fields.items())
        out = []
        for m, f in fields.items():
            if m == docnum:
                continue
            d = articles.brief(f)
            d["relation"] = relation.get(f["id"], "report")
            out.append(d)
        return articles.newest_first(out)

    def more_like_this(self, doc_id: str, n: int = 5) -> list[dict]:
        """Articles with similar key terms (other versions of the same story excluded;
        see :meth:`same_story`)."""
        snap = self._state()
        s, arrays = snap.searcher, snap.arrays
        docnum = self._docnum(s, doc_id)
        if docnum is None:
            return []
        skip = set(arrays.story_members(docnum).tolist()) | {docnum}
        try:
            results = s.more_like(docnum, "body", top=n + len(skip) + 2, numterms=12)
        except Exception:  # noqa: BLE001
            return []
        out = []
        for h in results:
            if h.docnum in skip:
                continue
            out.append(articles.brief(h.fields(), h.score))
            if len(out) >= n:
                break
        return out

    # -- entities -----------------------------------------------------------------

    def entity(self, name: str, since=None, until=None) -> Optional[dict]:
        """The entity page of ``name`` (an entity id or any of its names), or
        None if the archive knows no such entity (see :mod:`index.entity_page`)."""
        snap = self._state()
        return entity_page.build(self, snap.searcher, snap.arrays, snap.resolver,
                                 snap.entity_ids, name, since=since, until=until)

    def entity_summary(self, name: str) -> Optional[dict]:
        """Id, canonical name, type, display form, names and article count of
        the entity ``name`` names, or None."""
        snap = self._state()
        return entity_page.summary(snap.resolver, snap.entity_ids, snap.searcher, snap.arrays,
                                   name)

    # -- about the index ---------------------------------------------------------

    @_reads
    def stats(self) -> dict:
        snap = self._state()
        s, arrays = snap.searcher, snap.arrays
        alive = np.flatnonzero(arrays.alive)
        days = arrays.day[alive]
        dated = days[days > 0]
        import datetime as dt
        size = 0
        for p in self.path.iterdir():
            try:
                size += p.stat().st_size
            except OSError:
                pass
        try:
            last = json.loads((self.path / "last-reindex.json").read_text("utf-8"))
        except (OSError, ValueError):
            last = None
        sources = facetmod.compute(arrays, alive, top_n=10_000)["source"]
        return {
            "index": str(self.path),
            "articles": int(alive.size),
            "entities": {t: int(np.count_nonzero(arrays.entities[t].count(arrays.alive, 0)))
                         for t in ENTITY_FIELDS},
            "sources": sources,
            "story_groups": int(len(set(arrays.story[alive].tolist()))) if alive.size else 0,
            "date_range": ({"first": dt.date.fromordinal(int(dated.min())).isoformat(),
                            "last": dt.date.fromordinal(int(dated.max())).isoformat()}
                           if dated.size else None),
            "undated": int((days == 0).sum()),
            "index_size_bytes": size,
            "generation": s.reader().generation(),
            "last_reindex": last,
            "writing": is_locked(self.path),
        }

    def close(self):
        self._reset()


# -- helpers ---------------------------------------------------------------------

def _int(value, default, lo, hi, name):
    if value is None or value == "":
        return default
    try:
        v = int(value)
    except (TypeError, ValueError, OverflowError):     # None-like, "x", nan, inf
        raise qmod.QueryError(f"{name} must be a whole number") from None
    if v < lo:
        raise qmod.QueryError(f"{name} must be at least {lo}")
    return min(v, hi)


class _NameFilters:
    """The source and author filters and exclusions of a search: exact facet
    values compared folded (``Jo Smith`` = ``jo smith``)."""

    def __init__(self, source, author, exclude_sources, exclude_authors):
        self.sources, self.authors = _folded(source), _folded(author)
        self.not_sources = _folded(exclude_sources)
        self.not_authors = _folded(exclude_authors)

    def __bool__(self):
        return bool(self.sources or self.authors or self.not_sources or self.not_authors)

    def apply(self, matched: np.ndarray, arrays) -> np.ndarray:
        if self.sources:
            ids = _name_ids(arrays.source_names, self.sources)
            matched = matched[np.isin(arrays.source[matched], ids)]
        if self.not_sources:
            ids = _name_ids(arrays.source_names, self.not_sources)
            matched = matched[~np.isin(arrays.source[matched], ids)]
        au = arrays.authors
        if self.authors:
            matched = matched[au.docs_with(_name_ids(au.names, self.authors))[matched]]
        if self.not_authors:
            matched = matched[~au.docs_with(_name_ids(au.names, self.not_authors))[matched]]
        return matched


def _name_ids(names, folded: set) -> list[int]:
    """Positions of the facet values in ``names`` that fold to one of ``folded``."""
    return [i for i, n in enumerate(names) if fold(n) in folded]


def _folded(names) -> set:
    if isinstance(names, str):
        names = [names]
    return {fold(c) for c in (qmod.clean_text(n) for n in names or ()) if c}


def _forms_by_entity(mentions, resolve) -> dict:
    """canonical name -> the surface forms this article uses for it, longest
    first ("Khawaja Asif" for "Khawaja Muhammad Asif", "TTP" and "FaK" for
    "Tehreek-e-Taliban Pakistan"), from the article's stored mentions."""
    out: dict = {}
    surfaces = (mentions or {}).get("forms") if isinstance(mentions, dict) else None
    for surface in surfaces or ():
        if not isinstance(surface, str) or not surface.strip():
            continue
        hit = resolve(surface)
        if hit:
            out.setdefault(hit[0], set()).add(surface)
    return {name: sorted(forms, key=lambda f: (-len(f), f)) for name, forms in out.items()}


def _top_collapsed(docs, sc, arrays, want, collapse=True):
    """The first ``want`` story groups of ``docs`` ranked by score desc, docnum
    asc (Whoosh's order), and the scores of the docs shown."""
    k = max(want * 4, 50)
    while True:
        if docs.size > k:
            kth = np.partition(sc, docs.size - k)[docs.size - k]     # k-th best score
            part = np.flatnonzero(sc >= kth)                          # ties at the cut kept
            part = part[np.lexsort((docs[part], -sc[part]))]
        else:
            part = np.lexsort((docs, -sc))
        shown = _collapse(docs[part].tolist(), arrays, want, collapse)
        if len(shown) >= want or part.size >= docs.size:
            break
        k *= 4
    where = dict(zip(docs[part].tolist(), sc[part].tolist()))
    return shown, {d: where[d] for d in shown}


def _entries(matched, arrays) -> int:
    """Entries a collapsed result list has: distinct story groups among the
    matches, plus the matches in no group."""
    g = arrays.story[matched]
    grouped = g[g >= 0]
    return int(np.unique(grouped).size + (g.size - grouped.size))


def _collapse(ranked, arrays, want, collapse=True) -> list:
    """First doc of each story group, in rank order, up to ``want`` entries
    (every doc when not ``collapse``)."""
    if not collapse:
        return list(ranked[:want])
    seen, out = set(), []
    story = arrays.story
    for d in ranked:
        g = int(story[d])
        key = ("g", g) if g >= 0 else ("d", d)
        if key in seen:
            continue
        seen.add(key)
        out.append(d)
        if len(out) >= want:
            break
    return out


def _highlight_terms(q, s, exp=None) -> set:
    """Index terms (stems) the query looks for in title/body, expansions included."""
    if q is None:
        return set()
    from whoosh import query as wq
    out = set()
    reader = s.reader()
    for leaf in qmod.leaves(q, skip_not=True):
        if getattr(leaf, "fieldname", None) not in ("title", "body"):
            continue
        try:
            if isinstance(leaf, wq.MultiTerm):
                texts = qmod.expansions(leaf, reader, exp)
            elif isinstance(leaf, wq.Phrase):
                texts = leaf.words
            else:
                texts = [leaf.text]
            for t in texts:
                out.add(t.decode("utf-8") if isinstance(t, bytes) else t)
        except Exception:  # noqa: BLE001
            continue
    return out


def _relations(versions) -> dict:
    """How each version of a group relates to its earliest one: ``earliest``,
    ``copy`` (most of the text verbatim) or ``report`` (own words), from their
    ``(stored fields, signature)`` (see :func:`archive.stories.label`)."""
    from archive import stories
    items = [stories.Item(f["id"], sig, tuple(e[0] for e in f.get("entities") or ()),
                          f.get("source") or "") for f, sig in versions]
    if len(items) < 2:
        return {}
    return {v.id: v.relation for v in stories.label(items)}

