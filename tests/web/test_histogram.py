"""The date histogram: bucket choice (day/week/month/year for ~10-60 bars),
labels that never drop a year, empty buckets filled, zoom-out and range chips,
and the page markup brushing needs (no inline script)."""
from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from web import histogram


def days(*pairs):
    return {"day": [{"value": d, "count": c} for d, c in pairs]}


def link(since, until):
    return f"{since}..{until}"


def spread(start: str, n_days: int, every: int = 1) -> dict:
    d0 = date.fromisoformat(start)
    return days(*[((d0 + timedelta(days=i)).isoformat(), 1) for i in range(0, n_days, every)])


def test_ten_week_archive_gets_weekly_bars_not_three_months():
    # The issue's case: 10 weeks drawn as 3 monthly bars, the first "Feb 26".
    h = histogram.build(spread("2026-02-02", 70, every=3), 24, link)
    assert h.scale == "week"
    assert len(h.bars) == 10
    assert h.bars[0].period == "2026-02-02" and h.bars[0].label == "Week of 2 Feb 2026"
    assert (h.bars[0].since, h.bars[0].until) == ("2026-02-02", "2026-02-08")
    assert h.bars[0].href == "2026-02-02..2026-02-08"
    assert h.bars[0].tick == "2 Feb"


@pytest.mark.parametrize("start,n_days,scale,bars", [
    ("2025-11-01", 30, "day", 30),          # a month: a bar a day
    ("2025-11-01", 60, "day", 60),          # up to 60 days
    ("2025-11-03", 61, "week", 9),          # 61 days: weeks
    ("2025-01-06", 420, "week", 60),        # 60 weeks still weekly
    ("2025-01-06", 427, "month", 15),       # 61 weeks: months
    ("2020-01-01", 5 * 365, "month", 60),   # 60 months
    ("2020-01-01", 5 * 365 + 40, "year", 6),
])
def test_bucket_is_the_finest_that_fits_sixty_bars(start, n_days, scale, bars):
    h = histogram.build(spread(start, n_days), n_days, link)
    assert (h.scale, len(h.bars)) == (scale, bars)


def test_month_labels_keep_the_year_and_empty_months_are_drawn():
    facets = {"month": [{"value": "2024-11", "count": 2}, {"value": "2026-02", "count": 4}]}
    h = histogram.build(facets, 6, link)
    assert h.scale == "month"
    assert h.bars[0].label == h.bars[0].tick == "Nov 2024"
    assert [b.period for b in h.bars][-1] == "2026-02" and len(h.bars) == 16
    assert [b.count for b in h.bars if b.count] == [2, 4]
    assert [b.href is None for b in h.bars].count(False) == 2
    assert all(b.tick is None or b.tick[-4:].isdigit() for b in h.bars)


def test_days_filter_shows_its_whole_range_and_bars_are_exact():
    facets = days(("2025-11-07", 1), ("2025-11-09", 2))
    h = histogram.build(facets, 3, link, since="2025-11", until="2025-11")
    assert h.scale == "day"
    assert (h.bars[0].period, h.bars[-1].period) == ("2025-11-01", "2025-11-30")
    assert {b.period: b.count for b in h.bars if b.count} == {"2025-11-07": 1, "2025-11-09": 2}
    assert h.bars[6].tick in (None, "7 Nov") and h.bars[6].label == "7 Nov 2025"
    tallest = max(h.bars, key=lambda b: b.height)
    assert tallest.period == "2025-11-09" and tallest.y == h.top
    assert h.bars[6].height == pytest.approx(tallest.height / 2)


def test_a_far_wider_filter_does_not_flatten_the_chart():
    h = histogram.build(days(("2025-11-07", 1), ("2025-11-20", 1)), 2, link,
                        since="1900", until="2030")
    assert h.scale == "day" and h.bars[0].period == "2025-11-07"


def test_nothing_dated_and_undated_counts():
    assert histogram.build({"year": [], "month": [], "day": []}, 4, link) is None
    h = histogram.build(dict(days(("2025-11-07", 2)), year=[{"value": "2025", "count": 2}]), 5, link)
    assert (h.dated, h.undated) == (2, 3)


def test_zoom_out_steps_days_months_years_all():
    assert histogram.zoom_out("2026-03-09", "2026-03-15") == ("2026-03", "2026-03")
    assert histogram.zoom_out("2026-03", "2026-03") == ("2026", "2026")
    assert histogram.zoom_out("2026-02-20", "2026-03-31") == ("2026-02", "2026-03")
    assert histogram.zoom_out("2026", "2026") == ("", "")
    assert histogram.zoom_out("2026-01", "2026-12") == ("", "")
    assert histogram.zoom_out("2026-03-01", "") == ("", "")       # one-sided: all dates
    assert histogram.zoom_out("", "") is None


def test_range_labels():
    assert histogram.range_label("2026-03-09", "2026-03-15") == "9 Mar 2026 – 15 Mar 2026"
    assert histogram.range_label("2025-11", "2025-11") == "Nov 2025"
    assert histogram.range_label("2025", "") == "from 2025"
    assert histogram.range_label("", "2025-02-03") == "until 3 Feb 2025"


# -- on the page ------------------------------------------------------------------

@pytest.fixture(scope="module")
def client(web_index_dir):
    from web.app import create_app
    return create_app(web_index_dir, testing=True).test_client()


def test_page_carries_brush_data_and_no_inline_script(client):
    r = client.get("/search")
    page = BeautifulSoup(r.get_data(as_text=True), "html.parser")
    fig = page.select_one("figure.histogram")
    assert fig["data-brush-base"] == "/search"
    slots = fig.select("rect.hist-slot")
    links = fig.select("a.hist-link")
    assert len(slots) >= len(links) > 1
    assert all(s["data-since"] <= s["data-until"] for s in slots)
    assert [int(a["data-slot"]) for a in links] == sorted(int(a["data-slot"]) for a in links)
    assert page.select("script") and all(s.get("src") and not (s.string or "").strip()
                                         for s in page.select("script"))
    assert not page.select("[onclick], [onload], [style]")
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]


def test_active_range_is_a_chip_with_zoom_out(client):
    page = BeautifulSoup(client.get("/search?since=2025-10-06&until=2025-10-12").get_data(
        as_text=True), "html.parser")
    chip = page.select_one(".timeline .hist-range-chip")
    assert chip.get_text(" ", strip=True) == "6 Oct 2025 – 12 Oct 2025 ×"
    assert "since" not in parse_qs(urlsplit(chip["href"]).query)
    zoom = page.select_one(".timeline a.hist-zoom-out")
    assert parse_qs(urlsplit(zoom["href"]).query) == {"since": ["2025-10"], "until": ["2025-10"]}
    # the filter bar names the range too (it said "dates: see the chart")
    top = [c for c in page.select(".active-filters .chip")]
    assert [c.get_text(" ", strip=True) for c in top] == ["6 Oct 2025 – 12 Oct 2025 ×"]
    assert "since" not in parse_qs(urlsplit(top[0]["href"]).query)
    # no date filter: neither chip nor zoom-out
    plain = BeautifulSoup(client.get("/search").get_data(as_text=True), "html.parser")
    assert not plain.select(".hist-range-chip, .hist-zoom-out")
