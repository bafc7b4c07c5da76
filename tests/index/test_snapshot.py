"""A search reads one generation through one Snapshot: its searcher, arrays
and resolver belong together and are replaced together after a reindex."""
from __future__ import annotations

import json

import index
from archive.synthetic import stories
from index import core


def _write(path, recs):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for r in recs:
            fh.write(json.dumps(r) + "\n")


def test_a_snapshot_is_one_generation_and_is_replaced_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(core, "REFRESH_SECONDS", 0.0)
    recs = list(stories(40, seed=11))
    src = tmp_path / "wire"
    ix = index.open_index(tmp_path / "ix")
    _write(src / "a.jsonl", recs[:20])
    ix.reindex([src], progress=False)
    loads = []
    first = ix._state()
    first.load_resolver = lambda gen: loads.append(gen) or ix._resolver(gen)
    assert first.generation == first.searcher.reader().generation()
    assert first.arrays.ndocs == first.searcher.reader().doc_count_all()
    assert loads == []                        # nothing asked the resolver yet
    assert first.resolve("") is None          # asks it: loaded now, once
    first.resolve("anything")
    assert loads == [first.generation]

    _write(src / "b.jsonl", recs[20:])
    ix.reindex([src], progress=False)
    second = ix._state()
    second.load_resolver = lambda gen: loads.append(gen) or ix._resolver(gen)
    assert second.generation > first.generation
    assert second.searcher is not first.searcher and second.arrays is not first.arrays
    assert second.searcher.doc_count() == 40
    second.resolver
    assert loads == [first.generation, second.generation]
