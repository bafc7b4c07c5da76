"""The JSON API: the contract's search JSON and one article's stored record.

``/api/search`` answers exactly what ``newsarchive search --json`` prints
(``SearchResult.to_dict()``); a malformed query is a 400 whose body still
has that shape plus ``"error"``, so a script can show the message.
``/api/articles/<id>`` is ``newsarchive show --json``.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from .app import get_index
from .article_views import load_article
from .params import SearchParams

bp = Blueprint("api", __name__, url_prefix="/api")

#: Largest page a script may ask for in one call.
MAX_PER_PAGE = 100


def _per_page() -> int:
    raw = (request.args.get("per_page") or request.args.get("limit") or "10").strip()
    try:
        n = int(raw) if len(raw) < 8 else MAX_PER_PAGE
    except ValueError:
        n = 10
    return max(1, min(n, MAX_PER_PAGE))


@bp.get("/search")
def search():
    params = SearchParams.from_args(request.args)
    result = get_index().search(**params.search_kwargs(per_page=_per_page()))
    return jsonify(result.to_dict()), (400 if result.error else 200)


@bp.get("/articles/<path:article_id>", merge_slashes=False)
def article(article_id: str):
    return jsonify(load_article(article_id))
