"""index: the archive's Whoosh index -- written by ``reindex``, read by search.

The second stage of ``corpus/ -> archive -> index -> web``.  Embedding::

    import index
    ix = index.open_index("path/to/index")     # creates it if missing (create=False: never)
    ix.reindex(["corpus/"])                     # incremental; returns a summary
    r = ix.search("ceasefire", entities=["TTP"], since="2025-10", sort="date")
    r.total, r.hits, r.facets, r.suggestion, r.to_dict()
"""
from .core import Index, default_index_dir, open_index
from .limits import LIMITS, QueryLimits
from .errors import (IndexDamaged, IndexError_, IndexLocked, IndexMissing, IndexUnreadable,
                     SourceNotFound)
from .query import QueryError, parse_date
from .results import Hit, ReindexSummary, SearchResult

__all__ = ["Index", "open_index", "default_index_dir", "SearchResult", "Hit",
           "ReindexSummary", "QueryLimits", "LIMITS", "IndexError_", "IndexLocked", "IndexUnreadable",
           "IndexMissing", "IndexDamaged", "SourceNotFound", "QueryError", "parse_date"]
