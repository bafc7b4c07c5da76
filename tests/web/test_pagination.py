"""Pagination counts story groups, not articles.

A search page shows one entry per story group, so a corpus where several
stories are carried by several outlets has far fewer entries than articles.
Pages must come from the entries (``SearchResult.pages``): counting articles
promised pages that do not exist.  Corpus: 12 synthetic wire stories, three of them
also carried word for word by three more outlets -- 21 articles (three pages
of ten), at most 12 entries (two pages).
"""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

import index
from web.app import create_app

from tests._index_helpers import write_jsonl

N_STORIES, COPIED, COPIES = 12, 3, 3
N_ARTICLES = N_STORIES + COPIED * COPIES


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from archive.synthetic import stories as wire
    stories = list(wire(N_STORIES, seed=21, reprint_share=0))
    assert len(stories) == N_STORIES
    records = [{k: s[k] for k in ("id", "title", "body", "published")} | {"source": "Wire"}
               for s in stories]
    for s in stories[:COPIED]:
        for n in range(COPIES):
            records.append({"id": f"{s['id']}-copy{n}", "title": s["title"], "body": s["body"],
                            "published": s["published"], "source": f"Outlet {n}"})
    root = tmp_path_factory.mktemp("pages")
    write_jsonl(root / "src" / "news.jsonl", records)
    ix = index.open_index(root / "ix")
    assert ix.reindex([root / "src"], progress=False).added == N_ARTICLES
    r = ix.search("", per_page=10)
    assert r.total == N_ARTICLES and 10 < r.entries <= N_STORIES and r.pages == 2, \
        "the copies should form story groups"
    ix.close()
    return create_app(root / "ix", testing=True).test_client(), r.entries


def _page(client, **args):
    r = client.get("/search", query_string=args)
    assert r.status_code == 200
    return BeautifulSoup(r.get_data(as_text=True), "html.parser")


def _page_numbers(page):
    return [int(a.get_text()) for a in page.select("nav.pagination li a")]


def test_pages_come_from_story_groups(client):
    client, entries = client
    first = _page(client, q="")
    assert len(first.select("ol.hits .hit")) == 10
    assert first.select(".also"), "grouped stories say who else carried them"
    # 21 articles would make three pages; 12 entries make two
    assert max(_page_numbers(first)) == 2
    second = _page(client, q="", page=2)
    assert len(second.select("ol.hits .hit")) == entries - 10
    assert second.select_one("nav.pagination a[rel=next]") is None
    assert max(_page_numbers(second)) == 2
    # every article is on one of the two pages, as a hit or a version of one
    seen = set()
    for page in (first, second):
        for hit in page.select("ol.hits .hit"):
            seen.add(hit.select_one(".hit-title a")["href"])
            seen.update(a["href"] for a in hit.select(".also a:not(.also-compare)"))
    assert len(seen) == N_ARTICLES

