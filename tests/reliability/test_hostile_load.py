"""The server keeps answering ordinary searches while hostile ones run.

Three clients send queries of 120 unknown words (the did-you-mean worst case:
each word used to be looked up, 3.3 s per request at 19k articles and every
server thread taken) to the JSON API, the CSV export and the search page,
while a fourth asks ``/api/search?q=...`` for ordinary words.  Run against
``newsarchive serve`` itself (waitress, its three threads), on the session's
synthetic base index.  The bounds are generous (seconds, on a shared 2-core
machine); before the suggester was bounded they were missed several times over.
"""
from __future__ import annotations

import random
import socket
import statistics
import string
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests._reliability import BASE_N, _base

HOSTILE_ROUTES = ("/api/search", "/search.csv", "/search")
HOSTILE_EACH = 4            # requests per hostile client
HOSTILE_BOUND = 2.0         # seconds one hostile request may take, with the others running
ORDINARY_BOUND = 2.0        # seconds any ordinary request may take meanwhile
ORDINARY_MEDIAN = 0.5
ORDINARY = ("budget", "harvest", "strike", "minister", "rail", "port", "talks", "wheat")


def _unknown_query(seed: int, chars: int = 480) -> str:
    """About ``chars // 4`` unknown three-letter words (the web takes 1,000 characters)."""
    rnd = random.Random(seed)
    words = ["".join(rnd.choice(string.ascii_lowercase) for _ in range(3))
             for _ in range(chars // 4 + 1)]
    return " ".join(words)[:chars]


@pytest.fixture(scope="module")
def server():
    _, ixdir = _base(BASE_N)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "web.cli", "serve", "--port", str(port),
                             "--index", str(ixdir)], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    try:
        assert "serving on" in proc.stdout.readline()
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                _get(url, "/api/search", "warm")
                break
            except (ConnectionError, urllib.error.URLError):
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _get(base: str, route: str, q: str) -> tuple[int, float]:
    t = time.perf_counter()
    with urllib.request.urlopen(f"{base}{route}?{urllib.parse.urlencode({'q': q})}",
                                timeout=120) as r:
        r.read()
        return r.status, time.perf_counter() - t


def test_one_hostile_query_is_answered_within_a_second(server):
    status, took = _get(server, "/api/search", _unknown_query(99))
    assert status == 200 and took < 1.0 * 3, took      # the target is 1 s; margin for CI


def test_ordinary_queries_keep_answering_while_three_hostile_ones_run(server):
    hostile: list[tuple[str, int, float]] = []
    errors: list[BaseException] = []

    def attacker(k: int, route: str):
        try:
            for i in range(HOSTILE_EACH):
                status, took = _get(server, route, _unknown_query(k * 100 + i))
                hostile.append((route, status, took))
        except BaseException as e:  # noqa: BLE001 -- reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=attacker, args=(k, route), daemon=True)
               for k, route in enumerate(HOSTILE_ROUTES)]
    for t in threads:
        t.start()
    ordinary = []
    i = 0
    while any(t.is_alive() for t in threads) or len(ordinary) < 10:
        status, took = _get(server, "/api/search", ORDINARY[i % len(ORDINARY)])
        assert status == 200
        ordinary.append(took)
        i += 1
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(hostile) == HOSTILE_EACH * len(HOSTILE_ROUTES)
    assert all(status == 200 for _, status, _ in hostile)
    worst_hostile = max(took for _, _, took in hostile)
    print(f"\nhostile: {sorted(round(t * 1000) for _, _, t in hostile)} ms; "
          f"ordinary meanwhile: {len(ordinary)} requests, median "
          f"{statistics.median(ordinary) * 1000:.0f} ms, max {max(ordinary) * 1000:.0f} ms")
    assert worst_hostile < HOSTILE_BOUND, hostile
    assert max(ordinary) < ORDINARY_BOUND, ordinary
    assert statistics.median(ordinary) < ORDINARY_MEDIAN, ordinary
