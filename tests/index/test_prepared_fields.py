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
