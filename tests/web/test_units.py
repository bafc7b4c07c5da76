"""The web package's pure helpers: histogram scale and layout, CSV guard, feed text."""
from __future__ import annotations

import csv
import io
from xml.etree import ElementTree as ET
from datetime import datetime, timezone

import pytest

from web import export, feeds, histogram


def facet(*pairs):
    return [{"value": v, "count": c} for v, c in pairs]


def test_histogram_month_scale_fills_empty_months():
    facets = {"year": facet(("2025", 6)),
              "month": facet(("2025-08", 2), ("2025-11", 4)),
              "day": facet(("2025-08-02", 2), ("2025-11-07", 4))}
    h = histogram.build(facets, total=9, link_for=lambda p: f"/search?since={p}&until={p}")
    assert h.scale == "month"
    assert [b.period for b in h.bars] == ["2025-08", "2025-09", "2025-10", "2025-11"]
    assert [b.count for b in h.bars] == [2, 0, 0, 4]
    assert [b.href is not None for b in h.bars] == [True, False, False, True]
    assert h.undated == 3 and h.dated == 6
    tallest = max(h.bars, key=lambda b: b.height)
    assert tallest.period == "2025-11" and tallest.y == h.top
    assert h.bars[0].height == pytest.approx(tallest.height / 2)
    assert all(b.y + b.height == pytest.approx(h.baseline) for b in h.bars)


def test_histogram_zooms_to_days_for_a_short_range():
    facets = {"year": facet(("2025", 3)), "month": facet(("2025-11", 3)),
              "day": facet(("2025-11-07", 1), ("2025-11-09", 2))}
    h = histogram.build(facets, 3, link_for=lambda p: p, since="2025-11", until="2025-11")
    assert h.scale == "day"
    assert h.bars[0].period == "2025-11-01" and h.bars[-1].period == "2025-11-30"
    assert {b.period: b.count for b in h.bars if b.count} == {"2025-11-07": 1, "2025-11-09": 2}


def test_histogram_years_when_months_would_be_slivers():
    facets = {"year": facet(("1987", 10), ("2025", 5)),
              "month": facet(("1987-03", 10), ("2025-11", 5)),
              "day": facet(("1987-03-02", 10), ("2025-11-09", 5))}
    h = histogram.build(facets, 15, link_for=lambda p: p)
    assert h.scale == "year" and len(h.bars) == 2025 - 1987 + 1
    assert h.bars[0].href == "1987" and h.bars[1].href is None


def test_histogram_nothing_dated():
    assert histogram.build({"year": [], "month": [], "day": []}, 4, link_for=str) is None


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_guard_cell_neutralises_formulas(value):
    assert export.guard_cell(value) == "'" + value


def test_write_csv_round_trips_text():
    hits = [{"id": "a/1", "title": 'Say "hi", then =2+2', "published": None, "source": "S",
             "url": "https://x/?a=1,2", "author": None, "entities": [{"name": "TTP", "type": "org"}],
             "same_story": ["b", "c"]}]
    rows = list(csv.reader(io.StringIO(export.write_csv(hits, author_of=lambda i: "-me"))))
    assert rows[1] == ["a/1", 'Say "hi", then =2+2', "", "S", "https://x/?a=1,2", "'-me", "TTP", "b c"]


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


def test_histogram_count_labels_only_when_they_fit():
    few = {"month": [{"value": f"2025-{m:02d}", "count": m * 700} for m in range(1, 13)]}
    h = histogram.build(few, total=54600, link_for=str)
    assert h.show_counts and not h.many_labels
    assert [b.count_text for b in h.bars][:3] == ["700", "1.4k", "2.1k"]
    for b in h.bars:
        x, y = float(b.label_x.rstrip("%")), float(b.label_y.rstrip("%"))
        assert abs(x / 100 * h.width - (b.x + b.width / 2)) < 0.01       # over the bar's centre
        assert abs(y / 100 * h.height - b.y) < 0.01                      # at its top
    many = {"month": [{"value": f"{2020 + i // 12}-{i % 12 + 1:02d}", "count": 1}
                      for i in range(30)]}
    assert not histogram.build(many, total=30, link_for=str).show_counts


def test_compact_count():
    assert [histogram.compact_count(n) for n in (0, 7, 999, 1000, 1234, 9999, 12_345,
                                                 999_999, 2_500_000)] == \
        ["0", "7", "999", "1k", "1.2k", "10k", "12k", "1000k", "2.5M"]
