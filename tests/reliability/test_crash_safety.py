"""A reindex killed with SIGKILL never costs the archive what it held.

Each test starts ``newsarchive reindex`` as a subprocess over Reuters-21578
stories (from ``../shared``), kills it part way, and then checks what a user
would: searches answer from the last committed index with the same totals
(both in a process that had the index open before the kill, like a running
web app, and in a fresh one), no lock outlives the killed writer, and the next
reindex completes with every article present and no debris left behind.

Two kinds of kill: at a moment seen from outside (files of the new segment
appearing in the index folder, as a user's Ctrl+\\ or the OOM killer would
land), and at exact points inside the commit (a SIGKILL sent by the writer
to itself just before and just after Whoosh writes the new table of contents).
"""
from __future__ import annotations

import json
import time

import pytest

import index
from index.locking import is_locked

from tests._reliability import (BASE_N, KILL_AT_TOC, SEGMENT_FILE, all_ids, base_copy, ids,
                                kill_when, leftover_files, run_cli, start_cli, totals,
                                write_stories)

BASE = BASE_N        # stories in the committed index before the crash
MORE = 500           # stories the killed reindex was adding


def _after_kill_checks(ixdir, before, pre_opened, cli=False):
    """The index answers exactly as before the kill, and nothing is locked."""
    assert totals(pre_opened) == before            # a process that had it open
    fresh = index.open_index(ixdir)
    assert totals(fresh) == before                 # a process that opens it now
    assert not is_locked(ixdir) and fresh.stats()["writing"] is False
    if cli:
        out = run_cli("search", "oil", "--json", "--index", ixdir, check=0)
        assert json.loads(out.stdout)["total"] == before[1]
    return fresh


def _wait_for(fn, want, seconds=20):
    """Searchers refresh themselves (every 0.5 s); give them a bounded while."""
    deadline = time.monotonic() + seconds
    while fn() != want and time.monotonic() < deadline:
        time.sleep(0.1)
    return fn()


def test_sigkill_while_writing_new_articles(tmp_path):
    src, ixdir = base_copy(tmp_path, BASE)
    more = tmp_path / "more"
    write_stories(more, BASE, BASE + MORE, prefix="more")
    ix = index.open_index(ixdir)
    before = totals(ix)
    assert before[0] == BASE

    proc = start_cli("reindex", src, more, "--index", ixdir)
    # the writer has started a new segment: documents are being added
    new = kill_when(proc, ixdir, lambda names: any(n.startswith("MAIN_") for n in names))
    assert new, "killed before the writer started"

    fresh = _after_kill_checks(ixdir, before, ix, cli=True)
    assert all_ids(fresh) == ids(0, BASE)

    done = run_cli("reindex", src, more, "--index", ixdir, "--json", check=0)
    summary = json.loads(done.stdout)
    assert (summary["added"], summary["unchanged"], summary["skipped"]) == (MORE, BASE, [])
    after = index.open_index(ixdir)
    assert all_ids(after) == ids(0, BASE + MORE)
    assert after.search("").total == BASE + MORE
    # the process that had the index open all along sees the new articles too
    assert _wait_for(lambda: ix.search("").total, BASE + MORE) == BASE + MORE
    assert leftover_files(ixdir) == []


def test_sigkill_during_full_rebuild_commit(tmp_path):
    src, ixdir = base_copy(tmp_path, BASE)
    ix = index.open_index(ixdir)
    before = totals(ix)

    proc = start_cli("reindex", src, "--full", "--index", ixdir)
    # column files appear once the commit has begun writing the new segment
    kill_when(proc, ixdir, lambda names: any(n.endswith(".col") for n in names))

    fresh = _after_kill_checks(ixdir, before, ix)
    assert all_ids(fresh) == ids(0, BASE)

    done = run_cli("reindex", src, "--full", "--index", ixdir, "--json", check=0)
    summary = json.loads(done.stdout)
    assert summary["full"] and summary["articles"] == BASE and summary["skipped"] == []
    after = index.open_index(ixdir)
    assert totals(after) == before and all_ids(after) == ids(0, BASE)
    assert leftover_files(ixdir) == []


SMALL, ADDED = 300, 200     # a small base: these kills need no timing luck


@pytest.mark.parametrize("point,full", [("before-toc", False), ("after-toc", False),
                                        ("after-toc", True)])
def test_sigkill_at_the_commit_point(tmp_path, point, full):
    src, ixdir = base_copy(tmp_path, SMALL)
    more = tmp_path / "more"
    write_stories(more, SMALL, SMALL + ADDED, prefix="more")
    ix = index.open_index(ixdir)
    before = totals(ix)
    args = ["reindex", src, more, "--index", ixdir] + (["--full"] if full else [])

    proc = start_cli(*args, prelude=KILL_AT_TOC.format(before=point == "before-toc"))
    proc.wait(120)
    assert proc.returncode == -9, (proc.returncode, proc.stderr.read()[-2000:])
    assert not is_locked(ixdir), "the killed writer's lock outlived it"

    fresh = index.open_index(ixdir)
    if point == "before-toc":
        # nothing was published: the last committed index, exactly
        _after_kill_checks(ixdir, before, ix)
        assert all_ids(fresh) == ids(0, SMALL)
    else:
        # the commit was published before the kill: it is complete and searchable
        assert all_ids(fresh) == ids(0, SMALL + ADDED)
        assert _wait_for(lambda: ix.search("").total, SMALL + ADDED) == SMALL + ADDED
        assert fresh.search("oil").error is None

    done = run_cli(*args, "--json", check=0)
    summary = json.loads(done.stdout)
    if point == "after-toc" and not full:
        # nothing was lost, so nothing needs redoing
        assert (summary["added"], summary["updated"], summary["unchanged"]) == (0, 0, SMALL + ADDED)
    assert summary["articles"] == SMALL + ADDED
    assert all_ids(index.open_index(ixdir)) == ids(0, SMALL + ADDED)
    if point == "after-toc" and not full:
        # a rerun with nothing to write opens no writer, so the killed writer's
        # old TOC and empty temp folder wait for the next commit; no segment data does
        assert not [n for n in leftover_files(ixdir) if SEGMENT_FILE.match(n)]
    else:
        assert leftover_files(ixdir) == []


SIDE_PID = """
import os
from index import writer
writer.PARALLEL_ADD_MIN = 10
_start = writer._SideSegment.__init__
def _init(self, *a):
    _start(self, *a)
    tmp = os.path.join({folder!r}, "side.pid.tmp")   # renamed whole: the watcher
    with open(tmp, "w") as fh:                        # kills on seeing the name
        fh.write(str(self.proc.pid))
    os.replace(tmp, os.path.join({folder!r}, "side.pid"))
writer._SideSegment.__init__ = _init
_parent, _add = os.getpid(), writer._Plan._add_jobs
def _slow_side(self, *a):         # the side process is still at work when the kill lands
    if os.getpid() != _parent:
        import time
        time.sleep(30)
    return _add(self, *a)
writer._Plan._add_jobs = _slow_side
"""


def _gone(pid: int, seconds: float = 10) -> bool:
    """The process is gone (or a zombie waiting for init to reap it)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/status") as fh:
                if any(line.startswith("State:") and "Z" in line for line in fh):
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def test_sigkill_while_two_segments_are_written(tmp_path):
    """A big reindex writes a second segment in a forked process; killing the
    reindex kills it too, and the next reindex completes."""
    src, ixdir = base_copy(tmp_path, SMALL)
    more = tmp_path / "more"
    write_stories(more, SMALL, SMALL + ADDED, prefix="more")
    watch = tmp_path / "watch"
    watch.mkdir()
    ix = index.open_index(ixdir)
    before = totals(ix)

    proc = start_cli("reindex", src, more, "--index", ixdir,
                     prelude=SIDE_PID.format(folder=str(watch)))
    kill_when(proc, watch, lambda names: "side.pid" in names)
    side = int((watch / "side.pid").read_text())
    assert _gone(side), "the second writer process outlived the killed reindex"

    _after_kill_checks(ixdir, before, ix)
    done = run_cli("reindex", src, more, "--index", ixdir, "--json", check=0)
    summary = json.loads(done.stdout)
    assert (summary["added"], summary["unchanged"]) == (ADDED, SMALL)
    assert all_ids(index.open_index(ixdir)) == ids(0, SMALL + ADDED)
    assert leftover_files(ixdir) == []
