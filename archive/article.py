"""The records the loader produces and every later stage consumes.

An :class:`Article` is the one shape a news story takes once it leaves the
loader: clean body text, metadata, the pieces cleaning removed (so no loss is
ever silent) and, after the entity stage, its resolved entities.  A file the
loader could not use becomes a :class:`Skipped` with a one-line reason, never
an exception.

Everything here is a plain dataclass so records can cross process boundaries
(the indexer loads files on both cores) and turn into JSON with ``to_dict``.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Optional

#: Entity types, as promised by the contract.
ENTITY_TYPES = ("person", "org", "place", "other")


@dataclass
class Removed:
    """One piece of text that cleaning took out, and why.

    ``kind`` is a short machine-readable label (``tweet``, ``related-links``,
    ``page-furniture``, ``duplicate-paragraph``, ``blank-lines``,
    ``html-boilerplate``, ...); ``text`` is what was removed, verbatim.
    """

    kind: str
    text: str


@dataclass
class EntityMention:
    """A resolved entity as it occurs in one article.

    ``name`` is the canonical name (the same string for every alias),
    ``type`` one of :data:`ENTITY_TYPES`, ``mentions`` how many times any of
    its surface forms occurs in the article, ``forms`` the surface forms seen.
    """

    name: str
    type: str
    mentions: int = 1
    forms: list[str] = field(default_factory=list)


@dataclass
class Article:
    """One clean news article.

    ``id`` follows the contract: the record's own id, else its URL, else its
    path relative to the source folder (``#L<n>`` appended for a JSONL line).
    ``published`` is an ISO date (``YYYY-MM-DD``) or ``None`` -- never a
    guess; ``date_source`` says where it came from (``metadata``, ``url``,
    ``text`` or ``None``).  ``scraped_at`` is when a scraper fetched the page
    (ISO time or day), kept apart from ``published`` and used to decide which
    re-scrape is newer.  ``author`` is ``authors`` joined with ", ".
    ``mentioned_dates`` are ISO dates the story itself states.
    """

    id: str
    path: str
    title: str
    body: str
    url: Optional[str] = None
    published: Optional[str] = None
    date_source: Optional[str] = None
    scraped_at: Optional[str] = None
    dateline: Optional[str] = None
    source: Optional[str] = None
    author: Optional[str] = None
    authors: list[str] = field(default_factory=list)
    format: str = "txt"
    mentioned_dates: list[str] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    #: alias pairs the text itself teaches, e.g. ("Tehreek-e-Taliban Pakistan", "TTP");
    #: filled by the entity stage and used corpus-wide by the resolver.
    alias_hints: list[tuple[str, str]] = field(default_factory=list)
    #: modification time of the file the article came from (for "newer wins").
    mtime: float = 0.0

    @property
    def content_hash(self) -> str:
        """A stable digest of what the index stores, for incremental reindex."""
        h = hashlib.sha1()
        for part in (self.id, self.title, self.body, self.url or "", self.published or "",
                     self.dateline or "", self.source or "", self.author or ""):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\x00")
        return h.hexdigest()

    def to_record(self) -> dict:
        """The article as the index stores it: one versioned, flat shape of
        plain values (``removed`` as ``[kind, text]`` pairs, ``mentioned`` the
        comma-joined dates) that the indexer's workers send, its spool keeps
        and its documents are made of.  ``vtime`` is the record's own time
        (:func:`archive.identity.version_time`).  Entities are not part of
        it: they depend on the whole archive, not on the article."""
        from .identity import version_time
        return {
            "v": RECORD_VERSION, "id": self.id, "url": self.url or "", "path": self.path,
            "title": self.title or "", "body": self.body or "", "source": self.source or "",
            "author": self.author or "", "authors": list(self.authors or ()),
            "dateline": self.dateline or "", "published": _iso_date(self.published), "date_source": self.date_source,
            "scraped_at": self.scraped_at,
            "mentioned": ",".join(d.replace(",", " ").strip()
                                  for d in self.mentioned_dates or () if d and d.strip()),
            "removed": [[r.kind, r.text] for r in self.removed or ()],
            "content_hash": self.content_hash, "mtime": self.mtime, "fmt": self.format,
            "vtime": version_time(self),
        }

    @classmethod
    def from_record(cls, rec: dict) -> "Article":
        """The article of :meth:`to_record` (or of an index's stored fields,
        the same shape without ``v``).  A record of a later version raises
        ``ValueError`` rather than being half read."""
        v = rec.get("v", RECORD_VERSION)
        if v != RECORD_VERSION:
            raise ValueError(f"article record version {v!r}; this version reads {RECORD_VERSION}")
        return cls(id=rec["id"], path=rec.get("path") or "", title=rec.get("title") or "",
                   body=rec.get("body") or "", url=rec.get("url") or None,
                   published=rec.get("published"), date_source=rec.get("date_source"),
                   scraped_at=rec.get("scraped_at"),
                   dateline=rec.get("dateline") or None, source=rec.get("source") or None,
                   author=rec.get("author") or None, authors=_names(rec.get("authors")),
                   format=rec.get("fmt") or "txt",
                   mentioned_dates=[d for d in (rec.get("mentioned") or "").split(",") if d],
                   removed=[Removed(k, t) for k, t in rec.get("removed") or ()],
                   mtime=rec.get("mtime") or 0.0)

    def to_dict(self) -> dict:
        """The JSON shape of ``newsarchive clean --json`` (one object per file)."""
        d = asdict(self)
        # ``forms``: how this article writes the entity ("U.S." for "United States").
        d["entities"] = [{"name": e.name, "type": e.type, "mentions": e.mentions,
                          "forms": list(e.forms)} for e in self.entities]
        d["removed"] = [{"kind": r.kind, "text": r.text} for r in self.removed]
        d["alias_hints"] = [list(p) for p in self.alias_hints]
        d.pop("mtime", None)
        return d


#: Layout of :meth:`Article.to_record`.
RECORD_VERSION = 1


def _iso_date(value) -> Optional[str]:
    """``YYYY-MM-DD`` of a published value, or None for anything else."""
    if not value:
        return None
    value = str(value)[:10]
    try:
        import datetime as dt
        dt.date.fromisoformat(value)
        return value
    except ValueError:
        return None


def _names(value) -> list[str]:
    """A list of names from a record (a list) or from an index's stored
    comma-joined ``authors`` field (a string)."""
    if isinstance(value, str):
        return [v for v in value.split(",") if v]
    return list(value or ())


@dataclass
class Skipped:
    """A file (or JSONL line) the loader could not turn into an article."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"
