"""Walking sources and loading files: the loader's front door.

- :func:`iter_files` lists the candidate files under the named sources, each
  with the source folder it belongs to (ids are paths relative to it).
- :func:`load_file` turns one file into articles -- one for ``.txt``,
  ``.html`` and ``.json``, many for ``.jsonl`` -- or ``Skipped`` records.
- :func:`load_paths` is both together, for callers that want a stream.

The promise is that *bad input never stops a load and nothing is lost
silently*.  Every problem with a file (unreadable, binary, empty, too large,
malformed, no article inside) becomes a :class:`~archive.article.Skipped` with
a one-line reason; only a source the user named that does not exist raises
:class:`SourceError`, because that is a mistake in the command, not the data.

Folder walks pick up the known extensions only and pass over everything else
quietly (images, ``aliases.toml``, READMEs are normal neighbours of articles);
a file the user names explicitly is always reported on, so an unsupported
type named on the command line gets a Skipped rather than silence.  Hidden
files and folders are passed over.  Symlinked folders are followed once
(loops are cut); a symlink that loops or dangles is reported as such.

Size: ``.txt``/``.html``/``.json`` files over
:data:`archive.decode.MAX_FILE_BYTES` are skipped with their size in the
reason (a single article is never that large; it is a dump or a mistake, and
parsing it would stall a reindex).  ``.jsonl`` is streamed line by line, so a
large export loads whatever its size.

Both functions are top level and work on plain paths, so the indexer can farm
:func:`load_file` out to a process pool.
"""
from __future__ import annotations

import dataclasses
import errno
import os
import re
import stat
from pathlib import Path
from typing import Iterable, Iterator, Union

from .article import Article, Skipped
from .decode import MAX_FILE_BYTES, DecodeError, decode

#: Extensions the loader reads, and the format each names.
FORMATS = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html",
           ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}


class SourceError(Exception):
    """A named source (file or folder) does not exist or cannot be read at all."""


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _walk(root: Path) -> Iterator[Path]:
    """Files under ``root``, sorted, following symlinked folders once each."""
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        try:
            st = os.stat(dirpath)
        except OSError:
            dirnames[:] = []
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:  # a symlink loop or a second link to the same folder
            dirnames[:] = []
            continue
        seen.add(key)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(".") and Path(name).suffix.lower() in FORMATS:
                yield Path(dirpath) / name


def iter_files(paths: Iterable) -> Iterator[tuple[Path, Path]]:
    """``(file, root)`` for every candidate file under ``paths``.

    Raises :class:`SourceError` for a named source that does not exist
    (checked before anything is yielded).
    """
    sources = [Path(p) for p in ([paths] if isinstance(paths, (str, os.PathLike)) else paths)]
    for p in sources:
        if not os.path.lexists(p):
            raise SourceError(f"no such source: {p}")
    for p in sources:
        if p.is_dir():
            for f in _walk(p):
                yield f, p
        else:
            yield p, p.parent


def _read_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a regular file, or None."""
    try:
        st = os.stat(path)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "symlink loop"
        if e.errno == errno.ENOENT and os.path.islink(path):
            return "broken symlink (target missing)"
        return f"unreadable: {e.strerror or e}"
    if stat.S_ISDIR(st.st_mode):
        return "not a regular file (a directory)"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file (a pipe, socket or device)"
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _fs_text(name: str) -> str:
    """A file name's undecodable bytes (surrogate escapes) as ``%XX``: Whoosh,
    JSON and terminals all refuse lone surrogates, and ids stay distinct."""
    return _SURROGATE.sub(lambda m: "%%%02X" % (ord(m.group()) & 0xFF), name)


def _valid_text(rec):
    """Replace lone surrogates (a JSON ``"\\ud800"`` escape) in every text field
    with U+FFFD, so one odd record cannot crash the indexer or the CLI."""
    for f in dataclasses.fields(rec):
        v = getattr(rec, f.name)
        if isinstance(v, str) and _SURROGATE.search(v):
            setattr(rec, f.name, _SURROGATE.sub("\ufffd", v))
        elif isinstance(v, list):
            for item in v:
                if dataclasses.is_dataclass(item):
                    _valid_text(item)
    return rec


def load_file(path, root=None) -> list[Union[Article, Skipped]]:
    """Load one file (see :func:`_load_file`); all text in the records is valid Unicode."""
    return [_valid_text(r) for r in _load_file(path, root)]


def _load_file(path, root=None) -> list[Union[Article, Skipped]]:
    """Load one file; never raises for bad input.

    ``root`` is the source folder the file was found under (ids are relative
    to it); it defaults to the file's own folder.
    """
    path = Path(path)
    root = Path(root) if root is not None else path.parent
    spath, rel = _fs_text(str(path)), _fs_text(_rel(path, root))
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        return [Skipped(spath, f"unsupported file type {path.suffix or '(no extension)'!r}")]
    problem = _read_problem(path)
    if problem:
        return [Skipped(spath, problem)]
    try:
        size, mtime = path.stat().st_size, path.stat().st_mtime
        if fmt == "jsonl":
            from .json_format import iter_jsonl

            with open(path, "rb") as fh:
                out = list(iter_jsonl(fh, path=spath, rel_path=rel, mtime=mtime))
            return out or [Skipped(spath, "empty file")]
        if size > MAX_FILE_BYTES:
            return [Skipped(spath, f"too large for one article: {size / 2**20:.1f} MB "
                                   f"(limit {MAX_FILE_BYTES // 2**20} MB; use .jsonl for big exports)")]
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        return [Skipped(spath, f"unreadable: {e.strerror or e}")]
    try:
        text, _encoding = decode(data, is_html=(fmt == "html"))
    except DecodeError as e:
        return [Skipped(spath, str(e))]
    try:
        if fmt == "txt":
            from .text_format import parse_text

            return [parse_text(text, path=spath, rel_path=rel, mtime=mtime)]
        if fmt == "html":
            from .html_format import parse_html

            return [parse_html(text, path=spath, rel_path=rel, mtime=mtime)]
        from .json_format import parse_json

        return parse_json(text, path=spath, rel_path=rel, mtime=mtime)
    except RecursionError:
        return [Skipped(spath, "too deeply nested to parse")]
    except Exception as e:  # noqa: BLE001 -- a parser bug must not stop a reindex
        return [Skipped(spath, f"could not parse ({type(e).__name__}: {str(e)[:120]})")]


def load_paths(paths: Iterable) -> Iterator[Union[Article, Skipped]]:
    """Every article (and Skipped) under ``paths``: files and folders, recursively."""
    for f, root in iter_files(paths):
        yield from load_file(f, root)
