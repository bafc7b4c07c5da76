"""From raw fields to an :class:`Article`: the steps every input format shares.

Each format module (text, HTML, JSON) only knows how to pull raw fields out
of its files -- text, and whatever metadata the format carries.  This module
turns those fields into an article the same way for all of them: clean the
text (recording what went), find the title and dateline, settle the
published date, and pick the id.
"""
from __future__ import annotations

from typing import Optional, Union

from . import dates
from .article import Article, Removed, Skipped
from .clean import clean_paragraphs, clean_text
from .titles import derive_title, is_headline, split_dateline

#: Removed pieces whose dates still count as the article's: an embedded tweet
#: is quoted material of the story (seed 001's minister's post is dated
#: "October 30, 2025").  Related links and furniture belong to other pages.
_DATED_REMOVALS = {"tweet"}


def _text_of(value) -> Optional[str]:
    if value is None:
        return None
    s = " ".join(str(value).split())
    return s or None


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
                  where: Optional[str] = None,
                  ) -> Union[Article, Skipped]:
    """Clean ``text`` (or ready-made ``paragraphs``) and assemble the article.

    ``title``, ``published``, ... are the metadata the format supplied, raw;
    missing ones are found in the text where the text can say (title,
    dateline, published) and left ``None`` where it cannot (author, source).
    ``headline_in_text=False`` when the format keeps its title elsewhere (an
    HTML page), so that a short first paragraph is not taken for one.
    """
    removed = list(removed or [])
    if paragraphs is None:
        paras, removed = clean_text(text, removed)
    else:
        paras = clean_paragraphs(paragraphs, removed)
    title = _text_of(title)
    if paras and title and " ".join(paras[0].split()).casefold() == title.casefold():
        paras = paras[1:]  # the headline repeated as the first line of the body
    elif paras and not title and headline_in_text and is_headline(paras[0], paras[1:]):
        title, paras = paras[0], paras[1:]
    dateline = _text_of(dateline)
    if paras:
        place, rest = split_dateline(paras[0])
        if place:
            dateline = dateline or place
            paras[0] = rest
    id_ = make_id(record_id, _text_of(url), rel_path)
    if not paras:
        return Skipped(where or path, "no article text (nothing left after cleaning)")
    body = "\n\n".join(paras)
    if not title:
        title = derive_title(paras[0])

    dated_text = "\n".join([body] + [r.text for r in removed if r.kind in _DATED_REMOVALS])
    mentioned = dates.mentioned_dates(dated_text)
    pub = dates.parse_date(published) if published is not None else None
    if pub:
        source_of_date = "metadata"
    else:
        pub = dates.published_from_text(mentioned)
        source_of_date = "text" if pub else None

    return Article(
        id=id_, path=path, title=title, body=body, url=_text_of(url), published=pub,
        date_source=source_of_date, dateline=dateline, source=_text_of(source),
        author=_text_of(author), format=fmt, mentioned_dates=mentioned, removed=removed,
        mtime=mtime,
    )
