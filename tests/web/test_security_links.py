"""Links and hosts: every link the Atom feed writes passes the article page's
URL check; absolute links come from the configured base URL, never from the
request's Host; a Host that is not this server's is refused (DNS rebinding)."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

import index
from web import security
from web.app import create_app

ATOM = "{http://www.w3.org/2005/Atom}"
BAD_URLS = ["JAVASCRIPT:alert(2)", "javascript:alert(1)", " javascript:alert(3)",
            "\tjavascript:alert(4)", "JaVaScRiPt:alert(5)", "vbscript:msgbox(6)",
            "data:text/html,<script>alert(7)</script>", "//evil.example/x", "java\nscript:alert(8)"]


@pytest.fixture(scope="module")
def ixdir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("links")
    src = root / "src"
    src.mkdir()
    records = [{"id": f"link/{i}", "title": f"Quarry report number {i}",
                "body": f"The quarry near the river reopened, inspectors said in report {i}.",
                "published": f"2025-03-{i + 1:02d}", "source": "Stone Weekly", "url": url}
               for i, url in enumerate(BAD_URLS)]
    records.append({"id": "link/good", "title": "Quarry report, the good one",
                    "body": "The quarry near the river reopened, inspectors said again.",
                    "published": "2025-04-01", "source": "Stone Weekly",
                    "url": "https://stone.example/quarry"})
    (src / "links.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    index.open_index(root / "ix").reindex([src], progress=False)
    return root / "ix"


def _hrefs(body: bytes) -> list[str]:
    return [el.get("href") for el in ET.fromstring(body).iter(f"{ATOM}link")]


def test_feed_writes_only_web_links(ixdir):
    client = create_app(ixdir, testing=True).test_client()
    r = client.get("/search.atom?q=quarry")
    assert r.status_code == 200
    hrefs = _hrefs(r.data)
    assert len(ET.fromstring(r.data).findall(f"{ATOM}entry")) == len(BAD_URLS) + 1
    assert all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
    assert "https://stone.example/quarry" in hrefs
    assert "script:" not in r.get_data(as_text=True).lower()


def test_feed_and_page_share_one_url_check(ixdir):
    for url in BAD_URLS:
        assert not security.is_web_url(url), url
    assert security.is_web_url("https://stone.example/quarry")
    assert security.is_web_url("HTTP://STONE.EXAMPLE/")
    client = create_app(ixdir, testing=True).test_client()
    page = client.get("/articles/link/0").get_data(as_text=True)
    assert 'href="JAVASCRIPT:' not in page


def test_feed_builder_drops_every_non_web_link():
    """Whatever the loader lets through, the feed writes no such link (the
    loader now drops these URLs too; the feed does not rely on it)."""
    from datetime import datetime, timezone

    from web import feeds
    hits = [{"id": f"x/{i}", "title": "t", "url": url, "published": "2025-03-01"}
            for i, url in enumerate(BAD_URLS + ["https://stone.example/quarry"])]
    body = feeds.build_feed(title="t", feed_url="JAVASCRIPT:alert(9)",
                            search_url="https://archive.example/search?q=t", hits=hits,
                            article_url=lambda i: f"https://archive.example/articles/{i}",
                            fallback_updated=datetime(2025, 1, 1, tzinfo=timezone.utc))
    hrefs = _hrefs(body)
    assert all(h.startswith("https://") for h in hrefs), hrefs
    assert hrefs.count("https://stone.example/quarry") == 1
    assert len(hrefs) == 1 + len(hits) + 1          # alternate, one per entry, one via
    assert b"script:" not in body.lower()


def test_absolute_links_come_from_the_base_url_not_the_host_header(ixdir):
    app = create_app(ixdir, testing=True, base_url="https://archive.example/news",
                     allowed_hosts=["archive.example", "localhost"])
    client = app.test_client()
    r = client.get("/search.atom?q=quarry", headers={"Host": "localhost"})
    assert r.status_code == 200
    hrefs = [h for h in _hrefs(r.data) if "stone.example" not in h]
    assert hrefs and all(h.startswith("https://archive.example/news/") for h in hrefs), hrefs
    assert "localhost" not in r.get_data(as_text=True)


def test_without_settings_the_test_client_works_as_before(ixdir):
    client = create_app(ixdir, testing=True).test_client()
    r = client.get("/search.atom?q=quarry")
    assert r.status_code == 200 and all(h.startswith(("http://localhost/", "https://"))
                                        for h in _hrefs(r.data))


@pytest.mark.parametrize("host", ["evil.example", "evil.example:5000", "127.0.0.1.evil.example",
                                  "localhost.evil.example", "", "a b", "[::2]:80"])
def test_a_foreign_host_is_refused(ixdir, host):
    client = create_app(ixdir, testing=True, base_url="http://127.0.0.1:5000/",
                        allowed_hosts=security.allowed_host_names(
                            "127.0.0.1", "http://127.0.0.1:5000/")).test_client()
    for route in ("/", "/api/search?q=quarry", "/search.atom?q=quarry", "/articles/link/good"):
        r = client.get(route, headers={"Host": host})
        assert r.status_code == 400, (host, route, r.status_code)
        assert "quarry" not in r.get_data(as_text=True).lower()
        assert "--allow-host" in r.get_data(as_text=True)
        assert r.headers["Content-Security-Policy"] == security.CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("host", ["127.0.0.1:5000", "localhost:5000", "LOCALHOST", "[::1]:5000",
                                  "archive.internal", "archive.internal.:80", "x.corp.example"])
def test_the_bound_host_and_allowed_names_are_answered(ixdir, host):
    names = security.allowed_host_names("127.0.0.1", "http://127.0.0.1:5000/",
                                        ["archive.internal", ".corp.example"])
    client = create_app(ixdir, testing=True, allowed_hosts=names).test_client()
    assert client.get("/api/search?q=quarry", headers={"Host": host}).status_code == 200


def test_serve_refuses_a_foreign_host_over_http(ixdir):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "web.cli", "serve", "--port", str(port),
                             "--index", str(ixdir), "--allow-host", "archive.internal",
                             "--base-url", "https://archive.internal/"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    try:
        assert "serving on" in proc.stdout.readline()

        def get(path, host):
            req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
            for _ in range(50):
                try:
                    with urllib.request.urlopen(req, timeout=10) as r:
                        return r.status, r.read().decode()
                except urllib.error.HTTPError as e:
                    return e.code, e.read().decode()
                except (ConnectionError, urllib.error.URLError):
                    time.sleep(0.1)
            raise AssertionError("server did not answer")

        assert get("/api/search?q=quarry", "evil.example")[0] == 400
        assert get("/api/search?q=quarry", f"127.0.0.1:{port}")[0] == 200
        assert get("/api/search?q=quarry", "archive.internal")[0] == 200
        status, feed = get("/search.atom?q=quarry", f"localhost:{port}")
        assert status == 200 and "https://archive.internal/articles/" in feed
        assert f"localhost:{port}" not in feed
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_rejects_an_unusable_base_url(ixdir):
    proc = subprocess.run([sys.executable, "-m", "web.cli", "serve", "--index", str(ixdir),
                           "--base-url", "javascript:alert(1)"], capture_output=True, text=True,
                          timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 2 and "--base-url" in proc.stderr
