"""A big reindex writes its documents as two segments at once, and the index
is the one a single writer would give.

Adding documents and committing them is one core's work; from
``writer.PARALLEL_ADD_MIN`` documents on, a forked process writes the first
half as a segment of its own while the writer adds the rest, and the one
commit lists both.  Whatever the split, every stored document, every
posting and every answer must be the same, increments included, and a
failure in the second process must fail the reindex cleanly: the index as it
was, the lock free, and the next reindex complete.
"""
from __future__ import annotations

import os

import pytest

import index
from index import writer

from tests._index_helpers import write_wire

N = 240


@pytest.fixture(scope="module")
def src(tmp_path_factory):
    root = tmp_path_factory.mktemp("side")
    write_wire(root / "src" / "a.jsonl", N, seed=11)
    return root / "src"


def _content(ix):
    """Stored documents by id, every (field, term) -> postings by article id,
    and the number of segments."""
    with ix._ix.searcher() as s:
        r = s.reader()
        ids = {n: f["id"] for n, f in r.iter_docs()}
        docs = {f["id"]: dict(f) for _n, f in r.iter_docs()}
        post = {}
        for field, text in r.all_terms():
            got = sorted((ids[d], v) for d, v in r.postings(field, text).items_as("weight")
                         if d in ids)
            if got:             # a deleted article's terms stay in the lexicon, empty
                post[(field, text)] = got
        return docs, post, len(r.leaf_readers())


def _build(path, srcs, monkeypatch, parallel_min, calls):
    monkeypatch.setattr(writer, "PARALLEL_ADD_MIN", parallel_min)
    real = writer._SideSegment.__init__

    def counted(self, plan, jobs, *a):
        calls.append(len(jobs))
        real(self, plan, jobs, *a)
    monkeypatch.setattr(writer._SideSegment, "__init__", counted)
    ix = index.open_index(path)
    for s in srcs:
        ix.reindex([s], progress=False)
    monkeypatch.undo()
    return ix


def _answers(ix):
    out = {}
    for q in ("oil", '"crude oil"', "wheat OR copper", "export*", ""):
        r = ix.search(q, per_page=100)
        out[q] = (r.total, [h.to_dict() for h in r.hits])
    return out


def test_two_segments_give_the_one_writer_index(tmp_path, src, monkeypatch):
    serial_calls, side_calls = [], []
    one = _build(tmp_path / "one", [src], monkeypatch, 10 ** 9, serial_calls)
    two = _build(tmp_path / "two", [src], monkeypatch, 10, side_calls)
    assert serial_calls == [] and side_calls == [N // 2]
    a, b = _content(one), _content(two)
    assert (a[2], b[2]) == (1, 2)
    assert len(a[0]) == N and a[0] == b[0]
    assert len(a[1]) > 1000 and a[1] == b[1]
    assert _answers(one) == _answers(two)
    assert one.get(sorted(a[0])[0]) == two.get(sorted(a[0])[0])


def test_increments_with_side_segments_equal_a_full_build(tmp_path, src, monkeypatch):
    more = tmp_path / "more"
    write_wire(more / "b.jsonl", 60, seed=12, id_prefix="b-")
    calls = []
    inc = _build(tmp_path / "inc", [src, more], monkeypatch, 10, calls)
    assert len(calls) == 2          # each increment split (60 new + relinked >= 10)
    full = index.open_index(tmp_path / "full")
    full.reindex([src, more], progress=False)
    a, b = _content(inc), _content(full)
    drop = ("history",)
    strip = {i: {k: v for k, v in d.items() if k not in drop} for i, d in a[0].items()}
    assert strip == {i: {k: v for k, v in d.items() if k not in drop} for i, d in b[0].items()}
    assert a[1] == b[1]
    # (scores and their order are not compared: an increment's deleted
    # versions still count in BM25's statistics until a merge drops them)
    x, y = _answers(inc), _answers(full)
    for q in x:
        assert x[q][0] == y[q][0], q
        hits = [{h["id"]: {k: v for k, v in h.items() if k != "score"} for h in got[q][1]}
                for got in (x, y)]
        assert hits[0] == hits[1], q


def test_a_failing_side_process_fails_the_reindex_and_leaves_the_index(tmp_path, src,
                                                                       monkeypatch):
    ix = index.open_index(tmp_path / "ix")
    first = tmp_path / "first"
    write_wire(first / "f.jsonl", 20, seed=3, id_prefix="f-")
    ix.reindex([first], progress=False)
    before = _answers(ix)
    monkeypatch.setattr(writer, "PARALLEL_ADD_MIN", 10)
    real_add = writer._Plan._add_jobs
    parent = os.getpid()

    def failing(self, w, jobs, *a):
        if os.getpid() != parent:
            raise OSError(28, "No space left on device")
        return real_add(self, w, jobs, *a)
    monkeypatch.setattr(writer._Plan, "_add_jobs", failing)
    with pytest.raises(index.IndexError_, match="previous index kept: No space left"):
        ix.reindex([first, src], progress=False)
    assert _answers(ix) == before
    monkeypatch.setattr(writer._Plan, "_add_jobs", real_add)
    summary = ix.reindex([first, src], progress=False)      # the lock is free
    assert summary.added == N
    assert ix.search("", per_page=1).total == N + 20
    # what the failed run's processes wrote is gone once a commit lists the index
    names = os.listdir(tmp_path / "ix")
    assert not [n for n in names if n.endswith(".tmp")], names


def test_a_killed_side_process_fails_the_reindex(tmp_path, src, monkeypatch):
    monkeypatch.setattr(writer, "PARALLEL_ADD_MIN", 10)
    parent = os.getpid()
    real_add = writer._Plan._add_jobs

    def dying(self, w, jobs, *a):
        if os.getpid() != parent:
            os._exit(9)
        return real_add(self, w, jobs, *a)
    monkeypatch.setattr(writer._Plan, "_add_jobs", dying)
    ix = index.open_index(tmp_path / "ix")
    with pytest.raises(index.errors.IndexError_, match="second writer process stopped"):
        ix.reindex([src], progress=False)
    monkeypatch.setattr(writer._Plan, "_add_jobs", real_add)
    assert ix.reindex([src], progress=False).added == N


def test_the_side_process_decodes_its_own_segments_postings(tmp_path, src, monkeypatch):
    """The second process saves its segment's keyword postings while the
    writer commits: the writer's arrays phase decodes only its own segment,
    and the arrays are those of a build that decoded both."""
    from index import docarrays, segpostings
    parent, decoded = os.getpid(), []
    real = segpostings.decode

    def counted(reader, fields):
        if os.getpid() == parent:
            decoded.append(writer._whoosh.segment_id(reader))
        return real(reader, fields)
    monkeypatch.setattr(segpostings, "decode", counted)
    at_wait = []
    real_wait = writer._SideSegment.wait

    def waiting(self):
        at_wait.append(len(decoded))
        real_wait(self)
    monkeypatch.setattr(writer._SideSegment, "wait", waiting)
    calls = []
    two = _build(tmp_path / "two", [src], monkeypatch, 10, calls)
    assert calls == [N // 2]
    assert at_wait[0] == 1          # its own segment decoded before waiting for the other
    with two._ix.searcher() as s:
        segs = [writer._whoosh.segment_id(sub.reader()) for sub, _ in s.leaf_searchers()]
        assert len(segs) == 2 and len(decoded) == 1 and decoded[0] in segs
        for seg in segs:
            assert segpostings.path(tmp_path / "two", seg).exists()
        saved = docarrays.load_or_build(tmp_path / "two", s.reader().generation(), s)
        fresh = docarrays.DocArrays(s)             # every posting decoded here
        assert saved.story_names == fresh.story_names and len(saved.story_names) > 1
        assert saved.source_names == fresh.source_names
        for f in ("alive", "day", "source", "story"):
            assert (getattr(saved, f) == getattr(fresh, f)).all(), f
        assert sorted(saved.entities) == sorted(fresh.entities)
        for t, a in saved.entities.items():
            b = fresh.entities[t]
            assert a.names == b.names and (a.docs == b.docs).all() and (a.vals == b.vals).all()
