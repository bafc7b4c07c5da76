"""Reuters-21578 for the benchmarks: :mod:`archive.reuters` over the shared copy.

The reader lives in the project (``archive/reuters.py``); this module only
supplies where the collection is (``../shared`` or ``$NEWSARCHIVE_SHARED``),
so that ``bench/`` imports from the project and never the reverse.
"""
from __future__ import annotations

from typing import Iterator, Optional

from archive.reuters import repeated, write_jsonl  # noqa: F401  (re-exported)
from archive.reuters import iter_stories as _iter_stories
from bench.evalkit import SHARED, shared

REUTERS_DIR = SHARED / "data" / "reuters21578"


def iter_stories(limit: Optional[int] = None, with_body_only: bool = True,
                 reuters_dir=None) -> Iterator[dict]:
    """Stories of the shared Reuters-21578 copy (see :func:`archive.reuters.iter_stories`)."""
    folder = reuters_dir or shared("data", "reuters21578")
    return _iter_stories(folder, limit=limit, with_body_only=with_body_only)
