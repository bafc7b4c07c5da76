"""The web front end through Flask's test client, over a real index.

The index is built by the real loader and indexer from the seed corpus plus
the records in ``webcorpus`` (one of them hostile).  Every route is covered,
including what a hostile visitor would send.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, unquote, urlsplit
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from web.app import create_app
from tests.webcorpus import DATED, FILLER, HOSTILE_ID, HOSTILE_TITLE, WIRE_URL

ATOM = "{http://www.w3.org/2005/Atom}"
N_ARTICLES = 5 + 2 + len(DATED) + len(FILLER)


@pytest.fixture(scope="module")
def app(web_index_dir):
    return create_app(web_index_dir, testing=True)


@pytest.fixture()
def client(app):
    return app.test_client()


def soup(resp) -> BeautifulSoup:
    return BeautifulSoup(resp.get_data(as_text=True), "html.parser")


def api(client, **args) -> dict:
    r = client.get("/api/search", query_string=args)
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()


def hit_links(page: BeautifulSoup) -> list[str]:
    return [a["href"] for a in page.select("ol.hits .hit-title a")]


# -- the search page ---------------------------------------------------------------

def test_front_page_browses_latest_with_stats_line(client):
    r = client.get("/")
    assert r.status_code == 200
    page = soup(r)
    stats = page.select_one(".stats-line").get_text(" ", strip=True)
    assert f"{N_ARTICLES} articles" in stats
    assert "Aug 2025" in stats and "9 Nov 2025" in stats       # the archive's date range
    # newest first: the first result is the newest story in the corpus
    data = api(client, q="", sort="date")
    assert hit_links(page)[0] == "/articles/" + _quoted(data["hits"][0]["id"])
    assert page.select_one("main#main") and page.select_one("aside.sidebar")
    assert page.select_one("form[role=search] label[for=q]")


def _quoted(article_id: str) -> str:
    from urllib.parse import quote
    return quote(article_id, safe="!$&'()*+,/:;=@")


def test_search_keeps_query_highlights_and_links_every_hit(client):
    r = client.get("/search", query_string={"q": "ceasefire"})
    assert r.status_code == 200
    page = soup(r)
    assert page.select_one("input#q")["value"] == "ceasefire"
    data = api(client, q="ceasefire")
    assert data["total"] > 0
    heading = page.select_one("#results-heading").get_text(" ", strip=True)
    assert heading.startswith(f"{data['total']} article")
    marks = page.select("ol.hits .snippet mark")
    assert marks and all(m.get_text().lower().startswith("ceasefire") for m in marks)
    links = hit_links(page)
    assert len(links) == len(data["hits"])
    for href, hit in zip(links, data["hits"]):
        article = client.get(href)
        assert article.status_code == 200, href
        assert soup(article).select_one("h1#article-title").get_text(strip=True) == hit["title"]


def test_result_shows_source_date_and_date_unknown(client):
    page = soup(client.get("/search", query_string={"q": "", "sort": "date"}))
    metas = [li.select_one(".hit-meta").get_text(" ", strip=True) for li in page.select("ol.hits .hit")]
    assert any("Wire Service" in m and "9 Nov 2025" in m for m in metas)
    page2 = soup(client.get("/search", query_string={"page": 2}))
    metas2 = [li.select_one(".hit-meta").get_text(" ", strip=True) for li in page2.select("ol.hits .hit")]
    assert any("date unknown" in m for m in metas2)          # seeds 002/004 carry no date


def test_grouped_story_says_also_reported_by(client):
    page = soup(client.get("/search", query_string={"q": "Istanbul"}))
    hits = page.select("ol.hits .hit")
    also = [h.select_one(".also") for h in hits if h.select_one(".also")]
    assert also, "the seed story carried by three outlets and a wire copy should be grouped"
    links = also[0].select("a")
    assert links
    for a in links:
        assert client.get(a["href"]).status_code == 200


def test_pagination_walks_all_story_groups(client):
    first = soup(client.get("/search"))
    nav = first.select_one("nav.pagination")
    assert nav is not None
    assert nav.select_one("a[aria-current=page]").get_text() == "1"
    nxt = nav.select_one("a[rel=next]")["href"]
    second = soup(client.get(nxt))
    assert second.select_one("nav.pagination a[aria-current=page]").get_text() == "2"
    ids1, ids2 = hit_links(first), hit_links(second)
    assert len(ids1) == 10 and ids2 and not set(ids1) & set(ids2)
    # every article is on one of the pages, or named as a version of one that is
    data = api(client, q="", per_page=100)
    covered = {h["id"] for h in data["hits"]} | {i for h in data["hits"] for i in h["same_story"]}
    assert len(covered) == N_ARTICLES
    assert len(ids1) + len(ids2) == len(data["hits"])
    assert second.select_one("nav.pagination a[rel=next]") is None


def test_sort_by_date_orders_newest_first(client):
    page = soup(client.get("/search", query_string={"q": "talks OR ceasefire", "sort": "date"}))
    assert page.select_one("nav.sort a[aria-current]").get_text() == "Newest"
    dates = [t["datetime"] for t in page.select("ol.hits .hit-meta time")]
    assert len(dates) >= 3 and dates == sorted(dates, reverse=True)
    rel = soup(client.get("/search", query_string={"q": "talks OR ceasefire"}))
    assert rel.select_one("nav.sort a[aria-current]").get_text() == "Relevance"


def test_did_you_mean_links_the_suggestion(client):
    data = api(client, q="ceasfire")
    assert data["suggestion"], "the index should suggest a spelling for 'ceasfire'"
    page = soup(client.get("/search", query_string={"q": "ceasfire".replace("fire", "fir")[:-1] + "fire"[1:]
                                                       if False else "ceasfire"}))
    link = page.select_one(".did-you-mean a")
    assert link is not None and link.get_text() == data["suggestion"]
    target = parse_qs(urlsplit(link["href"]).query)
    assert target["q"] == [data["suggestion"]]
    assert api(client, q=data["suggestion"])["total"] > data["total"]


def test_malformed_query_gives_readable_message(client):
    for q in ('"unclosed phrase', "(((", "title:"):
        data_r = client.get("/api/search", query_string={"q": q})
        r = client.get("/search", query_string={"q": q})
        if data_r.status_code == 400:
            assert "error" in data_r.get_json() and data_r.get_json()["error"]
            assert r.status_code == 400
            page = soup(r)
            alert = page.select_one("[role=alert]")
            assert alert is not None and data_r.get_json()["error"] in alert.get_text()
            assert page.select_one("input#q")["value"] == q
            assert "Traceback" not in r.get_data(as_text=True)
        else:
            assert r.status_code == 200
    assert client.get("/api/search", query_string={"q": '"unclosed'}).status_code == 400
    r = client.get("/api/search", query_string={"since": "2025-13-45"})
    assert r.status_code == 400 and r.get_json()["error"]


# -- facets, filters and the histogram ---------------------------------------------

def test_entity_facets_add_and_remove_filters(client):
    page = soup(client.get("/search"))
    facet_links = page.select("aside .facet .facet-link")
    entity_links = [a for a in facet_links if a.find_parent("section").select_one(
        ".facet-person, .facet-org, .facet-place, .facet-other")]
    assert entity_links, "the sidebar should list people, organisations or places"
    a = entity_links[0]
    name = a.select_one(".facet-name").get_text()
    count = int(a.select_one(".facet-count").get_text().replace(",", ""))
    assert parse_qs(urlsplit(a["href"]).query)["entity"] == [name]
    filtered = soup(client.get(a["href"]))
    chips = [c.get_text(" ", strip=True) for c in filtered.select(".active-filters .chip")]
    assert any(name in c for c in chips)
    assert filtered.select_one("#results-heading").get_text(" ", strip=True).startswith(f"{count} article")
    assert api(client, entity=name)["total"] == count
    # the filter rides along in the search form, and its chip removes it again
    assert [i["value"] for i in filtered.select("form#searchform input[name=entity]")] == [name]
    remove = filtered.select_one(".active-filters .chip")["href"]
    assert "entity" not in parse_qs(urlsplit(remove).query)


def test_ttp_facet_finds_all_five_seeds_by_any_alias(client):
    for alias in ("TTP", "Tehreek-e-Taliban Pakistan", "Fitna-al-Khawarij"):
        data = api(client, entity=alias, per_page=100)
        ids = {h["id"] for h in data["hits"]} | {i for h in data["hits"] for i in h["same_story"]}
        seeds = {i for i in ids if i.endswith(".txt")}
        assert len(seeds) == 5, (alias, data["total"], sorted(ids))


def test_histogram_bars_filter_to_their_period(client):
    # Aug-Nov 2025 (about 15 weeks) is drawn a bar per week, each a link to
    # its Monday-to-Sunday range (the histogram's own tests: test_histogram.py).
    page = soup(client.get("/search"))
    svg = page.select_one("figure.histogram svg")
    assert svg is not None and svg.select_one("desc").get_text()
    bars = svg.select("a.hist-link")
    days = api(client, q="")["facets"]["day"]
    week_of = lambda d: (date.fromisoformat(d) - timedelta(days=date.fromisoformat(d).weekday())).isoformat()
    weeks = sorted({week_of(d["value"]) for d in days})
    assert [b["data-period"] for b in bars] == weeks
    oct_bar = next(b for b in bars if b["data-period"] == "2025-10-06")
    args = parse_qs(urlsplit(oct_bar["href"]).query)
    assert args["since"] == ["2025-10-06"] and args["until"] == ["2025-10-12"]
    zoomed = client.get(oct_bar["href"])
    assert zoomed.status_code == 200
    zpage = soup(zoomed)
    expected = sum(d["count"] for d in days if "2025-10-06" <= d["value"] <= "2025-10-12")
    assert zpage.select_one("#results-heading").get_text(" ", strip=True).startswith(f"{expected} article")
    # zoomed to one week: a bar per day, each a link to its day
    days = [b["data-period"] for b in zpage.select("figure.histogram a.hist-link")]
    assert days and all(re.fullmatch(r"2025-10-(0[6-9]|1[0-2])", d) for d in days)
    assert zpage.select_one("input#since")["value"] == "2025-10-06"


def test_histogram_bars_carry_their_counts(client):
    page = soup(client.get("/search", query_string={"q": ""}))
    fig = page.select_one("figure.histogram")
    bars = {a["data-period"]: int(re.search(r": (\d+) article", a["aria-label"]).group(1))
            for a in fig.select("a.hist-link")}
    assert 1 < len(bars) <= 24
    labels = {t["data-period"]: t.get_text() for t in fig.select("text.hist-count")}
    assert labels == {p: str(n) for p, n in bars.items()}
    assert fig.select_one(".hist-counts")["aria-hidden"] == "true"   # the links say it already
    for t in fig.select("text.hist-count"):
        assert t["x"].endswith("%") and t["y"].endswith("%") and not t.get("style")


def test_since_until_inputs_filter(client):
    page = soup(client.get("/search", query_string={"since": "2025-10-01", "until": "2025-10-31"}))
    oct_ids = {rid for rid, day, *_ in DATED if day.startswith("2025-10")} | {HOSTILE_ID}
    assert {unquote(h)[len("/articles/"):] for h in hit_links(page)} == oct_ids
    for name in ("since", "until"):
        field = page.select_one(f"input#{name}")
        assert field["form"] == "searchform" and page.select_one(f"label[for={name}]")


def test_source_filter_from_hit(client):
    data = api(client, source="Border Monitor")
    assert data["total"] == len(DATED) + len(FILLER)
    page = soup(client.get("/search", query_string={"source": "Border Monitor"}))
    assert any("Border Monitor" in c.get_text() for c in page.select(".active-filters .chip"))


# -- article pages -----------------------------------------------------------------

def test_article_page_shows_clean_text_and_metadata(client, corpus_dir):
    r = client.get("/articles/corpus/003_c6473db4c8a03bd4.txt")
    assert r.status_code == 200
    page = soup(r)
    doc = client.get("/api/articles/corpus/003_c6473db4c8a03bd4.txt").get_json()
    paras = [p.get_text() for p in page.select(".article-body > p:not(.dateline-lead)")]
    assert len(paras) >= 5
    assert " ".join(paras).split()[:6] == [w for w in doc["body"].split()][:6] or \
        paras[0] in doc["body"]
    meta = page.select_one(".article-meta").get_text(" ", strip=True)
    if doc["published"]:
        assert page.select_one(".article-meta time")["datetime"] == doc["published"]
    else:
        assert "date unknown" in meta
    if doc["dateline"]:
        assert doc["dateline"] in meta
    # other versions of the story, each a working link, include the wire copy
    versions = page.select(".versions a")
    assert WIRE_URL in {unquote(a["href"])[len("/articles/"):] for a in versions}
    for a in versions:
        assert client.get(a["href"]).status_code == 200


def test_article_entities_link_to_their_facet(client):
    doc = client.get("/api/articles/corpus/002_87aeffe32afe1305.txt").get_json()
    assert doc["entities"], "the entity stage should find entities in seed 002"
    page = soup(client.get("/articles/corpus/002_87aeffe32afe1305.txt"))
    chip_names = {a.get_text(" ", strip=True).rsplit(" ", 1)[0] if a.select_one(".chip-count")
                  else a.get_text(strip=True) for a in page.select("aside .chip")}
    assert {e["name"] for e in doc["entities"]} <= chip_names
    for a in page.select("aside .chip")[:3]:      # each leads to its entity page
        assert a["href"].startswith("/entities/")
        assert client.get(a["href"]).status_code == 200
    assert page.select(".article-body a.ent"), "entity mentions in the text should be links"


def _entity_links(page, client):
    """(text, canonical name) of each entity link; links lead to entity pages."""
    return [(a.get_text(), client.get("/api" + a["href"]).get_json()["name"])
            for a in page.select(".article-body a.ent")]


@pytest.mark.parametrize("doc_id,want", [
    # seed 001 names the TTP by four forms and the minister in full
    ("corpus/001_e6784222def0b975.txt", {"Tehreek-e-Taliban Pakistan", "Khawaja Muhammad Asif"}),
    # seed 003 says "Khawaja Asif", "TTP" and "FaK" only
    ("corpus/003_c6473db4c8a03bd4.txt", {"Tehreek-e-Taliban Pakistan", "Khawaja Muhammad Asif"}),
])
def test_article_links_any_form_of_an_entity_once(client, doc_id, want):
    doc = client.get(f"/api/articles/{doc_id}").get_json()
    forms = {e["name"]: e["forms"] for e in doc["entities"]}
    page = soup(client.get(f"/articles/{doc_id}"))
    links = _entity_links(page, client)
    targets = [t for _, t in links]
    assert want <= set(targets)
    assert len(targets) == len(set(targets)), "each entity is linked once"
    text = page.select_one(".article-body").get_text()
    for shown, target in links:
        # the link text is a form this article uses for the entity it points to,
        # and it is the first mention of any of that entity's forms
        assert shown in forms[target] or shown == target
        first = min((text.find(f) for f in forms[target] + [target] if f in text))
        assert text.find(shown) == first, (shown, target)
    body = page.select_one(".article-body")
    assert not body.select("a a"), "links never nest"
    if doc_id.startswith("003"):
        assert ("Khawaja Asif", "Khawaja Muhammad Asif") in links
        ttp = [s for s, t in links if t == "Tehreek-e-Taliban Pakistan"]
        assert ttp and ttp[0] in {"TTP", "FaK", "Fitna-al-Khawarij"}


def test_linked_forms_are_escaped(app):
    from web.article_views import link_entities
    ents = [{"name": "Tehreek-e-Taliban Pakistan", "type": "org", "forms": ["TTP", "FaK"]},
            {"name": "Pakistan", "type": "place", "forms": ["Pakistan"]}]
    with app.test_request_context():
        out = str(link_entities('<b>FaK</b> & the TTP said "Pakistan" Tehreek-e-Taliban Pakistan',
                                ents, lambda n: f"/search?entity={n}"))
    assert "&lt;b&gt;" in out and "&amp; the" in out and "&#34;" in out
    assert out.count('<a class="ent') == 2                      # TTP once, Pakistan once
    assert '>FaK</a>' in out and '>TTP</a>' not in out           # the first form wins
    # the later full name stays text: its entity is linked already, and the
    # "Pakistan" inside it is part of that longer form, not a mention of its own
    assert out.endswith("</a>&#34; Tehreek-e-Taliban Pakistan")


def test_search_for_an_alias_finds_the_entitys_articles(client):
    data = api(client, q="entity:FaK", per_page=100)
    ids = {h["id"] for h in data["hits"]} | {i for h in data["hits"] for i in h["same_story"]}
    seeds = {"corpus/000_059658d8d1ad82e8.txt", "corpus/001_e6784222def0b975.txt", "corpus/002_87aeffe32afe1305.txt",
             "corpus/003_c6473db4c8a03bd4.txt", "corpus/004_efd84228dc31cb02.txt"}
    assert seeds <= ids
    assert api(client, q="body:FaK")["total"] < data["total"]


def test_undated_article_says_date_unknown(client):
    doc = client.get("/api/articles/corpus/002_87aeffe32afe1305.txt").get_json()
    assert doc["published"] is None
    meta = soup(client.get("/articles/corpus/002_87aeffe32afe1305.txt")).select_one(".article-meta")
    assert "date unknown" in meta.get_text()


def test_more_like_this(client):
    page = soup(client.get("/articles/corpus/002_87aeffe32afe1305.txt"))
    related = page.select(".related a")
    assert related
    for a in related:
        assert client.get(a["href"]).status_code == 200


def test_url_ids_round_trip(client):
    page = soup(client.get("/search", query_string={"q": "Istanbul"}))
    hrefs = [a["href"] for a in page.select("a[href^='/articles/']")
             if "wire.example" in unquote(a.get("href", ""))]
    assert hrefs and all("%3F" in h for h in hrefs)       # "?" in an id is quoted
    r = client.get(hrefs[0])
    assert r.status_code == 200
    assert client.get("/api/articles/" + hrefs[0][len("/articles/"):]).get_json()["id"] == WIRE_URL


def test_unknown_and_traversal_ids_are_404(client):
    for path in ("/articles/no-such-article", "/articles/..%2F..%2Fetc%2Fpasswd",
                 "/articles/..%2Fcorpus%2F003_c6473db4c8a03bd4.txt", "/articles/%2e%2e/%2e%2e/etc/passwd",
                 "/articles/x/../../../etc/passwd", "/articles/%00", "/articles/" + "a" * 5000):
        r = client.get(path)
        assert r.status_code == 404, path
        body = r.get_data(as_text=True)
        assert "Traceback" not in body and "root:" not in body
    r = client.get("/api/articles/..%2F..%2Fetc%2Fpasswd")
    assert r.status_code == 404 and r.get_json()["error"]
    page = soup(client.get("/articles/no-such-article"))
    assert page.select_one(".error-code").get_text() == "404"
    assert page.select_one("a[href='/search']")


# -- API -----------------------------------------------------------------------------

def test_api_search_json_per_contract(client):
    data = api(client, q="Taliban", per_page=5)
    assert list(data) == ["query", "total", "stories", "page", "per_page", "hits", "facets", "suggestion"]
    assert data["query"] == "Taliban" and data["per_page"] == 5 and data["total"] >= 5
    for hit in data["hits"]:
        assert set(hit) == {"id", "title", "published", "source", "url", "snippet", "score",
                            "entities", "same_story"}
    assert {"person", "org", "place", "other", "year", "month", "source"} <= set(data["facets"])
    r = client.get("/api/search", query_string={"q": "Taliban", "entity": ["TTP", "TTP"],
                                                "sort": "date"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")


def test_api_article(client):
    r = client.get("/api/articles/corpus/004_efd84228dc31cb02.txt")
    assert r.status_code == 200
    doc = r.get_json()
    assert doc["id"] == "corpus/004_efd84228dc31cb02.txt"
    assert {"title", "body", "published", "source", "url", "entities", "removed"} <= set(doc)
    assert client.get("/api/articles/nope").status_code == 404


# -- feeds and CSV ---------------------------------------------------------------------

def test_atom_feed_is_valid_and_newest_first(client):
    r = client.get("/search.atom", query_string={"q": "Taliban OR talks OR ceasefire"})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(r.data)
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{tag}") is not None, tag
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").startswith("http://localhost/search.atom")
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", u) for u in updated)
    dated = [e.findtext(f"{ATOM}published") for e in entries if e.find(f"{ATOM}published") is not None]
    assert dated == sorted(dated, reverse=True) and len(dated) >= 3
    assert feed.findtext(f"{ATOM}updated") == max(updated)
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("tag:") for i in ids)
    for e in entries:
        assert e.findtext(f"{ATOM}title")
        assert e.find(f"{ATOM}summary").get("type") == "html"
        link = e.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert client.get(urlsplit(link).path).status_code == 200


def test_csv_export_holds_the_result_set(client):
    r = client.get("/search.csv", query_string={"q": ""})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert list(rows[0]) == ["id", "title", "published", "source", "url", "author", "entities",
                             "same_story", "snippet"]
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) == N_ARTICLES      # one row per article, every article
    data = api(client, q="", per_page=100)
    assert len(data["hits"]) < N_ARTICLES               # while the page collapses story groups
    grouped = [row for row in rows if row["same_story"]]
    assert grouped and all(set(row["same_story"].split()) <= set(ids) for row in grouped)
    wire = next(row for row in rows if row["id"] == WIRE_URL)
    assert wire["source"] == "Wire Service" and wire["published"] == "2025-11-09"


def test_result_pages_and_csv_make_no_index_call_per_hit(app, client, monkeypatch):
    ix = app.extensions["newsarchive.index"]
    calls = []
    for name in ("same_story", "get"):
        real = getattr(ix, name)
        monkeypatch.setattr(ix, name, lambda *a, _n=name, _r=real, **k: (calls.append(_n), _r(*a, **k))[1])
    page = soup(client.get("/search", query_string={"q": "Istanbul"}))
    assert page.select(".also a:not(.also-compare)")          # the other versions are listed
    r = client.get("/search.csv", query_string={"q": ""})
    assert r.status_code == 200
    assert calls == []
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    monkeypatch.undo()
    for row in rows:                                         # the hit carried the right author
        assert row["author"].lstrip("'") == (ix.get(row["id"])["author"] or "")


def test_a_hit_lists_its_versions_as_same_story_does(app):
    ix = app.extensions["newsarchive.index"]
    hit = next(h for h in ix.search("Istanbul").hits if h.same_story)
    assert [v["id"] for v in hit.versions] == [d["id"] for d in ix.same_story(hit.id)]
    assert sorted(v["id"] for v in hit.versions) == hit.same_story
    assert "versions" not in hit.to_dict() and "author" not in hit.to_dict()


# -- hostile input -----------------------------------------------------------------------

XSS = "<script>alert(1)</script>"


def _no_raw_script(text: str):
    assert "<script>alert" not in text
    assert "<img src=x onerror" not in text


def test_script_in_query_is_escaped_everywhere(client):
    for path in ("/search", "/search.atom", "/search.csv", "/api/search"):
        r = client.get(path, query_string={"q": XSS, "entity": XSS, "source": XSS, "since": XSS})
        assert r.status_code == 400, path          # the since value is no date
        if r.mimetype == "text/plain":
            # an error message for a feed reader or a script: inert as plain text
            assert r.headers["X-Content-Type-Options"] == "nosniff"
        elif r.is_json:
            _no_raw_script(r.get_data(as_text=True))
            assert r.get_json()["query"] == XSS             # the data is intact
        else:
            _no_raw_script(r.get_data(as_text=True))
    page = soup(client.get("/search", query_string={"q": XSS}))
    assert page.select_one("input#q")["value"] == XSS            # kept, as text
    assert not [s for s in page.select("script") if not s.get("src")]


def test_script_in_article_is_escaped_everywhere(client):
    # the search page: title and snippet
    r = client.get("/search", query_string={"q": "xsstoken"})
    html = r.get_data(as_text=True)
    _no_raw_script(html)
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html
    page = soup(r)
    assert page.select_one(".hit-title a").get_text() == HOSTILE_TITLE
    snippet = page.select_one(".snippet")
    assert snippet.select("mark") and not snippet.select("script, img")
    # the article page; its javascript: URL is shown, never linked
    art = client.get("/articles/" + HOSTILE_ID)
    _no_raw_script(art.get_data(as_text=True))
    apage = soup(art)
    assert apage.select_one("h1").get_text() == HOSTILE_TITLE
    assert not apage.select("a[href^='javascript']") and not apage.select("script:not([src])")
    assert "<script>alert('body')</script>" in apage.select_one(".article-body").get_text()
    # the feed: the title survives as text
    feed = client.get("/search.atom", query_string={"q": "xsstoken"})
    _no_raw_script(feed.get_data(as_text=True))
    entry = ET.fromstring(feed.data).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == HOSTILE_TITLE
    assert "<script>" not in entry.findtext(f"{ATOM}summary")      # the snippet HTML is escaped
    # the API gives the data as data
    assert client.get("/api/articles/" + HOSTILE_ID).get_json()["title"] == HOSTILE_TITLE


def test_csv_guards_formula_injection(client):
    r = client.get("/search.csv", query_string={"q": "xsstoken"})
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert len(rows) == 1
    row = rows[0]
    assert row["title"] == "'" + HOSTILE_TITLE
    assert row["source"] == "'@Evil Source" and row["author"] == "'-Mallory"
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize("query", [
    "page=99999999999999999999999", "page=-5", "page=abc", "page=1e9", "page=10001",
    "since=2025-13-45", "since=tomorrow", "until=9999-99", "since=2025-11&until=2025-01",
    "since=2025&since=2024&until=2023", "q=a&q=b&q=c", "entity=TTP&entity=TTP&entity=",
    "sort=../../etc", "sort=date&sort=relevance", "q=%00%01%02", "q=" + "a" * 5000,
    "q=" + "(" * 300, "q=*", "q=a*", "q=title:*", "q=~~~", "q=%E2%80%AE%F0%9F%92%A3",
    "q=%22%22%22", "q=NOT", "q=AND OR NOT", "entity=" + "x" * 500, "source=%00",
    "per_page=100000", "per_page=-1", "q=%ff%fe",
])
def test_hostile_params_never_500(client, query):
    for path in ("/", "/search", "/search.atom", "/search.csv", "/api/search"):
        r = client.get(f"{path}?{query}")
        assert r.status_code in (200, 400, 404), (path, query, r.status_code)
        assert "Traceback" not in r.get_data(as_text=True)


def test_huge_page_number_answers_a_page(client):
    r = client.get("/search?page=99999999999999999999")
    assert r.status_code == 200
    page = soup(r)
    assert page.select_one("input#q") is not None
    assert "first page" in page.get_text() or page.select("ol.hits .hit")


# -- security, errors, read-only ------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/search?q=talks", "/articles/corpus/004_efd84228dc31cb02.txt",
                                  "/articles/nope", "/api/search", "/api/articles/nope",
                                  "/search.atom", "/search.csv", "/static/style.css"])
def test_security_headers(client, path):
    r = client.get(path)
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "style-src 'self'" in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["Referrer-Policy"]


def test_pages_have_no_inline_script_or_style(client):
    for path in ("/", "/search?q=ceasefire", "/articles/corpus/003_c6473db4c8a03bd4.txt", "/articles/nope"):
        page = soup(client.get(path))
        assert not page.select("[style]"), path
        assert not page.select("style"), path
        assert all(s.get("src", "").startswith("/static/") for s in page.select("script")), path
        assert not [t for t in page.find_all(True) if any(a.startswith("on") for a in t.attrs)], path
        for link in page.select("link[rel=stylesheet], script[src]"):
            assert client.get(link.get("href") or link.get("src")).status_code == 200


def test_read_only(client, web_index_dir):
    before = sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in web_index_dir.iterdir())
    for path in ("/", "/search", "/api/search", "/articles/corpus/004_efd84228dc31cb02.txt"):
        for method in ("post", "put", "delete", "patch"):
            r = getattr(client, method)(path, data={"q": "x"})
            assert r.status_code == 405, (method, path)
    for path in ("/", "/search?q=ceasefire", "/search.atom", "/search.csv", "/api/search",
                 "/articles/corpus/003_c6473db4c8a03bd4.txt"):
        assert client.get(path).status_code == 200
    after = sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in web_index_dir.iterdir())
    assert before == after


def test_custom_404_and_500_pages_hide_internals(web_index_dir, monkeypatch):
    app = create_app(web_index_dir, testing=False)
    ix = app.extensions["newsarchive.index"]

    def boom(*a, **kw):
        raise RuntimeError("secret internal detail /var/lib/index")

    monkeypatch.setattr(ix, "search", boom)
    client = app.test_client()
    r = client.get("/search?q=x")
    assert r.status_code == 500
    body = r.get_data(as_text=True)
    assert "secret internal detail" not in body and "Traceback" not in body
    assert soup(r).select_one(".error-code").get_text() == "500"
    assert r.headers["Content-Security-Policy"]
    r = client.get("/api/search?q=x")
    assert r.status_code == 500 and r.get_json()["error"] and "secret" not in r.get_data(as_text=True)
    r = client.get("/no/such/page")
    assert r.status_code == 404 and soup(r).select_one("h1").get_text() == "Not found"
