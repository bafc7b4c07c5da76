"""Side files saved per index generation (``resolver-<gen>.json``,
``docarrays-<gen>.npz``).

Whoosh commits a new generation atomically; what we derive from it (the
corpus-wide resolver, the per-document arrays) is saved beside it under the
generation's number, so a reader always pairs the TOC it opened with the side
files of the same generation.  The current and the previous generation are
kept: a searcher opened just before a commit may still ask for the old one.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator


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
            try:
                p.unlink()
            except OSError:
                pass
