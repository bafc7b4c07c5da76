"""The Flask application factory.

``create_app`` wires the read-only web front end onto one open index: the
search page, article pages, the JSON API, Atom feeds and CSV export live in
blueprints; this module adds template helpers, security headers and error
pages that never show a stack trace.  The index handle and the error answers
the blueprints share are in :mod:`web.index_access`, so no blueprint imports
this module.

Nothing here writes the index.  Reindexing is the CLI's job; the index
library notices a newer index on disk and the running app serves it without a
restart.
"""
from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path
from typing import Iterable, Optional

from flask import Flask, current_app, request, url_for
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException, InternalServerError

from . import security
from .api import bp as api_bp
from .article_views import bp as article_bp
from .entity_views import bp as entity_bp
# get_index, absolute_url and not_found stay importable from here (embedders)
from .index_access import (DAMAGED_TEXT, MISSING_TEXT, absolute_url,  # noqa: F401
                           error_response, get_index, not_found)
from .search_views import bp as search_bp

#: Seconds the header's stats line may be stale: it is drawn on every page
#: and counting the index that often would be wasted work.
STATS_TTL = 5.0

MONTHS = ["", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
          "Dec"]


class _HTMLSafeJSONProvider(DefaultJSONProvider):
    """JSON with ``<``, ``>`` and ``&`` written as ``\\u003c``-style escapes.

    The same data to any JSON parser, but a response that a misbehaving
    client renders as HTML can never contain a live tag (defence in depth on
    top of the ``application/json`` type and ``nosniff``).  Those characters
    only ever occur inside JSON strings, so replacing them is always valid.
    """

    sort_keys = False
    ensure_ascii = False

    def dumps(self, obj, **kwargs):
        text = super().dumps(obj, **kwargs)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def create_app(index_dir: Optional[str | Path] = None, testing: bool = False,
               index=None, base_url: Optional[str] = None,
               allowed_hosts: Optional[Iterable[str]] = None) -> Flask:
    """Build the app over the index at ``index_dir`` (default: the CLI's).

    ``index`` passes an already open :class:`index.Index` instead (for
    embedding the UI in another program).  The app never creates an index:
    a path without one raises :class:`index.IndexMissing`.

    ``base_url`` (``http://host:port/``) is where absolute links (feeds)
    point; ``allowed_hosts`` the ``Host`` names answered, any other is
    refused with a 400.  ``newsarchive serve`` always passes both; the
    defaults (links from the request, every Host answered) suit the test
    client and an app embedded behind its own checks.
    """
    app = Flask(__name__)
    app.json = _HTMLSafeJSONProvider(app)
    app.config.update(
        TESTING=testing,
        JSON_SORT_KEYS=False,
        # Errors are answered by our handlers even under a debugger-less server.
        PROPAGATE_EXCEPTIONS=False if not testing else None,
        MAX_CONTENT_LENGTH=64 * 1024,   # read-only app: no request needs a body
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    # Ids contain slashes and may be whole URLs ("https://x/y"): keep "//".
    app.url_map.merge_slashes = False

    if index is None:
        import index as index_lib
        index = index_lib.open_index(index_dir or index_lib.default_index_dir(), create=False)
    app.extensions["newsarchive.index"] = index
    app.extensions["newsarchive.stats"] = _StatsCache(index)
    app.config["NEWSARCHIVE_BASE_URL"] = security.normalise_base_url(base_url) if base_url else None

    security.init_app(app, allowed_hosts)
    _register_template_helpers(app)

    app.register_blueprint(search_bp)
    app.register_blueprint(article_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(entity_bp)
    _register_error_handlers(app)
    return app


class _StatsCache:
    """``Index.stats()`` remembered for :data:`STATS_TTL` seconds."""

    def __init__(self, ix):
        self._ix, self._lock = ix, threading.Lock()
        self._value, self._at = None, 0.0

    def get(self) -> dict:
        with self._lock:
            if self._value is None or time.monotonic() - self._at > STATS_TTL:
                try:
                    self._value = self._ix.stats() or {}
                except Exception:  # a header line is not worth an error page
                    current_app.logger.exception("index stats failed")
                    self._value = {}
                self._at = time.monotonic()
            return self._value


# -- template helpers -----------------------------------------------------------
def format_date(value: Optional[str], unknown: str = "date unknown") -> str:
    """``2025-11-09`` -> ``9 Nov 2025`` (and ``2025-11`` -> ``Nov 2025``)."""
    if not value:
        return unknown
    parts = str(value)[:10].split("-")
    try:
        if len(parts) == 3:
            d = date(int(parts[0]), int(parts[1]), int(parts[2]))
            return f"{d.day} {MONTHS[d.month]} {d.year}"
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1])]} {int(parts[0])}"
    except (ValueError, IndexError):
        pass
    return str(value)


def format_datetime(value) -> str:
    """``2025-11-09T14:03:00+00:00`` -> ``9 Nov 2025, 14:03 UTC``; a date alone as :func:`format_date`."""
    if not value:
        return "time unknown"
    text = str(value)
    if len(text) <= 10:
        return format_date(text)
    try:
        from datetime import datetime as _dt
        when = _dt.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    zone = ""
    if when.tzinfo is not None:
        offset = when.utcoffset()
        zone = " UTC" if not offset else f" UTC{when.strftime('%z')[:3]}:{when.strftime('%z')[3:]}"
    return f"{format_date(when.date().isoformat())}, {when:%H:%M}{zone}"


def format_number(value) -> str:
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)


is_web_url = security.is_web_url


def _date_range(stats: dict) -> tuple[Optional[str], Optional[str]]:
    """The (first, last) publication dates, whatever shape stats() uses."""
    rng = stats.get("date_range") or stats.get("dates") or {}
    if isinstance(rng, dict):
        return rng.get("first") or rng.get("min") or rng.get("from"), \
            rng.get("last") or rng.get("max") or rng.get("to")
    if isinstance(rng, (list, tuple)) and len(rng) == 2:
        return rng[0], rng[1]
    return None, None


def _register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["num"] = format_number
    app.jinja_env.tests["web_url"] = is_web_url

    def article_url(article_id: str, **kw) -> str:
        return url_for("articles.article", article_id=article_id, **kw)

    @app.context_processor
    def globals_():
        stats = current_app.extensions["newsarchive.stats"].get()
        first, last = _date_range(stats)
        sources = stats.get("sources")
        n_sources = sources if isinstance(sources, int) else len(sources or ())
        return {"stats": stats, "stats_first": first, "stats_last": last,
                "stats_sources": n_sources, "article_url": article_url}


# -- errors ----------------------------------------------------------------------
def _register_error_handlers(app: Flask) -> None:
    import index as index_lib

    @app.errorhandler(index_lib.QueryError)
    def bad_query(exc):
        return error_response(400, str(exc) or None)

    @app.errorhandler(index_lib.IndexError_)
    def index_unusable(exc):
        current_app.logger.error("index unusable on %s: %s", request.path, exc)
        if isinstance(exc, index_lib.IndexMissing):
            return error_response(503, MISSING_TEXT)
        if isinstance(exc, index_lib.IndexDamaged):
            return error_response(503, DAMAGED_TEXT)
        return error_response(503)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code is None or exc.code < 400:
            return exc
        # abort(404, description=...) carries our own message; werkzeug's
        # default descriptions are replaced by ours.
        message = exc.description if getattr(exc, "_newsarchive", False) else None
        return error_response(exc.code, message)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        # Logged with its traceback for the operator; the visitor sees a plain
        # page.  Never the traceback: it can hold paths and index internals.
        current_app.logger.exception("unhandled error on %s", request.path)
        return error_response(500)

    @app.errorhandler(InternalServerError)
    def internal(exc):
        return error_response(500)


__all__ = ["create_app", "get_index", "absolute_url", "format_date", "format_number",
           "not_found", "error_response"]
