"""One record shape for an article on its way to the index
(``Article.to_record`` / ``from_record``), versioned."""
from __future__ import annotations

import pytest

from archive import Article, Removed
from archive.article import RECORD_VERSION


def _article():
    return Article(id="wire/a.txt", path="/src/wire/a.txt", title="Port fees rise",
                   body="The harbour authority raised fees.", url="https://x.example/a",
                   published="2025-03-04", date_source="metadata", scraped_at="2025-03-05T10:00:00Z",
                   dateline="LISBON", source="Harbour Wire", author="A. Writer, B. Reporter",
                   authors=["A. Writer", "B. Reporter"], format="jsonl",
                   mentioned_dates=["2025-03-01", "2025-03-02"],
                   removed=[Removed("tweet", "a tweet")], mtime=1700000000.5)


def test_record_round_trips_what_the_index_stores():
    a = _article()
    rec = a.to_record()
    assert rec["v"] == RECORD_VERSION
    assert rec["mentioned"] == "2025-03-01,2025-03-02"
    assert rec["removed"] == [["tweet", "a tweet"]]
    assert rec["content_hash"] == a.content_hash
    assert rec["vtime"] == 1741168800.0            # the scrape time, judged before mtime
    back = Article.from_record(rec)
    assert back.to_record() == rec
    assert back.content_hash == a.content_hash
    assert back.authors == ["A. Writer", "B. Reporter"]


def test_authors_read_back_from_the_index_stored_comma_joined_field():
    rec = dict(_article().to_record(), authors="A. Writer,B. Reporter")
    assert Article.from_record(rec).authors == ["A. Writer", "B. Reporter"]


def test_a_bad_published_value_is_not_stored_and_a_later_version_is_refused():
    rec = Article(id="x", path="x", title="t", body="b", published="03/04/2025").to_record()
    assert rec["published"] is None
    with pytest.raises(ValueError, match="version"):
        Article.from_record(dict(rec, v=RECORD_VERSION + 1))
