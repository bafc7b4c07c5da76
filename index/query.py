"""Turning what a user typed into a Whoosh query -- safely.

The language is Whoosh's (AND/OR/NOT, "phrases", field:value, prefix*,
fuzzy~), over title and body, all words required by default.  Around it:

- hostile input is bounded *before* parsing (length, NUL/control bytes,
  nesting depth) and multi-term expansions (``a*``, ``x~2``) are counted
  against the lexicon before anything runs;
- ``entity:`` values are resolved through the corpus resolver, so any alias
  finds the canonical entity; ``source:`` searches the source name;
- every failure becomes a :class:`QueryError` with a sentence a user can act
  on -- never a traceback.

Dates are parsed here too: Whoosh's date parser is too forgiving for
``since``/``until``, which must be exact ISO (``YYYY``, ``YYYY-MM``,
``YYYY-MM-DD``, inclusive).
"""
from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re
from typing import Optional

from whoosh import qparser, query as wq
from whoosh.qparser import syntax

from . import _whoosh, limits
from archive.names import fold

from .schema import entity_term

FIELD_ALIASES = {"title": "title", "body": "body", "text": "body", "entity": "entity",
                 "source": "source", "author": "author", "dateline": "dateline"}

# control characters, and lone surrogates (a CLI argument that was not UTF-8,
# a hostile API parameter): no index term contains one, and they cannot be
# encoded to look a term up
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class QueryError(ValueError):
    """A query or filter the user must fix; the message says how."""


def clean_text(s) -> str:
    if s is None:
        return ""
    s = str(s)
    return _CONTROL.sub(" ", s).strip()


# -- dates -----------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_date(value, end: bool = False) -> Optional[int]:
    """ISO ``YYYY`` / ``YYYY-MM`` / ``YYYY-MM-DD`` -> proleptic ordinal.

    With ``end=True`` a partial date means its last day (``until=2025-11``
    includes 30 November).  ``None``/empty gives None; anything else raises
    QueryError.
    """
    value = clean_text(value)
    if not value:
        return None
    m = _DATE.match(value)
    if not m:
        raise QueryError(f"invalid date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    y = int(m.group(1))
    mo = int(m.group(2)) if m.group(2) else None
    d = int(m.group(3)) if m.group(3) else None
    try:
        if y < 1:
            raise ValueError
        if mo is None:
            day = dt.date(y, 12, 31) if end else dt.date(y, 1, 1)
        elif d is None:
            day = dt.date(y, mo, calendar.monthrange(y, mo)[1] if end else 1)
        else:
            day = dt.date(y, mo, d)
    except ValueError:
        raise QueryError(f"invalid date {value!r}: no such day") from None
    return day.toordinal()


# -- parsing ---------------------------------------------------------------

class FieldNamesPlugin(qparser.FieldAliasPlugin):
    """``text:`` means ``body:``, and a field name is case-insensitive
    (``Title:oil`` is ``title:oil``); an unknown ``field:`` is left to the
    parser, which reads it as plain words."""

    def __init__(self, aliases=FIELD_ALIASES):
        super().__init__({})
        self.reverse = dict(aliases)        # typed name (lower case) -> field

    def do_aliases(self, parser, group):
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.do_aliases(parser, node)
            elif node.has_fieldname and node.fieldname is not None:
                real = self.reverse.get(node.fieldname.lower())
                if real is not None and real != node.fieldname:
                    node.set_fieldname(real, override=True)
        return group


def make_parser(schema):
    parser = qparser.MultifieldParser(["title", "body"], schema=schema,
                                      group=qparser.AndGroup)
    parser.add_plugin(FieldNamesPlugin())
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.remove_plugin_class(qparser.RangePlugin)   # dates are filters, not syntax
    parser.remove_plugin_class(qparser.BoostPlugin)
    return parser


def _depth(text: str) -> int:
    depth = best = 0
    for ch in text:
        if ch == "(":
            depth += 1
            best = max(best, depth)
        elif ch == ")":
            depth = max(0, depth - 1)
    return best


# -- entity aliases in plain text ---------------------------------------------------
#
# A reader who types ``FaK`` or ``TTP`` means the group, not the three letters:
# the literal word is in two of the five seed articles, the entity in all five.
# So a bare word or "phrase" an editor listed in ``aliases.toml`` as a name of an
# entity is searched as ``(word OR entity:"Canonical")``.  Aliases the archive
# *learned* never widen a plain word: plain search is literal, and a learned
# merge (right or wrong) shows only through ``entity:`` and the entity filter.  Explicit field queries
# (``title:FaK``), operators, wildcards and fuzzy words are left as typed, and
# so is a one-word canonical name typed as is (``Pakistan``): the literal word
# already finds every article that names it.

_TOKEN_RE = re.compile(r'[^\s"]*"[^"]*"[^\s"]*|\S+')
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "&&", "||", "!"}
_SYNTAX = re.compile(r"[:*?~^\[\]{}\\]")


def _alias_for(surface: str, resolve_entity):
    """The canonical name to add for ``surface``, or None."""
    if not surface or len(surface) < 2 or len(surface) > 200 or '"' in surface:
        return None
    try:
        hit = resolve_entity(surface)
    except Exception:  # noqa: BLE001 -- a resolver problem must not break search
        return None
    if not hit or not hit[0] or '"' in hit[0] or "\\" in hit[0]:
        return None
    canonical = hit[0]
    if fold(canonical) == fold(surface) and len(canonical.split()) < 2:
        return None
    return canonical


def with_entity_aliases(text: str, resolve_entity) -> str:
    """``text`` with each bare word/phrase that names an entity turned into
    ``(word OR entity:"Canonical")`` (see above); the text unchanged when there
    is no resolver or nothing to add."""
    if resolve_entity is None:
        return text
    whole = text.strip()
    if whole and not _SYNTAX.search(whole) and "(" not in whole and ")" not in whole \
            and not set(whole.replace('"', " ").split()) & _OPERATORS:
        core = whole[1:-1] if len(whole) > 1 and whole[0] == whole[-1] == '"' else whole
        if '"' not in core and " " in core.strip():
            canonical = _alias_for(core.strip(), resolve_entity)
            if canonical:      # the whole query names an entity: "Khawaja Asif"
                return f'({whole}) OR entity:"{canonical}"'
    out, pos = [], 0
    for m in _TOKEN_RE.finditer(text):
        token = m.group(0)
        lead = len(token) - len(token.lstrip("("))
        trail = len(token) - len(token.rstrip(")"))
        core = token[lead:len(token) - trail]
        plain = core[1:-1] if len(core) > 1 and core[0] == core[-1] == '"' else core
        if (not core or core in _OPERATORS or _SYNTAX.search(core) or core.startswith(("-", "+"))
                or ('"' in core and plain == core)):
            continue
        canonical = _alias_for(plain.strip(), resolve_entity)
        if not canonical:
            continue
        out.append(text[pos:m.start() + lead])
        out.append(f'({core} OR entity:"{canonical}")')
        pos = m.start() + lead + len(core)
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def parse(parser, text: str, resolve_entity=None, resolve_plain=None):
    """Parse ``text`` into a Whoosh query (None for a browse / empty query).
    ``resolve_entity`` resolves ``entity:`` values (any alias); ``resolve_plain``
    the curated names that may widen a plain word (None: plain words stay literal)."""
    text = clean_text(text)
    if not text:
        return None
    lim = limits.LIMITS
    if len(text) > lim.query_chars:
        raise QueryError(f"query too long ({len(text)} characters; the limit is "
                         f"{lim.query_chars})")
    if _depth(text) > lim.depth:
        raise QueryError(f"query nested too deeply (more than {lim.depth} parentheses)")
    if text.count('"') % 2:
        raise QueryError('unbalanced quotes: close the phrase with another "')
    if text.strip() in ("*", "?"):
        return None          # "everything" -- browse
    distinct = len(set(re.sub(r'"[^"]*"', " ", text).split()))     # a phrase is one clause
    if distinct > lim.words:
        raise QueryError(f"too many different words ({distinct}; at most {lim.words} "
                         "per query)")
    if text.count('"') // 2 > lim.phrases:
        raise QueryError(f"too many phrases ({text.count(chr(34)) // 2}; at most "
                         f"{lim.phrases} per query)")
    try:
        q = parser.parse(with_entity_aliases(text, resolve_plain))
    except RecursionError:
        raise QueryError("query nested too deeply") from None
    except Exception as e:  # noqa: BLE001 -- whoosh raises many kinds
        raise QueryError(f"could not understand the query: {e}") from None
    q = _rewrite(q, resolve_entity)
    # "NOT x" alone means "everything except x", as users expect
    if isinstance(q, wq.Not):
        q = wq.And([wq.Every(), q])
    elif isinstance(q, wq.And) and q.subqueries and all(isinstance(c, wq.Not) for c in q.subqueries):
        q = wq.And([wq.Every()] + list(q.subqueries))
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        raise QueryError("the query has no searchable words (only stop words or "
                         "a field name with nothing after it?)")
    return q


def _words(q) -> str:
    if isinstance(q, wq.Phrase):
        return " ".join(q.words)
    return getattr(q, "text", "") or ""


def _rewrite(q, resolve_entity):
    """Resolve ``entity:`` values to canonical keys; ``source:`` stays text."""
    def resolve(node):
        if isinstance(node, wq.FuzzyTerm) and node.maxdist > limits.LIMITS.fuzzy_distance:
            node.maxdist = limits.LIMITS.fuzzy_distance
        if isinstance(node, (wq.Term, wq.Phrase, wq.Prefix, wq.Wildcard, wq.FuzzyTerm)) \
                and getattr(node, "fieldname", None) == "entity":
            words = _words(node)
            if isinstance(words, bytes):
                words = words.decode("utf-8", "replace")
            return wq.Term("entity", entity_key(words, resolve_entity))
        return node
    return rewrite(q, resolve)


def entity_key(name: str, resolve_entity=None) -> str:
    """The indexed key of the entity ``name`` names (any alias)."""
    name = clean_text(name)
    if resolve_entity:
        hit = resolve_entity(name)
        if hit:
            return entity_term(hit[0])
    return entity_term(name)


def multiterm_key(leaf) -> tuple:
    """What identifies a multi-term word: its kind, field and text (the same
    word typed twice expands to the same terms)."""
    return (type(leaf).__name__, leaf.fieldname, leaf.text, getattr(leaf, "maxdist", None))


class Expansions:
    """The terms (bytes) each prefix, wildcard and fuzzy word of one query
    matched, worked out once by :func:`index.expand.expand` and handed, as
    this object, to every later step (matching, scoring, highlighting), so no
    step reads the lexicon again and nothing is stored on the query nodes.

    A word it does not know (a query that was not expanded, e.g. an entity
    page's own query) is read from the lexicon, within the same cap."""

    def __init__(self, terms: Optional[dict] = None):
        self.terms = dict(terms or {})

    def of(self, leaf, reader) -> list:
        got = self.terms.get(multiterm_key(leaf))
        if got is not None:
            return got[:limits.LIMITS.expansion]
        return list(itertools.islice(_whoosh.multiterm_texts(leaf, reader),
                                     limits.LIMITS.expansion))

    @property
    def total(self) -> int:
        """Terms matched by all the words together (what the budget counts)."""
        return sum(len(t) for t in self.terms.values())

    def __len__(self):
        return len(self.terms)


NO_EXPANSIONS = Expansions()


def expansions(leaf, reader, exp: Optional[Expansions] = None) -> list:
    """The terms (bytes) a prefix/wildcard leaf matches: from ``exp`` when the
    query was expanded, else read from the lexicon."""
    return (exp or NO_EXPANSIONS).of(leaf, reader)


# -- walking the query tree -------------------------------------------------------
#
# Whoosh keeps a node's operands in one of four places: ``subqueries`` (And,
# Or), ``child`` (wrappers), ``query`` (Not) and ``a``/``b`` (AndNot,
# AndMaybe: ``subqueries`` is a tuple copy of them).  These two functions are
# the only code that knows it.

def children(q) -> list:
    """The operands of a query node ([] for a leaf)."""
    return list(q.children())


def leaves(q, skip_not=False):
    """The leaf queries under ``q`` (without what a ``Not`` negates when ``skip_not``)."""
    if skip_not and isinstance(q, wq.Not):
        return
    if q.is_leaf():
        yield q
        return
    for c in q.children():
        yield from leaves(c, skip_not)


def rewrite(q, fn):
    """``q`` with ``fn`` applied to every node, operands first (``fn`` returns
    the node or its replacement).  Nodes are updated in place, so their other
    attributes (boost, an Or's ``scale``) stay as they were."""
    if isinstance(q, wq.Not):
        q.query = rewrite(q.query, fn)
    elif isinstance(q, wq.BinaryQuery):
        q.a, q.b = rewrite(q.a, fn), rewrite(q.b, fn)
        q.subqueries = (q.a, q.b)
    elif hasattr(q, "subqueries"):
        q.subqueries = [rewrite(c, fn) for c in q.subqueries]
    elif hasattr(q, "child"):
        q.child = rewrite(q.child, fn)
    return fn(q)


def plain_words(q) -> list[tuple[str, str]]:
    """(field, text) of the plain positive terms, for did-you-mean."""
    out = []
    for leaf in leaves(q) if q is not None else ():
        if type(leaf) is wq.Term and leaf.fieldname in ("title", "body") \
                and not hasattr(leaf, "expanded_from"):
            t = leaf.text
            out.append((leaf.fieldname, t.decode() if isinstance(t, bytes) else t))
    return out


# -- the exact matched set ------------------------------------------------------
#
# ``total`` and the facets need every matching docnum.  Whoosh's
# ``docs_for_query`` walks the matcher tree one posting at a time in Python
# (tens of ms for a common word at 20k articles).  Most queries are trees of
# terms, prefixes and boolean operators, so we read each term's posting list a
# block at a time into numpy (delta-decoded with ``cumsum``) and combine them
# with sorted-array set operations; anything else (phrases, fuzzy terms,
# ``Every``) still goes through Whoosh for that subtree only.  Posting arrays
# are cached per index generation in ``cache`` (a dict the caller owns).


def _empty():
    import numpy as np
    return np.zeros(0, dtype=np.int64)


def term_postings(searcher, fieldname, text, cache=None):
    """(sorted docnums, weights) of a term over the whole index (cached per generation)."""
    import numpy as np
    btext = text.encode("utf-8") if isinstance(text, str) else text
    key = (fieldname, btext)
    if cache is not None:
        got = cache.get(key)
        if got is not None:
            return got
    ids_parts, w_parts = [], []
    for sub, offset in searcher.leaf_searchers():
        ids, w = _whoosh.leaf_postings(sub.reader(), fieldname, btext)
        ids_parts.append(ids + offset if offset else ids)
        w_parts.append(w)
    if len(ids_parts) == 1:
        out = (ids_parts[0], w_parts[0])
    elif ids_parts:
        out = (np.concatenate(ids_parts), np.concatenate(w_parts))
    else:
        out = (_empty(), np.zeros(0))
    if cache is not None:
        if len(cache) > TERM_CACHE_ENTRIES:
            cache.clear()
        cache[key] = out
    return out


def term_ids(searcher, fieldname, text, cache=None):
    """Sorted docnums (whole index, deleted included) containing a term."""
    return term_postings(searcher, fieldname, text, cache)[0]


TERM_CACHE_ENTRIES = 4096


def term_values(searcher, fieldname, btext, cache=None) -> list:
    key = ("values", fieldname, btext)
    if cache is not None:
        got = cache.get(key)
        if got is not None:
            return got
    out = []
    for sub, _offset in searcher.leaf_searchers():
        out.extend(_whoosh.leaf_values(sub.reader(), fieldname, btext))
    if cache is not None:
        cache[key] = out
    return out


def _phrase_ok(q) -> bool:
    return (type(q) is wq.Phrase and q.slop == 1 and q.boost == 1.0 and len(q.words) >= 2
            and all(isinstance(w, str) for w in q.words))


def phrase_ids(q, searcher, cache=None):
    """Docnums where the words of ``q`` occur at consecutive positions: the
    candidates are the intersection of the words' posting arrays, and only
    their positions are decoded."""
    import numpy as np
    field = searcher.schema[q.fieldname] if q.fieldname in searcher.schema else None
    if field is None or not field.format.supports("positions"):
        return _empty()
    words = [w.encode("utf-8") for w in q.words]
    cand = None
    for w in words:
        ids = term_ids(searcher, q.fieldname, w, cache)
        cand = ids if cand is None else np.intersect1d(cand, ids, assume_unique=True)
        if not cand.size:
            return cand
    decode = field.format.decode_positions
    per_word = []
    for w in words:
        ids = term_ids(searcher, q.fieldname, w, cache)
        vals = term_values(searcher, q.fieldname, w, cache)
        idx = np.searchsorted(ids, cand).tolist()
        per_word.append([vals[i] for i in idx])
    keep = []
    for k in range(cand.size):
        starts = set(decode(per_word[0][k]))
        for j in range(1, len(words)):
            nxt = set(decode(per_word[j][k]))
            starts = {p for p in starts if p + j in nxt}
            if not starts:
                break
        if starts:
            keep.append(k)
    return cand[np.asarray(keep, dtype=np.int64)] if keep else _empty()


def matched_docs(q, searcher, alive, cache=None, exp=None):
    """Sorted docnum array of the live documents matching ``q`` (exact)."""
    import numpy as np
    ids = _ids(q, searcher, alive, cache, exp)
    if ids is None:        # "everything"
        return np.flatnonzero(alive)
    ids = ids[alive[ids]] if ids.size else ids
    return ids


def _ids(q, s, alive, cache, exp=None):
    """Docnums of ``q`` (may include deleted docs), or None for every doc."""
    import numpy as np
    if isinstance(q, wq.Every):
        return None
    if type(q) is wq.Term:
        return term_ids(s, q.fieldname, q.text, cache)
    if isinstance(q, (wq.Prefix, wq.Wildcard)) and not isinstance(q, wq.FuzzyTerm):
        texts = expansions(q, s.reader(), exp)
        parts = [term_ids(s, q.fieldname, t, cache) for t in texts]
        return np.unique(np.concatenate(parts)) if parts else _empty()
    if type(q) is wq.Or:
        parts = [_ids(c, s, alive, cache, exp) for c in q.subqueries]
        if any(p is None for p in parts):
            return None
        return np.unique(np.concatenate(parts)) if parts else _empty()
    if type(q) is wq.And:
        pos = [c for c in q.subqueries if not isinstance(c, wq.Not)]
        neg = [c.query for c in q.subqueries if isinstance(c, wq.Not)]
        out = None
        for c in sorted(pos, key=lambda c: not isinstance(c, wq.Term)):
            ids = _ids(c, s, alive, cache, exp)
            if ids is None:
                continue
            out = ids if out is None else np.intersect1d(out, ids, assume_unique=True)
            if out.size == 0:
                return out
        if out is None:
            out = np.flatnonzero(alive)
        for c in neg:
            ids = _ids(c, s, alive, cache, exp)
            if ids is None:
                return _empty()
            out = np.setdiff1d(out, ids, assume_unique=True)
        return out
    if type(q) is wq.AndNot:
        a = _ids(q.a, s, alive, cache, exp)
        b = _ids(q.b, s, alive, cache, exp)
        if b is None:
            return _empty()
        if a is None:
            a = np.flatnonzero(alive)
        return np.setdiff1d(a, b, assume_unique=True)
    if _phrase_ok(q):
        return phrase_ids(q, s, cache)
    # fuzzy terms, anything else: Whoosh's own matcher for this subtree
    return np.fromiter(s.docs_for_query(q), dtype=np.int64)


def set_computable(q) -> bool:
    """True if :func:`matched_docs` answers ``q`` from posting arrays alone
    (terms, prefixes, wildcards and boolean operators over them)."""
    if isinstance(q, wq.Every) or type(q) is wq.Term or _phrase_ok(q):
        return True
    if isinstance(q, (wq.Prefix, wq.Wildcard)) and not isinstance(q, wq.FuzzyTerm):
        return True
    if type(q) in (wq.And, wq.Or):
        return all(set_computable(c.query if isinstance(c, wq.Not) else c)
                   for c in q.subqueries)
    if type(q) is wq.AndNot:
        return set_computable(q.a) and set_computable(q.b)
    return False


# -- BM25F over the matched set, in numpy ----------------------------------------
#
# Whoosh scores one posting at a time through a tree of matcher objects.  For
# the same term/boolean trees ``set_computable`` accepts (minus multi-term
# expansions, whose constant-score rules differ), the score of every matched
# document is a few vector operations over the cached posting arrays, using
# Whoosh's own BM25F formula, idf and average lengths -- so the ranking is the
# one Whoosh would give.  Anything else returns None and Whoosh scores it.

def scorable_fast(q, searcher) -> bool:
    if _whoosh.bm25_params(searcher.weighting) is None:
        return False
    return _scorable(q)


def _scorable(q) -> bool:
    if type(q) is wq.Term:
        return True
    if type(q) in (wq.And, wq.Or):
        if q.boost != 1.0 or (type(q) is wq.Or and (q.scale or q.minmatch)):
            return False
        return all(set_computable(c.query) if isinstance(c, wq.Not) else _scorable(c)
                   for c in q.subqueries)
    if type(q) is wq.AndNot:
        return q.boost == 1.0 and _scorable(q.a) and set_computable(q.b)
    if type(q) in (wq.Prefix, wq.Wildcard):
        return q.boost == 1.0       # scored by Whoosh as the Or of its expansions
    if _phrase_ok(q):
        return True                 # scored by Whoosh as the And of its words
    return False


def _term_scores(q, searcher, docs, lengths, cache):
    """(positions in ``docs``, scores) of the docs a Term query matches.

    Walks whichever side is shorter -- the term's postings or ``docs`` -- so a
    rare term (most words of a fuzzy expansion) costs its few postings, not a
    pass over the whole matched set."""
    import numpy as np
    ids, w = term_postings(searcher, q.fieldname, q.text, cache)
    field = searcher.schema[q.fieldname] if q.fieldname in searcher.schema else None
    if not ids.size or not docs.size or field is None:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    if ids.size < docs.size:
        pos = np.searchsorted(docs, ids)
        pos[pos >= docs.size] = 0
        hit = docs[pos] == ids
        where, tf = pos[hit], w[hit]
    else:
        idx = np.searchsorted(ids, docs)
        idx[idx >= ids.size] = 0
        hit = ids[idx] == docs
        where, tf = np.flatnonzero(hit), w[idx[hit]]
    btext = q.text.encode("utf-8") if isinstance(q.text, str) else q.text
    if field.scorable:
        k1, b = _whoosh.bm25_params(searcher.weighting)
        idf = searcher.idf(q.fieldname, btext)
        avgfl = searcher.avg_field_length(q.fieldname) or 1
        fl = lengths(q.fieldname)[docs[where]]
        sc = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))
    else:
        sc = tf
    return where, (sc * q.boost if q.boost != 1.0 else sc)


def score_docs(q, searcher, docs, lengths, cache=None, alive=None, exp=None):
    """Whoosh BM25F scores of ``q`` for the sorted docnums ``docs`` (all match)."""
    import numpy as np
    if type(q) is wq.Term:
        out = np.zeros(docs.size)
        where, sc = _term_scores(q, searcher, docs, lengths, cache)
        out[where] = sc
        return out
    if type(q) in (wq.And, wq.Or):
        # children added one after the other, as Whoosh's matchers sum them
        out = np.zeros(docs.size)
        for c in q.subqueries:
            if isinstance(c, wq.Not):
                # Whoosh's InverseMatcher scores 1.0 wherever the negated part is absent
                ids = _ids(c.query, searcher, alive, cache, exp)
                out += 0.0 if ids is None else ~np.isin(docs, ids)
            elif type(c) is wq.Term:
                where, sc = _term_scores(c, searcher, docs, lengths, cache)
                out[where] += sc
            else:
                out += score_docs(c, searcher, docs, lengths, cache, alive, exp)
        return out
    if type(q) is wq.AndNot:
        return score_docs(q.a, searcher, docs, lengths, cache, alive, exp)
    if type(q) in (wq.Prefix, wq.Wildcard):
        texts = expansions(q, searcher.reader(), exp)
        terms = [wq.Term(q.fieldname, t.decode("utf-8") if isinstance(t, bytes) else t)
                 for t in texts]
        return score_docs(wq.Or(terms), searcher, docs, lengths, cache, alive, exp)
    if _phrase_ok(q):
        out = np.zeros(docs.size)
        hit = np.isin(docs, phrase_ids(q, searcher, cache))
        if hit.any():
            out[hit] = score_docs(wq.And([wq.Term(q.fieldname, w) for w in q.words]),
                                  searcher, docs[hit], lengths, cache, alive)
        return out
    raise TypeError(f"not scorable here: {q!r}")
