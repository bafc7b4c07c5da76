"""Dates: when an article was published, and which days it talks about.

The rule everywhere is *never invent a date*.  An undated article is honest;
a wrongly dated one poisons every date filter and facet.  The publication day
comes, in order of trust (see :func:`archive.published.settle`), from the
publication metadata, the URL's path, or a statement of publication at the
head of the text (a wire dateline "ISLAMABAD, Nov 8 (Reuters) -", a
"Published ..." / "Updated ..." line); never from a day the story merely
mentions.  This module holds the pieces: parsing metadata values
(:func:`parse_date`, :func:`parse_moment`), finding the statements
(:func:`statement_date`), and the separate facet of days the story mentions
(:func:`mentioned_dates`).

Year-less dates ("8 November", "November 6–7") are common in news copy.  As
mentions they get a year only from context in the same text, and
conservatively:

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

Every scan here is one left-to-right pass per pattern: a text of 12,500
"Jan 1 - " costs what any text of its length costs.
"""
from __future__ import annotations

import datetime as _dt
import re
from email.utils import parsedate_to_datetime
from dataclasses import dataclass
from typing import Optional

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


# Where the date patterns can match.  Their leading look-behind keeps the regex
# engine from skipping ahead to a likely first character, so each pattern costs
# a step at every position of the text; these plain searches find the few places
# worth trying instead (each matches wherever its pattern can, and more):
_MONTH_WORD = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
#: where a "November 6" match can start: a month name, then the day's first digit
_AT_MONTH_DAY = re.compile(_MONTH_WORD + r"\s+\d")
#: where a "January 2025" match can start
_AT_MONTH_YEAR = re.compile(_MONTH_WORD + r",?\s+(?:1[89]|20)\d\d")
#: in every "6 November" match: the day's last digit, then the month (looked
#: for back from the month words: see :func:`_has_day_month`)
_IN_DAY_MONTH = re.compile(r"\d(?:st|nd|rd|th)?\s+(?:of\s+)?"
                           r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")
#: in every ISO date
_IN_ISO = re.compile(r"\d\d-[01]\d-[0-3]\d")
# The test above opens with a digit, so it is tried at every figure of the
# text (most of a wire story's tests for dates): this weaker one goes first
# and opens with what is rarer, a dash.  It matches in every text the one
# after it matches in, so a text it rejects has no match.
#: in every ISO date, from its first dash
_ISO_DASHES = re.compile(r"-[01]\d-[0-3]\d")
#: a month's first three letters: in every date but an ISO one
_MONTH_START = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")


#: an ASCII text's capitals that open a month abbreviation, as one mark (1)
_MONTH_CAPITALS = bytes.maketrans(b"JFMASOND", b"\x01" * 8)
#: in a text so marked: where a month abbreviation may stand (the mark, then
#: the small letters of one; "Dan" is found too, and set aside after)
_MARKED_MONTH = re.compile(rb"\x01(?:an|eb|a[ry]|pr|u[nlg]|ep|ct|ov|ec)")


def _month_words(text: str) -> list[int]:
    """Where a month abbreviation (:data:`_MONTH_START`) stands in ``text``.

    Every date pattern but the ISO one holds one, so this one pass gives
    every pattern its candidates: the patterns are then tried at a few
    places instead of being searched for over the whole text.  (No two
    abbreviations overlap: each is a capital and two small letters.)

    An ASCII text is searched with its month capitals turned into one mark
    (``bytes.translate``): a regex opening with one literal character skips
    to it in a tight C loop, where one opening with a choice of characters
    (as :data:`_MONTH_START` does) tests every character, ten times slower.
    A place so found is one only where :data:`_MONTH_START` matches (a mark
    already in the text, "Dan"); none hides another, since a mark is never
    one of the small letters after it."""
    if not text.isascii():
        return [m.start() for m in _MONTH_START.finditer(text)]
    at = _MONTH_START.match
    marked = text.encode("ascii").translate(_MONTH_CAPITALS)
    return [c for c in (m.start() for m in _MARKED_MONTH.finditer(marked)) if at(text, c)]


def _finditer_at(pat: re.Pattern, starts: re.Pattern, text: str, months: list[int]):
    """``pat.finditer(text)``, trying ``pat`` only where ``starts`` matches
    at a month word of ``months`` (``starts`` opens with the month and
    matches wherever ``pat`` can begin, so the leftmost match from each
    position is the same one)."""
    pos = 0
    for c in months:
        if c < pos or starts.match(text, c) is None:
            continue
        m = pat.match(text, c)       # its look-behind still sees the text before
        if m is not None:
            yield m
            pos = m.end()


#: :data:`_IN_DAY_MONTH` before its month, read backwards: from the month's
#: first letter back to the day's last digit
_DAY_BEFORE_REVERSED = re.compile(r"(?:\s+fo)?\s+(?:ts|dn|dr|ht)?\d")


def _has_day_month(text: str, months: list[int]) -> bool:
    """``_IN_DAY_MONTH.search(text)`` from the month words: one of them has
    a day before it.  (That regex opens with a digit, so it is tried at every
    figure of the text, and wire copy is full of figures; this reads back
    from the few month words only, in the reversed text.)"""
    rev = None
    n = len(text)
    for c in months:
        if c and text[c - 1].isspace():
            rev = text[::-1] if rev is None else rev
            if _DAY_BEFORE_REVERSED.match(rev, n - c):
                return True
    return False


def _pattern_matches(text: str, months: list[int]):
    """The matches of each of :data:`_PATTERNS`, in their order."""
    month_day, day_month, iso = _PATTERNS
    return (_finditer_at(month_day, _AT_MONTH_DAY, text, months),
            day_month.finditer(text) if _has_day_month(text, months) else (),
            iso.finditer(text) if _ISO_DASHES.search(text) and _IN_ISO.search(text) else ())


def _scan(text: str, months: list[int] | None = None):
    """Yield (start, end, month, [days], year-or-None) for every date-like span.

    A span already claimed by an earlier pattern is not matched again; the
    claims are marks in one array, so the check costs the span's length,
    not the number of dates found before it.  ``months`` are the text's
    :func:`_month_words`, when the caller has them already.
    """
    taken = bytearray(len(text))
    if months is None:
        months = _month_words(text)
    for matches in _pattern_matches(text, months):
        for m in matches:
            if any(taken[m.start():m.end()]):
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
            taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
            yield m.start(), m.end(), mon, days, year


def _anchor(text: str, full: list[_dt.date], months: list[int]) -> Optional[tuple[int, int, int]]:
    """The latest (year, month, day) stated with its year; day 1 for "January 2025"."""
    cands = [(d.year, d.month, d.day) for d in full]
    for m in _finditer_at(_MONTH_YEAR, _AT_MONTH_YEAR, text, months):
        cands.append((int(m.group("year")), MONTHS[m.group("mon").lower()], 1))
    return max(cands) if cands else None


def mentioned_dates(text: str) -> list[str]:
    """Every day ``text`` states, as sorted unique ISO dates.

    Year-less days get a year from context as the module docstring explains,
    or are left out.
    """
    full: list[_dt.date] = []
    yearless: list[tuple[int, int]] = []
    months = _month_words(text)
    for _s, _e, mon, days, year in _scan(text, months):
        for d in days:
            if year is not None:
                dt = _date(year, mon, d)
                if dt:
                    full.append(dt)
            elif 1 <= d <= 31:
                yearless.append((mon, d))
    out = set(full)
    anchor = _anchor(text, full, months)
    if anchor:
        ay, am, ad = anchor
        for mon, d in yearless:
            if (mon, d) >= (am, ad):
                dt = _date(ay, mon, d)
                if dt:
                    out.add(dt)
    return sorted(x.isoformat() for x in out)


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


# --- moments: a metadata value with its time and zone ---------------------------

_ISO_TIME = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:[.,](?P<frac>\d+))?\s*"
                       r"(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2})?\s*$", re.I)


@dataclass(frozen=True)
class Moment:
    """A metadata date value: its day as written, and the instant if it has one.

    ``utc`` is true for a time written in UTC (``Z``, ``+00:00``, ``GMT``):
    its day is the day in Greenwich, which for a page published in the
    evening in the Americas is already the next day.
    """

    day: str
    instant: Optional[_dt.datetime] = None
    utc: bool = False


def parse_moment(value) -> Optional[Moment]:
    """:func:`parse_date` plus the time and zone, when the value has them."""
    day = parse_date(value)
    if day is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        ts = value / 1000 if value > 10**11 else value
        return Moment(day, _dt.datetime.fromtimestamp(ts, _dt.timezone.utc), True)
    s = str(value).strip()
    m = _ISO_TIME.match(s)
    if m:
        y, mo, d, hh, mi = (int(x) for x in m.groups()[:5])
        sec = int(m.group(6) or 0)
        tz = (m.group("tz") or "").upper()
        zone = None
        if tz in ("Z", "UTC", "GMT"):
            zone = _dt.timezone.utc
        elif tz:
            sign = 1 if tz[0] == "+" else -1
            digits = tz[1:].replace(":", "")
            zone = _dt.timezone(sign * _dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        try:
            micro = int((m.group("frac") or "0")[:6].ljust(6, "0"))
            inst = _dt.datetime(y, mo, d, hh, mi, min(sec, 59), micro, tzinfo=zone)
        except ValueError:
            return Moment(day)
        return Moment(day, inst, zone is not None and zone.utcoffset(None) == _dt.timedelta(0))
    if re.match(r"^\s*(?:\w{3},\s*)?\d{1,2}\s+\w{3}\s+\d{4}\s+\d", s):
        try:
            inst = parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError):
            return Moment(day)
        off = inst.utcoffset()
        return Moment(day, inst, off is not None and off == _dt.timedelta(0))
    return Moment(day)


def days_between(a: str, b: str) -> int:
    """``b - a`` in days, for two ISO days."""
    return (_dt.date.fromisoformat(b) - _dt.date.fromisoformat(a)).days


# --- statements of publication in the text ------------------------------------

#: A wire dateline with its day: "ISLAMABAD, Nov 8 (Reuters) -", "NEW YORK, March 3, 2026 -",
#: "Islamabad, Nov 8 (Wire) -".  The place is in capitals, or an agency follows the day:
#: "On Monday, March 14: ..." opens a sentence, not a dateline.
_WIRE = re.compile(
    r"^(?:[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3},\s*" + _MON.format("mon") + r"\s+"
    + _DAY.format("d1") + r"(?:,?\s+" + _YEAR + r")?\s*(?:\([^()]{1,30}\)\s*)?"
    + r"|[A-Z][a-zà-ÿ.'’-]+(?:\s+[A-Z][a-zà-ÿ.'’-]+){0,3},\s*" + _MON.format("mon2") + r"\s+"
    + _DAY.format("d2") + r"(?:,?\s+(?P<year2>(?:1[89]|20)\d\d))?\s*\([^()]{1,30}\)\s*)[-–—:]")
#: "Published March 3, 2026", "Updated: 14 Mar 2026 10:05", "Last updated 04 Jun 2020",
#: "Posted on 2026-03-14" ... in a short line at the head.
_STATED = re.compile(
    r"\b(?:(?:first\s+|originally\s+)?published|(?:last\s+)?updated|posted|written|publicado|actualizado"
    r"|veröffentlicht|aktualisiert|publié|mis\s+à\s+jour)\b(?:\s+(?:on|at|am|le|el|el\s+d[ií]a))?\s*:?\s*",
    re.I)
#: What may stand between the word and its date: a time of day, a zone ("2010 GMT (0410 HKT)").
_TIME_BIT = re.compile(r"(?:\d{1,2}[:.h]?\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}\b)?\s*(?:\([^()]{1,20}\))?"
                       r"\s*,?\s*(?:on\s+)?)?", re.I)


def _full_date_at(text: str) -> Optional[str]:
    """The full date (with its year) that ``text`` starts with, or None."""
    for pat in _PATTERNS:
        m = pat.match(text)
        if m and m.groupdict().get("year"):
            gd = m.groupdict()
            mon = int(gd["mnum"]) if gd.get("mnum") else MONTHS[gd["mon"].lower()]
            dt = _date(int(gd["year"]), mon, int(gd["d1"]))
            return dt.isoformat() if dt else None
    return None


def stated_publication(line: str) -> Optional[str]:
    """The day a head line states as its publication or update, or None.

    The line must be short (a byline or date line, not a sentence of the
    story: "The report was published on 3 March 2020 and ..." is a mention),
    and the date must follow the word directly, give or take a time of day.
    """
    words = len(line.split())
    if len(line) > 200 or words > 25:
        return None
    sentence = line.rstrip().endswith(".") and not re.search(r"\b[ap]\.m\.$", line.rstrip())
    for m in _STATED.finditer(line):
        if sentence and (m.start() > 0 or words > 12):
            return None  # "The report was published on 3 March 2020." is a mention
        rest = line[m.end():m.end() + 80]
        t = _TIME_BIT.match(rest)
        day = _full_date_at(rest[t.end():] if t else rest) or _full_date_at(rest)
        if day:
            return day
    return None


def year_from_context(month: int, day: int, full: list[str], latest: Optional[str] = None
                      ) -> Optional[str]:
    """The day ``month``/``day`` in the year an explicit full date of the article fixes.

    ``full`` are the article's own full dates (ISO).  Each puts the day in
    the nearest of its year, the year before or the year after; the result
    must lie within 31 days of that full date (a story stands close to the
    days it reports with their year), all full dates that do so must agree,
    and it must not be later than ``latest`` (the scrape or file time).
    """
    found = set()
    for f in full:
        fd = _dt.date.fromisoformat(f)
        cands = [c for c in (_date(fd.year + k, month, day) for k in (-1, 0, 1)) if c]
        if not cands:
            continue
        best = min(cands, key=lambda c: abs((c - fd).days))
        if abs((best - fd).days) <= 31:
            found.add(best.isoformat())
    if len(found) != 1:
        return None
    out = found.pop()
    if latest and out > latest:
        return None
    return out


def statement_date(paras: list[str], full: list[str], latest: Optional[str] = None
                   ) -> Optional[str]:
    """The publication day the head of the text states: a wire dateline's day,
    or a short "Published ..." / "Updated ..." line among the first three.

    A dateline without its year ("ISLAMABAD, Nov 8 (Reuters) -") takes one
    only as :func:`year_from_context` allows.
    """
    for i, p in enumerate(paras[:3]):
        day = stated_publication(p)
        if day and (latest is None or day <= latest):
            return day
        m = _WIRE.match(p) if i < 2 else None
        if m:
            mon = MONTHS[(m.group("mon") or m.group("mon2")).lower()]
            d = int(m.group("d1") or m.group("d2"))
            year = m.group("year") or m.group("year2")
            if year:
                dt = _date(int(year), mon, d)
                day = dt.isoformat() if dt else None
            else:
                day = year_from_context(mon, d, full, latest)
            if day and (latest is None or day <= latest):
                return day
    return None


def full_dates(text: str) -> list[str]:
    """The full dates (with their year) ``text`` states, sorted unique ISO days."""
    out = set()
    for _s, _e, mon, days, year in _scan(text):
        if year is not None:
            for d in days:
                dt = _date(year, mon, d)
                if dt:
                    out.add(dt.isoformat())
    return sorted(out)
