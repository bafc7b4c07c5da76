"""Same-story grouping on Reuters-21578: how many groups, how big, how fast,
and a random sample of groups for a person to judge precision.

Signatures are computed directly with :func:`archive.stories.signature` (no
index is built), entities with the archive's own extraction and resolver
(once per distinct story: the scaled copies repeat the text), then
:func:`archive.stories.group` runs over all of them, as the writer does at the
end of a reindex.  Only ``group()`` is the timed figure the issue sets (at
most 30 s at 190k on 2 cores); it is timed at each scale asked for, 19k and
~190k by default.  A scaled copy differs from its story only by the date, so
its signature is the story's with the date field rewritten (checked against
``signature()`` on a sample of copies).

    .venv/bin/python -m bench.story_groups                  # 19,043 and ~190k stories
    .venv/bin/python -m bench.story_groups --scale 1        # 19,043 only
    .venv/bin/python -m bench.story_groups --limit 6000     # first 6,000 (and x10)
    .venv/bin/python -m bench.story_groups --show 30 --seed 7
"""
from __future__ import annotations

import argparse
import random
import struct
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


def _redated(sig, published):
    """``sig`` with its publication date set to ``published`` (the first
    uint32 after the magic number, see :func:`archive.stories.signature`)."""
    if sig is None:
        return None
    head = bytearray(sig[:32])
    struct.pack_into("<I", head, 4, stories._ordinal(published))
    return bytes(head) + sig[32:]


def _timed(items) -> tuple[dict, float, float]:
    """group() over ``items``: the groups, wall and CPU seconds."""
    t0, c0 = time.perf_counter(), time.process_time()
    groups = stories.group(items)
    return groups, time.perf_counter() - t0, time.process_time() - c0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="first N stories only")
    ap.add_argument("--scale", default="1,10",
                    help="times to repeat the collection, comma-separated: one timing each")
    ap.add_argument("--show", type=int, default=15, help="random groups to print")
    ap.add_argument("--seed", type=int, default=1, help="random seed for the sample")
    ap.add_argument("--words", type=int, default=30, help="first words of each body to print")
    args = ap.parse_args(argv)
    scales = sorted({max(1, int(x)) for x in str(args.scale).split(",") if x.strip()})

    base = list(iter_stories(limit=args.limit))
    t0 = time.perf_counter()
    ents = _entities(base)
    t_ent = time.perf_counter() - t0
    t0 = time.perf_counter()
    base_sigs = {s["id"]: stories.signature(s["body"], published=s.get("published"),
                                            title=s.get("title")) for s in base}
    t_sig = time.perf_counter() - t0
    sig_bytes = sum(len(s) for s in base_sigs.values() if s)
    print(f"stories:            {len(base):,}")
    print(f"without signature:  {sum(s is None for s in base_sigs.values()):,}")
    print(f"entities:           {t_ent:.2f} s for {len(base):,} distinct stories (not timed below)")
    print(f"signature():        {t_sig:.2f} s total, {1000 * t_sig / max(len(base), 1):.3f} "
          f"ms/article, {sig_bytes / max(len(base), 1):.0f} bytes/article")

    first = None
    for scale in scales:
        data = list(repeated(base, scale)) if scale > 1 else base
        # data is base, then base again with shifted dates: copy k is of base[k % len(base)]
        origin = [base[k % len(base)]["id"] for k in range(len(data))]
        sigs = [base_sigs[o] if k < len(base) else _redated(base_sigs[o], s.get("published"))
                for k, (s, o) in enumerate(zip(data, origin))]
        for k in random.Random(scale).sample(range(len(data)), min(200, len(data))):
            s = data[k]
            assert sigs[k] == stories.signature(s["body"], published=s.get("published"),
                                                title=s.get("title")), s["id"]
        items = [stories.Item(s["id"], sig, ents[o], s.get("source") or "")
                 for s, sig, o in zip(data, sigs, origin)]
        # the writer's process starts with empty word caches: signatures come from loader workers
        stories._rarity_cache.clear()
        stories._entity_cache.clear()
        groups, t_group, c_group = _timed(items)

        members = defaultdict(list)
        for aid, g in groups.items():
            members[g].append(aid)
        multi = {g: sorted(m) for g, m in members.items() if len(m) > 1}
        grouped = sum(len(m) for m in multi.values())
        sizes = Counter(_size_bucket(len(m)) for m in multi.values())
        print(f"\n== x{scale}: {len(data):,} articles")
        print(f"group():            {t_group:.2f} s wall, {c_group:.2f} s CPU")
        print(f"groups (size >= 2): {len(multi):,}")
        print(f"articles grouped:   {grouped:,} ({100 * grouped / max(len(data), 1):.1f}%)")
        print("group sizes:        " + ", ".join(
            f"{k}: {sizes[k]}" for k in ("2", "3", "4-5", "6-10", "11-25", ">25") if sizes[k]))
        if first is None:
            first, by_id = multi, {s["id"]: s for s in data}
    multi = first

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
