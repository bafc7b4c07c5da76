"""HTML cleaning and metadata on the 139 html-dev pages (``../shared/data/html-dev``).

Figures from :func:`bench.html_dev.score`: the share of must-have snippets
kept (``with``), of must-not-have snippets removed (``without``), and title,
date and author accuracy over the pages whose truth gives one.  Floors sit
just under the figures measured when they were set (dates: 85.9% before the
order-of-trust rules of issue 12, 92.6% after).
"""
from __future__ import annotations

from bench import html_dev
from bench.evalkit import shared

FLOORS = {"with": 0.953, "without": 0.94, "title": 0.895, "date": 0.925, "author": 0.695}


def evaluate(check) -> None:
    html_dev.HTML_DEV = shared("data", "html-dev")
    r = html_dev.score()
    c = r["counts"]
    print(f"   pages {r['pages']} ({len(r['failed'])} not loaded), {r['seconds']:.1f} s")
    for name, reason in r["failed"]:
        print(f"   not loaded: {name}: {reason}")
    for k in ("with", "without", "title", "date", "author"):
        print(f"   {k:8} {r[k]:.1%}  ({c[k][0]}/{c[k][1]})")
    check("html-dev pages loaded", r["pages"] - len(r["failed"]), r["pages"])
    for k, floor in FLOORS.items():
        check(f"html-dev {k}", r[k], floor)
