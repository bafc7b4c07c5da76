"""The JSON API: the contract's search JSON and one article's stored record.

``/api/search`` answers exactly what ``newsarchive search --json`` prints
(``SearchResult.to_dict()``); a malformed query is a 400 whose body still
has that shape plus ``"error"``, so a script can show the message.
``/api/articles/<id>`` is ``newsarchive show --json``, except that ``path`` is
relative to the article's source folder: where the server keeps its files is
none of a visitor's business.
"""
from __future__ import annotations

import posixpath

from flask import Blueprint, jsonify, request

import index as index_lib

from .index_access import get_index
from .article_views import load_article
from .params import SearchParams

bp = Blueprint("api", __name__, url_prefix="/api")

#: Largest page a script may ask for in one call (the index's limit).
MAX_PER_PAGE = index_lib.LIMITS.per_page


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
    try:
        result = get_index().search(**params.search_kwargs(per_page=_per_page()))
    except index_lib.QueryError as e:
        return jsonify(index_lib.SearchResult(query=params.q, error=str(e)).to_dict()), 400
    return jsonify(result.to_dict())


def public_path(path, article_id) -> str | None:
    """The article's file as a path relative to its source folder.

    An id built from the path (``corpus/000_x.txt``, ``feed.jsonl#L3``) names
    the file's place inside its source, so the stored absolute path ends with
    it; an id that is a URL or a record's own id does not, and the file's name
    stands for it.  Never the server's folders.
    """
    if not path:
        return None
    path = str(path).replace("\\", "/")
    rel = str(article_id or "").split("#", 1)[0].lstrip("/")
    if rel and not rel.startswith("../") and (path == rel or path.endswith("/" + rel)):
        return rel
    return posixpath.basename(path) or None


@bp.get("/articles/<path:article_id>", merge_slashes=False)
def article(article_id: str):
    doc = dict(load_article(article_id))
    doc["path"] = public_path(doc.get("path"), doc.get("id"))
    return jsonify(doc)
