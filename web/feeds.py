"""Atom 1.0 feeds of a search: a journalist's alert for a query.

Subscribe to ``/search.atom?q=ceasefire&entity=TTP`` in any feed reader and
new articles matching it show up as they are indexed.  The feed is built with
ElementTree so every piece of text is escaped by the serializer, never by
hand, and characters XML 1.0 forbids (wire copy carries control characters
such as ``\\x03``) are dropped first: one of them would make the whole feed
unreadable.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Iterable, Optional
from urllib.parse import quote
from xml.etree import ElementTree as ET

from .security import is_web_url

ATOM_NS = "http://www.w3.org/2005/Atom"

#: How many entries a feed carries: the newest ones are what an alert is for.
FEED_ENTRIES = 50

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: Optional[object]) -> str:
    """``value`` as text XML 1.0 can hold."""
    if value is None:
        return ""
    return _XML_INVALID.sub("", str(value))


def entry_id(article_id: str) -> str:
    """A permanent, host-independent id (a tag URI, RFC 4151) for an article.

    Feed readers key on it to know an entry is not new, so it must not change
    when the archive moves to another host or port.
    """
    return "tag:newsarchive,2025:article/" + quote(article_id, safe="")


def rfc3339(iso_date: Optional[str], fallback: datetime) -> str:
    """An Atom date from an ISO ``YYYY[-MM[-DD]]`` date (midnight UTC)."""
    if iso_date:
        parts = iso_date[:10].split("-")
        try:
            nums = [int(p) for p in parts] + [1] * (3 - len(parts))
            return datetime(nums[0], nums[1], nums[2], tzinfo=timezone.utc).strftime(
                "%Y-%m-%dT%H:%M:%SZ")
        except (ValueError, IndexError):
            pass
    return fallback.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def describe(params) -> str:
    """Human title of a search: what the alert watches."""
    bits = []
    if params.q:
        bits.append(f"“{params.q}”")
    bits += params.entities
    if params.source:
        bits.append(f"source {params.source}")
    if getattr(params, "author", ""):
        bits.append(f"by {params.author}")
    if params.since or params.until:
        bits.append(f"{params.since or '…'} – {params.until or '…'}")
    return ", ".join(bits) if bits else "all articles"


def build_feed(*, title: str, feed_url: str, search_url: str, hits: Iterable,
               article_url, fallback_updated: datetime) -> bytes:
    """The Atom document (UTF-8 bytes) for ``hits`` (already newest first).

    ``article_url(id)`` gives the absolute URL of an article page;
    ``fallback_updated`` stands in for the date of undated articles (Atom
    requires one; the last reindex is when the archive learnt of them).

    Every ``href`` passes :func:`web.security.is_web_url`, the check the
    article page uses: an article's stored ``url`` of ``JAVASCRIPT:...``
    gets no link at all.
    """
    ET.register_namespace("", ATOM_NS)

    def el(parent, tag, text=None, **attrs):
        node = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
        if text is not None:
            node.text = xml_text(text)
        return node

    def link(parent, rel, href, **attrs):
        if is_web_url(href):
            el(parent, "link", rel=rel, href=href, **attrs)

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    el(feed, "title", f"newsarchive: {title}")
    el(feed, "subtitle", "Articles matching a saved search, newest first.")
    el(feed, "id", "tag:newsarchive,2025:search/" + quote(search_url.split("/", 3)[-1], safe="/?=&"))
    link(feed, "self", feed_url, type="application/atom+xml")
    link(feed, "alternate", search_url, type="text/html")
    el(feed, "generator", "newsarchive")
    author = el(feed, "author")
    el(author, "name", "newsarchive")
    updated = el(feed, "updated")

    newest = None
    for hit in hits:
        get = hit.get if isinstance(hit, dict) else (lambda k, h=hit: getattr(h, k, None))
        when = rfc3339(get("published"), fallback_updated)
        newest = max(newest or when, when)
        entry = el(feed, "entry")
        el(entry, "id", entry_id(get("id")))
        el(entry, "title", get("title") or "(untitled)")
        el(entry, "updated", when)
        if get("published"):
            el(entry, "published", when)
        link(entry, "alternate", article_url(get("id")), type="text/html")
        link(entry, "via", get("url"))
        if get("source"):
            src_author = el(entry, "author")
            el(src_author, "name", get("source"))
        for ent in get("entities") or ():
            name = ent.get("name") if isinstance(ent, dict) else getattr(ent, "name", None)
            kind = ent.get("type") if isinstance(ent, dict) else getattr(ent, "type", None)
            if name:
                el(entry, "category", term=name, label=f"{name} ({kind})" if kind else name)
        # The snippet is HTML (matches in <mark>); type="html" tells readers so,
        # and ElementTree escapes it once more for the XML layer.
        el(entry, "summary", get("snippet") or "", type="html")
    updated.text = newest or rfc3339(None, fallback_updated)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8",
                                                                       xml_declaration=False)
