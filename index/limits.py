"""How much one search may ask for: one set of limits for every front end.

The library enforces them (a query over a limit is a :class:`QueryError`
whose message names the limit; a page or page size beyond one is capped),
and the web reads the same values to cap what a URL passes on and to say so
(``from index import LIMITS``), so a limit has one value wherever it shows.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QueryLimits:
    #: Longest query text, in characters.
    query_chars: int = 1000
    #: Deepest nesting of parentheses.
    depth: int = 16
    #: Distinct words (outside phrases) per query, Google's limit too: Whoosh's
    #: normalize() compares every pair of clauses (250 words: 76k comparisons,
    #: 0.18 s; 120: 50 ms; 32: ~4 ms).
    words: int = 32
    #: "Phrases" per query: each one walks its postings in Python (60 common
    #: two-word phrases took 0.55 s at 19k articles).
    phrases: int = 12
    #: Index terms a single prefix/wildcard/fuzzy word may expand to.
    expansion: int = 2000
    #: Index terms all the wildcard/fuzzy words of one query may expand to.
    total_expansion: int = 3000
    #: Edit distance of a fuzzy word (as Elasticsearch): ~5 walks the whole lexicon.
    fuzzy_distance: int = 2
    #: Distinct fuzzy words per query (see index.expand).
    fuzzy_words: int = 4
    #: Wildcard/fuzzy words per query: each one scans the lexicon.
    multiterms: int = 8
    #: Deepest page: beyond it an offset costs the index real work for a page
    #: no human reads (Elasticsearch's 10,000-result window at 10 a page).
    #: Bigger numbers are capped, not refused.
    page: int = 1000
    #: Most hits per page.
    per_page: int = 100
    #: Other versions of a story listed with each hit (``same_story()`` has all).
    same_story: int = 10


#: The limits in force (tests replace it with ``dataclasses.replace``).
LIMITS = QueryLimits()
