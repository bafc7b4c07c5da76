"""The author and source facets on the results page, in the JSON API, on the
article page and on the command line -- over the newsroom archive
(tests/web/newsroom.py: the strike stories' bylines name Lena Ortiz, Tom Reyes
and Ines Duarte)."""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup

from web.cli import main

#: /search?q=HWU matches port/1..6: Lena Ortiz wrote 1, 2, 5; Tom Reyes 2, 3; Ines Duarte 4
HWU_AUTHORS = [{"value": "Lena Ortiz", "count": 3}, {"value": "Tom Reyes", "count": 2},
               {"value": "Ines Duarte", "count": 1}]


def soup(r, status=200):
    assert r.status_code == status, r.get_data(as_text=True)
    return BeautifulSoup(r.get_data(as_text=True), "html.parser")


def args_of(href):
    return parse_qs(urlsplit(href).query)


def facet(page, key):
    section = page.select_one(f"section[aria-labelledby=facet-{key}]")
    assert section is not None, key
    return section


def item(section, name):
    return next(li for li in section.select(".facet-item")
                if li.select_one(".facet-name").get_text() == name)


def test_sidebar_lists_authors_with_counts_and_exclude(newsroom):
    page = soup(newsroom.get("/search?q=HWU"))
    section = facet(page, "author")
    assert section.select_one(".facet-title").get_text(" ", strip=True) == "Authors articles"
    assert [(li.select_one(".facet-name").get_text(), li.select_one(".facet-count").get_text())
            for li in section.select(".facet-item")] == \
        [(v["value"], str(v["count"])) for v in HWU_AUTHORS]
    lena = item(section, "Lena Ortiz")
    link, minus = lena.select_one("a.facet-link"), lena.select_one("a.facet-not")
    assert link["aria-label"] == "Only by Lena Ortiz, 3 articles"
    assert args_of(link["href"]) == {"q": ["HWU"], "author": ["Lena Ortiz"]}
    assert minus["aria-label"] == "Exclude author Lena Ortiz"
    assert args_of(minus["href"]) == {"q": ["HWU"], "exclude_author": ["Lena Ortiz"]}


def test_following_an_author_filters_and_clicking_again_clears(newsroom):
    page = soup(newsroom.get("/search?q=HWU&author=Lena+Ortiz"))
    assert page.select_one("#results-heading").get_text(" ", strip=True).startswith("3 articles")
    chip = page.select_one(".active-filters .chip")
    assert chip.get_text(" ", strip=True) == "by Lena Ortiz ×"
    assert args_of(chip["href"]) == {"q": ["HWU"]}
    on = item(facet(page, "author"), "Lena Ortiz").select_one("a.facet-link")
    assert on["aria-current"] == "true" and args_of(on["href"]) == {"q": ["HWU"]}
    # the search box keeps the filter for the next query
    assert page.select_one("form input[type=hidden][name=author]")["value"] == "Lena Ortiz"
    # other authors now count within Lena Ortiz's articles (Tom Reyes co-wrote port/2)
    assert [li.select_one(".facet-name").get_text()
            for li in facet(page, "author").select(".facet-item")] == ["Lena Ortiz", "Tom Reyes"]


def test_excluding_an_author_and_a_source(newsroom):
    page = soup(newsroom.get("/search?q=HWU&exclude_author=Tom+Reyes"))
    assert page.select_one("#results-heading").get_text(" ", strip=True).startswith("4 articles")
    chip = page.select_one(".active-filters .chip-not")
    assert chip.get_text(" ", strip=True) == "not by Tom Reyes ×"
    assert args_of(chip["href"]) == {"q": ["HWU"]}
    assert "Tom Reyes" not in [li.select_one(".facet-name").get_text()
                               for li in facet(page, "author").select(".facet-item")]
    # the source facet has its "−" too
    minus = item(facet(soup(newsroom.get("/search?q=HWU")), "source"), "Evening Ledger") \
        .select_one("a.facet-not")
    assert args_of(minus["href"]) == {"q": ["HWU"], "exclude_source": ["Evening Ledger"]}
    page = soup(newsroom.get(minus["href"]))
    assert page.select_one("#results-heading").get_text(" ", strip=True).startswith("4 articles")
    assert "Evening Ledger" not in page.select_one("ol.hits").get_text()
    clear = page.select_one(".active-filters a.clear-all")
    assert args_of(clear["href"]) == {"q": ["HWU"]}


def test_json_api_has_the_author_facet_and_filters(newsroom):
    data = newsroom.get("/api/search?q=HWU").get_json()
    assert data["facets"]["author"] == HWU_AUTHORS
    assert {v["value"] for v in data["facets"]["source"]} == \
        {"Coastal Courier", "Evening Ledger", "Harbour Notes"}
    by = newsroom.get("/api/search?q=HWU&author=lena+ortiz&sort=date").get_json()
    assert by["total"] == 3
    ids = {h["id"] for h in by["hits"]} | {i for h in by["hits"] for i in h["same_story"]}
    assert ids == {"port/1", "port/2", "port/5"}
    assert newsroom.get("/api/search?q=HWU&exclude_author=Lena+Ortiz&exclude_author=Ines+Duarte"
                        ).get_json()["total"] == 2          # port/3 and the unsigned port/6
    assert newsroom.get("/api/search?q=HWU&exclude_source=Harbour+Notes").get_json()["total"] == 4
    doc = newsroom.get("/api/articles/port/2").get_json()
    assert doc["authors"] == ["Lena Ortiz", "Tom Reyes"]
    assert doc["author"] == "Lena Ortiz and Tom Reyes"


def test_article_byline_links_each_author(newsroom):
    page = soup(newsroom.get("/articles/port/2"))
    links = page.select("a.author-link")
    assert [a.get_text() for a in links] == ["Lena Ortiz", "Tom Reyes"]
    assert args_of(links[1]["href"]) == {"author": ["Tom Reyes"]}
    # the label of "By Ines Duarte" is gone
    assert [a.get_text() for a in soup(newsroom.get("/articles/port/4")).select("a.author-link")] \
        == ["Ines Duarte"]


def test_cli_search_by_author(newsroom_dir, capsys):
    assert main(["search", "HWU", "--author", "Tom Reyes", "--json",
                 "--index", str(newsroom_dir)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 2 and data["facets"]["author"][0] == {"value": "Tom Reyes", "count": 2}
    assert main(["search", "HWU", "--index", str(newsroom_dir)]) == 0
    assert "author: Lena Ortiz (3), Tom Reyes (2), Ines Duarte (1)" in capsys.readouterr().out


def test_csv_and_feed_follow_the_author_filter(newsroom):
    import csv
    import io
    rows = list(csv.DictReader(io.StringIO(
        newsroom.get("/search.csv?q=HWU&author=Tom+Reyes").get_data(as_text=True))))
    assert sorted(r["id"] for r in rows) == ["port/2", "port/3"]
    feed = newsroom.get("/search.atom?q=HWU&exclude_author=Tom+Reyes").get_data(as_text=True)
    assert feed.count("<entry>") == 4
    assert "by Tom Reyes" in newsroom.get("/search.atom?q=HWU&author=Tom+Reyes").get_data(as_text=True)
