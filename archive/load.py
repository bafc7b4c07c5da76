"""TEMPORARY STUB (the loader issue replaces this file): reads .txt only."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator, Union

from .article import Article, Skipped


class SourceError(Exception):
    """A named source (file or folder) does not exist or cannot be read at all."""


def load_file(path, root=None) -> list[Union[Article, Skipped]]:
    path = Path(path)
    root = Path(root) if root else path.parent
    rel = path.relative_to(root).as_posix() if root in path.parents else path.name
    try:
        text = path.read_text("utf-8")
    except Exception as e:  # noqa: BLE001
        return [Skipped(str(path), f"unreadable: {e}")]
    lines = [l for l in text.splitlines() if l.strip()]
    if not lines:
        return [Skipped(str(path), "empty file")]
    return [Article(id=rel, path=str(path), title=lines[0][:120], body="\n\n".join(lines[1:]),
                    mtime=os.path.getmtime(path))]


def load_paths(paths: Iterable) -> Iterator[Union[Article, Skipped]]:
    for p in paths:
        p = Path(p)
        if not p.exists():
            raise SourceError(f"no such source: {p}")
        if p.is_dir():
            for f in sorted(p.rglob("*.txt")):
                yield from load_file(f, p)
        else:
            yield from load_file(p, p.parent)
