"""One writer at a time, and no stale lock after a crash.

Whoosh has its own write lock, but a writer that finds it taken raises a bare
``LockError`` only once it has already started, and its history is full of
reports of locks outliving their process.  We take an ``flock`` on a file in
the index folder *before* doing any work: the kernel drops it the moment the
holding process dies (even by SIGKILL), so there is never a stale lock to
clean up, and a second writer learns at once that it must wait.
"""
from __future__ import annotations

import fcntl
import os
from pathlib import Path

from .errors import IndexLocked, IndexUnreadable

LOCK_NAME = "newsarchive-write.lock"

#: Lock fds this process holds.  An flock belongs to the open file, which a
#: fork shares: the loader's pool workers would keep a SIGKILLed writer's lock
#: alive until they exit.  Children close their copies (the parent's lock stays).
_held: set = set()


def _close_in_child():
    for fd in list(_held):
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


os.register_at_fork(after_in_child=_close_in_child)


class WriteLock:
    """``with WriteLock(dir):`` -- exclusive, non-blocking; raises IndexLocked."""

    def __init__(self, folder):
        self.path = Path(folder) / LOCK_NAME
        self.fd = None

    def __enter__(self):
        try:
            self.fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
        except OSError as e:
            raise IndexUnreadable(f"cannot write to index folder {self.path.parent}: "
                                  f"{e.strerror}") from None
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self.fd)
            self.fd = None
            raise IndexLocked(str(self.path.parent)) from None
        _held.add(self.fd)
        os.ftruncate(self.fd, 0)
        os.write(self.fd, f"{os.getpid()}\n".encode())
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            _held.discard(self.fd)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
        return False


def is_locked(folder) -> bool:
    """True if some process currently holds the write lock (used by stats)."""
    path = Path(folder) / LOCK_NAME
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)
