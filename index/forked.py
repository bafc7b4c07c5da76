"""What a process the writer forks needs: to die with the writer, and to
send back an error the writer can raise."""
from __future__ import annotations

import pickle

from .errors import IndexError_


def sendable(e: BaseException) -> BaseException:
    """``e`` if it survives pickling, else an IndexError_ naming it."""
    try:
        pickle.loads(pickle.dumps(e))
        return e
    except Exception:  # noqa: BLE001
        return IndexError_(f"{type(e).__name__}: {e}")


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (``prctl``
    ``PR_SET_PDEATHSIG``): a killed reindex must not leave a writer behind."""
    try:
        import ctypes
        import signal
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(signal.SIGKILL))
    except (OSError, AttributeError):
        pass
