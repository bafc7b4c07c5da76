"""CoNLL-2003 dev: are the archive's entities right on ordinary news?

Runs ``newsarchive clean --json`` over the 214 dev documents (in-process, through
the CLI's own ``main``, so the output is the CLI's byte for byte), scores it with
``../shared/tools/entity_score.py`` (document-level sets of (name, type)) and
prints every figure.  Floors: PER+ORG+LOC name F1, typed F1 and person typed F1.

Then the extraction speed on one core: ``extract_mentions`` alone over the same
documents (loaded once, timed after a warm-up), as tokens per second, ms per
1,000-word article and the slowest article.

Usage: ``python -m bench.eval_conll`` or ``python -m bench.eval eval_conll``.
"""
from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.evalkit import Checker, shared

#: Floors just under the figures measured when they were set (issue 11: name 0.898,
#: typed 0.775, person typed 0.881; 130-170k tokens/s of CPU on the shared machine).
#: The issue's targets are name >= 0.85, typed >= 0.75, person typed >= 0.85 and
#: >= 100k tokens/s; before issue 11 the figures were 0.677 / 0.418 / 0.383.
FLOORS = {"conll name F1": 0.893, "conll typed F1": 0.775, "conll person typed F1": 0.875,
          "entity extraction ktokens/s": 100.0}


def clean_json(files: list[str]) -> str:
    """What ``newsarchive clean --json FILES`` prints."""
    from web import cli
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = cli.main(["clean", "--json", *files])
    if rc:
        raise RuntimeError(f"newsarchive clean exited {rc}")
    return out.getvalue()


def score(gold: Path, jsonl: str) -> tuple[str, dict]:
    """Run the shared scorer; return its report and the figures we floor."""
    tool = shared("tools", "entity_score.py")
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        f.write(jsonl)
        path = f.name
    try:
        report = subprocess.run([sys.executable, str(tool), str(gold), path], check=True,
                                capture_output=True, text=True).stdout
    finally:
        Path(path).unlink(missing_ok=True)
    figures = {}
    m = re.search(r"name F1 ([\d.]+), typed F1 ([\d.]+)", report)
    figures["conll name F1"], figures["conll typed F1"] = float(m.group(1)), float(m.group(2))
    for line in report.splitlines():
        parts = line.split()
        if parts and parts[0] == "person" and len(parts) >= 11:
            figures["conll person typed F1"] = float(parts[-1])
    return report, figures


def speed(files: list[str]) -> dict:
    """extract_mentions over the documents on one core (CPU time of the thread)."""
    import archive
    from archive.entities import extract_mentions
    arts = [a for a in archive.load_paths(files) if isinstance(a, archive.Article)]
    extract_mentions(arts[0])                      # gazetteer and lexicons load once
    words = per = 0
    slowest = (0.0, "")
    times = []
    t_all = time.perf_counter()
    for a in arts:
        n = len(re.findall(r"\S+", (a.title or "") + " " + (a.body or "")))
        t0 = time.thread_time()      # CPU time: the shared machine's load does not count
        extract_mentions(a)
        dt = time.thread_time() - t0
        times.append((dt, n))
        words += n
        if dt > slowest[0]:
            slowest = (dt, Path(a.path).name)
    total = time.perf_counter() - t_all
    per = sum(dt for dt, _ in times)
    return {"articles": len(arts), "tokens": words, "seconds": per,
            "tokens_per_s": words / per if per else 0.0,
            "ms_per_1000_words": per / words * 1000 * 1000 if words else 0.0,
            "slowest_ms": slowest[0] * 1000, "slowest": slowest[1], "wall": total}


def evaluate(check) -> None:
    root = shared("data", "conll2003-dev")
    files = sorted(str(p) for p in (root.resolve() / "docs").glob("*.txt"))
    t0 = time.perf_counter()
    jsonl = clean_json(files)
    print(f"clean --json over {len(files)} documents: {time.perf_counter() - t0:.1f} s")
    report, figures = score(root / "gold.json", jsonl)
    print(report.rstrip())
    sp = speed(files)
    print(f"extraction: {sp['tokens']} tokens in {sp['articles']} articles, "
          f"{sp['tokens_per_s'] / 1000:.0f}k tokens/s on one core, "
          f"{sp['ms_per_1000_words']:.2f} ms per 1,000-word article, "
          f"slowest {sp['slowest']} {sp['slowest_ms']:.1f} ms")
    for name, value in figures.items():
        check(name, value, FLOORS[name])
    check("entity extraction ktokens/s", sp["tokens_per_s"] / 1000,
          FLOORS["entity extraction ktokens/s"])


if __name__ == "__main__":
    c = Checker()
    evaluate(c)
    sys.exit(1 if c.failed else 0)
