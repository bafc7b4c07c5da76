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

from .schema import fold

MAX_QUERY_CHARS = 1000
MAX_DEPTH = 16
MAX_EXPANSION = 2000        # terms a single prefix/wildcard/fuzzy may expand to
FIELD_ALIASES = {"title": "title", "body": "body", "text": "body", "entity": "entity",
                 "source": "source", "author": "author", "dateline": "dateline"}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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

def make_parser(schema):
    parser = qparser.MultifieldParser(["title", "body"], schema=schema,
                                      group=qparser.AndGroup)
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


def _field_rename(text: str) -> str:
    """``text:foo`` -> ``body:foo``; unknown ``field:`` prefixes are left for
    the parser, which treats them as plain words."""
    def sub(m):
        name = m.group(1).lower()
        return FIELD_ALIASES.get(name, m.group(1)) + ":"
    return re.sub(r"\b([A-Za-z_]+):", sub, text)


def parse(parser, text: str, resolve_entity=None):
    """Parse ``text`` into a Whoosh query (None for a browse / empty query)."""
    text = clean_text(text)
    if not text:
        return None
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long ({len(text)} characters; the limit is "
                         f"{MAX_QUERY_CHARS})")
    if _depth(text) > MAX_DEPTH:
        raise QueryError(f"query nested too deeply (more than {MAX_DEPTH} parentheses)")
    if text.count('"') % 2:
        raise QueryError('unbalanced quotes: close the phrase with another "')
    if text.strip() in ("*", "?"):
        return None          # "everything" -- browse
    try:
        q = parser.parse(_field_rename(text))
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
    if isinstance(q, (wq.Term, wq.Phrase, wq.Prefix, wq.Wildcard, wq.FuzzyTerm)) \
            and getattr(q, "fieldname", None) == "entity":
        words = _words(q)
        if isinstance(words, bytes):
            words = words.decode("utf-8", "replace")
        return wq.Term("entity", entity_key(words, resolve_entity))
    if hasattr(q, "subqueries"):
        q.subqueries = [_rewrite(s, resolve_entity) for s in q.subqueries]
        return q
    if hasattr(q, "child"):
        q.child = _rewrite(q.child, resolve_entity)
        return q
    return q


def entity_key(name: str, resolve_entity=None) -> str:
    """The indexed key of the entity ``name`` names (any alias)."""
    name = clean_text(name)
    if resolve_entity:
        hit = resolve_entity(name)
        if hit:
            return fold(hit[0])
    return fold(name)


def check_expansions(q, reader):
    """Refuse multi-term queries that would expand to too many index words."""
    if q is None:
        return
    for sub in _leaves(q):
        if isinstance(sub, wq.MultiTerm):
            try:
                n = sum(1 for _ in itertools.islice(sub._btexts(reader), MAX_EXPANSION + 1))
            except Exception:  # noqa: BLE001
                n = 0
            if n > MAX_EXPANSION:
                raise QueryError(f"{sub} matches too many words (more than "
                                 f"{MAX_EXPANSION}); make it more specific")


def _leaves(q, skip_not=False):
    if skip_not and isinstance(q, wq.Not):
        return
    if hasattr(q, "subqueries"):
        for s in q.subqueries:
            yield from _leaves(s, skip_not)
    elif hasattr(q, "child"):
        yield from _leaves(q.child, skip_not)
    else:
        yield q


def plain_words(q) -> list[tuple[str, str]]:
    """(field, text) of the plain positive terms, for did-you-mean."""
    out = []
    for leaf in _leaves(q) if q is not None else ():
        if type(leaf) is wq.Term and leaf.fieldname in ("title", "body"):
            t = leaf.text
            out.append((leaf.fieldname, t.decode() if isinstance(t, bytes) else t))
    return out
