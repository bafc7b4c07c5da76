"""The short fields (ids, keywords, outlet, author, dateline) are given to
Whoosh as prepared postings (``writer._Prepare``): exactly what Whoosh's own
analysis of the text gives, and the index is the one Whoosh builds itself."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st
from whoosh.fields import ID, KEYWORD

from index import writer
from index.schema import FastID, FastKEYWORD, FastTEXT, Prepared, make_schema

from tests._index_helpers import write_wire
from tests.index.test_side_segment import _answers, _content

PIECES = st.sampled_from(["Reuters", " Reuters", "U.S.", "", " ", ",", ", ,", "São Paulo",
                          "İstanbul", "AP,Reuters", "x" * 40, "Bank of Japan", "ǅemal ",
                          "a\tb", "Türkiye", "  ,  "])
VALUES = st.one_of(st.lists(PIECES, max_size=8).map("".join), st.text(max_size=40))


def _same(field, value):
    assert sorted(field.prepare(value)) == sorted(field.index(value)), value


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_fast_id_and_keyword_give_whooshs_postings(value):
    schema = make_schema()
    for name in ("id", "story", "ymd", "source_id", "url"):
        assert isinstance(schema[name], FastID)
        _same(schema[name], value)
        _same(FastID(field_boost=2.5), value)
    for name in ("person", "org", "place", "other", "entity", "mentioned", "authors"):
        assert isinstance(schema[name], FastKEYWORD)
        _same(schema[name], value)
        _same(FastKEYWORD(scorable=True, field_boost=1.5), value)
    # and the plain Whoosh fields they stand for
    assert sorted(FastID(stored=True).prepare(value)) == sorted(ID(stored=True).index(value))
    assert sorted(FastKEYWORD().prepare(value)) == sorted(
        KEYWORD(commas=True, lowercase=False).index(value))


def test_prepare_turns_text_into_postings_and_keeps_the_text_stored():
    schema = make_schema()
    prep = writer._Prepare(schema)
    doc = {"id": "a/1", "source": "Reuters", "author": "Jo Ann, Al", "person": "Ann Lee,Bo",
           "story": "a/1", "title": "t", "ymd": "2024-01-02", "authors": None}
    prep(doc)
    for name in ("id", "source", "author", "person", "story", "ymd"):
        assert isinstance(doc[name], Prepared), name
        assert sorted(doc[name]) == sorted(schema[name].index(
            doc.get("_stored_" + name) or {"person": "Ann Lee,Bo", "ymd": "2024-01-02"}[name]))
    assert doc["_stored_id"] == "a/1" and doc["_stored_source"] == "Reuters"
    assert "_stored_person" not in doc and "_stored_ymd" not in doc      # not stored fields
    assert doc["title"] == "t" and doc["authors"] is None                 # left as they were
    again = {"source": "Reuters"}
    prep(again)
    assert again["source"] is doc["source"]          # a repeated value is analysed once
    assert isinstance(schema["source"], FastTEXT)


def test_an_index_built_with_prepared_fields_equals_whooshs_own(tmp_path, monkeypatch):
    import index
    src = tmp_path / "src"
    write_wire(src / "a.jsonl", 120, seed=5)
    fast = index.open_index(tmp_path / "fast")
    fast.reindex([src], progress=False)
    monkeypatch.setattr(writer._Prepare, "__call__", lambda self, doc: None)
    plain = index.open_index(tmp_path / "plain")
    plain.reindex([src], progress=False)
    monkeypatch.undo()
    a, b = _content(fast), _content(plain)
    assert len(a[0]) == 120 and a[0] == b[0]
    assert len(a[1]) > 500 and a[1] == b[1]
    fields = {f for f, _t in a[1]}
    assert {"id", "story", "source", "source_id", "ymd", "entity", "person"} <= fields
    assert _answers(fast) == _answers(plain)


def test_a_title_and_body_in_text_get_the_workers_analysis():
    """An article rewritten from its stored fields (relinked) has its title
    and body as text: they are prepared as the loader's workers prepare them,
    and kept stored as they were."""
    schema = make_schema()
    body = "Türkiye's central bank cut rates; the lira fell. Rates, rates and RATES."
    doc = {"id": "x", "title": "Lira falls", "body": body}
    writer._Prepare(schema, text=True)(doc)
    for name, text in (("title", "Lira falls"), ("body", body)):
        assert isinstance(doc[name], Prepared)
        assert sorted(doc[name]) == sorted(schema[name].index(text))
        assert doc["_stored_" + name] == text
    plain = {"title": "Lira falls"}
    writer._Prepare(schema)(plain)                 # an index whose title takes no postings
    assert plain == {"title": "Lira falls"}


def test_relinked_articles_are_prepared_and_equal_a_full_build(tmp_path, monkeypatch):
    """A curated alias rewrites stored articles (relinked): those go through
    the prepared path, and the index equals a full build."""
    import index
    src = tmp_path / "src"
    write_wire(src / "a.jsonl", 80, seed=13)
    inc = index.open_index(tmp_path / "inc")
    inc.reindex([src], progress=False)
    org = next(e for _, f in inc._state().searcher.reader().iter_docs()
               for e in f["entities"] if e[1] == "org")[0]
    (src / "aliases.toml").write_text(
        f'[[entity]]\nname = "The Curated Body"\ntype = "org"\naliases = ["{org}"]\n', "utf-8")
    seen = []
    real = writer._Prepare.__call__

    def spy(self, doc):
        if isinstance(doc.get("body"), str) and any(n == "body" for n, _f, _s in self.fields):
            seen.append(doc["id"])
        real(self, doc)
    monkeypatch.setattr(writer._Prepare, "__call__", spy)
    summary = inc.reindex([src], progress=False)
    monkeypatch.undo()
    assert summary.relinked > 0 and len(seen) == summary.relinked
    full = index.open_index(tmp_path / "full")
    full.reindex([src], progress=False)
    x, y = _content(inc), _content(full)
    assert x[0] == y[0] and x[1] == y[1]
    # (scores are not compared: the increment's deleted versions still count
    # in BM25's statistics until a merge drops them)
    p, q = _answers(inc), _answers(full)
    for text in p:
        assert p[text][0] == q[text][0], text
        assert sorted(h["id"] for h in p[text][1]) == sorted(h["id"] for h in q[text][1]), text
