"""Serve the archive with waitress, a production WSGI server.

Flask's own server is for development; waitress is pure Python, runs the same
everywhere, and serves requests from a pool of threads (the index library is
safe to search from several at once).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

#: Worker threads: searches are mostly CPU-bound under the GIL, so a few
#: threads are enough to keep slow clients from blocking fast ones.
THREADS = 8
#: malloc arenas for the whole process (glibc's default is 8 per core): with
#: one arena per busy thread, the numpy temporaries of searches left each
#: arena holding freed memory and the server grew by ~50 MB under load.  The
#: GIL serialises most of the work anyway, so two arenas cost no speed.
MALLOC_ARENAS = 2


def limit_malloc_arenas(n: int = MALLOC_ARENAS) -> bool:
    """Cap glibc's malloc arenas (before the worker threads start); a no-op
    elsewhere.  Returns whether it was applied."""
    try:
        import ctypes
        import ctypes.util
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        M_ARENA_MAX = -8
        return bool(libc.mallopt(M_ARENA_MAX, int(n)))
    except (OSError, AttributeError, TypeError):
        return False


def serve(index_dir: Optional[str | Path] = None, host: str = "127.0.0.1", port: int = 5000,
          threads: int = THREADS) -> None:
    """Open the index and serve the web UI until interrupted."""
    import waitress

    from .app import create_app

    limit_malloc_arenas()

    app = create_app(index_dir)
    shown_host = f"[{host}]" if ":" in host else host
    print(f"newsarchive: serving on http://{shown_host}:{port}/  (Ctrl+C to stop)",
          file=sys.stdout, flush=True)
    waitress.serve(app, host=host, port=int(port), threads=threads, ident="newsarchive",
                   clear_untrusted_proxy_headers=True, _quiet=True)
