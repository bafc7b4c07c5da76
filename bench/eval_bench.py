"""The correctness half of the browser-free benchmarks, in `make eval`.

``bench/search_bench.py`` times our index against SQLite FTS5 on
Reuters-21578; timings are for people to read, but whether the two engines
*agree* is a fact a floor can hold.  Here both are built on the same stories
and the benchmark's query set runs once through each:

- no query may fail;
- for the queries without an entity filter (FTS5's entities are Reuters'
  hand-made tags, ours are extracted, so those totals differ by design), the
  exact totals must agree with FTS5's, which uses the same Porter stemming;
- every hit of ours must actually contain a match of the query in the
  snippet (highlighting never fails silently).

``--limit`` keeps it to a few minutes on two cores.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from bench.reuters_data import iter_stories, write_jsonl
from bench.search_bench import QUERIES, build_fts, fts_query

LIMIT = 5000


def evaluate(check) -> None:
    import index

    work = Path(tempfile.mkdtemp(prefix="na-eval-bench-"))
    try:
        stories = list(iter_stories(limit=LIMIT))
        write_jsonl(stories, work / "src")
        ix = index.open_index(work / "ix")
        summary = ix.reindex([work / "src"], progress=False)
        con, _ = build_fts(stories, work / "fts.db")
        errors = agree = compared = marked = hits = 0
        for q_ours, q_fts, f in QUERIES:
            ents = [f["entity"]] if f.get("entity") else ()
            try:
                r = ix.search(q_ours, entities=ents, since=f.get("since"), until=f.get("until"))
            except ValueError as e:                 # index.QueryError
                print(f"    query failed: {q_ours!r}: {e}")
                errors += 1
                continue
            if getattr(r, "error", None):
                print(f"    query failed: {q_ours!r}: {r.error}")
                errors += 1
                continue
            total = fts_query(con, q_fts, f)[0]
            if q_ours and not f.get("entity"):
                compared += 1
                agree += r.total == total
                if r.total != total:
                    print(f"    totals differ: {q_ours!r} {f}: ours {r.total}, fts5 {total}")
                if "*" not in q_ours and " NOT " not in f" {q_ours} ":
                    for h in r.hits:
                        hits += 1
                        marked += "<mark>" in (h.snippet or "")
        con.close()
        print(f"  {summary.articles} articles; {len(QUERIES)} queries; totals compared on "
              f"{compared}, agree on {agree}; {marked}/{hits} hits highlighted")
        check.at_most("bench: failed queries", errors, 0)
        check("bench: share of totals equal to FTS5's", agree / max(compared, 1), 0.85)
        check("bench: share of hits with a highlight", marked / max(hits, 1), 1.0)
    finally:
        shutil.rmtree(work, ignore_errors=True)
