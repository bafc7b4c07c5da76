"""The results page around the hits: facets with "show more" and "−" (exclude),
counts that say what they count, the alias offer and the Oldest sort -- over
the newsroom archive (tests/web/newsroom.py: 14 countries named by 14 to 1
market notes, a union called HWU)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup

from .newsroom import COUNTRIES, UNION


def soup(r):
    assert r.status_code == 200, r.get_data(as_text=True)
    return BeautifulSoup(r.get_data(as_text=True), "html.parser")


def places(page):
    section = page.select_one("section[aria-labelledby=facet-place]")
    top = [li.select_one(".facet-name").get_text() for li in section.select(":scope > ul > li")]
    more = [li.select_one(".facet-name").get_text()
            for li in section.select("details.facet-more li")]
    return section, top, more


def test_show_more_holds_the_rest_with_a_filter_box(newsroom):
    page = soup(newsroom.get("/search?q=grain"))
    section, top, more = places(page)
    # France in 14 notes ... Belgium in 1; Italy and Spain tie at 12 (name order)
    assert top == ["France", "Germany", "Italy", "Spain", "Portugal", "Norway", "Sweden",
                   "Finland", "Denmark", "Poland"]
    assert more == ["Austria", "Greece", "Ireland", "Belgium"]
    assert set(top + more) == set(COUNTRIES)
    details = section.select_one("details.facet-more")
    assert details.select_one("summary").get_text(strip=True) == "Show 4 more"
    box = details.select_one("input.facet-filter")
    assert box.has_attr("hidden")                       # shown by app.js only
    assert section.select_one(f"label[for={box['id']}]")


def test_facet_counts_say_articles(newsroom):
    page = soup(newsroom.get("/search?q=grain"))
    section, _, _ = places(page)
    assert section.select_one(".facet-title .facet-unit").get_text() == "articles"
    first = section.select_one(".facet-link")
    assert first["aria-label"] == "Filter by France, 14 articles"
    assert first.select_one(".facet-count").get_text() == "14"


def test_exclude_a_value(newsroom):
    page = soup(newsroom.get("/search?q=grain"))
    item = next(li for li in page.select(".facet-item")
                if li.select_one(".facet-name").get_text() == "Austria")
    minus = item.select_one("a.facet-not")
    assert minus.get_text() == "−" and minus["aria-label"] == "Exclude Austria"
    args = parse_qs(urlsplit(minus["href"]).query)
    assert args == {"q": ["grain"], "exclude": ["Austria"]}
    excluded = soup(newsroom.get(minus["href"]))
    # Austria is in the 4 notes naming 11+ countries: 14 - 4 left
    assert excluded.select_one("#results-heading").get_text(" ", strip=True).startswith(
        "10 articles")
    chip = excluded.select_one(".active-filters .chip-not")
    assert chip.get_text(" ", strip=True) == "not Austria ×"
    assert parse_qs(urlsplit(chip["href"]).query) == {"q": ["grain"]}
    # the excluded value's facet is gone, and filtering by it again lifts the exclusion
    assert "Austria" not in places(excluded)[1] + places(excluded)[2]
    api = newsroom.get("/api/search", query_string={"q": "grain", "exclude": "Austria"}).get_json()
    assert api["total"] == 10
    assert newsroom.get("/api/search", query_string={"q": "", "exclude": "HWU"}).get_json()[
        "total"] == 16                                   # any alias: the 6 union stories go


def test_heading_counts_articles_and_stories(newsroom, web_index_dir):
    # no story groups among the newsroom's HWU articles: articles only
    text = soup(newsroom.get("/search?q=HWU")).select_one("#results-heading").get_text(" ", strip=True)
    assert text == "6 articles for HWU"
    # the seeds' ceasefire story runs in several outlets: one hit per story
    from web.app import create_app
    client = create_app(web_index_dir, testing=True).test_client()
    api = client.get("/api/search?q=ceasefire&per_page=100").get_json()
    stories = len(api["hits"])
    assert api["total"] > stories > 1
    text = soup(client.get("/search?q=ceasefire")).select_one("#results-heading").get_text(" ", strip=True)
    assert text == f"{api['total']} articles in {stories} stories for ceasefire"


def test_oldest_sort_beside_newest(newsroom):
    page = soup(newsroom.get("/search?q=strike&sort=oldest"))
    sorts = [a.get_text() for a in page.select("nav.sort a")]
    assert sorts == ["Relevance", "Newest", "Oldest"]
    assert page.select_one("nav.sort a[aria-current]").get_text() == "Oldest"
    dates = [t["datetime"] for t in page.select("ol.hits .hit-meta time")]
    assert dates == sorted(dates) and len(dates) >= 3
    api = newsroom.get("/api/search?q=strike&sort=oldest").get_json()
    assert [h["published"] for h in api["hits"]] == sorted(h["published"] for h in api["hits"])
    browse = soup(newsroom.get("/search"))
    assert [a.get_text() for a in browse.select("nav.sort a")] == ["Newest", "Oldest"]


def test_alias_offer_names_the_entity_and_links_the_filter(newsroom):
    page = soup(newsroom.get("/search?q=HWU"))
    offer = page.select_one("aside.alias-offer")
    assert offer.select_one("p").get_text(" ", strip=True).startswith(
        "HWU is also known as Harbour Workers Union — show all 6 articles about it")
    link = offer.select_one("a.alias-offer-link")
    assert parse_qs(urlsplit(link["href"]).query) == {"entity": [UNION]}
    assert newsroom.get("/api/search", query_string={"entity": UNION}).get_json()["total"] == 6
    assert offer.select("a")[1]["href"] == "/entities/org-harbour-workers-union"
    # the canonical name itself: offered with its other names; none once it is a filter
    canon = soup(newsroom.get("/search", query_string={"q": UNION})).select_one("aside.alias-offer")
    assert canon.select_one("p").get_text(" ", strip=True).startswith(
        "Harbour Workers Union (HWU) is also written HWU — show all 6 articles")
    assert not soup(newsroom.get("/search", query_string={"q": "HWU", "entity": UNION})).select(
        "aside.alias-offer")
    # "show all 6": the link is all of them, whatever else this search filters by
    filtered = soup(newsroom.get("/search?q=HWU&author=Lena+Ortiz&since=2026-01"))
    link = filtered.select_one("aside.alias-offer a.alias-offer-link")
    assert link.get_text() == "show all 6 articles about it"
    assert parse_qs(urlsplit(link["href"]).query) == {"entity": [UNION]}
    # a query that is not a name, or uses syntax, gets no offer
    for q in ("grain", "HWU AND strike", "HW*"):
        assert not soup(newsroom.get("/search", query_string={"q": q})).select("aside.alias-offer")


def test_no_hits_shows_the_suggestions_results_with_search_instead(newsroom):
    page = soup(newsroom.get("/search?q=strke"))
    note = page.select_one(".did-you-mean.corrected")
    assert note.get_text(" ", strip=True) == "Showing results for strike — search instead for strke"
    assert page.select_one("#results-heading").get_text(" ", strip=True) == \
        f"{newsroom.get('/api/search?q=strike').get_json()['total']} articles for strike"
    assert page.select_one("input#q")["value"] == "strike"
    instead = note.select_one("a.as-typed")["href"]
    assert parse_qs(urlsplit(instead).query) == {"q": ["strke"], "as_typed": ["1"]}
    typed = soup(newsroom.get(instead))
    assert typed.select_one("#results-heading").get_text(" ", strip=True) == "0 articles for strke"
    assert not typed.select(".did-you-mean.corrected")
    assert typed.select_one(".did-you-mean a").get_text() == "strike"     # still offered
