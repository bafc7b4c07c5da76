"""The Whoosh schema: which parts of an article are searchable, and how.

Text fields use a stemming analyzer with accent folding, so ``Türkiye``
finds ``Turkiye`` and ``talks`` finds ``talk``.  Everything the index needs
to re-write a document later (when a new article teaches an alias and an old
article's canonical entities change, or story groups merge) is stored, so a
document can be rebuilt from the index alone without re-reading its file.

Facet and filter fields (``ymd``, ``source_id``, the entity-type fields,
``story``) are plain keyword fields: the searcher turns their postings into
per-document arrays once per index generation (see ``docarrays``).
"""
from __future__ import annotations

import unicodedata

from whoosh.analysis import (CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter,
                             StopFilter)
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

#: bump when the schema changes incompatibly (reindex --full needed)
SCHEMA_VERSION = 1

ENTITY_FIELDS = ("person", "org", "place", "other")


def text_analyzer():
    """Accent folding, stop words, stemming (title, body).

    Folding comes *before* stemming so the stems are computed on the folded
    word -- the highlighter relies on that to find matches again.
    """
    return (RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)
            | StopFilter() | StemFilter(cachesize=200_000))


def plain_analyzer():
    """Lower-case, accent-folded words, no stemming (source, author)."""
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def make_schema() -> Schema:
    ta = text_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        url=ID(stored=True),
        path=STORED(),
        title=TEXT(analyzer=ta, stored=True, field_boost=2.0),
        body=TEXT(analyzer=ta, stored=True),
        source=TEXT(analyzer=plain_analyzer(), stored=True),
        source_id=ID(),
        author=TEXT(analyzer=plain_analyzer(), stored=True),
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
