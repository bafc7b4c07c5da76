"""The date histogram: when the matching articles were published, as inline SVG.

Drawn on the server so it needs no charting library (the archive runs offline
and under a strict Content-Security-Policy); ``static/app.js`` only adds
brushing -- drag across bars, or Shift+arrow keys, to filter to a range.  The
index gives exact per-day counts over the whole result set; this module picks
a bucket size, fills the empty buckets in (a time axis with gaps removed lies
about time), and lays out one bar per bucket.  Every non-empty bar is a link
that narrows the search to its bucket.

Bucket size, as Kibana does it: the finest of day, week (Monday to Sunday),
month and year that draws the range in at most :data:`MAX_BARS` bars -- so a
ten-week archive gets ten weekly bars, not three monthly ones, and a range is
drawn in about 10 to 60 bars whatever its length (a range of years up to 60).
Labels never drop the year of a month ("Feb 2026", not "Feb 26"); day and week
ticks read "14 Mar", with the year in the bar's full label.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional

#: Most bars a chart draws: the bucket is the finest of day/week/month/year
#: that stays within this (see the module docstring).
MAX_BARS = 60
SCALES = ("day", "week", "month", "year")
#: A date filter far wider than the dated results (``since=1900``) is not
#: drawn as its whole span: the axis falls back to the results' own range.
FILTER_SPAN_SLACK_DAYS = 62

# Drawing geometry, in SVG user units (the SVG scales to its container).
WIDTH = 600
HEIGHT = 120
TOP = 16          # room for the count label above the tallest bar
AXIS = 20         # room for the period labels below the bars
GAP_RATIO = 0.18  # fraction of a slot left empty between bars
MAX_BAR = 44      # a few months should not become a few slabs

#: Bars get their count written above them when there are at most this many
#: (more and the numbers would collide); see :attr:`Histogram.show_counts`.
MAX_LABELLED_BARS = 24
#: Above this many bars the labels are hidden on phone-width screens (CSS).
MANY_LABELS = 12

MONTH_ABBR = ["", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
              "Nov", "Dec"]


@dataclass
class Bar:
    period: str          # "2025", "2025-11", "2025-11-09" or the Monday of a week
    label: str           # full label, e.g. "Nov 2025", "Week of 3 Nov 2025"
    count: int
    x: float
    y: float
    width: float
    height: float
    href: Optional[str] = None
    tick: Optional[str] = None   # axis label shown under this bar, if any
    slot_x: float = 0.0          # the whole column: the click target, so thin
    slot_width: float = 0.0      # day bars are still easy to hit
    since: str = ""              # the filter values this bar stands for
    until: str = ""

    @property
    def count_text(self) -> str:
        """The count as written above the bar: short (``1.2k``) so it fits."""
        return compact_count(self.count)

    # The count labels are drawn in CSS pixels, outside the stretched viewBox
    # (text inside it would be squashed with the bars), at the same place as a
    # percentage of the chart: the bar's centre, just above its top.
    @property
    def label_x(self) -> str:
        return f"{(self.x + self.width / 2) / WIDTH * 100:.3f}%"

    @property
    def label_y(self) -> str:
        return f"{self.y / HEIGHT * 100:.3f}%"


@dataclass
class Histogram:
    scale: str           # "day" | "week" | "month" | "year"
    bars: list
    width: int
    height: int
    baseline: float
    top: float
    max_count: int
    dated: int           # articles the chart shows
    undated: int         # articles with no known date (not in the chart)

    @property
    def show_counts(self) -> bool:
        """Write each bar's count above it (few enough bars for the numbers to fit)."""
        return 0 < len(self.bars) <= MAX_LABELLED_BARS

    @property
    def many_labels(self) -> bool:
        return len(self.bars) > MANY_LABELS

    @property
    def summary(self) -> str:
        """Text equivalent of the chart, for screen readers."""
        if not self.bars:
            return "No dated articles."
        busiest = max(self.bars, key=lambda b: b.count)
        return (f"{self.dated} dated articles from {self.bars[0].label} to "
                f"{self.bars[-1].label}, by {self.scale}; most in {busiest.label} "
                f"({busiest.count}).")


def compact_count(n: int) -> str:
    """``7`` -> ``7``, ``1234`` -> ``1.2k``, ``56789`` -> ``57k``, ``2500000`` -> ``2.5M``."""
    n = int(n)
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= size:
            v = n / size
            text = f"{v:.1f}" if v < 10 else f"{v:.0f}"
            return text.removesuffix(".0") + suffix
    return str(n)


# -- periods -----------------------------------------------------------------
def _parse(value: Optional[str], end: bool) -> Optional[date]:
    """First (or, with ``end``, last) day of an ISO ``YYYY[-MM[-DD]]`` period."""
    if not value:
        return None
    try:
        parts = [int(p) for p in value.strip().split("-")]
        if len(parts) == 1:
            return date(parts[0], 12, 31) if end else date(parts[0], 1, 1)
        if len(parts) == 2:
            last = calendar.monthrange(parts[0], parts[1])[1]
            return date(parts[0], parts[1], last if end else 1)
        if len(parts) == 3:
            return date(*parts)
    except (ValueError, TypeError, OverflowError):
        pass
    return None


def _month_label(y: int, m: int) -> str:
    return f"{MONTH_ABBR[m]} {y}"


def _day_label(d: date, year: bool = True) -> str:
    return f"{d.day} {MONTH_ABBR[d.month]}" + (f" {d.year}" if year else "")


def _counts(facet) -> dict:
    out = {}
    for item in facet or ():
        value = item.get("value") if isinstance(item, dict) else None
        if value:
            out[str(value)] = out.get(str(value), 0) + int(item.get("count") or 0)
    return out


def _bucket_start(scale: str, d: date) -> date:
    if scale == "week":
        return d - timedelta(days=d.weekday())
    if scale == "month":
        return d.replace(day=1)
    if scale == "year":
        return date(d.year, 1, 1)
    return d


def _next_bucket(scale: str, d: date) -> date:
    if scale == "day":
        return d + timedelta(days=1)
    if scale == "week":
        return d + timedelta(days=7)
    if scale == "month":
        return date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)
    return date(d.year + 1, 1, 1)


def _n_buckets(scale: str, lo: date, hi: date) -> int:
    if scale == "day":
        return (hi - lo).days + 1
    if scale == "week":
        return (_bucket_start("week", hi) - _bucket_start("week", lo)).days // 7 + 1
    if scale == "month":
        return (hi.year - lo.year) * 12 + hi.month - lo.month + 1
    return hi.year - lo.year + 1


def _bucket(scale: str, start: date) -> tuple[str, str, str, str, str]:
    """(period, since, until, full label, tick) of the bucket starting at ``start``."""
    if scale == "day":
        iso = start.isoformat()
        return iso, iso, iso, _day_label(start), _day_label(start, year=False)
    if scale == "week":
        end = start + timedelta(days=6)
        return (start.isoformat(), start.isoformat(), end.isoformat(),
                f"Week of {_day_label(start)}", _day_label(start, year=False))
    if scale == "month":
        p = f"{start.year:04d}-{start.month:02d}"
        return p, p, p, _month_label(start.year, start.month), _month_label(start.year, start.month)
    p = f"{start.year:04d}"
    return p, p, p, p, p


def _day_counts(facets: dict) -> tuple[dict, str]:
    """Counts keyed by ISO date at the finest level the facets have
    (``"day"``, else ``"month"`` -- keyed by its first day -- else ``"year"``)."""
    for level in ("day", "month", "year"):
        raw = _counts(facets.get(level))
        out = {}
        for value, n in raw.items():
            d = _parse(value, end=False)
            if d is not None:
                out[d] = out.get(d, 0) + n
        if out:
            return out, level
    return {}, "day"


def choose_scale(facets: dict, since: Optional[str] = None,
                 until: Optional[str] = None) -> tuple[str, Optional[date], Optional[date]]:
    """The bucket size and the axis range (snapped to whole buckets)."""
    counts, level = _day_counts(facets or {})
    if not counts:
        return "month", None, None
    lo, hi = min(counts), max(counts)
    if level != "day":
        hi = _parse(f"{hi.year:04d}-{hi.month:02d}" if level == "month" else str(hi.year), True)
    # A filter with both ends draws its whole range (click "Nov 2025" and see
    # all 30 days of November, not just the busy ones) -- unless it is far
    # wider than the results it holds.
    s, u = _parse(since, False), _parse(until, True)
    if s and u and s <= u and (u - s).days <= 4 * (hi - lo).days + FILTER_SPAN_SLACK_DAYS:
        lo, hi = min(lo, s), max(hi, u)
    allowed = SCALES[SCALES.index(level if level != "day" else "day"):]
    scale = next((sc for sc in allowed if _n_buckets(sc, lo, hi) <= MAX_BARS), "year")
    return scale, _bucket_start(scale, lo), hi


def zoom_out(since: Optional[str], until: Optional[str]) -> Optional[tuple[str, str]]:
    """The next wider range: days -> their month(s) -> their year(s) -> all dates.

    ``("2026-03-09", "2026-03-15")`` -> ``("2026-03", "2026-03")`` ->
    ``("2026", "2026")`` -> ``("", "")``.  None when no date filter is set.
    """
    s, u = _parse(since, False), _parse(until, True)
    if not since and not until:
        return None
    if not (s and u) or s > u:
        return "", ""
    m_lo, m_hi = s.replace(day=1), _parse(f"{u.year:04d}-{u.month:02d}", True)
    if (s, u) != (m_lo, m_hi):
        return f"{s.year:04d}-{s.month:02d}", f"{u.year:04d}-{u.month:02d}"
    if (s, u) != (date(s.year, 1, 1), date(u.year, 12, 31)):
        return f"{s.year:04d}", f"{u.year:04d}"
    return "", ""


def range_label(since: Optional[str], until: Optional[str]) -> str:
    """A date filter as words: "Nov 2025", "3 Nov 2025 – 9 Nov 2025", "from 2025"."""
    def one(value):
        value = (value or "").strip()
        parts = value.split("-")
        d = _parse(value, False)
        if d is None:
            return value
        if len(parts) == 1:
            return str(d.year)
        if len(parts) == 2:
            return _month_label(d.year, d.month)
        return _day_label(d)
    if since and until:
        return one(since) if since == until else f"{one(since)} – {one(until)}"
    if since:
        return f"from {one(since)}"
    if until:
        return f"until {one(until)}"
    return ""


def build(facets: dict, total: int, link_for, since: Optional[str] = None,
          until: Optional[str] = None) -> Optional[Histogram]:
    """Lay the chart out; ``link_for(since, until)`` gives a bar's href.

    Returns None when there is nothing dated to draw.
    """
    facets = facets or {}
    scale, lo, hi = choose_scale(facets, since, until)
    if lo is None:
        return None
    day_counts, _ = _day_counts(facets)
    counts: dict = {}
    for d, n in day_counts.items():
        b = _bucket_start(scale, d)
        counts[b] = counts.get(b, 0) + n
    starts = []
    d = lo
    while d <= hi and len(starts) <= 10_000:
        starts.append(d)
        d = _next_bucket(scale, d)
    if not starts:
        return None
    dated = sum(_counts(facets.get("year")).values()) or sum(day_counts.values())
    max_count = max([counts.get(b, 0) for b in starts] + [1])

    plot_h = HEIGHT - TOP - AXIS
    slot = WIDTH / len(starts)
    bar_w = min(max(slot * (1 - GAP_RATIO), 1.0), MAX_BAR)
    # Label about every Nth bar so labels never overlap (~ 8 labels max).
    every = max(1, -(-len(starts) // 8))
    bars = []
    for i, start in enumerate(starts):
        period, b_since, b_until, label, tick = _bucket(scale, start)
        count = counts.get(start, 0)
        h = 0.0 if count == 0 else max(plot_h * count / max_count, 2.0)
        bars.append(Bar(period=period, label=label, count=count,
                        x=round(i * slot + (slot - bar_w) / 2, 2), y=round(TOP + plot_h - h, 2),
                        width=round(bar_w, 2), height=round(h, 2),
                        href=link_for(b_since, b_until) if count else None,
                        tick=tick if i % every == 0 else None,
                        slot_x=round(i * slot, 2), slot_width=round(slot, 2),
                        since=b_since, until=b_until))
    return Histogram(scale=scale, bars=bars, width=WIDTH, height=HEIGHT,
                     baseline=TOP + plot_h, top=TOP, max_count=max_count, dated=dated,
                     undated=max(total - dated, 0))
