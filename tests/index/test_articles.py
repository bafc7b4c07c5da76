"""One article, one meaning per key (issue 17, "three article dict shapes"):
``Index.get``, the same-story entries, a search hit and its CSV row all come
from :mod:`index.articles`, so they agree on every key they share."""
from __future__ import annotations

import pytest

import index
from index import articles

from tests._index_helpers import DOCKERS_BODY as BODY, write_jsonl


BRIEF_KEYS = ("id", "title", "published", "source", "url")


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    root = tmp_path_factory.mktemp("articles")
    write_jsonl(root / "src" / "wire.jsonl", [
        {"id": "first", "title": "Dockers end strike", "body": BODY, "published": "2025-03-03",
         "source": "Harbour Wire", "url": "https://harbour.example/dockers",
         "author": "Jo Smith and Ali Khan"},
        # no url, no date: both are None in every shape, never ""
        {"id": "reprint", "title": "Dockers end nine-day strike", "body": BODY,
         "source": "Evening Courier"},
    ])
    ix = index.open_index(root / "ix")
    ix.reindex([root / "src"], progress=False)
    return ix


def test_get_same_story_and_hit_agree_on_shared_keys(ix):
    hits = {h.id: h for h in ix.search("dockers", collapse=False).hits}
    assert set(hits) == {"first", "reprint"}
    for doc_id, other in (("first", "reprint"), ("reprint", "first")):
        full = ix.get(doc_id)
        [entry] = [e for e in ix.same_story(other) if e["id"] == doc_id]
        hit = hits[doc_id].to_dict()
        for key in BRIEF_KEYS:
            assert full[key] == entry[key] == hit[key], (doc_id, key)
        assert hit["entities"] == [{"name": e["name"], "type": e["type"]}
                                   for e in full["entities"]]
        assert hit["same_story"] == full["same_story"] == [other]
        # the versions a hit carries are the same-story entries, relation aside
        assert hits[doc_id].versions == [{k: v for k, v in e.items() if k != "relation"}
                                        for e in ix.same_story(doc_id)]
        assert hits[doc_id].author == full["author"]
    assert ix.get("reprint")["url"] is None and ix.get("reprint")["published"] is None
    assert ix.get("first")["authors"] == ["Jo Smith", "Ali Khan"]


def test_the_shapes_keep_their_keys_in_order(ix):
    assert list(ix.get("first")) == [
        "id", "title", "body", "url", "published", "date_source", "dateline", "source",
        "author", "authors", "scraped_at", "path", "entities", "removed", "mentioned_dates",
        "story", "same_story"]
    assert list(ix.same_story("first")[0]) == [*BRIEF_KEYS, "relation"]
    assert list(ix.search("dockers").hits[0].to_dict()) == [
        *BRIEF_KEYS, "snippet", "score", "entities", "same_story"]
    assert list(articles.brief({"id": "x"}, 1.23456)) == [*BRIEF_KEYS, "score"]
    assert articles.brief({"id": "x"}, 1.23456)["score"] == 1.2346
