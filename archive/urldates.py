"""The publication day a URL states in its path (``/2026/03/14/slug``).

Newsrooms' CMSs put the day of first publication into the article's address,
and the address never changes when the page is re-scraped: it is the one date
a scraper cannot overwrite with its own clock.  The patterns trusted are
htmldate's (the library trafilatura uses): a year 1990-2039, a month and a day
joined by ``/``, ``-`` or ``_`` (``/2026/03/14/``, ``/2026-03-14-slug``).
One more form is accepted, a whole path segment of eight digits that reads
as a valid day (``/20260314/``); a longer run of digits (an article number)
is not a date.

Only the path is read: query strings carry tracking ids and session times.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Optional
from urllib.parse import urlsplit

from htmldate.extractors import COMPLETE_URL

# /20260314/ or /20260314-slug: eight digits making up a whole path segment start
_COMPACT = re.compile(r"/((?:199\d|20[0-3]\d)(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(?=[/_.-]|$)")


def url_date(url: Optional[str]) -> Optional[str]:
    """The ISO day in ``url``'s path, or None."""
    if not url or not isinstance(url, str):
        return None
    try:
        path = urlsplit(url.strip()[:2000]).path
    except ValueError:
        return None
    m = COMPLETE_URL.search(path)
    if m:
        try:
            return _dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            pass
    m = _COMPACT.search(path)
    if m:
        s = m.group(1)
        try:
            return _dt.date(int(s[:4]), int(s[4:6]), int(s[6:])).isoformat()
        except ValueError:
            return None
    return None
