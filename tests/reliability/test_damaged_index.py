"""A damaged index (a truncated segment file) and a missing one: one clear line
and a non-zero exit from the CLI, a 503 page saying how to rebuild from the web;
``reindex --full`` rebuilds it; read commands never create an index."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import index
from web.app import create_app

CLI = [sys.executable, "-m", "web.cli"]
SEED_ID = "corpus/000_059658d8d1ad82e8.txt"


def run(*argv):
    return subprocess.run(CLI + list(argv), capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).resolve().parents[2])


@pytest.fixture(scope="module")
def good(tmp_path_factory, corpus_dir) -> Path:
    where = tmp_path_factory.mktemp("good") / "ix"
    index.open_index(where).reindex([corpus_dir], progress=False)
    return where


def _damage(good: Path, dest: Path, keep: float = 0.5) -> Path:
    shutil.copytree(good, dest)
    for seg in dest.glob("*.seg"):
        with open(seg, "r+b") as f:
            f.truncate(int(seg.stat().st_size * keep))
    return dest


@pytest.fixture
def damaged(good, tmp_path) -> Path:
    return _damage(good, tmp_path / "ix")


def _one_line(proc, where: Path):
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert str(where) in lines[0] and "damaged" in lines[0], lines[0]
    assert "reindex --full" in lines[0]
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("argv", [("stats",), ("show", SEED_ID), ("search", "talks"),
                                  ("search", "talks", "--json"), ("reindex", "corpus")])
def test_cli_says_damaged_in_one_line(damaged, argv):
    proc = run(*argv, "--index", str(damaged))
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    _one_line(proc, damaged)
    assert proc.stdout == ""


@pytest.mark.parametrize("keep", [0.0, 0.05, 0.5, 0.99])
def test_any_truncation_is_reported_not_a_traceback(good, tmp_path, keep):
    where = _damage(good, tmp_path / f"ix-{keep}", keep)
    proc = run("stats", "--index", str(where))
    assert proc.returncode == 1
    _one_line(proc, where)


def test_reindex_full_rebuilds_a_damaged_index(damaged, corpus_dir):
    proc = run("reindex", str(corpus_dir), "--full", "--index", str(damaged))
    assert proc.returncode == 0, proc.stderr
    assert index.open_index(damaged, create=False).search("ceasefire").total == 4
    assert run("stats", "--index", str(damaged)).returncode == 0


def test_library_raises_index_damaged(damaged):
    ix = index.open_index(damaged, create=False)
    for call in (lambda: ix.search("talks"), lambda: ix.get(SEED_ID), ix.stats):
        with pytest.raises(index.IndexDamaged, match="damaged"):
            call()


ROUTES = ["/search?q=talks", "/", f"/articles/{SEED_ID}", "/api/search?q=talks",
          f"/api/articles/{SEED_ID}", "/search.atom?q=talks", "/search.csv?q=talks"]


@pytest.mark.parametrize("route", ROUTES)
def test_web_answers_503_saying_how_to_rebuild(damaged, route):
    client = create_app(damaged, testing=True).test_client()
    r = client.get(route)
    assert r.status_code == 503, (route, r.status_code)
    text = r.get_data(as_text=True)
    if route.startswith("/api/"):
        data = r.get_json()
        assert data["status"] == 503 and "damaged" in data["error"]
        text = data["error"]
    assert "damaged" in text and "newsarchive reindex --full" in text
    assert "Traceback" not in text and str(damaged) not in text    # no server paths shown
    assert "search failed" not in text


def test_web_recovers_once_the_index_is_rebuilt(damaged, corpus_dir):
    client = create_app(damaged, testing=True).test_client()
    assert client.get("/api/search?q=ceasefire").status_code == 503
    index.open_index(damaged).reindex([corpus_dir], full=True, progress=False)
    import time
    for _ in range(50):
        r = client.get("/api/search?q=ceasefire")
        if r.status_code == 200:
            break
        time.sleep(0.1)
    assert r.status_code == 200 and r.get_json()["total"] == 4


@pytest.mark.parametrize("argv", [("search", "talks"), ("show", SEED_ID), ("stats",),
                                  ("serve", "--port", "1")])
def test_read_commands_on_a_missing_index_create_nothing(tmp_path, argv):
    where = tmp_path / "nothing" / "here"
    proc = run(*argv, "--index", str(where))
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.strip() == f"newsarchive: no index at {where} (run newsarchive reindex)"
    assert proc.stdout == ""
    assert not (tmp_path / "nothing").exists()


def test_web_app_never_creates_an_index(tmp_path):
    with pytest.raises(index.IndexMissing):
        create_app(tmp_path / "none", testing=True)
    assert not (tmp_path / "none").exists()
