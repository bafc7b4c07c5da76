"""Story signatures kept in a file, with a small handle in memory.

Grouping an archive keeps every grouped article's signature between passes
(:class:`archive.stories.StoryState`): about 1.2 KB each, 250 MB at 190k
articles -- the part of a reindex's memory that grew with the archive.  A
pass only decodes the signatures of the weeks it compares, so the rest can
wait on disk: a :class:`Sig` names where its bytes are (file, offset,
length) and carries the publication day, which is what sorting passes and
indexing by day need without reading the file.

A :class:`SigFile` is either an append-only scratch file (new signatures of a
reindex; unlinked on creation, so nothing is left behind by a crash) or a
saved story state's file opened for reading.  Reads are ``os.pread`` calls,
so handles in any order need no seek and share one descriptor.
"""
from __future__ import annotations

import os
import tempfile


class SigFile:
    """A file of concatenated signatures that :class:`Sig` handles point into."""

    def __init__(self, fd: int):
        self.fd = fd
        self.end = os.fstat(fd).st_size

    @classmethod
    def scratch(cls, folder=None) -> "SigFile":
        """An empty file in ``folder`` (the index's own disk), already
        unlinked: it lives as long as a handle into it does."""
        fd, path = tempfile.mkstemp(prefix=".sigs-", suffix=".tmp", dir=folder)
        os.unlink(path)
        return cls(fd)

    @classmethod
    def reading(cls, fh) -> "SigFile":
        """The file under the open binary file ``fh``, on a descriptor of its
        own (the caller may close ``fh``)."""
        return cls(os.dup(fh.fileno()))

    def append(self, raw: bytes, day: int) -> "Sig":
        """Write ``raw`` at the end; its handle."""
        off = self.end
        view = memoryview(raw)
        while view:
            n = os.pwrite(self.fd, view, self.end)
            view = view[n:]
            self.end += n
        return Sig(self, off, len(raw), day)

    def read(self, off: int, n: int) -> bytes:
        out = os.pread(self.fd, n, off)
        if len(out) != n:
            raise OSError(f"signature file ends at {len(out) + off}, before {off + n}")
        return out

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __del__(self):
        self.close()


class Sig:
    """Where one signature's bytes are, and its publication day (ordinal,
    0 undated) -- about 70 bytes in memory instead of a kilobyte."""
    __slots__ = ("src", "off", "n", "day")

    def __init__(self, src: SigFile, off: int, n: int, day: int):
        self.src, self.off, self.n, self.day = src, off, n, day

    def raw(self) -> bytes:
        return self.src.read(self.off, self.n)

    def __len__(self) -> int:
        return self.n

    def __eq__(self, other):
        if isinstance(other, (Sig, bytes, bytearray, memoryview)):
            return raw(self) == raw(other)
        return NotImplemented

    def __hash__(self):
        return hash(self.raw())

    def __repr__(self):
        return f"Sig(off={self.off}, n={self.n}, day={self.day})"


def raw(sig):
    """The bytes of ``sig``: a :class:`Sig`'s read from its file, anything
    else (bytes, None) as it is."""
    return sig.raw() if isinstance(sig, Sig) else sig
