"""What a saved page shows about its own publication.

Metadata says when a page was published in machine terms; the page itself
tells the reader, under the headline ("By Jo Bloggs · Updated 14 March
2026"), and in the clock of its ``<time>`` elements (``2026-03-14T21:05-04:00``
says the site writes times at UTC-4).  :mod:`archive.published` uses both:
the head's statements of publication, and the clock to turn a UTC metadata
time into the publisher's own day.  All reads are bounded (a few dozen text
pieces after the headline, the first eight ``<time>`` elements).
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Optional

from bs4 import BeautifulSoup

from .dates import parse_date, parse_moment, stated_publication

#: Elements whose text a reader never sees.
INVISIBLE = {"script", "style", "noscript", "template", "head", "svg"}


def visible_strings(soup: BeautifulSoup, after=None, limit: int = 80) -> list[str]:
    """Up to ``limit`` visible text pieces, in page order, from ``after`` on."""
    out: list[str] = []
    start = after if after is not None else (soup.body or soup)
    for node in start.find_all_next(string=True) if after is not None else start.find_all(string=True):
        if node.parent is None or node.parent.name in INVISIBLE:
            continue
        t = " ".join(node.split())
        if t:
            out.append(t[:300])
            if len(out) >= limit:
                break
    return out


def _headline_element(soup: BeautifulSoup, title: Optional[str]):
    """The ``<h1>`` that carries the story's headline (a site logo may be an ``<h1>`` too)."""
    h1s = soup.find_all("h1", limit=5)
    if len(h1s) <= 1 or not title:
        return h1s[0] if h1s else None
    t = set(title.casefold().split())
    return max(h1s, key=lambda h: len(t & set(h.get_text(" ").casefold().split())))


def head_pieces(soup: BeautifulSoup, title: Optional[str], first_para: str) -> list[str]:
    """The short visible pieces between the headline and the first paragraph.

    That is where a page says "By Jo Bloggs · Updated 14 March 2026"; a date
    further down is one the story or a teaser mentions.  The head ends at the
    first paragraph of the article or after 30 short pieces (a piece of more
    than 20 words, such as the standfirst, is passed over).
    """
    h1 = _headline_element(soup, title)
    if h1 is None:
        return []
    h1_text = " ".join(h1.get_text(" ").split())
    pieces = visible_strings(soup, after=h1, limit=40)
    while pieces and h1_text and pieces[0] in h1_text:
        pieces = pieces[1:]
    key = first_para[:40]
    out = []
    for piece in pieces:
        if key and (piece.startswith(key) or key.startswith(piece) and len(piece) > 20):
            break
        if len(piece.split()) > 20:
            continue
        out.append(piece)
        if len(out) >= 30:
            break
    return out


def head_lines(pieces: list[str]) -> list[str]:
    """Head pieces that state a publication, each joined with the next two, as
    the word and its date often sit in separate elements
    (``<span>Updated</span> <time>...</time>``)."""
    lines = [" ".join(pieces[i:i + 3]) for i in range(len(pieces))]
    return [l for l in lines if stated_publication(l)][:3]


_SHOWN_CLOCK = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}),?\s+(\d{1,2}):(\d{2})(?![\d:])"
                          r"|(?<![\d-])(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?![\d:])")


def shown_times(pieces: list[str]) -> list[_dt.datetime]:
    """Wall-clock times the head shows ("3/5/2022 22:41"), both readings of an
    ambiguous day/month; the UTC instant of the metadata decides between them
    (see :func:`archive.published.settle`)."""
    out = []
    for piece in pieces:
        for m in _SHOWN_CLOCK.finditer(piece):
            g = m.groups()
            if g[0]:
                a, b, y, hh, mi = (int(x) for x in g[:5])
                orders = {(a, b), (b, a)}
            else:
                y, mo, d, hh, mi = (int(x) for x in g[5:])
                orders = {(d, mo)}
            for d, mo in orders:
                try:
                    out.append(_dt.datetime(y, mo, d, hh, mi))
                except ValueError:
                    pass
    return out[:6]


def page_clock(soup: BeautifulSoup) -> tuple[list, list[str]]:
    """The page's own clock: the UTC offsets its ``<time datetime>`` values carry
    (most common first), and the day its first ``<time>`` shows when that
    carries no offset ("3 de mayo de 2022")."""
    offsets: dict = {}
    first_day: list[str] = []
    for i, t in enumerate(soup.find_all("time", limit=8)):
        m = parse_moment(t.get("datetime")) if t.get("datetime") else None
        if m is not None and m.instant is not None and m.instant.tzinfo is not None:
            off = m.instant.utcoffset()
            offsets[off] = offsets.get(off, 0) + 1
        elif i == 0:
            for cand in (t.get("datetime"), " ".join(t.get_text(" ").split())):
                d = parse_date(_spanish_month(cand)) if cand else None
                if d:
                    first_day.append(d)
                    break
    zones = [_dt.timezone(o) for o, _n in sorted(offsets.items(), key=lambda kv: -kv[1])]
    return zones, first_day, []


_ES_MONTHS = {"enero": "January", "febrero": "February", "marzo": "March", "abril": "April",
              "mayo": "May", "junio": "June", "julio": "July", "agosto": "August",
              "septiembre": "September", "setiembre": "September", "octubre": "October",
              "noviembre": "November", "diciembre": "December"}


def _spanish_month(text: str) -> str:
    """"3 de mayo de 2022" -> "3 May 2022" (a common <time> text)."""
    m = re.match(r"^\s*(\d{1,2})\s+de\s+([a-z]+)\s+de\s+(\d{4})\s*$", text, re.I)
    if m and m.group(2).lower() in _ES_MONTHS:
        return f"{m.group(1)} {_ES_MONTHS[m.group(2).lower()]} {m.group(3)}"
    return text
