"""What grows with the archive is let go before the story pass.

The story pass is a reindex's peak (its vectors cover weeks of articles), so
what the writer holds under it should be only what the pass needs: the
mention pool (every form of every article) is saved to its side file and let
go first, and the signatures wait on disk as handles (``archive.sigfile``).
An increment after that must still find the saved pool and state, and give
the groups a full build gives.
"""
from __future__ import annotations

import gc

import index
from archive import sigfile, stories
from archive.mention_pool import MentionPool
from index import archive_state, writer

from tests._index_helpers import write_wire


def _watch_assign(monkeypatch, folder):
    seen = []
    real = stories.assign

    def assign(items, state, *a, **k):
        items = list(items)
        if not items:         # an empty index's state rebuilt from its (no) stored fields
            return real(items, state, *a, **k)
        gc.collect()
        seen.append({
            "pools": sum(1 for o in gc.get_objects() if isinstance(o, MentionPool)),
            "pool_saved": [p.name for p in folder.glob("mentions-*.pickle")],
            "handles": sum(isinstance(it.sig, sigfile.Sig) for it in items)
                       + sum(isinstance(it.sig, sigfile.Sig) for it in state.items.values()),
            "bytes": sum(isinstance(it.sig, bytes) for it in items)
                     + sum(isinstance(it.sig, bytes) for it in state.items.values()),
        })
        return real(items, state, *a, **k)
    monkeypatch.setattr(writer.stories, "assign", assign)
    return seen


def _latest(folder):
    """The saved (pool, state) of the newest generation with side files."""
    gens = [g for g, _ in archive_state.generations.saved(
        folder, archive_state.POOL.prefix, archive_state.POOL.ext)]
    return archive_state.load(folder, max(gens))


def test_the_story_pass_runs_without_the_pool_and_over_handles(tmp_path, monkeypatch):
    src, folder = tmp_path / "src", tmp_path / "ix"
    write_wire(src / "a.jsonl", 80, seed=5)
    ix = index.open_index(folder)
    seen = _watch_assign(monkeypatch, folder)
    ix.reindex([src], progress=False)
    assert len(seen) == 1
    full = seen[0]
    assert full["pools"] == 0, "the mention pool is let go before the story pass"
    assert full["pool_saved"], "... once saved to its side file"
    assert full["handles"] >= 70 and full["bytes"] == 0
    write_wire(src / "b.jsonl", 20, seed=6, id_prefix="more-")
    s = ix.reindex([src], progress=False)
    assert s.added == 20 and len(seen) == 2
    inc = seen[1]
    assert inc["pools"] == 0 and inc["bytes"] == 0
    assert inc["handles"] >= 90                  # the saved state's and the new ones
    # the saved pool and state are what the next increment reads, and their
    # groups equal a full build's
    pool, state = _latest(folder)
    assert len(state.group) == 100
    assert {pool.ids[n] for f in pool.forms.values() for n in f.docs} <= set(state.group)
    monkeypatch.undo()
    other = index.open_index(tmp_path / "ix2")
    other.reindex([src], progress=False)
    pool2, state2 = _latest(tmp_path / "ix2")
    assert state.group == state2.group
    assert pool.to_json_like() == pool2.to_json_like()


def test_the_posting_pool_gets_what_the_budget_leaves(monkeypatch):
    monkeypatch.setattr(writer, "WRITER_OPTIONS", {"limitmb": 192})
    monkeypatch.setattr(writer, "WRITER_MEMORY_MB", 600)
    monkeypatch.setattr(writer, "LIMIT_MIN_MB", 48)
    monkeypatch.setattr(writer, "POOL_ESTIMATE", 1.0)
    assert writer.writer_options(rss_mb=100)["limitmb"] == 192       # room: the full pool
    assert writer.writer_options(rss_mb=500)["limitmb"] == 100       # the rest of the budget
    assert writer.writer_options(rss_mb=590)["limitmb"] == 48        # never under the floor
    # Whoosh's estimate runs low: what is left is divided by the overrun
    monkeypatch.setattr(writer, "POOL_ESTIMATE", 1.25)
    assert writer.writer_options(rss_mb=500)["limitmb"] == 80
    assert writer.writer_options(rss_mb=300)["limitmb"] == 192
    monkeypatch.setattr(writer, "WRITER_OPTIONS", {"limitmb": 0.02})
    assert writer.writer_options(rss_mb=100)["limitmb"] == 0.02      # a smaller setting holds


def test_a_reindex_sizes_its_pool_by_what_the_process_holds(tmp_path, monkeypatch):
    """The writers' pools are sized after the story state is let go, from the
    process's resident memory: a budget under it spills runs at the floor."""
    from index import _whoosh
    src = write_wire(tmp_path / "src" / "a.jsonl", 120, seed=9).parent
    limits, runs = [], []
    real_limit = _whoosh.pool_limit

    def pool_limit(w, mb):
        limits.append(mb)
        return real_limit(w, mb)
    saved = _whoosh._TermPool.save

    def counting_save(self):
        if self.fields:
            runs.append(sum(map(len, self.fields.values())))
        return saved(self)
    monkeypatch.setattr(_whoosh, "pool_limit", pool_limit)
    monkeypatch.setattr(_whoosh._TermPool, "save", counting_save)
    monkeypatch.setattr(writer, "WRITER_MEMORY_MB", 1)           # less than any process holds
    monkeypatch.setattr(writer, "LIMIT_MIN_MB", 0.01)
    ix = index.open_index(tmp_path / "ix")
    assert ix.reindex([src], progress=False).added == 120
    assert limits == [0.01]
    assert len(runs) > 3                 # the small pool spilled ...
    assert ix.search("", per_page=1).total == 120     # ... and every article is there


def test_an_increment_reads_the_saved_state_while_the_files_load(tmp_path, monkeypatch):
    """The saved pool and story state are read on a thread of their own while
    the workers load the changed files; a full rebuild and a rerun with
    nothing to load read nothing; an error in that read fails the reindex."""
    import threading
    src = write_wire(tmp_path / "src" / "a.jsonl", 60, seed=3).parent
    seen = []
    real = archive_state.load

    def load(folder, gen):
        seen.append(threading.current_thread().name)
        return real(folder, gen)
    monkeypatch.setattr(archive_state, "load", load)
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([src], progress=False, full=True)
    ix.reindex([src], progress=False)                     # nothing to load
    assert seen == []
    write_wire(src / "b.jsonl", 10, seed=4, id_prefix="b-")
    assert ix.reindex([src], progress=False).added == 10
    assert seen == ["newsarchive-early-state"]

    def broken(folder, gen):
        raise RuntimeError("state unreadable")
    monkeypatch.setattr(archive_state, "load", broken)
    write_wire(src / "c.jsonl", 5, seed=5, id_prefix="c-")
    import pytest
    with pytest.raises(RuntimeError, match="state unreadable"):
        ix.reindex([src], progress=False)
    assert ix.search("", per_page=1).total == 70
    assert threading.active_count() == 1 or not any(
        t.name == "newsarchive-early-state" for t in threading.enumerate())
