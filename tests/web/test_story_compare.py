"""Comparing two outlets' versions of a story (web/story_compare.py, /compare)."""
from __future__ import annotations

from bs4 import BeautifulSoup

from web.story_compare import compare

WIRE = ("Cranes stood idle on Monday as dock workers began their strike. "
        "The union said pickets would stay at every gate. "
        "Twenty ships waited at anchor off the coast.")
LOCAL = ("Cranes stood idle as dock workers began their strike. "
         "The union said pickets would stay at every gate! "
         "A fish market near the port closed early. "
         "Its owner said trade had halved.")


def test_shared_passages_and_what_each_alone_reports():
    c = compare(WIRE, LOCAL)
    assert [(s.a, s.b, s.exact) for s in c.shared] == [
        ("Cranes stood idle on Monday as dock workers began their strike.",
         "Cranes stood idle as dock workers began their strike.", False),
        ("The union said pickets would stay at every gate.",
         "The union said pickets would stay at every gate!", True),
    ]
    assert c.only_a == ["Twenty ships waited at anchor off the coast."]
    assert c.only_b == ["A fish market near the port closed early.", "Its owner said trade had halved."]
    assert round(c.share, 3) == round(4 / 7, 3)


def test_a_short_sentence_inside_a_long_one_is_not_the_same_passage():
    c = compare("The union said so.", "The union said so, and then it said much more about pay, "
                                      "shifts, cranes and the harbour master's office.")
    assert not c.shared


def test_compare_page(newsroom):
    r = newsroom.get("/compare", query_string={"a": "port/2", "b": "port/3"})
    assert r.status_code == 200
    page = BeautifulSoup(r.get_data(as_text=True), "html.parser")
    assert [h.get_text(strip=True) for h in page.select(".compare-head h2")] == [
        "Strike begins at the container terminal", "Ships queue off the coast as strike bites"]
    assert page.select_one(".compare-summary").get_text() == \
        "0 passages in both · 3 only in Coastal Courier · 3 only in Evening Ledger"
    assert newsroom.get("/compare", query_string={"a": "port/2", "b": "port/2"}).status_code == 404
    assert newsroom.get("/compare", query_string={"a": "port/2", "b": "nope"}).status_code == 404


def test_lines_without_full_stops_are_passages_and_cost_stays_linear():
    import time
    from web import page_history, story_compare
    from index.entity_page import sentence_with
    assert story_compare.sentences("A headline\nIts first sentence. A second") == \
        ["A headline", "Its first sentence.", "A second"]
    long = "word " * 40_000 + "\nend"
    t0 = time.perf_counter()
    assert len(story_compare.sentences(long)) == 2 and len(page_history.sentences(long)) == 2
    assert sentence_with(long, "zzz") is None
    assert time.perf_counter() - t0 < 1.0


def test_results_offer_the_comparison_beside_each_other_version(newsroom):
    page = BeautifulSoup(newsroom.get("/search?q=ferry").get_data(as_text=True), "html.parser")
    hit = page.select_one("ol.hits .hit")
    link = hit.select_one(".also a.also-compare")
    first = hit.select_one(".hit-title a")["href"].split("?")[0].removeprefix("/articles/")
    other = "ferry/2" if first == "ferry/1" else "ferry/1"
    from urllib.parse import parse_qs, urlsplit
    assert parse_qs(urlsplit(link["href"]).query) == {"a": [first], "b": [other]}
    assert newsroom.get(link["href"]).status_code == 200
