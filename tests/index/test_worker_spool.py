"""The loader's workers spool their records themselves.

A worker writes each loaded record (body, mentions, postings, signature) to
a spool file of its own and hands the writer only the record's identity and
version keys and where it is; the writer reads the record back when it adds
the article.  The index must be the one an in-process load gives, the
writer must never receive a whole record through the pool, and no spool file
may outlive the reindex, whether it succeeds or fails.
"""
from __future__ import annotations

import os

import pytest

import index
from index import loading, writer

from tests._index_helpers import write_wire


@pytest.fixture(scope="module")
def src(tmp_path_factory):
    root = tmp_path_factory.mktemp("wspool")
    write_wire(root / "src" / "a.jsonl", 150, seed=13)
    write_wire(root / "src" / "b.jsonl", 60, seed=14, id_prefix="b-")
    return root / "src"


def _stored(ix):
    with ix._ix.searcher() as s:
        return {f["id"]: dict(f) for _n, f in s.reader().iter_docs()}


def test_worker_spools_give_the_in_process_index(tmp_path, src, monkeypatch):
    monkeypatch.setattr(writer, "PARALLEL_MIN_BYTES", 10 ** 12)      # loaded in-process
    alone = index.open_index(tmp_path / "alone")
    alone.reindex([src], progress=False)

    received = []
    real = loading.run_tasks

    def watching(pool, tasks, *a, **k):
        assert pool is not None
        for task, result in real(pool, tasks, *a, **k):
            items = result if task[0] == "lines" else [i for r in result for i in r["items"]]
            received.extend(items)
            yield task, result
    monkeypatch.setattr(writer, "PARALLEL_MIN_BYTES", 0)               # the pool's workers
    monkeypatch.setattr(loading, "run_tasks", watching)
    pooled = index.open_index(tmp_path / "pooled")
    summary = pooled.reindex([src], progress=False)
    assert summary.added == 210
    assert len(received) == 210
    assert all(set(r) == set(loading.BRIEF_KEYS) | {"_spool"} for r in received)
    assert all(os.path.basename(r["_spool"][0]).startswith(".spool-") for r in received)
    assert _stored(pooled) == _stored(alone)
    assert not [n for n in os.listdir(tmp_path / "pooled") if n.startswith(".spool-")]


def test_a_failed_reindex_leaves_no_worker_spool(tmp_path, src, monkeypatch):
    monkeypatch.setattr(writer, "PARALLEL_MIN_BYTES", 0)

    def broken(*a, **k):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(writer._Plan, "choose", broken)
    ix = index.open_index(tmp_path / "ix")
    with pytest.raises(index.IndexError_):
        ix.reindex([src], progress=False)
    assert not [n for n in os.listdir(tmp_path / "ix") if n.startswith(".spool-")]


def test_the_passes_read_only_a_records_light_part(tmp_path):
    """A spooled record is its light part (mentions, signature, outlet: what
    the entity and story passes read) then the rest: ``light`` unpickles only
    the first, ``get`` gives back the whole record."""
    spool = writer._Spool(tmp_path)
    try:
        rec = {"id": "a", "body": "text " * 500, "mentions": {"forms": {"Oslo": {"n": 1}}},
               "sig": b"\x01\x02", "source": "Wire", "_pb": [(b"text", 500, 500.0, b"x")]}
        first, second = spool.put(rec), spool.put({**rec, "id": "b", "source": ""})
        assert spool.get(first) == rec and spool.get(second)["id"] == "b"
        assert spool.light(first) == {"mentions": rec["mentions"], "sig": b"\x01\x02",
                                      "source": "Wire"}
        assert set(spool.light(second)) == set(loading.LIGHT_KEYS)
    finally:
        spool.close()
    assert not list(tmp_path.iterdir())
