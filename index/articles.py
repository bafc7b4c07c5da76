"""Stored fields -> the article dicts the outside sees, one mapping for all.

Three answers show an article: ``Index.get`` (the whole article),
the short entries of same-story lists, related articles and entity pages
(:func:`brief`), and a search hit (:func:`hit`, whose ``to_dict`` is the
contract JSON and whose fields are the CSV export's row).  Each key's meaning
is written once, in :data:`READ`, so the three cannot drift apart: an empty
stored ``url`` is ``None`` everywhere, ``authors`` is split the same way
everywhere.  Key order is part of the JSON bytes, so the key tuples below keep
the order the answers always had.
"""
from __future__ import annotations

from typing import Callable, Optional

from .results import Hit

def iso_time(t) -> Optional[str]:
    """A stored epoch time (a version's scrape or modified time) as the
    contract's UTC ``YYYY-MM-DDTHH:MM:SSZ``, or None."""
    if t is None:
        return None
    import datetime as dt
    return dt.datetime.fromtimestamp(float(t), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


#: outside key -> how it reads from one document's stored fields.
READ: dict[str, Callable[[dict], object]] = {
    "id": lambda f: f["id"],
    "title": lambda f: f.get("title") or "",
    "body": lambda f: f.get("body") or "",
    "url": lambda f: f.get("url") or None,
    "published": lambda f: f.get("published"),
    "date_source": lambda f: f.get("date_source"),
    "dateline": lambda f: f.get("dateline") or None,
    "source": lambda f: f.get("source") or None,
    "author": lambda f: f.get("author") or None,
    # stored comma-joined: "Jo Smith,Ali Khan" -> ["Jo Smith", "Ali Khan"]
    "authors": lambda f: [a for a in (f.get("authors") or "").split(",") if a],
    # the record's own scrape/modified time: the newest version's time in page history
    "scraped_at": lambda f: iso_time(f.get("vtime")),
    "path": lambda f: f.get("path"),
    "removed": lambda f: [{"kind": k, "text": t} for k, t in (f.get("removed") or [])],
    "mentioned_dates": lambda f: [d for d in (f.get("mentioned") or "").split(",") if d],
    "story": lambda f: f.get("story"),
}

#: The short entry: same-story versions, related articles, entity pages.
BRIEF = ("id", "title", "published", "source", "url")
#: ``Index.get`` before its entities; ``removed`` and after follow them.
FULL_HEAD = ("id", "title", "body", "url", "published", "date_source", "dateline",
             "source", "author", "authors", "scraped_at", "path")
FULL_TAIL = ("removed", "mentioned_dates", "story")


def _pick(f: dict, keys) -> dict:
    return {k: READ[k](f) for k in keys}


def rounded(score) -> Optional[float]:
    """A relevance score as answers show it (4 decimals), or None."""
    return None if score is None else round(float(score), 4)


def entity_refs(f: dict) -> list[dict]:
    """``[{"name", "type"}]``: the entities as a hit lists them."""
    return [{"name": n, "type": t} for n, t, _ in (f.get("entities") or [])]


def brief(f: dict, score=None) -> dict:
    """``{id, title, published, source, url}``, plus ``score`` when given."""
    d = _pick(f, BRIEF)
    if score is not None:
        d["score"] = rounded(score)
    return d


def newest_first(briefs) -> list[dict]:
    """Brief entries newest first (undated last), ties by id descending:
    the order every same-story list has."""
    return sorted(briefs, key=lambda d: (d["published"] or "", d["id"]), reverse=True)


def full(f: dict, forms: dict, same_story: list) -> dict:
    """The whole article (``Index.get``): ``forms`` maps each canonical entity
    to the surface forms this article uses for it, ``same_story`` is the
    sorted ids of the other versions of its story."""
    d = _pick(f, FULL_HEAD)
    d["entities"] = [{"name": n, "type": t, "mentions": c, "forms": forms.get(n) or [n]}
                     for n, t, c in (f.get("entities") or [])]
    d.update(_pick(f, FULL_TAIL))
    d["same_story"] = same_story
    return d


def hit(f: dict, snippet: str, score, versions: list) -> Hit:
    """A search hit: the brief keys, its snippet and score, its entities and
    its story's other ``versions`` (brief entries, newest first), read with
    the hit so neither a page nor a CSV export needs a call per hit."""
    b = _pick(f, BRIEF)
    return Hit(id=b["id"], title=b["title"], published=b["published"], source=b["source"],
               url=b["url"], snippet=snippet, score=rounded(score),
               entities=entity_refs(f), same_story=sorted(d["id"] for d in versions),
               versions=versions, author=READ["author"](f))
