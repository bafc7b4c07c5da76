"""The side files saved per index generation, and the one registry of them.

Whoosh commits a new generation atomically; what we derive from it is saved
beside it under the generation's number, so a reader always pairs the TOC it
opened with the side files of the same generation:

- written by the writer *before* the TOC that publishes the generation
  (flushed, so a crash leaves an index whose side files match it, or none):
  the manifest of source files, the alias resolver, the mention pool and the
  story state;
- written *after* the commit, derived from the committed index (a reader
  builds them itself if they are missing): the per-document arrays.

:data:`KINDS` is the one table of them.  Pruning, clearing what a killed
writer left, and removing everything of a damaged index go through it, so a
new side file is one line here and no caller keeps its own list.  The current
and the previous generation are kept: a searcher opened just before a commit
may still ask for the old one.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator


@dataclass(frozen=True)
class SideFile:
    """One kind of side file: ``<prefix>-<gen>.<ext>``."""
    prefix: str
    ext: str
    before_commit: bool      # written before the TOC (so files past the TOC are uncommitted)

    def name(self, gen) -> str:
        return f"{self.prefix}-{int(gen)}.{self.ext}"

    def path(self, folder, gen) -> Path:
        return Path(folder) / self.name(gen)


MANIFEST = SideFile("manifest", "json", True)
RESOLVER = SideFile("resolver", "json", True)
MENTIONS = SideFile("mentions", "pickle", True)
STORIES = SideFile("stories", "pickle", True)
DOCARRAYS = SideFile("docarrays", "npz", False)
KINDS = (MANIFEST, RESOLVER, MENTIONS, STORIES, DOCARRAYS)
#: per segment, not per generation (``index.segpostings``): removed with the
#: rest, and half-written ones cleared, here; pruned by the writer
SEGMENT_POSTINGS = ("segpostings", "npz")


def saved(folder: Path, prefix: str, ext: str) -> Iterator[tuple[int, Path]]:
    """``(generation, path)`` of every ``<prefix>-<gen>.<ext>`` file in ``folder``."""
    for p in Path(folder).glob(f"{prefix}-*.{ext}"):
        try:
            yield int(p.stem.split("-")[1]), p
        except (IndexError, ValueError):
            continue


def prune(folder: Path, prefix: str, ext: str, keep) -> None:
    """Delete the files of generations older than the one before ``keep``."""
    for gen, p in saved(folder, prefix, ext):
        if gen < int(keep) - 1:
            _unlink(p)


def prune_all(folder, keep) -> None:
    """:func:`prune` every kind of side file."""
    for kind in KINDS:
        prune(folder, kind.prefix, kind.ext, keep)


def clear_uncommitted(folder, gen) -> None:
    """Remove what a writer killed before its commit left (the caller holds
    the write lock): half-written files of every kind, and the before-commit
    files of generations after ``gen``, the last committed one."""
    folder = Path(folder)
    for kind in KINDS:
        for p in folder.glob(f"{kind.prefix}-*.{kind.ext}.tmp*"):
            _unlink(p)
        if kind.before_commit:
            for g, p in saved(folder, kind.prefix, kind.ext):
                if gen is None or g > gen:
                    _unlink(p)
    for p in folder.glob(f"{SEGMENT_POSTINGS[0]}-*.{SEGMENT_POSTINGS[1]}.tmp*"):
        _unlink(p)


def remove_all(folder) -> None:
    """Remove every side file (a damaged index rebuilt from scratch: they are
    derived data, and the new index starts at a later generation)."""
    for kind in KINDS:
        for _, p in saved(folder, kind.prefix, kind.ext):
            _unlink(p)
    for p in Path(folder).glob(f"{SEGMENT_POSTINGS[0]}-*.{SEGMENT_POSTINGS[1]}"):
        _unlink(p)


def _unlink(p) -> None:
    try:
        p.unlink()
    except OSError:
        pass
