"""Page history on the article page: versions oldest first, the article as the
newest, and a sentence-by-sentence diff of any two (web/page_history.py)."""
from __future__ import annotations

from bs4 import BeautifulSoup

from web import page_history
from web.app import create_app

OLD = [{"path": "/c/v2.json", "time": "2026-02-02T12:00:00+00:00", "title": "Ten hurt in blast",
        "text": "A blast hurt ten people. Police sealed the area."},
       {"path": "/c/v1.json", "time": "2026-02-02T09:00:00+00:00", "title": "Blast in city centre",
        "text": "A blast was heard. Police sealed the area."}]


def test_versions_oldest_first_with_the_article_last():
    h = page_history.present(OLD, current={"title": "Twelve hurt in blast",
                                           "body": "A blast hurt twelve people. Police sealed the area."})
    assert [(v.n, v.path, v.current) for v in h.versions] == [
        (1, "/c/v1.json", False), (2, "/c/v2.json", False), (3, None, True)]
    old, new = h.pair(None, None)                 # default: the last two
    assert (old.n, new.n) == (2, 3)
    assert (h.pair("3", "1")[0].n, h.pair("3", "1")[1].n) == (1, 3)
    assert (h.pair("x", "99")[0].n, h.pair("x", "99")[1].n) == (2, 3)
    assert page_history.diff(old.body, new.body) == [
        ("removed", "A blast hurt ten people."), ("added", "A blast hurt twelve people."),
        ("same", "Police sealed the area.")]
    assert not page_history.present([], current={"title": "x", "body": "y"})   # one version: no history


def test_article_page_lists_versions_and_diffs_the_chosen_pair(newsroom_dir):
    app = create_app(newsroom_dir, testing=True)
    ix = app.extensions["newsarchive.index"]
    ix.history = lambda doc_id: OLD if doc_id == "port/2" else []
    client = app.test_client()
    page = BeautifulSoup(client.get("/articles/port/2?from=1&to=2").get_data(as_text=True),
                         "html.parser")
    items = [li.get_text(" ", strip=True) for li in page.select(".history-list li")]
    assert items[0].startswith("v1 2 Feb 2026, 09:00 UTC") and items[2].startswith("v3 time unknown")
    assert [d.get_text() for d in page.select(".diff del")] == ["A blast was heard."]
    assert [d.get_text() for d in page.select(".diff ins")] == ["A blast hurt ten people."]
    assert page.select_one(".diff-title").get_text(" ", strip=True) == \
        "Headline: Blast in city centre Ten hurt in blast"
    plain = BeautifulSoup(client.get("/articles/port/3").get_data(as_text=True), "html.parser")
    assert not plain.select("section.history")


def test_a_rescraped_url_shows_its_page_history_end_to_end(tmp_path):
    """No stand-in: two scrapes of one URL through reindex, then the article page."""
    import json
    from urllib.parse import quote

    import index

    url = "https://news.example/2025/11/03/ferry-fares"
    body = ("Ferry operators raised fares on the island routes on Monday, citing fuel costs. "
            "Commuters said the rise would hurt families who cross daily.")
    src = tmp_path / "scrapes"
    src.mkdir()
    (src / "a.json").write_text(json.dumps({"url": url, "title": "Ferry fares rise",
                                            "body": body, "scraped_at": "2025-11-03T08:00:00Z"}))
    (src / "b.json").write_text(json.dumps({"url": url, "title": "Ferry fares rise by a fifth",
                                            "body": body + " The council will review the rise.",
                                            "scraped_at": "2025-11-03T18:00:00Z"}))
    index.open_index(tmp_path / "ix").reindex([src], progress=False)
    client = create_app(tmp_path / "ix", testing=True).test_client()
    page = BeautifulSoup(client.get("/articles/" + quote(url, safe="")).get_data(as_text=True),
                         "html.parser")
    assert len(page.select(".history-list li")) == 2
    assert [d.get_text() for d in page.select(".diff ins")] == ["The council will review the rise."]
