"""Same-story grouping on BASIL (basil-dev): pairwise P/R/F1 with floors.

basil-dev holds 50 events of 2010-2014, each reported by three outlets in
their own words (150 JSON articles).  The articles are indexed with the
project's own reindex into a temporary index, and the shared scorer
(``tools/story_score.py``) reads the groups back through the CLI, as a user's
script would.

    .venv/bin/python -m bench.eval eval_stories
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.evalkit import shared

#: floors just under the measured figures: P 1.000 R 0.807 F1 0.893 (issue 13; before: 1.00 / 0.37 / 0.54)
FLOORS = {"precision": 0.97, "recall": 0.81, "f1": 0.895}


def score(src: Path, gold: Path, tool: Path) -> dict:
    """Index ``src`` with ``newsarchive reindex`` and score it with ``tool``."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    with tempfile.TemporaryDirectory(prefix="eval-stories-") as tmp:
        ix = Path(tmp) / "ix"
        subprocess.run(["newsarchive", "reindex", str(src), "--index", str(ix)],
                       env=env, check=True, capture_output=True, text=True)
        out = subprocess.run([sys.executable, str(tool), str(gold), str(ix)],
                             env=env, check=True, capture_output=True, text=True).stdout
    print("   " + out.strip().replace("\n", "\n   "))
    m = re.search(r"pairwise P ([\d.]+) R ([\d.]+) F1 ([\d.]+)", out)
    if not m:
        raise RuntimeError(f"story_score.py printed no figures:\n{out}")
    return {"precision": float(m[1]), "recall": float(m[2]), "f1": float(m[3])}


def evaluate(check) -> None:
    data = shared("data", "basil-dev")
    figures = score(data / "src", data / "gold.json", shared("tools", "story_score.py"))
    for name, floor in FLOORS.items():
        check(f"basil-dev same-story {name}", figures[name], floor)


if __name__ == "__main__":
    from bench.evalkit import Checker
    c = Checker()
    evaluate(c)
    sys.exit(1 if c.failed else 0)
