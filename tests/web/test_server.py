"""`newsarchive serve` end to end, and a running app seeing a reindex.

``serve`` is run as the user runs it (the console script, a subprocess on a
free loopback port, waitress underneath); the test reads the URL it prints and
fetches pages from it over HTTP.
"""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import index
from web.app import create_app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_newsarchive_serve_prints_url_and_serves(web_index_dir):
    script = Path(sys.executable).with_name("newsarchive")
    cmd = ([str(script)] if script.exists() else
           [sys.executable, "-c", "import sys; from web.cli import main; sys.exit(main())"])
    port = _free_port()
    proc = subprocess.Popen(cmd + ["serve", "--host", "127.0.0.1", "--port", str(port),
                                   "--index", str(web_index_dir)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line, (line, proc.stderr.read() if proc.poll() else "")
        url = line[line.index("http://"):].split()[0]
        for _ in range(50):                      # the socket may lag the print by a moment
            try:
                with urllib.request.urlopen(url + "search?q=Taliban", timeout=5) as r:
                    html = r.read().decode()
                    assert r.status == 200
                    assert r.headers["Server"] == "newsarchive"
                    assert "Content-Security-Policy" in r.headers
                break
            except (ConnectionError, urllib.error.URLError):
                time.sleep(0.1)
        else:
            raise AssertionError("server did not answer")
        assert "<mark>" in html and "articles" in html and " for <q>Taliban</q>" in html
        with urllib.request.urlopen(url + "api/search?q=Taliban", timeout=5) as r:
            assert json.load(r)["total"] >= 5
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_running_app_sees_a_reindex_without_restart(tmp_path, corpus_dir):
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    ix = index.open_index(tmp_path / "index")
    ix.reindex([corpus])
    client = create_app(tmp_path / "index", testing=True).test_client()
    assert client.get("/api/search?q=").get_json()["total"] == 5

    (corpus / "new.json").write_text(json.dumps({
        "id": "late/1", "title": "Late story about a zanzibarian ferry",
        "body": "A zanzibarian ferry docked late on Tuesday, port officials said.",
        "published": "2025-11-20", "source": "Harbour Times"}), "utf-8")
    ix.reindex([corpus])
    for _ in range(100):                         # searchers refresh themselves
        if client.get("/api/search?q=").get_json()["total"] == 6:
            break
        time.sleep(0.1)
    assert client.get("/api/search?q=zanzibarian").get_json()["total"] == 1
    assert client.get("/articles/late/1").status_code == 200
