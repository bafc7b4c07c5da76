"""The doc arrays after a reindex decode only the segments that are new.

A Whoosh segment never changes once written, so the writer keeps what each
segment's keyword postings decode to (``index.segpostings``) and an increment
decodes only its own segment; the arrays must be exactly those built from
every posting, and a damaged or stale file must not change them.
"""
from __future__ import annotations

import numpy as np

import index
from index import _whoosh, docarrays, segfiles, segpostings

from tests._index_helpers import write_wire


def _segments(folder):
    with segfiles.open_dir(folder).searcher() as s:
        return {_whoosh.segment_id(sub.reader()) for sub, _ in s.leaf_searchers()}


def _assert_arrays_exact(folder):
    """The arrays the writer saved equal arrays built from every posting."""
    fix = segfiles.open_dir(folder)
    with fix.searcher() as s:
        saved = docarrays.DocArrays.load(folder / docarrays.saved_name(s.reader().generation()),
                                         s.reader().doc_count_all())
        fresh = docarrays.DocArrays(s)
    assert saved is not None
    for k in docarrays.DocArrays._ARRAYS:
        assert np.array_equal(getattr(saved, k), getattr(fresh, k)), k
    assert (saved.source_names, saved.story_names) == (fresh.source_names, fresh.story_names)
    for f, mv in (*fresh.entities.items(), ("authors", fresh.authors)):
        got = saved.entities[f] if f != "authors" else saved.authors
        assert got.names == mv.names, f
        for k in ("docs", "vals", "indptr", "rank"):
            assert np.array_equal(getattr(got, k), getattr(mv, k)), (f, k)
    return fresh


def _watch_decode(monkeypatch):
    decoded = []
    real = segpostings.decode

    def decode(reader, fields):
        decoded.append(_whoosh.segment_id(reader))
        return real(reader, fields)
    monkeypatch.setattr(segpostings, "decode", decode)
    return decoded


def test_an_increment_decodes_only_new_segments(tmp_path, monkeypatch):
    src, folder = tmp_path / "src", tmp_path / "ix"
    write_wire(src / "a.jsonl", 60, seed=7)
    ix = index.open_index(folder)
    decoded = _watch_decode(monkeypatch)
    ix.reindex([src], progress=False)
    first = _segments(folder)
    assert set(decoded) == first
    fresh = _assert_arrays_exact(folder)
    assert fresh.count == 60 and any(mv.names for mv in fresh.entities.values())
    kept = 0
    for k in range(3):
        decoded.clear()
        before = _segments(folder)
        write_wire(src / f"more{k}.jsonl", 8, seed=20 + k, id_prefix=f"m{k}-")
        s = ix.reindex([src], progress=False)
        assert s.added == 8
        now = _segments(folder)
        assert decoded, "the new segment is decoded"
        assert not set(decoded) & before, "a segment seen before is not decoded again"
        assert set(decoded) <= now
        kept += len(before & now)
        _assert_arrays_exact(folder)
        # the files are those of the index's segments, no others
        assert {p.stem.split("-", 1)[1] for p in folder.glob("segpostings-*.npz")} == now
    assert kept, "some segment outlived a reindex (else nothing was saved)"
    assert ix.search("", collapse=False).total == 84


def test_a_damaged_segment_file_is_decoded_again(tmp_path, monkeypatch):
    src, folder = tmp_path / "src", tmp_path / "ix"
    write_wire(src / "a.jsonl", 40, seed=8)
    ix = index.open_index(folder)
    ix.reindex([src], progress=False)
    for p in folder.glob("segpostings-*.npz"):
        p.write_bytes(b"not an npz")
    decoded = _watch_decode(monkeypatch)
    write_wire(src / "b.jsonl", 5, seed=9, id_prefix="b-")
    ix.reindex([src], progress=False)
    assert decoded
    _assert_arrays_exact(folder)
    for p in folder.glob("segpostings-*.npz"):
        assert segpostings.load(folder, p.stem.split("-", 1)[1], docarrays.FIELDS) is not None
