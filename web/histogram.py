"""The date histogram: when the matching articles were published, as inline SVG.

Drawn on the server so it needs no script and no charting library (the
archive runs offline and under a strict Content-Security-Policy).  The index
gives exact year/month/day counts over the whole result set; this module picks
a scale, fills the empty periods in (a time axis with gaps removed lies about
time), and lays out one bar per period.  Every non-empty bar is a link that
narrows the search to its period.

Scale: a bar per month; a bar per day once the range is zoomed in to about two
months or less (which is what clicking a month bar does); a bar per year when
months would make the chart unreadably dense.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional

#: Zoomed in: a range this short or shorter gets a bar per day.
DAY_SCALE_MAX_DAYS = 62
#: More months than this and bars become slivers: switch to years.
MONTH_SCALE_MAX_BARS = 120

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
    period: str          # "2025", "2025-11" or "2025-11-09": also the since/until value
    label: str           # human label, e.g. "Nov 2025"
    count: int
    x: float
    y: float
    width: float
    height: float
    href: Optional[str] = None
    tick: Optional[str] = None   # axis label shown under this bar, if any
    slot_x: float = 0.0          # the whole column: the click target, so thin
    slot_width: float = 0.0      # day bars are still easy to hit

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
    scale: str           # "day" | "month" | "year"
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


def _counts(facet) -> dict:
    out = {}
    for item in facet or ():
        value = item.get("value") if isinstance(item, dict) else None
        if value:
            out[str(value)] = out.get(str(value), 0) + int(item.get("count") or 0)
    return out


def _periods(scale: str, start: date, end: date) -> list[tuple[str, str]]:
    """Every (period value, label) from ``start`` to ``end`` inclusive."""
    out = []
    if scale == "day":
        d = start
        while d <= end:
            out.append((d.isoformat(), f"{d.day} {MONTH_ABBR[d.month]} {d.year}"))
            d += timedelta(days=1)
    elif scale == "month":
        y, m = start.year, start.month
        while (y, m) <= (end.year, end.month):
            out.append((f"{y:04d}-{m:02d}", _month_label(y, m)))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        for y in range(start.year, end.year + 1):
            out.append((f"{y:04d}", str(y)))
    return out


def choose_scale(facets: dict, since: Optional[str] = None,
                 until: Optional[str] = None) -> tuple[str, Optional[date], Optional[date]]:
    """Pick the scale and the axis range for these facets and filters."""
    days = sorted(_counts(facets.get("day")))
    months = sorted(_counts(facets.get("month")))
    years = sorted(_counts(facets.get("year")))
    if days:
        lo, hi = _parse(days[0], False), _parse(days[-1], True)
    elif months:
        lo, hi = _parse(months[0], False), _parse(months[-1], True)
    elif years:
        lo, hi = _parse(years[0], False), _parse(years[-1], True)
    else:
        return "month", None, None
    if lo is None or hi is None:
        return "month", None, None
    # A filter that spans a short period zooms the axis to that whole period
    # (click "Nov 2025" and see all 30 days of November, not just the busy ones).
    s, u = _parse(since, False), _parse(until, True)
    if s and u and s <= u and (u - s).days < DAY_SCALE_MAX_DAYS:
        lo, hi = min(lo, s), max(hi, u)
    span = (hi - lo).days
    if span < DAY_SCALE_MAX_DAYS and days:
        return "day", lo, hi
    n_months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
    if n_months <= MONTH_SCALE_MAX_BARS and months:
        return "month", lo, hi
    return "year", lo, hi


def build(facets: dict, total: int, link_for, since: Optional[str] = None,
          until: Optional[str] = None) -> Optional[Histogram]:
    """Lay the chart out; ``link_for(period)`` gives a bar's href.

    Returns None when there is nothing dated to draw.
    """
    facets = facets or {}
    scale, lo, hi = choose_scale(facets, since, until)
    if lo is None:
        return None
    counts = _counts(facets.get(scale))
    periods = _periods(scale, lo, hi)
    if not periods:
        return None
    dated = sum(_counts(facets.get("year")).values()) or sum(counts.values())
    max_count = max([counts.get(p, 0) for p, _ in periods] + [1])

    plot_h = HEIGHT - TOP - AXIS
    slot = WIDTH / len(periods)
    bar_w = min(max(slot * (1 - GAP_RATIO), 1.0), MAX_BAR)
    # Label about every Nth bar so labels never overlap (~ 8 labels max).
    every = max(1, -(-len(periods) // 8))
    bars = []
    for i, (period, label) in enumerate(periods):
        count = counts.get(period, 0)
        h = 0.0 if count == 0 else max(plot_h * count / max_count, 2.0)
        tick = None
        if i % every == 0:
            if scale == "day":
                tick = f"{int(period[8:10])} {MONTH_ABBR[int(period[5:7])]}"
            elif scale == "month":
                m = int(period[5:7])
                tick = MONTH_ABBR[m] + (f" {period[2:4]}" if (m == 1 or i == 0) else "")
            else:
                tick = period
        bars.append(Bar(period=period, label=label, count=count,
                        x=round(i * slot + (slot - bar_w) / 2, 2), y=round(TOP + plot_h - h, 2),
                        width=round(bar_w, 2), height=round(h, 2),
                        href=link_for(period) if count else None, tick=tick,
                        slot_x=round(i * slot, 2), slot_width=round(slot, 2)))
    return Histogram(scale=scale, bars=bars, width=WIDTH, height=HEIGHT,
                     baseline=TOP + plot_h, top=TOP, max_count=max_count, dated=dated,
                     undated=max(total - dated, 0))
