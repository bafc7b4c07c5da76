"""Saved news pages written by the tests themselves (not a test module).

Real saved pages carry navigation, scripts, share bars, related links and a
footer around the story; :func:`news_page` builds one like that around
paragraphs a test supplies, so HTML tests need no outside data.
"""
from __future__ import annotations

import html
import json


def news_page(title: str, paragraphs: list[str], *, site: str = "The Valley Herald",
              published: str | None = "2025-05-04T09:30:00Z", author: str | None = "Mara Lindqvist",
              lang: str = "en", url: str = "https://valleyherald.example/news/story") -> str:
    """A complete article page: head metadata (Open Graph, JSON-LD), a menu,
    the story in ``<article>``, a related-links box and a footer."""
    esc = html.escape
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title}
    if published:
        ld["datePublished"] = published
    if author:
        ld["author"] = {"@type": "Person", "name": author}
    meta = [f'<meta property="og:title" content="{esc(title)}">',
            f'<meta property="og:site_name" content="{esc(site)}">',
            f'<link rel="canonical" href="{esc(url)}">']
    if published:
        meta.append(f'<meta property="article:published_time" content="{esc(published)}">')
    body = "\n".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    byline = f'<p class="byline">By {esc(author)}</p>' if author else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{esc(title)} | {esc(site)}</title>
{chr(10).join(meta)}
<script type="application/ld+json">{json.dumps(ld)}</script>
<script>window.analytics = {{track: function () {{}}}};</script>
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<main><article><h1>{esc(title)}</h1>{byline}
{body}
</article>
<aside class="related"><h2>More stories</h2><ul>
<li><a href="/a">Council approves new bus lanes</a></li>
<li><a href="/b">School term dates announced</a></li></ul></aside></main>
<footer><p>Copyright {esc(site)}. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"""


#: paragraphs of an ordinary local story, for pages that only need to look real
STORY = [
    "Engineers began repairing the old stone bridge over the Arden river on Monday, "
    "three weeks after floodwater loosened two of its arches.",
    "The county council said the work would cost about 2.4 million pounds and keep the "
    "bridge closed to traffic until the end of the summer.",
    "\u201cWe know the detour is long, and we are sorry for it,\u201d said Helen Marsh, who "
    "chairs the council\u2019s transport committee. \u201cBut the arches have to be rebuilt "
    "from the footings up.\u201d",
    "Shopkeepers on the north bank said trade had fallen by a third since the closure, and "
    "asked the council for help with business rates.",
    "A temporary footbridge will open next week, the council said, so that pupils can walk "
    "to the secondary school without the six-mile detour.",
    "The bridge was built in 1791 and was last repaired after a lorry struck its parapet "
    "in 1988.",
]
