"""What the facets cost: reindex and search time on synthetic stories with bylines.

Writes ``--n`` synthetic wire stories (``archive.synthetic``: every one has an
author, outlets and entities), runs a full reindex, then a fixed set of
queries -- each computes every facet (entities, dates, source, author) over
its whole result set -- and prints the reindex time, search p50/p95 (wall and
CPU) and how many author and source values the archive has.  Run it on two
checkouts to compare (the machine is shared: read CPU times and ratios)::

    .venv/bin/python -m bench.facet_bench --n 20000
"""
from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

QUERIES = ["", "harvest", "port strike", "minister said", "\"officials said\"", "prices OR fuel",
           "talks NOT border", "village", "firms", "water*", "exports", "ceasefire"]


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime + c.ru_utime + c.ru_stime


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    import index
    from archive import synthetic
    with tempfile.TemporaryDirectory(prefix="facetbench-") as tmp:
        corpus = Path(tmp) / "wire"
        synthetic.write_corpus(corpus, args.n, seed=3)
        ix = index.open_index(Path(tmp) / "ix")
        w0, c0 = time.perf_counter(), _cpu()
        summary = ix.reindex([corpus], full=True, progress=False)
        print(f"reindex {summary.articles} articles: {time.perf_counter() - w0:.1f} s wall, "
              f"{_cpu() - c0:.1f} s CPU")
        r = ix.search("")
        print(f"facet keys: {sorted(r.facets)}")
        print(f"author values shown: {len(r.facets.get('author') or [])}, "
              f"source values: {len(r.facets.get('source') or [])}")
        walls, cpus = [], []
        for rnd in range(args.rounds):
            for q in QUERIES:
                w, c = time.perf_counter(), time.process_time()
                ix.search(q)
                if rnd:             # round 0 warms the caches
                    walls.append(time.perf_counter() - w)
                    cpus.append(time.process_time() - c)

        def pct(xs, p):
            xs = sorted(xs)
            return xs[min(len(xs) - 1, int(p * len(xs)))] * 1000
        print(f"search ({len(walls)} warm queries): p50 {pct(walls, .5):.1f} ms wall "
              f"/ {pct(cpus, .5):.1f} ms CPU, p95 {pct(walls, .95):.1f} ms wall "
              f"/ {pct(cpus, .95):.1f} ms CPU, mean CPU {statistics.mean(cpus) * 1000:.1f} ms")
        ix.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
