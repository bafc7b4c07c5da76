"""The index's fast paths give exactly what plain Whoosh gives.

Indexing computes postings with ``schema.index_items`` instead of Whoosh's
analyzer chain; searching computes the matched set, BM25F scores and phrase
matches from posting arrays in numpy; the per-document arrays are saved by
the writer and loaded by readers.  Each is checked here against the Whoosh
code path it replaces, on synthetic wire stories (archive.synthetic).
"""
from __future__ import annotations

import numpy as np
import pytest

import index
from index import docarrays, query as qmod
from index.schema import index_items, make_schema

from tests._index_helpers import write_jsonl

N_STORIES = 600

QUERIES = ["oil", "said", "wheat", "oil AND prices", "copper OR wheat", "strike NOT port",
           "NOT oil", "oil OR NOT gas", "export*", "announ*", "wh?at", '"interest rates"',
           '"crude oil"', '"bank lending"', 'oil "interest rates"', "title:oil",
           "(copper OR wheat) AND NOT prices", "bank AND rate AND cut", "oil ANDNOT crude",
           "shares rose", "zzzqqq", "oil AND zzzqqq", "crud~", "title:\"oil prices\""]


@pytest.fixture(scope="module")
def stories():
    from archive.synthetic import stories as wire
    return list(wire(N_STORIES, seed=11))


@pytest.fixture(scope="module")
def wire_ix(tmp_path_factory, stories):
    root = tmp_path_factory.mktemp("wire")
    half = len(stories) // 2
    keys = ("id", "title", "body", "published", "source")
    write_jsonl(root / "src" / "a.jsonl", [{k: s[k] for k in keys} for s in stories[:half]])
    write_jsonl(root / "src" / "b.jsonl", [{k: s[k] for k in keys} for s in stories[half:]])
    ix = index.open_index(root / "ix")
    summary = ix.reindex([root / "src"], progress=False)
    assert summary.added == len(stories), summary.skipped
    return ix


def test_index_items_equal_whoosh_analysis(stories):
    schema = make_schema()
    for s in stories:
        for name in ("title", "body"):
            field = schema[name]
            text = s[name] or ""
            assert sorted(index_items(field, text)) == sorted(field.index(text)), (s["id"], name)


def test_index_items_on_awkward_text():
    field = make_schema()["body"]
    for text in ["", "the of and", "U.S. dlrs 1.5 mln", "Türkiye's ÇAĞRI Ünal", "a*b **",
                 "İstanbul ǅemal ﬁnance", "x" * 300, "naïve café — résumé\n\n...end"]:
        assert sorted(index_items(field, text)) == sorted(field.index(text)), text


@pytest.mark.parametrize("text", QUERIES)
def test_matched_set_and_ranking_equal_whoosh(wire_ix, text):
    _snap = wire_ix._state()
    s, arrays = _snap.searcher, _snap.arrays
    q = qmod.parse(wire_ix._parser, text)
    whoosh = np.fromiter(s.docs_for_query(q), dtype=np.int64)
    whoosh = np.sort(whoosh[arrays.alive[whoosh]])
    ours = qmod.matched_docs(q, s, arrays.alive, {})
    assert ours.tolist() == whoosh.tolist()
    if qmod.scorable_fast(q, s) and ours.size:
        sc = qmod.score_docs(q, s, ours, lambda f: arrays.lengths(s, f), {}, arrays.alive)
        full = s.search(q, limit=None, terms=False)
        order = np.lexsort((ours, -sc))
        assert ours[order].tolist() == [h.docnum for h in full]
        assert np.allclose(sc[order], [h.score for h in full], rtol=1e-9)


def test_saved_arrays_equal_built_arrays(wire_ix):
    _snap = wire_ix._state()
    s, arrays = _snap.searcher, _snap.arrays
    gen = s.reader().generation()
    saved = docarrays.DocArrays.load(wire_ix.path / docarrays.saved_name(gen),
                                     s.reader().doc_count_all())
    assert saved is not None
    built = docarrays.DocArrays(s)
    for k in docarrays.DocArrays._ARRAYS:
        assert np.array_equal(getattr(saved, k), getattr(built, k)), k
    assert saved.source_names == built.source_names
    assert saved.story_names == built.story_names
    for f in built.entities:
        a, b = saved.entities[f], built.entities[f]
        assert a.names == b.names
        assert np.array_equal(a.docs, b.docs) and np.array_equal(a.vals, b.vals)


def test_saved_arrays_for_another_doc_count_are_ignored(wire_ix):
    _snap = wire_ix._state()
    s, _ = _snap.searcher, _snap.arrays
    gen = s.reader().generation()
    path = wire_ix.path / docarrays.saved_name(gen)
    assert docarrays.DocArrays.load(path, s.reader().doc_count_all() + 1) is None


def test_collapse_false_lists_every_article(tmp_path, corpus_dir):
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([corpus_dir], progress=False)
    grouped = ix.search("taliban", per_page=2)
    flat = ix.search("taliban", per_page=2, collapse=False)
    assert grouped.total == flat.total == 5
    groups = len(ix.search("taliban", per_page=100).hits)
    assert groups < 5
    assert grouped.pages == -(-groups // 2)          # pages count story groups
    assert flat.pages == 3                           # one entry per article
    ids = [h.id for p in (1, 2, 3) for h in ix.search("taliban", per_page=2, page=p,
                                                        collapse=False).hits]
    assert len(ids) == len(set(ids)) == 5


def test_highlight_prefilter_finds_the_same_words(stories):
    import re

    from index import highlight

    def every_word(text, terms):
        return [(m.start(), m.end()) for m in highlight._WORD.finditer(text)
                if highlight.stem(m.group()) in terms]

    texts = [s["body"] for s in stories[:300]] + [
        "Türkiye’s talks — naïve café", "The TALKS talked; talking-points", "étude Études",
        "İstanbul ßtraße Straße", "happy happiness relational relate ponies"]
    for i, text in enumerate(texts):
        words = re.findall(r"\w+", text) or ["x"]
        terms = frozenset(highlight.stem(w) for w in words[i % 7::9][:4]) | {"oil", "rate"}
        assert highlight._matches(text, terms) == every_word(text, terms), i
