"""Start and stop ``newsarchive serve`` on loopback for the web benchmarks.

Shared by ``bench/web_latency.py`` and ``bench/load_test.py`` so both measure
the same server started the same way.  The server's stderr goes to a
temporary file, never to a pipe nobody reads: waitress logs a line per
queued task under load, and once a pipe's 64 KB buffer fills the server
blocks mid-request (that stalled a benchmark run once).
"""
from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start(index_dir: Path, timeout: float = 120.0) -> tuple[subprocess.Popen, int]:
    """Serve ``index_dir`` on a free loopback port; return once a search answers."""
    port = free_port()
    err = tempfile.TemporaryFile()
    proc = subprocess.Popen([sys.executable, "-m", "web.cli", "serve", "--host", HOST,
                             "--port", str(port), "--index", str(index_dir)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err.seek(0)
            raise SystemExit(f"server exited with code {proc.returncode}: "
                             f"{err.read()[-2000:].decode(errors='replace')}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
            conn.request("GET", "/api/search?q=oil")
            status = conn.getresponse()
            status.read()
            conn.close()
            if status.status == 200:
                return proc, port
        except OSError:
            pass
        time.sleep(0.2)
    stop(proc)
    raise SystemExit("server did not answer in time")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
