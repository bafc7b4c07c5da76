"""The Whoosh schema: which parts of an article are searchable, and how.

Text fields use the stemming, accent-folding analyzer of :mod:`index.analysis`,
so ``Türkiye`` finds ``Turkiye`` and ``talks`` finds ``talk``.  Everything the index needs
to re-write a document later (when a new article teaches an alias and an old
article's canonical entities change, or story groups merge) is stored, so a
document can be rebuilt from the index alone without re-reading its file.

Facet and filter fields (``ymd``, ``source_id``, ``authors``, the
entity-type fields, ``story``) are plain keyword fields: the searcher turns their postings into
per-document arrays once per index generation (see ``docarrays``).
"""
from __future__ import annotations

import re
from collections import Counter

from whoosh.compat import dumps
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.system import pack_uint

from archive.names import fold  # the project's one fold (the writer keys entities by it)

from .analysis import plain_analyzer, term_positions, text_analyzer  # noqa: F401 (re-exported)

#: bump when the schema changes incompatibly (reindex --full needed; the
#: manifest records it).  2: ``authors``, the exact author names (author facet).
#: 3: the story signature in a column of its own (:data:`SIG_COLUMN`).
SCHEMA_VERSION = 3

ENTITY_FIELDS = ("person", "org", "place", "other")


# Postings computed ahead by the writer's workers (see index.analysis.term_positions).

class Prepared(list):
    """Postings of one field value computed ahead (a list of
    ``(term bytes, freq, weight, encoded value)`` -- what ``Field.index`` yields)."""

    __slots__ = ()


_one_position: dict[int, bytes] = {}


def encode_positions(poslist: list) -> bytes:
    """Exactly what Whoosh's ``Positions.encode(poslist)`` gives (the count,
    then the pickled position deltas), with less Python per term: most terms
    of an article occur once, and the value of a single position is cached."""
    if len(poslist) == 1:
        pos = poslist[0]
        v = _one_position.get(pos)
        if v is None:
            if len(_one_position) >= 50_000:
                _one_position.clear()
            v = _one_position[pos] = pack_uint(1) + dumps([pos], 2)
        return v
    deltas = [b - a for a, b in zip(poslist, poslist[1:])]
    deltas.insert(0, poslist[0])
    return pack_uint(len(deltas)) + dumps(deltas, 2)


def index_items(field, text: str) -> Prepared:
    """What ``field.index(text)`` returns for a field using ``text_analyzer()``."""
    fmt = field.format
    fb = fmt.field_boost
    if type(fmt) is not Positions:
        encode = fmt.encode
        return Prepared([(w.encode("utf-8"), len(pl), len(pl) * fb, encode(pl))
                         for w, pl in term_positions(text).items()])
    one = _one_position.get          # a term seen once: its value straight from the cache
    return Prepared([(w.encode("utf-8"), len(pl), len(pl) * fb,
                      (len(pl) == 1 and one(pl[0])) or encode_positions(pl))
                     for w, pl in term_positions(text).items()])


class FastTEXT(TEXT):
    """A TEXT field that also accepts :class:`Prepared` postings (from
    :func:`index_items`) in place of text to analyze."""

    def index(self, value, **kwargs):
        if isinstance(value, Prepared):
            return value
        return super().index(value, **kwargs)


class FastID(ID):
    """An ID field (the whole value one term, as typed) that also accepts
    :class:`Prepared` postings, which :meth:`prepare` gives without Whoosh's
    analyzer chain (a tokenizer, a token object and a set per value: most of
    a document's indexing once title and body come prepared)."""

    def __init__(self, stored=False, unique=False, field_boost=1.0):
        super().__init__(stored=stored, unique=unique, field_boost=field_boost)

    def index(self, value, **kwargs):
        if isinstance(value, Prepared):
            return value
        return super().index(value, **kwargs)

    def prepare(self, value: str) -> Prepared:
        """What ``ID.index(value)`` gives: the value, once, with the field's boost."""
        return Prepared([(value.encode("utf-8"), 1, self.format.field_boost, b"")])


_COMMA_ITEM = re.compile(r"[^,]+")


class FastKEYWORD(KEYWORD):
    """A comma-separated KEYWORD field, case kept, that also accepts
    :class:`Prepared` postings (see :class:`FastID`)."""

    def __init__(self, stored=False, scorable=False, field_boost=1.0):
        super().__init__(stored=stored, commas=True, lowercase=False, scorable=scorable,
                         field_boost=field_boost)

    def index(self, value, **kwargs):
        if isinstance(value, Prepared):
            return value
        return super().index(value, **kwargs)

    def prepare(self, value: str) -> Prepared:
        """What ``KEYWORD.index(value)`` gives: each comma-separated item,
        stripped (Whoosh's ``CommaSeparatedTokenizer``), with its count."""
        fb = self.format.field_boost
        counts = Counter(t.strip() for t in _COMMA_ITEM.findall(value))
        return Prepared([(w.encode("utf-8"), n, n * fb, pack_uint(n)) for w, n in counts.items()])


def make_schema() -> Schema:
    ta = text_analyzer()
    return Schema(
        id=FastID(stored=True, unique=True),
        url=FastID(stored=True),
        path=STORED(),
        title=FastTEXT(analyzer=ta, stored=True, field_boost=2.0),
        body=FastTEXT(analyzer=ta, stored=True),
        source=FastTEXT(analyzer=plain_analyzer(), stored=True),
        source_id=FastID(),
        author=FastTEXT(analyzer=plain_analyzer(), stored=True),
        authors=FastKEYWORD(stored=True),  # facet
        dateline=FastTEXT(analyzer=plain_analyzer(), stored=True),
        published=STORED(),
        date_source=STORED(),
        ymd=FastID(),
        mentioned=FastKEYWORD(stored=True),
        person=FastKEYWORD(),
        org=FastKEYWORD(),
        place=FastKEYWORD(),
        other=FastKEYWORD(),
        entity=FastKEYWORD(),
        entities=STORED(),      # [[name, type, mentions], ...] canonical
        mentions=STORED(),      # archive.extract_mentions(article), verbatim
        removed=STORED(),       # [[kind, text], ...]
        content_hash=STORED(),
        mtime=STORED(),
        sig=COLUMN(SIG_COLUMN),  # archive.stories.signature bytes, in a column (see SIG_COLUMN)
        story=FastID(stored=True),
        fmt=STORED(),
        vtime=STORED(),         # the record's own time (scrape/modified), epoch s, or None
        history=STORED(),       # older versions: [{path, line, title, text, time}], newest first
    )


#: The story signature's column.  A signature is a kilobyte of hashes that
#: zlib cannot shrink, and in the stored fields it was compressed with them:
#: some 40% of the time each document's stored fields took to compress.  A
#: column keeps it as it is, and the stored fields (read for every hit
#: shown) without it.
SIG_COLUMN = VarBytesColumn()


def sig_reader(reader):
    """docnum -> the article's story signature (bytes) or None: from the
    signature column, or from the stored fields of an index written before
    it (schema version 2, read until its ``reindex --full``)."""
    if reader.has_column("sig"):
        col = reader.column_reader("sig")
        return lambda docnum: col[docnum] or None
    return lambda docnum: reader.stored_fields(docnum).get("sig")


def keyword_value(names) -> str:
    """Comma-joined keyword field value; commas inside names become spaces."""
    return ",".join(n.replace(",", " ").strip() for n in names if n and n.strip())


def entity_term(name: str) -> str:
    """The ``entity`` field's term for an entity name: the name's key under
    the archive's one :func:`~archive.names.fold` (the resolver's own notion
    of "the same name": ``U.S.`` and ``US`` are one), made safe for the
    comma-separated field exactly as the writer stores it."""
    return keyword_value([fold(name)])
