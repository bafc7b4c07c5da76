"""JSON articles: ``.json`` (one article, or a list of them) and ``.jsonl``.

Exports from scrapers, CMSs and datasets name the same things differently;
the common names are understood (the contract's list, plus a few obvious
variants):

=========  ==========================================================
field      accepted keys (first one present wins)
=========  ==========================================================
id         id, _id, guid, uuid
title      title, headline, name
body       body, text, content, articleBody, article, story
published  published, date, datePublished, published_at, pubDate, ...
url        url, link, href, canonical_url
author     author, authors, byline, creator (string, list or {"name"})
source     source, publisher, site_name, site, outlet (string or {"name"})
dateline   dateline
scraped_at scraped_at, crawled_at, fetched, retrieved_at, date_download ...
=========  ==========================================================

A body that holds HTML markup is reduced to its text, paragraph by
paragraph.  JSONL is read line by line (:func:`archive.load.load_line`) --
a 50 MB export is never held in memory at once -- and a line that does not parse becomes a ``Skipped`` with
``path#L<n>`` while the other lines still load.
"""
from __future__ import annotations

import json
import re
from typing import Union

from .article import Article, Skipped
from .assemble import build_article

FIELDS = {
    "id": ("id", "_id", "guid", "uuid"),
    "title": ("title", "headline", "name"),
    "body": ("body", "text", "content", "articlebody", "article", "story", "maintext", "full_text"),
    "published": ("published", "date", "datepublished", "published_at", "publishedat",
                  "publication_date", "pubdate", "date_published", "created_at", "timestamp"),
    "url": ("url", "link", "href", "canonical_url", "permalink"),
    "author": ("author", "authors", "byline", "creator", "writer"),
    "source": ("source", "publisher", "site_name", "sitename", "site", "outlet", "source_name"),
    "dateline": ("dateline",),
    # the scraper's clock: never a publication date (see archive.published)
    "scraped_at": ("scraped_at", "scrapedat", "scraped", "crawled_at", "crawledat", "crawled",
                   "crawl_date", "crawl_time", "fetched", "fetched_at", "fetchedat", "fetch_time",
                   "retrieved_at", "retrieved", "downloaded_at", "date_download", "scrape_date",
                   "scrape_time", "date_crawled", "date_scraped", "accessed", "accessed_at"),
}
#: accepted key -> (its field, its place in the field's keys)
_KEY_FIELD = {k: (field, rank) for field, keys in FIELDS.items() for rank, k in enumerate(keys)}
_HTML_BODY = re.compile(r"<(?:p|div|br|span|a|em|strong|h[1-6]|li|blockquote)\b[^>]*>", re.I)


def _name(value):
    """A person or publisher as a string: "X", ["X", "Y"] or {"name": "X"}."""
    if isinstance(value, dict):
        return _name(value.get("name") or value.get("title"))
    if isinstance(value, (list, tuple)):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(names) if names else None
    if value is None or isinstance(value, bool):
        return None
    return str(value).strip() or None


def pick_fields(record: dict) -> dict:
    """Map a record's own key names onto the archive's field names."""
    lower = {str(k).lower().replace("-", "_"): v for k, v in record.items()}
    lower.update({k.replace("_", ""): v for k, v in list(lower.items()) if "_" in k and
                  k.replace("_", "") not in lower})
    # each field takes its first accepted key that holds a value: the record's
    # few keys are looked up (_KEY_FIELD), not the ~80 accepted ones in it
    best: dict = {}
    for k, v in lower.items():
        hit = _KEY_FIELD.get(k)
        if hit is not None and v not in (None, "", [], {}):
            field, rank = hit
            if field not in best or rank < best[field][0]:
                best[field] = (rank, v)
    out = {field: best[field][1] for field in FIELDS if field in best}
    for field in ("source", "title"):  # authors stay a list: archive.sources.authors_of
        if field in out:
            out[field] = _name(out[field])
    if isinstance(out.get("url"), (dict, list)):
        out.pop("url")
    return out


def _html_to_text(body: str) -> str:
    from bs4 import BeautifulSoup  # only for the rare HTML-in-JSON body

    soup = BeautifulSoup(body, "html.parser")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    return soup.get_text("\n")


def record_to_article(record, *, path: str, rel_path: str, mtime: float, fmt: str,
                      where: str | None = None) -> Union[Article, Skipped]:
    """One JSON object -> Article (or Skipped with the reason, reported at ``where``)."""
    where = where or path
    if not isinstance(record, dict):
        return Skipped(where, f"not a JSON object but a JSON {type(record).__name__}")
    f = pick_fields(record)
    body = f.get("body")
    if isinstance(body, list):
        body = "\n".join(str(x) for x in body if x is not None)
    if not isinstance(body, str) or not body.strip():
        return Skipped(where, "no article text (no body/text/content field)")
    if _HTML_BODY.search(body):
        body = _html_to_text(body)
    return build_article(path=path, rel_path=rel_path, text=body, fmt=fmt, mtime=mtime,
                         record_id=f.get("id"), title=f.get("title"), url=f.get("url"),
                         published=f.get("published"), author=f.get("author"),
                         source=f.get("source"), dateline=f.get("dateline"), where=where,
                         scraped_at=f.get("scraped_at"))


def parse_json(text: str, *, path: str, rel_path: str, mtime: float) -> list:
    """A ``.json`` file: one object, or a list of objects (``path#<n>``)."""
    try:
        data = json.loads(text)
    except ValueError as e:
        return [Skipped(path, f"invalid JSON: {e}")]
    if isinstance(data, list):
        if not data:
            return [Skipped(path, "empty JSON list")]
        return [record_to_article(r, path=path, rel_path=f"{rel_path}#{i}", mtime=mtime, fmt="json",
                                  where=f"{path}#{i}")
                for i, r in enumerate(data, 1)]
    return [record_to_article(data, path=path, rel_path=rel_path, mtime=mtime, fmt="json")]
