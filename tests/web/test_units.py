"""The web package's pure helpers: CSV guard, feed text, compact counts (the histogram's
scale and layout: test_histogram.py)."""
from __future__ import annotations

import csv
import io
from xml.etree import ElementTree as ET
from datetime import datetime, timezone

import pytest

from web import export, feeds, histogram


def facet(*pairs):
    return [{"value": v, "count": c} for v, c in pairs]


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_guard_cell_neutralises_formulas(value):
    assert export.guard_cell(value) == "'" + value


def test_write_csv_round_trips_text():
    hits = [{"id": "a/1", "title": 'Say "hi", then =2+2', "published": None, "source": "S",
             "url": "https://x/?a=1,2", "author": "-me", "entities": [{"name": "TTP", "type": "org"}],
             "same_story": ["b", "c"], "snippet": "<mark>Say</mark> &quot;hi&quot; &amp; =go"}]
    rows = list(csv.reader(io.StringIO(export.write_csv(hits))))
    assert rows[1] == ["a/1", 'Say "hi", then =2+2', "", "S", "https://x/?a=1,2", "'-me", "TTP", "b c",
                       'Say "hi" & =go']


def test_feed_drops_characters_xml_cannot_hold():
    body = feeds.build_feed(
        title="wire \x03 copy", feed_url="http://h/search.atom", search_url="http://h/search",
        hits=[{"id": "r/1", "title": "Oil\x03 prices \x7f rise", "published": "1987-03-02",
               "snippet": "<mark>oil</mark> \x1b rises", "source": "Reuters", "entities": []}],
        article_url=lambda i: "http://h/articles/" + i,
        fallback_updated=datetime(2025, 1, 1, tzinfo=timezone.utc))
    feed = ET.fromstring(body)
    ns = "{http://www.w3.org/2005/Atom}"
    entry = feed.find(f"{ns}entry")
    assert entry.findtext(f"{ns}title") == "Oil prices \x7f rise"
    assert entry.findtext(f"{ns}updated") == "1987-03-02T00:00:00Z"
    assert entry.findtext(f"{ns}summary") == "<mark>oil</mark>  rises"


def test_compact_count():
    assert [histogram.compact_count(n) for n in (0, 7, 999, 1000, 1234, 9999, 12_345,
                                                 999_999, 2_500_000)] == \
        ["0", "7", "999", "1k", "1.2k", "10k", "12k", "1000k", "2.5M"]
