"""A search reads one generation through one Snapshot: its searcher, arrays,
resolver and entity id table belong together and are replaced together after
a reindex.  The shared parts live once per generation in the index's
``Snapshots`` registry (issue 17 item 3), which keeps two generations and
builds each part once however many threads ask at the same time."""
from __future__ import annotations

import json
import threading
import time

import pytest

import index
from archive.synthetic import stories
from index import core, snapshot


def _write(path, recs):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for r in recs:
            fh.write(json.dumps(r) + "\n")


@pytest.fixture
def counted(monkeypatch):
    """Calls of the registry's two builders, by generation."""
    calls = {"arrays": [], "resolver": []}
    load_or_build, load_resolver = snapshot.docarrays.load_or_build, snapshot.load_resolver

    def arrays(folder, gen, searcher):
        calls["arrays"].append(gen)
        time.sleep(0.05)        # a slow build: concurrent first users must wait, not rebuild
        return load_or_build(folder, gen, searcher)

    def resolver(folder, gen):
        calls["resolver"].append(gen)
        time.sleep(0.05)
        return load_resolver(folder, gen)

    monkeypatch.setattr(snapshot.docarrays, "load_or_build", arrays)
    monkeypatch.setattr(snapshot, "load_resolver", resolver)
    monkeypatch.setattr(core, "REFRESH_SECONDS", 0.0)
    return calls


def _index(tmp_path, recs):
    src = tmp_path / "wire"
    _write(src / "a.jsonl", recs)
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([src], progress=False)
    ix._snapshots.preload = False       # so the test sees when the resolver is loaded
    return ix, src


def test_a_snapshot_is_one_generation_and_is_replaced_whole(tmp_path, counted):
    recs = list(stories(40, seed=11))
    ix, src = _index(tmp_path, recs[:20])
    first = ix._state()
    assert first.generation == first.searcher.reader().generation()
    assert first.arrays.ndocs == first.searcher.reader().doc_count_all()
    assert counted["resolver"] == []          # nothing asked the resolver yet
    assert first.resolve("") is None          # asks it: loaded now, once
    first.resolve("anything")
    assert counted["resolver"] == [first.generation]

    _write(src / "b.jsonl", recs[20:])
    ix.reindex([src], progress=False)
    second = ix._state()
    assert second.generation > first.generation
    assert second.searcher is not first.searcher and second.arrays is not first.arrays
    assert second.searcher.doc_count() == 40
    assert second.resolver is not first.resolver
    assert second.entity_ids is not first.entity_ids
    assert counted["resolver"] == [first.generation, second.generation]


def test_snapshots_of_one_generation_share_its_parts(tmp_path, counted):
    ix, _ = _index(tmp_path, list(stories(20, seed=3)))
    a, b = ix._state(), ix._state()
    assert a is not b and a.searcher is b.searcher      # the thread's own searcher
    assert a.arrays is b.arrays
    assert a.resolver is b.resolver
    assert a.entity_ids is b.entity_ids
    assert counted["arrays"] == [a.generation] and counted["resolver"] == [a.generation]
    # an entity page reads the generation's id table, not one of its own
    by_id, by_name = a.entity_ids
    assert set(by_name) == set(a.resolver.entities)


def test_the_registry_keeps_two_generations(tmp_path, counted):
    recs = list(stories(60, seed=5))
    ix, src = _index(tmp_path, recs[:20])
    seen = [ix._state()]
    for i, part in enumerate((recs[20:40], recs[40:])):
        _write(src / f"more{i}.jsonl", part)
        ix.reindex([src], progress=False)
        seen.append(ix._state())
        held = ix._snapshots.numbers()
        assert len(held) <= 2 and held[-1] == seen[-1].generation
        assert seen[-1].arrays is not seen[-2].arrays
        assert seen[-1].part is not seen[-2].part
    assert seen[0].generation not in ix._snapshots.numbers()
    assert len({id(s.arrays) for s in seen}) == 3
    assert counted["arrays"] == [s.generation for s in seen]      # each built once


def test_eight_threads_first_use_builds_once(tmp_path, counted):
    ix, _ = _index(tmp_path, list(stories(20, seed=7)))
    start = threading.Barrier(8)
    got, errors = [], []

    def worker():
        try:
            start.wait()
            snap = ix._state()              # each thread opens its own searcher
            got.append((snap.searcher, snap.arrays, snap.resolver, snap.entity_ids))
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(got) == 8
    assert len({id(g[0]) for g in got}) == 8                 # searchers stay per thread
    assert len({id(g[1]) for g in got}) == 1                 # arrays: one object...
    assert len({id(g[2]) for g in got}) == 1
    assert len({id(g[3]) for g in got}) == 1
    assert len(counted["arrays"]) == 1                       # ...built once
    assert len(counted["resolver"]) == 1
