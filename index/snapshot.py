"""What one index generation is read through.

A search needs, for the generation its searcher opened, the Whoosh searcher,
the per-document arrays (:mod:`index.docarrays`, which carry the term cache
and the fuzzy-word lexicons) and the archive's entity resolver.  They must
belong to the same generation -- an entity filter resolved by a newer
resolver than the postings it filters would miss articles -- so they travel
together as one :class:`Snapshot`, made by ``Index._state`` and refreshed as a
whole when the index changes.

The resolver is loaded on first use (most searches name no entity, and
parsing its JSON is a large part of the first search after a start), and a
resolver that cannot answer (an older file) means "no entity", never an error.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional


@dataclass
class Snapshot:
    searcher: Any
    arrays: Any
    generation: int
    load_resolver: Callable[[int], Any] = field(repr=False)
    _resolver: Optional[Any] = field(default=None, repr=False)

    @property
    def resolver(self):
        if self._resolver is None:
            self._resolver = self.load_resolver(self.generation)
        return self._resolver

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
