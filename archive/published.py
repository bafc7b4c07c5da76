"""Settling an article's publication day, and telling it from the scrape time.

Order of trust (the first that gives a plausible day wins):

1. explicit publication metadata (JSON-LD ``datePublished``,
   ``article:published_time``, a JSON ``published`` field ...):
   ``date_source = "metadata"``;
2. the day in the URL's path (``/2026/03/14/``): ``"url"``;
3. a statement of publication at the head of the text (a wire dateline with
   its day, a "Published ..." / "Updated ..." line): ``"text"``;
4. for a saved page, htmldate's reading of the markup (via trafilatura),
   which is a guess: it comes last;
5. otherwise unknown (``None``).

One exception to the order: when the visible head of a saved page (between
its headline and its first paragraph) says the page was *updated* on a day
later than the metadata's publication day, the archived copy is that
version, and its day is the update's (``"text"``).  A day the story merely mentions is never
   taken: an inferred date that is wrong is worse than none.

Scrapers stamp records with their own clock, often under a name that looks
like a publication date.  A metadata value is the *scrape time*, not the
publication, when it equals the record's ``scraped_at`` (or ``crawled_at``,
``fetched`` ...), or when it is more than a day later than the URL's day: the
URL is written once, at publication, and never changes on a re-scrape.  Such
a value is kept as the record's ``scraped_at``.

Plausibility: a publication day is never later than the scrape time or the
file's modification time (one day of slack for time zones).

Time zones: a metadata timestamp in UTC names an instant; the day a reader of
the publisher saw is the local one.  When the URL's day, or a day the page
itself displays for its publication, is the neighbouring day and the UTC hour
allows it (``2020-02-25T02:25Z`` is still the 24th west of Greenwich), that
local day is the publication day.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Optional, Sequence

from . import dates
from .urldates import url_date


@dataclass
class Settled:
    """The outcome: ``published`` (ISO day or None), where it came from, and
    the scrape time (ISO instant or day) if the record or metadata gave one."""

    published: Optional[str]
    date_source: Optional[str]
    scraped_at: Optional[str]


def _iso_instant(m: dates.Moment) -> str:
    return m.instant.isoformat() if m.instant is not None else m.day


def _same_moment(a: dates.Moment, raw_a, b: dates.Moment, raw_b) -> bool:
    if str(raw_a).strip() == str(raw_b).strip():
        return True
    if a.instant is not None and b.instant is not None:
        if (a.instant.tzinfo is None) == (b.instant.tzinfo is None):
            return abs((a.instant - b.instant).total_seconds()) < 1
    return False


def _local_day(m: dates.Moment, page_clock) -> Optional[str]:
    """The publisher's day of a UTC instant, by the page's own clock.

    ``page_clock`` is ``(zones, days, shown)``: the UTC offsets the page
    writes its times in (the instant is shown in the first); else wall-clock
    times its head shows ("3/5/2022 22:41"), one of which is the instant in
    some time zone (a whole quarter-hour away, -12 h to +14 h); else days it
    displays, of which one next to the UTC day is taken if the UTC hour
    allows it (west of Greenwich the day before while it is before noon UTC,
    east the day after from 10:00 UTC).
    """
    if not m.utc or m.instant is None or not page_clock:
        return None
    zones, days = page_clock[0], page_clock[1]
    shown = page_clock[2] if len(page_clock) > 2 else []
    if zones:
        return m.instant.astimezone(zones[0]).date().isoformat()
    utc = m.instant.replace(tzinfo=None)
    for t in shown:
        off = (t - utc).total_seconds()
        if off and -12 * 3600 <= off <= 14 * 3600 and off % 900 == 0:
            return t.date().isoformat()
    for d in days:
        gap = dates.days_between(m.day, d)
        if gap == -1 and m.instant.hour < 12 or gap == 1 and m.instant.hour >= 10:
            return d
    return None


def _day_of(ts: float) -> Optional[str]:
    if not ts:
        return None
    try:
        return _dt.datetime.fromtimestamp(ts, _dt.timezone.utc).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def _plus_one(day: Optional[str]) -> Optional[str]:
    if day is None:
        return None
    return (_dt.date.fromisoformat(day) + _dt.timedelta(days=1)).isoformat()


def settle(*, published=None, url: Optional[str] = None, scraped_at=None, mtime: float = 0.0,
           paras: Sequence[str] = (), full_dates: Sequence[str] = (),
           page_clock=None, head_lines: Sequence[str] = (), guessed=None) -> Settled:
    """Pick the publication day from the evidence, in the order of trust above.

    ``published`` is the raw metadata value, ``scraped_at`` the record's raw
    scrape/crawl time, ``paras`` the clean paragraphs (their head may state
    publication), ``full_dates`` the full dates the article states (to give a
    year-less dateline its year), ``page_clock`` the time zones and days an
    HTML page displays (``<time>`` elements), used only to localise a UTC time.
    """
    scrape = dates.parse_moment(scraped_at) if scraped_at is not None else None
    scraped_iso = _iso_instant(scrape) if scrape else None
    bounds = [d for d in (scrape.day if scrape else None, _day_of(mtime)) if d]
    latest = min(bounds) if bounds else None
    slack = _plus_one(latest)  # a time zone ahead of the scraper's clock
    u = url_date(url)
    if u and slack and u > slack:
        u = None

    meta = dates.parse_moment(published) if published is not None else None
    if meta and scrape and _same_moment(meta, published, scrape, scraped_at):
        meta = None  # the scraper's clock under a publication-date name
    if meta and u and dates.days_between(u, meta.day) > 1:
        scraped_iso = scraped_iso or _iso_instant(meta)
        meta = None  # later than the URL's day: a (re-)scrape time
    if meta and slack and meta.day > slack:
        meta = None  # later than the file or the scrape: not a publication day
    # The page's head says it was updated after the metadata's day: the copy
    # archived is that version ("By Jo Bloggs · Updated 14 March 2026").
    stated = dates.statement_date(list(head_lines), list(full_dates), latest) if head_lines else None
    if meta and stated and stated > meta.day and (not slack or stated <= slack):
        return Settled(stated, "text", scraped_iso)
    if meta:
        if u and meta.instant is not None and abs(dates.days_between(u, meta.day)) == 1 \
                and _local_day(meta, ([], [u], [])):
            return Settled(u, "url", scraped_iso)
        return Settled(_local_day(meta, page_clock) or meta.day, "metadata", scraped_iso)
    if u:
        return Settled(u, "url", scraped_iso)
    day = dates.statement_date(list(paras), list(full_dates), latest)
    if day:
        return Settled(day, "text", scraped_iso)
    g = dates.parse_moment(guessed) if guessed is not None else None
    if g and (not slack or g.day <= slack) and not (scrape and _same_moment(g, guessed, scrape, scraped_at)):
        return Settled(g.day, "metadata", scraped_iso)
    return Settled(None, None, scraped_iso)
