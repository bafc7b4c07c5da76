"""Serve the archive with waitress, a production WSGI server.

Flask's own server is for development; waitress is pure Python, runs the same
everywhere, and serves requests from a pool of threads (the index library is
safe to search from several at once).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterable, Optional

#: Worker threads.  Waitress buffers requests and responses in its own I/O
#: loop, so workers only run the app; searches are CPU-bound under the GIL, and
#: more workers only add switching.  Measured on 19k Reuters articles with 8
#: clients (bench/web_latency.py, 15 s): 8 threads p95 100 ms / 141 req/s,
#: 4 threads 74 ms / 153 req/s, 3 threads 62 ms / 172 req/s, 2 threads
#: 58 ms / 174 req/s.  Three keeps one slow request (a CSV export) from
#: stalling everyone at almost the speed of two.
THREADS = 3
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
          threads: int = THREADS, base_url: Optional[str] = None,
          allowed_hosts: Iterable[str] = ()) -> None:
    """Open the index and serve the web UI until interrupted.

    Absolute links use ``base_url`` (default ``http://HOST:PORT/``); requests
    are answered only for the bound host, the base URL's host and
    ``allowed_hosts`` (plus ``localhost`` names on a loopback address), so a
    DNS-rebinding page cannot read the archive.  Raises ``ValueError`` for an
    unusable base URL and :class:`index.IndexMissing` when there is no index.
    """
    import waitress

    from . import security
    from .app import create_app

    shown_host = f"[{host}]" if ":" in host else host
    wildcard = host in ("0.0.0.0", "::", "")
    if base_url is None:
        base_url = f"http://{'localhost' if wildcard else shown_host}:{port}/"
    base_url = security.normalise_base_url(base_url)
    names = security.allowed_host_names(host, base_url, allowed_hosts)
    if wildcard:
        names = security.allowed_host_names("127.0.0.1", None, names)

    app = create_app(index_dir, base_url=base_url, allowed_hosts=names)
    limit_malloc_arenas()
    print(f"newsarchive: serving on http://{shown_host}:{port}/  (Ctrl+C to stop)",
          file=sys.stdout, flush=True)
    if wildcard and not allowed_hosts:
        print("newsarchive: listening on every interface, but answering only for "
              f"{', '.join(names)}: add --allow-host NAME (and --base-url URL) for the "
              "names this machine is reached by", file=sys.stderr, flush=True)
    waitress.serve(app, host=host, port=int(port), threads=threads, ident="newsarchive",
                   clear_untrusted_proxy_headers=True, _quiet=True)
