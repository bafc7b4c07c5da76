"""What tests/test_web.py leaves out of the hostile-web checklist.

test_web.py covers the hand-picked hostile parameters on the search routes,
traversal ids, security headers on normal pages and the CSV formula guard.
Here: a hypothesis fuzz of raw query strings over every route (any bytes,
repeated and unknown parameters), hostile article ids on both article routes,
traversal through ``/static``, the security headers on *error* responses
(400, 404, 405) too, and formula-looking queries that must not reach the CSV
unguarded.
"""
from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from web.app import create_app

ROUTES = ("/", "/search", "/api/search", "/search.atom", "/search.csv")
PARAMS = ("q", "entity", "since", "until", "sort", "page", "per_page", "source", "format",
          "q[]", "__proto__", "")


@pytest.fixture(scope="module")
def client(web_index_dir):
    return create_app(web_index_dir, testing=True).test_client()


def _assert_safe(r, where):
    assert r.status_code in (200, 400, 404), (where, r.status_code)
    body = r.get_data(as_text=True)
    assert "Traceback" not in body, where
    if r.mimetype in ("text/html", "application/atom+xml"):     # CSV and JSON are data
        assert "<script>alert" not in body and "<img src=x" not in body, where
    assert r.headers.get("X-Content-Type-Options") == "nosniff", where
    assert "Content-Security-Policy" in r.headers, where


raw_value = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
                     "../../etc/passwd", "..%2F..%2F", "%00", "%", "%%", "%zz", "%ff%fe",
                     "9" * 400, "-1", "0", "1e309", "NaN", "2025-02-30", "0000-00-00",
                     "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1", "-1+1", "\u202e", "\ud800",
                     "javascript:alert(1)", "a" * 3000, "(" * 400, "*", "?*", "aaaa~5"]),
)
query_string = st.lists(st.tuples(st.sampled_from(PARAMS), raw_value), max_size=8).map(
    lambda pairs: "&".join(f"{quote(k, safe='[]')}={quote(v, safe='%', errors='surrogatepass')}" for k, v in pairs))


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(route=st.sampled_from(ROUTES), qs=query_string)
def test_fuzzed_query_strings_never_500(client, route, qs):
    _assert_safe(client.get(f"{route}?{qs}"), f"{route}?{qs}"[:200])


@pytest.mark.parametrize("doc_id", [
    "<script>alert(1)</script>", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "..", "...",
    "..%2F..%2Fweb%2Fapp.py", "%2e%2e%2f%2e%2e%2fsetup.cfg", "%ED%A0%80", "%ff", "%C0%AE%C0%AE",
    "a%0d%0aSet-Cookie:%20x=1", "~root", "C:%5Cwindows", "*", "id:*", "hostile%2F1%00",
])
def test_hostile_article_ids(client, doc_id):
    for prefix in ("/articles/", "/api/articles/"):
        r = client.get(prefix + doc_id)
        _assert_safe(r, prefix + doc_id)
        assert r.status_code == 404, (prefix, doc_id)
        assert "Set-Cookie" not in r.headers


@pytest.mark.parametrize("path", [
    "/static/..%2F..%2Fsetup.cfg", "/static/../app.py", "/static/%2e%2e/app.py",
    "/static/..%5Capp.py", "/static//etc/passwd", "/static/style.css%00.py",
    "/static/", "/static", "/..%2F..%2Fetc%2Fpasswd", "/search/../../setup.cfg",
])
def test_no_traversal_through_static(client, path):
    r = client.get(path)
    _assert_safe(r, path)
    body = r.get_data(as_text=True)
    assert "install_requires" not in body and "root:" not in body and "create_app" not in body


def test_security_headers_on_error_responses(client):
    for method, path in (("get", "/articles/nope"), ("get", "/api/search?q=%22"),
                         ("get", "/search?q=%22"), ("get", "/search.atom?since=nope"),
                         ("get", "/no/such/page"), ("post", "/search"), ("delete", "/api/search")):
        r = getattr(client, method)(path)
        assert r.status_code in (200, 400, 404, 405), (method, path, r.status_code)
        csp = r.headers.get("Content-Security-Policy", "")
        assert "unsafe-inline" not in csp and "default-src 'none'" in csp, (method, path)
        assert r.headers.get("X-Content-Type-Options") == "nosniff", (method, path)
        assert r.headers.get("X-Frame-Options") == "DENY", (method, path)


@pytest.mark.parametrize("q, status", [("=1+1", 400), ("+cmd", 200), ("-2+3", 400),
                                       ("@SUM(A1)", 200), ("\t=1", 400), ("hostile", 200)])
def test_csv_never_starts_a_cell_with_a_formula(client, q, status):
    # "=1+1", "-2+3" and "\t=1" hold no searchable word: refused as queries
    r = client.get("/search.csv", query_string={"q": q})
    assert r.status_code == status
    if r.status_code == 200 and r.mimetype == "text/csv":
        for row in csv.reader(io.StringIO(r.get_data(as_text=True))):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (q, cell)
