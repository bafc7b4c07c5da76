"""The commit's postings written by ``index._whoosh.fast_postings`` are byte for
byte the ones Whoosh writes.

At commit Whoosh's ``FieldWriter.add_postings`` walks the sorted postings one
at a time through ``W3PostingsWriter.add_posting``; the fast path gathers a
term's postings and writes its blocks and term-index row in one function.
Whoosh itself is the oracle here: the same documents (or the same posting
stream) written by a plain Whoosh writer and by the fast one must give the
same segment files, and so the same answers.
"""
from __future__ import annotations

import random
from types import SimpleNamespace

import pytest
from whoosh import qparser
from whoosh.codec.base import OutOfOrderError
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.formats import Positions

from index import _whoosh


@pytest.fixture(autouse=True)
def _every_block_compressed(monkeypatch):
    """Whoosh compresses every block; the fast path leaves small ones as
    they are (see the last test), so byte for byte it is compared with
    that turned off."""
    monkeypatch.setattr(_whoosh, "COMPRESS_MIN", 0)


def _schema():
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(stored=True, field_boost=2.0),     # weights of 2.0, 4.0 ...
        body=TEXT(),                                   # positions, lengths
        summary=TEXT(phrase=False),                    # frequencies: fixed-size values
        tags=KEYWORD(commas=True, scorable=True),      # lengths, no positions
        place=KEYWORD(commas=True),                    # no lengths, no values
        kind=ID(),
        note=STORED())


def _documents(n, seed):
    """``n`` documents over a skewed vocabulary: common words in most
    documents (posting lists of several 128-posting blocks), many words in
    one or two; some fields empty or missing; in the first batch ``kind``
    puts a term in 129 documents and one in 256 (a full last block)."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(900)]
    weights = [1 / (i + 1) ** 0.9 for i in range(len(vocab))]

    def words(most):
        return " ".join(rng.choices(vocab, weights, k=rng.randint(0, most)))
    docs = []
    for i in range(n):
        doc = {"id": f"d{seed}-{i}", "title": words(8), "body": words(120),
               "summary": words(30), "note": i}
        if i % 7:
            doc["tags"] = ",".join(rng.sample(vocab[:60], rng.randint(1, 5)))
        if i % 5 == 0:
            doc["place"] = ",".join(rng.sample(["paris", "oslo", "lima", "rome"], 2))
        if i % 11 == 0:
            doc["body"] = ""
        doc["kind"] = (f"k{seed}-{i}" if seed != 1 or i >= 129 + 256 else
                       "k129" if i < 129 else "k256")
        docs.append(doc)
    return docs


def _build(folder, fast, limitmb=64):
    """Two commits as a reindex makes them: a first segment, then deletions,
    more documents and an optimize that merges everything into one segment
    (the old segment's postings pass through the pool term by term)."""
    folder.mkdir()
    ix = FileStorage(str(folder)).create_index(_schema())
    took = []
    for batch, deletes in ((_documents(420, 1), ()), (_documents(150, 2), ("d1-3", "d1-419"))):
        w = ix.writer(limitmb=limitmb, compound=False)
        if fast:
            _whoosh.cache_lengths(w)
            _whoosh.lean_pool(w)
            _whoosh.fast_postings(w)
            took.append(type(w.fieldwriter) is _whoosh._FastFieldWriter)
        for aid in deletes:
            w.delete_by_term("id", aid)
        for doc in batch:
            w.add_document(**doc)
        runs = len(w.pool.runs)
        w.commit(optimize=deletes != ())
    assert not fast or all(took)
    return ix, runs


def _segment_files(ix):
    """{extension: bytes} of the index's one segment (file names carry its random id)."""
    with ix.reader() as r:
        seg = r.segment()
    prefix = seg.segment_id() + "."                     # MAIN_<id>.pst, MAIN_<id>._body_len.col ...
    return {n[len(prefix):]: ix.storage.open_file(n).read()
            for n in ix.storage.list() if n.startswith(prefix)}


QUERIES = ["w0", "w3 w17", "w1 OR w400", '"w0 w1"', "title:w2", "summary:w5", "tags:w7",
           "place:oslo", "kind:k129", "kind:k256", "w899", "NOT w0", "w1*"]


def _answers(ix):
    with ix.searcher() as s:
        out = {}
        for q in QUERIES:
            query = qparser.QueryParser("body", ix.schema).parse(q)
            out[q] = [(h.docnum, h.score) for h in s.search(query, limit=None)]
        return out


@pytest.mark.parametrize("limitmb", [64, 0.05], ids=["in-memory", "spilled-runs"])
def test_fast_postings_write_whooshs_bytes(tmp_path, limitmb):
    stock, stock_runs = _build(tmp_path / "stock", fast=False, limitmb=limitmb)
    fast, fast_runs = _build(tmp_path / "fast", fast=True, limitmb=limitmb)
    if limitmb < 1:                    # the pool spilled runs that the commit merged
        assert stock_runs > 3 and fast_runs > 3, (stock_runs, fast_runs)
    a, b = _segment_files(stock), _segment_files(fast)
    assert {"pst", "trm"} <= a.keys() and a.keys() == b.keys()
    assert len(a["pst"]) > 100_000
    for ext in sorted(a):
        assert a[ext] == b[ext], ext
    with fast.searcher() as s:
        r = s.reader()
        assert r.doc_count() == 568
        assert r.doc_frequency("kind", "k129") == 128       # one deleted: one full block
        assert r.doc_frequency("kind", "k256") == 256
        assert r.doc_frequency("body", "w0") > 256     # several blocks
    answers = _answers(stock)
    assert answers == _answers(fast)
    assert all(answers[q] for q in QUERIES if q != "NOT w0")


# -- the posting stream written directly ---------------------------------------------

class _Lengths:
    """A length source as Whoosh's per-document reader answers it: nothing for
    ``place`` (no length column), rarely 0 or None, up to past the last length byte."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.table = {}
        self.asked = []

    def doc_field_length(self, docnum, fieldname, default=0):
        self.asked.append((docnum, fieldname))
        if fieldname == "place":
            return default
        key = (docnum, fieldname)
        if key not in self.table:
            self.table[key] = self.rng.choice(
                [0, None] if docnum % 50 == 0 else [1, 3, 17, 250, 5000, 200_000])
        return self.table[key]


def _stream(seed):
    """Sorted (field, term, docnum, weight, value) postings: spelling words
    (docnum -1, also in a field with nothing else), weights as ints, floats,
    0 and 1.0, values missing, empty, shared or distinct, lists of 1 to 400."""
    rng = random.Random(seed)
    pos = Positions()
    shared = pos.encode([3])
    items = []
    for field in ("body", "place", "spell", "summary"):
        for t in range(120 if field != "spell" else 3):
            btext = f"t{t:03d}".encode()
            if rng.random() < 0.2 or field == "spell":
                items.append((field, btext, -1, 1, None))
            if field == "spell":
                continue
            n = rng.choice([1, 1, 1, 2, 5, 127, 128, 129, 256, 400])
            for d in sorted(rng.sample(range(1000), n)):
                if field == "body":
                    value = rng.choice([shared, pos.encode(sorted(rng.sample(range(50), 2))), b""])
                    weight = rng.choice([1.0, 2.0, 1.5, 3])
                elif field == "summary":
                    value, weight = rng.choice([b"\x00\x00\x00\x02", None]), rng.choice([2.0, 0])
                else:
                    value, weight = None, 1.0
                items.append((field, btext, d, weight, value))
    return sorted(items)


def _write(items, lengths, fast, codec=None):
    """Postings and term index bytes of ``items`` written by one field writer."""
    codec = codec or W3Codec()
    st = RamStorage()
    seg = codec.new_segment(st, "MAIN")
    fw = codec.field_writer(st, seg)
    if fast:
        _whoosh.fast_postings(SimpleNamespace(fieldwriter=fw))
        assert type(fw) is _whoosh._FastFieldWriter
    schema = Schema(body=TEXT(), place=KEYWORD(), spell=TEXT(), summary=TEXT(phrase=False))
    fw.add_postings(schema, lengths, iter(items))
    fw.close()
    return {ext: st.open_file(seg.make_filename(ext)).read() for ext in (".pst", ".trm")}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_posting_stream_gives_whooshs_bytes(seed):
    items = _stream(seed)
    assert any(d == -1 for _, _, d, _, _ in items)
    stock_lengths, fast_lengths = _Lengths(seed), _Lengths(seed)
    assert _write(items, stock_lengths, False) == _write(items, fast_lengths, True)
    assert fast_lengths.asked == stock_lengths.asked   # the same questions, in order
    assert _write(items, None, False) == _write(items, None, True)
    small = W3Codec(blocklimit=3, compression=0)
    assert _write(items, None, False, small) == _write(items, None, True, small)


class _Table:
    """Lengths from a table (default 0)."""

    def __init__(self, table):
        self.table = table

    def doc_field_length(self, docnum, fieldname, default=0):
        return self.table.get(docnum, default)


def test_edge_cases_give_whooshs_bytes():
    """What a sorted pool never gives Whoosh, but Whoosh writes all the same:
    a term's first block without lengths and the next with some; a block of
    weights 0.0 (its maximum stays Whoosh's int 0); docnums out of order
    with a spelling word among them (skipped wherever it stands)."""
    items = [("body", b"a", d, 1.0, None) for d in (0, 50, 100, 101, 102)]
    items += [("body", b"b", d, 0.0, b"") for d in (1, 2, 3, 4)]
    items += [("body", b"c", 5, 2.0, None), ("body", b"c", -1, 1, None),
              ("body", b"c", 3, 1.0, None)]
    lengths = _Table({101: 5, 102: 9, 1: 2, 3: 4, 4: 7, 5: 1})
    for codec in (W3Codec(), W3Codec(blocklimit=3)):
        assert _write(items, lengths, False, codec) == _write(items, lengths, True, codec)


@pytest.mark.parametrize("bad", [
    [("b", b"x", 1, 1.0, None), ("a", b"y", 2, 1.0, None)],                       # fields
    [("a", b"y", 1, 1.0, None), ("a", b"y", 2, 1.0, None), ("a", b"x", 3, 1.0, None)],  # terms
])
def test_out_of_order_postings_fail_as_in_whoosh(bad):
    schema = Schema(a=KEYWORD(), b=KEYWORD())
    errors = []
    for fast in (False, True):
        st, codec = RamStorage(), W3Codec()
        fw = codec.field_writer(st, codec.new_segment(st, "MAIN"))
        if fast:
            _whoosh.fast_postings(SimpleNamespace(fieldwriter=fw))
        with pytest.raises(OutOfOrderError) as e:
            fw.add_postings(schema, None, iter(bad))
        errors.append(str(e.value))
    assert errors[0] == errors[1]


def test_other_field_writers_are_left_to_whoosh():
    class OtherCodec(W3Codec):
        pass

    class OtherWriter(W3FieldWriter):
        pass

    st = RamStorage()
    for codec in (OtherCodec(), W3Codec(inlinelimit=2)):
        fw = codec.field_writer(st, codec.new_segment(st, "MAIN"))
        _whoosh.fast_postings(SimpleNamespace(fieldwriter=fw))
        assert type(fw) is W3FieldWriter
    codec = W3Codec()
    fw = OtherWriter(codec, st, codec.new_segment(st, "MAIN"))
    _whoosh.fast_postings(SimpleNamespace(fieldwriter=fw))
    assert type(fw) is OtherWriter
    _whoosh.fast_postings(SimpleNamespace())          # no field writer at all


def test_the_index_writers_take_the_fast_path(tmp_path, monkeypatch):
    """Both writers of a reindex (the main one and the side segment's, in its
    own process) install the fast path."""
    import index
    from index import writer
    from tests._index_helpers import write_wire

    marks = tmp_path / "marks"
    install = _whoosh.fast_postings

    def recording(w):
        install(w)
        with open(marks, "a") as f:
            f.write(type(w.fieldwriter).__name__ + "\n")
    monkeypatch.setattr(_whoosh, "fast_postings", recording)
    monkeypatch.setattr(writer, "PARALLEL_ADD_MIN", 10)
    write_wire(tmp_path / "src" / "a.jsonl", 40, seed=3)
    ix = index.open_index(tmp_path / "ix")
    assert ix.reindex([tmp_path / "src"], progress=False).added == 40
    assert marks.read_text().split() == ["_FastFieldWriter"] * 2
    assert ix.search("said").total > 0


def test_small_blocks_are_left_uncompressed_and_read_the_same(tmp_path, monkeypatch):
    """A block whose pickle is under ``COMPRESS_MIN`` bytes is written as it
    is (its info says so; Whoosh compresses every block, though zlib makes a
    one-posting block no smaller and costs most of writing it); larger ones
    are compressed as before.  Whoosh reads both, and every posting and
    answer is the one of Whoosh's own index."""
    monkeypatch.setattr(_whoosh, "COMPRESS_MIN", 256)
    stock, _ = _build(tmp_path / "stock", fast=False)
    fast, _ = _build(tmp_path / "fast", fast=True)
    assert _segment_files(stock)["pst"] != _segment_files(fast)["pst"]
    assert _answers(stock) == _answers(fast)
    with stock.searcher() as a, fast.searcher() as b:
        ra, rb = a.reader(), b.reader()
        terms = list(ra.all_terms())
        assert terms == list(rb.all_terms())
        for field, text in terms:
            pa, pb = ra.postings(field, text), rb.postings(field, text)
            assert list(pa.items_as("weight")) == list(pb.items_as("weight")), (field, text)
        flags = {}
        for field, text in (("kind", b"k256"), ("id", b"d1-5")):
            m = rb.postings(field, text)
            m = getattr(m, "child", m)
            flags[text] = m._compression
        assert flags == {b"k256": 3, b"d1-5": 0}


# -- the posting pool gathered by term -------------------------------------------------

def _term_pool(tmp_path, limitmb, schema=None):
    from whoosh.writing import PostingPool
    pool = PostingPool(FileStorage(str(tmp_path)), None, limitmb=limitmb)
    _whoosh.lean_pool(SimpleNamespace(pool=pool, schema=schema or _schema()))
    return pool


def _added(seed, docs=300):
    """Postings as ``add_document`` hands them to the pool: document by
    document, in docnum order, each document's fields and terms in any order."""
    rng = random.Random(seed)
    out = []
    for d in range(docs):
        for field in rng.sample(["body", "tags", "title"], 3):
            for t in rng.sample(range(400), rng.randint(0, 40)):
                value = rng.choice([None, b"", bytes([t % 7, d % 5])])
                out.append((field, f"t{t}".encode(), d, float(rng.randint(1, 4)), value))
    return out


@pytest.mark.parametrize("limitmb", [64, 0.01], ids=["in-memory", "spilled-runs"])
def test_the_term_pool_gives_the_sorted_postings(tmp_path, limitmb, monkeypatch):
    """Iterated, the pool's stream is Whoosh's sorted posting stream; its
    ``terms`` are the same a term at a time -- with runs spilled, chunk
    edges inside terms (a chunk of 5 postings) and more runs than are
    merged at once (MAX_RUNS of 4)."""
    monkeypatch.setattr(_whoosh, "RUN_CHUNK", 5)
    monkeypatch.setattr(_whoosh, "MAX_RUNS", 4)
    items = _added(7)
    pool = _term_pool(tmp_path, limitmb)
    assert type(pool) is _whoosh._TermPool
    for item in items:
        pool.add(item)
    if limitmb < 1:
        assert len(pool.runs) > 2 * _whoosh.MAX_RUNS
    assert list(pool.iter_postings()) == sorted(items, key=lambda p: p[:3])
    pool = _term_pool(tmp_path, limitmb)
    for item in items:
        pool.add(item)
    terms = [(f, t, list(zip(lst[0::3], lst[1::3], lst[2::3])))
             for f, t, lst in pool.iter_postings().terms]
    assert [(f, t) for f, t, _ in terms] == sorted({p[:2] for p in items})
    assert sum(len(ps) for _, _, ps in terms) == len(items)
    assert not list(tmp_path.glob("*.run"))        # every run read back and removed


def test_a_term_pool_writes_whooshs_bytes_from_postings_out_of_docnum_order(tmp_path):
    """A term's postings not in docnum order (which ``add_document`` and
    ``add_reader`` never give) are written as Whoosh writes them sorted."""
    items = _added(3, docs=60)
    items.reverse()
    pool = _term_pool(tmp_path, 64)
    for item in items:
        pool.add(item)

    def write(postings, fast):
        codec = W3Codec(blocklimit=3)
        st = RamStorage()
        seg = codec.new_segment(st, "MAIN")
        fw = codec.field_writer(st, seg)
        if fast:
            _whoosh.fast_postings(SimpleNamespace(fieldwriter=fw))
        fw.add_postings(_schema(), None, postings)
        fw.close()
        return {ext: st.open_file(seg.make_filename(ext)).read() for ext in (".pst", ".trm")}
    assert write(pool.iter_postings(), True) == write(iter(sorted(items)), False)


def test_a_schema_with_spelling_fields_keeps_whooshs_pool(tmp_path):
    """A stemmed field with spelling adds its words to the pool as postings of
    their own (not a term's documents): Whoosh's pool takes those."""
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.writing import PostingPool
    spelled = Schema(body=TEXT(analyzer=StemmingAnalyzer(), spelling=True))
    assert spelled["body"].separate_spelling()
    assert type(_term_pool(tmp_path, 64, spelled)) is PostingPool
    assert type(_term_pool(tmp_path, 64)) is _whoosh._TermPool
