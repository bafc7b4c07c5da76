"""`make eval`: every real-data evaluation with its floors.

Usage: ``python -m bench.eval [NAME ...]`` (default: all).  Prints each
evaluation's figures, then one line per figure under its floor; exits 1 if
any is, 2 if ../shared (or a part of it) is missing, 0 otherwise.
"""
from __future__ import annotations

import importlib
import sys
import time

from bench.evalkit import SHARED, Checker, MissingData

#: evaluation modules under bench/, in the order they run
EVALUATIONS = [
    "eval_html_dev",
    "eval_conll",
    "eval_reuters",
    "eval_stories",
    "eval_seeds",
    "eval_bench",
]


def main(argv=None) -> int:
    names = (argv if argv is not None else sys.argv[1:]) or EVALUATIONS
    if not SHARED.is_dir():
        print(f"make eval: no shared data at {SHARED} (set NEWSARCHIVE_SHARED); nothing evaluated")
        return 2
    check = Checker()
    for name in names:
        try:
            mod = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"bench.{name}":
                print(f"== {name}: not written yet")
                continue
            raise
        print(f"== {name}", flush=True)
        t0 = time.perf_counter()
        try:
            mod.evaluate(check)
        except MissingData as e:
            print(f"make eval: {e}")
            return 2
        print(f"   ({time.perf_counter() - t0:.1f} s)", flush=True)
    failed = check.failed
    print(f"== {len(check.checks)} figures, {len(failed)} under their floor")
    for c in failed:
        print(c.line())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
