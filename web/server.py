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


def serve(index_dir: Optional[str | Path] = None, host: str = "127.0.0.1", port: int = 5000,
          threads: int = THREADS) -> None:
    """Open the index and serve the web UI until interrupted."""
    import waitress

    from .app import create_app

    app = create_app(index_dir)
    shown_host = f"[{host}]" if ":" in host else host
    print(f"newsarchive: serving on http://{shown_host}:{port}/  (Ctrl+C to stop)",
          file=sys.stdout, flush=True)
    waitress.serve(app, host=host, port=int(port), threads=threads, ident="newsarchive",
                   clear_untrusted_proxy_headers=True, _quiet=True)
