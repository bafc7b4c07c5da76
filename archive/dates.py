"""Dates: when an article was published, and which days it talks about.

The rule everywhere is *never invent a date*.  A published date comes from
metadata when the source gives one; otherwise from the text, but only from a
day the text really pins down; otherwise it stays ``None`` and says so
(``date_source`` is ``None``).  An undated article is honest; a wrongly dated
one poisons every date filter and facet.

Year-less dates ("8 November", "November 6–7") are common in news copy.  They
get a year only from context in the same text, and conservatively:

- the *anchor* is the latest date the text states with its year, either a
  full date ("October 30, 2025") or a month and year ("January 2025");
- a year-less date takes the anchor's year only if it does not fall before
  the anchor in that year.  Stories run forward: "in January 2025 ... the
  statement of 8 November" is November 2025.  But "the ceasefire collapsed in
  November 2022 ... the April 19 visit" says nothing certain about April's
  year (it could be 2023, 2024 or 2025), so that date is not recorded;
- bare years ("since 2021") are not anchors: they name the past, not the
  story's present.

With no anchor at all, year-less dates are dropped rather than dated.
"""
from __future__ import annotations

import datetime as _dt
import re
from email.utils import parsedate_to_datetime
from typing import Iterable, Optional

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
# Capitalised month names only: "may" is also a verb.
_MON = (r"(?P<{0}>January|February|March|April|May|June|July|August|September|October|November"
        r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_DASH = r"\s*[-–—]\s*"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)(?!\d)"

_PATTERNS = [
    # November 6–7, 2025 / October 30, 2025 / Oct. 30 2025 / November 6
    re.compile(r"(?<![\w-])" + _MON.format("mon") + r"\s+" + _DAY.format("d1")
               + r"(?:" + _DASH + _DAY.format("d2") + r")?(?![\d:])"
               + r"(?:,?\s+" + _YEAR + r")?"),
    # 6–7 November 2025 / 8 November / 8th of November, 2025
    re.compile(r"(?<![\w.,-])" + _DAY.format("d1") + r"(?:" + _DASH + _DAY.format("d2") + r")?"
               + r"\s+(?:of\s+)?" + _MON.format("mon") + r"(?:,?\s+" + _YEAR + r")?"),
    # 2025-11-08 (ISO, as machine-written copy has it)
    re.compile(r"(?<![\d-])(?P<year>(?:1[89]|20)\d\d)-(?P<mnum>[01]\d)-(?P<d1>[0-3]\d)(?![\d])"),
]
# January 2025 (a month and year: an anchor for year-less dates, not a day)
_MONTH_YEAR = re.compile(r"(?<![\w-])" + _MON.format("mon") + r",?\s+" + _YEAR)


def _date(y: int, m: int, d: int) -> Optional[_dt.date]:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


def _scan(text: str):
    """Yield (start, end, month, [days], year-or-None) for every date-like span."""
    taken: list[tuple[int, int]] = []
    for pat in _PATTERNS:
        for m in pat.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            gd = m.groupdict()
            mon = int(gd["mnum"]) if gd.get("mnum") else MONTHS[gd["mon"].lower()]
            days = [int(gd["d1"])]
            if gd.get("d2"):
                d2 = int(gd["d2"])
                if days[0] < d2 <= 31 and d2 - days[0] <= 14:
                    days = list(range(days[0], d2 + 1))
                else:
                    days.append(d2)
            year = int(gd["year"]) if gd.get("year") else None
            taken.append((m.start(), m.end()))
            yield m.start(), m.end(), mon, days, year


def _anchor(text: str, full: list[_dt.date]) -> Optional[tuple[int, int, int]]:
    """The latest (year, month, day) stated with its year; day 1 for "January 2025"."""
    cands = [(d.year, d.month, d.day) for d in full]
    for m in _MONTH_YEAR.finditer(text):
        cands.append((int(m.group("year")), MONTHS[m.group("mon").lower()], 1))
    return max(cands) if cands else None


def mentioned_dates(text: str) -> list[str]:
    """Every day ``text`` states, as sorted unique ISO dates.

    Year-less days get a year from context as the module docstring explains,
    or are left out.
    """
    full: list[_dt.date] = []
    yearless: list[tuple[int, int]] = []
    for _s, _e, mon, days, year in _scan(text):
        for d in days:
            if year is not None:
                dt = _date(year, mon, d)
                if dt:
                    full.append(dt)
            elif 1 <= d <= 31:
                yearless.append((mon, d))
    out = set(full)
    anchor = _anchor(text, full)
    if anchor:
        ay, am, ad = anchor
        for mon, d in yearless:
            if (mon, d) >= (am, ad):
                dt = _date(ay, mon, d)
                if dt:
                    out.add(dt)
    return sorted(x.isoformat() for x in out)


def published_from_text(mentioned: Iterable[str], today: Optional[_dt.date] = None) -> Optional[str]:
    """The latest mentioned day that is not in the future, or None.

    A story is published on or after the last day it reports; the latest
    stated day is the closest bound the text gives.  Future days (a scheduled
    vote) are no bound at all.
    """
    limit = (today or _dt.date.today()).isoformat()
    past = [d for d in mentioned if d <= limit]
    return max(past) if past else None


_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s])")
_ISO_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:$|T)")
_SLASH_YMD = re.compile(r"^\s*(\d{4})/(\d{1,2})/(\d{1,2})\b")
_DOTTED_DMY = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


def parse_date(value) -> Optional[str]:
    """An ISO day from a metadata value, or None if it does not name one day.

    Understands ISO 8601 (with or without time), ``20251108``, ``2025/11/08``,
    ``08.11.2025`` (the dotted form is day-first everywhere it is used),
    RFC 2822 (feeds) and written dates ("November 8, 2025", "8 Nov 2025").
    Slash dates like ``11/08/2025`` are ambiguous (US vs. rest of world) and
    give None.  The day is the one written down; time zones are not shifted.
    """
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # Unix seconds (or milliseconds) in JSON exports.
        ts = value / 1000 if value > 10**11 else value
        try:
            return _dt.datetime.fromtimestamp(ts, _dt.timezone.utc).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    s = str(value).strip()
    if not s or len(s) > 100:
        return None
    for rx, order in ((_ISO, "ymd"), (_ISO_COMPACT, "ymd"), (_SLASH_YMD, "ymd"), (_DOTTED_DMY, "dmy")):
        m = rx.match(s)
        if m:
            a, b, c = (int(x) for x in m.groups())
            dt = _date(a, b, c) if order == "ymd" else _date(c, b, a)
            return dt.isoformat() if dt else None
    if re.match(r"^\s*(?:\w{3},\s*)?\d{1,2}\s+\w{3}\s+\d{4}\s+\d", s):
        try:
            return parsedate_to_datetime(s).date().isoformat()
        except (TypeError, ValueError, IndexError):
            pass
    spans = [(mon, days, year) for _s, _e, mon, days, year in _scan(s) if year is not None]
    if len(spans) == 1:
        mon, days, year = spans[0]
        dt = _date(year, mon, days[0])
        return dt.isoformat() if dt else None
    return None
