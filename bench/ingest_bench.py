"""Reindex cost follows the change (issue 14): full, unchanged rerun, +1% new.

Builds Reuters-21578 (x ``--scale``) as JSONL files of 5,000 stories, then
runs ``newsarchive reindex`` three times as a separate process each:

1. a full reindex into a fresh index;
2. a rerun with nothing changed;
3. a rerun after adding 1% new stories (a new file; new ids and URLs);

and prints each run's wall and CPU time (user+sys of the CLI and its reaped
loader workers, which a shared machine distorts less), their share of the
full run, and the peak
resident memory of the largest process of the run (the CLI or a loader
worker), sampled from /proc every 0.2 s and, for the CLI, its exact
``ru_maxrss``.

    .venv/bin/python -m bench.ingest_bench              # ~19k stories
    .venv/bin/python -m bench.ingest_bench --scale 5    # ~95k
    .venv/bin/python -m bench.ingest_bench --scale 10   # ~190k

Targets: unchanged <= 5% of full, +1% <= 10% of full, peak <= 1.5 GB and
flat from x5 to x10.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.reuters_data import iter_stories, repeated, write_jsonl

ROOT = Path(__file__).resolve().parents[1]


def _tree(root_pid: int) -> list[int]:
    kids = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        kids.setdefault(ppid, []).append(int(name))
    out, todo = [], [root_pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, ()))
    return out


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_reindex(src: Path, ixdir: Path) -> dict:
    """One ``newsarchive reindex`` process: seconds, peak MB, summary."""
    cmd = [sys.executable, "-m", "web.cli", "reindex", str(src), "--index", str(ixdir), "--json"]
    out_f = tempfile.TemporaryFile("w+")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out_f, stderr=subprocess.DEVNULL, text=True)
    peak = {"any": 0.0}
    done = threading.Event()

    def sample():
        while not done.is_set():
            for pid in _tree(proc.pid):
                peak["any"] = max(peak["any"], _rss_mb(pid))
            done.wait(0.2)
    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, status, usage = os.wait4(proc.pid, 0)
    secs = time.perf_counter() - t0
    done.set()
    th.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    out_f.seek(0)
    text = out_f.read()
    if proc.returncode != 0:
        raise SystemExit(f"reindex failed ({proc.returncode}): {text[-2000:]}")
    summary = json.loads(text.strip().splitlines()[-1])
    try:
        meta = json.loads((ixdir / "last-reindex.json").read_text("utf-8"))
    except (OSError, ValueError):
        meta = {}
    for key in ("phases", "phases_cpu", "phases_mb", "phases_peak_mb"):
        summary[key] = meta.get(key) or {}
    return {"seconds": secs, "cpu": usage.ru_utime + usage.ru_stime,
            "peak_mb": max(peak["any"], usage.ru_maxrss / 1024),
            "main_mb": usage.ru_maxrss / 1024, "summary": summary}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--keep", help="work in this folder and keep it")
    args = ap.parse_args(argv)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="na-ingest-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        stories = list(iter_stories(limit=args.limit))
        if args.scale > 1:
            stories = list(repeated(stories, args.scale))
        src, ixdir = work / "src", work / "ix"
        for p in (src, ixdir):
            if p.exists():
                shutil.rmtree(p)
        write_jsonl(stories, src)
        n = len(stories)
        print(f"corpus: {n:,} stories in {len(list(src.glob('*.jsonl')))} JSONL files")
        rows = []
        full = run_reindex(src, ixdir)
        rows.append(("full reindex", full))
        rows.append(("rerun, nothing changed", run_reindex(src, ixdir)))
        k = max(1, n // 100)
        new = [dict(s, id=f"new-{s['id']}", url=(s.get("url") or f"https://x.example/{s['id']}")
                    + "?v=new", title=f"{s.get('title') or ''} (new)") for s in stories[:k]]
        with open(src / "zz-new.jsonl", "w", encoding="utf-8") as fh:
            for s in new:
                fh.write(json.dumps(s) + "\n")
        rows.append((f"adding {k:,} new (1%)", run_reindex(src, ixdir)))
        print(f"\n| run | wall | % of full | CPU (user+sys, with workers) | CPU % of full "
              f"| peak memory (largest process) | CLI process |")
        print("|---|---|---|---|---|---|---|")
        for name, r in rows:
            print(f"| {name} | {r['seconds']:.1f} s | {100 * r['seconds'] / full['seconds']:.1f}% "
                  f"| {r['cpu']:.1f} s | {100 * r['cpu'] / full['cpu']:.1f}% "
                  f"| {r['peak_mb']:.0f} MB | {r['main_mb']:.0f} MB |")
        for name, r in rows:
            s = r["summary"]
            print(f"{name}: added {s['added']}, updated {s['updated']}, unchanged "
                  f"{s['unchanged']}, relinked {s.get('relinked')}, skipped {len(s['skipped'])}, "
                  f"articles {s['articles']}")
            print("    phases (s): " + ", ".join(f"{k} {v:.1f}" for k, v in s["phases"].items()))
            if s["phases_cpu"]:
                print("    phases, CLI CPU (s): "
                      + ", ".join(f"{k} {v:.1f}" for k, v in s["phases_cpu"].items()))
            if s.get("phases_mb"):
                print("    CLI resident MB at the end of each phase: "
                      + ", ".join(f"{k} {v:.0f}" for k, v in s["phases_mb"].items() if v))
            if s.get("phases_peak_mb"):
                print("    CLI peak MB by the end of each phase: "
                      + ", ".join(f"{k} {v:.0f}" for k, v in s["phases_peak_mb"].items() if v))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
