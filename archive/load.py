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

Identity (see :mod:`archive.identity`): a path id is the source folder's
name plus the path inside it, so ids do not depend on the working directory
and two sources never share one unless their folders share a name (the index
resolves that clash by giving the indexer an explicit ``prefix``).

Symlinks are followed only when they resolve inside their source folder; a
link to anywhere else (``/etc/passwd``) is skipped with a reason, never read.

Both functions are top level and work on plain paths, so the indexer can farm
:func:`load_file` out to a process pool; :func:`load_line` loads one JSONL
line, so one big export can be spread over both cores too.
"""
from __future__ import annotations

import dataclasses
import errno
import os
import re
import stat
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from . import identity
from .article import Article, Skipped
from .decode import MAX_FILE_BYTES, MAX_RECORD_BYTES, DecodeError, decode

#: Extensions the loader reads, and the format each names.
FORMATS = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html",
           ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}


class SourceError(Exception):
    """A named source (file or folder) does not exist or cannot be read at all."""


def missing_source(paths) -> Optional[Path]:
    """The first of ``paths`` that does not exist, or None: the one existence
    check of the project (the loader, the writer and the CLI all use it).  A
    symlink counts as existing even when it leads nowhere: it is then skipped
    with a reason, not reported as a missing source."""
    for p in ([paths] if isinstance(paths, (str, os.PathLike)) else paths):
        if not os.path.lexists(p):
            return Path(p)
    return None


def check_sources(paths) -> None:
    """Raise :class:`SourceError` ("no such source: X") for the first missing source."""
    missing = missing_source(paths)
    if missing is not None:
        raise SourceError(f"no such source: {missing}")


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _inside(path: Path, root: Path) -> bool:
    """Does ``path`` (links followed) resolve inside the folder ``root``?"""
    try:
        rp = Path(os.path.realpath(path))
    except (OSError, ValueError):
        return False
    return rp == root or root in rp.parents


def _walk(root: Path) -> Iterator[Union[Path, Skipped]]:
    """Files under ``root``, sorted, following symlinked folders once each;
    a symlink (file or folder) resolving outside ``root`` is a Skipped."""
    real_root = Path(os.path.realpath(root))
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
        keep = []
        for d in sorted(d for d in dirnames if not d.startswith(".")):
            full = Path(dirpath) / d
            if os.path.islink(full) and os.path.exists(full) and not _inside(full, real_root):
                yield Skipped(_fs_text(str(full)), "symlink to a folder outside the source "
                                                   "folder (not followed)")
                continue
            keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            if not name.startswith(".") and Path(name).suffix.lower() in FORMATS:
                yield Path(dirpath) / name


def walk(paths: Iterable) -> Iterator[Union[tuple[Path, Path], Skipped]]:
    """``(file, root)`` for every candidate file under ``paths``, and a
    Skipped for each symlinked folder that leads outside its source.

    Roots are made absolute (the working directory does not leak into
    stored paths).  Raises :class:`SourceError` for a named source that does
    not exist (checked before anything is yielded).
    """
    sources = [Path(p) for p in ([paths] if isinstance(paths, (str, os.PathLike)) else paths)]
    check_sources(sources)
    for p in sources:
        p = Path(os.path.abspath(p))
        if p.is_dir():
            for f in _walk(p):
                yield f if isinstance(f, Skipped) else (f, p)
        else:
            yield p, p.parent


def iter_files(paths: Iterable) -> Iterator[tuple[Path, Path]]:
    """``(file, root)`` for every candidate file under ``paths`` (see :func:`walk`)."""
    for item in walk(paths):
        if not isinstance(item, Skipped):
            yield item


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
        # (an ASCII field, nearly every one, holds none: no regex pass over it)
        if isinstance(v, str) and not v.isascii() and _SURROGATE.search(v):
            setattr(rec, f.name, _SURROGATE.sub("\ufffd", v))
        elif isinstance(v, list):
            for item in v:
                if dataclasses.is_dataclass(item):
                    _valid_text(item)
    return rec


def base_id(path, root=None, prefix=None) -> str:
    """The path id of a file: ``prefix`` (default: the source folder's name)
    and the path inside the source folder."""
    path = Path(path)
    root = Path(root) if root is not None else path.parent
    prefix = prefix or identity.source_name(os.path.abspath(root))
    return f"{prefix}/{_fs_text(_rel(path, root))}"


def outside_problem(path, root) -> str | None:
    """Why a file must not be read for the source folder ``root``, or None:
    a symlink resolving outside it."""
    path, root = Path(path), Path(root)
    if os.path.islink(path) and os.path.exists(path):
        if not _inside(path, Path(os.path.realpath(root))):
            return "symlink to a file outside the source folder (not followed)"
    return None


def load_file(path, root=None, prefix=None) -> list[Union[Article, Skipped]]:
    """Load one file (see :func:`_load_file`); all text in the records is
    valid Unicode and every id follows :func:`archive.identity.resolve`."""
    rel = base_id(path, root, prefix)
    out = [_valid_text(r) for r in _load_file(path, root, rel)]
    many = len(out) > 1
    for k, r in enumerate(out, 1):
        if isinstance(r, Article):
            path_id = f"{rel}#{k}" if many else rel
            if r.id == f"{rel}#{k}" or r.id.startswith(rel + "#L"):
                path_id = r.id
            identity.resolve(r, path_id)
    return out


def load_line(raw: bytes, n: int, path, rel: str, mtime: float) -> Union[Article, Skipped]:
    """One JSONL line (``n`` counts from 1) as an article, or Skipped.

    ``rel`` is the file's path id (:func:`base_id`); the record's path id is
    ``rel#L<n>``.  The indexer sends lines, not files, to its workers.
    """
    from .json_format import record_to_article

    spath = _fs_text(str(path))
    where = f"{spath}#L{n}"
    if len(raw) > MAX_RECORD_BYTES:
        return Skipped(where, f"line too long ({len(raw) / 2**20:.1f} MB)")
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            line, _enc = decode(raw)
        except DecodeError as e:
            return Skipped(where, str(e))
    import json
    try:
        record = json.loads(line)
    except RecursionError:
        return Skipped(where, "too deeply nested to parse")
    except ValueError as e:
        return Skipped(where, f"invalid JSON: {e}")
    path_id = f"{rel}#L{n}"
    try:
        rec = record_to_article(record, path=spath, rel_path=path_id, mtime=mtime, fmt="jsonl",
                                where=where)
    except RecursionError:
        return Skipped(where, "too deeply nested to parse")
    except Exception as e:  # noqa: BLE001 -- one odd record must not lose the rest
        return Skipped(where, f"could not parse ({type(e).__name__}: {str(e)[:120]})")
    if isinstance(rec, Article):
        _valid_text(rec)
        identity.resolve(rec, path_id)
    return rec


def iter_lines(fh) -> Iterator[tuple[int, bytes]]:
    """``(line number, raw line)`` of a binary JSONL stream, blank lines left out."""
    for n, raw in enumerate(fh, 1):
        if raw.strip():
            yield n, raw


def _load_file(path, root=None, rel=None) -> list[Union[Article, Skipped]]:
    """Load one file; never raises for bad input.

    ``root`` is the source folder the file was found under (ids are relative
    to it); it defaults to the file's own folder.  ``rel`` is the file's
    path id (:func:`base_id`).
    """
    path = Path(path)
    root = Path(root) if root is not None else path.parent
    rel = rel or base_id(path, root)
    spath = _fs_text(str(path))
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        return [Skipped(spath, f"unsupported file type {path.suffix or '(no extension)'!r}")]
    problem = _read_problem(path) or outside_problem(path, root)
    if problem:
        return [Skipped(spath, problem)]
    try:
        size, mtime = path.stat().st_size, path.stat().st_mtime
        if fmt == "jsonl":
            with open(path, "rb") as fh:
                out = [load_line(raw, n, path, rel, mtime) for n, raw in iter_lines(fh)]
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
    for item in walk(paths):
        if isinstance(item, Skipped):
            yield item
        else:
            yield from load_file(*item)
