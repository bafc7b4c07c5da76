"""Helpers for the reliability tests (crash safety, concurrency, disk faults).

Not a test module.  The stories are synthetic wire copy from
:mod:`archive.synthetic` (deterministic, so every clone tests the same
articles), written as JSONL into temporary folders; the base index that
several tests start from is built once per test session and copied, because
building it is the expensive part.
"""
from __future__ import annotations

import atexit
import functools
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.reuters import write_jsonl  # noqa: E402
from archive.synthetic import stories as synthetic_stories  # noqa: E402

#: Synthetic stories in the shared base index (crash, concurrency and query tests).
BASE_N = 1500

#: The CLI exactly as a user runs it (``python -m web.cli`` == ``newsarchive``).
CLI = [sys.executable, "-m", "web.cli"]

#: Searches whose totals must survive every fault.
PROBES = [
    dict(query=""),
    dict(query="oil"),
    dict(query="strike OR deficit"),
    dict(query='"river levels"'),
    dict(query="budget", since="2025-03-01", until="2025-03-31"),
    dict(query="", sort="date", since="2025-06-15"),
]


@functools.lru_cache(maxsize=None)
def stories(n: int) -> tuple:
    return tuple(synthetic_stories(n, seed=7))


def write_stories(folder: Path, first: int, last: int, per_file: int = 250,
                  prefix: str = "wire") -> list[Path]:
    """Stories ``first..last-1`` as JSONL files named ``<prefix>-NNN.jsonl`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = write_jsonl(stories(last)[first:last], folder / ".tmp-write", per_file=per_file)
    out = []
    for p in paths:
        dest = folder / p.name.replace("reuters", prefix)
        os.replace(p, dest)
        out.append(dest)
    (folder / ".tmp-write").rmdir()
    return out


def ids(first: int, last: int) -> set:
    return {s["id"] for s in stories(last)[first:last]}


_SESSION_TMP = Path(tempfile.mkdtemp(prefix="newsarchive-reliability-"))
atexit.register(shutil.rmtree, _SESSION_TMP, True)


@functools.lru_cache(maxsize=None)
def _base(n: int) -> tuple[Path, Path]:
    import index
    src = _SESSION_TMP / f"src-{n}"
    write_stories(src, 0, n)
    ixdir = _SESSION_TMP / f"index-{n}"
    summary = index.open_index(ixdir).reindex([src], progress=False)
    assert summary.added == n and not summary.skipped, summary.to_dict()
    return src, ixdir


def base_copy(tmp_path: Path, n: int) -> tuple[Path, Path]:
    """(source folder, fresh index copy) for the session's base of ``n`` Reuters stories.

    The source folder is shared between tests and must not be changed: new
    articles go into a second source folder reindexed together with it (the
    copied index stores the shared folder's paths, so its articles stay
    "unchanged" in an incremental pass)."""
    src, ixdir = _base(n)
    copy = tmp_path / "index"
    shutil.copytree(ixdir, copy)
    return src, copy


def totals(ix, probes=PROBES) -> list:
    out = []
    for p in probes:
        r = ix.search(**p)
        assert r.error is None, (p, r.error)
        out.append(r.total)
    return out


def all_ids(ix) -> set:
    """Every article id in the index (read straight from the stored fields)."""
    _snap = ix._state()
    s, _ = _snap.searcher, _snap.arrays
    return {f["id"] for _, f in s.reader().iter_docs()}


def run_cli(*args, check=None, timeout=300, env=None) -> subprocess.CompletedProcess:
    p = subprocess.run(CLI + [str(a) for a in args], cwd=ROOT, capture_output=True, text=True,
                       timeout=timeout, env=env)
    if check is not None:
        assert p.returncode == check, (p.returncode, p.stdout[-2000:], p.stderr[-2000:])
    return p


def start_cli(*args, prelude: str = "") -> subprocess.Popen:
    """Start the CLI in a subprocess; ``prelude`` is Python run first (fault injection)."""
    code = (prelude + "\nimport sys\nfrom web.cli import main\n"
            "sys.exit(main(sys.argv[1:]))\n")
    return subprocess.Popen([sys.executable, "-c", code] + [str(a) for a in args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def kill_when(proc: subprocess.Popen, folder: Path, ready, timeout: float = 180) -> list[str]:
    """SIGKILL ``proc`` as soon as ``ready(new_file_names)`` is true for the
    files that appeared in ``folder`` since the start; returns those names.
    Fails if the process finished before the moment came."""
    before = set(os.listdir(folder))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = sorted(set(os.listdir(folder)) - before)
        if ready(new):
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
            assert proc.returncode == -signal.SIGKILL, proc.returncode
            # at once: no loader worker left behind may keep the lock alive
            from index.locking import is_locked
            assert not is_locked(folder), "the killed writer's lock outlived it"
            return new
        if proc.poll() is not None:
            raise AssertionError(f"reindex ended (rc {proc.returncode}) before the kill point; "
                                 f"new files: {new}; stderr: {proc.stderr.read()[-1000:]}")
        time.sleep(0.003)
    proc.kill()
    raise AssertionError("kill point never reached")


SEGMENT_FILE = re.compile(r"^(MAIN_[a-z0-9]+)\.")


def leftover_files(folder: Path) -> list[str]:
    """Files in an index folder that no committed generation needs.

    A clean index holds: one TOC, the segments it names, the two lock files,
    resolver JSON of the last two generations and ``last-reindex.json``.
    """
    from whoosh import index as windex
    ix = windex.open_dir(str(folder))
    live = {seg.segment_id() for seg in ix._segments()}
    gen = ix.latest_generation()
    out = []
    for name in sorted(os.listdir(folder)):
        m = SEGMENT_FILE.match(name)
        if m and m.group(1) not in live:
            out.append(name)
        elif name.startswith("_MAIN_") and name != f"_MAIN_{gen}.toc":
            out.append(name)
        elif name == "MAIN.tmp" or ".tmp" in name:
            out.append(name)
    return out


#: Fault injection for the CLI (``start_cli(prelude=...)``): the writer SIGKILLs
#: itself right before (``before=True``) or right after Whoosh publishes the new
#: table of contents -- the commit point, when the segment files are complete.
KILL_AT_TOC = """
import os, signal
import whoosh.index as wi
_write = wi.TOC.write
def write(self, storage, indexname):
    if {before!r}:
        os.kill(os.getpid(), signal.SIGKILL)
    _write(self, storage, indexname)
    os.kill(os.getpid(), signal.SIGKILL)
wi.TOC.write = write
"""
