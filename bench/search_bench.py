"""Side-by-side benchmark: our index vs SQLite FTS5 on Reuters-21578 (issue 6).

In one run, on the same machine and data: converts Reuters-21578 from
``../shared`` to JSONL in a temporary folder (the archive's own input format,
so the real loader, cleaner, entity extraction and story grouping run),
builds our index via ``Index.reindex`` and an FTS5 table with the same
title/body text, then runs the same 34 mixed queries through both:

- ours: ``Index.search`` -- top 10 with highlighted snippets, exact total,
  entity and date facets (all computed on every query);
- FTS5: bm25 top 10 with ``snippet()``, ``count(*)``, and the same facets by
  ``GROUP BY`` (month, and entity from the hand-made Reuters tags).

Prints index time (with our per-phase split), query p50/p95/max for the
first (cold) round and for all rounds, the ratios ours/FTS5, the first
search after opening the index, peak memory and index size.

Run from the project root::

    .venv/bin/python -m bench.search_bench               # 19,043 stories (~1-2 min)
    .venv/bin/python -m bench.search_bench --scale 10    # ~190k stories (repeated with
                                                         # new ids and shifted dates)
    .venv/bin/python -m bench.search_bench --keep /tmp/nb --reuse   # query-only rerun

Timings are wall-clock on a shared machine: run it twice and compare, and
read the ratio columns (both engines run interleaved, query by query).
Web latency under concurrent clients is ``bench/web_latency.py``.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.reuters_data import iter_stories, repeated, write_jsonl  # noqa: E402

# (ours, fts5, filters) -- the same intent in each engine's syntax
QUERIES = [
    ("oil", "oil", {}),
    ("wheat", "wheat", {}),
    ("said", "said", {}),                                   # very common
    ("dlrs", "dlrs", {}),
    ("bundesbank", "bundesbank", {}),                        # rare
    ("cocoa", "cocoa", {}),
    ("zinc", "zinc", {}),
    ("tariffs", "tariffs", {}),
    ("opec", "opec", {}),
    ("yen", "yen", {}),
    ('"interest rates"', '"interest rates"', {}),
    ('"trade deficit"', '"trade deficit"', {}),
    ('"crude oil"', '"crude oil"', {}),
    ('"federal reserve"', '"federal reserve"', {}),
    ("oil AND prices", "oil AND prices", {}),
    ("gold OR silver", "gold OR silver", {}),
    ("coffee AND brazil", "coffee AND brazil", {}),
    ("bank AND rate AND cut", "bank AND rate AND cut", {}),
    ("sugar NOT beet", "sugar NOT beet", {}),
    ("export*", "export*", {}),
    ("acqui*", "acqui*", {}),
    ("japan trade", "japan AND trade", {}),
    ("dollar", "dollar", {"since": "1987-03-01", "until": "1987-03-31"}),
    ("oil", "oil", {"since": "1987-04"}),
    ("shares", "shares", {"until": "1987-03-15"}),
    ('"stock exchange"', '"stock exchange"', {"since": "1987-03-01", "until": "1987-04-30"}),
    ("grain", "grain", {"entity": "usa"}),
    ("rate", "rate", {"entity": "japan"}),
    ("", "", {"entity": "usa"}),                             # browse by entity
    ("crude", "crude", {"entity": "usa", "since": "1987-03"}),
    ("merger", "merger", {}),
    ("loss", "loss", {}),
    ("net profit", "net AND profit", {}),
    ("strike", "strike", {"since": "1987-01", "until": "1987-12"}),
]


def pct(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def build_fts(stories, db_path):
    t0 = time.perf_counter()
    con = sqlite3.connect(db_path)
    con.executescript("""
        CREATE TABLE docs(rowid INTEGER PRIMARY KEY, id TEXT, title TEXT, body TEXT,
                          published TEXT, month TEXT, source TEXT);
        CREATE VIRTUAL TABLE fts USING fts5(title, body, content='docs', content_rowid='rowid',
                                            tokenize='porter unicode61 remove_diacritics 2');
        CREATE TABLE ents(rowid INTEGER, name TEXT, type TEXT);
    """)
    rows, ents = [], []
    for i, s in enumerate(stories, 1):
        pub = s.get("published")
        rows.append((i, s["id"], s["title"], s["body"], pub, pub[:7] if pub else None, s["source"]))
        for t, key in (("place", "places"), ("person", "people"), ("org", "orgs")):
            for name in s.get(key, []):
                ents.append((i, name, t))
    con.executemany("INSERT INTO docs VALUES (?,?,?,?,?,?,?)", rows)
    con.execute("INSERT INTO fts(rowid, title, body) SELECT rowid, title, body FROM docs")
    con.executemany("INSERT INTO ents VALUES (?,?,?)", ents)
    con.execute("CREATE INDEX ents_rowid ON ents(rowid)")
    con.execute("CREATE INDEX ents_name ON ents(name)")
    con.execute("CREATE INDEX docs_pub ON docs(published)")
    con.commit()
    return con, time.perf_counter() - t0


def fts_query(con, q, f):
    where, params = [], []
    if q:
        where.append("d.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
        params.append(q)
    if f.get("entity"):
        where.append("d.rowid IN (SELECT rowid FROM ents WHERE name = ?)")
        params.append(f["entity"])
    if f.get("since"):
        where.append("d.published >= ?")
        params.append(f["since"])
    if f.get("until"):
        u = f["until"]
        where.append("d.published <= ?")
        params.append(u + ("-31" if len(u) == 7 else "-12-31" if len(u) == 4 else ""))
    w = " AND ".join(where) or "1"
    if q:
        top = con.execute(
            f"SELECT d.id, snippet(fts, 1, '<mark>', '</mark>', '…', 24), bm25(fts) "
            f"FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE fts MATCH ? AND {w} "
            f"ORDER BY bm25(fts) LIMIT 10", [q] + params).fetchall()
    else:
        top = con.execute(f"SELECT d.id, substr(d.body, 1, 200), 0 FROM docs d WHERE {w} "
                          f"ORDER BY d.published DESC LIMIT 10", params).fetchall()
    total = con.execute(f"SELECT count(*) FROM docs d WHERE {w}", params).fetchone()[0]
    months = con.execute(f"SELECT month, count(*) FROM docs d WHERE {w} GROUP BY month",
                         params).fetchall()
    entf = con.execute(f"SELECT e.name, e.type, count(*) c FROM ents e WHERE e.rowid IN "
                       f"(SELECT d.rowid FROM docs d WHERE {w}) GROUP BY e.name, e.type "
                       f"ORDER BY c DESC LIMIT 20", params).fetchall()
    return total, top, months, entf


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, default=1, help="repeat the corpus N times (~19k x N)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N stories")
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds over the query set")
    ap.add_argument("--keep", help="build in this folder and keep it (default: a temp folder)")
    ap.add_argument("--reuse", action="store_true",
                    help="with --keep: reuse the index and FTS5 database built there "
                         "(query comparison only)")
    args = ap.parse_args(argv)

    import index

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="na-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.perf_counter()
        stories = list(iter_stories(limit=args.limit))
        if args.scale > 1:
            stories = list(repeated(stories, args.scale))
        reuse = args.reuse and args.keep and (work / "ix").exists() and (work / "fts.db").exists()
        if not reuse:
            if (work / "src").exists():
                shutil.rmtree(work / "src")
            write_jsonl(stories, work / "src")
        print(f"corpus: {len(stories):,} stories (converted in {time.perf_counter() - t0:.1f}s)")

        db = work / "fts.db"
        ours_index = fts_index = None
        if reuse:
            ix = index.open_index(work / "ix")
            con = sqlite3.connect(db)
            print("ours/fts5: reusing the index and database in", work)
        else:
            if (work / "ix").exists():
                shutil.rmtree(work / "ix")
            t0 = time.perf_counter()
            ix = index.open_index(work / "ix")
            summary = ix.reindex([work / "src"], progress=False)
            ours_index = time.perf_counter() - t0
            print(f"ours:  indexed {summary.articles:,} articles in {ours_index:.1f}s "
                  f"({summary.articles / ours_index:,.0f}/s), skipped {len(summary.skipped)}")
            print("       phases (s): " + ", ".join(f"{k} {v:.1f}" for k, v in summary.phases.items())
                  + "   [load = read+clean+entities+signatures on 2 workers; entities = "
                    "corpus resolver; add/commit = Whoosh writer]")
            if db.exists():
                db.unlink()
            con, fts_index = build_fts(stories, db)
            print(f"fts5:  indexed {len(stories):,} articles in {fts_index:.2f}s "
                  f"({len(stories) / fts_index:,.0f}/s)")
        # a fresh handle with no in-process caches (each Index has its own
        # snapshot registry), as a new web worker or CLI run has
        ours_open = index.open_index(work / "ix")

        # warm-up (first searcher open + per-generation arrays), timed separately
        t0 = time.perf_counter()
        ours_open.search("oil")
        warm = time.perf_counter() - t0
        ix = ours_open

        ours_t, fts_t, rows = [], [], []
        for rnd in range(args.rounds):
            for q_ours, q_fts, f in QUERIES:
                ents = [f["entity"]] if f.get("entity") else ()
                t0 = time.perf_counter()
                r = ix.search(q_ours, entities=ents, since=f.get("since"), until=f.get("until"))
                a = time.perf_counter() - t0
                t0 = time.perf_counter()
                total, *_ = fts_query(con, q_fts, f)
                b = time.perf_counter() - t0
                ours_t.append(a * 1000)
                fts_t.append(b * 1000)
                if rnd == 0:
                    rows.append((q_ours, f, r.total, total, r.error))
        print(f"\nfirst search after opening the index (searcher, saved arrays): {warm * 1000:.0f} ms")
        print(f"{'query':34} {'filters':28} {'ours':>7} {'fts5':>7}")
        for q, f, a, b, err in rows:
            fs = ",".join(f"{k}={v}" for k, v in f.items())
            print(f"{q[:34]:34} {fs[:28]:28} {a:7d} {b:7d}" + (f"  ERROR {err}" if err else ""))
        n = len(QUERIES)
        for label, a, b in (("first round (cold caches)", ours_t[:n], fts_t[:n]),
                            (f"all {args.rounds} rounds", ours_t, fts_t)):
            print(f"\nqueries: {len(QUERIES)} x {len(a) // n}, {label}")
            print(f"{'':8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
            for name, t in (("ours", a), ("fts5", b)):
                print(f"{name:8}{pct(t, 50):9.2f}{pct(t, 95):9.2f}{max(t):9.2f}")
            print(f"{'ratio':8}{pct(a, 50) / pct(b, 50):9.2f}"
                  f"{pct(a, 95) / pct(b, 95):9.2f}{max(a) / max(b):9.2f}")
        if ours_index is not None:
            print(f"\nindex time: ours {ours_index:.1f}s, fts5 {fts_index:.2f}s, "
                  f"ratio ours/fts5 {ours_index / fts_index:.1f}x")
        self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        kids_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(f"peak memory: main {self_kb / 1024:.0f} MB, largest worker {kids_kb / 1024:.0f} MB")
        print(f"index size: ours {dir_size(work / 'ix') / 1e6:.1f} MB, "
              f"fts5 {db.stat().st_size / 1e6:.1f} MB (incl. stored text in both)")
        con.close()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
