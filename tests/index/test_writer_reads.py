"""The writer reads the index through plain files, never through the shared maps.

The maps (``index.segfiles``) make every searcher of a server share one copy
of each segment.  A reindex is the opposite case: it reads each segment file
once, from end to end (the commit copies the new segment's parts into its
compound file, a merge reads the old segments, the doc arrays read every
posting), and through a map every page read stayed resident in the writer:
at 190k articles the commit's peak was the size of the segment on top of the
writer's own memory.  The answers must not change with the read path.
"""
from __future__ import annotations

import index
from index import segfiles, writer

from tests._index_helpers import write_wire


def _count_maps(monkeypatch):
    """Paths mapped while :func:`index.writer.run` runs (the reindex's own
    check that the index opens, before the writer, may map it)."""
    calls, inside = [], []
    real_map, real_run = segfiles._shared_map, writer.run

    def counting(path):
        if inside:
            calls.append(path)
        return real_map(path)

    def run(*args, **kwargs):
        inside.append(True)
        try:
            return real_run(*args, **kwargs)
        finally:
            inside.clear()
    monkeypatch.setattr(segfiles, "_shared_map", counting)
    monkeypatch.setattr(writer, "run", run)
    return calls


def test_reindex_maps_no_segment_file(tmp_path, monkeypatch):
    src = tmp_path / "src"
    write_wire(src / "a.jsonl", 60, seed=3)
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([src], progress=False)                      # a full build ...
    write_wire(src / "b.jsonl", 20, seed=4)
    assert ix.search("", collapse=False).total == 60
    calls = _count_maps(monkeypatch)
    s = ix.reindex([src], progress=False)                  # ... and an increment over it
    assert s.added + s.updated + len(s.superseded) >= 20     # an increment that writes
    assert calls == []
    # the searchers still read through the shared maps, and see every article
    assert ix.search("", collapse=False).total == 60 + s.added
    with_maps = []
    monkeypatch.setattr(segfiles, "_shared_map", lambda p: with_maps.append(p))
    index.open_index(tmp_path / "ix").search("", collapse=False)
    assert with_maps, "a searcher opened after the reindex maps the new segment"
