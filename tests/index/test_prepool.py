"""A full reindex pools its title and body postings ahead (``index.prepool``),
while the archive-wide passes keep the writer busy, and gets the same index.

The postings pooled ahead number the documents as the writers will: in
``sorted(ids)`` order, the first half in the side segment's process.  The
writers then give each of those fields one placeholder posting (its
frequency the field's length) and merge the runs in at commit.  The oracle
is the same reindex with nothing pooled ahead: every segment's postings,
lengths, stored fields and columns must be equal.
"""
from __future__ import annotations

import os
import threading
import time

import pytest

import index
from index import _whoosh, prepool, writer

from tests._index_helpers import write_wire

N = 90


@pytest.fixture(scope="module")
def src(tmp_path_factory):
    root = tmp_path_factory.mktemp("prepool")
    write_wire(root / "src" / "a.jsonl", N, seed=21)
    return root / "src"


def _content(ix):
    """Per segment, in order: every posting, every field length, the stored
    fields and the signature column."""
    out = []
    with ix._ix.searcher() as s:
        for sub, _base in s.leaf_searchers():
            r = sub.reader()
            postings = {(f, t): list(r.postings(f, t).all_items()) for f, t in r.all_terms()}
            lengths = {(d, f): r.doc_field_length(d, f) for d in range(r.doc_count_all())
                       for f in ("title", "body")}
            stored = [dict(f) for _n, f in r.iter_docs()]
            sigs = list(r.column_reader("sig"))
            out.append((postings, lengths, stored, sigs))
    return out


def _build(tmp, src, monkeypatch, ahead=True, fail=False):
    monkeypatch.setattr(writer, "PARALLEL_ADD_MIN", 10)
    used = []
    real = writer._Plan._ahead

    def spy(self, pre, jobs, half):
        got = real(self, pre, jobs, half)
        used.append(got)
        return got
    monkeypatch.setattr(writer._Plan, "_ahead", spy)
    if not ahead:
        monkeypatch.setattr(writer._Plan, "_pool_ahead", lambda self: None)
    if fail:
        def broken(*a, **k):
            raise OSError(28, "No space left on device")
        monkeypatch.setattr(prepool, "pool_segment", broken)
    ix = index.open_index(tmp)
    assert ix.reindex([src], progress=False, full=True).added == N
    monkeypatch.undo()
    return ix, used


def test_postings_pooled_ahead_give_the_same_segments(tmp_path, src, monkeypatch):
    plain, used = _build(tmp_path / "plain", src, monkeypatch, ahead=False)
    assert used == [(None, None)]
    ahead, used = _build(tmp_path / "ahead", src, monkeypatch)
    [(side, main)] = used
    assert side is not None and main is not None          # both segments had theirs
    assert len(side.lengths["body"]) == N // 2 and len(main.lengths["body"]) == N - N // 2
    a, b = _content(plain), _content(ahead)
    assert len(a) == 2
    assert a == b
    assert not any(t == _whoosh.PREPOOLED for seg in b for _f, t in seg[0])
    assert any(seg[1][(d, "body")] > 50 for seg in b for d in range(3))   # lengths are real
    for q in ("said", '"the company"', "title:oil"):
        assert plain.search(q).total == ahead.search(q).total
    assert not [n for n in os.listdir(tmp_path / "ahead") if n.startswith(".prepool")]


def test_a_failed_pooling_process_costs_only_time(tmp_path, src, monkeypatch, caplog):
    plain, _ = _build(tmp_path / "plain", src, monkeypatch, ahead=False)
    failed, used = _build(tmp_path / "failed", src, monkeypatch, fail=True)
    assert used == [(None, None)]
    assert "not pooled ahead" in caplog.text
    assert _content(failed) == _content(plain)
    assert not [n for n in os.listdir(tmp_path / "failed") if n.startswith(".prepool")]


def test_a_first_build_pools_ahead_and_an_increment_does_not(tmp_path, src, monkeypatch):
    monkeypatch.setattr(writer, "PARALLEL_ADD_MIN", 10)
    started = []
    real = writer._Plan._pool_ahead

    def spy(self):
        pre = real(self)
        started.append(pre is not None)
        return pre
    monkeypatch.setattr(writer._Plan, "_pool_ahead", spy)
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([src], progress=False)               # the first build writes only new ones
    write_wire(src.parent / "more" / "b.jsonl", 30, seed=4, id_prefix="m")
    ix.reindex([src, src.parent / "more"], progress=False)
    assert started == [True, False]


def test_a_killed_writers_pooled_runs_are_cleared(tmp_path, src, monkeypatch):
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([src], progress=False)
    left = tmp_path / "ix" / ".prepool-99999"
    left.mkdir()
    (left / "x.run").write_bytes(b"partial")
    ix.reindex([src], progress=False, full=True)
    assert not left.exists()


def _term_infos(ix):
    """Per segment, every term's statistics as its term index row holds them."""
    out = []
    with ix._ix.searcher() as s:
        for sub, _base in s.leaf_searchers():
            r = sub.reader()
            out.append({(f, t): (i.weight(), i.doc_frequency(), i.min_length(), i.max_length(),
                                 i.max_weight(), i.min_id(), i.max_id())
                        for (f, t), i in ((ft, r.term_info(*ft)) for ft in r.all_terms())})
    return out


def _settled(tmp_path, monkeypatch, encode_fails=False):
    """Record, from whichever process settles (the writer, the side
    segment's), what each segment's settle gave."""
    log = tmp_path / "settled.log"
    real = prepool.Ahead.settle

    def spy(self):
        got = real(self)
        with open(log, "a") as f:
            f.write(f"{os.path.basename(self.encoded or '-')} {bool(got)}\n")
        return got
    monkeypatch.setattr(prepool.Ahead, "settle", spy)
    if encode_fails:
        def broken(*a, **k):
            raise OSError(28, "No space left on device")
        monkeypatch.setattr(_whoosh, "encode_runs", broken)
    return log


def test_terms_encoded_ahead_give_the_same_segments(tmp_path, src, monkeypatch):
    plain, _ = _build(tmp_path / "plain", src, monkeypatch, ahead=False)
    log = _settled(tmp_path, monkeypatch)
    ahead, _ = _build(tmp_path / "ahead", src, monkeypatch)
    # both writers (the side segment's process and the index's writer) took
    # their segment's encoded run
    assert sorted(log.read_text().split("\n")[:-1]) == ["encoded-0.run True", "encoded-1.run True"]
    assert _content(ahead) == _content(plain)
    assert _term_infos(ahead) == _term_infos(plain)
    assert not [n for n in os.listdir(tmp_path / "ahead") if n.startswith(".prepool")]


def test_a_writer_merges_the_runs_itself_when_encoding_fails(tmp_path, src, monkeypatch):
    plain, _ = _build(tmp_path / "plain", src, monkeypatch, ahead=False)
    log = _settled(tmp_path, monkeypatch, encode_fails=True)
    failed, used = _build(tmp_path / "failed", src, monkeypatch)
    [(side, main)] = used
    assert side is not None and main is not None          # the runs were pooled ...
    assert sorted(log.read_text().split("\n")[:-1]) == ["encoded-0.run False",
                                                        "encoded-1.run False"]   # ... not encoded
    assert _content(failed) == _content(plain)
    assert _term_infos(failed) == _term_infos(plain)


def test_settle_waits_for_the_encoded_run_while_the_process_lives(tmp_path):
    r, w = os.pipe()
    out = tmp_path / "encoded-0.run"
    a = prepool.Ahead(runs=["x"], lengths={}, encoded=str(out), alive_fd=r)
    t = threading.Timer(0.3, out.write_bytes, args=(b"done",))
    t0 = time.monotonic()
    t.start()
    assert a.settle() == str(out)
    assert time.monotonic() - t0 >= 0.25
    # the process gone without it: nothing to wait for
    os.close(w)
    a2 = prepool.Ahead(runs=["x"], lengths={}, encoded=str(tmp_path / "never.run"), alive_fd=r)
    assert a2.settle() is None
    os.close(r)
    assert prepool.Ahead(runs=["x"], lengths={}).settle() is None


def test_a_term_both_encoded_and_pooled_is_refused():
    merged = [(("body", b"oil"), (b"row", b"blocks")), (("body", b"oil"), [3, 1.0, b""])]
    with pytest.raises(ValueError, match="both encoded ahead and pooled"):
        list(_whoosh._joined(iter(merged)))
    assert list(_whoosh._joined(iter([(("body", b"a"), [1, 1.0, b""]),
                                      (("body", b"a"), [2, 1.0, b""])]))) == \
        [(("body", b"a"), [1, 1.0, b"", 2, 1.0, b""])]
