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

POOL, STORIES, EXT = "mentions", "stories", "pickle"


def _name(prefix: str, gen) -> str:
    return f"{prefix}-{int(gen)}.{EXT}"


def load(folder, gen) -> Optional[tuple[MentionPool, stories.StoryState]]:
    """The saved (pool, story state) of generation ``gen``, or None."""
    if gen is None or gen < 0:
        return None
    try:
        pool = MentionPool.loads((Path(folder) / _name(POOL, gen)).read_bytes())
        state = stories.load_state((Path(folder) / _name(STORIES, gen)).read_bytes())
    except OSError:
        return None
    if pool is None or state is None:
        return None
    return pool, state


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def save(folder, gen, pool: MentionPool, state: stories.StoryState) -> None:
    """Write both files of generation ``gen`` (atomic each, flushed to disk)
    before the caller commits that generation."""
    folder = Path(folder)
    _write(folder / _name(POOL, gen), pool.dumps())
    _write(folder / _name(STORIES, gen), stories.dump_state(state))


def prune(folder, keep) -> None:
    for prefix in (POOL, STORIES):
        generations.prune(folder, prefix, EXT, keep)


def clear_uncommitted(folder, gen) -> None:
    """Remove half-written files and the files of generations after ``gen``
    (a writer killed before its commit left them)."""
    folder = Path(folder)
    for prefix in (POOL, STORIES):
        for p in folder.glob(f"{prefix}-*.{EXT}.tmp*"):
            _unlink(p)
        for g, p in generations.saved(folder, prefix, EXT):
            if gen is None or g > gen:
                _unlink(p)


def _unlink(p) -> None:
    try:
        p.unlink()
    except OSError:
        pass
