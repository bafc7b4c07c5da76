"""Snippets: the best window of an article's stored body around the words
the query matched, with matches in ``<mark>`` and everything else escaped.

Only the shown hits are highlighted.  Words are stemmed by
:func:`index.analysis.stem` -- the folding and stemming the index uses -- so
``talks`` highlights ``talk`` and ``Turkiye`` highlights ``Türkiye``; a word
matches when its stem is among the index terms the query matched (prefix and
fuzzy expansions included).
"""
from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import escape

from .analysis import normalize, stem

WINDOW = 240        # characters of context in a snippet
_WORD = re.compile(r"\w+", re.UNICODE)


def _matches(text: str, terms: frozenset) -> list[tuple[int, int]]:
    """Spans of the words of ``text`` whose stem is in ``terms``."""
    if not terms:
        return []
    folded = normalize(text)
    if len(folded) == len(text):
        # Fast path: a Porter stem keeps the start of the (folded) word, so
        # only words starting like some term can match; one regex over the
        # folded text finds those few, and each is then stemmed as usual.
        rx = _prefix_regex(terms)
        return [(m.start(), m.end()) for m in rx.finditer(folded)
                if stem(text[m.start():m.end()]) in terms]
    return [(m.start(), m.end()) for m in _WORD.finditer(text) if stem(m.group()) in terms]


@lru_cache(maxsize=1024)
def _prefix_regex(terms: frozenset):
    prefixes = sorted({t[:max(1, len(t) - 2)] for t in terms if t}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, prefixes)) + r")\w*", re.UNICODE)


def snippet(text: str, terms, window: int = WINDOW) -> str:
    """HTML snippet of ``text`` around matches of the (stemmed) ``terms``."""
    text = text or ""
    terms = frozenset(terms)
    spans = _matches(text, terms)
    if not spans:
        return str(escape(_cut(text, 0, window)[0]))
    # best window: the one starting at a match that covers the most distinct words
    best_start, best_score = spans[0][0], -1
    j = 0
    for i, (s, _) in enumerate(spans):
        while j < len(spans) and spans[j][1] <= s + window:
            j += 1
        distinct = len({stem(text[a:b]) for a, b in spans[i:j]})
        score = distinct * 100 + (j - i)
        if score > best_score:
            best_start, best_score = s, score
    start = max(0, best_start - window // 4)
    # begin at a word boundary
    if start > 0:
        sp = text.rfind(" ", max(0, start - 20), start)
        start = sp + 1 if sp >= 0 else start
    piece, end = _cut(text, start, window)
    out = []
    if start > 0:
        out.append("… ")
    pos = start
    for a, b in spans:
        if a < start or b > end:
            continue
        out.append(str(escape(text[pos:a])))
        out.append("<mark>" + str(escape(text[a:b])) + "</mark>")
        pos = b
    out.append(str(escape(text[pos:end])))
    if end < len(text):
        out.append(" …")
    return "".join(out).replace("\n", " ")


def _cut(text, start, window):
    end = min(len(text), start + window)
    if end < len(text):
        sp = text.rfind(" ", start, end)
        if sp > start + window // 2:
            end = sp
    return text[start:end], end


def mark_title(title: str, terms) -> str:
    """The title with matches marked (HTML)."""
    terms = frozenset(terms)
    out, pos = [], 0
    for a, b in _matches(title or "", terms):
        out.append(str(escape(title[pos:a])))
        out.append("<mark>" + str(escape(title[a:b])) + "</mark>")
        pos = b
    out.append(str(escape((title or "")[pos:])))
    return "".join(out)
