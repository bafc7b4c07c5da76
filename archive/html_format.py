"""Saved news pages (``.html`` / ``.htm``).

Two tools, each for what it is good at:

- **trafilatura** finds the article's main text among menus, teasers,
  comment threads and footers.  Nothing hand-written matches it across
  thousands of site layouts, so it gets the page whole.
- **beautifulsoup4** reads the metadata the publisher declared: ``<meta>``
  tags, Open Graph (``og:*``, ``article:*``) and JSON-LD (schema.org
  ``NewsArticle`` and friends).  Declared metadata is what the publisher
  says; trafilatura's own guesses (title from ``<h1>``, date found by
  htmldate in the markup) are the fallback.
- What the page *shows* about its publication (a "Updated 14 March 2026"
  line under the headline, the time zone of its ``<time>`` elements) is
  read by :mod:`archive.pagehead`.

A page nested deeper than lxml's 255 levels comes back from trafilatura
empty; its ``<p>`` elements are read as they stand instead (and the
``removed`` record says so).

Before trafilatura runs, embedded tweets (``blockquote.twitter-tweet``) are
taken out of the page and recorded as ``Removed("tweet", ...)``: they are
quotes of someone else's post, not the article's text, and trafilatura
would otherwise keep them as ordinary paragraphs.  What trafilatura leaves
out (navigation, teasers, footers...) is recorded as one
``Removed("html-boilerplate", ...)`` summary rather than line by line.
"""
from __future__ import annotations

import json
import re
from typing import Optional

import trafilatura
import warnings
from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

from .article import Removed, Skipped
from .assemble import build_article
from .dates import parse_date
from .pagehead import INVISIBLE, head_lines, head_pieces, page_clock, shown_times, visible_strings
from .sources import TITLE_CAP, authors_of, squeeze

_ARTICLE_TYPES = {"newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                  "opinionnewsarticle", "backgroundnewsarticle", "report", "scholarlyarticle",
                  "techarticle", "liveblogposting", "socialmediaposting", "webpage", "review",
                  "newsmediaorganization"}
_URLISH = re.compile(r"^(?:https?:)?//|^www\.", re.I)


def _meta(soup: BeautifulSoup) -> dict[str, str]:
    """``<meta>`` tags by lower-cased name/property/itemprop (first one wins)."""
    out: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        content = tag.get("content")
        if not content or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            key = tag.get(attr)
            if key:
                out.setdefault(key.strip().lower(), content.strip())
    return out


def _jsonld_objects(soup: BeautifulSoup) -> list[dict]:
    """Every JSON-LD object of an article-like type, outermost first.

    The walk is iterative and a block too deeply nested for the JSON parser
    (a 5,000-deep trap) is passed over like broken JSON: it is no metadata,
    and the page's text still loads.
    """
    found: list[dict] = []
    for tag in soup.find_all("script", type=re.compile(r"ld\+json", re.I)):
        raw = tag.string or tag.get_text()
        if not raw or not raw.strip():
            continue
        try:
            data = json.loads(raw.strip().rstrip(";"), strict=False)
        except (ValueError, RecursionError):
            continue  # a publisher's broken JSON-LD is just no metadata
        stack, seen = [data], 0
        while stack and seen < 10_000:
            node = stack.pop()
            seen += 1
            if isinstance(node, list):
                stack.extend(reversed(node))
            elif isinstance(node, dict):
                types = node.get("@type")
                types = types if isinstance(types, list) else [types]
                if any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in types):
                    found.append(node)
                if "@graph" in node:
                    stack.append(node["@graph"])
    # Articles before generic web pages.
    found.sort(key=lambda o: str(o.get("@type")).lower() in ("webpage", "['webpage']"))
    return found


def _names(value) -> Optional[str]:
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_names(v) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) if names else None
    if isinstance(value, str):
        v = " ".join(value.split())
        return v if v and not _URLISH.match(v) else None
    return None


def _first(*values) -> Optional[str]:
    for v in values:
        if isinstance(v, str) and v.strip():
            return " ".join(v.split())
    return None


def _author(*candidates) -> Optional[str]:
    """The first candidate that names a person or agency (not a URL, not "admin")."""
    for c in candidates:
        if isinstance(c, str) and authors_of(c):
            return c
    return None


def page_metadata(soup: BeautifulSoup) -> dict:
    """title, published, author, source, url as the page declares them."""
    meta = _meta(soup)
    ld = _jsonld_objects(soup)
    ld0 = ld[0] if ld else {}

    def ld_get(key):
        for o in ld:
            if o.get(key):
                return o.get(key)
        return None

    canonical = soup.find("link", rel=lambda r: r and "canonical" in r)
    main_entity = ld0.get("mainEntityOfPage")
    if isinstance(main_entity, dict):
        main_entity = main_entity.get("@id") or main_entity.get("url")
    url = _first(canonical.get("href") if canonical else None, meta.get("og:url"),
                 ld0.get("url") if isinstance(ld0.get("url"), str) else None,
                 main_entity if isinstance(main_entity, str) else None)
    if url and not re.match(r"^https?://", url):
        url = None  # a relative canonical link says nothing about the site

    published = None
    for cand in (ld_get("datePublished"), meta.get("article:published_time"),
                 meta.get("og:published_time"), meta.get("datepublished"), meta.get("date"),
                 meta.get("pubdate"), meta.get("publishdate"), meta.get("publish-date"),
                 meta.get("publication_date"), meta.get("sailthru.date"), meta.get("parsely-pub-date"),
                 meta.get("dc.date.issued"), meta.get("dc.date"), meta.get("dcterms.date"),
                 meta.get("dcterms.created"), meta.get("article.published"), ld_get("dateCreated")):
        if isinstance(cand, list):
            cand = cand[0] if cand else None
        if parse_date(cand):
            published = cand
            break

    author = _author(_names(ld_get("author")), *(meta.get(k) for k in (
        "author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl")))

    publisher = ld_get("publisher")
    source = _first(_names(publisher), meta.get("publisher"), meta.get("dc.publisher"),
                    meta.get("application-name"))
    title = _first(meta.get("og:title"), _names(ld_get("headline")), meta.get("twitter:title"),
                   meta.get("dc.title"))
    return {"title": title, "published": published, "author": author, "source": source, "url": url,
            "site_name": _first(meta.get("og:site_name"))}


_TITLE_SEPARATOR = re.compile(r"\s+(?:[|·•»:]|::|[-–—])\s+")


def _site_words(text: str) -> str:
    return re.sub(r"[^\w]+", "", text.casefold().replace("www.", ""))


def strip_site_name(title: Optional[str], source: Optional[str], url: Optional[str],
                    headings: list[str]) -> Optional[str]:
    """``"Story - Site Name"`` -> ``"Story"``.

    The tail after the last separator is cut when it names the site (the
    declared site name, or the URL's host) or when the part before it is the
    page's own ``<h1>``.  A tail that is just more of the headline stays.
    """
    if not title:
        return title
    parts = list(_TITLE_SEPARATOR.finditer(title))
    if not parts:
        return title
    last = parts[-1]
    head, tail = title[: last.start()].strip(), title[last.end():].strip()
    if not head:
        return title
    site = {_site_words(source or "")} - {""}
    host = re.sub(r"^https?://(?:www\.)?", "", url or "").split("/")[0]
    if host:
        site |= {_site_words(host), _site_words(host.rsplit(".", 1)[0])}
    t = _site_words(tail)
    if t and (t in site or any(t in s or s in t for s in site if len(s) > 3)
              or "." in tail and " " not in tail):
        return head
    if any(" ".join(h.split()).casefold() == head.casefold() for h in headings):
        return head
    return title


def _prefer_heading(title: Optional[str], headings: list[str]) -> Optional[str]:
    """The page's single ``<h1>`` when it is the same story's headline.

    Social titles (``og:title``) are often rewritten for sharing; the
    headline a reader sees is the ``<h1>``.  It wins when there is exactly one,
    it is headline-sized, and it shares words with the declared title (so a
    site logo or section name in an ``<h1>`` does not).
    """
    if len(headings) != 1 or not 3 <= len(headings[0].split()) <= 40:
        return title
    if not title:
        return headings[0]
    h = set(headings[0].casefold().split())
    t = set(title.casefold().split())
    return headings[0] if len(h & t) >= 0.3 * len(t) else title


def _remove_tweets(soup: BeautifulSoup) -> list[Removed]:
    removed = []
    for bq in soup.select("blockquote.twitter-tweet, blockquote.twitter-video"):
        text = " ".join(bq.get_text(" ").split())
        if text:
            removed.append(Removed("tweet", text))
        bq.decompose()
    return removed


def _visible_words(soup: BeautifulSoup) -> int:
    body = soup.body or soup
    return sum(len(s.split()) for s in body.find_all(string=True)
               if s.parent is not None and s.parent.name not in INVISIBLE)


def _fallback_text(soup: BeautifulSoup) -> str:
    """The page's paragraphs, for a page trafilatura cannot read.

    lxml gives up on trees nested more than 255 elements deep, so a real
    article wrapped in 300 ``<div>``s comes back empty.  Its ``<p>``
    elements (or, with none, its visible text) are the article then.
    """
    paras = [" ".join(p.get_text(" ").split()) for p in soup.find_all("p")]
    paras = [p for p in paras if len(p.split()) >= 3]
    if not paras:
        paras = [t for t in visible_strings(soup, limit=5000) if len(t.split()) >= 3]
    return "\n".join(paras)


def _depth_over(soup: BeautifulSoup, limit: int = 250) -> bool:
    """Is any element nested more than ``limit`` deep? (one pass, no recursion)"""
    for tag in soup.find_all(True):
        if sum(1 for _ in tag.parents) > limit:
            return True
    return False


def parse_html(text: str, *, path: str, rel_path: str, mtime: float):
    """One saved page -> one Article (or Skipped)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(text, "lxml")
    if soup.find() is None:
        return Skipped(path, "no HTML content")
    meta = page_metadata(soup)
    meta["title"] = squeeze(meta["title"], TITLE_CAP * 4)
    removed = _remove_tweets(soup)
    page_words = _visible_words(soup)
    doc = trafilatura.bare_extraction(
        str(soup), url=meta["url"], with_metadata=True, include_comments=False,
        include_tables=True, include_images=False, deduplicate=False)
    main = (doc.text or "").strip() if doc is not None else ""
    if not main and page_words >= 5 and _depth_over(soup):
        main = _fallback_text(soup)
        if main:
            removed.append(Removed("html-boilerplate", "page nested too deeply for trafilatura; "
                                                       "its paragraphs were read as they stand"))
    if not main:
        return Skipped(path, "no article text found in the page"
                       + (" (scripts only)" if page_words < 5 and soup.find("script") else ""))
    kept = len(main.split())
    if page_words > kept:
        removed.append(Removed("html-boilerplate",
                               f"about {page_words - kept} words of page text outside the article "
                               f"(navigation, teasers, footers, comments) left out by trafilatura"))
    url = meta["url"] or (doc.url if doc is not None else None)
    headings = [" ".join(h.get_text(" ").split())[:TITLE_CAP * 4] for h in soup.find_all("h1", limit=5)]
    title = strip_site_name(meta["title"] or (doc.title if doc is not None else None),
                            meta["source"] or meta["site_name"], url, headings)
    title = _prefer_heading(title, headings)
    published = meta["published"]
    author = _author(meta["author"], doc.author if doc is not None else None)
    # trafilatura puts one paragraph (or list item, table row) on each line.
    paragraphs = [" ".join(line.split()) for line in main.split("\n") if line.strip()]
    pieces = head_pieces(soup, title, paragraphs[0] if paragraphs else "")
    clock = page_clock(soup)
    return build_article(path=path, rel_path=rel_path, text=main, fmt="html", mtime=mtime,
                         paragraphs=paragraphs,
                         title=title, url=url,
                         published=published, author=author, source=meta["source"],
                         site_name=meta["site_name"], removed=removed, headline_in_text=False,
                         page_clock=clock[:2] + (shown_times(pieces),),
                         guessed_date=doc.date if doc is not None else None,
                         head_lines=head_lines(pieces))
