"""How fast the loader turns Reuters-21578 (as JSONL) into clean articles.

Writes the 19,043 stories with a body as JSONL to a temporary folder (read in
place from ``../shared``, never kept), then times :func:`archive.load_file`
over them on one core and prints articles per second.

Usage: ``python -m bench.loader_speed``
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from archive import Article
from archive.load import iter_files, load_file
from bench.reuters_data import iter_stories, write_jsonl


def main() -> int:
    stories = list(iter_stories())
    with tempfile.TemporaryDirectory() as tmp:
        write_jsonl(stories, Path(tmp))
        t0 = time.perf_counter()
        n = skipped = dated = 0
        for f, root in iter_files([tmp]):
            for r in load_file(f, root):
                if isinstance(r, Article):
                    n += 1
                    dated += r.published is not None
                else:
                    skipped += 1
        dt = time.perf_counter() - t0
    print(f"reuters jsonl: {n} articles, {skipped} skipped, {dated} dated in {dt:.2f} s "
          f"({n / dt:,.0f} articles/s on one core)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
