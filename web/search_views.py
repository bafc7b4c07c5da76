"""The search page, and the same search as an Atom feed or a CSV file.

All three read the URL with :class:`~web.params.SearchParams` and ask the
index once; they differ only in what they render.  A malformed query is not
an error of the app: the index answers it with a readable ``error`` and the
page shows it (HTTP 400) with the query box still filled in for fixing.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timezone

from flask import Blueprint, current_app, render_template, request, url_for

from . import export, feeds, histogram
import index as index_lib

from .index_access import absolute_url, get_index
from .entity_views import entity_href
from .params import MAX_PAGE, SearchParams

bp = Blueprint("search", __name__)

PER_PAGE = 10
#: Entity facet values shown per type before "more" (the index sends its top N).
FACET_LIMIT = 10
#: ... and at most this many behind "show more" (with a filter box).
FACET_MAX = 50
#: Entity chips shown under one result.
CHIPS_PER_HIT = 6

ENTITY_GROUPS = (("person", "People"), ("org", "Organisations"), ("place", "Places"),
                 ("other", "Other"))


def _effective(params: SearchParams) -> SearchParams:
    """With no query there is no relevance to rank by: browse newest first."""
    if not params.q and params.sort == "relevance":
        from dataclasses import replace
        return replace(params, sort="date")
    return params


@bp.get("/")
@bp.get("/search")
def search():
    params = SearchParams.from_args(request.args)
    ix = get_index()
    try:
        result = ix.search(**_effective(params).search_kwargs(per_page=PER_PAGE))
    except index_lib.QueryError as e:   # shown on the page, the query box still filled in
        result = index_lib.SearchResult(query=params.q, error=str(e))
    corrected = None
    if not result.error and result.total == 0 and result.suggestion and not params.as_typed:
        # "Showing results for Taliban -- search instead for Talibn": a query
        # with no hits whose suggestion has some shows the suggestion's hits.
        typed = params
        fixed = replace(params, q=result.suggestion)
        try:
            alt = ix.search(**_effective(fixed).search_kwargs(per_page=PER_PAGE))
        except ValueError:          # index.QueryError: the suggestion does not parse
            alt = None
        if alt is not None and not alt.error and alt.total:
            corrected = {"typed": typed.q, "shown": result.suggestion,
                         "instead": replace(typed, as_typed=True).url(page=1)}
            params, result = replace(fixed, notes=params.notes), alt
    facets = result.facets or {}

    hist = None
    if not result.error:
        hist = histogram.build(facets, result.total,
                               link_for=lambda since, until: params.url(since=since, until=until),
                               since=params.since, until=params.until)
    zoom = histogram.zoom_out(params.since, params.until)

    # "Also reported by ...": the other outlets that ran each grouped story
    # (each hit carries its versions: no call per hit).
    also = {hit.id: hit.versions for hit in result.hits if hit.versions}

    # Hits are story groups while ``total`` counts articles: the index says how
    # many entries (groups) the whole list has, and so how many pages exist.
    pages = min(result.pages, MAX_PAGE) if result.total else 0
    status = 400 if result.error else 200
    return render_template(
        "search.html", params=params, result=result, facets=facets, histogram=hist,
        also=also, pages=pages, page_window=_page_window(params.page, pages),
        entity_groups=ENTITY_GROUPS, facet_limit=FACET_LIMIT, facet_max=FACET_MAX,
        entity_href=entity_href, chips_per_hit=CHIPS_PER_HIT,
        first_index=(params.page - 1) * PER_PAGE + 1,
        browsing=not params.q, active_sort=_effective(params).sort,
        zoom_url=params.url(since=zoom[0], until=zoom[1]) if zoom else None,
        range_text=histogram.range_label(params.since, params.until),
        offer=None if result.error else alias_offer(ix, params, result),
        stories=_stories(result), corrected=corrected,
        date_error=bool(result.error) and _bad_dates(params),
    ), status


def _bad_dates(params: SearchParams) -> bool:
    """Whether the search failed on its dates (so the page explains dates,
    not the query syntax)."""
    from index import parse_date
    try:
        since = parse_date(params.since) if params.since else None
        until = parse_date(params.until, end=True) if params.until else None
    except ValueError:
        return True
    return bool(since and until and since > until)


def _stories(result):
    """Story groups the matches form: the index's ``stories`` when it gives
    one, else the entries of the collapsed list (the same number)."""
    n = getattr(result, "stories", None)
    if n is None:
        n = getattr(result, "entries", None)
    return n


def alias_offer(ix, params: SearchParams, result):
    """"FaK is also known as Tehreek-e-Taliban Pakistan (TTP) -- show all 5
    articles about it": when the whole query names a known entity.

    Plain words match the text literally, so a search for an alias finds only
    the articles that spell it that way; the entity filter finds every article
    about the entity, whichever name it uses.  Offered, never applied
    silently, and not when the entity is already a filter.
    """
    words = (params.q or "").strip()
    if len(words) >= 2 and words[0] == words[-1] == '"':
        words = words[1:-1].strip()
    if not words or len(words) > 120 or any(c in words for c in '"*?~:()') \
            or any(w in ("AND", "OR", "NOT") for w in words.split()):
        return None
    summary = getattr(ix, "entity_summary", None)
    if summary is None:
        return None
    try:
        ent = summary(words)
    except Exception:
        current_app.logger.exception("entity_summary failed for %r", words)
        return None
    if not ent or ent["name"] in params.entities:
        return None
    same = ent["name"].casefold() == words.casefold()
    others = [f for f in ent["forms"] if f.casefold() != words.casefold()]
    if same and not others:
        return None
    return {"query": words, "entity": ent, "same": same, "others": others[:4],
            # "show all N articles about it": all of them, so no other filter rides along
            "url": SearchParams(entities=(ent["name"],)).url(),
            "page": url_for("entities.entity", entity_id=ent["id"])}



def _page_window(page: int, pages: int, radius: int = 2) -> list:
    """Page numbers to link, with None for a gap: 1 … 4 5 [6] 7 8 … 20."""
    if pages <= 1:
        return []
    shown = {1, pages} | set(range(max(1, page - radius), min(pages, page + radius) + 1))
    out, prev = [], 0
    for n in sorted(shown):
        if n - prev > 1:
            out.append(None)
        out.append(n)
        prev = n
    return out


@bp.get("/search.atom", endpoint="atom")
def atom():
    params = SearchParams.from_args(request.args)
    ix = get_index()
    result = ix.search(**params.search_kwargs(sort="date", page=1, per_page=feeds.FEED_ENTRIES,
                                              suggest=False))
    stats = current_app.extensions["newsarchive.stats"].get()
    fallback = _last_reindex(stats.get("last_reindex"))
    body = feeds.build_feed(
        title=feeds.describe(params),
        feed_url=absolute_url(params.url("search.atom")),
        search_url=absolute_url(params.url()),
        hits=result.hits,
        article_url=lambda i: absolute_url(url_for("articles.article", article_id=i)),
        fallback_updated=fallback,
    )
    return current_app.response_class(body, mimetype="application/atom+xml",
                                      content_type="application/atom+xml; charset=utf-8")


def _last_reindex(value) -> datetime:
    """When the index was last written (stats' ``last_reindex``), else the epoch."""
    if isinstance(value, dict):
        value = value.get("finished") or value.get("at") or value.get("time")
    if value:
        text = str(value)
        if len(text) > 5 and text[-5] in "+-" and text[-3] != ":":
            text = text[:-2] + ":" + text[-2:]      # "+0000" -> "+00:00"
        try:
            when = datetime.fromisoformat(text)
            return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
        except ValueError:
            pass
    return datetime(1970, 1, 1, tzinfo=timezone.utc)


@bp.get("/search.csv", endpoint="csv")
def csv_export():
    params = SearchParams.from_args(request.args)
    ix = get_index()
    kwargs = params.search_kwargs()
    probe = ix.search(**dict(kwargs, page=1, per_page=1, suggest=False))
    text = export.write_csv(export.iter_hits(ix, kwargs))     # hits carry their author
    slug = re.sub(r"[^A-Za-z0-9]+", "-", params.q or "all").strip("-")[:40] or "search"
    resp = current_app.response_class(text, content_type="text/csv; charset=utf-8")
    resp.headers["Content-Disposition"] = f'attachment; filename="newsarchive-{slug}.csv"'
    if probe.total > export.MAX_ROWS:
        resp.headers["X-Newsarchive-Truncated"] = f"{export.MAX_ROWS} of {probe.total}"
    return resp
