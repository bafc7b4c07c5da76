"""Titles and datelines: the two things an article's first lines may carry.

A copied article often starts with its headline on a line of its own
(``Taliban Shows Willingness to Address TTP Concerns, Says Foreign Office``)
and its lead often starts with a dateline (``ISLAMABAD:``,
``Islamabad –``, ``NEW YORK, Feb 26 -``).  Both are metadata, not body
text, so they are lifted out.  When there is no headline, the title is the
lead sentence shortened at a word boundary -- a reader needs something to
click on in a result list.
"""
from __future__ import annotations

import re
from typing import Optional

#: Longest derived title, in characters (before the ellipsis).
TITLE_MAX = 100

_SENTENCE_END = re.compile(r"[.!…:;,]['\"’”)]*$")

# ISLAMABAD: / NEW YORK, Feb 26 (Reuters) - / ISLAMABAD, Nov 9 —
_CAPS_PLACE = r"[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}"
# Islamabad – / Rio de Janeiro — (title case needs a dash: "Update: ..." is no dateline)
_TITLE_PLACE = r"[A-Z][a-zà-ÿ.'’-]+(?:\s+(?:[A-Z][a-zà-ÿ.'’-]+|de|da|del|du|la|al|el|upon|on))" \
               r"{0,3}"
_DATE_BIT = r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?"
_AGENCY = r"(?:\s*\((?:[A-Z][\w.&' ]{1,20})\))?"
DATELINE = re.compile(
    r"^(?:(?P<caps>" + _CAPS_PLACE + r")" + _DATE_BIT + _AGENCY + r"\s*(?::|[-–—])"
    r"|(?P<title>" + _TITLE_PLACE + r")" + _DATE_BIT + _AGENCY + r"\s+[-–—])\s+(?=\S)")


def _place(raw: str) -> str:
    """``ISLAMABAD`` -> ``Islamabad``; ``NEW YORK`` -> ``New York``."""
    if raw.isupper():
        return " ".join(w.capitalize() if len(w) > 2 or "." not in w else w for w in raw.split())
    return raw


def split_dateline(lead: str) -> tuple[Optional[str], str]:
    """``(place, rest_of_lead)`` if ``lead`` starts with a dateline, else ``(None, lead)``."""
    m = DATELINE.match(lead)
    if not m:
        return None, lead
    raw = m.group("caps") or m.group("title")
    rest = lead[m.end():]
    # "US: ..." or "NOTE:" -- an all-caps word of two letters, or a rest that
    # does not read as a sentence, is not a dateline.
    if len(raw.replace(".", "")) < 3 or not rest[:1].isupper() and not rest[:1] in "\"“‘'":
        return None, lead
    # "SOCCER - JAPAN GET LUCKY WIN": a label before a shouted headline is
    # headline furniture, not a place; a dateline opens a sentence in normal case.
    if _shouted(rest[:80]):
        return None, lead
    return _place(raw), rest


def _shouted(text: str) -> bool:
    """Mostly capital letters (at least ten letters, four in five capitals)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 10 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def is_headline(first: str, following: list[str]) -> bool:
    """Is ``first`` (the opening paragraph) a headline rather than the lead?

    A headline is short, does not end like a sentence, and has a story under
    it.  A dateline marks a lead, never a headline.
    """
    if not following:
        return False
    words = first.split()
    if not 2 <= len(words) <= 25 or len(first) > 200:
        return False
    if _SENTENCE_END.search(first):
        return False
    if DATELINE.match(first + " X"):
        return False
    # The story below must be longer than the headline (a lone subheading
    # followed by one short line is not an article opening).
    return sum(len(p) for p in following) > len(first)


def derive_title(lead: str, limit: int = TITLE_MAX) -> str:
    """A title from the lead: its first sentence, cut at a word boundary."""
    lead = " ".join(lead.split())
    m = re.search(r"(?<=[a-z0-9\)”\"'’])[.!?](?=\s+[A-Z“\"‘])", lead)
    sentence = lead[: m.start() + 1] if m else lead
    if len(sentence) <= limit:
        return sentence.rstrip(".")
    cut = sentence[:limit + 1]
    cut = cut[: cut.rfind(" ")] if " " in cut else cut[:limit]
    return cut.rstrip(" ,;:–—-") + "…"
