"""The Whoosh schema: which parts of an article are searchable, and how.

Text fields use a stemming analyzer with accent folding, so ``Türkiye``
finds ``Turkiye`` and ``talks`` finds ``talk``.  Everything the index needs
to re-write a document later (when a new article teaches an alias and an old
article's canonical entities change, or story groups merge) is stored, so a
document can be rebuilt from the index alone without re-reading its file.

Facet and filter fields (``ymd``, ``source_id``, ``authors``, the
entity-type fields, ``story``) are plain keyword fields: the searcher turns their postings into
per-document arrays once per index generation (see ``docarrays``).
"""
from __future__ import annotations

import unicodedata

import re
from collections import defaultdict

from whoosh.analysis import (STOP_WORDS, CharsetFilter, LowercaseFilter, RegexTokenizer,
                             StemFilter, StopFilter)
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.lang.porter import stem as _porter
from whoosh.support.charset import accent_map

#: bump when the schema changes incompatibly (reindex --full needed; the
#: manifest records it).  2: ``authors``, the exact author names (author facet).
SCHEMA_VERSION = 2

ENTITY_FIELDS = ("person", "org", "place", "other")


def text_analyzer():
    """Accent folding, stop words, stemming (title, body).

    Folding comes *before* stemming so the stems are computed on the folded
    word -- the highlighter relies on that to find matches again.
    """
    return (RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
            | StopFilter() | StemFilter(cachesize=200_000))


# -- the index-time fast path ------------------------------------------------
#
# Whoosh runs an analyzer as a chain of generators passing one Token object
# through five Python-level filters per word; on Reuters that was most of the
# reindex.  ``index_items`` computes exactly what ``TEXT.index`` would with
# ``text_analyzer()`` -- the same tokens, folding, stop words, stems and
# renumbered positions, encoded by the field's own format -- with one regex
# pass and a dict lookup per word (a word's analysis is cached), and it runs
# in the loading workers, so the single writer process only adds postings.
# ``tests/test_index_fastpath.py`` checks the two agree on real text.

_TOKEN = re.compile(r"[\w\*]+(?:\.?[\w\*]+)*")     # RegexTokenizer's default pattern
_STOPS = frozenset(STOP_WORDS)
_term_cache: dict = {}
_TERM_CACHE_MAX = 500_000


def _term(token: str):
    """The indexed term of one token, or None for a stop word (cached)."""
    got = _term_cache.get(token, False)
    if got is not False:
        return got
    w = token.lower().translate(accent_map)
    term = None if len(w) < 2 or w in _STOPS else _porter(w)
    if len(_term_cache) >= _TERM_CACHE_MAX:
        _term_cache.clear()
    _term_cache[token] = term
    return term


def term_positions(text: str) -> dict:
    """term -> positions, as ``text_analyzer()`` in index mode produces them
    (StopFilter renumbers: the first kept word keeps its position, the next
    ones count on from it)."""
    toks = _TOKEN.findall(text)
    get = _term_cache.get
    terms = [get(t, False) for t in toks]
    if False in terms:
        terms = [_term(tok) if term is False else term for tok, term in zip(toks, terms)]
    first = next((i for i, t in enumerate(terms) if t is not None), None)
    poses = defaultdict(list)
    if first is None:
        return poses
    for pos, term in enumerate([t for t in terms if t is not None], first):
        poses[term].append(pos)
    return poses


class Prepared(list):
    """Postings of one field value computed ahead (a list of
    ``(term bytes, freq, weight, encoded value)`` -- what ``Field.index`` yields)."""

    __slots__ = ()


def index_items(field, text: str) -> Prepared:
    """What ``field.index(text)`` returns for a field using ``text_analyzer()``."""
    fmt = field.format
    fb = fmt.field_boost
    encode = fmt.encode
    return Prepared([(w.encode("utf-8"), len(pl), len(pl) * fb, encode(pl))
                     for w, pl in term_positions(text).items()])


class FastTEXT(TEXT):
    """A TEXT field that also accepts :class:`Prepared` postings (from
    :func:`index_items`) in place of text to analyze."""

    def index(self, value, **kwargs):
        if isinstance(value, Prepared):
            return value
        return super().index(value, **kwargs)


def plain_analyzer():
    """Lower-case, accent-folded words, no stemming (source, author)."""
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def make_schema() -> Schema:
    ta = text_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        url=ID(stored=True),
        path=STORED(),
        title=FastTEXT(analyzer=ta, stored=True, field_boost=2.0),
        body=FastTEXT(analyzer=ta, stored=True),
        source=TEXT(analyzer=plain_analyzer(), stored=True),
        source_id=ID(),
        author=TEXT(analyzer=plain_analyzer(), stored=True),
        authors=KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),  # facet
        dateline=TEXT(analyzer=plain_analyzer(), stored=True),
        published=STORED(),
        date_source=STORED(),
        ymd=ID(),
        mentioned=KEYWORD(stored=True, commas=True),
        person=KEYWORD(commas=True, lowercase=False, scorable=False),
        org=KEYWORD(commas=True, lowercase=False, scorable=False),
        place=KEYWORD(commas=True, lowercase=False, scorable=False),
        other=KEYWORD(commas=True, lowercase=False, scorable=False),
        entity=KEYWORD(commas=True, lowercase=False, scorable=False),
        entities=STORED(),      # [[name, type, mentions], ...] canonical
        mentions=STORED(),      # archive.extract_mentions(article), verbatim
        removed=STORED(),       # [[kind, text], ...]
        content_hash=STORED(),
        mtime=STORED(),
        sig=STORED(),           # MinHash signature bytes (uint32 x NUM_PERM)
        story=ID(stored=True),
        fmt=STORED(),
        vtime=STORED(),         # the record's own time (scrape/modified), epoch s, or None
        history=STORED(),       # older versions: [{path, line, title, text, time}], newest first
    )


def fold(text: str) -> str:
    """Case-, accent- and dash-insensitive key for names (entity filter terms)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = "".join("-" if unicodedata.category(c) == "Pd" else c for c in text)
    return " ".join(text.casefold().replace(",", " ").split())


def keyword_value(names) -> str:
    """Comma-joined keyword field value; commas inside names become spaces."""
    return ",".join(n.replace(",", " ").strip() for n in names if n and n.strip())
