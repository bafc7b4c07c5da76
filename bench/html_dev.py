"""Score HTML cleaning and metadata on the html-dev pages (read in place).

``../shared/data/html-dev/truth.json`` lists, for 139 saved news pages, text
snippets the article body must contain (``with``) and must not contain
(``without``), and the page's true title, date and author.  This script loads
every page with :func:`archive.load_file` and prints:

- ``with``: share of must-have snippets found in the body;
- ``without``: share of must-not-have snippets absent from the body;
- title / date / author accuracy, each over the pages whose truth gives one
  (titles and authors compared case-, space- and quote-insensitively);
- pages that did not load, and the time taken.

Usage: ``python -m bench.html_dev [--verbose]``.  ``score()`` returns the
figures as a dict for tests.
"""
from __future__ import annotations

import json
import os
import sys
import time
import unicodedata
from pathlib import Path

from archive.article import Article
from archive.load import load_file

SHARED = Path(os.environ.get("NEWSARCHIVE_SHARED", Path(__file__).resolve().parents[2] / "shared"))
HTML_DEV = SHARED / "data" / "html-dev"


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    for a, b in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-"), ("\xa0", " ")):
        s = s.replace(a, b)
    return " ".join(s.split()).casefold()


def score(verbose: bool = False, limit: int | None = None) -> dict:
    truth = json.loads((HTML_DEV / "truth.json").read_text("utf-8"))
    items = list(truth.items())[:limit]
    w_hit = w_all = wo_hit = wo_all = 0
    acc = {k: [0, 0] for k in ("title", "date", "author")}
    failed, t0 = [], time.perf_counter()
    for url, t in items:
        res = load_file(HTML_DEV / "pages" / t["file"], HTML_DEV / "pages")
        art = next((r for r in res if isinstance(r, Article)), None)
        if art is None:
            failed.append((t["file"], res[0].reason if res else "nothing"))
        body = _norm(art.body) if art else ""
        for s in t["with"]:
            w_all += 1
            ok = _norm(s) in body
            w_hit += ok
            if verbose and not ok:
                print(f"  MISSING  {t['file']}: {s!r}")
        for s in t["without"]:
            wo_all += 1
            ok = _norm(s) not in body
            wo_hit += ok
            if verbose and not ok:
                print(f"  KEPT     {t['file']}: {s!r}")
        got = {"title": art.title if art else None, "date": art.published if art else None,
               "author": art.author if art else None}
        for k in acc:
            want = t.get(k) or ""
            if isinstance(want, list):
                want = ", ".join(want)
            if not want:
                continue
            acc[k][1] += 1
            ok = _norm(got[k] or "") == _norm(want)
            acc[k][0] += ok
            if verbose and not ok:
                print(f"  {k.upper():8} {t['file']}: got {got[k]!r}, want {want!r}")
    return {
        "pages": len(items), "failed": failed,
        "with": w_hit / w_all, "without": wo_hit / wo_all,
        "title": acc["title"][0] / acc["title"][1], "date": acc["date"][0] / acc["date"][1],
        "author": acc["author"][0] / acc["author"][1],
        "counts": {"with": (w_hit, w_all), "without": (wo_hit, wo_all),
                   **{k: tuple(v) for k, v in acc.items()}},
        "seconds": time.perf_counter() - t0,
    }


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    r = score(verbose="--verbose" in argv or "-v" in argv)
    c = r["counts"]
    print(f"pages            {r['pages']} ({len(r['failed'])} not loaded)")
    for name, reason in r["failed"]:
        print(f"  not loaded: {name}: {reason}")
    print(f"with kept        {r['with']:.1%}  ({c['with'][0]}/{c['with'][1]})")
    print(f"without removed  {r['without']:.1%}  ({c['without'][0]}/{c['without'][1]})")
    for k in ("title", "date", "author"):
        print(f"{k + ' accuracy':16} {r[k]:.1%}  ({c[k][0]}/{c[k][1]})")
    print(f"time             {r['seconds']:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
