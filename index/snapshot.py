"""What one index generation is read through, and the one registry that keeps them.

A search needs, for the generation its searcher opened, the Whoosh searcher,
the per-document arrays (:mod:`index.docarrays`, which carry the term cache
and the fuzzy-word lexicons), the archive's entity resolver and the entity id
table built from it.  They must belong to the same generation -- an entity
filter resolved by a newer resolver than the postings it filters would miss
articles -- so they travel together as one :class:`Snapshot`.

Searchers are per thread (Whoosh readers hold file positions); everything
else is read-only and shared, so it lives once per generation in a
:class:`Generation`, which :class:`Snapshots` (one per ``Index``) builds on
first use and drops when two newer generations exist, as
``generations.prune`` does for the side files.  Building takes a lock, so a
burst of first requests from the web server's threads builds the arrays once.

The resolver is loaded on first use (most searches name no entity, and
parsing its JSON is a large part of the first search after a start) or by a
background thread when the generation first appears; a resolver that cannot
answer (an older file) means "no entity", never an error.
"""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import archive

from . import docarrays, entity_page, generations

log = logging.getLogger(__name__)


def load_resolver(folder, gen: int):
    """The resolver saved for generation ``gen`` (or the newest one before it:
    a file that fails to parse falls back), else an empty one."""
    candidates = [(g, p) for g, p in generations.saved(Path(folder), generations.RESOLVER.prefix,
                                                       generations.RESOLVER.ext)
                  if g <= gen]
    for _, p in sorted(candidates, reverse=True):
        try:
            return archive.Resolver.from_json(json.loads(p.read_text("utf-8")))
        except Exception:  # noqa: BLE001 -- a damaged or older file: try the one before
            continue
    return archive.build_resolver([], None)


class Generation:
    """The shared, read-only parts of one index generation, each built once.

    Arrays and resolver have their own locks: a search waiting for the arrays
    must not wait for a resolver being parsed in the background too."""

    def __init__(self, folder: Path, number: int):
        self.folder, self.number = folder, number
        self._arrays = None
        self._resolver = None
        self._ids = None
        self._arrays_lock = threading.Lock()
        self._resolver_lock = threading.Lock()

    def arrays(self, searcher):
        """The doc arrays, loaded (or built) with the first searcher that asks."""
        got = self._arrays
        if got is None:
            with self._arrays_lock:
                if self._arrays is None:
                    self._arrays = docarrays.load_or_build(self.folder, self.number, searcher)
                got = self._arrays
        return got

    @property
    def resolver(self):
        got = self._resolver
        if got is None:
            with self._resolver_lock:
                if self._resolver is None:
                    self._resolver = load_resolver(self.folder, self.number)
                got = self._resolver
        return got

    @property
    def entity_ids(self) -> tuple[dict, dict]:
        """The resolver's :func:`entity_page.id_table` (entity id <-> canonical name)."""
        got = self._ids
        if got is None:
            resolver = self.resolver
            with self._resolver_lock:
                if self._ids is None:
                    self._ids = entity_page.id_table(resolver.entities)
                got = self._ids
        return got

    def warm(self) -> None:
        """Load the resolver and its id table (the preload thread)."""
        try:
            self.entity_ids
        except Exception:  # noqa: BLE001 -- the lazy path will try again
            log.debug("resolver preload failed", exc_info=True)


class Snapshots:
    """One index's registry of :class:`Generation` objects, by generation number.

    Holds the newest generation and the one before it (a thread mid-refresh
    may still read the older); asking for an even older one builds it without
    keeping it."""

    def __init__(self, folder, preload: bool = True):
        self.folder = Path(folder)
        self.preload = preload
        self._parts: dict[int, Generation] = {}
        self._lock = threading.Lock()

    def generation(self, number: Optional[int]) -> Generation:
        number = -1 if number is None else int(number)
        with self._lock:
            got = self._parts.get(number)
            if got is not None:
                return got
            got = Generation(self.folder, number)
            newest = max(number, max(self._parts, default=number))
            kept = number >= newest - 1
            if kept:
                self._parts[number] = got
                for old in [g for g in self._parts if g < newest - 1]:
                    del self._parts[old]
        if self.preload and kept:
            # off the request path: the first entity filter would otherwise wait
            # for the resolver's JSON to be parsed
            threading.Thread(target=got.warm, daemon=True, name="newsarchive-resolver").start()
        return got

    def snapshot(self, searcher) -> "Snapshot":
        """The snapshot of ``searcher``'s generation (read errors propagate)."""
        part = self.generation(searcher.reader().generation())
        return Snapshot(searcher, part.arrays(searcher), part.number, part)

    def numbers(self) -> list[int]:
        """The generations held, oldest first."""
        with self._lock:
            return sorted(self._parts)


@dataclass
class Snapshot:
    searcher: Any
    arrays: Any
    generation: int
    part: Generation = field(repr=False)

    @property
    def resolver(self):
        return self.part.resolver

    @property
    def entity_ids(self) -> tuple[dict, dict]:
        return self.part.entity_ids

    @property
    def term_cache(self) -> dict:
        return self.arrays.term_cache

    @property
    def lexicons(self) -> dict:
        return self.arrays.lexicons

    def resolve(self, name: str):
        """``(canonical, type)`` of any surface form, or None."""
        try:
            return self.resolver.resolve(name)
        except Exception:  # noqa: BLE001 -- an older resolver file
            return None

    def resolve_curated(self, name: str):
        """Like :meth:`resolve`, by the names listed in aliases.toml only
        (plain search words widen only by those)."""
        try:
            return self.resolver.resolve_curated(name)
        except Exception:  # noqa: BLE001
            return None
