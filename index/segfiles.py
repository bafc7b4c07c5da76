"""Reading segment files without copying them into every searcher.

Whoosh keeps a segment in one compound file, memory-maps it, and opens each
part (postings, term index, stored fields) as a ``BufferFile`` over a slice of
the map.  whoosh-reloaded's ``BufferFile`` wraps that slice in ``BytesIO``,
which *copies* it: every searcher held a private copy of nearly the whole
segment (about 90 MB at 19k Reuters articles), and since every waitress
thread keeps its own searcher, ``newsarchive serve`` sat at ~1.5 GB.

The hot paths (``BufferFile.get``, ``get_array``: posting blocks, term infos,
stored fields) already read the memoryview directly; only the sequential
``read``/``seek`` calls go through the wrapped file.  :class:`ViewFile` gives
those the same file interface over the memoryview, zero-copy, so all
searchers share the file's pages through the OS page cache and each one costs
only the small objects it builds.

Each searcher also memory-mapped the segment file on its own, and the kernel
counts a page once per mapping that touched it: eight threads' searchers
reported the same page-cache pages eight times.  :func:`_open_compound_file`
maps each segment file once per process and hands every searcher a view of
that one map (it is unmapped when the last searcher using it is gone, so a
segment deleted by a later reindex frees its disk space as before).

:func:`install` swaps both in (once, at import of :mod:`index`).
"""
from __future__ import annotations

import io
import os
import threading
import weakref

from whoosh.codec import base as codec_base
from whoosh.filedb import structfile
from whoosh.filedb.compound import CompoundStorage

_installed = False
_original_init = structfile.BufferFile.__init__     # the copying one (benchmarks compare)
_original_open_compound = codec_base.Segment.open_compound_file
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
        # Release our view so the mmap under it can be closed (CompoundStorage.close).
        if not self.closed:
            self.closed = True
            try:
                self._view.release()
            except (AttributeError, ValueError):
                pass


def _buffer_file_init(self, buf, name=None, onclose=None):
    self._buf = buf
    self._name = name
    self.file = ViewFile(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


class SharedCompoundStorage(CompoundStorage):
    """One searcher's handle on a segment's process-wide map: reads through
    it like a ``CompoundStorage``; closing it leaves the map to its other users."""

    def __init__(self, base: CompoundStorage):
        self._base = base            # keeps the shared map alive while we exist
        self._file = None
        self.is_closed = False
        self._dir = base._dir
        self._options = base._options
        self._locks = {}
        self._source = base._source

    def close(self):
        if self.is_closed:
            raise Exception("Already closed")
        self.is_closed = True
        self._source = None


def _open_compound_file(self, storage):
    folder = getattr(storage, "folder", None)
    if not folder or not getattr(storage, "supports_mmap", False):
        return _original_open_compound(self, storage)
    name = self.make_filename(self.COMPOUND_EXT)
    try:
        st = os.stat(os.path.join(folder, name))
    except OSError:
        return _original_open_compound(self, storage)
    key = (os.path.realpath(os.path.join(folder, name)), st.st_ino, st.st_size, st.st_mtime_ns)
    with _maps_lock:
        base = _maps.get(key)
        if base is None:
            base = _original_open_compound(self, storage)
            if base._source is None:          # no mmap (e.g. ENOMEM): nothing to share
                return base
            _maps[key] = base
    return SharedCompoundStorage(base)


def install() -> None:
    """Make Whoosh's ``BufferFile`` zero-copy and share segment maps (idempotent)."""
    global _installed
    if _installed:
        return
    structfile.BufferFile.__init__ = _buffer_file_init
    codec_base.Segment.open_compound_file = _open_compound_file
    _installed = True
