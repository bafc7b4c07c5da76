"""Same-story grouping on Reuters-21578: how many groups, how big, how fast,
and a random sample of groups for a person to judge precision.

Signatures are computed directly with :func:`archive.stories.signature` (no
index is built), entities with the archive's own extraction and resolver
(once per distinct story: the scaled copies repeat the text), then
:func:`archive.stories.group` runs over all of them, as the writer does at the
end of a reindex.  Only ``group()`` is the timed figure the issue sets (at
most 30 s at 190k on 2 cores).

    .venv/bin/python -m bench.story_groups                  # 19,043 stories
    .venv/bin/python -m bench.story_groups --limit 6000     # first 6,000
    .venv/bin/python -m bench.story_groups --scale 10       # ~190k (speed only)
    .venv/bin/python -m bench.story_groups --show 30 --seed 7
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.reuters_data import iter_stories, repeated  # noqa: E402
import archive  # noqa: E402
from archive import stories  # noqa: E402
from archive.mentions import extract  # noqa: E402


def _entities(base: list[dict]) -> dict:
    """id -> resolved entity names, for the distinct stories."""
    mentions = [extract(s.get("title") or "", s.get("body") or "", None) for s in base]
    resolver = archive.build_resolver(mentions)
    return {s["id"]: tuple(e.name for e in resolver.apply(m)) for s, m in zip(base, mentions)}


def _size_bucket(n: int) -> str:
    for hi, label in ((2, "2"), (3, "3"), (5, "4-5"), (10, "6-10"), (25, "11-25")):
        if n <= hi:
            return label
    return ">25"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="first N stories only")
    ap.add_argument("--scale", type=int, default=1, help="repeat the collection N times")
    ap.add_argument("--show", type=int, default=15, help="random groups to print")
    ap.add_argument("--seed", type=int, default=1, help="random seed for the sample")
    ap.add_argument("--words", type=int, default=30, help="first words of each body to print")
    args = ap.parse_args(argv)

    base = list(iter_stories(limit=args.limit))
    data = list(repeated(base, args.scale)) if args.scale > 1 else base
    by_id = {s["id"]: s for s in data}

    t0 = time.perf_counter()
    ents = _entities(base)
    t_ent = time.perf_counter() - t0
    t0 = time.perf_counter()
    sigs = [stories.signature(s["body"], published=s.get("published"), title=s.get("title"))
            for s in data]
    t_sig = time.perf_counter() - t0
    items = [stories.Item(s["id"], sig, ents[s["id"].split("-x")[0]], s.get("source") or "")
             for s, sig in zip(data, sigs)]

    t0, c0 = time.perf_counter(), time.process_time()
    groups = stories.group(items)
    t_group, c_group = time.perf_counter() - t0, time.process_time() - c0

    members = defaultdict(list)
    for aid, g in groups.items():
        members[g].append(aid)
    multi = {g: sorted(m) for g, m in members.items() if len(m) > 1}
    grouped = sum(len(m) for m in multi.values())
    sizes = Counter(_size_bucket(len(m)) for m in multi.values())
    sig_bytes = sum(len(s) for s in sigs if s)

    print(f"articles:           {len(data):,}")
    print(f"without signature:  {sum(s is None for s in sigs):,}")
    print(f"entities:           {t_ent:.2f} s for {len(base):,} distinct stories (not timed below)")
    print(f"signature():        {t_sig:.2f} s total, {1000 * t_sig / len(data):.3f} ms/article, "
          f"{sig_bytes / max(len(data), 1):.0f} bytes/article")
    print(f"group():            {t_group:.2f} s wall, {c_group:.2f} s CPU")
    print(f"groups (size >= 2): {len(multi):,}")
    print(f"articles grouped:   {grouped:,} ({100 * grouped / max(len(data), 1):.1f}%)")
    print("group sizes:        " + ", ".join(
        f"{k}: {sizes[k]}" for k in ("2", "3", "4-5", "6-10", "11-25", ">25") if sizes[k]))

    rnd = random.Random(args.seed)
    sample = rnd.sample(sorted(multi), min(args.show, len(multi)))
    for n, g in enumerate(sample, 1):
        print(f"\n--- group {n}/{len(sample)}: {len(multi[g])} articles")
        for aid in multi[g][:6]:
            s = by_id[aid]
            words = " ".join(s["body"].split()[:args.words])
            print(f"  [{aid} {s.get('published') or 'undated'}] {s['title']!r}")
            print(f"      {words}")
        if len(multi[g]) > 6:
            print(f"  ... and {len(multi[g]) - 6} more")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
