"""What a search URL asks for, read defensively.

Every search-shaped route (the page, the JSON API, the Atom feed and the CSV
export) reads the same query string, so the reading lives here once.  Query
strings are user input in the rawest sense -- hand-edited, pasted, fuzzed -- so
nothing in here raises: a repeated parameter takes its first value, a page
number that is not a number is page 1, an absurd one is capped.  Whether a
date or a query *means* anything is the index's call (it answers with
``SearchResult.error``); this module only makes sure the values it passes on
are of the right type and of a sane size.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Optional

from flask import url_for
from werkzeug.datastructures import MultiDict

from index import LIMITS

#: Sorts the index understands; anything else falls back to relevance.
SORTS = ("relevance", "date", "oldest")

#: Deepest page anyone can ask for (the index's limit, see
#: :class:`index.QueryLimits`).  Bigger numbers are capped, not refused.
MAX_PAGE = LIMITS.page

#: Longest query string passed on (the index's limit): long enough for any
#: real boolean query, short enough that a pasted novel does not become a
#: 10,000-term query.
MAX_QUERY_CHARS = LIMITS.query_chars

#: At most this many entity filters; more is an attack, not a search.
MAX_ENTITIES = 20

#: Longest value accepted for a date, a source or an author filter.
MAX_SHORT = 100


def _names(values, *taken) -> tuple[str, ...]:
    """Cleaned, distinct, at most :data:`MAX_ENTITIES` (and none of ``taken``)."""
    out: list[str] = []
    for raw in values:
        name = _clean(raw, MAX_SHORT)
        if name and name not in out and name not in taken:
            out.append(name)
    return tuple(out[:MAX_ENTITIES])


def _clean(value: Optional[str], limit: int) -> str:
    """Strip, drop NULs (they upset more layers than they help) and cap."""
    if not value:
        return ""
    return value.replace("\x00", "").strip()[:limit]


@dataclass(frozen=True)
class SearchParams:
    """One search, as the URL states it."""

    q: str = ""
    entities: tuple[str, ...] = ()
    since: str = ""
    until: str = ""
    sort: str = "relevance"
    page: int = 1
    source: str = ""
    #: Entities the articles must not mention (``?exclude=``: the facets' "−").
    exclude: tuple[str, ...] = ()
    #: Only articles by this author (``?author=``: the author facet).
    author: str = ""
    #: Sources and authors left out (``?exclude_source=``, ``?exclude_author=``).
    exclude_sources: tuple[str, ...] = ()
    exclude_authors: tuple[str, ...] = ()
    #: ``?as_typed=1``: search the words as typed, even with no hits
    #: (otherwise a search with no hits shows its spelling suggestion's).
    as_typed: bool = False
    #: Set when the URL asked for something we changed (capped page...).
    notes: list = field(default_factory=list, compare=False, hash=False)

    # -- reading -------------------------------------------------------------
    @classmethod
    def from_args(cls, args: MultiDict) -> "SearchParams":
        notes: list[str] = []
        q = _clean(args.get("q"), MAX_QUERY_CHARS)
        if len(args.get("q") or "") > MAX_QUERY_CHARS:
            notes.append(f"The query was cut to its first {MAX_QUERY_CHARS} characters.")
        seen: list[str] = []
        for raw in args.getlist("entity"):
            name = _clean(raw, MAX_SHORT)
            if name and name not in seen:
                seen.append(name)
        entities = tuple(seen[:MAX_ENTITIES])
        excluded: list[str] = []
        for raw in args.getlist("exclude"):
            name = _clean(raw, MAX_SHORT)
            if name and name not in excluded and name not in entities:
                excluded.append(name)
        author = _clean(args.get("author"), MAX_SHORT)
        source = _clean(args.get("source"), MAX_SHORT)
        sort = args.get("sort", "relevance")
        if sort not in SORTS:
            sort = "relevance"
        raw_page = (args.get("page") or "1").strip()
        try:
            page = int(raw_page) if len(raw_page) <= 12 else MAX_PAGE + 1
        except ValueError:
            page = 1
        if page < 1:
            page = 1
        if page > MAX_PAGE:
            notes.append(f"Only the first {MAX_PAGE} pages can be shown.")
            page = MAX_PAGE
        return cls(q=q, entities=entities, since=_clean(args.get("since"), MAX_SHORT),
                   until=_clean(args.get("until"), MAX_SHORT), sort=sort, page=page,
                   source=source,
                   exclude=tuple(excluded[:MAX_ENTITIES]), author=author,
                   exclude_sources=_names(args.getlist("exclude_source"), source),
                   exclude_authors=_names(args.getlist("exclude_author"), author),
                   as_typed=(args.get("as_typed") or "") in ("1", "true", "yes"), notes=notes)

    # -- asking the index ----------------------------------------------------
    def search_kwargs(self, **overrides) -> dict:
        """Keyword arguments for ``Index.search``."""
        kw = dict(query=self.q, entities=list(self.entities), since=self.since or None,
                  until=self.until or None, sort=self.sort, page=self.page,
                  source=self.source or None)
        if self.exclude:        # only when used: Index.search gained it with the facets' "−"
            kw["exclude"] = list(self.exclude)
        if self.author:
            kw["author"] = self.author
        if self.exclude_sources:
            kw["exclude_sources"] = list(self.exclude_sources)
        if self.exclude_authors:
            kw["exclude_authors"] = list(self.exclude_authors)
        kw.update(overrides)
        return kw

    @property
    def is_filtered(self) -> bool:
        return bool(self.entities or self.since or self.until or self.source or self.exclude
                    or self.author or self.exclude_sources or self.exclude_authors)

    @property
    def is_empty(self) -> bool:
        """No query and no filter: the front page's "latest articles" browse."""
        return not self.q and not self.is_filtered

    # -- writing URLs --------------------------------------------------------
    def args(self) -> dict:
        """The query-string arguments that reproduce this search (defaults left out)."""
        out: dict = {}
        if self.q:
            out["q"] = self.q
        if self.entities:
            out["entity"] = list(self.entities)
        if self.since:
            out["since"] = self.since
        if self.until:
            out["until"] = self.until
        if self.source:
            out["source"] = self.source
        if self.exclude:
            out["exclude"] = list(self.exclude)
        if self.author:
            out["author"] = self.author
        if self.exclude_sources:
            out["exclude_source"] = list(self.exclude_sources)
        if self.exclude_authors:
            out["exclude_author"] = list(self.exclude_authors)
        if self.sort != "relevance":
            out["sort"] = self.sort
        if self.as_typed:
            out["as_typed"] = 1
        if self.page != 1:
            out["page"] = self.page
        return out

    def url(self, endpoint: str = "search.search", **changes) -> str:
        """URL of this search with some parameters changed.

        Any change other than ``page`` goes back to page 1: a new filter makes a
        new result list, and its page 7 may not exist.
        """
        url_options = {k: changes.pop(k) for k in list(changes) if k.startswith("_")}
        if "page" not in changes:
            changes["page"] = 1
        if "q" in changes and "as_typed" not in changes:
            changes["as_typed"] = False      # a new query gets its own correction
        return url_for(endpoint, **replace(self, **changes).args(), **url_options)

    def with_entity(self, name: str) -> str:
        exclude = tuple(e for e in self.exclude if e != name)
        if name in self.entities:
            return self.url(exclude=exclude)
        return self.url(entities=self.entities + (name,), exclude=exclude)

    def without_entity(self, name: str) -> str:
        return self.url(entities=tuple(e for e in self.entities if e != name))

    def excluding(self, name: str) -> str:
        """This search without the articles that mention ``name`` (NOT this entity)."""
        return self.url(entities=tuple(e for e in self.entities if e != name),
                        exclude=tuple(e for e in self.exclude if e != name) + (name,))

    def without_exclusion(self, name: str) -> str:
        return self.url(exclude=tuple(e for e in self.exclude if e != name))

    # sources and authors: one kept at a time, any number left out
    def with_source(self, name: str) -> str:
        """Only ``name``'s articles (clicked again: the filter goes)."""
        return self.url(source="" if name == self.source else name,
                        exclude_sources=tuple(e for e in self.exclude_sources if e != name))

    def excluding_source(self, name: str) -> str:
        return self.url(source="" if name == self.source else self.source,
                        exclude_sources=tuple(e for e in self.exclude_sources if e != name) + (name,))

    def with_author(self, name: str) -> str:
        return self.url(author="" if name == self.author else name,
                        exclude_authors=tuple(e for e in self.exclude_authors if e != name))

    def excluding_author(self, name: str) -> str:
        return self.url(author="" if name == self.author else self.author,
                        exclude_authors=tuple(e for e in self.exclude_authors if e != name) + (name,))

    def without_source_exclusion(self, name: str) -> str:
        return self.url(exclude_sources=tuple(e for e in self.exclude_sources if e != name))

    def without_author_exclusion(self, name: str) -> str:
        return self.url(exclude_authors=tuple(e for e in self.exclude_authors if e != name))

    def clear_filters(self) -> str:
        """This search with no filter at all."""
        return self.url(entities=(), exclude=(), since="", until="", source="", author="",
                        exclude_sources=(), exclude_authors=())
