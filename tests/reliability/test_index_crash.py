"""Crash safety: a reindex killed with SIGKILL part way leaves the last committed
index searchable, no stale lock, and the next reindex completes."""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import index
from bench.reuters_data import iter_stories, write_jsonl

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = ("import sys; sys.path.insert(0, sys.argv[3]); import index; "
          "index.open_index(sys.argv[1]).reindex([sys.argv[2]], full=len(sys.argv) > 4, "
          "progress=False); print('done')")


def _kill_midway(ixdir, src, full=False):
    args = [sys.executable, "-c", SCRIPT, str(ixdir), str(src), str(ROOT)] + (["full"] if full else [])
    p = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    time.sleep(2.5)
    p.send_signal(signal.SIGKILL)
    out, _ = p.communicate()
    return out


def test_sigkill_during_reindex_and_full(tmp_path, corpus_dir):
    src = tmp_path / "src"
    write_jsonl(iter_stories(limit=2500), src, per_file=500)
    ixdir = tmp_path / "ix"
    ix = index.open_index(ixdir)
    ix.reindex([corpus_dir], progress=False)
    before = ix.search("taliban").total
    assert before == 5

    for full in (False, True):
        out = _kill_midway(ixdir, src, full=full)
        assert "done" not in out, "reindex finished before the kill; make the corpus larger"
        fresh = index.open_index(ixdir)                 # as a new process would
        assert fresh.search("taliban").total == before
        assert ix.search("taliban").total == before     # and a running one
        assert fresh.search("").total == 5

    # no stale lock; the next reindex completes with every article present
    s = ix.reindex([src], progress=False)
    assert s.articles == 5 + 2500
    assert index.open_index(ixdir).search("").total == 5 + 2500
