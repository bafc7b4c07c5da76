"""Ordinary searches while hostile ones run, against ``newsarchive serve``.

    python -m bench.hostile_load --index DIR [--seconds 20]

Three clients send queries of 120 unknown three-letter words (480 characters,
the did-you-mean worst case) to ``/api/search``, ``/search.csv`` and
``/search`` back to back; one client asks ``/api/search`` for ordinary words.
Prints the hostile and ordinary latencies (p50/p95/max), plus each hostile
route alone first.
"""
from __future__ import annotations

import argparse
import random
import statistics
import string
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench import server_proc

ROUTES = ("/api/search", "/search.csv", "/search")
ORDINARY = ("oil", "bank", "trade", "wheat", "dollar", "rates", "crude", "japan")


WORDS = 120


def unknown_query(seed: int) -> str:
    """``WORDS`` unknown three-letter words (120 make 480 characters)."""
    rnd = random.Random(seed)
    return " ".join("".join(rnd.choice(string.ascii_lowercase) for _ in range(3))
                    for _ in range(WORDS + 1))[:4 * WORDS]


STATUSES: dict = {}


def get(port: int, route: str, q: str) -> float:
    """Seconds one request took (a 400 for a refused query counts as answered)."""
    t = time.perf_counter()
    url = f"http://127.0.0.1:{port}{route}?{urllib.parse.urlencode({'q': q})}"
    try:
        with urllib.request.urlopen(url, timeout=300) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        e.read()
        status = e.code
    STATUSES[status] = STATUSES.get(status, 0) + 1
    return time.perf_counter() - t


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))] * 1000


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", required=True, type=Path)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--words", type=int, default=120, help="unknown words per hostile query")
    args = ap.parse_args(argv)
    global WORDS
    WORDS = args.words
    proc, port = server_proc.start(args.index)
    try:
        for w in ORDINARY:
            get(port, "/api/search", w)
        alone = [get(port, "/api/search", w) for w in ORDINARY * 3]
        print(f"ordinary alone:  p50 {pct(alone, 50):.0f} ms  p95 {pct(alone, 95):.0f} ms")
        for route in ROUTES:
            took = [get(port, route, unknown_query(900 + i)) for i in range(3)]
            print(f"hostile alone {route:12s} max {max(took) * 1000:.0f} ms")
        stop = time.monotonic() + args.seconds
        hostile, ordinary = [], []

        def attacker(k, route):
            i = 0
            while time.monotonic() < stop:
                hostile.append(get(port, route, unknown_query(k * 10_000 + i)))
                i += 1

        threads = [threading.Thread(target=attacker, args=(k, r), daemon=True)
                   for k, r in enumerate(ROUTES)]
        for t in threads:
            t.start()
        i = 0
        while time.monotonic() < stop:
            ordinary.append(get(port, "/api/search", ORDINARY[i % len(ORDINARY)]))
            i += 1
        for t in threads:
            t.join()
        print(f"under load ({args.seconds:.0f} s, 3 hostile clients):")
        print(f"  hostile  n={len(hostile):4d}  p50 {pct(hostile, 50):.0f} ms  "
              f"p95 {pct(hostile, 95):.0f} ms  max {max(hostile) * 1000:.0f} ms")
        print(f"  ordinary n={len(ordinary):4d}  p50 {pct(ordinary, 50):.0f} ms  "
              f"p95 {pct(ordinary, 95):.0f} ms  max {max(ordinary) * 1000:.0f} ms  "
              f"(mean {statistics.mean(ordinary) * 1000:.0f} ms)")
        print(f"  statuses: {dict(sorted(STATUSES.items()))}")
    finally:
        server_proc.stop(proc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
