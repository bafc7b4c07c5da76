"""HTML cleaning and metadata on the 139 html-dev pages (read in place from ../shared)."""
import json
import warnings

import pytest
from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

from archive import Article, load_file
from bench.html_dev import score


@pytest.fixture(scope="module")
def figures(shared_dir):
    return score()


def test_every_page_loads(figures):
    assert figures["pages"] == 139 and figures["failed"] == []


def test_body_snippets(figures):
    # reached: with 95.4%, without 94.2% (the issue aims at >= 95% / >= 90%)
    assert figures["with"] >= 0.94
    assert figures["without"] >= 0.92


def test_metadata_accuracy(figures):
    # reached: title 88.1%, date 85.9%, author 68.7%
    assert figures["title"] >= 0.85
    assert figures["date"] >= 0.83
    assert figures["author"] >= 0.65


def test_embedded_tweets_are_removed_and_recorded(shared_dir):
    pages = shared_dir / "data" / "html-dev" / "pages"
    truth = json.loads((shared_dir / "data" / "html-dev" / "truth.json").read_text("utf-8"))
    checked = 0
    for t in truth.values():
        raw = (pages / t["file"]).read_text("utf-8", errors="replace")
        if "twitter-tweet" not in raw:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            quotes = BeautifulSoup(raw, "lxml").select("blockquote.twitter-tweet")
        if not quotes:
            continue
        [a] = load_file(pages / t["file"])
        assert isinstance(a, Article)
        tweets = [r.text for r in a.removed if r.kind == "tweet"]
        assert len(tweets) == len([q for q in quotes if q.get_text(strip=True)])
        # The page without its embedded tweets (and without ruby glosses): if the
        # article itself quotes a tweet's words (a transcription), they may stay.
        rest = BeautifulSoup(raw, "lxml")
        for tag in rest.select("blockquote.twitter-tweet, rt, rp"):
            tag.decompose()
        rest_text = "".join(rest.get_text("").split())
        body = " ".join(a.body.split())
        for q in quotes:
            p = q.find("p")
            text = " ".join((p or q).get_text(" ").split())
            if len(text) > 40 and "".join(text.split())[:30] not in rest_text:
                assert text not in body, t["file"]
        checked += 1
    assert checked >= 20  # 21 pages embed tweets as blockquote.twitter-tweet
