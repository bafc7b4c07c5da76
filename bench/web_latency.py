"""Latency of ``GET /api/search`` under 1 and 8 concurrent clients (issue 6).

Starts ``newsarchive serve`` (via ``bench/server_proc.py``: ``python -m web.cli serve``, so waitress and
the whole web stack are measured) on 127.0.0.1 over a Reuters-21578 index,
waits until it answers, then for each concurrency level runs that many
clients for ``--seconds`` each, cycling through the same mixed queries as
``bench/search_bench.py`` (terms, phrases, boolean, prefix, entity and date
filters).  Each client keeps one HTTP/1.1 connection open, as a browser
would.  Prints p50/p95/max latency, throughput and errors per level, then
stops the server.  Loopback only; every loop is bounded by time.

Run from the project root::

    .venv/bin/python -m bench.web_latency                   # builds a 19k index first
    .venv/bin/python -m bench.web_latency --index /tmp/nb/ix --seconds 30

Target (issue 6): p95 < 100 ms with 8 clients.
"""
from __future__ import annotations

import argparse
import http.client
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import server_proc  # noqa: E402
from bench.search_bench import QUERIES, pct  # noqa: E402


def _paths() -> list[str]:
    out = []
    for q, _, f in QUERIES:
        params = {"q": q}
        params.update({k: v for k, v in f.items()})
        out.append("/api/search?" + urlencode(params))
    return out


def _client(port, paths, offset, stop_at, out, errors):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = offset
    while time.monotonic() < stop_at:
        path = paths[i % len(paths)]
        i += 1
        t0 = time.perf_counter()
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            ok = resp.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        dt = (time.perf_counter() - t0) * 1000
        if ok:
            out.append(dt)
        else:
            errors.append(path)
    conn.close()


def run_level(port: int, clients: int, seconds: float) -> dict:
    paths = _paths()
    lat, errors = [], []
    stop_at = time.monotonic() + seconds
    threads = [threading.Thread(target=_client,
                                args=(port, paths, k * 5, stop_at, lat, errors), daemon=True)
               for k in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    wall = time.perf_counter() - t0
    return {"clients": clients, "requests": len(lat), "errors": len(errors),
            "rps": len(lat) / wall if wall else 0.0,
            "p50": pct(lat, 50) if lat else float("nan"),
            "p95": pct(lat, 95) if lat else float("nan"),
            "max": max(lat) if lat else float("nan"),
            "mean": statistics.fmean(lat) if lat else float("nan")}


def build_index(work: Path, limit) -> Path:
    import index
    from bench.reuters_data import iter_stories, write_jsonl
    stories = list(iter_stories(limit=limit))
    write_jsonl(stories, work / "src")
    t0 = time.perf_counter()
    summary = index.open_index(work / "ix").reindex([work / "src"], progress=False)
    print(f"built a Reuters index of {summary.articles:,} articles in "
          f"{time.perf_counter() - t0:.1f}s")
    return work / "ix"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", help="an existing index folder (default: build Reuters in a temp folder)")
    ap.add_argument("--limit", type=int, default=None, help="stories to index when building")
    ap.add_argument("--seconds", type=float, default=30.0, help="duration of each level")
    ap.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    args = ap.parse_args(argv)

    work = None
    if args.index:
        ix_dir = Path(args.index)
    else:
        work = Path(tempfile.mkdtemp(prefix="na-web-"))
        ix_dir = build_index(work, args.limit)
    t0 = time.perf_counter()
    proc, port = server_proc.start(ix_dir)
    try:
        print(f"server up on 127.0.0.1:{port} (first answer after {time.perf_counter() - t0:.1f}s)")
        run_level(port, 1, min(3.0, args.seconds))          # warm-up, not reported
        print(f"\n/api/search, {len(QUERIES)} mixed queries cycled, {args.seconds:.0f}s per level")
        print(f"{'clients':>8}{'requests':>10}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}"
              f"{'max ms':>9}{'errors':>8}")
        for n in args.clients:
            r = run_level(port, n, args.seconds)
            print(f"{r['clients']:8d}{r['requests']:10d}{r['rps']:8.1f}{r['p50']:9.1f}"
                  f"{r['p95']:9.1f}{r['max']:9.1f}{r['errors']:8d}", flush=True)
    finally:
        server_proc.stop(proc)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
