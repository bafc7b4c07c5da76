"""Response headers that make the archive safe to open next to a newsroom's mail.

The app renders text written by strangers (scraped pages, wire copy), so the
browser is told to trust only what this server sends: scripts and styles from
our own ``/static`` files and nothing inline, no framing, no MIME sniffing, and
no search terms leaking to other sites through the Referer header when a
journalist follows a link to a source.

Two checks guard against a page on another site driving the archive:

- the ``Host`` header must name this server (the bound host, the base URL's
  host, or an ``--allow-host`` name): otherwise a DNS-rebinding page, whose own
  name resolves to 127.0.0.1, could read a local archive through ``/api``;
- absolute links (feeds) are built from the configured base URL, never from
  the request's ``Host``, which any client can set.

Responses also say ``Cache-Control: private, no-cache``: an archive may hold
unpublished or licensed copy, so shared caches must not keep it, and a
browser revalidates instead of showing yesterday's results.
"""
from __future__ import annotations

import html
import re
from typing import Iterable, Optional
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request

#: No 'unsafe-inline' anywhere: every style lives in static/style.css, every
#: script in static/app.js.  Inline SVG uses presentation attributes and
#: classes, which CSP does not treat as inline style.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Same-origin keeps search URLs (which hold queries) from leaking to the
    # publishers' sites a journalist clicks through to.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


#: Sent on every page and JSON answer (static files keep Flask's own).
CACHE_CONTROL = "private, no-cache"

#: Names a loopback server also answers for: they resolve to this machine
#: only, so no other site can point them at it.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def is_web_url(value) -> bool:
    """Only http(s) URLs become links: a stored ``javascript:`` URL stays text.

    The one check every link built from stored data passes (article page,
    Atom feed).  The scheme must open the string, in any case, with nothing
    before it -- browsers skip leading blanks and control characters, so
    ``" JAVASCRIPT:..."`` is refused, not trimmed.
    """
    return isinstance(value, str) and value[:8].lower().startswith(("http://", "https://"))


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = CACHE_CONTROL
    return response


def normalise_base_url(url: str) -> str:
    """``http://host:port/prefix/`` from what the operator typed; ValueError if unusable."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"--base-url must be an http(s) URL with a host, not {url!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"--base-url cannot have a query or fragment: {url!r}")
    return f"{parts.scheme.lower()}://{parts.netloc}{parts.path.rstrip('/')}/"


def allowed_host_names(bound_host: Optional[str], base_url: Optional[str],
                       extra: Iterable[str] = ()) -> list[str]:
    """The Host names a server bound to ``bound_host`` answers for."""
    names = []
    if bound_host and bound_host not in ("0.0.0.0", "::", ""):
        names.append(bound_host)
        if bound_host in LOOPBACK_NAMES or bound_host.startswith("127."):
            names += LOOPBACK_NAMES
    if base_url:
        names.append(urlsplit(base_url).hostname)
    names += [n.strip() for n in extra if n and n.strip()]
    out = []
    for n in names:
        n = n.strip("[]").rstrip(".").lower()
        if n and n not in out:
            out.append(n)
    return out


#: A Host header: a name or IPv4 address, or a bracketed IPv6 address, and a port.
_HOST = re.compile(r"(?:(?P<name>[A-Za-z0-9._-]+)|\[(?P<v6>[0-9A-Fa-f:.]+)\])(?::\d{1,5})?")


def host_name(header: str) -> Optional[str]:
    """``"Example.org.:8080"`` -> ``"example.org"``, ``"[::1]:5000"`` -> ``"::1"``;
    None for anything that is not a host name."""
    m = _HOST.fullmatch(header or "")
    if not m:
        return None
    return (m.group("name") or m.group("v6")).rstrip(".").lower() or None


def host_allowed(name: Optional[str], allowed: Iterable[str]) -> bool:
    """Whether ``name`` is one of ``allowed`` (a leading dot allows subdomains too)."""
    if not name:
        return False
    for ref in allowed:
        if ref.startswith("."):
            if name == ref[1:] or name.endswith(ref):
                return True
        elif name == ref:
            return True
    return False


def _host_refused():
    """A short page for a request whose Host this server does not answer for."""
    allowed = current_app.config.get("NEWSARCHIVE_ALLOWED_HOSTS")
    if allowed is None:
        return None
    name = host_name(request.headers.get("Host", ""))
    if host_allowed(name, allowed):
        return None
    text = ("This archive does not answer for the host name "
            f"\u201c{name or '(none)'}\u201d. If you run it, start it with "
            "--allow-host NAME or --base-url URL.")
    body = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>Unknown host \u00b7 newsarchive</title></head><body><h1>Unknown host</h1>"
            f"<p>{html.escape(text)}</p></body></html>")
    resp = current_app.response_class(body, status=400, mimetype="text/html")
    if request.path.startswith("/api/"):
        resp = current_app.response_class(
            current_app.json.dumps({"error": text, "status": 400}), status=400,
            mimetype="application/json")
    return resp


def init_app(app: Flask, allowed_hosts: Optional[Iterable[str]] = None) -> None:
    """Headers on every response; with ``allowed_hosts`` (a list of names), refuse
    any other Host.  ``None`` checks nothing (the test client and embedding)."""
    app.config["NEWSARCHIVE_ALLOWED_HOSTS"] = (
        None if allowed_hosts is None
        else [n.strip("[]").rstrip(".").lower() for n in allowed_hosts if n])
    app.before_request(_host_refused)
    app.after_request(add_security_headers)
