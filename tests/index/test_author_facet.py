"""The author facet: exact author names counted over the whole result set,
filtered by (case- and accent-insensitive) and left out, beside the source
facet and its exclusion; and what an index from before the field gets.

Every article here is written by the test itself."""
from __future__ import annotations

import json

import numpy as np
import pytest

import index
from index import docarrays, manifest as mf
from index.schema import SCHEMA_VERSION

from .._index_helpers import write_jsonl

HARBOUR = ("Dock workers at the northern harbour walked out on Monday over night-shift pay, "
           "and cranes stood idle along the container quay. ")
RECORDS = [
    {"id": "n1", "title": "Harbour strike begins", "source": "Coastal Courier",
     "author": "Lena Ortiz and Tom Reyes", "published": "2026-01-05", "body": HARBOUR * 2},
    {"id": "n2", "title": "Harbour talks stall", "source": "Coastal Courier",
     "authors": ["Lena Ortiz"], "published": "2026-01-12",
     "body": "Talks between the harbour authority and the union stalled on Tuesday. " * 3},
    {"id": "n3", "title": "Harbour pickets stay", "source": "Evening Ledger",
     "author": "By Inés Duarte", "published": "2026-01-14",
     "body": "Pickets stayed at every gate of the harbour as the strike entered a third day. " * 3},
    {"id": "n4", "title": "Orchard frost", "source": "Evening Ledger", "author": "Tom Reyes",
     "published": "2026-01-20",
     "body": "Frost damaged apricot orchards in the valley, growers said on Friday. " * 3},
    {"id": "n5", "title": "Harbour ferry notice", "source": "Harbour Notes",
     "published": "2026-01-21",
     "body": "The harbour ferry will run a reduced timetable during the strike, the operator said. " * 3},
]


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    root = tmp_path_factory.mktemp("authors")
    write_jsonl(root / "c" / "news.jsonl", RECORDS)
    ix = index.open_index(root / "ix")
    ix.reindex([root / "c"], progress=False)
    return ix


def _ids(r):
    return sorted(h.id for h in r.hits)


def test_author_facet_counts_every_author_of_the_matches(ix):
    r = ix.search("harbour")
    assert r.total == 4
    assert r.facets["author"] == [{"value": "Lena Ortiz", "count": 2},
                                  {"value": "Inés Duarte", "count": 1},
                                  {"value": "Tom Reyes", "count": 1}]
    assert r.facets["source"] == [{"value": "Coastal Courier", "count": 2},
                                  {"value": "Evening Ledger", "count": 1},
                                  {"value": "Harbour Notes", "count": 1}]
    # the whole archive: Tom Reyes wrote n1 and n4
    assert {v["value"]: v["count"] for v in ix.search("").facets["author"]}["Tom Reyes"] == 2
    assert "author" in r.to_dict()["facets"]


def test_filter_by_author_exactly_folded(ix):
    assert ix.search("harbour", author="Lena Ortiz").total == 2
    assert ix.search("", author="lena ortiz", per_page=50).total == 2
    assert _ids(ix.search("", author="ines duarte")) == ["n3"]      # accent-insensitive
    assert ix.search("", author="Lena").total == 0                  # a facet value, not a word
    assert ix.search("", author="Nobody Here").total == 0
    r = ix.search("harbour", author="Tom Reyes")
    assert _ids(r) == ["n1"] and r.facets["author"][0] == {"value": "Lena Ortiz", "count": 1}


def test_exclude_authors_and_sources(ix):
    assert _ids(ix.search("harbour", exclude_authors=["Lena Ortiz"])) == ["n3", "n5"]
    assert _ids(ix.search("harbour", exclude_authors=["Lena Ortiz", "ines duarte"])) == ["n5"]
    assert _ids(ix.search("harbour", exclude_sources=["coastal courier"])) == ["n3", "n5"]
    assert _ids(ix.search("", exclude_sources=["Evening Ledger"], author="Tom Reyes")) == ["n1"]
    # an article with no author is never left out by an author exclusion
    assert "n5" in _ids(ix.search("", exclude_authors=["Tom Reyes"], per_page=50))


def test_article_lists_its_authors(ix):
    doc = ix.get("n1")
    assert doc["authors"] == ["Lena Ortiz", "Tom Reyes"]
    assert doc["author"] == "Lena Ortiz and Tom Reyes"
    assert ix.get("n5")["authors"] == []


def test_authors_survive_a_rewrite_from_stored_fields(tmp_path):
    """An unchanged article re-written from its stored fields (a curated alias
    changed its entities) keeps its authors."""
    src = tmp_path / "c"
    rec = dict(RECORDS[0], body="The Harbour Workers Union said its members would strike. " * 3)
    write_jsonl(src / "a.jsonl", [rec])
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([src], progress=False)
    assert "Harbour Workers Union" in [e["name"] for e in ix.get("n1")["entities"]]
    (src / "aliases.toml").write_text('[[entity]]\nname = "The Dockers"\ntype = "org"\n'
                                      'aliases = ["Harbour Workers Union"]\n', "utf-8")
    s = ix.reindex([src], progress=False)
    assert (s.unchanged, s.relinked) == (1, 1), str(s)
    assert "The Dockers" in [e["name"] for e in ix.get("n1")["entities"]]
    assert ix.search("", author="Tom Reyes").total == 1
    assert ix.get("n1")["authors"] == ["Lena Ortiz", "Tom Reyes"]


def test_saved_arrays_carry_authors_and_old_files_are_rebuilt(ix):
    folder = ix.path
    saved = sorted(folder.glob("docarrays-*.npz"))
    assert saved
    with ix._ix.searcher() as s:
        n = s.reader().doc_count_all()
    got = docarrays.DocArrays.load(saved[-1], n)
    assert got is not None and "Lena Ortiz" in got.authors.names
    # a file written before the author column: not used (the arrays are rebuilt)
    with np.load(saved[-1]) as z:
        old = {k: z[k] for k in z.files if not k.startswith("authors.")}
    stale = folder / "stale.npz"
    np.savez(stale, **old)
    assert docarrays.DocArrays.load(stale, n) is None
    stale.unlink()


def test_an_index_of_the_previous_schema_needs_a_full_reindex_once(tmp_path):
    src = tmp_path / "c"
    write_jsonl(src / "news.jsonl", RECORDS)
    ix = index.open_index(tmp_path / "ix")
    ix.reindex([src], progress=False)
    # what the previous version left: a manifest without a schema version (= 1)
    for p in (tmp_path / "ix").glob("manifest-*.json"):
        data = json.loads(p.read_text("utf-8"))
        assert data.pop("schema") == SCHEMA_VERSION
        p.write_text(json.dumps(data), "utf-8")
    with pytest.raises(index.IndexError_, match=r"run `newsarchive reindex --full` once"):
        ix.reindex([src], progress=False)
    s = ix.reindex([src], full=True, progress=False)
    assert s.articles == 5
    gen = ix._ix.latest_generation()
    assert mf.load(tmp_path / "ix", gen).schema == SCHEMA_VERSION
    assert ix.reindex([src], progress=False).unchanged == 5


def test_a_full_reindex_adds_the_field_to_an_index_without_it(tmp_path):
    """A Whoosh index created with the previous schema (no ``authors``) gains
    the field on its rebuild, and its author facet works."""
    from whoosh import index as windex

    from index.schema import make_schema
    old = make_schema()
    old.remove("authors")
    (tmp_path / "ix").mkdir()
    windex.create_in(str(tmp_path / "ix"), old)
    write_jsonl(tmp_path / "c" / "news.jsonl", RECORDS)
    ix = index.open_index(tmp_path / "ix")
    assert "authors" not in ix._ix.schema
    assert ix.search("").facets["author"] == []           # readable before, no authors yet
    ix.reindex([tmp_path / "c"], full=True, progress=False)
    assert ix.search("harbour", author="Lena Ortiz").total == 2
