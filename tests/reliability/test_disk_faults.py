"""Disk full and read-only index folders: a clear failure, the old index intact.

Where the test may mount file systems (root with CAP_SYS_ADMIN, as in the
project's CI container) the faults are real: a tiny tmpfs filled to the brim,
and a tmpfs remounted read-only.  The disk-full path is also simulated in
process -- every file Whoosh creates fails with ENOSPC after a byte budget --
so it is tested on any machine, at three different moments of the write.
"""
from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import subprocess

import pytest

import index
import whoosh.filedb.filestore as filestore
from index.locking import is_locked
from web.app import create_app

from tests._reliability import leftover_files, run_cli, write_stories

NO_SPACE = "No space left on device"


def _totals(ix):
    return [ix.search(q).total for q in ("", "Taliban", "ceasefire OR talks")]


# -- a simulated full disk (always runs) ------------------------------------------

class _Budget:
    left = None          # bytes Whoosh may still write; None = unlimited


class _FullDisk:
    """A file whose writes fail with ENOSPC once the budget is spent."""

    def __init__(self, f):
        self._f = f

    def write(self, data):
        if _Budget.left is not None:
            if _Budget.left < len(data):
                raise OSError(errno.ENOSPC, NO_SPACE)
            _Budget.left -= len(data)
        return self._f.write(data)

    def __getattr__(self, name):
        return getattr(self._f, name)


@pytest.fixture()
def full_disk(monkeypatch):
    create = filestore.FileStorage.create_file

    def create_file(self, name, *a, **kw):
        f = create(self, name, *a, **kw)
        f.file = _FullDisk(f.file)
        return f

    monkeypatch.setattr(filestore.FileStorage, "create_file", create_file)
    _Budget.left = None
    yield _Budget
    _Budget.left = None


@pytest.fixture(scope="module")
def wire(tmp_path_factory):
    src = tmp_path_factory.mktemp("wire")
    write_stories(src, 0, 300)
    return src


def test_disk_full_fails_clearly_and_keeps_the_index(full_disk, wire, tmp_path, corpus_dir):
    ix = index.open_index(tmp_path / "index")
    ix.reindex([corpus_dir], progress=False)
    before = _totals(ix)
    # run out of space early (stored fields), mid-way, and late (at the commit)
    for budget in (50_000, 1_000_000, 3_000_000):
        full_disk.left = budget
        with pytest.raises(index.IndexError_) as err:
            ix.reindex([corpus_dir, wire], progress=False)
        msg = str(err.value)
        assert NO_SPACE in msg and "previous index kept" in msg and "\n" not in msg, msg
        assert _totals(ix) == before, budget
        assert _totals(index.open_index(tmp_path / "index")) == before
        assert not is_locked(tmp_path / "index")
    # space is back: the same process (an embedded library) can reindex again --
    # a failed commit used to leave Whoosh's own lock held for good
    full_disk.left = None
    summary = ix.reindex([corpus_dir, wire], progress=False)
    assert summary.added == 300 and summary.articles == 305
    assert ix.search("").total == 305
    assert leftover_files(tmp_path / "index") == []          # the debris is cleaned up


def test_creating_an_index_on_a_full_disk_is_one_clear_error(full_disk, tmp_path):
    full_disk.left = 0
    with pytest.raises(index.IndexError_) as err:
        index.open_index(tmp_path / "new-index")
    assert NO_SPACE in str(err.value)


def test_index_folder_that_is_a_file(tmp_path, corpus_dir):
    target = tmp_path / "index"
    target.write_text("not a folder", "utf-8")
    for args in (["reindex", corpus_dir], ["search", "x"], ["stats"]):
        p = run_cli(*args, "--index", target)
        assert p.returncode == 1, (args, p.stderr)
        lines = p.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in p.stderr, p.stderr
        assert str(target) in lines[0]
    assert target.read_text("utf-8") == "not a folder"


# -- real faults on a tmpfs (where mounting is allowed) ---------------------------

def _mount(*args) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@contextlib.contextmanager
def tmpfs(path, size):
    path.mkdir(parents=True, exist_ok=True)
    if not shutil.which("mount") or not _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                                               str(path)):
        pytest.skip("cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN); "
                    "the simulated disk-full test covers the write path")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def _fill(folder, leave: int):
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    with open(folder / "ballast", "wb") as fh:
        fh.write(b"\0" * max(free - leave, 0))


def test_disk_full_on_a_real_tmpfs(tmp_path, wire, corpus_dir):
    with tmpfs(tmp_path / "mnt", "32m") as mnt:
        ixdir = mnt / "index"
        run_cli("reindex", corpus_dir, "--index", ixdir, check=0)
        before = _totals(index.open_index(ixdir))
        _fill(mnt, leave=600_000)
        p = run_cli("reindex", corpus_dir, wire, "--index", ixdir)
        assert p.returncode == 1 and p.stdout == "", (p.stdout, p.stderr)
        lines = p.stderr.strip().splitlines()
        assert len(lines) == 1 and NO_SPACE in lines[0] and "previous index kept" in lines[0]
        assert _totals(index.open_index(ixdir)) == before
        search = run_cli("search", "Taliban", "--json", "--index", ixdir, check=0)
        assert json.loads(search.stdout)["total"] == before[1]
        assert not is_locked(ixdir)

        (mnt / "ballast").unlink()                         # the user frees space
        done = json.loads(run_cli("reindex", corpus_dir, wire, "--index", ixdir, "--json",
                                  check=0).stdout)
        assert done["added"] == 300 and done["articles"] == 305
        assert leftover_files(ixdir) == []


def test_read_only_index_folder(tmp_path, corpus_dir, wire):
    with tmpfs(tmp_path / "mnt", "16m") as mnt:
        ixdir = mnt / "index"
        run_cli("reindex", corpus_dir, "--index", ixdir, check=0)
        before = _totals(index.open_index(ixdir))
        files = sorted((p.name, p.stat().st_size) for p in ixdir.iterdir())
        assert _mount("-o", "remount,ro", str(mnt))
        try:
            p = run_cli("reindex", corpus_dir, wire, "--index", ixdir)
            assert p.returncode == 1
            lines = p.stderr.strip().splitlines()
            assert len(lines) == 1 and "Read-only file system" in lines[0], p.stderr
            # reading a read-only index works: library, CLI and web
            assert _totals(index.open_index(ixdir)) == before
            out = run_cli("search", "Taliban", "--json", "--index", ixdir, check=0)
            assert json.loads(out.stdout)["total"] == before[1]
            client = create_app(ixdir, testing=True).test_client()
            assert client.get("/api/search?q=Taliban").get_json()["total"] == before[1]
            assert client.get("/search?q=Taliban").status_code == 200
            assert sorted((p.name, p.stat().st_size) for p in ixdir.iterdir()) == files
        finally:
            _mount("-o", "remount,rw", str(mnt))
        done = json.loads(run_cli("reindex", corpus_dir, wire, "--index", ixdir, "--json",
                                  check=0).stdout)
        assert done["articles"] == 305
