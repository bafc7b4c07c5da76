"""The reindex takes its caller's objects out of the cyclic collector while it
runs (``gc.freeze``), and gives them back after, whatever happens."""
from __future__ import annotations

import gc
import weakref

import pytest

import index
from index import writer


@pytest.fixture
def seen_freeze(monkeypatch):
    """Record how many objects were frozen while the reindex planned its work."""
    seen = []
    execute = writer._Plan.execute

    def spy(self, *args, **kwargs):
        seen.append(gc.get_freeze_count())
        return execute(self, *args, **kwargs)

    monkeypatch.setattr(writer._Plan, "execute", spy)
    return seen


def test_callers_objects_frozen_during_the_run_and_released_after(tmp_path, corpus_dir,
                                                                     seen_freeze):
    held = [{"n": i} for i in range(20_000)]          # what a caller holds
    assert gc.get_freeze_count() == 0
    s = index.open_index(tmp_path / "ix").reindex([corpus_dir], progress=False)
    assert s.added == 5
    assert seen_freeze and seen_freeze[0] >= len(held)
    assert gc.get_freeze_count() == 0


def test_released_when_the_run_fails(tmp_path, seen_freeze, monkeypatch):
    def boom(self, *args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(writer._Plan, "execute", boom)
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("Title\n\nA body that says something.\n", "utf-8")
    with pytest.raises(RuntimeError):
        index.open_index(tmp_path / "ix").reindex([src], progress=False)
    assert gc.get_freeze_count() == 0


def test_a_callers_own_freeze_is_left_alone(tmp_path, corpus_dir, seen_freeze):
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        index.open_index(tmp_path / "ix").reindex([corpus_dir], progress=False)
        assert seen_freeze == [before]
        assert gc.get_freeze_count() == before      # not unfrozen under the caller
    finally:
        gc.unfreeze()


def test_unfrozen_garbage_of_the_caller_is_collected_after(tmp_path, corpus_dir):
    class Cycle:
        pass

    a, b = Cycle(), Cycle()
    a.other, b.other = b, a
    ref = weakref.ref(a)
    index.open_index(tmp_path / "ix").reindex([corpus_dir], progress=False)
    del a, b
    gc.collect()
    assert ref() is None
