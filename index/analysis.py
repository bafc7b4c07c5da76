"""How text becomes index terms: one definition for indexing, queries,
highlighting and did-you-mean.

A word is lower-cased and accent-folded (``Türkiye`` -> ``turkiye``), then
Porter-stemmed (``talks`` -> ``talk``); words shorter than two letters and
Whoosh's stop words are not indexed.  Folding comes *before* stemming so a
stem is computed on the folded word -- which is what lets the highlighter and
did-you-mean find a match again from the stored text.

- :func:`text_analyzer` is that chain as a Whoosh analyzer (the schema's
  title and body fields, and so the query parser);
- :func:`term_positions` computes exactly what that analyzer yields in index
  mode, in one regex pass and a dict lookup per word (the writer's fast path:
  Whoosh's chain passes one Token object through five Python filters per
  word, which was most of a reindex; ``tests/index/test_fastpath.py`` checks
  the two agree);
- :func:`stem` is the term of one word, for the highlighter and suggestions.

Names (entities, sources) are keyed by :func:`archive.names.fold` instead:
a name is matched as a whole, never stemmed.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from itertools import chain

from whoosh.analysis import (STOP_WORDS, CharsetFilter, LowercaseFilter, RegexTokenizer,
                             StemFilter, StopFilter)
from whoosh.lang.porter import stem as _porter
from whoosh.support.charset import accent_map

from archive.charclass import CharClass

#: RegexTokenizer's default pattern: ``U.S`` and ``3.5`` are one token each.
TOKEN = re.compile(r"[\w\*]+(?:\.?[\w\*]+)*")
STOPS = frozenset(STOP_WORDS)
#: StopFilter's default: shorter words are not indexed.
MIN_CHARS = 2


def text_analyzer():
    """Accent folding, stop words, stemming (title, body)."""
    return (RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
            | StopFilter() | StemFilter(cachesize=200_000))


def plain_analyzer():
    """Lower-case, accent-folded words, no stemming (source, author)."""
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def normalize(word: str) -> str:
    """``Türkiye`` -> ``turkiye``: the analyzer's lower-casing and accent folding."""
    return word.lower().translate(accent_map)


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The index term ``word`` would have if indexed (stop words not dropped)."""
    return _porter(normalize(word))


@lru_cache(maxsize=100_000)
def _stem_normalized(w: str) -> str:
    """Porter stem of an already normalised word, cached by that word: the
    tokens "Oil", "OIL" and "oil" are three entries of the token cache but
    one stem (the Porter stemmer is pure Python and the costliest step)."""
    return _porter(w)


_term_cache: dict = {}
_TERM_CACHE_MAX = 500_000


def _term(token: str):
    """The indexed term of one token, or None for a stop word (cached)."""
    got = _term_cache.get(token, False)
    if got is not False:
        return got
    w = normalize(token)
    term = None if len(w) < MIN_CHARS or w in STOPS else _stem_normalized(w)
    if len(_term_cache) >= _TERM_CACHE_MAX:
        _term_cache.clear()
    _term_cache[token] = term
    return term


#: what :data:`TOKEN`'s tokens are made of, and the dot that may join two runs of it
_TOKEN_CHARS = CharClass(r"[\w*]", ".")


class _RunTerms(dict):
    """A run of :data:`_TOKEN_CHARS` -> the terms of its tokens; a dict that
    fills itself (``__missing__``, bounded), so a text's runs are looked up
    with ``map`` in C."""

    def __missing__(self, run: str) -> tuple:
        if len(self) >= _RUN_CACHE_MAX:
            self.clear()
        v = self[run] = tuple(map(_term, TOKEN.findall(run)))
        return v


_RUN_CACHE_MAX = 200_000
_run_terms = _RunTerms()


def _terms(text: str) -> list:
    """``[_term(t) for t in TOKEN.findall(text)]``, without the regex engine
    over the text (hundreds of instructions a character): no token crosses a
    character outside :data:`_TOKEN_CHARS`, and the regex stops at one as at
    the end of the text, so the tokens are those of its runs of them, one
    after the other -- and a run ("said," "U.S.") is looked up whole, nearly
    always one seen before."""
    return list(chain.from_iterable(map(_run_terms.__getitem__, _TOKEN_CHARS.runs(text))))


def term_positions(text: str) -> dict:
    """term -> positions, as ``text_analyzer()`` in index mode produces them
    (StopFilter renumbers: the first kept word keeps its position, the next
    ones count on from it)."""
    terms = _terms(text)
    first = next((i for i, t in enumerate(terms) if t is not None), None)
    poses = defaultdict(list)
    if first is None:
        return poses
    for pos, term in enumerate([t for t in terms if t is not None], first):
        poses[term].append(pos)
    return poses
