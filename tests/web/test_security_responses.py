"""What responses give away and how they may be kept: ``/api/articles/<id>``
names the file relative to its source (not the server's folders); HTML and JSON
say ``Cache-Control: private, no-cache``; a malformed query is a 400 with its
message on every search route (the library raises ``index.QueryError``)."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from web.app import create_app
from web.api import public_path


@pytest.fixture(scope="module")
def client(web_index_dir):
    return create_app(web_index_dir, testing=True).test_client()


def test_api_article_path_is_relative_to_its_source(client, web_index_dir):
    seed = client.get("/api/search?q=&sort=date&per_page=100").get_json()["hits"]
    ids = {h["id"] for h in seed}
    for article_id in ids:
        data = client.get(f"/api/articles/{quote(article_id, safe='/:')}").get_json()
        assert data["path"] and not data["path"].startswith("/"), data["path"]
        assert str(web_index_dir.parent) not in data["path"]
    assert client.get("/api/articles/corpus/002_87aeffe32afe1305.txt").get_json()["path"] \
        .endswith("002_87aeffe32afe1305.txt")
    assert client.get("/api/articles/hostile/1").get_json()["path"] == "extra.jsonl"


def test_public_path_rules():
    assert public_path("/srv/data/corpus/000_x.txt", "corpus/000_x.txt") == "corpus/000_x.txt"
    assert public_path("/srv/data/corpus/feed.jsonl", "corpus/feed.jsonl#L3") == "corpus/feed.jsonl"
    assert public_path("/srv/data/corpus/feed.jsonl", "https://x.example/a") == "feed.jsonl"
    assert public_path("/srv/a/b.json", "../../etc/passwd") == "b.json"
    assert public_path(None, "x") is None


@pytest.mark.parametrize("route", ["/", "/search?q=talks", "/articles/hostile/1",
                                   "/api/search?q=talks", "/api/articles/hostile/1",
                                   "/api/articles/nope", "/search?q=%22bad"])
def test_html_and_json_are_not_kept_by_shared_caches(client, route):
    r = client.get(route)
    assert r.headers["Cache-Control"] == "private, no-cache", route


@pytest.mark.parametrize("route", ["/search", "/api/search", "/search.atom", "/search.csv"])
@pytest.mark.parametrize("q, message", [('"unbalanced', "unbalanced quotes"),
                                        ("(" * 40 + "talks", "nested too deeply")])
def test_malformed_query_is_a_400_with_its_message(client, route, q, message):
    r = client.get(route, query_string={"q": q})
    assert r.status_code == 400, (route, r.status_code)
    text = r.get_json()["error"] if route.startswith("/api/") else r.get_data(as_text=True)
    assert message in text and "search failed" not in text


def test_api_error_keeps_the_search_shape(client):
    data = client.get("/api/search", query_string={"q": '"open'}).get_json()
    assert {"query", "total", "hits", "facets", "suggestion", "error"} <= set(data)
    assert data["total"] == 0 and data["hits"] == []
