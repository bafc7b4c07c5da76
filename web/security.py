"""Response headers that make the archive safe to open next to a newsroom's mail.

The app renders text written by strangers (scraped pages, wire copy), so the
browser is told to trust only what this server sends: scripts and styles from
our own ``/static`` files and nothing inline, no framing, no MIME sniffing, and
no search terms leaking to other sites through the Referer header when a
journalist follows a link to a source.
"""
from __future__ import annotations

from flask import Flask, Response

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


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
