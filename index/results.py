"""What a search returns: plain dataclasses whose ``to_dict`` is the contract JSON."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

FACET_KEYS = ("person", "org", "place", "other", "year", "month", "day", "source", "author")


@dataclass
class Hit:
    id: str
    title: str
    published: Optional[str]
    source: Optional[str]
    url: Optional[str]
    snippet: str
    score: Optional[float]
    entities: list = field(default_factory=list)      # [{"name", "type"}]
    same_story: list = field(default_factory=list)    # [id, ...]
    #: The same_story versions as the result list shows them ({id, title,
    #: published, source, url}, newest first): read with the hit, so a page
    #: needs no call per hit.  Not part of the contract JSON.
    versions: list = field(default_factory=list, repr=False)
    #: The byline (CSV export), read with the hit; not part of the contract JSON.
    author: Optional[str] = None

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "published": self.published,
                "source": self.source, "url": self.url, "snippet": self.snippet,
                "score": self.score, "entities": [dict(e) for e in self.entities],
                "same_story": list(self.same_story)}

    def __getitem__(self, key):  # dict-style access for templates
        return getattr(self, key)


@dataclass
class SearchResult:
    """One page of a search.

    ``total`` counts matching *articles* (exact, whole result set) and
    ``stories`` the story groups they form (an article in no group counts as
    one); ``hits``
    shows one entry per story group, so a page may stand for more articles
    than ``per_page`` -- the others are listed in each hit's ``same_story``.
    """

    query: str = ""
    total: int = 0
    stories: int = 0                # story groups the matching articles form (exact)
    page: int = 1
    per_page: int = 10
    hits: list = field(default_factory=list)
    facets: dict = field(default_factory=lambda: {k: [] for k in FACET_KEYS})
    suggestion: Optional[str] = None
    error: Optional[str] = None
    sort: str = "relevance"
    entries: Optional[int] = None   # entries the whole list has (story groups when collapsed)

    @property
    def pages(self) -> int:
        n = self.total if self.entries is None else self.entries
        return max(1, -(-n // self.per_page)) if self.per_page else 1

    def to_dict(self) -> dict:
        d = {"query": self.query, "total": self.total, "stories": self.stories,
             "page": self.page,
             "per_page": self.per_page, "hits": [h.to_dict() for h in self.hits],
             "facets": {k: [dict(v) for v in self.facets.get(k, [])] for k in FACET_KEYS},
             "suggestion": self.suggestion}
        if self.error:
            d["error"] = self.error
        return d


@dataclass
class ReindexSummary:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    relinked: int = 0            # unchanged articles re-written for new entities/story groups
    skipped: list = field(default_factory=list)   # [(path, reason)]
    superseded: list = field(default_factory=list)  # [(path, id it belongs to)]: older versions
    clashes: list = field(default_factory=list)   # [{"source", "prefix", "clashes_with"}]
    articles: int = 0            # documents in the index afterwards
    seconds: float = 0.0
    full: bool = False
    phases: dict = field(default_factory=dict)   # seconds per reindex phase (benchmarks)

    def to_dict(self) -> dict:
        return {"added": self.added, "updated": self.updated, "removed": self.removed,
                "unchanged": self.unchanged, "relinked": self.relinked,
                "superseded": [{"path": p, "id": i} for p, i in self.superseded],
                "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
                "clashes": [dict(c) for c in self.clashes],
                "articles": self.articles, "seconds": round(self.seconds, 3),
                "full": self.full}

    def __str__(self) -> str:
        return (f"{self.added} added, {self.updated} updated, {self.removed} removed, "
                f"{self.unchanged} unchanged, {len(self.superseded)} superseded, "
                f"{len(self.skipped)} skipped "
                f"({self.articles} articles in the index, {self.seconds:.1f}s)")
