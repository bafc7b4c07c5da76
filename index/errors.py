"""The index's exceptions: one class per failure a user can act on.

The CLI turns each into a single clear line and a non-zero exit; the web app
into a readable page.  Bad *queries* are never exceptions -- they come back as
``SearchResult.error`` -- because a typo is not a failure.
"""
from __future__ import annotations


class IndexError_(Exception):
    """Base class: something is wrong with the index itself (not the query)."""


class IndexLocked(IndexError_):
    """Another process holds the write lock."""

    def __init__(self, path=None):
        super().__init__("index is being written by another process"
                         + (f" ({path})" if path else ""))


class IndexUnreadable(IndexError_):
    """The index folder exists but cannot be opened as an index."""


class SourceNotFound(IndexError_):
    """A source named for reindexing does not exist."""
