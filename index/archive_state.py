"""The archive-wide passes' state, saved per index generation.

A reindex that changes a few articles must not redo the passes that look at
every article: the alias resolver's input (:class:`archive.mention_pool.MentionPool`,
every article's mentions summed by form) and the story groups
(:class:`archive.stories.StoryState`).  Both are saved beside the generation
they describe, ``mentions-<gen>.pickle`` and ``stories-<gen>.pickle`` (see
:mod:`index.generations`), written and flushed before Whoosh publishes the
generation -- like the manifest -- so a crash at any moment leaves an index
whose side files match it, or none (then the writer rebuilds them from the
stored fields once, as every reindex used to).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from archive import stories
from archive.mention_pool import MentionPool

from . import generations

POOL, STORIES = generations.MENTIONS, generations.STORIES


def load(folder, gen) -> Optional[tuple[MentionPool, stories.StoryState]]:
    """The saved (pool, story state) of generation ``gen``, or None.  Read
    from the files as they are parsed: the bytes are never held whole."""
    if gen is None or gen < 0:
        return None
    try:
        with open(POOL.path(folder, gen), "rb") as fh:
            pool = MentionPool.read(fh)
        with open(STORIES.path(folder, gen), "rb") as fh:
            state = stories.read_state(fh)
    except OSError:
        return None
    if pool is None or state is None:
        return None
    return pool, state


def _write(path: Path, write) -> None:
    """``write(fh)`` into a temp file, flushed to disk, then renamed onto ``path``."""
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    with open(tmp, "wb") as fh:
        write(fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def save_pool(folder, gen, pool: MentionPool) -> None:
    """The pool's file of generation ``gen`` (atomic, flushed to disk), saved
    before the caller commits that generation.  The writer saves it, and lets
    the pool go, before the story pass, which needs only the resolver."""
    _write(POOL.path(Path(folder), gen), pool.write)


def save_stories(folder, gen, state: stories.StoryState) -> None:
    """The story state's file of generation ``gen``, likewise."""
    _write(STORIES.path(Path(folder), gen), lambda fh: stories.write_state(state, fh))


def _unlink(p) -> None:
    try:
        p.unlink()
    except OSError:
        pass
