"""Crafted files cost what their size costs, and deep nesting or huge metadata loses no article.

Issue 15, the loader passes: a date scan that re-checked every earlier match
(``'Jan 1 - ' * 12,500`` took 8-12 s), pasted tweets (quadratic), more than
255 nested elements ("no article text found"), a 5,000-deep JSON-LD block (the
whole page skipped on RecursionError), a 5 MB ``og:title`` (the title shown
everywhere).

The cost tests are not timings: each loads a file four to eight times the size the
issue measured in a fresh interpreter with a timeout about ten times the
linear cost and a fraction of the quadratic one (which grows sixteen-fold
with four times the input: minutes, not seconds).
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

from archive import Article, load_file
from archive.sources import TITLE_CAP

BODY = "".join(f"<p>Paragraph {i} of the story says the harbour pier will close on Friday for repairs, "
               f"the council said.</p>" for i in range(8))


def _load_in_subprocess(path, timeout: float) -> str:
    code = textwrap.dedent(f"""
        from archive import load_file
        [a] = load_file({str(path)!r})
        print(type(a).__name__, len(a.removed) if hasattr(a, "removed") else a.reason)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                         check=True)
    return out.stdout.strip()


def test_date_scan_is_linear(tmp_path):
    f = tmp_path / "jan.txt"
    f.write_text("Jan 1 - " * 50_000, "utf-8")  # 400 KB; the quadratic scan needs minutes
    assert _load_in_subprocess(f, timeout=40).startswith("Article")


def test_mentioned_dates_scan_many_dates_once():
    from archive.dates import mentioned_dates

    text = " ".join(f"On March {d % 28 + 1}, 2026 the pier closed." for d in range(2000))
    assert mentioned_dates(text) == [f"2026-03-{d:02d}" for d in range(1, 29)]


def test_pasted_tweets_are_linear(tmp_path):
    tweets = [f"The pier closes on Friday for repairs, notice {i}.\n"
              f"— Harbour Desk (@harbourdesk) March {i % 28 + 1}, 2026\n" for i in range(40_000)]
    f = tmp_path / "tweets.txt"
    f.write_text("Pier Closes For Repairs\n\nThe council closed the pier.\n\n" + "\n".join(tweets), "utf-8")
    assert _load_in_subprocess(f, timeout=60) == "Article 40000"


def test_deeply_nested_page_still_gives_its_article(tmp_path):
    html = ("<html><head><title>Pier Closes For Repairs</title></head><body>" + "<div>" * 300
            + f"<article><h1>Pier Closes For Repairs</h1>{BODY}</article>" + "</div>" * 300 + "</body></html>")
    f = tmp_path / "nested.html"
    f.write_text(html, "utf-8")
    [a] = load_file(f, tmp_path)
    assert isinstance(a, Article), a
    assert a.title == "Pier Closes For Repairs"
    assert "Paragraph 0 of the story says the harbour pier will close on Friday" in a.body
    assert "Paragraph 7 of the story" in a.body
    assert any(r.kind == "html-boilerplate" and "nested too deeply" in r.text for r in a.removed)


def test_deep_json_ld_does_not_skip_the_page(tmp_path):
    deep = "[" * 5000 + "]" * 5000
    html = (f'<html><head><title>Pier Closes For Repairs</title><script type="application/ld+json">{deep}'
            f'</script><meta property="article:published_time" content="2026-03-14T09:00:00+01:00"></head>'
            f"<body><article><h1>Pier Closes For Repairs</h1>{BODY}</article></body></html>")
    f = tmp_path / "deep.html"
    f.write_text(html, "utf-8")
    [a] = load_file(f, tmp_path)
    assert isinstance(a, Article), a
    assert (a.title, a.published, a.date_source) == ("Pier Closes For Repairs", "2026-03-14", "metadata")


def test_huge_og_title_is_capped(tmp_path):
    html = (f'<html><head><meta property="og:title" content="{"Pier " * 1_000_000}"></head>'
            f"<body><article>{BODY}</article></body></html>")
    f = tmp_path / "big.html"
    f.write_text(html, "utf-8")
    [a] = load_file(f, tmp_path)
    assert isinstance(a, Article), a
    assert len(a.title) <= TITLE_CAP + 1 and a.title.startswith("Pier Pier") and a.title.endswith("…")
