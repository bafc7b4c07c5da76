"""What the blueprints share: the open index and the error answers.

As ``get_db`` in Flask's tutorial (``flaskr/db.py``): the views import these
from here, and :mod:`web.app` (the factory) imports the views -- so no view
module imports the factory, and nothing imports in a circle.
"""
from __future__ import annotations

from typing import Optional

from flask import current_app, jsonify, render_template, request
from werkzeug.exceptions import NotFound


def get_index():
    return current_app.extensions["newsarchive.index"]


def absolute_url(path: str) -> str:
    """``path`` (as ``url_for`` gives it) as an absolute URL on the configured
    base URL -- never on the request's ``Host``, which any client can set --
    or, with no base URL configured, on the request's own root."""
    base = current_app.config.get("NEWSARCHIVE_BASE_URL")
    if not base:
        return request.host_url.rstrip("/") + path
    root = request.script_root
    if root and path.startswith(root + "/"):
        path = path[len(root):]           # the base URL already names the mount point
    return base.rstrip("/") + path


ERROR_TEXT = {
    400: ("Bad request", "The request could not be understood."),
    404: ("Not found", "There is no page at this address. The article may have been "
                       "removed from the archive, or the link is mistyped."),
    405: ("Not allowed", "This archive is read-only: pages can be read, not changed."),
    413: ("Too large", "The request is too large."),
    500: ("Something went wrong", "The archive could not answer this request. "
                                  "Nothing was changed; try again, or go back to search."),
    503: ("Index unavailable", "The search index cannot be read right now."),
}

#: What a visitor reads when the index cannot be used (the path is the
#: operator's business, not the visitor's, so it is not shown).
DAMAGED_TEXT = ("The search index is damaged and cannot be read. Nothing was changed. "
                "Whoever runs this archive can rebuild it from its sources with: "
                "newsarchive reindex --full")
MISSING_TEXT = ("There is no search index here yet. Whoever runs this archive can build "
                "it with: newsarchive reindex")


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(code: int, message: Optional[str] = None):
    title, text = ERROR_TEXT.get(code, (f"Error {code}", "The request failed."))
    message = message or text
    if wants_json():
        return jsonify({"error": message, "status": code}), code
    if request.path.endswith((".atom", ".csv")):
        return current_app.response_class(message + "\n", status=code, mimetype="text/plain")
    return render_template("error.html", code=code, title=title, message=message), code


def not_found(message: str):
    """Raise a 404 whose message the error page shows."""
    exc = NotFound(description=message)
    exc._newsarchive = True
    raise exc
