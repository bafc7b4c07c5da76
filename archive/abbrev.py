"""Does a short form abbreviate a long one?  The Schwartz–Hearst test.

Schwartz & Hearst (2003, "A simple algorithm for identifying abbreviation
definitions in biomedical text") match the short form's letters right to left
against the long form; the short form's first letter must open a word of the
long form, and the long form may have at most ``min(|A| + 5, 2|A|)`` words.
Here the long form must be matched *whole*: "Immigration and Customs
Enforcement (ICE)" fits, "Department of Homeland Security" does not fit
"ICE", and "DC" does not abbreviate "DC Circuit" (a long form that contains
the short form as a word is no definition of it).

Pure functions over two strings, linear in their length.
"""
from __future__ import annotations

import re

_WORD_SPLIT = re.compile(r"[\s\-‐‑‒–—]+")


def _alnum(s: str) -> str:
    return "".join(c for c in s if c.isalnum())


def best_long_form(short: str, long: str, whole: bool = False):
    """The shortest tail of ``long`` whose letters hold ``short``'s in order, the
    first one opening a word (Schwartz–Hearst's ``findBestLongForm``), or None.
    ``whole``: the first letter must be the long form's first letter."""
    s_idx, l_idx = len(short) - 1, len(long) - 1
    while s_idx >= 0:
        c = short[s_idx].lower()
        if not c.isalnum():
            s_idx -= 1
            continue
        while l_idx >= 0 and (long[l_idx].lower() != c
                              or (s_idx == 0 and l_idx > 0
                                  and (whole or long[l_idx - 1].isalnum()))):
            l_idx -= 1
        if l_idx < 0:
            return None
        l_idx -= 1
        s_idx -= 1
    start = max(long.rfind(" ", 0, l_idx + 1), long.rfind("-", 0, l_idx + 1)) + 1
    return long[start:]


def fits(short: str, long: str) -> bool:
    """True when ``short`` abbreviates the whole of ``long`` (see the module docstring)."""
    short, long = short.strip(), long.strip()
    letters = _alnum(short)
    if not 2 <= len(letters) <= 10 or not short[0].isalnum() or not any(c.isalpha() for c in short):
        return False
    words = [w for w in _WORD_SPLIT.split(long) if w]
    if len(words) < 1 or len(_alnum(long)) <= len(letters):
        return False
    if len(" ".join(words).split()) > min(len(letters) + 5, 2 * len(letters)):
        return False
    if any(_alnum(w).casefold() == letters.casefold() for w in words):
        return False            # "DC Circuit" names a court, not "DC"
    best = best_long_form(short, long, whole=True)
    if best is None:
        return False
    # The whole long form, from its first word.
    return _alnum(best).casefold() == _alnum(long).casefold()
