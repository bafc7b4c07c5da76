"""One set of limits (``index.LIMITS``) for the library and the web, and one
analysis module (``index.analysis``) for indexing, highlighting and
did-you-mean."""
from __future__ import annotations

import pytest

import index
from index import LIMITS, analysis, highlight, schema, suggest
from tests._index_helpers import write_jsonl


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    root = tmp_path_factory.mktemp("limits")
    write_jsonl(root / "src" / "a.jsonl", [
        {"id": f"d{i}", "title": f"Talks in Türkiye {i}", "published": "2025-01-02",
         "body": "Negotiators held talks on the ceasefire. " * 3} for i in range(12)])
    ix = index.open_index(root / "ix")
    ix.reindex([root / "src"], progress=False)
    return ix


def test_the_web_caps_pages_with_the_index_limits():
    from web import api, params
    assert params.MAX_PAGE == LIMITS.page == 1000
    assert params.MAX_QUERY_CHARS == LIMITS.query_chars
    assert api.MAX_PER_PAGE == LIMITS.per_page


def test_the_library_caps_pages_at_the_same_limit(ix):
    r = ix.search("talks", page=LIMITS.page + 5, per_page=LIMITS.per_page + 1)
    assert (r.page, r.per_page) == (LIMITS.page, LIMITS.per_page)
    assert r.error is None and r.hits == [] and r.total == 12


def test_highlighting_and_suggestions_stem_as_the_index_does():
    assert highlight.stem is analysis.stem and suggest.stem is analysis.stem
    text = "Negotiators in Türkiye held TALKS; the ceasefire talks resumed."
    indexed = set(analysis.term_positions(text))
    words = [w for w in analysis.TOKEN.findall(text)
             if analysis.normalize(w) not in analysis.STOPS]
    assert {analysis.stem(w) for w in words} == indexed
    assert "turkiye" in indexed and "talk" in indexed


def test_the_schema_fields_use_the_analysis_chain():
    s = schema.make_schema()
    body = [t.text for t in s["body"].analyzer("The Türkiye talks")]
    assert body == [analysis.stem("Türkiye"), analysis.stem("talks")]


def test_highlight_finds_what_the_index_matched(ix):
    hit = ix.search("turkiye talk").hits[0]
    assert "<mark>Talks</mark>" in highlight.mark_title("Talks in Türkiye", {"talk", "turkiye"})
    assert "<mark>talks</mark>" in hit.snippet


def test_terms_by_runs_are_the_regex_tokens_terms():
    """``term_positions`` reads a text's tokens from its runs of token characters
    (archive.charclass), not by the regex: the same tokens, in order."""
    texts = ["", "...", "U.S. dlrs 1.5 mln, a*b ** x..y .z. said_so; it's 3/4", "The Türkiye TALKS...",
             "İstanbul ǅemal ﬁnance ½ Ⅻ ٣.٤ naïve — résumé\n\n.end.", "a.b.c..d . . e. f .g"]
    for text in texts + [t * 7 for t in texts]:
        assert analysis._terms(text) == [analysis._term(t) for t in analysis.TOKEN.findall(text)]
