"""Load test: 8 concurrent clients for 60 s against ``newsarchive serve``.

Builds a Reuters-21578 index (read in place from ``../shared``, converted to
JSONL in a temporary folder) or reuses one given with ``--index``, starts
``newsarchive serve`` on 127.0.0.1 on a free port, and runs N client threads
(plain ``http.client``, one keep-alive connection each, loopback only) that
send a mix of searches to ``/api/search`` -- words, phrases, boolean queries,
entity/date/source filters, date sort, deep pages, wildcards, fuzzy terms and
malformed queries -- until the time is up.  The server's resident memory is
sampled once a second from ``/proc``.

Prints: requests, status counts, the 5xx check, latency p50/p95/p99/max,
throughput, server RSS at start / middle / end (memory must stay flat), and
the latency of single hostile queries afterwards.  Exit status 1 if any
request got a 5xx or failed to connect.

    .venv/bin/python -m bench.load_test                     # all 19,043 stories
    .venv/bin/python -m bench.load_test --stories 5000 --seconds 30
    .venv/bin/python -m bench.load_test --index ~/.local/share/newsarchive/index
"""
from __future__ import annotations

import argparse
import http.client
import json
import random
import shutil
import statistics
import subprocess
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
from bench.reuters_data import iter_stories, write_jsonl  # noqa: E402

HOST = "127.0.0.1"          # loopback only, always
MAX_CLIENTS = 32
MAX_SECONDS = 600

WORDS = ["oil", "bank", "rates", "trade", "japan", "crude", "wheat", "dollar", "profit",
         "merger", "shares", "tariff", "opec", "coffee", "gold", "inflation", "deficit",
         "yen", "bonds", "acquisition", "dividend", "grain", "strike", "sugar", "copper"]
PHRASES = ['"crude oil"', '"interest rates"', '"trade deficit"', '"central bank"',
           '"net income"', '"stock split"']
ODD = ['"unbalanced', "oil AND", "((oil", "title:", "*", "oil~", "ba*", "tr?de", "aaaa~5",
       "*e*", "NOT oil", "x" * 1200, "oil\x00bank", "<script>alert(1)</script>"]


def _params(rng: random.Random, entities: list[str]) -> dict:
    kind = rng.random()
    p: dict = {}
    if kind < 0.35:
        p["q"] = rng.choice(WORDS)
    elif kind < 0.5:
        p["q"] = f"{rng.choice(WORDS)} {rng.choice(['AND', 'OR', 'NOT'])} {rng.choice(WORDS)}"
    elif kind < 0.6:
        p["q"] = rng.choice(PHRASES)
    elif kind < 0.7:
        p["q"] = ""                                        # browse
    elif kind < 0.8:
        p["q"] = rng.choice(WORDS)
        if entities:
            p["entity"] = rng.choice(entities)
    elif kind < 0.9:
        p["q"] = rng.choice(WORDS + [""])
        p["since"] = rng.choice(["1987-02", "1987-03-01", "1987"])
        p["until"] = rng.choice(["1987-03-31", "1987-10", "1987"])
    else:
        p["q"] = rng.choice(ODD)
    if rng.random() < 0.2:
        p["sort"] = "date"
    if rng.random() < 0.15:
        p["page"] = rng.choice([2, 3, 5, 50, 10**6])
    return p


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _get(conn: http.client.HTTPConnection, path: str):
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    return r.status, body


def build_index(stories: int | None, folder: Path) -> Path:
    src = folder / "reuters-jsonl"
    write_jsonl(iter_stories(limit=stories), src)
    ixdir = folder / "index"
    t = time.monotonic()
    subprocess.run([sys.executable, "-m", "web.cli", "reindex", str(src), "--index", str(ixdir)],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    print(f"built the index in {time.monotonic() - t:.1f}s")
    return ixdir


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run(port: int, pid: int, clients: int, seconds: float, seed: int) -> dict:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    _, body = _get(conn, "/api/search?q=")
    facets = json.loads(body)["facets"]
    entities = [v["value"] for t in ("person", "org", "place") for v in facets.get(t, [])[:10]]
    for q in ("oil", "bank OR rates", '"crude oil"'):       # warm every searcher once
        _get(conn, "/api/search?" + urlencode({"q": q}))
    conn.close()

    results: list[tuple[int, float]] = []      # (status or -1, seconds)
    errors: list[str] = []
    lock = threading.Lock()
    rss: list[tuple[float, int]] = []
    stop = threading.Event()
    t0 = time.monotonic()
    deadline = t0 + seconds

    def client(n: int):
        rng = random.Random(seed * 100 + n)
        c = http.client.HTTPConnection(HOST, port, timeout=30)
        local = []
        while time.monotonic() < deadline:
            path = "/api/search?" + urlencode(_params(rng, entities), doseq=True)
            t = time.perf_counter()
            try:
                status, _ = _get(c, path)
            except (OSError, http.client.HTTPException) as e:
                status = -1
                with lock:
                    errors.append(f"{type(e).__name__}: {e} ({path[:80]})")
                c.close()
                c = http.client.HTTPConnection(HOST, port, timeout=30)
            local.append((status, time.perf_counter() - t))
        c.close()
        with lock:
            results.extend(local)

    def sampler():
        while not stop.is_set():
            rss.append((time.monotonic() - t0, _rss_kb(pid)))
            stop.wait(1.0)

    sam = threading.Thread(target=sampler, daemon=True)
    sam.start()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    stop.set()
    sam.join(5)
    return {"results": results, "errors": errors, "rss": rss,
            "elapsed": time.monotonic() - t0}


def hostile_timings(port: int) -> list[tuple[str, int, float]]:
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    out = []
    for q in ["*e*", "a*", "aaaa~5", "internationalization~9",
              " OR ".join(w + "~2" for w in WORDS[:8]), "(" * 500 + "oil", "oil " * 400,
              "NOT oil", ""]:
        for extra in ({}, {"page": 10**6}):
            t = time.perf_counter()
            status, _ = _get(conn, "/api/search?" + urlencode(dict(q=q, **extra)))
            out.append(((q[:40] + ("..." if len(q) > 40 else "")) + (" page=1e6" if extra else ""),
                        status, time.perf_counter() - t))
    conn.close()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", help="reuse this index folder (default: build one from Reuters)")
    ap.add_argument("--stories", type=int, default=None, help="only the first N Reuters stories")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    clients = max(1, min(args.clients, MAX_CLIENTS))
    seconds = max(1.0, min(args.seconds, MAX_SECONDS))

    tmp = None
    if args.index:
        ixdir = Path(args.index)
    else:
        tmp = Path(tempfile.mkdtemp(prefix="newsarchive-load-"))
        ixdir = build_index(args.stories, tmp)
    server, port = server_proc.start(ixdir)
    try:
        stats_conn = http.client.HTTPConnection(HOST, port, timeout=30)
        _, body = _get(stats_conn, "/api/search?q=")
        articles = json.loads(body)["total"]
        stats_conn.close()
        print(f"server pid {server.pid} on http://{HOST}:{port}/ over {articles} articles; "
              f"{clients} clients for {seconds:.0f}s")
        out = run(port, server.pid, clients, seconds, args.seed)
        hostile = hostile_timings(port)
        alive = server.poll() is None
    finally:
        server_proc.stop(server)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)

    res = out["results"]
    lat = [s * 1000 for st, s in res if st > 0]
    by_status: dict = {}
    for st, _ in res:
        by_status[st] = by_status.get(st, 0) + 1
    n5xx = sum(c for st, c in by_status.items() if 500 <= st < 600)
    failed = by_status.get(-1, 0)
    print(f"requests: {len(res)} in {out['elapsed']:.1f}s ({len(res) / out['elapsed']:.1f}/s)")
    print("status: " + ", ".join(f"{k if k > 0 else 'conn-error'}: {v}"
                                 for k, v in sorted(by_status.items())))
    print(f"5xx: {n5xx}  connection errors: {failed}  server alive at end: {alive}")
    if lat:
        print(f"latency ms: p50 {_pct(lat, 50):.1f}  p95 {_pct(lat, 95):.1f}  "
              f"p99 {_pct(lat, 99):.1f}  max {max(lat):.1f}  mean {statistics.mean(lat):.1f}")
    rss = [kb for _, kb in out["rss"] if kb]
    if rss:
        mid = rss[len(rss) // 2]
        print(f"server RSS MB: start {rss[0] / 1024:.1f}  middle {mid / 1024:.1f}  "
              f"end {rss[-1] / 1024:.1f}  max {max(rss) / 1024:.1f}  "
              f"(samples {len(rss)}; end/start {rss[-1] / rss[0]:.2f})")
        thirds = [rss[i * len(rss) // 3:(i + 1) * len(rss) // 3] for i in range(3)]
        print("server RSS MB by third of the run (mean): "
              + "  ".join(f"{statistics.mean(t) / 1024:.1f}" for t in thirds if t))
    for e in out["errors"][:5]:
        print("  error:", e)
    print("single hostile queries (status, ms):")
    for q, st, s in hostile:
        print(f"  {q!r:58} {st}  {s * 1000:8.1f}")
    bad = n5xx or failed or not alive or any(st >= 500 for _, st, _ in hostile)
    print("RESULT:", "FAIL" if bad else "OK (zero 5xx)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
