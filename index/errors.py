"""The index's exceptions: one class per failure a user can act on.

The CLI turns each into a single clear line and a non-zero exit; the web app
into a readable page (a damaged or missing index is a 503).  A malformed
*query* is a :class:`index.QueryError` (a ``ValueError``, defined with the
parser in :mod:`index.query`): the user's to fix, not the operator's.
"""
from __future__ import annotations

from archive import SourceError

#: What to run when the index must be built again from its sources.
REBUILD = "newsarchive reindex --full"


class IndexError_(Exception):
    """Base class: something is wrong with the index itself (not the query)."""


class IndexLocked(IndexError_):
    """Another process holds the write lock."""

    def __init__(self, path=None):
        super().__init__("index is being written by another process"
                         + (f" ({path})" if path else ""))


class IndexUnreadable(IndexError_):
    """The index folder exists but cannot be opened as an index."""


class IndexMissing(IndexUnreadable):
    """No index at the path a reader asked for (readers never create one)."""

    def __init__(self, path):
        self.path = path
        super().__init__(f"no index at {path} (run newsarchive reindex)")


class IndexDamaged(IndexUnreadable):
    """The index's files are truncated or corrupt: rebuild it from the sources.

    ``problem`` is the low-level failure in a few words (``EOFError: Ran out of
    input``), kept on one line.
    """

    def __init__(self, path, problem: str):
        self.path, self.problem = path, " ".join(str(problem).split())[:160]
        super().__init__(f"the index at {path} is damaged ({self.problem}); "
                         f"rebuild it with: {REBUILD}")


class SourceNotFound(IndexError_, SourceError):
    """A source named for reindexing does not exist.  It is also the loader's
    :class:`archive.SourceError`, so one ``except`` catches a missing source
    wherever it was found."""
