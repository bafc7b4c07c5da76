"""Publication dates: each source, its order of trust, the scrape-time rule, plausibility.

Every article here is written for the test.  The order of trust is
metadata -> URL path -> a statement of publication at the head of the text ->
unknown; a day the story merely mentions is never the publication day.
"""
import json
import os

from archive import Article, load_file
from archive.dates import parse_moment, statement_date, stated_publication, year_from_context
from archive.published import settle
from archive.urldates import url_date

BODY = ("The harbour council voted on Tuesday to close the old ferry pier for repairs.\n"
        "Repairs are expected to take six weeks, a council spokeswoman said.\n")


def one(tmp_path, name, content, mtime=None):
    f = tmp_path / name
    f.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    if mtime is not None:
        os.utime(f, (mtime, mtime))
    [a] = load_file(f, tmp_path)
    assert isinstance(a, Article), a
    return a


# --- the URL path ---------------------------------------------------------------

def test_url_path_forms():
    assert url_date("https://news.example/2026/03/14/pier-closes") == "2026-03-14"
    assert url_date("https://news.example/local/2026-03-14-pier-closes") == "2026-03-14"
    assert url_date("https://news.example/20260314/pier-closes") == "2026-03-14"
    assert url_date("https://news.example/archive/2026_3_9/pier") == "2026-03-09"


def test_url_without_a_day_gives_none():
    assert url_date("https://news.example/2026/03/pier-closes") is None        # month only
    assert url_date("https://news.example/story/202603141234567") is None      # an article number
    assert url_date("https://news.example/2026/02/30/pier") is None            # no such day
    assert url_date("https://news.example/pier?date=2026/03/14") is None       # the query is not the path
    assert url_date(None) is None


# --- the order of trust -----------------------------------------------------------

def test_metadata_comes_first(tmp_path):
    a = one(tmp_path, "a.json", {"title": "Pier Closes", "body": BODY, "published": "2026-03-13",
                                 "url": "https://news.example/2026/03/14/pier-closes"})
    assert (a.published, a.date_source) == ("2026-03-13", "metadata")


def test_url_when_metadata_is_missing(tmp_path):
    a = one(tmp_path, "a.json", {"title": "Pier Closes", "body": BODY,
                                 "url": "https://news.example/2026/03/14/pier-closes"})
    assert (a.published, a.date_source) == ("2026-03-14", "url")


def test_url_beats_a_statement_in_the_text(tmp_path):
    a = one(tmp_path, "a.json", {"title": "Pier Closes", "body": "Published March 2, 2026\n" + BODY,
                                 "url": "https://news.example/2026/03/14/pier-closes"})
    assert (a.published, a.date_source) == ("2026-03-14", "url")


def test_published_line_at_the_head(tmp_path):
    a = one(tmp_path, "a.txt", "Pier Closes For Repairs\n\nBy Ana Ruiz | Published March 14, 2026\n\n" + BODY)
    assert (a.published, a.date_source) == ("2026-03-14", "text")


def test_updated_line_at_the_head(tmp_path):
    a = one(tmp_path, "a.txt", "Pier Closes For Repairs\n\nUpdated: 14 Mar 2026, 10:05 GMT\n\n" + BODY)
    assert (a.published, a.date_source) == ("2026-03-14", "text")


def test_wire_dateline_with_its_year(tmp_path):
    a = one(tmp_path, "a.txt", "PORTSMOUTH, March 14, 2026 (Wire) - The harbour council voted "
                               "to close the old ferry pier for repairs.\nRepairs will take six weeks.\n")
    assert (a.published, a.date_source, a.dateline) == ("2026-03-14", "text", "Portsmouth")


def test_wire_dateline_takes_its_year_from_a_full_date_nearby(tmp_path):
    a = one(tmp_path, "a.txt", "PORTSMOUTH, Mar 14 (Wire) - The harbour council voted to close the "
                               "old ferry pier, which it inspected on March 10, 2026.\n"
                               "Repairs will take six weeks.\n")
    assert (a.published, a.date_source) == ("2026-03-14", "text")


def test_wire_dateline_without_a_fixing_date_stays_undated(tmp_path):
    # the only full date is history, decades away: it does not fix the year
    a = one(tmp_path, "a.txt", "PORTSMOUTH, Mar 14 (Wire) - The harbour council voted to close the "
                               "old ferry pier, first opened on June 2, 1953.\nRepairs will take weeks.\n")
    assert (a.published, a.date_source) == (None, None)
    assert a.mentioned_dates == ["1953-06-02"]


def test_dates_the_story_mentions_are_never_publication(tmp_path):
    a = one(tmp_path, "a.txt", "Pier Closes For Repairs\n\nThe pier, which opened on June 2, 1953, "
                               "survived the storm of October 16, 1987.\nA hearing is set for "
                               "January 15, 2031, the council said.\n")
    assert (a.published, a.date_source) == (None, None)
    assert a.mentioned_dates == ["1953-06-02", "1987-10-16", "2031-01-15"]


def test_published_inside_a_sentence_is_a_mention():
    assert stated_publication("The report was published on 3 March 2020 and described the losses.") is None
    assert stated_publication("Published 3 March 2020.") == "2020-03-03"
    assert stated_publication("By Ana Ruiz · Updated 2010 GMT (0410 HKT) March 14, 2026") == "2026-03-14"


def test_statement_only_at_the_head():
    paras = ["The council met.", "It voted.", "Members spoke.", "Published March 14, 2026"]
    assert statement_date(paras, []) is None
    assert statement_date(paras[3:] + paras[:3], []) == "2026-03-14"


# --- scrape time is not publication time ------------------------------------------

def test_date_equal_to_scraped_at_is_the_scrape_time(tmp_path):
    a = one(tmp_path, "a.json", {
        "title": "Pier Closes", "text": BODY, "date": "2026-05-02T09:14:03.123456",
        "scraped_at": "2026-05-02T09:14:03.123456",
        "url": "https://news.example/2026/03/14/pier-closes"})
    assert (a.published, a.date_source) == ("2026-03-14", "url")
    assert a.scraped_at == "2026-05-02T09:14:03.123456"
    assert a.to_dict()["scraped_at"] == "2026-05-02T09:14:03.123456"


def test_date_equal_to_scraped_at_without_a_url_is_unknown(tmp_path):
    a = one(tmp_path, "a.json", {"title": "Pier Closes", "text": BODY, "date": "2026-05-02T09:14:03Z",
                                 "crawled_at": "2026-05-02T09:14:03Z"})
    assert (a.published, a.date_source, a.scraped_at) == (None, None, "2026-05-02T09:14:03+00:00")


def test_date_later_than_the_url_by_more_than_a_day_is_a_scrape(tmp_path):
    a = one(tmp_path, "a.json", {"title": "Pier Closes", "text": BODY, "date": "2026-03-20T08:00:00Z",
                                 "url": "https://news.example/2026/03/14/pier-closes"})
    assert (a.published, a.date_source, a.scraped_at) == ("2026-03-14", "url", "2026-03-20T08:00:00+00:00")


def test_utc_time_a_day_after_the_url_is_the_same_publication():
    # 02:25 UTC on the 15th is the evening of the 14th west of Greenwich
    s = settle(published="2026-03-15T02:25:00Z", url="https://news.example/2026/03/14/pier")
    assert (s.published, s.date_source) == ("2026-03-14", "url")
    # a time written in the publisher's own zone is its day
    s = settle(published="2026-03-15T02:25:00+01:00", url="https://news.example/2026/03/14/pier")
    assert (s.published, s.date_source) == ("2026-03-15", "metadata")


def test_utc_time_shown_in_the_pages_own_zone():
    zone = parse_moment("2026-03-14T21:00:00-04:00").instant.tzinfo
    s = settle(published="2026-03-15T01:30:00Z", page_clock=([zone], [], []))
    assert (s.published, s.date_source) == ("2026-03-14", "metadata")


# --- plausibility -------------------------------------------------------------------

def test_publication_never_later_than_the_scrape(tmp_path):
    a = one(tmp_path, "a.json", {"title": "Pier Closes", "text": BODY, "published": "2026-09-01",
                                 "scraped_at": "2026-05-02T09:14:03"})
    assert (a.published, a.date_source) == (None, None)


def test_publication_never_later_than_the_file(tmp_path):
    t = 1767225600  # 2026-01-01 00:00 UTC
    a = one(tmp_path, "a.txt", "---\ntitle: Pier Closes\npublished: 2026-03-14\n---\n" + BODY, mtime=t)
    assert (a.published, a.date_source) == (None, None)
    b = one(tmp_path, "b.txt", "---\ntitle: Pier Closes\npublished: 2025-12-31\n---\n" + BODY, mtime=t)
    assert (b.published, b.date_source) == ("2025-12-31", "metadata")


def test_year_less_day_takes_its_year_only_when_consistent():
    assert year_from_context(3, 14, ["2026-03-10"]) == "2026-03-14"
    assert year_from_context(1, 2, ["2025-12-30"]) == "2026-01-02"          # over the new year
    assert year_from_context(2, 9, ["2025-06-01"]) is None                   # too far to fix it
    assert year_from_context(3, 14, ["2026-03-10", "2025-03-12"]) is None    # two years fit
    assert year_from_context(3, 14, ["2026-03-10"], latest="2026-03-12") is None  # after the scrape


def test_mentioned_year_less_day_without_context_is_dropped():
    from archive.dates import mentioned_dates

    assert mentioned_dates("The hearing is on February 9.") == []
    assert mentioned_dates("In January 2026 the plan began; the hearing is on February 9.") == ["2026-02-09"]


def test_a_sentence_opening_with_a_day_is_no_dateline():
    assert statement_date(["On Monday, March 14: the council met again."], ["2026-03-10"]) is None
    assert statement_date(["Portsmouth, Mar 14 (Wire) - The council met."], ["2026-03-10"]) == "2026-03-14"
