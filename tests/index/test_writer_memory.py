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
    assert set().union(*(f.docs for f in pool.forms.values())) <= set(state.group)
    monkeypatch.undo()
    other = index.open_index(tmp_path / "ix2")
    other.reindex([src], progress=False)
    pool2, state2 = _latest(tmp_path / "ix2")
    assert state.group == state2.group
    assert pool.to_json_like() == pool2.to_json_like()
