"""Entity pages: /entities/<id>, /api/entities/<id>, ``Index.entity`` and
``newsarchive entity NAME`` over the newsroom archive (tests/web/newsroom.py)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

import index
from index.entity_page import distinct_line, entity_id

from .newsroom import LEADER, UNION

UNION_ID = "org-harbour-workers-union"
ROOT = Path(__file__).resolve().parents[2]


def soup(r):
    return BeautifulSoup(r.get_data(as_text=True), "html.parser")


def api(client, path, **args):
    r = client.get(path, query_string=args)
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()


# -- ids --------------------------------------------------------------------------

def test_entity_ids_are_url_safe_slugs_of_name_and_type():
    assert entity_id(UNION, "org") == UNION_ID
    assert entity_id("Türkiye", "place") == "place-turkiye"
    assert entity_id("Siraj-ud-Din Haqqani", "person") == "person-siraj-ud-din-haqqani"
    assert entity_id("AT&T / Bell?", None) == "other-at-t-bell"
    long = entity_id("x" * 200, "org")
    assert len(long) < 100 and long.startswith("org-xxx")
    assert entity_id("", "org").startswith("org-")           # never an empty slug


def test_any_name_redirects_to_the_one_address(newsroom):
    for name in ("HWU", "harbour workers union", UNION):
        r = newsroom.get(f"/entities/{name}")
        assert r.status_code == 302 and r.headers["Location"] == f"/entities/{UNION_ID}"
    assert newsroom.get(f"/entities/{UNION_ID}").status_code == 200
    assert newsroom.get("/entities/org-no-such-union").status_code == 404
    assert newsroom.get("/api/entities/org-no-such-union").get_json()["status"] == 404
    r = newsroom.get(f"/api/entities/{UNION_ID}?since=2026-13")
    assert r.status_code == 400 and "invalid date" in r.get_json()["error"]


# -- what the page holds ------------------------------------------------------------

def test_names_counts_and_why_merged(newsroom):
    ent = api(newsroom, f"/api/entities/{UNION_ID}")
    assert (ent["id"], ent["name"], ent["type"]) == (UNION_ID, UNION, "org")
    assert ent["display"] == "Harbour Workers Union (HWU)"
    assert (ent["articles"], ent["undated"]) == (6, 1)
    forms = {f["form"]: f for f in ent["forms"]}
    assert set(forms) == {UNION, "HWU"}
    assert forms[UNION]["canonical"] and forms[UNION]["undo"] is None
    assert forms[UNION]["articles"] == 2          # port/1 and port/5 spell it out
    hwu = forms["HWU"]
    assert hwu["articles"] == 6 and hwu["rule"] == "acronym" and not hwu["curated"]
    # the first article that defined it, and the sentence (from the entities layer's
    # Index.entity_evidence, or else from the alias hints the article stored)
    assert hwu["evidence"][0] == {
        "rule": "acronym", "article": "port/1", "curated": None,
        "title": "Dockers threaten to walk out",
        "sentence": "The Harbour Workers Union (HWU) said on Monday that its members would "
                    "stop work at the container terminal unless the port authority restored "
                    "night-shift pay."}
    assert ent["undo"] == ['distinct = [["HWU", "Harbour Workers Union"]]'] == [hwu["undo"]]
    assert ent["undo_notes"] == [] and hwu["undo_note"] is None
    assert ent["forms_counted_in"] == 6


def test_undo_line_is_valid_toml_naming_the_pair():
    import tomllib
    line = distinct_line('Say "X"', "Ünion\\Y")
    assert tomllib.loads(line) == {"distinct": [['Say "X"', "Ünion\\Y"]]}


def test_timeline_cooccurring_sources_first_latest(newsroom):
    ent = api(newsroom, f"/api/entities/{UNION_ID}")
    assert ent["timeline"]["month"] == [{"value": "2026-01", "count": 3},
                                        {"value": "2026-02", "count": 1},
                                        {"value": "2026-03", "count": 1}]
    assert [d["value"] for d in ent["timeline"]["day"]] == [
        "2026-01-05", "2026-01-12", "2026-01-14", "2026-02-02", "2026-03-20"]
    co = [(c["name"], c["type"], c["count"]) for c in ent["cooccurring"]]
    assert co == [(LEADER, "person", 3), ("Portugal", "place", 1), ("Spain", "place", 1)]
    assert ent["cooccurring"][0]["id"] == "person-mira-castellanos"
    assert ent["sources"] == [{"value": "Coastal Courier", "count": 2},
                              {"value": "Evening Ledger", "count": 2},
                              {"value": "Harbour Notes", "count": 2}]
    assert [a["id"] for a in ent["first"]] == ["port/1", "port/2", "port/3", "port/4", "port/5"]
    assert [a["id"] for a in ent["latest"]] == ["port/5", "port/4", "port/3", "port/2", "port/1"]
    assert ent["first"][0]["published"] == "2026-01-05"


def test_date_range_narrows_the_whole_page(newsroom):
    ent = api(newsroom, f"/api/entities/{UNION_ID}", since="2026-01", until="2026-01")
    assert (ent["articles"], ent["undated"], ent["since"], ent["until"]) == (3, 0, "2026-01", "2026-01")
    assert [a["id"] for a in ent["latest"]] == ["port/3", "port/2", "port/1"]
    assert ent["cooccurring"] == [{"name": LEADER, "type": "person", "count": 3,
                                   "id": "person-mira-castellanos"}]
    # names and why they were merged are the entity's, whatever the period
    forms = {f["form"]: f for f in ent["forms"]}
    assert (forms["HWU"]["articles"], forms["HWU"]["rule"]) == (6, "acronym")
    assert ent["forms_counted_in"] == 6


def test_library_call_matches_the_api(newsroom, newsroom_dir):
    ix = index.open_index(newsroom_dir)
    assert ix.entity("HWU") == api(newsroom, f"/api/entities/{UNION_ID}")
    assert ix.entity("nobody at all") is None
    assert ix.entity_summary("HWU") == {"id": UNION_ID, "name": UNION, "type": "org",
                                        "display": "Harbour Workers Union (HWU)",
                                        "forms": [UNION, "HWU"], "articles": 6}


def test_without_recorded_evidence_the_stored_hints_explain_the_merge(newsroom_dir, monkeypatch):
    ix = index.open_index(newsroom_dir)
    monkeypatch.setattr(ix, "entity_evidence", None, raising=False)     # an index without it
    hwu = {f["form"]: f for f in ix.entity("HWU")["forms"]}["HWU"]
    assert [(e["rule"], e["article"]) for e in hwu["evidence"]] == [
        ("acronym", "port/1"), ("initials", "port/5")]     # one reason per article
    # port/5 has both names, in different sentences: no one sentence to quote
    assert hwu["evidence"][1]["sentence"] is None
    assert hwu["evidence"][0]["sentence"].startswith("The Harbour Workers Union (HWU) said")


def test_evidence_from_the_entities_layer_wins_when_offered(newsroom_dir, monkeypatch):
    """``Index.entity_evidence`` (the entities work) gives rule and sentence first-hand;
    a curated name is undone in its [[entity]] entry, not with ``distinct``."""
    ix = index.open_index(newsroom_dir)
    cur = {"file": "corpus/aliases.toml", "entry": "Harbour Workers Union"}
    recorded = [
        {"form": UNION, "canonical": UNION, "rule": "curated", "article": None,
         "sentence": None, "curated": cur},
        {"form": "HWU", "canonical": UNION, "rule": "acronym", "article": "port/1",
         "sentence": "The Harbour Workers Union (HWU) said so.", "curated": None},
        {"form": "HWU", "canonical": UNION, "rule": "curated", "article": None,
         "sentence": None, "curated": cur},
    ]
    monkeypatch.setattr(ix, "entity_evidence", lambda name: recorded if name == UNION else [],
                        raising=False)
    ent = ix.entity("HWU")
    forms = {f["form"]: f for f in ent["forms"]}
    assert (forms[UNION]["rule"], forms[UNION]["curated_in"]) == ("curated", cur)
    hwu = forms["HWU"]
    assert (hwu["rule"], hwu["curated"], hwu["curated_in"], hwu["undo"]) == ("curated", True, cur, None)
    assert hwu["evidence"] == [
        {"rule": "curated", "article": None, "title": "", "sentence": None, "curated": cur},
        {"rule": "acronym", "article": "port/1", "title": "Dockers threaten to walk out",
         "sentence": "The Harbour Workers Union (HWU) said so.", "curated": None}]
    assert ent["undo"] == []
    assert ent["undo_notes"] == ['Remove "HWU" from the aliases of the [[entity]] named '
                                 '"Harbour Workers Union" in corpus/aliases.toml.']


# -- the HTML page ------------------------------------------------------------------

def test_page_shows_names_evidence_undo_and_links(newsroom):
    page = soup(newsroom.get(f"/entities/{UNION_ID}"))
    assert page.select_one("h1#entity-title").get_text(strip=True) == "Harbour Workers Union (HWU)"
    rows = {r.select_one("th .form-name").get_text(): r for r in page.select("table.names tbody tr")}
    assert set(rows) == {UNION, "HWU"}
    hwu = rows["HWU"]
    assert hwu.select_one("td.num").get_text(strip=True) == "6"
    assert "Long Name (ACR)" in hwu.select_one(".rule").get_text()
    assert "Harbour Workers Union (HWU) said on Monday" in hwu.select_one(".evidence").get_text()
    assert hwu.select_one(".evidence a")["href"] == "/articles/port/1"
    assert page.select_one("pre.undo-lines").get_text().strip() == \
        'distinct = [["HWU", "Harbour Workers Union"]]'
    # "show all" is the entity filter, and finds exactly the entity's articles
    show_all = page.select_one(".entity-actions a.button")
    assert parse_qs(urlsplit(show_all["href"]).query)["entity"] == [UNION]
    assert soup(newsroom.get(show_all["href"])).select_one("#results-heading").get_text(
        " ", strip=True).startswith("6 articles")


def test_cooccurring_entity_opens_the_search_filtered_to_both(newsroom):
    page = soup(newsroom.get(f"/entities/{UNION_ID}"))
    first = page.select_one(".co-list li")
    link = first.select_one("a.co-link")
    assert link.select_one(".co-name").get_text(strip=True) == LEADER
    assert parse_qs(urlsplit(link["href"]).query)["entity"] == [UNION, LEADER]
    both = api(newsroom, "/api/search", entity=[UNION, LEADER])
    assert both["total"] == 3
    assert first.select_one("a.co-page")["href"] == "/entities/person-mira-castellanos"
    assert newsroom.get("/entities/person-mira-castellanos").status_code == 200


def test_timeline_bars_zoom_the_entity_page(newsroom):
    page = soup(newsroom.get(f"/entities/{UNION_ID}"))
    fig = page.select_one("figure.histogram")
    assert fig["data-brush-base"] == f"/entities/{UNION_ID}"
    bars = fig.select("a.hist-link")
    # 5 Jan to 20 Mar 2026: eleven weeks, four of them with articles
    assert [b["data-period"] for b in bars] == ["2026-01-05", "2026-01-12", "2026-02-02",
                                                "2026-03-16"]
    zoomed = soup(newsroom.get(bars[1]["href"]))
    assert zoomed.select_one(".entity-summary strong").get_text() == "2 articles"
    days = [b["data-period"] for b in zoomed.select("figure.histogram a.hist-link")]
    assert days == ["2026-01-12", "2026-01-14"]
    zoom_out = zoomed.select_one("a.hist-zoom-out")
    assert parse_qs(urlsplit(zoom_out["href"]).query) == {"since": ["2026-01"], "until": ["2026-01"]}


def test_article_entity_links_and_facet_arrows_lead_here(newsroom):
    art = soup(newsroom.get("/articles/port/1"))
    hrefs = {a.get_text(): a["href"] for a in art.select(".article-body a.ent")}
    assert hrefs["Harbour Workers Union"] == f"/entities/{UNION_ID}"
    assert hrefs[LEADER] == "/entities/person-mira-castellanos"
    assert f"/entities/{UNION_ID}" in {a["href"] for a in art.select("aside .chip")}
    # on the results page the value still filters; its arrow opens the page
    res = soup(newsroom.get("/search?q=strike"))
    item = next(li for li in res.select(".facet-item")
                if li.select_one(".facet-name").get_text() == UNION)
    assert parse_qs(urlsplit(item.select_one("a.facet-link")["href"]).query)["entity"] == [UNION]
    assert item.select_one("a.facet-page")["href"] == f"/entities/{UNION_ID}"


# -- the command line -----------------------------------------------------------------

def run(*args):
    return subprocess.run([sys.executable, "-m", "web.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_cli_entity_json_and_text(newsroom, newsroom_dir):
    p = run("entity", "HWU", "--json", "--index", str(newsroom_dir))
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == api(newsroom, f"/api/entities/{UNION_ID}")
    p = run("entity", UNION_ID, "--index", str(newsroom_dir))
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0] == "Harbour Workers Union (HWU) — organisation"
    assert lines[2] == f"id: {UNION_ID} · 6 articles (1 undated) · 2026-01-05 .. 2026-03-20"
    assert '  distinct = [["HWU", "Harbour Workers Union"]]' in lines
    assert any(line.split() == ["3", *LEADER.split(), "(person)"] for line in lines)
    p = run("entity", "Nobody Here", "--index", str(newsroom_dir))
    assert (p.returncode, p.stdout) == (1, "")
    assert p.stderr == "newsarchive: no entity named 'Nobody Here' in the archive\n"


@pytest.mark.parametrize("path,status", [
    ("/entities/%00", 404), ("/entities/" + "x" * 5000, 404), ("/entities/../../etc/passwd", 404),
    ("/entities/<script>", 404), ("/api/entities/%ff%fe", 404),
    (f"/entities/{UNION_ID}?since=%00&until=9999999", 400),
    (f"/entities/{UNION_ID}?since=2026-02&until=2026-01", 400),
    (f"/api/entities/{UNION_ID}?since=" + "9" * 500, 400),
    ("/compare?a=port/1", 404), ("/compare?a=../x&b=port/1", 404), ("/compare", 404),
    ("/articles/port/4?from=-1&to=abc", 200),
    ("/search?exclude=" + "x" * 500 + "&as_typed=maybe", 200),
    ("/search?q=HWU&sort=oldest&exclude=%00", 200),
])
def test_hostile_requests_are_answered_not_crashed(newsroom, path, status):
    r = newsroom.get(path)
    assert r.status_code == status, path
    assert b"<script>" not in r.data
