"""Issue 16's small things: an article opened from a search marks the searched
words, a bad date gets a date message, the CSV has a snippet column."""
from __future__ import annotations

import csv
import io

from bs4 import BeautifulSoup

from web.article_views import mark_words, search_terms


def soup(r):
    return BeautifulSoup(r.get_data(as_text=True), "html.parser")


def test_search_terms_leave_out_operators_fields_and_negations():
    assert search_terms('strikes AND "Doha" NOT oil title:ceasefire -pay negotiat*') == \
        {"strike", "doha", "ceasefir"}
    assert str(mark_words("The strikes & <talks>; striking.", search_terms("strike"))) == \
        "The <mark>strikes</mark> &amp; &lt;talks&gt;; <mark>striking</mark>."


def test_article_opened_from_a_search_marks_its_words(newsroom):
    results = soup(newsroom.get("/search?q=pickets"))
    href = results.select_one("ol.hits .hit-title a")["href"]
    assert href == "/articles/port/3?q=pickets"
    page = soup(newsroom.get(href))
    assert [m.get_text() for m in page.select(".article-body mark")] == ["pickets"]
    note = page.select_one(".searched-note")
    assert note.select_one("a")["href"] == "/articles/port/3"
    # entity links and marks live side by side, nothing double-escaped
    body = page.select_one(".article-body")
    assert body.select_one("a.ent")["href"].startswith("/entities/")
    plain = soup(newsroom.get("/articles/port/3"))
    assert not plain.select(".article-body mark, .searched-note")


def test_bad_date_gets_a_date_message(newsroom):
    for args in ({"q": "strike", "since": "2026-13"}, {"since": "2026-02", "until": "2026-01"}):
        r = newsroom.get("/search", query_string=args)
        assert r.status_code == 400
        page = soup(r)
        assert page.select_one(".notice-title").get_text() == "These dates could not be read"
        help_text = page.select_one(".notice-help").get_text()
        assert help_text.startswith("Dates are a year (2025)") and "AND" not in help_text
    syntax = soup(newsroom.get("/search", query_string={"q": "strike", "page": "x", "sort": "x"}))
    assert not syntax.select(".notice-error")


def test_csv_has_a_plain_snippet_column(newsroom):
    text = newsroom.get("/search.csv?q=pickets").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][-1] == "snippet"
    assert rows[1][0] == "port/3"
    assert "pickets would stay at every gate" in rows[1][-1] and "<mark>" not in rows[1][-1]
