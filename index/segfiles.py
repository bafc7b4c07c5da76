"""Reading segment files without copying them into every searcher.

Whoosh opens each part of a segment (postings, term index, stored fields) as
a ``BufferFile`` over a memory-mapped slice.  whoosh-reloaded's
``BufferFile`` wraps that slice in ``BytesIO``, which *copies* it: every
searcher held a private copy of nearly the whole segment (about 90 MB at 19k
Reuters articles), and since every waitress thread keeps its own searcher,
``newsarchive serve`` sat at ~1.5 GB.  And each searcher mapped the segment
file on its own, so the kernel counted its pages once per mapping.

:class:`SharedMapStorage` is the seam Whoosh offers for this: a
``FileStorage`` whose ``open_file`` maps each segment file once per process
and hands out zero-copy views of that one map (:class:`ViewFile` gives the
sequential ``read``/``seek`` calls the file interface over the view).  Whoosh
reads a compound ``.seg`` through the file it gets from the storage, slicing
it with ``subset``, so compound and separate segment files are both shared:
compound files stay an ordinary writer option.  A map is unmapped when the
last view of it is gone, so a segment deleted by a later reindex frees its
disk space as before.

Only indexes opened through this storage (see :func:`open_dir`) read this
way; Whoosh's own classes are left as they are.
"""
from __future__ import annotations

import io
import mmap
import os
import threading
import weakref

from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex

from . import _whoosh

_maps: "weakref.WeakValueDictionary" = weakref.WeakValueDictionary()
_maps_lock = threading.Lock()


class ViewFile:
    """A read-only, seekable file over a buffer (memoryview, bytes, mmap) that
    never copies more than what one ``read`` returns."""

    __slots__ = ("_view", "_pos", "closed")

    def __init__(self, buf):
        view = memoryview(buf)          # our own view object: close() releases only it
        self._view = view if view.format == "B" and view.ndim == 1 else view.cast("B")
        self._pos = 0
        self.closed = False

    def __len__(self):
        return len(self._view)

    def read(self, n=-1) -> bytes:
        start = self._pos
        size = len(self._view)
        end = size if n is None or n < 0 else min(start + n, size)
        if end <= start:
            return b""
        self._pos = end
        return self._view[start:end].tobytes()

    def readline(self, limit=-1) -> bytes:
        size = len(self._view)
        end = size if limit is None or limit < 0 else min(self._pos + limit, size)
        out = bytearray()
        while self._pos < end:
            chunk = self._view[self._pos:min(self._pos + 4096, end)].tobytes()
            i = chunk.find(b"\n")
            if i >= 0:
                out += chunk[:i + 1]
                self._pos += i + 1
                break
            out += chunk
            self._pos += len(chunk)
        return bytes(out)

    def __iter__(self):
        while True:
            line = self.readline()
            if not line:
                return
            yield line

    def seek(self, pos, whence=io.SEEK_SET) -> int:
        if whence == io.SEEK_CUR:
            pos += self._pos
        elif whence == io.SEEK_END:
            pos += len(self._view)
        if pos < 0:
            raise ValueError("negative seek position")
        self._pos = pos
        return pos

    def tell(self) -> int:
        return self._pos

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def writable(self) -> bool:
        return False

    def write(self, _data):
        raise io.UnsupportedOperation("segment files are read-only")

    def flush(self):
        pass

    def close(self):
        # Release our view; the map under it goes when its last view does.
        if not self.closed:
            self.closed = True
            try:
                self._view.release()
            except (AttributeError, ValueError, BufferError):
                pass


def _shared_map(path: str):
    """The process-wide read-only map of the file at ``path``, or None when
    it cannot be mapped (an empty file, no memory for the map)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        # a rewritten file (same name, new inode or size) gets a map of its own
        key = (path, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        with _maps_lock:
            m = _maps.get(key)
            if m is None:
                if st.st_size == 0:
                    return None
                try:
                    m = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
                except (OSError, ValueError):
                    return None
                _maps[key] = m
            return m
    finally:
        os.close(fd)


def shared_maps() -> int:
    """How many files this process has mapped (tests, diagnostics)."""
    with _maps_lock:
        return len(_maps)


class SharedMapStorage(FileStorage):
    """A ``FileStorage`` whose segment files are read through one shared,
    zero-copy map per file (see the module docstring); writing is unchanged."""

    # Whoosh would otherwise map a compound file again itself (a private copy
    # of the map per searcher); it slices the file we return instead.
    supports_mmap = False

    def __init__(self, path, readonly=False, debug=False):
        super().__init__(path, supports_mmap=False, readonly=readonly, debug=debug)

    def open_file(self, name, **kwargs):
        if not kwargs and not name.endswith(".toc"):
            m = _shared_map(os.path.abspath(os.path.join(self.folder, name)))
            if m is not None:
                return _whoosh.view_buffer_file(memoryview(m), ViewFile, name=name)
        return super().open_file(name, **kwargs)


def open_dir(path, indexname: str | None = None) -> FileIndex:
    """The Whoosh index in ``path``, read through :class:`SharedMapStorage`."""
    return SharedMapStorage(str(path)).open_index(indexname or _whoosh.INDEX_NAME)


def open_for_writing(path, indexname: str | None = None) -> FileIndex:
    """The Whoosh index in ``path`` over plain files, for the writer.

    A reindex reads each segment file once, from end to end: a full build's
    commit copies its new segment's parts into the compound file, a merge
    reads the old segments' postings, and the doc arrays are built from every
    posting.  Through a map each page read stays resident in the writer
    until the map goes (at 190k articles the commit's peak was the 790 MB
    segment's pages, on top of the writer's own memory); through plain reads
    the pages are the kernel's page cache, not the process's."""
    return FileStorage(str(path), supports_mmap=False).open_index(indexname or _whoosh.INDEX_NAME)


def create_in(path, schema, indexname: str | None = None) -> FileIndex:
    """A new, empty Whoosh index in ``path`` over :class:`SharedMapStorage`."""
    return SharedMapStorage(str(path)).create_index(schema, indexname or _whoosh.INDEX_NAME)
