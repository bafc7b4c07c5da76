"""From raw fields to an :class:`Article`: the steps every input format shares.

Each format module (text, HTML, JSON) only knows how to pull raw fields out
of its files -- text, and whatever metadata the format carries.  This module
turns those fields into an article the same way for all of them: clean the
text (recording what went), find the title and dateline, settle the
published date (:mod:`archive.published`), the source and the authors
(:mod:`archive.sources`), and pick the id.
"""
from __future__ import annotations

from typing import Optional, Sequence, Union

from . import dates
from .article import Article, Removed, Skipped
from .clean import clean_paragraphs, clean_text
from .published import settle
from .sources import (SOURCE_CAP, TITLE_CAP, authors_of, byline, cap, choose_source,
                      drop_section_prefix, source_line, split_title_suffix, squeeze)
from .titles import derive_title, is_headline, split_dateline

#: Removed pieces whose dates still count as the article's: an embedded tweet
#: is quoted material of the story (seed 001's minister's post is dated
#: "October 30, 2025").  Related links and furniture belong to other pages.
_DATED_REMOVALS = {"tweet"}


def make_id(record_id, url: Optional[str], rel_path: str) -> str:
    """The contract's identity: the record's id, else its URL, else its path.

    Whitespace and control characters are squeezed out so the id can sit in a
    URL path (the web layer percent-quotes the rest, so it stays readable).
    """
    for cand in (record_id, url):
        if cand is not None and not isinstance(cand, (dict, list, bool)):
            s = "".join(ch for ch in str(cand).strip() if ch.isprintable() and not ch.isspace())
            if s:
                return s
    return rel_path


def build_article(*, path: str, rel_path: str, text: str, fmt: str, mtime: float = 0.0,
                  record_id=None, title=None, url=None, published=None, author=None,
                  source=None, dateline=None, removed: Optional[list[Removed]] = None,
                  paragraphs: Optional[list[str]] = None, headline_in_text: bool = True,
                  where: Optional[str] = None, scraped_at=None, site_name=None,
                  page_clock=None, head_lines: Sequence[str] = (), guessed_date=None,
                  ) -> Union[Article, Skipped]:
    """Clean ``text`` (or ready-made ``paragraphs``) and assemble the article.

    ``title``, ``published``, ... are the metadata the format supplied, raw;
    missing ones are found in the text where the text can say (title,
    dateline, published, source) and left ``None`` where it cannot.
    ``headline_in_text=False`` when the format keeps its title elsewhere (an
    HTML page), so that a short first paragraph is not taken for one.
    ``scraped_at`` is the record's scrape time; ``site_name`` an HTML page's
    ``og:site_name``; ``page_clock`` and ``head_lines`` what an HTML page
    displays about its time and publication (see :mod:`archive.published`).
    """
    removed = list(removed or [])
    if paragraphs is None:
        paras, removed = clean_text(text, removed)
    else:
        paras = clean_paragraphs(paragraphs, removed)
    url = squeeze(url, 2000)
    declared = squeeze(source, SOURCE_CAP)
    title, title_site = split_title_suffix(squeeze(title, TITLE_CAP * 4), declared or squeeze(
        site_name, SOURCE_CAP), url)
    title = cap(drop_section_prefix(title), TITLE_CAP)
    if paras and title and " ".join(paras[0].split()).casefold() == title.casefold():
        paras = paras[1:]  # the headline repeated as the first line of the body
    elif paras and not title and headline_in_text and is_headline(paras[0], paras[1:]):
        title, title_site = split_title_suffix(paras[0], declared, url)
        paras = paras[1:]
    head = list(head_lines) + paras[:3]  # before the dateline is lifted out of the lead
    dateline = squeeze(dateline, SOURCE_CAP)
    if paras:
        place, rest = split_dateline(paras[0])
        if place:
            dateline = dateline or place
            paras[0] = rest
    id_ = make_id(record_id, url, rel_path)
    if not paras:
        return Skipped(where or path, "no article text (nothing left after cleaning)")
    body = "\n\n".join(paras)
    if not title:
        title = derive_title(paras[0])

    dated_text = "\n".join([body] + [r.text for r in removed if r.kind in _DATED_REMOVALS])
    mentioned = dates.mentioned_dates(dated_text)
    full = dates.full_dates(head[0] + "\n" + dated_text if head else dated_text)
    settled = settle(published=published, url=url, scraped_at=scraped_at, mtime=mtime,
                     paras=head, full_dates=full, page_clock=page_clock,
                     head_lines=head_lines, guessed=guessed_date)
    line_source = next((source_line(r.text) for r in removed if r.kind == "source-line"), None)
    src = choose_source(declared=declared, site_name=site_name, title_site=title_site,
                        line_source=line_source, url=url)
    author, authors = byline(author, authors_of(author), src, url)

    return Article(
        id=id_, path=path, title=title, body=body, url=url, published=settled.published,
        date_source=settled.date_source, scraped_at=settled.scraped_at, dateline=dateline,
        source=src, author=author, authors=authors, format=fmt,
        mentioned_dates=mentioned, removed=removed, mtime=mtime,
    )
