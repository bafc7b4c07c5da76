"""Article identity: what an id is made of, and what may never be in one.

The contract's rule, in order: the record's own ``id`` field (JSON/JSONL);
else its absolute URL; else the source folder's name and the path inside it
(``corpus/000_x.txt``, ``dump/feed.jsonl#L12`` for a JSONL record).

Why the folder name is part of a path id: ids must not depend on the working
directory (``reindex corpus`` from ``/srv`` and from ``/srv/corpus/..`` give
the same ids), and two files with the same name in two sources
(``dawn/2025/1103.txt``, ``tribune/2025/1103.txt``) must stay two articles.
Two sources whose *folders* share a name are told apart by the index, which
keeps a registry of source folders and gives the second one a suffixed name
(see ``index.manifest``); this module only makes the ids.

Every id must link to its own article page, so an id never starts with
``/`` and never has a ``.`` or ``..`` path segment (a browser or Flask
normalises those away and the link then names another page).  A relative
URL (``/world/2025/11/03/roads``) is no identity at all -- it says nothing
about the site -- so such a record falls back to its path id.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

#: how an article's id was made (the indexer judges versions by it)
RECORD, URL, PATH = "record", "url", "path"

_UNSAFE_NAME = re.compile(r"[^\w.@+=-]+")


def source_name(root) -> str:
    """The id prefix of a source folder: its own name, made URL-safe."""
    name = Path(root).name or "source"
    name = _UNSAFE_NAME.sub("-", name).strip("-.") or "source"
    return name


def squeeze(value) -> Optional[str]:
    """A candidate id without whitespace and control characters, or None."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    s = "".join(ch for ch in str(value).strip() if ch.isprintable() and not ch.isspace())
    return s or None


def is_absolute_url(url: Optional[str]) -> bool:
    if not url:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def link_safe(id_: str) -> str:
    """``id_`` with no leading ``/`` and no ``.``/``..`` segment (percent-encoded
    instead, so distinct ids stay distinct and the id still reads the same)."""
    if "/" not in id_ and id_ not in (".", ".."):
        return id_
    scheme = ""
    m = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", id_)
    if m:
        scheme, id_ = m.group(), id_[m.end():]
    segs = id_.split("/")
    out = []
    for i, seg in enumerate(segs):
        if seg == "." or seg == "..":
            seg = seg.replace(".", "%2E")
        elif seg == "" and (i == 0 and not scheme):
            seg = "%2F"          # a leading slash
        out.append(seg)
    return scheme + "/".join(out)


def resolve(article, path_id: str, base_url: Optional[str] = None) -> str:
    """Fix ``article.id`` in place by the contract's rule; return its kind.

    ``path_id`` is the id the file (or JSONL line) would have by path.  The
    format parsers already chose record id > URL > path; here a relative URL
    is resolved against ``base_url`` when one is known, else dropped (the
    article keeps its path id), and every id is made link-safe.
    """
    url = squeeze(article.url)
    from_url = url is not None and article.id == url
    if article.id == path_id:
        kind = PATH
    elif from_url:
        kind = URL
    else:
        kind = RECORD
    if url and not is_absolute_url(url):
        absolute = None
        if base_url and is_absolute_url(base_url):
            from urllib.parse import urljoin
            absolute = urljoin(base_url, url)
        article.url = absolute
        if kind == URL:
            if absolute:
                article.id = absolute
            else:
                article.id, kind = path_id, PATH
    article.id = link_safe(article.id)
    return kind


def version_time(article) -> Optional[float]:
    """The record's own time (scrape, crawl or modification), as epoch seconds,
    or None.  Used before the file's mtime to tell which version is newer."""
    import datetime as dt
    for name in ("scraped_at", "crawled_at", "modified"):
        value = getattr(article, name, None)
        if not value:
            continue
        s = str(value).strip().replace("Z", "+00:00")
        try:
            t = dt.datetime.fromisoformat(s)
        except ValueError:
            try:
                t = dt.datetime.fromisoformat(s[:10])
            except ValueError:
                continue
        if t.tzinfo is None:
            t = t.replace(tzinfo=dt.timezone.utc)
        return t.timestamp()
    return None
