"""The server keeps answering ordinary searches while hostile ones run.

Three clients send the costliest queries there are to the JSON API, the CSV
export and the search page: 120 unknown words (each word used to be looked up
for did-you-mean: 3.3 s per request at 19k articles, every server thread
taken; now refused, more than 32 different words), 32 unknown words (the most
a query may have: parsed and run, no lookups) and four unknown words of seven
letters (the most did-you-mean looks up).  Meanwhile a fourth client asks
``/api/search`` for ordinary words.  Run against ``newsarchive serve`` itself
(waitress, its three threads) on the session's synthetic base index.  The
bounds are generous (seconds, on a shared 2-core machine); before the
suggester was bounded they were missed several times over.
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

HOSTILE_EACH = 4            # requests per hostile client
HOSTILE_BOUND = 2.0         # seconds one hostile request may take, with the others running
ORDINARY_BOUND = 2.0        # seconds any ordinary request may take meanwhile
ORDINARY_MEDIAN = 0.5
ORDINARY = ("budget", "harvest", "strike", "minister", "rail", "port", "talks", "wheat")


def _unknown_query(seed: int, words: int = 120, letters: int = 3) -> str:
    """``words`` unknown words (120 three-letter ones make 480 characters)."""
    rnd = random.Random(seed)
    return " ".join("".join(rnd.choice(string.ascii_lowercase) for _ in range(letters))
                    for _ in range(words))


#: (route, words, letters, expected status) of each hostile client
HOSTILE = (("/api/search", 120, 3, 400), ("/search.csv", 32, 3, 200), ("/search", 4, 7, 200))


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
    try:
        with urllib.request.urlopen(f"{base}{route}?{urllib.parse.urlencode({'q': q})}",
                                    timeout=120) as r:
            r.read()
            return r.status, time.perf_counter() - t
    except urllib.error.HTTPError as e:
        e.read()
        return e.code, time.perf_counter() - t


def test_one_hostile_query_is_answered_within_a_second(server):
    q = _unknown_query(99)
    assert len(q) == 479
    status, took = _get(server, "/api/search", q)
    assert status == 400 and took < 1.0 * 3, took      # the target is 1 s; margin for CI


def test_ordinary_queries_keep_answering_while_three_hostile_ones_run(server):
    hostile: list[tuple[str, int, float]] = []
    errors: list[BaseException] = []

    def attacker(k: int, route: str, words: int, letters: int, want: int):
        try:
            for i in range(HOSTILE_EACH):
                status, took = _get(server, route, _unknown_query(k * 100 + i, words, letters))
                hostile.append((route, status == want, took))
        except BaseException as e:  # noqa: BLE001 -- reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=attacker, args=(k, *spec), daemon=True)
               for k, spec in enumerate(HOSTILE)]
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
    assert len(hostile) == HOSTILE_EACH * len(HOSTILE)
    assert all(as_expected for _, as_expected, _ in hostile), hostile
    worst_hostile = max(took for _, _, took in hostile)
    print(f"\nhostile: {sorted(round(t * 1000) for _, _, t in hostile)} ms; "
          f"ordinary meanwhile: {len(ordinary)} requests, median "
          f"{statistics.median(ordinary) * 1000:.0f} ms, max {max(ordinary) * 1000:.0f} ms")
    assert worst_hostile < HOSTILE_BOUND, hostile
    assert max(ordinary) < ORDINARY_BOUND, ordinary
    assert statistics.median(ordinary) < ORDINARY_MEDIAN, ordinary
